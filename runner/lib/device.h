/* SPDX-License-Identifier: GPL-2.0 */
/* The runner's side of the uapi: open /dev/dmabench, INFO and RUN. */
#ifndef DMABENCH_DEVICE_H
#define DMABENCH_DEVICE_H

#include <stddef.h>

#include "options.h"
#include "uapi/dmabench.h"

/* -d, --device: the node of the device dmabench.ko drives. */
extern const struct cli_option device_cli_options[];

/* Returns an fd, or -1 with a message that says what to do in @err. */
int device_open(const char *path, char *err, size_t len);
int device_info(int fd, struct dmabench_info *info, char *err, size_t len);

/* The request fields INFO says the module honours, as names: "deadline_ms". */
const char *device_feature_name(unsigned int bit);
#define DEVICE_FEATURE_COUNT 1

/*
 * Issue one RUN request; @run->samples must point at run->batches samples.
 * Returns 0, or -errno with the module's refusal explained in @err.
 */
int device_run(int fd, const struct dmabench_info *info,
	       struct dmabench_run *run, char *err, size_t len);

#endif
