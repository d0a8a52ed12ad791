// SPDX-License-Identifier: GPL-2.0
/* dmabench check: validate result files the way every reader does. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "params.h"
#include "results.h"
#include "util.h"

static const char check_usage[] =
"usage: dmabench check RESULT.json...\n"
"\n"
"Load each result as compare and report do: schema and version, required\n"
"fields, one sample per batch in every measured cell. Exits 1 on the\n"
"first file that is truncated, incomplete or of an unknown schema, 2 on\n"
"one that is not there or unreadable, or an -o it cannot write.\n";

static const struct cli_option check_options[] = {
	CLI_OUTPUT("FILE",
		   "write the (one) document as loaded back to FILE: the schema "
		   "round trip, and a canonical copy of a result"),
	CLI_HELP,
	CLI_END
};

/*
 * Ends check's line for @path: the cell keys it lacks, which the loader
 * read as the table's defaults (a result from before those keys existed).
 */
static void say_defaults(const char *path)
{
	json_t *raw = json_load_file(path, 0, NULL), *cell;
	const char *sep = "; read with the defaults of";
	size_t i;

	for (size_t k = 0; raw && k < P_COUNT; k++) {
		if (!(params[k].flags & PARAM_CELL))
			continue;
		json_array_foreach(json_object_get(raw, "cells"), i, cell)
			if (!json_object_get(cell, params[k].name)) {
				printf("%s %s", sep, params[k].name);
				sep = ",";
				break;
			}
	}
	json_decref(raw);
	putchar('\n');
}

int cmd_check(int argc, char **argv)
{
	const char *out = NULL;
	char err[1024];
	int opt;

	while ((opt = cli_getopt(argc, argv, check_options)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'h': return cli_usage(check_usage, check_options, 0);
		default: return cli_usage(check_usage, check_options, 2);
		}
	}
	if (optind == argc || (out && argc - optind != 1))
		return cli_usage(check_usage, check_options, 2);
	for (int i = optind; i < argc; i++) {
		char name[512], release[256], accel[64];
		json_t *doc, *sys, *mode;

		/* a file that is not there is bad input, as in every command */
		if (access(argv[i], R_OK)) {
			error_msg("%s: %s", argv[i], strerror(errno));
			return 2;
		}
		doc = result_load(argv[i], err, sizeof(err));
		if (!doc) {
			error_msg("%s", err);
			return 1;
		}
		sys = json_object_get(doc, "system");
		mode = json_object_get(doc, "mode");
		printf("%s: ok, %zu cells, mode %s, kernel %s, %s", one_line(argv[i], name, sizeof(name)),
		       json_array_size(json_object_get(doc, "cells")),
		       json_str(mode, "detected"),
		       one_line(json_str(sys, "kernel_release"), release, sizeof(release)),
		       one_line(json_str(sys, "accel"), accel, sizeof(accel)));
		say_defaults(argv[i]);
		if (out && result_write(out, doc, err, sizeof(err))) {
			error_msg("%s", err);
			json_decref(doc);
			return 2;
		}
		json_decref(doc);
	}
	return 0;
}
