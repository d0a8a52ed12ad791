// SPDX-License-Identifier: GPL-2.0
/*
 * Prints what cpu_list_pick() (runner/sysinfo.c) picks from a CPU list:
 * cpus_check LIST FIRST N -> "0 2 3" or "error".
 */
#include <stdio.h>
#include <stdlib.h>

#include "sysinfo.h"

int main(int argc, char **argv)
{
	int n, first, *out;

	if (argc != 4)
		return 2;
	first = atoi(argv[2]);
	n = atoi(argv[3]);
	out = calloc(n > 0 ? n : 1, sizeof(*out));
	if (!out || cpu_list_pick(argv[1], first, n, out)) {
		printf("error\n");
		return 1;
	}
	for (int i = 0; i < n; i++)
		printf(i ? " %d" : "%d", out[i]);
	printf("\n");
	free(out);
	return 0;
}
