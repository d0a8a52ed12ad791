// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench mapbench: the kernel's own dma_map_benchmark
 * (kernel/dma/map_benchmark.c, CONFIG_DMA_MAP_BENCHMARK) on the device
 * dmabench.ko drives, as a cross-check of dmabench's `single` figures.
 *
 * The device is taken from dmabench (unbind), handed to the
 * "dma_map_benchmark" PCI driver through driver_override, measured with one
 * DMA_MAP_BENCHMARK ioctl on debugfs, and given back (unbind, clear
 * driver_override, reprobe), and /dev/dmabench must answer INFO again for
 * the same device. Run it after dmabench's measurements, never inside one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "device.h"
#include "options.h"
#include "results.h"
#include "util.h"

/*
 * struct map_benchmark and DMA_MAP_BENCHMARK as in Linux 7.3.4's
 * include/uapi/linux/map_benchmark.h. Fields were added over time by
 * carving them out of expansion[] (dma_trans_ns, granule, map_mode), so the
 * struct stays 136 bytes and the ioctl number, which encodes the size,
 * stays the same. This request sets only fields whose values mean the same
 * in every layout that keeps that size: map_mode 0 (single), granule 1 (one
 * page; a kernel before granule maps one page), dma_trans_ns 0, and zeroes
 * the rest of expansion[]. A kernel whose struct has another size refuses
 * the ioctl number (EINVAL or ENOTTY), and then this command refuses too.
 */
struct map_benchmark {
	uint64_t avg_map_100ns;
	uint64_t map_stddev;
	uint64_t avg_unmap_100ns;
	uint64_t unmap_stddev;
	uint32_t threads;
	uint32_t seconds;
	int32_t node;
	uint32_t dma_bits;
	uint32_t dma_dir;
	uint32_t dma_trans_ns;
	uint32_t granule;
	uint8_t map_mode;
	uint8_t expansion[75];
};

_Static_assert(sizeof(struct map_benchmark) == 136,
	       "struct map_benchmark is 136 bytes in every known layout");

#define DMA_MAP_BENCHMARK _IOWR('d', 1, struct map_benchmark)
#define DMA_MAP_BIDIRECTIONAL 0
#define DMA_MAP_TO_DEVICE 1
#define DMA_MAP_FROM_DEVICE 2
#define DMA_MAP_BENCH_SINGLE_MODE 0
#define MAPBENCH_DRIVER "dma_map_benchmark"
#define DMABENCH_DRIVER "dmabench"
#define DEBUGFS_MAGIC 0x64626720

static const char mapbench_usage[] =
"usage: dmabench mapbench [options]\n"
"\n"
"Cross-check dmabench's `single` figures with the kernel's own\n"
"dma_map_benchmark (CONFIG_DMA_MAP_BENCHMARK): take the device dmabench.ko\n"
"drives from it, bind it to the dma_map_benchmark driver (driver_override),\n"
"run one DMA_MAP_BENCHMARK ioctl (single mode, one page, one thread), and\n"
"give the device back to dmabench; /dev/dmabench must answer again.\n"
"dma_map_benchmark times each dma_map_single()/dma_unmap_single() with\n"
"ktime_get() and reports means in 100 ns steps (each sample rounded down),\n"
"its own ktime_get() cost included. Run it after dmabench's measurements.\n"
"\n"
"Prints the cross-check as JSON. status \"ok\"; \"not available\" with the\n"
"reason (no such driver in this kernel: exit 0); or \"error\" (exit 1):\n"
"debugfs not mounted, the ioctl refused, the device not back with\n"
"dmabench. With --result the result keeps its cells either way. No\n"
"dmabench node, or a result it cannot load: exit 2, nothing touched.\n";

enum { DEBUGFS = CLI_LONG_ONLY, SYSFS };

static const struct cli_option mapbench_options[] = {
	CLI_OPT("result", 'r', "FILE",
		"add the cross-check to this result as \"map_benchmark\"; it is "
		"made beside the first `single` cell of one page, pair pattern, one "
		"thread (its direction); a result without a `single` cell is left "
		"alone"),
	CLI_OPT("dir", 'D', "DIR",
		"to_device, from_device or bidirectional (default: the cell's; "
		"without --result, bidirectional)"),
	CLI_OPT("seconds", 's', "N", "how long dma_map_benchmark runs, 1..300 (default 1)"),
	CLI_OPT("dma-bits", 'b', "N", "DMA mask it sets, 1..64 (default 64, as dmabench.ko)"),
	CLI_GROUP(device_cli_options),
	CLI_OPT("debugfs", DEBUGFS, "DIR", "where debugfs is mounted (default /sys/kernel/debug)"),
	CLI_OPT("sysfs", SYSFS, "DIR", "sysfs (default /sys)"),
	CLI_HELP,
	CLI_END
};

struct ctx {
	const char *sysfs, *debugfs, *node;
	char pci[64];
	char err[1024];
};

static int write_attr(struct ctx *c, const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		snprintf(c->err, sizeof(c->err), "%.400s: %s", path, strerror(errno));
		return -1;
	}
	n = write(fd, val, strlen(val));
	if (n < 0) {
		snprintf(c->err, sizeof(c->err), "writing '%.60s' to %.400s: %s", val, path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The driver bound to the device now: "" when none, NULL on error. */
static const char *bound_driver(struct ctx *c, char *buf, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;
	const char *base;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", c->sysfs, c->pci);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		if (errno == ENOENT) {
			buf[0] = '\0';
			return buf;
		}
		snprintf(c->err, sizeof(c->err), "%.400s: %s", path, strerror(errno));
		return NULL;
	}
	link[n] = '\0';
	base = strrchr(link, '/');
	snprintf(buf, len, "%.100s", base ? base + 1 : link);
	return buf;
}

static int sysfs_write(struct ctx *c, const char *rel, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", c->sysfs, rel);
	return write_attr(c, path, val);
}

static int set_override(struct ctx *c, const char *drv)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/driver_override", c->pci);
	/* a newline alone clears it */
	return sysfs_write(c, rel, drv[0] ? drv : "\n");
}

/* INFO through dmabench's node, retried while the node comes back. */
static int dmabench_back(struct ctx *c)
{
	struct dmabench_info info;
	char err[512];
	int fd = -1;

	for (int i = 0; i < 50 && fd < 0; i++) {
		fd = device_open(c->node, err, sizeof(err));
		if (fd < 0)
			nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
	}
	if (fd < 0 || device_info(fd, &info, err, sizeof(err))) {
		if (fd >= 0)
			close(fd);
		snprintf(c->err, sizeof(c->err), "the device did not come back to dmabench: %s", err);
		return -1;
	}
	close(fd);
	if (strcmp(info.device, c->pci)) {
		snprintf(c->err, sizeof(c->err), "%s now drives %s, not %s", c->node,
			 info.device, c->pci);
		return -1;
	}
	return 0;
}

/* Give the device back: unbind whatever has it, clear, reprobe. */
static int give_back(struct ctx *c)
{
	char drv[128], rel[256];

	if (!bound_driver(c, drv, sizeof(drv)))
		return -1;
	if (strcmp(drv, DMABENCH_DRIVER)) {
		if (drv[0]) {
			snprintf(rel, sizeof(rel), "bus/pci/drivers/%s/unbind", drv);
			if (sysfs_write(c, rel, c->pci))
				return -1;
		}
		if (set_override(c, ""))
			return -1;
		if (sysfs_write(c, "bus/pci/drivers_probe", c->pci))
			return -1;
	}
	if (!bound_driver(c, drv, sizeof(drv)))
		return -1;
	if (strcmp(drv, DMABENCH_DRIVER)) {
		snprintf(c->err, sizeof(c->err), "the device %s is bound to '%s' after the reprobe, not to dmabench",
			 c->pci, drv[0] ? drv : "no driver");
		return -1;
	}
	return dmabench_back(c);
}

static int parse_dir(const char *s)
{
	if (!strcmp(s, "to_device"))
		return DMA_MAP_TO_DEVICE;
	if (!strcmp(s, "from_device"))
		return DMA_MAP_FROM_DEVICE;
	if (!strcmp(s, "bidirectional"))
		return DMA_MAP_BIDIRECTIONAL;
	return -1;
}

/* The cell to cross-check: single, one page at offset 0, pair, 1 thread. */
static json_t *single_cell(json_t *doc, int *any)
{
	size_t i;
	json_t *cell;

	*any = 0;
	json_array_foreach(json_object_get(doc, "cells"), i, cell) {
		json_t *t = json_object_get(cell, "threads");

		if (strcmp(json_str(cell, "api"), "single"))
			continue;
		*any = 1;
		if (!strcmp(json_str(cell, "status"), "ok") &&
		    json_integer_value(json_object_get(cell, "size")) == 4096 &&
		    json_integer_value(json_object_get(cell, "offset")) == 0 &&
		    !strcmp(json_str(cell, "pattern"), "pair") &&
		    (!t || json_integer_value(t) == 1))
			return cell;
	}
	return NULL;
}

/* The kernel's current clocksource (what ktime_get() reads), or "?". */
static void clocksource(struct ctx *c, char *buf, size_t len)
{
	char path[PATH_MAX], *t, *nl;

	snprintf(path, sizeof(path), "%s/devices/system/clocksource/clocksource0/current_clocksource",
		 c->sysfs);
	t = read_file(path, NULL);
	if (t && (nl = strchr(t, '\n')))
		*nl = '\0';
	snprintf(buf, len, "%.60s", t && t[0] ? t : "?");
	free(t);
}

/*
 * x86 boots on tsc-early and switches to tsc once the TSC is recalibrated,
 * about a second after boot: wait for it (at most 10 s) so that one run
 * reads one clock.
 */
static void settle_clocksource(struct ctx *c, char *buf, size_t len)
{
	clocksource(c, buf, len);
	for (int i = 0; i < 100 && !strcmp(buf, "tsc-early"); i++) {
		nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
		clocksource(c, buf, len);
	}
}

/*
 * The measurement: 0 ok, 1 not available (reason in c->err), -1 error. The
 * device goes back to dmabench on every path that took it.
 */
static int measure(struct ctx *c, struct map_benchmark *mb, int *returned,
		   char *clock, size_t clock_len)
{
	char path[PATH_MAX], drv[128], rel[256];
	struct statfs fs;
	struct stat st;
	int fd, ret = 0, e;

	*returned = -1;	/* not taken */
	snprintf(path, sizeof(path), "%s/bus/pci/drivers/%s", c->sysfs, MAPBENCH_DRIVER);
	if (stat(path, &st)) {
		snprintf(c->err, sizeof(c->err), "this kernel has no dma_map_benchmark driver (no %.400s: CONFIG_DMA_MAP_BENCHMARK is not set)",
			 path);
		return 1;
	}
	if (statfs(c->debugfs, &fs) || fs.f_type != DEBUGFS_MAGIC) {
		snprintf(c->err, sizeof(c->err), "debugfs is not mounted at %.300s (mount -t debugfs debugfs %.300s); the device was not touched",
			 c->debugfs, c->debugfs);
		return -1;
	}
	settle_clocksource(c, clock, clock_len);
	if (!bound_driver(c, drv, sizeof(drv)))
		return -1;
	if (strcmp(drv, DMABENCH_DRIVER)) {
		snprintf(c->err, sizeof(c->err), "the device %s is bound to '%s', not to dmabench; the device was not touched",
			 c->pci, drv[0] ? drv : "no driver");
		return -1;
	}
	*returned = 0;
	snprintf(rel, sizeof(rel), "bus/pci/drivers/%s/unbind", DMABENCH_DRIVER);
	if (sysfs_write(c, rel, c->pci)) {
		/* still dmabench's, or not: say which */
		if (!dmabench_back(c))
			*returned = 1;
		return -1;
	}
	snprintf(rel, sizeof(rel), "bus/pci/drivers/%s/bind", MAPBENCH_DRIVER);
	if (set_override(c, MAPBENCH_DRIVER) || sysfs_write(c, rel, c->pci)) {
		ret = -1;
		goto back;
	}
	snprintf(path, sizeof(path), "%s/dma_map_benchmark", c->debugfs);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(c->err, sizeof(c->err), "%.400s: %s (is the device bound to dma_map_benchmark?)",
			 path, strerror(errno));
		ret = -1;
		goto back;
	}
	if (ioctl(fd, DMA_MAP_BENCHMARK, mb)) {
		e = errno;
		if (e == EINVAL || e == ENOTTY)
			snprintf(c->err, sizeof(c->err), "DMA_MAP_BENCHMARK refused (%s): this kernel's struct map_benchmark may not be the 136-byte layout this runner mirrors, or a parameter is out of its range (see its kernel log)",
				 strerror(e));
		else
			snprintf(c->err, sizeof(c->err), "DMA_MAP_BENCHMARK failed: %s", strerror(e));
		ret = -1;
	}
	close(fd);
back:
	if (ret) {
		char first[sizeof(c->err)], second[sizeof(c->err)];

		memcpy(first, c->err, sizeof(first));
		if (give_back(c)) {
			memcpy(second, c->err, sizeof(second));
			snprintf(c->err, sizeof(c->err), "%.500s; then %.500s", first, second);
		} else {
			memcpy(c->err, first, sizeof(first));
			*returned = 1;
		}
		return ret;
	}
	if (give_back(c))
		return -1;
	*returned = 1;
	return 0;
}

/* One cross-check: its options, the result it adds to, what it measured. */
struct job {
	struct ctx c;
	const char *result, *dirname;
	long seconds, bits;
	json_t *doc, *cell, *out;
	struct map_benchmark mb;
	int rc, returned;
	char clock[64], clock_after[64];
};

/* The options into @j; -1 to go on, else the exit code. */
static int parse_options(struct job *j, int argc, char **argv)
{
	char *end;
	int opt;

	while ((opt = cli_getopt(argc, argv, mapbench_options)) != -1) {
		switch (opt) {
		case 'r': j->result = optarg; break;
		case 'D': j->dirname = optarg; break;
		case 's':
			j->seconds = strtol(optarg, &end, 10);
			if (*end || end == optarg || j->seconds < 1 || j->seconds > 300) {
				error_msg("--seconds takes 1..300, not '%s'", optarg);
				return 2;
			}
			break;
		case 'b':
			j->bits = strtol(optarg, &end, 10);
			if (*end || end == optarg || j->bits < 1 || j->bits > 64) {
				error_msg("--dma-bits takes 1..64, not '%s'", optarg);
				return 2;
			}
			break;
		case 'd': j->c.node = optarg; break;
		case DEBUGFS: j->c.debugfs = optarg; break;
		case SYSFS: j->c.sysfs = optarg; break;
		case 'h': return cli_usage(mapbench_usage, mapbench_options, 0);
		default: return cli_usage(mapbench_usage, mapbench_options, 2);
		}
	}
	if (optind != argc)
		return cli_usage(mapbench_usage, mapbench_options, 2);
	if (j->dirname && parse_dir(j->dirname) < 0) {
		error_msg("--dir takes to_device, from_device or bidirectional, not '%s'", j->dirname);
		return 2;
	}
	return -1;
}

/*
 * --result: the result loaded and the cell to measure beside, whose
 * direction is the default; -1 to go on, else the exit code.
 */
static int load_result(struct job *j)
{
	int any;

	if (!j->result)
		return -1;
	j->doc = result_load(j->result, j->c.err, sizeof(j->c.err));
	if (!j->doc) {
		error_msg("%s", j->c.err);
		return 2;
	}
	j->cell = single_cell(j->doc, &any);
	if (!any) {
		printf("mapbench: %s has no `single` cell: nothing to cross-check\n", j->result);
		json_decref(j->doc);
		return 0;
	}
	if (!j->dirname && j->cell)
		j->dirname = json_str(j->cell, "dir");
	return -1;
}

/* What dma_map_benchmark is asked, as the output's first fields. */
static json_t *request_json(const struct job *j)
{
	json_t *out;

	out = json_pack("{s:s, s:s, s:s, s:i, s:i, s:I, s:i, s:i, s:i}",
			"tool", "kernel dma_map_benchmark (kernel/dma/map_benchmark.c)",
			"map_mode", "single", "dir", j->dirname,
			"granule", 1, "threads", 1, "seconds", (json_int_t)j->seconds,
			"dma_bits", (int)j->bits, "node", -1, "dma_trans_ns", 0);
	if (j->result && j->cell)
		json_object_set_new(out, "beside_job", json_string(json_str(j->cell, "job")));
	return out;
}

/*
 * The measurement on the device dmabench drives, into j->rc; -1 to go on,
 * 2 when there is no such device (bad input, as in every command).
 */
static int cross_check(struct job *j)
{
	struct dmabench_info info;
	int fd;

	/* which device dmabench drives: /dev/dmabench closed before anything */
	fd = device_open(j->c.node, j->c.err, sizeof(j->c.err));
	if (fd < 0 || device_info(fd, &info, j->c.err, sizeof(j->c.err))) {
		if (fd >= 0)
			close(fd);
		error_msg("%s", j->c.err);
		return 2;
	}
	close(fd);
	snprintf(j->c.pci, sizeof(j->c.pci), "%s", info.device);
	json_object_set_new(j->out, "device", json_string(j->c.pci));
	memset(&j->mb, 0, sizeof(j->mb));
	j->mb.threads = 1;
	j->mb.seconds = j->seconds;
	j->mb.node = -1;
	j->mb.dma_bits = j->bits;
	j->mb.dma_dir = parse_dir(j->dirname);
	j->mb.granule = 1;
	j->mb.map_mode = DMA_MAP_BENCH_SINGLE_MODE;
	j->rc = measure(&j->c, &j->mb, &j->returned, j->clock, sizeof(j->clock));
	clocksource(&j->c, j->clock_after, sizeof(j->clock_after));
	return -1;
}

/* The outcome into the output: the figures, why not available, or the error. */
static void record_outcome(struct job *j)
{
	json_t *out = j->out;

	if (j->rc == 0) {
		json_object_set_new(out, "status", json_string("ok"));
		json_object_set_new(out, "clocksource", json_string(j->clock));
		if (strcmp(j->clock, j->clock_after))
			json_object_set_new(out, "clocksource_after", json_string(j->clock_after));
		json_object_set_new(out, "avg_map_100ns", json_integer(j->mb.avg_map_100ns));
		json_object_set_new(out, "map_stddev_100ns", json_integer(j->mb.map_stddev));
		json_object_set_new(out, "avg_unmap_100ns", json_integer(j->mb.avg_unmap_100ns));
		json_object_set_new(out, "unmap_stddev_100ns", json_integer(j->mb.unmap_stddev));
		json_object_set_new(out, "map_ns", json_integer(j->mb.avg_map_100ns * 100));
		json_object_set_new(out, "unmap_ns", json_integer(j->mb.avg_unmap_100ns * 100));
	} else if (j->rc == 1) {
		json_object_set_new(out, "status", json_string("not available"));
		json_object_set_new(out, "reason", json_string(j->c.err));
	} else {
		json_object_set_new(out, "status", json_string("error"));
		json_object_set_new(out, "error", json_string(j->c.err));
	}
	if (j->returned >= 0)
		json_object_set_new(out, "device_returned", json_boolean(j->returned));
}

/* Print the output and add it to the result; the exit code. */
static int report(struct job *j)
{
	char *text;

	text = json_dumps(j->out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (text)
		printf("%s\n", text);
	free(text);
	if (j->rc < 0)
		error_msg("dma_map_benchmark cross-check: %s", j->c.err);
	if (j->doc) {
		json_object_set(j->doc, "map_benchmark", j->out);
		if (result_write(j->result, j->doc, j->c.err, sizeof(j->c.err))) {
			error_msg("%s", j->c.err);
			j->rc = -1;
		}
		json_decref(j->doc);
	}
	json_decref(j->out);
	return j->rc < 0 ? 1 : 0;
}

int cmd_mapbench(int argc, char **argv)
{
	struct job j = {
		.c = { .sysfs = "/sys", .debugfs = "/sys/kernel/debug", .node = DMABENCH_DEVICE },
		.seconds = 1, .bits = 64, .returned = -1,
	};
	int ret;

	ret = parse_options(&j, argc, argv);
	if (ret < 0)
		ret = load_result(&j);
	if (ret >= 0)
		return ret;
	if (!j.dirname)
		j.dirname = "bidirectional";
	j.out = request_json(&j);
	if (j.result && !j.cell) {
		j.rc = 1;
		snprintf(j.c.err, sizeof(j.c.err), "no `single` cell of one page at offset 0, pair pattern, one thread that measured ok: dma_map_benchmark maps exactly that");
	} else {
		ret = cross_check(&j);
		if (ret >= 0) {
			json_decref(j.out);
			json_decref(j.doc);
			return ret;
		}
	}
	record_outcome(&j);
	return report(&j);
}
