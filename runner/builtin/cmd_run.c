// SPDX-License-Identifier: GPL-2.0
/* dmabench run: measure a config's matrix on /dev/dmabench, write a result. */
#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "commands.h"
#include "config.h"
#include "device.h"
#include "frame.h"
#include "names.h"
#include "pci_claim.h"
#include "results.h"
#include "measure.h"
#include "sysinfo.h"
#include "util.h"

static const char run_usage[] =
"usage: dmabench run [options] CONFIG\n"
"\n"
"Measure every cell of CONFIG's matrix on the dmabench device and write\n"
"one result document (JSON) with all per-batch samples.\n"
"\n"
"  -o, --output FILE       result file (default: dmabench-result.json)\n"
"  -m, --expect-mode MODE  refuse to run unless the device is in MODE\n"
"                          (direct strict lazy swiotlb passthrough)\n"
"  -a, --accel NAME        how the machine runs: host, tcg, tcg-icount, kvm\n"
"                          (recorded in the result; default host)\n"
"  -d, --device PATH       the module's device node (default /dev/dmabench)\n"
"  -n, --config-name NAME  record NAME as the config's path (e.g. where it\n"
"                          lives on the host when run in a guest)\n"
"  -k, --kernel-source FILE  JSON object saying where the kernel came\n"
"                          from (the harness passes it), kept in the\n"
"                          result as kernel_source\n"
"  -M, --machine FILE      JSON object describing the (virtual) machine\n"
"                          (the harness passes QEMU's version, command\n"
"                          line, CPU model, IOMMU), kept as machine\n"
"  -x, --explain SYMS      also run each cell once more with the explain\n"
"                          markers (for QEMU's explain plugin, which the\n"
"                          harness loads with boot.sh --explain), and write\n"
"                          the kernel's text symbols (/proc/kallsyms, as\n"
"                          root) to SYMS, gzip'd, for dmabench explain --attach\n"
"  -F, --cell-frames DEV   send the result's head, then each cell as it is\n"
"                          measured, as frames to DEV (the harness's\n"
"                          channel): a guest that dies keeps what it\n"
"                          measured (unpack --salvage)\n"
"  -p, --pci ADDRESS       bind the PCI device at ADDRESS (lspci -D) to\n"
"                          dmabench through driver_override for the run,\n"
"                          and give it back afterwards, also on Ctrl-C\n"
"  -f, --force             with --pci: take the device from the driver\n"
"                          that holds it (bound back afterwards)\n"
"  -s, --set-mode MODE     with --pci: put the device's IOMMU group in MODE\n"
"                          for the run (strict, lazy or passthrough: the\n"
"                          group type DMA, DMA-FQ or identity), restored\n"
"                          afterwards; direct and swiotlb need a reboot.\n"
"                          Implies --expect-mode MODE\n"
"  -q, --quiet             no progress line\n"
"  -h, --help              this text\n"
"\n"
"Exit status: 0 all cells measured or unsupported, 1 some cell failed,\n"
"2 bad usage or config, 3 the device is not in the expected mode;\n"
"killed by the signal that stopped it (after giving the device back).\n";

/* The signal that asked a run with --pci to stop, 0 while none did. */
static volatile sig_atomic_t stop_signal;

static void note_signal(int sig)
{
	stop_signal = sig;
}

/* Until the device is given back, INT, TERM and HUP only ask to stop. */
static void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = note_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Give the device back, say what was restored; -1 if something was not. */
static int give_back(struct pci_claim *claim)
{
	char err[512];
	int had_type = claim->old_type[0] != '\0';

	if (!claim->bound)
		return 0;
	if (pci_release(claim, err, sizeof(err))) {
		error_msg("giving %s back: %s", claim->bdf, err);
		return -1;
	}
	fprintf(stderr, "dmabench: %s given back (%s%s%s)\n", claim->bdf,
		claim->old_driver[0] ? "bound to " : "left unbound, as found",
		claim->old_driver, had_type ? ", IOMMU group type restored" : "");
	return 0;
}

/* What --pci did, for the result: device, group, types, driver. */
static json_t *binding_json(const struct pci_claim *claim, int force)
{
	return json_pack("{s:s, s:i, s:s, s:s?, s:s?, s:b}",
			 "pci", claim->bdf, "iommu_group", claim->group,
			 "group_type", claim->type,
			 "group_type_before", claim->old_type[0] ? claim->old_type : NULL,
			 "driver_before", claim->old_driver[0] ? claim->old_driver : NULL,
			 "forced", force);
}

static json_t *module_json(const struct dmabench_info *info)
{
	json_t *apis = json_array(), *mode_apis = json_array(), *features = json_array();

	for (uint32_t a = 0; a < DMABENCH_API_COUNT; a++) {
		if (info->apis & (1u << a))
			json_array_append_new(apis, json_string(api_name(a)));
		if (info->mode_apis & (1u << a))
			json_array_append_new(mode_apis, json_string(api_name(a)));
	}
	for (unsigned int b = 0; b < DEVICE_FEATURE_COUNT; b++)
		if (info->features & (1u << b))
			json_array_append_new(features, json_string(device_feature_name(b)));
	/* dma_max_mapping_size() is SIZE_MAX when nothing limits it. */
	json_t *max = info->max_mapping_size > INT64_MAX ? json_null() :
		      json_integer((json_int_t)info->max_mapping_size);
	char bdf[16], type[16] = "";
	int group = -1;

	if (!pci_parse_bdf(info->device, bdf, sizeof(bdf)))
		pci_iommu_group(bdf, &group, type, sizeof(type));
	return json_pack("{s:i, s:s, s:o, s:o, s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:I, s:i, s:i, s:b}",
			 "abi_version", DMABENCH_ABI_VERSION,
			 "device", info->device,
			 "iommu_group", group >= 0 ? json_integer(group) : json_null(),
			 "iommu_group_type", type[0] ? json_string(type) : json_null(),
			 "counter", info->counter,
			 "cycles_per_sec", (json_int_t)info->cycles_per_sec,
			 "detected_mode", mode_name(info->mode),
			 "apis", apis,
			 "mode_apis", mode_apis,
			 "features", features,
			 "max_mapping_size", max,
			 "mmio_size", (json_int_t)info->mmio_size,
			 "online_cpus", (int)info->online_cpus,
			 "iommu_domain_type", (int)info->iommu_domain_type,
			 "swiotlb_force", (int)info->swiotlb_force);
}

static void progress(size_t done, size_t total, const struct cell *c,
		     time_t start)
{
	long elapsed = (long)(time(NULL) - start);
	long eta = done ? elapsed * (long)(total - done) / (long)done : 0;

	fprintf(stderr, "\r[%3zu/%zu] %-12.12s %-9s %7u B  ETA %lds   ",
		done, total, c->job, api_name(c->api), c->size, eta);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* @j (its reference taken) as one frame @name on @device. */
static int send_frame(const char *device, const char *name, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	char err[512];
	int ret = -1;

	json_decref(j);
	if (text)
		ret = frame_send(device, name, text, strlen(text), err, sizeof(err));
	if (ret && text)
		error_msg("%s", err);
	free(text);
	return ret;
}

/* Does the running kernel's command line hold the word @word? */
static int cmdline_has(const char *word)
{
	char *line = read_file("/proc/cmdline", NULL);
	char *tok, *save = NULL;
	int found = 0;

	for (tok = line ? strtok_r(line, " \n", &save) : NULL; tok && !found;
	     tok = strtok_r(NULL, " \n", &save))
		found = !strcmp(tok, word);
	free(line);
	return found;
}

static char *command_line(int argc, char **argv)
{
	size_t n = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = calloc(1, n);
	for (int i = 0; s && i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/*
 * The text symbols of /proc/kallsyms (types t and T, modules included),
 * gzip'd to @path. Without root the addresses read as zeros: refuse.
 */
static int write_text_symbols(const char *path, char *err, size_t len)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long addr;
	unsigned long n = 0, nonzero = 0;
	char line[512], type;
	gzFile gz;

	if (!f) {
		snprintf(err, len, "/proc/kallsyms: %s", strerror(errno));
		return -1;
	}
	gz = gzopen(path, "wb6");
	if (!gz) {
		fclose(f);
		snprintf(err, len, "%s: cannot write", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c", &addr, &type) != 2 || (type != 't' && type != 'T'))
			continue;
		n++;
		nonzero += addr != 0;
		gzputs(gz, line);
	}
	fclose(f);
	if (gzclose(gz) != Z_OK) {
		snprintf(err, len, "%s: write failed", path);
		return -1;
	}
	if (!n || !nonzero) {
		snprintf(err, len, "/proc/kallsyms: %s", n ? "addresses hidden (not root, or kptr_restrict)" : "no text symbols");
		return -1;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "expect-mode", required_argument, NULL, 'm' },
		{ "accel", required_argument, NULL, 'a' },
		{ "device", required_argument, NULL, 'd' },
		{ "config-name", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "kernel-source", required_argument, NULL, 'k' },
		{ "machine", required_argument, NULL, 'M' },
		{ "explain", required_argument, NULL, 'x' },
		{ "cell-frames", required_argument, NULL, 'F' },
		{ "pci", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "set-mode", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *out = "dmabench-result.json", *dev = DMABENCH_DEVICE;
	const char *accel = "host", *config_name = NULL, *explain = NULL, *frames = NULL;
	const char *pci = NULL, *group_type = NULL;
	struct pci_claim claim = { .group = -1 };
	int force = 0, set_mode = -1;
	int expect = -1, quiet = !isatty(STDERR_FILENO), opt, failed = 0, fd;
	char err[1024], created[32], *cmdline;
	struct dmabench_info info;
	struct measure_env env;
	struct config cfg;
	json_t *doc, *cells, *source = NULL, *machine = NULL;
	json_error_t jerr = { .text = "" };
	time_t start = time(NULL);

	cmdline = command_line(argc, argv);
	while ((opt = getopt_long(argc, argv, "o:m:a:d:n:k:M:x:F:p:fs:qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'a': accel = optarg; break;
		case 'd': dev = optarg; break;
		case 'n': config_name = optarg; break;
		case 'q': quiet = 1; break;
		case 'x': explain = optarg; break;
		case 'F': frames = optarg; break;
		case 'k':
		case 'M':
			*(opt == 'k' ? &source : &machine) = json_load_file(optarg, 0, &jerr);
			if (!json_is_object(opt == 'k' ? source : machine)) {
				error_msg("--%s %s: not a JSON object (%s)",
					  opt == 'k' ? "kernel-source" : "machine", optarg, jerr.text);
				return 2;
			}
			break;
		case 'p': pci = optarg; break;
		case 'f': force = 1; break;
		case 'm':
		case 's':
			*(opt == 'm' ? &expect : &set_mode) = mode_from_name(optarg);
			if (mode_from_name(optarg) <= 0) {
				error_msg("unknown mode '%s' (known: %s)", optarg, mode_names());
				return 2;
			}
			break;
		case 'h': return usage(run_usage, 0);
		default: return usage(run_usage, 2);
		}
	}
	if (optind != argc - 1)
		return usage(run_usage, 2);
	if ((force || set_mode > 0) && !pci) {
		error_msg("--%s needs --pci ADDRESS (the device to bind)", force ? "force" : "set-mode");
		return 2;
	}
	if (set_mode > 0 && expect > 0 && set_mode != expect) {
		error_msg("--set-mode %s and --expect-mode %s disagree", mode_name(set_mode),
			  mode_name(expect));
		return 2;
	}
	if (set_mode > 0) {
		expect = set_mode;
		group_type = pci_group_type_for_mode(set_mode);
	}
	if (strcmp(accel, "host") && strcmp(accel, "tcg") &&
	    strcmp(accel, "tcg-icount") && strcmp(accel, "kvm")) {
		error_msg("unknown accel '%s' (known: host tcg tcg-icount kvm)", accel);
		return 2;
	}
	if (config_load(argv[optind], &cfg, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	if (check_writable(out)) {
		error_msg("%s: cannot write the result there (%s): nothing measured", out,
			  strerror(errno));
		return 2;
	}
	if (pci) {
		int group;
		char type[16];

		/* Modes a running kernel cannot switch to: only if already there. */
		if (set_mode > 0 && !group_type) {
			char bdf[16];

			/* a malformed address is refused by pci_claim() below */
			group = -1;
			if (!pci_parse_bdf(pci, bdf, sizeof(bdf)))
				pci_iommu_group(bdf, &group, type, sizeof(type));
			if (group >= 0) {
				error_msg("%s mode needs a reboot: %s (the device is in IOMMU group %d, type %s)",
					  mode_name(set_mode), pci_mode_boot_hint(set_mode), group, type);
				return 2;
			}
		}
		catch_stop_signals();
		if (pci_claim(&claim, pci, force, group_type, err, sizeof(err))) {
			error_msg("--pci: %s", err);
			return 2;
		}
		if (claim.old_type[0])
			fprintf(stderr, "dmabench: IOMMU group %d of %s: type %s -> %s for this run\n",
				claim.group, claim.bdf, claim.old_type, claim.type);
		if (claim.bound)
			fprintf(stderr, "dmabench: %s bound to dmabench%s%s\n", claim.bdf,
				claim.old_driver[0] ? ", taken from " : "", claim.old_driver);
	}
	fd = device_open(dev, err, sizeof(err));
	if (fd < 0 || device_info(fd, &info, err, sizeof(err))) {
		error_msg("%s", err);
		give_back(&claim);
		return 2;
	}
	if (pci && strcmp(info.device, claim.bdf)) {
		error_msg("%s drives %s, not %s", dev, info.device, claim.bdf);
		close(fd);
		give_back(&claim);
		return 2;
	}
	if (expect == DMABENCH_MODE_LAZY && info.mode == DMABENCH_MODE_STRICT &&
	    cmdline_has("iommu.strict=0") && !pci) {
		error_msg("lazy is not available on this machine: the kernel was booted with iommu.strict=0 and still runs %s's IOMMU domain strict (AMD-Vi does under virtualization: \"Using strict mode due to virtualization\")",
			  info.device);
		close(fd);
		return 3;
	}
	if (expect > 0 && (uint32_t)expect != info.mode) {
		char waiting[512];
		int w = pci_iommu_without_driver(waiting, sizeof(waiting));

		error_msg("mode mismatch: requested %s, but %s is in %s mode (IOMMU domain type %#x, swiotlb force %u): refusing to report it%s%s",
			  mode_name(expect), info.device, mode_name(info.mode),
			  info.iommu_domain_type, info.swiotlb_force, w ? ": " : "", w ? waiting : "");
		close(fd);
		give_back(&claim);
		return 3;
	}

	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime(&start));
	cells = json_array();
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s}, s:{s:s, s:s, s:s*}}",
			"schema", RESULT_SCHEMA, "schema_version", RESULT_SCHEMA_VERSION,
			"dmabench_version", DMABENCH_VERSION, "created", created,
			"command_line", cmdline ? cmdline : "",
			"system", sysinfo_collect(accel),
			"module", module_json(&info),
			"mode", "requested", expect > 0 ? mode_name(expect) : "any",
			"detected", mode_name(info.mode),
			"config", "path", config_name ? config_name : cfg.path, "text", cfg.text ? cfg.text : "",
			"description", cfg.description);
	free(cmdline);
	if (source)
		json_object_set_new(doc, "kernel_source", source);
	if (machine)
		json_object_set_new(doc, "machine", machine);
	if (pci)
		json_object_set_new(doc, "binding", binding_json(&claim, force));

	env.fd = fd;
	env.info = &info;
	env.icount = !strcmp(accel, "tcg-icount");
	env.baselines = json_object();
	env.explain = explain != NULL;
	env.explain_sessions = 0;
	if (explain && write_text_symbols(explain, err, sizeof(err))) {
		error_msg("--explain: %s", err);
		give_back(&claim);
		return 2;
	}
	if (frames && send_frame(frames, "partial.head.json",
				 json_pack("{s:O, s:I}", "result", doc,
					   "cells_total", (json_int_t)cfg.ncells))) {
		error_msg("--cell-frames %s: cannot send", frames);
		give_back(&claim);
		return 2;
	}
	for (size_t i = 0; i < cfg.ncells && !stop_signal; i++) {
		char name[48];
		json_t *cj;

		if (!quiet)
			progress(i, cfg.ncells, &cfg.cells[i], start);
		cj = measure_cell(&env, &cfg.cells[i], &failed);
		if (!cj) {
			error_msg("out of memory");
			give_back(&claim);
			return 2;
		}
		json_array_append_new(cells, cj);
		snprintf(name, sizeof(name), "partial.%05zu.json", i);
		if (frames && send_frame(frames, name, json_incref(cj)))
			error_msg("--cell-frames %s: cannot send cell %zu", frames, i);
	}
	json_decref(env.baselines);
	close(fd);
	if (pci && give_back(&claim))
		failed = failed ? failed : 1;
	if (stop_signal) {
		error_msg("stopped by SIG%s after %zu of %zu cells: no result written",
			  sigabbrev_np(stop_signal), json_array_size(cells), cfg.ncells);
		json_decref(doc);
		json_decref(cells);
		config_free(&cfg);
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
		return 128 + stop_signal;
	}
	if (!quiet)
		progress(cfg.ncells, cfg.ncells, &cfg.cells[cfg.ncells - 1], start);
	json_object_set_new(doc, "cells", cells);
	json_object_set_new(doc, "complete", json_true());
	if (result_write(out, doc, err, sizeof(err))) {
		error_msg("%s", err);
		failed = 2;
	}
	json_decref(doc);
	config_free(&cfg);
	return failed;
}
