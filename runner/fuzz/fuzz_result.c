// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the result reader and what reads its figures (the typed
 * loader, then a comparison of the document against itself).
 */
#include "comparison.h"
#include "fuzz_input.h"
#include "results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	struct comparison c;
	json_t *doc;
	int fd;

	if (!fuzz_input(data, size, &fd, path, sizeof(path)))
		return 0;
	doc = result_load(path, err, sizeof(err));
	if (doc && !comparison_load(&c, path, path, err, sizeof(err)))
		comparison_free(&c);
	json_decref(doc);
	close(fd);
	return 0;
}
