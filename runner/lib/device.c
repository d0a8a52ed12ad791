// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "device.h"
#include "pci_claim.h"
#include "names.h"

#define DEVICE_GONE "the device was unbound or the module is going away; nothing more can be measured on this open file"

const struct cli_option device_cli_options[] = {
	CLI_OPT("device", 'd', "PATH",
		"the module's device node (default " DMABENCH_DEVICE ")"),
	CLI_END
};

int device_open(const char *path, char *err, size_t len)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		char waiting[512];

		if (errno == ENOENT && pci_iommu_without_driver(waiting, sizeof(waiting)))
			snprintf(err, len, "%s: no such device: %s", path, waiting);
		else if (errno == ENOENT)
			snprintf(err, len, "%s: no such device: is dmabench.ko loaded and bound to a device (see 'dmesg | grep dmabench')?", path);
		else if (errno == EACCES || errno == EPERM)
			snprintf(err, len, "%s: %s (the node is 0600: run as root)", path, strerror(errno));
		else
			snprintf(err, len, "%s: %s", path, strerror(errno));
	}
	return fd;
}

int device_info(int fd, struct dmabench_info *info, char *err, size_t len)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->abi_version = DMABENCH_ABI_VERSION;
	if (ioctl(fd, DMABENCH_IOC_INFO, info) == 0)
		return 0;
	if (errno == EINVAL)
		snprintf(err, len, "INFO refused: the module speaks another ABI than this runner (version %d)", DMABENCH_ABI_VERSION);
	else if (errno == ENODEV)
		snprintf(err, len, "INFO failed (ENODEV): %s", DEVICE_GONE);
	else
		snprintf(err, len, "INFO failed: %s", strerror(errno));
	return -errno;
}

const char *device_feature_name(unsigned int bit)
{
	static const char *const names[DEVICE_FEATURE_COUNT] = { "deadline_ms" };

	return bit < DEVICE_FEATURE_COUNT ? names[bit] : NULL;
}

/* E2BIG: a batch over the preemption-off limit, or one mapping too large. */
static void explain_e2big(const struct dmabench_info *info,
			  const struct dmabench_run *run, char *err, size_t len)
{
	if ((uint64_t)run->length * (run->nents ? run->nents : 1) * run->batch >
	    DMABENCH_MAX_BATCH_BYTES) {
		snprintf(err, len, "a batch of %u ops of %u bytes x %u entries maps more than %u MiB (E2BIG): a batch runs with preemption off; ask for a smaller batch",
			 run->batch, run->length, run->nents ? run->nents : 1,
			 DMABENCH_MAX_BATCH_BYTES >> 20);
		return;
	}
	snprintf(err, len, "size %u is too large: at most %u bytes per mapping, %llu in this mode, %llu of MMIO, %u MiB (buffers and samples) per request",
		 run->length, info->max_size,
		 (unsigned long long)info->max_mapping_size,
		 (unsigned long long)info->mmio_size,
		 DMABENCH_MAX_FOOTPRINT >> 20);
}

/* EINVAL: the field the module most likely refused, else the whole request. */
static void explain_einval(const struct dmabench_info *info,
			   const struct dmabench_run *run, char *err, size_t len)
{
	if (run->api >= DMABENCH_API_COUNT)
		snprintf(err, len, "unknown API %u (known: %s)", run->api, api_names());
	else if (!run->length)
		snprintf(err, len, "size 0: a mapping needs at least 1 byte");
	else if (run->deadline_ms && !(info->features & DMABENCH_FEATURE_DEADLINE_MS))
		snprintf(err, len, "deadline_ms refused (EINVAL): this dmabench.ko does not honour it (its INFO names no such feature: a module older than the field)");
	else
		snprintf(err, len, "request refused as malformed (EINVAL): api %s pattern %u dir %u size %u offset %u batch %u batches %u",
			 api_name(run->api), run->pattern, run->dir,
			 run->length, run->offset, run->batch, run->batches);
}

/* The module's refusal @e of @run, as what to do about it, into @err. */
static void explain_refusal(int e, const struct dmabench_info *info,
			    const struct dmabench_run *run, char *err, size_t len)
{
	switch (e) {
	case EOPNOTSUPP:
		snprintf(err, len, "API '%s' is not supported by this kernel (the module's build-time probe did not find it)",
			 api_name(run->api));
		break;
	case ENXIO:
		snprintf(err, len, "API '%s' is not usable in %s mode (the IOVA API needs an IOMMU; the MMIO APIs a BAR the DMA layer maps without bouncing)",
			 api_name(run->api), mode_name(info->mode));
		break;
	case E2BIG:
		explain_e2big(info, run, err, len);
		break;
	case EINVAL:
		explain_einval(info, run, err, len);
		break;
	case ENOSPC:
		snprintf(err, len, "a mapping failed (ENOSPC): %s for %s of %u bytes, batch %u (see dmesg)",
			 info->mode == DMABENCH_MODE_SWIOTLB ?
			 "the swiotlb bounce pool ran out of slots" :
			 info->mode == DMABENCH_MODE_STRICT || info->mode == DMABENCH_MODE_LAZY ?
			 "the IOMMU ran out of IOVA space" :
			 "the DMA layer refused the mapping",
			 api_name(run->api), run->length, run->batch);
		break;
	case ENOMEM:
		snprintf(err, len, "the module could not allocate its own memory for the request (ENOMEM: buffers, scatterlists or %u samples), not a DMA mapping failure: ask for fewer batches, threads or buffers",
			 run->batches * (run->threads ? run->threads : 1));
		break;
	case ENODEV:
		snprintf(err, len, "RUN failed (ENODEV): %s", DEVICE_GONE);
		break;
	case EBUSY:
		snprintf(err, len, "RUN refused (EBUSY): another request is measuring on this device; the module runs one at a time");
		break;
	case ETIMEDOUT:
		snprintf(err, len, "RUN stopped (ETIMEDOUT) at its deadline (the request's deadline_ms, or the module's max_run_ms if sooner) after %llu of %llu measured ops; the completed batches' samples were returned",
			 (unsigned long long)run->ops,
			 (unsigned long long)run->batch * run->batches *
			 (run->threads ? run->threads : 1));
		break;
	case EINTR:
		snprintf(err, len, "interrupted by a signal");
		break;
	case EPERM:
		snprintf(err, len, "RUN needs CAP_SYS_ADMIN (run as root): it pins CPUs with preemption off");
		break;
	default:
		snprintf(err, len, "RUN failed: %s", strerror(e));
	}
}

int device_run(int fd, const struct dmabench_info *info,
	       struct dmabench_run *run, char *err, size_t len)
{
	int e;

	run->size = sizeof(*run);
	run->abi_version = DMABENCH_ABI_VERSION;
	if (ioctl(fd, DMABENCH_IOC_RUN, run) == 0)
		return 0;
	/* explained after the request, never before: nothing added on its way in */
	e = errno;
	explain_refusal(e, info, run, err, len);
	return -e;
}
