// SPDX-License-Identifier: GPL-2.0
/*
 * Several runs (boots) of one kernel, mode and config into one result.
 * Each run keeps its samples and its own null baseline, so the statistics
 * can resample runs first and batches within runs; docs/results.md
 * describes the merged fields.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "params.h"
#include "results.h"
#include "stats.h"
#include "util.h"

/* What must be equal for two files to be runs of one measurement. */
static const char *const same_paths[][2] = {
	{ "system", "kernel_release" }, { "system", "kernel_version" },
	{ "system", "accel" }, { "system", "cpu_model" },
	{ "mode", "detected" }, { "config", "text" },
	{ "module", "abi_version" }, { "module", "device" },
};


static int belong_together(json_t *a, json_t *b, const char *fa, const char *fb)
{
	json_t *ca = json_object_get(a, "cells"), *cb = json_object_get(b, "cells");

	if (json_object_get(a, "runs") || json_object_get(b, "runs")) {
		error_msg("%s: already a merge of several runs: merge the single runs",
			  json_object_get(a, "runs") ? fa : fb);
		return 0;
	}
	for (size_t i = 0; i < sizeof(same_paths) / sizeof(same_paths[0]); i++) {
		json_t *x = json_object_get(json_object_get(a, same_paths[i][0]), same_paths[i][1]);
		json_t *y = json_object_get(json_object_get(b, same_paths[i][0]), same_paths[i][1]);

		if (!json_equal(x, y) && (x || y)) {
			error_msg("%s and %s differ in %s.%s: not runs of one measurement",
				  fa, fb, same_paths[i][0], same_paths[i][1]);
			return 0;
		}
	}
	if (json_array_size(ca) != json_array_size(cb)) {
		error_msg("%s and %s have %zu and %zu cells: not runs of one config", fa, fb,
			  json_array_size(ca), json_array_size(cb));
		return 0;
	}
	/* The job and every key the table records in a cell (PARAM_CELL). */
	for (size_t i = 0; i < json_array_size(ca); i++)
		for (size_t k = 0; k <= P_COUNT; k++) {
			const char *key = k == P_COUNT ? "job" : params[k].name;
			json_t *x = json_object_get(json_array_get(ca, i), key);
			json_t *y = json_object_get(json_array_get(cb, i), key);

			if (k < P_COUNT && !(params[k].flags & PARAM_CELL))
				continue;
			if (!json_equal(x, y) && (x || y)) {
				error_msg("%s and %s: cells[%zu] differ in '%s'", fa, fb, i, key);
				return 0;
			}
		}
	return 1;
}

static double numv(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* Counter or tracepoint totals summed over runs; per_op over all calls. */
static json_t *sum_counts(json_t **cells, size_t n, const char *what, double calls)
{
	json_t *first = json_object_get(cells[0], what), *out, *v;
	const char *name;

	if (!json_is_object(first))
		return json_incref(first);
	out = json_object();
	json_object_foreach(first, name, v) {
		double total = 0;
		int unavailable = 0;

		for (size_t r = 0; r < n; r++) {
			json_t *e = json_object_get(json_object_get(cells[r], what), name);

			if (!json_is_object(e))
				unavailable = 1;
			else
				total += numv(e, "total");
		}
		if (unavailable)
			json_object_set_new(out, name, json_string("unavailable"));
		else
			json_object_set_new(out, name, json_pack("{s:I, s:f}", "total",
				(json_int_t)total, "per_op", calls > 0 ? total / calls : 0.0));
	}
	return out;
}

/* Append @from's array @key (of @obj) to @to's. */
static void append(json_t *to, json_t *from, const char *key)
{
	json_array_extend(json_object_get(to, key), json_object_get(from, key));
}

static void merge_cell(json_t *out, json_t **cells, size_t n, int icount)
{
	json_t *runs = json_array(), *samples, *sizes = json_array();
	double m = 0, u = 0, bm = 0, bu = 0, ops = 0, calls = 0, mt = 0, ut = 0;
	int has_base = json_object_get(cells[0], "baseline") != NULL;

	for (size_t r = 0; r < n; r++) {
		json_t *c = cells[r], *b = json_object_get(c, "baseline");

		if (strcmp(json_str(c, "status"), "ok")) {
			char *why;

			/* one failed run fails the merged cell: no figure from the rest */
			json_object_clear(out);
			json_object_update(out, c);
			if (asprintf(&why, "run %zu: %s", r + 1, json_str(c, "error")) >= 0)
				json_object_set_new(out, "error", json_string(why));
			free(why);
			json_decref(runs);
			json_decref(sizes);
			return;
		}
		json_array_append_new(runs, json_pack("{s:f, s:f}",
			"map_cycles_per_op", numv(c, "map_cycles_per_op"),
			"unmap_cycles_per_op", numv(c, "unmap_cycles_per_op")));
		if (b)
			json_object_set(json_array_get(runs, r), "baseline", b);
		json_array_append_new(sizes, json_integer((json_int_t)json_array_size(
			json_object_get(json_object_get(c, "samples"), "map"))));
		m += numv(c, "map_cycles_per_op");
		u += numv(c, "unmap_cycles_per_op");
		bm += numv(b, "map_cycles_per_op");
		bu += numv(b, "unmap_cycles_per_op");
		ops += numv(c, "ops");
		calls += numv(c, "calls");
		mt += numv(c, "map_cycles_total");
		ut += numv(c, "unmap_cycles_total");
	}
	m /= n;
	u /= n;
	bm /= n;
	bu /= n;
	samples = json_deep_copy(json_object_get(cells[0], "samples"));
	for (size_t r = 1; r < n; r++) {
		append(samples, json_object_get(cells[r], "samples"), "map");
		append(samples, json_object_get(cells[r], "samples"), "unmap");
	}
	json_object_set_new(samples, "runs", sizes);
	json_object_set_new(out, "samples", samples);
	json_object_set_new(out, "runs", runs);
	/* The figures of the merge: the mean over runs of each run's figure. */
	json_object_set_new(out, "ops", json_integer((json_int_t)ops));
	json_object_set_new(out, "calls", json_integer((json_int_t)calls));
	json_object_set_new(out, "map_cycles_total", json_integer((json_int_t)mt));
	json_object_set_new(out, "unmap_cycles_total", json_integer((json_int_t)ut));
	json_object_set_new(out, "map_cycles_per_op", json_real(m));
	json_object_set_new(out, "unmap_cycles_per_op", json_real(u));
	json_object_set_new(out, "map_cycles_per_op_mean", json_real(ops ? mt / ops : 0));
	json_object_set_new(out, "unmap_cycles_per_op_mean", json_real(ops ? ut / ops : 0));
	if (icount)
		json_object_set_new(out, "map_instructions_per_op", json_real(m));
	if (icount)
		json_object_set_new(out, "unmap_instructions_per_op", json_real(u));
	if (has_base) {
		json_object_set_new(out, "baseline", json_pack("{s:f, s:f}",
			"map_cycles_per_op", bm, "unmap_cycles_per_op", bu));
		json_object_set_new(out, "map_cycles_per_op_net", json_real(m - bm));
		json_object_set_new(out, "unmap_cycles_per_op_net", json_real(u - bu));
		if (icount) {
			json_object_set_new(out, "map_instructions_per_op_net", json_real(m - bm));
			json_object_set_new(out, "unmap_instructions_per_op_net", json_real(u - bu));
		}
	}
	json_object_set_new(out, "counters", sum_counts(cells, n, "counters", calls));
	json_object_set_new(out, "tracepoints", sum_counts(cells, n, "tracepoints", calls));
	if (json_is_null(json_object_get(out, "counters")))
		json_object_del(out, "counters");
	if (json_is_null(json_object_get(out, "tracepoints")))
		json_object_del(out, "tracepoints");
}

/* The runs' documents, each checked against the first; NULL when not. */
static json_t **load_runs(const char *const *inputs, size_t n)
{
	json_t **docs = calloc(n, sizeof(*docs));
	char err[1024];

	if (!docs) {
		error_msg("out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		docs[i] = result_load(inputs[i], err, sizeof(err));
		if (!docs[i])
			error_msg("%s", err);
		if (!docs[i] || (i && !belong_together(docs[0], docs[i], inputs[0], inputs[i]))) {
			for (size_t k = 0; k <= i; k++)
				json_decref(docs[k]);
			free(docs);
			return NULL;
		}
	}
	return docs;
}

int merge_write(const char *const *inputs, size_t n, const char *out)
{
	json_t **docs, *merged, *runs, **cells = calloc(n, sizeof(*cells));
	char err[1024];
	int rc = 2, icount;

	if (check_writable(out)) {
		error_msg("%s: cannot write there: %s", out, strerror(errno));
		free(cells);
		return 2;
	}
	docs = cells ? load_runs(inputs, n) : NULL;
	if (!docs) {
		free(cells);
		return 2;
	}
	icount = !strcmp(json_str(json_object_get(docs[0], "system"), "accel"), "tcg-icount");
	merged = json_deep_copy(docs[0]);
	runs = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(runs, json_pack("{s:i, s:O}", "run", (int)i + 1, "created",
						      json_object_get(docs[i], "created")));
	json_object_set_new(merged, "runs", runs);
	for (size_t c = 0; c < json_array_size(json_object_get(merged, "cells")); c++) {
		for (size_t i = 0; i < n; i++)
			cells[i] = json_array_get(json_object_get(docs[i], "cells"), c);
		merge_cell(json_array_get(json_object_get(merged, "cells"), c), cells, n,
			   icount);
	}
	rc = result_write(out, merged, err, sizeof(err)) ? 2 : 0;
	if (rc)
		error_msg("%s", err);
	json_decref(merged);
	for (size_t i = 0; i < n; i++)
		json_decref(docs[i]);
	free(docs);
	free(cells);
	return rc;
}
