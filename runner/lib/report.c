// SPDX-License-Identifier: GPL-2.0
/*
 * The report: the plain-text body of a reply on the list, at most 72
 * columns: one line of conclusion per mode, the comparison table, and
 * where the numbers come from; or all of it as a reply to a cover letter.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "comparison.h"
#include "names.h"
#include "explain.h"
#include "mail.h"
#include "report.h"
#include "stats.h"
#include "results.h"
#include "util.h"

#define WIDTH 72
/*
 * Under one instruction per op, an explain figure moves with where timer
 * interrupts and the other vCPU's work fall in the windows (0.1..0.6 seen
 * on unchanged code); a change of code moves a function by whole
 * instructions.
 */
#define EXPLAIN_FLOOR 1.0
#define INDENT 11


/* The series' commits, one line each, cut at the width. */
static int commits(FILE *f, const char *path)
{
	size_t len;
	char err[PATH_MAX + 128];
	char *text = read_regular_file(path, 1 << 20, "commit list", &len, err, sizeof(err));
	char *line, *save = NULL;

	if (!text) {
		error_msg("%s", err);
		return -1;
	}
	fprintf(f, "series:\n");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(f, "  %.*s\n", WIDTH - 2, line);
	free(text);
	return 0;
}

/*
 * The per-commit table 'dmabench series --each' wrote (series.c computes
 * it from the same comparisons), as it is: which commit moved which row.
 */
static int each_table(FILE *f, const char *path)
{
	size_t len;
	char err[PATH_MAX + 128];
	char *text = read_regular_file(path, 1 << 20, "per-commit table", &len, err, sizeof(err));

	if (!text) {
		error_msg("%s", err);
		return -1;
	}
	fprintf(f, "\n");
	fwrite(text, 1, len, f);
	free(text);
	return 0;
}

/* "label:    text" wrapped at WIDTH with continuation lines indented. */
static void field(FILE *f, const char *label, const char *text)
{
	int col = fprintf(f, "%-*s", INDENT, label);
	const char *p = text;

	while (*p) {
		const char *sp = strchr(p, ' ');
		int wlen = sp ? (int)(sp - p) : (int)strlen(p);

		if (col > INDENT && col + 1 + wlen > WIDTH) {
			fprintf(f, "\n%*s", INDENT, "");
			col = INDENT;
		} else if (col > INDENT) {
			fputc(' ', f);
			col++;
		}
		/* A word longer than a line is cut rather than overflowing. */
		if (wlen > WIDTH - INDENT)
			wlen = WIDTH - INDENT;
		col += fprintf(f, "%.*s", wlen, p);
		p += sp ? (size_t)(sp - p) + 1 : strlen(p);
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static void modes_of(json_t *set, int several, char *buf, size_t len)
{
	size_t i;
	json_t *doc;
	char label[48];

	buf[0] = '\0';
	json_array_foreach(set, i, doc) {
		if (buf[0])
			strncat(buf, " ", len - strlen(buf) - 1);
		if (several) {
			result_mode_label(doc, several, label, sizeof(label));
			strncat(buf, label, len - strlen(buf) - 1);
		} else {
			strncat(buf, json_str(json_object_get(doc, "mode"), "detected"),
				len - strlen(buf) - 1);
		}
	}
}

/* Mitigations other than "Not affected", as "name: text; ...". */
static void mitigations(json_t *sys, char *buf, size_t len)
{
	const char *k;
	json_t *v;

	buf[0] = '\0';
	json_object_foreach(json_object_get(sys, "mitigations"), k, v) {
		const char *t = json_string_value(v);

		if (!t || !strcmp(t, "Not affected"))
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s: %s",
			 buf[0] ? "; " : "", k, t);
	}
	if (!buf[0])
		snprintf(buf, len, "none needed (all \"Not affected\")");
}

/* Where the kernel came from: a Debian package, a commit, an image. */
static void kernel_source(FILE *f, json_t *src)
{
	const char *provider = json_str(src, "provider");
	char buf[1024];

	if (!strcmp(provider, "git"))
		snprintf(buf, sizeof(buf), "%s (commit %.12s): %s", json_str(src, "describe"),
			 json_str(src, "commit"), json_str(src, "subject"));
	else if (!strcmp(provider, "debian"))
		snprintf(buf, sizeof(buf), "Debian %s%s%s", json_str(src, "package"),
			 json_object_get(src, "version") ? " " : "",
			 json_object_get(src, "version") ? json_str(src, "version") : "");
	else if (!strcmp(provider, "prebuilt"))
		snprintf(buf, sizeof(buf), "prebuilt %s (build tree %s)",
			 json_str(src, "image"), json_str(src, "kdir"));
	else
		return;
	field(f, "  source:", buf);
	if (!strcmp(provider, "git")) {
		json_t *cfg = json_object_get(src, "config");

		snprintf(buf, sizeof(buf), "%s (.config hash %s; fragments in "
			 "dmabench's harness/kconfig/)", json_str(cfg, "from"),
			 json_str(cfg, "hash"));
		field(f, "  kconfig:", buf);
	} else if (!strcmp(provider, "debian")) {
		field(f, "  kconfig:", "Debian's, as packaged (/boot/config-RELEASE)");
	}
}

/*
 * The dmabench that booted the guests (results since 2026-12-07): its
 * commit, and the command that reproduces the measurement.
 */
static void dmabench_lines(FILE *f, json_t *machine)
{
	json_t *d = json_object_get(machine, "dmabench");
	char buf[128];

	if (!d)
		return;
	snprintf(buf, sizeof(buf), "dmabench, commit %.64s", json_str(d, "commit"));
	field(f, "  version:", buf);
	if (json_is_string(json_object_get(d, "command")))
		field(f, "  run:", json_str(d, "command"));
}

/* Vendor, family, model: they decide which code paths run. */
static void cpu_line(FILE *f, json_t *cpu)
{
	char buf[256];

	if (!json_object_get(cpu, "vendor")) {
		if (!json_object_get(cpu, "implementer"))
			return;
		snprintf(buf, sizeof(buf), "implementer %s, part %s, variant %s, revision %s",
			 json_str(cpu, "implementer"), json_str(cpu, "part"),
			 json_str(cpu, "variant"), json_str(cpu, "revision"));
		field(f, "  cpu:", buf);
		return;
	}
	snprintf(buf, sizeof(buf), "%s, family %lld, model %lld, stepping %lld",
		 json_str(cpu, "vendor"),
		 (long long)json_integer_value(json_object_get(cpu, "family")),
		 (long long)json_integer_value(json_object_get(cpu, "model")),
		 (long long)json_integer_value(json_object_get(cpu, "stepping")));
	field(f, "  cpu:", buf);
}

/* The emulator and the machine it was asked for. */
static void machine_line(FILE *f, json_t *m)
{
	char *buf;

	if (!json_object_get(m, "qemu_version"))
		return;
	if (asprintf(&buf, "%s; -machine %s -cpu %s -m %s -smp %lld",
		     json_str(m, "qemu_version"), json_str(m, "machine"), json_str(m, "cpu"),
		     json_str(m, "memory"),
		     (long long)json_integer_value(json_object_get(m, "vcpus"))) < 0)
		return;
	field(f, "  qemu:", buf);
	free(buf);
}

/* @s with every whole-word @word replaced by MODE; caller frees. */
static char *mode_template(const char *s, const char *word)
{
	size_t n = strlen(word), size = 0;
	char *out = NULL;
	FILE *f = open_memstream(&out, &size);

	if (!f)
		return NULL;
	for (const char *p = s; *p; ) {
		int start = p == s || !isalnum((unsigned char)p[-1]);
		int match = n && start && !strncmp(p, word, n);

		/* the mode as a word or a result's name, not a config's ("direct.ini") */
		if (match && (!p[n] || p[n] == ' ' || !strncmp(p + n, ".json", 5))) {
			fputs("MODE", f);
			p += n;
		} else {
			fputc(*p++, f);
		}
	}
	fclose(f);
	return out;
}

/*
 * The runner's command line: once, with MODE for the mode, when every
 * mode ran the same command; else once per mode.
 */
static void commands(FILE *f, json_t *set)
{
	char *first = NULL, label[32];
	int same = 1;
	size_t i;
	json_t *d;

	json_array_foreach(set, i, d) {
		char *t = mode_template(json_str(d, "command_line"),
					json_str(json_object_get(d, "mode"), "detected"));

		if (!t)
			return;
		if (!first)
			first = t;
		else {
			same &= !strcmp(first, t);
			free(t);
		}
	}
	if (same && first) {
		field(f, "  guest:", first);
	} else {
		json_array_foreach(set, i, d) {
			snprintf(label, sizeof(label), "  cmd %.4s:",
				 json_str(json_object_get(d, "mode"), "detected"));
			field(f, label, json_str(d, "command_line"));
		}
	}
	free(first);
}

/*
 * A line of @text under the label "  MODE:", or for a longer name
 * ("virtio-strict", beside other IOMMUs) the label on a line of its own.
 */
static void mode_field(FILE *f, const char *mode, const char *text)
{
	char label[64];

	snprintf(label, sizeof(label), "  %.40s:", mode);
	if (strlen(label) < INDENT) {
		field(f, label, text);
	} else {
		fprintf(f, "%s\n", label);
		field(f, "", text);
	}
}

/* Modes this side's guest kernel refused on its machine, and why. */
static void unavailable_lines(FILE *f, const char *path)
{
	json_t *modes = result_unavailable_modes(path), *why;
	const char *mode;

	json_object_foreach(modes, mode, why)
		mode_field(f, mode_column(mode), json_string_value(why));
	json_decref(modes);
}

/*
 * The compiler in /proc/version: "Linux version R (BUILDER) (COMPILER) #1 ...",
 * the second parenthesised group, nested parentheses kept. 0 when absent.
 */
static int compiler_of(const char *proc_version, char *buf, size_t len)
{
	const char *p = strchr(proc_version, '(');
	int depth = 0, group = 0;
	size_t n = 0;

	for (; p && *p; p++) {
		if (*p == '(' && depth++ == 0 && ++group == 2)
			continue;
		if (*p == ')' && --depth == 0 && group == 2)
			break;
		if (group == 2 && depth > 0 && n + 1 < len)
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return group == 2 && p && *p == ')' && n > 0;
}

static void side_setup(FILE *f, const char *label, json_t *set, int several)
{
	json_t *doc = json_array_get(set, 0), *sys = json_object_get(doc, "system");
	char buf[2048];

	snprintf(buf, sizeof(buf), "%s %s", json_str(sys, "kernel_release"),
		 json_str(sys, "kernel_version"));
	field(f, label, buf);
	kernel_source(f, json_object_get(doc, "kernel_source"));
	snprintf(buf, sizeof(buf), "%s, %lld CPUs, %s", json_str(sys, "cpu_model"),
		 (long long)json_integer_value(json_object_get(sys, "online_cpus")),
		 comparison_accel_label(set));
	field(f, "  cpus:", buf);
	if (compiler_of(json_str(sys, "proc_version"), buf, sizeof(buf)))
		field(f, "  cc:", buf);
	cpu_line(f, json_object_get(sys, "cpu"));
	machine_line(f, json_object_get(doc, "machine"));
	dmabench_lines(f, json_object_get(doc, "machine"));
	modes_of(set, several, buf, sizeof(buf));
	field(f, "  modes:", buf);
	commands(f, set);
	{
		size_t i;
		json_t *d;

		json_array_foreach(set, i, d) {
			json_t *m = json_object_get(d, "machine");
			const char *iommu = json_str(m, "iommu"), *machine = json_str(m, "machine");
			const char *cmdline = json_str(json_object_get(d, "system"), "kernel_cmdline");
			char mode[48], *line;
			int rc;

			result_mode_label(d, several, mode, sizeof(mode));
			/* arm64's SMMUv3 is a machine option, x86's IOMMUs devices */
			if (!strcmp(iommu, "?"))
				rc = asprintf(&line, "%s", cmdline);
			else if (strstr(machine, "iommu="))
				rc = asprintf(&line, "%s (QEMU -machine %s)", cmdline, machine);
			else
				rc = asprintf(&line, "%s (QEMU -device %s)", cmdline, iommu);
			if (rc < 0)
				continue;
			mode_field(f, mode, line);
			free(line);
		}
	}
	mitigations(sys, buf, sizeof(buf));
	field(f, "  mitig.:", buf);
}

static const struct row *find_row(const struct comparison *c, const char *mode,
				  int group, const char *api, const char *op)
{
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		if (r->group == group && !strcmp(r->mode, mode) && !strcmp(r->op, op) &&
		    !strcmp(json_string_value(json_object_get(r->cell, "api")), api))
			return r;
	}
	return NULL;
}

/*
 * One line per mode (and IOMMU, when the sets hold several), for the first
 * cell shape that mode has.
 */
static void conclusions(FILE *f, const struct comparison *c)
{
	static const char *const modes[] = { "direct", "passthrough", "strict",
					     "lazy", "swiotlb" };
	for (size_t k = 0; k < sizeof(modes) / sizeof(modes[0]) * IOMMU_ORDER_COUNT; k++) {
		const char *mode = modes[k / IOMMU_ORDER_COUNT];
		const char *iommu = iommu_order[k % IOMMU_ORDER_COUNT];
		const struct row *pm = NULL, *first = NULL;
		double gm, gu;
		char line[256], label[48];
		int n = 0, sig = 0, g = -1;

		for (size_t i = 0; i < c->nrows; i++) {
			if (strcmp(c->rows[i].mode, mode) || !same_iommu(c->rows[i].iommu, iommu))
				continue;
			if (!first)
				first = &c->rows[i];
			if (g < 0)
				g = c->rows[i].group;
			/* the empty loop is the yardstick, not an API row */
			if (!strcmp(json_str(c->rows[i].cell, "api"), "null"))
				continue;
			n++;
			sig += c->rows[i].significant;
		}
		if (g < 0)
			continue;
		pm = find_row(c, mode, g, "page", "map");
		comparison_row_mode(first, label, sizeof(label));
		n = snprintf(line, sizeof(line), "%s: %d/%d rows changed", label, sig, n);
		/* the table's own figures, with their unit */
		if (pm && !isnan(pm->change))
			n += snprintf(line + n, sizeof(line) - n, "; page map %+.1f%%%s (%s -> %s %s)",
				      pm->change, pm->significant ? "*" : "", pm->before,
				      pm->after, c->icount ? "insn" : "cycles");
		/* the path's cost: medians, also where rows are amortized */
		gm = comparison_page_phys_gap(c, mode, g, "map", 1);
		gu = comparison_page_phys_gap(c, mode, g, "unmap", 1);
		if (!isnan(gm) && !isnan(gu))
			snprintf(line + n, sizeof(line) - n, "; page-phys %+.1f/%+.1f %s",
				 gm, gu, c->icount ? "insn" : "cycles");
		/* folded to the report's width where it is written */
		fprintf(f, "  %s\n", line);
	}
}

/* The cell the cross-check stood beside: its job, api single. */
static json_t *beside_cell(json_t *doc, json_t *mb)
{
	size_t i;
	json_t *cell;

	json_array_foreach(json_object_get(doc, "cells"), i, cell)
		if (!strcmp(json_str(cell, "api"), "single") &&
		    !strcmp(json_str(cell, "job"), json_str(mb, "beside_job")))
			return cell;
	return NULL;
}

/* One side's dma_map_benchmark figures beside its single cell, per mode. */
static void cross_check_side(FILE *f, const char *side, json_t *set)
{
	size_t i;
	json_t *doc;

	json_array_foreach(set, i, doc) {
		json_t *mb = json_object_get(doc, "map_benchmark"), *cell;
		const char *status = json_str(mb, "status");
		int icount = !strcmp(json_str(json_object_get(doc, "system"), "accel"),
				     "tcg-icount");
		char head[32];

		if (!mb)
			continue;
		snprintf(head, sizeof(head), "  %-6.6s %-7.7s", side,
			 json_str(json_object_get(doc, "mode"), "detected"));
		if (strcmp(status, "ok")) {
			fprintf(f, "%s dma_map_benchmark %s:\n", head, status);
			field(f, "", json_str(mb, strcmp(status, "error") ? "reason" : "error"));
			continue;
		}
		fprintf(f, "%s dma_map_benchmark map %lld ns, unmap %lld ns\n", head,
			(long long)json_integer_value(json_object_get(mb, "map_ns")),
			(long long)json_integer_value(json_object_get(mb, "unmap_ns")));
		cell = beside_cell(doc, mb);
		if (!cell)
			continue;
		fprintf(f, "%*s dmabench single   map %.1f, unmap %.1f %s\n",
			(int)strlen(head), "",
			json_number_value(json_object_get(cell, icount ?
				"map_instructions_per_op_net" : "map_cycles_per_op_net")),
			json_number_value(json_object_get(cell, icount ?
				"unmap_instructions_per_op_net" : "unmap_cycles_per_op_net")),
			icount ? "instructions" : "cycles");
	}
}

/*
 * The kernel's dma_map_benchmark beside dmabench's single cell, where a
 * result carries the cross-check (docs/results.md, "map_benchmark").
 */
static void cross_check(FILE *f, const struct comparison *c)
{
	size_t i;
	json_t *doc;
	int any = 0;

	json_array_foreach(c->before, i, doc)
		any |= !!json_object_get(doc, "map_benchmark");
	json_array_foreach(c->after, i, doc)
		any |= !!json_object_get(doc, "map_benchmark");
	if (!any)
		return;
	fprintf(f, "\n");
	field(f, "cross-check:", "the kernel's dma_map_benchmark on the same device, "
	      "after dmabench (dma_map_single of one page, one thread): mean ns per "
	      "call in 100 ns steps, each call rounded down, its own ktime_get() and "
	      "call overhead included; beside dmabench's single cell: median net "
	      "instructions (cycles without icount) per op");
	cross_check_side(f, "before", c->before);
	cross_check_side(f, "after", c->after);
}

/*
 * Where the instructions went, for rows whose cells both carry explain
 * figures (measured with --explain): the row, then its top functions.
 */
static void explain_section(FILE *f, const struct comparison *c)
{
	char err[256];
	int header = 0;

	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];
		json_t *bex = r->bcell ? json_object_get(r->bcell, "explain") : NULL;
		json_t *aex = r->acell ? json_object_get(r->acell, "explain") : NULL;
		FILE *tmp;
		char *lines = NULL;
		size_t len = 0, n;

		/* only rows whose timed figure moved: the rest is noise here */
		if (!r->significant || !bex || !aex || !explain_valid(bex, err, sizeof(err)) ||
		    !explain_valid(aex, err, sizeof(err)))
			continue;
		tmp = open_memstream(&lines, &len);
		if (!tmp)
			return;
		n = explain_row_changes(bex, aex, r->op, 3, EXPLAIN_FLOOR, "    ", tmp);
		fclose(tmp);
		if (n) {
			char mode[48];

			if (!header) {
				fprintf(f, "\n");
				field(f, "explain:", "per row that changed, the functions whose "
				      "own instructions per op changed most, by one or more "
				      "(explain pass: raw, the loop's own included; smaller "
				      "moves, from timer interrupts and the other vCPU, "
				      "summed; dmabench explain lists them all)");
				header = 1;
			}
			snprintf(mode, sizeof(mode), "%s%s%s", r->iommu ? r->iommu : "",
				 r->iommu ? "-" : "", mode_column(r->mode));
			fprintf(f, "  %-7s %-9s %-5s [%s]\n%s", mode, json_str(r->cell, "api"),
				r->op, json_str(r->cell, "job"), lines);
		}
		free(lines);
	}
}

/* A field of a side's setup as printed: its first line and its continuations. */
struct setup_block {
	const char *text;
	size_t len;
	int shared;
};

#define MAX_BLOCKS 64

/* TEXT's fields: each starts on a line that is not a continuation (INDENT blanks). */
static size_t setup_blocks(const char *text, struct setup_block *b, size_t max)
{
	size_t n = 0;

	for (const char *p = text; *p && n < max; ) {
		const char *end = p;

		do {
			const char *nl = strchr(end, '\n');

			end = nl ? nl + 1 : end + strlen(end);
		} while (*end && strspn(end, " ") >= INDENT);
		b[n++] = (struct setup_block){ .text = p, .len = end - p };
		p = end;
	}
	return n;
}

static char *side_text(const char *label, json_t *set, int several, const char *path)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	side_setup(f, label, set, several);
	unavailable_lines(f, path);
	fclose(f);
	return text;
}

/*
 * Where the figures come from, each side's own fields under its name and
 * what the two share (the same CPU, QEMU, command, ...) once, after them.
 */
static void setup_sections(FILE *f, const struct comparison *c, const char *before,
			   const char *after)
{
	char *text[2] = { side_text("before:", c->before, c->several_iommus, before),
			  side_text("after:", c->after, c->several_iommus, after) };
	struct setup_block b[2][MAX_BLOCKS];
	size_t n[2] = { 0, 0 }, shared = 0;

	for (int s = 0; s < 2; s++)
		n[s] = text[s] ? setup_blocks(text[s], b[s], MAX_BLOCKS) : 0;
	/* block 0 is the side's name and kernel: never shared */
	for (size_t i = 1; i < n[0]; i++)
		for (size_t j = 1; j < n[1] && !b[0][i].shared; j++)
			if (!b[1][j].shared && b[0][i].len == b[1][j].len &&
			    !memcmp(b[0][i].text, b[1][j].text, b[0][i].len))
				b[0][i].shared = b[1][j].shared = 1, shared++;
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < n[s]; i++)
			if (!b[s][i].shared)
				fwrite(b[s][i].text, 1, b[s][i].len, f);
	if (shared)
		fprintf(f, "both sides:\n");
	for (size_t i = 1; i < n[0]; i++)
		if (b[0][i].shared)
			fwrite(b[0][i].text, 1, b[0][i].len, f);
	free(text[0]);
	free(text[1]);
}

/*
 * What the verdict does not say, where it applies: under icount the
 * figures are instructions, not time; on an AMD guest, 7.x's dma-direct
 * map asks the confidential-computing code an Intel guest does not.
 */
static void report_cautions(FILE *f, const struct comparison *c)
{
	json_t *doc = json_array_get(c->after, 0);
	const char *vendor = json_str(json_object_get(json_object_get(doc, "system"), "cpu"),
				      "vendor");
	int direct = 0;

	for (size_t i = 0; i < c->nrows && !direct; i++)
		direct = !strcmp(c->rows[i].mode, "direct");
	if (c->icount)
		field(f, "caution:", "tcg-icount counts guest instructions, exactly; "
		      "they are not time. What hardware pays beyond them is not "
		      "in these figures: an IOMMU's invalidation waits (QEMU's "
		      "complete at once), cache and TLB misses, serialising "
		      "instructions. A strict-mode change of a few instructions "
		      "can cost far more on a real IOMMU.");
	if (direct && !strcmp(vendor, "AuthenticAMD"))
		field(f, "", "The guest CPU is AuthenticAMD (QEMU's -cpu max): "
		      "7.x's dma-direct map then asks the AMD confidential-"
		      "computing code, which an Intel guest skips; direct "
		      "figures depend on the vendor (guest_cpu in the config).");
}

/*
 * The report: the verdict first (one line per mode, and a caution where
 * the figures need one), the table and what explains it, then where the
 * figures come from.
 */
static int report_text(const struct comparison *c, const char *before, const char *after,
		       const char *commit_list, const char *each, char **text, size_t *size)
{
	json_t *doc = json_array_get(c->after, 0);
	FILE *f = open_memstream(text, size);

	if (!f) {
		error_msg("out of memory");
		return 2;
	}
	fprintf(f, "dmabench %s: DMA map/unmap cost, before vs after\n\n", DMABENCH_VERSION);
	fprintf(f, "Conclusions (first cell shape of each mode, per op; * = beyond\n"
		"the noise; page-phys: what the page API costs over the phys\n"
		"API, map/unmap, after):\n");
	conclusions(f, c);
	report_cautions(f, c);
	if (!strcmp(json_str(json_object_get(doc, "system"), "accel"), "tcg"))
		field(f, "caution:", "plain TCG: emulated cycles measure QEMU, not "
		      "the hardware, and swing between boots far beyond the interval "
		      "of one boot (the same 6.12 kernel read 1686 and 2923 cycles "
		      "per strict page map on two boots). A verdict needs several "
		      "runs per side (--runs), whose spread is shown below; "
		      "tcg-icount counts instructions exactly instead.");
	if (each && each_table(f, each)) {
		fclose(f);
		return 2;
	}
	fprintf(f, "\n");
	comparison_print_header(c, f);
	fprintf(f, "\n");
	comparison_print_table(c, f);
	cross_check(f, c);
	explain_section(f, c);
	fprintf(f, "\n");
	field(f, "figures:", "median over batches of cycles (or, under tcg-icount, "
	      "guest instructions) per op, net of the same loop on the API's null "
	      "twins, empty functions with its calls' signatures (lazy mode: "
	      "amortized, all cycles over all ops, flush-queue drains included), "
	      "averaged over runs (boots) where there are several; change "
	      "with a 95% bootstrap interval over runs and the batches within them "
	      "(2000 resamples, fixed seed); * = interval excludes zero; noise = "
	      "IQR/median of before/after in %, within one run");
	fprintf(f, "\nHow to reproduce: each side's kernel, compiler, machine and\n"
		"command, what both share once (version: the dmabench that booted\n"
		"the guests; run: its command, in a checkout of that commit)\n");
	setup_sections(f, c, before, after);
	if (commit_list && commits(f, commit_list)) {
		fclose(f);
		return 2;
	}
	field(f, "config:", json_str(json_object_get(doc, "config"), "path"));
	if (json_string_length(json_object_get(json_object_get(doc, "config"), "description")))
		field(f, "", json_str(json_object_get(doc, "config"), "description"));
	fclose(f);
	return 0;
}

#define ATTACH_MAX_BYTES (16u << 20)	/* a plot is a few hundred KiB */

/* The files to attach, read whole; -1 (said) when one cannot be. */
static int load_attachments(const struct report_request *q, struct mail_attachment *att)
{
	char err[PATH_MAX + 128];

	for (size_t i = 0; i < q->nattach; i++) {
		att[i].name = q->attach[i];
		att[i].data = read_regular_file(q->attach[i], ATTACH_MAX_BYTES, "attachment",
						&att[i].len, err, sizeof(err));
		if (!att[i].data) {
			error_msg("%s", err);
			return -1;
		}
	}
	return 0;
}

/* The report as a reply to the cover letter in Q's cover, from Q's from. */
static int reply_mail(const struct report_request *q, const char *report, size_t n)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
	struct mail_attachment *att = calloc(q->nattach + 1, sizeof(*att));
	struct mail_cover m;
	char err[1024], *body = NULL, *mail = NULL;
	size_t len, size = 0;
	FILE *f = NULL;
	int ret = 2;

	if (!att || load_attachments(q, att))
		goto out_att;
	if (mail_cover_load(&m, q->cover, err, sizeof(err))) {
		error_msg("%s", err);
		goto out_att;
	}
	body = plain_text(report, n, &len);
	f = body ? open_memstream(&mail, &size) : NULL;
	if (!f) {
		error_msg("out of memory");
		goto out;
	}
	mail_reply_write(f, &m, q->from, now, body, att, q->nattach);
	fclose(f);
	ret = emit(q->out, mail, size) ? 2 : 0;
out:
	free(mail);
	free(body);
	mail_cover_free(&m);
out_att:
	for (size_t i = 0; att && i < q->nattach; i++)
		free((char *)att[i].data);
	free(att);
	return ret;
}

int report_write(const struct report_request *q)
{
	const char *from = q->from;
	struct comparison c;
	char err[1024], *text = NULL;
	size_t size = 0;
	int ret;

	if (q->cover && !mail_address_ok(from)) {
		error_msg("%s", from ? "--from wants one address with an @ (Name <user@host>)"
			  : "a reply needs a From: give --from ADDRESS or set EMAIL");
		return 2;
	}
	if (comparison_load(&c, q->before, q->after, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	ret = report_text(&c, q->before, q->after, q->commits, q->each, &text, &size);
	comparison_free(&c);
	if (!ret && q->cover)
		ret = reply_mail(q, text, size);
	else if (!ret)
		ret = emit_plain_text(q->out, text, size) ? 2 : 0;
	free(text);
	return ret;
}
