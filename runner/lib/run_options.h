/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Options every harness-driving subcommand (matrix, series, bisect) takes,
 * and where its run's files go.
 */
#ifndef DMABENCH_RUN_OPTIONS_H
#define DMABENCH_RUN_OPTIONS_H

#include "harness.h"
#include "options.h"

/* The options run_option() takes, for CLI_GROUP(). */
extern const struct cli_option run_cli_options[];

/* A kernel git tree to build from (series, bisect): --tree, --kconfig. */
extern const struct cli_option tree_cli_options[];

struct run_options {
	struct boot_opts boot;
	char *config_arg, *out_arg, *plots_arg;
	uint32_t iommu_arg;	/* --iommu: bit per IOMMU, 0: not given */
	unsigned int runs_arg;	/* --runs, 0: not given */
	char *out, *plots, *before, *after;
	char stamp[32];
};

/* Defaults; @accel is the command's default accel. */
void run_options_init(struct run_options *ro, const char *accel);

/* One shared option: 1 taken, 0 not a shared option, -1 bad value. */
int run_option(struct run_options *ro, int opt, const char *arg);

/* Check the values, load the config's modes, name the folders. */
int run_options_prepare(struct run_options *ro);

/*
 * Make the result and plot folders and hold them for this run (a second
 * run into either is refused): once the kernels are there.
 */
int run_options_make_out(struct run_options *ro);

/* Point results/latest and plots/latest here; print compare.txt. */
void run_options_finish(struct run_options *ro);

#endif
