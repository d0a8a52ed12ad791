// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench kcidb: a before/after comparison in KCIDB's I/O layout (kcidb-io
 * schema v5.3: checkouts, builds, tests), for a fleet's common results
 * database. Each side is a checkout and a build; every figure is a test
 * with status DONE and the figure as its number; the gate's verdict on
 * each row is a test of the after build with status PASS, FAIL or SKIP.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "comparison.h"
#include "gate.h"
#include "options.h"
#include "results.h"
#include "util.h"

#define KCIDB_MAJOR 5
#define KCIDB_MINOR 3

static const char kcidb_usage[] =
"usage: dmabench kcidb [--origin NAME] [--threshold RULE]... [--config FILE]\n"
"                      [-o FILE] BEFORE AFTER\n"
"\n"
"Write BEFORE and AFTER (result files or folders) as KCIDB I/O data,\n"
"schema v5.3 (kcidb-io): a checkout and a build per side, a test per\n"
"figure (path dmabench.MODE.API.OP, status DONE, the figure as its number,\n"
"unit 'instructions' under tcg-icount, else 'cycles'), and the gate's\n"
"verdict per row as a test of the after build (path\n"
"dmabench.gate.MODE.API.OP, PASS, FAIL or SKIP, the change in percent as\n"
"its number). The verdicts are the gate's own: what the gate refuses\n"
"kcidb refuses (exit 2), and where the gate cannot judge (exit 4) every\n"
"verdict is SKIP with its reason. Submit with kcidb's own tools\n"
"(kcidb-submit).\n";

static const struct cli_option kcidb_options[] = {
	CLI_OPT("origin", 'O', "NAME", "the CI system's name, [a-z0-9_]+ (default dmabench)"),
	CLI_GROUP(gate_cli_options),
	CLI_GROUP(cli_output_options),
	CLI_HELP,
	CLI_END
};

/* [A-Za-z0-9_.-] kept, anything else '_': ids and path parts from data. */
static char *clean(const char *s)
{
	char *c = strdup(s ? s : "?");

	for (char *p = c; p && *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
			*p = '_';
	return c;
}

static json_t *side_doc(json_t *set)
{
	return json_array_get(set, 0);
}

static char *side_id(const char *origin, const char *what, json_t *set)
{
	json_t *doc = side_doc(set);
	json_t *src = json_object_get(doc, "kernel_source");
	char *raw, *id = NULL, *c;

	if (asprintf(&raw, "%s-%s-%s", what,
		     src ? json_str(src, "id") : json_str(json_object_get(doc, "system"),
							   "kernel_release"),
		     json_str(doc, "created")) < 0)
		return NULL;
	c = clean(raw);
	if (c && asprintf(&id, "%s:%s", origin, c) < 0)
		id = NULL;
	free(raw);
	free(c);
	return id;
}

static json_t *checkout(const char *origin, json_t *set, const char *id)
{
	json_t *doc = side_doc(set), *src = json_object_get(doc, "kernel_source");
	json_t *o = json_pack("{s:s, s:s}", "id", id, "origin", origin);
	const char *commit = json_str(src, "commit");

	if (!strcmp(json_str(src, "provider"), "git") && strlen(commit) == 40) {
		json_object_set_new(o, "git_commit_hash", json_string(commit));
		json_object_set_new(o, "git_commit_name", json_string(json_str(src, "describe")));
		json_object_set_new(o, "patchset_hash", json_string(""));
	}
	json_object_set_new(o, "misc", json_pack("{s:O?, s:s}", "kernel_source", src,
		"kernel_release", json_str(json_object_get(doc, "system"), "kernel_release")));
	return o;
}

static json_t *build(const char *origin, json_t *set, const char *id, const char *checkout_id)
{
	json_t *doc = side_doc(set), *sys = json_object_get(doc, "system");
	json_t *cfg = json_object_get(json_object_get(doc, "kernel_source"), "config");
	json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "id", id,
			      "checkout_id", checkout_id, "origin", origin,
			      "architecture", json_str(sys, "machine"), "status", "PASS",
			      "misc", "kernel_release", json_str(sys, "kernel_release"),
			      "kernel_version", json_str(sys, "kernel_version"));

	/* only a kernel built from a tree has a config of its own to name */
	if (json_is_string(json_object_get(cfg, "from")))
		json_object_set(b, "config_name", json_object_get(cfg, "from"));
	return b;
}

/*
 * What every test object has: its id (from the build, @kind, the row's job,
 * mode, op and place), build, origin and path (dmabench[.gate].MODE.API.OP).
 */
static json_t *test_base(const char *origin, const char *build_id, const char *kind,
			 const struct comparison *c, const struct row *r)
{
	int gate = !strcmp(kind, "gate");
	char *path, *raw, *id = NULL, *cid, *job = clean(json_str(r->cell, "job")), mode[48];
	json_t *t;

	comparison_row_mode(r, mode, sizeof(mode));
	if (asprintf(&path, "dmabench.%s%s.%s.%s", gate ? "gate." : "", mode,
		     json_str(r->cell, "api"), r->op) < 0)
		path = NULL;
	if (asprintf(&raw, "%s-%s-%s-%s-%s-%zu", build_id + strlen(origin) + 1, kind, job,
		     mode, r->op, (size_t)(r - c->rows)) < 0)
		raw = NULL;
	cid = clean(raw);
	if (cid && asprintf(&id, "%s:%s", origin, cid) < 0)
		id = NULL;
	t = json_pack("{s:s?, s:s, s:s, s:s?}", "id", id, "build_id", build_id,
		      "origin", origin, "path", path);
	free(path);
	free(raw);
	free(cid);
	free(id);
	free(job);
	return t;
}

static json_t *figure_test(const char *origin, const char *build_id, const char *side,
			   const struct comparison *c, const struct row *r, double fig)
{
	json_t *t = test_base(origin, build_id, side, c, r);

	json_object_set_new(t, "status", json_string("DONE"));
	json_object_set_new(t, "number", json_pack("{s:f, s:s}", "value", fig, "unit",
						    c->icount ? "instructions" : "cycles"));
	json_object_set_new(t, "misc", json_pack("{s:s, s:s, s:b}", "job",
		json_str(r->cell, "job"), "side", side, "amortized", r->amortized));
	return t;
}

/*
 * The gate's verdict on @r, as 'dmabench gate' gives it: @cannot, when
 * not NULL, is why the gate judges no row of these sides (every verdict a
 * SKIP with that reason, as the gate's plan says "1..0 # SKIP").
 */
static json_t *verdict_test(const char *origin, const char *build_id,
			    const struct comparison *c, const struct row *r,
			    const struct gate_rule *rule, const char *cannot)
{
	static const char *const status[] = { "PASS", "FAIL", "SKIP" };
	char why[1024], threshold[128];
	enum gate_verdict v = cannot ? GATE_SKIP : gate_judge(c, r, rule, why, sizeof(why));
	json_t *t = test_base(origin, build_id, "gate", c, r);

	if (cannot)
		snprintf(why, sizeof(why), "%s", cannot);

	gate_rule_format(rule, threshold, sizeof(threshold));
	json_object_set_new(t, "status", json_string(status[v]));
	json_object_set_new(t, "misc", json_pack("{s:s, s:s}", "job", json_str(r->cell, "job"),
						  "threshold", threshold));
	if (v != GATE_SKIP && !isnan(r->change)) {
		json_object_set_new(t, "number", json_pack("{s:f, s:s}", "value", r->change,
							    "unit", "%"));
		json_object_set_new(json_object_get(t, "misc"), "ci95",
				    json_pack("[f, f]", r->lo, r->hi));
	}
	if (why[0])
		json_object_set_new(t, "comment", json_string(why));
	return t;
}

/*
 * The KCIDB document of @c: a checkout and a build per side, a test per
 * figure, the gate's verdict per row (@cannot: why the gate judges none).
 * NULL when out of memory.
 */
static json_t *kcidb_doc(const char *origin, const struct comparison *c,
			 const struct gate_rule *rules, size_t nrules, const char *cannot)
{
	char *ids[4] = { side_id(origin, "checkout", c->before), side_id(origin, "build", c->before),
			 side_id(origin, "checkout", c->after), side_id(origin, "build", c->after) };
	json_t *doc = NULL, *tests;

	if (!ids[0] || !ids[1] || !ids[2] || !ids[3])
		goto out;
	doc = json_pack("{s:{s:i, s:i}, s:[o, o], s:[o, o], s:[]}",
			"version", "major", KCIDB_MAJOR, "minor", KCIDB_MINOR,
			"checkouts", checkout(origin, c->before, ids[0]),
			checkout(origin, c->after, ids[2]),
			"builds", build(origin, c->before, ids[1], ids[0]),
			build(origin, c->after, ids[3], ids[2]), "tests");
	tests = json_object_get(doc, "tests");
	for (size_t i = 0; tests && i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		if (!isnan(r->b))
			json_array_append_new(tests, figure_test(origin, ids[1], "before", c, r, r->b));
		if (!isnan(r->a))
			json_array_append_new(tests, figure_test(origin, ids[3], "after", c, r, r->a));
		if (strcmp(json_str(r->cell, "api"), "null"))
			json_array_append_new(tests, verdict_test(origin, ids[3], c, r,
				gate_rule_for(rules, nrules, r), cannot));
	}
out:
	for (int i = 0; i < 4; i++)
		free(ids[i]);
	return doc;
}

static int origin_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

int cmd_kcidb(int argc, char **argv)
{
	static struct gate_rule rules[GATE_MAX_RULES];
	const char *origin = "dmabench", *out = NULL, *config = NULL, *cannot = NULL;
	char *cli[GATE_MAX_RULES], err[1024], *text;
	size_t nrules = 0, ncli = 0;
	struct comparison c;
	json_t *doc;
	int opt, rc = 2;

	while ((opt = cli_getopt(argc, argv, kcidb_options)) != -1) {
		switch (opt) {
		case 'O':
			if (!origin_ok(optarg)) {
				error_msg("--origin '%s' is not [a-z0-9_]+", optarg);
				return 2;
			}
			origin = optarg;
			break;
		case 't':
			if (ncli == GATE_MAX_RULES) {
				error_msg("more than %d threshold rules", GATE_MAX_RULES);
				return 2;
			}
			cli[ncli++] = optarg;
			break;
		case 'c': config = optarg; break;
		case 'o': out = optarg; break;
		case 'h': return cli_usage(kcidb_usage, kcidb_options, 0);
		default: return cli_usage(kcidb_usage, kcidb_options, 2);
		}
	}
	if (optind != argc - 2)
		return cli_usage(kcidb_usage, kcidb_options, 2);
	if (gate_rules_build(rules, &nrules, config, cli, ncli))
		return 2;
	if (comparison_load(&c, argv[optind], argv[optind + 1], err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	switch (gate_judgeable(&c, rules, nrules, err, sizeof(err))) {
	case GATE_REFUSED:
		error_msg("%s", err);
		goto out;
	case GATE_CANNOT_JUDGE:
		cannot = err;
		break;
	case GATE_JUDGEABLE:
		break;
	}
	doc = kcidb_doc(origin, &c, rules, nrules, cannot);
	if (!doc) {
		error_msg("out of memory");
		goto out;
	}
	text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text) {
		error_msg("cannot serialise the KCIDB data");
		goto out;
	}
	rc = emit(out, text, strlen(text)) ? 2 : 0;
	free(text);
out:
	comparison_free(&c);
	return rc;
}
