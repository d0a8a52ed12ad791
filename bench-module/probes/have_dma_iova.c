// SPDX-License-Identifier: GPL-2.0
/* Probe: the IOVA link API (dma_iova_try_alloc() and friends). */
#include <linux/dma-mapping.h>
#include <linux/module.h>

int probe_dma_iova(struct device *dev, phys_addr_t phys);
int probe_dma_iova(struct device *dev, phys_addr_t phys)
{
	struct dma_iova_state state;
	int ret;

	if (!dma_iova_try_alloc(dev, &state, phys, 64))
		return -EOPNOTSUPP;
	ret = dma_iova_link(dev, &state, phys, 0, 64, DMA_TO_DEVICE, 0);
	if (!ret)
		ret = dma_iova_sync(dev, &state, 0, 64);
	dma_iova_destroy(dev, &state, 64, DMA_TO_DEVICE, 0);
	return ret;
}

MODULE_LICENSE("GPL");
