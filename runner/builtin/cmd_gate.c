// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench gate: judge AFTER against BEFORE for CI, row by row, in KTAP
 * (what kselftest runners and CI systems read) or as a short table. A row
 * regresses when the lower end of its 95 % interval of the change is above
 * its threshold, so noise alone does not trip the gate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "gate.h"
#include "options.h"
#include "util.h"

static const char gate_usage[] =
"usage: dmabench gate [--threshold [MODE/API/OP=]VALUE]... [--config FILE]\n"
"                     [--api LIST] [--op map|unmap] [--format ktap|table|junit]\n"
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
"detected differently on the two sides, are refused (exit 5).\n"
"\n"
"Exit status: kselftest's 0 no row regressed, 1 a row regressed, 4 no row\n"
"could be judged (skip); 5 bad usage or input (not 2, kselftest's XFAIL).\n";

enum { OP = CLI_LONG_ONLY };

static const struct cli_option gate_options[] = {
	CLI_GROUP(gate_cli_options),
	CLI_OPT("api", 'a', "LIST", "only these APIs (comma separated)"),
	CLI_OPT("op", OP, "OP",
		"only map or only unmap rows (-o is every other command's "
		"--output: gate writes to stdout)"),
	CLI_OPT("format", 'f', "FMT",
		"ktap (default), table (regressions and a count) or junit (JUnit "
		"XML for CI test views: a testcase per row, <failure> or <skipped> "
		"with the reason)"),
	CLI_HELP,
	CLI_END
};

int cmd_gate(int argc, char **argv)
{
	static struct gate_request o;
	const char *config = NULL;
	char *cli[GATE_MAX_RULES];
	size_t ncli = 0;
	int opt;

	memset(&o, 0, sizeof(o));
	while ((opt = cli_getopt(argc, argv, gate_options)) != -1) {
		switch (opt) {
		case 't':
			if (ncli == GATE_MAX_RULES) {
				error_msg("more than %d threshold rules", GATE_MAX_RULES);
				return GATE_INPUT_EXIT;
			}
			cli[ncli++] = optarg;
			break;
		case 'c': config = optarg; break;
		case 'a': o.apis = optarg; break;
		case OP:
			if (strcmp(optarg, "map") && strcmp(optarg, "unmap")) {
				error_msg("--op is map or unmap, not '%s'", optarg);
				return GATE_INPUT_EXIT;
			}
			o.op = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "ktap")) {
				o.format = GATE_FORMAT_KTAP;
			} else if (!strcmp(optarg, "table")) {
				o.format = GATE_FORMAT_TABLE;
			} else if (!strcmp(optarg, "junit")) {
				o.format = GATE_FORMAT_JUNIT;
			} else {
				error_msg("--format is ktap, table or junit, not '%s'", optarg);
				return GATE_INPUT_EXIT;
			}
			break;
		case 'h': return cli_usage(gate_usage, gate_options, 0);
		default: return cli_usage(gate_usage, gate_options, GATE_INPUT_EXIT);
		}
	}
	if (optind != argc - 2)
		return cli_usage(gate_usage, gate_options, GATE_INPUT_EXIT);
	if (gate_rules_build(o.rules, &o.nrules, config, cli, ncli))
		return GATE_INPUT_EXIT;
	return gate_run(&o, argv[optind], argv[optind + 1]);
}
