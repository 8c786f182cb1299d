// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * The descriptor builder: turns (BO, offset, length) ranges into SUBMIT's
 * BO list and transmit/receive descriptor arrays, valid by construction
 * against the limits the uapi documents:
 *
 * - a descriptor moves 1..DRM_NEURON_DESC_MAX_LENGTH bytes;
 * - transmit descriptors form packets (FIRST .. LAST) of at most 128
 *   hardware descriptors and 1 MiB - 1 bytes;
 * - receive descriptors split every packet exactly, in order;
 * - at most 4096 hardware descriptors per direction and 256 BOs per job.
 *
 * The kernel splits a host range at its DMA segments, which it does not
 * tell userspace about; the builder counts the worst case, one hardware
 * descriptor per page touched, so that what it builds is never refused.
 * Every transmit chunk gets its own receive descriptor of the same length,
 * which makes the receive side split each packet exactly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define MAX_DESC_PER_PACKET	128u
#define MAX_PACKET_BYTES	0xfffffu
#define MAX_HW_DESC		4096u
/* The instruction FIFO window of a NeuronCore (Documentation/neuron/execution.rst). */
#define NC_FIFO_SIZE		0x4000u

struct neuron_job {
	struct neuron_device *dev;	/* of the first BO named */
	struct neuron_bo *bos[DRM_NEURON_SUBMIT_MAX_BOS];
	uint32_t handles[DRM_NEURON_SUBMIT_MAX_BOS];
	uint32_t nbos;
	struct drm_neuron_desc tx[DRM_NEURON_SUBMIT_MAX_DESC];
	struct drm_neuron_desc rx[DRM_NEURON_SUBMIT_MAX_DESC];
	uint32_t ntx, nrx;
	uint32_t hw_tx, hw_rx;		/* worst-case hardware descriptors */
	bool barrier;			/* DMB on the next packet */
};

int neuron_job_create(struct neuron_job **job)
{
	if (!job)
		return neuron_fail(EINVAL, "job: NULL");
	*job = calloc(1, sizeof(**job));
	return *job ? 0 : neuron_fail(ENOMEM, "job");
}

void neuron_job_destroy(struct neuron_job *job)
{
	free(job);
}

void neuron_job_reset(struct neuron_job *job)
{
	if (!job)
		return;
	job->dev = NULL;
	job->nbos = job->ntx = job->nrx = job->hw_tx = job->hw_rx = 0;
	job->barrier = false;
}

/* A range naming the NeuronCore's FIFO or window, not a BO. */
static bool not_bo(const struct neuron_bo *bo)
{
	return !bo || bo == NEURON_NC_WINDOW;
}

/* Hardware descriptors a range may become: one per page for host memory. */
static uint64_t pages_touched(const struct neuron_bo *bo, uint64_t off, uint64_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	if (not_bo(bo) || bo->domain != DRM_NEURON_BO_DOMAIN_HOST)
		return 1;
	return (off + len - 1) / page - off / page + 1;
}

/* The longest length from @off that touches at most @k pages (k >= 1). */
static uint64_t len_in_pages(const struct neuron_bo *bo, uint64_t off, uint64_t k)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	if (not_bo(bo) || bo->domain != DRM_NEURON_BO_DOMAIN_HOST)
		return UINT64_MAX;
	return (off / page + k) * page - off;
}

/* Index of @bo in the job's list, adding it; the uapi's index of the FIFO or window. */
static int64_t bo_index(struct neuron_job *job, struct neuron_bo *bo)
{
	if (!bo)
		return DRM_NEURON_DESC_NC_FIFO;
	if (bo == NEURON_NC_WINDOW)
		return DRM_NEURON_DESC_NC_WINDOW;
	for (uint32_t i = 0; i < job->nbos; i++)
		if (job->bos[i] == bo)
			return (int)i;
	if (job->nbos == DRM_NEURON_SUBMIT_MAX_BOS)
		return neuron_fail(E2BIG, "job: more than %u BOs", DRM_NEURON_SUBMIT_MAX_BOS);
	job->bos[job->nbos] = bo;
	job->handles[job->nbos] = bo->handle;
	return job->nbos++;
}

/* A NeuronCore window range: inside the window and off its control views. */
static int check_window(const struct neuron_range *r, const char *side, uint32_t i)
{
	if (r->offset > NEURON_NC_WINDOW_SIZE || r->length > NEURON_NC_WINDOW_SIZE - r->offset)
		return neuron_fail(EINVAL, "%s[%u]: range %#llx+%#llx outside the NeuronCore "
				   "window's %#llx bytes", side, i, (unsigned long long)r->offset,
				   (unsigned long long)r->length,
				   (unsigned long long)NEURON_NC_WINDOW_SIZE);
	if (r->offset < NEURON_NC_CONTROL_END && r->offset + r->length > NEURON_NC_CONTROL_START)
		return neuron_fail(EINVAL, "%s[%u]: range %#llx+%#llx touches the window's control "
				   "views [%#llx, %#llx) (semaphores and events have their "
				   "own calls)", side, i, (unsigned long long)r->offset,
				   (unsigned long long)r->length,
				   (unsigned long long)NEURON_NC_CONTROL_START,
				   (unsigned long long)NEURON_NC_CONTROL_END);
	return 0;
}

static int check_ranges(struct neuron_job *job, const struct neuron_range *r, uint32_t n,
			bool dst, uint64_t *total)
{
	const char *side = dst ? "dst" : "src";

	*total = 0;
	if (!n || !r)
		return neuron_fail(EINVAL, "%s: no range", side);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t size;
		int ret;

		if (r[i].bo == NEURON_NC_WINDOW) {
			if (!r[i].length)
				return neuron_fail(EINVAL, "%s[%u]: length zero", side, i);
			ret = check_window(&r[i], side, i);
			if (ret)
				return ret;
			*total += r[i].length;
			continue;
		}
		size = r[i].bo ? r[i].bo->size : NC_FIFO_SIZE;
		if (!r[i].bo && !dst)
			return neuron_fail(EINVAL, "src[%u]: the FIFO is a destination only", i);
		if (!r[i].length)
			return neuron_fail(EINVAL, "%s[%u]: length zero", side, i);
		if (r[i].offset > size || r[i].length > size - r[i].offset)
			return neuron_fail(EINVAL, "%s[%u]: range %llu+%llu outside the %s's %llu "
					   "bytes", side, i, (unsigned long long)r[i].offset,
					   (unsigned long long)r[i].length,
					   r[i].bo ? "BO" : "FIFO", (unsigned long long)size);
		if (r[i].bo && job->dev && r[i].bo->dev != job->dev)
			return neuron_fail(EXDEV, "%s[%u]: a BO of another device than the job's",
					   side, i);
		if (r[i].bo && !job->dev)
			job->dev = r[i].bo->dev;
		*total += r[i].length;
	}
	return 0;
}

/* Walks a list of ranges as one byte stream. */
struct cursor {
	const struct neuron_range *r;
	uint32_t i;
	uint64_t off, left;
};

static void cursor_init(struct cursor *c, const struct neuron_range *r)
{
	c->r = r;
	c->i = 0;
	c->off = r[0].offset;
	c->left = r[0].length;
}

static void cursor_advance(struct cursor *c, uint64_t n)
{
	c->off += n;
	c->left -= n;
	if (!c->left) {
		c->i++;
		c->off = c->r[c->i].offset;	/* caller stops before reading past the end */
		c->left = c->r[c->i].length;
	}
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Append one chunk to both sides; *pkt_hw counts the packet's TX hardware descriptors. */
static int add_chunk(struct neuron_job *job, struct cursor *s, struct cursor *d, uint32_t si,
		     uint32_t di, uint64_t len, uint32_t flags)
{
	uint64_t hs = pages_touched(s->r[s->i].bo, s->off, len);
	uint64_t hd = pages_touched(d->r[d->i].bo, d->off, len);

	if (job->ntx == DRM_NEURON_SUBMIT_MAX_DESC || job->hw_tx + hs > MAX_HW_DESC ||
	    job->nrx == DRM_NEURON_SUBMIT_MAX_DESC || job->hw_rx + hd > MAX_HW_DESC)
		return neuron_fail(E2BIG, "job: over %u descriptors per direction (counting "
				   "a host range as one per page); use several jobs", MAX_HW_DESC);
	job->tx[job->ntx++] = (struct drm_neuron_desc){
		.offset = s->off, .bo_index = si, .length = (uint32_t)len, .flags = flags,
	};
	job->rx[job->nrx++] = (struct drm_neuron_desc){
		.offset = d->off, .length = (uint32_t)len, .bo_index = di,
	};
	job->hw_tx += (uint32_t)hs;
	job->hw_rx += (uint32_t)hd;
	return 0;
}

static int build(struct neuron_job *job, const struct neuron_range *src, uint32_t nsrc,
		 const struct neuron_range *dst, uint64_t total)
{
	struct cursor s, d;
	int ret;

	(void)nsrc;
	cursor_init(&s, src);
	cursor_init(&d, dst);
	while (total) {
		uint64_t pkt_bytes = 0, pkt_hw = 0;
		uint32_t first = job->ntx;

		while (total) {
			struct neuron_bo *sbo = s.r[s.i].bo, *dbo = d.r[d.i].bo;
			uint64_t len = min64(min64(s.left, d.left), DRM_NEURON_DESC_MAX_LENGTH);
			int64_t si, di;

			len = min64(len, MAX_PACKET_BYTES - pkt_bytes);
			if (pkt_hw < MAX_DESC_PER_PACKET)
				len = min64(len, len_in_pages(sbo, s.off, MAX_DESC_PER_PACKET - pkt_hw));
			else
				len = 0;
			if (!len)
				break;
			si = bo_index(job, sbo);
			if (si < 0)
				return (int)si;
			di = bo_index(job, dbo);
			if (di < 0)
				return (int)di;
			ret = add_chunk(job, &s, &d, (uint32_t)si, (uint32_t)di, len,
					job->ntx == first ? DRM_NEURON_DESC_FIRST |
					(job->barrier ? DRM_NEURON_DESC_DMB : 0) : 0);
			if (ret)
				return ret;
			pkt_hw += pages_touched(sbo, s.off, len);
			pkt_bytes += len;
			total -= len;
			if (total) {
				cursor_advance(&s, len);
				cursor_advance(&d, len);
			}
		}
		job->tx[job->ntx - 1].flags |= DRM_NEURON_DESC_LAST;
		job->barrier = false;
	}
	return 0;
}

int neuron_job_transfer(struct neuron_job *job, const struct neuron_range *src,
			uint32_t nsrc, const struct neuron_range *dst, uint32_t ndst)
{
	struct neuron_device *dev;
	uint32_t counts[5];
	uint64_t stotal, dtotal;
	bool barrier;
	int ret;

	if (!job)
		return neuron_fail(EINVAL, "job: NULL");
	/* All or nothing: a refused transfer leaves the job as it was. */
	dev = job->dev;
	barrier = job->barrier;
	counts[0] = job->nbos;
	counts[1] = job->ntx;
	counts[2] = job->nrx;
	counts[3] = job->hw_tx;
	counts[4] = job->hw_rx;
	ret = check_ranges(job, src, nsrc, false, &stotal);
	if (!ret)
		ret = check_ranges(job, dst, ndst, true, &dtotal);
	if (!ret && stotal != dtotal)
		ret = neuron_fail(EINVAL, "dst: %llu bytes in all, src %llu",
				  (unsigned long long)dtotal, (unsigned long long)stotal);
	if (!ret)
		ret = build(job, src, nsrc, dst, stotal);
	if (ret) {
		job->dev = dev;
		job->barrier = barrier;
		job->nbos = counts[0];
		job->ntx = counts[1];
		job->nrx = counts[2];
		job->hw_tx = counts[3];
		job->hw_rx = counts[4];
	}
	return ret;
}

int neuron_job_copy(struct neuron_job *job, struct neuron_bo *dst, uint64_t dst_offset,
		    struct neuron_bo *src, uint64_t src_offset, uint64_t size)
{
	struct neuron_range s = { src, src_offset, size }, d = { dst, dst_offset, size };

	if (!src)
		return neuron_fail(EINVAL, "src: NULL");
	if (!dst)
		return neuron_fail(EINVAL, "dst: NULL");
	return neuron_job_transfer(job, &s, 1, &d, 1);
}

int neuron_job_to_fifo(struct neuron_job *job, uint64_t fifo_offset, struct neuron_bo *src,
		       uint64_t src_offset, uint64_t size)
{
	struct neuron_range s = { src, src_offset, size }, d = { NULL, fifo_offset, size };

	if (!src)
		return neuron_fail(EINVAL, "src: NULL");
	return neuron_job_transfer(job, &s, 1, &d, 1);
}

int neuron_job_to_window(struct neuron_job *job, uint64_t window_offset, struct neuron_bo *src,
			 uint64_t src_offset, uint64_t size)
{
	struct neuron_range s = { src, src_offset, size };
	struct neuron_range d = { NEURON_NC_WINDOW, window_offset, size };

	if (not_bo(src))
		return neuron_fail(EINVAL, "src: not a BO");
	return neuron_job_transfer(job, &s, 1, &d, 1);
}

int neuron_job_from_window(struct neuron_job *job, struct neuron_bo *dst, uint64_t dst_offset,
			   uint64_t window_offset, uint64_t size)
{
	struct neuron_range s = { NEURON_NC_WINDOW, window_offset, size };
	struct neuron_range d = { dst, dst_offset, size };

	if (not_bo(dst))
		return neuron_fail(EINVAL, "dst: not a BO");
	return neuron_job_transfer(job, &s, 1, &d, 1);
}

int neuron_job_barrier(struct neuron_job *job)
{
	if (!job)
		return neuron_fail(EINVAL, "job: NULL");
	job->barrier = true;
	return 0;
}

uint32_t neuron_job_bo_count(const struct neuron_job *job)
{
	return job ? job->nbos : 0;
}

const uint32_t *neuron_job_bo_handles(const struct neuron_job *job)
{
	return job ? job->handles : NULL;
}

uint32_t neuron_job_tx_count(const struct neuron_job *job)
{
	return job ? job->ntx : 0;
}

const struct drm_neuron_desc *neuron_job_tx(const struct neuron_job *job)
{
	return job ? job->tx : NULL;
}

uint32_t neuron_job_rx_count(const struct neuron_job *job)
{
	return job ? job->nrx : 0;
}

const struct drm_neuron_desc *neuron_job_rx(const struct neuron_job *job)
{
	return job ? job->rx : NULL;
}

struct neuron_device *neuron_job_device(const struct neuron_job *job)
{
	return job ? job->dev : NULL;
}
