/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copy and fill jobs: building them from ioctls, writing their descriptors.
 */
#ifndef NEURON_JOB_H
#define NEURON_JOB_H

#include <linux/dma-fence.h>
#include <linux/list.h>
#include <linux/refcount.h>

#include <drm/gpu_scheduler.h>

struct dma_fence_chain;
struct drm_device;
struct drm_neuron_sync;
struct drm_syncobj;
struct drm_file;
struct drm_gem_object;
struct neuron_busy;
struct neuron_copyq;
struct neuron_prog;
struct neuron_queue_obj;

/**
 * struct neuron_hw_fence - hardware fence of one job
 * @base: the fence
 * @lock: its lock, inside the fence's own allocation so that it lives as
 *	long as the fence
 */
struct neuron_hw_fence {
	struct dma_fence base;
	spinlock_t lock; /* the fence's own lock */
};

/**
 * struct neuron_req - what the jobs of one split request share
 * @ref: one per job
 * @error: first error of any part: later parts fail with it
 */
struct neuron_req {
	refcount_t ref;
	atomic_t error;
};

/**
 * struct neuron_job - one copy or fill on a copy queue
 * @base: scheduler job
 * @q: the queue
 * @hwf: hardware fence, allocated with the job (none in run_job)
 * @hwf_live: @hwf was initialised by run_job (else it is only memory)
 * @seqno: sequence number on @q
 * @link: on @q's in-flight list
 * @ring_start: M2S ring index of the job's first descriptor
 * @ndesc: data descriptors per direction
 * @src: source BO (reference), NULL for a fill
 * @dst: destination BO (reference)
 * @src_off: source offset
 * @dst_off: destination offset
 * @size: bytes
 * @fill_dma: fill source buffer
 * @req: shared by the parts of one request
 * @clear: this job clears a new device BO (@dst)
 * @prog: SUBMIT jobs: the descriptors to run (reference); then @src,
 *	@dst and @req are NULL
 * @qo: SUBMIT jobs: the client's queue object (reference), marked guilty
 *	if the job hangs or fails on the device
 * @n_s2m: receive descriptors written by run_job, marker included
 * @busy: the client's engine time (reference), or NULL
 * @start: when run_job put the job on the ring (ns)
 * @error: set when a queue reset replays the job as its completion
 *	marker only: the errno its fence signals with (q->lock)
 */
struct neuron_job {
	struct drm_sched_job base;
	struct neuron_copyq *q;
	struct neuron_hw_fence *hwf;
	bool hwf_live;
	u64 seqno;
	struct list_head link;
	u32 ring_start;
	u32 ndesc;
	struct drm_gem_object *src;
	struct drm_gem_object *dst;
	u64 src_off;
	u64 dst_off;
	u64 size;
	dma_addr_t fill_dma;
	struct neuron_req *req;
	bool clear;
	struct neuron_prog *prog;
	struct neuron_queue_obj *qo;
	u32 n_s2m;
	struct neuron_busy *busy;
	u64 start;
	int error;
};

static inline struct neuron_job *to_neuron_job(struct drm_sched_job *job)
{
	return container_of(job, struct neuron_job, base);
}

/* Most in-fences one COPY, FILL or SUBMIT may wait for (uapi). */
#define NEURON_MAX_IN_SYNCS	64

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

extern const struct dma_fence_ops neuron_hw_fence_ops;

int neuron_job_add_in_syncs(struct drm_file *file, struct neuron_job *job,
			    u64 uptr, u32 count);
int neuron_out_sync_get(struct drm_file *file, const struct drm_neuron_sync *sync,
			struct neuron_out_sync *out);
void neuron_out_sync_publish(struct neuron_out_sync *out, struct dma_fence *fence);
void neuron_out_sync_put(struct neuron_out_sync *out);

u32 neuron_job_emit(struct neuron_job *job);
u32 neuron_job_emit_marker(struct neuron_job *job);
struct neuron_job *neuron_job_alloc_exec(struct drm_file *file,
					 struct neuron_queue_obj *qo,
					 struct neuron_prog *prog);
void neuron_job_mark_guilty(struct neuron_job *job);
int neuron_job_check(struct neuron_job *job);
void neuron_job_failed(struct neuron_job *job, int error);
void neuron_job_free(struct neuron_job *job);
int neuron_job_clear_bo(struct drm_file *file, struct drm_gem_object *obj,
			int nc);

int neuron_ioctl_copy(struct drm_device *drm, void *data, struct drm_file *file);
int neuron_ioctl_fill(struct drm_device *drm, void *data, struct drm_file *file);

#endif /* NEURON_JOB_H */
