// SPDX-License-Identifier: GPL-2.0-only
/*
 * Neuron Pipe transfers: a device BO shared with a neighbouring device.
 *
 * Device DRAM has no struct pages and no CPU mapping, so a device BO's
 * dma-buf cannot be attached or mapped by anyone: it exists to be imported
 * by another neuron device.  An importer that is a Neuron Pipe neighbour
 * of the owner gets a *peer BO*: a GEM object without memory of its own
 * that stands for the owner's DRAM range as the importer's DMA engines
 * reach it, the owner's device address with the east or west link prefix
 * (facts section 2.1).  COPY, FILL and SUBMIT then move data between the
 * two devices over the link, never through the host.  An importer that is
 * not a neighbour gets -EXDEV; any other driver's attach fails with
 * -EOPNOTSUPP.
 *
 * The peer BO shares the dma-buf's reservation object, which is the
 * owner's: jobs on both devices order against each other through implicit
 * sync, starting with the owner's clearing of the BO.  The same fences let
 * the owner's removal wait until no neighbour's DMA reaches its DRAM.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>

#include "neuron_compat.h"
#include "neuron_dram.h"
#include "neuron_drv.h"
#include "neuron_gem.h"
#include "neuron_host_bo.h"
#include "neuron_peer.h"
#include "neuron_topology.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/address_map.h"

/**
 * struct neuron_peer_bo - a neighbour's device BO, or a read-only view of our own
 * @base: GEM object (private: no pages, no mmap, resv of the dma-buf)
 * @dmabuf: the owner's dma-buf (a reference is held; it holds the owner's
 *	BO and DRM device)
 * @owner: the owner's device BO
 * @prefix: V1_EAST_PREFIX or V1_WEST_PREFIX: the link that reaches it; 0
 *	for a read-only view of a device BO of this same device
 * @read_only: the dma-buf was not opened for writing: no DMA writes it
 */
struct neuron_peer_bo {
	struct drm_gem_object base;
	struct dma_buf *dmabuf;
	struct drm_gem_object *owner;
	u64 prefix;
	bool read_only;
};

static const struct drm_gem_object_funcs neuron_peer_bo_funcs;

static struct neuron_peer_bo *to_peer_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct neuron_peer_bo, base);
}

/**
 * neuron_bo_is_peer() - whether a BO is a neighbour's device BO
 * @obj: any BO
 *
 * Return: true for peer BOs.
 */
bool neuron_bo_is_peer(const struct drm_gem_object *obj)
{
	return obj->funcs == &neuron_peer_bo_funcs;
}

/**
 * neuron_peer_owner() - the owner's device BO behind a peer BO
 * @obj: a peer BO
 *
 * Return: the owner's BO (valid as long as @obj is).
 */
struct drm_gem_object *neuron_peer_owner(struct drm_gem_object *obj)
{
	return to_peer_bo(obj)->owner;
}

/**
 * neuron_peer_prefix() - link prefix of a peer BO's device addresses
 * @obj: a peer BO
 *
 * Return: V1_EAST_PREFIX or V1_WEST_PREFIX.
 */
u64 neuron_peer_prefix(struct drm_gem_object *obj)
{
	return to_peer_bo(obj)->prefix;
}

/**
 * neuron_peer_read_only() - whether a peer BO came from a read-only dma-buf
 * @obj: a peer BO
 *
 * Return: true if no DMA may write it.
 */
bool neuron_peer_read_only(struct drm_gem_object *obj)
{
	return to_peer_bo(obj)->read_only;
}

/**
 * neuron_peer_gone() - whether a peer BO's owner device was removed
 * @obj: any BO
 *
 * After removal the owner's DRAM may be handed out again by a new driver
 * instance: DMA must not reach it any more.
 *
 * Return: true if @obj is a peer BO whose owner is unplugged.
 */
bool neuron_peer_gone(struct drm_gem_object *obj)
{
	return neuron_bo_is_peer(obj) && drm_dev_is_unplugged(to_peer_bo(obj)->owner->dev);
}

static void neuron_peer_bo_free(struct drm_gem_object *obj)
{
	struct neuron_peer_bo *peer = to_peer_bo(obj);

	drm_gem_object_release(obj);
	dma_buf_put(peer->dmabuf);
	kfree(peer);
}

static void neuron_peer_bo_print_info(struct drm_printer *p, unsigned int indent,
				      const struct drm_gem_object *obj)
{
	const struct neuron_peer_bo *peer = container_of(obj, struct neuron_peer_bo, base);

	drm_printf_indent(p, indent, "peer_of=%s\n", dev_name(peer->owner->dev->dev));
	drm_printf_indent(p, indent, "link=%s\n",
			  !peer->prefix ? "none" :
			  peer->prefix == V1_EAST_PREFIX ? "east" : "west");
	drm_printf_indent(p, indent, "read_only=%d\n", peer->read_only);
}

static const struct drm_gem_object_funcs neuron_peer_bo_funcs = {
	.open = neuron_gem_handle_open,
	.close = neuron_gem_handle_close,
	.free = neuron_peer_bo_free,
	.print_info = neuron_peer_bo_print_info,
};

/* Only neuron devices use these dma-bufs, and never through an attachment. */
static int neuron_dram_dmabuf_attach(struct dma_buf *dmabuf,
				     struct dma_buf_attachment *attach)
{
	return -EOPNOTSUPP;
}

static struct sg_table *neuron_dram_dmabuf_map(struct dma_buf_attachment *attach,
					       enum dma_data_direction dir)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static void neuron_dram_dmabuf_unmap(struct dma_buf_attachment *attach,
				     struct sg_table *sgt, enum dma_data_direction dir)
{
}

static const struct dma_buf_ops neuron_dram_dmabuf_ops = {
	.attach = neuron_dram_dmabuf_attach,
	.map_dma_buf = neuron_dram_dmabuf_map,
	.unmap_dma_buf = neuron_dram_dmabuf_unmap,
	.release = drm_gem_dmabuf_release,
};

/**
 * neuron_dram_bo_export() - drm_gem_object_funcs.export of device BOs
 * @obj: a device BO
 * @flags: file flags of the dma-buf
 *
 * Return: the dma-buf or an ERR_PTR.
 */
struct dma_buf *neuron_dram_bo_export(struct drm_gem_object *obj, int flags)
{
	struct dma_buf_export_info exp = {
		.exp_name = KBUILD_MODNAME,
		.owner = THIS_MODULE,
		.ops = &neuron_dram_dmabuf_ops,
		.size = obj->size,
		.flags = flags,
		.priv = obj,
		.resv = obj->resv,
	};

	WRITE_ONCE(container_of(obj, struct neuron_dram_bo, base)->exported, true);
	return drm_gem_dmabuf_export(obj->dev, &exp);
}

/*
 * The link from @ndev that reaches @owner: a fresh topology read, since a
 * neighbour may have been reset or rebound since the last one.
 */
static int neuron_peer_link(struct neuron_device *ndev, struct neuron_device *owner,
			    u64 *prefix)
{
	struct neuron_topology_info topo;
	int ret;

	ret = neuron_topology_read(ndev, &topo);
	if (ret)
		return ret;
	if (topo.east == owner->index)
		*prefix = V1_EAST_PREFIX;
	else if (topo.west == owner->index)
		*prefix = V1_WEST_PREFIX;
	else
		return -EXDEV;
	return 0;
}

/*
 * One's own device BO is the same object, as drm_gem_prime_import() does,
 * unless the dma-buf is read-only: then a view of it (prefix 0) that DMA
 * may only read, so that the importer does not get the exporter's
 * writable object.
 */
static struct drm_gem_object *neuron_peer_import(struct drm_device *drm,
						 struct dma_buf *dmabuf, bool read_only)
{
	struct drm_gem_object *owner = dmabuf->priv;
	struct neuron_peer_bo *peer;
	u64 prefix = 0;
	int idx, ret;

	if (owner->dev == drm && !read_only) {
		drm_gem_object_get(owner);
		return owner;
	}
	if (owner->dev != drm) {
		if (!drm_dev_enter(owner->dev, &idx))
			return ERR_PTR(-ENODEV);
		ret = neuron_peer_link(to_neuron_device(drm), to_neuron_device(owner->dev),
				       &prefix);
		drm_dev_exit(idx);
		if (ret)
			return ERR_PTR(ret);
	}

	peer = kzalloc_obj(*peer, NEURON_GFP_CLIENT);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	peer->base.funcs = &neuron_peer_bo_funcs;
	drm_gem_private_object_init(drm, &peer->base, owner->size);
	peer->base.resv = dmabuf->resv;
	get_dma_buf(dmabuf);
	peer->dmabuf = dmabuf;
	peer->owner = owner;
	peer->prefix = prefix;
	peer->read_only = read_only;
	return &peer->base;
}

/**
 * neuron_gem_prime_import() - drm_driver.gem_prime_import
 * @drm: the importing device
 * @dmabuf: the dma-buf
 *
 * Another neuron device's BO becomes a peer BO (or -EXDEV if the devices
 * are not neighbours); everything else goes to the shmem import.  A
 * dma-buf not opened for writing (exported without DRM_RDWR, say) gives a
 * BO that only DMA reads and CPU mappings read-only use.
 *
 * Return: the GEM object or an ERR_PTR.
 */
struct drm_gem_object *neuron_gem_prime_import(struct drm_device *drm,
					       struct dma_buf *dmabuf)
{
	bool read_only = !(dmabuf->file->f_mode & FMODE_WRITE);

	if (dmabuf->ops == &neuron_dram_dmabuf_ops)
		return neuron_peer_import(drm, dmabuf, read_only);
	if (read_only)
		return neuron_host_bo_import_read_only(drm, dmabuf);
	return drm_gem_prime_import(drm, dmabuf);
}

/*
 * How long removal waits for neighbours' jobs on the owner's DRAM: they
 * end by themselves or by their own device's hang detection, which fires
 * after a job timeout without progress.
 */
#define NEURON_PEER_DRAIN_MS	20000

/*
 * An exported device BO of @ndev with unsignalled fences (a neighbour's
 * job may still move its data), with a reference; NULL if there is none.
 * Under the allocator lock a BO's node outlives the BO's last reference,
 * so a BO being freed is recognised and skipped.
 */
static struct drm_gem_object *neuron_peer_next_busy(struct neuron_device *ndev)
{
	struct neuron_dram *dram = ndev->dram;
	struct drm_gem_object *found = NULL;
	struct drm_mm_node *node;
	int ch;

	mutex_lock(&dram->lock);
	for (ch = 0; ch < V1_DRAM_CHANNELS && !found; ch++) {
		drm_mm_for_each_node(node, &dram->mm[ch]) {
			struct neuron_dram_bo *bo = container_of(node, struct neuron_dram_bo, node);
			struct drm_gem_object *obj = &bo->base;

			if (!READ_ONCE(bo->exported) ||
			    dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP) ||
			    !kref_get_unless_zero(&obj->refcount))
				continue;
			found = obj;
			break;
		}
	}
	mutex_unlock(&dram->lock);
	return found;
}

/**
 * neuron_peer_remove() - wait for neighbours' DMA into a removed device
 * @ndev: the device going away (unplugged, its own queues stopped)
 *
 * A neighbour's job already on the neighbour's ring when the owner goes
 * away still runs; once remove returns, a new driver instance on the
 * owner may hand the same DRAM to another client, which must neither see
 * the job's writes nor have its data read by it.  Every job using an
 * exported device BO left its fence on the BO's reservation object: wait
 * for them all (jobs not yet on a ring fail at once, see
 * neuron_peer_gone()).
 */
void neuron_peer_remove(struct neuron_device *ndev)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(NEURON_PEER_DRAIN_MS);
	struct drm_gem_object *obj;
	long left;

	if (!ndev->dram)
		return;
	while ((obj = neuron_peer_next_busy(ndev))) {
		left = (long)(deadline - jiffies);
		if (left > 0)
			left = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_BOOKKEEP,
						     false, left);
		drm_gem_object_put(obj);
		if (left <= 0) {
			drm_err(&ndev->drm,
				"neighbour DMA into removed DRAM still running after %u ms\n",
				NEURON_PEER_DRAIN_MS);
			return;
		}
	}
}
