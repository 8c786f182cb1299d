/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hardware queues: one UDMA queue (a transmit and a receive ring) driven
 * by one drm_sched scheduler.  The driver's copy queues and the queues
 * clients create are the same thing.
 */
#ifndef NEURON_HWQ_H
#define NEURON_HWQ_H

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <drm/gpu_scheduler.h>

#include "hw/udma.h"
#include "v1/address_map.h"

struct neuron_device;
struct seq_file;

/* Descriptors per ring (legacy: next power of two >= 4096 + 16). */
#define NEURON_HWQ_RING_SIZE		8192

/**
 * struct neuron_hwq_stats - debugfs counters of one hardware queue
 * @irqs: interrupts (or poll ticks that found work)
 * @backstop: MSI-X mode: completions found by the backstop timer (lost
 *	interrupts, or jobs whose marker did not ask for one)
 * @jobs: jobs completed
 * @timeouts: scheduler timeouts that found the queue hung
 * @slow: scheduler timeouts that found the queue slow but moving (not hung)
 * @aborts: engine aborts blamed on this queue (its job failed with -EIO)
 * @resets: times the queue was reset because its engine aborted, blamed
 *	or not
 * @probes: times its oldest job ran alone on its engine to find out which
 *	queue aborted it (neuron_job.c)
 * @replays: jobs put on the ring again after a queue reset
 */
struct neuron_hwq_stats {
	u64 irqs;
	u64 backstop;
	u64 jobs;
	u64 timeouts;
	u64 slow;
	u64 aborts;
	u64 resets;
	u64 probes;
	u64 replays;
};

/**
 * struct neuron_hwq - one hardware queue
 * @ndev: the device
 * @nc: NeuronCore
 * @eng: engine id
 * @qid: queue number
 * @client: a client's queue (not a copy queue): the NeuronCore's ERROR
 *	notifications fail its jobs
 * @sched: its scheduler (credits = descriptors per direction)
 * @m2s: transmit ring
 * @s2m: receive ring
 * @slots: per-job host words holding the job's sequence number, the
 *	source of the completion marker
 * @slots_dma: bus address of @slots
 * @record: completion record, written by the marker
 * @record_dma: bus address of @record
 * @lock: protects @inflight, @held, @completed, @in_flight, @irq_seqno
 *	and @poll_armed (IRQ-safe; innermost but for the fences' own locks)
 * @inflight: jobs on the ring, in sequence order
 * @held: jobs an engine recovery took off the ring and has not put back
 *	yet, in sequence order, all after those on @inflight
 * @next_seqno: last sequence number handed out (run_job only)
 * @completed: last sequence number signalled
 * @in_flight: jobs on @inflight
 * @irq_seqno: last job on the ring whose marker raises the interrupt
 * @fence_ctx: dma_fence context of the hardware fences
 * @stopped: no hardware access (quiesced, removed, or created during a
 *	reset and not started yet)
 * @irq: Linux IRQ, or 0 when polling
 * @poll: polling timer (no MSI-X), or, with MSI-X, the timer that looks
 *	for completions no interrupt announces
 * @poll_armed: @poll is queued, or its running callback will queue it
 *	again; whoever sets it owns @poll_ns and @poll_idle
 * @poll_ns: current polling interval
 * @poll_idle: polls in a row without progress
 * @tail: MSI-X mode: looks for jobs on the ring when none of them will
 *	raise the interrupt (neuron_job.c); always re-armed with
 *	hrtimer_start(), never restarted by its callback
 * @tail_ns: its current interval (@lock)
 * @abort_check: deferred check for an engine abort
 * @tdr_seqno: job of the last timeout
 * @tdr_head: M2S head seen by the last timeout
 * @stats: counters
 * @last_end: when the queue's previous job ended (ns), for busy time
 * @node: on &neuron_engines.hwqs
 * @name: scheduler name ("neuron-q<eng>.<qid>")
 */
struct neuron_hwq {
	struct neuron_device *ndev;
	int nc;
	int eng;
	int qid;
	bool client;
	struct drm_gpu_scheduler sched;
	struct neuron_udma_ring m2s;
	struct neuron_udma_ring s2m;
	u64 *slots;
	dma_addr_t slots_dma;
	u64 *record;
	dma_addr_t record_dma;
	spinlock_t lock; /* see @lock above: in-flight list and counters */
	struct list_head inflight;
	struct list_head held;
	u64 next_seqno;
	u64 completed;
	unsigned int in_flight;
	u64 irq_seqno;
	u64 fence_ctx;
	bool stopped;
	int irq;
	struct hrtimer poll;
	bool poll_armed;
	u32 poll_ns;
	u32 poll_idle;
	struct hrtimer tail;
	u32 tail_ns;
	struct delayed_work abort_check;
	u64 tdr_seqno;
	u32 tdr_head;
	struct neuron_hwq_stats stats;
	u64 last_end;
	struct list_head node;
	char name[24];
};

/**
 * struct neuron_engine_stats - debugfs counters of one DMA engine
 * @recoveries: engine aborts recovered (every queue of the engine reset)
 * @blamed: recoveries that found the queue whose job aborted the engine
 * @unattributed: recoveries that blamed nobody: several queues had jobs
 *	and each one's oldest job, run alone, completed (a transient fault)
 * @undecided: probes that neither completed nor aborted in time: the
 *	search stopped there and blamed nobody
 */
struct neuron_engine_stats {
	u64 recoveries;
	u64 blamed;
	u64 unattributed;
	u64 undecided;
};

/**
 * struct neuron_engine - state of one DMA engine
 * @ready: initialised (&neuron_engines.recovery_lock)
 * @recovering: an abort recovery owns the engine's queues, and may have
 *	dropped recovery_lock to wait for a probe: a queue created meanwhile
 *	on the engine starts with its scheduler stopped and leaves the engine
 *	state alone; quiesce and removal take the queues back by clearing it,
 *	and the recovery then gives up (recovery_lock)
 * @gen: times the engine state or one of its queues was reset; written
 *	under recovery_lock, read without it to notice that a reading taken
 *	outside the lock is stale
 * @stats: counters
 */
struct neuron_engine {
	bool ready;
	bool recovering;
	u32 gen;
	struct neuron_engine_stats stats;
};

/**
 * struct neuron_engines - a device's DMA engines and hardware queues
 * @copyq: the driver's copy queue of each NeuronCore (engine nc * 3 + 2,
 *	queue 15, as the legacy host-to-device path)
 * @client: the queues clients created, by engine and queue number
 *	(@recovery_lock; read without it with acquire semantics)
 * @eng: per-engine state
 * @recovery_lock: serialises queue creation, timeouts, abort recovery,
 *	quiesce and resume.  Lock order: &neuron_reset.lock (read or write)
 *	before it, never after: no firmware read (which takes the reset lock
 *	for reading) happens under it; then &neuron_hwq.lock.  An engine
 *	abort recovery that must watch the engine (a probe, neuron_job.c)
 *	drops it around each firmware read and sleep and takes it again, so
 *	no new lock exists for it: &neuron_engine.recovering stands for the
 *	recovery while the lock is dropped, and @timeout_wq being ordered
 *	keeps a second recovery, timeout or abort check from starting then
 * @removed: the device is gone; everything fails with -ENODEV
 * @quiesced: NeuronCores (bit n = NeuronCore n) whose queues a device or
 *	NeuronCore reset stopped and has not brought back yet: a queue of
 *	theirs created meanwhile starts stopped, and resume starts it with
 *	the others (@recovery_lock)
 * @jobs: jobs initialised and not freed yet; the release waits for them,
 *	since a killed entity frees its jobs only once their dependencies
 *	signal, possibly after the last client is gone
 * @submit_wq: the schedulers' work items, all queues of the device on one
 *	workqueue (one rescuer thread per device, not per queue)
 * @timeout_wq: ordered: timeouts and recovery, one at a time
 * @hwqs: every hardware queue that has a scheduler, in creation order
 *	(copy queues first); they live until the device is released
 *	(@recovery_lock)
 */
struct neuron_engines {
	struct neuron_hwq copyq[V1_NC_PER_DEVICE];
	struct neuron_hwq *client[V1_DMA_ENG_PER_DEVICE][V1_DMA_QUEUES_PER_ENG];
	struct neuron_engine eng[V1_DMA_ENG_PER_DEVICE];
	struct mutex recovery_lock; /* queues' creation, recovery, reset */
	bool removed;
	u32 quiesced;
	atomic_t jobs;
	struct workqueue_struct *submit_wq;
	struct workqueue_struct *timeout_wq;
	struct list_head hwqs;
};

int neuron_engines_init(struct neuron_device *ndev);
void neuron_engines_remove(struct neuron_device *ndev);
void neuron_engines_quiesce(struct neuron_device *ndev, int error);
int neuron_engines_resume(struct neuron_device *ndev);
void neuron_engines_quiesce_cores(struct neuron_device *ndev, u32 nc_mask);
int neuron_engines_resume_cores(struct neuron_device *ndev, u32 nc_mask, int error);
void neuron_engines_show(struct neuron_device *ndev, struct seq_file *m);
struct neuron_hwq *neuron_hwq_get(struct neuron_device *ndev, int nc,
				  int eng, int qid);
void neuron_hwq_reinit(struct neuron_hwq *q);
void neuron_hwq_reset_rings(struct neuron_hwq *q);
int neuron_engine_hwqs(struct neuron_engines *engines, int eng,
		       struct neuron_hwq **qs);

static inline bool neuron_hwq_is_stopped(struct neuron_hwq *q)
{
	return READ_ONCE(q->stopped);
}

#endif /* NEURON_HWQ_H */
