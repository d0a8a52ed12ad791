// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "names.h"
#include "params.h"
#include "results.h"
#include "util.h"
#include "uapi/dmabench.h"

const char *json_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "?";
}

int result_write(const char *path, json_t *doc, char *err, size_t len)
{
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	int ret = 0;

	if (!text) {
		snprintf(err, len, "%s: cannot serialise the result", path);
		return -1;
	}
	if (write_file_atomic(path, text, strlen(text))) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		ret = -1;
	}
	free(text);
	return ret;
}

static const char *missing(json_t *obj, const char *const *keys)
{
	for (; *keys; keys++)
		if (!json_object_get(obj, *keys))
			return *keys;
	return NULL;
}

/*
 * A merge of several runs (dmabench merge): per run its figures, its own
 * baseline when the cell has one, and the count of its samples, which
 * follow each other in samples.map and samples.unmap.
 */
static int check_runs(json_t *cell, json_t *samples, json_int_t per_run,
		      char *err, size_t len, const char *path, size_t i)
{
	json_t *runs = json_object_get(cell, "runs"), *sizes = json_object_get(samples, "runs");
	int base = json_object_get(cell, "baseline") != NULL;
	json_error_t jerr;
	json_t *run, *size;
	double f;
	size_t r;

	if (!runs && !sizes)
		return 0;
	if (!json_is_array(runs) || !json_is_array(sizes) || json_array_size(runs) < 1 ||
	    json_array_size(runs) != json_array_size(sizes) ||
	    json_array_size(runs) > RESULT_MAX_RUNS) {
		snprintf(err, len, "%s: cells[%zu]: runs and samples.runs must be arrays of one entry per run (1..%d)",
			 path, i, RESULT_MAX_RUNS);
		return -1;
	}
	json_array_foreach(runs, r, run) {
		size = json_array_get(sizes, r);
		if (json_unpack_ex(run, &jerr, 0, "{s:F, s:F}", "map_cycles_per_op", &f,
				   "unmap_cycles_per_op", &f) ||
		    (base && json_unpack_ex(run, &jerr, 0, "{s:{s:F, s:F}}", "baseline",
					    "map_cycles_per_op", &f, "unmap_cycles_per_op", &f))) {
			snprintf(err, len, "%s: cells[%zu]: runs[%zu]: %s", path, i, r, jerr.text);
			return -1;
		}
		if (!json_is_integer(size) || json_integer_value(size) != per_run) {
			snprintf(err, len, "%s: cells[%zu]: run %zu has not %lld samples (batches x threads)",
				 path, i, r + 1, (long long)per_run);
			return -1;
		}
	}
	return 0;
}

/*
 * A cell's names are the ABI's (api, pattern, dir) or a config's section
 * name (job): never a control character that an output would print.
 */
static int check_names(json_t *cell, size_t i, char *err, size_t len, const char *path)
{
	const char *job = json_str(cell, "job");
	char shown[64];

	if (api_from_name(json_str(cell, "api")) < 0 ||
	    pattern_from_name(json_str(cell, "pattern")) < 0 ||
	    dir_from_name(json_str(cell, "dir")) < 0) {
		snprintf(err, len, "%s: cells[%zu]: unknown api, pattern or dir ('%s', '%s', '%s')",
			 path, i, one_line(json_str(cell, "api"), shown, 24),
			 one_line(json_str(cell, "pattern"), shown + 24, 20),
			 one_line(json_str(cell, "dir"), shown + 44, 20));
		return -1;
	}
	for (const char *c = job; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f) {
			snprintf(err, len, "%s: cells[%zu]: the job name '%s' holds a control character",
				 path, i, one_line(job, shown, sizeof(shown)));
			return -1;
		}
	if (!*job) {
		snprintf(err, len, "%s: cells[%zu]: an empty job name", path, i);
		return -1;
	}
	return 0;
}

/* A measured cell's figures and samples: as many as batches x threads x runs. */
static int check_samples(json_t *cell, size_t i, json_int_t batches, char *err, size_t len,
			 const char *path)
{
	json_t *samples = json_object_get(cell, "samples"), *v;
	json_error_t jerr;
	double f;
	size_t j;

	/* F: 12 and 12.0 are the same figure (a jq round trip writes 12) */
	if (json_unpack_ex(cell, &jerr, 0, "{s:F, s:F, s:{s:o, s:o}}",
			   "map_cycles_per_op", &f, "unmap_cycles_per_op", &f,
			   "samples", "map", &v, "unmap", &v) ||
	    (json_object_get(cell, "baseline") &&
	     json_unpack_ex(cell, &jerr, 0, "{s:{s:F, s:F}}", "baseline",
			    "map_cycles_per_op", &f, "unmap_cycles_per_op", &f))) {
		snprintf(err, len, "%s: cells[%zu]: %s", path, i, jerr.text);
		return -1;
	}
	if (check_runs(cell, samples, batches, err, len, path, i))
		return -1;
	if (json_object_get(cell, "runs"))
		batches *= (json_int_t)json_array_size(json_object_get(cell, "runs"));
	for (const char *const *op = (const char *const[]){ "map", "unmap", NULL }; *op; op++)
		json_array_foreach(json_object_get(samples, *op), j, v)
			if (!json_is_integer(v) || json_integer_value(v) < 0) {
				snprintf(err, len, "%s: cells[%zu]: %s sample %zu is not a cycle count",
					 path, i, *op, j);
				return -1;
			}
	if (json_array_size(json_object_get(samples, "map")) != (size_t)batches ||
	    json_array_size(json_object_get(samples, "unmap")) != (size_t)batches) {
		snprintf(err, len, "%s: cells[%zu] has not %lld samples (batches x threads): incomplete",
			 path, i, (long long)batches);
		return -1;
	}
	return 0;
}

/* The counts of a cell: batch, batches, threads and ops in the module's bounds. */
static int check_counts(json_t *cell, size_t i, json_int_t batches, json_int_t *threads,
			char *err, size_t len, const char *path)
{
	json_int_t n = json_integer_value(json_object_get(cell, "batch"));
	json_error_t jerr;

	/* the module's own bounds: sample counts below cannot overflow */
	if (n < 1 || n > DMABENCH_MAX_BATCH || batches < 1 || batches > DMABENCH_MAX_BATCHES) {
		snprintf(err, len, "%s: cells[%zu]: batch must be 1..%u and batches 1..%u",
			 path, i, DMABENCH_MAX_BATCH, DMABENCH_MAX_BATCHES);
		return -1;
	}
	*threads = 1;
	if (json_object_get(cell, "threads") &&
	    (json_unpack_ex(cell, &jerr, 0, "{s:I}", "threads", threads) || *threads < 1 ||
	     *threads > RESULT_MAX_THREADS)) {
		snprintf(err, len, "%s: cells[%zu]: threads must be an integer from 1 to %d",
			 path, i, RESULT_MAX_THREADS);
		return -1;
	}
	if (json_object_get(cell, "ops") &&
	    (!json_is_integer(json_object_get(cell, "ops")) ||
	     json_integer_value(json_object_get(cell, "ops")) < 0)) {
		snprintf(err, len, "%s: cells[%zu]: ops must be a count (an integer, not negative)",
			 path, i);
		return -1;
	}
	return 0;
}

static int check_cell(json_t *cell, size_t i, char *err, size_t len,
		      const char *path)
{
	static const char *const keys[] = { "job", "api", "pattern", "size",
		"offset", "dir", "batch", "batches", "status", NULL };
	static const char *const ok_keys[] = { "ops", "map_flags",
		"map_cycles_per_op", "unmap_cycles_per_op", "samples", NULL };
	const char *status, *s, *k = missing(cell, keys);
	json_int_t batches, n, threads;
	json_error_t jerr;

	if (k) {
		snprintf(err, len, "%s: cells[%zu] lacks '%s'", path, i, k);
		return -1;
	}
	/* Types, not just keys: a number where a name belongs is refused. */
	if (json_unpack_ex(cell, &jerr, 0, "{s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:I, s:s}",
			   "job", &s, "api", &s, "pattern", &s, "size", &n, "offset", &n,
			   "dir", &s, "batch", &n, "batches", &batches, "status", &status)) {
		snprintf(err, len, "%s: cells[%zu]: %s", path, i, jerr.text);
		return -1;
	}
	if (check_names(cell, i, err, len, path) ||
	    check_counts(cell, i, batches, &threads, err, len, path))
		return -1;
	if (strcmp(status, "ok") && strcmp(status, "unsupported") &&
	    strcmp(status, "error")) {
		snprintf(err, len, "%s: cells[%zu] has an unknown status", path, i);
		return -1;
	}
	if (strcmp(status, "ok"))
		return 0;
	k = missing(cell, ok_keys);
	if (k) {
		snprintf(err, len, "%s: cells[%zu] lacks '%s'", path, i, k);
		return -1;
	}
	return check_samples(cell, i, batches * threads, err, len, path);
}

/*
 * A cell written before one of its keys existed gets the key's default
 * (params.h): without it, an older result's rows would pair with no row
 * of a newer one, and every baseline a user keeps would stop comparing.
 */
static void fill_cell_defaults(json_t *cell)
{
	/* known names: check_names() took the cell */
	uint32_t api = (uint32_t)api_from_name(json_str(cell, "api"));
	uint32_t pattern = (uint32_t)pattern_from_name(json_str(cell, "pattern"));

	for (size_t k = 0; k < P_COUNT; k++) {
		const struct param *q = &params[k];
		long long v;

		if (!(q->flags & PARAM_CELL))
			continue;
		if (param_unused(k, api, pattern, &v))
			json_object_set_new(cell, q->name, json_integer(v));
		else if (!json_object_get(cell, q->name) && q->def)
			json_object_set_new(cell, q->name, param_default_json(q));
	}
}

json_t *result_load(const char *path, char *err, size_t len)
{
	static const char *const top[] = { "schema", "schema_version",
		"dmabench_version", "created", "command_line", "system",
		"module", "mode", "config", "cells", "complete", NULL };
	json_error_t jerr;
	size_t n;
	char *text = read_regular_file(path, RESULT_MAX_BYTES, "result file", &n, err, len);
	json_t *doc = text ? json_loadb(text, n, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	const char *k, *schema;
	json_t *cells, *cell;
	size_t i;

	free(text);
	if (!text)
		return NULL;
	if (!doc) {
		snprintf(err, len, "%s:%d:%d: truncated or invalid JSON: %s",
			 path, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	schema = json_string_value(json_object_get(doc, "schema"));
	if (!schema || strcmp(schema, RESULT_SCHEMA)) {
		snprintf(err, len, "%s: not a dmabench result (schema is not \"%s\")",
			 path, RESULT_SCHEMA);
		goto fail;
	}
	if (json_integer_value(json_object_get(doc, "schema_version")) != RESULT_SCHEMA_VERSION) {
		snprintf(err, len, "%s: schema version %lld, this dmabench reads %d",
			 path, (long long)json_integer_value(json_object_get(doc, "schema_version")),
			 RESULT_SCHEMA_VERSION);
		goto fail;
	}
	k = missing(doc, top);
	if (k) {
		snprintf(err, len, "%s: incomplete result: no '%s'", path, k);
		goto fail;
	}
	if (!json_is_true(json_object_get(doc, "complete"))) {
		snprintf(err, len, "%s: the run that wrote it did not finish", path);
		goto fail;
	}
	cells = json_object_get(doc, "cells");
	if (!json_is_array(cells)) {
		snprintf(err, len, "%s: 'cells' is not an array", path);
		goto fail;
	}
	if (mode_from_name(json_str(json_object_get(doc, "mode"), "detected")) < 0) {
		char shown[48];

		snprintf(err, len, "%s: mode.detected '%s' is not a mode (%s)", path,
			 one_line(json_str(json_object_get(doc, "mode"), "detected"), shown,
				  sizeof(shown)), mode_names());
		goto fail;
	}
	json_array_foreach(cells, i, cell) {
		if (check_cell(cell, i, err, len, path))
			goto fail;
		fill_cell_defaults(cell);
	}
	return doc;
fail:
	json_decref(doc);
	return NULL;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int json_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".json") && d->d_name[0] != '.';
}

static int unavailable_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 12 && n < 48 && !strcmp(d->d_name + n - 12, ".unavailable") &&
	       d->d_name[0] != '.';
}

json_t *result_unavailable_modes(const char *path)
{
	struct dirent **names;
	json_t *modes = json_object();
	int n = scandir(path, &names, unavailable_name, by_name);

	for (int i = 0; i < n; i++) {
		char file[PATH_MAX], mode[48], err[PATH_MAX + 128], *text;
		size_t len;

		snprintf(mode, sizeof(mode), "%.*s", (int)(strlen(names[i]->d_name) - 12),
			 names[i]->d_name);
		snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
		free(names[i]);
		text = read_regular_file(file, 4096, "reason", &len, err, sizeof(err));
		if (!text)
			continue;
		if (len > 400)
			text[400] = '\0';
		for (char *c = text; *c; c++)
			if (*c < ' ' || *c > '~')
				*c = ' ';
		json_object_set_new(modes, mode, json_string(text));
		free(text);
	}
	if (n > 0)
		free(names);
	return modes;
}

json_t *result_load_set(const char *path, char *err, size_t len)
{
	struct dirent **names;
	struct stat st;
	json_t *set = json_array();
	int n;

	if (stat(path, &st)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		json_t *doc = result_load(path, err, len);

		if (!doc)
			goto fail;
		json_array_append_new(set, doc);
		return set;
	}
	n = scandir(path, &names, json_name, by_name);
	if (n < 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		char file[4096];
		json_t *doc;

		snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
		doc = set ? result_load(file, err, len) : NULL;
		if (doc) {
			json_array_append_new(set, doc);
		} else {
			json_decref(set);
			set = NULL;
		}
		free(names[i]);
	}
	free(names);
	if (set && !json_array_size(set)) {
		snprintf(err, len, "%s: no result files (*.json) in it", path);
		goto fail;
	}
	return set;
fail:
	json_decref(set);
	return NULL;
}

const char *result_iommu(json_t *doc)
{
	static const char *const devices[][2] = { { "intel-iommu", "intel" },
		{ "amd-iommu", "amd" }, { "virtio-iommu", "virtio" },
		{ "smmuv3", "smmuv3" } };
	const char *device = json_string_value(json_object_get(json_object_get(doc, "machine"),
							       "iommu"));
	const char *mode = json_str(json_object_get(doc, "mode"), "detected");

	if (!device || (strcmp(mode, "strict") && strcmp(mode, "lazy") &&
			strcmp(mode, "passthrough")))
		return NULL;
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (!strncmp(device, devices[i][0], strlen(devices[i][0])))
			return devices[i][1];
	return NULL;
}

int same_iommu(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

const char *const iommu_order[IOMMU_ORDER_COUNT] = { NULL, "intel", "amd",
							"virtio", "smmuv3" };

const char *iommu_title(const char *iommu)
{
	if (!iommu)
		return "";
	return !strcmp(iommu, "intel") ? "VT-d" : !strcmp(iommu, "amd") ? "AMD-Vi" :
	       !strcmp(iommu, "virtio") ? "virtio-iommu" :
	       !strcmp(iommu, "smmuv3") ? "SMMUv3" : iommu;
}

int result_sets_several_iommus(json_t *a, json_t *b)
{
	const char *first = NULL, *iommu;
	json_t *sets[2] = { a, b }, *doc;
	size_t i;

	for (int s = 0; s < 2; s++)
		json_array_foreach(sets[s], i, doc) {
			iommu = result_iommu(doc);
			if (!iommu)
				continue;
			if (first && strcmp(first, iommu))
				return 1;
			first = iommu;
		}
	return 0;
}

void result_mode_label(json_t *doc, int several, char *buf, size_t len)
{
	const char *iommu = several ? result_iommu(doc) : NULL;
	const char *mode = mode_column(json_str(json_object_get(doc, "mode"), "detected"));

	snprintf(buf, len, "%s%s%s", iommu ? iommu : "", iommu ? "-" : "", mode);
}
