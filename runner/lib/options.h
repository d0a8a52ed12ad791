/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One option table per command: each option's long name, short letter,
 * argument and help in one place. getopt_long's arrays and the usage's
 * list of options are made from it, so they cannot drift apart.
 */
#ifndef DMABENCH_OPTIONS_H
#define DMABENCH_OPTIONS_H

#include <stdio.h>
#include <unistd.h>		/* optarg, optind: as after getopt */

struct cli_option {
	const char *name;	/* long name without "--"; NULL ends the table */
	int key;		/* short letter, or CLI_LONG_ONLY + n */
	const char *arg;	/* the argument's name in the usage; NULL: none */
	/*
	 * One sentence or more, wrapped when printed; NULL: a second name of
	 * the entry before it with the same key, said there ("--out is the
	 * same") and not listed on its own.
	 */
	const char *help;
	const struct cli_option *group;	/* a shared table spliced in here */
};

/* Keys of options without a short letter: above every character. */
#define CLI_LONG_ONLY 0x100

#define CLI_OPT(name, key, arg, help) { name, key, arg, help, NULL }
#define CLI_ALIAS(name, key, arg) { name, key, arg, NULL, NULL }
#define CLI_HELP CLI_OPT("help", 'h', NULL, "this text")
/* -o, --output: in every command the same letter and first name, --out. */
#define CLI_OUTPUT(arg, help) \
	CLI_OPT("output", 'o', arg, help), CLI_ALIAS("out", 'o', arg)
#define CLI_GROUP(table) { "", 0, NULL, NULL, table }
#define CLI_END { NULL, 0, NULL, NULL, NULL }

/*
 * getopt_long over @opts: the next option's key, '?' for an unknown one or
 * a missing argument (getopt has said which), -1 after the last option.
 * Like getopt, it leaves the operands from optind on.
 */
int cli_getopt(int argc, char **argv, const struct cli_option *opts);

/* The same, stopping at the first operand (what follows it is data). */
int cli_getopt_in_order(int argc, char **argv, const struct cli_option *opts);

/*
 * --help alone, for commands without other options: -1 to go on (optind
 * at the first operand, which ends the options), else the exit status
 * (0 after --help, 2 after anything else that looks like an option).
 */
int cli_help_only(int argc, char **argv, const char *text);

/* Just --help: the table of cli_help_only(), for its usage. */
extern const struct cli_option cli_help_options[];

/* -o FILE: the output goes to FILE, written atomically, not to stdout. */
extern const struct cli_option cli_output_options[];

/* The usage of @text followed by the table's options to @f. */
void cli_print_usage(FILE *f, const char *text, const struct cli_option *opts);

/* The usage to stdout (@code 0) or stderr; returns @code. */
int cli_usage(const char *text, const struct cli_option *opts, int code);

#endif
