// SPDX-License-Identifier: GPL-2.0
/* dmabench merge: several runs (boots) into one result (merge.c). */

#include "commands.h"
#include "merge.h"
#include "options.h"
#include "util.h"

static const char merge_usage[] =
"usage: dmabench merge -o OUT RUN.json RUN.json [RUN.json ...]\n"
"\n"
"Merge the results of several boots of the same kernel, mode, accel and\n"
"config into one result whose cells keep every run's samples and baseline.\n"
"compare, report and gate then judge the noise between boots as well as\n"
"within one (the harness does this for --runs N).\n"
"Exit status: 0 merged, 2 bad usage or results that do not belong together.\n";

static const struct cli_option merge_options[] = {
	CLI_OUTPUT("FILE", "the merged result"),
	CLI_HELP,
	CLI_END
};

int cmd_merge(int argc, char **argv)
{
	const char *out = NULL;
	int opt;

	while ((opt = cli_getopt(argc, argv, merge_options)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'h': return cli_usage(merge_usage, merge_options, 0);
		default: return cli_usage(merge_usage, merge_options, 2);
		}
	}
	if (!out || argc - optind < 2)
		return cli_usage(merge_usage, merge_options, 2);
	return merge_write((const char *const *)argv + optind, argc - optind, out);
}
