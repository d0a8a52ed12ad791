// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench report: the plain-text report of two result sets, or a reply
 * on the list with it (report.c writes both).
 */
#include <getopt.h>
#include <stdlib.h>

#include "commands.h"
#include "report.h"
#include "util.h"

static const char report_usage[] =
"usage: dmabench report [-o FILE] [--commits FILE] [--each FILE]\n"
"                       [--reply-to COVER [--from ADDRESS] [--attach FILE]...]\n"
"                       BEFORE AFTER\n"
"\n"
"Write a plain-text report (at most 72 columns) comparing two result sets\n"
"(files or folders): one line of conclusion per mode, the table of\n"
"'dmabench compare', then how to reproduce it: the dmabench commit and\n"
"command, each side's kernel, its config and compiler, the machine, the\n"
"modes and mitigations. Paste it under a patch.\n"
"\n"
"With --reply-to, write it as a reply on the list instead: an RFC 5322\n"
"plain-text mail answering the cover letter in COVER (the first message of\n"
"a file from 'git format-patch --cover-letter', 'b4 am' or a mail\n"
"client): 'Re:' its subject, In-Reply-To and References for its thread,\n"
"To its author, Cc its recipients, a short quote, then the report. Ready\n"
"for 'git send-email' or a mail client. SOURCE_DATE_EPOCH dates it.\n"
"\n"
"  -o, --output FILE    write to FILE (atomically) instead of stdout\n"
"  -c, --commits FILE   list the series measured (one line per commit, as\n"
"                       'dmabench series' writes commits.txt)\n"
"  -e, --each FILE      the per-commit table of 'dmabench series --each'\n"
"                       (each.txt): which commit moved which row\n"
"  -r, --reply-to COVER the cover letter to reply to\n"
"  -F, --from ADDRESS   the reply's From (default: $EMAIL)\n"
"  -a, --attach FILE    send FILE (a plot: PNG, SVG, text) with the reply,\n"
"                       as a MIME attachment after the text; repeatable\n";

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "commits", required_argument, NULL, 'c' },
		{ "reply-to", required_argument, NULL, 'r' },
		{ "from", required_argument, NULL, 'F' },
		{ "each", required_argument, NULL, 'e' },
		{ "attach", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char **attach = calloc(argc, sizeof(*attach));
	struct report_request q = { .from = getenv("EMAIL"), .attach = attach };
	int opt, from_given = 0, ret;

	if (!attach)
		return 2;
	while ((opt = getopt_long(argc, argv, "o:c:e:r:F:a:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': q.out = optarg; break;
		case 'c': q.commits = optarg; break;
		case 'r': q.cover = optarg; break;
		case 'F': q.from = optarg; from_given = 1; break;
		case 'e': q.each = optarg; break;
		case 'a': attach[q.nattach++] = optarg; break;
		case 'h': ret = usage(report_usage, 0); goto out;
		default: ret = usage(report_usage, 2); goto out;
		}
	}
	ret = 2;
	if (optind != argc - 2) {
		ret = usage(report_usage, 2);
		goto out;
	}
	if (q.from && !*q.from && !from_given)	/* EMAIL set empty: as if unset */
		q.from = NULL;
	if ((from_given || q.nattach) && !q.cover) {
		error_msg("%s goes with --reply-to", from_given ? "--from" : "--attach");
		goto out;
	}
	q.before = argv[optind];
	q.after = argv[optind + 1];
	ret = report_write(&q);
out:
	free(attach);
	return ret;
}
