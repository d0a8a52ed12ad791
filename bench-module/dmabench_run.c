// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: one RUN request from checked parameters to samples: buffers,
 * scatterlists and premappings before the timed loops, one pinned kthread
 * per measuring CPU, warm-up, and everything torn down afterwards.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dmabench.h"

/* Pages of request buffers allocated and not yet freed (debugfs). */
atomic_t dmabench_live_pages = ATOMIC_INIT(0);

u32 dmabench_supported_apis(void)
{
	u32 apis = BIT(DMABENCH_API_NULL) | BIT(DMABENCH_API_PAGE) |
		   BIT(DMABENCH_API_ROUNDTRIP) | BIT(DMABENCH_API_SINGLE) |
		   BIT(DMABENCH_API_SG) | BIT(DMABENCH_API_RESOURCE) |
		   BIT(DMABENCH_API_SYNC);

#ifdef HAVE_DMA_MAP_PHYS
	apis |= BIT(DMABENCH_API_PHYS);
#ifdef HAVE_DMA_ATTR_MMIO
	apis |= BIT(DMABENCH_API_PHYS_MMIO);
#endif
#endif
#ifdef HAVE_DMA_IOVA
	apis |= BIT(DMABENCH_API_IOVA);
#endif
	return apis;
}

bool dmabench_api_is_mmio(u32 api)
{
	return api == DMABENCH_API_RESOURCE || api == DMABENCH_API_PHYS_MMIO;
}

/*
 * Whether an MMIO API can map the device's BAR in the current mode: forced
 * swiotlb, for one, refuses MMIO it cannot bounce. Asked of the DMA layer
 * with one mapping rather than guessed from the mode.
 */
static bool dmabench_mmio_maps(struct device *dev,
			       const struct dmabench_mmio *mmio, u32 api)
{
	size_t len = min_t(u64, mmio->size, PAGE_SIZE);
	dma_addr_t addr;

	if (api == DMABENCH_API_RESOURCE) {
		addr = dma_map_resource(dev, mmio->start, len, DMA_TO_DEVICE, 0);
		if (dma_mapping_error(dev, addr))
			return false;
		dma_unmap_resource(dev, addr, len, DMA_TO_DEVICE, 0);
		return true;
	}
#if defined(HAVE_DMA_MAP_PHYS) && defined(HAVE_DMA_ATTR_MMIO)
	addr = dma_map_phys(dev, mmio->start, len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
	if (dma_mapping_error(dev, addr))
		return false;
	dma_unmap_phys(dev, addr, len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
	return true;
#else
	return false;
#endif
}

/* The supported APIs that also work in the mode the device is in. */
u32 dmabench_mode_apis(struct device *dev, const struct dmabench_mmio *mmio)
{
	u32 apis = dmabench_supported_apis();
	u32 api;

	/* The IOVA API needs an IOMMU translation to allocate from. */
	if (!dmabench_uses_iommu(dev))
		apis &= ~BIT(DMABENCH_API_IOVA);
	for (api = 0; api < DMABENCH_API_COUNT; api++)
		if ((apis & BIT(api)) && dmabench_api_is_mmio(api) &&
		    (!mmio->size || !dmabench_mmio_maps(dev, mmio, api)))
			apis &= ~BIT(api);
	return apis;
}

struct dmabench_thread {
	struct dmabench_ctx ctx;
	struct device *dev;
	const struct dmabench_mmio *mmio;
	struct dmabench_run *req;
	struct dmabench_sample *samples;
	atomic_t *stop;
	const atomic_t *gone;	/* the device is being unbound */
	unsigned long deadline;	/* jiffies; 0: none */
	struct completion done;
	u64 map_cycles;
	u64 unmap_cycles;
	u32 measured;		/* measured batches completed */
	bool classify;		/* first thread: classify one mapping first */
	int ret;
};

static void dmabench_release(struct dmabench_ctx *c)
{
	unsigned int i;

	for (i = 0; c->bufs && i < c->nbufs; i++) {
		struct dmabench_buf *b = &c->bufs[i];

		if (c->api == DMABENCH_API_SYNC && b->addr &&
		    !dma_mapping_error(c->dev, b->addr))
			dma_unmap_page_attrs(c->dev, b->addr, c->length, c->dir,
					     c->attrs);
		if (b->sgt.sgl)
			sg_free_table(&b->sgt);
		if (b->page) {
			__free_pages(b->page, c->order);
			atomic_sub(1 << c->order, &dmabench_live_pages);
		}
	}
	kfree(c->bufs);
	kfree(c->pick);
	c->bufs = NULL;
	c->pick = NULL;
}

static int dmabench_prepare_buf(struct dmabench_ctx *c, struct dmabench_buf *b,
				const struct dmabench_mmio *mmio,
				unsigned int offset)
{
	unsigned int i;
	int ret;

	b->offset = offset;
	if (dmabench_api_is_mmio(c->api)) {
		b->phys = mmio->start + offset;
		return 0;
	}
	b->page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, c->order);
	if (!b->page)
		return -ENOMEM;
	atomic_add(1 << c->order, &dmabench_live_pages);
	b->virt = page_address(b->page) + offset;
	b->phys = page_to_phys(b->page) + offset;
	if (c->api == DMABENCH_API_SG) {
		ret = sg_alloc_table(&b->sgt, c->nents, GFP_KERNEL);
		if (ret)
			return ret;
		for (i = 0; i < c->nents; i++)
			sg_set_buf(&b->sgt.sgl[i], b->virt + i * c->length,
				   c->length);
	}
	if (c->api == DMABENCH_API_SYNC) {
		b->addr = dma_map_page_attrs(c->dev, b->page, offset, c->length,
					     c->dir, c->attrs);
		if (dma_mapping_error(c->dev, b->addr)) {
			b->addr = 0;
			return -ENOSPC;
		}
	}
	return 0;
}

static int dmabench_prepare(struct dmabench_ctx *c, struct device *dev,
			    const struct dmabench_mmio *mmio,
			    const struct dmabench_run *r)
{
	unsigned int i;
	int ret;

	c->dev = dev;
	c->api = r->api;
	c->pattern = r->pattern;
	c->length = r->length;
	c->dir = (enum dma_data_direction)r->dir;
	c->attrs = (r->attrs & DMABENCH_ATTR_SKIP_CPU_SYNC) ?
		   DMA_ATTR_SKIP_CPU_SYNC : 0;
	c->batch = r->batch;
	c->nents = r->api == DMABENCH_API_SG ? max(r->nents, 1U) : 1;
	c->irqs_off = r->flags & DMABENCH_RUN_IRQS_OFF;
	c->twin = r->flags & DMABENCH_RUN_NULL_TWIN;
	c->order = get_order(r->offset + (size_t)r->length * c->nents);
	switch (r->pattern) {
	case DMABENCH_PATTERN_BATCH:
		c->nbufs = r->batch;
		break;
	case DMABENCH_PATTERN_POOL:
		c->nbufs = r->pool;
		c->pick = kcalloc(r->batch, sizeof(*c->pick), GFP_KERNEL);
		if (!c->pick)
			return -ENOMEM;
		break;
	default:
		c->nbufs = 1;
	}
	c->bufs = kcalloc(c->nbufs, sizeof(*c->bufs), GFP_KERNEL);
	if (!c->bufs) {
		dmabench_release(c);
		return -ENOMEM;
	}
	for (i = 0; i < c->nbufs; i++) {
		ret = dmabench_prepare_buf(c, &c->bufs[i], mmio, r->offset);
		if (ret) {
			dmabench_release(c);
			return ret;
		}
	}
	return 0;
}

/*
 * Explain markers: long NOPs with a signature in their displacement, which
 * the explain plugin (harness/plugin/explain.c) recognises when QEMU
 * translates them. Resume before and pause after each measured batch, end
 * after the last, all outside the loops' counter reads.
 */
static void dmabench_mark(const struct dmabench_run *r, int what)
{
	if (!IS_ENABLED(CONFIG_X86) || !(r->flags & DMABENCH_RUN_EXPLAIN))
		return;
#ifdef CONFIG_X86
	if (what == 1)		/* nopl 0x31424d44(%rax): resume */
		asm volatile(".byte 0x0f, 0x1f, 0x80, 0x44, 0x4d, 0x42, 0x31" ::: "memory");
	else if (what == 0)	/* nopl 0x30424d44(%rax): pause */
		asm volatile(".byte 0x0f, 0x1f, 0x80, 0x44, 0x4d, 0x42, 0x30" ::: "memory");
	else			/* nopl 0x32424d44(%rax): end */
		asm volatile(".byte 0x0f, 0x1f, 0x80, 0x44, 0x4d, 0x42, 0x32" ::: "memory");
#endif
}

/* Warm-up and measured batches of one thread; samples go to t->samples. */
static int dmabench_measure(struct dmabench_thread *t)
{
	struct dmabench_ctx *c = &t->ctx;
	struct dmabench_run *r = t->req;
	struct dmabench_sample s;
	bool marked = false;
	unsigned int j;
	u32 i;
	int ret = 0;

	/*
	 * Classify one mapping outside the timed region, on the measuring CPU
	 * so that per-CPU counters see every DMA call the request makes.
	 */
	if (t->classify && c->api == DMABENCH_API_SYNC) {
		r->map_flags = dmabench_classify(c->dev, c->bufs[0].phys,
						 c->bufs[0].addr);
	} else if (t->classify) {
		ret = dmabench_map_once(c, &c->bufs[0]);
		if (ret)
			return ret;
		r->map_flags = dmabench_classify(c->dev, c->bufs[0].phys,
						 c->bufs[0].addr);
		dmabench_unmap_once(c, &c->bufs[0]);
	}

	for (i = 0; i < r->warmup + r->batches; i++) {
		if (c->pick)
			for (j = 0; j < c->batch; j++)
				c->pick[j] = get_random_u32_below(c->nbufs);
		if (i >= r->warmup) {
			dmabench_mark(r, 1);
			marked = true;
		}
		ret = dmabench_run_batch(c, &s);
		if (i >= r->warmup)
			dmabench_mark(r, 0);
		if (ret)
			break;
		if (i >= r->warmup) {
			t->samples[i - r->warmup] = s;
			t->map_cycles += s.map_cycles;
			t->unmap_cycles += s.unmap_cycles;
			t->measured++;
		}
		/* Between batches, outside any timed region. */
		if (atomic_read(t->gone)) {
			ret = -ENODEV;
			break;
		}
		if (t->deadline && time_after(jiffies, t->deadline)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (atomic_read(t->stop) || fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (marked)
		dmabench_mark(r, 2);
	return ret;
}

/*
 * All of one thread's DMA work, buffers and premappings included, runs on
 * its measuring CPU, so per-CPU counters see every call the request makes.
 */
static int dmabench_work(struct dmabench_thread *t)
{
	int ret = dmabench_prepare(&t->ctx, t->dev, t->mmio, t->req);

	if (!ret)
		ret = dmabench_measure(t);
	dmabench_release(&t->ctx);
	return ret;
}

static int dmabench_thread_fn(void *data)
{
	struct dmabench_thread *t = data;

	t->ret = dmabench_work(t);
	kthread_complete_and_exit(&t->done, 0);
}

/* The CPUs of a request: @threads online CPUs from r->cpu on, in order. */
static int dmabench_pick_cpus(const struct dmabench_run *r, int *cpus)
{
	unsigned int n = 0, want = max(r->threads, 1U);
	int cpu;

	for_each_online_cpu(cpu) {
		if (cpu < r->cpu)
			continue;
		cpus[n++] = cpu;
		if (n == want)
			return 0;
	}
	return -EINVAL;
}

static int dmabench_run_threads(struct dmabench_thread *th, unsigned int n,
				const int *cpus, atomic_t *stop)
{
	unsigned int i, started = 0;
	int ret = 0;

	for (i = 0; i < n; i++) {
		struct task_struct *task;

		init_completion(&th[i].done);
		task = kthread_create(dmabench_thread_fn, &th[i],
				      "dmabench/%d", cpus[i]);
		if (IS_ERR(task)) {
			ret = PTR_ERR(task);
			break;
		}
		kthread_bind(task, cpus[i]);
		th[i].ret = -EINPROGRESS;
		wake_up_process(task);
		started++;
	}
	if (ret)
		atomic_set(stop, 1);
	for (i = 0; i < started; i++) {
		if (wait_for_completion_killable(&th[i].done)) {
			atomic_set(stop, 1);
			wait_for_completion(&th[i].done);
			ret = -EINTR;
		}
		if (!ret && th[i].ret)
			ret = th[i].ret;
	}
	return ret;
}

/*
 * @gone: set when the device is unbound; the run stops after the current
 * batch with -ENODEV. @budget: jiffies the request may take (0: no limit);
 * past it the run stops with -ETIMEDOUT, and r->ops and the samples hold
 * the measured batches each thread completed.
 */
int dmabench_execute(struct device *dev, const struct dmabench_mmio *mmio,
		     struct dmabench_run *r, const atomic_t *gone,
		     unsigned long budget)
{
	unsigned int i, n = max(r->threads, 1U);
	struct dmabench_sample *samples;
	struct dmabench_thread *th;
	atomic_t stop = ATOMIC_INIT(0);
	unsigned long deadline = budget ? jiffies + budget : 0;
	u64 measured = 0;
	int *cpus;
	int ret;

	th = kcalloc(n, sizeof(*th), GFP_KERNEL);
	cpus = kcalloc(n, sizeof(*cpus), GFP_KERNEL);
	samples = kvcalloc((size_t)r->batches * n, sizeof(*samples), GFP_KERNEL);
	ret = th && cpus && samples ? 0 : -ENOMEM;
	if (!ret && r->cpu >= 0)
		ret = dmabench_pick_cpus(r, cpus);
	for (i = 0; !ret && i < n; i++) {
		th[i].req = r;
		th[i].stop = &stop;
		th[i].gone = gone;
		th[i].deadline = deadline;
		th[i].samples = samples + (size_t)i * r->batches;
		th[i].dev = dev;
		th[i].mmio = mmio;
	}
	if (ret)
		goto out;

	th[0].classify = true;
	if (r->cpu < 0)
		ret = dmabench_work(&th[0]);
	else
		ret = dmabench_run_threads(th, n, cpus, &stop);
	if (ret && ret != -ETIMEDOUT)
		goto out;

	r->map_cycles = 0;
	r->unmap_cycles = 0;
	for (i = 0; i < n; i++) {
		r->map_cycles += th[i].map_cycles;
		r->unmap_cycles += th[i].unmap_cycles;
		measured += th[i].measured;
	}
	r->ops = (u64)r->batch * measured;
	r->calls = (u64)r->batch * (r->warmup + r->batches) * n +
		   (r->api == DMABENCH_API_SYNC ? 0 : 1);
	if (copy_to_user(u64_to_user_ptr(r->samples), samples,
			 array_size((size_t)r->batches * n, sizeof(*samples))))
		ret = -EFAULT;
	if (!ret && measured < (u64)r->batches * n)
		ret = -ETIMEDOUT;
out:
	kvfree(samples);
	kfree(cpus);
	kfree(th);
	return ret;
}
