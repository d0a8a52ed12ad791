/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Before/after comparison of two result sets, cell by cell and mode by
 * mode: the rows that compare prints and report embeds, 72 columns wide.
 */
#ifndef DMABENCH_COMPARISON_H
#define DMABENCH_COMPARISON_H

#include <jansson.h>
#include <stdio.h>

/*
 * Under tcg-icount, the change in percent below which a strict or lazy row
 * of one boot a side is not starred: about three times the largest
 * between-boot move measured (docs/measurements.md).
 */
#define ICOUNT_IOMMU_FLOOR_PCT 1.0

struct row {
	const char *mode;
	const char *iommu;	/* result_iommu() when the sets hold several */
	json_t *cell;		/* the cell naming the row (either side) */
	json_t *bcell, *acell;	/* each side's cell, or NULL */
	int group;		/* index into the comparison's groups */
	const char *op;		/* "map" or "unmap" */
	char before[16];	/* figure or "n/a", "error", "-" */
	char after[16];
	double b, a;		/* NAN where there is no figure */
	double change, lo, hi;	/* percent; NAN where not computable */
	int significant;	/* the 95 % interval excludes zero, and the noise
				 * between boots is known (icount, or >= 2 runs) */
	int amortized;		/* mean of all ops, not median of batches */
	double noise_b, noise_a;	/* within one run, percent */
	double between_b, between_a;	/* between runs, percent; NAN: one run */
	size_t runs_b, runs_a;		/* runs (boots) behind each figure */
};

struct comparison {
	json_t *before, *after;	/* result sets (arrays of documents) */
	int icount;		/* figures are instructions */
	int amortize;		/* lazy rows amortized (else medians everywhere) */
	int several_iommus;	/* rows and groups tell IOMMUs apart */
	struct row *rows;
	size_t nrows;
	char (*groups)[80];	/* one header line per cell shape */
	size_t ngroups;
};

/*
 * Load both sides (files or folders) and compute every row. Refused, with
 * the reason in @err: a side mixing kernels or accels, and two sides that
 * answer different questions (two accels, two configs, a mode detected
 * differently), which no view may compare.
 */
int comparison_load(struct comparison *c, const char *before,
		    const char *after, char *err, size_t len);
void comparison_free(struct comparison *c);

/*
 * The same with medians in every mode when @amortize is 0: the path's own
 * cost, which under icount moves by exactly what the code changed, where
 * the amortized lazy figure also moves with when the flush queue drains.
 */
int comparison_load_stat(struct comparison *c, const char *before,
			 const char *after, int amortize, char *err, size_t len);

/* What the figures are, e.g. "guest instructions per op". */
const char *comparison_unit(const struct comparison *c);
const char *comparison_accel_label(json_t *set);

void comparison_print_table(const struct comparison *c, FILE *f);

/* A row's mode as a name: "strict", or "amd-strict" beside other IOMMUs. */
void comparison_row_mode(const struct row *r, char *buf, size_t len);

/* Rows of @mode give the amortized figure (lazy: the flush queue). */
int comparison_amortized(const char *mode);

/*
 * The figure compare gives an "ok" @cell of a result in @mode for @op:
 * net of the null twins, the median of batches (amortized where
 * comparison_amortized(@mode)), the mean of its runs' figures when it
 * holds several. NAN for any other status. export's CSV prints it.
 */
double comparison_cell_figure(json_t *cell, const char *mode, const char *op);

/* Runs (boots) behind a result set: the fewest of its documents. */
size_t comparison_runs(json_t *set);

/*
 * The per-op figures of every sample of an "ok" @cell for @op ("map" or
 * "unmap"), net of its baseline (not for the null API). Caller frees.
 */
double *comparison_values(json_t *cell, const char *op, size_t *n);

/*
 * What the page API costs over the phys API for @op ("map", "unmap") in
 * @mode's cell shape @group, on the after side (@after), else the before
 * side: the difference of the two cells' medians of batches, net, pooled
 * over runs. NAN where either has no figure. report's conclusions and
 * plot's MODE-gap both print it.
 */
double comparison_page_phys_gap(const struct comparison *c, const char *mode,
				int group, const char *op, int after);

/*
 * A row's change as compare's table prints it ("+40.5%", "+152%"), '*'
 * after it where the row is starred; "n/a" where there is no change.
 */
void comparison_change_label(const struct row *r, char *buf, size_t len);

/* What the table shows: the unit, the statistic, each side's kernel, the runs. */
void comparison_print_header(const struct comparison *c, FILE *f);

/*
 * 'dmabench compare': the header and table of two result sets into OUT
 * (atomically; NULL: stdout). 0, or 2 with the reason said.
 */
int comparison_write(const char *before, const char *after, const char *out);

#endif
