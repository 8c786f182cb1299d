/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jobs: a program (or a stretch of one) on a hardware queue, from the
 * push at ioctl time to the fence.
 */
#ifndef NEURON_JOB_H
#define NEURON_JOB_H

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>

#include <drm/gpu_scheduler.h>

struct drm_file;
struct drm_neuron_sync;
struct neuron_busy;
struct neuron_hwq;
struct neuron_prog;

/* Most in-fences one COPY, FILL or SUBMIT may wait for (uapi). */
#define NEURON_MAX_IN_SYNCS	64

/**
 * struct neuron_queue - a scheduler entity on a hardware queue
 * @ref: its owner (a queue handle, or the file for its copy queues), and
 *	every job pushed on it
 * @entity: the entity
 * @hwq: the hardware queue
 * @lock: serialises arm + push on @entity (the fences' sequence numbers
 *	follow the order the jobs run in), and the entity's destruction with
 *	them.  Lock order: before the BOs' reservation locks
 * @dead: destroyed (QUEUE_DESTROY or close); no job may be pushed (@lock)
 * @guilty: one of its jobs hung or failed on the device: SUBMIT refuses
 * @copy: one of a file's copy queues: COPY, FILL and DRAM clears, never
 *	guilty
 */
struct neuron_queue {
	struct kref ref;
	struct drm_sched_entity entity;
	struct neuron_hwq *hwq;
	struct mutex lock; /* arm + push on @entity; @dead */
	bool dead;
	bool guilty;
	bool copy;
};

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
 * struct neuron_req - what the jobs of one push share
 * @ref: one per job
 * @error: first error of any job: the later ones fail with it
 */
struct neuron_req {
	refcount_t ref;
	atomic_t error;
};

/**
 * struct neuron_job - one stretch of a program on a hardware queue
 * @base: scheduler job
 * @queue: the entity's queue (reference)
 * @hwq: its hardware queue
 * @prog: the program (reference)
 * @m2s_first: first transmit descriptor of @prog the job runs
 * @n_m2s: transmit descriptors it runs
 * @s2m_first: first receive descriptor of @prog the job runs
 * @n_s2m: receive descriptors it runs
 * @req: shared with the other jobs of the same push (reference)
 * @clear: the job clears a new device BO (the program's first BO)
 * @busy: the client's engine time (reference)
 * @hwf: hardware fence, allocated with the job (nothing in run_job)
 * @hwf_live: @hwf was initialised by run_job (else it is only memory)
 * @seqno: sequence number on @hwq
 * @link: on @hwq's in-flight list
 * @ring_start: transmit ring index of the job's first descriptor
 * @start: when run_job put the job on the ring (ns)
 * @error: set when a queue reset replays the job as its completion
 *	marker only: the errno its fence signals with (&neuron_hwq.lock)
 */
struct neuron_job {
	struct drm_sched_job base;
	struct neuron_queue *queue;
	struct neuron_hwq *hwq;
	struct neuron_prog *prog;
	u32 m2s_first;
	u32 n_m2s;
	u32 s2m_first;
	u32 n_s2m;
	struct neuron_req *req;
	bool clear;
	struct neuron_busy *busy;
	struct neuron_hw_fence *hwf;
	bool hwf_live;
	u64 seqno;
	struct list_head link;
	u32 ring_start;
	u64 start;
	int error;
};

static inline struct neuron_job *to_neuron_job(struct drm_sched_job *job)
{
	return container_of(job, struct neuron_job, base);
}

/**
 * struct neuron_push - one request: a program, the syncs around it
 * @file: the client
 * @queue: where it runs
 * @prog: what it runs; a copy's program (no more than
 *	NEURON_PROG_PART_PIECES pieces per job) may become several jobs
 * @in_syncs: user array of &struct drm_neuron_sync to wait for
 * @in_sync_count: its entries, at most NEURON_MAX_IN_SYNCS
 * @out_sync: syncobj (and timeline point) to signal, handle 0 for none
 * @out_fence_fd: where to return a sync_file fd, or NULL for none
 * @clear: the clear of a new device BO: its fence goes into the BO's
 *	reservation with kernel usage, and a failure poisons the BO
 */
struct neuron_push {
	struct drm_file *file;
	struct neuron_queue *queue;
	struct neuron_prog *prog;
	u64 in_syncs;
	u32 in_sync_count;
	const struct drm_neuron_sync *out_sync;
	s32 *out_fence_fd;
	bool clear;
};

int neuron_job_push(struct neuron_push *p);
void neuron_job_hwq_init(struct neuron_hwq *q);
void neuron_job_kick(struct neuron_hwq *q, u32 n_m2s, u32 n_s2m);
void neuron_job_fail_all(struct neuron_hwq *q, int error);
void neuron_job_hold(struct neuron_hwq *q);
void neuron_job_unhold(struct neuron_hwq *q, int error);
irqreturn_t neuron_job_irq(int irq, void *data);
extern const struct drm_sched_backend_ops neuron_job_ops;

struct neuron_queue *neuron_queue_create(struct neuron_hwq *hwq, bool copy);
void neuron_queue_destroy(struct neuron_queue *queue);
void neuron_queue_put(struct neuron_queue *queue);

#endif /* NEURON_JOB_H */
