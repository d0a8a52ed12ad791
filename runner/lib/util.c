// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0, r;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n < 2) {
			char *b = realloc(buf, cap *= 2);

			if (!b) {
				free(buf);
				buf = NULL;
			} else {
				buf = b;
			}
		}
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (!buf) {
		errno = errno ? errno : ENOMEM;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/*
 * Open @path for reading only if it is a regular file of at most @max
 * bytes: O_NONBLOCK so that a FIFO or a device is refused, not waited on.
 * On error -1, with the reason in @err.
 */
int open_regular(const char *path, size_t max, const char *what, char *err, size_t len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s: %s%s", path, S_ISDIR(st.st_mode) ?
			 "a directory, not a " : "not a regular file (a FIFO, socket or device?), not a ",
			 what);
	} else if ((unsigned long long)st.st_size > max) {
		snprintf(err, len, "%s: %lld bytes, more than the %zu this reads",
			 path, (long long)st.st_size, max);
	} else {
		/* reads may block again, as on any file */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		return fd;
	}
	close(fd);
	return -1;
}

char *read_regular_file(const char *path, size_t max, const char *what, size_t *n,
			char *err, size_t len)
{
	int fd = open_regular(path, max, what, err, len);
	size_t got = 0, cap = 65536;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		ssize_t r;

		if (cap - got < 2) {
			char *b = cap > max ? NULL : realloc(buf, cap * 2);

			if (!b) {
				snprintf(err, len, "%s: grew past %zu bytes while read", path, max);
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
			cap *= 2;
		}
		r = read(fd, buf + got, cap - got - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, len, "%s: %s", path, strerror(errno));
			free(buf);
			buf = NULL;
		} else if (r == 0) {
			break;
		} else {
			got += r;
		}
	}
	close(fd);
	if (!buf)
		return NULL;
	buf[got] = '\0';
	if (n)
		*n = got;
	return buf;
}

/*
 * /dev/stdout, /dev/null, /proc/self/fd/N: files the system owns. They are
 * written in place (never created, replaced or truncated): a temporary
 * file renamed over /dev/null would turn the device into a regular file.
 */
static int system_owned(const char *path)
{
	return !strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/self/fd/", 14);
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= w;
	}
	return 0;
}

static int write_in_place(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC), saved;

	if (fd < 0)
		return -1;
	if (write_all(fd, data, len)) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

/*
 * PATH.tmp.XXXXXX beside @path, for mkostemp. A name near NAME_MAX is cut
 * in the temporary name only, so that every name the system takes can be
 * written.
 */
static int temp_name(const char *path, char *tmp, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
	size_t base = strlen(path + dir), keep = NAME_MAX - strlen(".tmp.XXXXXX");

	if (base > keep)
		base = keep;
	if (dir > INT_MAX || base > INT_MAX ||
	    snprintf(tmp, size, "%.*s%.*s.tmp.XXXXXX", (int)dir, path, (int)base,
		     path + dir) >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	char tmp[4096];
	int fd, saved;

	if (system_owned(path))
		return write_in_place(path, data, len);

	/*
	 * A fresh name that nobody planted: mkostemp creates it with O_EXCL,
	 * so a link or file already standing there is never followed.
	 */
	if (temp_name(path, tmp, sizeof(tmp)))
		return -1;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fchmod(fd, 0644) || write_all(fd, data, len))
		goto fail;
	if (fsync(fd) && errno != EINVAL)
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path))
		goto fail_unlink;
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	errno = saved;
fail_unlink:
	saved = errno;
	unlink(tmp);
	errno = saved;
	return -1;
}

int check_writable(const char *path)
{
	char tmp[4096];
	int fd;

	if (system_owned(path))
		return access(path, W_OK);
	if (temp_name(path, tmp, sizeof(tmp)))
		return -1;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(tmp);
	return 0;
}

/* The folders this process claimed, each once: a claim is reentrant. */
static struct claimed_dir {
	dev_t dev;
	ino_t ino;
} claimed[16];
static size_t nclaimed;

static int claimed_already(const struct stat *st)
{
	for (size_t i = 0; i < nclaimed; i++)
		if (claimed[i].dev == st->st_dev && claimed[i].ino == st->st_ino)
			return 1;
	return 0;
}

int claim_output_dir(const char *dir)
{
	struct stat st;
	int fd;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		error_msg("%s: %s", dir, strerror(errno));
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		error_msg("%s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (claimed_already(&st)) {
		close(fd);
		return 0;
	}
	if (nclaimed == sizeof(claimed) / sizeof(claimed[0])) {
		error_msg("%s: more output folders than one run writes", dir);
		close(fd);
		return -1;
	}
	/*
	 * Held until exit (the descriptor stays open): a second run writing
	 * the same folder would leave it half one run's files, half the
	 * other's, each file whole but the set torn.
	 */
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno == EWOULDBLOCK)
			error_msg("%s: another dmabench run is writing into this folder: wait for it to end or choose another",
				  dir);
		else
			error_msg("%s: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	claimed[nclaimed++] = (struct claimed_dir){ st.st_dev, st.st_ino };
	return 0;
}

/*
 * At exit: standard output flushed and closed, or a message and exit 2.
 * A verdict written to a full disk or a closed pipe is lost, and CI must
 * not read the exit code of a run whose KTAP never arrived as a pass.
 */
static void close_stdout(void)
{
	int earlier = ferror(stdout);

	/* the cause of an earlier failed write is gone; the last one's is not */
	errno = 0;
	if (fflush(stdout) == 0 && earlier)
		errno = 0;
	if (fclose(stdout) == 0 && !earlier && !errno)
		return;
	error_msg("writing standard output failed%s%s: the output is incomplete",
		  errno ? ": " : "", errno ? strerror(errno) : "");
	_exit(2);
}

void check_stdout_at_exit(void)
{
	atexit(close_stdout);
}

/* C0 controls but newline and tab, and DEL: not printed as they are. */
static int control_char(char c)
{
	return ((unsigned char)c < ' ' && c != '\n' && c != '\t') || c == 0x7f;
}

int emit(const char *path, const char *text, size_t len)
{
	if (!path)
		return fwrite(text, 1, len, stdout) == len ? 0 : -1;
	if (write_file_atomic(path, text, len)) {
		error_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * @text with every control character but newline and tab shown as \xNN,
 * so that a string from a result or a guest cannot move the cursor,
 * retitle or clear a terminal, or overwrite a line with a carriage
 * return. NULL when out of memory.
 */
char *text_visible(const char *text, size_t len, size_t *outlen)
{
	size_t n = 0;
	char *out;

	for (size_t i = 0; i < len; i++)
		n += control_char(text[i]) ? 4 : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	n = 0;
	for (size_t i = 0; i < len; i++) {
		if (control_char(text[i]))
			n += sprintf(out + n, "\\x%02x", (unsigned char)text[i]);
		else
			out[n++] = text[i];
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

int emit_text(const char *path, const char *text, size_t len)
{
	size_t n;
	char *visible = text_visible(text, len, &n);
	int ret;

	if (!visible) {
		error_msg("out of memory");
		return -1;
	}
	ret = emit(path, visible, n);
	free(visible);
	return ret;
}

#define FOLD_INDENT 8

/*
 * Where to end the part of @line (@n bytes) that fits @width: at its last
 * space, unless the word after it would not fit a continuation line
 * either (then cut within it at @width).
 */
static size_t fold_point(const char *line, size_t n, size_t width, size_t lead)
{
	size_t at = width, word = width + 1;

	if (n <= width)
		return n;
	while (at > lead && line[at] != ' ')
		at--;
	while (word < n && line[word] != ' ')
		word++;
	if (at <= lead || word - at - 1 > width - FOLD_INDENT)
		return width;
	while (at > lead && line[at - 1] == ' ')
		at--;
	return at;
}

/* Copy @n bytes to @out at @at, or only count them when @out is NULL. */
static size_t put(char *out, size_t at, const char *src, size_t n)
{
	if (out) {
		if (src)
			memcpy(out + at, src, n);
		else
			memset(out + at, ' ', n);
	}
	return at + n;
}

/* One line (without its newline) folded into @out at @n; the new end. */
static size_t fold_line(char *out, size_t n, const char *text, size_t line,
			size_t width)
{
	size_t lead = 0;
	int cont = 0;

	while (lead < line && text[lead] == ' ')
		lead++;
	for (;;) {
		size_t room = cont ? width - FOLD_INDENT : width;
		size_t cut = fold_point(text, line, room, cont ? 0 : lead);

		if (cont)
			n = put(out, n, NULL, FOLD_INDENT);
		n = put(out, n, text, cut);
		while (cut < line && text[cut] == ' ')
			cut++;
		if (cut == line)
			return n;
		n = put(out, n, "\n", 1);
		text += cut;
		line -= cut;
		cont = 1;
	}
}

/* The folded text into @out (NULL: only its length). */
static size_t fold_text(char *out, const char *text, size_t len, size_t width)
{
	size_t n = 0;

	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t line = nl ? (size_t)(nl - text) : len;

		n = fold_line(out, n, text, line, width);
		if (nl) {
			n = put(out, n, "\n", 1);
			line++;
		}
		text += line;
		len -= line;
	}
	return n;
}

char *text_folded(const char *text, size_t len, size_t width, size_t *outlen)
{
	size_t n;
	char *out;

	if (width <= 2 * FOLD_INDENT)
		return NULL;
	n = fold_text(NULL, text, len, width);
	out = malloc(n + 1);
	if (!out)
		return NULL;
	fold_text(out, text, len, width);
	out[n] = '\0';
	*outlen = n;
	return out;
}

char *plain_text(const char *text, size_t len, size_t *outlen)
{
	size_t n;
	char *visible = text_visible(text, len, &n), *folded = NULL;

	if (visible)
		folded = text_folded(visible, n, TEXT_COLUMNS, outlen);
	free(visible);
	return folded;
}

int emit_plain_text(const char *path, const char *text, size_t len)
{
	size_t n;
	char *folded = plain_text(text, len, &n);
	int ret = -1;

	if (folded)
		ret = emit(path, folded, n);
	else
		error_msg("out of memory");
	free(folded);
	return ret;
}

const char *one_line(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	if (len < 8) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	for (; s && *s; s++) {
		int wide = *s == '\n' || *s == '\t' || control_char(*s);

		/* room for this character, and "..." and the NUL after it */
		if (n + (wide ? 4 : 1) + 4 > len) {
			memcpy(buf + n, "...", 4);
			return buf;
		}
		if (wide)
			n += sprintf(buf + n, "\\x%02x", (unsigned char)*s);
		else
			buf[n++] = *s;
	}
	buf[n] = '\0';
	return buf;
}

void error_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("dmabench: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* @s as one shell word: as it is when it needs no quoting, else in '...'. */
static void shell_word(FILE *f, const char *s)
{
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789-_./:=,+@%") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

void record_command(int argc, char **argv)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return;
	fputs("dmabench", f);
	for (int i = 1; i < argc; i++) {
		fputc(' ', f);
		shell_word(f, argv[i]);
	}
	fclose(f);
	setenv("DMABENCH_COMMAND", text, 1);
	free(text);
}
