// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Syncobjs (binary and timeline) and sync_files: the core DRM ioctls on
 * them, and the in/out fences of COPY, FILL and SUBMIT built from them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ops.h"

#define ARRAY_LIMIT	4096	/* most handles one syncobj call may name (neuron_core) */

void keep_sync_file(int fd)
{
	if (!pool_put(&syncfds, fd, SYNCFD_SYNC_FILE))
		close(fd);
}

/* A binary (point 0) or timeline syncobj of the client, or a bogus one. */
static void pick_sync(struct ctx *x, struct client *c, struct drm_neuron_sync *s, bool out)
{
	struct rng *r = &x->r;
	uint64_t last;

	memset(s, 0, sizeof(*s));
	if (rnd_pct(r, 50) && pool_pick(&c->sync_bin, r, &s->handle, &last)) {
		s->point = rnd_pct(r, 95) ? 0 : 1;
	} else if (pool_pick(&c->sync_tl, r, &s->handle, &last)) {
		/* out: the next point (or one already passed); in: one that exists. */
		if (out) {
			s->point = rnd_pct(r, 85) ? last + 1 : rnd_pct(r, 50) ? last : UINT64_MAX;
			if (s->point > last)
				pool_set_aux(&c->sync_tl, s->handle, s->point);
		} else {
			s->point = rnd_pct(r, 85) ? rnd_below(r, last + 1) : last + 1;
		}
	} else {
		s->handle = bad_handle(r);
	}
	s->flags = flags_word(r, 2);
}

void pick_in_syncs(struct ctx *x, struct client *c, __u64 *ptr, __u32 *count)
{
	struct rng *r = &x->r;
	static const uint32_t big[] = { 64, 65, 0xffffffffu, 0x80000000u };

	*count = rnd_pct(r, 50) ? 0 : rnd_pct(r, 90) ? 1 + rnd_below(r, 3) : big[rnd_below(r, 4)];
	for (uint32_t i = 0; i < *count && i < MAX_SYNCS; i++)
		pick_sync(x, c, &x->syncs[i], false);
	*ptr = rnd_pct(r, 3) ? bad_ptr(r) : *count || rnd_pct(r, 50) ? (uintptr_t)x->syncs : 0;
}

void pick_out_sync(struct ctx *x, struct client *c, struct drm_neuron_sync *s)
{
	struct rng *r = &x->r;

	if (rnd_pct(r, 40)) {
		memset(s, 0, sizeof(*s));
		if (rnd_pct(r, 3))
			s->point = 1;		/* no handle but a point */
		return;
	}
	pick_sync(x, c, s, true);
}

void op_syncobj_create(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_syncobj_create a = {
		.flags = rnd_pct(r, 30) ? DRM_SYNCOBJ_CREATE_SIGNALED : flags_word(r, 3),
	};
	bool timeline = rnd_pct(r, 50);

	if (!fz_ioctl(x->slot, OP_SYNCOBJ_CREATE, c->fd, DRM_IOCTL_SYNCOBJ_CREATE, &a,
		      "SYNCOBJ_CREATE fd=%d flags=%#x", c->fd, a.flags) &&
	    !pool_put(timeline ? &c->sync_tl : &c->sync_bin, a.handle, 0)) {
		struct drm_syncobj_destroy d = { .handle = a.handle };

		fz_ioctl(x->slot, OP_SYNCOBJ_DESTROY, c->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d,
			 "SYNCOBJ_DESTROY fd=%d h=%u", c->fd, d.handle);
	}
	client_put(c);
}

void op_syncobj_destroy(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_syncobj_destroy a = { .pad = flags_word(r, 3) };
	uint64_t last;

	if (!rnd_pct(r, 85) ||
	    !pool_take(rnd_pct(r, 50) ? &c->sync_bin : &c->sync_tl, r, &a.handle, &last))
		a.handle = bad_handle(r);
	fz_ioctl(x->slot, OP_SYNCOBJ_DESTROY, c->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &a,
		 "SYNCOBJ_DESTROY fd=%d h=%u pad=%#x", c->fd, a.handle, a.pad);
	client_put(c);
}

/* A handle array (and points) of n entries, n possibly at or past the limit. */
static uint32_t fill_array(struct ctx *x, struct client *c, bool points)
{
	struct rng *r = &x->r;
	static const uint32_t big[] = { ARRAY_LIMIT, ARRAY_LIMIT + 1, 0x10000000u, 0xffffffffu, 0 };
	uint32_t n = rnd_pct(r, 90) ? 1 + rnd_below(r, 4) : big[rnd_below(r, 5)];
	struct drm_neuron_sync s;

	for (uint32_t i = 0; i < n && i <= ARRAY_LIMIT; i++) {
		if (i < 8 || rnd_pct(r, 1)) {
			pick_sync(x, c, &s, false);
			x->handles[i] = s.handle;
			x->points[i] = points ? s.point : 0;
		} else {
			x->handles[i] = x->handles[i % 8];
			x->points[i] = x->points[i % 8];
		}
	}
	return n;
}

void op_syncobj_wait(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	bool timeline = rnd_pct(r, 50);
	uint32_t fl = (rnd_pct(r, 50) ? DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL : 0) |
		      (rnd_pct(r, 20) ? DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT : 0) |
		      flags_word(r, 3);
	int64_t deadline = rnd_pct(r, 30) ? 0 : (int64_t)(now_ns() + rnd_below(r, 1000000000ull));
	uint32_t n = fill_array(x, c, timeline);

	if (timeline) {
		struct drm_syncobj_timeline_wait a = {
			.handles = rnd_pct(r, 3) ? bad_ptr(r) : (uintptr_t)x->handles,
			.points = (uintptr_t)x->points, .timeout_nsec = deadline,
			.count_handles = n,
			.flags = fl | (rnd_pct(r, 20) ? DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE : 0),
		};

		fz_ioctl(x->slot, OP_SYNCOBJ_TIMELINE_WAIT, c->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT,
			 &a, "SYNCOBJ_TIMELINE_WAIT fd=%d n=%u h0=%u p0=%llu flags=%#x", c->fd, n,
			 x->handles[0], (unsigned long long)x->points[0], a.flags);
	} else {
		struct drm_syncobj_wait a = {
			.handles = rnd_pct(r, 3) ? bad_ptr(r) : (uintptr_t)x->handles,
			.timeout_nsec = deadline, .count_handles = n, .flags = fl,
		};

		fz_ioctl(x->slot, OP_SYNCOBJ_WAIT, c->fd, DRM_IOCTL_SYNCOBJ_WAIT, &a,
			 "SYNCOBJ_WAIT fd=%d n=%u h0=%u flags=%#x", c->fd, n, x->handles[0],
			 a.flags);
	}
	client_put(c);
}

void op_syncobj_signal(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	int kind = rnd_below(r, 3);
	uint32_t n = fill_array(x, c, kind == 2);
	struct drm_syncobj_array a = { .handles = (uintptr_t)x->handles, .count_handles = n,
				       .pad = flags_word(r, 3) };

	if (kind == 0) {
		fz_ioctl(x->slot, OP_SYNCOBJ_SIGNAL, c->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a,
			 "SYNCOBJ_SIGNAL fd=%d n=%u h0=%u", c->fd, n, x->handles[0]);
	} else if (kind == 1) {
		fz_ioctl(x->slot, OP_SYNCOBJ_RESET, c->fd, DRM_IOCTL_SYNCOBJ_RESET, &a,
			 "SYNCOBJ_RESET fd=%d n=%u h0=%u", c->fd, n, x->handles[0]);
	} else {
		struct drm_syncobj_timeline_array t = {
			.handles = (uintptr_t)x->handles, .points = (uintptr_t)x->points,
			.count_handles = n, .flags = flags_word(r, 3),
		};

		/* Points: mostly past the last one; sometimes behind it or huge. */
		for (uint32_t i = 0; i < n && i < 8; i++)
			x->points[i] = rnd_pct(r, 80) ? x->points[i] + 1 + rnd_below(r, 3) :
				       rnd_pct(r, 50) ? 0 : UINT64_MAX;
		fz_ioctl(x->slot, OP_SYNCOBJ_TIMELINE_SIGNAL, c->fd,
			 DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &t,
			 "SYNCOBJ_TIMELINE_SIGNAL fd=%d n=%u h0=%u p0=%llu", c->fd, n,
			 x->handles[0], (unsigned long long)x->points[0]);
		for (uint32_t i = 0; i < n && i < 8; i++)
			pool_set_aux(&c->sync_tl, x->handles[i], x->points[i]);
	}
	client_put(c);
}

void op_syncobj_query(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	uint32_t n = fill_array(x, c, true);
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)x->handles,
		.points = rnd_pct(r, 3) ? bad_ptr(r) : (uintptr_t)x->points,
		.count_handles = n,
		.flags = rnd_pct(r, 20) ? DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED : flags_word(r, 3),
	};

	fz_ioctl(x->slot, OP_SYNCOBJ_QUERY, c->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a,
		 "SYNCOBJ_QUERY fd=%d n=%u h0=%u flags=%#x", c->fd, n, x->handles[0], a.flags);
	client_put(c);
}

void op_syncobj_transfer(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_sync s, d;
	struct drm_syncobj_transfer a = { 0 };

	pick_sync(x, c, &s, false);
	pick_sync(x, c, &d, true);
	a.src_handle = s.handle;
	a.src_point = s.point;
	a.dst_handle = d.handle;
	a.dst_point = d.point;
	a.flags = rnd_pct(r, 20) ? DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT : flags_word(r, 3);
	a.pad = flags_word(r, 3);
	fz_ioctl(x->slot, OP_SYNCOBJ_TRANSFER, c->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &a,
		 "SYNCOBJ_TRANSFER fd=%d %u:%llu -> %u:%llu flags=%#x", c->fd, a.src_handle,
		 (unsigned long long)a.src_point, a.dst_handle, (unsigned long long)a.dst_point,
		 a.flags);
	client_put(c);
}

/* HANDLE_TO_FD (syncobj fd or sync_file) and FD_TO_HANDLE (either kind, any client). */
void op_syncobj_fd(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_sync s;
	struct drm_syncobj_handle a = { .fd = -1 };
	uint32_t fd;
	uint64_t kind;

	if (rnd_pct(r, 50)) {
		pick_sync(x, c, &s, false);
		a.handle = s.handle;
		a.flags = rnd_pct(r, 50) ? DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE :
					   flags_word(r, 5);
		if (!fz_ioctl(x->slot, OP_SYNCOBJ_HANDLE_TO_FD, c->fd,
			      DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a,
			      "SYNCOBJ_HANDLE_TO_FD fd=%d h=%u flags=%#x", c->fd, a.handle,
			      a.flags) &&
		    !pool_put(&syncfds, a.fd, a.flags ? SYNCFD_SYNC_FILE : SYNCFD_SYNCOBJ))
			close(a.fd);
	} else {
		if (!pool_pick(&syncfds, r, &fd, &kind)) {
			fd = (uint32_t)-1;
			kind = SYNCFD_SYNCOBJ;
		}
		a.fd = (int)fd;
		if (kind == SYNCFD_SYNC_FILE || rnd_pct(r, 10)) {
			/* A sync_file goes into an existing syncobj. */
			pick_sync(x, c, &s, false);
			a.handle = s.handle;
			a.flags = rnd_pct(r, 90) ? DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE :
						   flags_word(r, 100);
		}
		if (!fz_ioctl(x->slot, OP_SYNCOBJ_FD_TO_HANDLE, c->fd,
			      DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &a,
			      "SYNCOBJ_FD_TO_HANDLE fd=%d from=%d h=%u flags=%#x", c->fd, a.fd,
			      a.handle, a.flags) && !a.flags &&
		    !pool_put(&c->sync_bin, a.handle, 0)) {
			struct drm_syncobj_destroy d = { .handle = a.handle };

			fz_ioctl(x->slot, OP_SYNCOBJ_DESTROY, c->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d,
				 "SYNCOBJ_DESTROY fd=%d h=%u", c->fd, d.handle);
		}
	}
	client_put(c);
}

/* Poll a sync_file (or syncobj fd), or close one. */
void op_sync_file(struct ctx *x)
{
	struct rng *r = &x->r;
	uint32_t fd;
	uint64_t kind;

	if (rnd_pct(r, 40)) {
		if (pool_take(&syncfds, r, &fd, &kind))
			close((int)fd);
		else if (pool_take(&dmabufs, r, &fd, &kind))
			close((int)fd);
		return;
	}
	if (pool_pick(&syncfds, r, &fd, &kind)) {
		struct pollfd pfd = { .fd = (int)fd, .events = POLLIN };

		fz_begin(x->slot, "poll sync fd");
		fz_count(OP_SYNC_FILE_POLL, poll(&pfd, 1, (int)rnd_below(r, 50)) < 0 ? -errno : 0);
		fz_end(x->slot, 0);
	}
}
