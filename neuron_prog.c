// SPDX-License-Identifier: GPL-2.0-only
/*
 * Programs: every job runs one, or a stretch of one.
 *
 * A program is a list of hardware descriptors built and checked at ioctl
 * time, sized to what it holds, plus references on the BOs it reaches.
 * SUBMIT and PROGRAM_CREATE build one from the client's descriptors
 * (&struct drm_neuron_desc: BO index and offset), checking every field, so
 * that a client can only make the device touch its own BOs and its
 * NeuronCore's instruction FIFO.  COPY, FILL and the clearing of new
 * device DRAM build one in the kernel: pairs of one transmit and one
 * receive descriptor ("pieces") over ranges that are contiguous for the
 * device on both sides.  Both walk BO memory with the same cursor.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/dma-mapping.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>

#include "neuron_cores.h"
#include "neuron_drv.h"
#include "neuron_gem.h"
#include "neuron_host_bo.h"
#include "neuron_hw.h"
#include "neuron_prog.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/address_map.h"
#include "v1/udma_regs.h"

#define NEURON_MAX_PACKET_BYTES		0xfffffu
/*
 * Receive descriptors one packet may spread over.  The hardware facts give
 * no such limit, but the device model aborts the S2M half beyond it, and
 * no job the driver accepts may abort an engine.
 */
#define NEURON_MAX_RX_PER_PACKET	1024
#define NEURON_TX_FLAGS	(DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST | \
			 DRM_NEURON_DESC_DMB)
#define NEURON_FILL_SIZE		UDMA_DESC_MAX_LEN

/*
 * Where BO memory is, for the device.  A device BO is one run of DRAM; a
 * host BO is its DMA-mapped sg table, walked from the segment of the last
 * lookup when offsets grow (they mostly do).
 */
struct neuron_bo_cursor {
	struct drm_gem_object *obj;
	struct sg_table *sgt;		/* host BOs only */
	struct scatterlist *sg;		/* segment holding offset @start */
	unsigned int idx;		/* index of @sg among the DMA segments */
	u64 start;
};

static int neuron_bo_cursor_init(struct neuron_bo_cursor *c,
				 struct drm_gem_object *obj)
{
	*c = (struct neuron_bo_cursor){ .obj = obj };
	if (neuron_bo_is_device(obj))
		return 0;
	c->sgt = neuron_bo_sgt(obj);
	return PTR_ERR_OR_ZERO(c->sgt);
}

/*
 * Device address of BO offset @off; *@len is cut to the bytes from there
 * that are contiguous for the device (later segments that continue a
 * segment count as one run).  @off + *@len is inside the BO.
 */
static u64 neuron_bo_cursor_at(struct neuron_bo_cursor *c, u64 off, u64 *len)
{
	struct scatterlist *sg;
	unsigned int i;
	dma_addr_t end;
	u64 run;

	if (!c->sgt)
		return neuron_bo_dev_addr(c->obj) + off;
	if (!c->sg || off < c->start) {
		c->sg = c->sgt->sgl;
		c->idx = 0;
		c->start = 0;
	}
	while (off >= c->start + sg_dma_len(c->sg) && c->idx + 1 < c->sgt->nents) {
		c->start += sg_dma_len(c->sg);
		c->sg = sg_next(c->sg);
		c->idx++;
	}
	run = c->start + sg_dma_len(c->sg) - off;
	end = sg_dma_address(c->sg) + sg_dma_len(c->sg);
	for (sg = sg_next(c->sg), i = c->idx + 1; run < *len && i < c->sgt->nents;
	     sg = sg_next(sg), i++) {
		if (sg_dma_address(sg) != end)
			break;
		run += sg_dma_len(sg);
		end += sg_dma_len(sg);
	}
	*len = min(*len, run);
	return neuron_v1_host_dev_addr(sg_dma_address(c->sg) + (off - c->start));
}

static void neuron_prog_release(struct kref *ref)
{
	struct neuron_prog *prog = container_of(ref, struct neuron_prog, ref);
	u32 i;

	for (i = 0; i < prog->nbos; i++)
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

/* A program with room for @nbos BO references; charged to the client. */
static struct neuron_prog *neuron_prog_alloc(int nc, u32 nbos)
{
	struct neuron_prog *prog;

	prog = kzalloc_obj(*prog, NEURON_GFP_CLIENT);
	if (!prog)
		return NULL;
	kref_init(&prog->ref);
	prog->nc = nc;
	prog->bos = kvcalloc(max(nbos, 1u), sizeof(*prog->bos), NEURON_GFP_CLIENT);
	prog->writes = kvcalloc(max(nbos, 1u), sizeof(*prog->writes), NEURON_GFP_CLIENT);
	if (!prog->bos || !prog->writes) {
		neuron_prog_put(prog);
		return NULL;
	}
	return prog;
}

static int neuron_prog_alloc_descs(struct neuron_prog *prog, u32 m2s, u32 s2m)
{
	prog->m2s = kvmalloc_array(m2s, sizeof(*prog->m2s), NEURON_GFP_CLIENT);
	prog->s2m = kvmalloc_array(s2m, sizeof(*prog->s2m), NEURON_GFP_CLIENT);
	return prog->m2s && prog->s2m ? 0 : -ENOMEM;
}

/* Client programs: what one user descriptor set is being encoded with. */
struct neuron_enc {
	struct drm_file *file;
	struct neuron_prog *prog;
	struct neuron_bo_cursor *cur;
	u32 max_m2s;
	u32 max_s2m;
};

/*
 * A descriptor into the queue's NeuronCore's window, from @d->offset to
 * @end: the caller must own the core (-EACCES), the range must lie in the
 * window and keep off the control views, which have their own ioctls
 * (-EINVAL).  A receive range over the PE FIFO feeds the core.
 */
static int neuron_enc_window(struct neuron_enc *e, const struct drm_neuron_desc *d,
			     bool rx, u64 end)
{
	struct neuron_prog *prog = e->prog;
	struct neuron_hwdesc *out = rx ? prog->s2m : prog->m2s;
	u32 *n = rx ? &prog->n_s2m : &prog->n_m2s;
	u32 max = rx ? e->max_s2m : e->max_m2s;
	u32 ctrl = UDMA_DESC_LEN_ENCODE(d->length);

	if (end > DRM_NEURON_NC_WINDOW_SIZE ||
	    (d->offset < DRM_NEURON_NC_CONTROL_END && end > DRM_NEURON_NC_CONTROL_START) ||
	    *n == max)
		return -EINVAL;
	if (!neuron_core_owned_by(to_neuron_device(e->file->minor->dev), e->file, prog->nc))
		return -EACCES;
	prog->nc_window = true;
	if (rx && d->offset < V1_NC_PE_IRAM_FIFO + V1_NC_PE_IRAM_FIFO_SIZE &&
	    end > V1_NC_PE_IRAM_FIFO)
		prog->nc_fifo = true;
	if (!rx) {
		if (d->flags & DRM_NEURON_DESC_FIRST)
			ctrl |= UDMA_DESC_FIRST;
		if (d->flags & DRM_NEURON_DESC_DMB)
			ctrl |= UDMA_DESC_DMB;
		if (d->flags & DRM_NEURON_DESC_LAST)
			ctrl |= UDMA_DESC_LAST;
	}
	out[(*n)++] = (struct neuron_hwdesc) {
		.ctrl = ctrl,
		.word1 = rx ? 0 : UDMA_M2S_META_COPY,
		.addr = V1_TPB_BASE + V1_NC_WINDOW_OFFSET(prog->nc) + d->offset,
	};
	return 1;
}

/*
 * Encode one user descriptor as one or more hardware descriptors (a host
 * BO range may cross DMA segments).  FIRST and DMB go on the first piece,
 * LAST on the last.  Returns the number of pieces, -EINVAL, or -EACCES for
 * a receive descriptor into a read-only import.
 */
static int neuron_enc_desc(struct neuron_enc *e, const struct drm_neuron_desc *d,
			   bool rx)
{
	struct neuron_prog *prog = e->prog;
	struct neuron_hwdesc *out = rx ? prog->s2m : prog->m2s;
	u32 *n = rx ? &prog->n_s2m : &prog->n_m2s;
	u32 max = rx ? e->max_s2m : e->max_m2s;
	u64 off = d->offset, end, left = d->length;
	int pieces = 0;

	if (d->pad || !d->length || d->length > DRM_NEURON_DESC_MAX_LENGTH)
		return -EINVAL;
	if (rx ? d->flags : d->flags & ~NEURON_TX_FLAGS)
		return -EINVAL;
	if (check_add_overflow(d->offset, (u64)d->length, &end))
		return -EINVAL;

	if (d->bo_index == DRM_NEURON_DESC_NC_WINDOW)
		return neuron_enc_window(e, d, rx, end);
	if (d->bo_index == DRM_NEURON_DESC_NC_FIFO) {
		if (!rx || end > V1_NC_PE_IRAM_FIFO_SIZE || *n == max)
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
		u64 len = left;
		u64 addr = neuron_bo_cursor_at(&e->cur[d->bo_index], off, &len);

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
	if (d->bo_index == DRM_NEURON_DESC_NC_FIFO || d->bo_index == DRM_NEURON_DESC_NC_WINDOW ||
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
		    d[i].bo_index != DRM_NEURON_DESC_NC_WINDOW &&
		    (d[i].bo_index >= e->prog->nbos || !d[i].length ||
		     check_add_overflow(d[i].offset, (u64)d[i].length, &end) ||
		     end > neuron_bo_size(e->prog->bos[d[i].bo_index])))
			return -EINVAL;
		sum += neuron_desc_max_pieces(e, &d[i]);
	}
	if (sum > NEURON_PROG_MAX_HWDESC)
		return -EINVAL;
	*total = sum;
	return 0;
}

/*
 * Check the packet framing of @tx and that @rx splits the packets exactly,
 * then encode both.  Every engine limit is checked, on the worst case of
 * the split (neuron_desc_max_pieces()): at most V1_MAX_DESC_PER_PACKET
 * transmit and NEURON_MAX_RX_PER_PACKET receive descriptors and
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
 * Look up the client's BO handles into @prog, with a cursor each.  Twice
 * the same memory would lock its reservation twice: the same BO, or two
 * objects sharing one reservation (a device BO and a read-only view of it,
 * two peer imports of one BO) are refused.
 */
static int neuron_prog_lookup_bos(struct drm_file *file, struct neuron_enc *e,
				  u64 bo_handles, u32 nbos)
{
	struct neuron_prog *prog = e->prog;
	u32 *handles, i, j;
	int ret;

	if (!nbos)
		return 0;
	handles = kvmalloc_array(nbos, sizeof(*handles), NEURON_GFP_CLIENT);
	if (!handles)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(handles, u64_to_user_ptr(bo_handles),
			   array_size(nbos, sizeof(*handles))))
		goto out;
	/* nbos counts what was found: the release puts exactly those. */
	for (i = 0; i < nbos; i++) {
		ret = -ENOENT;
		prog->bos[i] = drm_gem_object_lookup(file, handles[i]);
		if (!prog->bos[i])
			goto out;
		prog->nbos = i + 1;
		ret = -EINVAL;
		for (j = 0; j < i; j++)
			if (prog->bos[j]->resv == prog->bos[i]->resv)
				goto out;
		ret = neuron_bo_cursor_init(&e->cur[i], prog->bos[i]);
		if (ret)
			goto out;
	}
	prog->nresv = nbos;
	ret = 0;
out:
	kvfree(handles);
	return ret;
}

/**
 * neuron_prog_build() - a program from a client's descriptors
 * @file: the client
 * @nc: NeuronCore whose queues will run it
 * @bo_handles: user array of @nbos GEM handles
 * @nbos: BOs the descriptors index
 * @tx_ptr: user array of @ntx transmit descriptors
 * @ntx: transmit descriptors
 * @rx_ptr: user array of @nrx receive descriptors
 * @nrx: receive descriptors
 *
 * Checks every field of every descriptor (uapi: &struct drm_neuron_desc)
 * and encodes the hardware descriptors, in arrays sized to the worst case
 * of what the descriptors can become.
 *
 * Return: the program, or an ERR_PTR: -EINVAL, -EACCES (a receive
 * descriptor into a read-only import, a window descriptor of a NeuronCore
 * @file does not own), -ENOENT, -EFAULT, -ENOMEM.
 */
struct neuron_prog *neuron_prog_build(struct drm_file *file, int nc,
				      u64 bo_handles, u32 nbos, u64 tx_ptr,
				      u32 ntx, u64 rx_ptr, u32 nrx)
{
	struct drm_neuron_desc *tx = NULL, *rx = NULL;
	struct neuron_enc e = {};
	int ret;

	if (!ntx || !nrx || ntx > DRM_NEURON_SUBMIT_MAX_DESC ||
	    nrx > DRM_NEURON_SUBMIT_MAX_DESC || nbos > DRM_NEURON_SUBMIT_MAX_BOS)
		return ERR_PTR(-EINVAL);

	e.file = file;
	e.prog = neuron_prog_alloc(nc, nbos);
	e.cur = kvcalloc(max(nbos, 1u), sizeof(*e.cur), NEURON_GFP_CLIENT);
	ret = -ENOMEM;
	if (!e.prog || !e.cur)
		goto out;
	ret = neuron_prog_lookup_bos(file, &e, bo_handles, nbos);
	if (!ret)
		ret = neuron_copy_descs(&tx, tx_ptr, ntx);
	if (!ret)
		ret = neuron_copy_descs(&rx, rx_ptr, nrx);
	if (!ret)
		ret = neuron_count_pieces(&e, tx, ntx, &e.max_m2s);
	if (!ret)
		ret = neuron_count_pieces(&e, rx, nrx, &e.max_s2m);
	if (!ret)
		ret = neuron_prog_alloc_descs(e.prog, e.max_m2s, e.max_s2m);
	if (!ret)
		ret = neuron_enc_all(&e, tx, ntx, rx, nrx);
out:
	kvfree(tx);
	kvfree(rx);
	kvfree(e.cur);
	if (ret) {
		neuron_prog_put(e.prog);
		return ERR_PTR(ret);
	}
	return e.prog;
}

/* A kernel-built copy: both sides, and the bytes left. */
struct neuron_copy_walk {
	struct neuron_bo_cursor src;	/* .obj NULL: a fill */
	struct neuron_bo_cursor dst;
	dma_addr_t fill_dma;
	u64 src_off;
	u64 dst_off;
	u64 left;
};

/* Length of the next piece (0 at the end), device addresses in @s and @d. */
static u64 neuron_copy_walk_next(struct neuron_copy_walk *w, u64 *s, u64 *d)
{
	u64 len = min_t(u64, w->left, UDMA_DESC_MAX_LEN);

	if (!len)
		return 0;
	*d = neuron_bo_cursor_at(&w->dst, w->dst_off, &len);
	if (w->src.obj)
		*s = neuron_bo_cursor_at(&w->src, w->src_off, &len);
	else
		*s = neuron_v1_host_dev_addr(w->fill_dma);
	w->src_off += len;
	w->dst_off += len;
	w->left -= len;
	return len;
}

static int neuron_copy_walk_init(struct neuron_copy_walk *w,
				 struct drm_gem_object *dst, u64 dst_off,
				 struct drm_gem_object *src, u64 src_off,
				 u64 size, dma_addr_t fill_dma)
{
	int ret;

	*w = (struct neuron_copy_walk){
		.fill_dma = fill_dma, .src_off = src_off, .dst_off = dst_off,
		.left = size,
	};
	ret = neuron_bo_cursor_init(&w->dst, dst);
	if (!ret && src)
		ret = neuron_bo_cursor_init(&w->src, src);
	return ret;
}

/**
 * neuron_prog_copy() - a program that copies or fills a range
 * @nc: NeuronCore whose copy queue will run it
 * @dst: destination BO (the program takes a reference)
 * @dst_off: offset in @dst
 * @src: source BO (the program takes a reference), or NULL for a fill
 * @src_off: offset in @src
 * @size: bytes; the ranges were checked against the BOs
 * @fill_dma: a fill's source: NEURON_FILL_SIZE bytes of its value
 *
 * One piece per stretch that is contiguous for the device on both sides,
 * at most 64 KiB: a transmit descriptor (FIRST | LAST) and a receive
 * descriptor.  The last piece of every part of NEURON_PROG_PART_PIECES
 * (every job the copy is cut into) carries DMB, as the legacy driver's
 * last data descriptor.  The pieces are counted first, so that the arrays
 * are exact.  @dst is the program's first BO, and the only one written;
 * @src, when it has a reservation object of its own, the second.
 *
 * Return: the program, or an ERR_PTR (-ENOMEM, or an error mapping a host
 * BO).
 */
struct neuron_prog *neuron_prog_copy(int nc, struct drm_gem_object *dst,
				     u64 dst_off, struct drm_gem_object *src,
				     u64 src_off, u64 size, dma_addr_t fill_dma)
{
	struct neuron_copy_walk w;
	struct neuron_prog *prog;
	u64 s, d, len;
	u32 n = 0;
	int ret;

	prog = neuron_prog_alloc(nc, 2);
	if (!prog)
		return ERR_PTR(-ENOMEM);
	prog->bos[prog->nbos] = dst;
	prog->writes[prog->nbos++] = true;
	drm_gem_object_get(dst);
	if (src) {
		prog->bos[prog->nbos++] = src;
		drm_gem_object_get(src);
	}
	prog->nresv = src && src->resv != dst->resv ? 2 : 1;
	prog->pieces = true;

	ret = neuron_copy_walk_init(&w, dst, dst_off, src, src_off, size, fill_dma);
	if (ret)
		goto err;
	while (neuron_copy_walk_next(&w, &s, &d))
		n++;
	ret = neuron_prog_alloc_descs(prog, n, n);
	if (ret)
		goto err;
	neuron_copy_walk_init(&w, dst, dst_off, src, src_off, size, fill_dma);
	while ((len = neuron_copy_walk_next(&w, &s, &d))) {
		u32 ctrl = UDMA_DESC_LEN_ENCODE(len) | UDMA_DESC_FIRST | UDMA_DESC_LAST;
		u32 i = prog->n_m2s++;

		if ((i + 1) % NEURON_PROG_PART_PIECES == 0 || i + 1 == n)
			ctrl |= UDMA_DESC_DMB;
		prog->m2s[i] = (struct neuron_hwdesc){
			.ctrl = ctrl, .word1 = UDMA_M2S_META_COPY, .addr = s,
		};
		prog->s2m[prog->n_s2m++] = (struct neuron_hwdesc){
			.ctrl = UDMA_DESC_LEN_ENCODE(len), .addr = d,
		};
	}
	if (WARN_ON(prog->n_m2s != n)) {
		ret = -EINVAL;
		goto err;
	}
	return prog;
err:
	neuron_prog_put(prog);
	return ERR_PTR(ret);
}

/**
 * struct neuron_fill - a device's fill sources
 * @lock: protects @buf and @dma
 * @buf: NEURON_FILL_SIZE host bytes of one value each, allocated on first
 *	use and kept until the device goes
 * @dma: their bus addresses
 */
struct neuron_fill {
	struct mutex lock; /* @buf, @dma */
	void *buf[256];
	dma_addr_t dma[256];
};

/**
 * neuron_fill_init() - the device's fill sources, and the zeroes DRAM
 *	clearing needs
 * @ndev: the device
 *
 * Return: 0 or -ENOMEM.
 */
int neuron_fill_init(struct neuron_device *ndev)
{
	dma_addr_t dma;
	int ret;

	ndev->fill = drmm_kzalloc(&ndev->drm, sizeof(*ndev->fill), GFP_KERNEL);
	if (!ndev->fill)
		return -ENOMEM;
	ret = drmm_mutex_init(&ndev->drm, &ndev->fill->lock);
	if (ret)
		return ret;
	return neuron_fill_source(ndev, 0, &dma);
}

/**
 * neuron_fill_source() - NEURON_FILL_SIZE host bytes full of @value
 * @ndev: the device
 * @value: the byte
 * @dma: its bus address
 *
 * At most 256 of them per device, so that fills need no per-job buffer.
 * Coherent memory of the PCI device: the caller is inside drm_dev_enter().
 *
 * Return: 0 or -ENOMEM.
 */
int neuron_fill_source(struct neuron_device *ndev, u8 value, dma_addr_t *dma)
{
	struct neuron_fill *fill = ndev->fill;
	int ret = 0;

	mutex_lock(&fill->lock);
	if (!fill->buf[value]) {
		fill->buf[value] = dmam_alloc_coherent(&ndev->pdev->dev,
						       NEURON_FILL_SIZE,
						       &fill->dma[value], GFP_KERNEL);
		if (fill->buf[value])
			memset(fill->buf[value], value, NEURON_FILL_SIZE);
		else
			ret = -ENOMEM;
	}
	*dma = fill->dma[value];
	mutex_unlock(&fill->lock);
	return ret;
}
