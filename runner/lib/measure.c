// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "device.h"
#include "measure.h"
#include "names.h"
#include "params.h"
#include "sysinfo.h"
#include "stats.h"
#include "util.h"

static void fill_request(struct dmabench_run *r, const struct cell *c,
			 uint32_t api, struct dmabench_sample *s)
{
	memset(r, 0, sizeof(*r));
	cell_to_request(c, r);
	r->api = api;
	r->flags = c->irqs_off ? DMABENCH_RUN_IRQS_OFF : 0;
	r->samples = (uintptr_t)s;
}

static size_t nsamples(const struct cell *c)
{
	return (size_t)c->batches * (c->threads ? c->threads : 1);
}

/* Median over all samples of cycles per op. */
static void medians(const struct cell *c, const struct dmabench_sample *s,
		    double *map, double *unmap)
{
	size_t n = nsamples(c);
	double *pm = malloc(n * sizeof(double)), *pu = malloc(n * sizeof(double));

	for (size_t i = 0; pm && pu && i < n; i++) {
		pm[i] = (double)s[i].map_cycles / c->batch;
		pu[i] = (double)s[i].unmap_cycles / c->batch;
	}
	*map = pm && pu ? median(pm, n) : 0;
	*unmap = pm && pu ? median(pu, n) : 0;
	free(pm);
	free(pu);
}

/*
 * The CPUs the module runs a request on: the first @threads online CPUs
 * from c->cpu on, as dmabench_pick_cpus() picks them, so the counters
 * follow the same CPUs even where the online ones have gaps.
 */
static int *cpu_list(const struct cell *c, int *n)
{
	char *online;
	size_t len;
	int *cpus;

	*n = 0;
	if (c->cpu < 0)
		return NULL;
	*n = c->threads ? (int)c->threads : 1;
	cpus = calloc(*n, sizeof(int));
	online = read_file("/sys/devices/system/cpu/online", &len);
	if (cpus && (!online || cpu_list_pick(online, c->cpu, *n, cpus))) {
		free(cpus);
		cpus = NULL;
		*n = 0;
	}
	free(online);
	return cpus;
}

/* The module's null twins of each API's map and unmap calls. */
static void twin_names(uint32_t api, const char **map, const char **unmap)
{
	static const char *const names[DMABENCH_API_COUNT][2] = {
		[DMABENCH_API_NULL] = { "null_map_phys", "null_unmap_phys" },
		[DMABENCH_API_PAGE] = { "null_map_page", "null_unmap_page" },
		[DMABENCH_API_PHYS] = { "null_map_phys", "null_unmap_phys" },
		[DMABENCH_API_ROUNDTRIP] = { "null_map_page", "null_unmap_page" },
		[DMABENCH_API_SINGLE] = { "null_map_single", "null_unmap_single" },
		[DMABENCH_API_SG] = { "null_map_sg", "null_unmap_sg" },
		[DMABENCH_API_RESOURCE] = { "null_map_resource", "null_unmap_resource" },
		[DMABENCH_API_PHYS_MMIO] = { "null_map_phys", "null_unmap_phys" },
		[DMABENCH_API_IOVA] = { "null_map_iova", "null_unmap_iova" },
		[DMABENCH_API_SYNC] = { "null_sync_for_device", "null_sync_for_cpu" },
	};

	*map = api < DMABENCH_API_COUNT ? names[api][0] : "?";
	*unmap = api < DMABENCH_API_COUNT ? names[api][1] : "?";
}

/*
 * The cache key of @c's baseline: every key a cell records (params.h), so
 * that a key added to the table can never make one cell reuse the
 * baseline of another.
 */
static void baseline_key(const struct cell *c, char *key, size_t len)
{
	size_t n = 0;

	for (size_t k = 0; k < P_COUNT && n < len; k++)
		if (params[k].flags & PARAM_CELL)
			n += snprintf(key + n, len - n, "%lld/", cell_get(c, k));
}

/*
 * The API's own loop on its null twins (empty functions with the timed
 * calls' signatures, handed the same arguments), measured once per API and
 * shape and run. Returns 0 with *out set, or the request's -errno.
 */
static int baseline(struct measure_env *env, const struct cell *c,
		    json_t **out, char *err, size_t len)
{
	char key[512];
	struct dmabench_sample *s;
	struct dmabench_run r;
	double map, unmap;
	const char *tmap, *tunmap;
	json_t *b;
	int ret;

	baseline_key(c, key, sizeof(key));
	*out = json_object_get(env->baselines, key);
	if (*out)
		return 0;
	s = calloc(nsamples(c), sizeof(*s));
	if (!s)
		return -ENOMEM;
	fill_request(&r, c, c->api, s);
	r.flags |= DMABENCH_RUN_NULL_TWIN;
	ret = device_run(env->fd, env->info, &r, err, len);
	if (ret) {
		free(s);
		return ret;
	}
	medians(c, s, &map, &unmap);
	free(s);
	twin_names(c->api, &tmap, &tunmap);
	b = json_pack("{s:f, s:f, s:{s:s, s:s}}", "map_cycles_per_op", map,
		      "unmap_cycles_per_op", unmap,
		      "null_twin", "map", tmap, "unmap", tunmap);
	json_object_set_new(env->baselines, key, b);
	*out = b;
	return 0;
}

static void add_figures(struct measure_env *env, json_t *cj,
			const struct cell *c, const struct dmabench_run *r,
			const struct dmabench_sample *s, json_t *base)
{
	json_t *map = json_array(), *unmap = json_array();
	double mm, um;

	for (size_t i = 0; i < nsamples(c); i++) {
		json_array_append_new(map, json_integer((json_int_t)s[i].map_cycles));
		json_array_append_new(unmap, json_integer((json_int_t)s[i].unmap_cycles));
	}
	medians(c, s, &mm, &um);
	json_object_set_new(cj, "status", json_string("ok"));
	json_object_set_new(cj, "ops", json_integer((json_int_t)r->ops));
	json_object_set_new(cj, "calls", json_integer((json_int_t)r->calls));
	json_object_set_new(cj, "map_flags", json_pack("{s:b, s:b}",
		"dma_eq_phys", !!(r->map_flags & DMABENCH_MAP_DMA_EQ_PHYS),
		"in_swiotlb", !!(r->map_flags & DMABENCH_MAP_IN_SWIOTLB)));
	json_object_set_new(cj, "map_cycles_total", json_integer((json_int_t)r->map_cycles));
	json_object_set_new(cj, "unmap_cycles_total", json_integer((json_int_t)r->unmap_cycles));
	json_object_set_new(cj, "map_cycles_per_op", json_real(mm));
	json_object_set_new(cj, "unmap_cycles_per_op", json_real(um));
	json_object_set_new(cj, "map_cycles_per_op_mean", json_real((double)r->map_cycles / r->ops));
	json_object_set_new(cj, "unmap_cycles_per_op_mean", json_real((double)r->unmap_cycles / r->ops));
	if (base) {
		double bm = json_number_value(json_object_get(base, "map_cycles_per_op"));
		double bu = json_number_value(json_object_get(base, "unmap_cycles_per_op"));

		json_object_set(cj, "baseline", base);
		json_object_set_new(cj, "map_cycles_per_op_net", json_real(mm - bm));
		json_object_set_new(cj, "unmap_cycles_per_op_net", json_real(um - bu));
		/*
		 * Under tcg-icount (shift 0) the guest's cycle counter is its
		 * instruction counter: one cycle is one instruction exactly.
		 */
		if (env->icount) {
			json_object_set_new(cj, "map_instructions_per_op_net", json_real(mm - bm));
			json_object_set_new(cj, "unmap_instructions_per_op_net", json_real(um - bu));
		}
	}
	if (env->icount) {
		json_object_set_new(cj, "map_instructions_per_op", json_real(mm));
		json_object_set_new(cj, "unmap_instructions_per_op", json_real(um));
	}
	json_object_set_new(cj, "samples", json_pack("{s:s, s:i, s:o, s:o}",
		"unit", "cycles per batch", "threads", c->threads ? (int)c->threads : 1,
		"map", map, "unmap", unmap));
}

/* Run @r once more with tracepoints counted; its cycles are discarded. */
static json_t *tracepoint_pass(struct measure_env *env, const struct cell *c,
			       const int *cpus, int ncpus)
{
	struct dmabench_sample *s = calloc(nsamples(c), sizeof(*s));
	struct counters *k = counters_open(PASS_TRACEPOINTS, cpus, ncpus);
	json_t *obj = json_object();
	struct dmabench_run r;
	char err[256];
	int ret;

	fill_request(&r, c, c->api, s);
	counters_enable(k);
	ret = s ? device_run(env->fd, env->info, &r, err, sizeof(err)) : -ENOMEM;
	counters_disable(k);
	if (!ret)
		counters_to_json(k, r.calls, obj);
	counters_close(k);
	free(s);
	return obj;
}

/*
 * The explain pass: the same request once more with DMABENCH_RUN_EXPLAIN,
 * whose markers let the explain plugin (harness/plugin/explain.c) count
 * instructions per guest PC in the measured batches' counter windows. The
 * plugin numbers its sessions in the order the requests end; the cell
 * records its session number and this pass's own counter totals, which the
 * per-function figures must add up to (dmabench explain --attach). Its
 * figures are not the cell's figures: those come from the timed pass.
 */
static json_t *explain_pass(struct measure_env *env, const struct cell *c)
{
	struct dmabench_sample *s = calloc(nsamples(c), sizeof(*s));
	struct dmabench_run r;
	char err[256];
	json_t *obj;
	int ret;

	if (env->explain < 0) {
		free(s);
		return json_pack("{s:s}", "error", "an earlier explain request failed");
	}
	fill_request(&r, c, c->api, s);
	r.flags |= DMABENCH_RUN_EXPLAIN;
	ret = s ? device_run(env->fd, env->info, &r, err, sizeof(err)) : -ENOMEM;
	free(s);
	if (ret) {
		/* Its markers may or may not have ended a session: stop here. */
		env->explain = -1;
		return json_pack("{s:s}", "error", s ? err : "out of memory");
	}
	obj = json_pack("{s:i, s:I, s:I, s:I}", "session", env->explain_sessions,
			"ops", (json_int_t)r.ops,
			"map_cycles_total", (json_int_t)r.map_cycles,
			"unmap_cycles_total", (json_int_t)r.unmap_cycles);
	env->explain_sessions++;
	return obj;
}

/* The cell's parameters as the table names them (PARAM_CELL). */
static json_t *cell_json(const struct cell *c)
{
	json_t *o = json_pack("{s:s}", "job", c->job);

	for (size_t k = 0; o && k < P_COUNT; k++) {
		const struct param *q = &params[k];
		long long v = cell_get(c, k);

		if (!(q->flags & PARAM_CELL))
			continue;
		if (q->kind == PARAM_NAME)
			json_object_set_new(o, q->name, json_string(q->name_of((uint32_t)v)));
		else if (q->kind == PARAM_BOOL)
			json_object_set_new(o, q->name, json_boolean(v));
		else
			json_object_set_new(o, q->name, json_integer(v));
	}
	return o;
}

json_t *measure_cell(struct measure_env *env, const struct cell *c,
		     int *failed)
{
	struct dmabench_sample *s = calloc(nsamples(c), sizeof(*s));
	json_t *cj = cell_json(c), *base = NULL;
	struct counters *k = NULL;
	struct dmabench_run r;
	char err[512];
	int ncpus, ret = 0;
	int *cpus = cpu_list(c, &ncpus);

	if (!s || !cj)
		return NULL;
	if (c->baseline)
		ret = baseline(env, c, &base, err, sizeof(err));
	if (!ret) {
		fill_request(&r, c, c->api, s);
		if (c->counters)
			k = counters_open(PASS_TIMED, cpus, ncpus);
		counters_enable(k);
		ret = device_run(env->fd, env->info, &r, err, sizeof(err));
		counters_disable(k);
	}
	if (!ret) {
		add_figures(env, cj, c, &r, s, base);
		if (k) {
			json_t *counts = json_object();

			counters_to_json(k, r.calls, counts);
			json_object_set_new(cj, "counters", counts);
			json_object_set_new(cj, "tracepoints",
					    tracepoint_pass(env, c, cpus, ncpus));
		}
		if (env->explain)
			json_object_set_new(cj, "explain", explain_pass(env, c));
	} else {
		/* A size the mode cannot map (swiotlb's limit) is the mode's limit. */
		int unsupported = ret == -EOPNOTSUPP || ret == -ENXIO ||
				  (ret == -E2BIG && c->size <= DMABENCH_MAX_SIZE &&
				   c->size > env->info->max_mapping_size);

		json_object_set_new(cj, "status", json_string(unsupported ? "unsupported" : "error"));
		json_object_set_new(cj, "error", json_string(err));
		if (!unsupported) {
			error_msg("[%s] %s %s %u B: %s", c->job, api_name(c->api),
				  pattern_name(c->pattern), c->size, err);
			*failed = 1;
		}
	}
	counters_close(k);
	free(cpus);
	free(s);
	return cj;
}
