// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: the frame reader, on what a guest's serial port could carry. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "fuzz_input.h"

static char outdir[] = "/tmp/dmabench-fuzz-frame-XXXXXX";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!mkdtemp(outdir))
		abort();
	return 0;
}

/* What a frame that passed every check wrote: removed for the next input. */
static void empty_outdir(void)
{
	DIR *d = opendir(outdir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	int fd;

	if (!fuzz_input(data, size, &fd, path, sizeof(path)))
		return 0;
	/* both ways: all or nothing, and what a damaged channel still gives */
	if (frame_unpack(path, outdir, (int)(size & 1), err, sizeof(err)) > 0)
		empty_outdir();
	close(fd);
	return 0;
}
