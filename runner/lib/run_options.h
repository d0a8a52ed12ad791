/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Options every harness-driving subcommand (matrix, series, bisect) takes,
 * and where its run's files go.
 */
#ifndef DMABENCH_RUN_OPTIONS_H
#define DMABENCH_RUN_OPTIONS_H

#include <getopt.h>

#include "harness.h"

#define RUN_SHORT_OPTIONS "c:a:o:t:p:j:r:XI:A:"
#define RUN_LONG_OPTIONS \
	{ "config", required_argument, NULL, 'c' }, \
	{ "accel", required_argument, NULL, 'a' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "out", required_argument, NULL, 'o' }, /* its first name */ \
	{ "timeout", required_argument, NULL, 't' }, \
	{ "plots", required_argument, NULL, 'p' }, \
	{ "jobs", required_argument, NULL, 'j' }, \
	{ "runs", required_argument, NULL, 'r' }, \
	{ "explain", no_argument, NULL, 'X' }, \
	{ "iommu", required_argument, NULL, 'I' }, \
	{ "arch", required_argument, NULL, 'A' }
#define RUN_OPTIONS_HELP \
"  -c, --config FILE  config to measure (default configs/demo.ini)\n" \
"  -a, --accel NAME   tcg, tcg-icount (instruction-exact) or kvm\n" \
"  -A, --arch NAME    the guests' architecture: x86_64 (default) or arm64\n" \
"                     (Debian's arm64 kernels on qemu-system-aarch64\n" \
"                     -machine virt, SMMUv3; SUITE:SERIES kernels only)\n" \
"  -I, --iommu LIST   the guests' IOMMUs in strict, lazy and passthrough,\n" \
"                     comma-separated: intel (VT-d, default), amd\n" \
"                     (AMD-Vi), virtio (virtio-iommu); smmuv3 (arm64's\n" \
"                     only); several: each\n" \
"                     IOMMU mode on each, files IOMMU-MODE.json;\n" \
"                     default: the config's iommu key\n" \
"  -j, --jobs N       guests at once under tcg-icount (default: the\n" \
"                     number of CPUs); tcg and kvm boot one at a time\n" \
"  -o, --output DIR   result folder (default results/RUN-ID; --out is the\n" \
"                     same); this run holds it and its plot folder: a\n" \
"                     second run into either exits 2 before building or\n" \
"                     booting\n" \
"  -r, --runs N       boots per kernel and mode (default: the config's\n" \
"                     runs, else 1 under tcg-icount, where boots repeat\n" \
"                     exactly, and 3 elsewhere)\n" \
"  -p, --plots DIR    plot folder (default plots/RUN-ID)\n" \
"  -t, --timeout SEC  per guest (default 900)\n" \
"  -X, --explain      also run each cell's explain pass (tcg-icount):\n" \
"                     per-function figures in the results, and\n" \
"                     DIR/explain.txt (dmabench explain before after)\n"

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
