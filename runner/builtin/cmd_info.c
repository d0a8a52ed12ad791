// SPDX-License-Identifier: GPL-2.0
/* dmabench info: the module's view of the device and this kernel. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "counters.h"
#include "device.h"
#include "names.h"
#include "options.h"
#include "pci_claim.h"
#include "sysinfo.h"
#include "util.h"

static const char info_usage[] =
"usage: dmabench info [-d PATH] [--json]\n"
"\n"
"Print the kernel, the module's ABI, the device it drives with its IOMMU\n"
"group and the group's domain type, the DMA mode the module detected,\n"
"which APIs this kernel has and this mode can use, the cycle counter in\n"
"use, and which perf counters and tracepoints can be counted.\n";

static const struct cli_option info_options[] = {
	CLI_GROUP(device_cli_options),
	CLI_OPT("json", 'j', NULL, "print JSON instead of text"),
	CLI_HELP,
	CLI_END
};

/* What the module and this kernel can do, as one JSON object (takes @sys, @counters). */
static void info_json(const struct dmabench_info *info, json_t *sys, json_t *counters,
		      int group, const char *type)
{
	json_t *apis = json_array(), *features = json_array(), *o;

	for (uint32_t a = 0; a < DMABENCH_API_COUNT; a++)
		json_array_append_new(apis, json_pack("{s:s, s:b, s:b}",
			"api", api_name(a), "supported", !!(info->apis & (1u << a)),
			"usable", !!(info->mode_apis & (1u << a))));
	for (unsigned int b = 0; b < DEVICE_FEATURE_COUNT; b++)
		if (info->features & (1u << b))
			json_array_append_new(features, json_string(device_feature_name(b)));
	o = json_pack("{s:o, s:i, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:s, s:I, s:I}",
		      "system", sys, "abi_version", DMABENCH_ABI_VERSION,
		      "device", info->device,
		      "iommu_group", group >= 0 ? json_integer(group) : json_null(),
		      "iommu_group_type", type[0] ? json_string(type) : json_null(),
		      "mode", mode_name(info->mode),
		      "apis", apis, "features", features, "counters", counters,
		      "counter", info->counter,
		      "cycles_per_sec", (json_int_t)info->cycles_per_sec,
		      "max_mapping_size", (json_int_t)info->max_mapping_size);
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(o);
}

/* The module's device, group, mode, counter and limits, a line each. */
static void info_device_lines(const struct dmabench_info *info, int group, const char *type)
{
	printf("module ABI:  %u, features:", info->abi_version);
	for (unsigned int b = 0; b < DEVICE_FEATURE_COUNT; b++)
		if (info->features & (1u << b))
			printf(" %s", device_feature_name(b));
	printf("%s\n", info->features ? "" : " none (a module older than INFO's feature mask)");
	printf("device:      %s\n", info->device);
	if (group >= 0)
		printf("iommu group: %d, domain type %s\n", group, type[0] ? type : "unknown");
	else
		printf("iommu group: none (no IOMMU translates for this device)\n");
	printf("mode:        %s (IOMMU domain type %#x, swiotlb force %u)\n",
	       mode_name(info->mode), info->iommu_domain_type, info->swiotlb_force);
	if (info->cycles_per_sec)
		printf("counter:     %s at %llu Hz\n", info->counter,
		       (unsigned long long)info->cycles_per_sec);
	else	/* arm64's PMCCNTR_EL0: the CPU's clock, which no one reports */
		printf("counter:     %s (a cycle counter, rate unknown)\n", info->counter);
	printf("max mapping: %llu bytes (module limit %u)\n",
	       (unsigned long long)info->max_mapping_size, info->max_size);
}

/* The same as text: the kernel, the device, the APIs, the counters. */
static void info_text(const struct dmabench_info *info, json_t *sys, json_t *counters,
		      int group, const char *type)
{
	printf("kernel:      %s\n", json_string_value(json_object_get(sys, "kernel_release")));
	printf("cpu:         %s\n", json_string_value(json_object_get(sys, "cpu_model")));
	info_device_lines(info, group, type);
	printf("apis:       ");
	for (uint32_t a = 0; a < DMABENCH_API_COUNT; a++)
		printf(" %s%s", api_name(a), !(info->apis & (1u << a)) ? "(absent)" :
		       !(info->mode_apis & (1u << a)) ? "(not in this mode)" : "");
	printf("\n");
	for (int pass = 0; pass < 2; pass++) {
		json_t *set = json_object_get(counters, pass ? "tracepoints" : "timed");
		const char *name;
		json_t *v;

		printf(pass ? "tracepoints:" : "counters:   ");
		json_object_foreach(set, name, v)
			printf(" %s%s", name, json_is_true(v) ? "" : "(unavailable)");
		printf("\n");
	}
	json_decref(counters);
	json_decref(sys);
}

int cmd_info(int argc, char **argv)
{
	const char *dev = DMABENCH_DEVICE;
	struct dmabench_info info;
	int opt, as_json = 0, fd, group = -1;
	char err[512], bdf[16], type[16] = "";
	json_t *sys, *counters;

	while ((opt = cli_getopt(argc, argv, info_options)) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'j': as_json = 1; break;
		case 'h': return cli_usage(info_usage, info_options, 0);
		default: return cli_usage(info_usage, info_options, 2);
		}
	}
	if (optind != argc)
		return cli_usage(info_usage, info_options, 2);
	fd = device_open(dev, err, sizeof(err));
	if (fd < 0 || device_info(fd, &info, err, sizeof(err))) {
		error_msg("%s", err);
		return 2;
	}
	close(fd);
	if (!pci_parse_bdf(info.device, bdf, sizeof(bdf)))
		pci_iommu_group(bdf, &group, type, sizeof(type));
	sys = sysinfo_collect(NULL);
	counters = json_pack("{s:o, s:o}", "timed", counters_available(PASS_TIMED),
			     "tracepoints", counters_available(PASS_TRACEPOINTS));
	if (as_json)
		info_json(&info, sys, counters, group, type);
	else
		info_text(&info, sys, counters, group, type);
	return 0;
}
