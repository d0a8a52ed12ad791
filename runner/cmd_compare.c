// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: a before/after table of two result sets, one row per
 * mode, API, pattern, size and operation, at most 72 columns wide so that
 * it can be pasted into a reply on the list.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "names.h"
#include "results.h"
#include "util.h"

static const char compare_usage[] =
"usage: dmabench compare BEFORE AFTER\n"
"\n"
"BEFORE and AFTER are result files or directories of them (one per mode).\n"
"Prints, for each cell of either side, the median cycles per op net of the\n"
"empty (null) loop, or guest instructions when both sides ran under\n"
"tcg-icount, and the change in percent; 'n/a' marks an API the kernel\n"
"lacks or the mode cannot use.\n";

static const char *const mode_order[] = { "direct", "passthrough", "strict",
					  "lazy", "swiotlb", "unknown" };

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "?";
}

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int same_cell(json_t *a, json_t *b)
{
	static const char *const keys[] = { "job", "api", "pattern", "dir", "attrs" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(str(a, keys[i]), str(b, keys[i])))
			return 0;
	return num(a, "size") == num(b, "size") && num(a, "offset") == num(b, "offset") &&
	       num(a, "batch") == num(b, "batch");
}

static json_t *find_cell(json_t *set, const char *mode, json_t *cell)
{
	size_t i, j;
	json_t *doc, *c;

	json_array_foreach(set, i, doc) {
		if (strcmp(str(json_object_get(doc, "mode"), "detected"), mode))
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

/*
 * The figure a row shows: instructions under icount, cycles otherwise; net
 * of the null loop where the cell has a baseline, except for the null API
 * itself, whose raw figure is the loop's own cost.
 */
static json_t *metric(json_t *cell, const char *op, int icount)
{
	char key[64];
	json_t *v;

	snprintf(key, sizeof(key), "%s_%s_per_op%s", op,
		 icount ? "instructions" : "cycles",
		 strcmp(str(cell, "api"), "null") ? "_net" : "");
	v = json_object_get(cell, key);
	if (!v) {
		snprintf(key, sizeof(key), "%s_%s_per_op", op,
			 icount ? "instructions" : "cycles");
		v = json_object_get(cell, key);
	}
	return v;
}

static void figure(json_t *cell, const char *op, int icount, char *buf,
		   size_t len, double *v)
{
	*v = NAN;
	if (!cell) {
		snprintf(buf, len, "-");
		return;
	}
	if (!strcmp(str(cell, "status"), "unsupported")) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (strcmp(str(cell, "status"), "ok")) {
		snprintf(buf, len, "error");
		return;
	}
	*v = json_real_value(metric(cell, op, icount));
	snprintf(buf, len, "%.1f", *v);
}

static int icount;	/* both sides ran under tcg-icount */

static void print_row(const char *mode, json_t *key, json_t *b, json_t *a,
		      const char *op)
{
	char sz[24], bs[24], as[24], ch[24] = "-";
	double bv, av;

	human_size(num(key, "size"), sz, sizeof(sz));
	figure(b, op, icount, bs, sizeof(bs), &bv);
	figure(a, op, icount, as, sizeof(as), &av);
	if (!isnan(bv) && !isnan(av) && fabs(bv) >= 1)
	{
		double pct = 100.0 * (av - bv) / fabs(bv);

		/* No "-0.0%": a change that rounds to nothing is none. */
		snprintf(ch, sizeof(ch), fabs(pct) < 0.05 ? "0.0%%" : "%+.1f%%", pct);
	}
	printf("%-8s %-9s %-5s %5s %-5s %9s %9s %8s\n", mode, str(key, "api"),
	       str(key, "pattern"), sz, op, bs, as, ch);
}

static const char *accel_of(json_t *set)
{
	return str(json_object_get(json_array_get(set, 0), "system"), "accel");
}

static const char *accel_label(json_t *set)
{
	const char *accel = accel_of(set);

	if (!strcmp(accel, "tcg"))
		return "tcg: emulated cycles, not hardware";
	if (!strcmp(accel, "tcg-icount"))
		return "tcg-icount: 1 cycle = 1 guest instruction";
	return accel;
}

int cmd_compare(int argc, char **argv)
{
	json_t *before, *after, *doc, *cell;
	char err[1024];
	size_t i, j;

	if (argc != 3)
		return usage(compare_usage, argc == 2 && (!strcmp(argv[1], "-h") ||
				!strcmp(argv[1], "--help")) ? 0 : 2);
	before = result_load_set(argv[1], err, sizeof(err));
	if (!before) {
		error_msg("before: %s", err);
		return 1;
	}
	after = result_load_set(argv[2], err, sizeof(err));
	if (!after) {
		error_msg("after: %s", err);
		json_decref(before);
		return 1;
	}
	icount = !strcmp(accel_of(before), "tcg-icount") &&
		 !strcmp(accel_of(after), "tcg-icount");
	printf("%s per op: median of batches, net of the empty loop\n"
	       "('null' rows: the empty loop itself)\n",
	       icount ? "guest instructions" : "cycles");
	printf("before: %s (%s)\n",
	       str(json_object_get(json_array_get(before, 0), "system"), "kernel_release"),
	       accel_label(before));
	printf("after:  %s (%s)\n\n",
	       str(json_object_get(json_array_get(after, 0), "system"), "kernel_release"),
	       accel_label(after));
	printf("%-8s %-9s %-5s %5s %-5s %9s %9s %8s\n", "mode", "api", "pat",
	       "size", "op", "before", "after", "change");
	printf("-------- --------- ----- ----- ----- --------- --------- --------\n");

	for (size_t m = 0; m < sizeof(mode_order) / sizeof(mode_order[0]); m++) {
		const char *mode = mode_order[m];

		/* Cells of the after side first, then any only before has. */
		json_array_foreach(after, i, doc) {
			if (strcmp(str(json_object_get(doc, "mode"), "detected"), mode))
				continue;
			json_array_foreach(json_object_get(doc, "cells"), j, cell) {
				json_t *b = find_cell(before, mode, cell);

				print_row(mode, cell, b, cell, "map");
				print_row(mode, cell, b, cell, "unmap");
			}
		}
		json_array_foreach(before, i, doc) {
			if (strcmp(str(json_object_get(doc, "mode"), "detected"), mode))
				continue;
			json_array_foreach(json_object_get(doc, "cells"), j, cell) {
				if (find_cell(after, mode, cell))
					continue;
				print_row(mode, cell, cell, NULL, "map");
				print_row(mode, cell, cell, NULL, "unmap");
			}
		}
	}
	json_decref(before);
	json_decref(after);
	return 0;
}
