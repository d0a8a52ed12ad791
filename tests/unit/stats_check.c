// SPDX-License-Identifier: GPL-2.0
/*
 * Prints runner/stats.c's figures for two lists of numbers (files, one per
 * line), for tests/unit/stats_reference.py to check against its own. With
 * KB KA, each list is also split into that many equal runs for the
 * hierarchical figures (the bases are subtracted first).
 */
#include <stdio.h>
#include <stdlib.h>

#include "stats.h"

static double *load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	double *v = NULL, x;
	size_t cap = 0;

	*n = 0;
	if (!f)
		return NULL;
	while (fscanf(f, "%lf", &x) == 1) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			v = realloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = x;
	}
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	static const double qs[] = { 0, 0.05, 0.25, 0.5, 0.75, 0.95, 1 };
	double *b, *a, lo, hi;
	size_t nb, na;

	if (argc != 5 && argc != 7)
		return 2;
	b = load(argv[1], &nb);
	a = load(argv[2], &na);
	if (!b || !a)
		return 2;
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		printf("q%.2f %.6f\n", qs[i], quantile(b, nb, qs[i]));
	printf("median %.6f\n", median(a, na));
	printf("noise %.6f\n", noise_pct(b, nb));
	if (bootstrap_change_ci(b, nb, atof(argv[3]), a, na, atof(argv[4]),
				BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, &lo, &hi))
		return 1;
	printf("ci %.6f %.6f\n", lo, hi);
	if (argc == 7) {
		size_t kb = strtoul(argv[5], NULL, 10), ka = strtoul(argv[6], NULL, 10);
		size_t *sb = calloc(kb, sizeof(*sb)), *sa = calloc(ka, sizeof(*sa));
		struct runs_sample rb = { b, sb, kb }, ra = { a, sa, ka };

		if (!kb || !ka || !sb || !sa || nb % kb || na % ka)
			return 2;
		for (size_t i = 0; i < nb; i++)
			b[i] -= atof(argv[3]);
		for (size_t i = 0; i < na; i++)
			a[i] -= atof(argv[4]);
		for (size_t i = 0; i < kb; i++)
			sb[i] = nb / kb;
		for (size_t i = 0; i < ka; i++)
			sa[i] = na / ka;
		printf("runs %.6f %.6f\n", runs_figure(&rb, 0), runs_figure(&ra, 0));
		printf("between %.6f %.6f\n", runs_between_pct(&rb, 0), runs_between_pct(&ra, 0));
		for (int use_mean = 0; use_mean < 2; use_mean++) {
			if (bootstrap_runs_change_ci(&rb, &ra, use_mean, BOOTSTRAP_RESAMPLES,
						     BOOTSTRAP_SEED, &lo, &hi))
				return 1;
			printf("hci%s %.6f %.6f\n", use_mean ? "-mean" : "", lo, hi);
		}
		{
			double fb[64], fa[64];

			if (kb > 64 || ka > 64)
				return 2;
			runs_figures(&rb, 0, fb);
			runs_figures(&ra, 0, fa);
			if (!welch_change_ci(fb, kb, fa, ka, &lo, &hi))
				printf("welch %.6f %.6f\n", lo, hi);
		}
		free(sb);
		free(sa);
	}
	return 0;
}
