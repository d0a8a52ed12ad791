/* SPDX-License-Identifier: GPL-2.0 */
/* Order statistics over per-batch samples. */
#ifndef DMABENCH_STATS_H
#define DMABENCH_STATS_H

#include <stddef.h>

/* The q-quantile (0..1, linear interpolation) of @v; @v is not changed. */
double quantile(const double *v, size_t n, double q);
double median(const double *v, size_t n);

#endif
