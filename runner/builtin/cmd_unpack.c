// SPDX-License-Identifier: GPL-2.0
/* dmabench unpack: verify and extract the frames a guest sent. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "frame.h"
#include "options.h"
#include "util.h"

static const char unpack_usage[] =
"usage: dmabench unpack [--salvage] CHANNEL OUTDIR\n"
"\n"
"Extract every frame in the CHANNEL capture (the guest's second serial\n"
"port) into OUTDIR, checking each frame's length and CRC-32. A transfer\n"
"cut short or garbled, or a frame whose header or name is not sound, is an\n"
"error, and then no file at all is written: every frame is checked first.\n"
"OUTDIR is held while unpack writes: a second unpack into it exits 2.\n";

enum { SALVAGE = CLI_LONG_ONLY };

static const struct cli_option unpack_options[] = {
	CLI_OPT("salvage", SALVAGE, NULL,
		"from a damaged capture (a guest that died), write the frames "
		"verified before the damage, name the damage, and exit 1 if there "
		"was any (0 if the capture was whole)"),
	CLI_HELP,
	CLI_END
};

int cmd_unpack(int argc, char **argv)
{
	int n, opt, salvage = 0;
	char err[1024];

	while ((opt = cli_getopt(argc, argv, unpack_options)) != -1) {
		switch (opt) {
		case SALVAGE: salvage = 1; break;
		case 'h': return cli_usage(unpack_usage, unpack_options, 0);
		default: return cli_usage(unpack_usage, unpack_options, 2);
		}
	}
	if (argc - optind != 2)
		return cli_usage(unpack_usage, unpack_options, 2);
	if (claim_output_dir(argv[optind + 1]))
		return 2;
	n = frame_unpack(argv[optind], argv[optind + 1], salvage, err, sizeof(err));
	if (n < 0) {
		error_msg("%s", err);
		return 2;
	}
	if (salvage) {
		printf("%d frame%s verified%s%s\n", n, n == 1 ? "" : "s",
		       err[0] ? " before the damage: " : "", err);
		return err[0] ? 1 : 0;
	}
	if (n == 0) {
		error_msg("%s: no frames: the guest sent nothing", argv[optind]);
		return 2;
	}
	printf("%d frame%s verified\n", n, n == 1 ? "" : "s");
	return 0;
}
