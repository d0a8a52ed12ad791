// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench request: one RUN request exactly as given, numbers included, so
 * the module's own checks (not the config parser's) can be exercised.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "device.h"
#include "names.h"
#include "options.h"
#include "util.h"

static const char request_usage[] =
"usage: dmabench request [-d|--device PATH] [--wait-for FILE]\n"
"                        KEY=VALUE...\n"
"\n"
"Send one RUN request without the config parser's checks and print what\n"
"the module answered.\n"
"Keys (numbers reach the module unchecked, but must fit the field: decimal\n"
"or 0x hex, no octal; cpu may be negative):\n"
"  api=NAME|N  size=BYTES  offset=N  pattern=NAME|N  dir=NAME|N\n"
"  attrs=N  flags=N  batch=N  batches=N  warmup=N  cpu=N  threads=N\n"
"  nents=N  pool=N  deadline_ms=N  reserved32=N\n"
"Defaults: api=page size=4096 pattern=pair dir=to_device batch=16\n"
"batches=4 warmup=1.\n"
"Exit: 0 measured, 1 the module refused or failed, 2 bad usage or no\n"
"device.\n";

static const struct cli_option request_options[] = {
	CLI_GROUP(device_cli_options),
	CLI_OPT("wait-for", 'w', "FILE",
		"open the device, ask INFO, then wait until FILE exists, then send "
		"INFO and RUN on the same open file (for fault tests: unbind or "
		"rmmod while the node is open)"),
	CLI_HELP,
	CLI_END
};

/* The request's fields by key, with their width: a value must fit. */
struct field {
	const char *key;
	size_t offset;
	int bits;		/* 32 or 64 unsigned; -32 signed */
	int (*from_name)(const char *name);
};

#define F(k, member, w, names) { k, offsetof(struct dmabench_run, member), w, names }
static const struct field fields[] = {
	F("api", api, 32, api_from_name),
	F("pattern", pattern, 32, pattern_from_name),
	F("dir", dir, 32, dir_from_name),
	F("size", length, 32, NULL),
	F("offset", offset, 32, NULL),
	F("attrs", attrs, 64, NULL),
	F("flags", flags, 32, NULL),
	F("batch", batch, 32, NULL),
	F("batches", batches, 32, NULL),
	F("warmup", warmup, 32, NULL),
	F("cpu", cpu, -32, NULL),
	F("threads", threads, 32, NULL),
	F("nents", nents, 32, NULL),
	F("pool", pool, 32, NULL),
	F("deadline_ms", deadline_ms, 32, NULL),
	F("reserved32", reserved32, 32, NULL),
};
#undef F

/* Decimal, or 0x hex; a leading 0 before more digits is refused (octal?). */
static int number(const char *v, int bits, unsigned long long *out)
{
	int neg = *v == '-' && bits < 0, base = 10;
	const char *d = v + neg;
	unsigned long long x, max;
	char *end;

	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
		base = 16, d += 2;
	else if (d[0] == '0' && d[1])
		return -1;
	if (!isxdigit((unsigned char)*d))
		return -1;
	errno = 0;
	x = strtoull(d, &end, base);
	if (errno || *end)
		return -1;
	max = bits == 64 ? ~0ULL : bits == 32 ? 0xffffffffULL : neg ? 0x80000000ULL : 0x7fffffffULL;
	if (x > max)
		return -1;
	*out = neg ? (unsigned long long)-(long long)x : x;
	return 0;
}

static int set_field(struct dmabench_run *r, const char *k, const char *v)
{
	unsigned long long x;
	size_t i;
	int e;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(fields[i].key, k))
			break;
	if (i == sizeof(fields) / sizeof(fields[0])) {
		error_msg("unknown key '%s' (known: api size offset pattern dir attrs flags batch batches warmup cpu threads nents pool deadline_ms reserved32)",
			  k);
		return -1;
	}
	if (fields[i].from_name && (e = fields[i].from_name(v)) >= 0) {
		x = (unsigned long long)e;
	} else if (!strcmp(k, "size")) {
		long long sz = parse_size(v);

		if (sz < 0 || sz > 0xffffffffLL) {
			error_msg("key 'size': '%s' is not a size that fits 32 bits (e.g. 4096, 4k)", v);
			return -1;
		}
		x = (unsigned long long)sz;
	} else if (number(v, fields[i].bits, &x)) {
		error_msg("key '%s': '%s' is not %sa %s number (decimal or 0x hex)", k, v,
			  fields[i].from_name ? "a name nor " : "",
			  fields[i].bits == 64 ? "64-bit" : fields[i].bits < 0 ? "32-bit signed" : "32-bit");
		return -1;
	}
	if (fields[i].bits == 64) {
		uint64_t u = x;

		memcpy((char *)r + fields[i].offset, &u, sizeof(u));
	} else {
		uint32_t u = (uint32_t)x;

		memcpy((char *)r + fields[i].offset, &u, sizeof(u));
	}
	return 0;
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
	int fd, ret, opt;

	/* in order: KEY=VALUE words end the options; "cpu=-1" is not one */
	while ((opt = cli_getopt_in_order(argc, argv, request_options)) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'w': wait_for = optarg; break;
		case 'h': return cli_usage(request_usage, request_options, 0);
		default: return cli_usage(request_usage, request_options, 2);
		}
	}
	for (int i = optind; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq) {
			error_msg("'%s' is not KEY=VALUE", argv[i]);
			return 2;
		}
		*eq = '\0';
		if (set_field(&r, argv[i], eq + 1))
			return 2;
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
