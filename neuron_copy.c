// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver's copy queues: one per NeuronCore (engine nc * 3 + 2, queue
 * 15, as the legacy H2T path), rings in host memory, one drm_sched
 * scheduler each whose credits are ring descriptors, so that jobs
 * pipeline up to the ring's capacity.
 *
 * Completion: every job ends with a marker, an 8-byte copy of the job's
 * sequence number into the queue's completion record in host memory, whose
 * S2M descriptor raises the engine's interrupt.  The handler (or, without
 * MSI-X, an adaptive poll) reads the record and signals every job up to
 * it, in order: no register is read on the way.  Engine errors abort the
 * engine and fire the same vector; an interrupt that brings no progress
 * while jobs are outstanding schedules a deferred check, which reads the
 * engine state through FWIO (error path only) and recovers the queue.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/wait_bit.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "neuron_compat.h"
#include "neuron_copy.h"
#include "neuron_drv.h"
#include "neuron_exec.h"
#include "neuron_job.h"
#include "neuron_nq.h"
#include "v1/msix.h"
#include "v1/udma_regs.h"

#define NEURON_COPYQ_SLOTS		(NEURON_COPYQ_RING_SIZE / 2)
#define NEURON_COPYQ_TIMEOUT_MS		5000
#define NEURON_POLL_MIN_NS		(5 * NSEC_PER_USEC)
#define NEURON_POLL_MAX_NS		NSEC_PER_MSEC
#define NEURON_BACKSTOP_NS		(10 * NSEC_PER_MSEC)
#define NEURON_ABORT_CHECK_MS		2
#define NEURON_FILL_SIZE		UDMA_DESC_MAX_LEN

/*
 * With MSI-X the timer is only a backstop against a lost interrupt: a slow
 * look at the completion record while jobs are in flight.
 */
static u32 neuron_copyq_poll_start(struct neuron_copyq *q)
{
	return q->irq ? NEURON_BACKSTOP_NS : NEURON_POLL_MIN_NS;
}

static bool neuron_copyq_is_stopped(struct neuron_copyq *q)
{
	return READ_ONCE(q->stopped);
}

/**
 * neuron_copy_fill_source() - a 64 KiB host buffer full of @value
 * @ndev: the device
 * @value: the byte
 * @dma: its bus address
 *
 * Allocated on first use and kept until the device goes (at most 256 of
 * them), so that fills need no per-job buffer.
 *
 * Return: 0 or -ENOMEM.
 */
int neuron_copy_fill_source(struct neuron_device *ndev, u8 value,
			    dma_addr_t *dma)
{
	struct neuron_copy *copy = ndev->copy;
	int ret = 0;

	mutex_lock(&copy->fill_lock);
	if (!copy->fill[value]) {
		copy->fill[value] = dmam_alloc_coherent(&ndev->pdev->dev,
							NEURON_FILL_SIZE,
							&copy->fill_dma[value],
							GFP_KERNEL);
		if (copy->fill[value])
			memset(copy->fill[value], value, NEURON_FILL_SIZE);
		else
			ret = -ENOMEM;
	}
	*dma = copy->fill_dma[value];
	mutex_unlock(&copy->fill_lock);
	return ret;
}

static const char *neuron_hw_fence_driver_name(struct dma_fence *f)
{
	return NEURON_DRIVER_NAME;
}

static const char *neuron_hw_fence_timeline_name(struct dma_fence *f)
{
	return "copy";
}

const struct dma_fence_ops neuron_hw_fence_ops = {
	.get_driver_name = neuron_hw_fence_driver_name,
	.get_timeline_name = neuron_hw_fence_timeline_name,
};

/*
 * The job's share of the queue's time: from when it reached the ring, or
 * when the job before it ended, to now.
 */
static void neuron_copyq_account(struct neuron_copyq *q, struct neuron_job *job)
{
	u64 now = ktime_get_ns();

	lockdep_assert_held(&q->lock);

	if (job->busy)
		atomic64_add(now - max(job->start, q->last_end), &job->busy->ns[q->nc]);
	q->last_end = now;
}

/* Signal every job the completion record covers. */
static bool neuron_copyq_signal_locked(struct neuron_copyq *q)
{
	u64 done = READ_ONCE(*q->record);
	struct neuron_job *job, *tmp;
	bool progress = false;

	lockdep_assert_held(&q->lock);

	list_for_each_entry_safe(job, tmp, &q->inflight, link) {
		struct dma_fence *f = &job->hwf->base;

		if (job->seqno > done)
			break;
		/*
		 * The NeuronCore reported an error since the last job that fed
		 * its FIFO completed: blame the first such job to complete
		 * after it (the model writes the ERROR entry before the job's
		 * marker).  Jobs that never reach the NeuronCore (plain DMA)
		 * neither take the blame nor consume it.
		 */
		if (q->client && !progress && job->prog && job->prog->nc_fifo &&
		    neuron_nq_error_seen(q->ndev, q->nc)) {
			dma_fence_set_error(f, -EIO);
			neuron_job_mark_guilty(job);
		}
		/* Replayed as its marker only (neuron_copyq_replay()). */
		if (job->error) {
			neuron_job_failed(job, job->error);
			dma_fence_set_error(f, job->error);
		}
		list_del_init(&job->link);
		q->completed = job->seqno;
		q->in_flight--;
		q->stats.jobs++;
		progress = true;
		neuron_copyq_account(q, job);
		dma_fence_signal(f);
	}
	return progress;
}

static bool neuron_copyq_process(struct neuron_copyq *q)
{
	unsigned long flags;
	bool progress;

	spin_lock_irqsave(&q->lock, flags);
	progress = neuron_copyq_signal_locked(q);
	spin_unlock_irqrestore(&q->lock, flags);
	return progress;
}

/* Fail every job on the ring, in order.  The ring must be idle. */
static void neuron_copyq_fail_all(struct neuron_copyq *q, int error)
{
	struct neuron_job *job, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	neuron_copyq_signal_locked(q);
	list_for_each_entry_safe(job, tmp, &q->inflight, link) {
		list_del_init(&job->link);
		q->completed = job->seqno;
		q->in_flight--;
		neuron_job_failed(job, error);
		dma_fence_set_error(&job->hwf->base, error);
		dma_fence_signal(&job->hwf->base);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}

static irqreturn_t neuron_copyq_irq(int irq, void *data)
{
	struct neuron_copyq *q = data;
	unsigned long flags;
	unsigned int pending;

	q->stats.irqs++;
	if (neuron_copyq_process(q))
		return IRQ_HANDLED;
	/*
	 * No progress: a completion another interrupt already handled, or an
	 * engine abort.  Look again later, when a working engine would have
	 * moved; only then read the engine state.
	 */
	spin_lock_irqsave(&q->lock, flags);
	pending = q->in_flight;
	spin_unlock_irqrestore(&q->lock, flags);
	if (pending && !neuron_copyq_is_stopped(q))
		mod_delayed_work(q->ndev->copy->wq, &q->abort_check,
				 msecs_to_jiffies(NEURON_ABORT_CHECK_MS));
	return IRQ_HANDLED;
}

static enum hrtimer_restart neuron_copyq_poll(struct hrtimer *t)
{
	struct neuron_copyq *q = container_of(t, struct neuron_copyq, poll);
	unsigned long flags;
	bool progress, more;

	spin_lock_irqsave(&q->lock, flags);
	progress = neuron_copyq_signal_locked(q);
	more = q->in_flight && !q->stopped;
	q->poll_armed = more;
	spin_unlock_irqrestore(&q->lock, flags);
	if (progress) {
		q->stats.irqs += !q->irq;
		q->stats.backstop += !!q->irq;
	}
	if (!more)
		return HRTIMER_NORESTART;
	if (progress) {
		q->poll_ns = neuron_copyq_poll_start(q);
		q->poll_idle = 0;
	} else {
		if (!q->irq)
			q->poll_ns = min_t(u32, q->poll_ns * 2, NEURON_POLL_MAX_NS);
		/* Long silence with work outstanding: did the engine abort? */
		if (++q->poll_idle == (q->irq ? 2 : 16))
			mod_delayed_work(q->ndev->copy->wq, &q->abort_check, 0);
	}
	hrtimer_forward_now(t, ns_to_ktime(q->poll_ns));
	return HRTIMER_RESTART;
}

/**
 * neuron_copyq_queue_job() - put a job whose descriptors are written on
 * the in-flight list
 * @q: the queue
 * @job: the job, its sequence number and fence set
 */
void neuron_copyq_queue_job(struct neuron_copyq *q, struct neuron_job *job)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	list_add_tail(&job->link, &q->inflight);
	q->in_flight++;
	spin_unlock_irqrestore(&q->lock, flags);
}

/**
 * neuron_copyq_kick() - ring both doorbells once for a job
 * @q: the queue
 * @n_m2s: descriptors written on the transmit ring
 * @n_s2m: descriptors written on the receive ring
 *
 * S2M first, so the destination buffers are posted when the source side
 * starts (as the legacy driver).
 */
void neuron_copyq_kick(struct neuron_copyq *q, u32 n_m2s, u32 n_s2m)
{
	struct neuron_device *ndev = q->ndev;
	unsigned long flags;
	bool start;

	neuron_udma_doorbell(ndev, q->eng, q->qid, NEURON_UDMA_S2M, n_s2m);
	neuron_udma_doorbell(ndev, q->eng, q->qid, NEURON_UDMA_M2S, n_m2s);
	/*
	 * Decided under the lock the callback decides under: a callback that
	 * will restart the timer must not find it queued by us (it forwards
	 * it), while one that has decided to stop may be running still, and
	 * starting the timer again then is allowed.
	 */
	spin_lock_irqsave(&q->lock, flags);
	start = !q->poll_armed;
	q->poll_armed = true;
	spin_unlock_irqrestore(&q->lock, flags);
	if (start) {
		q->poll_ns = neuron_copyq_poll_start(q);
		q->poll_idle = 0;
		hrtimer_start(&q->poll, ns_to_ktime(q->poll_ns),
			      HRTIMER_MODE_REL);
	}
}

static struct dma_fence *neuron_copyq_run_job(struct drm_sched_job *sched_job)
{
	struct neuron_job *job = to_neuron_job(sched_job);
	struct neuron_copyq *q = job->q;
	u32 n_m2s;
	int err;

	if (neuron_copyq_is_stopped(q))
		err = q->ndev->copy->removed ? -ENODEV : -EIO;
	else
		err = neuron_job_check(job);
	if (err) {
		neuron_job_failed(job, err);
		return ERR_PTR(err);
	}

	job->seqno = ++q->next_seqno;
	dma_fence_init(&job->hwf->base, &neuron_hw_fence_ops, &job->hwf->lock,
		       q->fence_ctx, job->seqno);
	job->hwf_live = true;
	/* One reference for the scheduler, the job keeps its own. */
	dma_fence_get(&job->hwf->base);
	job->ring_start = q->m2s.next;
	job->start = ktime_get_ns();
	neuron_copyq_queue_job(q, job);
	n_m2s = neuron_job_emit(job);
	neuron_copyq_kick(q, n_m2s, job->n_s2m);
	return &job->hwf->base;
}

static void neuron_copyq_reinit_hw(struct neuron_copyq *q)
{
	struct neuron_device *ndev = q->ndev;

	lockdep_assert_held(&ndev->copy->recovery_lock);
	WRITE_ONCE(q->hw_gen, q->hw_gen + 1);
	neuron_udma_queue_init(ndev, q->eng, q->qid, &q->m2s, &q->s2m);
	neuron_udma_engine_normal(ndev, q->eng);
}

/*
 * After a queue reset: fail the job the queue was executing (the oldest)
 * with @error and put the jobs behind it, which never started (a queue
 * executes in order), on the fresh ring again, in order, so that other
 * clients' work is not lost to someone else's hang.  A job that must not
 * run any more (its queue object is guilty now: -ECANCELED; an earlier
 * part of its request failed; its BO went bad) is replayed as its
 * completion marker alone, so that fences still signal in order.  The
 * scheduler is stopped; the interrupt handler may run.
 */
static void neuron_copyq_replay(struct neuron_copyq *q, int error)
{
	struct neuron_job *job, *tmp;
	unsigned long flags;
	LIST_HEAD(replay);
	u32 n_m2s;
	int err;

	spin_lock_irqsave(&q->lock, flags);
	neuron_copyq_signal_locked(q);
	job = list_first_entry_or_null(&q->inflight, struct neuron_job, link);
	if (job) {
		list_del_init(&job->link);
		q->completed = job->seqno;
		q->in_flight--;
		neuron_job_failed(job, error);
		dma_fence_set_error(&job->hwf->base, error);
		dma_fence_signal(&job->hwf->base);
	}
	list_splice_init(&q->inflight, &replay);
	spin_unlock_irqrestore(&q->lock, flags);

	q->tdr_seqno = 0;
	list_for_each_entry_safe(job, tmp, &replay, link) {
		err = neuron_job_check(job);
		if (!err && job->qo && READ_ONCE(job->qo->guilty))
			err = -ECANCELED;
		spin_lock_irqsave(&q->lock, flags);
		list_move_tail(&job->link, &q->inflight);
		job->error = err;
		spin_unlock_irqrestore(&q->lock, flags);
		job->ring_start = q->m2s.next;
		if (err) {
			job->n_s2m = 0;
			n_m2s = neuron_job_emit_marker(job);
		} else {
			n_m2s = neuron_job_emit(job);
		}
		q->stats.replays++;
		neuron_copyq_kick(q, n_m2s, job->n_s2m);
	}
}

/*
 * Reset a queue whose engine aborted or hung: no new job reaches the ring
 * meanwhile; the job it was executing fails with @error and the jobs
 * behind it are replayed (neuron_copyq_replay()).
 */
static void neuron_copyq_recover(struct neuron_copyq *q, int error)
{
	lockdep_assert_held(&q->ndev->copy->recovery_lock);
	drm_sched_wqueue_stop(&q->sched);
	if (!neuron_copyq_is_stopped(q)) {
		neuron_copyq_reinit_hw(q);
		neuron_copyq_replay(q, error);
	}
	drm_sched_wqueue_start(&q->sched);
}

/* An engine abort is blamed on the job the queue was executing. */
static void neuron_copyq_mark_oldest_guilty(struct neuron_copyq *q)
{
	struct neuron_job *job;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	job = list_first_entry_or_null(&q->inflight, struct neuron_job, link);
	if (job)
		neuron_job_mark_guilty(job);
	spin_unlock_irqrestore(&q->lock, flags);
}

static void neuron_copyq_abort_check(struct work_struct *work)
{
	struct neuron_copyq *q = container_of(to_delayed_work(work),
					      struct neuron_copyq, abort_check);
	struct neuron_copy *copy = q->ndev->copy;
	bool aborted = false;
	u32 head, gen;

	if (neuron_copyq_process(q))
		return;
	/*
	 * The firmware read takes the reset lock: not under recovery_lock,
	 * which a reset's resume takes under the reset lock.  A queue
	 * reinitialised meanwhile (@hw_gen) makes the reading stale.
	 */
	gen = READ_ONCE(q->hw_gen);
	if (READ_ONCE(q->stopped) ||
	    neuron_udma_read_state(q->ndev, q->eng, q->qid, &aborted, &head) || !aborted)
		return;
	mutex_lock(&copy->recovery_lock);
	if (q->hw_gen == gen && !neuron_copyq_is_stopped(q) && q->in_flight &&
	    !neuron_copyq_process(q)) {
		drm_warn(&q->ndev->drm, "queue %d.%d of NC %d: engine abort\n",
			 q->eng, q->qid, q->nc);
		q->stats.aborts++;
		neuron_copyq_mark_oldest_guilty(q);
		neuron_copyq_recover(q, -EIO);
	}
	mutex_unlock(&copy->recovery_lock);
}

/*
 * No job of @q finished for a whole timeout.  Not hung if the hardware is
 * inside @job (its M2S head left the job's first descriptor) or moved since
 * the previous timeout of the same job: a long job on a slow engine.
 * @head is what the engine reported, or @read_ret its error.
 */
static bool neuron_copyq_moving(struct neuron_copyq *q, struct neuron_job *job,
				int read_ret, bool aborted, u32 head)
{
	bool moved;

	lockdep_assert_held(&q->ndev->copy->recovery_lock);
	if (read_ret || aborted)
		return false;
	head &= UDMA_Q_PTR_MASK;
	if (q->tdr_seqno != job->seqno) {
		q->tdr_seqno = job->seqno;
		moved = head != job->ring_start;
	} else {
		moved = head != q->tdr_head;
	}
	q->tdr_head = head;
	return moved;
}

static enum drm_gpu_sched_stat
neuron_copyq_timedout_job(struct drm_sched_job *sched_job)
{
	struct neuron_job *job = to_neuron_job(sched_job);
	struct neuron_copyq *q = job->q;
	struct neuron_copy *copy = q->ndev->copy;
	bool aborted = false;
	u32 head = 0, gen;
	int read_ret = -ENODEV;

	/* The engine's state first, outside recovery_lock (see abort_check). */
	gen = READ_ONCE(q->hw_gen);
	if (!READ_ONCE(q->stopped))
		read_ret = neuron_udma_read_state(q->ndev, q->eng, q->qid, &aborted, &head);
	mutex_lock(&copy->recovery_lock);
	if (neuron_copyq_is_stopped(q))
		goto out;
	neuron_copyq_process(q);
	if (dma_fence_is_signaled(&job->hwf->base))
		goto out;
	/* Reinitialised since the reading: judge at the next timeout. */
	if (q->hw_gen != gen)
		goto out;
	if (neuron_copyq_moving(q, job, read_ret, aborted, head)) {
		q->stats.slow++;
		goto out;
	}
	drm_warn(&q->ndev->drm, "queue %d.%d of NC %d: job %llu %s\n", q->eng,
		 q->qid, q->nc, job->seqno, aborted ? "aborted" : "timed out");
	if (aborted)
		q->stats.aborts++;
	else
		q->stats.timeouts++;
	neuron_job_mark_guilty(job);
	neuron_copyq_recover(q, aborted ? -EIO : -ETIMEDOUT);
out:
	mutex_unlock(&copy->recovery_lock);
	/* The job's fence is signalled or will be: give it back. */
	return neuron_sched_no_hang(sched_job);
}

static void neuron_copyq_free_job(struct drm_sched_job *sched_job)
{
	neuron_job_free(to_neuron_job(sched_job));
}

#ifdef NEURON_HAVE_DRM_SCHED_CANCEL_JOB
static void neuron_copyq_cancel_job(struct drm_sched_job *sched_job)
{
	struct neuron_job *job = to_neuron_job(sched_job);
	struct neuron_copyq *q = job->q;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (!list_empty(&job->link)) {
		list_del_init(&job->link);
		q->in_flight--;
		neuron_job_failed(job, -ECANCELED);
		dma_fence_set_error(&job->hwf->base, -ECANCELED);
		dma_fence_signal(&job->hwf->base);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}
#endif

static const struct drm_sched_backend_ops neuron_copyq_ops = {
	.run_job = neuron_copyq_run_job,
	.timedout_job = neuron_copyq_timedout_job,
	.free_job = neuron_copyq_free_job,
#ifdef NEURON_HAVE_DRM_SCHED_CANCEL_JOB
	.cancel_job = neuron_copyq_cancel_job,
#endif
};

static int neuron_copyq_alloc(struct neuron_device *ndev, struct neuron_copyq *q)
{
	struct device *dev = &ndev->pdev->dev;
	size_t ring_bytes = NEURON_COPYQ_RING_SIZE * UDMA_DESC_SIZE;

	q->m2s.desc = dmam_alloc_coherent(dev, ring_bytes, &q->m2s.dma, GFP_KERNEL);
	q->s2m.desc = dmam_alloc_coherent(dev, ring_bytes, &q->s2m.dma, GFP_KERNEL);
	q->slots = dmam_alloc_coherent(dev, NEURON_COPYQ_SLOTS * sizeof(u64),
				       &q->slots_dma, GFP_KERNEL);
	q->record = dmam_alloc_coherent(dev, 64, &q->record_dma, GFP_KERNEL);
	if (!q->m2s.desc || !q->s2m.desc || !q->slots || !q->record)
		return -ENOMEM;
	q->m2s.size = NEURON_COPYQ_RING_SIZE;
	q->s2m.size = NEURON_COPYQ_RING_SIZE;
	return 0;
}

static void neuron_copy_sched_fini(struct drm_device *drm, void *data)
{
	struct neuron_copy *copy = data;
	struct neuron_copyq *q, *tmp;

	list_for_each_entry(q, &copy->hwqs, node) {
		if (q->sched.ops) {
			hrtimer_cancel(&q->poll);
			cancel_delayed_work_sync(&q->abort_check);
			drm_sched_fini(&q->sched);
			neuron_sched_free_leftovers(&q->sched);
		}
	}
	/*
	 * Jobs a killed entity still holds (waiting for a foreign fence) are
	 * freed through their scheduler's ops: keep the schedulers, and the
	 * device state the jobs reference, until the last one is gone.
	 */
	wait_var_event(&copy->jobs, !atomic_read(&copy->jobs));
	list_for_each_entry_safe(q, tmp, &copy->hwqs, node) {
		/* Clients' queues: kzalloc'ed by neuron_hwq_get(). */
		if (q < copy->q || q >= copy->q + V1_NC_PER_DEVICE)
			kfree(q);
	}
	destroy_workqueue(copy->wq);
}

static int neuron_copyq_sched_init(struct neuron_device *ndev,
				   struct neuron_copyq *q)
{
	struct drm_sched_init_args args = {
		.ops = &neuron_copyq_ops,
		.timeout_wq = ndev->copy->wq,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		/* The hardware keeps 16 descriptors of slack; +1 marker. */
		.credit_limit = NEURON_COPYQ_RING_SIZE - UDMA_Q_RING_SLACK,
		.timeout = msecs_to_jiffies(NEURON_COPYQ_TIMEOUT_MS),
		.name = q->name,
		.dev = ndev->drm.dev,
	};

	return drm_sched_init(&q->sched, &args);
}

static int neuron_copyq_setup_irq(struct neuron_device *ndev,
				  struct neuron_copyq *q)
{
	int irq, ret;

	if (ndev->msix_vectors < NEURON_MSIX_VECTORS)
		return 0;
	irq = pci_irq_vector(ndev->pdev, NEURON_MSIX_VEC_ENGINE(q->eng));
	if (irq < 0)
		return 0;
	/* Shared: every queue of an engine has its own handler on the vector. */
	ret = devm_request_threaded_irq(&ndev->pdev->dev, irq, NULL,
					neuron_copyq_irq, IRQF_ONESHOT | IRQF_SHARED,
					q->name, q);
	if (ret)
		return ret;
	q->irq = irq;
	return 0;
}

#define NEURON_HWQ_SLOTS \
	(V1_NC_PER_DEVICE + V1_DMA_ENG_PER_DEVICE * V1_DMA_QUEUES_PER_ENG)

/*
 * Slot @i of the device's hardware queues: the copy queues, then the
 * clients' queues that exist.  A client queue is published once fully set
 * up and never goes away before the device, so walking the slots needs no
 * lock (unlike &neuron_copy.hwqs, which the release path walks).
 */
static struct neuron_copyq *neuron_hwq_at(struct neuron_copy *copy, int i)
{
	if (i < V1_NC_PER_DEVICE)
		return &copy->q[i];
	i -= V1_NC_PER_DEVICE;
	/* Pairs with the release in neuron_hwq_get(). */
	return smp_load_acquire(&copy->xq[i / V1_DMA_QUEUES_PER_ENG]
					 [i % V1_DMA_QUEUES_PER_ENG]);
}

/* The first queue at slot @i or after, @i moved to it; NULL at the end. */
static struct neuron_copyq *neuron_hwq_next(struct neuron_copy *copy, int *i)
{
	struct neuron_copyq *q;

	for (; *i < NEURON_HWQ_SLOTS; (*i)++) {
		q = neuron_hwq_at(copy, *i);
		if (q)
			return q;
	}
	return NULL;
}

/* Set up one hardware queue on an initialised engine. */
static int neuron_copyq_setup(struct neuron_device *ndev, struct neuron_copyq *q,
			      int nc, int eng, int qid)
{
	int ret;

	q->ndev = ndev;
	q->nc = nc;
	q->eng = eng;
	q->qid = qid;
	snprintf(q->name, sizeof(q->name), "neuron-q%d.%d", eng, qid);
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->inflight);
	INIT_DELAYED_WORK(&q->abort_check, neuron_copyq_abort_check);
	neuron_hrtimer_setup(&q->poll, neuron_copyq_poll);
	q->fence_ctx = dma_fence_context_alloc(1);
	INIT_LIST_HEAD(&q->node);
	ret = neuron_copyq_alloc(ndev, q);
	if (ret)
		return ret;
	ret = neuron_copyq_sched_init(ndev, q);
	if (ret)
		return ret;
	/* From here on the release path finishes the scheduler. */
	list_add_tail(&q->node, &ndev->copy->hwqs);
	ret = neuron_copyq_setup_irq(ndev, q);
	if (ret)
		return ret;
	/*
	 * A device reset is under way: the queue waits, stopped, until
	 * neuron_engines_resume() programs and starts it with the others.  A
	 * running queue could time out and hold recovery_lock while it waits
	 * for the reset lock, which the reset holds while it waits for
	 * recovery_lock in resume.  Not published yet: no job can be queued.
	 */
	if (ndev->copy->quiesced) {
		WRITE_ONCE(q->stopped, true);
		drm_sched_wqueue_stop(&q->sched);
		return 0;
	}
	neuron_copyq_reinit_hw(q);
	if (q->irq)
		neuron_udma_irq_enable(ndev, q->eng, BIT(q->qid));
	return 0;
}

/**
 * neuron_hwq_get() - the hardware queue for a client's queue object
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
 * engine is not a UDMA v4, -ENOMEM).
 */
struct neuron_copyq *neuron_hwq_get(struct neuron_device *ndev, int nc,
				    int eng, int qid)
{
	struct neuron_copy *copy = ndev->copy;
	struct neuron_copyq *q;
	int ret;

	q = neuron_hwq_at(copy, V1_NC_PER_DEVICE + eng * V1_DMA_QUEUES_PER_ENG + qid);
	if (q)
		return q;
	/*
	 * The DMA version check reads through the firmware (it may wait for
	 * a reset or time out): not under recovery_lock, which the timeout
	 * and abort handling of every queue needs.  Checking twice is
	 * harmless.
	 */
	if (!READ_ONCE(copy->eng_ready[eng])) {
		ret = neuron_udma_engine_check(ndev, &eng, 1);
		if (ret)
			return ERR_PTR(ret);
	}
	mutex_lock(&copy->recovery_lock);
	q = copy->xq[eng][qid];
	if (q)
		goto out;
	q = ERR_PTR(-ENODEV);
	if (copy->removed)
		goto out;
	if (!copy->eng_ready[eng]) {
		/* The reset clears the engine: resume initialises it then. */
		if (!copy->quiesced)
			neuron_udma_engine_init(ndev, eng);
		WRITE_ONCE(copy->eng_ready[eng], true);
	}
	/*
	 * Not drmm: drmm would free it before neuron_copy_sched_fini() (an
	 * earlier action) finishes its scheduler; that function frees it.
	 */
	q = kzalloc_obj(*q, GFP_KERNEL);
	if (!q) {
		q = ERR_PTR(-ENOMEM);
		goto out;
	}
	q->client = true;
	ret = neuron_copyq_setup(ndev, q, nc, eng, qid);
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
	smp_store_release(&copy->xq[eng][qid], q);
out:
	mutex_unlock(&copy->recovery_lock);
	return q;
}

/**
 * neuron_copy_init() - set up the copy engines, queues and schedulers
 * @ndev: the device
 *
 * Return: 0 or a negative errno.
 */
int neuron_copy_init(struct neuron_device *ndev)
{
	int engs[V1_NC_PER_DEVICE];
	struct neuron_copy *copy;
	dma_addr_t dma;
	int nc, ret;

	copy = drmm_kzalloc(&ndev->drm, sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	ndev->copy = copy;
	ret = drmm_mutex_init(&ndev->drm, &copy->recovery_lock);
	if (ret)
		return ret;
	ret = drmm_mutex_init(&ndev->drm, &copy->fill_lock);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&copy->hwqs);
	copy->wq = alloc_ordered_workqueue("neuron-copy", 0);
	if (!copy->wq)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(&ndev->drm, neuron_copy_sched_fini, copy);
	if (ret)
		return ret;

	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		engs[nc] = V1_ENG_ID(nc, V1_H2T_ENGINE);
	ret = neuron_udma_engine_check(ndev, engs, V1_NC_PER_DEVICE);
	if (ret)
		return ret;

	/* Nothing else can reach the queues yet: the lock is for the rules. */
	mutex_lock(&copy->recovery_lock);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		neuron_udma_engine_init(ndev, engs[nc]);
		copy->eng_ready[engs[nc]] = true;
		ret = neuron_copyq_setup(ndev, &copy->q[nc], nc, engs[nc], V1_H2T_QUEUE);
		if (ret)
			break;
	}
	mutex_unlock(&copy->recovery_lock);
	if (ret)
		return ret;
	/* DRAM clearing needs the zero fill source. */
	return neuron_copy_fill_source(ndev, 0, &dma);
}

/*
 * No job reaches the queue's ring any more, and nothing looks at it.
 * Returns whether the queue was running: only then may its hardware still
 * work on the ring.
 */
static bool neuron_copyq_halt(struct neuron_copyq *q)
{
	bool running = !neuron_copyq_is_stopped(q);

	drm_sched_wqueue_stop(&q->sched);
	WRITE_ONCE(q->stopped, true);
	if (q->irq)
		synchronize_irq(q->irq);
	hrtimer_cancel(&q->poll);
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
static void neuron_engines_stop(struct neuron_copy *copy, int error)
{
	struct neuron_copyq *q;
	bool busy = false;
	int i;

	lockdep_assert_held(&copy->recovery_lock);
	for (i = 0; (q = neuron_hwq_next(copy, &i)); i++) {
		if (!neuron_copyq_halt(q))
			continue;
		/* The queue reset recovery does: posted writes, no reads. */
		neuron_udma_queue_reset(q->ndev, q->eng, q->qid);
		busy = true;
	}
	/* Let writes already under way land (facts: wait 1 ms). */
	if (busy)
		usleep_range(1000, 2000);
	for (i = 0; (q = neuron_hwq_next(copy, &i)); i++)
		neuron_copyq_fail_all(q, error);
}

/**
 * neuron_engines_quiesce() - stop every copy queue for a device reset
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
	struct neuron_copy *copy = ndev->copy;
	struct neuron_copyq *q;
	int i;

	if (!copy)
		return;
	mutex_lock(&copy->recovery_lock);
	/*
	 * Removal failed the jobs on the rings and restarted the schedulers
	 * so that the rest drain with -ENODEV: stopping them again would
	 * leave those jobs waiting for a resume that never comes.  Nor may
	 * the queue resets touch BARs that remove() lets devres unmap.
	 */
	if (copy->removed) {
		mutex_unlock(&copy->recovery_lock);
		return;
	}
	copy->quiesced = true;
	neuron_engines_stop(copy, error);
	mutex_unlock(&copy->recovery_lock);
	for (i = 0; (q = neuron_hwq_next(copy, &i)); i++)
		cancel_delayed_work_sync(&q->abort_check);
}

/**
 * neuron_engines_resume() - re-initialise the copy engines after a reset
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
	struct neuron_copy *copy = ndev->copy;
	struct neuron_copyq *q;
	int eng, i;

	if (!copy)
		return 0;
	mutex_lock(&copy->recovery_lock);
	if (copy->removed) {
		mutex_unlock(&copy->recovery_lock);
		return -ENODEV;
	}
	for (eng = 0; eng < V1_DMA_ENG_PER_DEVICE; eng++)
		if (copy->eng_ready[eng])
			neuron_udma_engine_init(ndev, eng);
	for (i = 0; (q = neuron_hwq_next(copy, &i)); i++) {
		neuron_copyq_reinit_hw(q);
		if (q->irq)
			neuron_udma_irq_enable(ndev, q->eng, BIT(q->qid));
		WRITE_ONCE(q->stopped, false);
		drm_sched_wqueue_start(&q->sched);
	}
	copy->quiesced = false;
	mutex_unlock(&copy->recovery_lock);
	return 0;
}

/**
 * neuron_copy_remove() - the device is going away
 * @ndev: the device
 *
 * The queues are reset in hardware, then every job on a ring is signalled
 * with -ENODEV; later jobs fail with -ENODEV without touching the hardware.
 * Called from remove(), while the BARs are still mapped.  The schedulers
 * stay until the DRM device is released (clients may still hold entities).
 */
void neuron_copy_remove(struct neuron_device *ndev)
{
	struct neuron_copy *copy = ndev->copy;
	struct neuron_copyq *q;
	int i;

	if (!copy)
		return;
	mutex_lock(&copy->recovery_lock);
	copy->removed = true;
	neuron_engines_stop(copy, -ENODEV);
	/* Let queued jobs drain: run_job fails them with -ENODEV. */
	for (i = 0; (q = neuron_hwq_next(copy, &i)); i++)
		drm_sched_wqueue_start(&q->sched);
	mutex_unlock(&copy->recovery_lock);
	for (i = 0; (q = neuron_hwq_next(copy, &i)); i++)
		cancel_delayed_work_sync(&q->abort_check);
}

/**
 * neuron_copy_open() - drm_driver.open: a client's entities
 * @drm: the device
 * @file: the new client
 *
 * Return: 0 or a negative errno.
 */
int neuron_copy_open(struct drm_device *drm, struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct neuron_file *nfile;
	int nc, ret;

	nfile = kzalloc_obj(*nfile, NEURON_GFP_CLIENT);
	if (!nfile)
		return -ENOMEM;
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		struct drm_gpu_scheduler *sched = &ndev->copy->q[nc].sched;

		ret = drm_sched_entity_init(&nfile->entity[nc],
					    DRM_SCHED_PRIORITY_NORMAL,
					    &sched, 1, NULL);
		if (ret)
			goto err;
	}
	nfile->busy = kzalloc_obj(*nfile->busy, NEURON_GFP_CLIENT);
	if (!nfile->busy) {
		ret = -ENOMEM;
		goto err;
	}
	kref_init(&nfile->busy->ref);
	neuron_exec_open(nfile);
	file->driver_priv = nfile;
	return 0;
err:
	while (nc--)
		drm_sched_entity_destroy(&nfile->entity[nc]);
	kfree(nfile);
	return ret;
}

/**
 * neuron_copy_postclose() - drm_driver.postclose: drop a client's entities
 * @drm: the device
 * @file: the client
 *
 * Waits (bounded by the scheduler) for the client's queued jobs; the BOs
 * they use stay alive until the jobs are freed.
 */
void neuron_copy_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	int nc;

	neuron_exec_postclose(nfile);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		drm_sched_entity_destroy(&nfile->entity[nc]);
	neuron_busy_put(nfile->busy);
	kfree(nfile);
}

static void neuron_busy_release(struct kref *ref)
{
	kfree(container_of(ref, struct neuron_busy, ref));
}

/**
 * neuron_busy_put() - drop a reference on a client's engine time
 * @busy: the counters, or NULL
 */
void neuron_busy_put(struct neuron_busy *busy)
{
	if (busy)
		kref_put(&busy->ref, neuron_busy_release);
}

/**
 * neuron_copy_show_fdinfo() - fdinfo: engine busy time per NeuronCore
 * @p: printer
 * @file: the client
 *
 * drm-engine-nc<N>: nanoseconds the client's jobs (copies, fills, clears
 * and submissions) occupied NeuronCore N's DMA queues, overlapping jobs of
 * one queue counted once (Documentation/gpu/drm-usage-stats.rst).
 */
void neuron_copy_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	int nc;

	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		drm_printf(p, "drm-engine-nc%d:\t%llu ns\n", nc,
			   (unsigned long long)atomic64_read(&nfile->busy->ns[nc]));
}

/**
 * neuron_copy_show() - debugfs: state of every copy queue
 * @ndev: the device
 * @m: output
 */
void neuron_copy_show(struct neuron_device *ndev, struct seq_file *m)
{
	struct neuron_copyq *q;
	int i;

	for (i = 0; (q = neuron_hwq_next(ndev->copy, &i)); i++) {
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
		record = ndev->copy->removed ? 0 : READ_ONCE(*q->record);
		spin_unlock_irqrestore(&q->lock, flags);
		seq_printf(m, "%s: nc %d engine %d queue %d %s %s\n", q->name, q->nc,
			   q->eng, q->qid, i < V1_NC_PER_DEVICE ? "copy" : "client",
			   q->irq ? "msix" : "poll");
		seq_printf(m, "  tail_m2s: %u\n  tail_s2m: %u\n", m2s, s2m);
		seq_printf(m, "  last_submitted: %llu\n", q->next_seqno);
		seq_printf(m, "  last_completed: %llu\n  record: %llu\n", last, record);
		seq_printf(m, "  in_flight: %u\n  jobs: %llu\n", n, q->stats.jobs);
		seq_printf(m, "  irqs: %llu\n  backstop: %llu\n", q->stats.irqs,
			   q->stats.backstop);
		seq_printf(m, "  timeouts: %llu\n  slow: %llu\n", q->stats.timeouts,
			   q->stats.slow);
		seq_printf(m, "  aborts: %llu\n  replays: %llu\n", q->stats.aborts,
			   q->stats.replays);
		seq_printf(m, "  stopped: %d\n", READ_ONCE(q->stopped));
	}
}
