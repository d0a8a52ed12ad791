/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmabench: the only contract between dmabench.ko and the dmabench runner.
 *
 * Every request struct starts with its own size and the ABI version the
 * caller was built against; reserved fields must be zero. The module rejects
 * anything it does not understand with -EINVAL instead of guessing.
 */
#ifndef _UAPI_DMABENCH_H
#define _UAPI_DMABENCH_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define DMABENCH_ABI_VERSION	2
#define DMABENCH_DEVICE		"/dev/dmabench"

/* The calls a RUN request can time. */
enum dmabench_api {
	DMABENCH_API_NULL = 0,		/* empty call with dma_map_phys's arguments */
	DMABENCH_API_PAGE = 1,		/* dma_map_page_attrs/dma_unmap_page_attrs */
	DMABENCH_API_PHYS = 2,		/* dma_map_phys/dma_unmap_phys */
	DMABENCH_API_ROUNDTRIP = 3,	/* phys_to_page() + dma_map_page_attrs */
	DMABENCH_API_SINGLE = 4,	/* dma_map_single_attrs on page_address() */
	DMABENCH_API_SG = 5,		/* dma_map_sg_attrs, nents entries */
	DMABENCH_API_RESOURCE = 6,	/* dma_map_resource on the device's BAR */
	DMABENCH_API_PHYS_MMIO = 7,	/* dma_map_phys(DMA_ATTR_MMIO) on the BAR */
	DMABENCH_API_IOVA = 8,		/* dma_iova_try_alloc+link+sync, destroy */
	DMABENCH_API_SYNC = 9,		/* dma_sync_single_for_device/_for_cpu */
	DMABENCH_API_COUNT
};

/* What the module found the device's DMA path to be. */
enum dmabench_mode {
	DMABENCH_MODE_UNKNOWN = 0,
	DMABENCH_MODE_DIRECT = 1,	/* no IOMMU: dma-direct */
	DMABENCH_MODE_PASSTHROUGH = 2,	/* IOMMU identity domain */
	DMABENCH_MODE_STRICT = 3,	/* IOMMU DMA domain, strict invalidation */
	DMABENCH_MODE_LAZY = 4,		/* IOMMU DMA-FQ domain (flush queue) */
	DMABENCH_MODE_SWIOTLB = 5,	/* dma-direct with forced bouncing */
	DMABENCH_MODE_COUNT
};

enum dmabench_pattern {
	DMABENCH_PATTERN_PAIR = 0,	/* map then unmap one buffer each op */
	DMABENCH_PATTERN_BATCH = 1,	/* map N buffers, then unmap all N */
	DMABENCH_PATTERN_POOL = 2,	/* pair on random buffers of a pool */
	DMABENCH_PATTERN_COUNT
};

/*
 * For DMABENCH_API_SYNC a sample's "map" is dma_sync_single_for_device()
 * and its "unmap" dma_sync_single_for_cpu() on a mapping made beforehand.
 */

/* Values of dmabench_run.dir, as in enum dma_data_direction. */
#define DMABENCH_DIR_BIDIRECTIONAL	0
#define DMABENCH_DIR_TO_DEVICE		1
#define DMABENCH_DIR_FROM_DEVICE	2

/* dmabench_run.attrs */
#define DMABENCH_ATTR_SKIP_CPU_SYNC	_BITULL(0)
#define DMABENCH_ATTR_ALL		DMABENCH_ATTR_SKIP_CPU_SYNC

/*
 * dmabench_run.flags. NULL_TWIN: run the API's own loop on its null twins,
 * empty out-of-line functions with each timed call's signature that get
 * the same arguments (the baseline the runner subtracts). The round trip's
 * twin is the page API's, given the buffer's page and offset.
 */
#define DMABENCH_RUN_IRQS_OFF		_BITUL(0)
#define DMABENCH_RUN_NULL_TWIN		_BITUL(1)
/*
 * Bracket each measured batch with the explain markers (long NOPs a QEMU
 * plugin watches for, harness/plugin/explain.c); nothing else changes.
 */
#define DMABENCH_RUN_EXPLAIN		_BITUL(8)
#define DMABENCH_RUN_ALL		(DMABENCH_RUN_IRQS_OFF | DMABENCH_RUN_NULL_TWIN | \
					 DMABENCH_RUN_EXPLAIN)

/* dmabench_run.map_flags: how the first mapping of a request behaved. */
#define DMABENCH_MAP_DMA_EQ_PHYS	_BITUL(0) /* dma address == phys */
#define DMABENCH_MAP_IN_SWIOTLB		_BITUL(1) /* lies in a bounce pool */

#define DMABENCH_MAX_SIZE	(2U << 20)	/* bytes per mapping */
#define DMABENCH_MAX_BATCH	1024U		/* ops per batch */
#define DMABENCH_MAX_BATCHES	1048576U	/* samples per request */
#define DMABENCH_MAX_NENTS	128U		/* sg entries per mapping */
#define DMABENCH_MAX_POOL	4096U		/* buffers in a pool */
#define DMABENCH_MAX_FOOTPRINT	(256U << 20)	/* bytes one request maps */
/*
 * Bytes one batch maps, summed over its ops (length * nents * batch): a
 * batch runs with preemption off, and swiotlb copies every byte.
 */
#define DMABENCH_MAX_BATCH_BYTES	(256U << 20)

struct dmabench_info {
	__u32 size;		/* in: sizeof(struct dmabench_info) */
	__u32 abi_version;	/* in: DMABENCH_ABI_VERSION */
	__u32 mode;		/* out: enum dmabench_mode */
	__u32 apis;		/* out: bit (1 << api) per supported API */
	__u64 cycles_per_sec;	/* out: cycle counter rate (TSC on x86) */
	__u64 max_mapping_size;	/* out: dma_max_mapping_size() */
	__u32 max_size;		/* out: DMABENCH_MAX_SIZE */
	__u32 max_batch;	/* out: DMABENCH_MAX_BATCH */
	__u32 iommu_domain_type; /* out: raw IOMMU_DOMAIN_* or 0 */
	__u32 swiotlb_force;	/* out: 1 if swiotlb bounces every mapping */
	char device[32];	/* out: PCI name of the device, NUL-ended */
	char counter[16];	/* out: cycle counter used, e.g. "rdtsc_ordered" */
	__u64 mmio_size;	/* out: bytes of the BAR that MMIO APIs map */
	__u32 online_cpus;	/* out: num_online_cpus() */
	__u32 mode_apis;	/* out: APIs usable in the detected mode */
	__u32 features;		/* out: DMABENCH_FEATURE_*; 0: an older module */
	__u32 reserved32;	/* must be zero */
	__u64 reserved[5];	/* must be zero */
};

/*
 * Request fields added under this ABI version after its first form: a
 * runner asks INFO before using one, and an older module, which rejects
 * it as a reserved field, says 0 here.
 */
#define DMABENCH_FEATURE_DEADLINE_MS	_BITUL(0)	/* dmabench_run.deadline_ms */

/*
 * One sample: the cycles of one batch of ops. With several threads the
 * samples of thread t are samples[t * batches .. (t + 1) * batches - 1].
 */
struct dmabench_sample {
	__u64 map_cycles;
	__u64 unmap_cycles;
};

struct dmabench_run {
	__u32 size;		/* in: sizeof(struct dmabench_run) */
	__u32 abi_version;	/* in: DMABENCH_ABI_VERSION */
	__u32 api;		/* in: enum dmabench_api */
	__u32 pattern;		/* in: enum dmabench_pattern */
	__u32 dir;		/* in: DMABENCH_DIR_* */
	__u32 flags;		/* in: DMABENCH_RUN_* */
	__u64 attrs;		/* in: DMABENCH_ATTR_* */
	__u32 length;		/* in: bytes per mapping, 1..DMABENCH_MAX_SIZE */
	__u32 offset;		/* in: offset into the first page, < PAGE_SIZE */
	__u32 batch;		/* in: ops per batch, 1..DMABENCH_MAX_BATCH */
	__u32 batches;		/* in: measured batches, 1..DMABENCH_MAX_BATCHES */
	__u32 warmup;		/* in: batches run first and discarded */
	__u32 map_flags;	/* out: DMABENCH_MAP_* */
	__s32 cpu;		/* in: CPU of the first thread, -1: the caller's */
	__u32 threads;		/* in: CPUs measuring at once (0 means 1) */
	__u32 nents;		/* in: sg entries per mapping (0 means 1) */
	__u32 pool;		/* in: buffers of the pool pattern */
	__u64 samples;		/* in: user pointer, batches * threads samples */
	__u64 map_cycles;	/* out: sum over measured batches and threads */
	__u64 unmap_cycles;	/* out: sum over measured batches and threads */
	__u64 ops;		/* out: measured ops (batch * batches * threads) */
	__u64 calls;		/* out: every map call made, warm-up included */
	__u32 deadline_ms;	/* in: this request's time budget in ms, at most
				 * the module's max_run_ms (0: max_run_ms only)
				 */
	__u32 reserved32;	/* must be zero */
	__u64 reserved[2];	/* must be zero */
};

#define DMABENCH_IOC_MAGIC	0xdb
#define DMABENCH_IOC_INFO	_IOWR(DMABENCH_IOC_MAGIC, 1, struct dmabench_info)
#define DMABENCH_IOC_RUN	_IOWR(DMABENCH_IOC_MAGIC, 2, struct dmabench_run)

#endif /* _UAPI_DMABENCH_H */
