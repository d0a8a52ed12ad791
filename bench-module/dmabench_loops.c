// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: the timed loops, the only place that reads the cycle counter.
 *
 * Each API gets its own loop instance with the API folded in at compile
 * time, so no switch or indirect call sits between two counter reads: only
 * the calls under test and, in the batch pattern, the loop that walks the
 * buffers (the NULL API has the same loop shape, so it can be subtracted).
 */
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/timex.h>
#ifdef CONFIG_X86
#include <asm/tsc.h>
#endif

#include "dmabench.h"

static __always_inline u64 dmabench_cycles(void)
{
#ifdef CONFIG_X86
	return rdtsc_ordered();
#else
	return get_cycles();
#endif
}

const char *dmabench_counter_name(void)
{
#ifdef CONFIG_X86
	return "rdtsc_ordered";
#else
	return "get_cycles";
#endif
}

u64 dmabench_cycles_per_sec(void)
{
#ifdef CONFIG_X86
	return (u64)tsc_khz * 1000;
#else
	return 0;
#endif
}

u32 dmabench_supported_apis(void)
{
	u32 apis = BIT(DMABENCH_API_NULL) | BIT(DMABENCH_API_PAGE) |
		   BIT(DMABENCH_API_ROUNDTRIP);

#ifdef HAVE_DMA_MAP_PHYS
	apis |= BIT(DMABENCH_API_PHYS);
#endif
	return apis;
}

/* The NULL API: an out-of-line call with the arguments of a real map. */
static noinline dma_addr_t dmabench_null_map(struct device *dev,
					     phys_addr_t phys, size_t size,
					     enum dma_data_direction dir,
					     unsigned long attrs)
{
	barrier();
	return (dma_addr_t)phys;
}

static noinline void dmabench_null_unmap(struct device *dev, dma_addr_t addr,
					 size_t size,
					 enum dma_data_direction dir,
					 unsigned long attrs)
{
	barrier();
}

#ifndef HAVE_PHYS_TO_PAGE
#define phys_to_page(phys)	pfn_to_page(PHYS_PFN(phys))
#endif

static __always_inline dma_addr_t map_one(struct dmabench_ctx *c,
					  struct dmabench_buf *b, u32 api)
{
	switch (api) {
	case DMABENCH_API_PAGE:
		return dma_map_page_attrs(c->dev, b->page, b->offset, c->length,
					  c->dir, c->attrs);
	case DMABENCH_API_ROUNDTRIP:
		/* A caller that holds a phys_addr_t and needs a page. */
		return dma_map_page_attrs(c->dev, phys_to_page(b->phys),
					  offset_in_page(b->phys), c->length,
					  c->dir, c->attrs);
#ifdef HAVE_DMA_MAP_PHYS
	case DMABENCH_API_PHYS:
		return dma_map_phys(c->dev, b->phys, c->length, c->dir,
				    c->attrs);
#endif
	default:
		return dmabench_null_map(c->dev, b->phys, c->length, c->dir,
					 c->attrs);
	}
}

static __always_inline void unmap_one(struct dmabench_ctx *c,
				      struct dmabench_buf *b, u32 api)
{
	switch (api) {
	case DMABENCH_API_PAGE:
	case DMABENCH_API_ROUNDTRIP:
		dma_unmap_page_attrs(c->dev, b->addr, c->length, c->dir,
				     c->attrs);
		break;
#ifdef HAVE_DMA_MAP_PHYS
	case DMABENCH_API_PHYS:
		dma_unmap_phys(c->dev, b->addr, c->length, c->dir, c->attrs);
		break;
#endif
	default:
		dmabench_null_unmap(c->dev, b->addr, c->length, c->dir,
				    c->attrs);
	}
}

/* Pair: map then unmap the same buffer, each call between its own reads. */
static __always_inline int loop_pair(struct dmabench_ctx *c, u32 api,
				     struct dmabench_sample *s)
{
	struct dmabench_buf *b = &c->bufs[0];
	u64 map = 0, unmap = 0, t0, t1, t2, t3;
	unsigned int i;

	for (i = 0; i < c->batch; i++) {
		t0 = dmabench_cycles();
		b->addr = map_one(c, b, api);
		t1 = dmabench_cycles();
		if (dma_mapping_error(c->dev, b->addr))
			return -ENOMEM;
		t2 = dmabench_cycles();
		unmap_one(c, b, api);
		t3 = dmabench_cycles();
		map += t1 - t0;
		unmap += t3 - t2;
	}
	s->map_cycles = map;
	s->unmap_cycles = unmap;
	return 0;
}

/* Batch: map every buffer, then unmap them all: two reads per N calls. */
static __always_inline int loop_batch(struct dmabench_ctx *c, u32 api,
				      struct dmabench_sample *s)
{
	struct dmabench_buf *b = c->bufs;
	unsigned int i, failed, n = c->batch;
	u64 t0, t1, t2, t3;

	t0 = dmabench_cycles();
	for (i = 0; i < n; i++)
		b[i].addr = map_one(c, &b[i], api);
	t1 = dmabench_cycles();
	failed = 0;
	for (i = 0; i < n; i++)
		failed += dma_mapping_error(c->dev, b[i].addr) ? 1 : 0;
	if (failed) {
		for (i = 0; i < n; i++)
			if (!dma_mapping_error(c->dev, b[i].addr))
				unmap_one(c, &b[i], api);
		return -ENOMEM;
	}
	t2 = dmabench_cycles();
	for (i = 0; i < n; i++)
		unmap_one(c, &b[i], api);
	t3 = dmabench_cycles();
	s->map_cycles = t1 - t0;
	s->unmap_cycles = t3 - t2;
	return 0;
}

static __always_inline int loop(struct dmabench_ctx *c, u32 api,
				struct dmabench_sample *s)
{
	if (c->pattern == DMABENCH_PATTERN_BATCH)
		return loop_batch(c, api, s);
	return loop_pair(c, api, s);
}

static noinline int loop_null(struct dmabench_ctx *c, struct dmabench_sample *s)
{
	return loop(c, DMABENCH_API_NULL, s);
}

static noinline int loop_page(struct dmabench_ctx *c, struct dmabench_sample *s)
{
	return loop(c, DMABENCH_API_PAGE, s);
}

static noinline int loop_roundtrip(struct dmabench_ctx *c,
				   struct dmabench_sample *s)
{
	return loop(c, DMABENCH_API_ROUNDTRIP, s);
}

#ifdef HAVE_DMA_MAP_PHYS
static noinline int loop_phys(struct dmabench_ctx *c, struct dmabench_sample *s)
{
	return loop(c, DMABENCH_API_PHYS, s);
}
#endif

/* Map and unmap one buffer outside any timed region (mode checks). */
int dmabench_map_once(struct dmabench_ctx *c, struct dmabench_buf *b)
{
	switch (c->api) {
	case DMABENCH_API_PAGE:
		b->addr = map_one(c, b, DMABENCH_API_PAGE);
		break;
	case DMABENCH_API_ROUNDTRIP:
		b->addr = map_one(c, b, DMABENCH_API_ROUNDTRIP);
		break;
#ifdef HAVE_DMA_MAP_PHYS
	case DMABENCH_API_PHYS:
		b->addr = map_one(c, b, DMABENCH_API_PHYS);
		break;
#endif
	default:
		b->addr = map_one(c, b, DMABENCH_API_NULL);
	}
	return dma_mapping_error(c->dev, b->addr) ? -ENOMEM : 0;
}

void dmabench_unmap_once(struct dmabench_ctx *c, struct dmabench_buf *b)
{
	switch (c->api) {
	case DMABENCH_API_PAGE:
	case DMABENCH_API_ROUNDTRIP:
		unmap_one(c, b, DMABENCH_API_PAGE);
		break;
#ifdef HAVE_DMA_MAP_PHYS
	case DMABENCH_API_PHYS:
		unmap_one(c, b, DMABENCH_API_PHYS);
		break;
#endif
	default:
		unmap_one(c, b, DMABENCH_API_NULL);
	}
}

/*
 * One batch with preemption (and optionally interrupts) off, so a sample
 * never contains a context switch. The caller bounds the batch length.
 */
int dmabench_run_batch(struct dmabench_ctx *c, struct dmabench_sample *s)
{
	unsigned long irqflags = 0;
	int ret;

	preempt_disable();
	if (c->irqs_off)
		local_irq_save(irqflags);
	switch (c->api) {
	case DMABENCH_API_PAGE:
		ret = loop_page(c, s);
		break;
	case DMABENCH_API_ROUNDTRIP:
		ret = loop_roundtrip(c, s);
		break;
#ifdef HAVE_DMA_MAP_PHYS
	case DMABENCH_API_PHYS:
		ret = loop_phys(c, s);
		break;
#endif
	default:
		ret = loop_null(c, s);
	}
	if (c->irqs_off)
		local_irq_restore(irqflags);
	preempt_enable();
	return ret;
}
