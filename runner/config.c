// SPDX-License-Identifier: GPL-2.0
/*
 * INI configs, fio style: [global] sets defaults, every other section is a
 * job that inherits them. api, size, offset, pattern and dir take lists that
 * expand into a matrix. Unknown sections' keys and bad values are errors.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "gate.h"
#include "names.h"
#include "uapi/dmabench.h"

#define MAX_LIST 32
#define MAX_CELLS 4096

/* The settings of one section, before expansion. */
struct job {
	char name[64];
	int line;
	int api[MAX_LIST], napi;
	long long size[MAX_LIST];
	int nsize;
	long long offset[MAX_LIST];
	int noffset;
	int pattern[MAX_LIST], npattern;
	int dir[MAX_LIST], ndir;
	uint64_t attrs;
	long long batch, batches, warmup, cpu, threads, nents, pool;
	int irqs_off, baseline, counters;
	unsigned int seen;	/* bit per key set in this section */
};

enum key {
	K_API, K_SIZE, K_OFFSET, K_PATTERN, K_DIR, K_ATTRS, K_BATCH,
	K_BATCHES, K_WARMUP, K_CPU, K_IRQS_OFF, K_THREADS, K_NENTS, K_POOL,
	K_BASELINE, K_COUNTERS, K_MODES, K_DESCRIPTION, K_GUEST_CPU, K_RUNS,
	K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"api", "size", "offset", "pattern", "dir", "attrs", "batch",
	"batches", "warmup", "cpu", "irqs_off", "threads", "nents", "pool",
	"baseline", "counters", "modes", "description", "guest_cpu", "runs",
};

struct parse {
	const char *path;
	FILE *f;
	int line;
	struct config *cfg;
	struct job global;
	struct job *jobs;
	int njobs;
	char *err;
	size_t errlen;
	int failed;
};

static int fail(struct parse *p, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct parse *p, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->failed)
		return 0;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (key)
		snprintf(p->err, p->errlen, "%s:%d: key '%s': %s", p->path,
			 p->line, key, msg ? msg : "out of memory");
	else
		snprintf(p->err, p->errlen, "%s:%d: %s", p->path, p->line,
			 msg ? msg : "out of memory");
	free(msg);
	p->failed = 1;
	return 0;
}

/*
 * inih hands us a buffer of INI_MAX_LINE bytes, as the library was built,
 * and parses what does not fit of a longer line as a line of its own: a
 * fake key, or a value cut short. Such a line is an error here instead.
 */
static char *reader(char *str, int num, void *stream)
{
	struct parse *p = stream;
	size_t len;
	int ch;

	if (p->failed)
		return NULL;
	if (!fgets(str, num, p->f)) {
		if (ferror(p->f))
			fail(p, NULL, "%s", strerror(errno));
		return NULL;
	}
	p->line++;
	len = strlen(str);
	if (len && str[len - 1] == '\n')
		return str;
	if (len == (size_t)num - 1) {
		/* A full buffer: fine only if the newline or the end is next. */
		ch = getc(p->f);
		if (ch == '\n' || ch == EOF)
			return str;
		fail(p, NULL, "line longer than %d bytes", num - 1);
		return NULL;
	}
	if (ferror(p->f)) {
		fail(p, NULL, "%s", strerror(errno));
		return NULL;
	}
	if (!feof(p->f)) {
		/* fgets() stopped at a newline that strlen() did not reach. */
		fail(p, NULL, "a NUL byte in the line");
		return NULL;
	}
	return str;
}

/*
 * Numbers are decimal: "010" is ten to some readers and eight to others,
 * and "0x10" hex, so a leading 0 followed by more is refused, as is a sign
 * or a blank.
 */
static bool decimal(const char *s)
{
	return isdigit((unsigned char)s[0]) &&
	       !(s[0] == '0' && (isdigit((unsigned char)s[1]) || s[1] == 'x' || s[1] == 'X'));
}

long long parse_size(const char *s)
{
	const unsigned long long max = 1ULL << 40;
	unsigned long long v;
	unsigned int shift;
	char *end;

	if (!decimal(s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (!*end)
		shift = 0;
	else if (!strcasecmp(end, "k") || !strcasecmp(end, "kib") || !strcasecmp(end, "kb"))
		shift = 10;
	else if (!strcasecmp(end, "m") || !strcasecmp(end, "mib") || !strcasecmp(end, "mb"))
		shift = 20;
	else
		return -1;
	/* Check before shifting: a wrapped product could pass as small. */
	return v > max >> shift ? -1 : (long long)(v << shift);
}

static int parse_uint(const char *s, long long max, long long *out)
{
	char *end;
	long long v;

	if (!decimal(s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_bool(const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		return 0;
	return -1;
}

/* Split a list value on commas and blanks; returns the item count. */
static int split(char *value, char **items, int max)
{
	int n = 0;

	for (char *tok = strtok(value, ", \t"); tok; tok = strtok(NULL, ", \t")) {
		if (n == max)
			return -1;
		items[n++] = tok;
	}
	return n;
}

/* Numeric keys: a leading 0 gets its own message (see decimal()). */
static bool numeric(int k)
{
	return k == K_SIZE || k == K_OFFSET || k == K_BATCH || k == K_BATCHES ||
	       k == K_WARMUP || k == K_CPU || k == K_THREADS || k == K_NENTS ||
	       k == K_POOL;
}

static int set_values(struct parse *p, struct job *j, int k, const char *key,
		      char **items, int n)
{
	for (int i = 0; i < n; i++) {
		const char *v = items[i];
		long long x;
		int e;

		if (numeric(k) && isdigit((unsigned char)*v) && !decimal(v))
			return fail(p, key, "'%s': write numbers in decimal without a leading 0 (no octal or hex)",
				    v);
		switch (k) {
		case K_API:
			e = api_from_name(v);
			if (e < 0)
				return fail(p, key, "unknown API '%s' (known: %s)", v, api_names());
			j->api[i] = e;
			j->napi = n;
			break;
		case K_SIZE:
			x = parse_size(v);
			if (x < 0)
				return fail(p, key, "'%s' is not a size (e.g. 4096, 4k, 2M)", v);
			if (x == 0)
				return fail(p, key, "size must be at least 1 byte");
			if (x > DMABENCH_MAX_SIZE)
				return fail(p, key, "size %s is too large (at most %u bytes)", v, DMABENCH_MAX_SIZE);
			j->size[i] = x;
			j->nsize = n;
			break;
		case K_OFFSET:
			x = parse_size(v);
			if (x < 0 || x >= 4096)
				return fail(p, key, "'%s' is not an offset below the page size", v);
			j->offset[i] = x;
			j->noffset = n;
			break;
		case K_PATTERN:
			e = pattern_from_name(v);
			if (e < 0)
				return fail(p, key, "unknown pattern '%s' (known: %s)", v, pattern_names());
			j->pattern[i] = e;
			j->npattern = n;
			break;
		case K_DIR:
			e = dir_from_name(v);
			if (e < 0)
				return fail(p, key, "unknown direction '%s' (known: %s)", v, dir_names());
			j->dir[i] = e;
			j->ndir = n;
			break;
		case K_ATTRS:
			if (!strcmp(v, "none"))
				j->attrs = 0;
			else if (!strcmp(v, "skip_cpu_sync"))
				j->attrs = DMABENCH_ATTR_SKIP_CPU_SYNC;
			else
				return fail(p, key, "unknown attribute '%s' (known: none skip_cpu_sync)", v);
			break;
		case K_BATCH:
			if (parse_uint(v, DMABENCH_MAX_BATCH, &x) || !x)
				return fail(p, key, "'%s' is not a batch length in 1..%u", v, DMABENCH_MAX_BATCH);
			j->batch = x;
			break;
		case K_BATCHES:
			if (parse_uint(v, DMABENCH_MAX_BATCHES, &x) || !x)
				return fail(p, key, "'%s' is not a batch count in 1..%u", v, DMABENCH_MAX_BATCHES);
			j->batches = x;
			break;
		case K_WARMUP:
			if (parse_uint(v, DMABENCH_MAX_BATCHES, &x))
				return fail(p, key, "'%s' is not a count in 0..%u", v, DMABENCH_MAX_BATCHES);
			j->warmup = x;
			break;
		case K_CPU:
			if (!strcmp(v, "any"))
				x = -1;
			else if (parse_uint(v, 4095, &x))
				return fail(p, key, "'%s' is not a CPU number or 'any'", v);
			j->cpu = x;
			break;
		case K_IRQS_OFF:
		case K_BASELINE:
		case K_COUNTERS:
			e = parse_bool(v);
			if (e < 0)
				return fail(p, key, "'%s' is not yes or no", v);
			if (k == K_IRQS_OFF)
				j->irqs_off = e;
			else if (k == K_BASELINE)
				j->baseline = e;
			else
				j->counters = e;
			break;
		case K_THREADS:
			if (parse_uint(v, 4096, &x) || !x)
				return fail(p, key, "'%s' is not a thread count of at least 1", v);
			j->threads = x;
			break;
		case K_NENTS:
			if (parse_uint(v, DMABENCH_MAX_NENTS, &x) || !x)
				return fail(p, key, "'%s' is not an entry count in 1..%u", v, DMABENCH_MAX_NENTS);
			j->nents = x;
			break;
		case K_POOL:
			if (parse_uint(v, DMABENCH_MAX_POOL, &x) || !x)
				return fail(p, key, "'%s' is not a pool size in 1..%u", v, DMABENCH_MAX_POOL);
			j->pool = x;
			break;
		case K_MODES:
			e = mode_from_name(v);
			if (e <= 0)
				return fail(p, key, "unknown mode '%s' (known: direct strict lazy swiotlb passthrough)", v);
			p->cfg->modes |= 1u << e;
			break;
		}
	}
	return 1;
}

static int set_key(struct parse *p, struct job *j, const char *key,
		   const char *value)
{
	char *buf, *items[MAX_LIST];
	int k, n, ret;

	for (k = 0; k < K_COUNT; k++)
		if (!strcmp(key, key_names[k]))
			break;
	if (k == K_COUNT)
		return fail(p, key, "unknown key (known: api size offset pattern dir attrs batch batches warmup cpu threads irqs_off nents pool baseline counters modes description guest_cpu runs)");
	if (j->seen & (1u << k))
		return fail(p, key, "set twice in [%s]", j->name);
	j->seen |= 1u << k;
	if ((k == K_MODES || k == K_DESCRIPTION || k == K_GUEST_CPU || k == K_RUNS) &&
	    j != &p->global)
		return fail(p, key, "belongs in [global]");
	if (k == K_RUNS) {
		long long x;

		/* boots per kernel and mode: one each, the host boots them */
		if (parse_uint(value, CONFIG_MAX_RUNS, &x) || !x)
			return fail(p, key, "'%s' is not a number of runs in 1..%d", value,
				    CONFIG_MAX_RUNS);
		p->cfg->runs = (unsigned int)x;
		return 1;
	}
	if (k == K_GUEST_CPU) {
		/* goes onto QEMU's command line as one argument: a model and its properties */
		if (!*value || strspn(value, "abcdefghijklmnopqrstuvwxyz"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,=+-") != strlen(value))
			return fail(p, key, "'%s' is not a QEMU CPU model (letters, digits, _.,=+-)", value);
		free(p->cfg->guest_cpu);
		p->cfg->guest_cpu = strdup(value);
		return 1;
	}
	if (k == K_DESCRIPTION) {
		free(p->cfg->description);
		p->cfg->description = strdup(value);
		return 1;
	}
	buf = strdup(value);
	if (!buf)
		return fail(p, key, "out of memory");
	n = split(buf, items, MAX_LIST);
	if (n < 0)
		ret = fail(p, key, "more than %d values", MAX_LIST);
	else if (n == 0)
		ret = fail(p, key, "empty value");
	else if (n > 1 && k >= K_ATTRS && k != K_MODES)
		ret = fail(p, key, "takes one value, not a list");
	else
		ret = set_values(p, j, k, key, items, n);
	free(buf);
	return ret;
}

/*
 * [gate]: "threshold = VALUE" or "threshold MODE/API/OP = VALUE", for
 * dmabench gate --config; the runner measuring the config ignores them.
 */
static int gate_key(struct parse *p, const char *key, const char *value)
{
	struct gate_rule *rules, r;
	char err[512];

	if (strncmp(key, "threshold", 9) || (key[9] && key[9] != ' '))
		return fail(p, key, "unknown key in [gate] (known: threshold, threshold MODE/API/OP)");
	if (gate_rule_parse(key[9] ? key + 10 + strspn(key + 10, " ") : NULL, value, &r,
			    err, sizeof(err)))
		return fail(p, key, "%s", err);
	if (p->cfg->ngate_rules == GATE_MAX_RULES)
		return fail(p, key, "more than %d threshold rules", GATE_MAX_RULES);
	rules = realloc(p->cfg->gate_rules, (p->cfg->ngate_rules + 1) * sizeof(*rules));
	if (!rules)
		return fail(p, key, "out of memory");
	rules[p->cfg->ngate_rules++] = r;
	p->cfg->gate_rules = rules;
	return 1;
}

static int handler(void *user, const char *section, const char *key,
		   const char *value)
{
	struct parse *p = user;
	struct job *j;

	if (p->failed)
		return 0;
	if (!key)	/* a new section: inih calls with key == NULL */
		return 1;
	if (!*section)
		return fail(p, key, "outside any section: start with [global] or [jobname]");
	if (!strcmp(section, "gate"))
		return gate_key(p, key, value);
	if (!strcmp(section, "global")) {
		j = &p->global;
	} else {
		j = p->njobs ? &p->jobs[p->njobs - 1] : NULL;
		if (!j || strcmp(j->name, section)) {
			for (int i = 0; i < p->njobs; i++)
				if (!strcmp(p->jobs[i].name, section))
					return fail(p, NULL, "section [%s] appears twice", section);
			if (strlen(section) >= sizeof(j->name))
				return fail(p, NULL, "section name [%s] is too long", section);
			p->jobs = realloc(p->jobs, sizeof(*p->jobs) * (p->njobs + 1));
			if (!p->jobs)
				return fail(p, NULL, "out of memory");
			j = &p->jobs[p->njobs++];
			*j = p->global;
			j->seen = 0;
			snprintf(j->name, sizeof(j->name), "%s", section);
			j->line = p->line;
		}
	}
	return set_key(p, j, key, value);
}

/* Bytes one cell maps at once, as the module counts them (whole pages). */
static unsigned long long footprint(const struct job *j, int pattern,
				    long long size, long long offset)
{
	unsigned long long bytes = offset + size * (j->nents ? j->nents : 1);
	unsigned long long block = 4096, nbufs = 1;

	while (block < bytes)
		block <<= 1;
	if (pattern == DMABENCH_PATTERN_BATCH)
		nbufs = j->batch;
	else if (pattern == DMABENCH_PATTERN_POOL)
		nbufs = j->pool;
	return block * nbufs * (j->threads ? j->threads : 1);
}

static int expand(struct parse *p, const struct job *j)
{
	struct config *c = p->cfg;

	for (int a = 0; a < j->napi; a++)
	for (int s = 0; s < j->nsize; s++)
	for (int o = 0; o < j->noffset; o++)
	for (int t = 0; t < j->npattern; t++)
	for (int d = 0; d < j->ndir; d++) {
		struct cell *cell;

		if (c->ncells == MAX_CELLS) {
			snprintf(p->err, p->errlen, "%s: job [%s]: the matrix has more than %d cells",
				 p->path, j->name, MAX_CELLS);
			return -1;
		}
		if (footprint(j, j->pattern[t], j->size[s], j->offset[o]) > DMABENCH_MAX_FOOTPRINT) {
			snprintf(p->err, p->errlen,
				 "%s: job [%s]: %s pattern of size %lld maps more than %u MiB at once (batch, pool, nents, threads)",
				 p->path, j->name, pattern_name(j->pattern[t]), j->size[s],
				 DMABENCH_MAX_FOOTPRINT >> 20);
			return -1;
		}
		if ((unsigned long long)j->size[s] * (j->api[a] == DMABENCH_API_SG ? j->nents : 1) *
		    j->batch > DMABENCH_MAX_BATCH_BYTES) {
			snprintf(p->err, p->errlen,
				 "%s: job [%s]: a batch of %lld ops of size %lld%s maps more than %u MiB (a batch runs with preemption off)",
				 p->path, j->name, j->batch, j->size[s],
				 j->api[a] == DMABENCH_API_SG ? " x nents" : "",
				 DMABENCH_MAX_BATCH_BYTES >> 20);
			return -1;
		}
		if (j->threads > 1 && j->cpu < 0) {
			snprintf(p->err, p->errlen, "%s: job [%s]: threads > 1 needs a first cpu, not 'any'",
				 p->path, j->name);
			return -1;
		}
		cell = &c->cells[c->ncells++];
		memset(cell, 0, sizeof(*cell));
		snprintf(cell->job, sizeof(cell->job), "%s", j->name);
		cell->api = j->api[a];
		cell->size = j->size[s];
		cell->offset = j->offset[o];
		cell->pattern = j->pattern[t];
		cell->dir = j->dir[d];
		cell->attrs = j->attrs;
		cell->batch = j->batch;
		cell->batches = j->batches;
		cell->warmup = j->warmup;
		cell->cpu = j->cpu;
		cell->threads = j->threads;
		cell->nents = j->api[a] == DMABENCH_API_SG ? j->nents : 0;
		cell->pool = j->pool;
		cell->irqs_off = j->irqs_off;
		cell->baseline = j->baseline;
		cell->counters = j->counters;
	}
	return 0;
}

/* The whole file, NUL-terminated, or NULL with errno set. */
static char *slurp(FILE *f)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	size_t n;

	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *b = realloc(buf, cap *= 2);

			if (!b) {
				free(buf);
				return NULL;
			}
			buf = b;
		}
	}
	if (buf && ferror(f)) {
		free(buf);
		return NULL;
	}
	if (buf)
		buf[len] = '\0';
	else
		errno = ENOMEM;
	return buf;
}

/*
 * Only a regular file is a config: fopen() reads a directory as empty,
 * which would parse as the default matrix. O_NONBLOCK: a FIFO is refused,
 * not waited on.
 */
static FILE *open_config(const char *path, char *err, size_t len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *f;

	if (fd < 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s: %s", path, S_ISDIR(st.st_mode) ?
			 "a directory, not a config file" : "not a regular file");
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

int config_load(const char *path, struct config *cfg, char *err, size_t len)
{
	struct parse p = { .path = path, .cfg = cfg, .err = err, .errlen = len };
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	p.f = open_config(path, err, len);
	if (!p.f)
		return -1;
	cfg->path = strdup(path);
	cfg->text = slurp(p.f);
	if (!cfg->path || !cfg->text) {
		snprintf(err, len, "%s: %s", path, strerror(cfg->path ? errno : ENOMEM));
		fclose(p.f);
		config_free(cfg);
		return -1;
	}
	rewind(p.f);

	/* Defaults: the demo's 4 KiB pair in the direction block I/O uses. */
	snprintf(p.global.name, sizeof(p.global.name), "global");
	p.global.api[0] = DMABENCH_API_PAGE;
	p.global.napi = 1;
	p.global.size[0] = 4096;
	p.global.nsize = 1;
	p.global.noffset = 1;
	p.global.npattern = 1;
	p.global.dir[0] = DMABENCH_DIR_TO_DEVICE;
	p.global.ndir = 1;
	p.global.batch = 64;
	p.global.batches = 100;
	p.global.warmup = 5;
	p.global.cpu = 0;
	p.global.threads = 1;
	p.global.nents = 1;
	p.global.pool = 1024;
	p.global.baseline = 1;
	p.global.counters = 1;

	ret = ini_parse_stream(reader, &p, handler, &p);
	fclose(p.f);
	if (!p.failed && ret > 0) {
		p.line = ret;
		fail(&p, NULL, "not a key = value line or [section]");
	}
	if (!p.failed) {
		cfg->cells = calloc(MAX_CELLS, sizeof(*cfg->cells));
		if (!p.njobs) {
			snprintf(p.global.name, sizeof(p.global.name), "default");
			p.failed = expand(&p, &p.global) < 0;
		}
		for (int i = 0; i < p.njobs && !p.failed; i++)
			p.failed = expand(&p, &p.jobs[i]) < 0;
	}
	free(p.jobs);
	if (p.failed) {
		config_free(cfg);
		return -1;
	}
	if (!cfg->modes)
		cfg->modes = 1u << DMABENCH_MODE_DIRECT | 1u << DMABENCH_MODE_STRICT |
			     1u << DMABENCH_MODE_LAZY | 1u << DMABENCH_MODE_SWIOTLB;
	return 0;
}

void config_free(struct config *cfg)
{
	free(cfg->path);
	free(cfg->text);
	free(cfg->description);
	free(cfg->guest_cpu);
	free(cfg->gate_rules);
	free(cfg->cells);
	memset(cfg, 0, sizeof(*cfg));
}
