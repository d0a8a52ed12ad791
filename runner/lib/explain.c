// SPDX-License-Identifier: GPL-2.0
/*
 * Where the instructions go, per function (dmabench explain, report).
 *
 *   explain --attach RESULT RAW SYMS   per-PC counts of the explain plugin
 *                                      (RAW) + the guest's text symbols
 *                                      (SYMS) -> per-function figures in
 *                                      each cell of RESULT
 *   explain BEFORE AFTER               per row, the functions whose
 *                                      instructions per op changed
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "names.h"
#include "explain.h"
#include "results.h"
#include "util.h"

struct sym {
	uint64_t addr;
	char *name;
};

struct fn {
	const char *name;
	uint64_t n[3];		/* map, unmap, out instructions */
	uint64_t calls[3];	/* executions of the first instruction */
	uint64_t incl[2];	/* map, unmap: while on the call path */
};

/*
 * A session's functions, found by name through an open-addressing hash
 * table, so that folding is linear in the raw file, however many
 * functions it names.
 */
struct fn_table {
	struct fn *fns;
	size_t n, cap;
	size_t *slot;		/* index + 1 into fns; 0: free */
	size_t nslots;		/* a power of two, more than twice n */
};

/*
 * The plugin's calling contexts: functions on the path, as fns indexes.
 * Its stack is MAX_DEPTH (256) calls deep: a node deeper than that is not
 * the plugin's, and the bound keeps each path short.
 */
#define EXPLAIN_MAX_DEPTH 256

struct path {
	size_t *fn;
	size_t n;
	int depth;
};

struct ctx_line {
	long node;
	uint64_t pc;
	uint64_t n[2];
};

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void free_syms(struct sym *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].name);
	free(s);
}

/* Text symbols "ADDR t NAME [MODULE]"; module functions read "NAME [MODULE]". */
static struct sym *load_syms(const char *path, size_t *count, char *err, size_t len)
{
	gzFile gz = gzopen(path, "rb");
	struct sym *s = NULL;
	size_t n = 0, cap = 0;
	char line[1024];
	unsigned long lineno = 0;

	if (!gz) {
		snprintf(err, len, "%s: %s", path, errno ? strerror(errno) : "cannot open");
		return NULL;
	}
	while (gzgets(gz, line, sizeof(line))) {
		unsigned long long addr;
		char type, name[512], mod[256] = "";
		int k;

		lineno++;
		k = sscanf(line, "%llx %c %511s %255s", &addr, &type, name, mod);
		if (k < 3 || (type != 't' && type != 'T')) {
			snprintf(err, len, "%s:%lu: not a text symbol line", path, lineno);
			goto fail;
		}
		if (n == cap) {
			struct sym *t = realloc(s, (cap = cap ? cap * 2 : 4096) * sizeof(*s));

			if (!t)
				goto oom;
			s = t;
		}
		s[n].addr = addr;
		if (asprintf(&s[n].name, "%s%s%s", name, k == 4 ? " " : "", k == 4 ? mod : "") < 0)
			goto oom;
		n++;
	}
	if (!gzeof(gz)) {
		snprintf(err, len, "%s: not a complete gzip file", path);
		goto fail;
	}
	gzclose(gz);
	if (!n) {
		snprintf(err, len, "%s: no symbols", path);
		free(s);
		return NULL;
	}
	qsort(s, n, sizeof(*s), by_addr);
	*count = n;
	return s;
oom:
	snprintf(err, len, "out of memory");
fail:
	gzclose(gz);
	free_syms(s, n);
	return NULL;
}

static const struct sym *symbolize(const struct sym *s, size_t n, uint64_t pc)
{
	size_t lo = 0, hi = n;

	if (!n || pc < s[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid].addr <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return &s[lo];
}

static int by_total(const void *a, const void *b)
{
	const struct fn *x = a, *y = b;
	uint64_t tx = x->n[0] + x->n[1], ty = y->n[0] + y->n[1];

	if (tx != ty)
		return tx > ty ? -1 : 1;
	return strcmp(x->name, y->name);
}

static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	return h;
}

static size_t *slot_of(const struct fn_table *t, const char *name)
{
	size_t i = name_hash(name) & (t->nslots - 1);

	while (t->slot[i] && strcmp(t->fns[t->slot[i] - 1].name, name))
		i = (i + 1) & (t->nslots - 1);
	return &t->slot[i];
}

static int grow_slots(struct fn_table *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 256;
	size_t *slot = calloc(n, sizeof(*slot));

	if (!slot)
		return -1;
	free(t->slot);
	t->slot = slot;
	t->nslots = n;
	for (size_t i = 0; i < t->n; i++)
		*slot_of(t, t->fns[i].name) = i + 1;
	return 0;
}

/* The index of the function @name in @t, added (its name copied) if new. */
static long fn_index(struct fn_table *t, const char *name)
{
	size_t *slot;

	if (2 * (t->n + 1) >= t->nslots && grow_slots(t))
		return -1;
	slot = slot_of(t, name);
	if (*slot)
		return (long)(*slot - 1);
	if (t->n == t->cap) {
		struct fn *fns = realloc(t->fns, (t->cap ? t->cap * 2 : 64) * sizeof(*fns));

		if (!fns)
			return -1;
		t->fns = fns;
		t->cap = t->cap ? t->cap * 2 : 64;
	}
	memset(&t->fns[t->n], 0, sizeof(t->fns[0]));
	t->fns[t->n].name = strdup(name);
	if (!t->fns[t->n].name)
		return -1;
	*slot = ++t->n;
	return (long)(t->n - 1);
}

/*
 * Add @c (map, unmap, out) to the function @name, and to @tot. Returns the
 * function's index, or -1 without memory.
 */
static long add_fn(struct fn_table *t, const char *name, int entry,
		   const uint64_t c[3], uint64_t tot[3])
{
	long i = fn_index(t, name);

	if (i < 0)
		return -1;
	for (int k = 0; k < 3; k++) {
		t->fns[i].n[k] += c[k];
		tot[k] += c[k];
		if (entry)
			t->fns[i].calls[k] += c[k];
	}
	return i;
}

static void fn_table_free(struct fn_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free((char *)t->fns[i].name);
	free(t->fns);
	free(t->slot);
}

/* The function a guest PC lies in, as named in the figures. */
static const char *pc_name(const struct sym *syms, size_t nsyms, uint64_t pc, int *entry)
{
	const struct sym *s = pc < 0xffff800000000000ull ? NULL : symbolize(syms, nsyms, pc);

	*entry = s && s->addr == pc;
	return s ? s->name : pc < 0xffff800000000000ull ? "(user space)" : "(unknown)";
}

/* @p: its parent's path (no copy of a function twice), deeper by one. */
static int path_from(struct path *p, const struct path *parent)
{
	p->depth = parent ? parent->depth + 1 : 0;
	if (!parent || !parent->n)
		return 0;
	p->fn = malloc(parent->n * sizeof(*p->fn));
	if (!p->fn)
		return -1;
	memcpy(p->fn, parent->fn, parent->n * sizeof(*p->fn));
	p->n = parent->n;
	return 0;
}

static int path_add(struct path *p, size_t fn)
{
	size_t *t;

	for (size_t i = 0; i < p->n; i++)
		if (p->fn[i] == fn)
			return 0;
	t = realloc(p->fn, (p->n + 1) * sizeof(*t));
	if (!t)
		return -1;
	p->fn = t;
	p->fn[p->n++] = fn;
	return 0;
}

/*
 * With callees: each context line's instructions count for every function
 * on its path (call sites' and callees' functions, the root's) and for its
 * own PC's function, once each. @paths[i] is node i's path; parents come
 * before children. Checks that the contexts hold exactly the vCPU's own
 * window instructions (@own).
 */
static int add_callees(struct fn_table *t, const struct sym *syms, size_t nsyms,
		       struct path *paths, size_t npaths,
		       const struct ctx_line *cl, size_t ncl, const uint64_t own[2],
		       char *err, size_t len)
{
	uint64_t sum[2] = { 0, 0 }, zero[3] = { 0, 0, 0 }, scratch[3] = { 0, 0, 0 };

	for (size_t i = 0; i < ncl; i++) {
		const struct path *p;
		int entry;
		long f;
		int on_path = 0;

		if (cl[i].node < 0 || (size_t)cl[i].node >= npaths) {
			snprintf(err, len, "a context line names node %ld of %zu", cl[i].node, npaths);
			return -1;
		}
		p = &paths[cl[i].node];
		f = add_fn(t, pc_name(syms, nsyms, cl[i].pc, &entry), 0, zero, scratch);
		if (f < 0) {
			snprintf(err, len, "out of memory");
			return -1;
		}
		for (size_t k = 0; k < p->n; k++) {
			t->fns[p->fn[k]].incl[0] += cl[i].n[0];
			t->fns[p->fn[k]].incl[1] += cl[i].n[1];
			on_path |= p->fn[k] == (size_t)f;
		}
		if (!on_path) {
			t->fns[f].incl[0] += cl[i].n[0];
			t->fns[f].incl[1] += cl[i].n[1];
		}
		sum[0] += cl[i].n[0];
		sum[1] += cl[i].n[1];
	}
	if (sum[0] != own[0] || sum[1] != own[1]) {
		snprintf(err, len, "the call contexts hold %" PRIu64 " map and %" PRIu64
			 " unmap instructions, the windows %" PRIu64 " and %" PRIu64,
			 sum[0], sum[1], own[0], own[1]);
		return -1;
	}
	return 0;
}

/*
 * One session of RAW, from the line after "session N windows W" to
 * "end N", folded into per-function figures. Returns the JSON of the
 * cell's explain object (without the pass's own figures), or NULL.
 */
/* What folding a session gathers as its lines come. */
struct fold {
	struct fn_table t;
	struct path *paths;
	size_t npaths;
	struct ctx_line *cl;
	size_t ncl, clcap;
	uint64_t tot[3], own[2];
	unsigned long long overflow;
	const struct sym *syms;
	size_t nsyms;
};

enum { FOLD_OK = 0, FOLD_GARBLED = -1, FOLD_OOM = -2 };

/* "node ID PARENT SITE PC": one more call path, its parent's plus a call. */
static int fold_node(struct fold *fo, const char *line)
{
	uint64_t scratch[3], zero[3] = { 0, 0, 0 };
	unsigned long long site, pc;
	long id, parent, fs, fe;
	struct path *tp, *p;
	int entry;

	if (sscanf(line, "node %ld %ld %llx %llx", &id, &parent, &site, &pc) != 4 ||
	    id < 0 || (size_t)id != fo->npaths || parent < -1 || parent >= id ||
	    (parent == -1) != (id == 0) ||
	    (parent >= 0 && fo->paths[parent].depth >= EXPLAIN_MAX_DEPTH))
		return FOLD_GARBLED;
	tp = realloc(fo->paths, (fo->npaths + 1) * sizeof(*fo->paths));
	if (!tp)
		return FOLD_OOM;
	fo->paths = tp;
	p = &fo->paths[fo->npaths++];
	memset(p, 0, sizeof(*p));
	if (path_from(p, parent >= 0 ? &fo->paths[parent] : NULL))
		return FOLD_OOM;
	fe = add_fn(&fo->t, pc_name(fo->syms, fo->nsyms, pc, &entry), 0, zero, scratch);
	fs = parent < 0 ? fe :
	     add_fn(&fo->t, pc_name(fo->syms, fo->nsyms, site, &entry), 0, zero, scratch);
	if (fe < 0 || fs < 0 || path_add(p, (size_t)fs) || path_add(p, (size_t)fe))
		return FOLD_OOM;
	return FOLD_OK;
}

/* "ctx ID PC MAP UNMAP": a PC's instructions on one call path. */
static int fold_ctx(struct fold *fo, const char *line)
{
	unsigned long long pc, c[2];
	long id;

	if (fo->ncl == fo->clcap) {
		size_t cap = fo->clcap ? fo->clcap * 2 : 256;
		struct ctx_line *t = realloc(fo->cl, cap * sizeof(*fo->cl));

		if (!t)
			return FOLD_OOM;
		fo->cl = t;
		fo->clcap = cap;
	}
	if (sscanf(line, "ctx %ld %llx %llu %llu", &id, &pc, &c[0], &c[1]) != 4)
		return FOLD_GARBLED;
	fo->cl[fo->ncl++] = (struct ctx_line){ id, pc, { c[0], c[1] } };
	return FOLD_OK;
}

/* "PC MAP UNMAP OUT [OTHER_MAP OTHER_UNMAP]": a PC's instructions. */
static int fold_pc(struct fold *fo, const char *line)
{
	unsigned long long pc, c[5] = { 0, 0, 0, 0, 0 };
	const char *name;
	int cols, entry;

	cols = sscanf(line, "%llx %llu %llu %llu %llu %llu", &pc, &c[0], &c[1], &c[2],
		      &c[3], &c[4]);
	if (cols != 4 && cols != 6)
		return FOLD_GARBLED;
	name = pc_name(fo->syms, fo->nsyms, pc, &entry);
	/*
	 * Another vCPU's instructions inside a window (the counter is
	 * QEMU's one clock): a function of their own, "NAME (other CPU)".
	 */
	if (c[3] || c[4]) {
		static char other[1100];

		snprintf(other, sizeof(other), "%s (other CPU)", name);
		if (add_fn(&fo->t, other, entry, (uint64_t[3]){ c[3], c[4], 0 }, fo->tot) < 0)
			return FOLD_OOM;
	}
	if ((c[0] || c[1] || c[2]) &&
	    add_fn(&fo->t, name, entry, (uint64_t[3]){ c[0], c[1], c[2] }, fo->tot) < 0)
		return FOLD_OOM;
	fo->own[0] += c[0];
	fo->own[1] += c[1];
	return FOLD_OK;
}

/* The session's explain figures, per op, from what was folded. */
static json_t *fold_figures(struct fold *fo, uint64_t windows, double ops, int callees)
{
	json_t *arr = json_array(), *obj;

	qsort(fo->t.fns, fo->t.n, sizeof(*fo->t.fns), by_total);
	for (size_t i = 0; i < fo->t.n; i++) {
		const struct fn *fn = &fo->t.fns[i];
		json_t *o;

		if (!fn->n[0] && !fn->n[1])
			continue;
		o = json_pack("{s:s, s:f, s:f, s:f, s:f, s:I, s:I}",
			      "name", fn->name,
			      "map", fn->n[0] / ops, "unmap", fn->n[1] / ops,
			      "map_calls", fn->calls[0] / ops, "unmap_calls", fn->calls[1] / ops,
			      "map_total", (json_int_t)fn->n[0],
			      "unmap_total", (json_int_t)fn->n[1]);
		if (callees && !strstr(fn->name, " (other CPU)")) {
			json_object_set_new(o, "map_with_callees", json_real(fn->incl[0] / ops));
			json_object_set_new(o, "unmap_with_callees", json_real(fn->incl[1] / ops));
		}
		json_array_append_new(arr, o);
	}
	obj = json_pack("{s:I, s:I, s:I, s:I, s:f, s:o}",
			"windows", (json_int_t)windows,
			"map_explained_total", (json_int_t)fo->tot[0],
			"unmap_explained_total", (json_int_t)fo->tot[1],
			"outside_total", (json_int_t)fo->tot[2],
			"outside_per_op", fo->tot[2] / ops,
			"functions", arr);
	if (fo->overflow)
		json_object_set_new(obj, "callees", json_sprintf(
			"not counted: %llu calls went deeper than the plugin's stack", fo->overflow));
	return obj;
}

/* Lines up to "end SESSION"; 1 at the end, 0 when the file ends first. */
static int fold_lines(struct fold *fo, FILE *f, const char *path, unsigned long *lineno,
		      unsigned long session, char *err, size_t len)
{
	char line[256];
	unsigned long end;
	int rc;

	while (fgets(line, sizeof(line), f)) {
		(*lineno)++;
		if (sscanf(line, "end %lu", &end) == 1) {
			if (end == session)
				return 1;
			snprintf(err, len, "%s:%lu: end of session %lu inside session %lu",
				 path, *lineno, end, session);
			return -1;
		}
		if (!strncmp(line, "overflow ", 9))
			rc = sscanf(line, "overflow %llu", &fo->overflow) == 1 ? FOLD_OK : FOLD_GARBLED;
		else if (!strncmp(line, "node ", 5))
			rc = fold_node(fo, line);
		else if (!strncmp(line, "ctx ", 4))
			rc = fold_ctx(fo, line);
		else
			rc = fold_pc(fo, line);
		if (rc == FOLD_GARBLED)
			snprintf(err, len, "%s:%lu: garbled line", path, *lineno);
		else if (rc == FOLD_OOM)
			snprintf(err, len, "out of memory");
		if (rc)
			return -1;
	}
	snprintf(err, len, "%s: session %lu has no end (truncated)", path, session);
	return -1;
}

static json_t *fold_session(FILE *f, const char *path, unsigned long *lineno,
			    unsigned long session, uint64_t windows,
			    const struct sym *syms, size_t nsyms, double ops,
			    char *err, size_t len)
{
	struct fold fo = { .syms = syms, .nsyms = nsyms };
	json_t *obj = NULL;
	int callees;

	if (fold_lines(&fo, f, path, lineno, session, err, len) < 0)
		goto out;
	/* Raw files of a plugin without call contexts have no node lines. */
	callees = fo.npaths > 0 && !fo.overflow;
	if (callees) {
		char why[512];

		if (add_callees(&fo.t, syms, nsyms, fo.paths, fo.npaths, fo.cl, fo.ncl, fo.own,
				why, sizeof(why))) {
			snprintf(err, len, "%s: session %lu: %s", path, session, why);
			goto out;
		}
	}
	obj = fold_figures(&fo, windows, ops, callees);
out:
	fn_table_free(&fo.t);
	for (size_t i = 0; i < fo.npaths; i++)
		free(fo.paths[i].fn);
	free(fo.paths);
	free(fo.cl);
	return obj;
}

/* The plugin's next line, which must open session @want: its windows. */
static int next_session(FILE *f, const char *raw, unsigned long *lineno, json_int_t want,
			size_t cell, json_t *c, unsigned long long *windows)
{
	char line[256];
	unsigned long session;

	if (!fgets(line, sizeof(line), f)) {
		error_msg("%s: no session %lld (cell %zu, job %s): the plugin saw fewer explain requests than the runner made",
			  raw, (long long)want, cell, json_str(c, "job"));
		return -1;
	}
	++*lineno;
	if (sscanf(line, "session %lu windows %llu", &session, windows) != 2) {
		error_msg("%s:%lu: expected a session line", raw, *lineno);
		return -1;
	}
	if ((json_int_t)session != want) {
		error_msg("%s:%lu: session %lu where session %lld was due", raw, *lineno,
			  session, (long long)want);
		return -1;
	}
	return 0;
}

/*
 * Cell @i's session folded into its explain figures: 1, 0 for a cell
 * without an explain pass, -1 (said) for plugin output that does not fit.
 */
static int attach_cell(FILE *f, const char *raw, const char *result, unsigned long *lineno,
		       json_t *c, size_t i, const struct sym *syms, size_t nsyms)
{
	json_t *ex = json_object_get(c, "explain"), *figs;
	json_int_t want, ops, mt, ut;
	unsigned long long windows;
	char err[1024];

	if (!ex || !json_is_integer(json_object_get(ex, "session")))
		return 0;
	want = json_integer_value(json_object_get(ex, "session"));
	ops = json_integer_value(json_object_get(ex, "ops"));
	mt = json_integer_value(json_object_get(ex, "map_cycles_total"));
	ut = json_integer_value(json_object_get(ex, "unmap_cycles_total"));
	if (ops <= 0) {
		error_msg("%s: cell %zu: explain pass without ops", result, i);
		return -1;
	}
	if (next_session(f, raw, lineno, want, i, c, &windows))
		return -1;
	figs = fold_session(f, raw, lineno, (unsigned long)want, windows, syms, nsyms,
			    (double)ops, err, sizeof(err));
	if (!figs) {
		error_msg("%s", err);
		return -1;
	}
	/*
	 * Exact: every instruction of a map window is one cycle of the
	 * pass's map figure under icount, and so on for unmap.
	 */
	if (json_integer_value(json_object_get(figs, "map_explained_total")) != mt ||
	    json_integer_value(json_object_get(figs, "unmap_explained_total")) != ut) {
		error_msg("%s: session %lld (job %s %s): the plugin counted %lld map and %lld unmap instructions, the pass's counter %lld and %lld",
			  raw, (long long)want, json_str(c, "job"), json_str(c, "api"),
			  (long long)json_integer_value(json_object_get(figs, "map_explained_total")),
			  (long long)json_integer_value(json_object_get(figs, "unmap_explained_total")),
			  (long long)mt, (long long)ut);
		json_decref(figs);
		return -1;
	}
	json_object_update(ex, figs);
	json_decref(figs);
	return 1;
}

int explain_attach(const char *result, const char *raw, const char *symfile)
{
	char err[1024], line[256];
	unsigned long lineno = 0;
	size_t nsyms = 0, explained = 0;
	struct sym *syms;
	json_t *doc, *cells;
	FILE *f;
	int ret = 2;

	doc = result_load(result, err, sizeof(err));
	if (!doc) {
		error_msg("%s", err);
		return 2;
	}
	syms = load_syms(symfile, &nsyms, err, sizeof(err));
	if (!syms) {
		error_msg("%s", err);
		json_decref(doc);
		return 2;
	}
	f = fopen(raw, "r");
	if (!f) {
		error_msg("%s: %s (was QEMU started with the explain plugin?)", raw, strerror(errno));
		goto out;
	}
	cells = json_object_get(doc, "cells");
	/* Sessions come in the order the runner's explain requests ended. */
	for (size_t i = 0; i < json_array_size(cells); i++) {
		int rc = attach_cell(f, raw, result, &lineno, json_array_get(cells, i), i,
				     syms, nsyms);

		if (rc < 0)
			goto out;
		explained += rc;
	}
	if (fgets(line, sizeof(line), f)) {
		error_msg("%s:%lu: more sessions than explained cells", raw, lineno + 1);
		goto out;
	}
	if (!explained) {
		error_msg("%s: no cell has an explain pass", result);
		goto out;
	}
	if (result_write(result, doc, err, sizeof(err))) {
		error_msg("%s", err);
		goto out;
	}
	ret = 0;
out:
	if (f)
		fclose(f);
	free_syms(syms, nsyms);
	json_decref(doc);
	return ret;
}

/* ---- BEFORE AFTER ---- */

static const char *mode_of(json_t *doc)
{
	return json_str(json_object_get(doc, "mode"), "detected");
}

/* @set's cell of @cell's job and api, in the mode and on the IOMMU of @like. */
static json_t *find_cell(json_t *set, json_t *like, json_t *cell)
{
	const char *iommu = result_iommu(like);
	size_t i, j;
	json_t *doc, *c;

	json_array_foreach(set, i, doc) {
		const char *its = result_iommu(doc);

		if (strcmp(mode_of(doc), mode_of(like)) ||
		    !same_iommu(its, iommu))
			continue;
		json_array_foreach(json_object_get(doc, "cells"), j, c)
			if (!strcmp(json_str(c, "job"), json_str(cell, "job")) &&
			    !strcmp(json_str(c, "api"), json_str(cell, "api")))
				return c;
	}
	return NULL;
}

/*
 * A function's name without GCC's clone suffixes (.isra.0, .constprop.0,
 * .part.0, .cold): another compiler's clone of the same code is the same
 * function for a comparison. Module functions keep their " [module]".
 */
static void base_name(const char *name, char *out, size_t len)
{
	static const char *const sfx[] = { ".isra.", ".constprop.", ".part.", ".cold" };
	const char *mod = strchr(name, ' ');
	size_t n = mod ? (size_t)(mod - name) : strlen(name);
	const char *cut;

	for (size_t k = 0; k < sizeof(sfx) / sizeof(sfx[0]); k++) {
		cut = memmem(name, n, sfx[k], strlen(sfx[k]));
		if (cut)
			n = (size_t)(cut - name);
	}
	snprintf(out, len, "%.*s%s", (int)n, name, mod ? mod : "");
}

/* One function's figure on one side, under its base name. */
struct named_value {
	char name[512];
	double v;
	int side;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct named_value *)a)->name,
		      ((const struct named_value *)b)->name);
}

/* Both sides' @op figures under base names, sorted by name; caller frees. */
static struct named_value *named_values(json_t *bf, json_t *af, const char *op, size_t *n)
{
	size_t nb = json_array_size(bf), na = json_array_size(af), i;
	struct named_value *v = calloc(nb + na + 1, sizeof(*v));
	json_t *f;

	if (!v)
		return NULL;
	*n = 0;
	for (int side = 0; side < 2; side++)
		json_array_foreach(side ? af : bf, i, f) {
			base_name(json_str(f, "name"), v[*n].name, sizeof(v[0].name));
			v[*n].v = json_number_value(json_object_get(f, op));
			v[(*n)++].side = side;
		}
	qsort(v, *n, sizeof(*v), by_name);
	return v;
}

static double fns_sum(json_t *fns, const char *op)
{
	double s = 0;
	size_t i;
	json_t *f;

	json_array_foreach(fns, i, f)
		s += json_number_value(json_object_get(f, op));
	return s;
}

struct change {
	const char *name;
	double delta;
	const char *tag;
};

static int by_delta(const void *a, const void *b)
{
	const struct change *x = a, *y = b;

	if (fabs(x->delta) != fabs(y->delta))
		return fabs(x->delta) > fabs(y->delta) ? -1 : 1;
	return strcmp(x->name, y->name);
}

int explain_valid(json_t *ex, char *err, size_t len)
{
	json_t *fns = json_object_get(ex, "functions");
	size_t i;
	json_t *f;

	if (!json_is_object(ex) || !json_is_array(fns)) {
		snprintf(err, len, "%s", json_is_object(ex) && json_object_get(ex, "error") ?
			 json_str(ex, "error") : "no per-function figures (not attached?)");
		return 0;
	}
	json_array_foreach(fns, i, f)
		if (!json_is_string(json_object_get(f, "name")) ||
		    !json_is_number(json_object_get(f, "map")) ||
		    !json_is_number(json_object_get(f, "unmap"))) {
			snprintf(err, len, "function %zu: garbled figures", i);
			return 0;
		}
	return 1;
}

size_t explain_row_changes(json_t *bex, json_t *aex, const char *op, int top, double floor,
			   const char *indent, FILE *out)
{
	size_t nv = 0, n = 0, i, j, small = 0;
	double small_sum = 0;
	struct named_value *v = named_values(json_object_get(bex, "functions"),
					     json_object_get(aex, "functions"), op, &nv);
	struct change *ch = calloc(nv + 1, sizeof(*ch));

	if (!v || !ch) {
		free(v);
		free(ch);
		return 0;
	}
	/* Each base name once: the sum of its functions on either side. */
	for (i = 0; i < nv; i = j) {
		double side[2] = { 0, 0 };
		int found[2] = { 0, 0 };

		for (j = i; j < nv && !strcmp(v[j].name, v[i].name); j++) {
			side[v[j].side] += v[j].v;
			found[v[j].side] = 1;
		}
		if (fabs(side[1] - side[0]) < 0.05)
			continue;
		if (fabs(side[1] - side[0]) < floor) {
			small++;
			small_sum += side[1] - side[0];
			continue;
		}
		ch[n].name = v[i].name;
		ch[n].delta = side[1] - side[0];
		ch[n++].tag = !found[1] || fabs(side[1]) < 0.05 ? " (gone)" :
			      !found[0] || fabs(side[0]) < 0.05 ? " (new)" : "";
	}
	qsort(ch, n, sizeof(*ch), by_delta);
	for (i = 0; i < n && (top <= 0 || (int)i < top); i++) {
		char num[32];
		int room;

		snprintf(num, sizeof(num), "%+.1f", ch[i].delta);
		room = 72 - (int)strlen(indent) - 8 - 1 - (int)strlen(ch[i].tag);
		fprintf(out, "%s%8s %.*s%s\n", indent, num, room > 8 ? room : 8, ch[i].name, ch[i].tag);
	}
	if (top > 0 && n > (size_t)top)
		fprintf(out, "%s%8s %zu more\n", indent, "...", n - top);
	if (small && n) {
		char num[32];

		snprintf(num, sizeof(num), "%+.1f", small_sum);
		fprintf(out, "%s%8s %zu more, each under %g (timer interrupts, the other vCPU)\n",
			indent, num, small, floor);
	}
	free(ch);
	free(v);
	return n;
}

static int has_callees(json_t *ex)
{
	json_t *f = json_array_get(json_object_get(ex, "functions"), 0);

	return json_is_number(json_object_get(f, "map_with_callees"));
}

/* Where explain pass figures of one cell are unusable, why, on stderr. */
static int cell_usable(const char *before, const char *after, json_t *doc, json_t *c,
		       json_t *bex, json_t *aex, int callees)
{
	char err[256];
	int b_ok = explain_valid(bex, err, sizeof(err));

	if (!b_ok || !explain_valid(aex, err, sizeof(err))) {
		error_msg("%s: %s %s %s: %s", b_ok ? after : before, mode_of(doc),
			  json_str(c, "job"), json_str(c, "api"), err);
		return 0;
	}
	if (callees && (!has_callees(bex) || !has_callees(aex))) {
		error_msg("%s: %s %s %s: no figures with callees (measured before the plugin kept call paths: measure again)",
			  has_callees(bex) ? after : before, mode_of(doc),
			  json_str(c, "job"), json_str(c, "api"));
		return 0;
	}
	return 1;
}

/* A cell's map and unmap rows, each with the functions that moved. */
static void cell_rows(FILE *out, json_t *doc, json_t *c, json_t *bex, json_t *aex,
		      int several, int top, int callees)
{
	static const char *const ops[] = { "map", "unmap" };
	static const char *const incl[] = { "map_with_callees", "unmap_with_callees" };
	char label[48];

	result_mode_label(doc, several, label, sizeof(label));
	for (int k = 0; k < 2; k++) {
		double b = fns_sum(json_object_get(bex, "functions"), ops[k]);
		double a = fns_sum(json_object_get(aex, "functions"), ops[k]);

		fprintf(out, "%-7s %-9s %-5s %9.1f -> %9.1f  %+.1f  [%s]\n",
			label, json_str(c, "api"), ops[k], b, a, a - b, json_str(c, "job"));
		explain_row_changes(bex, aex, callees ? incl[k] : ops[k], top, 0, "  ", out);
	}
}

/* Every cell with explain figures on both sides; -1 at an unusable one. */
static long all_rows(FILE *out, const char *before, const char *after, json_t *bset,
		     json_t *aset, int top, int callees)
{
	int several = result_sets_several_iommus(bset, aset);
	json_t *doc, *c;
	size_t i, j;
	long rows = 0;

	json_array_foreach(bset, i, doc) {
		json_array_foreach(json_object_get(doc, "cells"), j, c) {
			json_t *ac = find_cell(aset, doc, c), *bex = json_object_get(c, "explain");
			json_t *aex = ac ? json_object_get(ac, "explain") : NULL;

			if (!bex || !aex)
				continue;
			if (!cell_usable(before, after, doc, c, bex, aex, callees))
				return -1;
			cell_rows(out, doc, c, bex, aex, several, top, callees);
			rows += 2;
		}
	}
	return rows;
}

int explain_write(const char *before, const char *after, int top, int callees,
		  const char *output)
{
	char err[1024], *text = NULL;
	json_t *bset, *aset = NULL;
	size_t tlen = 0;
	long rows = -1;
	FILE *out;
	int ret = 2;

	bset = result_load_set(before, err, sizeof(err));
	aset = bset ? result_load_set(after, err, sizeof(err)) : NULL;
	if (!aset) {
		error_msg("%s", err);
		json_decref(bset);
		return 2;
	}
	out = open_memstream(&text, &tlen);
	if (out) {
		fprintf(out, "instructions per op in the explain pass (the loop's own on the\n"
			     "module's functions), before -> after; under each row the\n"
			     "functions whose %s per op changed\n",
			callees ? "instructions with callees" : "own instructions");
		rows = all_rows(out, before, after, bset, aset, top, callees);
		fclose(out);
	}
	if (!rows)
		error_msg("no row has explain figures on both sides (measure with --explain)");
	else if (rows > 0)
		ret = emit_plain_text(output, text, tlen) ? 2 : 0;
	free(text);
	json_decref(bset);
	json_decref(aset);
	return ret;
}

