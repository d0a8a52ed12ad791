// SPDX-License-Identifier: GPL-2.0
/* Probe: struct io_tlb_mem with a default pool (swiotlb pool bounds). */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/swiotlb.h>

bool probe_swiotlb_defpool(struct device *dev, phys_addr_t phys);
bool probe_swiotlb_defpool(struct device *dev, phys_addr_t phys)
{
	struct io_tlb_mem *mem = dev->dma_io_tlb_mem;

	return mem && phys >= mem->defpool.start && phys < mem->defpool.end;
}

MODULE_LICENSE("GPL");
