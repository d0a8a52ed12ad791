// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench bisect: one step of 'git bisect run'. Builds and measures the
 * tree's HEAD and a known good revision, and answers good (0), bad (1)
 * or cannot test (125) by the gate's verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "gate.h"
#include "harness.h"
#include "options.h"
#include "run_options.h"
#include "util.h"

/* Anything above 127 makes git bisect run stop rather than judge. */
#define BISECT_ABORT 128
#define BISECT_SKIP 125

static const char bisect_usage[] =
"usage: dmabench bisect [options] --good REV\n"
"\n"
"One step of 'git bisect run': build and measure HEAD of the kernel tree\n"
"(the current folder, or --tree) and REV from source, as 'dmabench series'\n"
"does, and judge HEAD with 'dmabench gate'. In your tree:\n"
"  git bisect start BAD GOOD\n"
"  git bisect run /path/to/dmabench/build/dmabench bisect --good GOOD \\\n"
"      --config /path/to/dmabench/configs/demo.ini\n"
"Under tcg-icount (the default) every figure is exact, so the bisection\n"
"is deterministic, and each revision is measured once.\n"
"\n"
"Exit status: 0 HEAD is not slower than REV beyond the threshold, 1 it is,\n"
"125 HEAD does not build or boot (git bisect skips it), 128 something\n"
"else went wrong (git bisect run stops).\n";

/* No -t, -a: the run options' --timeout and --accel have them. */
enum { THRESHOLD = CLI_LONG_ONLY, API, OP };

static const struct cli_option bisect_options[] = {
	CLI_OPT("good", 'g', "REV", "a revision known to be good"),
	CLI_GROUP(tree_cli_options),
	CLI_OPT("threshold", THRESHOLD, "PCT", "allowed slowdown in percent (default 5)"),
	CLI_OPT("api", API, "LIST", "only these APIs' rows, as for 'dmabench gate'"),
	CLI_OPT("op", OP, "OP", "only map or only unmap rows, as for 'dmabench gate'"),
	CLI_GROUP(run_cli_options),
	CLI_HELP,
	CLI_END
};

/* One bisect step: its options, and the two kernels' ids. */
struct bisect_step {
	const char *tree, *good, *kconfig, *threshold;
	struct gate_request q;
	struct run_options ro;
	char kg[256], kh[256];
};

/* The options into @b, the threshold judged; -1 to go on, else the exit. */
static int bisect_parse(int argc, char **argv, struct bisect_step *b)
{
	int opt;

	while ((opt = cli_getopt(argc, argv, bisect_options)) != -1) {
		switch (opt) {
		case 'g': b->good = optarg; break;
		case 'T': b->tree = optarg; break;
		case 'k': b->kconfig = optarg; break;
		case THRESHOLD: b->threshold = optarg; break;
		case API: b->q.apis = optarg; break;
		case OP: b->q.op = optarg; break;
		case 'h': return cli_usage(bisect_usage, bisect_options, 0);
		default:
			if (run_option(&b->ro, opt, optarg) <= 0)
				return cli_usage(bisect_usage, bisect_options, BISECT_ABORT);
		}
	}
	if (!b->good || optind != argc)
		return cli_usage(bisect_usage, bisect_options, BISECT_ABORT);
	if (b->q.op && strcmp(b->q.op, "map") && strcmp(b->q.op, "unmap")) {
		error_msg("--op is map or unmap, not '%s'", b->q.op);
		return BISECT_ABORT;
	}
	/* the threshold judged now, not after two kernels were built */
	if (gate_rules_build(b->q.rules, &b->q.nrules, NULL,
			     (char *[]){ (char *)b->threshold }, 1))
		return BISECT_ABORT;
	return -1;
}

/* One folder per tested revision, not a new run id per step; -1 to go on. */
static int bisect_out(struct bisect_step *b)
{
	char *head;

	if (b->ro.out_arg)
		return -1;
	head = harness_output((char *[]){ "git", "-c", "safe.directory=*", "-C",
					   (char *)b->tree, "rev-parse", "--short=12",
					   "HEAD", NULL });
	if (!head) {
		error_msg("%s: not a git tree with a HEAD", b->tree);
		return BISECT_ABORT;
	}
	head[strcspn(head, "\n")] = '\0';
	if (harness_init() || asprintf(&b->ro.out_arg, "%s/results/bisect-%s",
				       harness_top(), head) < 0)
		return BISECT_ABORT;
	free(head);
	return -1;
}

/* The good revision's and HEAD's kernels; -1 to go on, else the exit. */
static int bisect_kernels(struct bisect_step *b)
{
	char modes[128];
	int rc;

	if (run_options_prepare(&b->ro))
		return BISECT_ABORT;
	if (strcmp(b->ro.boot.arch, "x86_64")) {
		error_msg("bisect builds x86_64 kernels: --arch arm64 is matrix's (Debian kernels)");
		return BISECT_ABORT;
	}
	harness_mode_list(b->ro.boot.modes, modes, sizeof(modes));
	if (harness_git_kernel(b->tree, b->good, b->kconfig, modes, b->kg, sizeof(b->kg))) {
		error_msg("the good revision %s could not be built", b->good);
		return BISECT_ABORT;
	}
	rc = harness_git_kernel(b->tree, "HEAD", b->kconfig, modes, b->kh, sizeof(b->kh));
	if (rc == KERNEL_NO_BUILD) {
		fprintf(stderr, "dmabench: HEAD does not build: skip (125)\n");
		return BISECT_SKIP;
	}
	return rc ? BISECT_ABORT : -1;
}

/* Both measured and judged by the gate: git bisect run's exit status. */
static int bisect_judge(struct bisect_step *b)
{
	struct boot_side sides[2] = { { .kid = b->kg }, { .kid = b->kh } };
	int rc;

	if (run_options_make_out(&b->ro))
		return BISECT_ABORT;
	sides[0].dir = b->ro.before;
	sides[1].dir = b->ro.after;
	harness_boot(&b->ro.boot, sides, 2, 1);
	if (sides[0].failed) {
		error_msg("the good revision's guests failed");
		return BISECT_ABORT;
	}
	if (sides[1].failed) {
		fprintf(stderr, "dmabench: HEAD does not boot or measure: skip (125)\n");
		return BISECT_SKIP;
	}
	rc = gate_run(&b->q, b->ro.before, b->ro.after);
	fprintf(stderr, "dmabench: %s: HEAD is %s (results in %s)\n",
		rc == 0 ? "good" : rc == 1 ? "bad" : "no verdict",
		rc == 0 ? "not slower" : rc == 1 ? "slower" : "not judged", b->ro.out);
	return rc == 0 || rc == 1 ? rc : BISECT_ABORT;
}

int cmd_bisect(int argc, char **argv)
{
	static struct bisect_step b = { .tree = ".", .threshold = "5" };
	int rc;

	run_options_init(&b.ro, "tcg-icount");
	rc = bisect_parse(argc, argv, &b);
	if (rc < 0)
		rc = bisect_out(&b);
	if (rc < 0)
		rc = bisect_kernels(&b);
	if (rc < 0)
		rc = bisect_judge(&b);
	return rc;
}
