// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the QEMU harness: kernel providers, the module build,
 * guests booted several at a time, the icount result cache, and the
 * compare/report/plot outputs of a run. See harness.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "comparison.h"
#include "explain.h"
#include "export.h"
#include "harness.h"
#include "merge.h"
#include "report.h"
#include "names.h"
#include "params.h"
#include "plot.h"
#include "uapi/dmabench.h"
#include "util.h"

static char *top;

/*
 * The project's top: the folder above the runner's own (build/dmabench),
 * or two above it (build/runner/dmabench-san, the sanitizer build).
 */
int harness_init(void)
{
	char *exe = realpath("/proc/self/exe", NULL), *script = NULL;
	int rc = -1;

	if (!exe)
		return -1;
	dirname(exe);
	for (int up = 0; up < 2 && rc; up++) {
		free(top);
		free(script);
		script = NULL;
		top = strdup(dirname(exe));
		if (!top || asprintf(&script, "%s/harness/boot.sh", top) < 0)
			break;
		rc = access(script, X_OK);
	}
	free(script);
	free(exe);
	return rc;
}

const char *harness_top(void)
{
	return top;
}

static char *path_of(const char *fmt, const char *a, const char *b)
{
	char *p;

	if (asprintf(&p, fmt, a, b) < 0) {
		error_msg("out of memory");
		exit(2);
	}
	return p;
}

static char *script(const char *name)
{
	return path_of("%s/harness/%s", top, name);
}

static const char *cache_dir(void)
{
	static char *dir;
	const char *env = getenv("DMABENCH_CACHE");

	if (!dir)
		dir = env && *env ? strdup(env) : path_of("%s/%s", top, ".cache");
	return dir;
}

/*
 * Run argv (execvp: a path, or a name searched in PATH) and wait for it;
 * with @text, its whole stdout is collected there (caller frees). Returns
 * its exit code, 128 when it died of a signal, -1 when it did not run.
 */
static int spawn(char *const argv[], char **text)
{
	int pipefd[2], status;
	size_t size = 0;
	char buf[4096];
	FILE *f = NULL;
	pid_t pid;
	ssize_t n;

	if (text && pipe(pipefd))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (text) {
			dup2(pipefd[1], STDOUT_FILENO);
			close(pipefd[0]);
			close(pipefd[1]);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "dmabench: error: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (text) {
		*text = NULL;
		close(pipefd[1]);
		f = open_memstream(text, &size);
		/* read to the end even without memory: the child must not block */
		while ((n = read(pipefd[0], buf, sizeof(buf))) > 0)
			if (f)
				fwrite(buf, 1, n, f);
		close(pipefd[0]);
		if (f)
			fclose(f);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int harness_exec(char *const argv[], char *out, size_t len)
{
	char *text = NULL;
	int rc = spawn(argv, out ? &text : NULL);

	if (out) {
		snprintf(out, len, "%s", text ? text : "");
		out[strcspn(out, "\n")] = '\0';
	}
	free(text);
	return rc;
}

char *harness_output(char *const argv[])
{
	char *text = NULL;

	if (spawn(argv, &text)) {
		free(text);
		return NULL;
	}
	return text;
}

int harness_apply_mbox(const char *tree, const char *base, const char *mbox,
		       const char *outdir, char **clone, char **head)
{
	char *s = script("apply-mbox.sh"), *out, *sp;

	out = harness_output((char *[]){ s, (char *)tree, (char *)base, (char *)mbox,
					 (char *)outdir, NULL });
	free(s);
	if (!out)
		return -1;
	out[strcspn(out, "\n")] = '\0';
	/* "CLONE HEAD": the clone's path may hold blanks, the commit not */
	sp = strrchr(out, ' ');
	if (!sp || strlen(sp + 1) != 40) {
		error_msg("harness/apply-mbox.sh said '%s', not a clone and a commit", out);
		free(out);
		return -1;
	}
	*head = strdup(sp + 1);
	*clone = strndup(out, sp - out);
	free(out);
	return *head && *clone ? 0 : -1;
}

int harness_fetch_series(const char *msgid, const char *archive, const char *out)
{
	char *s = script("fetch-series.sh");
	char *argv[] = { s, (char *)msgid, (char *)out, (char *)archive, NULL };
	int rc = harness_exec(argv, NULL, 0);

	free(s);
	return rc ? -1 : 0;
}

static int build_module(const char *kid)
{
	char ko[4096], *s = script("build-module.sh");
	int rc = harness_exec((char *[]){ s, (char *)kid, NULL }, ko, sizeof(ko));

	free(s);
	if (rc)
		error_msg("could not build dmabench.ko for %s", kid);
	return rc ? -1 : 0;
}

int harness_kernel(const char *label, const char *spec, const char *modes,
		   const char *arch, char *kid, size_t len)
{
	const char *comma = strchr(spec, ','), *colon = strchr(spec, ':');
	int arm64 = arch && !strcmp(arch, "arm64"), rc;

	if (comma && arm64) {
		error_msg("%s kernel '%s': --arch arm64 takes Debian kernels (SUITE:SERIES) only",
			  label, spec);
		return -2;
	}
	if (comma) {
		char *image = strndup(spec, comma - spec), *s = script("prebuilt-kernel.sh");

		rc = harness_exec((char *[]){ s, "--modes", (char *)modes, image,
					      (char *)comma + 1, NULL }, kid, len);
		free(s);
		free(image);
		if (rc || !kid[0]) {
			error_msg("the prebuilt %s kernel %s is not usable (see above)", label, spec);
			return -1;
		}
	} else {
		char *suite, *s;

		if (!colon || colon == spec || !colon[1]) {
			error_msg("%s kernel '%s' is neither SUITE:SERIES (e.g. trixie:7) nor IMAGE,KDIR",
				  label, spec);
			return -2;
		}
		suite = strndup(spec, colon - spec);
		s = script("fetch-kernel.sh");
		rc = arm64 ? harness_exec((char *[]){ s, "--arch", "arm64", suite,
						      (char *)colon + 1, NULL }, kid, len) :
			     harness_exec((char *[]){ s, suite, (char *)colon + 1, NULL }, kid, len);
		free(s);
		free(suite);
		if (rc || !kid[0]) {
			error_msg("could not fetch the %s kernel %s", label, spec);
			return -1;
		}
	}
	if (build_module(kid))
		return -1;
	if (arm64) {
		char dir[4096], *s = script("build-runner.sh");

		rc = harness_exec((char *[]){ s, "arm64", NULL }, dir, sizeof(dir));
		free(s);
		if (rc) {
			error_msg("could not cross-build the arm64 runner (see above)");
			return -1;
		}
	}
	return 0;
}

int harness_git_kernel(const char *tree, const char *rev, const char *kconfig,
		       const char *modes, char *kid, size_t len)
{
	char *s = script("build-kernel.sh");
	char *argv[] = { s, "--modes", (char *)modes, "--kconfig", (char *)kconfig,
			 (char *)tree, (char *)rev, NULL };
	int rc;

	if (!kconfig)	/* drop the --kconfig pair */
		memmove(&argv[3], &argv[5], 3 * sizeof(argv[0]));
	rc = harness_exec(argv, kid, len);
	free(s);
	if (rc)
		return rc == KERNEL_BAD_INPUT || rc == KERNEL_NO_BUILD ? rc : 1;
	return build_module(kid) ? 1 : 0;
}

void harness_mode_list(uint32_t modes, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t m = 1; m < DMABENCH_MODE_COUNT && n < len; m++)
		if (modes & (1u << m))
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "", mode_name(m));
}

int harness_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/* FNV-1a, 64 bits, over a file: a cache key, not a defence. */
static uint64_t hash_file(uint64_t h, const char *path)
{
	size_t len;
	char *data = read_file(path, &len);

	if (!data)
		return h ^ 0xdeadbeef;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * 0x100000001b3ULL;
	free(data);
	return h;
}

/*
 * The icount cache key of what a guest measures besides the kernel: the
 * module build, the config, the runner and the guest's scripts.
 */
static char *measure_key(const struct boot_opts *o, const char *kid,
			 const char *iommu)
{
	static const char *const scripts[] = { "harness/boot.sh",
		"harness/guest/init", "harness/guest/run-config.sh",
		"harness/plugin/explain.c" };
	uint64_t h = 0xcbf29ce484222325ULL;
	char *p, *key, *arch;

	p = path_of("%s/modules/%s/source-hash", cache_dir(), kid);
	h = hash_file(h, p);
	free(p);
	h = hash_file(h, o->config);
	for (const char *c = o->cpu ? o->cpu : "-"; *c; c++)
		h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
	h = hash_file(h, "/proc/self/exe");
	/* an arm64 guest runs the cross-built runner and busybox */
	p = path_of("%s/kernels/%s/arch", cache_dir(), kid);
	arch = read_file(p, NULL);
	free(p);
	if (arch && !strncmp(arch, "arm64", 5)) {
		p = path_of("%s/%s", cache_dir(), "guest/arm64/source-hash");
		h = hash_file(h, p);
		free(p);
	}
	free(arch);
	h = (h ^ (unsigned char)(o->explain ? 'X' : '-')) * 0x100000001b3ULL;
	for (const char *c = iommu; *c; c++)
		h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		p = path_of("%s/%s", top, scripts[i]);
		h = hash_file(h, p);
		free(p);
	}
	if (asprintf(&key, "%s/measured/%s/%016llx", cache_dir(), kid,
		     (unsigned long long)h) < 0)
		return NULL;
	return key;
}

static const char *const guest_files[] = { "json", "console.log", "dmesg.log",
					   "channel.log" };

static int copy(const char *from, const char *to)
{
	return harness_exec((char *[]){ "/bin/cp", "-f", (char *)from, (char *)to, NULL },
			    NULL, 0);
}

/*
 * Files of a cached measurement of MODE into DIR/STEM.*; -1 when not
 * cached. The cache names them by mode: its key holds the IOMMU.
 */
static int from_cache(const char *key, const char *dir, const char *mode,
		      const char *stem)
{
	int rc = 0;

	for (size_t f = 0; f < sizeof(guest_files) / sizeof(guest_files[0]) && !rc; f++) {
		char *from, *to;

		if (asprintf(&from, "%s/%s.%s", key, mode, guest_files[f]) < 0 ||
		    asprintf(&to, "%s/%s.%s", dir, stem, guest_files[f]) < 0)
			return -1;
		rc = access(from, R_OK) || copy(from, to) ? -1 : 0;
		free(from);
		free(to);
	}
	return rc;
}

static void to_cache(const char *key, const char *dir, const char *mode,
		     const char *stem)
{
	char *tmp;

	if (asprintf(&tmp, "%s.tmp-%s", key, mode) < 0)
		return;
	harness_exec((char *[]){ "/bin/mkdir", "-p", tmp, (char *)key, NULL }, NULL, 0);
	for (size_t f = 0; f < sizeof(guest_files) / sizeof(guest_files[0]); f++) {
		char *from = NULL, *to = NULL;

		if (asprintf(&from, "%s/%s.%s", dir, stem, guest_files[f]) >= 0 &&
		    asprintf(&to, "%s/%s.%s", tmp, mode, guest_files[f]) >= 0)
			copy(from, to);
		free(from);
		free(to);
	}
	/* the JSON last: its presence says the entry is whole */
	harness_exec((char *[]){ "/bin/sh", "-c",
		"cd \"$1\" && for f in *; do case $f in *.json) ;; *) mv -f \"$f\" \"$2/\" ;; esac; done; mv -f *.json \"$2/\"",
		"sh", tmp, (char *)key, NULL }, NULL, 0);
	harness_exec((char *[]){ "/bin/rm", "-rf", tmp, NULL }, NULL, 0);
	free(tmp);
}

/*
 * A finished guest's files from its scratch folder into DIR/STEM.*, or for
 * run N of several into DIR/runs/STEM.rN.* (STEM: MODE, or IOMMU-MODE).
 */
static int collect(const char *tmp, const char *dir, const char *mode,
		   const char *stem, unsigned int run, unsigned int runs)
{
	static const char *const names[] = { NULL, "console.log", "dmesg.log",
					     "channel.log" };
	char *base;
	int rc = 0;

	if (runs > 1) {
		char *sub = path_of("%s/%s", dir, "runs");

		mkdir(sub, 0755);
		if (asprintf(&base, "%s/%s.r%u", sub, stem, run) < 0)
			base = NULL;
		free(sub);
	} else {
		base = path_of("%s/%s", dir, stem);
	}
	for (size_t f = 0; base && f < sizeof(names) / sizeof(names[0]) && !rc; f++) {
		char *from, *to;

		from = names[f] ? path_of("%s/%s", tmp, names[f]) :
				  path_of("%s/%s.json", tmp, mode);
		to = path_of("%s.%s", base, guest_files[f]);
		if (rename(from, to)) {
			error_msg("%s: %s", from, strerror(errno));
			rc = -1;
		}
		free(from);
		free(to);
	}
	free(base);
	harness_exec((char *[]){ "/bin/rm", "-rf", (char *)tmp, NULL }, NULL, 0);
	return base ? rc : -1;
}

static int export_csv(const char *dir, const char *mode)
{
	char *csv = path_of("%s/%s.csv", dir, mode), *json = path_of("%s/%s.json", dir, mode);
	int rc;

	rc = export_write(json, EXPORT_CSV, csv);
	free(csv);
	free(json);
	return rc;
}

/* DIR/runs/MODE.r1.json ... rN.json into DIR/MODE.json. */
static int merge_runs(const char *dir, const char *mode, unsigned int runs)
{
	char **inputs = calloc(runs, sizeof(*inputs)), *out = path_of("%s/%s.json", dir, mode);
	unsigned int n = 0;
	int rc = -1;

	for (; inputs && n < runs; n++)
		if (asprintf(&inputs[n], "%s/runs/%s.r%u.json", dir, mode, n + 1) < 0)
			goto out;
	if (inputs)
		rc = merge_write((const char *const *)inputs, runs, out) ? -1 : export_csv(dir, mode);
out:
	for (unsigned int i = 0; inputs && i < n; i++)
		free(inputs[i]);
	free(inputs);
	free(out);
	return rc;
}

/*
 * The runs of one (side, IOMMU, mode): merged once the last of them is
 * home. Their files are DIR/STEM.*: the mode's name, or IOMMU-MODE when
 * the IOMMU modes are booted on several IOMMUs.
 */
struct run_group {
	struct boot_side *side;
	const char *mode, *iommu;
	char stem[32];
	unsigned int done;
};

struct guest {
	pid_t pid;
	struct boot_side *side;
	struct run_group *group;
	const char *mode, *iommu, *stem;
	unsigned int run;
	char *tmp, *key;
};

/*
 * Ctrl-C, SIGTERM, SIGHUP while guests run: each guest's boot.sh leads a
 * process group of its own, so the handler passes the signal on to every
 * running group (boot.sh then stops its QEMU), the loop reaps them, removes
 * their scratch folders and the runner dies of the same signal. Results of
 * guests that had finished stay where they are (and in the cache).
 */
#define MAX_GUEST_GROUPS 64
static volatile sig_atomic_t stop_signal;
static volatile pid_t running_groups[MAX_GUEST_GROUPS];

static void on_stop_signal(int sig)
{
	stop_signal = sig;
	for (int i = 0; i < MAX_GUEST_GROUPS; i++)
		if (running_groups[i] > 0)
			kill(-running_groups[i], SIGTERM);
}

static void catch_stop_signals(int on, struct sigaction old[3])
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++) {
		if (on)
			sigaction(sigs[i], &sa, &old[i]);
		else
			sigaction(sigs[i], &old[i], NULL);
	}
}

static pid_t start_guest(const struct boot_opts *o, struct guest *g)
{
	char *s = script("boot.sh");
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		char *argv[20];
		int a = 0;

		argv[a++] = s;
		if (o->explain)
			argv[a++] = "--explain";
		argv[a++] = "--config";
		argv[a++] = (char *)o->config;
		argv[a++] = "--accel";
		argv[a++] = (char *)o->accel;
		argv[a++] = "--timeout";
		argv[a++] = (char *)o->timeout;
		if (o->cpu) {
			argv[a++] = "--cpu";
			argv[a++] = (char *)o->cpu;
		}
		argv[a++] = "--iommu";
		argv[a++] = (char *)g->iommu;
		argv[a++] = (char *)g->side->kid;
		argv[a++] = (char *)g->mode;
		argv[a++] = g->tmp;
		argv[a] = NULL;
		setpgid(0, 0);
		execv(s, argv);
		fprintf(stderr, "dmabench: error: %s: %s\n", s, strerror(errno));
		_exit(127);
	}
	free(s);
	return pid;
}

/* Did a run of STEM's mode find it unavailable on this machine? */
static int unavailable(const char *dir, const char *stem)
{
	char *p = path_of("%s/%s.unavailable", dir, stem);
	int yes = p && !access(p, F_OK);

	free(p);
	return yes;
}

static int finish_guest(const struct boot_opts *o, struct guest *g, int status)
{
	int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	/* boot.sh's 5: the guest kernel refuses the mode on this machine */
	if (WIFEXITED(status) && WEXITSTATUS(status) == BOOT_MODE_UNAVAILABLE) {
		char *from = path_of("%s/%s.unavailable", g->tmp, g->mode);
		char *to = path_of("%s/%s.unavailable", g->side->dir, g->stem);
		int rc = copy(from, to);

		free(from);
		free(to);
		harness_exec((char *[]){ "/bin/rm", "-rf", g->tmp, NULL }, NULL, 0);
		return rc ? -1 : 0;
	}
	if (!ok) {
		error_msg("guest (%s, %s, run %u) failed: see above and %s", g->side->kid,
			  g->stem, g->run, g->tmp);
		return -1;
	}
	if (collect(g->tmp, g->side->dir, g->mode, g->stem, g->run, o->runs))
		return -1;
	if (o->runs == 1) {
		if (export_csv(g->side->dir, g->stem))
			return -1;
		if (g->key)
			to_cache(g->key, g->side->dir, g->mode, g->stem);
		return 0;
	}
	if (++g->group->done < o->runs)
		return 0;
	if (unavailable(g->side->dir, g->stem))
		return 0;
	if (merge_runs(g->side->dir, g->stem, o->runs)) {
		error_msg("could not merge the %u runs of (%s, %s)", o->runs, g->side->kid,
			  g->stem);
		return -1;
	}
	return 0;
}

unsigned int harness_default_runs(const char *accel)
{
	return accel && !strcmp(accel, "tcg-icount") ? 1 : 3;
}

/* A (side, mode, IOMMU) per group: direct and swiotlb boot without one, once. */
static size_t plan_groups(const struct boot_opts *o, struct boot_side *sides, size_t nsides,
			  struct run_group *groups)
{
	uint32_t iommus = o->iommus ? o->iommus : 1u;
	int several = (iommus & (iommus - 1)) != 0;
	size_t ngroups = 0;

	for (size_t s = 0; s < nsides; s++) {
		if (!sides[s].failed)
			mkdir(sides[s].dir, 0755);
		for (uint32_t m = 1; m < DMABENCH_MODE_COUNT; m++) {
			if (!(o->modes & (1u << m)))
				continue;
			for (uint32_t i = 0; i < IOMMU_COUNT; i++) {
				struct run_group *k = &groups[ngroups];

				if (!(iommus & (1u << i)))
					continue;
				*k = (struct run_group){ .side = &sides[s], .mode = mode_name(m),
							  .iommu = iommu_name(i) };
				ngroups++;
				if (several && mode_uses_iommu(m))
					snprintf(k->stem, sizeof(k->stem), "%s-%s", k->iommu, k->mode);
				else
					snprintf(k->stem, sizeof(k->stem), "%s", k->mode);
				if (!mode_uses_iommu(m))
					break;
			}
		}
	}
	return ngroups;
}

/*
 * Run after run over every (side, mode): what drifts with time on the
 * host then falls on both sides alike. Only a single run is cached:
 * several runs under icount are asked for to see them repeat.
 */
static size_t plan_guests(const struct boot_opts *o, struct run_group *groups, size_t ngroups,
			  unsigned int runs, int icount, struct guest *guests)
{
	size_t ng = 0;

	for (unsigned int r = 1; r <= runs; r++) {
		for (size_t k = 0; k < ngroups; k++) {
			struct guest *g = &guests[ng++];

			g->group = &groups[k];
			g->side = groups[k].side;
			g->mode = groups[k].mode;
			g->iommu = groups[k].iommu;
			g->stem = groups[k].stem;
			g->run = r;
			if (runs > 1) {
				if (asprintf(&g->tmp, "%s/.%s.r%u", g->side->dir, g->stem, r) < 0)
					g->tmp = NULL;
			} else {
				g->tmp = path_of("%s/.%s", g->side->dir, g->stem);
			}
			g->key = icount && runs == 1 ?
				 measure_key(o, g->side->kid, g->iommu) : NULL;
		}
	}
	return ng;
}

/* The guests of one harness_boot(), up to @jobs at a time in @slots. */
struct boot_queue {
	const struct boot_opts *o;
	struct guest *slots;
	int jobs, running, n, total, failed, keep_going;
	unsigned int runs;
};

/* @g served from the cache, or started in a free slot (or failed: said). */
static void launch(struct boot_queue *q, struct guest *g)
{
	int j = 0;

	q->n++;
	if (g->key && !from_cache(g->key, g->side->dir, g->mode, g->stem) &&
	    !export_csv(g->side->dir, g->stem)) {
		fprintf(stderr, "dmabench: [%d/%d] %s %s (%s): cached\n", q->n, q->total,
			g->side->kid, g->stem, q->o->accel);
		return;
	}
	if (q->runs > 1)
		fprintf(stderr, "dmabench: [%d/%d] %s %s (%s, run %u of %u)\n", q->n, q->total,
			g->side->kid, g->stem, q->o->accel, g->run, q->runs);
	else
		fprintf(stderr, "dmabench: [%d/%d] %s %s (%s)\n", q->n, q->total,
			g->side->kid, g->stem, q->o->accel);
	while (q->slots[j].pid)
		j++;
	q->slots[j] = *g;
	q->slots[j].pid = g->tmp ? start_guest(q->o, g) : -1;
	if (q->slots[j].pid < 0) {
		error_msg("could not start the guest: %s", strerror(errno));
		q->slots[j].pid = 0;
		g->side->failed = q->failed = 1;
		return;
	}
	setpgid(q->slots[j].pid, q->slots[j].pid);
	running_groups[j] = q->slots[j].pid;
	q->running++;
}

/* One guest ended: its results kept, or its files dropped after a stop; -1: wait failed. */
static int reap(struct boot_queue *q)
{
	int status;
	pid_t pid = wait(&status);

	if (pid < 0 && errno == EINTR)
		return 0;
	if (pid < 0) {
		error_msg("wait: %s", strerror(errno));
		q->failed = 1;
		return -1;
	}
	for (int j = 0; j < q->jobs; j++) {
		if (q->slots[j].pid != pid)
			continue;
		running_groups[j] = 0;
		if (stop_signal)
			harness_exec((char *[]){ "/bin/rm", "-rf", q->slots[j].tmp, NULL }, NULL, 0);
		else if (finish_guest(q->o, &q->slots[j], status))
			q->slots[j].side->failed = q->failed = 1;
		q->slots[j].pid = 0;
		q->running--;
	}
	return 0;
}

/* Every guest of @guests through the queue, until all ended or a stop. */
static void run_queue(struct boot_queue *q, struct guest *guests, size_t ng)
{
	for (size_t next = 0;;) {
		while (next < ng && q->running < q->jobs && !stop_signal) {
			struct guest *g = &guests[next++];

			/* its side, or the run, has failed */
			if (!g->side->failed && (!q->failed || q->keep_going))
				launch(q, g);
		}
		if (stop_signal)	/* again: a guest may have started since */
			for (int j = 0; j < q->jobs; j++)
				if (q->slots[j].pid > 0)
					kill(-q->slots[j].pid, SIGTERM);
		if (!q->running || reap(q))
			break;
	}
}

int harness_boot(const struct boot_opts *o, struct boot_side *sides,
		 size_t nsides, int keep_going)
{
	int icount = !strcmp(o->accel, "tcg-icount"), total = 0;
	struct boot_queue q = { .o = o, .runs = o->runs ? o->runs : 1, .keep_going = keep_going,
				.jobs = icount && o->jobs > 0 ? o->jobs : 1 };
	struct run_group *groups;
	struct guest *guests;
	size_t ng;
	struct sigaction old_actions[3];

	if (q.jobs > MAX_GUEST_GROUPS)
		q.jobs = MAX_GUEST_GROUPS;
	for (uint32_t m = 1; m < DMABENCH_MODE_COUNT; m++)
		total += !!(o->modes & (1u << m)) * (mode_uses_iommu(m) ? IOMMU_COUNT : 1);
	groups = calloc(total * nsides + 1, sizeof(*groups));
	guests = calloc(total * nsides * q.runs + 1, sizeof(*guests));
	q.slots = calloc(q.jobs, sizeof(*q.slots));
	if (!groups || !guests || !q.slots) {
		error_msg("out of memory");
		return -1;
	}
	ng = plan_guests(o, groups, plan_groups(o, sides, nsides, groups), q.runs, icount,
			 guests);
	for (size_t s = 0; s < ng; s++)
		q.total += !guests[s].side->failed;
	catch_stop_signals(1, old_actions);
	run_queue(&q, guests, ng);
	catch_stop_signals(0, old_actions);
	for (size_t i = 0; i < ng; i++) {
		free(guests[i].tmp);
		free(guests[i].key);
	}
	free(groups);
	free(guests);
	free(q.slots);
	if (stop_signal) {
		int sig = stop_signal;

		fprintf(stderr, "dmabench: stopped by %s: the running guests were shut down and their files removed; results of finished guests are kept%s\n",
			sig == SIGINT ? "SIGINT (Ctrl-C)" : sig == SIGTERM ? "SIGTERM" : "SIGHUP", icount ? " and served from the cache when the same command runs again" : "");
		signal(sig, SIG_DFL);
		raise(sig);
		exit(128 + sig);
	}
	return q.failed ? -1 : 0;
}

int harness_explain_output(const char *out)
{
	char *b = path_of("%s/%s", out, "before"), *a = path_of("%s/%s", out, "after");
	char *ex = path_of("%s/%s", out, "explain.txt");
	int rc;

	rc = explain_write(b, a, EXPLAIN_TOP_DEFAULT, 0, ex);
	free(b);
	free(a);
	free(ex);
	return rc;
}

int harness_outputs(const char *out, const char *plots, const char *commits,
		    const char *each)
{
	char *b = path_of("%s/%s", out, "before"), *a = path_of("%s/%s", out, "after");
	char *cmp = path_of("%s/%s", out, "compare.txt");
	char *rep = path_of("%s/%s", out, "report.txt");
	int rc;

	rc = comparison_write(b, a, cmp);
	if (!rc)
		rc = report_write(&(struct report_request){ .before = b, .after = a,
							    .commits = commits, .each = each,
							    .out = rep });
	mkdir(plots, 0755);
	if (!rc)
		rc = plot_write(b, a, plots, 0);
	free(b);
	free(a);
	free(cmp);
	free(rep);
	return rc;
}
