// SPDX-License-Identifier: GPL-2.0
/* dmabench explain: where the instructions go, per function (explain.c). */
#include <getopt.h>
#include <stdlib.h>

#include "commands.h"
#include "explain.h"
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
"  -c, --callees    rank and print each function's instructions with its\n"
"                   callees (all executed while it is on the call path)\n"
"                   instead of its own\n"
"  -n, --top N      at most N functions per row (default 10, 0: all)\n"
"  -o, --output F   write the text to F instead of stdout\n"
"\n"
"--attach: read RAW (the explain plugin's output file, per guest PC the\n"
"instructions in map windows, unmap windows and outside them), symbolize\n"
"with SYMS (the guest's /proc/kallsyms text symbols, gzip'd, written by\n"
"dmabench run --explain), and add to each explained cell of RESULT its\n"
"per-function figures, divided by the ops measured: own instructions, and\n"
"with callees where the plugin kept call paths. Refuses a RAW or SYMS\n"
"that is missing, garbled, or does not add up to the pass's own counter\n"
"totals.\n";

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "attach", no_argument, NULL, 'A' },
		{ "callees", no_argument, NULL, 'c' },
		{ "top", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *output = NULL;
	int opt, do_attach = 0, top = EXPLAIN_TOP_DEFAULT, callees = 0;
	char *end;

	while ((opt = getopt_long(argc, argv, "Acn:o:h", opts, NULL)) != -1) {
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
		case 'h': return usage(explain_usage, 0);
		default: return usage(explain_usage, 2);
		}
	}
	if (do_attach) {
		if (argc - optind != 3)
			return usage(explain_usage, 2);
		return explain_attach(argv[optind], argv[optind + 1], argv[optind + 2]);
	}
	if (argc - optind != 2)
		return usage(explain_usage, 2);
	return explain_write(argv[optind], argv[optind + 1], top, callees, output);
}
