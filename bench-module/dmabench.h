/* SPDX-License-Identifier: GPL-2.0 */
/* dmabench: internal interfaces between the driver, the runs and the loops. */
#ifndef _DMABENCH_H
#define _DMABENCH_H

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

#include "probes.h"
#include "uapi/dmabench.h"

/* One buffer under test, described every way an API wants it. */
struct dmabench_buf {
	struct page *page;	/* NULL for MMIO */
	void *virt;		/* NULL for MMIO */
	phys_addr_t phys;
	unsigned int offset;
	dma_addr_t addr;
	struct sg_table sgt;	/* DMABENCH_API_SG */
	unsigned int mapped;	/* entries dma_map_sg_attrs() returned */
#ifdef HAVE_DMA_IOVA
	struct dma_iova_state iova;
#endif
};

/* Everything a timed loop needs, resolved before the first counter read. */
struct dmabench_ctx {
	struct device *dev;
	struct dmabench_buf *bufs;
	unsigned int nbufs;
	unsigned int order;	/* of each buffer's page allocation */
	u32 *pick;		/* pool pattern: buffer of each op of a batch */
	size_t length;
	enum dma_data_direction dir;
	unsigned long attrs;
	unsigned int batch;
	unsigned int nents;
	u32 api;
	u32 pattern;
	bool irqs_off;
	bool twin;		/* DMABENCH_RUN_NULL_TWIN: time the null twins */
};

/* The device's MMIO window that the resource and MMIO APIs map. */
struct dmabench_mmio {
	phys_addr_t start;
	u64 size;
};

/* dmabench_loops.c: the only code that reads the cycle counter. */
int dmabench_counter_init(void);
void dmabench_counter_exit(void);
const char *dmabench_counter_name(void);
u64 dmabench_cycles_per_sec(void);
int dmabench_map_once(struct dmabench_ctx *ctx, struct dmabench_buf *buf);
void dmabench_unmap_once(struct dmabench_ctx *ctx, struct dmabench_buf *buf);
int dmabench_run_batch(struct dmabench_ctx *ctx, struct dmabench_sample *s);

/* dmabench_run.c */
extern atomic_t dmabench_live_pages;
u32 dmabench_supported_apis(void);
u32 dmabench_mode_apis(struct device *dev, const struct dmabench_mmio *mmio);
bool dmabench_api_is_mmio(u32 api);
int dmabench_execute(struct device *dev, const struct dmabench_mmio *mmio,
		     struct dmabench_run *r, const atomic_t *gone,
		     unsigned long budget);

/* dmabench_mode.c */
u32 dmabench_detect_mode(struct device *dev, u32 *domain_type, u32 *force);
u32 dmabench_classify(struct device *dev, phys_addr_t phys, dma_addr_t addr);
bool dmabench_uses_iommu(struct device *dev);

#endif /* _DMABENCH_H */
