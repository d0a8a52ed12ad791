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
#include "params.h"
#include "uapi/dmabench.h"
#include "util.h"

#define MAX_LIST 32
/* a config is a page of text; this bound only keeps a huge file out */
#define CONFIG_MAX_BYTES (1 << 20)
#define MAX_CELLS 4096

/* The settings of one section, before expansion: the table's values. */
struct job {
	char name[64];
	int line;
	long long v[P_COUNT][MAX_LIST];
	int n[P_COUNT];		/* values of each key (lists: more than one) */
	unsigned int seen;	/* bit per key set in this section */
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

/*
 * One value of parameter @k, parsed and checked as the table says, into
 * @out. Returns 1, or 0 after fail().
 */
static int parse_value(struct parse *p, const struct param *q, const char *v,
		       long long *out)
{
	const char *key = q->name;
	long long x;
	int e;

	switch (q->kind) {
	case PARAM_NAME:
		e = q->from_name(v);
		if (e < 0)
			return fail(p, key, "unknown %s '%s' (known: %s)", q->noun, v, q->names());
		*out = e;
		return 1;
	case PARAM_BOOL:
		e = parse_bool(v);
		if (e < 0)
			return fail(p, key, "'%s' is not yes or no", v);
		*out = e;
		return 1;
	case PARAM_TEXT:
		return fail(p, key, "a text key has no value list");
	case PARAM_SIZE:
	case PARAM_NUMBER:
		break;
	}
	if ((q->flags & PARAM_ANY) && !strcmp(v, "any")) {
		*out = -1;
		return 1;
	}
	if (isdigit((unsigned char)*v) && !decimal(v))
		return fail(p, key, "'%s': write numbers in decimal without a leading 0 (no octal or hex)",
			    v);
	if (q->kind == PARAM_SIZE) {
		x = parse_size(v);
		if (x < 0)
			return fail(p, key, "'%s' is not a%s %s (e.g. 4096, 4k, 2M)", v,
				    strchr("aeiou", q->noun[0]) ? "n" : "", q->noun);
		if (x < q->min)
			return fail(p, key, "%s must be at least %lld byte%s", q->noun, q->min,
				    q->min == 1 ? "" : "s");
		if (x > q->max)
			return fail(p, key, "%s %s is too large (at most %lld bytes)", q->noun, v, q->max);
	} else if (parse_uint(v, q->max, &x) || x < q->min) {
		return fail(p, key, "'%s' is not a%s %s in %lld..%lld%s", v,
			    strchr("aeiou", q->noun[0]) ? "n" : "", q->noun, q->min, q->max,
			    q->flags & PARAM_ANY ? " or 'any'" : "");
	}
	*out = x;
	return 1;
}

/* Store parameter @k's parsed values @v (@n of them) in @j or the config. */
static void store(struct parse *p, struct job *j, enum param_id k, const long long *v, int n)
{
	if (k == P_MODES)
		for (int i = 0; i < n; i++)
			p->cfg->modes |= 1u << v[i];
	else if (k == P_RUNS)
		p->cfg->runs = (unsigned int)v[0];
	else if (k == P_IOMMU)
		for (int i = 0; i < n; i++)
			p->cfg->iommus |= 1u << v[i];
	memcpy(j->v[k], v, n * sizeof(*v));
	j->n[k] = n;
}

static int set_key(struct parse *p, struct job *j, const char *key,
		   const char *value)
{
	const struct param *q = param_find(key);
	char *buf, *items[MAX_LIST];
	long long v[MAX_LIST];
	enum param_id k;
	int n, ret = 1;

	if (!q)
		return fail(p, key, "unknown key (known: %s)", param_names());
	k = (enum param_id)(q - params);
	if (j->seen & (1u << k))
		return fail(p, key, "set twice in [%s]", j->name);
	j->seen |= 1u << k;
	if ((q->flags & PARAM_GLOBAL) && j != &p->global)
		return fail(p, key, "belongs in [global]");
	if (k == P_GUEST_CPU) {
		/* goes onto QEMU's command line as one argument: a model and its properties */
		if (!*value || strspn(value, "abcdefghijklmnopqrstuvwxyz"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,=+-") != strlen(value))
			return fail(p, key, "'%s' is not a QEMU CPU model (letters, digits, _.,=+-)", value);
		free(p->cfg->guest_cpu);
		p->cfg->guest_cpu = strdup(value);
		return 1;
	}
	if (k == P_DESCRIPTION) {
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
	else if (n > 1 && !(q->flags & PARAM_LIST))
		ret = fail(p, key, "takes one value, not a list");
	for (int i = 0; ret && i < n; i++)
		ret = parse_value(p, q, items[i], &v[i]);
	if (ret)
		store(p, j, k, v, n);
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
static unsigned long long footprint(const struct cell *c)
{
	unsigned long long bytes = c->offset + (unsigned long long)c->size * c->nents;
	unsigned long long block = 4096, nbufs = 1;

	while (block < bytes)
		block <<= 1;
	if (c->pattern == DMABENCH_PATTERN_BATCH)
		nbufs = c->batch;
	else if (c->pattern == DMABENCH_PATTERN_POOL)
		nbufs = c->pool;
	return block * nbufs * c->threads;
}

/* A cell of the matrix: refused if it breaks a limit no single key shows. */
static int check_cell(struct parse *p, const struct job *j, const struct cell *c)
{
	if (footprint(c) > DMABENCH_MAX_FOOTPRINT) {
		snprintf(p->err, p->errlen,
			 "%s: job [%s]: %s pattern of size %u maps more than %u MiB at once (batch, pool, nents, threads)",
			 p->path, j->name, pattern_name(c->pattern), c->size,
			 DMABENCH_MAX_FOOTPRINT >> 20);
		return -1;
	}
	if ((unsigned long long)c->size * c->nents * c->batch > DMABENCH_MAX_BATCH_BYTES) {
		snprintf(p->err, p->errlen,
			 "%s: job [%s]: a batch of %u ops of size %u%s maps more than %u MiB (a batch runs with preemption off)",
			 p->path, j->name, c->batch, c->size, c->nents > 1 ? " x nents" : "",
			 DMABENCH_MAX_BATCH_BYTES >> 20);
		return -1;
	}
	if (c->threads > 1 && c->cpu < 0) {
		snprintf(p->err, p->errlen, "%s: job [%s]: threads > 1 needs a first cpu, not 'any'",
			 p->path, j->name);
		return -1;
	}
	return 0;
}

/* Every combination of the list keys' values, the last key fastest. */
static int expand(struct parse *p, const struct job *j)
{
	struct config *c = p->cfg;
	int at[P_COUNT] = { 0 };

	for (;;) {
		struct cell *cell;
		size_t k;

		if (c->ncells == MAX_CELLS) {
			snprintf(p->err, p->errlen, "%s: job [%s]: the matrix has more than %d cells",
				 p->path, j->name, MAX_CELLS);
			return -1;
		}
		cell = &c->cells[c->ncells];
		memset(cell, 0, sizeof(*cell));
		snprintf(cell->job, sizeof(cell->job), "%s", j->name);
		for (k = 0; k < P_COUNT; k++)
			if (!(params[k].flags & PARAM_GLOBAL) && j->n[k])
				cell_set(cell, k, j->v[k][at[k]]);
		/* What the module would do with them anyway, recorded as such. */
		for (k = 0; k < P_COUNT; k++) {
			long long v;

			if (param_unused(k, cell->api, cell->pattern, &v))
				cell_set(cell, k, v);
		}
		if (check_cell(p, j, cell))
			return -1;
		c->ncells++;
		for (k = P_COUNT; k-- > 0;) {
			if (!(params[k].flags & PARAM_LIST) || (params[k].flags & PARAM_GLOBAL))
				continue;
			if (++at[k] < j->n[k])
				break;
			at[k] = 0;
		}
		if (k == (size_t)-1)
			return 0;
	}
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
 * which would parse as the default matrix, and a FIFO would hang.
 */
static FILE *open_config(const char *path, char *err, size_t len)
{
	int fd = open_regular(path, CONFIG_MAX_BYTES, "config file", err, len);
	FILE *f;

	if (fd < 0)
		return NULL;
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

	/* Defaults: from the parameter table, through the same parser. */
	snprintf(p.global.name, sizeof(p.global.name), "global");
	for (size_t k = 0; k < P_COUNT && !p.failed; k++)
		if (params[k].def)
			set_key(&p, &p.global, params[k].name, params[k].def);
	p.global.seen = 0;
	if (p.failed) {	/* a table default the parser refuses */
		fclose(p.f);
		config_free(cfg);
		return -1;
	}

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
