/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The syncobjs a request waits for and signals.
 */
#ifndef NEURON_SYNC_H
#define NEURON_SYNC_H

#include <linux/types.h>

struct dma_fence;
struct dma_fence_chain;
struct drm_file;
struct drm_neuron_sync;
struct drm_sched_job;
struct drm_syncobj;

/**
 * struct neuron_out_sync - an out-syncobj looked up before the job is armed
 * @syncobj: the syncobj, or NULL
 * @chain: preallocated link for a timeline point, or NULL
 * @point: the timeline point, 0 for a binary syncobj
 */
struct neuron_out_sync {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	u64 point;
};

int neuron_sync_add_in(struct drm_file *file, struct drm_sched_job *job,
		       u64 uptr, u32 count);
int neuron_out_sync_get(struct drm_file *file, const struct drm_neuron_sync *sync,
			struct neuron_out_sync *out);
void neuron_out_sync_publish(struct neuron_out_sync *out, struct dma_fence *fence);
void neuron_out_sync_put(struct neuron_out_sync *out);

#endif /* NEURON_SYNC_H */
