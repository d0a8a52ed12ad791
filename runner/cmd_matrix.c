// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench matrix: the host side of the QEMU harness. Fetches the two
 * kernels, builds the module for each, boots every mode the config names
 * with harness/boot.sh, brings the results home, and writes the CSV,
 * comparison, report and plots of the run: what 'make demo' does.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "names.h"
#include "uapi/dmabench.h"
#include "util.h"

static const char matrix_usage[] =
"usage: dmabench matrix [options] BEFORE AFTER\n"
"\n"
"Run a config on two Debian kernels in every DMA mode it names, under QEMU,\n"
"and compare them. BEFORE and AFTER are SUITE:SERIES (bookworm:6.12,\n"
"trixie:7): the newest kernel of the series, fetched once and cached.\n"
"\n"
"  -c, --config FILE  config to measure (default configs/demo.ini)\n"
"  -a, --accel NAME   tcg (default), tcg-icount or kvm\n"
"  -o, --out DIR      result folder (default results/RUN-ID)\n"
"  -t, --timeout SEC  per guest (default 900)\n"
"  -p, --plots DIR    plot folder (default plots/RUN-ID)\n"
"\n"
"Writes DIR/{before,after}/MODE.{json,csv} with each guest's console,\n"
"kernel log and channel capture beside them, DIR/compare.txt,\n"
"DIR/report.txt and plots/RUN-ID/. DMABENCH_CACHE sets the cache.\n";

static char top[1024];	/* paths below are built from it */

/* The project's top folder: the runner lives in TOP/runner/. */
static int find_top(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return -1;
	exe[n] = '\0';
	if (strlen(dirname(dirname(exe))) >= sizeof(top))
		return -1;
	strcpy(top, exe);
	snprintf(exe, sizeof(exe), "%s/harness/boot.sh", top);
	return access(exe, X_OK);
}

/* Run argv; with @out, its stdout (first line) goes there. */
static int run(char *const argv[], char *out, size_t len)
{
	int pipefd[2], status;
	pid_t pid;

	if (out && pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (out) {
			dup2(pipefd[1], STDOUT_FILENO);
			close(pipefd[0]);
			close(pipefd[1]);
		}
		execv(argv[0], argv);
		fprintf(stderr, "dmabench: error: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (out) {
		ssize_t n, got = 0;

		close(pipefd[1]);
		while (got < (ssize_t)len - 1 &&
		       (n = read(pipefd[0], out + got, len - 1 - got)) > 0)
			got += n;
		out[got] = '\0';
		out[strcspn(out, "\n")] = '\0';
		close(pipefd[0]);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int in_process(int (*fn)(int, char **), int argc, char **argv)
{
	optind = 0;	/* each subcommand parses its own options */
	return fn(argc, argv);
}

static int kernel(const char *label, const char *spec, char *kver, size_t len)
{
	char script[2048], suite[64], *colon = strchr(spec, ':');
	char ko[4096];

	if (!colon || colon == spec || !colon[1]) {
		error_msg("%s kernel '%s' is not SUITE:SERIES (e.g. trixie:7)", label, spec);
		return -1;
	}
	snprintf(suite, sizeof(suite), "%.*s", (int)(colon - spec), spec);
	snprintf(script, sizeof(script), "%s/harness/fetch-kernel.sh", top);
	if (run((char *[]){ script, suite, colon + 1, NULL }, kver, len) || !kver[0]) {
		error_msg("could not fetch the %s kernel %s", label, spec);
		return -1;
	}
	snprintf(script, sizeof(script), "%s/harness/build-module.sh", top);
	if (run((char *[]){ script, kver, NULL }, ko, sizeof(ko))) {
		error_msg("could not build dmabench.ko for %s", kver);
		return -1;
	}
	return 0;
}

static int move(const char *from_dir, const char *from, const char *to)
{
	char a[8192];

	snprintf(a, sizeof(a), "%s/%s", from_dir, from);
	if (rename(a, to)) {
		error_msg("%s: %s", a, strerror(errno));
		return -1;
	}
	return 0;
}

static void relink(const char *dir, const char *target)
{
	char link[4096];

	snprintf(link, sizeof(link), "%s/latest", dir);
	unlink(link);
	if (symlink(target, link))
		error_msg("%s: %s", link, strerror(errno));
}

static int boot_all(const char *out, const char *label, const char *kver,
		    const char *config, const char *accel, const char *timeout,
		    uint32_t modes, int *n, int total)
{
	char script[2048], dir[2048], tmp[4096], dst[4096];

	snprintf(script, sizeof(script), "%s/harness/boot.sh", top);
	snprintf(dir, sizeof(dir), "%s/%s", out, label);
	mkdir(dir, 0755);
	for (uint32_t m = 1; m < DMABENCH_MODE_COUNT; m++) {
		static const char *const files[][2] = {
			{ "console.log", "console.log" }, { "dmesg.log", "dmesg.log" },
			{ "channel.log", "channel.log" },
		};
		const char *mode = mode_name(m);
		char json[64];

		if (!(modes & (1u << m)))
			continue;
		fprintf(stderr, "dmabench: [%d/%d] %s %s %s (%s)\n", ++*n, total,
			label, kver, mode, accel);
		snprintf(tmp, sizeof(tmp), "%s/.%s", dir, mode);
		if (run((char *[]){ script, "--config", (char *)config, "--accel",
				    (char *)accel, "--timeout", (char *)timeout,
				    (char *)kver, (char *)mode, tmp, NULL }, NULL, 0)) {
			error_msg("%s guest (%s, %s) failed: see above and %s", label,
				  kver, mode, tmp);
			return -1;
		}
		snprintf(json, sizeof(json), "%s.json", mode);
		snprintf(dst, sizeof(dst), "%s/%s", dir, json);
		if (move(tmp, json, dst))
			return -1;
		for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
			snprintf(dst, sizeof(dst), "%s/%s.%s", dir, mode, files[f][1]);
			if (move(tmp, files[f][0], dst))
				return -1;
		}
		run((char *[]){ "/bin/rm", "-rf", tmp, NULL }, NULL, 0);
		snprintf(dst, sizeof(dst), "%s/%s.csv", dir, mode);
		snprintf(tmp, sizeof(tmp), "%s/%s.json", dir, mode);
		if (in_process(cmd_export, 5, (char *[]){ "export", "--csv", "-o", dst, tmp, NULL }))
			return -1;
	}
	return 0;
}

int cmd_matrix(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "accel", required_argument, NULL, 'a' },
		{ "out", required_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, 't' },
		{ "plots", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	char config[1200], out[1200], plots[2400], err[1024];
	char kb[128], ka[128], b[1300], a[1300], file[2600];
	const char *accel = "tcg", *timeout = "900", *cfg_arg = NULL, *out_arg = NULL;
	const char *plots_arg = NULL;
	struct config cfg;
	int opt, n = 0, total = 0;
	char stamp[32];
	time_t now = time(NULL);

	while ((opt = getopt_long(argc, argv, "c:a:o:t:p:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': cfg_arg = optarg; break;
		case 'a': accel = optarg; break;
		case 'o': out_arg = optarg; break;
		case 't': timeout = optarg; break;
		case 'p': plots_arg = optarg; break;
		case 'h': return usage(matrix_usage, 0);
		default: return usage(matrix_usage, 2);
		}
	}
	if (optind != argc - 2)
		return usage(matrix_usage, 2);
	if (strcmp(accel, "tcg") && strcmp(accel, "tcg-icount") && strcmp(accel, "kvm")) {
		error_msg("unknown accel '%s' (known: tcg tcg-icount kvm)", accel);
		return 2;
	}
	if (find_top()) {
		error_msg("harness/boot.sh not found beside the runner's folder");
		return 2;
	}
	if (cfg_arg)
		snprintf(config, sizeof(config), "%.1100s", cfg_arg);
	else
		snprintf(config, sizeof(config), "%s/configs/demo.ini", top);
	if (config_load(config, &cfg, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	for (uint32_t m = 1; m < DMABENCH_MODE_COUNT; m++)
		total += 2 * !!(cfg.modes & (1u << m));
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", gmtime(&now));
	if (out_arg)
		snprintf(out, sizeof(out), "%.1100s", out_arg);
	else
		snprintf(out, sizeof(out), "%s/results/%s", top, stamp);
	if (kernel("before", argv[optind], kb, sizeof(kb)) ||
	    kernel("after", argv[optind + 1], ka, sizeof(ka)))
		return 1;
	if (mkdir(out, 0755) && errno != EEXIST) {
		error_msg("%s: %s", out, strerror(errno));
		return 1;
	}
	if (boot_all(out, "before", kb, config, accel, timeout, cfg.modes, &n, total) ||
	    boot_all(out, "after", ka, config, accel, timeout, cfg.modes, &n, total))
		return 1;
	config_free(&cfg);

	snprintf(b, sizeof(b), "%s/before", out);
	snprintf(a, sizeof(a), "%s/after", out);
	snprintf(file, sizeof(file), "%s/compare.txt", out);
	if (in_process(cmd_compare, 5, (char *[]){ "compare", "-o", file, b, a, NULL }))
		return 1;
	snprintf(file, sizeof(file), "%s/report.txt", out);
	if (in_process(cmd_report, 5, (char *[]){ "report", "-o", file, b, a, NULL }))
		return 1;
	if (plots_arg)
		snprintf(plots, sizeof(plots), "%.1100s", plots_arg);
	else
		snprintf(plots, sizeof(plots), "%s/plots/%s", top, basename(out));
	mkdir(plots, 0755);
	if (in_process(cmd_plot, 5, (char *[]){ "plot", "-o", plots, b, a, NULL }))
		return 1;
	if (!out_arg) {
		snprintf(file, sizeof(file), "%s/results", top);
		relink(file, stamp);
		snprintf(file, sizeof(file), "%s/plots", top);
		relink(file, stamp);
	}
	snprintf(file, sizeof(file), "%s/compare.txt", out);
	{
		size_t len;
		char *text = read_file(file, &len);

		if (text)
			fwrite(text, 1, len, stdout);
		free(text);
	}
	fprintf(stderr, "dmabench: results in %s (report.txt to paste), plots in %s\n",
		out, plots);
	return 0;
}
