// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "names.h"
#include "uapi/dmabench.h"

static const char *const apis[DMABENCH_API_COUNT] = {
	[DMABENCH_API_NULL] = "null",
	[DMABENCH_API_PAGE] = "page",
	[DMABENCH_API_PHYS] = "phys",
	[DMABENCH_API_ROUNDTRIP] = "roundtrip",
	[DMABENCH_API_SINGLE] = "single",
	[DMABENCH_API_SG] = "sg",
	[DMABENCH_API_RESOURCE] = "resource",
	[DMABENCH_API_PHYS_MMIO] = "phys_mmio",
	[DMABENCH_API_IOVA] = "iova",
	[DMABENCH_API_SYNC] = "sync",
};

static const char *const modes[DMABENCH_MODE_COUNT] = {
	[DMABENCH_MODE_UNKNOWN] = "unknown",
	[DMABENCH_MODE_DIRECT] = "direct",
	[DMABENCH_MODE_PASSTHROUGH] = "passthrough",
	[DMABENCH_MODE_STRICT] = "strict",
	[DMABENCH_MODE_LAZY] = "lazy",
	[DMABENCH_MODE_SWIOTLB] = "swiotlb",
};

static const char *const patterns[DMABENCH_PATTERN_COUNT] = {
	[DMABENCH_PATTERN_PAIR] = "pair",
	[DMABENCH_PATTERN_BATCH] = "batch",
	[DMABENCH_PATTERN_POOL] = "pool",
};

static const char *const dirs[] = {
	[DMABENCH_DIR_BIDIRECTIONAL] = "bidirectional",
	[DMABENCH_DIR_TO_DEVICE] = "to_device",
	[DMABENCH_DIR_FROM_DEVICE] = "from_device",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *lookup(const char *const *t, unsigned int n, uint32_t v)
{
	return v < n && t[v] ? t[v] : "?";
}

static int find(const char *const *t, unsigned int n, const char *name)
{
	for (unsigned int i = 0; i < n; i++)
		if (t[i] && !strcmp(t[i], name))
			return (int)i;
	return -1;
}

static const char *join(const char *const *t, unsigned int n, char *buf,
			size_t len)
{
	buf[0] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		if (!t[i])
			continue;
		if (buf[0])
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, t[i], len - strlen(buf) - 1);
	}
	return buf;
}

const char *api_name(uint32_t v) { return lookup(apis, COUNT(apis), v); }
const char *mode_name(uint32_t v) { return lookup(modes, COUNT(modes), v); }
const char *pattern_name(uint32_t v) { return lookup(patterns, COUNT(patterns), v); }
const char *dir_name(uint32_t v) { return lookup(dirs, COUNT(dirs), v); }

int api_from_name(const char *s) { return find(apis, COUNT(apis), s); }
int mode_from_name(const char *s) { return find(modes, COUNT(modes), s); }
int pattern_from_name(const char *s) { return find(patterns, COUNT(patterns), s); }
int dir_from_name(const char *s) { return find(dirs, COUNT(dirs), s); }

const char *api_names(void)
{
	static char buf[128];

	return join(apis, COUNT(apis), buf, sizeof(buf));
}

int mode_uses_iommu(uint32_t mode)
{
	return mode == DMABENCH_MODE_STRICT || mode == DMABENCH_MODE_LAZY ||
	       mode == DMABENCH_MODE_PASSTHROUGH;
}

const char *mode_names(void)
{
	static char buf[128];

	return join(modes, COUNT(modes), buf, sizeof(buf));
}

const char *pattern_names(void)
{
	static char buf[64];

	return join(patterns, COUNT(patterns), buf, sizeof(buf));
}

const char *dir_names(void)
{
	static char buf[64];

	return join(dirs, COUNT(dirs), buf, sizeof(buf));
}

const char *mode_column(const char *mode)
{
	return !strcmp(mode, "passthrough") ? "pt" : mode;
}
