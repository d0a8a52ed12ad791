// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "counters.h"
#include "util.h"


struct event_desc {
	const char *name;
	uint32_t type;		/* 0 with a tracepoint name: look up its id */
	uint64_t config;
};

static const struct event_desc timed_events[] = {
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "dTLB-load-misses", PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_DTLB |
		(PERF_COUNT_HW_CACHE_OP_READ << 8) |
		(PERF_COUNT_HW_CACHE_RESULT_MISS << 16) },
	/* nanoseconds on the counted CPUs: a software event every kernel has */
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
};

static const char *const tracepoints[] = {
	"dma:dma_map_page", "dma:dma_unmap_page", "dma:dma_map_phys",
	"dma:dma_unmap_phys", "dma:dma_map_resource", "dma:dma_unmap_resource",
	"dma:dma_map_sg", "dma:dma_unmap_sg", "dma:dma_sync_single_for_cpu",
	"dma:dma_sync_single_for_device", "iommu:map", "iommu:unmap",
	"swiotlb:swiotlb_bounced",
};

#define NTIMED (sizeof(timed_events) / sizeof(timed_events[0]))
#define NTRACE (sizeof(tracepoints) / sizeof(tracepoints[0]))

struct counter {
	const char *name;
	int *fds;		/* one per CPU counted (or one: this thread) */
	int open;		/* 1: counting, 0: unavailable, -1: absent */
};

struct counters {
	struct counter ev[NTIMED + NTRACE];
	int nev;
	int ncpus;
};

static long perf_open(struct perf_event_attr *attr, int pid, int cpu)
{
	return syscall(SYS_perf_event_open, attr, pid, cpu, -1, 0);
}

/* The id of SYSTEM:NAME in tracefs, or -1 if this kernel lacks it. */
static long long tracepoint_id(const char *spec)
{
	static const char *const roots[] = { "/sys/kernel/tracing",
					     "/sys/kernel/debug/tracing" };
	char sys[64], path[256];
	const char *colon = strchr(spec, ':');

	snprintf(sys, sizeof(sys), "%.*s", (int)(colon - spec), spec);
	for (size_t i = 0; i < 2; i++) {
		long long id = -1;
		FILE *f;

		snprintf(path, sizeof(path), "%s/events/%s/%s/id", roots[i], sys, colon + 1);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%lld", &id) != 1)
			id = -1;
		fclose(f);
		return id;
	}
	return -1;
}

static void open_event(struct counters *c, struct counter *e, uint32_t type,
		       uint64_t config, const int *cpus)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr), .type = type, .config = config,
		.disabled = 1, .exclude_hv = 1,
	};
	int n = c->ncpus ? c->ncpus : 1;

	e->fds = malloc(n * sizeof(*e->fds));
	if (!e->fds) {
		e->open = 0;
		return;
	}
	e->open = 1;
	for (int i = 0; i < n; i++) {
		long fd = c->ncpus ? perf_open(&attr, -1, cpus[i])
				   : perf_open(&attr, 0, -1);

		e->fds[i] = (int)fd;
		if (fd < 0)
			e->open = 0;
	}
}

struct counters *counters_open(enum counter_pass pass, const int *cpus,
			       int ncpus)
{
	struct counters *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->ncpus = ncpus > 0 ? ncpus : 0;
	if (pass == PASS_TIMED) {
		for (size_t i = 0; i < NTIMED; i++) {
			struct counter *e = &c->ev[c->nev++];

			e->name = timed_events[i].name;
			open_event(c, e, timed_events[i].type, timed_events[i].config, cpus);
		}
		return c;
	}
	for (size_t i = 0; i < NTRACE; i++) {
		long long id = tracepoint_id(tracepoints[i]);
		struct counter *e = &c->ev[c->nev++];

		e->name = tracepoints[i];
		if (id < 0) {
			e->open = -1;	/* no fds */
			continue;
		}
		open_event(c, e, PERF_TYPE_TRACEPOINT, (uint64_t)id, cpus);
	}
	return c;
}

static void each_fd(struct counters *c, unsigned long req)
{
	int n = c->ncpus ? c->ncpus : 1;

	for (int i = 0; i < c->nev; i++)
		for (int j = 0; c->ev[i].open == 1 && j < n; j++) {
			ioctl(c->ev[i].fds[j], PERF_EVENT_IOC_RESET, 0);
			if (req != PERF_EVENT_IOC_RESET)
				ioctl(c->ev[i].fds[j], req, 0);
		}
}

void counters_enable(struct counters *c)
{
	if (c)
		each_fd(c, PERF_EVENT_IOC_ENABLE);
}

void counters_disable(struct counters *c)
{
	int n;

	if (!c)
		return;
	n = c->ncpus ? c->ncpus : 1;
	for (int i = 0; i < c->nev; i++)
		for (int j = 0; c->ev[i].open == 1 && j < n; j++)
			ioctl(c->ev[i].fds[j], PERF_EVENT_IOC_DISABLE, 0);
}

void counters_to_json(struct counters *c, uint64_t calls, json_t *obj)
{
	int n;

	if (!c)
		return;
	n = c->ncpus ? c->ncpus : 1;
	for (int i = 0; i < c->nev; i++) {
		struct counter *e = &c->ev[i];
		uint64_t total = 0, v;

		if (e->open < 0)
			continue;	/* this kernel has no such tracepoint */
		if (!e->open) {
			json_object_set_new(obj, e->name, json_string("unavailable"));
			continue;
		}
		for (int j = 0; j < n; j++) {
			if (read(e->fds[j], &v, sizeof(v)) != sizeof(v)) {
				total = UINT64_MAX;
				break;
			}
			total += v;
		}
		if (total == UINT64_MAX) {
			json_object_set_new(obj, e->name, json_string("unavailable"));
			continue;
		}
		json_object_set_new(obj, e->name, json_pack("{s:I, s:f}",
			"total", (json_int_t)total,
			"per_op", calls ? (double)total / (double)calls : 0.0));
	}
}

void counters_close(struct counters *c)
{
	int n;

	if (!c)
		return;
	n = c->ncpus ? c->ncpus : 1;
	for (int i = 0; i < c->nev; i++) {
		for (int j = 0; c->ev[i].fds && j < n; j++)
			if (c->ev[i].fds[j] >= 0)
				close(c->ev[i].fds[j]);
		free(c->ev[i].fds);
	}
	free(c);
}

json_t *counters_available(enum counter_pass pass)
{
	struct counters *c = counters_open(pass, NULL, 0);
	json_t *obj = json_object();

	for (int i = 0; c && i < c->nev; i++)
		if (c->ev[i].open >= 0)
			json_object_set_new(obj, c->ev[i].name, json_boolean(c->ev[i].open));
	counters_close(c);
	return obj;
}
