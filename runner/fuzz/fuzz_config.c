// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: the config reader (INI, units, lists, the matrix expansion). */
#include "config.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	struct config cfg;
	int fd;

	if (!fuzz_input(data, size, &fd, path, sizeof(path)))
		return 0;
	if (!config_load(path, &cfg, err, sizeof(err)))
		config_free(&cfg);
	close(fd);
	return 0;
}
