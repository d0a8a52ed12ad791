// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench series: a kernel git tree's BASE..HEAD, built from source and
 * measured before and after the series, or at every commit of it (--each)
 * with the commit that moved each row.
 */
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "comparison.h"
#include "harness.h"
#include "mail.h"
#include "options.h"
#include "report.h"
#include "results.h"
#include "run_options.h"
#include "series.h"
#include "util.h"

static const char series_usage[] =
"usage: dmabench series [options] --tree DIR BASE..HEAD\n"
"       dmabench series [options] --tree DIR --mbox FILE [--apply-only] BASE\n"
"       dmabench series [options] --tree DIR --msgid ID [--archive MBOX]\n"
"                       [--apply-only] BASE\n"
"\n"
"Build BASE and HEAD of the kernel git tree DIR from source (out of tree,\n"
"in the cache, through ccache; DIR is only read, its work tree may be\n"
"dirty), measure both in every mode the config names under QEMU, and\n"
"write the comparison, the report (which names both sides by git describe\n"
"and commit, and lists the series' subjects) and the plots.\n"
"\n"
"Default accel: tcg-icount (exact figures; a measured (kernel, module,\n"
"config, mode) is taken from the cache). The options each mode needs are\n"
"checked after configuring, before building.\n"
"Exit status: 0 done, 1 a build or guest failed, 2 bad usage or input.\n";

enum { APPLY_ONLY = CLI_LONG_ONLY, ARCHIVE, ATTACH };

static const struct cli_option series_options[] = {
	CLI_GROUP(tree_cli_options),
	CLI_OPT("each", 'e', NULL,
		"measure every commit of BASE..HEAD: each.txt has a column per "
		"commit and, per row, the commit that moved it; a commit that does "
		"not build or boot is skipped"),
	CLI_OPT("mbox", 'm', "FILE",
		"a posted series (git format-patch --cover-letter, b4 am, a list "
		"archive) applied onto BASE in a scratch clone in the cache (DIR "
		"untouched; the same mbox gives the same commits); its cover letter "
		"is kept as cover.eml and, with a From ($EMAIL or --from), answered "
		"in reply.eml"),
	CLI_OPT("msgid", 'M', "ID",
		"the series posted with Message-ID ID (any of its messages), "
		"fetched with 'b4 am' from lore.kernel.org (b4 installed, lore "
		"reachable), then as --mbox"),
	CLI_OPT("archive", ARCHIVE, "MBOX",
		"with --msgid: b4 takes the thread from this mbox (a list archive "
		"kept locally), not from lore"),
	CLI_OPT("apply-only", APPLY_ONLY, NULL,
		"with --mbox or --msgid: apply, list the commits, measure nothing"),
	CLI_GROUP(mail_cli_options),
	CLI_OPT("attach", ATTACH, NULL,
		"the reply carries the plots of the change per mode "
		"(MODE-change.png) as attachments"),
	CLI_GROUP(run_cli_options),
	CLI_HELP,
	CLI_END
};


/* The cover letter and patch list apply-mbox.sh left, and their folder. */
static void drop_scratch(const char *scratch)
{
	char *p;

	if (asprintf(&p, "%s/cover.eml", scratch) > 0)
		unlink(p), free(p);
	if (asprintf(&p, "%s/applied.txt", scratch) > 0)
		unlink(p), free(p);
	if (asprintf(&p, "%s/series.mbox", scratch) > 0)
		unlink(p), free(p);
	rmdir(scratch);
}

/* The commits of a range, oldest first. */
struct revisions {
	char **id;	/* full commit ids */
	char **line;	/* "abbrev subject" */
	size_t n;
};

static char *git_line(const char *tree, char *const args[])
{
	char *argv[16] = { "git", "-c", "safe.directory=*", "-C", (char *)tree };
	size_t n = 5;
	char *out;

	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	out = harness_output(argv);
	if (out)
		out[strcspn(out, "\n")] = '\0';
	return out;
}

/* Commit id of @rev, or NULL with git's own error already on stderr. */
static char *resolve(const char *tree, const char *rev)
{
	char *spec, *id;

	if (asprintf(&spec, "%s^{commit}", rev) < 0)
		return NULL;
	id = git_line(tree, (char *[]){ "rev-parse", "--verify", "--end-of-options", spec, NULL });
	free(spec);
	if (!id || !*id) {
		free(id);
		return NULL;
	}
	return id;
}

static int list_range(const char *tree, const char *base, const char *head,
		      struct revisions *r)
{
	char *range, *text, *line, *save = NULL;

	if (asprintf(&range, "%s..%s", base, head) < 0)
		return -1;
	text = harness_output((char *[]){ "git", "-c", "safe.directory=*", "-C",
					   (char *)tree, "log", "--reverse", "--topo-order",
					   "--abbrev=12", "--format=%H %h %s", range, NULL });
	free(range);
	if (!text)
		return -1;
	memset(r, 0, sizeof(*r));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		r->id = realloc(r->id, (r->n + 1) * sizeof(*r->id));
		r->line = realloc(r->line, (r->n + 1) * sizeof(*r->line));
		if (!r->id || !r->line)
			return -1;
		r->id[r->n] = strndup(line, sp - line);
		r->line[r->n] = strdup(sp + 1);
		r->n++;
	}
	free(text);
	return 0;
}

static int write_commits(const char *path, const char *base_line,
			 const struct revisions *r)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	int rc;

	if (!f)
		return -1;
	fprintf(f, "base %s\n", base_line);
	for (size_t i = 0; i < r->n; i++)
		fprintf(f, "%zu %s\n", i + 1, r->line[i]);
	fclose(f);
	rc = write_file_atomic(path, text, size);
	free(text);
	return rc;
}

static char *joined(const char *a, const char *b)
{
	char *p;

	if (asprintf(&p, "%s/%s", a, b) < 0) {
		error_msg("out of memory");
		exit(2);
	}
	return p;
}

/* FILE of @from copied into @out, when it is there. */
static int keep_file(const char *from, const char *out, const char *name)
{
	char *src = joined(from, name), *dst = joined(out, name), *text;
	size_t len;
	int rc = 0;

	text = read_file(src, &len);
	if (text)
		rc = write_file_atomic(dst, text, len);
	free(text);
	free(src);
	free(dst);
	return rc;
}

/* The series' reply on the list, when it came with a cover letter. */
static int write_reply(const char *out, const char *from, const char *commits, int each,
		       const char *plots)
{
	char *cover = joined(out, "cover.eml"), *reply = joined(out, "reply.eml");
	char *table = each ? joined(out, "each.txt") : NULL;
	char *b = joined(out, "before"), *a = joined(out, "after");
	char *pattern = plots ? joined(plots, "*-change.png") : NULL;
	glob_t g = { 0 };
	int rc = 0;

	/* --attach: the change per mode, one PNG each, in name order */
	if (pattern && glob(pattern, 0, NULL, &g))
		g.gl_pathc = 0;

	if (access(cover, R_OK)) {
		/* no cover letter in the mbox: nothing to reply to */
	} else if (!from || !*from) {
		fprintf(stderr, "dmabench: no From for the reply (--from or EMAIL): "
			"dmabench report --reply-to %s --from ADDRESS %s %s\n", cover, b, a);
	} else {
		rc = report_write(&(struct report_request){ .before = b, .after = a,
							    .commits = commits, .each = table,
							    .cover = cover, .from = from,
							    .attach = (const char *const *)g.gl_pathv,
							    .nattach = g.gl_pathc, .out = reply });
		if (!rc)
			fprintf(stderr, "dmabench: the reply to the cover letter: %s\n", reply);
	}
	if (pattern)
		globfree(&g);
	free(pattern);
	free(cover);
	free(reply);
	free(table);
	free(b);
	free(a);
	return rc;
}

/* --msgid: the series fetched into SCRATCH/series.mbox (*@path). */
static int fetch_series(const char *msgid, const char *archive, const char *scratch,
			char **path)
{
	free(*path);
	*path = joined(scratch, "series.mbox");
	return harness_fetch_series(msgid, archive, *path);
}

/* --apply-only: the commits made and where, on stdout. */
static int list_applied(const char *scratch, const char *clone)
{
	char *list = joined(scratch, "applied.txt"), *cover = joined(scratch, "cover.eml");
	char *text;
	size_t len;

	text = read_file(list, &len);
	if (text)
		fwrite(text, 1, len, stdout);
	printf("applied in %s; cover letter: %s\n", clone, access(cover, R_OK) ? "none" : "kept");
	free(text);
	free(list);
	free(cover);
	return text ? 0 : 2;
}

static int link_side(const char *out, const char *name, const char *target)
{
	char *link = joined(out, name);
	int rc;

	unlink(link);
	rc = symlink(target, link);
	if (rc)
		error_msg("%s: %s", link, strerror(errno));
	free(link);
	return rc;
}

/* One series command: its options, then what each step found. */
struct series_job {
	const char *tree, *kconfig, *mbox, *from, *msgid, *archive, *range;
	int apply_only, attach, each;
	struct run_options ro;
	char scratch[32], *fetched, *base, *head, *base_line;
	struct revisions r;
	struct boot_side *sides;
	size_t nrev;
};

/* The options into @j; -1 to go on, else the exit status. */
static int series_parse(int argc, char **argv, struct series_job *j)
{
	int opt;

	while ((opt = cli_getopt(argc, argv, series_options)) != -1) {
		switch (opt) {
		case 'T': j->tree = optarg; break;
		case 'm': j->mbox = optarg; break;
		case APPLY_ONLY: j->apply_only = 1; break;
		case 'M': j->msgid = optarg; break;
		case ARCHIVE: j->archive = optarg; break;
		case ATTACH: j->attach = 1; break;
		case 'F': j->from = optarg; break;
		case 'e': j->each = 1; break;
		case 'k': j->kconfig = optarg; break;
		case 'h': return cli_usage(series_usage, series_options, 0);
		default:
			if (run_option(&j->ro, opt, optarg) <= 0)
				return cli_usage(series_usage, series_options, 2);
		}
	}
	if (!j->tree || optind != argc - 1 || (j->apply_only && !j->mbox && !j->msgid) ||
	    (j->archive && !j->msgid))
		return cli_usage(series_usage, series_options, 2);
	j->range = argv[optind];
	return -1;
}

/* Options that do not go together, a range that is none; -1 to go on. */
static int series_check(struct series_job *j)
{
	const char *dots = strstr(j->range, "..");

	if (j->attach && !j->mbox && !j->msgid) {
		error_msg("--attach goes with --mbox or --msgid (the reply to a cover letter)");
		return 2;
	}
	if (j->mbox && j->msgid) {
		error_msg("--mbox or --msgid: one series at a time");
		return 2;
	}
	if (j->msgid)	/* fetched into the scratch folder */
		j->mbox = "series.mbox";
	if (j->mbox && dots) {
		error_msg("with --mbox or --msgid, give the BASE to apply it on, not a range ('%s')",
			  j->range);
		return 2;
	}
	if (!j->mbox && (!dots || dots == j->range || !dots[2] || dots[2] == '.')) {
		error_msg("'%s' is not a range BASE..HEAD", j->range);
		return 2;
	}
	if (j->kconfig && access(j->kconfig, R_OK)) {
		error_msg("--kconfig %s: %s", j->kconfig, strerror(errno));
		return 2;
	}
	return -1;
}

/*
 * A posted series applied onto BASE in a scratch clone, which is the tree
 * from here on; its cover letter and patch list wait in the scratch folder
 * for the output folder. -1 to go on, else the exit status (--apply-only).
 */
static int series_apply(struct series_job *j)
{
	char *clone = NULL;
	int rc;

	j->base = resolve(j->tree, j->range);
	if (!j->base) {
		error_msg("%s is not a revision of %s (git's error above)", j->range, j->tree);
		return 2;
	}
	snprintf(j->scratch, sizeof(j->scratch), "/tmp/dmabench-mbox-XXXXXX");
	if (harness_init() || !mkdtemp(j->scratch) ||
	    (j->msgid && fetch_series(j->msgid, j->archive, j->scratch, &j->fetched)) ||
	    harness_apply_mbox(j->tree, j->base, j->fetched ? j->fetched : j->mbox, j->scratch,
			       &clone, &j->head)) {
		drop_scratch(j->scratch);
		return 2;	/* said: the patch that does not apply and git's reason */
	}
	j->tree = clone;
	if (!j->apply_only)
		return -1;
	rc = list_applied(j->scratch, j->tree);
	drop_scratch(j->scratch);
	return rc;
}

/* BASE and HEAD, the commits between, the base's line; -1 to go on. */
static int series_revisions(struct series_job *j)
{
	int rc;

	if (j->mbox) {
		rc = series_apply(j);
		if (rc >= 0)
			return rc;
	} else {
		const char *dots = strstr(j->range, "..");
		char *base_arg = strndup(j->range, dots - j->range);

		j->base = resolve(j->tree, base_arg);
		j->head = j->base ? resolve(j->tree, dots + 2) : NULL;
		free(base_arg);
	}
	if (!j->base || !j->head) {
		error_msg("the range %s does not resolve in %s (git's error above)",
			  j->range, j->tree);
		return 2;
	}
	if (list_range(j->tree, j->base, j->head, &j->r) || !j->r.n) {
		error_msg("%s has no commits in %s", j->range, j->tree);
		return 2;
	}
	j->base_line = git_line(j->tree, (char *[]){ "log", "-1", "--abbrev=12",
						     "--format=%h %s", j->base, NULL });
	if (!j->base_line)
		j->base_line = j->base;
	return -1;
}

/* A kernel per side (the base and the head, or every commit); -1 to go on. */
static int series_kernels(struct series_job *j)
{
	char modes[128], (*kids)[256];

	harness_mode_list(j->ro.boot.modes, modes, sizeof(modes));
	j->nrev = j->each ? j->r.n + 1 : 2;
	kids = calloc(j->nrev, sizeof(*kids));
	j->sides = calloc(j->nrev, sizeof(*j->sides));
	if (!kids || !j->sides)
		return 1;
	for (size_t i = 0; i < j->nrev; i++) {
		const char *rev = !i ? j->base : j->each ? j->r.id[i - 1] : j->head;
		int rc = harness_git_kernel(j->tree, rev, j->kconfig, modes, kids[i],
					    sizeof(kids[i]));
		char name[64];

		if (rc == KERNEL_BAD_INPUT)
			return 2;
		if (rc && (!j->each || !i || rc != KERNEL_NO_BUILD)) {
			error_msg("%s %.12s could not be built (see above)",
				  !i ? "the base" : "the head", rev);
			return 1;
		}
		j->sides[i].kid = kids[i];
		j->sides[i].failed = rc ? SIDE_NO_BUILD : 0;
		if (j->each) {
			snprintf(name, sizeof(name), "each/%02zu-%.12s", i, rev);
			j->sides[i].dir = joined(j->ro.out, name);
		} else {
			j->sides[i].dir = i ? j->ro.after : j->ro.before;
		}
		if (rc)
			fprintf(stderr, "dmabench: %.12s does not build: skipped\n", rev);
	}
	return -1;
}

/* --each: before and after linked to the base and the last measured commit. */
static int series_each(struct series_job *j)
{
	const char *out = j->ro.out;
	size_t last = 0;

	for (size_t i = 1; i < j->nrev; i++)
		if (!j->sides[i].failed)
			last = i;
	if (!last) {
		error_msg("no commit of the series was measured");
		return 1;
	}
	if (link_side(out, "before", j->sides[0].dir + strlen(out) + 1) ||
	    link_side(out, "after", j->sides[last].dir + strlen(out) + 1) ||
	    series_each_write(out, j->sides, j->nrev, j->base_line,
			      (const char *const *)j->r.line))
		return 1;
	return -1;
}

/* The guests, then the comparison, report, plots and reply; the exit status. */
static int series_measure(struct series_job *j)
{
	struct run_options *ro = &j->ro;
	char *commits = joined(ro->out, "commits.txt");
	int rc;

	if (run_options_make_out(ro) || write_commits(commits, j->base_line, &j->r) ||
	    (j->mbox && (keep_file(j->scratch, ro->out, "cover.eml") ||
			 keep_file(j->scratch, ro->out, "applied.txt"))))
		return 2;	/* an output it cannot write */
	if (j->mbox)
		drop_scratch(j->scratch);
	if (j->each)
		mkdir(joined(ro->out, "each"), 0755);
	if (harness_boot(&ro->boot, j->sides, j->nrev, j->each) && !j->each)
		return 1;
	if (j->sides[0].failed) {
		error_msg("the base's guests failed: nothing to compare against");
		return 1;
	}
	if (j->each && (rc = series_each(j)) >= 0)
		return rc;
	if (harness_outputs(ro->out, ro->plots, commits,
			    j->each ? joined(ro->out, "each.txt") : NULL) ||
	    (ro->boot.explain && harness_explain_output(ro->out)))
		return 1;
	if (j->mbox && write_reply(ro->out, j->from, commits, j->each,
				   j->attach ? ro->plots : NULL))
		return 2;
	run_options_finish(ro);
	return 0;
}

int cmd_series(int argc, char **argv)
{
	struct series_job j = { .from = getenv("EMAIL") };
	int rc;

	run_options_init(&j.ro, "tcg-icount");
	rc = series_parse(argc, argv, &j);
	if (rc < 0)
		rc = series_check(&j);
	if (rc < 0)
		rc = series_revisions(&j);
	if (rc < 0 && run_options_prepare(&j.ro))
		rc = 2;
	if (rc < 0 && strcmp(j.ro.boot.arch, "x86_64")) {
		error_msg("series builds x86_64 kernels: --arch arm64 is matrix's (Debian kernels)");
		rc = 2;
	}
	if (rc < 0)
		rc = series_kernels(&j);
	if (rc < 0)
		rc = series_measure(&j);
	if (!rc && j.each) {
		char *path = joined(j.ro.out, "each.txt"), *text;
		size_t len;

		text = read_file(path, &len);
		if (text)
			fwrite(text, 1, len, stdout);
		free(text);
		free(path);
	}
	return rc;
}
