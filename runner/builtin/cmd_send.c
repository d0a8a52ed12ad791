// SPDX-License-Identifier: GPL-2.0
/* dmabench send: files out of a guest as checked frames (see frame.h). */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "frame.h"
#include "options.h"
#include "util.h"

static const char send_usage[] =
"usage: dmabench send DEVICE FILE[=NAME]...\n"
"\n"
"Write each FILE to DEVICE (e.g. /dev/ttyS1) as a frame carrying its name,\n"
"length and CRC-32; 'dmabench unpack' on the other side verifies them.\n";

int cmd_send(int argc, char **argv)
{
	int rc = cli_help_only(argc, argv, send_usage), dev;
	char err[512];

	if (rc >= 0)
		return rc;
	if (argc - optind < 2)
		return cli_usage(send_usage, cli_help_options, 2);
	dev = optind;
	for (int i = dev + 1; i < argc; i++) {
		char *path = strdup(argv[i]), *eq = strchr(path, '=');
		const char *name;
		size_t len;
		char *data;

		if (eq)
			*eq = '\0';
		name = eq ? eq + 1 : basename(path);
		data = read_file(path, &len);
		if (!data) {
			error_msg("%s: %s", path, strerror(errno));
			free(path);
			return 2;
		}
		if (frame_send(argv[dev], name, data, len, err, sizeof(err))) {
			error_msg("%s", err);
			free(data);
			free(path);
			return 1;
		}
		free(data);
		free(path);
	}
	return 0;
}
