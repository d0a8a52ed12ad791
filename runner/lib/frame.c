// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
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
	unsigned long crc = crc32_z(0L, (const Bytef *)data, len);
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

/* One verified frame: its name and where its payload lies in the capture. */
struct frame {
	char *name;
	const char *payload;
	size_t bytes;
};

/* Text from the channel, fit to quote in a message: no control bytes. */
static void put_sane(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len && i < 64; i++)
		fputc(s[i] > ' ' && s[i] < 0x7f ? s[i] : '?', f);
	if (len > 64)
		fputs("...", f);
}

/*
 * Parse "name=N bytes=B crc32=C@@" in [@s, @e), the rest of a header line.
 * Every field comes from the guest, so each is checked in full: B in
 * decimal digits without overflow, C as the eight hex digits the sender
 * writes. Returns an error message to free, or NULL.
 */
static char *parse_header(const char *s, const char *e, struct frame *fr,
			  unsigned long *crc)
{
	const char *name, *sp, *digits;
	char *msg = NULL, *end;
	unsigned long long bytes;
	size_t len, nlen;
	FILE *m;

	m = open_memstream(&msg, &len);
	if (!m)
		return strdup("out of memory");
	if ((size_t)(e - s) < 5 || memcmp(s, "name=", 5)) {
		fputs("malformed header (transfer cut short?)", m);
		goto out;
	}
	name = s + 5;
	sp = memchr(name, ' ', e - name);
	if (!sp) {
		fputs("malformed header (transfer cut short?)", m);
		goto out;
	}
	nlen = sp - name;
	fr->name = strndup(name, nlen);
	if (!fr->name || strlen(fr->name) != nlen || !valid_name(fr->name)) {
		/* It becomes a file in OUTDIR: no '/', no "..", nothing odd. */
		free(fr->name);
		fr->name = NULL;
		fputs("bad name '", m);
		put_sane(m, name, nlen);
		fputs("': use 1 to 127 letters, digits, '.', '-', '_' (not . or ..)", m);
		goto out;
	}
	digits = sp + 1;
	if ((size_t)(e - digits) < 6 || memcmp(digits, "bytes=", 6)) {
		fputs("malformed header: no bytes=", m);
		goto out;
	}
	digits += 6;
	sp = memchr(digits, ' ', e - digits);
	if (!sp)
		sp = e;
	errno = 0;
	bytes = isdigit((unsigned char)*digits) ? strtoull(digits, &end, 10) : 0;
	if (!isdigit((unsigned char)*digits) || errno || end != sp || sp == e ||
	    bytes > SIZE_MAX) {
		fputs("malformed header: bytes=", m);
		put_sane(m, digits, sp - digits);
		fputs(" is not a length", m);
		goto out;
	}
	fr->bytes = bytes;
	s = end + 1;
	if (e - s != 6 + 8 + 2 || memcmp(s, "crc32=", 6) || memcmp(e - 2, "@@", 2)) {
		fputs("malformed header: no crc32=", m);
		goto out;
	}
	for (int i = 0; i < 8; i++)
		if (!isxdigit((unsigned char)s[6 + i])) {
			fputs("malformed header: crc32 is not 8 hex digits", m);
			goto out;
		}
	*crc = strtoul(s + 6, NULL, 16);
out:
	fclose(m);
	if (!*msg) {
		free(msg);
		return NULL;
	}
	return msg;
}

/*
 * The frame whose "BEGIN" marker is at @p (before @end) into @fr, its
 * header, length, end marker and CRC-32 checked: the byte after it, or
 * NULL with why in @err (@n: its number, for the message).
 */
static const char *verify_frame(const char *channel, const char *p, const char *end,
				struct frame *fr, size_t n, char *err, size_t errlen)
{
	const char *head = p + strlen(FRAME_BEGIN), *nl, *payload;
	size_t remaining, endlen = strlen(FRAME_END);
	unsigned long crc = 0;
	char *msg;

	nl = memchr(head, '\n', end - head);
	if (!nl) {
		snprintf(err, errlen, "%s: frame %zu: malformed header (transfer cut short?)",
			 channel, n);
		return NULL;
	}
	msg = parse_header(head, nl, fr, &crc);
	if (msg) {
		/* Named once the name is known to be sane. */
		snprintf(err, errlen, "%s: frame %zu%s%s%s: %s", channel, n,
			 fr->name ? " '" : "", fr->name ? fr->name : "",
			 fr->name ? "'" : "", msg);
		free(msg);
		return NULL;
	}
	payload = nl + 1;
	remaining = end - payload;
	/* Compare against what is left, never payload + bytes: it may wrap. */
	if (fr->bytes > remaining || remaining - fr->bytes < 1 + endlen) {
		snprintf(err, errlen, "%s: frame '%s' truncated: %zu of %zu bytes arrived",
			 channel, fr->name, fr->bytes > remaining ? remaining : fr->bytes, fr->bytes);
		return NULL;
	}
	if (payload[fr->bytes] != '\n' || memcmp(payload + fr->bytes + 1, FRAME_END, endlen)) {
		snprintf(err, errlen, "%s: frame '%s': no end marker after %zu bytes",
			 channel, fr->name, fr->bytes);
		return NULL;
	}
	if (crc32_z(0L, (const Bytef *)payload, fr->bytes) != crc) {
		snprintf(err, errlen, "%s: frame '%s': CRC-32 mismatch (garbled transfer)",
			 channel, fr->name);
		return NULL;
	}
	fr->payload = payload;
	return payload + fr->bytes + 1 + endlen;
}

/* The verified frames, each into OUTDIR/NAME; 0, or -1 with why in @err. */
static int write_frames(const char *channel, const char *outdir, const struct frame *frames,
			size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		char *path;

		if (asprintf(&path, "%s/%s", outdir, frames[i].name) < 0) {
			snprintf(err, errlen, "%s: out of memory", channel);
			return -1;
		}
		if (write_file_atomic(path, frames[i].payload, frames[i].bytes)) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}

int frame_unpack(const char *channel, const char *outdir, int salvage,
		 char *err, size_t errlen)
{
	size_t size, nframes = 0, cap = 0;
	char *buf = read_file(channel, &size);
	struct frame *frames = NULL;
	const char *p, *end;
	int ret = -1, damaged = 0;

	if (!buf) {
		snprintf(err, errlen, "%s: %s", channel, strerror(errno));
		return -1;
	}
	err[0] = '\0';
	end = buf + size;
	/* Verify every frame before writing any: a bad channel writes nothing. */
	p = memmem(buf, size, FRAME_BEGIN, strlen(FRAME_BEGIN));
	while (p) {
		if (nframes == cap) {
			struct frame *fr = realloc(frames, (cap ? 2 * cap : 16) * sizeof(*frames));

			if (!fr) {
				snprintf(err, errlen, "%s: out of memory", channel);
				goto out;
			}
			frames = fr;
			cap = cap ? 2 * cap : 16;
		}
		memset(&frames[nframes], 0, sizeof(*frames));
		nframes++;
		p = verify_frame(channel, p, end, &frames[nframes - 1], nframes, err, errlen);
		if (!p) {
			damaged = 1;
			break;
		}
		p = memmem(p, end - p, FRAME_BEGIN, strlen(FRAME_BEGIN));
	}
	/* a damaged frame is not whole; those before it are */
	if (damaged && !salvage)
		goto out;
	if (damaged)
		free(frames[--nframes].name);
	if (write_frames(channel, outdir, frames, nframes, err, errlen))
		goto out;
	ret = nframes > INT_MAX ? INT_MAX : (int)nframes;
out:
	for (size_t i = 0; i < nframes; i++)
		free(frames[i].name);
	free(frames);
	free(buf);
	return ret;
}
