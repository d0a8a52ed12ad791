/* SPDX-License-Identifier: GPL-2.0 */
/* Plots of two result sets (dmabench plot, and the harness's outputs). */
#ifndef DMABENCH_PLOT_H
#define DMABENCH_PLOT_H

/*
 * gnuplot data and scripts for BEFORE and AFTER (files or folders) into
 * DIR, rendered to PNG and SVG unless NO_RENDER (see 'dmabench plot
 * --help' for the files). 0, 1 when drawing failed, 2 bad input (said).
 */
int plot_write(const char *before, const char *after, const char *dir, int no_render);

#endif
