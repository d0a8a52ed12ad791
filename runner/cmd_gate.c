// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench gate: fail (exit 1) when AFTER is slower than BEFORE beyond a
 * threshold with confidence, for CI. A row regresses when the lower end of
 * its 95 % interval of the change is above the threshold, so noise alone
 * does not trip the gate.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "comparison.h"
#include "results.h"
#include "util.h"

static const char gate_usage[] =
"usage: dmabench gate [--threshold PCT] [--api LIST] [--op map|unmap]\n"
"                     BEFORE AFTER\n"
"\n"
"Exit 1 if any row of 'dmabench compare BEFORE AFTER' got slower by more\n"
"than PCT percent (default 5) with 95 % confidence: the lower end of its\n"
"bootstrap interval is above PCT. Lists every regression and, with exit 0,\n"
"says how many rows it checked. Rows without a figure on both sides (an\n"
"API new in AFTER) are not judged.\n"
"\n"
"Only tcg-icount repeats exactly from boot to boot. Elsewhere (tcg, kvm, a\n"
"host) each side needs at least two runs (boots: --runs N, dmabench merge),\n"
"so the interval covers the noise between boots; with one the gate does not\n"
"judge (exit 4), it never alarms on noise it cannot see.\n"
"\n"
"  -t, --threshold PCT  allowed slowdown in percent (default 5)\n"
"  -a, --api LIST       only these APIs (comma separated)\n"
"  -o, --op OP          only map or only unmap rows\n"
"Exit status: 0 no regression, 1 regression, 2 bad usage or input,\n"
"4 cannot judge: one run on a side whose boots differ.\n";

#define GATE_CANNOT_JUDGE 4

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

int cmd_gate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "api", required_argument, NULL, 'a' },
		{ "op", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *apis = NULL, *op = NULL;
	double threshold = 5;
	int opt, checked = 0, regressions = 0;
	struct comparison c;
	char err[1024], *end;

	while ((opt = getopt_long(argc, argv, "t:a:o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			threshold = strtod(optarg, &end);
			/* nan compares false with everything: it would pass any row. */
			if (*end || end == optarg || !isfinite(threshold) || threshold < 0) {
				error_msg("--threshold '%s' is not a percentage (a finite number >= 0)",
					  optarg);
				return 2;
			}
			break;
		case 'a': apis = optarg; break;
		case 'o':
			if (strcmp(optarg, "map") && strcmp(optarg, "unmap")) {
				error_msg("--op is map or unmap, not '%s'", optarg);
				return 2;
			}
			op = optarg;
			break;
		case 'h': return usage(gate_usage, 0);
		default: return usage(gate_usage, 2);
		}
	}
	if (optind != argc - 2)
		return usage(gate_usage, 2);
	if (comparison_load(&c, argv[optind], argv[optind + 1], err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	if (!c.icount && (comparison_runs(c.before) < 2 || comparison_runs(c.after) < 2)) {
		printf("gate: cannot judge: %s has %zu run under %s, whose figures move\n"
		       "between boots by more than one boot shows; measure each side with\n"
		       "--runs 3 or more, or under tcg-icount\n",
		       comparison_runs(c.before) < 2 ? "before" : "after",
		       comparison_runs(c.before) < 2 ? comparison_runs(c.before) :
						       comparison_runs(c.after),
		       json_str(json_object_get(json_array_get(comparison_runs(c.before) < 2 ?
				c.before : c.after, 0), "system"), "accel"));
		comparison_free(&c);
		return GATE_CANNOT_JUDGE;
	}
	for (size_t i = 0; i < c.nrows; i++) {
		const struct row *r = &c.rows[i];
		/* json_str: a result whose api is not a string gives "?", not NULL. */
		const char *api = json_str(r->cell, "api");

		if ((apis && !listed(apis, api)) || (op && strcmp(op, r->op)) ||
		    !strcmp(api, "null") || isnan(r->change) || isnan(r->lo))
			continue;
		checked++;
		if (r->lo > threshold) {
			regressions++;
			printf("REGRESSION %s %s %s [%s]: %s -> %s, %+.1f%% (95%% CI %+.1f..%+.1f)\n",
			       r->mode, api, r->op,
			       json_str(r->cell, "job"),
			       r->before, r->after, r->change, r->lo, r->hi);
		}
	}
	comparison_free(&c);
	if (!checked) {
		error_msg("no row has figures on both sides to judge");
		return 2;
	}
	printf("gate: %d of %d rows regressed by more than %.1f%%\n", regressions,
	       checked, threshold);
	return regressions ? 1 : 0;
}
