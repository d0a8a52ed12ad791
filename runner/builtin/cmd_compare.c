// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: a before/after table of two result sets, one row per
 * mode, API and operation, grouped by cell shape, at most 72 columns wide.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "comparison.h"
#include "options.h"
#include "results.h"
#include "stats.h"
#include "util.h"

static const char compare_usage[] =
"usage: dmabench compare [-o FILE] BEFORE AFTER\n"
"\n"
"BEFORE and AFTER are result files or folders of them (one per mode).\n"
"For each cell of either side: the median over batches of cycles per op\n"
"(guest instructions when both sides ran under tcg-icount), net of the\n"
"same loop on the API's null twins (empty functions with the signatures\n"
"of its calls, given the same arguments); the change in percent with\n"
"its 95 % confidence interval (bootstrap over per-batch samples, 2000\n"
"resamples, fixed seed, so the output is reproducible); '*' when the\n"
"interval excludes zero; and the noise of each side (interquartile\n"
"range over median, in percent).\n"
"'n/a': the API is absent from that kernel or unusable in that mode.\n"
"\n"
"With several runs (boots) per side (dmabench merge, --runs N) the figure\n"
"is the mean of the runs' figures, the interval resamples runs and then\n"
"batches within them, and a second table gives the noise between runs.\n"
"Without it, one run under tcg or on a host stars nothing: the noise\n"
"between boots is unknown.\n"
"\n"
"Refused (exit 2), as by every command that compares: a side mixing\n"
"kernels or accels, and two sides of two accels or configs, or with a\n"
"mode detected differently: they do not answer one question.\n";

static const struct cli_option compare_options[] = {
	CLI_GROUP(cli_output_options),
	CLI_HELP,
	CLI_END
};

int cmd_compare(int argc, char **argv)
{
	const char *out = NULL;
	int opt;

	while ((opt = cli_getopt(argc, argv, compare_options)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'h': return cli_usage(compare_usage, compare_options, 0);
		default: return cli_usage(compare_usage, compare_options, 2);
		}
	}
	if (argc - optind != 2)
		return cli_usage(compare_usage, compare_options, 2);
	return comparison_write(argv[optind], argv[optind + 1], out);
}
