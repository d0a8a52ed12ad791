// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench report: the plain-text report of two result sets, or a reply
 * on the list with it (report.c writes both).
 */
#include <stdlib.h>

#include "commands.h"
#include "mail.h"
#include "options.h"
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
"for 'git send-email' or a mail client. SOURCE_DATE_EPOCH dates it.\n";

static const struct cli_option report_options[] = {
	CLI_GROUP(cli_output_options),
	CLI_OPT("commits", 'c', "FILE",
		"list the series measured (one line per commit, as 'dmabench "
		"series' writes commits.txt)"),
	CLI_OPT("each", 'e', "FILE",
		"the per-commit table of 'dmabench series --each' (each.txt): "
		"which commit moved which row"),
	CLI_OPT("reply-to", 'r', "COVER", "the cover letter to reply to"),
	CLI_GROUP(mail_cli_options),
	CLI_OPT("attach", 'a', "FILE",
		"send FILE (a plot: PNG, SVG, text) with the reply, as a MIME "
		"attachment after the text; repeatable"),
	CLI_HELP,
	CLI_END
};

int cmd_report(int argc, char **argv)
{
	const char **attach = calloc(argc, sizeof(*attach));
	struct report_request q = { .from = getenv("EMAIL"), .attach = attach };
	int opt, from_given = 0, ret;

	if (!attach)
		return 2;
	while ((opt = cli_getopt(argc, argv, report_options)) != -1) {
		switch (opt) {
		case 'o': q.out = optarg; break;
		case 'c': q.commits = optarg; break;
		case 'r': q.cover = optarg; break;
		case 'F': q.from = optarg; from_given = 1; break;
		case 'e': q.each = optarg; break;
		case 'a': attach[q.nattach++] = optarg; break;
		case 'h': ret = cli_usage(report_usage, report_options, 0); goto out;
		default: ret = cli_usage(report_usage, report_options, 2); goto out;
		}
	}
	ret = 2;
	if (optind != argc - 2) {
		ret = cli_usage(report_usage, report_options, 2);
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
