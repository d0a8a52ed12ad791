// SPDX-License-Identifier: GPL-2.0
/* dmabench: the runner's entry point and subcommand table. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, "measure a config's matrix, write a result (JSON)" },
	{ "info", cmd_info, "what the module and this kernel can do" },
	{ "request", cmd_request, "send one RUN request as given, unchecked" },
	{ "selftest", cmd_selftest, "check that the module refuses malformed requests" },
	{ "fuzz", cmd_fuzz, "random and edge-value requests, deterministic by seed" },
	{ "send", cmd_send, "send files as checked frames over a serial port" },
	{ "unpack", cmd_unpack, "extract and verify the frames a guest sent" },
	{ "config", cmd_config, "parse a config, print its matrix or modes" },
	{ "check", cmd_check, "validate result files" },
	{ "compare", cmd_compare, "before/after table of two result sets" },
	{ "report", cmd_report, "plain-text report for a reply on the list" },
	{ "plot", cmd_plot, "gnuplot PNG, SVG and text plots of two result sets" },
	{ "matrix", cmd_matrix, "QEMU: two kernels x the config's modes, then compare" },
	{ "series", cmd_series, "QEMU: your git tree's BASE..HEAD (or each commit) from source" },
	{ "bisect", cmd_bisect, "one step of 'git bisect run': HEAD slower than a good one?" },
	{ "merge", cmd_merge, "several runs (boots) of one measurement into one result" },
	{ "gate", cmd_gate, "exit 1 on a slowdown beyond a threshold (for CI)" },
	{ "kcidb", cmd_kcidb, "a comparison and its gate in KCIDB's I/O layout (v5.3)" },
	{ "export", cmd_export, "a result as CSV or in hyperfine's JSON layout" },
	{ "mapbench", cmd_mapbench, "cross-check `single` with the kernel's dma_map_benchmark" },
	{ "explain", cmd_explain, "per function, where the instructions went, before vs after" },
};

static int main_usage(int code)
{
	FILE *f = code ? stderr : stdout;

	fprintf(f, "usage: dmabench [--version] [--help] COMMAND [ARGS]\n\n"
		"Microbenchmark of the Linux DMA map/unmap paths.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'dmabench COMMAND --help' describes each command.\n"
		"Exit status: 0 done, 1 done and the answer is a failure (a regression,\n"
		"a failed check or measurement), 2 bad usage or input (unreadable or\n"
		"malformed files, no device, an output it cannot write); gate speaks\n"
		"kselftest's codes: 4 nothing to judge, 5 (not 2) bad usage or input;\n"
		"bisect adds git bisect run's 125 and 128.\n");
	return code;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	check_stdout_at_exit();
	record_command(argc, argv);
	if (!name)
		return main_usage(2);
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			char *args[] = { argv[2], "--help", NULL };

			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				if (!strcmp(commands[i].name, argv[2]))
					return commands[i].fn(2, args);
		}
		return main_usage(0);
	}
	if (!strcmp(name, "--version")) {
		printf("dmabench %s\n", DMABENCH_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].fn(argc - 1, argv + 1);
	error_msg("unknown command '%s'", name);
	return main_usage(2);
}
