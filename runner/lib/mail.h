/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reply on the list: the cover letter of a posted series read from a
 * mail file (an mbox from 'git format-patch --cover-letter' or 'b4 am',
 * a saved message), and a plain-text RFC 5322 reply to it written with
 * the cover's threading headers.
 */
#ifndef DMABENCH_MAIL_H
#define DMABENCH_MAIL_H

#include <stdio.h>
#include <time.h>

#include "options.h"

/* -F, --from: the reply's From (report, series). */
extern const struct cli_option mail_cli_options[];

/* The cover letter's headers as sent (unfolded) and its text. */
struct mail_cover {
	char *message_id, *subject, *from, *to, *cc, *references, *date;
	char *body;
};

/* The first message of PATH; 0, or -1 with the reason in ERR. */
int mail_cover_load(struct mail_cover *m, const char *path, char *err, size_t len);
void mail_cover_free(struct mail_cover *m);

/* A file sent with the reply: its name (the last part is kept) and bytes. */
struct mail_attachment {
	const char *name;
	const char *data;
	size_t len;
};

/*
 * The reply to M from FROM, dated NOW: headers, "X wrote:" and a short
 * quote of the cover letter, then BODY (plain text within 72 columns);
 * with NATT attachments, as a multipart/mixed message, BODY first.
 */
void mail_reply_write(FILE *f, const struct mail_cover *m, const char *from, time_t now,
		      const char *body, const struct mail_attachment *att, size_t natt);

/* FROM as a reply's From: an address with an @, one line; 0 or -1. */
int mail_address_ok(const char *from);

#endif
