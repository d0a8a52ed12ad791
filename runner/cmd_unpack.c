// SPDX-License-Identifier: GPL-2.0
/* dmabench unpack: verify and extract the frames a guest sent. */
#include <getopt.h>
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
	int n = help_only_options(argc, argv, unpack_usage);
	char err[1024];

	if (n >= 0)
		return n;
	if (argc - optind != 2)
		return usage(unpack_usage, 2);
	n = frame_unpack(argv[optind], argv[optind + 1], err, sizeof(err));
	if (n < 0) {
		error_msg("%s", err);
		return 2;
	}
	if (n == 0) {
		error_msg("%s: no frames: the guest sent nothing", argv[optind]);
		return 2;
	}
	printf("%d frame%s verified\n", n, n == 1 ? "" : "s");
	return 0;
}
