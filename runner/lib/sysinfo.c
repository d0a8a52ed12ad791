// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sysinfo.h"
#include "util.h"

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static json_t *file_string(const char *path)
{
	char *s = read_file(path, NULL);
	json_t *j;

	if (!s)
		return json_null();
	chomp(s);
	j = json_string(s);
	free(s);
	return j ? j : json_null();
}

/* One /proc/cpuinfo field of the first CPU, or NULL (caller frees). */
static char *cpuinfo_field(const char *key)
{
	char line[512], *value = NULL;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return NULL;
	while (!value && fgets(line, sizeof(line), f) && line[0] != '\n') {
		char *colon = strchr(line, ':'), *end = colon;

		if (!colon)
			continue;
		while (end > line && (end[-1] == '\t' || end[-1] == ' '))
			end--;
		if (strlen(key) != (size_t)(end - line) || strncmp(line, key, end - line))
			continue;
		chomp(colon + 1);
		value = strdup(colon[1] == ' ' ? colon + 2 : colon + 1);
	}
	fclose(f);
	return value;
}

/*
 * x86's "model name"; arm64's cpuinfo has none, so its MIDR fields stand
 * in ("arm64 implementer 0x41 part 0xd0c r3p1"; QEMU's max CPU is 0x00).
 */
static json_t *cpu_model(void)
{
	char *name = cpuinfo_field("model name"), *impl, *part, *var, *rev, *buf = NULL;
	json_t *j;

	if (name) {
		j = json_string(name);
		free(name);
		return j ? j : json_null();
	}
	impl = cpuinfo_field("CPU implementer");
	part = cpuinfo_field("CPU part");
	var = cpuinfo_field("CPU variant");
	rev = cpuinfo_field("CPU revision");
	if (impl && part &&
	    asprintf(&buf, "arm64 implementer %s part %s r%ldp%s", impl, part,
		     var ? strtol(var, NULL, 16) : 0L, rev ? rev : "0") < 0)
		buf = NULL;
	j = buf ? json_string(buf) : NULL;
	free(buf);
	free(impl);
	free(part);
	free(var);
	free(rev);
	return j ? j : json_null();
}

/*
 * The first CPU's identity: vendor, family, model and stepping decide
 * which code paths run (cc_platform_has() on AMD, mitigations).
 */
static json_t *cpu_identity(void)
{
	static const char *const keys[][2] = {
		{ "vendor_id", "vendor" }, { "cpu family", "family" },
		{ "model", "model" }, { "stepping", "stepping" },
		{ "model name", "model_name" },
		/* arm64: the MIDR's fields, as the kernel prints them (hex) */
		{ "CPU implementer", "implementer" }, { "CPU part", "part" },
		{ "CPU variant", "variant" }, { "CPU revision", "revision" },
	};
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	json_t *o = json_object();

	if (!f)
		return o;
	while (fgets(line, sizeof(line), f) && line[0] != '\n') {
		char *colon = strchr(line, ':'), *end;

		if (!colon)
			continue;
		end = colon;
		while (end > line && (end[-1] == '\t' || end[-1] == ' '))
			end--;
		chomp(colon + 1);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *v = colon[1] == ' ' ? colon + 2 : colon + 1;
			char *num_end;
			long n;

			if (strlen(keys[k][0]) != (size_t)(end - line) ||
			    strncmp(line, keys[k][0], end - line))
				continue;
			n = strtol(v, &num_end, 10);
			if (k >= 1 && k <= 3 && *v && !*num_end)
				json_object_set_new(o, keys[k][1], json_integer(n));
			else
				json_object_set_new(o, keys[k][1], json_string(v));
		}
	}
	fclose(f);
	return o;
}

static json_t *mitigations(void)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	json_t *obj = json_object();
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return obj;
	while ((d = readdir(dp))) {
		char path[512];

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		json_object_set_new(obj, d->d_name, file_string(path));
	}
	closedir(dp);
	return obj;
}

json_t *sysinfo_collect(const char *accel)
{
	struct utsname u;
	json_t *o = json_object();

	if (uname(&u) == 0) {
		json_object_set_new(o, "kernel_release", json_string(u.release));
		json_object_set_new(o, "kernel_version", json_string(u.version));
		json_object_set_new(o, "machine", json_string(u.machine));
	}
	json_object_set_new(o, "kernel_cmdline", file_string("/proc/cmdline"));
	/* the compiler and linker the kernel (and so its modules) was built with */
	json_object_set_new(o, "proc_version", file_string("/proc/version"));
	json_object_set_new(o, "cpu_model", cpu_model());
	json_object_set_new(o, "cpu", cpu_identity());
	json_object_set_new(o, "online_cpus", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_set_new(o, "mitigations", mitigations());
	json_object_set_new(o, "accel", json_string(accel ? accel : "host"));
	return o;
}

int cpu_list_pick(const char *list, int first, int n, int *out)
{
	const char *p = list;
	int got = 0;

	while (got < n && *p && *p != '\n') {
		char *end;
		long lo, hi;

		if (*p < '0' || *p > '9')
			return -1;
		lo = strtol(p, &end, 10);
		hi = lo;
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return -1;
			hi = strtol(end + 1, &end, 10);
		}
		if (lo > hi || hi > 1 << 20)
			return -1;
		for (long cpu = lo; cpu <= hi && got < n; cpu++)
			if (cpu >= first)
				out[got++] = (int)cpu;
		if (*end == ',')
			end++;
		else if (*end && *end != '\n')
			return -1;
		p = end;
	}
	return got == n ? 0 : -1;
}
