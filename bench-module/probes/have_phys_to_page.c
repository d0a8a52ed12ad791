// SPDX-License-Identifier: GPL-2.0
/* Probe: a generic phys_to_page() (older kernels spell it out). */
#include <linux/mm.h>
#include <linux/module.h>

struct page *probe_phys_to_page(phys_addr_t phys);
struct page *probe_phys_to_page(phys_addr_t phys)
{
	return phys_to_page(phys);
}

MODULE_LICENSE("GPL");
