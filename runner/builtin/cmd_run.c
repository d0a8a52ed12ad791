// SPDX-License-Identifier: GPL-2.0
/* dmabench run: measure a config's matrix on /dev/dmabench, write a result. */
#include <errno.h>
#include <stdint.h>
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
#include "options.h"
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
"Exit status: 0 all cells measured or unsupported, 1 some cell failed,\n"
"2 bad usage or config, 3 the device is not in the expected mode;\n"
"killed by the signal that stopped it (after giving the device back).\n";

static const struct cli_option run_cmd_options[] = {
	CLI_OUTPUT("FILE", "result file (default: dmabench-result.json)"),
	CLI_OPT("expect-mode", 'm', "MODE",
		"refuse to run unless the device is in MODE (direct strict lazy "
		"swiotlb passthrough)"),
	CLI_OPT("accel", 'a', "NAME",
		"how the machine runs: host, tcg, tcg-icount, kvm (recorded in the "
		"result; default host)"),
	CLI_GROUP(device_cli_options),
	CLI_OPT("config-name", 'n', "NAME",
		"record NAME as the config's path (e.g. where it lives on the host "
		"when run in a guest)"),
	CLI_OPT("kernel-source", 'k', "FILE",
		"JSON object saying where the kernel came from (the harness passes "
		"it), kept in the result as kernel_source"),
	CLI_OPT("machine", 'M', "FILE",
		"JSON object describing the (virtual) machine (the harness passes "
		"QEMU's version, command line, CPU model, IOMMU), kept as machine"),
	CLI_OPT("explain", 'x', "SYMS",
		"also run each cell once more with the explain markers (for QEMU's "
		"explain plugin, which the harness loads with boot.sh --explain), "
		"and write the kernel's text symbols (/proc/kallsyms, as root) to "
		"SYMS, gzip'd, for dmabench explain --attach"),
	CLI_OPT("cell-frames", 'F', "DEV",
		"send the result's head, then each cell as it is measured, as "
		"frames to DEV (the harness's channel): a guest that dies keeps "
		"what it measured (unpack --salvage)"),
	CLI_OPT("pci", 'p', "ADDRESS",
		"bind the PCI device at ADDRESS (lspci -D) to dmabench through "
		"driver_override for the run, and give it back afterwards, also "
		"on Ctrl-C"),
	CLI_OPT("force", 'f', NULL,
		"with --pci: take the device from the driver that holds it (bound "
		"back afterwards)"),
	CLI_OPT("set-mode", 's', "MODE",
		"with --pci: put the device's IOMMU group in MODE for the run "
		"(strict, lazy or passthrough: the group type DMA, DMA-FQ or "
		"identity), restored afterwards; direct and swiotlb need a reboot. "
		"Implies --expect-mode MODE"),
	CLI_OPT("quiet", 'q', NULL, "no progress line"),
	CLI_HELP,
	CLI_END
};

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

/* One run: its options, then the device and what it measured. */
struct run_job {
	const char *out, *dev, *accel, *config_name, *explain, *frames, *pci, *group_type;
	const char *config;
	int force, set_mode, expect, quiet, fd, cfg_loaded;
	size_t measured;	/* cells, when a stop signal came */
	json_t *source, *machine;
	char *cmdline;
	struct config cfg;
	struct pci_claim claim;
	struct dmabench_info info;
	time_t start;
};

/* --kernel-source and --machine: JSON objects kept in the result. */
static int json_option(const char *name, const char *path, json_t **to)
{
	json_error_t jerr = { .text = "" };

	json_decref(*to);
	*to = json_load_file(path, 0, &jerr);
	if (json_is_object(*to))
		return 0;
	error_msg("--%s %s: not a JSON object (%s)", name, path, jerr.text);
	return -1;
}

/* The options into @j; -1 to go on, else the exit status. */
static int run_parse(int argc, char **argv, struct run_job *j)
{
	int opt;

	while ((opt = cli_getopt(argc, argv, run_cmd_options)) != -1) {
		switch (opt) {
		case 'o': j->out = optarg; break;
		case 'a': j->accel = optarg; break;
		case 'd': j->dev = optarg; break;
		case 'n': j->config_name = optarg; break;
		case 'q': j->quiet = 1; break;
		case 'x': j->explain = optarg; break;
		case 'F': j->frames = optarg; break;
		case 'k':
			if (json_option("kernel-source", optarg, &j->source))
				return 2;
			break;
		case 'M':
			if (json_option("machine", optarg, &j->machine))
				return 2;
			break;
		case 'p': j->pci = optarg; break;
		case 'f': j->force = 1; break;
		case 'm':
		case 's':
			*(opt == 'm' ? &j->expect : &j->set_mode) = mode_from_name(optarg);
			if (mode_from_name(optarg) <= 0) {
				error_msg("unknown mode '%s' (known: %s)", optarg, mode_names());
				return 2;
			}
			break;
		case 'h': return cli_usage(run_usage, run_cmd_options, 0);
		default: return cli_usage(run_usage, run_cmd_options, 2);
		}
	}
	if (optind != argc - 1)
		return cli_usage(run_usage, run_cmd_options, 2);
	j->config = argv[optind];
	return -1;
}

/* Options that disagree, the config, the output's folder; -1 to go on. */
static int run_check(struct run_job *j)
{
	char err[1024];

	if ((j->force || j->set_mode > 0) && !j->pci) {
		error_msg("--%s needs --pci ADDRESS (the device to bind)",
			  j->force ? "force" : "set-mode");
		return 2;
	}
	if (j->set_mode > 0 && j->expect > 0 && j->set_mode != j->expect) {
		error_msg("--set-mode %s and --expect-mode %s disagree", mode_name(j->set_mode),
			  mode_name(j->expect));
		return 2;
	}
	if (j->set_mode > 0) {
		j->expect = j->set_mode;
		j->group_type = pci_group_type_for_mode(j->set_mode);
	}
	if (strcmp(j->accel, "host") && strcmp(j->accel, "tcg") &&
	    strcmp(j->accel, "tcg-icount") && strcmp(j->accel, "kvm")) {
		error_msg("unknown accel '%s' (known: host tcg tcg-icount kvm)", j->accel);
		return 2;
	}
	if (config_load(j->config, &j->cfg, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	j->cfg_loaded = 1;
	if (check_writable(j->out)) {
		error_msg("%s: cannot write the result there (%s): nothing measured", j->out,
			  strerror(errno));
		return 2;
	}
	return -1;
}

/* --pci: the device taken, its IOMMU group switched if asked; -1 to go on. */
static int run_claim(struct run_job *j)
{
	struct pci_claim *claim = &j->claim;
	char err[1024], type[16], bdf[16];
	int group = -1;

	if (!j->pci)
		return -1;
	/* Modes a running kernel cannot switch to: only if already there. */
	if (j->set_mode > 0 && !j->group_type) {
		/* a malformed address is refused by pci_claim() below */
		if (!pci_parse_bdf(j->pci, bdf, sizeof(bdf)))
			pci_iommu_group(bdf, &group, type, sizeof(type));
		if (group >= 0) {
			error_msg("%s mode needs a reboot: %s (the device is in IOMMU group %d, type %s)",
				  mode_name(j->set_mode), pci_mode_boot_hint(j->set_mode), group, type);
			return 2;
		}
	}
	catch_stop_signals();
	if (pci_claim(claim, j->pci, j->force, j->group_type, err, sizeof(err))) {
		error_msg("--pci: %s", err);
		return 2;
	}
	if (claim->old_type[0])
		fprintf(stderr, "dmabench: IOMMU group %d of %s: type %s -> %s for this run\n",
			claim->group, claim->bdf, claim->old_type, claim->type);
	if (claim->bound)
		fprintf(stderr, "dmabench: %s bound to dmabench%s%s\n", claim->bdf,
			claim->old_driver[0] ? ", taken from " : "", claim->old_driver);
	return -1;
}

/* The device opened, and in the mode asked for; -1 to go on. */
static int run_open(struct run_job *j)
{
	const struct dmabench_info *info = &j->info;
	char err[1024], waiting[512];
	int w;

	j->fd = device_open(j->dev, err, sizeof(err));
	if (j->fd < 0 || device_info(j->fd, &j->info, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	if (j->pci && strcmp(info->device, j->claim.bdf)) {
		error_msg("%s drives %s, not %s", j->dev, info->device, j->claim.bdf);
		return 2;
	}
	if (j->expect == DMABENCH_MODE_LAZY && info->mode == DMABENCH_MODE_STRICT &&
	    cmdline_has("iommu.strict=0") && !j->pci) {
		error_msg("lazy is not available on this machine: the kernel was booted with iommu.strict=0 and still runs %s's IOMMU domain strict (AMD-Vi does under virtualization: \"Using strict mode due to virtualization\")",
			  info->device);
		return 3;
	}
	if (j->expect > 0 && (uint32_t)j->expect != info->mode) {
		w = pci_iommu_without_driver(waiting, sizeof(waiting));
		error_msg("mode mismatch: requested %s, but %s is in %s mode (IOMMU domain type %#x, swiotlb force %u): refusing to report it%s%s",
			  mode_name(j->expect), info->device, mode_name(info->mode),
			  info->iommu_domain_type, info->swiotlb_force, w ? ": " : "", w ? waiting : "");
		return 3;
	}
	return -1;
}

/* The result's document before its cells: where and how it ran. */
static json_t *run_document(struct run_job *j)
{
	char created[32];
	json_t *doc;

	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime(&j->start));
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s}, s:{s:s, s:s, s:s*}}",
			"schema", RESULT_SCHEMA, "schema_version", RESULT_SCHEMA_VERSION,
			"dmabench_version", DMABENCH_VERSION, "created", created,
			"command_line", j->cmdline ? j->cmdline : "",
			"system", sysinfo_collect(j->accel),
			"module", module_json(&j->info),
			"mode", "requested", j->expect > 0 ? mode_name(j->expect) : "any",
			"detected", mode_name(j->info.mode),
			"config", "path", j->config_name ? j->config_name : j->cfg.path,
			"text", j->cfg.text ? j->cfg.text : "", "description", j->cfg.description);
	if (!doc)
		return NULL;
	if (j->source)
		json_object_set(doc, "kernel_source", j->source);
	if (j->machine)
		json_object_set(doc, "machine", j->machine);
	if (j->pci)
		json_object_set_new(doc, "binding", binding_json(&j->claim, j->force));
	return doc;
}

/*
 * Every cell into @cells, each sent as a frame as it ends with
 * --cell-frames; -1 to go on (*@failed: a cell failed), else 2.
 */
static int run_cells(struct run_job *j, json_t *doc, json_t *cells, int *failed)
{
	struct measure_env env = {
		.fd = j->fd, .info = &j->info, .icount = !strcmp(j->accel, "tcg-icount"),
		.baselines = json_object(), .explain = j->explain != NULL,
	};
	char err[1024];
	int rc = -1;

	if (j->explain && write_text_symbols(j->explain, err, sizeof(err))) {
		error_msg("--explain: %s", err);
		rc = 2;
	} else if (j->frames && send_frame(j->frames, "partial.head.json",
					    json_pack("{s:O, s:I}", "result", doc, "cells_total",
						      (json_int_t)j->cfg.ncells))) {
		error_msg("--cell-frames %s: cannot send", j->frames);
		rc = 2;
	}
	for (size_t i = 0; rc < 0 && i < j->cfg.ncells && !stop_signal; i++) {
		char name[48];
		json_t *cj;

		if (!j->quiet)
			progress(i, j->cfg.ncells, &j->cfg.cells[i], j->start);
		cj = measure_cell(&env, &j->cfg.cells[i], failed);
		if (!cj) {
			error_msg("out of memory");
			rc = 2;
			break;
		}
		json_array_append_new(cells, cj);
		snprintf(name, sizeof(name), "partial.%05zu.json", i);
		if (j->frames && send_frame(j->frames, name, json_incref(cj)))
			error_msg("--cell-frames %s: cannot send cell %zu", j->frames, i);
	}
	json_decref(env.baselines);
	return rc;
}

/* Measure and write the result; the exit status (-1: a stop signal came). */
static int run_measure(struct run_job *j)
{
	json_t *doc = run_document(j), *cells = json_array();
	char err[1024];
	int failed = 0, rc;

	if (!doc || !cells) {
		error_msg("out of memory");
		json_decref(doc);
		json_decref(cells);
		return 2;
	}
	rc = run_cells(j, doc, cells, &failed);
	j->measured = json_array_size(cells);
	if (rc < 0 && stop_signal) {
		rc = -1;	/* said once the device is given back */
	} else if (rc < 0) {
		if (!j->quiet)
			progress(j->cfg.ncells, j->cfg.ncells, &j->cfg.cells[j->cfg.ncells - 1],
				 j->start);
		json_object_set(doc, "cells", cells);
		json_object_set_new(doc, "complete", json_true());
		rc = failed;
		if (result_write(j->out, doc, err, sizeof(err))) {
			error_msg("%s", err);
			rc = 2;
		}
	}
	json_decref(cells);
	json_decref(doc);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_job j = {
		.out = "dmabench-result.json", .dev = DMABENCH_DEVICE, .accel = "host",
		.set_mode = -1, .expect = -1, .quiet = !isatty(STDERR_FILENO), .fd = -1,
		.claim = { .group = -1 }, .start = time(NULL),
	};
	int rc, sig;

	j.cmdline = command_line(argc, argv);
	rc = run_parse(argc, argv, &j);
	if (rc < 0)
		rc = run_check(&j);
	if (rc < 0)
		rc = run_claim(&j);
	if (rc < 0)
		rc = run_open(&j);
	if (rc < 0)
		rc = run_measure(&j);	/* -1 after a stop signal */
	if (j.fd >= 0)
		close(j.fd);
	/* the device back to its driver and group type, whatever happened */
	if (give_back(&j.claim) && !rc)
		rc = 1;
	free(j.cmdline);
	json_decref(j.source);
	json_decref(j.machine);
	if (rc < 0) {
		sig = stop_signal;
		error_msg("stopped by SIG%s after %zu of %zu cells: no result written",
			  sigabbrev_np(sig), j.measured, j.cfg.ncells);
		signal(sig, SIG_DFL);
		raise(sig);
		return 128 + sig;
	}
	if (j.cfg_loaded)
		config_free(&j.cfg);
	return rc;
}
