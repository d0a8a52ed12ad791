/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One matrix cell: baseline, timed pass, tracepoint pass, explain pass ->
 * cell JSON.
 */
#ifndef DMABENCH_MEASURE_H
#define DMABENCH_MEASURE_H

#include <jansson.h>
#include <stddef.h>

#include "config.h"
#include "uapi/dmabench.h"

struct measure_env {
	int fd;
	const struct dmabench_info *info;
	int icount;		/* cycles are guest instructions: say so */
	json_t *baselines;	/* null-API figures by loop shape */
	int explain;		/* run the explain pass after each ok cell */
	int explain_sessions;	/* explain requests that completed so far */
};

/*
 * Measure @c and return its JSON (request, status, figures, samples,
 * counters). Returns NULL only when out of memory; a refused or failed
 * request is a cell with status "unsupported" or "error" and *failed set
 * for errors.
 */
json_t *measure_cell(struct measure_env *env, const struct cell *c,
		     int *failed);

#endif
