/* SPDX-License-Identifier: GPL-2.0 */
/* One function per subcommand, one file each (cmd_NAME.c). */
#ifndef DMABENCH_COMMANDS_H
#define DMABENCH_COMMANDS_H

#include <stdio.h>

int cmd_run(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_request(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_unpack(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_series(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_kcidb(int argc, char **argv);
int cmd_mapbench(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif
