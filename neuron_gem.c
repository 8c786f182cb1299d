// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buffer objects.
 *
 * Host BOs are GEM shmem objects: CPU-mapped through the GEM mmap offset,
 * and DMA-mapped (pages pinned) from the first DMA that uses them until
 * they are freed or the device is removed (neuron_host_bo.c).  Imported
 * dma-bufs are shmem objects too, with the exporter's sg table.
 *
 * Device BOs are ranges of device DRAM behind a private GEM object.  They
 * are cleared by a DMA fill before anyone can use them: creation queues
 * the fill and adds its fence to the BO's reservation object (kernel
 * usage), so every later DMA, wait or export orders after it through
 * implicit sync, and creation itself does not wait.
 *
 * Device BOs are not CPU-mappable: BAR4 through vfio-user turns every
 * access into a ~50 us message, and making any region mmap-able would
 * make QEMU drop posted writes for the whole device, doorbells included
 * (Documentation/neuron/memory.rst).
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_print.h>
#include <drm/drm_utils.h>

#include "neuron_compat.h"
#include "neuron_exec.h"
#include "neuron_dram.h"
#include "neuron_drv.h"
#include "neuron_gem.h"
#include "neuron_host_bo.h"

#include "neuron_peer.h"
#include "uapi/drm/neuron_accel.h"

static const struct drm_gem_object_funcs neuron_dram_bo_funcs;

static struct neuron_dram_bo *to_dram_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct neuron_dram_bo, base);
}

/**
 * neuron_bo_is_device() - whether a BO is device DRAM
 * @obj: the BO
 *
 * Device DRAM of this device, or of a neighbour (a peer BO): either way
 * the engines address it directly, with no host pages.
 *
 * Return: true for device and peer BOs, false for host (and imported) BOs.
 */
bool neuron_bo_is_device(const struct drm_gem_object *obj)
{
	return obj->funcs == &neuron_dram_bo_funcs || neuron_bo_is_peer(obj);
}

/* The DRAM BO behind a device or peer BO. */
static struct neuron_dram_bo *to_dram_bo_of(struct drm_gem_object *obj)
{
	return to_dram_bo(neuron_bo_is_peer(obj) ? neuron_peer_owner(obj) : obj);
}

/**
 * neuron_bo_dram_addr() - DRAM address of a device BO on its own device
 * @obj: a device or peer BO
 *
 * Return: the address in the owning device's space (no link prefix).
 */
u64 neuron_bo_dram_addr(struct drm_gem_object *obj)
{
	struct neuron_dram_bo *bo = to_dram_bo_of(obj);

	return neuron_dram_dev_addr(bo->channel, bo->node.start);
}

/**
 * neuron_bo_dev_addr() - device address of the start of a device BO
 * @obj: a device or peer BO
 *
 * Return: the address this device's engines use (a peer BO's carries the
 * prefix of the link to its owner).
 */
u64 neuron_bo_dev_addr(struct drm_gem_object *obj)
{
	u64 addr = neuron_bo_dram_addr(obj);

	return neuron_bo_is_peer(obj) ? neuron_peer_prefix(obj) | addr : addr;
}

/**
 * neuron_bo_read_only() - whether DMA may only read a BO
 * @obj: any BO
 *
 * The import of a dma-buf that was not opened for writing is read-only:
 * it may be a COPY source or a TX descriptor's BO, never a destination.
 *
 * Return: true for read-only imports.
 */
bool neuron_bo_read_only(struct drm_gem_object *obj)
{
	if (neuron_bo_is_peer(obj))
		return neuron_peer_read_only(obj);
	return !neuron_bo_is_device(obj) && neuron_host_bo_read_only(obj);
}

/**
 * neuron_bo_nc() - NeuronCore whose DRAM quarter holds a device BO
 * @obj: a device BO (of this device)
 *
 * Return: 0..3.
 */
int neuron_bo_nc(struct drm_gem_object *obj)
{
	return neuron_dram_nc_of(to_dram_bo(obj)->node.start);
}

/**
 * neuron_bo_size() - usable size of a BO
 * @obj: the BO
 *
 * Return: bytes (device BOs: a multiple of 256, maybe less than obj->size).
 */
u64 neuron_bo_size(struct drm_gem_object *obj)
{
	return neuron_bo_is_device(obj) ? to_dram_bo_of(obj)->size : obj->size;
}

/**
 * neuron_bo_poisoned() - whether a device BO's clearing failed
 * @obj: any BO
 *
 * Called by jobs using @obj once their dependencies, the clearing among
 * them (kernel usage in the BO's reservation), have signalled.
 *
 * Return: true if DMA must not use the BO.
 */
bool neuron_bo_poisoned(struct drm_gem_object *obj)
{
	struct neuron_dram_bo *bo;

	if (!neuron_bo_is_device(obj))
		return false;
	bo = to_dram_bo_of(obj);
	/*
	 * A clear whose entity was killed before it ran signals with an
	 * error and never reaches the hardware: the DRAM holds what its
	 * previous owner left, and a dma-buf importer must not read it.
	 */
	return READ_ONCE(bo->poisoned) ||
	       (bo->clear && dma_fence_is_signaled(bo->clear) && bo->clear->error);
}

/**
 * neuron_bo_set_clear() - remember the clearing of a new device BO
 * @obj: the device BO
 * @fence: the clear's finished fence, before it is published
 */
void neuron_bo_set_clear(struct drm_gem_object *obj, struct dma_fence *fence)
{
	to_dram_bo(obj)->clear = dma_fence_get(fence);
}

/**
 * neuron_bo_poison() - mark a device BO whose clearing failed
 * @obj: a device BO
 */
void neuron_bo_poison(struct drm_gem_object *obj)
{
	WRITE_ONCE(to_dram_bo(obj)->poisoned, true);
}

/**
 * neuron_gem_handle_open() - drm_gem_object_funcs.open of every BO
 * @obj: the BO
 * @file: the client getting a handle to it
 *
 * Counts the handles each file holds, against %DRM_NEURON_MAX_BO_HANDLES.
 *
 * Return: 0, or -EDQUOT if the file already holds that many.
 */
int neuron_gem_handle_open(struct drm_gem_object *obj, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;

	if (atomic_inc_return(&nfile->bo_handles) > DRM_NEURON_MAX_BO_HANDLES) {
		atomic_dec(&nfile->bo_handles);
		return -EDQUOT;
	}
	return 0;
}

/**
 * neuron_gem_handle_close() - drm_gem_object_funcs.close of every BO
 * @obj: the BO
 * @file: the client losing a handle to it
 */
void neuron_gem_handle_close(struct drm_gem_object *obj, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;

	atomic_dec(&nfile->bo_handles);
}

static void neuron_dram_bo_free(struct drm_gem_object *obj)
{
	struct neuron_dram_bo *bo = to_dram_bo(obj);

	if (drm_mm_node_allocated(&bo->node))
		neuron_dram_free(to_neuron_device(obj->dev), &bo->node, bo->channel);
	dma_fence_put(bo->clear);
	drm_gem_object_release(obj);
	kfree(bo);
}

static enum drm_gem_object_status neuron_dram_bo_status(struct drm_gem_object *obj)
{
	return DRM_GEM_OBJECT_RESIDENT;
}

static void neuron_dram_bo_print_info(struct drm_printer *p, unsigned int indent,
				      const struct drm_gem_object *obj)
{
	const struct neuron_dram_bo *bo = container_of(obj, struct neuron_dram_bo, base);

	drm_printf_indent(p, indent, "dram_channel=%d\n", bo->channel);
	drm_printf_indent(p, indent, "dram_offset=%#llx\n", bo->node.start);
}

static const struct drm_gem_object_funcs neuron_dram_bo_funcs = {
	.open = neuron_gem_handle_open,
	.close = neuron_gem_handle_close,
	.free = neuron_dram_bo_free,
	.status = neuron_dram_bo_status,
	.export = neuron_dram_bo_export,
	.print_info = neuron_dram_bo_print_info,
};

static struct drm_gem_object *
neuron_dram_bo_create(struct neuron_device *ndev, u64 size, u32 channel, u32 nc)
{
	struct neuron_dram_bo *bo;
	int ret;

	bo = kzalloc_obj(*bo, NEURON_GFP_CLIENT);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.funcs = &neuron_dram_bo_funcs;
	bo->size = size;
	drm_gem_private_object_init(&ndev->drm, &bo->base, PAGE_ALIGN(size));
	ret = neuron_dram_alloc(ndev, &bo->node, size, channel, nc, &bo->channel);
	if (ret) {
		drm_gem_object_put(&bo->base);
		return ERR_PTR(ret);
	}
	return &bo->base;
}

static int neuron_bo_create_check(struct drm_neuron_bo_create *args)
{
	if (!args->size || args->flags || args->pad)
		return -EINVAL;
	switch (args->domain) {
	case DRM_NEURON_BO_DOMAIN_HOST:
		if (args->dram_channel != DRM_NEURON_ANY ||
		    args->dram_nc != DRM_NEURON_ANY)
			return -EINVAL;
		/* "Limited only by memory": more than RAM is out of memory. */
		if (args->size > (u64)totalram_pages() << PAGE_SHIFT)
			return -ENOMEM;
		return 0;
	case DRM_NEURON_BO_DOMAIN_DEVICE:
		if (args->dram_channel != DRM_NEURON_ANY &&
		    args->dram_channel >= V1_DRAM_CHANNELS)
			return -EINVAL;
		if (args->dram_nc != DRM_NEURON_ANY &&
		    args->dram_nc >= V1_NC_PER_DEVICE)
			return -EINVAL;
		if (args->size > V1_DRAM_CHANNEL_SIZE)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * neuron_ioctl_bo_create() - DRM_IOCTL_NEURON_BO_CREATE
 * @drm: the device
 * @data: &struct drm_neuron_bo_create
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_bo_create(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct drm_neuron_bo_create *args = data;
	struct drm_gem_object *obj;
	int idx, ret;
	u64 size;

	ret = neuron_bo_create_check(args);
	if (ret)
		return ret;
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;

	if (args->domain == DRM_NEURON_BO_DOMAIN_HOST) {
		struct drm_gem_shmem_object *shmem;

		size = PAGE_ALIGN(args->size);
		shmem = drm_gem_shmem_create(drm, size);
		if (IS_ERR(shmem)) {
			ret = PTR_ERR(shmem) == -EINVAL ? -ENOMEM : PTR_ERR(shmem);
			goto out;
		}
		obj = &shmem->base;
	} else {
		size = ALIGN(args->size, NEURON_DRAM_GRANULE);
		obj = neuron_dram_bo_create(ndev, size, args->dram_channel,
					    args->dram_nc);
		if (IS_ERR(obj)) {
			ret = PTR_ERR(obj);
			goto out;
		}
		ret = neuron_exec_clear_bo(file, obj);
		if (ret)
			goto put;
	}

	ret = drm_gem_handle_create(file, obj, &args->handle);
	if (!ret)
		args->size = size;
put:
	drm_gem_object_put(obj);
out:
	drm_dev_exit(idx);
	return ret;
}

/**
 * neuron_ioctl_bo_info() - DRM_IOCTL_NEURON_BO_INFO
 * @drm: the device
 * @data: &struct drm_neuron_bo_info
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_bo_info(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_neuron_bo_info *args = data;
	struct drm_gem_object *obj;
	int ret = 0;

	if (args->pad)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	args->size = neuron_bo_size(obj);
	args->flags = 0;
	args->mmap_offset = 0;
	args->dram_address = 0;
	if (neuron_bo_is_device(obj)) {
		args->domain = DRM_NEURON_BO_DOMAIN_DEVICE;
		args->dram_address = neuron_bo_dram_addr(obj);
		if (neuron_bo_is_peer(obj)) {
			args->flags |= DRM_NEURON_BO_IMPORTED;
			/* Prefix 0: a read-only view of one of this device's BOs. */
			if (neuron_peer_prefix(obj))
				args->flags |= DRM_NEURON_BO_PEER;
			if (neuron_peer_prefix(obj) == V1_WEST_PREFIX)
				args->flags |= DRM_NEURON_BO_PEER_WEST;
		}
	} else {
		args->domain = DRM_NEURON_BO_DOMAIN_HOST;
		if (drm_gem_is_imported(obj))
			args->flags |= DRM_NEURON_BO_IMPORTED;
		ret = drm_gem_create_mmap_offset(obj);
		if (!ret)
			args->mmap_offset = drm_vma_node_offset_addr(&obj->vma_node);
	}
	if (neuron_bo_read_only(obj))
		args->flags |= DRM_NEURON_BO_READ_ONLY;
	drm_gem_object_put(obj);
	return ret;
}

/**
 * neuron_ioctl_bo_wait() - DRM_IOCTL_NEURON_BO_WAIT
 * @drm: the device
 * @data: &struct drm_neuron_bo_wait
 * @file: the client
 *
 * Return: 0, -ETIMEDOUT, -EINTR (restartable) or another negative errno.
 */
int neuron_ioctl_bo_wait(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_neuron_bo_wait *args = data;
	struct drm_gem_object *obj;
	unsigned long timeout;
	long ret;

	if (args->flags)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	timeout = drm_timeout_abs_to_jiffies(args->timeout_ns);
	if (!timeout)
		ret = dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_READ) ? 1 : 0;
	else
		ret = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_READ, true,
					    timeout);
	drm_gem_object_put(obj);
	if (ret == 0)
		return -ETIMEDOUT;
	if (ret == -ERESTARTSYS)
		return -EINTR;
	return ret < 0 ? ret : 0;
}

static void neuron_stats_add(struct drm_memory_stats *s, struct drm_gem_object *obj,
			     enum drm_gem_object_status *supported)
{
	enum drm_gem_object_status st = obj->funcs->status ? obj->funcs->status(obj) : 0;
	u64 size = neuron_bo_size(obj);

	*supported |= st;
	if (drm_gem_object_is_shared_for_memory_stats(obj))
		s->shared += size;
	else
		s->private += size;
	if (st & DRM_GEM_OBJECT_RESIDENT) {
		s->resident += obj->funcs->rss ? obj->funcs->rss(obj) : size;
		if (!dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP))
			s->active += size;
	}
	if (st & DRM_GEM_OBJECT_PURGEABLE)
		s->purgeable += size;
}

/**
 * neuron_gem_show_fdinfo() - fdinfo: memory per region
 * @p: printer
 * @file: the client
 *
 * drm_show_memory_stats() would count device DRAM as "memory"; this
 * prints host BOs as region "memory" and device BOs as region "dram",
 * in the same format (drm-total-dram, drm-resident-dram, ...).  Active:
 * resident BOs with DMA pending on their reservation objects.
 */
void neuron_gem_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct drm_memory_stats host = {}, dram = {};
	enum drm_gem_object_status hs = 0, ds = 0;
	struct drm_gem_object *obj;
	int id;

	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, id) {
		if (neuron_bo_is_device(obj))
			neuron_stats_add(&dram, obj, &ds);
		else
			neuron_stats_add(&host, obj, &hs);
	}
	spin_unlock(&file->table_lock);
	/* Every key, zero or not, so that tools see a stable set. */
	drm_print_memory_stats(p, &host, hs | DRM_GEM_OBJECT_RESIDENT | DRM_GEM_OBJECT_ACTIVE,
			       "memory");
	drm_print_memory_stats(p, &dram, ds | DRM_GEM_OBJECT_RESIDENT | DRM_GEM_OBJECT_ACTIVE,
			       "dram");
}

/**
 * neuron_gem_show_clients() - debugfs: every client's BOs
 * @ndev: the device
 * @m: output
 */
void neuron_gem_show_clients(struct neuron_device *ndev, struct seq_file *m)
{
	struct drm_device *drm = &ndev->drm;
	struct drm_file *file;

	mutex_lock(&drm->filelist_mutex);
	list_for_each_entry(file, &drm->filelist, lhead) {
		struct drm_gem_object *obj;
		int id;

		seq_printf(m, "client %llu\n", (unsigned long long)file->client_id);
		spin_lock(&file->table_lock);
		idr_for_each_entry(&file->object_idr, obj, id) {
			bool dev = neuron_bo_is_device(obj);
			bool pinned = dev || to_drm_gem_shmem_obj(obj)->sgt;
			const char *share = drm_gem_is_imported(obj) ? "imported" :
					    obj->dma_buf ? "exported" :
					    obj->handle_count > 1 ? "shared" : "private";

			seq_printf(m, "  handle %d: size %llu %s %s %s", id, neuron_bo_size(obj),
				   neuron_bo_is_peer(obj) ? "peer" : dev ? "device" : "host",
				   pinned ? "pinned" : "unpinned", share);
			if (dev)
				seq_printf(m, " addr %#llx", neuron_bo_dev_addr(obj));
			seq_putc(m, '\n');
		}
		spin_unlock(&file->table_lock);
	}
	mutex_unlock(&drm->filelist_mutex);
}
