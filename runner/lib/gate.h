/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gate's judgement, apart from how it is printed: threshold rules per
 * mode, API and operation, whether two result sets may be compared at all,
 * and the verdict on each row.
 */
#ifndef DMABENCH_GATE_H
#define DMABENCH_GATE_H

#include <stddef.h>

#include "comparison.h"
#include "options.h"

#define GATE_MAX_RULES 64

/* "MODE/API/OP=VALUE": the last rule that matches a row applies. */
struct gate_rule {
	char mode[16], api[16], op[8];	/* a name, or "*" for any */
	double value;
	int absolute;			/* instructions (icount), not percent */
};

/*
 * Parse a rule: @pattern is "MODE/API/OP" or NULL (every row), @value
 * "5", "5%" (percent) or "20insn" (instructions, tcg-icount only).
 * Returns 0, or -1 with a sentence in @err.
 */
int gate_rule_parse(const char *pattern, const char *value,
		    struct gate_rule *r, char *err, size_t len);

/* The same from the command line's "[MODE/API/OP=]VALUE". */
int gate_rule_parse_arg(const char *arg, struct gate_rule *r, char *err,
			size_t len);

/* --threshold and --config: what gate_rules_build() reads (gate, kcidb). */
extern const struct cli_option gate_cli_options[];

/*
 * The rules in force, in order: 5 % for every row, then @config's [gate]
 * section (NULL: none), then the command line's @cli. Later rules refine
 * earlier ones. Returns 0, or -1 after saying why.
 */
int gate_rules_build(struct gate_rule *rules, size_t *n, const char *config,
		     char *const *cli, size_t ncli);

const struct gate_rule *gate_rule_for(const struct gate_rule *rules,
				      size_t n, const struct row *r);

/* A rule as the user wrote it: its pattern, then "5%" or "20insn". */
void gate_rule_format(const struct gate_rule *g, char *buf, size_t len);

enum gate_judgement { GATE_JUDGEABLE, GATE_REFUSED, GATE_CANNOT_JUDGE };

/*
 * Whether any row of @c can be judged under @rules: GATE_REFUSED for input
 * that must not be judged (instruction thresholds without tcg-icount;
 * sides that answer different questions never load: comparison_load()); GATE_CANNOT_JUDGE for one boot a side where boots
 * differ (plain TCG, KVM): a verdict would be noise. @err says why. Every
 * output of a verdict (gate's KTAP and table, kcidb) asks this first.
 */
enum gate_judgement gate_judgeable(const struct comparison *c, const struct gate_rule *rules,
				   size_t nrules, char *err, size_t len);

enum gate_verdict { GATE_PASS, GATE_FAIL, GATE_SKIP };

/* The verdict on @r under @rule; @why says why a row is skipped or fails. */
enum gate_verdict gate_judge(const struct comparison *c, const struct row *r,
			     const struct gate_rule *rule, char *why,
			     size_t len);

#define GATE_SKIP_EXIT 4	/* kselftest's KSFT_SKIP */
/* bad usage or input: outside kselftest's 0..4, where 2 would read XFAIL */
#define GATE_INPUT_EXIT 5

enum gate_format { GATE_FORMAT_KTAP, GATE_FORMAT_TABLE, GATE_FORMAT_JUNIT };

/* What to judge and how to say it. */
struct gate_request {
	struct gate_rule rules[GATE_MAX_RULES];
	size_t nrules;
	const char *apis, *op;	/* NULL: every API, both ops */
	enum gate_format format;
};

/*
 * Judge AFTER against BEFORE and print the verdicts in @q's format:
 * 0 no row regressed, 1 one did, GATE_SKIP_EXIT nothing judged,
 * GATE_INPUT_EXIT input refused (said in the format too).
 */
int gate_run(const struct gate_request *q, const char *before, const char *after);

#endif
