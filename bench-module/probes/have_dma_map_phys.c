// SPDX-License-Identifier: GPL-2.0
/* Probe: dma_map_phys()/dma_unmap_phys() (the physical-address DMA API). */
#include <linux/dma-mapping.h>
#include <linux/module.h>

dma_addr_t probe_dma_map_phys(struct device *dev, phys_addr_t phys);
dma_addr_t probe_dma_map_phys(struct device *dev, phys_addr_t phys)
{
	dma_addr_t addr = dma_map_phys(dev, phys, 64, DMA_TO_DEVICE, 0);

	dma_unmap_phys(dev, addr, 64, DMA_TO_DEVICE, 0);
	return addr;
}

MODULE_LICENSE("GPL");
