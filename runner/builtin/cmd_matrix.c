// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench matrix: two kernels x the config's modes under QEMU, then the
 * comparison, report and plots of the run: what 'make demo' does.
 */
#include <stdio.h>

#include "commands.h"
#include "harness.h"
#include "options.h"
#include "run_options.h"
#include "util.h"

static const char matrix_usage[] =
"usage: dmabench matrix [options] BEFORE AFTER\n"
"\n"
"Run a config on two kernels in every DMA mode it names, under QEMU, and\n"
"compare them. BEFORE and AFTER are each\n"
"  SUITE:SERIES   the newest Debian kernel of the series (bookworm:6.12,\n"
"                 trixie:7), fetched once and cached\n"
"  IMAGE,KDIR     a kernel image you built and its module build tree\n"
"                 (its O= folder, or /lib/modules/RELEASE/build)\n"
"Kernels from your git tree: 'dmabench series'.\n"
"\n"
"Default accel: tcg-icount (guest instructions, exact from boot to boot).\n"
"Writes DIR/{before,after}/MODE.{json,csv} with each\n"
"guest's console, kernel log and channel capture beside them,\n"
"DIR/compare.txt, DIR/report.txt and the plots. DMABENCH_CACHE sets the\n"
"cache.\n";

static const struct cli_option matrix_options[] = {
	CLI_GROUP(run_cli_options),
	CLI_HELP,
	CLI_END
};

int cmd_matrix(int argc, char **argv)
{
	struct run_options ro;
	char kb[256], ka[256], modes[128];
	struct boot_side sides[2] = { { .kid = kb }, { .kid = ka } };
	int opt, rc;

	run_options_init(&ro, "tcg-icount");
	while ((opt = cli_getopt(argc, argv, matrix_options)) != -1) {
		if (opt == 'h')
			return cli_usage(matrix_usage, matrix_options, 0);
		if (run_option(&ro, opt, optarg) <= 0)
			return cli_usage(matrix_usage, matrix_options, 2);
	}
	if (optind != argc - 2)
		return cli_usage(matrix_usage, matrix_options, 2);
	if (run_options_prepare(&ro))
		return 2;
	harness_mode_list(ro.boot.modes, modes, sizeof(modes));
	rc = harness_kernel("before", argv[optind], modes, ro.boot.arch, kb, sizeof(kb));
	if (!rc)
		rc = harness_kernel("after", argv[optind + 1], modes, ro.boot.arch, ka,
				    sizeof(ka));
	if (rc)
		return rc == -2 ? 2 : 1;
	if (run_options_make_out(&ro))
		return 2;	/* an output it cannot write */
	sides[0].dir = ro.before;
	sides[1].dir = ro.after;
	if (harness_boot(&ro.boot, sides, 2, 0) ||
	    harness_outputs(ro.out, ro.plots, NULL, NULL) ||
	    (ro.boot.explain && harness_explain_output(ro.out)))
		return 1;
	run_options_finish(&ro);
	return 0;
}
