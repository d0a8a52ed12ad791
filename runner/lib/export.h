/* SPDX-License-Identifier: GPL-2.0 */
/* A result set exported for other tools: CSV, hyperfine's JSON layout. */
#ifndef DMABENCH_EXPORT_H
#define DMABENCH_EXPORT_H

enum export_format {
	EXPORT_CSV = 'c',	/* one line per cell, one header */
	EXPORT_HYPERFINE = 'y',	/* seconds per op; refused for instructions */
};

/*
 * The result file or folder IN in FORMAT into OUT (atomically; NULL:
 * stdout); nothing written when it fails. 0, 1 (out of memory, or a
 * set hyperfine's layout cannot hold), or 2 (bad input, said).
 */
int export_write(const char *in, enum export_format format, const char *out);

#endif
