// SPDX-License-Identifier: GPL-2.0
/*
 * Prints runner/stats.c's figures for two lists of numbers (files, one per
 * line), for tests/unit/stats_reference.py to check against its own.
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

	if (argc != 5)
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
	return 0;
}
