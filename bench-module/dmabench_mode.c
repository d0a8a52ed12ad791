// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: which DMA path the device really got (IOMMU domain type, forced
 * bouncing), and how one mapping behaved, so that a run in the wrong mode is
 * refused instead of reported.
 */
#include <linux/iommu.h>
#include <linux/swiotlb.h>

#include "dmabench.h"

u32 dmabench_detect_mode(struct device *dev, u32 *domain_type, u32 *force)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

	*domain_type = dom ? dom->type : 0;
	*force = is_swiotlb_force_bounce(dev);
	if (dom) {
		switch (dom->type) {
		case IOMMU_DOMAIN_IDENTITY:
			return DMABENCH_MODE_PASSTHROUGH;
		case IOMMU_DOMAIN_DMA:
			return DMABENCH_MODE_STRICT;
#ifdef HAVE_IOMMU_DMA_FQ
		case IOMMU_DOMAIN_DMA_FQ:
			return DMABENCH_MODE_LAZY;
#endif
		default:
			return DMABENCH_MODE_UNKNOWN;
		}
	}
	return *force ? DMABENCH_MODE_SWIOTLB : DMABENCH_MODE_DIRECT;
}

static bool dmabench_in_swiotlb(struct device *dev, phys_addr_t phys)
{
#ifdef HAVE_SWIOTLB_DEFPOOL
	struct io_tlb_mem *mem = dev->dma_io_tlb_mem;

	return mem && phys >= mem->defpool.start && phys < mem->defpool.end;
#else
	return false;
#endif
}

u32 dmabench_classify(struct device *dev, phys_addr_t phys, dma_addr_t addr)
{
	u32 flags = 0;

	if (addr == (dma_addr_t)phys)
		flags |= DMABENCH_MAP_DMA_EQ_PHYS;
	/* Without an IOMMU a dma address is a bus (here: physical) address. */
	if (!iommu_get_domain_for_dev(dev) &&
	    dmabench_in_swiotlb(dev, (phys_addr_t)addr))
		flags |= DMABENCH_MAP_IN_SWIOTLB;
	return flags;
}

/* True when the DMA API goes through an IOMMU translation for @dev. */
bool dmabench_uses_iommu(struct device *dev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

	return dom && dom->type != IOMMU_DOMAIN_IDENTITY &&
	       dom->type != IOMMU_DOMAIN_BLOCKED;
}
