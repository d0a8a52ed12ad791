// SPDX-License-Identifier: GPL-2.0
/*
 * The cover letter of a posted series, and a reply to it for the list.
 *
 * Only what a reply needs is read: the first message of the file (an mbox
 * holds the cover letter first), its threading and addressing headers,
 * unfolded, and its text for a short quote. Every header value comes from
 * outside and goes back into a header, so it is refused when it holds a
 * control character, and bounded in length.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mail.h"
#include "util.h"

#define MAIL_MAX_BYTES (64u << 20)	/* a long series' mbox fits */
#define HEADER_MAX 16384		/* one header's value, unfolded */
#define QUOTE_LINES 8			/* of the cover letter, in the reply */
#define HEADER_WIDTH 78			/* RFC 5322's recommended line */

const struct cli_option mail_cli_options[] = {
	CLI_OPT("from", 'F', "ADDRESS", "the reply's From (default: $EMAIL)"),
	CLI_END
};

static const char *const wanted[] = {
	"message-id", "subject", "from", "to", "cc", "references", "date",
};

static char **field_of(struct mail_cover *m, size_t i)
{
	char **fields[] = { &m->message_id, &m->subject, &m->from, &m->to, &m->cc,
			    &m->references, &m->date };

	return fields[i];
}

/* Drop the CR of every CRLF, in place: mail files come with either. */
static void crlf_to_lf(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++)
		if (!(r[0] == '\r' && r[1] == '\n'))
			*w++ = *r;
	*w = '\0';
}

/* A folded header's text, unfolded: each line break and the blanks after it become one space. */
static char *unfold(const char *start, const char *end)
{
	char *out = malloc(end - start + 1), *w = out;

	if (!out)
		return NULL;
	for (const char *p = start; p < end; p++) {
		if (*p == '\n') {
			while (p + 1 < end && (p[1] == ' ' || p[1] == '\t'))
				p++;
			*w++ = ' ';
		} else {
			*w++ = *p == '\t' ? ' ' : *p;
		}
	}
	while (w > out && w[-1] == ' ')
		w--;
	*w = '\0';
	return out;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Keep HEADER (START..END, name included) when it is one the reply needs. */
static int keep_header(struct mail_cover *m, const char *start, const char *end,
		       char *err, size_t len)
{
	const char *colon = memchr(start, ':', end - start);
	size_t name_len = colon ? (size_t)(colon - start) : 0;

	if (!colon || !name_len) {
		snprintf(err, len, "not a mail header: '%.40s'", start);
		return -1;
	}
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		char **field = field_of(m, i), *value, *joined;
		const char *v = colon + 1;

		if (strlen(wanted[i]) != name_len || strncasecmp(start, wanted[i], name_len))
			continue;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		value = unfold(v, end);
		if (!value)
			return -1;
		if (strlen(value) > HEADER_MAX || has_control(value)) {
			snprintf(err, len, "the %s: header is over %d bytes or holds a control character",
				 wanted[i], HEADER_MAX);
			free(value);
			return -1;
		}
		/* To and Cc may come more than once; the others count once */
		if (*field && (i == 3 || i == 4) && strlen(*field) + strlen(value) < HEADER_MAX &&
		    asprintf(&joined, "%s, %s", *field, value) > 0) {
			free(*field);
			*field = joined;
		}
		if (!*field)
			*field = value;
		else
			free(value);
		return 0;
	}
	return 0;
}

/* The headers from P up to the blank line; returns where the body starts. */
static const char *read_headers(struct mail_cover *m, const char *p, char *err, size_t len)
{
	const char *start = NULL;

	for (;;) {
		const char *eol = strchr(p, '\n');
		const char *next = eol ? eol + 1 : p + strlen(p);

		if (*p == ' ' || *p == '\t') {
			if (!start) {
				snprintf(err, len, "a folded line before any header");
				return NULL;
			}
		} else {
			if (start && keep_header(m, start, p - 1 > start ? p - 1 : p, err, len))
				return NULL;
			start = NULL;
			if (*p == '\n' || !*p)
				return *p ? p + 1 : p;
			start = p;
		}
		if (!eol) {
			if (keep_header(m, start, next, err, len))
				return NULL;
			return next;
		}
		p = next;
	}
}

/* The first message's text: up to an mbox separator (a "From " line after a blank one). */
static char *first_body(const char *p)
{
	const char *end = p;

	while (*end) {
		const char *eol = strchr(end, '\n');

		if (!eol) {
			end += strlen(end);
			break;
		}
		if (!strncmp(eol + 1, "From ", 5) && (eol == p || eol[-1] == '\n')) {
			end = eol + 1;
			break;
		}
		end = eol + 1;
	}
	return strndup(p, end - p);
}

int mail_cover_load(struct mail_cover *m, const char *path, char *err, size_t len)
{
	size_t n;
	char *text = read_regular_file(path, MAIL_MAX_BYTES, "mail", &n, err, len);
	const char *p, *body;

	memset(m, 0, sizeof(*m));
	if (!text)
		return -1;
	if (strlen(text) != n) {
		snprintf(err, len, "%s: a NUL byte: not a mail", path);
		free(text);
		return -1;
	}
	crlf_to_lf(text);
	p = text;
	if (!strncmp(p, "From ", 5))	/* the mbox's envelope line */
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p);
	body = read_headers(m, p, err, len);
	if (body && !(m->message_id && strchr(m->message_id, '@') && m->message_id[0] == '<')) {
		snprintf(err, len, "no Message-ID: <...@...> header: a reply could not be threaded");
		body = NULL;
	} else if (body && !m->subject) {
		snprintf(err, len, "no Subject: header");
		body = NULL;
	} else if (body && !m->from) {
		snprintf(err, len, "no From: header: nobody to reply to");
		body = NULL;
	}
	if (body)
		m->body = first_body(body);
	free(text);
	if (!body || !m->body) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, len, "%s: %s", path, body ? "out of memory" : why);
		mail_cover_free(m);
		return -1;
	}
	return 0;
}

void mail_cover_free(struct mail_cover *m)
{
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		free(*field_of(m, i));
	free(m->body);
	memset(m, 0, sizeof(*m));
}

int mail_address_ok(const char *from)
{
	return from && strchr(from, '@') && strlen(from) <= 256 && !has_control(from);
}

/*
 * The next address of a list ("A <a@x>, \"Doe, J\" <j@x>"), split at commas
 * outside quotes and angle brackets; NULL at the end.
 */
static const char *next_address(const char *p, char *buf, size_t len)
{
	int quoted = 0, angle = 0;
	size_t n = 0;

	while (*p == ' ' || *p == ',')
		p++;
	if (!*p)
		return NULL;
	for (; *p && (quoted || angle || *p != ','); p++) {
		if (*p == '"' && (n == 0 || buf[n - 1] != '\\'))
			quoted = !quoted;
		else if (!quoted && (*p == '<' || *p == '>'))
			angle = *p == '<';
		if (n + 1 < len)
			buf[n++] = *p;
	}
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return p;
}

/* ADDRESS's addr-spec, lower case, to tell two forms of one mailbox apart. */
static void addr_spec(const char *address, char *buf, size_t len)
{
	const char *lt = strrchr(address, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	const char *s = lt && gt ? lt + 1 : address;
	size_t n = lt && gt ? (size_t)(gt - s) : strlen(s);

	if (n >= len)
		n = len - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = tolower((unsigned char)s[i]);
	buf[n] = '\0';
}

/* Whether one of the lists A and B holds ADDRESS's mailbox. */
static int listed_address(const char *a, const char *b, const char *address)
{
	const char *lists[] = { a, b };
	char spec[512], other[512], buf[1024];

	addr_spec(address, spec, sizeof(spec));
	for (size_t i = 0; i < 2; i++)
		for (const char *p = lists[i]; p && (p = next_address(p, buf, sizeof(buf))); ) {
			addr_spec(buf, other, sizeof(other));
			if (!strcmp(spec, other))
				return 1;
		}
	return 0;
}

/* NAME: the addresses of LISTS, each once and none of SKIP's (a list), one per line when long. */
static void address_header(FILE *f, const char *name, const char *const *lists,
			   size_t nlists, const char *skip)
{
	char *seen = NULL, a[1024];
	size_t size = 0;
	FILE *out = open_memstream(&seen, &size);

	for (size_t i = 0; out && i < nlists; i++) {
		for (const char *p = lists[i]; p && (p = next_address(p, a, sizeof(a))); ) {
			fflush(out);
			if (listed_address(seen, skip, a))
				continue;
			fprintf(out, "%s%s", size ? ", " : "", a);
		}
	}
	if (!out)
		return;
	fclose(out);
	if (size && strlen(name) + 2 + size <= HEADER_WIDTH) {
		fprintf(f, "%s: %s\n", name, seen);
	} else if (size) {
		fprintf(f, "%s:", name);
		for (const char *p = seen, *q; (q = next_address(p, a, sizeof(a))); p = q)
			fprintf(f, "%s %s", p == seen ? "" : ",\n", a);
		fprintf(f, "\n");
	}
	free(seen);
}

/* NAME: VALUE folded at its blanks so no line passes HEADER_WIDTH where a blank allows. */
static void folded_header(FILE *f, const char *name, const char *value)
{
	size_t col = strlen(name) + 1;

	fprintf(f, "%s:", name);
	while (*value) {
		size_t word = strcspn(value, " ");

		if (col + 1 + word > HEADER_WIDTH && col > strlen(name) + 1) {
			fprintf(f, "\n");
			col = 0;
		}
		fprintf(f, " %.*s", (int)word, value);
		col += 1 + word;
		value += word;
		value += strspn(value, " ");
	}
	fprintf(f, "\n");
}

/* TEXT (one paragraph, no control characters) broken at blanks within TEXT_COLUMNS. */
static void wrapped(FILE *f, const char *text)
{
	size_t col = 0;

	while (*text) {
		size_t word = strcspn(text, " ");

		if (col && col + 1 + word > TEXT_COLUMNS) {
			fputc('\n', f);
			col = 0;
		}
		fprintf(f, "%s%.*s", col ? " " : "", (int)word, text);
		col += (col ? 1 : 0) + word;
		text += word;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

/* The cover letter's first lines, quoted; its shortlog and diffstat are left out. */
static void quote_cover(FILE *f, const char *body)
{
	int lines = 0, blanks = 0;

	while (*body == '\n')
		body++;
	for (const char *p = body; *p; ) {
		size_t n = strcspn(p, "\n");

		if (!strncmp(p, "-- ", 3) || !strncmp(p, "---", 3) || memmem(p, n, " | ", 3) ||
		    (n && p[n - 1] == ':' && memchr(p, '(', n))) /* "Name (3):" */
			break;
		if (lines == QUOTE_LINES) {
			fprintf(f, "> [...]\n");
			break;
		}
		if (!n) {	/* a blank line is quoted only when text follows */
			blanks++;
		} else {
			for (; blanks; blanks--)
				fprintf(f, ">\n");
			fprintf(f, "> ");
			for (size_t i = 0; i < n; i++)
				fputc((unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i], f);
			fputc('\n', f);
		}
		lines++;
		p += n + (p[n] == '\n');
	}
}

/* From, To, Cc, Subject, Date, Message-ID and the cover's thread. */
static void reply_headers(FILE *f, const struct mail_cover *m, const char *from, time_t now,
			  uLong crc)
{
	const char *recipients[] = { m->to, m->cc }, *to[] = { m->from };
	const char *domain = strrchr(from, '@') + 1, *subject = m->subject;
	char date[64], stamp[32], *skip = NULL, *re = NULL, *refs = NULL;
	size_t domain_len = strcspn(domain, "> ");
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	fprintf(f, "From: %s\n", from);
	address_header(f, "To", to, 1, NULL);
	if (asprintf(&skip, "%s, %s", from, m->from) > 0)
		address_header(f, "Cc", recipients, 2, skip);
	free(skip);
	if (!strncasecmp(subject, "Re:", 3))
		subject += 3 + strspn(subject + 3, " ");
	if (asprintf(&re, "Re: %s", subject) > 0)
		folded_header(f, "Subject", re);
	free(re);
	fprintf(f, "Date: %s\n", date);
	fprintf(f, "Message-ID: <dmabench.%s.%08lx@%.*s>\n", stamp, crc, (int)domain_len,
		domain);
	fprintf(f, "In-Reply-To: %s\n", m->message_id);
	if (asprintf(&refs, "%s%s%s", m->references ? m->references : "",
		     m->references ? " " : "", m->message_id) > 0)
		folded_header(f, "References", refs);
	free(refs);
	fprintf(f, "MIME-Version: 1.0\n");
}

/* "X wrote:", the quote, the report and the signature. */
static void reply_text(FILE *f, const struct mail_cover *m, const char *body)
{
	char *intro = NULL;

	if (asprintf(&intro, "On %s, %s wrote:", m->date ? m->date : "the cover letter's day",
		     m->from) > 0)
		wrapped(f, intro);
	free(intro);
	quote_cover(f, m->body);
	fprintf(f, "\n%s\n-- \ndmabench %s\n", body, DMABENCH_VERSION);
}

/* The MIME type an attachment's name says; plots are PNG, SVG or text. */
static const char *content_type(const char *name)
{
	static const char *const types[][2] = {
		{ ".png", "image/png" }, { ".svg", "image/svg+xml" },
		{ ".txt", "text/plain; charset=UTF-8" }, { ".csv", "text/csv; charset=UTF-8" },
		{ ".json", "application/json" },
	};
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t k = strlen(types[i][0]);

		if (n > k && !strcasecmp(name + n - k, types[i][0]))
			return types[i][1];
	}
	return "application/octet-stream";
}

/* One attachment: its name kept to safe characters, its bytes in base64. */
static void attachment(FILE *f, const char *boundary, const struct mail_attachment *a)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *d = (const unsigned char *)a->data;
	const char *base = strrchr(a->name, '/') ? strrchr(a->name, '/') + 1 : a->name;

	fprintf(f, "\n--%s\nContent-Type: %s\nContent-Disposition: attachment; filename=\"",
		boundary, content_type(base));
	for (const char *p = base; *p && p - base < 64; p++)
		fputc(isalnum((unsigned char)*p) || strchr("._-+", *p) ? *p : '_', f);
	fprintf(f, "\"\nContent-Transfer-Encoding: base64\n\n");
	for (size_t i = 0; i < a->len; i += 3) {
		unsigned v = d[i] << 16 | (i + 1 < a->len ? d[i + 1] << 8 : 0) |
			     (i + 2 < a->len ? d[i + 2] : 0);

		fputc(b64[v >> 18 & 63], f);
		fputc(b64[v >> 12 & 63], f);
		fputc(i + 1 < a->len ? b64[v >> 6 & 63] : '=', f);
		fputc(i + 2 < a->len ? b64[v & 63] : '=', f);
		if ((i / 3 + 1) % 19 == 0 || i + 3 >= a->len)	/* 76 columns */
			fputc('\n', f);
	}
}

void mail_reply_write(FILE *f, const struct mail_cover *m, const char *from, time_t now,
		      const char *body, const struct mail_attachment *att, size_t natt)
{
	uLong crc = crc32(0, (const unsigned char *)body, strlen(body));
	char boundary[64];

	reply_headers(f, m, from, now, crc);
	if (!natt) {
		fprintf(f, "Content-Type: text/plain; charset=UTF-8\n"
			"Content-Transfer-Encoding: 8bit\n\n");
		reply_text(f, m, body);
		return;
	}
	/* '=' and '_' never meet in base64, and the text has no "--=_" line */
	do
		snprintf(boundary, sizeof(boundary), "=_dmabench_%08lx", crc++);
	while (strstr(body, boundary));
	fprintf(f, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n"
		"This is a multi-part message in MIME format.\n\n--%s\n"
		"Content-Type: text/plain; charset=UTF-8\n"
		"Content-Transfer-Encoding: 8bit\n\n", boundary, boundary);
	reply_text(f, m, body);
	for (size_t i = 0; i < natt; i++)
		attachment(f, boundary, &att[i]);
	fprintf(f, "\n--%s--\n", boundary);
}
