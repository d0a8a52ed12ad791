/* SPDX-License-Identifier: GPL-2.0 */
/* configs/NAME.ini -> the matrix of cells one run measures. */
#ifndef DMABENCH_CONFIG_H
#define DMABENCH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gate_rule;

/* One matrix cell: exactly one RUN request. */
struct cell {
	char job[64];
	uint32_t api;
	uint32_t pattern;
	uint32_t dir;
	uint64_t attrs;
	uint32_t size;
	uint32_t offset;
	uint32_t batch;
	uint32_t batches;
	uint32_t warmup;
	int cpu;		/* -1: in the runner's own context */
	uint32_t threads;	/* CPUs measuring at once, from cpu on */
	uint32_t nents;		/* sg entries per mapping */
	uint32_t pool;		/* buffers of the pool pattern */
	bool irqs_off;
	bool baseline;		/* also measure the null API of this shape */
	bool counters;		/* perf counters and a tracepoint pass */
};

struct config {
	char *path;
	char *text;		/* the file as read, kept in results */
	char *description;
	uint32_t modes;		/* bit (1 << mode) per mode to boot; host only */
	uint32_t iommus;	/* bit (1 << i) per iommu_name(i), 0: intel; host only */
	char *guest_cpu;	/* QEMU -cpu for the guests, NULL: max; host only */
	unsigned int runs;	/* boots per kernel and mode, 0: the accel's default */
	struct gate_rule *gate_rules;	/* the [gate] section's thresholds */
	size_t ngate_rules;
	struct cell *cells;
	size_t ncells;
};

#define CONFIG_MAX_RUNS 100

/*
 * Parse @path. On error returns -1 and writes "FILE:LINE: key 'k': what"
 * (or just FILE: what) into @err.
 */
int config_load(const char *path, struct config *cfg, char *err, size_t len);
void config_free(struct config *cfg);

/*
 * "4096", "4k", "4KiB", "2M": bytes, or -1 on a malformed size: decimal
 * only (no leading 0, no 0x), at most 1 TiB, checked before the suffix
 * multiplies.
 */
long long parse_size(const char *s);

#endif
