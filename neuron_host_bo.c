// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host BOs are GEM shmem objects.  The first DMA that uses one maps its
 * pages for the device (drm_gem_shmem_get_pages_sgt()), and the mapping
 * normally lasts until the BO is freed.  A client may keep BOs open after
 * the device is removed, though: the driver then ends every such mapping
 * itself, so that no DMA mapping outlives the binding (the DMA API's
 * debug code checks this) and an IOMMU stops letting the device reach the
 * pages.  The pages stay: they belong to the BO, and may be mmap'ed.
 *
 * Imported BOs are shmem objects too, but their sg table is the
 * exporter's attachment, which the import owns and releases.  The import
 * of a dma-buf that was not opened for writing is read-only: no writable
 * CPU mapping, and no DMA writes it (neuron_bo_read_only()).
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_prime.h>

#include "neuron_compat.h"
#include "neuron_drv.h"
#include "neuron_gem.h"
#include "neuron_host_bo.h"

/**
 * struct neuron_host_bo - a host BO
 * @base: the shmem object (first: the shmem helpers kfree() it)
 * @mapped: link in &neuron_host_bos.mapped while the driver has its pages
 *	mapped; empty otherwise
 * @read_only: imported from a dma-buf not opened for writing
 */
struct neuron_host_bo {
	struct drm_gem_shmem_object base;
	struct list_head mapped;
	bool read_only;
};

static struct neuron_host_bo *to_host_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct neuron_host_bo, base);
}

static void neuron_host_bo_free(struct drm_gem_object *obj)
{
	struct neuron_host_bos *bos = to_neuron_device(obj->dev)->host_bos;
	struct neuron_host_bo *bo = to_host_bo(obj);

	mutex_lock(&bos->lock);
	list_del_init(&bo->mapped);
	mutex_unlock(&bos->lock);
	drm_gem_shmem_free(&bo->base);
}

/*
 * A read-only BO is never mapped writable, nor may mprotect() make it so:
 * for an import, dma_buf_mmap() checks neither.
 */
static int neuron_host_bo_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (to_host_bo(obj)->read_only) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vm_flags_clear(vma, VM_MAYWRITE);
	}
	return drm_gem_shmem_object_mmap(obj, vma);
}

/*
 * Resident while its pages are held: from the first DMA that uses it (they
 * stay pinned and mapped for the device until the BO goes), a CPU mapping
 * that faulted them in, or an import's exporter.  A lockless look, for
 * fdinfo.
 */
static enum drm_gem_object_status neuron_host_bo_status(struct drm_gem_object *obj)
{
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);

	return READ_ONCE(shmem->pages) || READ_ONCE(shmem->sgt) ? DRM_GEM_OBJECT_RESIDENT : 0;
}

/*
 * drm_gem_shmem_funcs, with a free that leaves the mapped list first, an
 * mmap that honours read-only imports and a status for fdinfo.
 */
static const struct drm_gem_object_funcs neuron_host_bo_funcs = {
	.open = neuron_gem_handle_open,
	.close = neuron_gem_handle_close,
	.free = neuron_host_bo_free,
	.status = neuron_host_bo_status,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = neuron_host_bo_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * neuron_gem_create_object() - drm_driver.gem_create_object
 * @drm: the device
 * @size: BO size
 *
 * Every shmem object of the driver (created or imported) is a
 * &struct neuron_host_bo.
 *
 * Return: the GEM object or an ERR_PTR.
 */
struct drm_gem_object *neuron_gem_create_object(struct drm_device *drm, size_t size)
{
	struct neuron_host_bo *bo = kzalloc_obj(*bo, NEURON_GFP_CLIENT);

	if (!bo)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&bo->mapped);
	bo->base.base.funcs = &neuron_host_bo_funcs;
	return &bo->base.base;
}

/**
 * neuron_host_bo_read_only() - whether a host BO is a read-only import
 * @obj: a host BO
 *
 * Return: true if neither DMA nor a CPU mapping may write it.
 */
bool neuron_host_bo_read_only(struct drm_gem_object *obj)
{
	return to_host_bo(obj)->read_only;
}

/**
 * neuron_host_bo_import_read_only() - import a dma-buf not open for writing
 * @drm: the importing device
 * @dmabuf: the dma-buf
 *
 * Always a new object through an attachment, even for this device's own
 * export (which drm_gem_prime_import() would hand back as the exporter's
 * writable object), marked read-only.
 *
 * Return: the GEM object or an ERR_PTR.
 */
struct drm_gem_object *neuron_host_bo_import_read_only(struct drm_device *drm,
						       struct dma_buf *dmabuf)
{
	struct dma_buf_attachment *attach;
	struct drm_gem_object *obj;
	struct sg_table *sgt;
	int ret;

	attach = dma_buf_attach(dmabuf, drm->dev);
	if (IS_ERR(attach))
		return ERR_CAST(attach);
	get_dma_buf(dmabuf);
	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto detach;
	}
	obj = drm_gem_shmem_prime_import_sg_table(drm, attach, sgt);
	if (IS_ERR(obj)) {
		ret = PTR_ERR(obj);
		goto unmap;
	}
	obj->import_attach = attach;
	obj->resv = dmabuf->resv;
	to_host_bo(obj)->read_only = true;
	return obj;

unmap:
	dma_buf_unmap_attachment_unlocked(attach, sgt, DMA_BIDIRECTIONAL);
detach:
	dma_buf_detach(dmabuf, attach);
	dma_buf_put(dmabuf);
	return ERR_PTR(ret);
}

/**
 * neuron_bo_sgt() - DMA-mapped pages of a host BO
 * @obj: a host BO
 *
 * Pins and maps the pages on first use; they stay until the BO is freed
 * or the device is removed.
 *
 * Return: the sg table or an ERR_PTR (-ENODEV once the device is gone).
 */
struct sg_table *neuron_bo_sgt(struct drm_gem_object *obj)
{
	struct neuron_host_bos *bos = to_neuron_device(obj->dev)->host_bos;
	struct neuron_host_bo *bo = to_host_bo(obj);
	struct sg_table *sgt;
	int idx;

	/* Removal waits for this section, then finds the BO on the list. */
	if (!drm_dev_enter(obj->dev, &idx))
		return ERR_PTR(-ENODEV);
	sgt = drm_gem_shmem_get_pages_sgt(&bo->base);
	if (!IS_ERR(sgt) && !drm_gem_is_imported(obj)) {
		mutex_lock(&bos->lock);
		if (list_empty(&bo->mapped))
			list_add_tail(&bo->mapped, &bos->mapped);
		mutex_unlock(&bos->lock);
	}
	drm_dev_exit(idx);
	return sgt;
}

/* Unmap and drop a BO's sg table; its pages stay with the BO. */
static void neuron_host_bo_unmap(struct neuron_host_bo *bo)
{
	struct drm_gem_shmem_object *shmem = &bo->base;

	dma_resv_lock(shmem->base.resv, NULL);
	if (shmem->sgt) {
		dma_unmap_sgtable(shmem->base.dev->dev, shmem->sgt, DMA_BIDIRECTIONAL, 0);
		sg_free_table(shmem->sgt);
		kfree(shmem->sgt);
		/*
		 * The pages reference the table held is kept: freeing the BO
		 * drops it, as it would have with the table.
		 */
		shmem->sgt = NULL;
	}
	dma_resv_unlock(shmem->base.resv);
}

/**
 * neuron_host_bo_remove() - the device is going away
 * @ndev: the device, unplugged, its jobs stopped
 *
 * Ends the DMA mapping of every host BO still alive.
 */
void neuron_host_bo_remove(struct neuron_device *ndev)
{
	struct neuron_host_bos *bos = ndev->host_bos;
	struct neuron_host_bo *bo, *tmp;
	LIST_HEAD(todo);

	if (!bos)
		return;
	/* Take a reference on each first: unmapping must not race a free. */
	mutex_lock(&bos->lock);
	list_for_each_entry_safe(bo, tmp, &bos->mapped, mapped)
		if (kref_get_unless_zero(&bo->base.base.refcount))
			list_move_tail(&bo->mapped, &todo);
	mutex_unlock(&bos->lock);

	list_for_each_entry_safe(bo, tmp, &todo, mapped) {
		neuron_host_bo_unmap(bo);
		mutex_lock(&bos->lock);
		list_del_init(&bo->mapped);
		mutex_unlock(&bos->lock);
		drm_gem_object_put(&bo->base.base);
	}
}

/**
 * neuron_host_bo_init() - host BO state at probe
 * @ndev: the device
 *
 * Return: 0 or a negative errno.
 */
int neuron_host_bo_init(struct neuron_device *ndev)
{
	struct neuron_host_bos *bos;
	int ret;

	bos = drmm_kzalloc(&ndev->drm, sizeof(*bos), GFP_KERNEL);
	if (!bos)
		return -ENOMEM;
	ret = drmm_mutex_init(&ndev->drm, &bos->lock);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&bos->mapped);
	ndev->host_bos = bos;
	return 0;
}
