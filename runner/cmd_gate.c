// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench gate: judge AFTER against BEFORE for CI, row by row, in KTAP
 * (what kselftest runners and CI systems read) or as a short table. A row
 * regresses when the lower end of its 95 % interval of the change is above
 * its threshold, so noise alone does not trip the gate.
 */
#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "comparison.h"
#include "gate.h"
#include "results.h"
#include "util.h"

static const char gate_usage[] =
"usage: dmabench gate [--threshold [MODE/API/OP=]VALUE]... [--config FILE]\n"
"                     [--api LIST] [--op map|unmap] [--format ktap|table]\n"
"                     BEFORE AFTER\n"
"\n"
"Judge every row of 'dmabench compare BEFORE AFTER': it fails when its\n"
"slowdown is above its threshold with 95 % confidence (the lower end of its\n"
"bootstrap interval is above it). Prints KTAP version 1 (one 'ok' or\n"
"'not ok' per row, after its '# ' lines with the figures and interval;\n"
"'# SKIP' for a row without a figure on both sides; kselftest's totals\n"
"line). Input it refuses is one 'not ok' test with the reason.\n"
"\n"
"Thresholds: VALUE is a percentage (5, 5%) or, for tcg-icount results, a\n"
"number of instructions (20insn); MODE/API/OP narrows a rule to rows\n"
"(each a name or *, e.g. strict/*/unmap=10%). The last rule that matches a\n"
"row applies; before any, 5 %. Under tcg-icount a figure below one\n"
"instruction is judged by its exact change (a percent rule: against one\n"
"instruction). Rules also come from the [gate] section of\n"
"a config file ('threshold = 5%', 'threshold strict/*/unmap = 10%'),\n"
"read before those of the command line.\n"
"\n"
"Only tcg-icount repeats exactly from boot to boot. Elsewhere (tcg, kvm, a\n"
"host) each side needs at least two runs (boots: --runs N, dmabench merge),\n"
"so the interval covers the noise between boots; with one the gate does not\n"
"judge (exit 4), it never alarms on noise it cannot see. Results of\n"
"different configs or accels, a side mixing kernels or accels, or a mode\n"
"detected differently on the two sides, are refused (exit 2).\n"
"\n"
"  -t, --threshold RULE  a threshold rule, as above (repeatable)\n"
"  -c, --config FILE     threshold rules from FILE's [gate] section\n"
"  -a, --api LIST        only these APIs (comma separated)\n"
"  -o, --op OP           only map or only unmap rows\n"
"  -f, --format FMT      ktap (default) or table (regressions and a count)\n"
"Exit status (kselftest's): 0 no row regressed, 1 a row regressed, 4 no\n"
"row could be judged (skip), 2 bad usage or input.\n";

#define GATE_SKIP_EXIT 4	/* kselftest's KSFT_SKIP */

static int listed(const char *list, const char *api)
{
	size_t n = strlen(api);

	for (const char *p = list; p && *p; ) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && !strncmp(p, api, n))
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* A KTAP test name: job.mode.api.op, with nothing but [A-Za-z0-9_.-]. */
static void test_name(const struct row *r, char *buf, size_t len)
{
	char mode[48];

	comparison_row_mode(r, mode, sizeof(mode));
	snprintf(buf, len, "%s.%s.%s.%s", json_str(r->cell, "job"), mode,
		 json_str(r->cell, "api"), r->op);
	for (char *p = buf; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
			*p = '_';
}

/* Another row of the same name before this one: the shape tells them apart. */
static int same_name_before(const struct comparison *c, const struct row *r,
			    const char *name, const char *const *names)
{
	int n = 0;

	for (const struct row *q = c->rows; q < r; q++)
		if (names[q - c->rows] && !strcmp(names[q - c->rows], name))
			n++;
	return n;
}

struct gate_opts {
	struct gate_rule rules[GATE_MAX_RULES];
	size_t nrules;
	const char *apis, *op;
	int table;
};

static int judged_row(const struct gate_opts *o, const struct row *r)
{
	const char *api = json_str(r->cell, "api");

	/* the empty loop is the baseline, not an API under test */
	return !(o->apis && !listed(o->apis, api)) && !(o->op && strcmp(o->op, r->op)) &&
	       strcmp(api, "null");
}

static void print_diag(const struct comparison *c, const struct row *r,
		       const struct gate_rule *rule)
{
	char threshold[128], mode[48], api[64], job[128];

	gate_rule_format(rule, threshold, sizeof(threshold));
	comparison_row_mode(r, mode, sizeof(mode));
	printf("# %s %s %s [%s]: %s -> %s %s", mode,
	       one_line(json_str(r->cell, "api"), api, sizeof(api)), r->op,
	       one_line(json_str(r->cell, "job"), job, sizeof(job)), r->before, r->after,
	       comparison_unit(c));
	if (!isnan(r->lo))
		printf(", %+.1f%% (95%% CI %+.1f..%+.1f)", r->change, r->lo, r->hi);
	printf(", threshold %s\n", threshold);
}

static int judge_all(const struct comparison *c, const struct gate_opts *o)
{
	const char **names = calloc(c->nrows + 1, sizeof(*names));
	char (*buf)[160] = calloc(c->nrows + 1, sizeof(*buf));
	int pass = 0, failed = 0, skip = 0, n = 0, k = 0;

	if (!names || !buf) {
		error_msg("out of memory");
		free(names);
		free(buf);
		return 2;
	}
	for (size_t i = 0; i < c->nrows; i++)
		n += judged_row(o, &c->rows[i]);
	if (!o->table)
		printf("KTAP version 1\n1..%d\n", n);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		const struct gate_rule *rule = gate_rule_for(o->rules, o->nrules, r);
		enum gate_verdict v;
		char raw_why[512], why[512], name[200];
		int dup;

		if (!judged_row(o, r))
			continue;
		test_name(r, buf[i], sizeof(buf[i]));
		dup = same_name_before(c, r, buf[i], names);
		names[i] = buf[i];
		if (dup)
			snprintf(name, sizeof(name), "%s.%d", buf[i], dup + 1);
		else
			snprintf(name, sizeof(name), "%s", buf[i]);
		v = gate_judge(c, r, rule, raw_why, sizeof(raw_why));
		/* a cell's error text comes from the result: one line, always */
		one_line(raw_why, why, sizeof(why));
		k++;
		pass += v == GATE_PASS;
		failed += v == GATE_FAIL;
		skip += v == GATE_SKIP;
		if (o->table) {
			char mode[48], api[64], job[128];

			comparison_row_mode(r, mode, sizeof(mode));
			one_line(json_str(r->cell, "api"), api, sizeof(api));
			one_line(json_str(r->cell, "job"), job, sizeof(job));
			if (v == GATE_FAIL && !isnan(r->lo))
				printf("REGRESSION %s %s %s [%s]: %s -> %s, %+.1f%% (95%% CI %+.1f..%+.1f)\n",
				       mode, api, r->op, job, r->before, r->after, r->change,
				       r->lo, r->hi);
			else if (v == GATE_FAIL)
				printf("FAILED %s %s %s [%s]: %s\n", mode, api, r->op, job, why);
			continue;
		}
		if (v == GATE_SKIP) {
			printf("ok %d %s # SKIP %s\n", k, name, why);
			continue;
		}
		/* KTAP: a test's diagnostics come before its result line */
		print_diag(c, r, rule);
		if (why[0])
			printf("# %s\n", why);
		printf("%s %d %s\n", v == GATE_FAIL ? "not ok" : "ok", k, name);
	}
	if (o->table)
		printf("gate: %d of %d rows regressed beyond their threshold%s\n", failed,
		       pass + failed, skip ? " (some rows skipped: no figure on both sides)" : "");
	else
		printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n", pass,
		       failed, skip);
	free(names);
	free(buf);
	if (failed)
		return 1;
	return pass ? 0 : GATE_SKIP_EXIT;
}

/*
 * Input the gate will not judge, said in KTAP too: a reader of stdout
 * alone (a CI log, kselftest's runner) sees a failed test with the reason,
 * not nothing.
 */
static int refused(const struct gate_opts *o, const char *why)
{
	char line[1024];

	error_msg("%s", why);
	if (!o->table)
		printf("KTAP version 1\n1..1\n# gate: refused: %s\nnot ok 1 dmabench_gate_input\n"
		       "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n",
		       one_line(why, line, sizeof(line)));
	return 2;
}

int cmd_gate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'c' },
		{ "api", required_argument, NULL, 'a' },
		{ "op", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static struct gate_opts o;
	const char *config = NULL;
	char *cli[GATE_MAX_RULES];
	size_t ncli = 0;
	struct comparison c;
	char err[1024];
	int opt, rc;

	memset(&o, 0, sizeof(o));
	while ((opt = getopt_long(argc, argv, "t:c:a:o:f:h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (ncli == GATE_MAX_RULES) {
				error_msg("more than %d threshold rules", GATE_MAX_RULES);
				return 2;
			}
			cli[ncli++] = optarg;
			break;
		case 'c': config = optarg; break;
		case 'a': o.apis = optarg; break;
		case 'o':
			if (strcmp(optarg, "map") && strcmp(optarg, "unmap")) {
				error_msg("--op is map or unmap, not '%s'", optarg);
				return 2;
			}
			o.op = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "ktap") && strcmp(optarg, "table")) {
				error_msg("--format is ktap or table, not '%s'", optarg);
				return 2;
			}
			o.table = !strcmp(optarg, "table");
			break;
		case 'h': return usage(gate_usage, 0);
		default: return usage(gate_usage, 2);
		}
	}
	if (optind != argc - 2)
		return usage(gate_usage, 2);
	if (gate_rules_build(o.rules, &o.nrules, config, cli, ncli))
		return 2;
	if (comparison_load(&c, argv[optind], argv[optind + 1], err, sizeof(err)))
		return refused(&o, err);
	switch (gate_judgeable(&c, o.rules, o.nrules, err, sizeof(err))) {
	case GATE_REFUSED:
		comparison_free(&c);
		return refused(&o, err);
	case GATE_CANNOT_JUDGE:
		if (!o.table)
			printf("KTAP version 1\n1..0 # SKIP cannot judge one boot a side\n");
		printf("# gate: %s\n", err);
		comparison_free(&c);
		return GATE_SKIP_EXIT;
	case GATE_JUDGEABLE:
		break;
	}
	rc = judge_all(&c, &o);
	comparison_free(&c);
	return rc;
}
