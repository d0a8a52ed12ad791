// SPDX-License-Identifier: GPL-2.0
/*
 * A result set as CSV for spreadsheets, or in hyperfine's JSON layout (one
 * entry per cell and operation, times in seconds per op) so that tooling
 * written for hyperfine can read dmabench results. See export.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "export.h"
#include "params.h"
#include "results.h"
#include "stats.h"
#include "util.h"

/*
 * One CSV field, quoted per RFC 4180 when it holds a comma, a double
 * quote, CR or LF: job names and kernel releases come from result files.
 * A field a spreadsheet would run as a formula (=, +, -, @, tab, CR
 * first) gets a leading quote, as OWASP's CSV injection advice says.
 */
static void csv_text(FILE *f, const char *s, int first)
{
	int formula = *s && strchr("=+-@\t\r", *s);

	if (!first)
		fputc(',', f);
	if (!strpbrk(s, ",\"\r\n")) {
		if (formula)
			fputc('\'', f);
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_num(FILE *f, json_t *v)
{
	if (json_is_integer(v))
		fprintf(f, ",%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		fprintf(f, ",%.4f", json_number_value(v));
	else
		fputc(',', f);
}

/* A cell's value of key @q: text for names, a number for the rest. */
static void csv_param(FILE *f, json_t *cell, const struct param *q)
{
	json_t *v = json_object_get(cell, q->name);

	if (json_is_boolean(v))
		fprintf(f, ",%s", json_is_true(v) ? "yes" : "no");
	else if (q->kind == PARAM_NAME || q->kind == PARAM_TEXT)
		csv_text(f, json_str(cell, q->name), 0);
	else
		csv_num(f, v);
}

/*
 * The figures compare gives the cell, computed by the comparison library,
 * with their unit and statistic by name: the columns a spreadsheet should
 * chart (the raw columns before them are the result's own fields).
 */
static void csv_figures(FILE *f, json_t *doc, json_t *cell)
{
	const char *mode = json_str(json_object_get(doc, "mode"), "detected");
	const char *accel = json_str(json_object_get(doc, "system"), "accel");

	csv_text(f, !strcmp(accel, "tcg-icount") ? "instructions" :
		 !strcmp(accel, "tcg") ? "emulated cycles" : "cycles", 0);
	csv_text(f, comparison_amortized(mode) ? "amortized" : "median", 0);
	for (int k = 0; k < 2; k++) {
		double fig = comparison_cell_figure(cell, mode, k ? "unmap" : "map");

		if (isfinite(fig))
			fprintf(f, ",%.4f", fig);
		else
			fputc(',', f);
	}
}

/*
 * One line per cell: where it ran, its job, every key a cell records
 * (params.c, in table order: a key added there is a column here), its
 * status and figures.
 */
static void export_csv(json_t *doc, FILE *f, int header)
{
	static const char *const nums[] = { "ops", "calls",
		"map_cycles_per_op", "unmap_cycles_per_op",
		"map_cycles_per_op_net", "unmap_cycles_per_op_net",
		"map_instructions_per_op", "unmap_instructions_per_op" };
	json_t *sys = json_object_get(doc, "system"), *cell;
	size_t i, k;

	if (header) {
		fprintf(f, "kernel,accel,mode,job");
		for (k = 0; k < P_COUNT; k++)
			if (params[k].flags & PARAM_CELL)
				fprintf(f, ",%s", params[k].name);
		fprintf(f, ",status");
		for (k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
			fprintf(f, ",%s", nums[k]);
		fprintf(f, ",unit,statistic,map_figure,unmap_figure\n");
	}
	json_array_foreach(json_object_get(doc, "cells"), i, cell) {
		csv_text(f, json_str(sys, "kernel_release"), 1);
		csv_text(f, json_str(sys, "accel"), 0);
		csv_text(f, json_str(json_object_get(doc, "mode"), "detected"), 0);
		csv_text(f, json_str(cell, "job"), 0);
		for (k = 0; k < P_COUNT; k++)
			if (params[k].flags & PARAM_CELL)
				csv_param(f, cell, &params[k]);
		csv_text(f, json_str(cell, "status"), 0);
		for (k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
			csv_num(f, json_object_get(cell, nums[k]));
		csv_figures(f, doc, cell);
		fputc('\n', f);
	}
}

static json_t *hyperfine_entry(json_t *doc, json_t *cell, const char *op,
			       double cps)
{
	json_t *arr = json_object_get(json_object_get(cell, "samples"), op);
	json_t *times = json_array(), *codes = json_array();
	double batch = (double)json_integer_value(json_object_get(cell, "batch"));
	char key[32];
	json_t *base;
	double twin;
	size_t n = json_array_size(arr);
	double *v = malloc((n ? n : 1) * sizeof(double)), sum = 0, sq = 0;
	char *command;
	json_t *e;

	/* No samples or no batch length: figures of nan or inf. */
	if (!v || !n || batch < 1 || asprintf(&command, "%s %s [%s] %s %lld %s%s",
				 json_str(json_object_get(doc, "mode"), "detected"),
				 json_str(cell, "api"), json_str(cell, "job"),
				 json_str(cell, "pattern"),
				 (long long)json_integer_value(json_object_get(cell, "size")),
				 op, json_object_get(cell, "baseline") ? " (net)" : "") < 0) {
		free(v);
		json_decref(times);
		json_decref(codes);
		return NULL;
	}
	/* net of the null twins' loop, per op, as compare's figures are */
	snprintf(key, sizeof(key), "%s_cycles_per_op", op);
	base = json_object_get(json_object_get(cell, "baseline"), key);
	twin = base ? json_number_value(base) : 0;
	for (size_t i = 0; i < n; i++) {
		v[i] = ((double)json_integer_value(json_array_get(arr, i)) / batch - twin) / cps;
		sum += v[i];
		json_array_append_new(times, json_real(v[i]));
		json_array_append_new(codes, json_integer(0));
	}
	for (size_t i = 0; i < n; i++)
		sq += (v[i] - sum / n) * (v[i] - sum / n);
	/* NULL when a figure is not finite: JSON cannot hold it. */
	e = json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:o, s:o}",
		      "command", command, "mean", sum / n,
		      "stddev", n > 1 ? sqrt(sq / (n - 1)) : 0.0,
		      "median", median(v, n), "user", 0.0, "system", 0.0,
		      "min", quantile(v, n, 0), "max", quantile(v, n, 1),
		      "times", times, "exit_codes", codes);
	free(command);
	free(v);
	return e;
}

/* @doc's entries appended to @results; 0, or 2 after saying what is wrong. */
static int hyperfine_doc(const char *path, json_t *doc, json_t *results)
{
	double cps = json_number_value(json_object_get(json_object_get(doc, "module"),
						       "cycles_per_sec"));
	json_t *cell;
	size_t i;

	if (!strcmp(json_str(json_object_get(doc, "system"), "accel"), "tcg-icount")) {
		error_msg("%s: tcg-icount figures are instructions, not time: hyperfine's layout holds seconds (use --csv)",
			  path);
		return 2;
	}
	/* hyperfine's times are seconds: without the counter's rate, no output. */
	if (!isfinite(cps) || cps <= 0) {
		error_msg("%s: the cycle counter's rate (module.cycles_per_sec) is unknown: the times cannot be given in seconds",
			  path);
		return 2;
	}
	json_array_foreach(json_object_get(doc, "cells"), i, cell) {
		static const char *const ops[] = { "map", "unmap" };

		if (strcmp(json_str(cell, "status"), "ok"))
			continue;
		for (size_t k = 0; k < 2; k++) {
			if (json_array_append_new(results, hyperfine_entry(doc, cell, ops[k], cps))) {
				error_msg("%s: cells[%zu]: its %s samples give no finite times",
					  path, i, ops[k]);
				return 2;
			}
		}
	}
	return 0;
}

/* Every result of @set in @format into @f; 0, or the exit status. */
static int export_set(const char *path, json_t *set, enum export_format format, FILE *f)
{
	json_t *doc, *results = json_array();
	size_t i;
	int ret = 0;

	json_array_foreach(set, i, doc) {
		if (format == EXPORT_CSV)
			export_csv(doc, f, i == 0);
		else if (!ret)
			ret = hyperfine_doc(path, doc, results);
	}
	if (format == EXPORT_HYPERFINE && !ret) {
		json_t *out = json_pack("{s:O}", "results", results);

		json_dumpf(out, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', f);
		json_decref(out);
	}
	json_decref(results);
	return ret;
}

int export_write(const char *in, enum export_format format, const char *out)
{
	char err[1024], *text = NULL;
	size_t size = 0;
	json_t *set = result_load_set(in, err, sizeof(err));
	FILE *f;
	int ret;

	if (!set) {
		error_msg("%s", err);
		return 2;
	}
	f = open_memstream(&text, &size);
	if (!f) {
		error_msg("out of memory");
		json_decref(set);
		return 1;
	}
	ret = export_set(in, set, format, f);
	if (fclose(f) && !ret) {
		error_msg("out of memory");
		ret = 1;
	}
	json_decref(set);
	/* Nothing is written, not even -o's file, when the export failed. */
	if (!ret)
		ret = emit_text(out, text, size) ? 2 : 0;
	free(text);
	return ret;
}
