// SPDX-License-Identifier: GPL-2.0
/* dmabench run: measure a config's matrix on /dev/dmabench, write a result. */
#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "device.h"
#include "names.h"
#include "results.h"
#include "stats.h"
#include "sysinfo.h"
#include "util.h"

static const char run_usage[] =
"usage: dmabench run [options] CONFIG\n"
"\n"
"Measure every cell of CONFIG's matrix on the dmabench device and write\n"
"one result document (JSON) with all per-batch samples.\n"
"\n"
"  -o, --output FILE       result file (default: dmabench-result.json)\n"
"  -m, --expect-mode MODE  refuse to run unless the device is in MODE\n"
"                          (direct strict lazy swiotlb passthrough)\n"
"  -a, --accel NAME        how the machine runs: host, tcg, tcg-icount, kvm\n"
"                          (recorded in the result; default host)\n"
"  -d, --device PATH       the module's device node (default /dev/dmabench)\n"
"  -q, --quiet             no progress line\n"
"  -h, --help              this text\n"
"\n"
"Exit status: 0 all cells measured or unsupported, 1 some cell failed,\n"
"2 bad usage or config, 3 the device is not in the expected mode.\n";

static json_t *module_json(const struct dmabench_info *info)
{
	json_t *apis = json_array();

	for (uint32_t a = 0; a < DMABENCH_API_COUNT; a++)
		if (info->apis & (1u << a))
			json_array_append_new(apis, json_string(api_name(a)));
	/* dma_max_mapping_size() is SIZE_MAX when nothing limits it. */
	json_t *max = info->max_mapping_size > INT64_MAX ? json_null() :
		      json_integer((json_int_t)info->max_mapping_size);

	return json_pack("{s:i, s:s, s:s, s:I, s:s, s:o, s:o, s:i, s:b}",
			 "abi_version", DMABENCH_ABI_VERSION,
			 "device", info->device,
			 "counter", info->counter,
			 "cycles_per_sec", (json_int_t)info->cycles_per_sec,
			 "detected_mode", mode_name(info->mode),
			 "apis", apis,
			 "max_mapping_size", max,
			 "iommu_domain_type", (int)info->iommu_domain_type,
			 "swiotlb_force", (int)info->swiotlb_force);
}

static json_t *cell_json(const struct cell *c)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:i, s:i, s:i, s:i, s:b}",
			 "job", c->job, "api", api_name(c->api),
			 "pattern", pattern_name(c->pattern),
			 "size", (int)c->size, "offset", (int)c->offset,
			 "dir", dir_name(c->dir),
			 "attrs", c->attrs ? "skip_cpu_sync" : "none",
			 "batch", (int)c->batch, "batches", (int)c->batches,
			 "warmup", (int)c->warmup, "cpu", c->cpu,
			 "irqs_off", c->irqs_off);
}

static void add_figures(json_t *cj, const struct dmabench_run *r,
			const struct dmabench_sample *s)
{
	json_t *map = json_array(), *unmap = json_array();
	double *pm = malloc(r->batches * sizeof(double));
	double *pu = malloc(r->batches * sizeof(double));

	for (uint32_t i = 0; i < r->batches; i++) {
		json_array_append_new(map, json_integer((json_int_t)s[i].map_cycles));
		json_array_append_new(unmap, json_integer((json_int_t)s[i].unmap_cycles));
		pm[i] = (double)s[i].map_cycles / r->batch;
		pu[i] = (double)s[i].unmap_cycles / r->batch;
	}
	json_object_set_new(cj, "status", json_string("ok"));
	json_object_set_new(cj, "ops", json_integer((json_int_t)r->ops));
	json_object_set_new(cj, "map_flags", json_pack("{s:b, s:b}",
		"dma_eq_phys", !!(r->map_flags & DMABENCH_MAP_DMA_EQ_PHYS),
		"in_swiotlb", !!(r->map_flags & DMABENCH_MAP_IN_SWIOTLB)));
	json_object_set_new(cj, "map_cycles_total", json_integer((json_int_t)r->map_cycles));
	json_object_set_new(cj, "unmap_cycles_total", json_integer((json_int_t)r->unmap_cycles));
	json_object_set_new(cj, "map_cycles_per_op", json_real(median(pm, r->batches)));
	json_object_set_new(cj, "unmap_cycles_per_op", json_real(median(pu, r->batches)));
	json_object_set_new(cj, "map_cycles_per_op_mean", json_real((double)r->map_cycles / r->ops));
	json_object_set_new(cj, "unmap_cycles_per_op_mean", json_real((double)r->unmap_cycles / r->ops));
	json_object_set_new(cj, "samples", json_pack("{s:s, s:o, s:o}",
		"unit", "cycles per batch", "map", map, "unmap", unmap));
	free(pm);
	free(pu);
}

static int pin_cpu(int cpu, char *err, size_t len)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		snprintf(err, len, "cannot pin to CPU %d: %s", cpu, strerror(errno));
		return -1;
	}
	return 0;
}

static void progress(size_t done, size_t total, const struct cell *c,
		     time_t start)
{
	long elapsed = (long)(time(NULL) - start);
	long eta = done ? elapsed * (long)(total - done) / (long)done : 0;

	fprintf(stderr, "\r[%3zu/%zu] %-12.12s %-9s %7u B  ETA %lds   ",
		done, total, c->job, api_name(c->api), c->size, eta);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static char *command_line(int argc, char **argv)
{
	size_t n = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = calloc(1, n);
	for (int i = 0; s && i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "expect-mode", required_argument, NULL, 'm' },
		{ "accel", required_argument, NULL, 'a' },
		{ "device", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *out = "dmabench-result.json", *dev = DMABENCH_DEVICE;
	const char *accel = "host";
	int expect = -1, quiet = !isatty(STDERR_FILENO), opt, failed = 0, fd;
	char err[1024], created[32], *cmdline;
	struct dmabench_info info;
	struct config cfg;
	json_t *doc, *cells;
	time_t start = time(NULL);

	cmdline = command_line(argc, argv);
	while ((opt = getopt_long(argc, argv, "o:m:a:d:qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'a': accel = optarg; break;
		case 'd': dev = optarg; break;
		case 'q': quiet = 1; break;
		case 'm':
			expect = mode_from_name(optarg);
			if (expect <= 0) {
				error_msg("unknown mode '%s' (known: %s)", optarg, mode_names());
				return 2;
			}
			break;
		case 'h': return usage(run_usage, 0);
		default: return usage(run_usage, 2);
		}
	}
	if (optind != argc - 1)
		return usage(run_usage, 2);
	if (config_load(argv[optind], &cfg, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	fd = device_open(dev, err, sizeof(err));
	if (fd < 0 || device_info(fd, &info, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	if (expect > 0 && (uint32_t)expect != info.mode) {
		error_msg("mode mismatch: requested %s, but %s is in %s mode (IOMMU domain type %#x, swiotlb force %u): refusing to report it",
			  mode_name(expect), info.device, mode_name(info.mode),
			  info.iommu_domain_type, info.swiotlb_force);
		return 3;
	}

	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime(&start));
	cells = json_array();
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s}, s:{s:s, s:s, s:s*}}",
			"schema", RESULT_SCHEMA, "schema_version", RESULT_SCHEMA_VERSION,
			"dmabench_version", DMABENCH_VERSION, "created", created,
			"command_line", cmdline ? cmdline : "",
			"system", sysinfo_collect(accel),
			"module", module_json(&info),
			"mode", "requested", expect > 0 ? mode_name(expect) : "any",
			"detected", mode_name(info.mode),
			"config", "path", cfg.path, "text", cfg.text ? cfg.text : "",
			"description", cfg.description);
	free(cmdline);

	for (size_t i = 0; i < cfg.ncells; i++) {
		const struct cell *c = &cfg.cells[i];
		struct dmabench_sample *s = calloc(c->batches, sizeof(*s));
		struct dmabench_run r = {
			.api = c->api, .pattern = c->pattern, .dir = c->dir,
			.attrs = c->attrs, .length = c->size, .offset = c->offset,
			.batch = c->batch, .batches = c->batches,
			.warmup = c->warmup,
			.flags = c->irqs_off ? DMABENCH_RUN_IRQS_OFF : 0,
			.samples = (uintptr_t)s,
		};
		json_t *cj = cell_json(c);
		int ret;

		if (!quiet)
			progress(i, cfg.ncells, c, start);
		ret = pin_cpu(c->cpu, err, sizeof(err));
		if (!ret)
			ret = device_run(fd, &info, &r, err, sizeof(err));
		if (!ret) {
			add_figures(cj, &r, s);
		} else {
			json_object_set_new(cj, "status", json_string(
				ret == -EOPNOTSUPP ? "unsupported" : "error"));
			json_object_set_new(cj, "error", json_string(err));
			if (ret != -EOPNOTSUPP) {
				error_msg("cell %zu ([%s] %s %u B): %s", i + 1, c->job,
					  api_name(c->api), c->size, err);
				failed = 1;
			}
		}
		json_array_append_new(cells, cj);
		free(s);
	}
	if (!quiet)
		progress(cfg.ncells, cfg.ncells, &cfg.cells[cfg.ncells - 1], start);
	json_object_set_new(doc, "cells", cells);
	json_object_set_new(doc, "complete", json_true());
	if (result_write(out, doc, err, sizeof(err))) {
		error_msg("%s", err);
		failed = 2;
	}
	json_decref(doc);
	config_free(&cfg);
	return failed;
}
