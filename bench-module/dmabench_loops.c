// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: the timed loops, the only place that reads the cycle counter.
 *
 * Each API gets its own loop instances with the API folded in at compile
 * time, so no switch or indirect call sits between two counter reads: only
 * the calls under test and, in the batch pattern, the loop that walks the
 * buffers. Each API also gets a twin loop of the same shape whose calls go
 * to empty functions of the same signatures with the same arguments: its
 * figure is what the runner subtracts.
 */
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/timex.h>
#ifdef CONFIG_X86
#include <asm/tsc.h>
#endif
#ifdef CONFIG_ARM64
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/jump_label.h>
#include <linux/perf_event.h>
#include <linux/percpu.h>
#include <asm/arch_timer.h>
#include <asm/sysreg.h>
#endif

#include "dmabench.h"

#ifdef CONFIG_ARM64
/*
 * arm64 reads the PMU cycle counter, PMCCNTR_EL0: under QEMU's -icount it
 * counts one per instruction, exactly, where the generic timer ticks once
 * every 16. The PMU driver owns its enable bits, so a pinned kernel cycles
 * event on every CPU keeps it counting (64 bits wide: no overflow interrupt
 * rewrites it mid-batch). Without a PMU that counts, CNTVCT_EL0 stands in.
 */
static DEFINE_STATIC_KEY_FALSE(dmabench_use_pmccntr);
static DEFINE_PER_CPU(struct perf_event *, dmabench_cycle_event);

static __always_inline u64 dmabench_pmccntr(void)
{
	u64 v;

	isb();
	v = read_sysreg(pmccntr_el0);
	isb();
	return v;
}

static void dmabench_release_cycle_events(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct perf_event *e = per_cpu(dmabench_cycle_event, cpu);

		if (e)
			perf_event_release_kernel(e);
		per_cpu(dmabench_cycle_event, cpu) = NULL;
	}
}

/* Does PMCCNTR_EL0 move here? Run on each CPU with its event on. */
static void dmabench_check_pmccntr(void *moved)
{
	u64 start = dmabench_pmccntr();

	udelay(1);
	if (dmabench_pmccntr() == start)
		*(bool *)moved = false;
}

int dmabench_counter_init(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.config1 = 1,	/* the arm PMU's "long": a 64-bit counter */
		.pinned = 1,
	};
	bool moved = true;
	unsigned int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct perf_event *e;

		e = perf_event_create_kernel_counter(&attr, cpu, NULL, NULL, NULL);
		if (IS_ERR(e)) {
			moved = false;
			break;
		}
		per_cpu(dmabench_cycle_event, cpu) = e;
	}
	if (moved)
		on_each_cpu(dmabench_check_pmccntr, &moved, 1);
	cpus_read_unlock();
	if (moved)
		static_branch_enable(&dmabench_use_pmccntr);
	else
		dmabench_release_cycle_events();
	return 0;
}

void dmabench_counter_exit(void)
{
	dmabench_release_cycle_events();
}
#else
int dmabench_counter_init(void)
{
	return 0;
}

void dmabench_counter_exit(void)
{
}
#endif

static __always_inline u64 dmabench_cycles(void)
{
#if defined(CONFIG_X86)
	return rdtsc_ordered();
#elif defined(CONFIG_ARM64)
	if (static_branch_likely(&dmabench_use_pmccntr))
		return dmabench_pmccntr();
	return __arch_counter_get_cntvct();
#else
	return get_cycles();
#endif
}

const char *dmabench_counter_name(void)
{
#if defined(CONFIG_X86)
	return "rdtsc_ordered";
#elif defined(CONFIG_ARM64)
	return static_branch_likely(&dmabench_use_pmccntr) ? "pmccntr_el0" :
							     "cntvct_el0";
#else
	return "get_cycles";
#endif
}

/* The counter's rate where it is fixed; 0 for a cycle counter. */
u64 dmabench_cycles_per_sec(void)
{
#if defined(CONFIG_X86)
	return (u64)tsc_khz * 1000;
#elif defined(CONFIG_ARM64)
	return static_branch_likely(&dmabench_use_pmccntr) ? 0 :
							     arch_timer_get_cntfrq();
#else
	return 0;
#endif
}

/*
 * Null twins: one empty function per measured call, with exactly that
 * call's signature, so a baseline run of an API's own loop hands its twins
 * the very same argument expressions and everything but the call's body
 * cancels. noipa keeps GCC from cloning them into .isra/.constprop copies
 * that drop arguments (the call sequence would no longer match).
 */
#if __has_attribute(__noipa__)
#define __dmabench_noipa	__attribute__((__noipa__))
#else
#define __dmabench_noipa
#endif

/* Map twins return a valid address (0), sg's one mapped entry. */
static noinline __dmabench_noipa dma_addr_t
dmabench_null_map_page(struct device *dev, struct page *page, size_t offset,
		       size_t size, enum dma_data_direction dir,
		       unsigned long attrs)
{
	return 0;
}

/* dma_map_phys(), dma_map_resource() and the NULL API's own shape. */
static noinline __dmabench_noipa dma_addr_t
dmabench_null_map_phys(struct device *dev, phys_addr_t phys, size_t size,
		       enum dma_data_direction dir, unsigned long attrs)
{
	return 0;
}

static noinline __dmabench_noipa dma_addr_t
dmabench_null_map_resource(struct device *dev, phys_addr_t phys, size_t size,
			   enum dma_data_direction dir, unsigned long attrs)
{
	return 0;
}

static noinline __dmabench_noipa dma_addr_t
dmabench_null_map_single(struct device *dev, void *ptr, size_t size,
			 enum dma_data_direction dir, unsigned long attrs)
{
	return 0;
}

static noinline __dmabench_noipa unsigned int
dmabench_null_map_sg(struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs)
{
	return 1;
}

/* Unmap twins of page, phys, resource and single: the same signature. */
static noinline __dmabench_noipa void
dmabench_null_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir, unsigned long attrs)
{
}

static noinline __dmabench_noipa void
dmabench_null_unmap_phys(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir, unsigned long attrs)
{
}

static noinline __dmabench_noipa void
dmabench_null_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir, unsigned long attrs)
{
}

static noinline __dmabench_noipa void
dmabench_null_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir, unsigned long attrs)
{
}

static noinline __dmabench_noipa void
dmabench_null_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
		       enum dma_data_direction dir, unsigned long attrs)
{
}

static noinline __dmabench_noipa void
dmabench_null_sync_for_device(struct device *dev, dma_addr_t addr, size_t size,
			      enum dma_data_direction dir)
{
}

static noinline __dmabench_noipa void
dmabench_null_sync_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir)
{
}

#ifdef HAVE_DMA_IOVA
/*
 * The IOVA API maps with three calls (try_alloc, link, sync): its twin is
 * one call with the arguments of dma_iova_link() but the offset, so the
 * figure keeps the other two calls and the glue between them.
 */
static noinline __dmabench_noipa dma_addr_t
dmabench_null_map_iova(struct device *dev, struct dma_iova_state *state,
		       phys_addr_t phys, size_t size,
		       enum dma_data_direction dir, unsigned long attrs)
{
	return 0;
}

static noinline __dmabench_noipa void
dmabench_null_unmap_iova(struct device *dev, struct dma_iova_state *state,
			 size_t mapped_len, enum dma_data_direction dir,
			 unsigned long attrs)
{
}
#endif

/*
 * The call under test, or its null twin with the same arguments: twin is
 * a compile-time constant in every loop instance, so one direct call is
 * left between the counter reads.
 */
#define DMABENCH_CALL(twin, real, null, ...)				\
	((twin) ? null(__VA_ARGS__) : real(__VA_ARGS__))

#ifndef HAVE_PHYS_TO_PAGE
#define phys_to_page(phys)	pfn_to_page(PHYS_PFN(phys))
#endif

#ifdef HAVE_DMA_IOVA
/* What a caller of the IOVA link API does to map one contiguous range. */
static __always_inline dma_addr_t map_iova(struct dmabench_ctx *c,
					   struct dmabench_buf *b, bool twin)
{
	if (twin)
		return dmabench_null_map_iova(c->dev, &b->iova, b->phys,
					      c->length, c->dir, c->attrs);
	if (!dma_iova_try_alloc(c->dev, &b->iova, b->phys, c->length))
		return DMA_MAPPING_ERROR;
	if (dma_iova_link(c->dev, &b->iova, b->phys, 0, c->length, c->dir,
			  c->attrs))
		goto free;
	if (dma_iova_sync(c->dev, &b->iova, 0, c->length))
		goto unlink;
	return b->iova.addr;
unlink:
	dma_iova_unlink(c->dev, &b->iova, 0, c->length, c->dir, c->attrs);
free:
	dma_iova_free(c->dev, &b->iova);
	return DMA_MAPPING_ERROR;
}
#endif

static __always_inline dma_addr_t map_one(struct dmabench_ctx *c,
					  struct dmabench_buf *b, u32 api,
					  bool twin)
{
	switch (api) {
	case DMABENCH_API_PAGE:
		return DMABENCH_CALL(twin, dma_map_page_attrs,
				     dmabench_null_map_page, c->dev, b->page,
				     b->offset, c->length, c->dir, c->attrs);
	case DMABENCH_API_ROUNDTRIP:
		/*
		 * A caller that holds a phys_addr_t and needs a page. Its twin
		 * is the page API's, handed the page the buffer already has:
		 * the phys -> page conversion stays in the figure.
		 */
		if (twin)
			return dmabench_null_map_page(c->dev, b->page, b->offset,
						      c->length, c->dir,
						      c->attrs);
		return dma_map_page_attrs(c->dev, phys_to_page(b->phys),
					  offset_in_page(b->phys), c->length,
					  c->dir, c->attrs);
	case DMABENCH_API_SINGLE:
		return DMABENCH_CALL(twin, dma_map_single_attrs,
				     dmabench_null_map_single, c->dev, b->virt,
				     c->length, c->dir, c->attrs);
	case DMABENCH_API_SG:
		b->mapped = DMABENCH_CALL(twin, dma_map_sg_attrs,
					  dmabench_null_map_sg, c->dev,
					  b->sgt.sgl, b->sgt.orig_nents,
					  c->dir, c->attrs);
		return b->mapped ? sg_dma_address(b->sgt.sgl) :
				   DMA_MAPPING_ERROR;
	case DMABENCH_API_RESOURCE:
		return DMABENCH_CALL(twin, dma_map_resource,
				     dmabench_null_map_resource, c->dev,
				     b->phys, c->length, c->dir, c->attrs);
#ifdef HAVE_DMA_MAP_PHYS
	case DMABENCH_API_PHYS:
		return DMABENCH_CALL(twin, dma_map_phys, dmabench_null_map_phys,
				     c->dev, b->phys, c->length, c->dir,
				     c->attrs);
#ifdef HAVE_DMA_ATTR_MMIO
	case DMABENCH_API_PHYS_MMIO:
		return DMABENCH_CALL(twin, dma_map_phys, dmabench_null_map_phys,
				     c->dev, b->phys, c->length, c->dir,
				     c->attrs | DMA_ATTR_MMIO);
#endif
#endif
#ifdef HAVE_DMA_IOVA
	case DMABENCH_API_IOVA:
		return map_iova(c, b, twin);
#endif
	case DMABENCH_API_SYNC:
		DMABENCH_CALL(twin, dma_sync_single_for_device,
			      dmabench_null_sync_for_device, c->dev, b->addr,
			      c->length, c->dir);
		return b->addr;
	default:
		/* The NULL API: the phys twin behind the common loop. */
		return dmabench_null_map_phys(c->dev, b->phys, c->length,
					      c->dir, c->attrs);
	}
}

static __always_inline void unmap_one(struct dmabench_ctx *c,
				      struct dmabench_buf *b, u32 api,
				      bool twin)
{
	switch (api) {
	case DMABENCH_API_PAGE:
	case DMABENCH_API_ROUNDTRIP:
		DMABENCH_CALL(twin, dma_unmap_page_attrs,
			      dmabench_null_unmap_page, c->dev, b->addr,
			      c->length, c->dir, c->attrs);
		break;
	case DMABENCH_API_SINGLE:
		DMABENCH_CALL(twin, dma_unmap_single_attrs,
			      dmabench_null_unmap_single, c->dev, b->addr,
			      c->length, c->dir, c->attrs);
		break;
	case DMABENCH_API_SG:
		DMABENCH_CALL(twin, dma_unmap_sg_attrs, dmabench_null_unmap_sg,
			      c->dev, b->sgt.sgl, b->sgt.orig_nents, c->dir,
			      c->attrs);
		break;
	case DMABENCH_API_RESOURCE:
		DMABENCH_CALL(twin, dma_unmap_resource,
			      dmabench_null_unmap_resource, c->dev, b->addr,
			      c->length, c->dir, c->attrs);
		break;
#ifdef HAVE_DMA_MAP_PHYS
	case DMABENCH_API_PHYS:
		DMABENCH_CALL(twin, dma_unmap_phys, dmabench_null_unmap_phys,
			      c->dev, b->addr, c->length, c->dir, c->attrs);
		break;
#ifdef HAVE_DMA_ATTR_MMIO
	case DMABENCH_API_PHYS_MMIO:
		DMABENCH_CALL(twin, dma_unmap_phys, dmabench_null_unmap_phys,
			      c->dev, b->addr, c->length, c->dir,
			      c->attrs | DMA_ATTR_MMIO);
		break;
#endif
#endif
#ifdef HAVE_DMA_IOVA
	case DMABENCH_API_IOVA:
		DMABENCH_CALL(twin, dma_iova_destroy, dmabench_null_unmap_iova,
			      c->dev, &b->iova, c->length, c->dir, c->attrs);
		break;
#endif
	case DMABENCH_API_SYNC:
		DMABENCH_CALL(twin, dma_sync_single_for_cpu,
			      dmabench_null_sync_for_cpu, c->dev, b->addr,
			      c->length, c->dir);
		break;
	default:
		dmabench_null_unmap_phys(c->dev, b->addr, c->length, c->dir,
					 c->attrs);
	}
}

/* Map then unmap one buffer, each call between its own counter reads. */
static __always_inline int op_pair(struct dmabench_ctx *c,
				   struct dmabench_buf *b, u32 api, bool twin,
				   u64 *map, u64 *unmap)
{
	u64 t0, t1, t2, t3;

	t0 = dmabench_cycles();
	b->addr = map_one(c, b, api, twin);
	t1 = dmabench_cycles();
	if (dma_mapping_error(c->dev, b->addr))
		return -ENOSPC;
	t2 = dmabench_cycles();
	unmap_one(c, b, api, twin);
	t3 = dmabench_cycles();
	*map += t1 - t0;
	*unmap += t3 - t2;
	return 0;
}

/* Pair: the same buffer every op. Pool: the buffer the pick array names. */
static __always_inline int loop_pair(struct dmabench_ctx *c, u32 api,
				     bool twin, struct dmabench_sample *s,
				     bool pool)
{
	u64 map = 0, unmap = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < c->batch; i++) {
		struct dmabench_buf *b = &c->bufs[pool ? c->pick[i] : 0];

		/* Read the pick before the first counter read, not after it. */
		barrier();
		ret = op_pair(c, b, api, twin, &map, &unmap);
		if (ret)
			return ret;
	}
	s->map_cycles = map;
	s->unmap_cycles = unmap;
	return 0;
}

/* Batch: map every buffer, then unmap them all: two reads per N calls. */
static __always_inline int loop_batch(struct dmabench_ctx *c, u32 api,
				      bool twin, struct dmabench_sample *s)
{
	struct dmabench_buf *b = c->bufs;
	unsigned int i, failed, n = c->batch;
	u64 t0, t1, t2, t3;

	t0 = dmabench_cycles();
	for (i = 0; i < n; i++)
		b[i].addr = map_one(c, &b[i], api, twin);
	t1 = dmabench_cycles();
	failed = 0;
	for (i = 0; i < n; i++)
		failed += dma_mapping_error(c->dev, b[i].addr) ? 1 : 0;
	if (failed) {
		for (i = 0; i < n; i++)
			if (!dma_mapping_error(c->dev, b[i].addr))
				unmap_one(c, &b[i], api, twin);
		return -ENOSPC;
	}
	t2 = dmabench_cycles();
	for (i = 0; i < n; i++)
		unmap_one(c, &b[i], api, twin);
	t3 = dmabench_cycles();
	s->map_cycles = t1 - t0;
	s->unmap_cycles = t3 - t2;
	return 0;
}

static __always_inline int loop(struct dmabench_ctx *c, u32 api, bool twin,
				struct dmabench_sample *s)
{
	switch (c->pattern) {
	case DMABENCH_PATTERN_BATCH:
		return loop_batch(c, api, twin, s);
	case DMABENCH_PATTERN_POOL:
		return loop_pair(c, api, twin, s, true);
	default:
		return loop_pair(c, api, twin, s, false);
	}
}

/* loop_NAME times the API, loop_NAME_twin the same loop on its twins. */
#define DMABENCH_LOOP(name, api)					\
static noinline int loop_##name(struct dmabench_ctx *c,		\
				struct dmabench_sample *s)		\
{									\
	return loop(c, api, false, s);					\
}

#define DMABENCH_TWIN_LOOP(name, api)					\
static noinline int loop_##name##_twin(struct dmabench_ctx *c,		\
				       struct dmabench_sample *s)	\
{									\
	return loop(c, api, true, s);					\
}

/* The NULL API runs on the phys twins already: it has no twin loop. */
static noinline int loop_null(struct dmabench_ctx *c,
			      struct dmabench_sample *s)
{
	return loop(c, DMABENCH_API_NULL, false, s);
}

DMABENCH_LOOP(page, DMABENCH_API_PAGE)
DMABENCH_TWIN_LOOP(page, DMABENCH_API_PAGE)
DMABENCH_LOOP(roundtrip, DMABENCH_API_ROUNDTRIP)
DMABENCH_TWIN_LOOP(roundtrip, DMABENCH_API_ROUNDTRIP)
DMABENCH_LOOP(single, DMABENCH_API_SINGLE)
DMABENCH_TWIN_LOOP(single, DMABENCH_API_SINGLE)
DMABENCH_LOOP(sg, DMABENCH_API_SG)
DMABENCH_TWIN_LOOP(sg, DMABENCH_API_SG)
DMABENCH_LOOP(resource, DMABENCH_API_RESOURCE)
DMABENCH_TWIN_LOOP(resource, DMABENCH_API_RESOURCE)
DMABENCH_LOOP(sync, DMABENCH_API_SYNC)
DMABENCH_TWIN_LOOP(sync, DMABENCH_API_SYNC)
#ifdef HAVE_DMA_MAP_PHYS
DMABENCH_LOOP(phys, DMABENCH_API_PHYS)
DMABENCH_TWIN_LOOP(phys, DMABENCH_API_PHYS)
#ifdef HAVE_DMA_ATTR_MMIO
DMABENCH_LOOP(phys_mmio, DMABENCH_API_PHYS_MMIO)
DMABENCH_TWIN_LOOP(phys_mmio, DMABENCH_API_PHYS_MMIO)
#endif
#endif
#ifdef HAVE_DMA_IOVA
DMABENCH_LOOP(iova, DMABENCH_API_IOVA)
DMABENCH_TWIN_LOOP(iova, DMABENCH_API_IOVA)
#endif

/* Map and unmap one buffer outside any timed region (mode checks). */
int dmabench_map_once(struct dmabench_ctx *c, struct dmabench_buf *b)
{
	b->addr = map_one(c, b, c->api, false);
	return dma_mapping_error(c->dev, b->addr) ? -ENOSPC : 0;
}

void dmabench_unmap_once(struct dmabench_ctx *c, struct dmabench_buf *b)
{
	unmap_one(c, b, c->api, false);
}

/* The same loops on their null twins: the baseline of each API. */
static int dmabench_dispatch_twin(struct dmabench_ctx *c,
				  struct dmabench_sample *s)
{
	switch (c->api) {
	case DMABENCH_API_PAGE:
		return loop_page_twin(c, s);
	case DMABENCH_API_ROUNDTRIP:
		return loop_roundtrip_twin(c, s);
	case DMABENCH_API_SINGLE:
		return loop_single_twin(c, s);
	case DMABENCH_API_SG:
		return loop_sg_twin(c, s);
	case DMABENCH_API_RESOURCE:
		return loop_resource_twin(c, s);
	case DMABENCH_API_SYNC:
		return loop_sync_twin(c, s);
#ifdef HAVE_DMA_MAP_PHYS
	case DMABENCH_API_PHYS:
		return loop_phys_twin(c, s);
#ifdef HAVE_DMA_ATTR_MMIO
	case DMABENCH_API_PHYS_MMIO:
		return loop_phys_mmio_twin(c, s);
#endif
#endif
#ifdef HAVE_DMA_IOVA
	case DMABENCH_API_IOVA:
		return loop_iova_twin(c, s);
#endif
	default:
		return loop_null(c, s);
	}
}

static int dmabench_dispatch(struct dmabench_ctx *c,
			     struct dmabench_sample *s)
{
	if (c->twin)
		return dmabench_dispatch_twin(c, s);
	switch (c->api) {
	case DMABENCH_API_PAGE:
		return loop_page(c, s);
	case DMABENCH_API_ROUNDTRIP:
		return loop_roundtrip(c, s);
	case DMABENCH_API_SINGLE:
		return loop_single(c, s);
	case DMABENCH_API_SG:
		return loop_sg(c, s);
	case DMABENCH_API_RESOURCE:
		return loop_resource(c, s);
	case DMABENCH_API_SYNC:
		return loop_sync(c, s);
#ifdef HAVE_DMA_MAP_PHYS
	case DMABENCH_API_PHYS:
		return loop_phys(c, s);
#ifdef HAVE_DMA_ATTR_MMIO
	case DMABENCH_API_PHYS_MMIO:
		return loop_phys_mmio(c, s);
#endif
#endif
#ifdef HAVE_DMA_IOVA
	case DMABENCH_API_IOVA:
		return loop_iova(c, s);
#endif
	default:
		return loop_null(c, s);
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
	ret = dmabench_dispatch(c, s);
	if (c->irqs_off)
		local_irq_restore(irqflags);
	preempt_enable();
	return ret;
}
