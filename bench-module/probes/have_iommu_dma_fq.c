// SPDX-License-Identifier: GPL-2.0
/* Probe: iommu_get_domain_for_dev() and the DMA-FQ (lazy) domain type. */
#include <linux/iommu.h>
#include <linux/module.h>

bool probe_iommu_dma_fq(struct device *dev);
bool probe_iommu_dma_fq(struct device *dev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

	return dom && dom->type == IOMMU_DOMAIN_DMA_FQ;
}

MODULE_LICENSE("GPL");
