// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: a PCI driver for QEMU's edu device (or any device named by
 * new_id/driver_override) that times the streaming DMA API on it and
 * answers requests on /dev/dmabench. The device never performs DMA: only the
 * CPU-side map/unmap paths are exercised, so any DMA-capable device will do.
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dmabench.h"

/*
 * The state of one bound device. Every open file holds a reference, so a
 * file that outlives the device (unbind, rmmod refused while open) still
 * points at valid memory; its ioctls answer -ENODEV once @gone is set.
 */
struct dmabench {
	struct kref ref;
	struct pci_dev *pdev;	/* a reference of its own, see dmabench_free() */
	struct miscdevice misc;
	struct dmabench_mmio mmio;
	u32 mode_apis;		/* APIs usable in the mode found at bind time */
	struct mutex lock;	/* one RUN at a time: held while it measures */
	struct rw_semaphore alive; /* read by each ioctl, written by remove */
	atomic_t gone;		/* set by remove: runs stop between batches */
	struct dentry *debugfs;	/* dmabench/live_pages: leak check for tests */
};

static struct dmabench *dmabench_the;
static DEFINE_MUTEX(dmabench_bind_lock);

static unsigned int max_run_ms = 600000;
module_param(max_run_ms, uint, 0644);
MODULE_PARM_DESC(max_run_ms,
		 "wall-clock budget of one RUN request in ms, checked between batches (0: none)");

static void dmabench_free(struct kref *ref)
{
	struct dmabench *db = container_of(ref, struct dmabench, ref);

	pci_dev_put(db->pdev);
	kfree(db);
}

static int dmabench_open(struct inode *inode, struct file *file)
{
	struct dmabench *db = container_of(file->private_data, struct dmabench,
					   misc);

	/*
	 * misc_open() holds the misc lock that misc_deregister() takes, so
	 * the state cannot be freed under us; it may already be going.
	 */
	if (atomic_read(&db->gone))
		return -ENODEV;
	kref_get(&db->ref);
	return 0;
}

static int dmabench_release_file(struct inode *inode, struct file *file)
{
	struct dmabench *db = container_of(file->private_data, struct dmabench,
					   misc);

	kref_put(&db->ref, dmabench_free);
	return 0;
}

static bool dmabench_reserved_zero(const u64 *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i])
			return false;
	return true;
}

/* Read a request whose first two words are its size and ABI version. */
static int dmabench_get_request(void *req, size_t size, void __user *arg)
{
	u32 head[2];

	if (copy_from_user(head, arg, sizeof(head)))
		return -EFAULT;
	if (head[0] != size || head[1] != DMABENCH_ABI_VERSION)
		return -EINVAL;
	if (copy_from_user(req, arg, size))
		return -EFAULT;
	return 0;
}

static long dmabench_ioctl_info(struct dmabench *db, void __user *arg)
{
	struct device *dev = &db->pdev->dev;
	struct dmabench_info info;
	int ret;

	ret = dmabench_get_request(&info, sizeof(info), arg);
	if (ret)
		return ret;
	if (!dmabench_reserved_zero(info.reserved, ARRAY_SIZE(info.reserved)) ||
	    info.reserved32)
		return -EINVAL;

	info.mode = dmabench_detect_mode(dev, &info.iommu_domain_type,
					 &info.swiotlb_force);
	info.apis = dmabench_supported_apis();
	info.mode_apis = db->mode_apis;
	info.features = DMABENCH_FEATURE_DEADLINE_MS;
	info.cycles_per_sec = dmabench_cycles_per_sec();
	info.max_mapping_size = dma_max_mapping_size(dev);
	info.max_size = DMABENCH_MAX_SIZE;
	info.max_batch = DMABENCH_MAX_BATCH;
	info.mmio_size = db->mmio.size;
	info.online_cpus = num_online_cpus();
	strscpy(info.device, pci_name(db->pdev), sizeof(info.device));
	strscpy(info.counter, dmabench_counter_name(), sizeof(info.counter));

	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static int dmabench_check_run(struct dmabench *db, const struct dmabench_run *r)
{
	struct device *dev = &db->pdev->dev;
	unsigned int threads = max(r->threads, 1U);
	unsigned int nents = max(r->nents, 1U);
	unsigned int nbufs = 1;
	u64 footprint;

	if (!dmabench_reserved_zero(r->reserved, ARRAY_SIZE(r->reserved)) ||
	    r->reserved32)
		return -EINVAL;
	if (r->api >= DMABENCH_API_COUNT ||
	    r->pattern >= DMABENCH_PATTERN_COUNT ||
	    r->dir > DMABENCH_DIR_FROM_DEVICE ||
	    (r->attrs & ~DMABENCH_ATTR_ALL) || (r->flags & ~DMABENCH_RUN_ALL))
		return -EINVAL;
	if (!r->length || r->offset >= PAGE_SIZE || !r->samples)
		return -EINVAL;
	if (!r->batch || r->batch > DMABENCH_MAX_BATCH ||
	    !r->batches || r->batches > DMABENCH_MAX_BATCHES ||
	    r->warmup > DMABENCH_MAX_BATCHES)
		return -EINVAL;
	if (r->nents > DMABENCH_MAX_NENTS || r->pool > DMABENCH_MAX_POOL ||
	    (r->pattern == DMABENCH_PATTERN_POOL && !r->pool))
		return -EINVAL;
	/* Several threads need CPUs named from r->cpu on. */
	if (r->cpu < -1 || r->cpu >= (int)nr_cpu_ids ||
	    (r->cpu >= 0 && !cpu_online(r->cpu)) ||
	    (threads > 1 && r->cpu < 0) || threads > num_online_cpus())
		return -EINVAL;
	if (!(dmabench_supported_apis() & BIT(r->api)))
		return -EOPNOTSUPP;
	if (!(db->mode_apis & BIT(r->api)))
		return -ENXIO;
	if (r->length > DMABENCH_MAX_SIZE || r->length > dma_max_mapping_size(dev))
		return -E2BIG;
	if (dmabench_api_is_mmio(r->api) &&
	    r->offset + (u64)r->length > db->mmio.size)
		return -E2BIG;
	if ((u64)r->length * nents * r->batch > DMABENCH_MAX_BATCH_BYTES)
		return -E2BIG;
	if (r->pattern == DMABENCH_PATTERN_BATCH)
		nbufs = r->batch;
	else if (r->pattern == DMABENCH_PATTERN_POOL)
		nbufs = r->pool;
	/*
	 * Everything the request allocates, bounded before any allocation:
	 * the samples, the buffer descriptors and (not for MMIO) the pages.
	 */
	footprint = (u64)r->batches * threads * sizeof(struct dmabench_sample) +
		    (u64)nbufs * threads * sizeof(struct dmabench_buf);
	if (!dmabench_api_is_mmio(r->api))
		footprint += (PAGE_SIZE <<
			      get_order(r->offset + (u64)r->length * nents)) *
			     (u64)nbufs * threads;
	return footprint > DMABENCH_MAX_FOOTPRINT ? -E2BIG : 0;
}

static long dmabench_ioctl_run(struct dmabench *db, void __user *arg)
{
	struct dmabench_run r;
	unsigned int budget;
	int ret;

	ret = dmabench_get_request(&r, sizeof(r), arg);
	if (ret)
		return ret;
	ret = dmabench_check_run(db, &r);
	if (ret)
		return ret;
	/* The request may ask for less time than the module allows, not more. */
	budget = READ_ONCE(max_run_ms);
	if (r.deadline_ms && (!budget || r.deadline_ms < budget))
		budget = r.deadline_ms;
	ret = dmabench_execute(&db->pdev->dev, &db->mmio, &r, &db->gone,
			       msecs_to_jiffies(budget));
	/* A request stopped by its deadline returns what it completed. */
	if (ret && ret != -ETIMEDOUT)
		return ret;
	return copy_to_user(arg, &r, sizeof(r)) ? -EFAULT : ret;
}

static long dmabench_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct dmabench *db = container_of(file->private_data, struct dmabench,
					   misc);
	void __user *uarg = (void __user *)arg;
	long ret;

	/* A run pins CPUs with preemption off and maps up to 256 MiB. */
	if (cmd == DMABENCH_IOC_RUN && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (atomic_read(&db->gone))
		return -ENODEV;
	/* Remove waits for every ioctl in flight; INFO never waits for RUN. */
	if (down_read_killable(&db->alive))
		return -EINTR;
	if (atomic_read(&db->gone)) {
		ret = -ENODEV;
		goto out;
	}
	switch (cmd) {
	case DMABENCH_IOC_INFO:
		ret = dmabench_ioctl_info(db, uarg);
		break;
	case DMABENCH_IOC_RUN:
		/* A second RUN while one is measuring is refused, not queued. */
		if (!mutex_trylock(&db->lock)) {
			ret = -EBUSY;
			break;
		}
		ret = dmabench_ioctl_run(db, uarg);
		mutex_unlock(&db->lock);
		break;
	default:
		ret = -ENOTTY;
	}
out:
	up_read(&db->alive);
	return ret;
}

static const struct file_operations dmabench_fops = {
	.owner = THIS_MODULE,
	.open = dmabench_open,
	.release = dmabench_release_file,
	.unlocked_ioctl = dmabench_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static int dmabench_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dmabench *db;
	int ret;

	mutex_lock(&dmabench_bind_lock);
	if (dmabench_the) {
		mutex_unlock(&dmabench_bind_lock);
		dev_info(&pdev->dev, "dmabench already bound to %s\n",
			 pci_name(dmabench_the->pdev));
		return -EBUSY;
	}

	ret = pcim_enable_device(pdev);
	if (ret)
		goto out_unlock;
	/*
	 * No DMA ever reaches the device, so claim a 64-bit mask: a narrower
	 * one (edu's is 28 bits) would make dma-direct bounce through swiotlb
	 * and every mode would measure swiotlb.
	 */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		goto out_unlock;

	db = kcalloc(1, sizeof(*db), GFP_KERNEL);
	if (!db) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	kref_init(&db->ref);
	db->pdev = pci_dev_get(pdev);
	/* The resource and MMIO APIs map (never touch) the first MMIO BAR. */
	if (pci_resource_flags(pdev, 0) & IORESOURCE_MEM) {
		db->mmio.start = pci_resource_start(pdev, 0);
		db->mmio.size = pci_resource_len(pdev, 0);
	}
	/* A device's DMA mode does not change while a driver is bound. */
	db->mode_apis = dmabench_mode_apis(&pdev->dev, &db->mmio);
	mutex_init(&db->lock);
	init_rwsem(&db->alive);
	db->misc.minor = MISC_DYNAMIC_MINOR;
	db->misc.name = "dmabench";
	db->misc.fops = &dmabench_fops;
	db->misc.mode = 0600;
	ret = misc_register(&db->misc);
	if (ret) {
		kref_put(&db->ref, dmabench_free);
		goto out_unlock;
	}
	pci_set_drvdata(pdev, db);
	dmabench_the = db;
	db->debugfs = debugfs_create_dir("dmabench", NULL);
	debugfs_create_atomic_t("live_pages", 0400, db->debugfs,
				&dmabench_live_pages);
	dev_info(&pdev->dev, "dmabench ready on /dev/dmabench (ABI %d)\n",
		 DMABENCH_ABI_VERSION);
out_unlock:
	mutex_unlock(&dmabench_bind_lock);
	return ret;
}

static void dmabench_remove(struct pci_dev *pdev)
{
	struct dmabench *db = pci_get_drvdata(pdev);

	/*
	 * No new opens; files already open keep the state alive and get
	 * -ENODEV. A run in flight stops after its current batch (-ENODEV);
	 * waiting for it here means no DMA call runs on an unbound device.
	 */
	mutex_lock(&dmabench_bind_lock);
	debugfs_remove_recursive(db->debugfs);
	atomic_set(&db->gone, 1);
	misc_deregister(&db->misc);
	dmabench_the = NULL;
	mutex_unlock(&dmabench_bind_lock);
	down_write(&db->alive);
	up_write(&db->alive);
	kref_put(&db->ref, dmabench_free);
}

static const struct pci_device_id dmabench_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },	/* QEMU edu */
	{ }
};
MODULE_DEVICE_TABLE(pci, dmabench_ids);

static struct pci_driver dmabench_driver = {
	.name = "dmabench",
	.id_table = dmabench_ids,
	.probe = dmabench_probe,
	.remove = dmabench_remove,
};

static int __init dmabench_init(void)
{
	int ret = dmabench_counter_init();

	if (ret)
		return ret;
	ret = pci_register_driver(&dmabench_driver);
	if (ret)
		dmabench_counter_exit();
	return ret;
}
module_init(dmabench_init);

static void __exit dmabench_exit(void)
{
	pci_unregister_driver(&dmabench_driver);
	dmabench_counter_exit();
}
module_exit(dmabench_exit);

MODULE_DESCRIPTION("Microbenchmark of the streaming DMA map/unmap paths");
MODULE_AUTHOR("dmabench developers");
MODULE_LICENSE("GPL");
