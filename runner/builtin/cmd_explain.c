// SPDX-License-Identifier: GPL-2.0
/* dmabench explain: where the instructions go, per function (explain.c). */
#include <stdlib.h>

#include "commands.h"
#include "explain.h"
#include "options.h"
#include "util.h"

static const char explain_usage[] =
"usage: dmabench explain [options] BEFORE AFTER\n"
"       dmabench explain --attach RESULT RAW SYMS\n"
"\n"
"BEFORE and AFTER are result files or folders measured with the explain\n"
"pass (boot.sh --explain, or matrix/series --explain). For each row (mode,\n"
"api, op) print the total instructions per op the explain pass saw (the\n"
"loop's own instructions included, on the module's functions), then each\n"
"function whose own instructions per op changed, largest change first:\n"
"  +69.0 dma_direct_map_phys (new)\n"
"\n"
"--attach: read RAW (the explain plugin's output file, per guest PC the\n"
"instructions in map windows, unmap windows and outside them), symbolize\n"
"with SYMS (the guest's /proc/kallsyms text symbols, gzip'd, written by\n"
"dmabench run --explain), and add to each explained cell of RESULT its\n"
"per-function figures, divided by the ops measured: own instructions, and\n"
"with callees where the plugin kept call paths. Refuses a RAW or SYMS\n"
"that is missing, garbled, or does not add up to the pass's own counter\n"
"totals.\n";

static const struct cli_option explain_options[] = {
	CLI_OPT("attach", 'A', NULL,
		"the second form: add RAW's per-function figures to RESULT, as "
		"above"),
	CLI_OPT("callees", 'c', NULL,
		"rank and print each function's instructions with its callees "
		"(all executed while it is on the call path) instead of its own"),
	CLI_OPT("top", 'n', "N", "at most N functions per row (default 10, 0: all)"),
	CLI_GROUP(cli_output_options),
	CLI_HELP,
	CLI_END
};

int cmd_explain(int argc, char **argv)
{
	const char *output = NULL;
	int opt, do_attach = 0, top = EXPLAIN_TOP_DEFAULT, callees = 0;
	char *end;

	while ((opt = cli_getopt(argc, argv, explain_options)) != -1) {
		switch (opt) {
		case 'A': do_attach = 1; break;
		case 'c': callees = 1; break;
		case 'n':
			top = (int)strtol(optarg, &end, 10);
			if (*end || top < 0) {
				error_msg("--top: '%s' is not a count", optarg);
				return 2;
			}
			break;
		case 'o': output = optarg; break;
		case 'h': return cli_usage(explain_usage, explain_options, 0);
		default: return cli_usage(explain_usage, explain_options, 2);
		}
	}
	if (do_attach) {
		if (argc - optind != 3)
			return cli_usage(explain_usage, explain_options, 2);
		return explain_attach(argv[optind], argv[optind + 1], argv[optind + 2]);
	}
	if (argc - optind != 2)
		return cli_usage(explain_usage, explain_options, 2);
	return explain_write(argv[optind], argv[optind + 1], top, callees, output);
}
