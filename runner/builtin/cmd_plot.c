// SPDX-License-Identifier: GPL-2.0
/* dmabench plot: gnuplot plots of two result sets (plot.c draws them). */

#include "commands.h"
#include "options.h"
#include "plot.h"
#include "util.h"

static const char plot_usage[] =
"usage: dmabench plot [-o|--output DIR] [--no-render] BEFORE AFTER\n"
"\n"
"Write gnuplot data (.dat) and scripts (.gp) for two result sets into DIR\n"
"(default plots/) and run gnuplot on them:\n"
"  MODE-bars.png/.svg     net figure per API and op, before and after,\n"
"                         error bars from the 25th to the 75th percentile\n"
"  MODE-change.png/.svg   the change per row in percent, labelled, with the\n"
"                         95 % interval and star compare prints (n/a: none)\n"
"  MODE-gap.png/.svg      page - phys per op, before and after, labelled:\n"
"                         medians of batches, as report's conclusions\n"
"  MODE-dist.png/.svg     cumulative distribution of per-batch figures\n"
"  MODE-sweep.png/.svg    figure against size on log axes (when a job\n"
"                         varies the size)\n"
"  IOMMU-MODE-*           the same per IOMMU when the sets hold several\n"
"                         (amd-strict-bars.png: --iommu intel,amd)\n"
"  summary.txt            a text plot (gnuplot dumb, 72 columns) of the\n"
"                         map figures of every API in every mode\n"
"Files of these names that an earlier plot left in DIR are removed first;\n"
"other files in DIR are left alone. gnuplot runs without a shell. DIR is\n"
"held while plot writes: a second plot or run into it exits 2.\n";

static const struct cli_option plot_options[] = {
	CLI_OUTPUT("DIR", "write into DIR, plots/ when not given"),
	CLI_OPT("no-render", 'n', NULL, "write .dat and .gp only"),
	CLI_HELP,
	CLI_END
};

int cmd_plot(int argc, char **argv)
{
	const char *dir = "plots";
	int opt, no_render = 0;

	while ((opt = cli_getopt(argc, argv, plot_options)) != -1) {
		switch (opt) {
		case 'o': dir = optarg; break;
		case 'n': no_render = 1; break;
		case 'h': return cli_usage(plot_usage, plot_options, 0);
		default: return cli_usage(plot_usage, plot_options, 2);
		}
	}
	if (optind != argc - 2)
		return cli_usage(plot_usage, plot_options, 2);
	return plot_write(argv[optind], argv[optind + 1], dir, no_render);
}
