/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics over per-batch samples: order statistics, a noise level, and a
 * bootstrap confidence interval for the change between two medians. The
 * resampling uses its own generator (splitmix64) with a fixed seed, so the
 * same inputs give the same interval on every machine.
 */
#ifndef DMABENCH_STATS_H
#define DMABENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The q-quantile (0..1) with linear interpolation (numpy's default). */
double quantile(const double *v, size_t n, double q);
double median(const double *v, size_t n);
double mean(const double *v, size_t n);

/* Interquartile range over the median, in percent: 0 for exact repeats. */
double noise_pct(const double *v, size_t n);

#define BOOTSTRAP_RESAMPLES 2000
#define BOOTSTRAP_SEED 20251125ULL

uint64_t splitmix64(uint64_t *state);

/*
 * 95 % interval of the change in percent of (median(a) - base_a) against
 * (median(b) - base_b), by resampling a and b with replacement @resamples
 * times. Returns 0, or -1 when the before figure is zero or an input empty.
 */
int bootstrap_change_ci(const double *b, size_t nb, double base_b,
			const double *a, size_t na, double base_a,
			unsigned int resamples, uint64_t seed,
			double *lo, double *hi);

/* The same for the change between two means (amortized figures). */
int bootstrap_mean_change_ci(const double *b, size_t nb, double base_b,
			     const double *a, size_t na, double base_a,
			     unsigned int resamples, uint64_t seed,
			     double *lo, double *hi);

#endif
