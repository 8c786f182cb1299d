// SPDX-License-Identifier: GPL-2.0-only
/*
 * Notification queues (facts section 6): rings in host memory that a
 * NeuronCore writes TRACE, NOTIFY, EVENT and ERROR entries into.
 *
 * DRM_IOCTL_NEURON_NQ_CREATE gives the caller a file descriptor for one
 * queue: mmap() maps the ring read-only, poll() reports entries not yet
 * acknowledged, read() returns how many entries were written, write()
 * acknowledges (moves the hardware head), close() tears the queue down.
 * The ring must be one contiguous buffer (the hardware takes a base and a
 * size), so it is a block of pages, not a GEM object.  The pages live as
 * long as the file (a client may still have them mapped after the device
 * is removed); their DMA mapping ends when the device goes.  Inf1 hosts
 * are x86, where DMA is cache-coherent: the client's mapping sees entries
 * as the device writes them.
 *
 * New entries are found in host memory, never in a register: the model's
 * entries carry a phase bit and a sequence number (putils_regs.h).  The
 * NeuronCore's MSI-X vector, or a 1 ms timer without MSI-X, triggers the
 * scan.
 */

#include <linux/anon_inodes.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "neuron_compat.h"
#include "neuron_cores.h"
#include "neuron_drv.h"
#include "neuron_hw.h"
#include "neuron_nq.h"
#include "neuron_reset.h"
#include "uapi/drm/neuron_accel.h"
#include "model/msix.h"
#include "v1/putils_regs.h"
#include "model/nq_entry.h"

#define NEURON_NQ_MIN_SIZE	4096u
#define NEURON_NQ_MAX_SIZE	SZ_1M
#define NEURON_NQ_POLL_MS	1

/**
 * struct neuron_nq - one notification queue a client owns
 * @ndev: the device (a reference on its DRM device is held)
 * @nc: NeuronCore
 * @type: DRM_NEURON_NQ_*
 * @instance: engine index
 * @size: ring bytes
 * @pages: the ring's pages (physically contiguous)
 * @ring: their kernel address
 * @dma: their bus address while @mapped
 * @mapped: DMA-mapped for the device (until the device is removed; under
 *	the queues' mutex)
 * @pos: entries found since the queue was last programmed
 * @base: entries found before that (the count survives device resets)
 * @acked: entries acknowledged
 * @lost: entries the device overwrote before they were found
 * @wait: poll() and readers
 * @src: for a client's view of an ERROR queue, the driver's queue it
 *	shows (the view has no ring of its own); NULL otherwise
 * @owner: thread-group id of the process that created the queue (0 for
 *	the driver's ERROR queues), for debugfs
 */
struct neuron_nq {
	struct neuron_device *ndev;
	u32 nc;
	u32 type;
	u32 instance;
	u32 size;
	struct page *pages;
	void *ring;
	dma_addr_t dma;
	bool mapped;
	u64 pos;
	u64 base;
	u64 acked;
	u64 lost;
	wait_queue_head_t wait;
	struct neuron_nq *src;
	pid_t owner;
};

/*
 * A zeroed ring of nq->size bytes, mapped for the device; a client's is
 * charged to its memory cgroup (@gfp NEURON_GFP_CLIENT).
 */
static int neuron_nq_ring_alloc(struct neuron_nq *nq, gfp_t gfp)
{
	struct device *dev = &nq->ndev->pdev->dev;

	nq->pages = alloc_pages(gfp | __GFP_ZERO, get_order(nq->size));
	if (!nq->pages)
		return -ENOMEM;
	nq->ring = page_address(nq->pages);
	nq->dma = dma_map_page(dev, nq->pages, 0, nq->size, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, nq->dma)) {
		__free_pages(nq->pages, get_order(nq->size));
		return -ENOMEM;
	}
	nq->mapped = true;
	return 0;
}

/*
 * End the device's access to the ring; the pages stay.  The flag changes
 * under the scans' lock, so that no scan syncs an unmapped ring.
 */
static void neuron_nq_ring_unmap(struct neuron_nq *nq)
{
	struct neuron_nqs *nqs = nq->ndev->nqs;
	unsigned long flags;

	if (!nq->mapped)
		return;
	spin_lock_irqsave(&nqs->lock, flags);
	nq->mapped = false;
	spin_unlock_irqrestore(&nqs->lock, flags);
	dma_unmap_page(&nq->ndev->pdev->dev, nq->dma, nq->size, DMA_BIDIRECTIONAL);
}

static void neuron_nq_ring_free(struct neuron_nq *nq)
{
	neuron_nq_ring_unmap(nq);
	__free_pages(nq->pages, get_order(nq->size));
}

/*
 * The open queue at or after position *pos of the table (NeuronCore, type,
 * instance order), or NULL at the end.  nqs->mutex held.
 */
static struct neuron_nq *neuron_nq_next(struct neuron_nqs *nqs, int *pos)
{
	for (; *pos < V1_NC_PER_DEVICE * NQ_TYPES * NQ_INSTANCES; (*pos)++) {
		int nc = *pos / (NQ_TYPES * NQ_INSTANCES);
		int t = *pos / NQ_INSTANCES % NQ_TYPES;
		struct neuron_nq *nq = nqs->q[nc][t][*pos % NQ_INSTANCES];

		if (nq)
			return nq;
	}
	return NULL;
}

static u32 neuron_nq_group(u32 type, u32 instance)
{
	switch (type) {
	case DRM_NEURON_NQ_TRACE:
		return PUTILS_NQ_TRACE(instance);
	case DRM_NEURON_NQ_NOTIFY:
		return PUTILS_NQ_NOTIFY(instance);
	case DRM_NEURON_NQ_EVENT:
		return PUTILS_NQ_EVENT;
	default:
		return PUTILS_NQ_ERROR;
	}
}

/* Program (or, with @on false, disable) the queue's registers.  Posted. */
static void neuron_nq_program(struct neuron_nq *nq, bool on)
{
	neuron_v1_nq_program(nq->ndev, nq->nc, neuron_nq_group(nq->type, nq->instance),
			     on ? neuron_v1_host_dev_addr(nq->dma) : 0, on ? nq->size : 0);
}

/*
 * Count the entries the device wrote since the last scan; nqs->lock held.
 * The entry at the next position is new when its phase bit is this lap's.
 * A sequence number ahead of ours means the device lapped the ring before
 * we looked: the overwritten entries are counted as lost.
 */
static bool neuron_nq_scan(struct neuron_nq *nq)
{
	u32 slots = nq->size / NQ_ENTRY_SIZE;
	bool found = false;

	for (;;) {
		u32 off = (nq->pos % slots) * NQ_ENTRY_SIZE;
		const __le32 *e = nq->ring + off;
		u32 info, seq;
		bool phase;
		u32 pos;

		if (nq->mapped)
			dma_sync_single_range_for_cpu(&nq->ndev->pdev->dev, nq->dma, off,
						      NQ_ENTRY_SIZE, DMA_BIDIRECTIONAL);
		info = le32_to_cpu(READ_ONCE(e[NQ_ENTRY_OFF_INFO / 4]));
		seq = le32_to_cpu(READ_ONCE(e[NQ_ENTRY_OFF_SEQ / 4]));
		phase = (NQ_PHASE_INIT + nq->pos / slots) & 1;
		pos = (u32)nq->pos;

		if (seq != pos && (s32)(seq - pos) > 0) {
			nq->lost += seq - pos;
			nq->pos += seq - pos;
			continue;
		}
		if (!!(info & NQ_ENTRY_PHASE) != phase || seq != pos)
			break;
		nq->pos++;
		found = true;
	}
	return found;
}

static void neuron_nq_scan_nc(struct neuron_device *ndev, u32 nc)
{
	struct neuron_nqs *nqs = ndev->nqs;
	unsigned long flags;
	int t, i;

	spin_lock_irqsave(&nqs->lock, flags);
	for (t = 0; t < NQ_TYPES; t++)
		for (i = 0; i < NQ_INSTANCES; i++) {
			struct neuron_nq *nq = nqs->q[nc][t][i];

			if (nq && neuron_nq_scan(nq))
				wake_up_interruptible(&nq->wait);
		}
	spin_unlock_irqrestore(&nqs->lock, flags);
}

static irqreturn_t neuron_nq_irq(int irq, void *data)
{
	struct neuron_nqs *nqs = data;
	int nc;

	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		if (nqs->irq[nc] == irq)
			neuron_nq_scan_nc(nqs->ndev, nc);
	return IRQ_HANDLED;
}

static void neuron_nq_poll_work(struct work_struct *work)
{
	struct neuron_nqs *nqs = container_of(to_delayed_work(work),
					      struct neuron_nqs, poll);
	int nc;

	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		neuron_nq_scan_nc(nqs->ndev, nc);
	if (atomic_read(&nqs->active))
		schedule_delayed_work(&nqs->poll, msecs_to_jiffies(NEURON_NQ_POLL_MS));
}

/* Entries written, as userspace counts them. */
static u64 neuron_nq_written(struct neuron_nq *nq)
{
	struct neuron_nqs *nqs = nq->ndev->nqs;
	unsigned long flags;
	u64 n;

	if (nq->src)
		nq = nq->src;
	spin_lock_irqsave(&nqs->lock, flags);
	n = nq->base + nq->pos;
	spin_unlock_irqrestore(&nqs->lock, flags);
	return n;
}

static __poll_t neuron_nq_fpoll(struct file *f, poll_table *wait)
{
	struct neuron_nq *nq = f->private_data;

	poll_wait(f, nq->src ? &nq->src->wait : &nq->wait, wait);
	if (drm_dev_is_unplugged(&nq->ndev->drm))
		return EPOLLERR | EPOLLHUP;
	return neuron_nq_written(nq) > READ_ONCE(nq->acked) ? EPOLLIN | EPOLLRDNORM : 0;
}

static ssize_t neuron_nq_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	struct neuron_nq *nq = f->private_data;
	u64 n = neuron_nq_written(nq);

	if (len < sizeof(n))
		return -EINVAL;
	if (copy_to_user(buf, &n, sizeof(n)))
		return -EFAULT;
	return sizeof(n);
}

static ssize_t neuron_nq_write(struct file *f, const char __user *buf, size_t len,
			       loff_t *off)
{
	struct neuron_nq *nq = f->private_data;
	struct drm_device *drm = &nq->ndev->drm;
	bool locked;
	int idx, ret;
	u64 n;

	if (len != sizeof(n))
		return -EINVAL;
	if (copy_from_user(&n, buf, sizeof(n)))
		return -EFAULT;
	if (n < READ_ONCE(nq->acked) || n > neuron_nq_written(nq))
		return -EINVAL;
	/* A view of the driver's ERROR queue: the head is the driver's. */
	if (nq->src) {
		WRITE_ONCE(nq->acked, n);
		return sizeof(n);
	}
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	ret = neuron_reset_read_lock(nq->ndev, &locked);
	if (!ret) {
		/* The head is in bytes (facts section 6.3). */
		neuron_v1_nq_set_head(nq->ndev, nq->nc, neuron_nq_group(nq->type, nq->instance),
				      (u32)((n * NQ_ENTRY_SIZE) % nq->size));
		WRITE_ONCE(nq->acked, n);
		neuron_reset_read_unlock(nq->ndev, locked);
	}
	drm_dev_exit(idx);
	return ret ? ret : sizeof(n);
}

static int neuron_nq_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct neuron_nq *nq = f->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;

	/* Read-only: the ring is the device's to write. */
	if (vma->vm_flags & VM_WRITE)
		return -EACCES;
	if (vma->vm_pgoff || len > PAGE_ALIGN(nq->size))
		return -EINVAL;
	vm_flags_clear(vma, VM_MAYWRITE);
	if (nq->src)
		nq = nq->src;
	/* The pages outlive every mapping: the file holds them. */
	return remap_pfn_range(vma, vma->vm_start, page_to_pfn(nq->pages), len,
			       vma->vm_page_prot);
}

static int neuron_nq_release(struct inode *inode, struct file *f)
{
	struct neuron_nq *nq = f->private_data;
	struct neuron_device *ndev = nq->ndev;
	struct neuron_nqs *nqs = ndev->nqs;
	bool locked = false;
	unsigned long flags;
	bool present;
	int idx;

	if (nq->src) {
		atomic_dec(&nqs->err_views[nq->nc]);
		atomic_dec(&nqs->active);
		kfree(nq);
		drm_dev_put(&ndev->drm);
		return 0;
	}
	/*
	 * The queue leaves the table and is switched off in one section, under
	 * the reset lock and then nqs->mutex (the order of NQ_CREATE): a reset
	 * programs every queue of the table again (neuron_nq_resume()), so one
	 * in between would switch this queue back on over pages about to be
	 * freed.  Without the reset lock (a signal while a reset runs, or the
	 * last reset failed) it is switched off all the same: the pages must
	 * not be the device's once freed, and under nqs->mutex the write comes
	 * after any re-programming.
	 */
	present = drm_dev_enter(&ndev->drm, &idx);
	if (present)
		neuron_reset_read_lock(ndev, &locked);
	mutex_lock(&nqs->mutex);
	spin_lock_irqsave(&nqs->lock, flags);
	nqs->q[nq->nc][nq->type][nq->instance] = NULL;
	spin_unlock_irqrestore(&nqs->lock, flags);
	atomic_dec(&nqs->active);
	/*
	 * Still mapped under nqs->mutex: neuron_nq_remove() has not run, so
	 * BAR0 is still mapped even if the device is being unplugged.  The
	 * mapping ends in this section too, or a removal that no longer finds
	 * the queue in the table would finish with it still mapped.
	 */
	if (nq->mapped) {
		neuron_nq_program(nq, false);
		/* Let writes already under way land (facts: wait 1 ms). */
		usleep_range(1000, 2000);
		neuron_nq_ring_unmap(nq);
	}
	mutex_unlock(&nqs->mutex);
	neuron_reset_read_unlock(ndev, locked);
	if (present)
		drm_dev_exit(idx);
	neuron_nq_ring_free(nq);
	kfree(nq);
	drm_dev_put(&ndev->drm);
	return 0;
}

static const struct file_operations neuron_nq_fops = {
	.owner = THIS_MODULE,
	.poll = neuron_nq_fpoll,
	.read = neuron_nq_read,
	.write = neuron_nq_write,
	.mmap = neuron_nq_mmap,
	.release = neuron_nq_release,
	.llseek = noop_llseek,
};

static struct neuron_nq *neuron_nq_alloc(struct neuron_device *ndev,
					 const struct drm_neuron_nq_create *args)
{
	struct neuron_nq *nq = kzalloc_obj(*nq, NEURON_GFP_CLIENT);

	if (!nq)
		return NULL;
	nq->ndev = ndev;
	nq->nc = args->nc;
	nq->type = args->type;
	nq->instance = args->instance;
	nq->size = args->size;
	nq->owner = task_tgid_nr(current);
	init_waitqueue_head(&nq->wait);
	return nq;
}

/*
 * The queue's file and a descriptor for it, not yet installed: nothing can
 * close it before it is set up.  Returns the file or an ERR_PTR.
 */
static struct file *neuron_nq_file(struct neuron_nq *nq, int *fd)
{
	struct file *f;

	*fd = get_unused_fd_flags(O_CLOEXEC);
	if (*fd < 0)
		return ERR_PTR(*fd);
	f = anon_inode_getfile("[neuron-nq]", &neuron_nq_fops, nq, O_RDWR);
	if (IS_ERR(f))
		put_unused_fd(*fd);
	return f;
}

/* One more open queue file; without MSI-X, scans run while there are any. */
static void neuron_nq_activate(struct neuron_nqs *nqs)
{
	lockdep_assert_held(&nqs->mutex);
	if (atomic_inc_return(&nqs->active) == 1 && !nqs->irq[0])
		schedule_delayed_work(&nqs->poll, msecs_to_jiffies(NEURON_NQ_POLL_MS));
}

/*
 * A read-only view of the driver's ERROR queue of a NeuronCore: any number
 * of clients may hold one; the ring and its head stay the driver's.
 */
static int neuron_nq_open_error(struct neuron_device *ndev,
				struct drm_neuron_nq_create *args)
{
	struct neuron_nqs *nqs = ndev->nqs;
	struct neuron_nq *nq;
	struct file *f;
	int fd, idx, ret;

	if (args->nc >= V1_NC_PER_DEVICE || args->instance || args->flags ||
	    args->pad || args->pad2)
		return -EINVAL;
	/* No new view once the device is gone, as for the other queues. */
	if (!drm_dev_enter(&ndev->drm, &idx))
		return -ENODEV;
	nq = neuron_nq_alloc(ndev, args);
	if (!nq) {
		ret = -ENOMEM;
		goto exit;
	}
	nq->src = nqs->err[args->nc];
	nq->size = nq->src->size;
	f = neuron_nq_file(nq, &fd);
	if (IS_ERR(f)) {
		kfree(nq);
		ret = PTR_ERR(f);
		goto exit;
	}
	drm_dev_get(&ndev->drm);
	mutex_lock(&nqs->mutex);
	atomic_inc(&nqs->err_views[args->nc]);
	neuron_nq_activate(nqs);
	mutex_unlock(&nqs->mutex);
	drm_dev_exit(idx);
	fd_install(fd, f);
	args->size = nq->size;
	args->fd = fd;
	return 0;

exit:
	drm_dev_exit(idx);
	return ret;
}

/**
 * neuron_nq_error_seen() - did a NeuronCore post ERROR entries lately?
 * @ndev: the device
 * @nc: NeuronCore
 *
 * For the completion path of clients' queues: true once per batch of new
 * ERROR entries, for the first caller after they were written (the first
 * job feeding the NeuronCore's FIFO to complete after the error; other
 * jobs do not ask).  Reads host memory only; any context.
 *
 * Return: whether there were ERROR entries the previous call did not see.
 */
bool neuron_nq_error_seen(struct neuron_device *ndev, int nc)
{
	struct neuron_nqs *nqs = ndev->nqs;
	struct neuron_nq *err = nqs ? nqs->err[nc] : NULL;
	unsigned long flags;
	bool news;
	u64 n;

	if (!err)
		return false;
	spin_lock_irqsave(&nqs->lock, flags);
	if (neuron_nq_scan(err))
		wake_up_interruptible(&err->wait);
	n = err->base + err->pos;
	news = n > nqs->err_seen[nc];
	nqs->err_seen[nc] = n;
	spin_unlock_irqrestore(&nqs->lock, flags);
	return news;
}

static int neuron_nq_args_check(const struct drm_neuron_nq_create *args)
{
	u32 instances = args->type == DRM_NEURON_NQ_EVENT ? 1 : NQ_INSTANCES;

	if (args->nc >= V1_NC_PER_DEVICE || args->type >= NQ_TYPES ||
	    args->instance >= instances || args->flags || args->pad || args->pad2)
		return -EINVAL;
	if (args->size < NEURON_NQ_MIN_SIZE || args->size > NEURON_NQ_MAX_SIZE ||
	    !is_power_of_2(args->size))
		return -EINVAL;
	return 0;
}

/**
 * neuron_ioctl_nq_create() - DRM_IOCTL_NEURON_NQ_CREATE
 * @drm: the device
 * @data: &struct drm_neuron_nq_create
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_nq_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct drm_neuron_nq_create *args = data;
	struct neuron_nqs *nqs = ndev->nqs;
	struct neuron_nq *nq;
	unsigned long flags;
	struct file *f;
	bool locked;
	int fd, idx, ret;

	args->fd = -1;
	if (args->type == DRM_NEURON_NQ_ERROR)
		return neuron_nq_open_error(ndev, args);
	ret = neuron_nq_args_check(args);
	if (ret)
		return ret;
	/* An owned core's notifications are its owner's. */
	if (!neuron_core_may_use(ndev, file, args->nc))
		return -EACCES;
	nq = neuron_nq_alloc(ndev, args);
	if (!nq)
		return -ENOMEM;
	/* No DMA mapping for a device already gone. */
	if (!drm_dev_enter(drm, &idx)) {
		kfree(nq);
		return -ENODEV;
	}
	ret = neuron_nq_ring_alloc(nq, NEURON_GFP_CLIENT);
	if (ret) {
		drm_dev_exit(idx);
		kfree(nq);
		return ret;
	}
	/* The reset lock first: a reset takes nqs->mutex to reprogram. */
	ret = neuron_reset_read_lock(ndev, &locked);
	if (ret)
		goto exit;
	mutex_lock(&nqs->mutex);
	ret = -EBUSY;
	if (nqs->q[nq->nc][nq->type][nq->instance])
		goto unlock;
	f = neuron_nq_file(nq, &fd);
	if (IS_ERR(f)) {
		ret = PTR_ERR(f);
		goto unlock;
	}
	drm_dev_get(drm);
	spin_lock_irqsave(&nqs->lock, flags);
	nqs->q[nq->nc][nq->type][nq->instance] = nq;
	spin_unlock_irqrestore(&nqs->lock, flags);
	neuron_nq_program(nq, true);
	neuron_nq_activate(nqs);
	mutex_unlock(&nqs->mutex);
	neuron_reset_read_unlock(ndev, locked);
	drm_dev_exit(idx);
	fd_install(fd, f);
	args->fd = fd;
	return 0;

unlock:
	mutex_unlock(&nqs->mutex);
	neuron_reset_read_unlock(ndev, locked);
exit:
	neuron_nq_ring_free(nq);
	drm_dev_exit(idx);
	kfree(nq);
	return ret;
}

/**
 * neuron_nq_resume() - program the open queues again after a reset
 * @ndev: the device
 * @nc_mask: the NeuronCores whose queues restarted (bit n = NeuronCore n)
 *
 * The reset restarted the rings; the device starts each ring afresh, so
 * the driver's scan does too (counts seen by userspace go on).  Called by
 * the reset path, which holds the reset lock for writing but not the
 * device: nothing is programmed once the device is gone.
 */
void neuron_nq_resume(struct neuron_device *ndev, u32 nc_mask)
{
	struct neuron_nqs *nqs = ndev->nqs;
	struct neuron_nq *nq;
	unsigned long flags;
	int idx, pos;

	/* A removal may have begun since the reset last used the device. */
	if (!nqs || !drm_dev_enter(&ndev->drm, &idx))
		return;
	mutex_lock(&nqs->mutex);
	for (pos = 0; (nq = neuron_nq_next(nqs, &pos)); pos++) {
		/* Its DMA mapping has ended (neuron_nq_remove()): leave it off. */
		if (!nq->mapped || !(nc_mask & BIT(nq->nc)))
			continue;
		spin_lock_irqsave(&nqs->lock, flags);
		nq->base += nq->pos;
		nq->pos = 0;
		memset(nq->ring, 0, nq->size);
		spin_unlock_irqrestore(&nqs->lock, flags);
		dma_sync_single_for_device(&ndev->pdev->dev, nq->dma, nq->size,
					   DMA_BIDIRECTIONAL);
		neuron_nq_program(nq, true);
	}
	mutex_unlock(&nqs->mutex);
	drm_dev_exit(idx);
}

static const char *const neuron_nq_type_names[NQ_TYPES] = {
	[DRM_NEURON_NQ_TRACE] = "trace",
	[DRM_NEURON_NQ_NOTIFY] = "notify",
	[DRM_NEURON_NQ_EVENT] = "event",
	[DRM_NEURON_NQ_ERROR] = "error",
};

/**
 * neuron_nq_show() - debugfs: every programmed notification queue
 * @ndev: the device
 * @m: output
 *
 * One line per queue: NeuronCore, type, instance, ring bytes, entries
 * written (as the queue's readers count them), acknowledged, lost to
 * overwriting, and the owner (a process id, or "driver" with the number
 * of client views for the ERROR queues).  Host memory only; no register
 * is read.
 */
void neuron_nq_show(struct neuron_device *ndev, struct seq_file *m)
{
	struct neuron_nqs *nqs = ndev->nqs;
	struct neuron_nq *nq;
	unsigned long flags;
	u64 written, lost;
	int pos;

	if (!nqs)
		return;
	seq_puts(m, "nc type   inst size    written acked   lost    owner\n");
	mutex_lock(&nqs->mutex);
	for (pos = 0; (nq = neuron_nq_next(nqs, &pos)); pos++) {
		spin_lock_irqsave(&nqs->lock, flags);
		written = nq->base + nq->pos;
		lost = nq->lost;
		spin_unlock_irqrestore(&nqs->lock, flags);
		seq_printf(m, "%-2u %-6s %-4u %-7u %-7llu %-7llu %-7llu ", nq->nc,
			   neuron_nq_type_names[nq->type], nq->instance, nq->size, written,
			   READ_ONCE(nq->acked), lost);
		if (nq == nqs->err[nq->nc])
			seq_printf(m, "driver views=%d\n", atomic_read(&nqs->err_views[nq->nc]));
		else
			seq_printf(m, "pid %d\n", nq->owner);
	}
	mutex_unlock(&nqs->mutex);
}

static void neuron_nq_fini(struct drm_device *drm, void *data)
{
	struct neuron_nqs *nqs = data;

	atomic_set(&nqs->active, 0);
	cancel_delayed_work_sync(&nqs->poll);
}

static void neuron_nq_err_free(struct drm_device *drm, void *data)
{
	neuron_nq_ring_free(data);
}

/*
 * Switch off every queue of the table that is still mapped and, once the
 * writes under way have landed, end the device's access to its ring (not
 * before: those writes still target it).  nqs->mutex held; BAR0 mapped.
 */
static void neuron_nq_stop(struct neuron_nqs *nqs)
{
	struct neuron_nq *nq;
	bool on = false;
	int pos;

	lockdep_assert_held(&nqs->mutex);
	for (pos = 0; (nq = neuron_nq_next(nqs, &pos)); pos++) {
		if (nq->mapped) {
			neuron_nq_program(nq, false);
			on = true;
		}
	}
	if (!on)
		return;
	/* Let writes already under way land (facts: wait 1 ms). */
	usleep_range(1000, 2000);
	for (pos = 0; (nq = neuron_nq_next(nqs, &pos)); pos++)
		neuron_nq_ring_unmap(nq);
}

/*
 * devm action: if probe fails once the ERROR queues are on, switch them off
 * while BAR0 is still mapped (devm actions run before the BARs' unmapping;
 * the drmm actions that free the rings run after it).  After a removal,
 * neuron_nq_remove() has done this already and nothing is left to do.
 */
static void neuron_nq_stop_action(void *data)
{
	struct neuron_nqs *nqs = data;

	mutex_lock(&nqs->mutex);
	neuron_nq_stop(nqs);
	mutex_unlock(&nqs->mutex);
}

/**
 * neuron_nq_remove() - the device is going away
 * @ndev: the device
 *
 * Switches every queue off and ends the device's access to the rings.
 * The rings themselves stay until their files are closed (clients' queues
 * and views may still be mapped) or the DRM device is released (the
 * driver's ERROR queues).  Called after drm_dev_unplug(), while the BARs
 * are still mapped.
 */
void neuron_nq_remove(struct neuron_device *ndev)
{
	struct neuron_nqs *nqs = ndev->nqs;

	if (!nqs)
		return;
	mutex_lock(&nqs->mutex);
	neuron_nq_stop(nqs);
	mutex_unlock(&nqs->mutex);
}

/**
 * neuron_nq_init() - notification queue state and interrupts at probe
 * @ndev: the device
 *
 * Return: 0 or a negative errno.
 */
int neuron_nq_init(struct neuron_device *ndev)
{
	struct neuron_nqs *nqs;
	int nc, irq, ret;

	nqs = drmm_kzalloc(&ndev->drm, sizeof(*nqs), GFP_KERNEL);
	if (!nqs)
		return -ENOMEM;
	nqs->ndev = ndev;
	spin_lock_init(&nqs->lock);
	ndev->nqs = nqs;
	ret = drmm_mutex_init(&ndev->drm, &nqs->mutex);
	if (ret)
		return ret;
	INIT_DELAYED_WORK(&nqs->poll, neuron_nq_poll_work);
	/* Before any queue is on: a later probe failure switches them off. */
	ret = devm_add_action_or_reset(&ndev->pdev->dev, neuron_nq_stop_action, nqs);
	if (ret)
		return ret;
	/* The ERROR queues are the driver's: job errors come from them. */
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		struct neuron_nq *err = drmm_kzalloc(&ndev->drm, sizeof(*err), GFP_KERNEL);

		if (!err)
			return -ENOMEM;
		err->ndev = ndev;
		err->nc = nc;
		err->type = DRM_NEURON_NQ_ERROR;
		err->size = NEURON_NQ_MIN_SIZE;
		init_waitqueue_head(&err->wait);
		ret = neuron_nq_ring_alloc(err, GFP_KERNEL);
		if (ret)
			return ret;
		/* Clients' views may map it until the DRM device is released. */
		ret = drmm_add_action_or_reset(&ndev->drm, neuron_nq_err_free, err);
		if (ret)
			return ret;
		neuron_nq_program(err, true);
		nqs->err[nc] = err;
		nqs->q[nc][DRM_NEURON_NQ_ERROR][0] = err;
	}
	/*
	 * After the rings' free actions, so that it runs before them (drmm
	 * actions run in reverse): no poll scan may look at a freed ring.
	 */
	ret = drmm_add_action_or_reset(&ndev->drm, neuron_nq_fini, nqs);
	if (ret)
		return ret;
	if (ndev->msix_vectors < NEURON_MSIX_VECTORS)
		return 0;
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		irq = pci_irq_vector(ndev->pdev, NEURON_MSIX_VEC_NQ(nc));
		if (irq < 0)
			return irq;
		ret = devm_request_threaded_irq(&ndev->pdev->dev, irq, NULL, neuron_nq_irq,
						IRQF_ONESHOT, "neuron-nq", nqs);
		if (ret)
			return ret;
		nqs->irq[nc] = irq;
	}
	return 0;
}
