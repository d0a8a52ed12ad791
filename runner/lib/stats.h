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

/*
 * The samples of one side grouped by run (boot), runs one after another in
 * @v, already net of each run's baseline. A run is where the machine's
 * state (page placement, allocator state, the emulator's caches) is drawn
 * anew, so batches within a run are not independent of each other.
 */
struct runs_sample {
	const double *v;
	const size_t *sizes;	/* samples per run */
	size_t nruns;
};

/* The mean over runs of each run's median (or mean, @use_mean). */
double runs_figure(const struct runs_sample *s, int use_mean);

/*
 * Between runs: (largest - smallest run figure) over |runs_figure|, in
 * percent; NAN with fewer than two runs.
 */
double runs_between_pct(const struct runs_sample *s, int use_mean);

/*
 * 95 % interval of the change in percent of runs_figure(a) against
 * runs_figure(b), by a hierarchical bootstrap: draw runs with replacement,
 * then batches with replacement within each drawn run. With one run on
 * each side it draws exactly what bootstrap_change_ci draws.
 */
int bootstrap_runs_change_ci(const struct runs_sample *b,
			     const struct runs_sample *a, int use_mean,
			     unsigned int resamples, uint64_t seed,
			     double *lo, double *hi);

/* Each run's figure (median or mean) into @out (s->nruns values). */
void runs_figures(const struct runs_sample *s, int use_mean, double *out);

/* Student's t, two-sided 95 %: the 0.975 quantile for @df >= 1 degrees. */
double t975(double df);

/*
 * 95 % interval of the change in percent between the means of two sets of
 * run figures (at least two each), by Welch's t with the
 * Welch-Satterthwaite degrees of freedom rounded down. A few runs make a
 * bootstrap over runs too narrow; t accounts for how few they are.
 */
int welch_change_ci(const double *b, size_t nb, const double *a, size_t na,
		    double *lo, double *hi);

#endif
