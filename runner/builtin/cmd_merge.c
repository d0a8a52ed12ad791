// SPDX-License-Identifier: GPL-2.0
/* dmabench merge: several runs (boots) into one result (merge.c). */
#include <getopt.h>

#include "commands.h"
#include "merge.h"
#include "util.h"

static const char merge_usage[] =
"usage: dmabench merge -o OUT RUN.json RUN.json [RUN.json ...]\n"
"\n"
"Merge the results of several boots of the same kernel, mode, accel and\n"
"config into one result whose cells keep every run's samples and baseline.\n"
"compare, report and gate then judge the noise between boots as well as\n"
"within one (the harness does this for --runs N).\n"
"\n"
"  -o, --output FILE  the merged result (--out is the same)\n"
"Exit status: 0 merged, 2 bad usage or results that do not belong together.\n";

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "out", required_argument, NULL, 'o' },	/* its first name */
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *out = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'h': return usage(merge_usage, 0);
		default: return usage(merge_usage, 2);
		}
	}
	if (!out || argc - optind < 2)
		return usage(merge_usage, 2);
	return merge_write((const char *const *)argv + optind, argc - optind, out);
}
