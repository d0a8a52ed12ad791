// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fuzz: random and edge-value requests at the module, deterministic
 * by seed: random bytes of random sizes, boundary values of every RUN field,
 * bad pointers for the request and the samples, unknown ioctl numbers. Each
 * answer must be success or a documented errno; a reference request before
 * and after must measure the same (under icount: exactly).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "commands.h"
#include "device.h"
#include "options.h"
#include "util.h"

static const char fuzz_usage[] =
"usage: dmabench fuzz [-d|--device PATH] [-n|--count N] [-s|--seed S]\n"
"\n"
"Send N (default 10000) random and edge-value INFO, RUN and unknown ioctl\n"
"requests, the same ones for the same seed (default 1). Every answer must\n"
"be success or a documented errno (EINVAL E2BIG EFAULT ENOTTY EOPNOTSUPP\n"
"ENXIO ENOSPC ENOMEM ETIMEDOUT EINTR); a measured request must report its\n"
"ops. A reference request (page, pair, 4 KiB, interrupts off; its cheapest\n"
"batch, and the mean) is measured before and after.\n"
"Set /sys/module/dmabench/parameters/max_run_ms low first: some requests\n"
"are valid and long. Prints the count of each answer; exits 1 on any\n"
"undocumented answer or inconsistent result.\n";

static const struct cli_option fuzz_options[] = {
	CLI_GROUP(device_cli_options),
	CLI_OPT("count", 'n', "N", "how many requests to send (default 10000)"),
	CLI_OPT("seed", 's', "S", "the seed the requests are drawn from (default 1)"),
	CLI_HELP,
	CLI_END
};

static uint64_t rng;

static uint64_t next(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static uint64_t below(uint64_t n)
{
	return n ? next() % n : 0;
}

/* A boundary value around @max (the field's limit), or a random one. */
static uint64_t edge(uint64_t max)
{
	static const uint64_t fixed[] = { 0, 1, 2, 3, 4095, 4096, 4097,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL, ~0ULL };

	switch (below(4)) {
	case 0:
		return fixed[below(sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return max + below(3) - 1;
	case 2:
		return below(max + 2);
	default:
		return next();
	}
}

/* Small valid values most of the time, so that some requests measure. */
static uint64_t smallish(uint64_t max)
{
	return below(4) ? 1 + below(max < 16 ? max : 16) : edge(max);
}

enum { ANSWERS = 12 };
static const int documented[ANSWERS] = { 0, EINVAL, E2BIG, EFAULT, ENOTTY,
	EOPNOTSUPP, ENXIO, ENOSPC, ENOMEM, ETIMEDOUT, EINTR, EBUSY };
static const char *const answer_names[ANSWERS] = { "ok", "EINVAL", "E2BIG",
	"EFAULT", "ENOTTY", "EOPNOTSUPP", "ENXIO", "ENOSPC", "ENOMEM",
	"ETIMEDOUT", "EINTR", "EBUSY" };
static unsigned long counts[ANSWERS], undocumented, inconsistent;

static void tally(int ret, int e, const char *what)
{
	int i, got = ret ? e : 0;

	for (i = 0; i < ANSWERS; i++)
		if (documented[i] == got) {
			counts[i]++;
			return;
		}
	undocumented++;
	if (undocumented <= 10)
		printf("UNDOCUMENTED %s: %s\n", what, strerror(got));
}

struct arena {
	char *page;		/* one writable page, then a PROT_NONE page */
	char *rdonly;		/* a read-only page */
	struct dmabench_sample *samples;
	size_t nsamples;
};

/*
 * The reference request's cheapest batch, per op. Under icount the counter
 * is one virtual clock for both vCPUs: when TCG's round robin runs the other
 * vCPU inside a timed window, that batch reads more, interrupts off or not.
 * The cheapest of 64 batches is the path's own cost; the mean is printed too.
 */
static int reference(int fd, struct arena *a, double cheapest[2], double mean[2])
{
	struct dmabench_run r = {
		.size = sizeof(r), .abi_version = DMABENCH_ABI_VERSION,
		.api = DMABENCH_API_PAGE, .dir = DMABENCH_DIR_TO_DEVICE,
		.length = 4096, .batch = 16, .batches = 64, .warmup = 2,
		.cpu = -1, .samples = (uintptr_t)a->samples,
		/* no interrupt of this vCPU lands in a timed region */
		.flags = DMABENCH_RUN_IRQS_OFF,
	};
	uint64_t map_min = UINT64_MAX, unmap_min = UINT64_MAX;
	uint32_t i;

	if (ioctl(fd, DMABENCH_IOC_RUN, &r))
		return -errno;
	if (!r.ops || r.batches > a->nsamples)
		return -EPROTO;
	for (i = 0; i < r.batches; i++) {
		if (a->samples[i].map_cycles < map_min)
			map_min = a->samples[i].map_cycles;
		if (a->samples[i].unmap_cycles < unmap_min)
			unmap_min = a->samples[i].unmap_cycles;
	}
	cheapest[0] = (double)map_min / r.batch;
	cheapest[1] = (double)unmap_min / r.batch;
	mean[0] = (double)r.map_cycles / r.ops;
	mean[1] = (double)r.unmap_cycles / r.ops;
	return 0;
}

static void fill_random(void *p, size_t n)
{
	unsigned char *c = p;

	while (n--)
		*c++ = next();
}

static uint64_t bad_pointer(struct arena *a)
{
	static const uint64_t fixed[] = { 0, 1, 8, 4096, 0xffff888000000000ULL,
		0xffffffff81000000ULL, ~0ULL, 0x00007ffffffff000ULL };

	switch (below(4)) {
	case 0:
		return (uintptr_t)(a->page + 4096);	/* PROT_NONE */
	case 1:
		return (uintptr_t)a->rdonly;
	case 2:
		return (uintptr_t)(a->page + 4096 - below(64));	/* straddles */
	default:
		return fixed[below(sizeof(fixed) / sizeof(fixed[0]))];
	}
}

static void random_run(struct dmabench_run *r, struct arena *a, int mode)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->abi_version = DMABENCH_ABI_VERSION;
	r->api = smallish(DMABENCH_API_COUNT) - 1;
	r->pattern = smallish(DMABENCH_PATTERN_COUNT) - 1;
	r->dir = smallish(3) - 1;
	r->length = below(2) ? 64ULL << below(8) : edge(DMABENCH_MAX_SIZE);
	r->offset = below(2) ? 0 : edge(4096);
	r->batch = smallish(DMABENCH_MAX_BATCH);
	r->batches = smallish(DMABENCH_MAX_BATCHES);
	r->warmup = smallish(4) - 1;
	r->cpu = below(2) ? -1 : (int)edge(2);
	r->threads = below(2) ? 0 : edge(2);
	r->nents = below(2) ? 0 : edge(DMABENCH_MAX_NENTS);
	r->pool = below(2) ? 0 : edge(DMABENCH_MAX_POOL);
	r->samples = (uintptr_t)a->samples;
	if (mode == 1) {
		/* every field at an edge, one at a time */
		switch (below(18)) {
		case 0: r->api = edge(DMABENCH_API_COUNT); break;
		case 1: r->pattern = edge(DMABENCH_PATTERN_COUNT); break;
		case 2: r->dir = edge(3); break;
		case 3: r->flags = edge(DMABENCH_RUN_ALL); break;
		case 4: r->attrs = edge(DMABENCH_ATTR_ALL); break;
		case 5: r->length = edge(DMABENCH_MAX_SIZE); break;
		case 6: r->batch = edge(DMABENCH_MAX_BATCH); break;
		case 7: r->batches = edge(DMABENCH_MAX_BATCHES); break;
		case 8: r->warmup = edge(DMABENCH_MAX_BATCHES); break;
		case 9: r->cpu = edge(4096); break;
		case 10: r->threads = edge(4096); break;
		case 11: r->nents = edge(DMABENCH_MAX_NENTS); break;
		case 12: r->pool = edge(DMABENCH_MAX_POOL); break;
		case 13: r->reserved[below(2)] = edge(1); break;
		case 15: r->reserved32 = edge(1); break;
		case 16: r->deadline_ms = edge(1000); break;
		case 14: r->samples = bad_pointer(a); break;
		default: r->map_flags = next(); r->ops = next(); break;
		}
	}
	if (!below(8))
		r->flags = edge(DMABENCH_RUN_ALL);
}

/* Whether a measured RUN's answer adds up. */
static void check_result(const struct dmabench_run *sent,
			 const struct dmabench_run *r, int ret, int e)
{
	uint64_t want = (uint64_t)sent->batch * sent->batches *
			(sent->threads ? sent->threads : 1);

	if ((!ret && r->ops != want) || (ret && e == ETIMEDOUT && r->ops > want)) {
		inconsistent++;
		if (inconsistent <= 10)
			printf("INCONSISTENT: %llu ops of %llu (%s)\n",
			       (unsigned long long)r->ops,
			       (unsigned long long)want,
			       ret ? strerror(e) : "ok");
	}
}

static void one(int fd, struct arena *a)
{
	struct dmabench_run r, sent;
	struct dmabench_info info;
	unsigned long cmd;
	size_t n;
	void *p;
	int ret;

	switch (below(8)) {
	case 0: case 1:
		/* random bytes of a random size, ending at the PROT_NONE page */
		n = below(sizeof(r) + 64);
		p = a->page + 4096 - n;
		fill_random(p, n);
		if (n >= 8 && below(2)) {
			((uint32_t *)p)[0] = below(2) ? sizeof(r) : n;
			((uint32_t *)p)[1] = DMABENCH_ABI_VERSION;
		}
		cmd = below(2) ? DMABENCH_IOC_RUN : DMABENCH_IOC_INFO;
		ret = ioctl(fd, cmd, p);
		tally(ret, errno, "random bytes");
		break;
	case 2: case 3: case 4:
		random_run(&r, a, below(2));
		sent = r;
		ret = ioctl(fd, DMABENCH_IOC_RUN, &r);
		tally(ret, errno, "edge-value RUN");
		if (!ret || errno == ETIMEDOUT)
			check_result(&sent, &r, ret, errno);
		break;
	case 5:
		/* the request itself at a bad address */
		cmd = below(2) ? DMABENCH_IOC_RUN : DMABENCH_IOC_INFO;
		ret = ioctl(fd, cmd, (void *)(uintptr_t)bad_pointer(a));
		tally(ret, errno, "bad request pointer");
		break;
	case 6:
		/*
		 * Unknown ioctl numbers of our type: another nr, direction or
		 * size (other types reach the VFS's own ioctls, FIFREEZE too).
		 */
		cmd = below(2) ? _IOC(below(4), DMABENCH_IOC_MAGIC, below(256), below(512))
			       : (((unsigned long)(uint32_t)next() & ~(_IOC_TYPEMASK << _IOC_TYPESHIFT)) |
				  (DMABENCH_IOC_MAGIC << _IOC_TYPESHIFT));
		if (cmd == DMABENCH_IOC_RUN || cmd == DMABENCH_IOC_INFO)
			cmd ^= 1UL << _IOC_SIZESHIFT;
		fill_random(a->page, 4096);
		ret = ioctl(fd, cmd, a->page);
		tally(ret, errno, "unknown ioctl");
		break;
	default:
		memset(&info, 0, sizeof(info));
		info.size = below(2) ? sizeof(info) : edge(sizeof(info));
		info.abi_version = below(2) ? DMABENCH_ABI_VERSION : edge(2);
		if (below(2))
			info.reserved[below(sizeof(info.reserved) / sizeof(info.reserved[0]))] = next();
		ret = ioctl(fd, DMABENCH_IOC_INFO, &info);
		tally(ret, errno, "INFO");
		break;
	}
}

/* A decimal count: digits only, no sign, no leading 0, fits unsigned long. */
static int parse_count(const char *v, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*v) || (v[0] == '0' && v[1]))
		return -1;
	errno = 0;
	*out = strtoul(v, &end, 10);
	return errno || *end ? -1 : 0;
}

int cmd_fuzz(int argc, char **argv)
{
	const char *dev = DMABENCH_DEVICE;
	unsigned long count = 10000, seed = 1, i;
	double ref0[2], mean0[2], ref1[2], mean1[2];
	struct dmabench_info info;
	struct arena a;
	char err[512];
	int fd, k, ret, opt;

	while ((opt = cli_getopt(argc, argv, fuzz_options)) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'n':
		case 's':
			if (parse_count(optarg, opt == 'n' ? &count : &seed)) {
				error_msg("--%s: '%s' is not a decimal count", opt == 'n' ? "count" : "seed",
					  optarg);
				return 2;
			}
			break;
		case 'h': return cli_usage(fuzz_usage, fuzz_options, 0);
		default: return cli_usage(fuzz_usage, fuzz_options, 2);
		}
	}
	if (optind != argc)
		return cli_usage(fuzz_usage, fuzz_options, 2);
	rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	fd = device_open(dev, err, sizeof(err));
	if (fd < 0 || device_info(fd, &info, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	a.page = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* every thread's samples of the largest request, mapped lazily */
	a.nsamples = (size_t)DMABENCH_MAX_BATCHES * (info.online_cpus + 1);
	a.samples = mmap(NULL, a.nsamples * sizeof(*a.samples),
			 PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a.page == MAP_FAILED || a.samples == MAP_FAILED ||
	    mprotect(a.page + 4096, 4096, PROT_NONE) ||
	    mprotect(a.page + 8192, 4096, PROT_READ)) {
		error_msg("fuzz: mmap: %s", strerror(errno));
		return 2;
	}
	a.rdonly = a.page + 8192;
	ret = reference(fd, &a, ref0, mean0);
	if (ret) {
		error_msg("fuzz: the reference request failed before: %s", strerror(-ret));
		return 2;
	}
	printf("fuzz: reference before: %.2f map %.2f unmap cycles per op\n", ref0[0], ref0[1]);
	printf("fuzz: reference before, mean of all batches: %.2f map %.2f unmap\n",
	       mean0[0], mean0[1]);
	for (i = 0; i < count; i++)
		one(fd, &a);
	ret = reference(fd, &a, ref1, mean1);
	if (ret) {
		error_msg("fuzz: the reference request failed after: %s", strerror(-ret));
		return 1;
	}
	printf("fuzz: reference after: %.2f map %.2f unmap cycles per op\n", ref1[0], ref1[1]);
	printf("fuzz: reference after, mean of all batches: %.2f map %.2f unmap\n",
	       mean1[0], mean1[1]);
	close(fd);
	printf("fuzz: %lu requests, seed %lu:", count, seed);
	for (k = 0; k < ANSWERS; k++)
		if (counts[k])
			printf(" %s %lu", answer_names[k], counts[k]);
	printf("; undocumented %lu, inconsistent %lu\n", undocumented, inconsistent);
	return undocumented || inconsistent ? 1 : 0;
}
