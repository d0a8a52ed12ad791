/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzers' common part: the readers under test take paths, so each
 * input is put in a memory file and handed over as /proc/self/fd/N.
 */
#ifndef DMABENCH_FUZZ_INPUT_H
#define DMABENCH_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* A path that reads back @data; close(*fd) afterwards. NULL on failure. */
static inline const char *fuzz_input(const uint8_t *data, size_t size, int *fd,
				     char *path, size_t len)
{
	*fd = memfd_create("fuzz", 0);
	if (*fd < 0)
		return NULL;
	if (size && write(*fd, data, size) != (ssize_t)size) {
		close(*fd);
		return NULL;
	}
	snprintf(path, len, "/proc/self/fd/%d", *fd);
	return path;
}

#endif
