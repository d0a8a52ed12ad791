/* SPDX-License-Identifier: GPL-2.0 */
/* dmabench: internal interfaces between the driver, the loops and modes. */
#ifndef _DMABENCH_H
#define _DMABENCH_H

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/types.h>

#include "probes.h"
#include "uapi/dmabench.h"

/* One buffer under test: its page and offset, and the same as phys. */
struct dmabench_buf {
	struct page *page;
	unsigned int offset;
	phys_addr_t phys;
	dma_addr_t addr;
};

/* Everything a timed loop needs, resolved before the first counter read. */
struct dmabench_ctx {
	struct device *dev;
	struct dmabench_buf *bufs;
	unsigned int nbufs;
	size_t length;
	enum dma_data_direction dir;
	unsigned long attrs;
	unsigned int batch;
	u32 api;
	u32 pattern;
	bool irqs_off;
};

/* dmabench_loops.c: the only code that reads the cycle counter. */
u32 dmabench_supported_apis(void);
const char *dmabench_counter_name(void);
u64 dmabench_cycles_per_sec(void);
int dmabench_map_once(struct dmabench_ctx *ctx, struct dmabench_buf *buf);
void dmabench_unmap_once(struct dmabench_ctx *ctx, struct dmabench_buf *buf);
int dmabench_run_batch(struct dmabench_ctx *ctx, struct dmabench_sample *s);

/* dmabench_mode.c */
u32 dmabench_detect_mode(struct device *dev, u32 *domain_type, u32 *force);
u32 dmabench_classify(struct device *dev, phys_addr_t phys, dma_addr_t addr);

#endif /* _DMABENCH_H */
