// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench selftest: feed the module malformed requests and check that
 * each is refused with the documented errno, and that a valid request still
 * works afterwards (nothing was left mapped or locked).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "device.h"
#include "options.h"
#include "util.h"

static const char selftest_usage[] =
"usage: dmabench selftest [-d|--device PATH]\n"
"\n"
"Send malformed INFO and RUN requests (wrong size, ABI version, reserved\n"
"bits, unknown API, zero and oversized lengths, bad pointers, unknown\n"
"ioctl) and check the module's answer to each. Prints one line per check\n"
"and exits 1 if any check failed.\n";

static const struct cli_option selftest_options[] = {
	CLI_GROUP(device_cli_options),
	CLI_HELP,
	CLI_END
};

static int passed, failed;

static void expect(const char *what, int ret, int want)
{
	int got = ret ? errno : 0;

	if (got == want) {
		passed++;
		printf("ok   %-44s %s\n", what, want ? strerror(want) : "accepted");
	} else {
		failed++;
		printf("FAIL %-44s got %s, want %s\n", what,
		       got ? strerror(got) : "success",
		       want ? strerror(want) : "success");
	}
}

static struct dmabench_sample samples[4 * 64];

static struct dmabench_run good(void)
{
	struct dmabench_run r = {
		.size = sizeof(r), .abi_version = DMABENCH_ABI_VERSION,
		.api = DMABENCH_API_PAGE, .dir = DMABENCH_DIR_TO_DEVICE,
		.length = 4096, .batch = 4, .batches = 4,
		.samples = (uintptr_t)samples, .cpu = -1,
	};
	return r;
}

/*
 * RUN from a process without CAP_SYS_ADMIN: a child drops every capability
 * and reports the errno it got as its exit code.
 */
static int run_without_caps(int fd)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		struct dmabench_run r = good();

		if (syscall(SYS_capset, &hdr, data))
			_exit(255);
		_exit(ioctl(fd, DMABENCH_IOC_RUN, &r) ? errno & 0x7f : 0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) == 255)
		return -1;
	errno = WEXITSTATUS(status);
	return errno ? -1 : 0;
}

/* INFO malformed in each way it can be, and an ioctl the module lacks. */
static void info_checks(int fd)
{
	struct dmabench_info bad_info;

	bad_info = (struct dmabench_info){ .size = 8, .abi_version = DMABENCH_ABI_VERSION };
	expect("INFO with a short size", ioctl(fd, DMABENCH_IOC_INFO, &bad_info), EINVAL);
	bad_info = (struct dmabench_info){ .size = sizeof(bad_info), .abi_version = 99 };
	expect("INFO with an unknown ABI version", ioctl(fd, DMABENCH_IOC_INFO, &bad_info), EINVAL);
	bad_info = (struct dmabench_info){ .size = sizeof(bad_info), .abi_version = DMABENCH_ABI_VERSION };
	bad_info.reserved[3] = 1;
	expect("INFO with reserved bits set", ioctl(fd, DMABENCH_IOC_INFO, &bad_info), EINVAL);
	expect("INFO from a bad pointer", ioctl(fd, DMABENCH_IOC_INFO, (void *)8), EFAULT);
	expect("an unknown ioctl", ioctl(fd, _IO(DMABENCH_IOC_MAGIC, 77), 0), ENOTTY);
}

/* RUN's header and its enumerated fields, each out of range in turn. */
static void run_field_checks(int fd)
{
	struct dmabench_run r;

	r = good(); r.size -= 8;
	expect("RUN with a short size", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.abi_version = 0;
	expect("RUN with ABI version 0", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.reserved[0] = 1;
	expect("RUN with reserved bits set", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.reserved32 = 1;
	expect("RUN with its reserved word set", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.api = DMABENCH_API_COUNT;
	expect("RUN with an unknown API", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.pattern = DMABENCH_PATTERN_COUNT;
	expect("RUN with an unknown pattern", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.dir = 3;
	expect("RUN with DMA_NONE-like direction 3", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.attrs = 1ULL << 40;
	expect("RUN with an unknown attribute", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.flags = DMABENCH_RUN_NULL_TWIN;
	expect("RUN of the page API's null twins", ioctl(fd, DMABENCH_IOC_RUN, &r), 0);
	r = good(); r.flags = 1U << 30;
	expect("RUN with an unknown flag", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
}

/* RUN's sizes, counts and buffers: zero, past their limits, bad pointers. */
static void run_size_checks(int fd)
{
	struct dmabench_run r;

	r = good(); r.length = 0;
	expect("RUN with size 0", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.length = DMABENCH_MAX_SIZE + 1;
	expect("RUN with size above the maximum", ioctl(fd, DMABENCH_IOC_RUN, &r), E2BIG);
	r = good(); r.offset = 4096;
	expect("RUN with an offset of a whole page", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.batch = 0;
	expect("RUN with batch 0", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.batch = DMABENCH_MAX_BATCH + 1;
	expect("RUN with batch above the maximum", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.batches = 0;
	expect("RUN with no batches", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.samples = 0;
	expect("RUN without a sample buffer", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.samples = 8;
	expect("RUN with a bad sample pointer", ioctl(fd, DMABENCH_IOC_RUN, &r), EFAULT);
	r = good(); r.pattern = DMABENCH_PATTERN_BATCH; r.batch = 1024; r.length = 2U << 20;
	expect("RUN mapping more than 256 MiB at once", ioctl(fd, DMABENCH_IOC_RUN, &r), E2BIG);
	r = good(); r.batch = 1024; r.length = 2U << 20;
	expect("RUN whose batch maps more than 256 MiB", ioctl(fd, DMABENCH_IOC_RUN, &r), E2BIG);
}

/*
 * The fields added after the first ABI (deadline, INFO's reserved word,
 * threads and CPUs, sg entries, pool): a deadline is refused by a module
 * that does not name it among its features.
 */
static void later_field_checks(int fd, const struct dmabench_info *info)
{
	struct dmabench_info bad_info;
	struct dmabench_run r;

	r = good(); r.deadline_ms = 60000;
	if (info->features & DMABENCH_FEATURE_DEADLINE_MS)
		expect("a valid RUN with a deadline of its own", ioctl(fd, DMABENCH_IOC_RUN, &r), 0);
	else
		expect("RUN with a deadline an older module does not know", ioctl(fd, DMABENCH_IOC_RUN, &r),
		       EINVAL);
	bad_info = (struct dmabench_info){ .size = sizeof(bad_info),
		.abi_version = DMABENCH_ABI_VERSION, .reserved32 = 1 };
	expect("INFO with its reserved word set", ioctl(fd, DMABENCH_IOC_INFO, &bad_info), EINVAL);
	r = good(); r.threads = 2;
	expect("RUN with threads but no first CPU", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.cpu = 4095;
	expect("RUN on a CPU that does not exist", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.cpu = 0; r.threads = info->online_cpus + 1;
	expect("RUN with more threads than CPUs", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.api = DMABENCH_API_SG; r.nents = DMABENCH_MAX_NENTS + 1;
	expect("RUN with too many sg entries", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
	r = good(); r.pattern = DMABENCH_PATTERN_POOL;
	expect("RUN of the pool pattern without a pool", ioctl(fd, DMABENCH_IOC_RUN, &r), EINVAL);
}

/* The APIs this mode or kernel lacks, as INFO says: only those are asked. */
static void api_checks(int fd, const struct dmabench_info *info)
{
	struct dmabench_run r;

	if (info->mode_apis & (1u << DMABENCH_API_RESOURCE)) {
		r = good(); r.api = DMABENCH_API_RESOURCE; r.length = info->mmio_size + 1;
		if (r.length <= DMABENCH_MAX_SIZE)
			expect("RUN mapping more MMIO than the BAR has", ioctl(fd, DMABENCH_IOC_RUN, &r), E2BIG);
	}
	if ((info->apis & ~info->mode_apis) & (1u << DMABENCH_API_IOVA)) {
		r = good(); r.api = DMABENCH_API_IOVA;
		expect("RUN of the IOVA API without an IOMMU", ioctl(fd, DMABENCH_IOC_RUN, &r), ENXIO);
	}
	if (!(info->apis & (1u << DMABENCH_API_PHYS))) {
		r = good(); r.api = DMABENCH_API_PHYS;
		expect("RUN of dma_map_phys where it is absent", ioctl(fd, DMABENCH_IOC_RUN, &r), EOPNOTSUPP);
	}
}

/* Valid requests of each kind, after all the refusals: nothing was left behind. */
static void valid_runs(int fd, const struct dmabench_info *info)
{
	struct dmabench_run r;

	r = good();
	expect("a valid RUN after all of these", ioctl(fd, DMABENCH_IOC_RUN, &r), 0);
	r = good(); r.pattern = DMABENCH_PATTERN_BATCH;
	expect("a valid batch-pattern RUN", ioctl(fd, DMABENCH_IOC_RUN, &r), 0);
	r = good(); r.pattern = DMABENCH_PATTERN_POOL; r.pool = 64;
	expect("a valid pool-pattern RUN", ioctl(fd, DMABENCH_IOC_RUN, &r), 0);
	r = good(); r.cpu = 0; r.threads = info->online_cpus;
	expect("a valid RUN on every CPU at once", ioctl(fd, DMABENCH_IOC_RUN, &r), 0);
	r = good(); r.api = DMABENCH_API_SG; r.nents = 8;
	expect("a valid sg RUN with 8 entries", ioctl(fd, DMABENCH_IOC_RUN, &r), 0);
}

int cmd_selftest(int argc, char **argv)
{
	const char *dev = DMABENCH_DEVICE;
	struct dmabench_info info;
	char err[512];
	int fd, opt;

	while ((opt = cli_getopt(argc, argv, selftest_options)) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'h': return cli_usage(selftest_usage, selftest_options, 0);
		default: return cli_usage(selftest_usage, selftest_options, 2);
		}
	}
	if (optind != argc)
		return cli_usage(selftest_usage, selftest_options, 2);
	fd = device_open(dev, err, sizeof(err));
	if (fd < 0 || device_info(fd, &info, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	info_checks(fd);
	run_field_checks(fd);
	run_size_checks(fd);
	later_field_checks(fd, &info);
	api_checks(fd, &info);
	expect("RUN without CAP_SYS_ADMIN", run_without_caps(fd), EPERM);
	valid_runs(fd, &info);
	close(fd);
	printf("selftest: %d of %d checks passed\n", passed, passed + failed);
	return failed ? 1 : 0;
}
