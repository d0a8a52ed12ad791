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

int bootstrap_change_ci(const double *b, size_t nb, double base_b,
			const double *a, size_t na, double base_a,
			unsigned int resamples, uint64_t seed,
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
		double mb = resample(b, nb, tmp, &state, 0) - base_b;
		double ma = resample(a, na, tmp, &state, 0) - base_a;

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


double runs_figure(const struct runs_sample *s, int use_mean)
{
	const double *v = s->v;
	double sum = 0;

	if (!s->nruns)
		return NAN;
	for (size_t r = 0; r < s->nruns; v += s->sizes[r], r++)
		sum += use_mean ? mean(v, s->sizes[r]) : median(v, s->sizes[r]);
	return sum / (double)s->nruns;
}

double runs_between_pct(const struct runs_sample *s, int use_mean)
{
	const double *v = s->v;
	double lo = INFINITY, hi = -INFINITY, fig = runs_figure(s, use_mean);

	if (s->nruns < 2 || fig == 0)
		return NAN;
	for (size_t r = 0; r < s->nruns; v += s->sizes[r], r++) {
		double x = use_mean ? mean(v, s->sizes[r]) : median(v, s->sizes[r]);

		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
	}
	return 100.0 * (hi - lo) / fabs(fig);
}

/* Runs drawn with replacement, then batches within each drawn run. */
static double resample_runs(const struct runs_sample *s, const size_t *start,
			    double *tmp, uint64_t *state, int use_mean)
{
	double sum = 0;

	for (size_t r = 0; r < s->nruns; r++) {
		/* one run: no draw, so the sequence is bootstrap_change_ci's */
		size_t pick = s->nruns > 1 ? splitmix64(state) % s->nruns : 0;

		sum += resample(s->v + start[pick], s->sizes[pick], tmp, state, use_mean);
	}
	return sum / (double)s->nruns;
}

static size_t *run_starts(const struct runs_sample *s, size_t *total)
{
	size_t *start = malloc((s->nruns + 1) * sizeof(*start));

	*total = 0;
	for (size_t r = 0; start && r < s->nruns; r++) {
		start[r] = *total;
		if (!s->sizes[r]) {
			free(start);
			return NULL;
		}
		*total += s->sizes[r];
	}
	return start;
}

int bootstrap_runs_change_ci(const struct runs_sample *b,
			     const struct runs_sample *a, int use_mean,
			     unsigned int resamples, uint64_t seed,
			     double *lo, double *hi)
{
	size_t *sb = NULL, *sa = NULL, nb, na, most = 0;
	double *tmp = NULL, *changes = NULL;
	uint64_t state = seed;
	unsigned int k = 0;
	int rc = -1;

	if (!b->nruns || !a->nruns || !resamples)
		return -1;
	sb = run_starts(b, &nb);
	sa = run_starts(a, &na);
	if (!sb || !sa)
		goto out;
	for (size_t r = 0; r < b->nruns; r++)
		most = b->sizes[r] > most ? b->sizes[r] : most;
	for (size_t r = 0; r < a->nruns; r++)
		most = a->sizes[r] > most ? a->sizes[r] : most;
	tmp = malloc(most * sizeof(*tmp));
	changes = malloc(resamples * sizeof(*changes));
	if (!tmp || !changes)
		goto out;
	for (unsigned int r = 0; r < resamples; r++) {
		double mb = resample_runs(b, sb, tmp, &state, use_mean);
		double ma = resample_runs(a, sa, tmp, &state, use_mean);

		if (mb != 0)
			changes[k++] = 100.0 * (ma - mb) / fabs(mb);
	}
	if (k < resamples / 2)
		goto out;
	qsort(changes, k, sizeof(*changes), cmp_double);
	*lo = sorted_quantile(changes, k, 0.025);
	*hi = sorted_quantile(changes, k, 0.975);
	rc = 0;
out:
	free(sb);
	free(sa);
	free(tmp);
	free(changes);
	return rc;
}

void runs_figures(const struct runs_sample *s, int use_mean, double *out)
{
	const double *v = s->v;

	for (size_t r = 0; r < s->nruns; v += s->sizes[r], r++)
		out[r] = use_mean ? mean(v, s->sizes[r]) : median(v, s->sizes[r]);
}

double t975(double df)
{
	static const double t[] = { 0, 12.706, 4.303, 3.182, 2.776, 2.571,
		2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
		2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
		2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042 };
	size_t k = df < 1 ? 1 : (size_t)df;

	if (k < sizeof(t) / sizeof(t[0]))
		return t[k];
	/* beyond 30: close to 1.96 + 2.4 / df (1.980 at 120) */
	return 1.96 + (t[30] - 1.96) * 30.0 / (double)k;
}

static double variance(const double *v, size_t n)
{
	double m = mean(v, n), sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (v[i] - m) * (v[i] - m);
	return sum / (double)(n - 1);
}

int welch_change_ci(const double *b, size_t nb, const double *a, size_t na,
		    double *lo, double *hi)
{
	double mb, ma, qb, qa, se, df, half;

	if (nb < 2 || na < 2)
		return -1;
	mb = mean(b, nb);
	ma = mean(a, na);
	if (mb == 0)
		return -1;
	qb = variance(b, nb) / (double)nb;
	qa = variance(a, na) / (double)na;
	se = sqrt(qb + qa);
	if (se == 0) {
		*lo = *hi = 100.0 * (ma - mb) / fabs(mb);
		return 0;
	}
	df = (qb + qa) * (qb + qa) /
	     (qb * qb / (double)(nb - 1) + qa * qa / (double)(na - 1));
	half = t975(floor(df)) * se;
	*lo = 100.0 * (ma - mb - half) / fabs(mb);
	*hi = 100.0 * (ma - mb + half) / fabs(mb);
	return 0;
}
