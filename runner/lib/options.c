// SPDX-License-Identifier: GPL-2.0
/*
 * Option tables: getopt_long's arrays and the usage's option list, both
 * made from a command's one table (options.h).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "util.h"

/* More than any command has; a longer table is a bug caught at once. */
#define CLI_MAX 64

/* Where the help column starts, and the width help is wrapped to. */
#define HELP_COLUMN 21
#define LINE_WIDTH 76

struct cli_arrays {
	const struct cli_option *table;
	const char *order;
	struct option longs[CLI_MAX + 1];
	char shorts[3 * CLI_MAX + 2];
	size_t n;
};

static void add_option(struct cli_arrays *a, const struct cli_option *o)
{
	size_t len = strlen(a->shorts);

	if (a->n == CLI_MAX) {
		error_msg("an option table of more than %d entries", CLI_MAX);
		abort();	/* a bug of the command, not of its input */
	}
	a->longs[a->n++] = (struct option){ o->name,
		o->arg ? required_argument : no_argument, NULL, o->key };
	if (o->key < CLI_LONG_ONLY && !strchr(a->shorts, o->key)) {
		a->shorts[len++] = (char)o->key;
		if (o->arg)
			a->shorts[len++] = ':';
		a->shorts[len] = '\0';
	}
}

static void add_table(struct cli_arrays *a, const struct cli_option *opts)
{
	for (const struct cli_option *o = opts; o->name; o++) {
		if (o->group)
			add_table(a, o->group);
		else
			add_option(a, o);
	}
}

static int next_option(int argc, char **argv, const struct cli_option *opts,
		       const char *order)
{
	static struct cli_arrays a;

	if (a.table != opts || a.order != order) {
		memset(&a, 0, sizeof(a));
		a.table = opts;
		a.order = order;
		strcpy(a.shorts, order);
		add_table(&a, opts);
	}
	return getopt_long(argc, argv, a.shorts, a.longs, NULL);
}

const struct cli_option cli_help_options[] = {
	CLI_HELP,
	CLI_END
};

const struct cli_option cli_output_options[] = {
	CLI_OUTPUT("FILE", "write to FILE (atomically) instead of stdout"),
	CLI_END
};

int cli_getopt(int argc, char **argv, const struct cli_option *opts)
{
	return next_option(argc, argv, opts, "");
}

int cli_getopt_in_order(int argc, char **argv, const struct cli_option *opts)
{
	return next_option(argc, argv, opts, "+");
}

/* The entry after @o that is a second name of it, or NULL. */
static const struct cli_option *alias_of(const struct cli_option *o)
{
	return o[1].name && !o[1].group && !o[1].help && o[1].key == o->key ?
	       &o[1] : NULL;
}

/* Words of @text from column @col on, wrapped at LINE_WIDTH; the column after. */
static int print_wrapped(FILE *f, const char *text, int col)
{
	const char *p = text;

	while (*p) {
		size_t word = strcspn(p, " \n");

		if (col > HELP_COLUMN && col + 1 + (int)word > LINE_WIDTH) {
			fprintf(f, "\n%*s", HELP_COLUMN, "");
			col = HELP_COLUMN;
		} else if (col > HELP_COLUMN) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, word, f);
		col += (int)word;
		p += word;
		p += strspn(p, " \n");
	}
	return col;
}

static void print_option(FILE *f, const struct cli_option *o)
{
	const struct cli_option *alias = alias_of(o);
	char left[64], same[64];
	int n, col;

	if (o->key < CLI_LONG_ONLY)
		n = snprintf(left, sizeof(left), "  -%c, --%s", o->key, o->name);
	else
		n = snprintf(left, sizeof(left), "      --%s", o->name);
	if (o->arg && n < (int)sizeof(left))
		n += snprintf(left + n, sizeof(left) - (size_t)n, " %s", o->arg);
	fputs(left, f);
	if (n + 2 > HELP_COLUMN)
		fprintf(f, "\n%*s", HELP_COLUMN, "");
	else
		fprintf(f, "%*s", HELP_COLUMN - n, "");
	col = print_wrapped(f, o->help, HELP_COLUMN);
	if (alias) {
		/* one piece: "(--out is" at a line's end reads as a broken note */
		n = snprintf(same, sizeof(same), "(--%s is the same)", alias->name);
		if (col + 1 + n > LINE_WIDTH)
			fprintf(f, "\n%*s%s", HELP_COLUMN, "", same);
		else
			fprintf(f, " %s", same);
	}
	fputc('\n', f);
}

static void print_table(FILE *f, const struct cli_option *opts)
{
	for (const struct cli_option *o = opts; o->name; o++) {
		if (o->group)
			print_table(f, o->group);
		else if (o->help)
			print_option(f, o);
	}
}

void cli_print_usage(FILE *f, const char *text, const struct cli_option *opts)
{
	fputs(text, f);
	fputs("\nOptions:\n", f);
	print_table(f, opts);
}

int cli_usage(const char *text, const struct cli_option *opts, int code)
{
	cli_print_usage(code ? stderr : stdout, text, opts);
	return code;
}

int cli_help_only(int argc, char **argv, const char *text)
{
	int opt = cli_getopt_in_order(argc, argv, cli_help_options);

	if (opt == -1)
		return -1;
	return cli_usage(text, cli_help_options, opt == 'h' ? 0 : 2);
}
