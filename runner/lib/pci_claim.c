// SPDX-License-Identifier: GPL-2.0
/*
 * Take a named PCI device for dmabench and give it back, through sysfs:
 * driver_override + bind, as the kernel's map_benchmark is bound. The
 * sysfs root is DMABENCH_SYSFS when set (the host tests' fake tree).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci_claim.h"
#include "uapi/dmabench.h"

#define DRIVER "dmabench"
#define VIRTIO_ID_IOMMU 23	/* include/uapi/linux/virtio_ids.h */

static const char *sysfs_root(void)
{
	const char *root = getenv("DMABENCH_SYSFS");

	return root && *root ? root : "/sys";
}

static void sysfs_path(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void sysfs_path(char *buf, size_t len, const char *fmt, ...)
{
	int n = snprintf(buf, len, "%s/", sysfs_root());
	va_list ap;

	if (n < 0 || (size_t)n >= len)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* @src into @dst, cut to fit: sysfs names are short, never cut in practice. */
static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The first line of @path without its newline; -1 if it cannot be read. */
static int read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(out, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

/* Write @s to the sysfs attribute @path: 0, or -errno. */
static int write_attr(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(s))
		ret = -EIO;
	close(fd);
	return ret;
}

/* The last component of symlink @path into @out; "" if it is no link. */
static void link_name(const char *path, char *out, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *slash;

	out[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	slash = strrchr(target, '/');
	copy_str(out, len, slash ? slash + 1 : target);
}

const char *pci_group_type_for_mode(int mode)
{
	switch (mode) {
	case DMABENCH_MODE_STRICT: return "DMA";
	case DMABENCH_MODE_LAZY: return "DMA-FQ";
	case DMABENCH_MODE_PASSTHROUGH: return "identity";
	default: return NULL;
	}
}

const char *pci_mode_boot_hint(int mode)
{
	switch (mode) {
	case DMABENCH_MODE_DIRECT:
		return "boot without IOMMU translation (intel_iommu=off or amd_iommu=off; iommu=pt gives passthrough, not direct)";
	case DMABENCH_MODE_SWIOTLB:
		return "boot with the IOMMU off and swiotlb=force (e.g. intel_iommu=off swiotlb=force)";
	default:
		return "boot with an IOMMU enabled (intel_iommu=on, or amd_iommu on AMD)";
	}
}

/* Does @s have the shape of @pattern, where 'h' stands for a hex digit? */
static int shaped(const char *s, const char *pattern)
{
	for (; *pattern; s++, pattern++) {
		if (*pattern == 'h' ? !isxdigit((unsigned char)*s) : *s != *pattern)
			return 0;
	}
	return *s == '\0';
}

int pci_parse_bdf(const char *name, char *bdf, size_t len)
{
	unsigned int dom = 0, bus, dev, fn;

	if (shaped(name, "hhhh:hh:hh.h"))
		sscanf(name, "%x:%x:%x.%x", &dom, &bus, &dev, &fn);
	else if (shaped(name, "hh:hh.h"))
		sscanf(name, "%x:%x.%x", &bus, &dev, &fn);
	else
		return -1;
	if (dev > 0x1f || fn > 7)
		return -1;
	snprintf(bdf, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

void pci_iommu_group(const char *bdf, int *group, char *type, size_t len)
{
	char path[PATH_MAX], name[32], *end;
	long n;

	*group = -1;
	type[0] = '\0';
	sysfs_path(path, sizeof(path), "bus/pci/devices/%s/iommu_group", bdf);
	link_name(path, name, sizeof(name));
	n = strtol(name, &end, 10);
	if (!name[0] || *end || n < 0 || n > INT_MAX)
		return;
	*group = (int)n;
	sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/type", *group);
	if (read_line(path, type, len))
		type[0] = '\0';
}

/* Another device that dmabench drives already, into @other; 0 if none. */
static int driven_elsewhere(const char *bdf, char *other, size_t len)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int found = 0;

	sysfs_path(path, sizeof(path), "bus/pci/drivers/" DRIVER);
	d = opendir(path);
	while (d && !found && (e = readdir(d))) {
		if (strchr(e->d_name, ':') && strcmp(e->d_name, bdf)) {
			copy_str(other, len, e->d_name);
			found = 1;
		}
	}
	if (d)
		closedir(d);
	return found;
}

/* A device of @group other than @bdf that has a driver; 0 if none. */
static int group_busy(int group, const char *bdf, char *other, size_t olen,
		      char *driver, size_t dlen)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int found = 0;

	sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/devices", group);
	d = opendir(path);
	while (d && !found && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, bdf))
			continue;
		sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/devices/%s/driver",
			   group, e->d_name);
		link_name(path, driver, dlen);
		if (driver[0]) {
			copy_str(other, olen, e->d_name);
			found = 1;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static int driver_do(const char *driver, const char *what, const char *bdf)
{
	char path[PATH_MAX];

	sysfs_path(path, sizeof(path), "bus/pci/drivers/%s/%s", driver, what);
	return write_attr(path, bdf);
}

static int set_override(const char *bdf, const char *driver)
{
	char path[PATH_MAX];

	sysfs_path(path, sizeof(path), "bus/pci/devices/%s/driver_override", bdf);
	/* a lone newline clears it */
	return write_attr(path, driver[0] ? driver : "\n");
}

static int set_group_type(int group, const char *type)
{
	char path[PATH_MAX];

	sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/type", group);
	return write_attr(path, type);
}

static const char *group_type_errno(int err)
{
	switch (err) {
	case -EPERM: return "a driver still holds a device of the group, or the group is owned (VFIO)";
	case -EBUSY: return "the group is busy";
	case -EINVAL: return "this IOMMU driver or kernel does not offer that type";
	case -EACCES: return "needs root";
	default: return strerror(-err);
	}
}

/* @name as a PCI address of this machine, with the dmabench driver loaded. */
static int claim_find(struct pci_claim *c, const char *name, char *err, size_t len)
{
	char path[PATH_MAX];

	if (pci_parse_bdf(name, c->bdf, sizeof(c->bdf))) {
		snprintf(err, len, "'%.32s' is not a PCI address (DOMAIN:BUS:DEVICE.FUNCTION as lspci -D prints it, e.g. 0000:03:00.0)",
			 name);
		return -1;
	}
	sysfs_path(path, sizeof(path), "bus/pci/devices/%s", c->bdf);
	if (access(path, F_OK)) {
		snprintf(err, len, "no PCI device %s on this machine (lspci -D lists them)", c->bdf);
		return -1;
	}
	sysfs_path(path, sizeof(path), "bus/pci/drivers/" DRIVER);
	if (access(path, F_OK)) {
		snprintf(err, len, "the dmabench driver is not loaded: insmod dmabench.ko (or modprobe dmabench after a DKMS install) first");
		return -1;
	}
	return 0;
}

/* The device's driver now, and whether dmabench may take it from it. */
static int claim_holder(struct pci_claim *c, int force, char *err, size_t len)
{
	char path[PATH_MAX], other[64];

	sysfs_path(path, sizeof(path), "bus/pci/devices/%s/driver", c->bdf);
	link_name(path, c->old_driver, sizeof(c->old_driver));
	if (c->old_driver[0] && strcmp(c->old_driver, DRIVER) && !force) {
		snprintf(err, len, "%s is held by the driver %s: refusing to take it (--force unbinds it for the run and binds it back afterwards)",
			 c->bdf, c->old_driver);
		return -1;
	}
	if (driven_elsewhere(c->bdf, other, sizeof(other))) {
		snprintf(err, len, "dmabench already drives %s and drives one device at a time: unbind it first (echo %s > /sys/bus/pci/drivers/dmabench/unbind)",
			 other, other);
		return -1;
	}
	return 0;
}

/*
 * The device's IOMMU group, and whether its type can be switched to
 * *@group_type; *@group_type becomes NULL when the group has it already.
 */
static int claim_group(struct pci_claim *c, const char **group_type,
		       char *err, size_t len)
{
	char other[64], other_drv[64];

	pci_iommu_group(c->bdf, &c->group, c->type, sizeof(c->type));
	if (*group_type && c->group < 0) {
		snprintf(err, len, "%s is in no IOMMU group: this kernel runs it without an IOMMU, and the IOMMU mode is chosen at boot (%s)",
			 c->bdf, pci_mode_boot_hint(DMABENCH_MODE_STRICT));
		return -1;
	}
	if (*group_type && !strcmp(c->type, *group_type))
		*group_type = NULL;
	if (*group_type && group_busy(c->group, c->bdf, other, sizeof(other),
				      other_drv, sizeof(other_drv))) {
		snprintf(err, len, "IOMMU group %d also holds %s, bound to %s: the group's type changes only with all its devices unbound",
			 c->group, other, other_drv);
		return -1;
	}
	return 0;
}

/*
 * Unbind the old driver, switch the group to @group_type (or not, if
 * NULL), bind to dmabench. What failed is in @err; what was done before
 * it is undone.
 */
static int claim_bind(struct pci_claim *c, const char *group_type,
		      char *err, size_t len)
{
	char ignored[256];
	int ret;

	/* From here on, pci_release() undoes what was done. */
	c->bound = 1;
	if (c->old_driver[0]) {
		ret = driver_do(c->old_driver, "unbind", c->bdf);
		if (ret) {
			snprintf(err, len, "unbinding %s from %s: %s", c->bdf, c->old_driver,
				 strerror(-ret));
			c->bound = 0;
			return -1;
		}
	}
	if (group_type) {
		ret = set_group_type(c->group, group_type);
		if (ret) {
			snprintf(err, len, "IOMMU group %d: cannot change type %s to %s: %s",
				 c->group, c->type, group_type, group_type_errno(ret));
			goto undo;
		}
		copy_str(c->old_type, sizeof(c->old_type), c->type);
	}
	ret = set_override(c->bdf, DRIVER);
	if (ret) {
		snprintf(err, len, "%s: cannot set driver_override: %s", c->bdf, strerror(-ret));
		goto undo;
	}
	ret = driver_do(DRIVER, "bind", c->bdf);
	if (ret) {
		snprintf(err, len, "binding %s to dmabench failed: %s (the kernel log says why)",
			 c->bdf, strerror(-ret));
		goto undo;
	}
	return 0;
undo:
	pci_release(c, ignored, sizeof(ignored));
	return -1;
}

int pci_claim(struct pci_claim *c, const char *name, int force,
	      const char *group_type, char *err, size_t len)
{
	char path[PATH_MAX];

	memset(c, 0, sizeof(*c));
	c->group = -1;
	/* the checks change nothing: a refusal leaves nothing to undo */
	if (claim_find(c, name, err, len) || claim_holder(c, force, err, len) ||
	    claim_group(c, &group_type, err, len))
		return -1;
	/* Already ours, and nothing to switch: nothing to do or undo. */
	if (!strcmp(c->old_driver, DRIVER) && !group_type)
		return 0;
	sysfs_path(path, sizeof(path), "bus/pci/devices/%s/driver_override", c->bdf);
	if (read_line(path, c->old_override, sizeof(c->old_override)) ||
	    !strcmp(c->old_override, "(null)"))
		c->old_override[0] = '\0';
	if (claim_bind(c, group_type, err, len))
		return -1;
	/* the group's type as the bound device has it now */
	pci_iommu_group(c->bdf, &c->group, c->type, sizeof(c->type));
	return 0;
}

int pci_release(struct pci_claim *c, char *err, size_t len)
{
	int ret, failed = 0;

	err[0] = '\0';
#define FAIL(...) do { if (!failed++) snprintf(err, len, __VA_ARGS__); } while (0)
	if (c->bound) {
		ret = driver_do(DRIVER, "unbind", c->bdf);
		if (ret && ret != -ENODEV)
			FAIL("unbinding %s from dmabench: %s", c->bdf, strerror(-ret));
		ret = set_override(c->bdf, c->old_override);
		if (ret)
			FAIL("%s: restoring driver_override: %s", c->bdf, strerror(-ret));
	}
	if (c->old_type[0]) {
		ret = set_group_type(c->group, c->old_type);
		if (ret)
			FAIL("IOMMU group %d: restoring type %s: %s", c->group, c->old_type,
			     group_type_errno(ret));
		else
			c->old_type[0] = '\0';
	}
	if (c->bound && c->old_driver[0]) {
		ret = driver_do(c->old_driver, "bind", c->bdf);
		if (ret)
			FAIL("binding %s back to %s: %s", c->bdf, c->old_driver, strerror(-ret));
	}
#undef FAIL
	c->bound = 0;
	return failed ? -1 : 0;
}

int pci_iommu_without_driver(char *msg, size_t len)
{
	char path[PATH_MAX], id[16], drv[64];
	struct dirent *e;
	DIR *d;
	int found = 0;

	sysfs_path(path, sizeof(path), "bus/virtio/devices");
	d = opendir(path);
	while (d && !found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		sysfs_path(path, sizeof(path), "bus/virtio/devices/%s/device", e->d_name);
		if (read_line(path, id, sizeof(id)) || strtol(id, NULL, 16) != VIRTIO_ID_IOMMU)
			continue;
		sysfs_path(path, sizeof(path), "bus/virtio/devices/%s/driver", e->d_name);
		link_name(path, drv, sizeof(drv));
		if (drv[0])
			continue;
		snprintf(msg, len, "the virtio-iommu device %.32s has no driver: the devices behind it wait for it (deferred probe) until the kernel gives up and probes them without an IOMMU; load its module, virtio_iommu (CONFIG_VIRTIO_IOMMU=m), before dmabench.ko",
			 e->d_name);
		found = 1;
	}
	if (d)
		closedir(d);
	return found;
}
