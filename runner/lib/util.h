/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers every subcommand uses: files, messages. */
#ifndef DMABENCH_UTIL_H
#define DMABENCH_UTIL_H

#include <stddef.h>

#define DMABENCH_VERSION "0.1.0"

/* Read a whole file; NUL-terminated, length in *len. NULL and errno on error. */
char *read_file(const char *path, size_t *len);

/*
 * Open a regular file of at most @max bytes for reading (never a FIFO or a
 * device, never waiting); -1 and the reason in @err otherwise, naming the
 * file as what it should have been (@what: "config file").
 */
int open_regular(const char *path, size_t max, const char *what, char *err, size_t len);

/* The same, read whole and NUL-terminated; its length in *@n. */
char *read_regular_file(const char *path, size_t max, const char *what, size_t *n,
			char *err, size_t len);

/*
 * Write via a temporary file, fsync and rename: never a half file. Paths
 * under /dev/ and /proc/self/fd/ are written in place, never replaced.
 */
int write_file_atomic(const char *path, const void *data, size_t len);

/* Can write_file_atomic(@path) work? Tried before a long run, not after. */
int check_writable(const char *path);

/*
 * Make @dir (one level) if missing and hold it for this process until it
 * exits, so that two runs cannot write one folder's files together; 0 when
 * this process holds it already. -1, with a message, when another does.
 */
int claim_output_dir(const char *dir);

/* Write @text to @path atomically, or to stdout when @path is NULL. */
int emit(const char *path, const char *text, size_t len);

/* Make a failed write of standard output exit 2 with a message. */
void check_stdout_at_exit(void);

/* emit() plain text, control characters from outside shown as \xNN. */
int emit_text(const char *path, const char *text, size_t len);

/* @text with control characters but newline and tab as \xNN (malloc'd). */
char *text_visible(const char *text, size_t len, size_t *outlen);

/* Plain text for mail: lines of at most this many columns. */
#define TEXT_COLUMNS 72

/*
 * @text with every line longer than @width folded: at its last space
 * within @width, or cut there when a word is longer, the rest on lines
 * indented by 8 (malloc'd; NULL when out of memory).
 */
char *text_folded(const char *text, size_t len, size_t width, size_t *outlen);

/* TEXT made visible and folded at TEXT_COLUMNS (malloc'd), as emit_plain_text writes it. */
char *plain_text(const char *text, size_t len, size_t *outlen);
/* emit_text(), every line folded to TEXT_COLUMNS (compare, report, explain). */
int emit_plain_text(const char *path, const char *text, size_t len);

/*
 * @s as one line in @buf: newlines, tabs and control characters as \xNN,
 * cut with "..." to fit. For KTAP diagnostics and other line formats.
 */
const char *one_line(const char *s, char *buf, size_t len);

/*
 * This process's command line, as the shell would take it back, in
 * DMABENCH_COMMAND: the harness records it with every result it boots.
 */
void record_command(int argc, char **argv);

void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
