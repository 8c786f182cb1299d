// SPDX-License-Identifier: GPL-2.0-only
/*
 * The syncobjs of COPY, FILL and SUBMIT: in-fences become scheduler
 * dependencies of the request's first job; the out-syncobj, looked up and
 * given its timeline link before the job is armed, receives the last job's
 * finished fence, so that publishing cannot fail.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/dma-fence-chain.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>

#include "neuron_sync.h"
#include "uapi/drm/neuron_accel.h"

/**
 * neuron_sync_add_in() - make a job wait for the caller's syncobjs
 * @file: the client
 * @job: the job (initialised, not armed)
 * @uptr: user pointer to @count &struct drm_neuron_sync
 * @count: entries (checked against the uapi's limit by the caller)
 *
 * Return: 0, -EFAULT, -EINVAL (flags), -ENOENT (unknown syncobj or point),
 * -ENOMEM.
 */
int neuron_sync_add_in(struct drm_file *file, struct drm_sched_job *job,
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
		ret = drm_sched_job_add_dependency(job, fence);
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
 * Return: 0, -EINVAL (a point without a handle), -ENOENT or -ENOMEM.
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
