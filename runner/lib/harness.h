/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the QEMU harness, shared by matrix, series and bisect:
 * kernel providers turn what the user names into a kernel id (a Debian
 * release, git-COMMIT-CONFIG, pre-IMAGEHASH), then the module is built for
 * it and every (kernel, mode) guest is booted, several at once where the
 * figures do not depend on host load. Nothing downstream learns where a
 * kernel came from but the kernel_source its results carry.
 */
#ifndef DMABENCH_HARNESS_H
#define DMABENCH_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* Exit codes of harness/build-kernel.sh (and of the providers below). */
#define KERNEL_BAD_INPUT 2	/* no such revision, a needed option missing */
#define KERNEL_NO_BUILD 3	/* the revision does not build */
/* Exit code of harness/boot.sh: the guest kernel refuses the mode here. */
#define BOOT_MODE_UNAVAILABLE 5

/* Find the project's top folder (the runner is TOP/build/dmabench). */
int harness_init(void);
const char *harness_top(void);

/* Run argv; with @out, the first line of its stdout goes there. */
int harness_exec(char *const argv[], char *out, size_t len);

/* Run argv (searched in PATH); its whole stdout, or NULL on failure. */
char *harness_output(char *const argv[]);

/*
 * A posted series by the Message-ID of one of its messages, from
 * lore.kernel.org or the mbox @archive (NULL: lore), with b4 am
 * (harness/fetch-series.sh), into the mbox @out. 0, or -1 said.
 */
int harness_fetch_series(const char *msgid, const char *archive, const char *out);

/*
 * A posted series applied onto @base of @tree (harness/apply-mbox.sh), in
 * a scratch clone: fills @clone and @head (malloc'd); cover.eml and
 * applied.txt go to @outdir. 0, or -1 with the reason on stderr.
 */
int harness_apply_mbox(const char *tree, const char *base, const char *mbox,
		       const char *outdir, char **clone, char **head);

/*
 * A kernel named by the user: SUITE:SERIES (Debian) or IMAGE,KDIR (an
 * image and its module build tree). Fills @kid; builds the module (and for
 * @arch arm64, Debian's arm64 kernel, the cross-built guest runner).
 * Returns 0, -2 when @spec names nothing, -1 when fetching or building
 * failed.
 */
int harness_kernel(const char *label, const char *spec, const char *modes,
		   const char *arch, char *kid, size_t len);

/*
 * Revision @rev of the git tree @tree, built from source (with the user's
 * @kconfig, or NULL for the merged default). Returns 0, KERNEL_BAD_INPUT,
 * KERNEL_NO_BUILD or 1; builds the module on success.
 */
int harness_git_kernel(const char *tree, const char *rev, const char *kconfig,
		       const char *modes, char *kid, size_t len);

/* "direct strict lazy swiotlb" for a mode bit set. */
void harness_mode_list(uint32_t modes, char *buf, size_t len);

struct boot_opts {
	const char *config;	/* config file the guests measure */
	const char *accel;	/* tcg, tcg-icount, kvm */
	const char *timeout;	/* seconds per guest */
	int jobs;		/* guests at once (tcg-icount only) */
	uint32_t modes;		/* bit per mode */
	const char *cpu;	/* QEMU -cpu model, NULL: boot.sh's default */
	const char *arch;	/* x86_64 or arm64: the kernels' and guests' */
	uint32_t iommus;	/* bit (1 << i) per iommu_name(i) to boot
				 * the IOMMU modes on; 0: intel */
	unsigned int runs;	/* boots per kernel and mode (>= 1) */
	int explain;		/* boot.sh --explain: the explain pass */
};

/*
 * Boots per kernel and mode when neither the command line nor the config
 * says: one under tcg-icount, whose boots repeat exactly, three elsewhere,
 * so between-boot noise is measured.
 */
unsigned int harness_default_runs(const char *accel);

struct boot_side {
	const char *dir;	/* results go to DIR/MODE.{json,csv,...} */
	const char *kid;
	int failed;		/* set when a guest of this side failed */
};

/*
 * Boot every mode of every side opts->runs times, up to opts->jobs guests
 * at once under tcg-icount (one otherwise). With several runs each boot's
 * result is kept in DIR/runs/ and DIR/MODE.json merges them (cmd_merge).
 * Under tcg-icount a single-run (kernel, module, config, mode) measured
 * before is taken from the cache: its figures are exact.
 * With @keep_going a failed guest marks its side and the rest go on.
 * Returns 0 when every guest succeeded.
 */
int harness_boot(const struct boot_opts *o, struct boot_side *sides,
		 size_t nsides, int keep_going);

/*
 * compare.txt, report.txt (with @commits listed and @each's per-commit
 * table, each when not NULL), plots.
 */
int harness_outputs(const char *out, const char *plots, const char *commits,
		    const char *each);

/* DIR/explain.txt when both sides carry explain figures (--explain). */
int harness_explain_output(const char *out);

/* Default guest jobs: the number of CPUs. */
int harness_default_jobs(void);

#endif
