/* SPDX-License-Identifier: GPL-2.0 */
/* Several runs (boots) of one measurement into one result. */
#ifndef DMABENCH_MERGE_H
#define DMABENCH_MERGE_H

#include <stddef.h>

/*
 * The N result files INPUTS, runs of one kernel, mode, accel and config,
 * into OUT (atomically). 0, or 2 with the reason said (runs that do not
 * belong together, unreadable input, an output it cannot write).
 */
int merge_write(const char *const *inputs, size_t n, const char *out);

#endif
