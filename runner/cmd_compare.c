// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: a before/after table of two result sets, one row per
 * mode, API and operation, grouped by cell shape, at most 72 columns wide.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "comparison.h"
#include "results.h"
#include "stats.h"
#include "util.h"

static const char compare_usage[] =
"usage: dmabench compare [-o FILE] BEFORE AFTER\n"
"\n"
"BEFORE and AFTER are result files or folders of them (one per mode).\n"
"For each cell of either side: the median over batches of cycles per op\n"
"(guest instructions when both sides ran under tcg-icount), net of the\n"
"same loop on the API's null twins (empty functions with the signatures\n"
"of its calls, given the same arguments); the change in percent with\n"
"its 95 % confidence interval (bootstrap over per-batch samples, 2000\n"
"resamples, fixed seed, so the output is reproducible); '*' when the\n"
"interval excludes zero; and the noise of each side (interquartile\n"
"range over median, in percent).\n"
"'n/a': the API is absent from that kernel or unusable in that mode.\n"
"\n"
"  -o FILE  write the table to FILE (atomically) instead of stdout\n";

/* "label: release (accel)", and the commit or image when not Debian's. */
static void side_header(FILE *f, const char *label, json_t *set)
{
	json_t *doc = json_array_get(set, 0), *src = json_object_get(doc, "kernel_source");
	const char *provider = json_str(src, "provider");
	char line[256];

	fprintf(f, "%-7s %s (%s)\n", label,
		json_str(json_object_get(doc, "system"), "kernel_release"),
		comparison_accel_label(set));
	if (!strcmp(provider, "git"))
		snprintf(line, sizeof(line), "%-7s git %.12s %s", "", json_str(src, "commit"),
			 json_str(src, "describe"));
	else if (!strcmp(provider, "prebuilt"))
		snprintf(line, sizeof(line), "%-7s prebuilt %s", "", json_str(src, "image"));
	else
		return;
	fprintf(f, "%.72s\n", line);
}

void print_compare_header(const struct comparison *c, FILE *f)
{
	int lazy = 0;

	for (size_t i = 0; i < c->nrows && !lazy; i++)
		lazy = c->rows[i].amortized;
	fprintf(f, "%s: median of batches, net of the null twins\n"
		"('null' rows: the empty loop itself)\n", comparison_unit(c));
	if (lazy)
		fprintf(f, "lazy: amortized, all cycles over all ops, so the flush\n"
			"queue's drains (about one per 256 unmaps) are counted\n");
	side_header(f, "before:", c->before);
	side_header(f, "after:", c->after);
}

int cmd_compare(int argc, char **argv)
{
	const char *out = NULL;
	struct comparison c;
	char err[1024], *text = NULL;
	size_t size = 0;
	FILE *f;
	int ret = 0;

	if (argc == 5 && !strcmp(argv[1], "-o")) {
		out = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc != 3)
		return usage(compare_usage, argc == 2 && (!strcmp(argv[1], "-h") ||
				!strcmp(argv[1], "--help")) ? 0 : 2);
	if (comparison_load(&c, argv[1], argv[2], err, sizeof(err))) {
		error_msg("%s", err);
		return 1;
	}
	f = open_memstream(&text, &size);
	print_compare_header(&c, f);
	fprintf(f, "\n");
	comparison_print_table(&c, f);
	fclose(f);
	comparison_free(&c);
	ret = emit(out, text, size) ? 1 : 0;
	free(text);
	return ret;
}
