// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench series: a kernel git tree's BASE..HEAD, built from source and
 * measured before and after the series, or at every commit of it (--each)
 * with the commit that moved each row.
 */
#include <errno.h>
#include <getopt.h>
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
"  -T, --tree DIR      the kernel git tree (read only)\n"
"  -e, --each          measure every commit of BASE..HEAD: each.txt has a\n"
"                      column per commit and, per row, the commit that moved\n"
"                      it; a commit that does not build or boot is skipped\n"
"  -m, --mbox FILE     a posted series (git format-patch --cover-letter,\n"
"                      b4 am, a list archive) applied onto BASE in a\n"
"                      scratch clone in the cache (DIR untouched; the same\n"
"                      mbox gives the same commits); its cover letter is\n"
"                      kept as cover.eml and, with a From ($EMAIL or\n"
"                      --from), answered in reply.eml\n"
"  -M, --msgid ID      the series posted with Message-ID ID (any of its\n"
"                      messages), fetched with 'b4 am' from lore.kernel.org\n"
"                      (b4 installed, lore reachable), then as --mbox\n"
"      --archive MBOX  with --msgid: b4 takes the thread from this mbox (a\n"
"                      list archive kept locally), not from lore\n"
"      --apply-only    with --mbox or --msgid: apply, list the commits,\n"
"                      measure nothing\n"
"  -F, --from ADDRESS  the reply's From (default: $EMAIL)\n"
"      --attach        the reply carries the plots of the change per mode\n"
"                      (MODE-change.png) as attachments\n"
"  -k, --kconfig FILE  your .config (olddefconfig completes it) instead of\n"
"                      allnoconfig + kvm_guest.config +\n"
"                      harness/kconfig/dmabench.config (lean)\n"
RUN_OPTIONS_HELP
"\n"
"Default accel: tcg-icount (exact figures; a measured (kernel, module,\n"
"config, mode) is taken from the cache). The options each mode needs are\n"
"checked after configuring, before building.\n"
"Exit status: 0 done, 1 a build or guest failed, 2 bad usage or input.\n";

#define APPLY_ONLY 0x100	/* long options only */
#define ARCHIVE 0x101
#define ATTACH 0x102

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

int cmd_series(int argc, char **argv)
{
	static const struct option opts[] = {
		RUN_LONG_OPTIONS,
		{ "tree", required_argument, NULL, 'T' },
		{ "each", no_argument, NULL, 'e' },
		{ "kconfig", required_argument, NULL, 'k' },
		{ "mbox", required_argument, NULL, 'm' },
		{ "apply-only", no_argument, NULL, APPLY_ONLY },
		{ "msgid", required_argument, NULL, 'M' },
		{ "archive", required_argument, NULL, ARCHIVE },
		{ "attach", no_argument, NULL, ATTACH },
		{ "from", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *tree = NULL, *kconfig = NULL, *mbox = NULL, *from = getenv("EMAIL");
	const char *msgid = NULL, *archive = NULL;
	char *fetched = NULL;
	char scratch[] = "/tmp/dmabench-mbox-XXXXXX", *clone = NULL;
	int apply_only = 0, attach = 0;
	char *base_arg, *head_arg, *dots, *base, *head, *base_line, *commits;
	char modes[128], (*kids)[256];
	struct run_options ro;
	struct revisions r;
	struct boot_side *sides;
	size_t nrev;
	int opt, each = 0, rc;

	run_options_init(&ro, "tcg-icount");
	while ((opt = getopt_long(argc, argv, RUN_SHORT_OPTIONS "T:ek:m:M:F:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'T': tree = optarg; break;
		case 'm': mbox = optarg; break;
		case APPLY_ONLY: apply_only = 1; break;
		case 'M': msgid = optarg; break;
		case ARCHIVE: archive = optarg; break;
		case ATTACH: attach = 1; break;
		case 'F': from = optarg; break;
		case 'e': each = 1; break;
		case 'k': kconfig = optarg; break;
		case 'h': return usage(series_usage, 0);
		default:
			if (run_option(&ro, opt, optarg) <= 0)
				return usage(series_usage, 2);
		}
	}
	if (!tree || optind != argc - 1 || (apply_only && !mbox && !msgid) ||
	    (archive && !msgid))
		return usage(series_usage, 2);
	if (attach && !mbox && !msgid) {
		error_msg("--attach goes with --mbox or --msgid (the reply to a cover letter)");
		return 2;
	}
	if (mbox && msgid) {
		error_msg("--mbox or --msgid: one series at a time");
		return 2;
	}
	if (msgid)	/* fetched into the scratch folder below */
		mbox = fetched = strdup("series.mbox");
	dots = strstr(argv[optind], "..");
	if (mbox && dots) {
		error_msg("with --mbox or --msgid, give the BASE to apply it on, not a range ('%s')",
			  argv[optind]);
		return 2;
	}
	if (!mbox && (!dots || dots == argv[optind] || !dots[2] || dots[2] == '.')) {
		error_msg("'%s' is not a range BASE..HEAD", argv[optind]);
		return 2;
	}
	if (kconfig && access(kconfig, R_OK)) {
		error_msg("--kconfig %s: %s", kconfig, strerror(errno));
		return 2;
	}
	base_arg = mbox ? strdup(argv[optind]) : strndup(argv[optind], dots - argv[optind]);
	head_arg = mbox ? NULL : strdup(dots + 2);
	base = resolve(tree, base_arg);
	if (mbox && !base) {
		error_msg("%s is not a revision of %s (git's error above)", base_arg, tree);
		free(base_arg);
		return 2;
	}
	/* the series in a scratch clone, which is the tree from here on; its
	 * cover letter and patch list wait in @scratch for the output folder */
	if (mbox && (harness_init() || !mkdtemp(scratch) ||
		     (msgid && fetch_series(msgid, archive, scratch, &fetched)) ||
		     harness_apply_mbox(tree, base, fetched ? fetched : mbox, scratch,
					&clone, &head))) {
		drop_scratch(scratch);
		free(base_arg);
		free(base);
		return 2;	/* said: the patch that does not apply and git's reason */
	}
	if (mbox)
		tree = clone;
	if (mbox && apply_only) {
		rc = list_applied(scratch, tree);
		drop_scratch(scratch);
		free(base_arg);
		free(base);
		free(head);
		free((char *)tree);
		return rc;
	}
	if (!mbox)
		head = base ? resolve(tree, head_arg) : NULL;
	if (!base || !head) {
		error_msg("the range %s does not resolve in %s (git's error above)",
			  argv[optind], tree);
		return 2;
	}
	if (list_range(tree, base, head, &r) || !r.n) {
		error_msg("%s has no commits in %s", argv[optind], tree);
		return 2;
	}
	base_line = git_line(tree, (char *[]){ "log", "-1", "--abbrev=12",
					       "--format=%h %s", base, NULL });
	if (run_options_prepare(&ro))
		return 2;
	if (strcmp(ro.boot.arch, "x86_64")) {
		error_msg("series builds x86_64 kernels: --arch arm64 is matrix's (Debian kernels)");
		return 2;
	}
	harness_mode_list(ro.boot.modes, modes, sizeof(modes));

	/* Without --each: the base and the head. */
	nrev = each ? r.n + 1 : 2;
	kids = calloc(nrev, sizeof(*kids));
	sides = calloc(nrev, sizeof(*sides));
	if (!kids || !sides)
		return 1;
	for (size_t i = 0; i < nrev; i++) {
		const char *rev = !i ? base : each ? r.id[i - 1] : head;
		char name[64];

		rc = harness_git_kernel(tree, rev, kconfig, modes, kids[i], sizeof(kids[i]));
		if (rc == KERNEL_BAD_INPUT)
			return 2;
		if (rc && (!each || !i || rc != KERNEL_NO_BUILD)) {
			error_msg("%s %.12s could not be built (see above)",
				  !i ? "the base" : "the head", rev);
			return 1;
		}
		sides[i].kid = kids[i];
		sides[i].failed = rc ? SIDE_NO_BUILD : 0;
		if (each) {
			snprintf(name, sizeof(name), "each/%02zu-%.12s", i, rev);
			sides[i].dir = joined(ro.out, name);
		} else {
			sides[i].dir = i ? ro.after : ro.before;
		}
		if (rc)
			fprintf(stderr, "dmabench: %.12s does not build: skipped\n", rev);
	}
	commits = joined(ro.out, "commits.txt");
	if (run_options_make_out(&ro) ||
	    write_commits(commits, base_line ? base_line : base, &r) ||
	    (mbox && (keep_file(scratch, ro.out, "cover.eml") ||
		      keep_file(scratch, ro.out, "applied.txt"))))
		return 2;	/* an output it cannot write */
	if (mbox)
		drop_scratch(scratch);
	if (each)
		mkdir(joined(ro.out, "each"), 0755);
	if (harness_boot(&ro.boot, sides, nrev, each) && !each)
		return 1;
	if (sides[0].failed) {
		error_msg("the base's guests failed: nothing to compare against");
		return 1;
	}
	if (each) {
		size_t last = 0;

		for (size_t i = 1; i < nrev; i++)
			if (!sides[i].failed)
				last = i;
		if (!last) {
			error_msg("no commit of the series was measured");
			return 1;
		}
		if (link_side(ro.out, "before", sides[0].dir + strlen(ro.out) + 1) ||
		    link_side(ro.out, "after", sides[last].dir + strlen(ro.out) + 1))
			return 1;
		if (series_each_write(ro.out, sides, nrev, base_line ? base_line : base,
				      (const char *const *)r.line))
			return 1;
	}
	if (harness_outputs(ro.out, ro.plots, commits, each ? joined(ro.out, "each.txt") : NULL) ||
	    (ro.boot.explain && harness_explain_output(ro.out)))
		return 1;
	if (mbox && write_reply(ro.out, from, commits, each, attach ? ro.plots : NULL))
		return 2;
	run_options_finish(&ro);
	if (each) {
		char *path = joined(ro.out, "each.txt"), *text;
		size_t len;

		text = read_file(path, &len);
		if (text)
			fwrite(text, 1, len, stdout);
		free(text);
		free(path);
	}
	return 0;
}
