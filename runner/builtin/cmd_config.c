// SPDX-License-Identifier: GPL-2.0
/* dmabench config: parse a config and show its matrix (or its modes). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "names.h"
#include "options.h"
#include "params.h"
#include "util.h"

static const char config_usage[] =
"usage: dmabench config [--modes] CONFIG\n"
"       dmabench config --keys\n"
"\n"
"Parse CONFIG as 'run' would and print one line per matrix cell, or with\n"
"--modes only the DMA modes the harness should boot for it. Errors name\n"
"the file, line and key.\n";

static const struct cli_option config_options[] = {
	CLI_OPT("modes", 'm', NULL, "print only the DMA modes the harness should boot for CONFIG"),
	CLI_OPT("keys", 'k', NULL,
		"print every key a config takes, with its values and default, as the "
		"markdown table in docs/configs.md (both come from one table in "
		"the runner)"),
	CLI_HELP,
	CLI_END
};

int cmd_config(int argc, char **argv)
{
	int modes_only = 0, keys = 0, opt;
	struct config cfg;
	char err[1024];

	while ((opt = cli_getopt(argc, argv, config_options)) != -1) {
		switch (opt) {
		case 'm': modes_only = 1; break;
		case 'k': keys = 1; break;
		case 'h': return cli_usage(config_usage, config_options, 0);
		default: return cli_usage(config_usage, config_options, 2);
		}
	}
	if (keys) {
		if (argc != optind || modes_only)
			return cli_usage(config_usage, config_options, 2);
		params_markdown(stdout);
		return 0;
	}
	if (argc - optind != 1)
		return cli_usage(config_usage, config_options, 2);
	if (config_load(argv[optind], &cfg, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	if (modes_only) {
		const char *sep = "";

		for (uint32_t m = 1; m < 32; m++)
			if (cfg.modes & (1u << m)) {
				printf("%s%s", sep, mode_name(m));
				sep = " ";
			}
		printf("\n");
	} else {
		printf("%-16s %-9s %-5s %-13s %8s %6s %5s %7s %6s\n", "job", "api",
		       "pat", "dir", "size", "offset", "batch", "batches", "warmup");
		for (size_t i = 0; i < cfg.ncells; i++) {
			const struct cell *c = &cfg.cells[i];

			printf("%-16.16s %-9s %-5s %-13s %8u %6u %5u %7u %6u\n", c->job,
			       api_name(c->api), pattern_name(c->pattern),
			       dir_name(c->dir), c->size, c->offset, c->batch,
			       c->batches, c->warmup);
		}
	}
	config_free(&cfg);
	return 0;
}
