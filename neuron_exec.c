// SPDX-License-Identifier: GPL-2.0-only
/*
 * Execution: queue objects, descriptor programs and SUBMIT.
 *
 * Userspace describes DMA descriptors by BO index and offset
 * (&struct drm_neuron_desc); this file checks every field and encodes the
 * hardware descriptors itself, so a client can only make the device touch
 * its own BOs and its NeuronCore's instruction FIFO.  An inline SUBMIT
 * builds an anonymous program; PROGRAM_CREATE keeps one for many SUBMITs.
 * Jobs run on the hardware queues of neuron_copy.c, which append the
 * completion marker and ring the doorbells.
 */

#include <linux/dma-resv.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "neuron_compat.h"
#include "neuron_copy.h"
#include "neuron_drv.h"
#include "neuron_exec.h"
#include "neuron_gem.h"
#include "neuron_host_bo.h"
#include "neuron_hw.h"
#include "neuron_job.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/udma_regs.h"

/* Hardware descriptors per direction of one job (half the ring). */
#define NEURON_EXEC_MAX_HWDESC		(NEURON_COPYQ_RING_SIZE / 2)
#define NEURON_MAX_PACKET_BYTES		0xfffffu
/*
 * S2M descriptors one packet may spread over.  The hardware facts give no
 * such limit, but the device model aborts the S2M half beyond it, and no
 * job the driver accepts may abort an engine.
 */
#define NEURON_MAX_RX_PER_PACKET	1024
#define NEURON_TX_FLAGS	(DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST | \
			 DRM_NEURON_DESC_DMB)

/* Where the next host-BO lookup starts: offsets mostly grow. */
struct neuron_sg_cursor {
	struct scatterlist *sg;
	u64 start;
};

/*
 * @max_m2s, @max_s2m: room in the program's arrays, the worst case of
 * neuron_desc_max_pieces() over the job's descriptors.
 */
struct neuron_enc {
	struct neuron_prog *prog;
	struct sg_table **sgts;
	struct neuron_sg_cursor *cur;
	u32 max_m2s;
	u32 max_s2m;
};

static void neuron_prog_release(struct kref *ref)
{
	struct neuron_prog *prog = container_of(ref, struct neuron_prog, ref);
	u32 i;

	for (i = 0; i < prog->nbos; i++)
		if (prog->bos[i])
			drm_gem_object_put(prog->bos[i]);
	kvfree(prog->bos);
	kvfree(prog->writes);
	kvfree(prog->m2s);
	kvfree(prog->s2m);
	kfree(prog);
}

/**
 * neuron_prog_put() - drop a reference on a program
 * @prog: the program, or NULL
 */
void neuron_prog_put(struct neuron_prog *prog)
{
	if (prog)
		kref_put(&prog->ref, neuron_prog_release);
}

/**
 * neuron_prog_emit() - write a program's descriptors (from run_job)
 * @prog: the program
 * @m2s: transmit ring
 * @s2m: receive ring
 * @n_s2m: out: descriptors written on @s2m
 *
 * Return: descriptors written on @m2s.
 */
u32 neuron_prog_emit(const struct neuron_prog *prog,
		     struct neuron_udma_ring *m2s,
		     struct neuron_udma_ring *s2m, u32 *n_s2m)
{
	u32 i;

	for (i = 0; i < prog->n_m2s; i++)
		neuron_udma_put(m2s, prog->m2s[i].ctrl, prog->m2s[i].word1,
				prog->m2s[i].addr);
	for (i = 0; i < prog->n_s2m; i++)
		neuron_udma_put(s2m, prog->s2m[i].ctrl, 0, prog->s2m[i].addr);
	*n_s2m = prog->n_s2m;
	return prog->n_m2s;
}

static void neuron_queue_obj_release(struct kref *ref)
{
	struct neuron_queue_obj *qo = container_of(ref, struct neuron_queue_obj, ref);

	mutex_destroy(&qo->lock);
	kfree(qo);
}

/**
 * neuron_queue_obj_put() - drop a reference on a queue object
 * @qo: the queue object, or NULL
 */
void neuron_queue_obj_put(struct neuron_queue_obj *qo)
{
	if (qo)
		kref_put(&qo->ref, neuron_queue_obj_release);
}

/**
 * neuron_exec_open() - per-client execution state
 * @nfile: the client
 */
void neuron_exec_open(struct neuron_file *nfile)
{
	mutex_init(&nfile->submit_lock);
	xa_init_flags(&nfile->queues, XA_FLAGS_ALLOC1);
	xa_init_flags(&nfile->progs, XA_FLAGS_ALLOC1);
}

static void neuron_queue_obj_destroy(struct neuron_queue_obj *qo)
{
	/*
	 * A SUBMIT that looked the handle up before it was erased either
	 * pushed its job already or sees @dead: no job reaches a destroyed
	 * entity, where it would never run nor signal.
	 */
	mutex_lock(&qo->lock);
	qo->dead = true;
	mutex_unlock(&qo->lock);
	/* Waits (bounded by the scheduler) for the entity's queued jobs. */
	drm_sched_entity_destroy(&qo->entity);
	neuron_queue_obj_put(qo);
}

/**
 * neuron_exec_postclose() - drop a closing client's queues and programs
 * @nfile: the client
 */
void neuron_exec_postclose(struct neuron_file *nfile)
{
	struct neuron_queue_obj *qo;
	struct neuron_prog *prog;
	unsigned long id;

	xa_for_each(&nfile->queues, id, qo)
		neuron_queue_obj_destroy(qo);
	xa_destroy(&nfile->queues);
	xa_for_each(&nfile->progs, id, prog)
		neuron_prog_put(prog);
	xa_destroy(&nfile->progs);
	mutex_destroy(&nfile->submit_lock);
}

int neuron_ioctl_queue_create(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_queue_create *args = data;
	struct drm_gpu_scheduler *sched;
	struct neuron_queue_obj *qo;
	struct neuron_copyq *hwq;
	int eng, idx, ret;
	u32 id;

	if (args->nc >= V1_NC_PER_DEVICE || args->engine >= V1_DMA_ENG_PER_NC ||
	    args->queue >= V1_DMA_QUEUES_PER_ENG || args->flags || args->pad)
		return -EINVAL;
	if (args->engine == V1_H2T_ENGINE && args->queue == V1_H2T_QUEUE)
		return -EINVAL;
	eng = V1_ENG_ID(args->nc, args->engine);

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	hwq = neuron_hwq_get(ndev, args->nc, eng, args->queue);
	drm_dev_exit(idx);
	if (IS_ERR(hwq))
		return PTR_ERR(hwq);

	qo = kzalloc_obj(*qo, NEURON_GFP_CLIENT);
	if (!qo)
		return -ENOMEM;
	kref_init(&qo->ref);
	mutex_init(&qo->lock);
	qo->hwq = hwq;
	sched = &hwq->sched;
	ret = drm_sched_entity_init(&qo->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &sched, 1, NULL);
	if (ret) {
		neuron_queue_obj_put(qo);
		return ret;
	}
	ret = xa_alloc(&nfile->queues, &id, qo, XA_LIMIT(1, DRM_NEURON_MAX_QUEUES),
		       NEURON_GFP_CLIENT);
	if (ret) {
		neuron_queue_obj_destroy(qo);
		/* xa_alloc() says -EBUSY when every id is taken. */
		return ret == -EBUSY ? -EDQUOT : ret;
	}
	args->handle = id;
	return 0;
}

int neuron_ioctl_queue_destroy(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_queue_destroy *args = data;
	struct neuron_queue_obj *qo;

	if (args->pad)
		return -EINVAL;
	qo = xa_erase(&nfile->queues, args->handle);
	if (!qo)
		return -ENOENT;
	neuron_queue_obj_destroy(qo);
	return 0;
}

/* Device address of @len bytes at @off of host BO @i: one segment's worth. */
static u64 neuron_enc_host(struct neuron_enc *e, u32 i, u64 off, u32 *len)
{
	struct neuron_sg_cursor *c = &e->cur[i];
	struct scatterlist *sg;

	if (!c->sg || off < c->start) {
		c->sg = e->sgts[i]->sgl;
		c->start = 0;
	}
	for (sg = c->sg; sg; sg = sg_next(sg)) {
		u64 seg = sg_dma_len(sg);

		if (off < c->start + seg) {
			c->sg = sg;
			*len = min_t(u64, *len, c->start + seg - off);
			return neuron_v1_host_dev_addr(sg_dma_address(sg) +
						       (off - c->start));
		}
		c->start += seg;
	}
	c->sg = NULL;
	return 0;	/* not reached: the range was checked against the BO */
}

/*
 * Encode one user descriptor as one or more hardware descriptors (a host
 * BO range may cross DMA segments).  FIRST goes on the first piece, LAST
 * on the last, DMB on the first.  Returns the number of pieces, -EINVAL,
 * or -EACCES for an RX descriptor into a read-only import.
 */
static int neuron_enc_desc(struct neuron_enc *e, const struct drm_neuron_desc *d,
			   bool rx)
{
	struct neuron_prog *prog = e->prog;
	struct neuron_hwdesc *out = rx ? prog->s2m : prog->m2s;
	u32 *n = rx ? &prog->n_s2m : &prog->n_m2s;
	u32 max = rx ? e->max_s2m : e->max_m2s;
	u64 off = d->offset, end;
	u32 left = d->length;
	int pieces = 0;

	if (d->pad || !d->length || d->length > DRM_NEURON_DESC_MAX_LENGTH)
		return -EINVAL;
	if (rx ? d->flags : d->flags & ~NEURON_TX_FLAGS)
		return -EINVAL;
	if (check_add_overflow(d->offset, (u64)d->length, &end))
		return -EINVAL;

	if (d->bo_index == DRM_NEURON_DESC_NC_FIFO) {
		if (!rx || end > V1_NC_PE_IRAM_FIFO_SIZE)
			return -EINVAL;
		if (*n == max)
			return -EINVAL;
		prog->nc_fifo = true;
		out[(*n)++] = (struct neuron_hwdesc) {
			.ctrl = UDMA_DESC_LEN_ENCODE(d->length),
			.addr = V1_TPB_BASE + V1_NC_WINDOW_OFFSET(prog->nc) +
				V1_NC_PE_IRAM_FIFO + d->offset,
		};
		return 1;
	}
	if (d->bo_index >= prog->nbos || end > neuron_bo_size(prog->bos[d->bo_index]))
		return -EINVAL;
	if (rx) {
		/* A read-only import is never written, by no descriptor. */
		if (neuron_bo_read_only(prog->bos[d->bo_index]))
			return -EACCES;
		prog->writes[d->bo_index] = true;
	}

	while (left) {
		struct drm_gem_object *obj = prog->bos[d->bo_index];
		u32 len = left;
		u64 addr;

		if (neuron_bo_is_device(obj))
			addr = neuron_bo_dev_addr(obj) + off;
		else
			addr = neuron_enc_host(e, d->bo_index, off, &len);
		if (*n == max)
			return -EINVAL;
		out[*n] = (struct neuron_hwdesc) {
			.ctrl = UDMA_DESC_LEN_ENCODE(len),
			.word1 = rx ? 0 : UDMA_M2S_META_COPY,
			.addr = addr,
		};
		if (!rx && !pieces && (d->flags & DRM_NEURON_DESC_FIRST))
			out[*n].ctrl |= UDMA_DESC_FIRST;
		if (!rx && !pieces && (d->flags & DRM_NEURON_DESC_DMB))
			out[*n].ctrl |= UDMA_DESC_DMB;
		(*n)++;
		pieces++;
		off += len;
		left -= len;
	}
	if (!rx && (d->flags & DRM_NEURON_DESC_LAST))
		out[*n - 1].ctrl |= UDMA_DESC_LAST;
	return pieces;
}

static int neuron_copy_descs(struct drm_neuron_desc **out, u64 uptr, u32 count)
{
	struct drm_neuron_desc *d;

	d = kvmalloc_array(count, sizeof(*d), NEURON_GFP_CLIENT);
	if (!d)
		return -ENOMEM;
	if (copy_from_user(d, u64_to_user_ptr(uptr), array_size(count, sizeof(*d)))) {
		kvfree(d);
		return -EFAULT;
	}
	*out = d;
	return 0;
}

/*
 * Hardware descriptors a checked user descriptor can become, whatever the
 * layout of the BO's pages: a host range is cut at DMA segment boundaries,
 * and a shmem BO's segments are runs of whole pages, so at most one piece
 * per page it touches.  The limits are checked on this worst case, so
 * that a job gets the same answer in every boot, however contiguous its
 * pages happen to be.
 */
static u32 neuron_desc_max_pieces(const struct neuron_enc *e, const struct drm_neuron_desc *d)
{
	if (d->bo_index == DRM_NEURON_DESC_NC_FIFO ||
	    neuron_bo_is_device(e->prog->bos[d->bo_index]))
		return 1;
	return ((d->offset + d->length - 1) >> PAGE_SHIFT) - (d->offset >> PAGE_SHIFT) + 1;
}

/*
 * Worst-case hardware descriptors of @n user descriptors, into @total;
 * -EINVAL for a BO index or range that neuron_enc_desc() would refuse
 * too, or a total over what a job may have.
 */
static int neuron_count_pieces(const struct neuron_enc *e, const struct drm_neuron_desc *d,
			       u32 n, u32 *total)
{
	u64 sum = 0, end;
	u32 i;

	for (i = 0; i < n; i++) {
		if (d[i].bo_index != DRM_NEURON_DESC_NC_FIFO &&
		    (d[i].bo_index >= e->prog->nbos || !d[i].length ||
		     check_add_overflow(d[i].offset, (u64)d[i].length, &end) ||
		     end > neuron_bo_size(e->prog->bos[d[i].bo_index])))
			return -EINVAL;
		sum += neuron_desc_max_pieces(e, &d[i]);
	}
	if (sum > NEURON_EXEC_MAX_HWDESC)
		return -EINVAL;
	*total = sum;
	return 0;
}

/*
 * Check the packet framing of @tx and that @rx splits the packets exactly,
 * then encode both.  Every engine limit is checked, on the worst case of
 * the split (neuron_desc_max_pieces()): at most V1_MAX_DESC_PER_PACKET
 * M2S and NEURON_MAX_RX_PER_PACKET S2M descriptors and
 * NEURON_MAX_PACKET_BYTES per packet.
 */
static int neuron_enc_all(struct neuron_enc *e, const struct drm_neuron_desc *tx,
			  u32 ntx, const struct drm_neuron_desc *rx, u32 nrx)
{
	u64 pkt_bytes = 0, rx_bytes = 0;
	u32 pkt_tx = 0, pkt_rx = 0, hw_tx = 0, hw_rx = 0, r = 0, i;
	bool in_packet = false;
	int ret;

	for (i = 0; i < ntx; i++) {
		bool first = tx[i].flags & DRM_NEURON_DESC_FIRST;

		if (first == in_packet)
			return -EINVAL;
		in_packet = true;
		ret = neuron_enc_desc(e, &tx[i], false);
		if (ret < 0)
			return ret;
		pkt_tx += neuron_desc_max_pieces(e, &tx[i]);
		hw_tx += ret;
		pkt_bytes += tx[i].length;
		if (pkt_tx > V1_MAX_DESC_PER_PACKET || pkt_bytes > NEURON_MAX_PACKET_BYTES)
			return -EINVAL;
		/*
		 * Backstop for a dma-buf whose exporter cut segments inside
		 * pages: never more than the engine takes, worst case or not.
		 */
		if (hw_tx > V1_MAX_DESC_PER_PACKET)
			return -EINVAL;
		if (!(tx[i].flags & DRM_NEURON_DESC_LAST))
			continue;
		/* The receive side takes exactly this packet's bytes. */
		while (rx_bytes < pkt_bytes) {
			if (r == nrx)
				return -EINVAL;
			ret = neuron_enc_desc(e, &rx[r], true);
			if (ret < 0)
				return ret;
			pkt_rx += neuron_desc_max_pieces(e, &rx[r]);
			hw_rx += ret;
			if (pkt_rx > NEURON_MAX_RX_PER_PACKET || hw_rx > NEURON_MAX_RX_PER_PACKET)
				return -EINVAL;
			rx_bytes += rx[r++].length;
		}
		if (rx_bytes != pkt_bytes)
			return -EINVAL;
		in_packet = false;
		pkt_tx = 0;
		pkt_rx = 0;
		hw_tx = 0;
		hw_rx = 0;
		pkt_bytes = 0;
		rx_bytes = 0;
	}
	return in_packet || r != nrx ? -EINVAL : 0;
}

/*
 * Keep only the hardware descriptors that were encoded, when the worst
 * case the arrays were sized for left much unused: a program, or a
 * SUBMIT's job, holds them until it is freed.  (Device BOs and ranges in
 * one page never split: their arrays are exact and stay.)
 */
static int neuron_prog_trim(struct neuron_prog *prog, const struct neuron_enc *e)
{
	struct neuron_hwdesc *m2s, *s2m;

	if (prog->n_m2s * 2 > e->max_m2s && prog->n_s2m * 2 > e->max_s2m)
		return 0;

	m2s = kvmemdup(prog->m2s, array_size(prog->n_m2s, sizeof(*m2s)), NEURON_GFP_CLIENT);
	s2m = kvmemdup(prog->s2m, array_size(prog->n_s2m, sizeof(*s2m)), NEURON_GFP_CLIENT);
	if (!m2s || !s2m) {
		kvfree(m2s);
		kvfree(s2m);
		return -ENOMEM;
	}
	kvfree(prog->m2s);
	kvfree(prog->s2m);
	prog->m2s = m2s;
	prog->s2m = s2m;
	return 0;
}

/* Build a program from user arrays; validates everything. */
static struct neuron_prog *neuron_prog_build(struct drm_file *file, int nc,
					     u64 bo_handles, u32 nbos, u64 tx_ptr,
					     u32 ntx, u64 rx_ptr, u32 nrx)
{
	struct drm_neuron_desc *tx = NULL, *rx = NULL;
	struct neuron_enc e = {};
	struct neuron_prog *prog;
	u32 *handles = NULL, i, j;
	int ret;

	if (!ntx || !nrx || ntx > DRM_NEURON_SUBMIT_MAX_DESC ||
	    nrx > DRM_NEURON_SUBMIT_MAX_DESC || nbos > DRM_NEURON_SUBMIT_MAX_BOS)
		return ERR_PTR(-EINVAL);

	/* A program lives as long as its handle or jobs: charged to the client. */
	prog = kzalloc_obj(*prog, NEURON_GFP_CLIENT);
	if (!prog)
		return ERR_PTR(-ENOMEM);
	kref_init(&prog->ref);
	prog->nc = nc;
	e.prog = prog;
	ret = -ENOMEM;
	prog->bos = kvcalloc(max(nbos, 1u), sizeof(*prog->bos), NEURON_GFP_CLIENT);
	prog->writes = kvcalloc(max(nbos, 1u), sizeof(*prog->writes), NEURON_GFP_CLIENT);
	e.sgts = kvcalloc(max(nbos, 1u), sizeof(*e.sgts), NEURON_GFP_CLIENT);
	e.cur = kvcalloc(max(nbos, 1u), sizeof(*e.cur), NEURON_GFP_CLIENT);
	if (!prog->bos || !prog->writes || !e.sgts || !e.cur)
		goto err;

	if (nbos) {
		handles = kvmalloc_array(nbos, sizeof(*handles), NEURON_GFP_CLIENT);
		if (!handles)
			goto err;
		ret = -EFAULT;
		if (copy_from_user(handles, u64_to_user_ptr(bo_handles),
				   array_size(nbos, sizeof(*handles))))
			goto err;
	}
	/* nbos counts what was found: the release puts exactly those. */
	for (i = 0; i < nbos; i++) {
		ret = -ENOENT;
		prog->bos[i] = drm_gem_object_lookup(file, handles[i]);
		if (!prog->bos[i])
			goto err;
		prog->nbos = i + 1;
		/*
		 * Twice the same memory would lock its reservation twice: the
		 * same BO, or two objects sharing one reservation (a device BO
		 * and a read-only view of it, two peer imports of one BO).
		 */
		ret = -EINVAL;
		for (j = 0; j < i; j++)
			if (prog->bos[j]->resv == prog->bos[i]->resv)
				goto err;
		if (neuron_bo_is_device(prog->bos[i]))
			continue;
		e.sgts[i] = neuron_bo_sgt(prog->bos[i]);
		if (IS_ERR(e.sgts[i])) {
			ret = PTR_ERR(e.sgts[i]);
			goto err;
		}
	}
	ret = neuron_copy_descs(&tx, tx_ptr, ntx);
	if (ret)
		goto err;
	ret = neuron_copy_descs(&rx, rx_ptr, nrx);
	if (ret)
		goto err;
	/* Arrays sized to what the descriptors can become, not to the limit. */
	ret = neuron_count_pieces(&e, tx, ntx, &e.max_m2s);
	if (!ret)
		ret = neuron_count_pieces(&e, rx, nrx, &e.max_s2m);
	if (ret)
		goto err;
	ret = -ENOMEM;
	prog->m2s = kvmalloc_array(e.max_m2s, sizeof(*prog->m2s), NEURON_GFP_CLIENT);
	prog->s2m = kvmalloc_array(e.max_s2m, sizeof(*prog->s2m), NEURON_GFP_CLIENT);
	if (!prog->m2s || !prog->s2m)
		goto err;
	ret = neuron_enc_all(&e, tx, ntx, rx, nrx);
	if (!ret)
		ret = neuron_prog_trim(prog, &e);
	if (ret)
		goto err;
	kvfree(tx);
	kvfree(rx);
	kvfree(handles);
	kvfree(e.sgts);
	kvfree(e.cur);
	return prog;
err:
	kvfree(tx);
	kvfree(rx);
	kvfree(handles);
	kvfree(e.sgts);
	kvfree(e.cur);
	neuron_prog_put(prog);
	return ERR_PTR(ret);
}

int neuron_ioctl_program_create(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_program_create *args = data;
	struct neuron_prog *prog;
	int ret;
	u32 id;

	if (args->nc >= V1_NC_PER_DEVICE || args->flags)
		return -EINVAL;
	prog = neuron_prog_build(file, args->nc, args->bo_handles, args->bo_count,
				 args->tx, args->tx_count, args->rx, args->rx_count);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	ret = xa_alloc(&nfile->progs, &id, prog, XA_LIMIT(1, DRM_NEURON_MAX_PROGRAMS),
		       NEURON_GFP_CLIENT);
	if (ret) {
		neuron_prog_put(prog);
		return ret == -EBUSY ? -EDQUOT : ret;
	}
	args->handle = id;
	return 0;
}

int neuron_ioctl_program_destroy(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_program_destroy *args = data;
	struct neuron_prog *prog;

	if (args->pad)
		return -EINVAL;
	prog = xa_erase(&nfile->progs, args->handle);
	if (!prog)
		return -ENOENT;
	neuron_prog_put(prog);
	return 0;
}

/* Arm and push @job, publishing its fence on the BOs, syncobj and fd. */
static int neuron_exec_push(struct drm_file *file, struct neuron_job *job,
			    struct drm_neuron_submit *args)
{
	struct neuron_prog *prog = job->prog;
	struct sync_file *sync_file = NULL;
	struct neuron_out_sync out;
	struct ww_acquire_ctx ctx;
	struct dma_fence *done;
	int fd = -1, ret;
	u32 i;

	/*
	 * Our own reference: once pushed, the job may finish and be freed
	 * (with the job's reference) before the reservations are unlocked.
	 */
	kref_get(&prog->ref);
	ret = neuron_out_sync_get(file, &args->out_sync, &out);
	if (ret)
		goto free_job;
	if (args->flags & DRM_NEURON_SUBMIT_OUT_FENCE_FD) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			ret = fd;
			goto put;
		}
	}
	ret = neuron_job_add_in_syncs(file, job, args->in_syncs, args->in_sync_count);
	if (ret)
		goto put;

	ret = drm_gem_lock_reservations(prog->bos, prog->nbos, &ctx);
	if (ret)
		goto put;
	for (i = 0; i < prog->nbos; i++) {
		ret = dma_resv_reserve_fences(prog->bos[i]->resv, 1);
		if (!ret)
			ret = drm_sched_job_add_implicit_dependencies(&job->base,
								      prog->bos[i],
								      prog->writes[i]);
		if (ret)
			goto unlock;
	}
	drm_sched_job_arm(&job->base);
	done = dma_fence_get(&job->base.s_fence->finished);
	if (fd >= 0) {
		sync_file = sync_file_create(done);
		if (!sync_file) {
			/* Armed: the job must run; only the fd is lost. */
			put_unused_fd(fd);
			fd = -1;
			ret = -ENOMEM;
		}
	}
	for (i = 0; i < prog->nbos; i++)
		dma_resv_add_fence(prog->bos[i]->resv, done, prog->writes[i] ?
				   DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);
	drm_sched_entity_push_job(&job->base);
	drm_gem_unlock_reservations(prog->bos, prog->nbos, &ctx);

	neuron_out_sync_publish(&out, done);
	if (sync_file)
		fd_install(fd, sync_file->file);
	args->out_fence_fd = fd;
	dma_fence_put(done);
	neuron_prog_put(prog);
	/* The job runs even if its sync_file could not be made. */
	return ret;

unlock:
	drm_gem_unlock_reservations(prog->bos, prog->nbos, &ctx);
put:
	if (fd >= 0)
		put_unused_fd(fd);
	neuron_out_sync_put(&out);
free_job:
	neuron_job_free(job);
	neuron_prog_put(prog);
	return ret;
}

int neuron_ioctl_submit(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	struct drm_neuron_submit *args = data;
	struct neuron_queue_obj *qo;
	struct neuron_prog *prog;
	struct neuron_job *job;
	int idx, ret;

	args->out_fence_fd = -1;
	if (args->flags & ~DRM_NEURON_SUBMIT_OUT_FENCE_FD ||
	    args->in_sync_count > NEURON_MAX_IN_SYNCS || args->out_sync.flags)
		return -EINVAL;
	if (args->program && (args->bo_count || args->tx_count || args->rx_count))
		return -EINVAL;

	xa_lock(&nfile->queues);
	qo = xa_load(&nfile->queues, args->queue);
	if (qo)
		kref_get(&qo->ref);
	xa_unlock(&nfile->queues);
	if (!qo)
		return -ENOENT;

	if (args->program) {
		xa_lock(&nfile->progs);
		prog = xa_load(&nfile->progs, args->program);
		if (prog)
			kref_get(&prog->ref);
		xa_unlock(&nfile->progs);
		ret = -ENOENT;
		if (!prog)
			goto put_qo;
		ret = -EINVAL;
		if (prog->nc != qo->hwq->nc) {
			neuron_prog_put(prog);
			goto put_qo;
		}
	} else {
		prog = neuron_prog_build(file, qo->hwq->nc, args->bo_handles,
					 args->bo_count, args->tx, args->tx_count,
					 args->rx, args->rx_count);
		ret = PTR_ERR_OR_ZERO(prog);
		if (ret)
			goto put_qo;
	}
	mutex_lock(&qo->lock);
	ret = -ENOENT;
	if (qo->dead)
		goto put_prog;
	ret = -ECANCELED;
	if (READ_ONCE(qo->guilty))
		goto put_prog;
	/*
	 * The job takes a queue object reference of its own and our program
	 * reference; neuron_job_alloc_exec() drops both on error.
	 */
	kref_get(&qo->ref);
	job = neuron_job_alloc_exec(file, qo, prog);
	if (IS_ERR(job)) {
		ret = PTR_ERR(job);
		goto unlock;
	}
	if (!drm_dev_enter(drm, &idx)) {
		neuron_job_free(job);
		ret = -ENODEV;
		goto unlock;
	}
	ret = neuron_exec_push(file, job, args);
	drm_dev_exit(idx);
	goto unlock;

put_prog:
	neuron_prog_put(prog);
unlock:
	mutex_unlock(&qo->lock);
put_qo:
	neuron_queue_obj_put(qo);
	return ret;
}
