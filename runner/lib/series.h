/* SPDX-License-Identifier: GPL-2.0 */
/* The per-commit table of 'dmabench series --each'. */
#ifndef DMABENCH_SERIES_H
#define DMABENCH_SERIES_H

#include <stddef.h>

#include "harness.h"

/* A side that was not measured because it does not build. */
#define SIDE_NO_BUILD 2

/*
 * Write OUT/each.txt for @sides (the base first, then each commit, whose
 * "abbrev subject" lines are @lines): a column per commit and, per row,
 * each commit that moved it from the previous measured one, and by how
 * much. Sides with .failed set are columns of "skip". Medians in every
 * mode, lazy too: the path's cost, which a commit moves exactly.
 */
int series_each_write(const char *out, const struct boot_side *sides, size_t n,
		      const char *base_line, const char *const *lines);

#endif
