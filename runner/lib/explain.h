/* SPDX-License-Identifier: GPL-2.0 */
/* Per-function explain figures of a cell (dmabench explain, report). */
#ifndef DMABENCH_EXPLAIN_H
#define DMABENCH_EXPLAIN_H

#include <jansson.h>
#include <stdio.h>

/* Does @ex (a cell's "explain") carry usable per-function figures? */
int explain_valid(json_t *ex, char *err, size_t len);

/*
 * Print, one per line after @indent, the functions whose own instructions
 * per @op ("map" or "unmap") changed from @bex to @aex by @floor or more,
 * largest change first, at most @top (0: all), within 72 columns; those
 * that moved by less, summed on one line. Returns how many reached @floor.
 */
size_t explain_row_changes(json_t *bex, json_t *aex, const char *op, int top, double floor,
			   const char *indent, FILE *out);

/*
 * explain --attach: the explain plugin's per-PC counts in RAW and the
 * guest's text symbols in SYMFILE folded into per-function figures in
 * each cell of the result file RESULT (rewritten). 0, or 2 said.
 */
int explain_attach(const char *result, const char *raw, const char *symfile);

/* Functions per row that dmabench explain lists unless told (--top). */
#define EXPLAIN_TOP_DEFAULT 10

/*
 * dmabench explain: per row of two result sets, the TOP functions (0: all)
 * whose instructions per op changed, with their callees' paths when
 * CALLEES, into OUT (NULL: stdout). 0, 1 when nothing can be explained,
 * 2 bad input (said).
 */
int explain_write(const char *before, const char *after, int top, int callees,
		  const char *out);

#endif
