// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <zlib.h>

#include "frame.h"
#include "util.h"

#define FRAME_BEGIN "@@DMABENCH-FRAME v1 "
#define FRAME_END "@@DMABENCH-END@@"

static int valid_name(const char *name)
{
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (const char *p = name; *p; p++)
		if (!(*p == '.' || *p == '-' || *p == '_' ||
		      (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z')))
			return 0;
	return strlen(name) < 128;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= w;
	}
	return 0;
}

int frame_send(const char *device, const char *name, const char *data,
	       size_t len, char *err, size_t errlen)
{
	unsigned long crc = crc32(0L, (const Bytef *)data, (uInt)len);
	struct termios tio;
	char head[256];
	int fd, n;

	if (!valid_name(name)) {
		snprintf(err, errlen, "frame name '%s': use letters, digits, '.', '-', '_'", name);
		return -1;
	}
	fd = open(device, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_APPEND | O_CREAT, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", device, strerror(errno));
		return -1;
	}
	/* A tty would turn \n into \r\n and break the length: go raw. */
	if (isatty(fd) && tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	n = snprintf(head, sizeof(head), "\n" FRAME_BEGIN "name=%s bytes=%zu crc32=%08lx@@\n",
		     name, len, crc);
	if (write_all(fd, head, n) || write_all(fd, data, len) ||
	    write_all(fd, "\n" FRAME_END "\n", strlen(FRAME_END) + 2)) {
		snprintf(err, errlen, "%s: %s", device, strerror(errno));
		close(fd);
		return -1;
	}
	if (isatty(fd))
		tcdrain(fd);
	close(fd);
	return 0;
}

int frame_unpack(const char *channel, const char *outdir, char *err,
		 size_t errlen)
{
	size_t size;
	char *buf = read_file(channel, &size);
	char *p, *end;
	int frames = 0;

	if (!buf) {
		snprintf(err, errlen, "%s: %s", channel, strerror(errno));
		return -1;
	}
	end = buf + size;
	for (p = memmem(buf, size, FRAME_BEGIN, strlen(FRAME_BEGIN)); p;
	     p = memmem(p, end - p, FRAME_BEGIN, strlen(FRAME_BEGIN))) {
		char name[128], path[4096];
		unsigned long crc, bytes;
		char *payload, *nl;

		nl = memchr(p, '\n', end - p);
		if (!nl || sscanf(p, FRAME_BEGIN "name=%127s bytes=%lu crc32=%lx@@",
				  name, &bytes, &crc) != 3) {
			snprintf(err, errlen, "%s: frame %d: malformed header (transfer cut short?)",
				 channel, frames + 1);
			goto fail;
		}
		if (!valid_name(name)) {
			snprintf(err, errlen, "%s: frame %d: bad name '%s'", channel, frames + 1, name);
			goto fail;
		}
		payload = nl + 1;
		if ((size_t)(end - payload) < bytes + 1 + strlen(FRAME_END)) {
			snprintf(err, errlen, "%s: frame '%s' truncated: %zu of %lu bytes arrived",
				 channel, name,
				 (size_t)(end - payload) > bytes ? (size_t)bytes : (size_t)(end - payload),
				 bytes);
			goto fail;
		}
		if (payload[bytes] != '\n' ||
		    memcmp(payload + bytes + 1, FRAME_END, strlen(FRAME_END))) {
			snprintf(err, errlen, "%s: frame '%s': no end marker after %lu bytes",
				 channel, name, bytes);
			goto fail;
		}
		if (crc32(0L, (const Bytef *)payload, (uInt)bytes) != crc) {
			snprintf(err, errlen, "%s: frame '%s': CRC-32 mismatch (garbled transfer)",
				 channel, name);
			goto fail;
		}
		snprintf(path, sizeof(path), "%s/%s", outdir, name);
		if (write_file_atomic(path, payload, bytes)) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		frames++;
		p = payload + bytes;
	}
	free(buf);
	return frames;
fail:
	free(buf);
	return -1;
}
