// SPDX-License-Identifier: GPL-2.0
/* Probe: DMA_ATTR_MMIO, for dma_map_phys() of MMIO without a page. */
#include <linux/dma-mapping.h>
#include <linux/module.h>

unsigned long probe_dma_attr_mmio(void);
unsigned long probe_dma_attr_mmio(void)
{
	return DMA_ATTR_MMIO;
}

MODULE_LICENSE("GPL");
