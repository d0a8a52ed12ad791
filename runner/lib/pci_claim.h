/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PCI device the user names, taken for dmabench through driver_override
 * (the way the kernel's map_benchmark is bound) and given back as it was:
 * its driver, its driver_override, its IOMMU group's domain type.
 */
#ifndef DMABENCH_PCI_CLAIM_H
#define DMABENCH_PCI_CLAIM_H

#include <stddef.h>

struct pci_claim {
	char bdf[16];		/* canonical: 0000:00:03.0 */
	char old_driver[64];	/* driver that held it, "" for none */
	char old_override[64];	/* driver_override before, "" for none */
	int group;		/* IOMMU group, -1 without one */
	char old_type[16];	/* group type before a switch, "" if none */
	char type[16];		/* group type during the run */
	int bound;		/* 1: bound to dmabench by us, undo it */
};

/*
 * What the group type file says for each mode that a running kernel can
 * switch to; NULL for modes that need a reboot (direct, swiotlb).
 */
const char *pci_group_type_for_mode(int mode);

/* The boot command line a mode needs, for the refusal message. */
const char *pci_mode_boot_hint(int mode);

/*
 * Canonicalize @name ("00:03.0" or "0000:00:03.0") into @bdf.
 * Returns 0, or -1 if it is not a PCI address.
 */
int pci_parse_bdf(const char *name, char *bdf, size_t len);

/* @bdf's IOMMU group and its type; group -1 and type "" without one. */
void pci_iommu_group(const char *bdf, int *group, char *type, size_t len);

/*
 * Bind @bdf to dmabench. A device another driver holds is refused unless
 * @force. @group_type (or NULL) is written to the device's IOMMU group
 * while the device is unbound. On failure everything done is undone and
 * @err says why; returns 0 or -1.
 */
int pci_claim(struct pci_claim *c, const char *bdf, int force,
	      const char *group_type, char *err, size_t len);

/*
 * Give the device back: unbind it from dmabench, restore driver_override
 * and the group type, rebind its old driver. Every step is tried; returns
 * 0, or -1 with the first failure in @err.
 */
int pci_release(struct pci_claim *c, char *err, size_t len);

/*
 * An IOMMU whose driver is not loaded, which DMA devices behind it wait
 * for: a virtio-iommu device without its module. Says which in @msg.
 */
int pci_iommu_without_driver(char *msg, size_t len);

#endif
