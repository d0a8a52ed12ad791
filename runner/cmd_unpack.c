// SPDX-License-Identifier: GPL-2.0
/* dmabench unpack: verify and extract the frames a guest sent. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "frame.h"
#include "util.h"

static const char unpack_usage[] =
"usage: dmabench unpack CHANNEL OUTDIR\n"
"\n"
"Extract every frame in the CHANNEL capture (the guest's second serial\n"
"port) into OUTDIR, checking each frame's length and CRC-32. A transfer\n"
"cut short or garbled, or a frame whose header or name is not sound, is an\n"
"error, and then no file at all is written: every frame is checked first.\n";

int cmd_unpack(int argc, char **argv)
{
	char err[1024];
	int n;

	if (argc != 3)
		return usage(unpack_usage, argc == 2 && (!strcmp(argv[1], "-h") ||
				!strcmp(argv[1], "--help")) ? 0 : 2);
	n = frame_unpack(argv[1], argv[2], err, sizeof(err));
	if (n < 0) {
		error_msg("%s", err);
		return 1;
	}
	if (n == 0) {
		error_msg("%s: no frames: the guest sent nothing", argv[1]);
		return 1;
	}
	printf("%d frame%s verified\n", n, n == 1 ? "" : "s");
	return 0;
}
