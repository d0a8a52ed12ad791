/* SPDX-License-Identifier: GPL-2.0 */
/* Where a result came from: kernel, command line, CPU, mitigations. */
#ifndef DMABENCH_SYSINFO_H
#define DMABENCH_SYSINFO_H

#include <jansson.h>

/* A new JSON object describing this system; @accel as the harness said. */
json_t *sysinfo_collect(const char *accel);

/*
 * The first @n CPUs >= @first in a kernel CPU list ("0-3,6,8-9", as in
 * /sys/devices/system/cpu/online) into @out. Returns 0, or -1 when the list
 * is malformed or has fewer such CPUs.
 */
int cpu_list_pick(const char *list, int first, int n, int *out);

#endif
