// SPDX-License-Identifier: GPL-2.0
/* The config keys, once: see params.h. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "names.h"
#include "params.h"
#include "uapi/dmabench.h"

static int attrs_from_name(const char *name)
{
	return !strcmp(name, "none") ? 0 :
	       !strcmp(name, "skip_cpu_sync") ? (int)DMABENCH_ATTR_SKIP_CPU_SYNC : -1;
}

static const char *attrs_name(uint32_t attrs)
{
	return attrs ? "skip_cpu_sync" : "none";
}

static const char *attrs_names(void)
{
	return "none skip_cpu_sync";
}

/* "unknown" is what the module says when it cannot tell, not a mode to ask for. */
static int boot_mode_from_name(const char *name)
{
	int m = mode_from_name(name);

	return m > 0 ? m : -1;
}

static const char *boot_mode_names(void)
{
	return "direct strict lazy swiotlb passthrough";
}

static const char *const iommus[] = { "intel", "amd", "virtio", "smmuv3" };

int iommu_from_name(const char *name)
{
	for (int i = 0; i < IOMMU_COUNT; i++)
		if (!strcmp(name, iommus[i]))
			return i;
	return -1;
}

const char *iommu_name(uint32_t i)
{
	return i < IOMMU_COUNT ? iommus[i] : "?";
}

static const char *iommu_names(void)
{
	return "intel amd virtio smmuv3";
}

#define NAMES(f, o, n) .from_name = f, .name_of = o, .names = n
/* held in struct cell's @m as @t, sent in struct dmabench_run's @r */
#define CELL(t, m) .cell_type = t, .cell_offset = offsetof(struct cell, m)
#define REQ(r) .request_width = sizeof(((struct dmabench_run *)0)->r), \
	.request_offset = offsetof(struct dmabench_run, r)

const struct param params[P_COUNT] = {
	[P_API] = { "api", PARAM_NAME, PARAM_LIST | PARAM_CELL, .noun = "API",
		NAMES(api_from_name, api_name, api_names), CELL(CELL_U32, api), .def = "page",
		.values = "see \"What is measured\"" },
	[P_SIZE] = { "size", PARAM_SIZE, PARAM_LIST | PARAM_SHAPE | PARAM_CELL,
		1, DMABENCH_MAX_SIZE, "size", CELL(CELL_U32, size), REQ(length), .def = "4k",
		.values = "1 B .. 2M (`4096`, `4k`, `2M`); per sg entry for `sg`" },
	[P_OFFSET] = { "offset", PARAM_SIZE, PARAM_LIST | PARAM_SHAPE | PARAM_CELL,
		0, 4095, "offset", CELL(CELL_U32, offset), REQ(offset), .def = "0",
		.values = "bytes into the first page, 0..4095 (straddle pages with it)" },
	[P_PATTERN] = { "pattern", PARAM_NAME, PARAM_LIST | PARAM_SHAPE | PARAM_CELL,
		.noun = "pattern", NAMES(pattern_from_name, pattern_name, pattern_names),
		CELL(CELL_U32, pattern), REQ(pattern), .def = "pair",
		.values = "`pair` (map, unmap each op), `batch` (map N, then unmap N), `pool` (pair on random buffers of a pool: cold caches)" },
	[P_DIR] = { "dir", PARAM_NAME, PARAM_LIST | PARAM_SHAPE | PARAM_CELL,
		.noun = "direction", NAMES(dir_from_name, dir_name, dir_names),
		CELL(CELL_U32, dir), REQ(dir), .def = "to_device",
		.values = "`to_device` `from_device` `bidirectional`" },
	[P_ATTRS] = { "attrs", PARAM_NAME, PARAM_SHAPE | PARAM_CELL,
		.noun = "attribute", NAMES(attrs_from_name, attrs_name, attrs_names),
		CELL(CELL_U64, attrs), REQ(attrs), .def = "none",
		.values = "`none` `skip_cpu_sync`" },
	[P_BATCH] = { "batch", PARAM_NUMBER, PARAM_SHAPE | PARAM_CELL,
		1, DMABENCH_MAX_BATCH, "batch length", CELL(CELL_U32, batch), REQ(batch),
		.def = "64",
		.values = "ops per sample, 1..1024" },
	[P_BATCHES] = { "batches", PARAM_NUMBER, PARAM_CELL,
		1, DMABENCH_MAX_BATCHES, "batch count", CELL(CELL_U32, batches), REQ(batches),
		.def = "100",
		.values = "samples, 1..1048576" },
	[P_WARMUP] = { "warmup", PARAM_NUMBER, PARAM_CELL,
		0, DMABENCH_MAX_BATCHES, "count", CELL(CELL_U32, warmup), REQ(warmup),
		.def = "5",
		.values = "batches run first and discarded, 0..1048576" },
	[P_CPU] = { "cpu", PARAM_NUMBER, PARAM_CELL | PARAM_ANY,
		0, 4095, "CPU number", CELL(CELL_S32, cpu), REQ(cpu), .def = "0",
		.values = "CPU of the (first) measuring kthread, or `any`: the runner's own context" },
	[P_IRQS_OFF] = { "irqs_off", PARAM_BOOL, PARAM_CELL, CELL(CELL_BOOL, irqs_off),
		.def = "no",
		.values = "`yes`: interrupts off during a batch (preemption always is)" },
	[P_THREADS] = { "threads", PARAM_NUMBER, PARAM_SHAPE | PARAM_CELL,
		1, 4096, "thread count", CELL(CELL_U32, threads), REQ(threads), .def = "1",
		.values = "CPUs measuring at once, from `cpu` on, one pinned kthread each" },
	[P_NENTS] = { "nents", PARAM_NUMBER, PARAM_SHAPE | PARAM_CELL,
		1, DMABENCH_MAX_NENTS, "entry count", CELL(CELL_U32, nents), REQ(nents),
		.def = "1",
		.values = "scatterlist entries for `sg`, 1..128" },
	[P_POOL] = { "pool", PARAM_NUMBER, PARAM_SHAPE | PARAM_CELL,
		1, DMABENCH_MAX_POOL, "pool size", CELL(CELL_U32, pool), REQ(pool),
		.def = "1024",
		.values = "buffers of the `pool` pattern, 1..4096" },
	[P_BASELINE] = { "baseline", PARAM_BOOL, 0, CELL(CELL_BOOL, baseline), .def = "yes",
		.values = "measure the API's own loop on its null twins (empty functions with its calls' signatures, same arguments) and report net figures" },
	[P_COUNTERS] = { "counters", PARAM_BOOL, 0, CELL(CELL_BOOL, counters), .def = "yes",
		.values = "perf counters in the timed pass, tracepoints in a second pass" },
	[P_MODES] = { "modes", PARAM_NAME, PARAM_LIST | PARAM_GLOBAL, .noun = "mode",
		NAMES(boot_mode_from_name, mode_name, boot_mode_names),
		.values = "modes the harness boots", .shown_default = "all four" },
	[P_DESCRIPTION] = { "description", PARAM_TEXT, PARAM_GLOBAL,
		.values = "free text kept in results", .shown_default = "" },
	[P_GUEST_CPU] = { "guest_cpu", PARAM_TEXT, PARAM_GLOBAL,
		.values = "QEMU `-cpu` of the guests (`max,vendor=GenuineIntel`, `Skylake-Server`, ...)",
		.shown_default = "`max`" },
	[P_RUNS] = { "runs", PARAM_NUMBER, PARAM_GLOBAL,
		1, CONFIG_MAX_RUNS, "number of runs",
		.values = "boots per kernel and mode, 1..100 (`--runs` overrides)",
		.shown_default = "1 under tcg-icount, 3 elsewhere" },
	[P_IOMMU] = { "iommu", PARAM_NAME, PARAM_LIST | PARAM_GLOBAL, .noun = "IOMMU",
		NAMES(iommu_from_name, iommu_name, iommu_names),
		.values = "the guests' IOMMUs in strict, lazy and passthrough: `intel` (VT-d), `amd` (AMD-Vi), `virtio` (virtio-iommu) on x86_64, `smmuv3` (Arm SMMUv3, the only one and the default with `--arch arm64`); with several, each IOMMU mode is booted on each and its files are named IOMMU-MODE (`amd-strict.json`); `--iommu` overrides",
		.def = "intel" },
};

const struct param *param_find(const char *name)
{
	for (size_t i = 0; i < P_COUNT; i++)
		if (!strcmp(params[i].name, name))
			return &params[i];
	return NULL;
}

const char *param_names(void)
{
	static char buf[512];

	if (!buf[0])
		for (size_t i = 0; i < P_COUNT; i++) {
			if (i)
				strcat(buf, " ");
			strcat(buf, params[i].name);
		}
	return buf;
}

void params_markdown(FILE *f)
{
	fprintf(f, "| key | values | default |\n|---|---|---|\n");
	for (size_t i = 0; i < P_COUNT; i++) {
		const struct param *p = &params[i];

		fprintf(f, "| `%s` | %s%s | ", p->name,
			p->flags & PARAM_GLOBAL ? "`[global]` only: " : "", p->values);
		if (p->shown_default)
			fprintf(f, "%s%s|\n", p->shown_default, *p->shown_default ? " " : "");
		else
			fprintf(f, "`%s` |\n", p->def ? p->def : "");
	}
}

long long cell_get(const struct cell *c, enum param_id k)
{
	const char *at = (const char *)c + params[k].cell_offset;
	uint32_t u;
	int32_t i;
	uint64_t w;
	bool b;

	switch (params[k].cell_type) {
	case CELL_U32: memcpy(&u, at, sizeof(u)); return u;
	case CELL_S32: memcpy(&i, at, sizeof(i)); return i;
	case CELL_U64: memcpy(&w, at, sizeof(w)); return (long long)w;
	case CELL_BOOL: memcpy(&b, at, sizeof(b)); return b;
	case CELL_NONE: break;
	}
	return 0;
}

void cell_set(struct cell *c, enum param_id k, long long v)
{
	char *at = (char *)c + params[k].cell_offset;
	uint32_t u = (uint32_t)v;
	int32_t i = (int32_t)v;
	uint64_t w = (uint64_t)v;
	bool b = v != 0;

	switch (params[k].cell_type) {
	case CELL_U32: memcpy(at, &u, sizeof(u)); break;
	case CELL_S32: memcpy(at, &i, sizeof(i)); break;
	case CELL_U64: memcpy(at, &w, sizeof(w)); break;
	case CELL_BOOL: memcpy(at, &b, sizeof(b)); break;
	case CELL_NONE: break;
	}
}

void cell_to_request(const struct cell *c, struct dmabench_run *r)
{
	for (size_t k = 0; k < P_COUNT; k++) {
		char *at = (char *)r + params[k].request_offset;
		uint64_t w = (uint64_t)cell_get(c, k);
		uint32_t u = (uint32_t)w;

		if (params[k].request_width == sizeof(w))
			memcpy(at, &w, sizeof(w));
		else if (params[k].request_width == sizeof(u))
			memcpy(at, &u, sizeof(u));
	}
}

json_t *param_default_json(const struct param *q)
{
	char *end;
	long long v;

	if (!q->def)
		return NULL;
	switch (q->kind) {
	case PARAM_NAME:
	case PARAM_TEXT:
		return json_string(q->def);
	case PARAM_BOOL:
		return json_boolean(!strcmp(q->def, "yes"));
	default:
		if ((q->flags & PARAM_ANY) && !strcmp(q->def, "any"))
			return json_integer(-1);
		v = strtoll(q->def, &end, 10);
		if (q->kind == PARAM_SIZE && *end == 'k')
			v <<= 10;
		else if (q->kind == PARAM_SIZE && *end == 'M')
			v <<= 20;
		return json_integer(v);
	}
}

int param_unused(enum param_id k, uint32_t api, uint32_t pattern, long long *v)
{
	if (k == P_NENTS && api != DMABENCH_API_SG)
		*v = 1;
	else if (k == P_POOL && pattern != DMABENCH_PATTERN_POOL)
		*v = 0;
	else
		return 0;
	return 1;
}
