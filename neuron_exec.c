// SPDX-License-Identifier: GPL-2.0-only
/*
 * The execution ioctls: queues, programs, SUBMIT, COPY and FILL.
 *
 * Each checks its arguments, looks up what they name, builds or finds the
 * program to run (neuron_prog.c) and hands it to neuron_job_push(), the
 * one way onto the hardware (neuron_job.c).  COPY, FILL and the clearing
 * of new device DRAM run on the calling file's copy queue of a NeuronCore;
 * SUBMIT on one of the file's queue objects.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/overflow.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "neuron_cores.h"
#include "neuron_drv.h"
#include "neuron_exec.h"
#include "neuron_gem.h"
#include "neuron_hwq.h"
#include "neuron_job.h"
#include "neuron_peer.h"
#include "neuron_prog.h"
#include "uapi/drm/neuron_accel.h"

/**
 * neuron_ioctl_queue_create() - DRM_IOCTL_NEURON_QUEUE_CREATE
 * @drm: the device
 * @data: &struct drm_neuron_queue_create
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_queue_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_queue_create *args = data;
	struct neuron_queue *queue;
	struct neuron_hwq *hwq;
	int eng, idx, ret;
	u32 id;

	if (args->nc >= V1_NC_PER_DEVICE || args->engine >= V1_DMA_ENG_PER_NC ||
	    args->queue >= V1_DMA_QUEUES_PER_ENG || args->flags || args->pad)
		return -EINVAL;
	if (args->engine == V1_H2T_ENGINE && args->queue == V1_H2T_QUEUE)
		return -EINVAL;
	eng = V1_ENG_ID(args->nc, args->engine);

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	hwq = neuron_hwq_get(ndev, args->nc, eng, args->queue);
	drm_dev_exit(idx);
	if (IS_ERR(hwq))
		return PTR_ERR(hwq);

	queue = neuron_queue_create(hwq, false);
	if (IS_ERR(queue))
		return PTR_ERR(queue);
	ret = xa_alloc(&nfile->queues, &id, queue, XA_LIMIT(1, DRM_NEURON_MAX_QUEUES),
		       NEURON_GFP_CLIENT);
	if (ret) {
		neuron_queue_destroy(queue);
		/* xa_alloc() says -EBUSY when every id is taken. */
		return ret == -EBUSY ? -EDQUOT : ret;
	}
	args->handle = id;
	return 0;
}

/**
 * neuron_ioctl_queue_destroy() - DRM_IOCTL_NEURON_QUEUE_DESTROY
 * @drm: the device
 * @data: &struct drm_neuron_queue_destroy
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_queue_destroy(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_queue_destroy *args = data;
	struct neuron_queue *queue;

	if (args->pad)
		return -EINVAL;
	queue = xa_erase(&nfile->queues, args->handle);
	if (!queue)
		return -ENOENT;
	neuron_queue_destroy(queue);
	return 0;
}

/**
 * neuron_ioctl_program_create() - DRM_IOCTL_NEURON_PROGRAM_CREATE
 * @drm: the device
 * @data: &struct drm_neuron_program_create
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_program_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_program_create *args = data;
	struct neuron_prog *prog;
	int ret;
	u32 id;

	if (args->nc >= V1_NC_PER_DEVICE || args->flags)
		return -EINVAL;
	prog = neuron_prog_build(file, args->nc, args->bo_handles, args->bo_count,
				 args->tx, args->tx_count, args->rx, args->rx_count);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	ret = xa_alloc(&nfile->progs, &id, prog, XA_LIMIT(1, DRM_NEURON_MAX_PROGRAMS),
		       NEURON_GFP_CLIENT);
	if (ret) {
		neuron_prog_put(prog);
		return ret == -EBUSY ? -EDQUOT : ret;
	}
	args->handle = id;
	return 0;
}

/**
 * neuron_ioctl_program_destroy() - DRM_IOCTL_NEURON_PROGRAM_DESTROY
 * @drm: the device
 * @data: &struct drm_neuron_program_destroy
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_program_destroy(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_program_destroy *args = data;
	struct neuron_prog *prog;

	if (args->pad)
		return -EINVAL;
	prog = xa_erase(&nfile->progs, args->handle);
	if (!prog)
		return -ENOENT;
	neuron_prog_put(prog);
	return 0;
}

/* A reference on what @id names in @xa (queues or programs), or NULL. */
static void *neuron_exec_lookup(struct xarray *xa, u32 id, struct kref *(*ref)(void *))
{
	void *entry;

	xa_lock(xa);
	entry = xa_load(xa, id);
	if (entry)
		kref_get(ref(entry));
	xa_unlock(xa);
	return entry;
}

static struct kref *neuron_queue_kref(void *entry)
{
	return &((struct neuron_queue *)entry)->ref;
}

static struct kref *neuron_prog_kref(void *entry)
{
	return &((struct neuron_prog *)entry)->ref;
}

/**
 * neuron_ioctl_submit() - DRM_IOCTL_NEURON_SUBMIT
 * @drm: the device
 * @data: &struct drm_neuron_submit
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_submit(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_submit *args = data;
	struct neuron_push p = {
		.file = file,
		.in_syncs = args->in_syncs,
		.in_sync_count = args->in_sync_count,
		.out_sync = &args->out_sync,
		.out_fence_fd = &args->out_fence_fd,
	};
	int idx, ret;

	args->out_fence_fd = -1;
	if (args->flags & ~DRM_NEURON_SUBMIT_OUT_FENCE_FD ||
	    args->in_sync_count > NEURON_MAX_IN_SYNCS || args->out_sync.flags)
		return -EINVAL;
	if (args->program && (args->bo_count || args->tx_count || args->rx_count))
		return -EINVAL;
	if (!(args->flags & DRM_NEURON_SUBMIT_OUT_FENCE_FD))
		p.out_fence_fd = NULL;

	p.queue = neuron_exec_lookup(&nfile->queues, args->queue, neuron_queue_kref);
	if (!p.queue)
		return -ENOENT;
	ret = -ECANCELED;
	if (READ_ONCE(p.queue->guilty))
		goto put_queue;
	if (args->program) {
		p.prog = neuron_exec_lookup(&nfile->progs, args->program, neuron_prog_kref);
		ret = -ENOENT;
		if (!p.prog)
			goto put_queue;
		ret = -EINVAL;
		if (p.prog->nc != p.queue->hwq->nc)
			goto put_prog;
	} else {
		p.prog = neuron_prog_build(file, p.queue->hwq->nc, args->bo_handles,
					   args->bo_count, args->tx, args->tx_count,
					   args->rx, args->rx_count);
		ret = PTR_ERR_OR_ZERO(p.prog);
		if (ret) {
			p.prog = NULL;
			goto put_queue;
		}
	}
	ret = -ENODEV;
	if (!drm_dev_enter(drm, &idx))
		goto put_prog;
	/* Held until pushed: no change of the core's owner in between. */
	ret = neuron_core_push_begin(to_neuron_device(drm), file, p.prog);
	if (!ret) {
		ret = neuron_job_push(&p);
		neuron_core_push_end(to_neuron_device(drm), p.prog);
	}
	drm_dev_exit(idx);
put_prog:
	neuron_prog_put(p.prog);
put_queue:
	neuron_queue_put(p.queue);
	return ret;
}

static bool neuron_range_ok(struct drm_gem_object *obj, u64 off, u64 size)
{
	u64 end;

	return !check_add_overflow(off, size, &end) && end <= neuron_bo_size(obj);
}

/* The NeuronCore whose copy queue moves the bytes: the caller's, or near the DRAM. */
static u32 neuron_copy_nc(struct drm_gem_object *src, struct drm_gem_object *dst, u32 nc)
{
	if (nc != DRM_NEURON_ANY)
		return nc;
	if (neuron_bo_is_device(dst) && !neuron_bo_is_peer(dst))
		return neuron_bo_nc(dst);
	if (src && neuron_bo_is_device(src) && !neuron_bo_is_peer(src))
		return neuron_bo_nc(src);
	return 0;
}

/*
 * A COPY, a FILL (@src NULL, byte @fill) or a clear: the program, then the
 * push on the file's copy queue of @nc.
 */
static int neuron_exec_copy(struct drm_file *file, u32 nc, struct drm_gem_object *dst,
			    u64 dst_off, struct drm_gem_object *src, u64 src_off,
			    u64 size, int fill, struct neuron_push *p)
{
	struct neuron_device *ndev = to_neuron_device(dst->dev);
	struct neuron_file *nfile = file->driver_priv;
	dma_addr_t fill_dma = 0;
	int idx, ret;

	nc = neuron_copy_nc(src, dst, nc);
	p->file = file;
	p->queue = nfile->copyq[nc];
	if (!drm_dev_enter(&ndev->drm, &idx))
		return -ENODEV;
	/* The fill pattern is coherent memory of a device still present. */
	ret = src ? 0 : neuron_fill_source(ndev, fill, &fill_dma);
	if (ret)
		goto exit;
	p->prog = neuron_prog_copy(nc, dst, dst_off, src, src_off, size, fill_dma);
	ret = PTR_ERR_OR_ZERO(p->prog);
	if (ret)
		goto exit;
	ret = neuron_job_push(p);
	neuron_prog_put(p->prog);
exit:
	drm_dev_exit(idx);
	return ret;
}

static int neuron_sync_args_check(u32 nc, u32 count, const struct drm_neuron_sync *out)
{
	if (nc != DRM_NEURON_ANY && nc >= V1_NC_PER_DEVICE)
		return -EINVAL;
	if (count > NEURON_MAX_IN_SYNCS || out->flags)
		return -EINVAL;
	return 0;
}

/**
 * neuron_ioctl_copy() - DRM_IOCTL_NEURON_COPY
 * @drm: the device
 * @data: &struct drm_neuron_copy
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_copy(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_neuron_copy *args = data;
	struct neuron_push p = {
		.in_syncs = args->in_syncs,
		.in_sync_count = args->in_sync_count,
		.out_sync = &args->out_sync,
	};
	struct drm_gem_object *src, *dst;
	int ret;

	if (!args->size || args->flags || args->pad)
		return -EINVAL;
	ret = neuron_sync_args_check(args->nc, args->in_sync_count, &args->out_sync);
	if (ret)
		return ret;

	src = drm_gem_object_lookup(file, args->src_handle);
	dst = drm_gem_object_lookup(file, args->dst_handle);
	ret = -ENOENT;
	if (!src || !dst)
		goto out;
	ret = -EINVAL;
	if (!neuron_range_ok(src, args->src_offset, args->size) ||
	    !neuron_range_ok(dst, args->dst_offset, args->size))
		goto out;
	ret = -EACCES;
	if (neuron_bo_read_only(dst))
		goto out;
	ret = -EINVAL;
	if (src == dst &&
	    args->src_offset < args->dst_offset + args->size &&
	    args->dst_offset < args->src_offset + args->size)
		goto out;
	ret = neuron_exec_copy(file, args->nc, dst, args->dst_offset, src,
			       args->src_offset, args->size, 0, &p);
out:
	if (src)
		drm_gem_object_put(src);
	if (dst)
		drm_gem_object_put(dst);
	return ret;
}

/**
 * neuron_ioctl_fill() - DRM_IOCTL_NEURON_FILL
 * @drm: the device
 * @data: &struct drm_neuron_fill
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_fill(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_neuron_fill *args = data;
	struct neuron_push p = {
		.in_syncs = args->in_syncs,
		.in_sync_count = args->in_sync_count,
		.out_sync = &args->out_sync,
	};
	struct drm_gem_object *dst;
	int ret;

	if (!args->size || args->flags || args->pad || args->value > 255)
		return -EINVAL;
	ret = neuron_sync_args_check(args->nc, args->in_sync_count, &args->out_sync);
	if (ret)
		return ret;

	dst = drm_gem_object_lookup(file, args->handle);
	if (!dst)
		return -ENOENT;
	ret = -EINVAL;
	if (!neuron_range_ok(dst, args->offset, args->size))
		goto out;
	ret = -EACCES;
	if (neuron_bo_read_only(dst))
		goto out;
	ret = neuron_exec_copy(file, args->nc, dst, args->offset, NULL, 0, args->size,
			       args->value, &p);
out:
	drm_gem_object_put(dst);
	return ret;
}

/**
 * neuron_exec_clear_bo() - queue the clearing of a new device BO
 * @file: the client creating it
 * @obj: the device BO
 *
 * Runs on the client's copy queue of the BO's NeuronCore.  The fence goes
 * into the BO's reservation object with kernel usage: every later user of
 * the BO waits for it.
 *
 * Return: 0 or a negative errno.
 */
int neuron_exec_clear_bo(struct drm_file *file, struct drm_gem_object *obj)
{
	const struct drm_neuron_sync none = {};
	struct neuron_push p = { .out_sync = &none, .clear = true };

	return neuron_exec_copy(file, neuron_bo_nc(obj), obj, 0, NULL, 0,
				neuron_bo_size(obj), 0, &p);
}
