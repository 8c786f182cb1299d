// SPDX-License-Identifier: GPL-2.0-only
/*
 * Jobs, from the push to the fence.
 *
 * Every request (COPY, FILL, the clearing of new device DRAM, SUBMIT) is a
 * program of hardware descriptors built at ioctl time (neuron_prog.c) and
 * pushed here on a scheduler entity (&struct neuron_queue) of a hardware
 * queue (neuron_hwq.c).  The functions below follow a job's life:
 *
 *   neuron_job_push()		the program's jobs (a long copy is several),
 *				in-syncs, reservations, arm, fences, push,
 *				out-syncs: the same for every request
 *   neuron_job_run()		drm_sched run_job: may it still run?  Its
 *				hardware fence, its descriptors and the
 *				completion marker on the rings, the doorbells
 *   neuron_job_irq()		the engine's interrupt (neuron_job_poll()
 *				without MSI-X, neuron_job_tail() for jobs no
 *				interrupt announces):
 *   neuron_job_signal_locked()	signal every job the completion record covers
 *   neuron_job_abort_check()	an interrupt without progress: engine abort?
 *   neuron_job_timedout()	drm_sched timeout: hung, or only slow?
 *   neuron_job_recover()	a hang: reset the queue, fail the guilty job,
 *				replay the others
 *   neuron_job_engine_recover() an abort: reset every queue of the engine,
 *				find the guilty queue (neuron_job_find_guilty(),
 *				neuron_job_probe() when several had jobs), fail
 *				its job, replay every other
 *   neuron_job_free()		drm_sched free_job
 *
 * Completion: a job's marker is an 8-byte copy of its sequence number into
 * the queue's completion record in host memory, behind a DMB.  The handler
 * reads the record and signals every job up to it, in order: no register
 * is read on the way.  Not every marker raises the interrupt: while many
 * jobs stream, one does for every half of what is on the ring, so that the
 * ring never runs dry while completions wait for it, and a timer picks up
 * the jobs behind the last one that does.  Engine errors abort the engine
 * and fire the same vector; an interrupt that brings no progress while
 * jobs are outstanding schedules a deferred check, which reads the engine
 * state through FWIO (error path only) and recovers the engine: an abort
 * stops all of its 16 queues, and only the queue whose job aborted it is
 * blamed.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/delay.h>
#include <linux/dma-resv.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/wait_bit.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "neuron_compat.h"
#include "neuron_drv.h"
#include "neuron_gem.h"
#include "neuron_hw.h"
#include "neuron_hwq.h"
#include "neuron_job.h"
#include "neuron_nq.h"
#include "neuron_peer.h"
#include "neuron_prog.h"
#include "neuron_sync.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/udma_regs.h"

#define NEURON_JOB_SLOTS		(NEURON_HWQ_RING_SIZE / 2)
#define NEURON_POLL_MIN_NS		(5 * NSEC_PER_USEC)
#define NEURON_POLL_MAX_NS		NSEC_PER_MSEC
#define NEURON_TAIL_MIN_NS		(20 * NSEC_PER_USEC)
#define NEURON_BACKSTOP_NS		(10 * NSEC_PER_MSEC)
#define NEURON_ABORT_CHECK_MS		2
/* How long an engine recovery waits for one queue's job alone on the engine. */
#define NEURON_PROBE_MS			2000

/* Most BOs one program names, and its reservations: the uapi's limit. */
#define NEURON_JOB_MAX_RESV		DRM_NEURON_SUBMIT_MAX_BOS

static const char *neuron_hw_fence_driver_name(struct dma_fence *f)
{
	return NEURON_DRIVER_NAME;
}

static const char *neuron_hw_fence_timeline_name(struct dma_fence *f)
{
	return "hwq";
}

static const struct dma_fence_ops neuron_hw_fence_ops = {
	.get_driver_name = neuron_hw_fence_driver_name,
	.get_timeline_name = neuron_hw_fence_timeline_name,
};

static void neuron_req_put(struct neuron_req *req)
{
	if (req && refcount_dec_and_test(&req->ref))
		kfree(req);
}

/**
 * neuron_job_free() - free a job: drm_sched free_job, or one never armed
 * @job: the job
 */
static void neuron_job_free(struct neuron_job *job)
{
	struct neuron_engines *engines = job->hwq->ndev->engines;

	drm_sched_job_cleanup(&job->base);
	if (job->hwf_live)
		dma_fence_put(&job->hwf->base);
	else
		kfree(job->hwf);
	neuron_prog_put(job->prog);
	neuron_req_put(job->req);
	neuron_queue_put(job->queue);
	neuron_busy_put(job->busy);
	kfree(job);
	/* Last: the device's release may be waiting for this (see jobs). */
	if (atomic_dec_and_test(&engines->jobs))
		wake_up_var(&engines->jobs);
}

/* A job running descriptors [m2s, m2s + n_m2s) and [s2m, ...) of the program. */
static struct neuron_job *neuron_job_alloc(struct neuron_push *p, struct neuron_req *req,
					   u32 m2s, u32 n_m2s, u32 s2m, u32 n_s2m)
{
	struct neuron_queue *queue = p->queue;
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
	/* Credits: the longer direction, plus the completion marker. */
	ret = drm_sched_job_init(&job->base, &queue->entity, max(n_m2s, n_s2m) + 1,
				 p->file, p->file->client_id);
	if (ret) {
		kfree(job->hwf);
		kfree(job);
		return ERR_PTR(ret);
	}
	spin_lock_init(&job->hwf->lock);
	INIT_LIST_HEAD(&job->link);
	kref_get(&queue->ref);
	job->queue = queue;
	job->hwq = queue->hwq;
	kref_get(&p->prog->ref);
	job->prog = p->prog;
	job->m2s_first = m2s;
	job->n_m2s = n_m2s;
	job->s2m_first = s2m;
	job->n_s2m = n_s2m;
	refcount_inc(&req->ref);
	job->req = req;
	job->clear = p->clear;
	job->busy = neuron_busy_get(p->file);
	atomic_inc(&job->hwq->ndev->engines->jobs);
	return job;
}

/*
 * The jobs of a push: one for a client's program; a copy's (one piece per
 * descriptor pair) cut into parts of NEURON_PROG_PART_PIECES, pushed in
 * order on the same entity, so that they run in order.
 */
static int neuron_job_split(struct neuron_push *p, struct neuron_job ***out)
{
	struct neuron_prog *prog = p->prog;
	u32 njobs = 1, part, i;
	struct neuron_job **jobs;
	struct neuron_req *req;
	int ret = 0;

	if (prog->pieces && prog->n_m2s > NEURON_PROG_PART_PIECES)
		njobs = DIV_ROUND_UP(prog->n_m2s, NEURON_PROG_PART_PIECES);
	req = kzalloc_obj(*req, NEURON_GFP_CLIENT);
	jobs = kvcalloc(njobs, sizeof(*jobs), NEURON_GFP_CLIENT);
	if (!req || !jobs) {
		kfree(req);
		kvfree(jobs);
		return -ENOMEM;
	}
	refcount_set(&req->ref, 1);
	for (i = 0; i < njobs; i++) {
		u32 first = i * NEURON_PROG_PART_PIECES;

		if (njobs == 1) {
			jobs[i] = neuron_job_alloc(p, req, 0, prog->n_m2s, 0, prog->n_s2m);
		} else {
			part = min(NEURON_PROG_PART_PIECES, prog->n_m2s - first);
			jobs[i] = neuron_job_alloc(p, req, first, part, first, part);
		}
		if (IS_ERR(jobs[i])) {
			ret = PTR_ERR(jobs[i]);
			break;
		}
	}
	neuron_req_put(req);
	if (ret) {
		while (i--)
			neuron_job_free(jobs[i]);
		kvfree(jobs);
		return ret;
	}
	*out = jobs;
	return njobs;
}

/* Lock the reservations of the program's BOs and make room for a fence. */
static int neuron_job_lock_resv(struct neuron_prog *prog, struct ww_acquire_ctx *ctx)
{
	u32 i;
	int ret;

	ret = drm_gem_lock_reservations(prog->bos, prog->nresv, ctx);
	if (ret)
		return ret;
	for (i = 0; i < prog->nresv; i++) {
		ret = dma_resv_reserve_fences(prog->bos[i]->resv, 1);
		if (ret) {
			drm_gem_unlock_reservations(prog->bos, prog->nresv, ctx);
			return ret;
		}
	}
	return 0;
}

/**
 * neuron_job_push() - push a request: the one way onto the hardware
 * @p: the request
 *
 * The first job waits for the in-syncs and for the BOs' implicit fences
 * (writers wait for everyone, readers for writers); every job is armed
 * and pushed under the queue's lock, so that fence order is run order;
 * the last job's finished fence goes into the BOs' reservations, the
 * out-syncobj and the sync_file.  A failure of any job fails the later
 * ones (&struct neuron_req).
 *
 * Return: 0, or a negative errno and nothing was pushed; -ENOMEM with
 * *@p->out_fence_fd = -1 when only the sync_file could not be made (the
 * jobs run).
 */
int neuron_job_push(struct neuron_push *p)
{
	struct neuron_queue *queue = p->queue;
	struct neuron_prog *prog = p->prog;
	struct sync_file *sync_file = NULL;
	struct neuron_out_sync out;
	struct neuron_job **jobs;
	struct ww_acquire_ctx ctx;
	struct dma_fence *done;
	int fd = -1, njobs, ret;
	u32 i;

	if (p->out_fence_fd)
		*p->out_fence_fd = -1;
	ret = neuron_out_sync_get(p->file, p->out_sync, &out);
	if (ret)
		return ret;
	njobs = neuron_job_split(p, &jobs);
	if (njobs < 0) {
		ret = njobs;
		goto put_out;
	}
	ret = neuron_sync_add_in(p->file, &jobs[0]->base, p->in_syncs, p->in_sync_count);
	if (ret)
		goto free_jobs;
	if (p->out_fence_fd) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			ret = fd;
			goto free_jobs;
		}
	}

	mutex_lock(&queue->lock);
	ret = -ENOENT;
	if (queue->dead)
		goto unlock_queue;
	ret = neuron_job_lock_resv(prog, &ctx);
	if (ret)
		goto unlock_queue;
	for (i = 0; i < prog->nresv; i++) {
		ret = drm_sched_job_add_implicit_dependencies(&jobs[0]->base, prog->bos[i],
							      prog->writes[i]);
		if (ret)
			goto unlock_resv;
	}
	for (i = 0; i < njobs; i++)
		drm_sched_job_arm(&jobs[i]->base);
	done = dma_fence_get(&jobs[njobs - 1]->base.s_fence->finished);
	if (p->clear)
		neuron_bo_set_clear(prog->bos[0], done);
	for (i = 0; i < prog->nresv; i++)
		dma_resv_add_fence(prog->bos[i]->resv, done,
				   p->clear ? DMA_RESV_USAGE_KERNEL : prog->writes[i] ?
				   DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);
	for (i = 0; i < njobs; i++)
		drm_sched_entity_push_job(&jobs[i]->base);
	drm_gem_unlock_reservations(prog->bos, prog->nresv, &ctx);
	mutex_unlock(&queue->lock);
	kvfree(jobs);

	neuron_out_sync_publish(&out, done);
	ret = 0;
	if (fd >= 0) {
		sync_file = sync_file_create(done);
		if (sync_file) {
			fd_install(fd, sync_file->file);
			*p->out_fence_fd = fd;
		} else {
			/* Pushed: the jobs run; only the fd is lost. */
			put_unused_fd(fd);
			ret = -ENOMEM;
		}
	}
	dma_fence_put(done);
	return ret;

unlock_resv:
	drm_gem_unlock_reservations(prog->bos, prog->nresv, &ctx);
unlock_queue:
	mutex_unlock(&queue->lock);
	if (fd >= 0)
		put_unused_fd(fd);
free_jobs:
	for (i = 0; i < njobs; i++)
		neuron_job_free(jobs[i]);
	kvfree(jobs);
put_out:
	neuron_out_sync_put(&out);
	return ret;
}

/*
 * Whether a job may still run: not if an earlier job of its request
 * failed, if one of its BOs could not be cleared (-EIO; the BO a clear
 * clears excepted), or is a neighbour's whose device was removed
 * (-ENODEV).  Its dependencies (a clear among them) have signalled.
 */
static int neuron_job_check(struct neuron_job *job)
{
	struct neuron_prog *prog = job->prog;
	int err = atomic_read(&job->req->error);
	u32 i;

	if (err)
		return err;
	for (i = 0; i < prog->nbos; i++) {
		if (neuron_peer_gone(prog->bos[i]))
			return -ENODEV;
		if (neuron_bo_poisoned(prog->bos[i]) && !(job->clear && i == 0))
			return -EIO;
	}
	return job->base.s_fence->finished.error;
}

/* Record a job's failure: later jobs of its request fail too, a failed clear poisons its BO. */
static void neuron_job_failed(struct neuron_job *job, int error)
{
	atomic_cmpxchg(&job->req->error, 0, error);
	if (job->clear)
		neuron_bo_poison(job->prog->bos[0]);
}

/* A job hung or failed on the device: its queue refuses SUBMITs (ECANCELED). */
static void neuron_job_mark_guilty(struct neuron_job *job)
{
	if (!job->queue->copy)
		WRITE_ONCE(job->queue->guilty, true);
}

/*
 * With MSI-X the poll timer is only a backstop against a lost interrupt: a
 * slow look at the completion record while jobs are in flight.
 */
static u32 neuron_job_poll_start(struct neuron_hwq *q)
{
	return q->irq ? NEURON_BACKSTOP_NS : NEURON_POLL_MIN_NS;
}

/**
 * neuron_job_kick() - ring both doorbells once for a job
 * @q: the queue
 * @n_m2s: descriptors written on the transmit ring
 * @n_s2m: descriptors written on the receive ring
 *
 * S2M first, so the destination buffers are posted when the source side
 * starts (as the legacy driver).  Starts the poll (or backstop) timer.
 */
void neuron_job_kick(struct neuron_hwq *q, u32 n_m2s, u32 n_s2m)
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
		q->poll_ns = neuron_job_poll_start(q);
		q->poll_idle = 0;
		hrtimer_start(&q->poll, ns_to_ktime(q->poll_ns), HRTIMER_MODE_REL);
	}
}

/*
 * Whether job @seqno's marker raises the interrupt: when no job on the ring
 * will (nobody would notice the completion), else once per half of the jobs
 * on the ring, so that a completion is seen while enough work remains
 * queued to keep the engine busy.  Called with the job on the ring.
 */
static bool neuron_job_wants_irq(struct neuron_hwq *q, u64 seqno)
{
	lockdep_assert_held(&q->lock);
	if (q->irq_seqno <= q->completed || seqno - q->irq_seqno >= max(q->in_flight / 2, 1u)) {
		q->irq_seqno = seqno;
		return true;
	}
	return false;
}

/* Write the job's completion marker: 1 descriptor on each ring. */
static void neuron_job_emit_marker(struct neuron_job *job, bool irq)
{
	struct neuron_hwq *q = job->hwq;
	u32 slot = job->seqno % NEURON_JOB_SLOTS;

	/* DMB: the copy starts only after every earlier transfer ended. */
	WRITE_ONCE(q->slots[slot], job->seqno);
	neuron_udma_put(&q->m2s, sizeof(u64) | UDMA_DESC_FIRST | UDMA_DESC_LAST |
			UDMA_DESC_DMB, UDMA_M2S_META_COPY,
			neuron_v1_host_dev_addr(q->slots_dma + slot * sizeof(u64)));
	neuron_udma_put(&q->s2m, sizeof(u64) | (irq ? UDMA_DESC_INTERRUPT : 0), 0,
			neuron_v1_host_dev_addr(q->record_dma));
}

/* Put the job on the in-flight list and write it; @error: its marker only. */
static void neuron_job_emit(struct neuron_job *job, int error)
{
	const struct neuron_prog *prog = job->prog;
	struct neuron_hwq *q = job->hwq;
	u32 n_m2s = 0, n_s2m = 0, i;
	unsigned long flags;
	bool irq;

	spin_lock_irqsave(&q->lock, flags);
	job->error = error;
	list_move_tail(&job->link, &q->inflight);
	q->in_flight++;
	irq = neuron_job_wants_irq(q, job->seqno);
	spin_unlock_irqrestore(&q->lock, flags);

	job->ring_start = q->m2s.next;
	if (!error) {
		for (i = 0; i < job->n_m2s; i++) {
			const struct neuron_hwdesc *d = &prog->m2s[job->m2s_first + i];

			neuron_udma_put(&q->m2s, d->ctrl, d->word1, d->addr);
		}
		for (i = 0; i < job->n_s2m; i++) {
			const struct neuron_hwdesc *d = &prog->s2m[job->s2m_first + i];

			neuron_udma_put(&q->s2m, d->ctrl, 0, d->addr);
		}
		n_m2s = job->n_m2s;
		n_s2m = job->n_s2m;
	}
	neuron_job_emit_marker(job, irq);
	neuron_job_kick(q, n_m2s + 1, n_s2m + 1);
}

/* drm_sched run_job: no allocation, no register read. */
static struct dma_fence *neuron_job_run(struct drm_sched_job *sched_job)
{
	struct neuron_job *job = to_neuron_job(sched_job);
	struct neuron_hwq *q = job->hwq;
	int err;

	if (neuron_hwq_is_stopped(q))
		err = q->ndev->engines->removed ? -ENODEV : -EIO;
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
	job->start = ktime_get_ns();
	neuron_job_emit(job, 0);
	return &job->hwf->base;
}

/*
 * The job's share of the queue's time: from when it reached the ring, or
 * when the job before it ended, to now.
 */
static void neuron_job_account(struct neuron_hwq *q, struct neuron_job *job)
{
	u64 now = ktime_get_ns();

	lockdep_assert_held(&q->lock);
	atomic64_add(now - max(job->start, q->last_end), &job->busy->ns[q->nc]);
	q->last_end = now;
}

/* Signal a job's fence, with @error if not 0; the caller counted it off its list. */
static void neuron_job_end_locked(struct neuron_hwq *q, struct neuron_job *job, int error)
{
	lockdep_assert_held(&q->lock);
	list_del_init(&job->link);
	q->completed = job->seqno;
	if (error) {
		neuron_job_failed(job, error);
		dma_fence_set_error(&job->hwf->base, error);
	}
	dma_fence_signal(&job->hwf->base);
}

/* Take a job off the ring and signal its fence, with @error if not 0. */
static void neuron_job_done_locked(struct neuron_hwq *q, struct neuron_job *job, int error)
{
	q->in_flight--;
	neuron_job_end_locked(q, job, error);
}

/* Signal every job the completion record covers. */
static bool neuron_job_signal_locked(struct neuron_hwq *q)
{
	u64 done = READ_ONCE(*q->record);
	struct neuron_job *job, *tmp;
	bool progress = false;
	int error;

	lockdep_assert_held(&q->lock);
	list_for_each_entry_safe(job, tmp, &q->inflight, link) {
		if (job->seqno > done)
			break;
		/* Replayed as its marker only (neuron_job_replay_one()). */
		error = job->error;
		/*
		 * The NeuronCore reported an error since the last job that fed
		 * its FIFO completed: blame the first such job to complete
		 * after it (the model writes the ERROR entry before the job's
		 * marker).  Jobs that never reach the NeuronCore (plain DMA)
		 * neither take the blame nor consume it.
		 */
		if (!error && q->client && !progress && job->prog->nc_fifo &&
		    neuron_nq_error_seen(q->ndev, q->nc)) {
			error = -EIO;
			neuron_job_mark_guilty(job);
		}
		q->stats.jobs++;
		progress = true;
		neuron_job_account(q, job);
		neuron_job_done_locked(q, job, error);
	}
	return progress;
}

/*
 * Jobs are on the ring and none of them will raise the interrupt: the tail
 * timer looks for them, faster while they complete.
 */
static void neuron_job_tail_locked(struct neuron_hwq *q, bool progress)
{
	lockdep_assert_held(&q->lock);
	if (!q->irq || !q->in_flight || q->irq_seqno > q->completed || q->stopped)
		return;
	q->tail_ns = progress ? NEURON_TAIL_MIN_NS :
		     min_t(u32, q->tail_ns * 2, NEURON_POLL_MAX_NS);
	hrtimer_start(&q->tail, ns_to_ktime(q->tail_ns), HRTIMER_MODE_REL);
}

static bool neuron_job_process(struct neuron_hwq *q)
{
	unsigned long flags;
	bool progress;

	spin_lock_irqsave(&q->lock, flags);
	progress = neuron_job_signal_locked(q);
	neuron_job_tail_locked(q, progress);
	spin_unlock_irqrestore(&q->lock, flags);
	return progress;
}

/**
 * neuron_job_irq() - the engine's interrupt, for one of its queues
 * @irq: the Linux IRQ
 * @data: the &struct neuron_hwq
 *
 * Hard-IRQ context: signalling fences needs no thread.
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t neuron_job_irq(int irq, void *data)
{
	struct neuron_hwq *q = data;
	unsigned long flags;
	unsigned int pending;

	q->stats.irqs++;
	if (neuron_job_process(q))
		return IRQ_HANDLED;
	/*
	 * No progress: a completion another interrupt already handled, another
	 * queue's, or an engine abort.  Look again later, when a working
	 * engine would have moved; only then read the engine state.
	 */
	spin_lock_irqsave(&q->lock, flags);
	pending = q->in_flight;
	spin_unlock_irqrestore(&q->lock, flags);
	if (pending && !neuron_hwq_is_stopped(q))
		mod_delayed_work(q->ndev->engines->timeout_wq, &q->abort_check,
				 msecs_to_jiffies(NEURON_ABORT_CHECK_MS));
	return IRQ_HANDLED;
}

static enum hrtimer_restart neuron_job_tail(struct hrtimer *t)
{
	struct neuron_hwq *q = container_of(t, struct neuron_hwq, tail);

	if (neuron_job_process(q))
		q->stats.backstop++;
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart neuron_job_poll(struct hrtimer *t)
{
	struct neuron_hwq *q = container_of(t, struct neuron_hwq, poll);
	unsigned long flags;
	bool progress, more;

	spin_lock_irqsave(&q->lock, flags);
	progress = neuron_job_signal_locked(q);
	neuron_job_tail_locked(q, progress);
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
		q->poll_ns = neuron_job_poll_start(q);
		q->poll_idle = 0;
	} else {
		if (!q->irq)
			q->poll_ns = min_t(u32, q->poll_ns * 2, NEURON_POLL_MAX_NS);
		/* Long silence with work outstanding: did the engine abort? */
		if (++q->poll_idle == (q->irq ? 2 : 16))
			mod_delayed_work(q->ndev->engines->timeout_wq, &q->abort_check, 0);
	}
	hrtimer_forward_now(t, ns_to_ktime(q->poll_ns));
	return HRTIMER_RESTART;
}

/**
 * neuron_job_fail_all() - fail every job on an idle ring, in order
 * @q: the queue, halted
 * @error: the errno
 *
 * Also the jobs an engine recovery that gave up (the device reset or went
 * away meanwhile) left off the ring: they come after those on it.
 */
void neuron_job_fail_all(struct neuron_hwq *q, int error)
{
	struct neuron_job *job, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	neuron_job_signal_locked(q);
	list_for_each_entry_safe(job, tmp, &q->inflight, link)
		neuron_job_done_locked(q, job, error);
	list_for_each_entry_safe(job, tmp, &q->held, link)
		neuron_job_end_locked(q, job, error);
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * Take every job off @q's ring (the queue is about to be reset): those the
 * completion record covers are signalled, the others wait on @held, in
 * order, ahead of any held already (a probe's job is older than they are).
 * The scheduler is stopped; the interrupt handler may run.
 */
static void neuron_job_unring(struct neuron_hwq *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	neuron_job_signal_locked(q);
	list_splice_init(&q->inflight, &q->held);
	q->in_flight = 0;
	spin_unlock_irqrestore(&q->lock, flags);
	q->tdr_seqno = 0;
}

/* Fail the oldest held job of @q with @error; @guilty: its queue object too. */
static void neuron_job_fail_oldest(struct neuron_hwq *q, int error, bool guilty)
{
	struct neuron_job *job;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	job = list_first_entry_or_null(&q->held, struct neuron_job, link);
	if (job) {
		if (guilty)
			neuron_job_mark_guilty(job);
		neuron_job_end_locked(q, job, error);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * Put a held job on the fresh ring again.  A job that must not run any
 * more (its queue object is guilty now: -ECANCELED; an earlier job of its
 * request failed; its BO went bad) is replayed as its completion marker
 * alone, so that fences still signal in order.
 */
static void neuron_job_replay_one(struct neuron_hwq *q, struct neuron_job *job)
{
	int err = neuron_job_check(job);

	if (!err && READ_ONCE(job->queue->guilty))
		err = -ECANCELED;
	q->stats.replays++;
	neuron_job_emit(job, err);
}

/* Put every held job of @q on its fresh ring again, in order. */
static void neuron_job_replay_held(struct neuron_hwq *q)
{
	struct neuron_job *job, *tmp;
	unsigned long flags;
	LIST_HEAD(replay);

	spin_lock_irqsave(&q->lock, flags);
	list_splice_init(&q->held, &replay);
	spin_unlock_irqrestore(&q->lock, flags);
	list_for_each_entry_safe(job, tmp, &replay, link)
		neuron_job_replay_one(q, job);
}

/**
 * neuron_job_hold() - take every job off a halted queue's ring, to be put
 *	back by neuron_job_unhold() once the queue is reset
 * @q: the queue, halted and stopped in hardware
 */
void neuron_job_hold(struct neuron_hwq *q)
{
	lockdep_assert_held(&q->ndev->engines->recovery_lock);
	neuron_job_unring(q);
}

/**
 * neuron_job_unhold() - put the held jobs of a reset queue back on its ring
 * @q: the queue, its rings programmed again
 * @error: 0, or the errno for held jobs that reach into the queue's
 *	NeuronCore (its window or FIFO) after a reset of that core: their
 *	work there is gone; the others run again from their first descriptor
 *
 * A job that fails is replayed as its completion marker alone, so that the
 * queue's fences still signal in order.
 */
void neuron_job_unhold(struct neuron_hwq *q, int error)
{
	struct neuron_job *job, *tmp;
	unsigned long flags;
	LIST_HEAD(replay);

	lockdep_assert_held(&q->ndev->engines->recovery_lock);
	spin_lock_irqsave(&q->lock, flags);
	list_splice_init(&q->held, &replay);
	spin_unlock_irqrestore(&q->lock, flags);
	list_for_each_entry_safe(job, tmp, &replay, link) {
		if (error && (job->prog->nc_window || job->prog->nc_fifo)) {
			q->stats.replays++;
			neuron_job_emit(job, error);
		} else {
			neuron_job_replay_one(q, job);
		}
	}
}

/*
 * Reset a queue that hung on a working engine: no new job reaches the ring
 * meanwhile; the job it was executing (the oldest) fails with @error and
 * the jobs behind it, which never started (a queue executes in order), are
 * replayed, so that other clients' work is not lost to someone else's hang.
 */
static void neuron_job_recover(struct neuron_hwq *q, int error)
{
	lockdep_assert_held(&q->ndev->engines->recovery_lock);
	drm_sched_wqueue_stop(&q->sched);
	if (!neuron_hwq_is_stopped(q)) {
		neuron_job_unring(q);
		neuron_hwq_reinit(q);
		neuron_job_fail_oldest(q, error, false);
		neuron_job_replay_held(q);
	}
	drm_sched_wqueue_start(&q->sched);
}

/* Whether job @seqno of @q has signalled (looking at the record first). */
static bool neuron_job_probe_done(struct neuron_hwq *q, u64 seqno)
{
	unsigned long flags;
	bool done;

	neuron_job_process(q);
	spin_lock_irqsave(&q->lock, flags);
	done = q->completed >= seqno;
	spin_unlock_irqrestore(&q->lock, flags);
	return done;
}

/*
 * Run the oldest held job of @q alone on its engine (every other queue of
 * the engine holds its jobs) and watch it: 0 if it completed, 1 if the
 * engine aborted again (the job is on @q's ring still), -ETIMEDOUT if it
 * did neither within NEURON_PROBE_MS, -ENODEV if a device reset or the
 * removal took the engine from the recovery meanwhile (it must then touch
 * nothing).  Sleeps; drops recovery_lock around every firmware read and
 * sleep (the reset lock comes first) and holds it again on return.
 */
static int neuron_job_probe(struct neuron_hwq *q)
{
	struct neuron_engines *engines = q->ndev->engines;
	struct neuron_engine *e = &engines->eng[q->eng];
	unsigned long deadline;
	unsigned int us = 50;
	struct neuron_job *job;
	bool aborted;
	u64 seqno;
	u32 head;
	int ret;

	lockdep_assert_held(&engines->recovery_lock);
	spin_lock_irq(&q->lock);
	job = list_first_entry_or_null(&q->held, struct neuron_job, link);
	spin_unlock_irq(&q->lock);
	if (!job)
		return 0;
	seqno = job->seqno;
	q->stats.probes++;
	/* Its job pointer is not ours once the job can signal. */
	neuron_job_replay_one(q, job);
	deadline = jiffies + msecs_to_jiffies(NEURON_PROBE_MS);
	for (;;) {
		if (neuron_job_probe_done(q, seqno))
			return 0;
		mutex_unlock(&engines->recovery_lock);
		usleep_range(us, 2 * us);
		us = min(2 * us, 2000u);
		ret = neuron_udma_read_state(q->ndev, q->eng, q->qid, &aborted, &head);
		mutex_lock(&engines->recovery_lock);
		if (!e->recovering)
			return -ENODEV;
		if (neuron_job_probe_done(q, seqno))
			return 0;
		if (!ret && aborted)
			return 1;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
	}
}

/* Reset every queue in @qs, with their jobs held, and take the engine out of abort. */
static void neuron_job_engine_reset(struct neuron_device *ndev, int eng,
				    struct neuron_hwq **qs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		neuron_job_unring(qs[i]);
		neuron_hwq_reset_rings(qs[i]);
	}
	neuron_udma_engine_normal(ndev, eng);
}

/* When the oldest held job of @q reached the ring; it has one (recovery_lock). */
static u64 neuron_job_held_start(struct neuron_hwq *q)
{
	return list_first_entry(&q->held, struct neuron_job, link)->start;
}

/*
 * Several queues of the engine had jobs on their rings: the hardware does
 * not say whose packet aborted (the state is per engine; the cause bits
 * say descriptor or data, not which queue).  Run each one's oldest job
 * alone, the one longest on the ring first, until one aborts the engine
 * again: that queue is guilty (returned, with its job held again and the
 * engine reset).  NULL if every probe completed (a fault that did not come
 * back: nobody is blamed) or one neither completed nor aborted in time
 * (then the search stops and that job stays on its ring).  ERR_PTR(-ENODEV)
 * if the recovery was taken over (neuron_job_probe()).
 */
static struct neuron_hwq *neuron_job_find_guilty(struct neuron_device *ndev, int eng,
						 struct neuron_hwq **cand, int n)
{
	struct neuron_engine *e = &ndev->engines->eng[eng];
	struct neuron_hwq *q;
	int i, j, ret;

	/* By the time their oldest job reached the ring (few; insertion sort). */
	for (i = 1; i < n; i++) {
		q = cand[i];
		for (j = i; j > 0 && neuron_job_held_start(cand[j - 1]) >
				     neuron_job_held_start(q); j--)
			cand[j] = cand[j - 1];
		cand[j] = q;
	}
	for (i = 0; i < n; i++) {
		ret = neuron_job_probe(cand[i]);
		if (ret == -ENODEV)
			return ERR_PTR(-ENODEV);
		if (ret == 1) {
			neuron_job_engine_reset(ndev, eng, &cand[i], 1);
			return cand[i];
		}
		if (ret == -ETIMEDOUT) {
			e->stats.undecided++;
			drm_warn(&ndev->drm,
				 "engine %d: queue %d's job neither completed nor aborted alone; nobody blamed\n",
				 eng, cand[i]->qid);
			return NULL;
		}
	}
	e->stats.unattributed++;
	drm_warn(&ndev->drm, "engine %d: no queue's job aborted it again; nobody blamed\n", eng);
	return NULL;
}

/*
 * An engine aborted.  Every queue of an engine stops when it does, so the
 * recovery is the engine's: every queue's scheduler stops, every queue is
 * reset with its jobs held, and the engine runs again.  If only one queue
 * had jobs on its ring, its oldest job aborted the engine; if several did,
 * neuron_job_find_guilty() finds out.  The guilty job fails with -EIO and
 * its queue object is guilty; every other job is put on the rings again,
 * and an innocent queue's oldest job runs from its first descriptor: it
 * may have been under way when the engine stopped, so its DMA may run
 * twice.  Called with recovery_lock held, which a search drops and takes
 * again; the engine's @recovering stands for the recovery meanwhile.
 */
static void neuron_job_engine_recover(struct neuron_device *ndev, int eng)
{
	struct neuron_engines *engines = ndev->engines;
	struct neuron_engine *e = &engines->eng[eng];
	struct neuron_hwq *qs[V1_DMA_QUEUES_PER_ENG], *cand[V1_DMA_QUEUES_PER_ENG];
	struct neuron_hwq *guilty = NULL;
	int i, n, ncand = 0;

	lockdep_assert_held(&engines->recovery_lock);
	n = neuron_engine_hwqs(engines, eng, qs);
	e->recovering = true;
	e->stats.recoveries++;
	for (i = 0; i < n; i++)
		drm_sched_wqueue_stop(&qs[i]->sched);
	neuron_job_engine_reset(ndev, eng, qs, n);
	for (i = 0; i < n; i++) {
		qs[i]->stats.resets++;
		if (!list_empty(&qs[i]->held))
			cand[ncand++] = qs[i];
	}
	if (ncand == 1)
		guilty = cand[0];
	else if (ncand > 1)
		guilty = neuron_job_find_guilty(ndev, eng, cand, ncand);
	if (IS_ERR(guilty))
		return;
	if (guilty) {
		drm_warn(&ndev->drm, "engine %d of NC %d: abort, blamed on queue %d\n",
			 eng, guilty->nc, guilty->qid);
		e->stats.blamed++;
		guilty->stats.aborts++;
		neuron_job_fail_oldest(guilty, -EIO, true);
	} else {
		drm_warn(&ndev->drm, "engine %d of NC %d: abort, %d queue(s) with jobs\n",
			 eng, eng / V1_DMA_ENG_PER_NC, ncand);
	}
	/* Queues created during a search are on the engine now too. */
	n = neuron_engine_hwqs(engines, eng, qs);
	for (i = 0; i < n; i++) {
		neuron_job_replay_held(qs[i]);
		drm_sched_wqueue_start(&qs[i]->sched);
	}
	e->recovering = false;
}

static void neuron_job_abort_check(struct work_struct *work)
{
	struct neuron_hwq *q = container_of(to_delayed_work(work), struct neuron_hwq,
					    abort_check);
	struct neuron_engines *engines = q->ndev->engines;
	bool aborted = false;
	u32 head, gen;

	if (neuron_job_process(q))
		return;
	/*
	 * The firmware read takes the reset lock: not under recovery_lock,
	 * which a reset's resume takes under the reset lock.  An engine or
	 * queue reset meanwhile (@gen) makes the reading stale.
	 */
	gen = READ_ONCE(engines->eng[q->eng].gen);
	if (neuron_hwq_is_stopped(q) ||
	    neuron_udma_read_state(q->ndev, q->eng, q->qid, &aborted, &head) || !aborted)
		return;
	mutex_lock(&engines->recovery_lock);
	if (engines->eng[q->eng].gen == gen && !neuron_hwq_is_stopped(q) &&
	    !neuron_job_process(q))
		neuron_job_engine_recover(q->ndev, q->eng);
	mutex_unlock(&engines->recovery_lock);
}

/*
 * No job of @q finished for a whole timeout.  Not hung if the hardware is
 * inside @job (its M2S head left the job's first descriptor) or moved since
 * the previous timeout of the same job: a long job on a slow engine.
 * @head is what the engine reported, or @read_ret its error.
 */
static bool neuron_job_moving(struct neuron_hwq *q, struct neuron_job *job,
			      int read_ret, bool aborted, u32 head)
{
	bool moved;

	lockdep_assert_held(&q->ndev->engines->recovery_lock);
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

static enum drm_gpu_sched_stat neuron_job_timedout(struct drm_sched_job *sched_job)
{
	struct neuron_job *job = to_neuron_job(sched_job);
	struct neuron_hwq *q = job->hwq;
	struct neuron_engines *engines = q->ndev->engines;
	bool aborted = false;
	u32 head = 0, gen;
	int read_ret = -ENODEV;

	/* The engine's state first, outside recovery_lock (see abort_check). */
	gen = READ_ONCE(engines->eng[q->eng].gen);
	if (!neuron_hwq_is_stopped(q))
		read_ret = neuron_udma_read_state(q->ndev, q->eng, q->qid, &aborted, &head);
	mutex_lock(&engines->recovery_lock);
	if (neuron_hwq_is_stopped(q))
		goto out;
	neuron_job_process(q);
	if (dma_fence_is_signaled(&job->hwf->base))
		goto out;
	/* Reinitialised since the reading: judge at the next timeout. */
	if (engines->eng[q->eng].gen != gen)
		goto out;
	if (neuron_job_moving(q, job, read_ret, aborted, head)) {
		q->stats.slow++;
		goto out;
	}
	drm_warn(&q->ndev->drm, "queue %d.%d of NC %d: job %llu %s\n", q->eng,
		 q->qid, q->nc, job->seqno, aborted ? "waits on an aborted engine" : "timed out");
	if (aborted) {
		/* The job may be innocent: the engine's recovery finds out. */
		neuron_job_engine_recover(q->ndev, q->eng);
		goto out;
	}
	q->stats.timeouts++;
	neuron_job_mark_guilty(job);
	neuron_job_recover(q, -ETIMEDOUT);
out:
	mutex_unlock(&engines->recovery_lock);
	/* The job's fence is signalled or will be: give it back. */
	return neuron_sched_no_hang(sched_job);
}

static void neuron_job_sched_free(struct drm_sched_job *sched_job)
{
	neuron_job_free(to_neuron_job(sched_job));
}

#ifdef NEURON_HAVE_DRM_SCHED_CANCEL_JOB
static void neuron_job_cancel(struct drm_sched_job *sched_job)
{
	struct neuron_job *job = to_neuron_job(sched_job);
	struct neuron_hwq *q = job->hwq;
	struct neuron_job *j;
	unsigned long flags;
	bool held = false;

	spin_lock_irqsave(&q->lock, flags);
	list_for_each_entry(j, &q->held, link)
		held |= j == job;
	if (held)
		neuron_job_end_locked(q, job, -ECANCELED);
	else if (!list_empty(&job->link))
		neuron_job_done_locked(q, job, -ECANCELED);
	spin_unlock_irqrestore(&q->lock, flags);
}
#endif

const struct drm_sched_backend_ops neuron_job_ops = {
	.run_job = neuron_job_run,
	.timedout_job = neuron_job_timedout,
	.free_job = neuron_job_sched_free,
#ifdef NEURON_HAVE_DRM_SCHED_CANCEL_JOB
	.cancel_job = neuron_job_cancel,
#endif
};

/**
 * neuron_job_hwq_init() - a hardware queue's job-tracking state
 * @q: the queue, its identity set
 */
void neuron_job_hwq_init(struct neuron_hwq *q)
{
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->inflight);
	INIT_LIST_HEAD(&q->held);
	INIT_DELAYED_WORK(&q->abort_check, neuron_job_abort_check);
	neuron_hrtimer_setup(&q->poll, neuron_job_poll);
	neuron_hrtimer_setup(&q->tail, neuron_job_tail);
	q->fence_ctx = dma_fence_context_alloc(1);
}

static void neuron_queue_release(struct kref *ref)
{
	struct neuron_queue *queue = container_of(ref, struct neuron_queue, ref);

	mutex_destroy(&queue->lock);
	kfree(queue);
}

/**
 * neuron_queue_put() - drop a reference on a queue
 * @queue: the queue, or NULL
 */
void neuron_queue_put(struct neuron_queue *queue)
{
	if (queue)
		kref_put(&queue->ref, neuron_queue_release);
}

/**
 * neuron_queue_create() - a scheduler entity on a hardware queue
 * @hwq: the hardware queue
 * @copy: one of a file's copy queues (never guilty)
 *
 * Return: the queue (one reference, for its owner), or an ERR_PTR.
 */
struct neuron_queue *neuron_queue_create(struct neuron_hwq *hwq, bool copy)
{
	struct drm_gpu_scheduler *sched = &hwq->sched;
	struct neuron_queue *queue;
	int ret;

	queue = kzalloc_obj(*queue, NEURON_GFP_CLIENT);
	if (!queue)
		return ERR_PTR(-ENOMEM);
	ret = drm_sched_entity_init(&queue->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &sched, 1, NULL);
	if (ret) {
		kfree(queue);
		return ERR_PTR(ret);
	}
	kref_init(&queue->ref);
	mutex_init(&queue->lock);
	queue->hwq = hwq;
	queue->copy = copy;
	return queue;
}

/**
 * neuron_queue_destroy() - no more jobs on a queue; drop its owner's
 *	reference
 * @queue: the queue
 *
 * Waits (bounded by the scheduler) for the entity's queued jobs.
 */
void neuron_queue_destroy(struct neuron_queue *queue)
{
	/*
	 * A push that found the queue before its handle was erased either
	 * pushed its jobs already or sees @dead: no job reaches a destroyed
	 * entity, where it would never run nor signal.
	 */
	mutex_lock(&queue->lock);
	queue->dead = true;
	mutex_unlock(&queue->lock);
	drm_sched_entity_destroy(&queue->entity);
	neuron_queue_put(queue);
}
