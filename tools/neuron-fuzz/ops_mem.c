// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Memory operations: QUERY, BO_CREATE/INFO/WAIT, COPY, FILL, GEM_CLOSE,
 * PRIME export and import (same device, the other device: a peer BO or
 * EXDEV), and CPU mappings of dma-bufs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ops.h"

#define MiB (1ull << 20)

void op_query(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_device_info info;
	static const uint32_t sizes[] = { 0, 1, 4, sizeof(info) - 1, sizeof(info),
					  sizeof(info) + 1, 4096, 0xffffffffu };
	uint8_t buf[4096];
	struct drm_neuron_query q = {
		.type = rnd_pct(r, 90) ? DRM_NEURON_QUERY_DEVICE_INFO : (uint32_t)rnd_below(r, 3),
		.size = sizes[rnd_below(r, 8)],
		.flags = flags_word(r, 5),
		.pad = flags_word(r, 5),
	};

	/*
	 * The kernel zero-fills a larger user buffer up to .size: a size past
	 * our buffer points at the thread's guard page, whose end is PROT_NONE,
	 * so the overrun is an EFAULT and not our stack.
	 */
	if (rnd_pct(r, 20))
		q.pointer = 0;
	else if (rnd_pct(r, 10))
		q.pointer = bad_ptr(r);
	else if (q.size <= sizeof(buf))
		q.pointer = (uintptr_t)buf;
	else
		q.pointer = (uintptr_t)x->guard;
	fz_ioctl(x->slot, OP_QUERY, c->fd, DRM_IOCTL_NEURON_QUERY, &q,
		 "QUERY fd=%d type=%u size=%u ptr=%#llx flags=%#x pad=%#x", c->fd, q.type, q.size,
		 (unsigned long long)q.pointer, q.flags, q.pad);
	client_put(c);
}

static uint64_t host_size(struct rng *r)
{
	static const uint64_t v[] = { 1, 4095, 4096, 4097, 8192, 65536, 65537, MiB, 4 * MiB };

	return rnd_pct(r, 40) ? 1 + rnd_below(r, 65536) : v[rnd_below(r, 9)];
}

static uint64_t dram_size(struct rng *r)
{
	static const uint64_t v[] = { 1, 255, 256, 257, 300, 511, 4095, 4096, 4097, 65537,
				      MiB, 16 * MiB };

	return rnd_pct(r, 40) ? 1 + rnd_below(r, 65536) : v[rnd_below(r, 12)];
}

/*
 * Sizes that must be refused or that would pin (host) or clear (DRAM) far
 * more memory than a fuzz run should touch: created and closed at once,
 * never pooled.  (An exact 4 GiB device BO is valid but makes the model
 * clear 4 GiB, so it is left out.)
 */
static uint64_t absurd_size(struct rng *r)
{
	static const uint64_t v[] = { 0, UINT64_MAX, UINT64_MAX - 255, UINT64_MAX - 4095,
				      (1ull << 32) + 1, (1ull << 32) + 256, 1ull << 33,
				      1ull << 63, 1ull << 40 };

	return v[rnd_below(r, 9)];
}

static void close_handle(struct ctx *x, int fd, uint32_t h)
{
	struct drm_gem_close gc = { .handle = h };

	fz_ioctl(x->slot, OP_GEM_CLOSE, fd, DRM_IOCTL_GEM_CLOSE, &gc, "GEM_CLOSE fd=%d h=%u",
		 fd, h);
}

void op_bo_create(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	bool dram = rnd_pct(r, 50), absurd = rnd_pct(r, 8);
	static const uint32_t ch[] = { DRM_NEURON_ANY, 0, 1, 2, 0x80000000u };
	static const uint32_t nc[] = { DRM_NEURON_ANY, 0, 1, 2, 3, 4 };
	struct drm_neuron_bo_create a = {
		.domain = rnd_pct(r, 3) ? (uint32_t)rnd_below(r, 4) :
			  dram ? DRM_NEURON_BO_DOMAIN_DEVICE : DRM_NEURON_BO_DOMAIN_HOST,
		.flags = flags_word(r, 3),
		.pad = flags_word(r, 3),
		.dram_channel = DRM_NEURON_ANY,
		.dram_nc = DRM_NEURON_ANY,
	};
	int ret;

	a.size = absurd ? absurd_size(r) : dram ? dram_size(r) : host_size(r);
	if (dram || rnd_pct(r, 5)) {
		a.dram_channel = rnd_pct(r, 60) ? DRM_NEURON_ANY : ch[rnd_below(r, 5)];
		a.dram_nc = rnd_pct(r, 50) ? DRM_NEURON_ANY : nc[rnd_below(r, 6)];
	}
	ret = fz_ioctl(x->slot, OP_BO_CREATE, c->fd, DRM_IOCTL_NEURON_BO_CREATE, &a,
		       "BO_CREATE fd=%d size=%#llx domain=%u flags=%#x ch=%#x nc=%#x pad=%#x",
		       c->fd, (unsigned long long)a.size, a.domain, a.flags, a.dram_channel,
		       a.dram_nc, a.pad);
	if (!ret) {
		struct pool *p = a.domain == DRM_NEURON_BO_DOMAIN_DEVICE ? &c->dram : &c->host;

		if (absurd || !pool_put(p, a.handle, a.size))
			close_handle(x, c->fd, a.handle);
	}
	client_put(c);
}

void op_bo_info(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	uint64_t size;
	struct drm_neuron_bo_info a = { .handle = pick_bo(c, r, &size, NULL),
					.pad = flags_word(r, 5) };

	fz_ioctl(x->slot, OP_BO_INFO, c->fd, DRM_IOCTL_NEURON_BO_INFO, &a,
		 "BO_INFO fd=%d h=%u pad=%#x", c->fd, a.handle, a.pad);
	client_put(c);
}

void op_bo_wait(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	uint64_t size;
	struct drm_neuron_bo_wait a = { .handle = pick_bo(c, r, &size, NULL),
					.flags = flags_word(r, 5) };
	/* Bounded deadlines: the watchdog counts a wait past 30 s as a hang. */
	switch (rnd_below(r, 6)) {
	case 0: a.timeout_ns = 0; break;
	case 1: a.timeout_ns = -1; break;
	case 2: a.timeout_ns = INT64_MIN; break;
	case 3: a.timeout_ns = 1; break;
	default: a.timeout_ns = (int64_t)(now_ns() + rnd_below(r, 2000000000ull)); break;
	}
	fz_ioctl(x->slot, OP_BO_WAIT, c->fd, DRM_IOCTL_NEURON_BO_WAIT, &a,
		 "BO_WAIT fd=%d h=%u flags=%#x timeout=%lld", c->fd, a.handle, a.flags,
		 (long long)a.timeout_ns);
	client_put(c);
}

static uint32_t pick_nc(struct rng *r)
{
	static const uint32_t v[] = { DRM_NEURON_ANY, 0, 1, 2, 3, 4, 0x7fffffff };

	return rnd_pct(r, 60) ? DRM_NEURON_ANY : v[rnd_below(r, 7)];
}

void op_copy(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	uint64_t ssize, dsize;
	struct drm_neuron_copy a = { 0 };

	a.src_handle = pick_bo(c, r, &ssize, NULL);
	a.dst_handle = rnd_pct(r, 5) ? a.src_handle : pick_bo(c, r, &dsize, NULL);
	if (a.dst_handle == a.src_handle)
		dsize = ssize;
	a.size = pick_len(r, ssize < dsize ? ssize : dsize);
	a.src_offset = rnd_pct(r, 60) ? rnd_below(r, ssize - (a.size < ssize ? a.size : ssize) + 1)
				       : pick_off(r, ssize);
	a.dst_offset = rnd_pct(r, 60) ? rnd_below(r, dsize - (a.size < dsize ? a.size : dsize) + 1)
				       : pick_off(r, dsize);
	a.flags = flags_word(r, 3);
	a.pad = flags_word(r, 3);
	a.nc = pick_nc(r);
	pick_in_syncs(x, c, &a.in_syncs, &a.in_sync_count);
	pick_out_sync(x, c, &a.out_sync);
	fz_ioctl(x->slot, OP_COPY, c->fd, DRM_IOCTL_NEURON_COPY, &a,
		 "COPY fd=%d src=%u+%#llx dst=%u+%#llx size=%#llx flags=%#x nc=%#x in=%#llx/%u "
		 "out=%u:%llu/%#x pad=%#x", c->fd, a.src_handle,
		 (unsigned long long)a.src_offset, a.dst_handle, (unsigned long long)a.dst_offset,
		 (unsigned long long)a.size, a.flags, a.nc, (unsigned long long)a.in_syncs,
		 a.in_sync_count, a.out_sync.handle, (unsigned long long)a.out_sync.point,
		 a.out_sync.flags, a.pad);
	client_put(c);
}

void op_fill(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	uint64_t size;
	struct drm_neuron_fill a = { 0 };

	a.handle = pick_bo(c, r, &size, NULL);
	a.size = pick_len(r, size);
	a.offset = rnd_pct(r, 60) ? rnd_below(r, size - (a.size < size ? a.size : size) + 1)
				   : pick_off(r, size);
	a.value = rnd_pct(r, 90) ? (uint32_t)rnd_below(r, 256) : 256 + (uint32_t)rnd_below(r, 4);
	a.flags = flags_word(r, 3);
	a.pad = flags_word(r, 3);
	a.nc = pick_nc(r);
	pick_in_syncs(x, c, &a.in_syncs, &a.in_sync_count);
	pick_out_sync(x, c, &a.out_sync);
	fz_ioctl(x->slot, OP_FILL, c->fd, DRM_IOCTL_NEURON_FILL, &a,
		 "FILL fd=%d h=%u+%#llx size=%#llx value=%#x flags=%#x nc=%#x in=%#llx/%u "
		 "out=%u:%llu pad=%#x", c->fd, a.handle, (unsigned long long)a.offset,
		 (unsigned long long)a.size, a.value, a.flags, a.nc,
		 (unsigned long long)a.in_syncs, a.in_sync_count, a.out_sync.handle,
		 (unsigned long long)a.out_sync.point, a.pad);
	client_put(c);
}

void op_gem_close(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct pool *p[] = { &c->host, &c->dram, &c->imported };
	struct drm_gem_close gc = { 0 };
	uint64_t size;

	/* Take a pooled BO (its handle dies), or hit a bogus or double close. */
	if (rnd_pct(r, 85) && pool_take(p[rnd_below(r, 3)], r, &gc.handle, &size)) {
		/* Another thread may still be using the handle: that race is wanted. */
	} else {
		gc.handle = bad_handle(r);
	}
	gc.pad = flags_word(r, 3);
	fz_ioctl(x->slot, OP_GEM_CLOSE, c->fd, DRM_IOCTL_GEM_CLOSE, &gc,
		 "GEM_CLOSE fd=%d h=%u pad=%#x", c->fd, gc.handle, gc.pad);
	client_put(c);
}

void op_prime_export(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	static const uint32_t fl[] = { DRM_CLOEXEC, DRM_CLOEXEC | DRM_RDWR, 0, DRM_RDWR,
				       0x80000000u, 0xffffffffu };
	uint64_t size;
	struct drm_prime_handle a = { .handle = pick_bo(c, r, &size, NULL),
				      .flags = fl[rnd_pct(r, 85) ? rnd_below(r, 2) : rnd_below(r, 6)],
				      .fd = -1 };

	if (!fz_ioctl(x->slot, OP_PRIME_HANDLE_TO_FD, c->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &a,
		      "PRIME_HANDLE_TO_FD fd=%d h=%u flags=%#x", c->fd, a.handle, a.flags)) {
		if (!pool_put(&dmabufs, a.fd, (uint64_t)(c - clients) << 56 | size))
			close(a.fd);
	}
	client_put(c);
}

void op_prime_import(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_prime_handle a = { .fd = -1 };
	uint32_t fd;
	uint64_t aux = 4096;

	/* A dma-buf of any client, this device or the other (peer BO or EXDEV). */
	if (rnd_pct(r, 85) && pool_pick(&dmabufs, r, &fd, &aux))
		a.fd = fd;
	else if (rnd_pct(r, 50) && pool_pick(rnd_pct(r, 50) ? &syncfds : &nqfds, r, &fd, NULL))
		a.fd = fd;	/* not a dma-buf */
	else
		a.fd = rnd_pct(r, 50) ? -1 : c->fd;
	a.flags = flags_word(r, 3);
	if (!fz_ioctl(x->slot, OP_PRIME_FD_TO_HANDLE, c->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &a,
		      "PRIME_FD_TO_HANDLE fd=%d dmabuf=%d flags=%#x", c->fd, a.fd, a.flags)) {
		/* A self-import returns an existing handle: pooled twice is fine. */
		if (!pool_put(&c->imported, a.handle, aux & ((1ull << 56) - 1)))
			close_handle(x, c->fd, a.handle);
	}
	client_put(c);
}

void op_dmabuf_mmap(struct ctx *x)
{
	struct rng *r = &x->r;
	uint32_t fd;
	uint64_t aux, size;
	int ret, prot = rnd_pct(r, 50) ? PROT_READ : PROT_READ | PROT_WRITE;
	void *p;

	if (!pool_pick(&dmabufs, r, &fd, &aux))
		return;
	size = aux & ((1ull << 56) - 1);
	size = (size + 4095) & ~4095ull;
	if (rnd_pct(r, 10))
		size += 4096;	/* past the end */
	fz_begin(x->slot, "mmap dmabuf");
	p = mmap(NULL, size, prot, MAP_SHARED, (int)fd, 0);
	ret = p == MAP_FAILED ? -errno : 0;
	fz_end(x->slot, ret);
	fz_count(OP_DMABUF_MMAP, ret);
	if (p == MAP_FAILED)
		return;
	/* Touch only the pages the object has: a fault past it is SIGBUS. */
	if (size <= (aux & ((1ull << 56) - 1)) + 4095)
		((volatile uint8_t *)p)[rnd_below(r, size)];
	munmap(p, size);
}
