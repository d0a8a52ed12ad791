/* SPDX-License-Identifier: GPL-2.0 */
/* The report of two result sets, plain or as a reply on the list. */
#ifndef DMABENCH_REPORT_H
#define DMABENCH_REPORT_H

struct report_request {
	const char *before, *after;	/* result files or folders */
	const char *commits;		/* the series' commit list, or NULL */
	const char *each;		/* its per-commit table (each.txt), or NULL */
	const char *cover;		/* a cover letter to reply to, or NULL */
	const char *from;		/* the reply's From (with @cover) */
	const char *const *attach;	/* files sent with the reply (plots) */
	size_t nattach;
	const char *out;		/* the file to write, or NULL: stdout */
};

/* Write it; 0, or 2 (said on stderr) for bad input or an unwritable output. */
int report_write(const struct report_request *q);

#endif
