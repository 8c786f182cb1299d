// SPDX-License-Identifier: GPL-2.0-only
/*
 * NeuronCore ownership.
 *
 * A NeuronCore's internal state (its memory, FIFO, semaphores, events and
 * notification queues) belongs to the one model running on it.  A client
 * acquires cores (DRM_IOCTL_NEURON_NC_ACQUIRE); while it owns one, only it
 * may reach into the core: aim descriptors at its window or FIFO, change
 * its semaphores and events, open its notification queues.  A core nobody
 * owns stays shared, as on the hardware, except for its window, which
 * only an owner may reach.  The DMA engines stay everyone's for transfers
 * between BOs.
 *
 * A change of owner waits for the jobs of the old owner that reach into
 * the core: the ownership check of a push and the push itself happen
 * under the core's rwsem for reading, and a release takes it for writing,
 * then waits until every queue of the old owner on that core has run dry.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/dma-fence.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/sysfs.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "neuron_cores.h"
#include "neuron_drv.h"
#include "neuron_hwq.h"
#include "neuron_job.h"
#include "neuron_prog.h"
#include "uapi/drm/neuron_accel.h"

/* How long a release waits for one of the owner's queues to run dry. */
#define NEURON_CORE_DRAIN_MS		30000

/**
 * neuron_cores_init() - no NeuronCore owned
 * @ndev: the device
 *
 * Return: 0 or -ENOMEM.
 */
int neuron_cores_init(struct neuron_device *ndev)
{
	struct neuron_cores *cores;
	int nc;

	cores = drmm_kzalloc(&ndev->drm, sizeof(*cores), GFP_KERNEL);
	if (!cores)
		return -ENOMEM;
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		init_rwsem(&cores->core[nc].push);
	ndev->cores = cores;
	return drmm_mutex_init(&ndev->drm, &cores->lock);
}

/**
 * neuron_core_owned_by() - whether @file owns NeuronCore @nc
 * @ndev: the device
 * @file: the client
 * @nc: the NeuronCore
 *
 * Return: true if it does (a snapshot, unless the caller holds the core's
 * push lock).
 */
bool neuron_core_owned_by(struct neuron_device *ndev, struct drm_file *file, int nc)
{
	return READ_ONCE(ndev->cores->core[nc].file) == file;
}

/**
 * neuron_core_may_use() - whether @file may reach into NeuronCore @nc
 * @ndev: the device
 * @file: the client
 * @nc: the NeuronCore
 *
 * Return: true if nobody owns the core or @file does.
 */
bool neuron_core_may_use(struct neuron_device *ndev, struct drm_file *file, int nc)
{
	struct drm_file *owner = READ_ONCE(ndev->cores->core[nc].file);

	return !owner || owner == file;
}

/**
 * neuron_core_push_begin() - ownership check of a job about to be pushed
 * @ndev: the device
 * @file: the client pushing it
 * @prog: what the job runs
 *
 * A program that reaches into its NeuronCore (window or FIFO) holds the
 * core's push lock for reading until neuron_core_push_end(), so that no
 * change of owner passes between the check and the push.
 *
 * Return: 0, or -EACCES: a window program of a core @file does not own,
 * or a FIFO program of a core another client owns.
 */
int neuron_core_push_begin(struct neuron_device *ndev, struct drm_file *file,
			   const struct neuron_prog *prog)
{
	struct neuron_core_owner *core = &ndev->cores->core[prog->nc];

	if (!prog->nc_window && !prog->nc_fifo)
		return 0;
	down_read(&core->push);
	if (prog->nc_window ? core->file != file : core->file && core->file != file) {
		up_read(&core->push);
		return -EACCES;
	}
	return 0;
}

/**
 * neuron_core_push_end() - end of a neuron_core_push_begin() section
 * @ndev: the device
 * @prog: the same program
 */
void neuron_core_push_end(struct neuron_device *ndev, const struct neuron_prog *prog)
{
	if (prog->nc_window || prog->nc_fifo)
		up_read(&ndev->cores->core[prog->nc].push);
}

/* Wait until every job pushed on @queue has ended (bounded). */
static void neuron_core_queue_drain(struct neuron_queue *queue)
{
	long left = msecs_to_jiffies(NEURON_CORE_DRAIN_MS);
	struct dma_fence *last;

	left = drm_sched_entity_flush(&queue->entity, left);
	rcu_read_lock();
	last = dma_fence_get_rcu_safe(&queue->entity.last_scheduled);
	rcu_read_unlock();
	if (last) {
		dma_fence_wait_timeout(last, false, max(left, 1L));
		dma_fence_put(last);
	}
}

/*
 * Release @nc, owned by @file: no push of @file reaches the core from now
 * on, its jobs that did are waited for, then the core is free.
 */
static void neuron_core_release_locked(struct neuron_device *ndev, struct drm_file *file,
				       int nc)
{
	struct neuron_core_owner *core = &ndev->cores->core[nc];
	struct neuron_file *nfile = file->driver_priv;
	struct neuron_queue *queue;
	unsigned long id;

	lockdep_assert_held(&ndev->cores->lock);
	down_write(&core->push);
	xa_for_each(&nfile->queues, id, queue)
		if (queue->hwq->nc == nc)
			neuron_core_queue_drain(queue);
	WRITE_ONCE(core->file, NULL);
	up_write(&core->push);
}

static int neuron_core_mask_check(u32 mask)
{
	return !mask || mask & ~GENMASK(V1_NC_PER_DEVICE - 1, 0) ? -EINVAL : 0;
}

/**
 * neuron_ioctl_nc_acquire() - DRM_IOCTL_NEURON_NC_ACQUIRE
 * @drm: the device
 * @data: &struct drm_neuron_nc_acquire
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_nc_acquire(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct drm_neuron_nc_acquire *args = data;
	struct neuron_cores *cores = ndev->cores;
	int nc, idx, ret;

	if (args->flags || neuron_core_mask_check(args->nc_mask))
		return -EINVAL;
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	mutex_lock(&cores->lock);
	ret = -EBUSY;
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		if ((args->nc_mask & BIT(nc)) && !neuron_core_may_use(ndev, file, nc))
			goto unlock;
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		struct neuron_core_owner *core = &cores->core[nc];

		if (!(args->nc_mask & BIT(nc)) || core->file == file)
			continue;
		down_write(&core->push);
		core->client_id = file->client_id;
		core->pid = task_tgid_vnr(current);
		get_task_comm(core->comm, current);
		WRITE_ONCE(core->file, file);
		up_write(&core->push);
	}
	ret = 0;
unlock:
	mutex_unlock(&cores->lock);
	drm_dev_exit(idx);
	return ret;
}

/**
 * neuron_ioctl_nc_release() - DRM_IOCTL_NEURON_NC_RELEASE
 * @drm: the device
 * @data: &struct drm_neuron_nc_release
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_nc_release(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct drm_neuron_nc_release *args = data;
	struct neuron_cores *cores = ndev->cores;
	int nc, ret = -EINVAL;

	if (args->pad || neuron_core_mask_check(args->nc_mask))
		return -EINVAL;
	mutex_lock(&cores->lock);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		if ((args->nc_mask & BIT(nc)) && !neuron_core_owned_by(ndev, file, nc))
			goto unlock;
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		if (args->nc_mask & BIT(nc))
			neuron_core_release_locked(ndev, file, nc);
	ret = 0;
unlock:
	mutex_unlock(&cores->lock);
	return ret;
}

/**
 * neuron_cores_file_close() - a closing client gives its cores back
 * @ndev: the device
 * @file: the client, whose queues still exist
 */
void neuron_cores_file_close(struct neuron_device *ndev, struct drm_file *file)
{
	int nc;

	mutex_lock(&ndev->cores->lock);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		if (neuron_core_owned_by(ndev, file, nc))
			neuron_core_release_locked(ndev, file, nc);
	mutex_unlock(&ndev->cores->lock);
}

/**
 * neuron_cores_show() - debugfs: the owner of every NeuronCore
 * @ndev: the device
 * @m: output
 */
void neuron_cores_show(struct neuron_device *ndev, struct seq_file *m)
{
	struct neuron_cores *cores = ndev->cores;
	int nc;

	mutex_lock(&cores->lock);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		struct neuron_core_owner *core = &cores->core[nc];

		if (core->file)
			seq_printf(m, "nc%d: client %llu pid %d %s\n", nc,
				   (unsigned long long)core->client_id, core->pid, core->comm);
		else
			seq_printf(m, "nc%d: -\n", nc);
	}
	mutex_unlock(&cores->lock);
}

/**
 * neuron_cores_sysfs_show() - sysfs nc_owners: the owner of every NeuronCore
 * @ndev: the device
 * @buf: a page
 *
 * One line per NeuronCore: "<nc> <client id> <pid> <comm>", or "<nc> -".
 *
 * Return: bytes written.
 */
ssize_t neuron_cores_sysfs_show(struct neuron_device *ndev, char *buf)
{
	struct neuron_cores *cores = ndev->cores;
	int nc, len = 0;

	mutex_lock(&cores->lock);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		struct neuron_core_owner *core = &cores->core[nc];

		if (core->file)
			len += sysfs_emit_at(buf, len, "%d %llu %d %s\n", nc,
					     (unsigned long long)core->client_id,
					     core->pid, core->comm);
		else
			len += sysfs_emit_at(buf, len, "%d -\n", nc);
	}
	mutex_unlock(&cores->lock);
	return len;
}

/**
 * neuron_cores_show_fdinfo() - fdinfo: the NeuronCores the client owns
 * @p: printer
 * @file: the client
 *
 * "neuron-nc-owned:" and a bit mask (bit n = NeuronCore n).
 */
void neuron_cores_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(file->minor->dev);
	u32 mask = 0;
	int nc;

	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		if (neuron_core_owned_by(ndev, file, nc))
			mask |= BIT(nc);
	drm_printf(p, "neuron-nc-owned:\t%#x\n", mask);
}
