// SPDX-License-Identifier: GPL-2.0
/* The gate's rules and verdicts; see gate.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "gate.h"
#include "names.h"
#include "results.h"
#include "util.h"

/* One component of a pattern: "*", or a name @known accepts. */
static int component(const char *s, size_t n, char *out, size_t cap,
		     int (*known)(const char *))
{
	if (!n || n >= cap)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return !strcmp(out, "*") || known(out) >= 0 ? 0 : -1;
}

static int op_known(const char *s)
{
	return !strcmp(s, "map") || !strcmp(s, "unmap") ? 0 : -1;
}

int gate_rule_parse(const char *pattern, const char *value,
		    struct gate_rule *r, char *err, size_t len)
{
	char *end;

	memset(r, 0, sizeof(*r));
	strcpy(r->mode, "*");
	strcpy(r->api, "*");
	strcpy(r->op, "*");
	if (pattern) {
		const char *a = strchr(pattern, '/'), *o = a ? strchr(a + 1, '/') : NULL;

		if (!a || !o || strchr(o + 1, '/') ||
		    component(pattern, a - pattern, r->mode, sizeof(r->mode), mode_from_name) ||
		    component(a + 1, o - a - 1, r->api, sizeof(r->api), api_from_name) ||
		    component(o + 1, strlen(o + 1), r->op, sizeof(r->op), op_known)) {
			snprintf(err, len, "threshold pattern '%s' is not MODE/API/OP (each a name or *; modes: %s; APIs: %s; ops: map unmap)",
				 pattern, mode_names(), api_names());
			return -1;
		}
	}
	errno = 0;
	r->value = strtod(value, &end);
	if (end == value || errno || !isfinite(r->value) || r->value < 0)
		goto bad;
	if (!strcmp(end, "insn"))
		r->absolute = 1;
	else if (*end && strcmp(end, "%"))
		goto bad;
	return 0;
bad:
	snprintf(err, len, "threshold '%s' is not a percentage (5, 5%%) or a count of instructions (20insn), finite and >= 0",
		 value);
	return -1;
}

int gate_rule_parse_arg(const char *arg, struct gate_rule *r, char *err,
			size_t len)
{
	const char *eq = strchr(arg, '=');
	char *pattern;
	int rc;

	if (!eq)
		return gate_rule_parse(NULL, arg, r, err, len);
	pattern = strndup(arg, eq - arg);
	if (!pattern) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	rc = gate_rule_parse(pattern, eq + 1, r, err, len);
	free(pattern);
	return rc;
}

static int matches(const char *want, const char *got)
{
	return !strcmp(want, "*") || !strcmp(want, got);
}

const struct gate_rule *gate_rule_for(const struct gate_rule *rules,
				      size_t n, const struct row *r)
{
	const struct gate_rule *found = NULL;

	for (size_t i = 0; i < n; i++)
		if (matches(rules[i].mode, r->mode) &&
		    matches(rules[i].api, json_str(r->cell, "api")) &&
		    matches(rules[i].op, r->op))
			found = &rules[i];
	return found;
}

void gate_rule_format(const struct gate_rule *g, char *buf, size_t len)
{
	const char *unit = g->absolute ? "insn" : "%";

	if (!strcmp(g->mode, "*") && !strcmp(g->api, "*") && !strcmp(g->op, "*"))
		snprintf(buf, len, "%g%s", g->value, unit);
	else
		snprintf(buf, len, "%s/%s/%s=%g%s", g->mode, g->api, g->op, g->value, unit);
}

enum gate_judgement gate_judgeable(const struct comparison *c, const struct gate_rule *rules,
				   size_t nrules, char *err, size_t len)
{
	const int b1 = comparison_runs(c->before) < 2;
	json_t *doc = json_array_get(b1 ? c->before : c->after, 0);
	char accel[64];

	for (size_t i = 0; i < nrules; i++)
		if (rules[i].absolute && !c->icount) {
			snprintf(err, len, "thresholds in instructions (insn) need tcg-icount results on both sides");
			return GATE_REFUSED;
		}
	if (c->icount || (comparison_runs(c->before) >= 2 && comparison_runs(c->after) >= 2))
		return GATE_JUDGEABLE;
	snprintf(err, len, "cannot judge: %s has %zu run under %s, whose figures move between boots by more than one boot shows; measure each side with --runs 3 or more, or under tcg-icount",
		 b1 ? "before" : "after", comparison_runs(b1 ? c->before : c->after),
		 one_line(json_str(json_object_get(doc, "system"), "accel"), accel, sizeof(accel)));
	return GATE_CANNOT_JUDGE;
}

static const char *status_of(json_t *cell)
{
	return cell ? json_str(cell, "status") : "absent";
}

/*
 * Under tcg-icount a figure below one instruction per op (a net figure
 * near zero: direct sync is -3) has no percent change, but its change is
 * exact: an instruction rule takes it as it is, a percent rule against one
 * instruction. A row going from 0.5 to 400.5 is then judged, not skipped.
 */
static enum gate_verdict judge_below_one(const struct row *r,
					 const struct gate_rule *rule,
					 char *why, size_t len)
{
	double delta = r->a - r->b;
	double moved = rule->absolute ? delta : 100.0 * delta;

	snprintf(why, len, "a figure below one instruction: %+.1f insn, judged %s",
		 delta, rule->absolute ? "as it is" : "against one instruction");
	return moved > rule->value ? GATE_FAIL : GATE_PASS;
}

enum gate_verdict gate_judge(const struct comparison *c, const struct row *r,
			     const struct gate_rule *rule, char *why,
			     size_t len)
{
	double lower;

	why[0] = '\0';
	if (r->acell && !strcmp(status_of(r->acell), "error")) {
		snprintf(why, len, "after: %s", json_str(r->acell, "error"));
		return GATE_FAIL;
	}
	if (!r->bcell || !r->acell || strcmp(status_of(r->bcell), "ok") ||
	    strcmp(status_of(r->acell), "ok")) {
		snprintf(why, len, "no figure on both sides (before %s, after %s)",
			 status_of(r->bcell), status_of(r->acell));
		return GATE_SKIP;
	}
	if ((isnan(r->change) || isnan(r->lo)) && c->icount)
		return judge_below_one(r, rule, why, len);
	if (isnan(r->change) || isnan(r->lo)) {
		snprintf(why, len, "no interval (a figure below one emulated cycle)");
		return GATE_SKIP;
	}
	/* the slowdown the interval is sure of, in the rule's unit */
	lower = rule->absolute && c->icount ? r->lo / 100.0 * fabs(r->b) : r->lo;
	return lower > rule->value ? GATE_FAIL : GATE_PASS;
}

const struct cli_option gate_cli_options[] = {
	CLI_OPT("threshold", 't', "RULE",
		"a threshold rule [MODE/API/OP=]VALUE: a percentage (5, 5%), or "
		"instructions under tcg-icount (20insn), for the rows it matches; "
		"repeatable"),
	CLI_OPT("config", 'c', "FILE", "threshold rules from FILE's [gate] section"),
	CLI_END
};

int gate_rules_build(struct gate_rule *rules, size_t *n, const char *config,
		     char *const *cli, size_t ncli)
{
	char err[1024];

	*n = 0;
	gate_rule_parse(NULL, "5", &rules[(*n)++], err, sizeof(err));
	if (config) {
		struct config cfg;

		if (config_load(config, &cfg, err, sizeof(err))) {
			error_msg("%s", err);
			return -1;
		}
		if (*n + cfg.ngate_rules > GATE_MAX_RULES) {
			error_msg("%s: more than %d threshold rules", config, GATE_MAX_RULES);
			config_free(&cfg);
			return -1;
		}
		memcpy(&rules[*n], cfg.gate_rules, cfg.ngate_rules * sizeof(*rules));
		*n += cfg.ngate_rules;
		config_free(&cfg);
	}
	for (size_t i = 0; i < ncli; i++) {
		if (*n == GATE_MAX_RULES) {
			error_msg("more than %d threshold rules", GATE_MAX_RULES);
			return -1;
		}
		if (gate_rule_parse_arg(cli[i], &rules[*n], err, sizeof(err))) {
			error_msg("--threshold: %s", err);
			return -1;
		}
		(*n)++;
	}
	return 0;
}
