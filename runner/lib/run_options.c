// SPDX-License-Identifier: GPL-2.0
/* Options shared by matrix, series and bisect; see run_options.h. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "params.h"
#include "run_options.h"
#include "util.h"

const struct cli_option run_cli_options[] = {
	CLI_OPT("config", 'c', "FILE", "config to measure (default configs/demo.ini)"),
	CLI_OPT("accel", 'a', "NAME", "tcg, tcg-icount (instruction-exact) or kvm"),
	CLI_OPT("arch", 'A', "NAME",
		"the guests' architecture: x86_64 (default) or arm64 (Debian's "
		"arm64 kernels on qemu-system-aarch64 -machine virt, SMMUv3; "
		"SUITE:SERIES kernels only)"),
	CLI_OPT("iommu", 'I', "LIST",
		"the guests' IOMMUs in strict, lazy and passthrough, "
		"comma-separated: intel (VT-d, default), amd (AMD-Vi), virtio "
		"(virtio-iommu); smmuv3 (arm64's only); several: each IOMMU mode "
		"on each, files IOMMU-MODE.json; default: the config's iommu key"),
	CLI_OPT("jobs", 'j', "N",
		"guests at once under tcg-icount (default: the number of CPUs); "
		"tcg and kvm boot one at a time"),
	CLI_OUTPUT("DIR",
		   "result folder (default results/RUN-ID); this run holds it and "
		   "its plot folder: a second run into either exits 2 before "
		   "building or booting"),
	CLI_OPT("runs", 'r', "N",
		"boots per kernel and mode (default: the config's runs, else 1 "
		"under tcg-icount, where boots repeat exactly, and 3 elsewhere)"),
	CLI_OPT("plots", 'p', "DIR", "plot folder (default plots/RUN-ID)"),
	CLI_OPT("timeout", 't', "SEC", "per guest (default 900)"),
	CLI_OPT("explain", 'X', NULL,
		"also run each cell's explain pass (tcg-icount): per-function "
		"figures in the results, and DIR/explain.txt (dmabench explain "
		"before after)"),
	CLI_END
};

const struct cli_option tree_cli_options[] = {
	CLI_OPT("tree", 'T', "DIR", "the kernel git tree (read only)"),
	CLI_OPT("kconfig", 'k', "FILE",
		"your .config (olddefconfig completes it) instead of allnoconfig "
		"+ kvm_guest.config + harness/kconfig/dmabench.config (lean)"),
	CLI_END
};

void run_options_init(struct run_options *ro, const char *accel)
{
	memset(ro, 0, sizeof(*ro));
	ro->boot.accel = accel;
	ro->boot.timeout = "900";
	ro->boot.arch = "x86_64";
	ro->boot.jobs = harness_default_jobs();
}

/* --iommu's comma-separated names into a bit set; 1, or -1 said why. */
static int parse_iommus(const char *arg, uint32_t *set)
{
	char name[16];
	const char *p = arg;

	*set = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		int i = -1;

		if (n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			i = iommu_from_name(name);
		}
		if (i < 0) {
			error_msg("--iommu '%s': unknown IOMMU '%.*s' (known: intel amd virtio smmuv3, comma-separated)",
				  arg, (int)(n < 40 ? n : 40), p);
			return -1;
		}
		*set |= 1u << i;
		if (!p[n])
			return 1;
		p += n + 1;
	}
}

int run_option(struct run_options *ro, int opt, const char *arg)
{
	char *end;
	long n;

	switch (opt) {
	case 'c': ro->config_arg = (char *)arg; return 1;
	case 'a': ro->boot.accel = arg; return 1;
	case 'o': ro->out_arg = (char *)arg; return 1;
	case 'p': ro->plots_arg = (char *)arg; return 1;
	case 't':
		n = strtol(arg, &end, 10);
		if (*end || end == arg || n < 1 || n > 86400) {
			error_msg("--timeout '%s' is not a number of seconds (1..86400)", arg);
			return -1;
		}
		ro->boot.timeout = arg;
		return 1;
	case 'r':
		n = strtol(arg, &end, 10);
		if (*end || end == arg || n < 1 || n > CONFIG_MAX_RUNS) {
			error_msg("--runs '%s' is not a number from 1 to %d", arg,
				  CONFIG_MAX_RUNS);
			return -1;
		}
		ro->runs_arg = (unsigned int)n;
		return 1;
	case 'X': ro->boot.explain = 1; return 1;
	case 'I':
		return parse_iommus(arg, &ro->iommu_arg);
	case 'A':
		if (strcmp(arg, "x86_64") && strcmp(arg, "arm64")) {
			error_msg("--arch '%s': known are x86_64 and arm64", arg);
			return -1;
		}
		ro->boot.arch = arg;
		return 1;
	case 'j':
		n = strtol(arg, &end, 10);
		if (*end || end == arg || n < 1 || n > 64) {
			error_msg("--jobs '%s' is not a number from 1 to 64", arg);
			return -1;
		}
		ro->boot.jobs = (int)n;
		return 1;
	}
	return 0;
}

static char *joined(const char *a, const char *b)
{
	char *p;

	return asprintf(&p, "%s/%s", a, b) < 0 ? NULL : p;
}

/* The accel, the arch and --explain asked for must go together. */
static int check_accel(const struct run_options *ro)
{
	const char *accel = ro->boot.accel;

	if (strcmp(accel, "tcg") && strcmp(accel, "tcg-icount") && strcmp(accel, "kvm")) {
		error_msg("unknown accel '%s' (known: tcg tcg-icount kvm)", accel);
		return -1;
	}
	if (!strcmp(ro->boot.arch, "arm64") && (ro->boot.explain || !strcmp(accel, "kvm"))) {
		error_msg("--arch arm64 guests run under tcg or tcg-icount, without --explain");
		return -1;
	}
	if (ro->boot.explain && strcmp(accel, "tcg-icount")) {
		error_msg("--explain needs --accel tcg-icount (its windows are the icount counter's)");
		return -1;
	}
	return 0;
}

/* The IOMMUs to boot: --iommu's, else the config's (@from_config), per arch. */
static int pick_iommus(struct run_options *ro, uint32_t from_config)
{
	ro->boot.iommus = ro->iommu_arg ? ro->iommu_arg : from_config;
	if (!strcmp(ro->boot.arch, "arm64")) {
		const uint32_t smmu = 1u << IOMMU_SMMUV3;

		/* arm64 has one IOMMU: a config's x86 list is not asked of it */
		if (ro->iommu_arg & ~smmu) {
			error_msg("--arch arm64: its IOMMU is smmuv3 (intel, amd and virtio are x86_64's)");
			return -1;
		}
		ro->boot.iommus = smmu;
	} else {
		if (ro->boot.iommus & (1u << IOMMU_SMMUV3)) {
			error_msg("smmuv3 is an arm64 IOMMU: add --arch arm64");
			return -1;
		}
		if (!ro->boot.iommus)
			ro->boot.iommus = 1u;
	}
	return 0;
}

/* The config's modes, guest CPU, IOMMUs and runs, where no option overrides. */
static int apply_config(struct run_options *ro)
{
	char err[1024];
	struct config cfg;

	ro->boot.config = ro->config_arg ? realpath(ro->config_arg, NULL) :
					   joined(harness_top(), "configs/demo.ini");
	if (!ro->boot.config) {
		error_msg("%s: %s", ro->config_arg, strerror(errno));
		return -1;
	}
	if (config_load(ro->boot.config, &cfg, err, sizeof(err))) {
		error_msg("%s", err);
		return -1;
	}
	ro->boot.modes = cfg.modes;
	ro->boot.cpu = cfg.guest_cpu ? strdup(cfg.guest_cpu) : NULL;
	if (pick_iommus(ro, cfg.iommus)) {
		config_free(&cfg);
		return -1;
	}
	ro->boot.runs = ro->runs_arg ? ro->runs_arg :
			cfg.runs ? cfg.runs : harness_default_runs(ro->boot.accel);
	config_free(&cfg);
	return 0;
}

/*
 * The result and plot folders, named after @now unless given, and the
 * result's before/ and after/.
 */
static int name_folders(struct run_options *ro, time_t now)
{
	strftime(ro->stamp, sizeof(ro->stamp), "%Y%m%d-%H%M%S", gmtime(&now));
	if (ro->out_arg) {
		ro->out = strdup(ro->out_arg);
	} else {
		char *results = joined(harness_top(), "results");

		ro->out = results ? joined(results, ro->stamp) : NULL;
		free(results);
	}
	if (ro->plots_arg) {
		ro->plots = strdup(ro->plots_arg);
	} else {
		char *plots = joined(harness_top(), "plots");
		char *copy = ro->out ? strdup(ro->out) : NULL;

		ro->plots = plots && copy ? joined(plots, basename(copy)) : NULL;
		free(plots);
		free(copy);
	}
	if (!ro->out || !ro->plots) {
		error_msg("out of memory");
		return -1;
	}
	ro->before = joined(ro->out, "before");
	ro->after = joined(ro->out, "after");
	return ro->before && ro->after ? 0 : -1;
}

int run_options_prepare(struct run_options *ro)
{
	/* the stamp is the time the run was asked for, before the config loads */
	time_t now = time(NULL);

	if (check_accel(ro))
		return -1;
	if (harness_init()) {
		error_msg("harness/boot.sh not found beside the runner's folder");
		return -1;
	}
	if (apply_config(ro))
		return -1;
	return name_folders(ro, now);
}

int run_options_make_out(struct run_options *ro)
{
	return claim_output_dir(ro->out) || claim_output_dir(ro->plots) ? -1 : 0;
}

static void relink(const char *folder, const char *target)
{
	char *dir = joined(harness_top(), folder), *link = dir ? joined(dir, "latest") : NULL;

	if (link) {
		unlink(link);
		if (symlink(target, link))
			error_msg("%s: %s", link, strerror(errno));
	}
	free(link);
	free(dir);
}

void run_options_finish(struct run_options *ro)
{
	char *file = joined(ro->out, "compare.txt"), *text;
	size_t len;

	if (!ro->out_arg) {
		relink("results", ro->stamp);
		relink("plots", ro->stamp);
	}
	text = file ? read_file(file, &len) : NULL;
	if (text)
		fwrite(text, 1, len, stdout);
	free(text);
	free(file);
	fprintf(stderr, "dmabench: results in %s (report.txt to paste), plots in %s\n",
		ro->out, ro->plots);
}
