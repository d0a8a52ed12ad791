/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every config key described once, as fio's option table does: its name,
 * what it takes, its range and default, where it belongs and what it
 * means. The config parser validates from it, fills its defaults from it,
 * the comparison, merge and CSV export take their key lists from it, and
 * 'dmabench config --keys' prints docs/configs.md's table from it.
 */
#ifndef DMABENCH_PARAMS_H
#define DMABENCH_PARAMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct cell;
struct dmabench_run;

/* In table order. */
enum param_id {
	P_API, P_SIZE, P_OFFSET, P_PATTERN, P_DIR, P_ATTRS, P_BATCH,
	P_BATCHES, P_WARMUP, P_CPU, P_IRQS_OFF, P_THREADS, P_NENTS, P_POOL,
	P_BASELINE, P_COUNTERS, P_MODES, P_DESCRIPTION, P_GUEST_CPU, P_RUNS,
	P_IOMMU,
	P_COUNT
};

enum param_kind {
	PARAM_NAME,	/* one of a set of names */
	PARAM_SIZE,	/* bytes, decimal with an optional k or M suffix */
	PARAM_NUMBER,	/* a decimal integer in [min, max] */
	PARAM_BOOL,	/* yes or no */
	PARAM_TEXT,	/* the rest of the line */
};

#define PARAM_LIST	(1u << 0)	/* a list: every value is a cell */
#define PARAM_GLOBAL	(1u << 1)	/* [global] only: the run, not a cell */
#define PARAM_SHAPE	(1u << 2)	/* rows compared must agree on it */
#define PARAM_CELL	(1u << 3)	/* recorded in each result cell; the runs
					 * of one measurement agree on it */
#define PARAM_ANY	(1u << 4)	/* a number that also takes 'any' (-1) */

/* How a value is held in struct cell. */
enum cell_type { CELL_NONE, CELL_U32, CELL_S32, CELL_U64, CELL_BOOL };

struct param {
	const char *name;
	enum param_kind kind;
	unsigned int flags;
	long long min, max;	/* PARAM_SIZE, PARAM_NUMBER */
	const char *noun;	/* in "'X' is not a NOUN in MIN..MAX" */
	int (*from_name)(const char *name);	/* PARAM_NAME */
	const char *(*name_of)(uint32_t value);	/* PARAM_NAME */
	const char *(*names)(void);		/* PARAM_NAME, for errors */
	enum cell_type cell_type;	/* where a cell holds it, if it does */
	size_t cell_offset;
	unsigned int request_width;	/* bytes of its RUN request field, or 0 */
	size_t request_offset;
	const char *def;	/* the default, as a config writes it; NULL: none */
	const char *values;	/* what it takes, for docs/configs.md */
	const char *shown_default;	/* docs/configs.md's default column if not def */
};

extern const struct param params[P_COUNT];

/*
 * @q's default as a result cell records it (4k as 4096, no as false), or
 * NULL when it has none. A key added to the table later takes, as its
 * default, what results written before it measured: a result without the
 * key is read as having the default, so that it keeps pairing.
 */
json_t *param_default_json(const struct param *q);

/*
 * Where a cell's api and pattern leave key @k unused, what the cell records
 * for it (nents outside sg: 1; pool outside the pool pattern: 0), as the
 * module would take it: 1 with *@v set, else 0. The config reader and the
 * result loader both record cells by this one rule.
 */
int param_unused(enum param_id k, uint32_t api, uint32_t pattern, long long *v);

/* The parameter called @name, or NULL. */
const struct param *param_find(const char *name);

/* "api size ..." for error messages. */
const char *param_names(void);

/* docs/configs.md's table of keys, in markdown. */
void params_markdown(FILE *f);

/* Parameter @k of @c as the table holds it (0 if no cell holds it). */
long long cell_get(const struct cell *c, enum param_id k);
void cell_set(struct cell *c, enum param_id k, long long v);

/* @c's parameters into the RUN request fields the table names. */
void cell_to_request(const struct cell *c, struct dmabench_run *r);

/*
 * The guests' IOMMUs, by boot.sh's --iommu names: intel, amd, virtio on
 * x86_64 guests, smmuv3 on arm64 ones.
 */
#define IOMMU_COUNT 4
#define IOMMU_SMMUV3 3
const char *iommu_name(uint32_t i);
int iommu_from_name(const char *name);	/* -1: not one */

#endif
