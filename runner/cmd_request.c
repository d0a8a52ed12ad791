// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench request: one RUN request exactly as given, numbers included, so
 * the module's own checks (not the config parser's) can be exercised.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "device.h"
#include "names.h"
#include "util.h"

static const char request_usage[] =
"usage: dmabench request [-d DEVICE] [--wait-for FILE] KEY=VALUE...\n"
"\n"
"Send one RUN request without the config parser's checks and print what\n"
"the module answered. --wait-for FILE: open the device, ask INFO, then\n"
"wait until FILE exists, then send INFO and RUN on the same open file\n"
"(for fault tests: unbind or rmmod while the node is open).\n"
"Keys (numbers pass through unchecked):\n"
"  api=NAME|N  size=BYTES  offset=N  pattern=NAME|N  dir=NAME|N\n"
"  attrs=N  flags=N  batch=N  batches=N  warmup=N  cpu=N  threads=N\n"
"  nents=N  pool=N\n"
"Defaults: api=page size=4096 pattern=pair dir=to_device batch=16\n"
"batches=4 warmup=1.\n";

static int no_names(const char *name)
{
	(void)name;
	return -1;
}

static int enum_or_number(const char *v, int (*from)(const char *), long long *out)
{
	char *end;
	int e = from(v);

	if (e >= 0) {
		*out = e;
		return 0;
	}
	*out = strtoll(v, &end, 0);
	return *end || end == v ? -1 : 0;
}

int cmd_request(int argc, char **argv)
{
	struct dmabench_run r = {
		.api = DMABENCH_API_PAGE, .length = 4096,
		.dir = DMABENCH_DIR_TO_DEVICE, .batch = 16, .batches = 4,
		.warmup = 1, .cpu = -1,
	};
	const char *dev = DMABENCH_DEVICE, *wait_for = NULL;
	struct dmabench_sample *s;
	struct dmabench_info info;
	char err[512];
	int fd, ret, i = 1;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return usage(request_usage, 0);
	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-d"))
			dev = argv[i + 1];
		else if (!strcmp(argv[i], "--wait-for"))
			wait_for = argv[i + 1];
		else
			break;
	}
	for (; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		const char *k = argv[i], *v;
		long long x;
		int bad;

		if (!eq) {
			error_msg("'%s' is not KEY=VALUE", argv[i]);
			return 2;
		}
		*eq = '\0';
		v = eq + 1;
		if (!strcmp(k, "api"))
			bad = enum_or_number(v, api_from_name, &x);
		else if (!strcmp(k, "pattern"))
			bad = enum_or_number(v, pattern_from_name, &x);
		else if (!strcmp(k, "dir"))
			bad = enum_or_number(v, dir_from_name, &x);
		else if (!strcmp(k, "size"))
			bad = (x = parse_size(v)) < 0;
		else
			bad = enum_or_number(v, no_names, &x);
		if (bad) {
			error_msg("key '%s': bad value '%s'", k, v);
			return 2;
		}
		if (!strcmp(k, "api")) r.api = x;
		else if (!strcmp(k, "pattern")) r.pattern = x;
		else if (!strcmp(k, "dir")) r.dir = x;
		else if (!strcmp(k, "size")) r.length = x;
		else if (!strcmp(k, "offset")) r.offset = x;
		else if (!strcmp(k, "attrs")) r.attrs = x;
		else if (!strcmp(k, "flags")) r.flags = x;
		else if (!strcmp(k, "batch")) r.batch = x;
		else if (!strcmp(k, "batches")) r.batches = x;
		else if (!strcmp(k, "warmup")) r.warmup = x;
		else if (!strcmp(k, "cpu")) r.cpu = x;
		else if (!strcmp(k, "threads")) r.threads = x;
		else if (!strcmp(k, "nents")) r.nents = x;
		else if (!strcmp(k, "pool")) r.pool = x;
		else {
			error_msg("unknown key '%s'", k);
			return 2;
		}
	}
	fd = device_open(dev, err, sizeof(err));
	if (fd < 0 || device_info(fd, &info, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	if (wait_for) {
		printf("device open, waiting for %s\n", wait_for);
		fflush(stdout);
		while (access(wait_for, F_OK))
			usleep(20000);
		/* INFO again on the same file: what it says now, then RUN */
		if (device_info(fd, &info, err, sizeof(err)))
			error_msg("%s", err);
	}
	s = calloc((size_t)(r.batches ? r.batches : 1) * (r.threads ? r.threads : 1),
		   sizeof(*s));
	r.samples = (uintptr_t)s;
	ret = device_run(fd, &info, &r, err, sizeof(err));
	close(fd);
	if (ret) {
		error_msg("%s", err);
		free(s);
		return 1;
	}
	printf("ok: api %s, %llu ops, %llu calls, %.1f map + %.1f unmap cycles per op, dma_eq_phys=%d in_swiotlb=%d\n",
	       api_name(r.api), (unsigned long long)r.ops,
	       (unsigned long long)r.calls,
	       (double)r.map_cycles / r.ops, (double)r.unmap_cycles / r.ops,
	       !!(r.map_flags & DMABENCH_MAP_DMA_EQ_PHYS),
	       !!(r.map_flags & DMABENCH_MAP_IN_SWIOTLB));
	free(s);
	return 0;
}
