// SPDX-License-Identifier: GPL-2.0
/* dmabench plot: gnuplot plots of two result sets (plot.c draws them). */
#include <getopt.h>

#include "commands.h"
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
"  --no-render            write .dat and .gp only\n"
"Files of these names that an earlier plot left in DIR are removed first;\n"
"other files in DIR are left alone. gnuplot runs without a shell. DIR is\n"
"held while plot writes: a second plot or run into it exits 2.\n";

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "no-render", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *dir = "plots";
	int opt, no_render = 0;

	while ((opt = getopt_long(argc, argv, "o:nh", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': dir = optarg; break;
		case 'n': no_render = 1; break;
		case 'h': return usage(plot_usage, 0);
		default: return usage(plot_usage, 2);
		}
	}
	if (optind != argc - 2)
		return usage(plot_usage, 2);
	return plot_write(argv[optind], argv[optind + 1], dir, no_render);
}
