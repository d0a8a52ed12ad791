// SPDX-License-Identifier: GPL-2.0
/* dmabench export: a result as CSV, or in hyperfine's layout (export.c). */

#include "commands.h"
#include "export.h"
#include "options.h"
#include "util.h"

static const char export_usage[] =
"usage: dmabench export (--csv | --hyperfine) [-o FILE] RESULT.json|DIR\n";

enum { CSV = CLI_LONG_ONLY, HYPERFINE };

static const struct cli_option export_options[] = {
	CLI_OPT("csv", CSV, NULL,
		"one line per cell: request, status, raw and net figures; a "
		"folder: every result in it, one header"),
	CLI_OPT("hyperfine", HYPERFINE, NULL,
		"hyperfine's --export-json layout: one result per cell and op, "
		"'times' = seconds per op of each batch, net of the null twins "
		"where the cell has them (as compare's figures); refused for "
		"tcg-icount results, whose figures are instructions, not time"),
	CLI_GROUP(cli_output_options),
	CLI_HELP,
	CLI_END
};

int cmd_export(int argc, char **argv)
{
	const char *out = NULL;
	int opt, format = 0;

	while ((opt = cli_getopt(argc, argv, export_options)) != -1) {
		switch (opt) {
		case CSV: format = EXPORT_CSV; break;
		case HYPERFINE: format = EXPORT_HYPERFINE; break;
		case 'o': out = optarg; break;
		case 'h': return cli_usage(export_usage, export_options, 0);
		default: return cli_usage(export_usage, export_options, 2);
		}
	}
	if (!format || optind != argc - 1)
		return cli_usage(export_usage, export_options, 2);
	return export_write(argv[optind], format, out);
}
