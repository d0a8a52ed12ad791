// SPDX-License-Identifier: GPL-2.0
/*
 * The gate's verdicts on two result sets, each row judged once
 * (gate_judge) and rendered as KTAP, a table or JUnit XML: what 'dmabench
 * gate', 'bisect' and ci-gate.sh print.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "gate.h"
#include "results.h"
#include "util.h"


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

/* One judged row, as every format renders it. */
struct verdict {
	const struct row *row;
	enum gate_verdict v;
	char name[200];		/* the KTAP/JUnit test name, unique */
	char diag[768];		/* figures, change, interval, threshold */
	char why[512];		/* why it failed or was skipped, one line */
};

static int judged_row(const struct gate_request *o, const struct row *r)
{
	const char *api = json_str(r->cell, "api");

	/* the empty loop is the baseline, not an API under test */
	return !(o->apis && !listed(o->apis, api)) && !(o->op && strcmp(o->op, r->op)) &&
	       strcmp(api, "null");
}

static void diag_text(const struct comparison *c, const struct row *r,
		      const struct gate_rule *rule, char *buf, size_t len)
{
	char threshold[128], mode[48], api[64], job[128];
	int n;

	gate_rule_format(rule, threshold, sizeof(threshold));
	comparison_row_mode(r, mode, sizeof(mode));
	n = snprintf(buf, len, "%s %s %s [%s]: %s -> %s %s", mode,
		     one_line(json_str(r->cell, "api"), api, sizeof(api)), r->op,
		     one_line(json_str(r->cell, "job"), job, sizeof(job)), r->before, r->after,
		     comparison_unit(c));
	if (!isnan(r->lo) && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, ", %+.1f%% (95%% CI %+.1f..%+.1f)", r->change,
			      r->lo, r->hi);
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ", threshold %s", threshold);
}

/* Every row the options select, judged once; NULL when out of memory. */
static struct verdict *judge_rows(const struct comparison *c, const struct gate_request *o,
				  size_t *count)
{
	struct verdict *all = calloc(c->nrows + 1, sizeof(*all));
	const char **names = calloc(c->nrows + 1, sizeof(*names));
	char (*base)[160] = calloc(c->nrows + 1, sizeof(*base));
	size_t n = 0;

	for (size_t i = 0; all && names && base && i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		const struct gate_rule *rule = gate_rule_for(o->rules, o->nrules, r);
		struct verdict *v = &all[n];
		char raw_why[512];
		int dup;

		if (!judged_row(o, r))
			continue;
		test_name(r, base[i], sizeof(base[i]));
		dup = same_name_before(c, r, base[i], names);
		names[i] = base[i];
		if (dup)
			snprintf(v->name, sizeof(v->name), "%s.%d", base[i], dup + 1);
		else
			snprintf(v->name, sizeof(v->name), "%s", base[i]);
		v->row = r;
		v->v = gate_judge(c, r, rule, raw_why, sizeof(raw_why));
		/* a cell's error text comes from the result: one line, always */
		one_line(raw_why, v->why, sizeof(v->why));
		diag_text(c, r, rule, v->diag, sizeof(v->diag));
		n++;
	}
	free(names);
	free(base);
	if (!names || !base) {
		free(all);
		all = NULL;
	}
	*count = n;
	return all;
}

static void render_ktap(const struct verdict *all, size_t n)
{
	printf("KTAP version 1\n1..%zu\n", n);
	for (size_t k = 0; k < n; k++) {
		const struct verdict *v = &all[k];

		if (v->v == GATE_SKIP) {
			printf("ok %zu %s # SKIP %s\n", k + 1, v->name, v->why);
			continue;
		}
		/* KTAP: a test's diagnostics come before its result line */
		printf("# %s\n", v->diag);
		if (v->why[0])
			printf("# %s\n", v->why);
		printf("%s %zu %s\n", v->v == GATE_FAIL ? "not ok" : "ok", k + 1, v->name);
	}
}

static void render_table(const struct verdict *all, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct row *r = all[k].row;
		char mode[48], api[64], job[128];

		if (all[k].v != GATE_FAIL)
			continue;
		comparison_row_mode(r, mode, sizeof(mode));
		one_line(json_str(r->cell, "api"), api, sizeof(api));
		one_line(json_str(r->cell, "job"), job, sizeof(job));
		if (!isnan(r->lo))
			printf("REGRESSION %s %s %s [%s]: %s -> %s, %+.1f%% (95%% CI %+.1f..%+.1f)\n",
			       mode, api, r->op, job, r->before, r->after, r->change, r->lo, r->hi);
		else
			printf("FAILED %s %s %s [%s]: %s\n", mode, api, r->op, job, all[k].why);
	}
}

/* TEXT in XML character data or an attribute: ASCII only, the rest as \xNN. */
static void xml_text(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", stdout); break;
		case '<': fputs("&lt;", stdout); break;
		case '>': fputs("&gt;", stdout); break;
		case '"': fputs("&quot;", stdout); break;
		case '\'': fputs("&apos;", stdout); break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				printf("\\x%02x", *p);
			else
				putchar(*p);
		}
	}
}

/* JUnit XML for CI test views (GitLab, GitHub, Jenkins): a testcase per row. */
static void render_junit(const struct verdict *all, size_t n, int failed, int skipped)
{
	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<testsuites name=\"dmabench gate\" tests=\"%zu\" failures=\"%d\" skipped=\"%d\">\n"
	       "  <testsuite name=\"dmabench.gate\" tests=\"%zu\" failures=\"%d\" skipped=\"%d\" errors=\"0\">\n",
	       n, failed, skipped, n, failed, skipped);
	for (size_t k = 0; k < n; k++) {
		const struct verdict *v = &all[k];
		char mode[48];

		comparison_row_mode(v->row, mode, sizeof(mode));
		printf("    <testcase classname=\"dmabench.gate.");
		xml_text(mode);
		printf("\" name=\"");
		xml_text(v->name);
		printf("\">\n");
		if (v->v != GATE_PASS) {
			printf("      <%s message=\"", v->v == GATE_FAIL ? "failure" : "skipped");
			xml_text(v->why[0] ? v->why : v->diag);
			printf("\"/>\n");
		}
		printf("      <system-out>");
		xml_text(v->diag);
		printf("</system-out>\n    </testcase>\n");
	}
	printf("  </testsuite>\n</testsuites>\n");
}

static int judge_all(const struct comparison *c, const struct gate_request *o)
{
	size_t n;
	struct verdict *all = judge_rows(c, o, &n);
	int pass = 0, failed = 0, skip = 0;

	if (!all) {
		error_msg("out of memory");
		return GATE_INPUT_EXIT;
	}
	for (size_t k = 0; k < n; k++) {
		pass += all[k].v == GATE_PASS;
		failed += all[k].v == GATE_FAIL;
		skip += all[k].v == GATE_SKIP;
	}
	switch (o->format) {
	case GATE_FORMAT_KTAP:
		render_ktap(all, n);
		printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n", pass,
		       failed, skip);
		break;
	case GATE_FORMAT_TABLE:
		render_table(all, n);
		printf("gate: %d of %d rows regressed beyond their threshold%s\n", failed,
		       pass + failed, skip ? " (some rows skipped: no figure on both sides)" : "");
		break;
	case GATE_FORMAT_JUNIT:
		render_junit(all, n, failed, skip);
		break;
	}
	free(all);
	if (failed)
		return 1;
	return pass ? 0 : GATE_SKIP_EXIT;
}

/* One testcase of a JUnit document: the gate as a whole, an error or skipped. */
static void junit_whole(const char *kind, const char *why)
{
	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<testsuites name=\"dmabench gate\" tests=\"1\" failures=\"0\" errors=\"%d\" skipped=\"%d\">\n"
	       "  <testsuite name=\"dmabench.gate\" tests=\"1\" failures=\"0\" errors=\"%d\" skipped=\"%d\">\n"
	       "    <testcase classname=\"dmabench.gate\" name=\"dmabench_gate_input\">\n"
	       "      <%s message=\"", !strcmp(kind, "error"), !strcmp(kind, "skipped"),
	       !strcmp(kind, "error"), !strcmp(kind, "skipped"), kind);
	xml_text(why);
	printf("\"/>\n    </testcase>\n  </testsuite>\n</testsuites>\n");
}

/*
 * Input the gate will not judge, said in the chosen format too: a reader
 * of stdout alone (a CI log, kselftest's runner, a test view) sees a
 * failed test with the reason, not nothing.
 */
static int refused(const struct gate_request *o, const char *why)
{
	char line[1024];

	error_msg("%s", why);
	one_line(why, line, sizeof(line));
	if (o->format == GATE_FORMAT_JUNIT)
		junit_whole("error", line);
	else if (o->format == GATE_FORMAT_KTAP)
		printf("KTAP version 1\n1..1\n# gate: refused: %s\nnot ok 1 dmabench_gate_input\n"
		       "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n", line);
	return GATE_INPUT_EXIT;
}

/* One boot a side where boots differ: nothing judged, said so (kselftest's skip). */
static int cannot_judge(const struct gate_request *o, const char *why)
{
	char line[1024];

	one_line(why, line, sizeof(line));
	if (o->format == GATE_FORMAT_JUNIT) {
		junit_whole("skipped", line);
		return GATE_SKIP_EXIT;
	}
	if (o->format == GATE_FORMAT_KTAP)
		printf("KTAP version 1\n1..0 # SKIP cannot judge one boot a side\n");
	printf("# gate: %s\n", line);
	return GATE_SKIP_EXIT;
}

int gate_run(const struct gate_request *q, const char *before, const char *after)
{
	struct comparison c;
	char err[1024];
	int rc;

	if (comparison_load(&c, before, after, err, sizeof(err)))
		return refused(q, err);
	switch (gate_judgeable(&c, q->rules, q->nrules, err, sizeof(err))) {
	case GATE_REFUSED:
		comparison_free(&c);
		return refused(q, err);
	case GATE_CANNOT_JUDGE:
		comparison_free(&c);
		return cannot_judge(q, err);
	case GATE_JUDGEABLE:
		break;
	}
	rc = judge_all(&c, q);
	comparison_free(&c);
	return rc;
}
