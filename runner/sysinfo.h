/* SPDX-License-Identifier: GPL-2.0 */
/* Where a result came from: kernel, command line, CPU, mitigations. */
#ifndef DMABENCH_SYSINFO_H
#define DMABENCH_SYSINFO_H

#include <jansson.h>

/* A new JSON object describing this system; @accel as the harness said. */
json_t *sysinfo_collect(const char *accel);

#endif
