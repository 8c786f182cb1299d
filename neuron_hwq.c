// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hardware queues: set-up, device reset and removal.
 *
 * A hardware queue is one UDMA queue (two rings in host memory) with one
 * drm_sched scheduler, whose credits are ring descriptors, so that jobs
 * pipeline up to the ring's capacity.  The driver's copy queues (one per
 * NeuronCore) exist from probe; a client's queue on any other engine and
 * queue number is created on first use and kept until the device goes.
 * All schedulers of a device share one submission workqueue and one
 * ordered timeout workqueue.  What runs on the queues is neuron_job.c.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/wait_bit.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "neuron_compat.h"
#include "neuron_drv.h"
#include "neuron_hwq.h"
#include "neuron_job.h"
#include "neuron_prog.h"
#include "model/msix.h"
#include "v1/udma_regs.h"

#define NEURON_HWQ_SLOTS_BYTES		(NEURON_HWQ_RING_SIZE / 2 * sizeof(u64))
#define NEURON_HWQ_TIMEOUT_MS		5000
#define NEURON_ALL_CORES		GENMASK(V1_NC_PER_DEVICE - 1, 0)
#define NEURON_HWQ_MAX \
	(V1_NC_PER_DEVICE + V1_DMA_ENG_PER_DEVICE * V1_DMA_QUEUES_PER_ENG)

/*
 * Slot @i of the device's hardware queues: the copy queues, then the
 * clients' queues that exist.  A client queue is published once fully set
 * up and never goes away before the device, so walking the slots needs no
 * lock (unlike &neuron_engines.hwqs, which the release path walks).
 */
static struct neuron_hwq *neuron_hwq_at(struct neuron_engines *engines, int i)
{
	if (i < V1_NC_PER_DEVICE)
		return &engines->copyq[i];
	i -= V1_NC_PER_DEVICE;
	/* Pairs with the release in neuron_hwq_get(). */
	return smp_load_acquire(&engines->client[i / V1_DMA_QUEUES_PER_ENG]
						[i % V1_DMA_QUEUES_PER_ENG]);
}

/* The first queue at slot @i or after, @i moved to it; NULL at the end. */
static struct neuron_hwq *neuron_hwq_next(struct neuron_engines *engines, int *i)
{
	struct neuron_hwq *q;

	for (; *i < NEURON_HWQ_MAX; (*i)++) {
		q = neuron_hwq_at(engines, *i);
		if (q)
			return q;
	}
	return NULL;
}

static int neuron_hwq_alloc_rings(struct neuron_device *ndev, struct neuron_hwq *q)
{
	struct device *dev = &ndev->pdev->dev;
	size_t ring_bytes = NEURON_HWQ_RING_SIZE * UDMA_DESC_SIZE;

	q->m2s.desc = dmam_alloc_coherent(dev, ring_bytes, &q->m2s.dma, GFP_KERNEL);
	q->s2m.desc = dmam_alloc_coherent(dev, ring_bytes, &q->s2m.dma, GFP_KERNEL);
	q->slots = dmam_alloc_coherent(dev, NEURON_HWQ_SLOTS_BYTES, &q->slots_dma,
				       GFP_KERNEL);
	q->record = dmam_alloc_coherent(dev, 64, &q->record_dma, GFP_KERNEL);
	if (!q->m2s.desc || !q->s2m.desc || !q->slots || !q->record)
		return -ENOMEM;
	q->m2s.size = NEURON_HWQ_RING_SIZE;
	q->s2m.size = NEURON_HWQ_RING_SIZE;
	return 0;
}

static int neuron_hwq_sched_init(struct neuron_device *ndev, struct neuron_hwq *q)
{
	struct drm_sched_init_args args = {
		.ops = &neuron_job_ops,
		.submit_wq = ndev->engines->submit_wq,
		.timeout_wq = ndev->engines->timeout_wq,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		/* The hardware keeps 16 descriptors of slack. */
		.credit_limit = NEURON_HWQ_RING_SIZE - UDMA_Q_RING_SLACK,
		.timeout = msecs_to_jiffies(NEURON_HWQ_TIMEOUT_MS),
		.name = q->name,
		.dev = ndev->drm.dev,
	};

	return drm_sched_init(&q->sched, &args);
}

static int neuron_hwq_setup_irq(struct neuron_device *ndev, struct neuron_hwq *q)
{
	int irq, ret;

	if (ndev->msix_vectors < NEURON_MSIX_VECTORS)
		return 0;
	irq = pci_irq_vector(ndev->pdev, NEURON_MSIX_VEC_ENGINE(q->eng));
	if (irq < 0)
		return 0;
	/* Shared: every queue of an engine has its own handler on the vector. */
	ret = devm_request_irq(&ndev->pdev->dev, irq, neuron_job_irq, IRQF_SHARED,
			       q->name, q);
	if (ret)
		return ret;
	q->irq = irq;
	return 0;
}

/**
 * neuron_hwq_reset_rings() - reset a queue and program its rings again,
 *	from their start, leaving the engine's state alone
 * @q: the queue, halted or stopped in hardware
 */
void neuron_hwq_reset_rings(struct neuron_hwq *q)
{
	struct neuron_device *ndev = q->ndev;
	struct neuron_engine *e = &ndev->engines->eng[q->eng];

	lockdep_assert_held(&ndev->engines->recovery_lock);
	WRITE_ONCE(e->gen, e->gen + 1);
	neuron_udma_queue_init(ndev, q->eng, q->qid, &q->m2s, &q->s2m);
}

/**
 * neuron_hwq_reinit() - program a queue's rings again, from their start,
 *	and take its engine out of abort
 * @q: the queue, halted or stopped in hardware
 */
void neuron_hwq_reinit(struct neuron_hwq *q)
{
	neuron_hwq_reset_rings(q);
	neuron_udma_engine_normal(q->ndev, q->eng);
}

/**
 * neuron_engine_hwqs() - the running hardware queues of one engine
 * @engines: the device's engines
 * @eng: engine id
 * @qs: filled with up to V1_DMA_QUEUES_PER_ENG queues, by queue number
 *
 * The driver's copy queue is queue 15 of its engine; clients' queues are
 * the others.  Caller holds recovery_lock.
 *
 * Return: the number of queues in @qs.
 */
int neuron_engine_hwqs(struct neuron_engines *engines, int eng, struct neuron_hwq **qs)
{
	struct neuron_hwq *q;
	int qid, n = 0;

	lockdep_assert_held(&engines->recovery_lock);
	for (qid = 0; qid < V1_DMA_QUEUES_PER_ENG; qid++) {
		q = engines->client[eng][qid];
		if (!q && eng % V1_DMA_ENG_PER_NC == V1_H2T_ENGINE && qid == V1_H2T_QUEUE)
			q = &engines->copyq[eng / V1_DMA_ENG_PER_NC];
		if (q && q->ndev && !neuron_hwq_is_stopped(q))
			qs[n++] = q;
	}
	return n;
}

/* Set up one hardware queue on an initialised engine. */
static int neuron_hwq_setup(struct neuron_device *ndev, struct neuron_hwq *q,
			    int nc, int eng, int qid)
{
	int ret;

	lockdep_assert_held(&ndev->engines->recovery_lock);
	q->ndev = ndev;
	q->nc = nc;
	q->eng = eng;
	q->qid = qid;
	snprintf(q->name, sizeof(q->name), "neuron-q%d.%d", eng, qid);
	neuron_job_hwq_init(q);
	INIT_LIST_HEAD(&q->node);
	ret = neuron_hwq_alloc_rings(ndev, q);
	if (ret)
		return ret;
	ret = neuron_hwq_sched_init(ndev, q);
	if (ret)
		return ret;
	/* From here on the release path finishes the scheduler. */
	list_add_tail(&q->node, &ndev->engines->hwqs);
	ret = neuron_hwq_setup_irq(ndev, q);
	if (ret)
		return ret;
	/*
	 * A device reset is under way: the queue waits, stopped, until
	 * neuron_engines_resume() programs and starts it with the others.  A
	 * running queue could time out and hold recovery_lock while it waits
	 * for the reset lock, which the reset holds while it waits for
	 * recovery_lock in resume.  Not published yet: no job can be queued.
	 */
	if (ndev->engines->quiesced & BIT(nc)) {
		WRITE_ONCE(q->stopped, true);
		drm_sched_wqueue_stop(&q->sched);
		return 0;
	}
	/*
	 * An abort recovery owns the engine (it may be watching one queue's
	 * job alone on it): program the rings, but leave the engine's state to
	 * the recovery, which starts the scheduler when it is done.
	 */
	if (ndev->engines->eng[eng].recovering) {
		drm_sched_wqueue_stop(&q->sched);
		neuron_hwq_reset_rings(q);
	} else {
		neuron_hwq_reinit(q);
	}
	if (q->irq)
		neuron_udma_irq_enable(ndev, q->eng, BIT(q->qid));
	return 0;
}

/**
 * neuron_hwq_get() - the hardware queue for a client's queue
 * @ndev: the device
 * @nc: NeuronCore
 * @eng: engine id (nc * 3 + engine)
 * @qid: queue number; never the copy queue
 *
 * Creates the queue (rings, scheduler, interrupt) on first use, and
 * initialises its engine if no queue used it yet (after checking the
 * engine's DMA version through the firmware).  During a device reset
 * the queue (and a new engine) is left for neuron_engines_resume() to
 * program and start.  Queues stay until the device is released.
 *
 * Return: the queue, or an ERR_PTR (-ENODEV after removal, -EIO if the
 * engine is not a UDMA v4, a firmware error, -ENOMEM).
 */
struct neuron_hwq *neuron_hwq_get(struct neuron_device *ndev, int nc, int eng, int qid)
{
	struct neuron_engines *engines = ndev->engines;
	struct neuron_hwq *q;
	int ret;

	q = neuron_hwq_at(engines, V1_NC_PER_DEVICE + eng * V1_DMA_QUEUES_PER_ENG + qid);
	if (q)
		return q;
	/*
	 * The DMA version check reads through the firmware (it may wait for
	 * a reset or time out): not under recovery_lock, which the timeout
	 * and abort handling of every queue needs.  Checking twice is
	 * harmless.
	 */
	if (!READ_ONCE(engines->eng[eng].ready)) {
		ret = neuron_udma_engine_check(ndev, &eng, 1);
		if (ret)
			return ERR_PTR(ret);
	}
	mutex_lock(&engines->recovery_lock);
	q = engines->client[eng][qid];
	if (q)
		goto out;
	q = ERR_PTR(-ENODEV);
	if (engines->removed)
		goto out;
	if (!engines->eng[eng].ready) {
		/* The reset clears the engine: resume initialises it then. */
		if (!(engines->quiesced & BIT(nc)))
			neuron_udma_engine_init(ndev, eng);
		WRITE_ONCE(engines->eng[eng].ready, true);
	}
	/*
	 * Not drmm: drmm would free it before neuron_engines_fini() (an
	 * earlier action) finishes its scheduler; that function frees it.
	 */
	q = kzalloc_obj(*q, GFP_KERNEL);
	if (!q) {
		q = ERR_PTR(-ENOMEM);
		goto out;
	}
	q->client = true;
	ret = neuron_hwq_setup(ndev, q, nc, eng, qid);
	if (ret) {
		/* On the list once its scheduler exists: released there. */
		if (list_empty(&q->node))
			kfree(q);
		else
			WRITE_ONCE(q->stopped, true);
		q = ERR_PTR(ret);
		goto out;
	}
	/* Pairs with neuron_hwq_at(): walkers see the queue fully set up. */
	smp_store_release(&engines->client[eng][qid], q);
out:
	mutex_unlock(&engines->recovery_lock);
	return q;
}

static void neuron_engines_fini(struct drm_device *drm, void *data)
{
	struct neuron_engines *engines = data;
	struct neuron_hwq *q, *tmp;

	list_for_each_entry(q, &engines->hwqs, node) {
		hrtimer_cancel(&q->poll);
		hrtimer_cancel(&q->tail);
		cancel_delayed_work_sync(&q->abort_check);
		drm_sched_fini(&q->sched);
		neuron_sched_free_leftovers(&q->sched);
	}
	/*
	 * Jobs a killed entity still holds (waiting for a foreign fence) are
	 * freed through their scheduler's ops: keep the schedulers, and the
	 * device state the jobs reference, until the last one is gone.
	 */
	wait_var_event(&engines->jobs, !atomic_read(&engines->jobs));
	list_for_each_entry_safe(q, tmp, &engines->hwqs, node) {
		/* Clients' queues: kzalloc'ed by neuron_hwq_get(). */
		if (q->client)
			kfree(q);
	}
	destroy_workqueue(engines->submit_wq);
	destroy_workqueue(engines->timeout_wq);
}

/**
 * neuron_engines_init() - set up the copy engines, their queues and the
 *	schedulers' workqueues
 * @ndev: the device
 *
 * Return: 0 or a negative errno.
 */
int neuron_engines_init(struct neuron_device *ndev)
{
	int engs[V1_NC_PER_DEVICE];
	struct neuron_engines *engines;
	int nc, ret;

	engines = drmm_kzalloc(&ndev->drm, sizeof(*engines), GFP_KERNEL);
	if (!engines)
		return -ENOMEM;
	ndev->engines = engines;
	ret = drmm_mutex_init(&ndev->drm, &engines->recovery_lock);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&engines->hwqs);
	/* Fences signal through it: it must make progress under reclaim. */
	engines->submit_wq = alloc_workqueue("neuron%d-sched", WQ_MEM_RECLAIM | WQ_UNBOUND,
					     0, ndev->index);
	engines->timeout_wq = alloc_ordered_workqueue("neuron%d-tdr", 0, ndev->index);
	if (!engines->submit_wq || !engines->timeout_wq) {
		if (engines->submit_wq)
			destroy_workqueue(engines->submit_wq);
		if (engines->timeout_wq)
			destroy_workqueue(engines->timeout_wq);
		return -ENOMEM;
	}
	ret = drmm_add_action_or_reset(&ndev->drm, neuron_engines_fini, engines);
	if (ret)
		return ret;

	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		engs[nc] = V1_ENG_ID(nc, V1_H2T_ENGINE);
	ret = neuron_udma_engine_check(ndev, engs, V1_NC_PER_DEVICE);
	if (ret)
		return ret;

	/* Nothing else can reach the queues yet: the lock is for the rules. */
	mutex_lock(&engines->recovery_lock);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		neuron_udma_engine_init(ndev, engs[nc]);
		engines->eng[engs[nc]].ready = true;
		ret = neuron_hwq_setup(ndev, &engines->copyq[nc], nc, engs[nc], V1_H2T_QUEUE);
		if (ret)
			break;
	}
	mutex_unlock(&engines->recovery_lock);
	return ret;
}

/*
 * No job reaches the queue's ring any more, and nothing looks at it.
 * Returns whether the queue was running: only then may its hardware still
 * work on the ring.
 */
static bool neuron_hwq_halt(struct neuron_hwq *q)
{
	bool running = !neuron_hwq_is_stopped(q);

	drm_sched_wqueue_stop(&q->sched);
	WRITE_ONCE(q->stopped, true);
	if (q->irq)
		synchronize_irq(q->irq);
	hrtimer_cancel(&q->poll);
	hrtimer_cancel(&q->tail);
	spin_lock_irq(&q->lock);
	q->poll_armed = false;
	spin_unlock_irq(&q->lock);
	return running;
}

/*
 * Halt every queue of the device and stop the running ones in hardware,
 * then fail the jobs on their rings.  A failed job must not let a job
 * waiting for it start on a queue that is not halted yet, and its fence
 * must not signal while the engine may still write its buffers: the
 * client would reuse them, or, on removal, devres would free the rings
 * and BO pages under the DMA.  Caller holds recovery_lock and has found
 * @removed clear, or is remove(): either way the BARs are mapped, since
 * devres unmaps them only after remove(), which sets @removed under that
 * lock, returns.
 */
static void neuron_engines_stop(struct neuron_engines *engines, u32 nc_mask, int error)
{
	struct neuron_hwq *q;
	bool busy = false;
	int i;

	lockdep_assert_held(&engines->recovery_lock);
	for (i = 0; (q = neuron_hwq_next(engines, &i)); i++) {
		if (!(nc_mask & BIT(q->nc)) || !neuron_hwq_halt(q))
			continue;
		/* The queue reset recovery does: posted writes, no reads. */
		neuron_udma_queue_reset(q->ndev, q->eng, q->qid);
		busy = true;
	}
	/* Let writes already under way land (facts: wait 1 ms). */
	if (busy)
		usleep_range(1000, 2000);
	for (i = 0; (q = neuron_hwq_next(engines, &i)); i++) {
		if (!(nc_mask & BIT(q->nc)))
			continue;
		if (error)
			neuron_job_fail_all(q, error);
		else
			neuron_job_hold(q);
	}
}

/**
 * neuron_engines_quiesce() - stop every hardware queue for a device reset
 * @ndev: the device
 * @error: errno for every pending job (e.g. -EIO)
 *
 * Stops the schedulers (new jobs wait in their entities), resets the
 * queues in hardware, stops touching it and signals every job on a ring
 * with @error.  Queues created until neuron_engines_resume(), which starts
 * everything again when the device is back, start stopped.  Nothing to do
 * once the device is removed.
 */
void neuron_engines_quiesce(struct neuron_device *ndev, int error)
{
	struct neuron_engines *engines = ndev->engines;
	struct neuron_hwq *q;
	int i;

	if (!engines)
		return;
	mutex_lock(&engines->recovery_lock);
	/*
	 * Removal failed the jobs on the rings and restarted the schedulers
	 * so that the rest drain with -ENODEV: stopping them again would
	 * leave those jobs waiting for a resume that never comes.  Nor may
	 * the queue resets touch BARs that remove() lets devres unmap.
	 */
	if (engines->removed) {
		mutex_unlock(&engines->recovery_lock);
		return;
	}
	engines->quiesced = NEURON_ALL_CORES;
	for (i = 0; i < V1_DMA_ENG_PER_DEVICE; i++)
		engines->eng[i].recovering = false;
	neuron_engines_stop(engines, NEURON_ALL_CORES, error);
	mutex_unlock(&engines->recovery_lock);
	for (i = 0; (q = neuron_hwq_next(engines, &i)); i++)
		cancel_delayed_work_sync(&q->abort_check);
}

/**
 * neuron_engines_quiesce_cores() - stop the queues of some NeuronCores for
 *	a NeuronCore reset
 * @ndev: the device
 * @nc_mask: the NeuronCores (bit n = NeuronCore n)
 *
 * As neuron_engines_quiesce() for the three engines of each core, but the
 * jobs on their rings are held, not failed: neuron_engines_resume_cores()
 * decides their fate once the cores are back.  Nothing to do once the
 * device is removed, or while a device reset has stopped everything.
 */
void neuron_engines_quiesce_cores(struct neuron_device *ndev, u32 nc_mask)
{
	struct neuron_engines *engines = ndev->engines;
	struct neuron_hwq *q;
	int i;

	mutex_lock(&engines->recovery_lock);
	if (engines->removed || engines->quiesced & nc_mask) {
		mutex_unlock(&engines->recovery_lock);
		return;
	}
	engines->quiesced |= nc_mask;
	for (i = 0; i < V1_DMA_ENG_PER_DEVICE; i++)
		if (nc_mask & BIT(i / V1_DMA_ENG_PER_NC))
			engines->eng[i].recovering = false;
	neuron_engines_stop(engines, nc_mask, 0);
	mutex_unlock(&engines->recovery_lock);
	for (i = 0; (q = neuron_hwq_next(engines, &i)); i++)
		if (nc_mask & BIT(q->nc))
			cancel_delayed_work_sync(&q->abort_check);
}

static int neuron_engines_restart(struct neuron_device *ndev, u32 nc_mask, int error)
{
	struct neuron_engines *engines = ndev->engines;
	struct neuron_hwq *q;
	int eng, i;

	mutex_lock(&engines->recovery_lock);
	if (engines->removed) {
		mutex_unlock(&engines->recovery_lock);
		return -ENODEV;
	}
	for (eng = 0; eng < V1_DMA_ENG_PER_DEVICE; eng++)
		if (engines->eng[eng].ready && nc_mask & BIT(eng / V1_DMA_ENG_PER_NC))
			neuron_udma_engine_init(ndev, eng);
	for (i = 0; (q = neuron_hwq_next(engines, &i)); i++) {
		if (!(nc_mask & BIT(q->nc)))
			continue;
		neuron_hwq_reinit(q);
		if (q->irq)
			neuron_udma_irq_enable(ndev, q->eng, BIT(q->qid));
		WRITE_ONCE(q->stopped, false);
		neuron_job_unhold(q, error);
		drm_sched_wqueue_start(&q->sched);
	}
	engines->quiesced &= ~nc_mask;
	mutex_unlock(&engines->recovery_lock);
	return 0;
}

/**
 * neuron_engines_resume() - re-initialise the engines after a reset
 * @ndev: the device
 *
 * Programs the engines and queues again (the reset cleared them), those
 * created during the reset included, and restarts the schedulers; waiting
 * jobs then run.  After removal the queues stay as removal left them
 * (their schedulers fail every job with -ENODEV).
 *
 * Return: 0, or -ENODEV if the device is gone.
 */
int neuron_engines_resume(struct neuron_device *ndev)
{
	if (!ndev->engines)
		return 0;
	return neuron_engines_restart(ndev, NEURON_ALL_CORES, 0);
}

/**
 * neuron_engines_resume_cores() - bring the queues of some NeuronCores back
 *	after a NeuronCore reset
 * @ndev: the device
 * @nc_mask: the NeuronCores (bit n = NeuronCore n)
 * @error: errno for the held jobs that reach into a reset core (its
 *	window or FIFO): their work there is gone
 *
 * Programs the cores' engines and queues again and puts the other held
 * jobs (plain DMA between BOs, whoever's they are) on the rings again,
 * from their first descriptor, then restarts the schedulers.
 *
 * Return: 0, or -ENODEV if the device is gone.
 */
int neuron_engines_resume_cores(struct neuron_device *ndev, u32 nc_mask, int error)
{
	return neuron_engines_restart(ndev, nc_mask, error);
}

/**
 * neuron_engines_remove() - the device is going away
 * @ndev: the device
 *
 * The queues are reset in hardware, then every job on a ring is signalled
 * with -ENODEV; later jobs fail with -ENODEV without touching the hardware.
 * Called from remove(), while the BARs are still mapped.  The schedulers
 * stay until the DRM device is released (clients may still hold entities).
 */
void neuron_engines_remove(struct neuron_device *ndev)
{
	struct neuron_engines *engines = ndev->engines;
	struct neuron_hwq *q;
	int i;

	if (!engines)
		return;
	mutex_lock(&engines->recovery_lock);
	engines->removed = true;
	for (i = 0; i < V1_DMA_ENG_PER_DEVICE; i++)
		engines->eng[i].recovering = false;
	neuron_engines_stop(engines, NEURON_ALL_CORES, -ENODEV);
	/* Let queued jobs drain: run_job fails them with -ENODEV. */
	for (i = 0; (q = neuron_hwq_next(engines, &i)); i++)
		drm_sched_wqueue_start(&q->sched);
	mutex_unlock(&engines->recovery_lock);
	for (i = 0; (q = neuron_hwq_next(engines, &i)); i++)
		cancel_delayed_work_sync(&q->abort_check);
}

/**
 * neuron_engines_show() - debugfs: state of every hardware queue
 * @ndev: the device
 * @m: output
 */
void neuron_engines_show(struct neuron_device *ndev, struct seq_file *m)
{
	struct neuron_hwq *q;
	int i;

	for (i = 0; (q = neuron_hwq_next(ndev->engines, &i)); i++) {
		unsigned long flags;
		u64 last, record;
		u32 m2s, s2m;
		unsigned int n;

		spin_lock_irqsave(&q->lock, flags);
		last = q->completed;
		n = q->in_flight;
		m2s = q->m2s.next;
		s2m = q->s2m.next;
		/* The record's memory goes with the PCI device. */
		record = ndev->engines->removed ? 0 : READ_ONCE(*q->record);
		spin_unlock_irqrestore(&q->lock, flags);
		seq_printf(m, "%s: nc %d engine %d queue %d %s %s\n", q->name, q->nc,
			   q->eng, q->qid, q->client ? "client" : "copy",
			   q->irq ? "msix" : "poll");
		seq_printf(m, "  tail_m2s: %u\n  tail_s2m: %u\n", m2s, s2m);
		seq_printf(m, "  last_submitted: %llu\n", q->next_seqno);
		seq_printf(m, "  last_completed: %llu\n  record: %llu\n", last, record);
		seq_printf(m, "  in_flight: %u\n  jobs: %llu\n", n, q->stats.jobs);
		seq_printf(m, "  irqs: %llu\n  backstop: %llu\n", q->stats.irqs,
			   q->stats.backstop);
		seq_printf(m, "  timeouts: %llu\n  slow: %llu\n", q->stats.timeouts,
			   q->stats.slow);
		seq_printf(m, "  aborts: %llu\n  resets: %llu\n  probes: %llu\n",
			   q->stats.aborts, q->stats.resets, q->stats.probes);
		seq_printf(m, "  replays: %llu\n", q->stats.replays);
		seq_printf(m, "  stopped: %d\n", READ_ONCE(q->stopped));
	}
	/* Per engine in use: what its abort recoveries concluded. */
	for (i = 0; i < V1_DMA_ENG_PER_DEVICE; i++) {
		const struct neuron_engine *e = &ndev->engines->eng[i];

		if (!READ_ONCE(e->ready))
			continue;
		seq_printf(m, "engine %d: nc %d\n", i, i / V1_DMA_ENG_PER_NC);
		seq_printf(m, "  recoveries: %llu\n  blamed: %llu\n", e->stats.recoveries,
			   e->stats.blamed);
		seq_printf(m, "  unattributed: %llu\n  undecided: %llu\n",
			   e->stats.unattributed, e->stats.undecided);
		seq_printf(m, "  recovering: %d\n", READ_ONCE(e->recovering));
	}
}
