// SPDX-License-Identifier: GPL-2.0
/*
 * Plots of two result sets: gnuplot data and scripts, and the PNG and SVG they draw,
 * for a before/after pair of result sets: per mode a bar chart with error
 * bars, the distribution of per-batch samples, a size sweep where a job
 * varies the size, and a text plot that fits a 72-column email.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "comparison.h"
#include "plot.h"
#include "stats.h"
#include "results.h"
#include "util.h"

static const char *const modes[] = { "direct", "passthrough", "strict", "lazy",
				     "swiotlb" };
static const char *const terms[][2] = {
	{ "pngcairo size 960,540 noenhanced font ',10'", "png" },
	{ "svg size 960,540 noenhanced", "svg" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Every file a plot may write into DIR, and nothing else is touched. */
static const char *const kinds[] = { "bars", "change", "gap", "dist", "sweep" };
static const char *const exts[] = { "dat", "gp", "png", "svg" };
static const char *const summary_files[] = { "summary.dat", "summary.gp",
					     "summary.txt" };

struct plot {
	const struct comparison *c;
	const char *dir;
	char **scripts;		/* the .gp files written, in order */
	size_t nscripts;
	/* the plots of one mode (on one IOMMU, when the sets hold several) */
	const char *iommu;	/* rows of this row.iommu only */
	char stem[24];		/* their files' and titles' name: "amd-strict" */
};

/* The first group with rows of @mode on @iommu, or -1. */
static int first_group(const struct comparison *c, const char *mode, const char *iommu)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (!strcmp(c->rows[i].mode, mode) && same_iommu(c->rows[i].iommu, iommu))
			return c->rows[i].group;
	return -1;
}

/* Memory ran out building a name or script: said once, at the end. */
static int out_of_memory;

/* Text built in memory: scripts grow with the jobs and sizes compared. */
struct text {
	FILE *f;
	char *s;
	size_t len;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static const char *kernel(json_t *set)
{
	return json_str(json_object_get(json_array_get(set, 0), "system"), "kernel_release");
}

/*
 * @s as a gnuplot string literal. Result files come from guests, and in
 * single quotes gnuplot expands no `command`, @macro or backslash; a quote
 * is written twice. A control character would end the command: dropped.
 */
static void gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch < 0x20 || ch == 0x7f)
			continue;
		if (ch == '\'')
			fputc('\'', f);
		fputc(ch, f);
	}
	fputc('\'', f);
}

static void gp_strf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void gp_strf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		out_of_memory = 1;
		return;
	}
	gp_str(f, s);
	free(s);
}

/*
 * A label in a .dat file: one whitespace-free column that is neither a
 * comment ('#') nor the missing-value mark ('?'), whatever the result says.
 */
static void put_label(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(isalnum((unsigned char)*s) || strchr("._:+-", *s) ? *s : '_', f);
}

static char *path_in(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0) {
		out_of_memory = 1;
		return NULL;
	}
	return path;
}

static FILE *open_in(const char *dir, const char *name)
{
	char *path = path_in(dir, name);
	FILE *f;

	if (!path)
		return NULL;
	f = fopen(path, "w");
	if (!f)
		error_msg("%s: %s", path, strerror(errno));
	free(path);
	return f;
}

/* Close a file written in DIR; a full disk shows here. */
static int close_in(FILE *f, const char *dir, const char *name)
{
	if (ferror(f) | fclose(f)) {
		error_msg("%s/%s: %s", dir, name, strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

static int unlink_in(const char *dir, const char *name)
{
	char *path = path_in(dir, name);
	int ret = 0;

	if (!path)
		return -1;
	if (unlink(path) && errno != ENOENT) {
		error_msg("%s: %s", path, strerror(errno));
		ret = -1;
	}
	free(path);
	return ret;
}

/*
 * Files an earlier plot left in DIR: a mode it drew that this one does
 * not would otherwise be rendered again from a stale script, or its PNG
 * taken for this run's. Only the names a plot writes are removed.
 */
static int remove_stale(const char *dir)
{
	int ret = 0;

	for (size_t m = 0; m < ARRAY_SIZE(modes) * IOMMU_ORDER_COUNT; m++)
		for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
			for (size_t e = 0; e < ARRAY_SIZE(exts); e++) {
				const char *iommu = iommu_order[m % IOMMU_ORDER_COUNT];
				char *name;

				if (asprintf(&name, "%s%s%s-%s.%s", iommu ? iommu : "", iommu ? "-" : "",
					     modes[m / IOMMU_ORDER_COUNT], kinds[k], exts[e]) < 0) {
					out_of_memory = 1;
					return -1;
				}
				ret |= unlink_in(dir, name);
				free(name);
			}
	for (size_t i = 0; i < ARRAY_SIZE(summary_files); i++)
		ret |= unlink_in(dir, summary_files[i]);
	return ret;
}

static int add_script(struct plot *pl, const char *file)
{
	char **s = realloc(pl->scripts, (pl->nscripts + 1) * sizeof(*s));

	if (!s || !(s[pl->nscripts] = strdup(file))) {
		if (s)
			pl->scripts = s;
		out_of_memory = 1;
		return -1;
	}
	pl->scripts = s;
	pl->nscripts++;
	return 0;
}

/* A script drawing @plot into NAME.png and NAME.svg, after @setup. */
static int write_script(struct plot *pl, const char *name, const char *setup,
			const char *plot)
{
	char *file;
	FILE *f;
	int ret = -1;

	if (asprintf(&file, "%s.gp", name) < 0) {
		out_of_memory = 1;
		return -1;
	}
	f = open_in(pl->dir, file);
	if (!f)
		goto out;
	fprintf(f, "# dmabench plot: gnuplot %s\nset datafile missing '?'\n%s\n",
		file, setup);
	for (size_t t = 0; t < ARRAY_SIZE(terms); t++) {
		fprintf(f, "set terminal %s\nset output ", terms[t][0]);
		gp_strf(f, "%s.%s", name, terms[t][1]);
		fprintf(f, "\n%s\n", plot);
	}
	if (!close_in(f, pl->dir, file))
		ret = add_script(pl, file);
out:
	free(file);
	return ret;
}

static int text_open(struct text *t)
{
	t->s = NULL;
	t->f = open_memstream(&t->s, &t->len);
	if (!t->f)
		out_of_memory = 1;
	return t->f ? 0 : -1;
}

/* The text, or NULL when building it failed; the caller frees it. */
static char *text_close(struct text *t)
{
	if (ferror(t->f) | fclose(t->f)) {
		out_of_memory = 1;
		free(t->s);
		t->s = NULL;
	}
	return t->s;
}

/* The two texts of a script: its setup and its plot command. */
static int texts_open(struct text *setup, struct text *plot)
{
	if (text_open(setup))
		return -1;
	if (text_open(plot)) {
		free(text_close(setup));
		return -1;
	}
	return 0;
}

static void texts_drop(struct text *setup, struct text *plot)
{
	free(text_close(setup));
	free(text_close(plot));
}

/* A plot's name (stem-SUFFIX) and its data file's (NAME.dat). */
struct plot_names {
	char name[32];
	char dat[36];
};

/*
 * A plot's texts and its data file PL->dir/NAME.dat, open; NULL (nothing
 * left open) when either fails.
 */
static FILE *plot_open(struct plot *pl, const char *suffix, struct plot_names *n,
		       struct text *setup, struct text *plot)
{
	FILE *f;

	snprintf(n->name, sizeof(n->name), "%s-%s", pl->stem, suffix);
	snprintf(n->dat, sizeof(n->dat), "%s.dat", n->name);
	if (texts_open(setup, plot))
		return NULL;
	f = open_in(pl->dir, n->dat);
	if (!f)
		texts_drop(setup, plot);
	return f;
}

/* Write the script NAME.gp from @setup and @plot, which it closes. */
static int finish_script(struct plot *pl, const char *name, struct text *setup,
			 struct text *plot)
{
	char *s = text_close(setup), *p = text_close(plot);
	int ret = -1;

	if (s && p && !out_of_memory)
		ret = write_script(pl, name, s, p);
	free(s);
	free(p);
	return ret;
}

static void quartiles(json_t *cell, const char *op, double *q1, double *q3)
{
	size_t n;
	double *v = cell ? comparison_values(cell, op, &n) : NULL;

	*q1 = v ? quantile(v, n, 0.25) : NAN;
	*q3 = v ? quantile(v, n, 0.75) : NAN;
	free(v);
}

static void put(FILE *f, double v)
{
	if (isnan(v))
		fputs(" ?", f);
	else
		fprintf(f, " %.3f", v);
}

/*
 * A plot's title, line 1 WHAT, line 2 where its figures come from: the
 * config, the accel, the runs (boots) a side and the day measured, so a
 * figure pasted alone still says it.
 */
static void plot_title(FILE *f, const struct comparison *c, const char *what)
{
	json_t *doc = json_array_get(c->after, 0);
	const char *created = json_str(doc, "created");

	fputs("set title ", f);
	gp_str(f, what);
	fputs(".\"\\n\".", f);
	gp_strf(f, "%s, %s, %zu/%zu run(s) a side, measured %.10s",
		json_str(json_object_get(doc, "config"), "path"),
		json_str(json_object_get(doc, "system"), "accel"),
		comparison_runs(c->before), comparison_runs(c->after), created);
}

/* Bars: label, before, its q1 and q3, after, its q1 and q3. */
static int bars(struct plot *pl, const char *mode, int group)
{
	const struct comparison *c = pl->c;
	struct text setup, plot;
	char name[32], dat[sizeof(name) + 4], title[160];
	int rows = 0;
	FILE *f;

	snprintf(name, sizeof(name), "%s-bars", pl->stem);
	snprintf(dat, sizeof(dat), "%s.dat", name);
	f = open_in(pl->dir, dat);
	if (!f)
		return -1;
	fprintf(f, "# api-op before q1 q3 after q1 q3 before-n/a after-n/a (%s)\n",
		comparison_unit(c));
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		double q1, q3;

		if (strcmp(r->mode, mode) || r->group != group || !same_iommu(r->iommu, pl->iommu))
			continue;
		put_label(f, json_str(r->cell, "api"));
		fprintf(f, "-%s", r->op);
		put(f, r->b);
		quartiles(isnan(r->b) ? NULL : r->bcell, r->op, &q1, &q3);
		put(f, q1);
		put(f, q3);
		put(f, r->a);
		quartiles(isnan(r->a) ? NULL : r->acell, r->op, &q1, &q3);
		put(f, q1);
		put(f, q3);
		/* a side without a figure is labelled, not drawn as a zero */
		fprintf(f, " %s %s\n", isnan(r->b) ? "n/a" : "-", isnan(r->a) ? "n/a" : "-");
		rows++;
	}
	if (close_in(f, pl->dir, dat))
		return -1;
	if (!rows)
		return unlink_in(pl->dir, dat);
	if (texts_open(&setup, &plot))
		return -1;
	snprintf(title, sizeof(title), "%s: %s, net of the null twins", pl->stem,
		 comparison_unit(c));
	plot_title(setup.f, c, title);
	fputs("\nset style data histogram\nset style histogram errorbars gap 1 lw 1\n"
	      "set style fill solid 0.5 border -1\nset xtics rotate by -30\n"
	      "set ylabel ", setup.f);
	gp_str(setup.f, comparison_unit(c));
	fputs("\nset yrange [0:*]\nset key top left", setup.f);
	fputs("plot ", plot.f);
	gp_str(plot.f, dat);
	fputs(" using 2:3:4:xtic(1) title ", plot.f);
	gp_strf(plot.f, "before %s", kernel(c->before));
	fputs(", '' using 5:6:7 title ", plot.f);
	gp_strf(plot.f, "after %s", kernel(c->after));
	fputs(", '' using ($0-1.0/6):(0):(strcol(8) eq 'n/a' ? 'n/a' : '') with labels "
	      "offset 0,0.6 notitle, '' using ($0+1.0/6):(0):(strcol(9) eq 'n/a' ? 'n/a' : '') "
	      "with labels offset 0,0.6 notitle", plot.f);
	return finish_script(pl, name, &setup, &plot);
}

/* A row of the mode's plots: its mode, cell shape and IOMMU. */
static int in_plot(const struct plot *pl, const struct row *r, const char *mode, int group)
{
	return !strcmp(r->mode, mode) && r->group == group && same_iommu(r->iommu, pl->iommu);
}

/*
 * Where a bar's label sits: above the bar, its interval and the zero line
 * alike, so a negative bar or a wide interval hides no digit of it.
 */
static double label_y(double v, double hi)
{
	double y = 0;

	if (!isnan(v) && v > y)
		y = v;
	if (!isnan(hi) && hi > y)
		y = hi;
	return y;
}

/* What a change plot has to draw: gnuplot warns of a series of no points. */
struct change_counts {
	int rows, starred, plain, intervals;
};

/*
 * The change per row, with the interval and star compare gives it: the
 * row's own figures, never computed again here. Columns: label, change,
 * lo, hi, starred, compare's text for it, where that text sits.
 */
static int change_dat(struct plot *pl, const char *mode, int group, const char *dat,
		      struct change_counts *n)
{
	const struct comparison *c = pl->c;
	FILE *f = open_in(pl->dir, dat);

	memset(n, 0, sizeof(*n));
	if (!f)
		return -1;
	fputs("# api-op change lo hi starred label label-y (percent, after over before,"
	      " 95 % interval as compare prints it)\n", f);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		char text[24];

		if (!in_plot(pl, r, mode, group))
			continue;
		put_label(f, json_str(r->cell, "api"));
		fprintf(f, "-%s", r->op);
		put(f, r->change);
		put(f, r->lo);
		put(f, r->hi);
		comparison_change_label(r, text, sizeof(text));
		fprintf(f, " %d %s %.3f\n", r->significant, text, label_y(r->change, r->hi));
		n->rows++;
		n->starred += !isnan(r->change) && r->significant;
		n->plain += !isnan(r->change) && !r->significant;
		n->intervals += !isnan(r->lo) && !isnan(r->hi);
	}
	return close_in(f, pl->dir, dat);
}

/* One series of the plot, or only its key entry where it has no point. */
static void series(FILE *f, const char *dat, int points, const char *using,
		   const char *style)
{
	if (points) {
		fputs(", ", f);
		gp_str(f, dat);
		fprintf(f, " using %s with %s", using, style);
	} else {
		fprintf(f, ", keyentry with %s", style);
	}
}

/* MODE-change: the change in percent per row, labelled, 95 % intervals. */
static int change(struct plot *pl, const char *mode, int group)
{
	struct change_counts n;
	struct text setup, plot;
	char name[32], dat[sizeof(name) + 4], title[96];

	snprintf(name, sizeof(name), "%s-change", pl->stem);
	snprintf(dat, sizeof(dat), "%s.dat", name);
	if (change_dat(pl, mode, group, dat, &n))
		return -1;
	if (!n.rows)
		return unlink_in(pl->dir, dat);
	if (texts_open(&setup, &plot))
		return -1;
	snprintf(title, sizeof(title), "%s: change, after over before (* the 95 %% interval "
		 "excludes zero)", pl->stem);
	plot_title(setup.f, pl->c, title);
	fprintf(setup.f, "\nset style fill solid 0.5 border -1\nset boxwidth 0.6\n"
		"set xtics rotate by -30\nset xrange [-0.6:%d.6]\n"
		/* zero in range, room above the labels */
		"set yrange [*<0:0<*]\nset offsets 0,0,graph 0.12,graph 0.04\n"
		"set xzeroaxis lt -1\nset ylabel 'change, %%'\nset key below horizontal", n.rows - 1);
	/* the ticks and texts: every row has them, an n/a row no bar */
	fputs("plot ", plot.f);
	gp_str(plot.f, dat);
	fputs(" using 0:7:6:xtic(1) with labels offset 0,0.8 notitle", plot.f);
	series(plot.f, dat, n.starred, "0:($5 > 0 ? $2 : 1/0)", "boxes lc rgb '#b03030' "
	       "title 'starred: the interval excludes zero'");
	series(plot.f, dat, n.plain, "0:($5 > 0 ? 1/0 : $2)", "boxes fs empty lc rgb '#404040' "
	       "title 'not starred'");
	series(plot.f, dat, n.intervals, "0:2:3:4", "yerrorbars lc rgb 'black' pt 7 ps 0.3 "
	       "title '95 % interval (dmabench compare)'");
	return finish_script(pl, name, &setup, &plot);
}

/*
 * The page - phys gap per op, each side: comparison_page_phys_gap(), what
 * report's conclusions print. Columns: op, before, after, their texts,
 * where the texts sit. @figures: each side's count. Returns the ops, or -1.
 */
static int gap_dat(struct plot *pl, const char *mode, int group, const char *dat,
		   int figures[2])
{
	const struct comparison *c = pl->c;
	FILE *f = open_in(pl->dir, dat);
	int ops = 0;

	figures[0] = figures[1] = 0;
	if (!f)
		return -1;
	fprintf(f, "# op before after before-label after-label before-y after-y (page - phys,"
		" medians of batches, %s, net)\n", comparison_unit(c));
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		double g[2];
		char text[2][24];

		if (!in_plot(pl, r, mode, group) || strcmp(json_str(r->cell, "api"), "page"))
			continue;
		for (int s = 0; s < 2; s++) {
			g[s] = comparison_page_phys_gap(c, mode, group, r->op, s);
			snprintf(text[s], sizeof(text[s]), isnan(g[s]) ? "n/a" : "%+.1f", g[s]);
			figures[s] += !isnan(g[s]);
		}
		fputs(r->op, f);
		put(f, g[0]);
		put(f, g[1]);
		fprintf(f, " %s %s %.3f %.3f\n", text[0], text[1], label_y(g[0], NAN),
			label_y(g[1], NAN));
		ops++;
	}
	return close_in(f, pl->dir, dat) ? -1 : ops;
}

/* One side's bars of the gap plot, a third of a unit wide beside the op. */
static void gap_side(struct plot *pl, FILE *f, const char *dat, int after, int points)
{
	char using[32], *style;

	snprintf(using, sizeof(using), "($0%+.4f):%d", after ? 1.0 / 6 : -1.0 / 6, 2 + after);
	if (asprintf(&style, "boxes lc %d title ", 1 + after) < 0) {
		out_of_memory = 1;
		return;
	}
	series(f, dat, points, using, style);
	gp_strf(f, "%s %s", after ? "after" : "before", kernel(after ? pl->c->after :
							 pl->c->before));
	free(style);
}

/* MODE-gap: what the page API costs over the phys API, before and after. */
static int gap(struct plot *pl, const char *mode, int group)
{
	const struct comparison *c = pl->c;
	struct text setup, plot;
	char name[32], dat[sizeof(name) + 4], title[160];
	int figures[2], ops;

	snprintf(name, sizeof(name), "%s-gap", pl->stem);
	snprintf(dat, sizeof(dat), "%s.dat", name);
	ops = gap_dat(pl, mode, group, dat, figures);
	if (ops < 0)
		return -1;
	/* no side has both APIs: nothing to draw */
	if (!figures[0] && !figures[1])
		return unlink_in(pl->dir, dat);
	if (texts_open(&setup, &plot))
		return -1;
	snprintf(title, sizeof(title), "%s: page - phys, %s, medians of batches", pl->stem,
		 comparison_unit(c));
	plot_title(setup.f, c, title);
	fprintf(setup.f, "\nset style fill solid 0.5 border -1\nset boxwidth 1.0/3\n"
		"set xrange [-0.5:%d.5]\nset yrange [*<0:0<*]\nset offsets 0,0,graph 0.12,0\n"
		"set xzeroaxis lt -1\nset key top left\nset ylabel ", ops - 1);
	gp_strf(setup.f, "page - phys, %s", comparison_unit(c));
	/* the ticks and texts: an n/a side has no bar */
	fputs("plot ", plot.f);
	gp_str(plot.f, dat);
	fputs(" using 0:(1/0):xtic(1) notitle, '' using ($0-1.0/6):6:4 with labels offset 0,0.6 "
	      "notitle, '' using ($0+1.0/6):7:5 with labels offset 0,0.6 notitle", plot.f);
	gap_side(pl, plot.f, dat, 0, figures[0]);
	gap_side(pl, plot.f, dat, 1, figures[1]);
	return finish_script(pl, name, &setup, &plot);
}

/* Cumulative distribution of each API's per-batch map figure, both sides. */
static int dist(struct plot *pl, const char *mode, int group)
{
	const struct comparison *c = pl->c;
	struct text setup, plot;
	struct plot_names n;
	int series = 0, spread = 0;
	FILE *f = plot_open(pl, "dist", &n, &setup, &plot);

	if (!f)
		return -1;
	fputs("plot ", plot.f);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		const char *api = json_str(r->cell, "api");

		if (strcmp(r->mode, mode) || r->group != group || strcmp(r->op, "map") ||
		    !same_iommu(r->iommu, pl->iommu) ||
		    !strcmp(api, "null"))
			continue;
		for (int s = 0; s < 2; s++) {
			const char *sname = s ? "after" : "before";
			double fig = s ? r->a : r->b;
			json_t *cell;
			double *v;
			size_t k;

			if (isnan(fig))
				continue;
			/* The row's cell is the after side's when it has one. */
			cell = s ? r->acell : r->bcell;
			v = cell ? comparison_values(cell, "map", &k) : NULL;
			if (!v)
				continue;
			qsort(v, k, sizeof(*v), cmp_double);
			spread |= k && v[0] != v[k - 1];
			fprintf(f, "# %s ", sname);
			put_label(f, api);
			fputc('\n', f);
			for (size_t j = 0; j < k; j++)
				fprintf(f, "%.3f %.5f\n", v[j], (double)(j + 1) / (double)k);
			fprintf(f, "\n\n");
			free(v);
			if (series)
				fputs(", ", plot.f);
			gp_str(plot.f, n.dat);
			fprintf(plot.f, " index %d using 1:2 with steps lw 2 title ", series);
			gp_strf(plot.f, "%s %s", sname, api);
			series++;
		}
	}
	if (close_in(f, pl->dir, n.dat)) {
		texts_drop(&setup, &plot);
		return -1;
	}
	/* every batch alike (icount outside lazy): vertical lines say nothing */
	if (!series || !spread) {
		texts_drop(&setup, &plot);
		return unlink_in(pl->dir, n.dat);
	}
	{
		char title[96];

		snprintf(title, sizeof(title), "%s: distribution of per-batch map figures",
			 pl->stem);
		plot_title(setup.f, c, title);
	}
	fputs("\nset xlabel ", setup.f);
	gp_strf(setup.f, "%s, net", comparison_unit(c));
	fputs("\nset ylabel 'fraction of batches'\n"
	      "set key bottom right\nset yrange [0:1.02]\nset grid", setup.f);
	return finish_script(pl, n.name, &setup, &plot);
}

/* Figure against size, for cells of one job and API at several sizes. */
static int sweep(struct plot *pl, const char *mode)
{
	const struct comparison *c = pl->c;
	int series = -1, points = 0, ret;
	struct text setup, plot;
	struct plot_names n;
	char *last = NULL;
	FILE *f = plot_open(pl, "sweep", &n, &setup, &plot);

	if (!f)
		return -1;
	fputs("plot ", plot.f);
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < c->nrows; i++) {
			const struct row *r = &c->rows[i];
			double fig = s ? r->a : r->b;
			char *key;

			if (strcmp(r->mode, mode) || strcmp(r->op, "map") || isnan(fig) ||
			    !same_iommu(r->iommu, pl->iommu) ||
			    !strcmp(json_str(r->cell, "api"), "null"))
				continue;
			if (asprintf(&key, "%s %s [%s]", s ? "after" : "before",
				     json_str(r->cell, "api"), json_str(r->cell, "job")) < 0) {
				out_of_memory = 1;
				continue;
			}
			if (!last || strcmp(key, last)) {
				if (series >= 0)
					fprintf(f, "\n\n");
				series++;
				if (series)
					fputs(", ", plot.f);
				gp_str(plot.f, n.dat);
				fprintf(plot.f, " index %d using 1:2 with linespoints title ", series);
				gp_str(plot.f, key);
				free(last);
				last = key;
			} else {
				free(key);
			}
			fprintf(f, "%lld %.3f\n",
				(long long)json_integer_value(json_object_get(r->cell, "size")), fig);
			points++;
		}
	}
	free(last);
	ret = close_in(f, pl->dir, n.dat);
	/* A sweep needs more points than series. */
	if (ret || series < 0 || points <= series + 1) {
		texts_drop(&setup, &plot);
		return ret ? ret : unlink_in(pl->dir, n.dat);
	}
	{
		char title[96];

		snprintf(title, sizeof(title), "%s: map cost against size", pl->stem);
		plot_title(setup.f, c, title);
	}
	fputs("\nset logscale xy 2\nset xlabel 'bytes per mapping'\nset ylabel ", setup.f);
	gp_strf(setup.f, "%s, net", comparison_unit(c));
	fputs("\nset key top left\nset grid", setup.f);
	return finish_script(pl, n.name, &setup, &plot);
}

/* Two letters per API, so that a dumb-terminal axis stays legible. */
static const char *short_api(const char *api)
{
	static const char *const names[][2] = {
		{ "page", "pg" }, { "phys", "ph" }, { "roundtrip", "rt" },
		{ "single", "si" }, { "sg", "sg" }, { "resource", "rs" },
		{ "phys_mmio", "pm" }, { "iova", "io" }, { "sync", "sy" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(api, names[i][0]))
			return names[i][1];
	return api;
}

/* What summary.dat holds: its rows, figures, and whether all are > 0. */
struct summary_counts {
	int rows, figures, positive;
};

static void summary_count(struct summary_counts *n, double v)
{
	if (isnan(v))
		return;
	n->figures++;
	n->positive &= v > 0;
}

static int summary_dat(struct plot *pl, struct summary_counts *n)
{
	const struct comparison *c = pl->c;
	FILE *f = open_in(pl->dir, "summary.dat");

	*n = (struct summary_counts){ .positive = 1 };
	if (!f)
		return -1;
	fprintf(f, "# x label before after (map, %s)\n", comparison_unit(c));
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		if (r->group != first_group(c, r->mode, r->iommu) || strcmp(r->op, "map") ||
		    !strcmp(json_str(r->cell, "api"), "null"))
			continue;
		/* "s:pg"; beside other IOMMUs "as:pg" (AMD-Vi strict) */
		fprintf(f, "%d %.1s%c:", n->rows++, r->iommu ? r->iommu : "",
			!strcmp(r->mode, "swiotlb") ? 'w' : r->mode[0]);
		put_label(f, short_api(json_str(r->cell, "api")));
		put(f, r->b);
		put(f, r->a);
		fputc('\n', f);
		summary_count(n, r->b);
		summary_count(n, r->a);
	}
	return close_in(f, pl->dir, "summary.dat");
}

/*
 * summary.txt: map figures of every API, every mode, as text. B and A a
 * quarter of a row either side of its tick, so that equal figures do not
 * put one letter over the other; a log axis only where every figure is
 * above zero (gnuplot drops the others, or fails when none is left).
 */
static int summary(struct plot *pl)
{
	const struct comparison *c = pl->c;
	struct summary_counts n;
	FILE *f;

	if (summary_dat(pl, &n))
		return -1;
	f = open_in(pl->dir, "summary.gp");
	if (!f)
		return -1;
	fputs("# dmabench plot: gnuplot summary.gp\nset datafile missing '?'\n", f);
	if (!n.figures) {
		/* gnuplot plots nothing from no point: a note instead */
		fputs("set print 'summary.txt'\nprint ", f);
		gp_strf(f, "map, %s: no figure on either side, nothing to plot",
			comparison_unit(c));
		fputs("\nunset print\n", f);
		goto done;
	}
	fputs("set terminal dumb size 72,24\nset output 'summary.txt'\nset title ", f);
	gp_strf(f, "map, %s (B before, A after)", comparison_unit(c));
	if (!n.positive)
		fputs(".\"\\n\".'linear y axis: a figure is zero or below'", f);
	/*
	 * The border is drawn over a letter on it: behind them, then. A linear
	 * axis ends at a tick, often on a figure: a row of text beyond it.
	 */
	fprintf(f, "\n%s\nset border back\n"
		"set xlabel '%s'\nset xtics rotate\nset key off\nset xrange [-0.5:%d.5]\n"
		"plot 'summary.dat' using 1:(1/0):xtic(2), '' using ($1-0.25):3 with points pt 'B', "
		"'' using ($1+0.25):4 with points pt 'A'\n",
		n.positive ? "set logscale y" : "set offsets 0,0,graph 0.07,graph 0.07",
		c->several_iommus ?
		"i a v: VT-d AMD-Vi virtio, then d p s l w: modes; pg ph rt: APIs" :
		"d s l w: direct strict lazy swiotlb; pg ph rt: page phys roundtrip", n.rows - 1);
done:
	if (close_in(f, pl->dir, "summary.gp"))
		return -1;
	return add_script(pl, "summary.gp");
}

/* gnuplot's dumb terminal starts a page with a form feed: not in email. */
static int strip_form_feeds(const char *dir)
{
	char *path = path_in(dir, "summary.txt"), *text;
	size_t len, j = 0;
	int ret = -1;

	if (!path)
		return -1;
	text = read_file(path, &len);
	if (!text) {
		error_msg("%s: %s", path, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < len; i++)
		if (text[i] != '\f')
			text[j++] = text[i];
	ret = write_file_atomic(path, text, j);
	if (ret)
		error_msg("%s: %s", path, strerror(errno));
	free(text);
out:
	free(path);
	return ret;
}

/*
 * gnuplot with @argv in DIR, with no shell between: neither DIR nor
 * anything a result file says is ever parsed as a command line.
 */
static int gnuplot(const char *dir, char **argv)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		error_msg("fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		if (chdir(dir)) {
			error_msg("%s: %s", dir, strerror(errno));
			_exit(126);
		}
		execvp(argv[0], argv);
		error_msg("gnuplot: %s (is gnuplot installed? apt-get install gnuplot-nox)",
			  strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			error_msg("waitpid: %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		if (!WIFEXITED(status) || WEXITSTATUS(status) < 126)
			error_msg("gnuplot failed in %s", dir);
		return -1;
	}
	return 0;
}

/*
 * Every script in one gnuplot, a reset between them so that each starts
 * as it would alone: a gnuplot apiece took four times as long (cairo's
 * start each time). gnuplot stops at the first script that fails, and
 * names it.
 */
static int render(const struct plot *pl)
{
	char **argv = calloc(3 * pl->nscripts + 2, sizeof(*argv));
	size_t n = 0;
	int ret;

	if (!argv) {
		out_of_memory = 1;
		return -1;
	}
	argv[n++] = "gnuplot";
	for (size_t i = 0; i < pl->nscripts; i++) {
		argv[n++] = pl->scripts[i];
		argv[n++] = "-e";
		argv[n++] = "reset";
	}
	ret = gnuplot(pl->dir, argv);
	free(argv);
	return ret ? ret : strip_form_feeds(pl->dir);
}

int plot_write(const char *before, const char *after, const char *dir, int no_render)
{
	struct plot pl = { .dir = dir };
	struct comparison c;
	char err[1024];
	int ret;

	if (claim_output_dir(pl.dir))
		return 2;
	if (comparison_load(&c, before, after, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	pl.c = &c;
	out_of_memory = 0;
	ret = remove_stale(pl.dir);
	for (size_t k = 0; !ret && k < ARRAY_SIZE(modes) * IOMMU_ORDER_COUNT; k++) {
		const char *mode = modes[k / IOMMU_ORDER_COUNT];
		int group;

		pl.iommu = iommu_order[k % IOMMU_ORDER_COUNT];
		group = first_group(&c, mode, pl.iommu);
		if (pl.iommu && group < 0)
			continue;
		snprintf(pl.stem, sizeof(pl.stem), "%s%s%s", pl.iommu ? pl.iommu : "",
			 pl.iommu ? "-" : "", mode);
		/* one IOMMU: the first shape, as ever (its files stay when empty) */
		if (!c.several_iommus)
			group = 0;
		ret |= bars(&pl, mode, group);
		ret |= change(&pl, mode, group);
		ret |= gap(&pl, mode, group);
		ret |= dist(&pl, mode, group);
		ret |= sweep(&pl, mode);
	}
	if (!ret)
		ret = summary(&pl);
	comparison_free(&c);
	if (!ret && !out_of_memory && !no_render)
		ret = render(&pl);
	if (out_of_memory) {
		error_msg("out of memory");
		ret = -1;
	}
	for (size_t i = 0; i < pl.nscripts; i++)
		free(pl.scripts[i]);
	free(pl.scripts);
	return ret ? 1 : 0;
}
