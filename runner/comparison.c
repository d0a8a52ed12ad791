// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "results.h"
#include "stats.h"

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

const char *comparison_accel_label(json_t *set)
{
	const char *accel = accel_of(set);

	if (!strcmp(accel, "tcg"))
		return "tcg: emulated cycles, not hardware";
	if (!strcmp(accel, "tcg-icount"))
		return "tcg-icount: 1 cycle = 1 guest instruction";
	return accel;
}

const char *comparison_unit(const struct comparison *c)
{
	return c->icount ? "guest instructions per op" : "cycles per op";
}

/* Cells of one shape: everything but the API and the mode. */
static int same_shape(json_t *a, json_t *b)
{
	static const char *const s[] = { "job", "pattern", "dir", "attrs" };
	static const char *const n[] = { "size", "offset", "batch", "threads",
					 "nents", "pool" };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (strcmp(json_str(a, s[i]), json_str(b, s[i])))
			return 0;
	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		if (num(a, n[i]) != num(b, n[i]))
			return 0;
	return 1;
}

static int same_cell(json_t *a, json_t *b)
{
	return same_shape(a, b) && !strcmp(json_str(a, "api"), json_str(b, "api"));
}

static json_t *find_cell(json_t *set, const char *mode, json_t *cell)
{
	size_t i, j;
	json_t *doc, *c;

	json_array_foreach(set, i, doc) {
		if (strcmp(json_str(json_object_get(doc, "mode"), "detected"), mode))
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

/* The null-loop figure to subtract; none for the null API itself. */
static double base_of(json_t *cell, const char *op, double scale)
{
	char key[32];

	if (!strcmp(json_str(cell, "api"), "null"))
		return 0;
	snprintf(key, sizeof(key), "%s_cycles_per_op", op);
	return json_number_value(json_object_get(json_object_get(cell, "baseline"), key)) * scale;
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

/*
 * Lazy mode's cost comes in bursts: the flush queue drains about once per
 * 256 unmaps, so the median of batches leaves the drains out. There the
 * figure is amortized: all cycles over all ops of the measured batches.
 */
int comparison_amortized(const char *mode)
{
	return !strcmp(mode, "lazy");
}

static void side(json_t *cell, const char *op, double scale, char *buf,
		 size_t len, double *fig, double **v, size_t *n, double *base,
		 int amortized)
{
	*fig = NAN;
	*v = NULL;
	*n = 0;
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
	*v = per_op(cell, op, scale, n);
	*base = base_of(cell, op, scale);
	*fig = *v ? (amortized ? mean(*v, *n) : median(*v, *n)) - *base : NAN;
	snprintf(buf, len, "%.1f", *fig);
}

static void add_row(struct comparison *c, const char *mode, json_t *key,
		    json_t *b, json_t *a, const char *op, int group)
{
	struct row *r = &c->rows[c->nrows++];
	double sb = scale_of(c->before, c->icount), sa = scale_of(c->after, c->icount);
	double *vb, *va, bb = 0, ba = 0;
	size_t nb, na;

	memset(r, 0, sizeof(*r));
	r->mode = mode;
	r->cell = key;
	r->bcell = b;
	r->acell = a;
	r->op = op;
	r->group = group;
	r->change = r->lo = r->hi = NAN;
	r->amortized = c->amortize && comparison_amortized(mode);
	side(b, op, sb, r->before, sizeof(r->before), &r->b, &vb, &nb, &bb, r->amortized);
	side(a, op, sa, r->after, sizeof(r->after), &r->a, &va, &na, &ba, r->amortized);
	r->noise_b = vb ? noise_pct(vb, nb) : NAN;
	r->noise_a = va ? noise_pct(va, na) : NAN;
	if (vb && va && fabs(r->b) >= 1) {
		r->change = 100.0 * (r->a - r->b) / fabs(r->b);
		if (!(r->amortized ? bootstrap_mean_change_ci : bootstrap_change_ci)(
			    vb, nb, bb, va, na, ba, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED,
			    &r->lo, &r->hi))
			r->significant = r->lo > 0 || r->hi < 0;
	}
	free(vb);
	free(va);
}

static int group_of(struct comparison *c, json_t *cell)
{
	char line[80];

	shape_line(cell, line, sizeof(line));
	for (size_t i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i], line))
			return (int)i;
	snprintf(c->groups[c->ngroups], sizeof(c->groups[0]), "%s", line);
	return (int)c->ngroups++;
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
	/* Shapes in order of first appearance, the after side first. */
	json_array_foreach(c->after, i, doc)
		json_array_foreach(json_object_get(doc, "cells"), j, cell)
			group_of(c, cell);
	json_array_foreach(c->before, i, doc)
		json_array_foreach(json_object_get(doc, "cells"), j, cell)
			group_of(c, cell);

	for (g = 0; g < c->ngroups; g++)
	for (size_t m = 0; m < sizeof(mode_order) / sizeof(mode_order[0]); m++) {
		const char *mode = mode_order[m];

		json_array_foreach(c->after, i, doc) {
			if (strcmp(json_str(json_object_get(doc, "mode"), "detected"), mode))
				continue;
			json_array_foreach(json_object_get(doc, "cells"), j, cell) {
				json_t *b;

				if (group_of(c, cell) != (int)g)
					continue;
				b = find_cell(c->before, mode, cell);
				add_row(c, mode, cell, b, cell, "map", g);
				add_row(c, mode, cell, b, cell, "unmap", g);
			}
		}
		json_array_foreach(c->before, i, doc) {
			if (strcmp(json_str(json_object_get(doc, "mode"), "detected"), mode))
				continue;
			json_array_foreach(json_object_get(doc, "cells"), j, cell) {
				if (group_of(c, cell) != (int)g || find_cell(c->after, mode, cell))
					continue;
				add_row(c, mode, cell, cell, NULL, "map", g);
				add_row(c, mode, cell, cell, NULL, "unmap", g);
			}
		}
	}
}

int comparison_load(struct comparison *c, const char *before,
		    const char *after, char *err, size_t len)
{
	return comparison_load_stat(c, before, after, 1, err, len);
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
		fprintf(f, "%-7s %-9s %-5s %7s %7s %7s %-13s %1s %s\n", r->mode,
			json_str(r->cell, "api"), r->op, r->before, r->after, ch, ci,
			r->significant ? "*" : "", noise);
	}
}

double *comparison_values(json_t *cell, const char *op, size_t *n)
{
	double *v = per_op(cell, op, 1.0, n), base = base_of(cell, op, 1.0);

	for (size_t i = 0; v && i < *n; i++)
		v[i] -= base;
	return v;
}
