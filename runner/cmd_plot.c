// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench plot: gnuplot data and scripts, and the PNG and SVG they draw,
 * for a before/after pair of result sets: per mode a bar chart with error
 * bars, the distribution of per-batch samples, a size sweep where a job
 * varies the size, and a text plot that fits a 72-column email.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "comparison.h"
#include "stats.h"
#include "results.h"
#include "util.h"

static const char plot_usage[] =
"usage: dmabench plot [-o DIR] [--no-render] BEFORE AFTER\n"
"\n"
"Write gnuplot data (.dat) and scripts (.gp) for two result sets into DIR\n"
"(default plots/) and run gnuplot on them:\n"
"  MODE-bars.png/.svg     net figure per API and op, before and after,\n"
"                         error bars from the 25th to the 75th percentile\n"
"  MODE-dist.png/.svg     cumulative distribution of per-batch figures\n"
"  MODE-sweep.png/.svg    figure against size on log axes (when a job\n"
"                         varies the size)\n"
"  summary.txt            a text plot (gnuplot dumb, 72 columns) of the\n"
"                         map figures of every API in every mode\n"
"  --no-render            write .dat and .gp only\n";

static const char *const modes[] = { "direct", "passthrough", "strict", "lazy",
				     "swiotlb" };
static const char *const terms[][2] = {
	{ "pngcairo size 960,540 noenhanced font ',10'", "png" },
	{ "svg size 960,540 noenhanced", "svg" },
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

static FILE *open_in(const char *dir, const char *name, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		error_msg("%s: %s", path, strerror(errno));
	return f;
}

/* One script drawing @plot into NAME.png and NAME.svg. */
static int write_script(const char *dir, const char *name, const char *setup,
			const char *plot)
{
	char path[4096], file[256];
	FILE *f;

	snprintf(file, sizeof(file), "%s.gp", name);
	f = open_in(dir, file, path, sizeof(path));
	if (!f)
		return -1;
	fprintf(f, "# dmabench plot: gnuplot %s\nset datafile missing '?'\n%s\n",
		file, setup);
	for (size_t t = 0; t < 2; t++)
		fprintf(f, "set terminal %s\nset output '%s.%s'\n%s\n", terms[t][0],
			name, terms[t][1], plot);
	fclose(f);
	return 0;
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

/* Bars: label, before, its q1 and q3, after, its q1 and q3. */
static int bars(const struct comparison *c, const char *dir, const char *mode,
		int group)
{
	char path[4096], name[64], dat[80], setup[512], plot[512];
	int rows = 0;
	FILE *f;

	snprintf(name, sizeof(name), "%s-bars", mode);
	snprintf(dat, sizeof(dat), "%s.dat", name);
	f = open_in(dir, dat, path, sizeof(path));
	if (!f)
		return -1;
	fprintf(f, "# api-op before q1 q3 after q1 q3 (%s)\n", comparison_unit(c));
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		double q1, q3;

		if (strcmp(r->mode, mode) || r->group != group)
			continue;
		fprintf(f, "%s-%s", json_str(r->cell, "api"), r->op);
		put(f, r->b);
		quartiles(isnan(r->b) ? NULL : r->bcell, r->op, &q1, &q3);
		put(f, q1);
		put(f, q3);
		put(f, r->a);
		quartiles(isnan(r->a) ? NULL : r->acell, r->op, &q1, &q3);
		put(f, q1);
		put(f, q3);
		fputc('\n', f);
		rows++;
	}
	fclose(f);
	if (!rows)
		return unlink(path), 0;
	snprintf(setup, sizeof(setup),
		 "set title '%s: %s, net of the empty loop'\n"
		 "set style data histogram\nset style histogram errorbars gap 1 lw 1\n"
		 "set style fill solid 0.5 border -1\nset xtics rotate by -30\n"
		 "set ylabel '%s'\nset yrange [0:*]\nset key top left",
		 mode, comparison_unit(c), comparison_unit(c));
	snprintf(plot, sizeof(plot),
		 "plot '%s' using 2:3:4:xtic(1) title 'before %s', "
		 "'' using 5:6:7 title 'after %s'", dat, kernel(c->before), kernel(c->after));
	return write_script(dir, name, setup, plot);
}

/* Cumulative distribution of each API's per-batch map figure, both sides. */
static int dist(const struct comparison *c, const char *dir, const char *mode,
		int group)
{
	char path[4096], name[64], dat[80], setup[512], plot[4096];
	int series = 0, n = 0;
	FILE *f;

	snprintf(name, sizeof(name), "%s-dist", mode);
	snprintf(dat, sizeof(dat), "%s.dat", name);
	f = open_in(dir, dat, path, sizeof(path));
	if (!f)
		return -1;
	n = snprintf(plot, sizeof(plot), "plot ");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		if (strcmp(r->mode, mode) || r->group != group || strcmp(r->op, "map") ||
		    !strcmp(json_str(r->cell, "api"), "null"))
			continue;
		for (int s = 0; s < 2; s++) {
			const char *sname = s ? "after" : "before";
			double fig = s ? r->a : r->b;
			json_t *cell = NULL;
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
			fprintf(f, "# %s %s\n", sname, json_str(r->cell, "api"));
			for (size_t j = 0; j < k; j++)
				fprintf(f, "%.3f %.5f\n", v[j], (double)(j + 1) / (double)k);
			fprintf(f, "\n\n");
			free(v);
			n += snprintf(plot + n, sizeof(plot) - n,
				      "%s'%s' index %d using 1:2 with steps lw 2 title '%s %s'",
				      series ? ", " : "", dat, series, sname, json_str(r->cell, "api"));
			series++;
		}
	}
	fclose(f);
	if (!series)
		return unlink(path), 0;
	snprintf(setup, sizeof(setup),
		 "set title '%s: distribution of per-batch map figures'\n"
		 "set xlabel '%s, net'\nset ylabel 'fraction of batches'\n"
		 "set key bottom right\nset yrange [0:1.02]\nset grid",
		 mode, comparison_unit(c));
	return write_script(dir, name, setup, plot);
}

/* Figure against size, for cells of one job and API at several sizes. */
static int sweep(const struct comparison *c, const char *dir, const char *mode)
{
	char path[4096], name[64], dat[80], setup[512], plot[4096], last[160] = "";
	int series = -1, points = 0, n;
	FILE *f;

	snprintf(name, sizeof(name), "%s-sweep", mode);
	snprintf(dat, sizeof(dat), "%s.dat", name);
	f = open_in(dir, dat, path, sizeof(path));
	if (!f)
		return -1;
	n = snprintf(plot, sizeof(plot), "plot ");
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < c->nrows; i++) {
			const struct row *r = &c->rows[i];
			char key[160];
			double fig = s ? r->a : r->b;

			if (strcmp(r->mode, mode) || strcmp(r->op, "map") || isnan(fig) ||
			    !strcmp(json_str(r->cell, "api"), "null"))
				continue;
			snprintf(key, sizeof(key), "%s %s [%s]", s ? "after" : "before",
				 json_str(r->cell, "api"), json_str(r->cell, "job"));
			if (strcmp(key, last)) {
				if (series >= 0)
					fprintf(f, "\n\n");
				series++;
				snprintf(last, sizeof(last), "%s", key);
				n += snprintf(plot + n, sizeof(plot) - n,
					      "%s'%s' index %d using 1:2 with linespoints title '%s'",
					      series ? ", " : "", dat, series, key);
			}
			fprintf(f, "%lld %.3f\n",
				(long long)json_integer_value(json_object_get(r->cell, "size")), fig);
			points++;
		}
	}
	fclose(f);
	/* A sweep needs more points than series. */
	if (series < 0 || points <= series + 1) {
		snprintf(path, sizeof(path), "%s/%s", dir, dat);
		unlink(path);
		return 0;
	}
	snprintf(setup, sizeof(setup),
		 "set title '%s: map cost against size'\nset logscale xy 2\n"
		 "set xlabel 'bytes per mapping'\nset ylabel '%s, net'\n"
		 "set key top left\nset grid", mode, comparison_unit(c));
	return write_script(dir, name, setup, plot);
}

/* Two letters per API, so that a dumb-terminal axis stays legible. */
static const char *short_api(const char *api)
{
	static const char *const names[][2] = {
		{ "page", "pg" }, { "phys", "ph" }, { "roundtrip", "rt" },
		{ "single", "si" }, { "sg", "sg" }, { "resource", "rs" },
		{ "phys_mmio", "pm" }, { "iova", "io" }, { "sync", "sy" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(api, names[i][0]))
			return names[i][1];
	return api;
}

/* summary.txt: map figures of every API, every mode, as text. */
static int summary(const struct comparison *c, const char *dir)
{
	char path[4096], setup[1024], plot[512];
	int x = 0;
	FILE *f = open_in(dir, "summary.dat", path, sizeof(path));

	if (!f)
		return -1;
	fprintf(f, "# x label before after (map, %s)\n", comparison_unit(c));
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		if (r->group || strcmp(r->op, "map") || !strcmp(json_str(r->cell, "api"), "null"))
			continue;
		fprintf(f, "%d %c:%s", x++, !strcmp(r->mode, "swiotlb") ? 'w' : r->mode[0],
			short_api(json_str(r->cell, "api")));
		put(f, r->b);
		put(f, r->a);
		fputc('\n', f);
	}
	fclose(f);
	snprintf(setup, sizeof(setup),
		 "set terminal dumb size 72,24\nset output 'summary.txt'\n"
		 "set title 'map, %s (B before, A after)'\nset logscale y\n"
		 "set xlabel 'd s l w: direct strict lazy swiotlb; pg ph rt: page phys roundtrip'\n"
		 "set xtics rotate\nset key off\nset xrange [-0.5:%d.5]",
		 comparison_unit(c), x - 1);
	snprintf(plot, sizeof(plot),
		 "plot 'summary.dat' using 1:3:xtic(2) with points pt 'B', "
		 "'' using 1:4 with points pt 'A'");
	f = open_in(dir, "summary.gp", path, sizeof(path));
	if (!f)
		return -1;
	fprintf(f, "# dmabench plot: gnuplot summary.gp\nset datafile missing '?'\n%s\n%s\n",
		setup, plot);
	fclose(f);
	return 0;
}

/* gnuplot's dumb terminal starts a page with a form feed: not in email. */
static int strip_form_feeds(const char *dir)
{
	char path[4096];
	size_t len, j = 0;
	char *text;

	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	text = read_file(path, &len);
	if (!text)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (text[i] != '\f')
			text[j++] = text[i];
	len = write_file_atomic(path, text, j);
	free(text);
	return (int)len;
}

static int render(const char *dir)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && for g in *.gp; do gnuplot \"$g\" || exit 1; done", dir);
	if (system(cmd)) {
		error_msg("gnuplot failed in %s (is gnuplot installed? apt-get install gnuplot-nox)",
			  dir);
		return -1;
	}
	return strip_form_feeds(dir);
}

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "no-render", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *dir = "plots";
	struct comparison c;
	int opt, no_render = 0, ret = 0;
	char err[1024];

	while ((opt = getopt_long(argc, argv, "o:nh", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': dir = optarg; break;
		case 'n': no_render = 1; break;
		case 'h': return usage(plot_usage, 0);
		default: return usage(plot_usage, 2);
		}
	}
	if (optind != argc - 2)
		return usage(plot_usage, 2);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		error_msg("%s: %s", dir, strerror(errno));
		return 1;
	}
	if (comparison_load(&c, argv[optind], argv[optind + 1], err, sizeof(err))) {
		error_msg("%s", err);
		return 1;
	}
	for (size_t m = 0; !ret && m < sizeof(modes) / sizeof(modes[0]); m++) {
		ret |= bars(&c, dir, modes[m], 0);
		ret |= dist(&c, dir, modes[m], 0);
		ret |= sweep(&c, dir, modes[m]);
	}
	ret |= summary(&c, dir);
	comparison_free(&c);
	if (!ret && !no_render)
		ret = render(dir);
	return ret ? 1 : 0;
}
