// SPDX-License-Identifier: GPL-2.0
/* dmabench export: a result as CSV, or in hyperfine's layout (export.c). */
#include <getopt.h>

#include "commands.h"
#include "export.h"
#include "util.h"

static const char export_usage[] =
"usage: dmabench export (--csv | --hyperfine) [-o FILE] RESULT.json|DIR\n"
"\n"
"  --csv          one line per cell: request, status, raw and net figures;\n"
"                 a folder: every result in it, one header\n"
"  --hyperfine    hyperfine's --export-json layout: one result per cell and\n"
"                 op, 'times' = seconds per op of each batch, net of the\n"
"                 null twins where the cell has them (as compare's\n"
"                 figures); refused for tcg-icount results, whose figures\n"
"                 are instructions, not time\n"
"  -o, --output FILE  write FILE atomically instead of stdout\n";

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "hyperfine", no_argument, NULL, 'y' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *out = NULL;
	int opt, format = 0;

	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': format = EXPORT_CSV; break;
		case 'y': format = EXPORT_HYPERFINE; break;
		case 'o': out = optarg; break;
		case 'h': return usage(export_usage, 0);
		default: return usage(export_usage, 2);
		}
	}
	if (!format || optind != argc - 1)
		return usage(export_usage, 2);
	return export_write(argv[optind], format, out);
}
