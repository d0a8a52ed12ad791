// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "names.h"
#include "params.h"
#include "results.h"
#include "stats.h"
#include "util.h"

static const char *const mode_order[] = { "direct", "passthrough", "strict",
					  "lazy", "swiotlb", "unknown" };

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static const char *accel_of(json_t *set)
{
	return json_str(json_object_get(json_array_get(set, 0), "system"), "accel");
}

/*
 * The accel and what a cycle is under it; a counter other than x86's TSC
 * is named (arm64: pmccntr_el0, or cntvct_el0 without a PMU).
 */
const char *comparison_accel_label(json_t *set)
{
	static char buf[128];
	const char *accel = accel_of(set), *what = accel;
	const char *counter = json_str(json_object_get(json_array_get(set, 0), "module"),
				       "counter");

	int tsc = !strcmp(counter, "?") || !strcmp(counter, "rdtsc_ordered");

	/* short enough for "before: KERNEL (LABEL)" in 72 columns */
	if (!strcmp(accel, "tcg"))
		what = tsc ? "tcg: emulated cycles, not hardware" : "tcg: emulated cycles";
	else if (!strcmp(accel, "tcg-icount") && (tsc || !strcmp(counter, "pmccntr_el0")))
		return tsc ? "tcg-icount: 1 cycle = 1 guest instruction" :
			     "tcg-icount: pmccntr_el0 = instructions";
	if (tsc)
		return what;
	snprintf(buf, sizeof(buf), "%s, %s", what, counter);
	return buf;
}

const char *comparison_unit(const struct comparison *c)
{
	return c->icount ? "guest instructions per op" : "cycles per op";
}

/* Cells of one shape: the job and the table's PARAM_SHAPE keys. */
static int same_shape(json_t *a, json_t *b)
{
	if (strcmp(json_str(a, "job"), json_str(b, "job")))
		return 0;
	for (size_t k = 0; k < P_COUNT; k++)
		if ((params[k].flags & PARAM_SHAPE) &&
		    !json_equal(json_object_get(a, params[k].name), json_object_get(b, params[k].name)))
			return 0;
	return 1;
}

static int same_cell(json_t *a, json_t *b)
{
	return same_shape(a, b) && !strcmp(json_str(a, "api"), json_str(b, "api"));
}

/* The IOMMU that tells @doc's rows apart, when the sets hold several. */
static const char *doc_iommu(const struct comparison *c, json_t *doc)
{
	return c->several_iommus ? result_iommu(doc) : NULL;
}

static json_t *find_cell(const struct comparison *cmp, json_t *set, const char *mode,
			 const char *iommu, json_t *cell)
{
	size_t i, j;
	json_t *doc, *c;

	json_array_foreach(set, i, doc) {
		if (strcmp(json_str(json_object_get(doc, "mode"), "detected"), mode) ||
		    !same_iommu(doc_iommu(cmp, doc), iommu))
			continue;
		json_array_foreach(json_object_get(doc, "cells"), j, c)
			if (same_cell(c, cell))
				return c;
	}
	return NULL;
}

static void human_size(json_int_t n, char *buf, size_t len)
{
	if (n >= (1 << 20) && !(n % (1 << 20)))
		snprintf(buf, len, "%lldM", (long long)(n >> 20));
	else if (n >= 1024 && !(n % 1024))
		snprintf(buf, len, "%lldK", (long long)(n >> 10));
	else
		snprintf(buf, len, "%lld", (long long)n);
}

static void shape_line(json_t *cell, char *buf, size_t len)
{
	char sz[24];

	human_size(num(cell, "size"), sz, sizeof(sz));
	snprintf(buf, len, "[%s] %s, %s%s, %s, batch %lld%s%s",
		 json_str(cell, "job"), json_str(cell, "pattern"), sz,
		 num(cell, "offset") ? " at an offset" : "", json_str(cell, "dir"),
		 (long long)num(cell, "batch"),
		 num(cell, "threads") > 1 ? ", threads" : "",
		 strcmp(json_str(cell, "attrs"), "none") ? ", attrs" : "");
}

/* Per-op figures of every sample of @cell for @op, in the display unit. */
static double *per_op(json_t *cell, const char *op, double scale, size_t *n)
{
	char key[16];
	json_t *arr;
	double *v, batch = (double)num(cell, "batch");

	snprintf(key, sizeof(key), "%s", op);
	arr = json_object_get(json_object_get(cell, "samples"), key);
	*n = json_array_size(arr);
	v = *n ? malloc(*n * sizeof(*v)) : NULL;
	for (size_t i = 0; v && i < *n; i++)
		v[i] = (double)json_integer_value(json_array_get(arr, i)) / batch * scale;
	return v;
}

/*
 * Under tcg-icount the guest TSC counts instructions one for one (QEMU
 * derives it from the instruction counter with shift 0), so cycles need
 * no conversion; the guest's calibrated rate is only approximately 1 GHz.
 */
static double scale_of(json_t *set, int icount)
{
	(void)set;
	(void)icount;
	return 1.0;
}

void comparison_row_mode(const struct row *r, char *buf, size_t len)
{
	if (r->iommu)
		snprintf(buf, len, "%s-%s", r->iommu, r->mode);
	else
		snprintf(buf, len, "%s", r->mode);
}

/*
 * Lazy mode's cost comes in bursts: the flush queue drains about once per
 * 256 unmaps, so the median of batches leaves the drains out. There the
 * figure is amortized: all cycles over all ops of the measured batches.
 */
int comparison_amortized(const char *mode)
{
	return !strcmp(mode, "lazy");
}

/* One side's samples of a cell, net of their run's baseline, by run. */
struct side_values {
	double *v;
	size_t *sizes;
	double *bases;		/* each run's baseline */
	struct runs_sample s;
};

static void side_values_free(struct side_values *sv)
{
	free(sv->v);
	free(sv->sizes);
	free(sv->bases);
	memset(sv, 0, sizeof(*sv));
}

static int net_values(json_t *cell, const char *op, double scale, struct side_values *sv)
{
	json_t *runs = json_object_get(cell, "runs");
	json_t *sizes = json_object_get(json_object_get(cell, "samples"), "runs");
	int null_api = !strcmp(json_str(cell, "api"), "null");
	size_t n, k = json_is_array(runs) ? json_array_size(runs) : 1, at = 0;
	char key[32];

	memset(sv, 0, sizeof(*sv));
	sv->v = per_op(cell, op, scale, &n);
	sv->sizes = calloc(k, sizeof(*sv->sizes));
	sv->bases = calloc(k, sizeof(*sv->bases));
	if (!sv->v || !sv->sizes || !sv->bases || !n)
		goto fail;
	snprintf(key, sizeof(key), "%s_cycles_per_op", op);
	for (size_t r = 0; r < k; r++) {
		json_t *run = json_is_array(runs) ? json_array_get(runs, r) : cell;
		double base = null_api ? 0 :
			json_number_value(json_object_get(json_object_get(run, "baseline"), key)) * scale;

		sv->sizes[r] = json_is_array(runs) ?
			(size_t)json_integer_value(json_array_get(sizes, r)) : n;
		/* the loader checked the counts; a hand-made cell is refused here */
		if (!sv->sizes[r] || sv->sizes[r] > n - at)
			goto fail;
		for (size_t i = at; i < at + sv->sizes[r]; i++)
			sv->v[i] -= base;
		sv->bases[r] = base;
		at += sv->sizes[r];
	}
	if (at != n)
		goto fail;
	sv->s = (struct runs_sample){ sv->v, sv->sizes, k };
	return 0;
fail:
	side_values_free(sv);
	return -1;
}

double comparison_cell_figure(json_t *cell, const char *mode, const char *op)
{
	struct side_values sv;
	double fig;

	if (strcmp(json_str(cell, "status"), "ok") || net_values(cell, op, 1.0, &sv))
		return NAN;
	fig = runs_figure(&sv.s, comparison_amortized(mode));
	side_values_free(&sv);
	return fig;
}

/*
 * Noise within a run: interquartile range over the median of the raw
 * figures (baseline included), averaged over runs.
 */
static double within_pct(const struct side_values *sv)
{
	const double *v = sv->v;
	double sum = 0;

	for (size_t r = 0; r < sv->s.nruns; v += sv->sizes[r], r++) {
		double *raw = malloc(sv->sizes[r] * sizeof(*raw));

		if (!raw)
			return NAN;
		for (size_t i = 0; i < sv->sizes[r]; i++)
			raw[i] = v[i] + sv->bases[r];
		sum += noise_pct(raw, sv->sizes[r]);
		free(raw);
	}
	return sv->s.nruns ? sum / (double)sv->s.nruns : NAN;
}

static void side(json_t *cell, const char *op, double scale, char *buf,
		 size_t len, double *fig, struct side_values *sv, int amortized)
{
	*fig = NAN;
	memset(sv, 0, sizeof(*sv));
	if (!cell) {
		snprintf(buf, len, "-");
		return;
	}
	if (!strcmp(json_str(cell, "status"), "unsupported")) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (strcmp(json_str(cell, "status"), "ok")) {
		snprintf(buf, len, "error");
		return;
	}
	if (!net_values(cell, op, scale, sv))
		*fig = runs_figure(&sv->s, amortized);
	snprintf(buf, len, "%.1f", *fig);
}

/*
 * With several runs a side, the interval is also Welch's over the run
 * figures, and the wider of the two is kept: three boots are too few for a
 * bootstrap over runs to see how far the next boot may land.
 */
static void widen_by_runs(struct row *r, const struct runs_sample *b,
			  const struct runs_sample *a)
{
	double *fb, *fa, lo, hi;

	if (b->nruns < 2 || a->nruns < 2)
		return;
	fb = malloc(b->nruns * sizeof(*fb));
	fa = malloc(a->nruns * sizeof(*fa));
	if (fb && fa) {
		runs_figures(b, r->amortized, fb);
		runs_figures(a, r->amortized, fa);
		if (!welch_change_ci(fb, b->nruns, fa, a->nruns, &lo, &hi)) {
			r->lo = lo < r->lo ? lo : r->lo;
			r->hi = hi > r->hi ? hi : r->hi;
		}
	}
	free(fb);
	free(fa);
}

static void add_row(struct comparison *c, const char *mode, const char *iommu,
		    json_t *key, json_t *b, json_t *a, const char *op, int group)
{
	struct row *r = &c->rows[c->nrows++];
	double sb = scale_of(c->before, c->icount), sa = scale_of(c->after, c->icount);
	struct side_values vb, va;

	memset(r, 0, sizeof(*r));
	r->mode = mode;
	r->iommu = iommu;
	r->cell = key;
	r->bcell = b;
	r->acell = a;
	r->op = op;
	r->group = group;
	r->change = r->lo = r->hi = NAN;
	r->amortized = c->amortize && comparison_amortized(mode);
	side(b, op, sb, r->before, sizeof(r->before), &r->b, &vb, r->amortized);
	side(a, op, sa, r->after, sizeof(r->after), &r->a, &va, r->amortized);
	r->runs_b = vb.s.nruns;
	r->runs_a = va.s.nruns;
	r->noise_b = vb.v ? within_pct(&vb) : NAN;
	r->noise_a = va.v ? within_pct(&va) : NAN;
	r->between_b = vb.v ? runs_between_pct(&vb.s, r->amortized) : NAN;
	r->between_a = va.v ? runs_between_pct(&va.s, r->amortized) : NAN;
	if (vb.v && va.v && fabs(r->b) >= 1) {
		r->change = 100.0 * (r->a - r->b) / fabs(r->b);
		if (!bootstrap_runs_change_ci(&vb.s, &va.s, r->amortized, BOOTSTRAP_RESAMPLES,
					      BOOTSTRAP_SEED, &r->lo, &r->hi)) {
			widen_by_runs(r, &vb.s, &va.s);
			r->significant = r->lo > 0 || r->hi < 0;
		}
		/* one boot of a machine whose boots differ: its noise is unknown */
		if (!c->icount && (r->runs_b < 2 || r->runs_a < 2))
			r->significant = 0;
		/*
		 * Under icount an IOMMU's strict and lazy paths still move a
		 * little from boot to boot (the IOVA allocator's and the
		 * device's state: up to 0.34 % seen, docs/measurements.md);
		 * with one boot a side, a change within the floor is not
		 * starred.
		 */
		if (c->icount && (r->runs_b < 2 || r->runs_a < 2) &&
		    (!strcmp(mode, "strict") || !strcmp(mode, "lazy")) &&
		    fabs(r->change) < ICOUNT_IOMMU_FLOOR_PCT)
			r->significant = 0;
	}
	side_values_free(&vb);
	side_values_free(&va);
}

/*
 * A group's header: the cell's shape, after its IOMMU's name when the sets
 * hold several (first: the 72-column table cuts the line's end).
 */
static void group_line(json_t *cell, const char *iommu, char *buf, size_t len)
{
	char shape[80];

	shape_line(cell, shape, sizeof(shape));
	/* cut at @len: the table prints 72 columns of it */
	if (snprintf(buf, len, "%s%s%s", iommu ? iommu_title(iommu) : "", iommu ? ": " : "",
		     shape) >= (int)len)
		buf[len - 1] = '\0';
}

/* The group of (@cell's shape, @iommu), added when @add and new; or -1. */
static int find_group(struct comparison *c, json_t *cell, const char *iommu, int add)
{
	char line[sizeof(c->groups[0])];

	group_line(cell, iommu, line, sizeof(line));
	for (size_t i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i], line))
			return (int)i;
	if (!add)
		return -1;
	memcpy(c->groups[c->ngroups], line, sizeof(line));
	return (int)c->ngroups++;
}

static int group_of(struct comparison *c, json_t *cell, const char *iommu)
{
	return find_group(c, cell, iommu, 0);
}

/* Shapes in order of first appearance, the after side first; each shape
 * without an IOMMU, then on each IOMMU in --iommu's order. */
static void make_groups(struct comparison *c)
{
	json_t *sets[2] = { c->after, c->before }, *doc, *cell, *d2, *c2;
	size_t i, j, i2, j2;

	for (int s = 0; s < 2; s++)
		json_array_foreach(sets[s], i, doc)
			json_array_foreach(json_object_get(doc, "cells"), j, cell) {
				if (find_group(c, cell, doc_iommu(c, doc), 0) >= 0)
					continue;
				/* a new shape (or IOMMU): every IOMMU's group of it, in order */
				for (size_t o = 0; o < IOMMU_ORDER_COUNT; o++)
					for (int s2 = 0; s2 < 2; s2++)
						json_array_foreach(sets[s2], i2, d2) {
							if (!same_iommu(doc_iommu(c, d2), iommu_order[o]))
								continue;
							json_array_foreach(json_object_get(d2, "cells"), j2, c2)
								if (same_shape(c2, cell))
									find_group(c, c2, iommu_order[o], 1);
						}
			}
}

static size_t count_cells(json_t *set)
{
	size_t i, n = 0;
	json_t *doc;

	json_array_foreach(set, i, doc)
		n += json_array_size(json_object_get(doc, "cells"));
	return n;
}

static void build(struct comparison *c)
{
	size_t cap = count_cells(c->before) + count_cells(c->after);
	size_t i, j, g;
	json_t *doc, *cell;

	c->rows = calloc(2 * cap + 1, sizeof(*c->rows));
	c->groups = calloc(cap + 1, sizeof(*c->groups));
	c->several_iommus = result_sets_several_iommus(c->before, c->after);
	make_groups(c);

	for (g = 0; g < c->ngroups; g++)
	for (size_t m = 0; m < sizeof(mode_order) / sizeof(mode_order[0]); m++) {
		const char *mode = mode_order[m];

		json_array_foreach(c->after, i, doc) {
			const char *iommu = doc_iommu(c, doc);

			if (strcmp(json_str(json_object_get(doc, "mode"), "detected"), mode))
				continue;
			json_array_foreach(json_object_get(doc, "cells"), j, cell) {
				json_t *b;

				if (group_of(c, cell, iommu) != (int)g)
					continue;
				b = find_cell(c, c->before, mode, iommu, cell);
				add_row(c, mode, iommu, cell, b, cell, "map", g);
				add_row(c, mode, iommu, cell, b, cell, "unmap", g);
			}
		}
		json_array_foreach(c->before, i, doc) {
			const char *iommu = doc_iommu(c, doc);

			if (strcmp(json_str(json_object_get(doc, "mode"), "detected"), mode))
				continue;
			json_array_foreach(json_object_get(doc, "cells"), j, cell) {
				if (group_of(c, cell, iommu) != (int)g ||
				    find_cell(c, c->after, mode, iommu, cell))
					continue;
				add_row(c, mode, iommu, cell, cell, NULL, "map", g);
				add_row(c, mode, iommu, cell, cell, NULL, "unmap", g);
			}
		}
	}
}

int comparison_load(struct comparison *c, const char *before,
		    const char *after, char *err, size_t len)
{
	return comparison_load_stat(c, before, after, 1, err, len);
}

/*
 * A side is one kernel under one accel: its files' figures are then of
 * one kind, and the side's name (its first file's kernel) is true of all.
 * Returns 0, or -1 with the first file that differs in @err.
 */
static int side_uniform(json_t *set, char *err, size_t len)
{
	json_t *first = json_object_get(json_array_get(set, 0), "system"), *doc;
	static const char *const keys[] = { "kernel_release", "accel" };
	size_t i;

	json_array_foreach(set, i, doc) {
		json_t *sys = json_object_get(doc, "system");

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			if (!strcmp(json_str(sys, keys[k]), json_str(first, keys[k])))
				continue;
			snprintf(err, len, "its files mix %ss (%s, %s): a side is one kernel under one accel",
				 !strcmp(keys[k], "accel") ? "accel" : "kernel",
				 json_str(first, keys[k]), json_str(sys, keys[k]));
			return -1;
		}
	}
	return 0;
}

/* Either side mixed: the reason in @err, both sets dropped. */
static int refuse_mixed_side(struct comparison *c, char *e, size_t elen,
			     char *err, size_t len)
{
	const char *which = "before";

	if (!side_uniform(c->before, e, elen)) {
		which = "after";
		if (!side_uniform(c->after, e, elen))
			return 0;
	}
	snprintf(err, len, "%s: %s", which, e);
	json_decref(c->before);
	json_decref(c->after);
	c->before = c->after = NULL;
	return -1;
}

/* @set's document of the mode @requested on the same IOMMU device as @like. */
static json_t *doc_of_mode(json_t *set, const char *requested, json_t *like)
{
	const char *iommu = json_string_value(json_object_get(json_object_get(like, "machine"),
							      "iommu"));
	json_t *doc;
	size_t i;

	json_array_foreach(set, i, doc) {
		const char *its = json_string_value(json_object_get(json_object_get(doc, "machine"),
								    "iommu"));

		if (!strcmp(json_str(json_object_get(doc, "mode"), "requested"), requested) &&
		    same_iommu(its, iommu))
			return doc;
	}
	return NULL;
}

/*
 * Do the two sides answer one question? One accel (the figures' unit),
 * one config, and each mode detected alike where both sides have it.
 * Every view refuses what is not, with this reason.
 */
static int comparable(const struct comparison *c, char *err, size_t len)
{
	json_t *b0 = json_array_get(c->before, 0), *a0 = json_array_get(c->after, 0), *doc;
	const char *ab = json_str(json_object_get(b0, "system"), "accel");
	const char *aa = json_str(json_object_get(a0, "system"), "accel");
	size_t i;

	if (strcmp(ab, aa)) {
		snprintf(err, len, "before ran under %s, after under %s: figures of two accels are not comparable",
			 ab, aa);
		return -1;
	}
	json_array_foreach(c->after, i, doc) {
		const char *requested = json_str(json_object_get(doc, "mode"), "requested");
		json_t *other = doc_of_mode(c->before, requested, doc);

		if (!json_equal(json_object_get(json_object_get(doc, "config"), "text"),
				json_object_get(json_object_get(b0, "config"), "text"))) {
			snprintf(err, len, "the two sides measured different configs (%s, %s): their rows do not answer the same question",
				 json_str(json_object_get(b0, "config"), "path"),
				 json_str(json_object_get(doc, "config"), "path"));
			return -1;
		}
		if (other && strcmp(requested, "any") &&
		    strcmp(json_str(json_object_get(doc, "mode"), "detected"),
			   json_str(json_object_get(other, "mode"), "detected"))) {
			snprintf(err, len, "mode %s was detected as %s before and %s after: not the same machine",
				 requested, json_str(json_object_get(other, "mode"), "detected"),
				 json_str(json_object_get(doc, "mode"), "detected"));
			return -1;
		}
	}
	return 0;
}

int comparison_load_stat(struct comparison *c, const char *before,
			 const char *after, int amortize, char *err, size_t len)
{
	char e[1024];

	memset(c, 0, sizeof(*c));
	c->amortize = amortize;
	c->before = result_load_set(before, e, sizeof(e));
	if (!c->before) {
		snprintf(err, len, "before: %s", e);
		return -1;
	}
	c->after = result_load_set(after, e, sizeof(e));
	if (!c->after) {
		snprintf(err, len, "after: %s", e);
		json_decref(c->before);
		return -1;
	}
	if (refuse_mixed_side(c, e, sizeof(e), err, len))
		return -1;
	if (comparable(c, err, len)) {
		json_decref(c->before);
		json_decref(c->after);
		c->before = c->after = NULL;
		return -1;
	}
	c->icount = !strcmp(accel_of(c->before), "tcg-icount") &&
		    !strcmp(accel_of(c->after), "tcg-icount");
	build(c);
	return 0;
}

void comparison_free(struct comparison *c)
{
	json_decref(c->before);
	json_decref(c->after);
	free(c->rows);
	free(c->groups);
	memset(c, 0, sizeof(*c));
}

static void fmt_pct(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) < 0.05)
		snprintf(buf, len, "0.0");
	else
		snprintf(buf, len, fabs(v) >= 100 ? "%+.0f" : "%+.1f", v);
}

static void fmt_noise(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, v >= 10 ? "%.0f" : "%.1f", v);
}

static void print_between(const struct comparison *c, FILE *f);

void comparison_print_table(const struct comparison *c, FILE *f)
{
	int group = -1;

	fprintf(f, "%-7s %-9s %-5s %7s %7s %7s %-13s %1s %s\n", "mode", "api",
		"op", "before", "after", "change", "95% CI", "", "noise%");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		char ch[16], pct[sizeof(ch) - 1], lo[16], hi[16], ci[48] = "-", nb[8], na[8], noise[20];

		if (r->group != group) {
			group = r->group;
			fprintf(f, "%.72s\n", c->groups[group]);
		}
		/* The sign in the same bounded write: a huge change truncates. */
		fmt_pct(r->change, pct, sizeof(pct));
		snprintf(ch, sizeof(ch), "%s%s", pct, isnan(r->change) ? "" : "%");
		if (!isnan(r->lo)) {
			fmt_pct(r->lo, lo, sizeof(lo));
			fmt_pct(r->hi, hi, sizeof(hi));
			snprintf(ci, sizeof(ci), "[%s,%s]", lo, hi);
		}
		fmt_noise(r->noise_b, nb, sizeof(nb));
		fmt_noise(r->noise_a, na, sizeof(na));
		snprintf(noise, sizeof(noise), "%s/%s", nb, na);
		fprintf(f, "%-7s %-9s %-5s %7s %7s %7s %-13s %1s %s\n", mode_column(r->mode),
			json_str(r->cell, "api"), r->op, r->before, r->after, ch, ci,
			r->significant ? "*" : "", noise);
	}
	print_between(c, f);
}

size_t comparison_runs(json_t *set)
{
	size_t i, fewest = 0;
	json_t *doc;

	json_array_foreach(set, i, doc) {
		json_t *runs = json_object_get(doc, "runs");
		size_t n = json_is_array(runs) ? json_array_size(runs) : 1;

		fewest = !i || n < fewest ? n : fewest;
	}
	return fewest;
}

/* Between-run noise per row, once either side has several runs. */
static void print_between(const struct comparison *c, FILE *f)
{
	int group = -1, any = 0;

	for (size_t i = 0; i < c->nrows; i++)
		any |= c->rows[i].runs_b > 1 || c->rows[i].runs_a > 1;
	if (!any)
		return;
	fprintf(f, "\nnoise between runs: (largest - smallest run) / figure, %%;\n"
		"within one run: as in the table above\n");
	fprintf(f, "%-7s %-9s %-5s %5s %9s %9s\n", "mode", "api", "op", "runs",
		"before%", "after%");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		char nb[16], na[16], runs[40];

		if (r->group != group) {
			group = r->group;
			fprintf(f, "%.72s\n", c->groups[group]);
		}
		snprintf(nb, sizeof(nb), "%zu", r->runs_b);
		snprintf(na, sizeof(na), "%zu", r->runs_a);
		snprintf(runs, sizeof(runs), "%s/%s", r->runs_b ? nb : "-", r->runs_a ? na : "-");
		fmt_noise(r->between_b, nb, sizeof(nb));
		fmt_noise(r->between_a, na, sizeof(na));
		fprintf(f, "%-7s %-9s %-5s %5s %9s %9s\n", mode_column(r->mode), json_str(r->cell, "api"),
			r->op, runs, nb, na);
	}
}

double *comparison_values(json_t *cell, const char *op, size_t *n)
{
	struct side_values sv;
	double *v;

	*n = 0;
	if (net_values(cell, op, 1.0, &sv))
		return NULL;
	v = sv.v;
	for (size_t r = 0; r < sv.s.nruns; r++)
		*n += sv.sizes[r];
	free(sv.sizes);
	free(sv.bases);
	return v;
}

/* The row of @api and @op in @mode's cell shape @group, or NULL. */
static const struct row *api_row(const struct comparison *c, const char *mode,
				 int group, const char *api, const char *op)
{
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		if (r->group == group && !strcmp(r->mode, mode) && !strcmp(r->op, op) &&
		    !strcmp(json_str(r->cell, "api"), api))
			return r;
	}
	return NULL;
}

static double median_net(json_t *cell, const char *op)
{
	size_t n;
	double *v = comparison_values(cell, op, &n), m = v ? median(v, n) : NAN;

	free(v);
	return m;
}

/*
 * Medians even where rows are amortized: the gap is the path's own cost,
 * which lazy mode's flush-queue drains would otherwise drown.
 */
double comparison_page_phys_gap(const struct comparison *c, const char *mode,
				int group, const char *op, int after)
{
	const struct row *p = api_row(c, mode, group, "page", op);
	const struct row *x = api_row(c, mode, group, "phys", op);

	if (!p || !x || isnan(after ? p->a : p->b) || isnan(after ? x->a : x->b))
		return NAN;
	return median_net(after ? p->acell : p->bcell, op) -
	       median_net(after ? x->acell : x->bcell, op);
}

void comparison_change_label(const struct row *r, char *buf, size_t len)
{
	char pct[16];

	if (isnan(r->change)) {
		snprintf(buf, len, "n/a");
		return;
	}
	fmt_pct(r->change, pct, sizeof(pct));
	snprintf(buf, len, "%s%%%s", pct, r->significant ? "*" : "");
}

/* "label: release (accel)", and the commit or image when not Debian's. */
static void side_header(FILE *f, const char *label, json_t *set)
{
	json_t *doc = json_array_get(set, 0), *src = json_object_get(doc, "kernel_source");
	const char *provider = json_str(src, "provider");
	char line[256];

	fprintf(f, "%-7s %s (%s)\n", label,
		json_str(json_object_get(doc, "system"), "kernel_release"),
		comparison_accel_label(set));
	if (!strcmp(provider, "git"))
		snprintf(line, sizeof(line), "%-7s git %.12s %s", "", json_str(src, "commit"),
			 json_str(src, "describe"));
	else if (!strcmp(provider, "prebuilt"))
		snprintf(line, sizeof(line), "%-7s prebuilt %s", "", json_str(src, "image"));
	else
		return;
	fprintf(f, "%.72s\n", line);
}

/*
 * Runs behind each side, and what one run on a machine whose boots differ
 * cannot say.
 */
static void print_runs_note(const struct comparison *c, FILE *f)
{
	size_t rb = comparison_runs(c->before), ra = comparison_runs(c->after);

	if (rb > 1 || ra > 1)
		fprintf(f, "runs:   %zu before, %zu after (boots; the interval resamples\n"
			"        runs, then batches within them)\n", rb, ra);
	if (!c->icount && (rb < 2 || ra < 2))
		fprintf(f, "one run on a side whose boots differ: no row is starred, the\n"
			"noise between boots is unknown (measure with --runs 3)\n");
}

void comparison_print_header(const struct comparison *c, FILE *f)
{
	int lazy = 0;

	for (size_t i = 0; i < c->nrows && !lazy; i++)
		lazy = c->rows[i].amortized;
	fprintf(f, "%s: median of batches, net of the null twins\n"
		"('null' rows: the empty loop itself)\n", comparison_unit(c));
	if (lazy)
		fprintf(f, "lazy: amortized, all cycles over all ops, so the flush\n"
			"queue's drains (about one per 256 unmaps) are counted\n");
	side_header(f, "before:", c->before);
	side_header(f, "after:", c->after);
	print_runs_note(c, f);
}

int comparison_write(const char *before, const char *after, const char *out)
{
	struct comparison c;
	char err[1024], *text = NULL;
	size_t size = 0;
	FILE *f;
	int ret;

	if (comparison_load(&c, before, after, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	f = open_memstream(&text, &size);
	if (!f) {
		comparison_free(&c);
		error_msg("out of memory");
		return 2;
	}
	comparison_print_header(&c, f);
	fprintf(f, "\n");
	comparison_print_table(&c, f);
	fclose(f);
	comparison_free(&c);
	ret = emit_plain_text(out, text, size) ? 2 : 0;
	free(text);
	return ret;
}
