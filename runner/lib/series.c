// SPDX-License-Identifier: GPL-2.0
/* The per-commit table of 'dmabench series --each'; see series.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "results.h"
#include "series.h"
#include "util.h"

#define COLS 6		/* commit columns per block: 24 + 6 * 8 = 72 */

static char *row_key(const struct comparison *c, const struct row *r)
{
	char *key;

	if (asprintf(&key, "%s|%s|%s|%s", r->mode, c->groups[r->group],
		     json_str(r->cell, "api"), r->op) < 0)
		return NULL;
	return key;
}

static const struct row *find(const struct comparison *c, const char *key)
{
	for (size_t i = 0; i < c->nrows; i++) {
		char *k = row_key(c, &c->rows[i]);
		int same = k && !strcmp(k, key);

		free(k);
		if (same)
			return &c->rows[i];
	}
	return NULL;
}

static void legend(FILE *f, size_t i, const char *line, const char *note)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "c%-3zu %s", i, line);
	fprintf(f, "%.72s\n", buf);
	if (*note)
		fprintf(f, "     skipped: %s\n", note);
}

/* The figures of every commit's column, a block of COLS columns at a time. */
static int each_columns(FILE *f, const struct comparison *vs_base, const struct boot_side *sides,
			size_t n, const struct comparison *ref)
{
	for (size_t from = 0; from < n; from += COLS) {
		size_t to = from + COLS < n ? from + COLS : n;
		int group = -1;

		fprintf(f, "\n%-7s %-9s %-5s ", "mode", "api", "op");
		for (size_t i = from; i < to; i++) {
			char col[24];

			snprintf(col, sizeof(col), "c%zu", i);
			fprintf(f, "%8s", col);
		}
		fputc('\n', f);
		for (size_t k = 0; k < ref->nrows; k++) {
			const struct row *r = &ref->rows[k];
			char *key = row_key(ref, r);

			if (!key)
				return -1;
			if (r->group != group) {
				group = r->group;
				fprintf(f, "%.72s\n", ref->groups[group]);
			}
			fprintf(f, "%-7s %-9s %-5s ", r->mode, json_str(r->cell, "api"), r->op);
			for (size_t i = from; i < to; i++) {
				const struct row *x = i ? find(&vs_base[i], key) : r;

				if (i && sides[i].failed)
					fprintf(f, "%8s", "skip");
				else
					fprintf(f, "%8.8s", !x ? "-" : i ? x->after : x->before);
			}
			fputc('\n', f);
			free(key);
		}
	}
	return 0;
}

/* "Moved": each row a commit moved from the previous measured one. */
static int each_moved(FILE *f, const struct boot_side *sides, size_t n)
{
	struct comparison step;
	char err[1024];
	size_t prev = 0;
	int moved = 0;

	fprintf(f, "\nMoved: rows whose change from the previous measured commit\n"
		"has a 95%% interval that excludes zero\n");
	for (size_t i = 1; i < n; i++) {
		if (sides[i].failed)
			continue;
		if (comparison_load_stat(&step, sides[prev].dir, sides[i].dir, 0, err, sizeof(err))) {
			error_msg("%s", err);
			return -1;
		}
		for (size_t k = 0; k < step.nrows; k++) {
			const struct row *r = &step.rows[k];
			const char *api = json_str(r->cell, "api");
			char line[160];

			if (!r->significant || !strcmp(api, "null"))
				continue;
			snprintf(line, sizeof(line), "  c%-3zu %-7s %-9s %-5s %+9.1f %+7.1f%%  [%s]",
				 i, r->mode, api, r->op, r->a - r->b, r->change,
				 json_str(r->cell, "job"));
			fprintf(f, "%.72s\n", line);
			moved++;
		}
		comparison_free(&step);
		prev = i;
	}
	if (!moved)
		fprintf(f, "  none\n");
	return 0;
}

/* Each measured commit against the base; *@last: the last of them. */
static int each_vs_base(struct comparison *vs_base, const struct boot_side *sides, size_t n,
			size_t *last)
{
	char err[1024];

	for (size_t i = 1; i < n; i++) {
		if (sides[i].failed)
			continue;
		if (comparison_load_stat(&vs_base[i], sides[0].dir, sides[i].dir, 0, err, sizeof(err))) {
			error_msg("%s", err);
			return -1;
		}
		*last = i;
	}
	return 0;
}

int series_each_write(const char *out, const struct boot_side *sides, size_t n,
		      const char *base_line, const char *const *lines)
{
	struct comparison *vs_base = calloc(n, sizeof(*vs_base));
	const struct comparison *ref;
	char *text = NULL, *path;
	size_t size = 0, last = 0;
	FILE *f = open_memstream(&text, &size);
	int rc = -1;

	if (!vs_base || !f || each_vs_base(vs_base, sides, n, &last))
		goto out;
	ref = &vs_base[last];
	fprintf(f, "dmabench series: each commit, %s net of the\nnull twins "
		"(median of batches); c0 is the base\n\n", comparison_unit(ref));
	legend(f, 0, base_line, "");
	for (size_t i = 1; i < n; i++)
		legend(f, i, lines[i - 1], sides[i].failed == SIDE_NO_BUILD ?
		       "does not build" : sides[i].failed ? "a guest failed" : "");
	if (each_columns(f, vs_base, sides, n, ref) || each_moved(f, sides, n))
		goto out;
	fclose(f);
	f = NULL;
	if (asprintf(&path, "%s/each.txt", out) < 0)
		goto out;
	rc = write_file_atomic(path, text, size);
	if (rc)
		error_msg("%s: cannot write", path);
	free(path);
out:
	if (f)
		fclose(f);
	for (size_t i = 0; vs_base && i < n; i++)
		if (vs_base[i].rows || vs_base[i].before)
			comparison_free(&vs_base[i]);
	free(vs_base);
	free(text);
	return rc;
}
