/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver's own copy queues (one per NeuronCore: engine nc * 3 + 2,
 * queue 15), each driven by a drm_sched scheduler, and the reset hooks.
 */
#ifndef NEURON_COPY_H
#define NEURON_COPY_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/gpu_scheduler.h>

#include "hw/udma.h"
#include "v1/address_map.h"

struct drm_file;
struct drm_printer;
struct neuron_device;
struct neuron_job;
struct seq_file;

/* Descriptors per ring (legacy: next power of two >= 4096 + 16). */
#define NEURON_COPYQ_RING_SIZE		8192
/* Data descriptors per job; larger requests become several jobs. */
#define NEURON_COPYQ_JOB_MAX_DESC	2048

/**
 * struct neuron_copyq_stats - debugfs counters of one copy queue
 * @irqs: interrupts (or poll ticks that found work)
 * @backstop: MSI-X mode: completions found by the backstop timer (lost
 *	or late interrupts)
 * @jobs: jobs completed
 * @timeouts: scheduler timeouts that found the queue hung
 * @slow: scheduler timeouts that found the queue slow but moving (not hung)
 * @aborts: engine aborts recovered
 * @replays: jobs put on the ring again after a queue reset
 */
struct neuron_copyq_stats {
	u64 irqs;
	u64 backstop;
	u64 jobs;
	u64 timeouts;
	u64 slow;
	u64 aborts;
	u64 replays;
};

/**
 * struct neuron_copyq - one hardware copy queue
 * @ndev: the device
 * @nc: NeuronCore
 * @eng: engine id
 * @qid: queue number
 * @sched: its scheduler (credits = descriptors per direction)
 * @m2s: source ring
 * @s2m: destination ring
 * @slots: per-job host words holding the job's sequence number, the
 *	source of the completion marker
 * @slots_dma: bus address of @slots
 * @record: completion record, written by the marker
 * @record_dma: bus address of @record
 * @lock: protects @inflight, @completed, @in_flight, @poll_armed (IRQ-safe)
 * @inflight: jobs on the ring, in sequence order
 * @next_seqno: last sequence number handed out (run_job only)
 * @completed: last sequence number signalled
 * @in_flight: jobs on @inflight
 * @fence_ctx: dma_fence context of the hardware fences
 * @stopped: no hardware access (quiesced, removed, or created during a
 *	reset and not started yet)
 * @irq: Linux IRQ, or 0 when polling
 * @poll: polling timer (no MSI-X), or backstop timer (MSI-X)
 * @poll_armed: @poll is queued, or its running callback will queue it
 *	again; whoever sets it owns @poll_ns and @poll_idle
 * @poll_ns: current polling interval
 * @poll_idle: polls in a row without progress
 * @abort_check: deferred check for an engine abort
 * @tdr_seqno: job of the last timeout
 * @tdr_head: M2S head seen by the last timeout
 * @hw_gen: times the queue's hardware was (re)initialised; written under
 *	&neuron_copy.recovery_lock, read without it to notice one
 * @stats: counters
 * @last_end: when the queue's previous job ended (ns), for busy time
 * @client: a client's queue (not a copy queue): the NeuronCore's ERROR
 *	notifications fail its jobs
 * @node: on &neuron_copy.hwqs
 * @name: scheduler name ("neuron-q<eng>.<qid>")
 */
struct neuron_copyq {
	struct neuron_device *ndev;
	int nc;
	int eng;
	int qid;
	struct drm_gpu_scheduler sched;
	struct neuron_udma_ring m2s;
	struct neuron_udma_ring s2m;
	u64 *slots;
	dma_addr_t slots_dma;
	u64 *record;
	dma_addr_t record_dma;
	spinlock_t lock; /* see @lock above: in-flight list and counters */
	struct list_head inflight;
	u64 next_seqno;
	u64 completed;
	unsigned int in_flight;
	u64 fence_ctx;
	bool stopped;
	int irq;
	struct hrtimer poll;
	bool poll_armed;
	u32 poll_ns;
	u32 poll_idle;
	struct delayed_work abort_check;
	u64 tdr_seqno;
	u32 tdr_head;
	u32 hw_gen;
	struct neuron_copyq_stats stats;
	u64 last_end;
	bool client;
	struct list_head node;
	char name[24];
};

/**
 * struct neuron_copy - the device's copy queues and fill sources
 * @q: one queue per NeuronCore
 * @recovery_lock: serialises timeouts, abort recovery, quiesce and resume.
 *	Lock order: &neuron_reset.lock (read or write) before it, never
 *	after: no firmware read (which takes the reset lock for reading)
 *	happens under it; then &neuron_copyq.lock (a spinlock, IRQ-safe)
 * @removed: the device is gone; everything fails with -ENODEV
 * @quiesced: a device reset stopped the queues and has not brought them
 *	back yet: a queue created meanwhile starts stopped, and resume starts
 *	it with the others (@recovery_lock)
 * @jobs: jobs initialised and not freed yet; the release waits for them,
 *	since a killed entity frees its jobs only once their dependencies
 *	signal, possibly after the last client is gone
 * @fill_lock: protects @fill
 * @fill: 64 KiB host buffers of one byte value, allocated on first use
 * @fill_dma: their bus addresses
 * @wq: ordered workqueue for timeouts and recovery
 * @hwqs: every hardware queue in use (copy queues first), in creation
 *	order; queues live until the device is released; protected by
 *	@recovery_lock
 * @xq: the queues clients took, by engine and queue number (@recovery_lock)
 * @eng_ready: engines initialised for clients' queues (@recovery_lock)
 */
struct neuron_copy {
	struct neuron_copyq q[V1_NC_PER_DEVICE];
	struct mutex recovery_lock; /* timeouts, recovery, quiesce, resume */
	bool removed;
	bool quiesced;
	atomic_t jobs;
	struct mutex fill_lock; /* @fill, @fill_dma */
	void *fill[256];
	dma_addr_t fill_dma[256];
	struct workqueue_struct *wq;
	struct list_head hwqs;
	struct neuron_copyq *xq[V1_DMA_ENG_PER_DEVICE][V1_DMA_QUEUES_PER_ENG];
	bool eng_ready[V1_DMA_ENG_PER_DEVICE];
};

/**
 * struct neuron_busy - a client's engine time, shared with its jobs
 * @ref: the client, and each of its jobs (which may outlive it)
 * @ns: nanoseconds the client's jobs kept each NeuronCore's queues busy
 */
struct neuron_busy {
	struct kref ref;
	atomic64_t ns[V1_NC_PER_DEVICE];
};

/**
 * struct neuron_file - per-client state
 * @entity: one scheduler entity per copy queue
 * @submit_lock: serialises arming and pushing jobs on @entity, so that
 *	their fences' sequence numbers follow the order they run in
 * @queues: queue objects (&struct neuron_queue_obj) by handle
 * @progs: programs (&struct neuron_prog) by handle
 * @busy: engine time for fdinfo
 */
struct neuron_file {
	struct drm_sched_entity entity[V1_NC_PER_DEVICE];
	atomic_t bo_handles;
	struct mutex submit_lock; /* arm + push on @entity */
	struct xarray queues;
	struct xarray progs;
	struct neuron_busy *busy;
};

int neuron_copy_init(struct neuron_device *ndev);
void neuron_copy_remove(struct neuron_device *ndev);
int neuron_copy_open(struct drm_device *drm, struct drm_file *file);
void neuron_copy_postclose(struct drm_device *drm, struct drm_file *file);
int neuron_copy_fill_source(struct neuron_device *ndev, u8 value,
			    dma_addr_t *dma);
void neuron_copy_show(struct neuron_device *ndev, struct seq_file *m);
void neuron_busy_put(struct neuron_busy *busy);
void neuron_copy_show_fdinfo(struct drm_printer *p, struct drm_file *file);

/* Reset hooks for the device reset path. */
void neuron_engines_quiesce(struct neuron_device *ndev, int error);
int neuron_engines_resume(struct neuron_device *ndev);

/* Used by neuron_job.c. */
void neuron_copyq_queue_job(struct neuron_copyq *q, struct neuron_job *job);
void neuron_copyq_kick(struct neuron_copyq *q, u32 n_m2s, u32 n_s2m);

/* Used by neuron_exec.c: the hardware queue of a queue object. */
struct neuron_copyq *neuron_hwq_get(struct neuron_device *ndev, int nc,
				    int eng, int qid);

#endif /* NEURON_COPY_H */
