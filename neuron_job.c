// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copy and fill jobs.
 *
 * A request becomes one or more jobs on a copy queue.  Each job is a list
 * of "pieces": a stretch that is contiguous for the device on both sides
 * (host BOs: coalesced runs of their DMA-mapped sg table; device BOs: one
 * run) and at most 64 KiB, written as one M2S descriptor (FIRST|LAST) and
 * one S2M descriptor, then the completion marker.  A request of more than
 * NEURON_COPYQ_JOB_MAX_DESC pieces is split into jobs pushed in order on
 * the same entity, so they run in order; only the first waits for the
 * in-fences and implicit fences, the last one's fence is published, and a
 * failure of any part fails the following parts.
 *
 * The pieces are computed twice with the same walk: at ioctl time to count
 * descriptors (the job's scheduler credits) and in run_job to write them,
 * so run_job allocates nothing.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/dma-fence-chain.h>
#include <linux/dma-resv.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>
#include <linux/ww_mutex.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>

#include "neuron_compat.h"
#include "neuron_copy.h"
#include "neuron_drv.h"
#include "neuron_gem.h"
#include "neuron_host_bo.h"
#include "neuron_hw.h"
#include "neuron_exec.h"
#include "neuron_job.h"
#include "neuron_peer.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/udma_regs.h"

/* One side of a transfer: where the next contiguous run starts. */
struct neuron_cursor {
	struct scatterlist *sg;	/* host: next DMA segment after the run */
	unsigned int sg_left;	/* host: segments left after @sg */
	u64 addr;		/* start of the current run (bus or device) */
	u64 run;		/* bytes left in the current run */
	bool host;
	bool fill;
	u64 fill_dma;
};

static void neuron_cursor_coalesce(struct neuron_cursor *c)
{
	while (c->sg_left && sg_dma_address(c->sg) == c->addr + c->run) {
		c->run += sg_dma_len(c->sg);
		c->sg = sg_next(c->sg);
		c->sg_left--;
	}
}

static void neuron_cursor_next_seg(struct neuron_cursor *c)
{
	if (!c->sg_left) {
		c->run = 0;
		return;
	}
	c->addr = sg_dma_address(c->sg);
	c->run = sg_dma_len(c->sg);
	c->sg = sg_next(c->sg);
	c->sg_left--;
	neuron_cursor_coalesce(c);
}

static void neuron_cursor_init(struct neuron_cursor *c, struct drm_gem_object *obj,
			       struct sg_table *sgt, u64 offset, dma_addr_t fill_dma)
{
	struct scatterlist *sg;
	unsigned int i;

	memset(c, 0, sizeof(*c));
	if (!obj) {
		c->fill = true;
		c->host = true;
		c->fill_dma = fill_dma;
		c->addr = fill_dma;
		c->run = UDMA_DESC_MAX_LEN;
		return;
	}
	if (neuron_bo_is_device(obj)) {
		c->addr = neuron_bo_dev_addr(obj) + offset;
		c->run = neuron_bo_size(obj) - offset;
		return;
	}
	c->host = true;
	for_each_sgtable_dma_sg(sgt, sg, i) {
		u64 len = sg_dma_len(sg);

		if (offset < len) {
			c->addr = sg_dma_address(sg) + offset;
			c->run = len - offset;
			c->sg = sg_next(sg);
			c->sg_left = sgt->nents - i - 1;
			neuron_cursor_coalesce(c);
			return;
		}
		offset -= len;
	}
}

static void neuron_cursor_advance(struct neuron_cursor *c, u64 len)
{
	c->addr += len;
	c->run -= len;
	if (c->run)
		return;
	if (c->fill) {
		c->addr = c->fill_dma;
		c->run = UDMA_DESC_MAX_LEN;
	} else if (c->host) {
		neuron_cursor_next_seg(c);
	}
}

static u64 neuron_cursor_dev_addr(const struct neuron_cursor *c)
{
	return c->host ? neuron_v1_host_dev_addr(c->addr) : c->addr;
}

/* A whole transfer: both cursors and the bytes left. */
struct neuron_walk {
	struct neuron_cursor src;
	struct neuron_cursor dst;
	u64 left;
};

/* Length of the next piece (0 at the end), addresses in @s and @d. */
static u64 neuron_walk_next(struct neuron_walk *w, u64 *s, u64 *d)
{
	u64 len = min3(w->left, w->src.run, w->dst.run);

	len = min_t(u64, len, UDMA_DESC_MAX_LEN);
	if (!len)
		return 0;
	*s = neuron_cursor_dev_addr(&w->src);
	*d = neuron_cursor_dev_addr(&w->dst);
	neuron_cursor_advance(&w->src, len);
	neuron_cursor_advance(&w->dst, len);
	w->left -= len;
	return len;
}

/* Everything a request needs, from the ioctl or from BO creation. */
struct neuron_submit {
	struct drm_file *file;
	struct neuron_copyq *q;
	struct drm_sched_entity *entity;
	struct drm_gem_object *src;	/* NULL: fill */
	struct drm_gem_object *dst;
	struct sg_table *src_sgt;
	struct sg_table *dst_sgt;
	u64 src_off;
	u64 dst_off;
	u64 size;
	dma_addr_t fill_dma;
	bool kernel;			/* DRAM clearing: kernel resv usage */
	u64 in_syncs;
	u32 in_sync_count;
	struct drm_neuron_sync out_sync;
};

static void neuron_walk_init_job(struct neuron_walk *w, struct neuron_job *job,
				 struct sg_table *src_sgt, struct sg_table *dst_sgt)
{
	neuron_cursor_init(&w->src, job->src, src_sgt, job->src_off, job->fill_dma);
	neuron_cursor_init(&w->dst, job->dst, dst_sgt, job->dst_off, 0);
	w->left = job->size;
}

static struct sg_table *neuron_job_bo_sgt(struct drm_gem_object *obj)
{
	/* Cached by neuron_bo_sgt() at ioctl time; no lock needed to read. */
	if (!obj || neuron_bo_is_device(obj))
		return NULL;
	return to_drm_gem_shmem_obj(obj)->sgt;
}

/**
 * neuron_job_emit() - write a job's descriptors and completion marker
 * @job: the job, its sequence number set
 *
 * Called from run_job: no allocation, no register access.
 *
 * Return: descriptors written on each ring (data + marker).
 */
u32 neuron_job_emit(struct neuron_job *job)
{
	struct neuron_copyq *q = job->q;
	struct neuron_walk w;
	u64 s, d, len;
	u32 n = 0;

	if (job->prog) {
		n = neuron_prog_emit(job->prog, &q->m2s, &q->s2m, &job->n_s2m);
		goto marker;
	}
	neuron_walk_init_job(&w, job, neuron_job_bo_sgt(job->src),
			     neuron_job_bo_sgt(job->dst));
	while ((len = neuron_walk_next(&w, &s, &d))) {
		u32 ctrl = UDMA_DESC_LEN_ENCODE(len) | UDMA_DESC_FIRST | UDMA_DESC_LAST;

		/* DMB on the last data descriptor, as the legacy driver. */
		if (++n == job->ndesc)
			ctrl |= UDMA_DESC_DMB;
		neuron_udma_put(&q->m2s, ctrl, UDMA_M2S_META_COPY, s);
		neuron_udma_put(&q->s2m, UDMA_DESC_LEN_ENCODE(len), 0, d);
	}
	WARN_ON_ONCE(n != job->ndesc);
	job->n_s2m = n;

marker:
	return n + neuron_job_emit_marker(job);
}

/**
 * neuron_job_emit_marker() - write only a job's completion marker
 * @job: the job, its sequence number set
 *
 * Adds to @job->n_s2m.  Alone, it completes the job in its turn without
 * moving any data (a replayed job that must not run).
 *
 * Return: descriptors written on the transmit ring (1).
 */
u32 neuron_job_emit_marker(struct neuron_job *job)
{
	struct neuron_copyq *q = job->q;
	u32 slot = job->seqno % (NEURON_COPYQ_RING_SIZE / 2);

	/*
	 * The marker: copy the job's sequence number into the completion
	 * record.  DMB: it starts only after every earlier transfer ended.
	 */
	WRITE_ONCE(q->slots[slot], job->seqno);
	neuron_udma_put(&q->m2s, sizeof(u64) | UDMA_DESC_FIRST | UDMA_DESC_LAST |
			UDMA_DESC_DMB, UDMA_M2S_META_COPY,
			neuron_v1_host_dev_addr(q->slots_dma + slot * sizeof(u64)));
	neuron_udma_put(&q->s2m, sizeof(u64) | UDMA_DESC_INTERRUPT, 0,
			neuron_v1_host_dev_addr(q->record_dma));
	job->n_s2m++;
	return 1;
}

/**
 * neuron_job_check() - whether a job may still run (from run_job)
 * @job: the job
 *
 * A job fails without running if an earlier part of its request failed,
 * if one of its BOs could not be cleared (-EIO), or if it is a neighbour's
 * BO whose device was removed (-ENODEV).  Its dependencies (the clear
 * among them) have signalled by now.
 *
 * Return: 0 or the errno to fail the job with.
 */
int neuron_job_check(struct neuron_job *job)
{
	int err = job->req ? atomic_read(&job->req->error) : 0;
	u32 i;

	if (err)
		return err;
	if (job->prog) {
		for (i = 0; i < job->prog->nbos; i++) {
			if (neuron_peer_gone(job->prog->bos[i]))
				return -ENODEV;
			if (neuron_bo_poisoned(job->prog->bos[i]))
				return -EIO;
		}
		return job->base.s_fence->finished.error;
	}
	if ((job->src && neuron_peer_gone(job->src)) || neuron_peer_gone(job->dst))
		return -ENODEV;
	if ((job->src && neuron_bo_poisoned(job->src)) ||
	    (!job->clear && neuron_bo_poisoned(job->dst)))
		return -EIO;
	return job->base.s_fence->finished.error;
}

/**
 * neuron_job_failed() - record a job's failure for the jobs after it
 * @job: the job
 * @error: its errno
 *
 * Later parts of the same request fail too; a failed clear poisons its BO.
 */
void neuron_job_failed(struct neuron_job *job, int error)
{
	if (job->req)
		atomic_cmpxchg(&job->req->error, 0, error);
	if (job->clear)
		neuron_bo_poison(job->dst);
}

static void neuron_req_put(struct neuron_req *req)
{
	if (req && refcount_dec_and_test(&req->ref))
		kfree(req);
}

/**
 * neuron_job_free() - free a job (scheduler free_job, or an unarmed job)
 * @job: the job
 */
void neuron_job_free(struct neuron_job *job)
{
	struct neuron_copy *copy = job->q->ndev->copy;

	drm_sched_job_cleanup(&job->base);
	if (job->hwf_live)
		dma_fence_put(&job->hwf->base);
	else
		kfree(job->hwf);
	if (job->src)
		drm_gem_object_put(job->src);
	if (job->dst)
		drm_gem_object_put(job->dst);
	neuron_req_put(job->req);
	neuron_prog_put(job->prog);
	neuron_queue_obj_put(job->qo);
	neuron_busy_put(job->busy);
	kfree(job);
	/* Last: the device's release may be waiting for this (see jobs). */
	if (atomic_dec_and_test(&copy->jobs))
		wake_up_var(&copy->jobs);
}

/* A reference on the client's engine time counters. */
static struct neuron_busy *neuron_job_busy(struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;

	kref_get(&nfile->busy->ref);
	return nfile->busy;
}

/**
 * neuron_job_alloc_exec() - a SUBMIT job
 * @file: the client
 * @qo: its queue object; the job takes over this reference
 * @prog: the validated descriptors; the job takes over this reference
 *
 * Return: the job (not armed), or an ERR_PTR; on error both references
 * are dropped.
 */
struct neuron_job *neuron_job_alloc_exec(struct drm_file *file,
					 struct neuron_queue_obj *qo,
					 struct neuron_prog *prog)
{
	struct neuron_job *job;
	int ret = -ENOMEM;

	job = kzalloc_obj(*job, NEURON_GFP_CLIENT);
	if (!job)
		goto err;
	job->hwf = kzalloc_obj(*job->hwf, NEURON_GFP_CLIENT);
	if (!job->hwf)
		goto err;
	spin_lock_init(&job->hwf->lock);
	INIT_LIST_HEAD(&job->link);
	job->q = qo->hwq;
	job->qo = qo;
	job->prog = prog;
	job->busy = neuron_job_busy(file);
	/* Credits: the longer direction, plus the completion marker. */
	ret = drm_sched_job_init(&job->base, &qo->entity,
				 max(prog->n_m2s, prog->n_s2m) + 1, file,
				 file->client_id);
	if (ret)
		goto err;
	atomic_inc(&qo->hwq->ndev->copy->jobs);
	return job;
err:
	if (job) {
		kfree(job->hwf);
		neuron_busy_put(job->busy);
	}
	kfree(job);
	neuron_prog_put(prog);
	neuron_queue_obj_put(qo);
	return ERR_PTR(ret);
}

/**
 * neuron_job_mark_guilty() - a job hung or failed on the device
 * @job: the job
 *
 * Its queue object refuses further submissions (ECANCELED).
 */
void neuron_job_mark_guilty(struct neuron_job *job)
{
	if (job->qo)
		WRITE_ONCE(job->qo->guilty, true);
}

/* Unarmed job: drm_sched_job_init() may or may not have run. */
static void neuron_job_discard(struct neuron_job *job, bool inited)
{
	if (!inited) {
		kfree(job->hwf);
		if (job->src)
			drm_gem_object_put(job->src);
		drm_gem_object_put(job->dst);
		neuron_req_put(job->req);
		neuron_busy_put(job->busy);
		kfree(job);
		return;
	}
	neuron_job_free(job);
}

static struct neuron_job *neuron_job_alloc(struct neuron_submit *s, u64 off,
					   u64 size, u32 ndesc, struct neuron_req *req)
{
	struct neuron_job *job;
	int ret;

	job = kzalloc_obj(*job, NEURON_GFP_CLIENT);
	if (!job)
		return ERR_PTR(-ENOMEM);
	job->hwf = kzalloc_obj(*job->hwf, NEURON_GFP_CLIENT);
	if (!job->hwf) {
		kfree(job);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&job->hwf->lock);
	INIT_LIST_HEAD(&job->link);
	job->q = s->q;
	job->src = s->src;
	job->dst = s->dst;
	if (job->src)
		drm_gem_object_get(job->src);
	drm_gem_object_get(job->dst);
	job->src_off = s->src_off + off;
	job->dst_off = s->dst_off + off;
	job->size = size;
	job->ndesc = ndesc;
	job->fill_dma = s->fill_dma;
	job->clear = s->kernel;
	job->busy = neuron_job_busy(s->file);
	if (req) {
		refcount_inc(&req->ref);
		job->req = req;
	}
	ret = drm_sched_job_init(&job->base, s->entity, ndesc + 1, s->file,
				 s->file->client_id);
	if (ret) {
		neuron_job_discard(job, false);
		return ERR_PTR(ret);
	}
	atomic_inc(&s->q->ndev->copy->jobs);
	return job;
}

/* Cut the request into jobs of at most NEURON_COPYQ_JOB_MAX_DESC pieces. */
static int neuron_submit_split(struct neuron_submit *s, struct neuron_job ***out)
{
	struct neuron_job **jobs = NULL, **tmp;
	struct neuron_req *req = NULL;
	struct neuron_job whole = {
		.src = s->src, .dst = s->dst, .src_off = s->src_off,
		.dst_off = s->dst_off, .size = s->size, .fill_dma = s->fill_dma,
	};
	u64 part_start = 0, done = 0, a, b, len;
	struct neuron_walk w;
	int njobs = 0, ret, i;
	u32 n = 0;

	req = kzalloc_obj(*req, NEURON_GFP_CLIENT);
	if (!req)
		return -ENOMEM;
	refcount_set(&req->ref, 1);
	neuron_walk_init_job(&w, &whole, s->src_sgt, s->dst_sgt);
	for (;;) {
		len = neuron_walk_next(&w, &a, &b);
		if (len) {
			done += len;
			n++;
		}
		if (n && (!len || n == NEURON_COPYQ_JOB_MAX_DESC)) {
			struct neuron_job *job;

			tmp = krealloc_array(jobs, njobs + 1, sizeof(*jobs), GFP_KERNEL);
			if (!tmp) {
				ret = -ENOMEM;
				goto err;
			}
			jobs = tmp;
			job = neuron_job_alloc(s, part_start, done - part_start, n, req);
			if (IS_ERR(job)) {
				ret = PTR_ERR(job);
				goto err;
			}
			jobs[njobs++] = job;
			part_start = done;
			n = 0;
		}
		if (!len)
			break;
	}
	neuron_req_put(req);
	if (WARN_ON(done != s->size || !njobs)) {
		ret = -EINVAL;
		req = NULL;
		goto err;
	}
	*out = jobs;
	return njobs;
err:
	for (i = 0; i < njobs; i++)
		neuron_job_discard(jobs[i], true);
	kfree(jobs);
	neuron_req_put(req);
	return ret;
}

/**
 * neuron_job_add_in_syncs() - make a job wait for the caller's syncobjs
 * @file: the client
 * @job: the job (initialised, not armed)
 * @uptr: user pointer to @count &struct drm_neuron_sync
 * @count: entries (checked against NEURON_MAX_IN_SYNCS by the caller)
 *
 * Return: 0, -EFAULT, -EINVAL (flags), -ENOENT (unknown syncobj or point).
 */
int neuron_job_add_in_syncs(struct drm_file *file, struct neuron_job *job,
			    u64 uptr, u32 count)
{
	struct drm_neuron_sync __user *user = u64_to_user_ptr(uptr);
	struct drm_neuron_sync sync;
	struct dma_fence *fence;
	u32 i;
	int ret;

	for (i = 0; i < count; i++) {
		if (copy_from_user(&sync, &user[i], sizeof(sync)))
			return -EFAULT;
		if (sync.flags)
			return -EINVAL;
		ret = drm_syncobj_find_fence(file, sync.handle, sync.point, 0, &fence);
		if (ret)
			return ret;
		ret = drm_sched_job_add_dependency(&job->base, fence);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * neuron_out_sync_get() - look up an out-syncobj before the job is armed
 * @file: the client
 * @sync: what the caller asked for (handle 0: nothing)
 * @out: filled; release with neuron_out_sync_put() unless published
 *
 * Everything that can fail happens here, so that publishing cannot.
 *
 * Return: 0, -ENOENT or -ENOMEM.
 */
int neuron_out_sync_get(struct drm_file *file, const struct drm_neuron_sync *sync,
			struct neuron_out_sync *out)
{
	*out = (struct neuron_out_sync){ .point = sync->point };
	if (!sync->handle)
		return sync->point ? -EINVAL : 0;
	out->syncobj = drm_syncobj_find(file, sync->handle);
	if (!out->syncobj)
		return -ENOENT;
	if (sync->point) {
		out->chain = dma_fence_chain_alloc();
		if (!out->chain) {
			drm_syncobj_put(out->syncobj);
			out->syncobj = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * neuron_out_sync_publish() - put a job's fence into the out-syncobj
 * @out: from neuron_out_sync_get(); released
 * @fence: the job's finished fence
 */
void neuron_out_sync_publish(struct neuron_out_sync *out, struct dma_fence *fence)
{
	if (!out->syncobj)
		return;
	if (out->chain)
		drm_syncobj_add_point(out->syncobj, out->chain, fence, out->point);
	else
		drm_syncobj_replace_fence(out->syncobj, fence);
	out->chain = NULL;
	neuron_out_sync_put(out);
}

/**
 * neuron_out_sync_put() - release an unpublished out-syncobj
 * @out: from neuron_out_sync_get()
 */
void neuron_out_sync_put(struct neuron_out_sync *out)
{
	dma_fence_chain_free(out->chain);
	if (out->syncobj)
		drm_syncobj_put(out->syncobj);
	*out = (struct neuron_out_sync){};
}

static int neuron_submit(struct neuron_submit *s)
{
	struct neuron_file *nfile = s->file->driver_priv;
	struct drm_gem_object *objs[2] = { s->dst, s->src };
	/*
	 * One lock and one fence per reservation object: two GEM objects of
	 * one file may share one (a device BO and a read-only view of it, two
	 * peer imports of one BO), and locking it twice fails (-EALREADY).
	 */
	int nobjs = s->src && s->src->resv != s->dst->resv ? 2 : 1;
	struct neuron_out_sync out;
	struct neuron_job **jobs, *first;
	struct ww_acquire_ctx ctx;
	struct dma_fence *done;
	int njobs, i, ret;

	if (s->src && !neuron_bo_is_device(s->src)) {
		s->src_sgt = neuron_bo_sgt(s->src);
		if (IS_ERR(s->src_sgt))
			return PTR_ERR(s->src_sgt);
	}
	if (!neuron_bo_is_device(s->dst)) {
		s->dst_sgt = neuron_bo_sgt(s->dst);
		if (IS_ERR(s->dst_sgt))
			return PTR_ERR(s->dst_sgt);
	}
	ret = neuron_out_sync_get(s->file, &s->out_sync, &out);
	if (ret)
		return ret;

	njobs = neuron_submit_split(s, &jobs);
	if (njobs < 0) {
		ret = njobs;
		goto put_out;
	}
	first = jobs[0];
	ret = neuron_job_add_in_syncs(s->file, first, s->in_syncs, s->in_sync_count);
	if (ret)
		goto free_jobs;

	ret = drm_gem_lock_reservations(objs, nobjs, &ctx);
	if (ret)
		goto free_jobs;
	for (i = 0; i < nobjs; i++) {
		ret = dma_resv_reserve_fences(objs[i]->resv, 1);
		if (ret)
			goto unlock;
	}
	ret = drm_sched_job_add_implicit_dependencies(&first->base, s->dst, true);
	if (!ret && nobjs == 2)
		ret = drm_sched_job_add_implicit_dependencies(&first->base, s->src,
							      false);
	if (ret)
		goto unlock;

	/* Other requests on the same entity arm and push in the same order. */
	mutex_lock(&nfile->submit_lock);
	for (i = 0; i < njobs; i++)
		drm_sched_job_arm(&jobs[i]->base);
	done = dma_fence_get(&jobs[njobs - 1]->base.s_fence->finished);
	if (s->kernel)
		neuron_bo_set_clear(s->dst, done);
	dma_resv_add_fence(s->dst->resv, done, s->kernel ? DMA_RESV_USAGE_KERNEL :
			   DMA_RESV_USAGE_WRITE);
	if (nobjs == 2)
		dma_resv_add_fence(s->src->resv, done, DMA_RESV_USAGE_READ);
	for (i = 0; i < njobs; i++)
		drm_sched_entity_push_job(&jobs[i]->base);
	mutex_unlock(&nfile->submit_lock);
	drm_gem_unlock_reservations(objs, nobjs, &ctx);
	kfree(jobs);

	neuron_out_sync_publish(&out, done);
	dma_fence_put(done);
	return 0;

unlock:
	drm_gem_unlock_reservations(objs, nobjs, &ctx);
free_jobs:
	for (i = 0; i < njobs; i++)
		neuron_job_free(jobs[i]);
	kfree(jobs);
put_out:
	neuron_out_sync_put(&out);
	return ret;
}

static struct neuron_copyq *neuron_pick_queue(struct neuron_device *ndev,
					      struct drm_gem_object *src,
					      struct drm_gem_object *dst, u32 nc)
{
	if (nc == DRM_NEURON_ANY) {
		if (neuron_bo_is_device(dst) && !neuron_bo_is_peer(dst))
			nc = neuron_bo_nc(dst);
		else if (src && neuron_bo_is_device(src) && !neuron_bo_is_peer(src))
			nc = neuron_bo_nc(src);
		else
			nc = 0;
	}
	return &ndev->copy->q[nc];
}

static bool neuron_range_ok(struct drm_gem_object *obj, u64 off, u64 size)
{
	u64 end;

	return !check_add_overflow(off, size, &end) && end <= neuron_bo_size(obj);
}

/* A COPY, or a FILL with byte @fill (0..255). */
static int neuron_submit_run(struct drm_device *drm, struct neuron_submit *s,
			     u32 nc, int fill)
{
	struct neuron_file *nfile = s->file->driver_priv;
	int idx, ret;

	s->q = neuron_pick_queue(to_neuron_device(drm), s->src, s->dst, nc);
	s->entity = &nfile->entity[s->q->nc];
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	/* The fill pattern is coherent memory of a device still present. */
	ret = fill < 0 ? 0 : neuron_copy_fill_source(to_neuron_device(drm), fill,
						      &s->fill_dma);
	if (!ret)
		ret = neuron_submit(s);
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
	struct neuron_submit s = {};
	int ret;

	if (!args->size || args->flags || args->pad)
		return -EINVAL;
	ret = neuron_sync_args_check(args->nc, args->in_sync_count, &args->out_sync);
	if (ret)
		return ret;

	s.src = drm_gem_object_lookup(file, args->src_handle);
	s.dst = drm_gem_object_lookup(file, args->dst_handle);
	ret = -ENOENT;
	if (!s.src || !s.dst)
		goto out;
	ret = -EINVAL;
	if (!neuron_range_ok(s.src, args->src_offset, args->size) ||
	    !neuron_range_ok(s.dst, args->dst_offset, args->size))
		goto out;
	ret = -EACCES;
	if (neuron_bo_read_only(s.dst))
		goto out;
	ret = -EINVAL;
	if (s.src == s.dst &&
	    args->src_offset < args->dst_offset + args->size &&
	    args->dst_offset < args->src_offset + args->size)
		goto out;

	s.file = file;
	s.src_off = args->src_offset;
	s.dst_off = args->dst_offset;
	s.size = args->size;
	s.in_syncs = args->in_syncs;
	s.in_sync_count = args->in_sync_count;
	s.out_sync = args->out_sync;
	ret = neuron_submit_run(drm, &s, args->nc, -1);
out:
	if (s.src)
		drm_gem_object_put(s.src);
	if (s.dst)
		drm_gem_object_put(s.dst);
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
	struct neuron_submit s = {};
	int ret;

	if (!args->size || args->flags || args->pad || args->value > 255)
		return -EINVAL;
	ret = neuron_sync_args_check(args->nc, args->in_sync_count, &args->out_sync);
	if (ret)
		return ret;

	s.dst = drm_gem_object_lookup(file, args->handle);
	if (!s.dst)
		return -ENOENT;
	ret = -EINVAL;
	if (!neuron_range_ok(s.dst, args->offset, args->size))
		goto out;
	ret = -EACCES;
	if (neuron_bo_read_only(s.dst))
		goto out;
	s.file = file;
	s.dst_off = args->offset;
	s.size = args->size;
	s.in_syncs = args->in_syncs;
	s.in_sync_count = args->in_sync_count;
	s.out_sync = args->out_sync;
	ret = neuron_submit_run(drm, &s, args->nc, args->value);
out:
	drm_gem_object_put(s.dst);
	return ret;
}

/**
 * neuron_job_clear_bo() - queue the clearing of a new device BO
 * @file: the client creating it
 * @obj: the device BO
 * @nc: copy queue to use
 *
 * The fence goes into the BO's reservation object with kernel usage:
 * every later user of the BO waits for it.
 *
 * Return: 0 or a negative errno.
 */
int neuron_job_clear_bo(struct drm_file *file, struct drm_gem_object *obj, int nc)
{
	struct neuron_submit s = {
		.file = file,
		.dst = obj,
		.size = neuron_bo_size(obj),
		.kernel = true,
	};
	struct neuron_device *ndev = to_neuron_device(obj->dev);
	struct neuron_file *nfile = file->driver_priv;
	int ret;

	ret = neuron_copy_fill_source(ndev, 0, &s.fill_dma);
	if (ret)
		return ret;
	s.q = &ndev->copy->q[nc];
	s.entity = &nfile->entity[nc];
	return neuron_submit(&s);
}
