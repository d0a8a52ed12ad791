/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf counters around one RUN request, opened with perf_event_open on the
 * measuring CPUs (or on the runner itself when the module runs the loop in
 * its context). The timed pass uses hardware and software counters only:
 * an enabled tracepoint runs code inside the measured calls, so tracepoints
 * are counted in a pass of their own whose cycles are never reported.
 */
#ifndef DMABENCH_COUNTERS_H
#define DMABENCH_COUNTERS_H

#include <jansson.h>
#include <stdint.h>

enum counter_pass { PASS_TIMED, PASS_TRACEPOINTS };

struct counters;

/* @cpus: the CPUs to count on, or NULL/0 to count the calling thread. */
struct counters *counters_open(enum counter_pass pass, const int *cpus,
			       int ncpus);
void counters_enable(struct counters *c);
void counters_disable(struct counters *c);

/*
 * Add one member per event to @obj: {"total": N, "per_op": N / calls}, or
 * the string "unavailable" where the event could not be opened.
 */
void counters_to_json(struct counters *c, uint64_t calls, json_t *obj);
void counters_close(struct counters *c);

/* {"name": true|false} for each event of @pass this system could count. */
json_t *counters_available(enum counter_pass pass);

#endif
