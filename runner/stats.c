// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double sorted_quantile(const double *s, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos;

	if (lo + 1 >= n)
		return s[n - 1];
	return s[lo] + (pos - (double)lo) * (s[lo + 1] - s[lo]);
}

double quantile(const double *v, size_t n, double q)
{
	double *s, r;

	if (!n)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	r = sorted_quantile(s, n, q);
	free(s);
	return r;
}

double median(const double *v, size_t n)
{
	return quantile(v, n, 0.5);
}

double noise_pct(const double *v, size_t n)
{
	double m = median(v, n);

	if (!n || m == 0)
		return NAN;
	return 100.0 * (quantile(v, n, 0.75) - quantile(v, n, 0.25)) / fabs(m);
}

uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double mean(const double *v, size_t n)
{
	double sum = 0;

	if (!n)
		return NAN;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	return sum / (double)n;
}

/* The median, or the mean, of a resample of @v (n values) drawn with @state. */
static double resample(const double *v, size_t n, double *tmp, uint64_t *state,
		       int use_mean)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = v[splitmix64(state) % n];
	if (use_mean)
		return mean(tmp, n);
	qsort(tmp, n, sizeof(*tmp), cmp_double);
	return sorted_quantile(tmp, n, 0.5);
}

static int change_ci(const double *b, size_t nb, double base_b,
		     const double *a, size_t na, double base_a,
		     unsigned int resamples, uint64_t seed, int use_mean,
		     double *lo, double *hi)
{
	double *tmp, *changes;
	uint64_t state = seed;
	unsigned int k = 0;

	if (!nb || !na || !resamples)
		return -1;
	tmp = malloc((nb > na ? nb : na) * sizeof(*tmp));
	changes = malloc(resamples * sizeof(*changes));
	if (!tmp || !changes) {
		free(tmp);
		free(changes);
		return -1;
	}
	for (unsigned int r = 0; r < resamples; r++) {
		double mb = resample(b, nb, tmp, &state, use_mean) - base_b;
		double ma = resample(a, na, tmp, &state, use_mean) - base_a;

		if (mb != 0)
			changes[k++] = 100.0 * (ma - mb) / fabs(mb);
	}
	free(tmp);
	if (k < resamples / 2) {
		free(changes);
		return -1;
	}
	qsort(changes, k, sizeof(*changes), cmp_double);
	*lo = sorted_quantile(changes, k, 0.025);
	*hi = sorted_quantile(changes, k, 0.975);
	free(changes);
	return 0;
}

int bootstrap_change_ci(const double *b, size_t nb, double base_b,
			const double *a, size_t na, double base_a,
			unsigned int resamples, uint64_t seed,
			double *lo, double *hi)
{
	return change_ci(b, nb, base_b, a, na, base_a, resamples, seed, 0, lo, hi);
}

int bootstrap_mean_change_ci(const double *b, size_t nb, double base_b,
			     const double *a, size_t na, double base_a,
			     unsigned int resamples, uint64_t seed,
			     double *lo, double *hi)
{
	return change_ci(b, nb, base_b, a, na, base_a, resamples, seed, 1, lo, hi);
}
