// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Execution and firmware operations: queues, SUBMIT (descriptors or a
 * program), programs, notification queues and their fds, semaphores,
 * events, FWIO reads, statistics posts and RESET (EPERM for the
 * unprivileged worker).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt_neuron_v1.h"
#include "ops.h"

#define MAX_DESC	DRM_NEURON_SUBMIT_MAX_DESC
#define MAX_BOS		DRM_NEURON_SUBMIT_MAX_BOS

void op_queue_create(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_queue_create a = {
		.nc = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 4) : (uint32_t)rnd_below(r, 8),
		.engine = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 3) : 3,
		.queue = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 16) : 16,
		.flags = flags_word(r, 3),
		.pad = flags_word(r, 3),
	};

	if (rnd_pct(r, 5)) {		/* the driver's copy queue */
		a.engine = 2;
		a.queue = 15;
	}
	if (!fz_ioctl(x->slot, OP_QUEUE_CREATE, c->fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &a,
		      "QUEUE_CREATE fd=%d nc=%u engine=%u queue=%u flags=%#x pad=%#x", c->fd,
		      a.nc, a.engine, a.queue, a.flags, a.pad) &&
	    !pool_put(&c->queue, a.handle, a.nc)) {
		struct drm_neuron_queue_destroy d = { .handle = a.handle };

		fz_ioctl(x->slot, OP_QUEUE_DESTROY, c->fd, DRM_IOCTL_NEURON_QUEUE_DESTROY, &d,
			 "QUEUE_DESTROY fd=%d h=%u", c->fd, d.handle);
	}
	client_put(c);
}

void op_queue_destroy(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_queue_destroy a = { .pad = flags_word(r, 3) };
	uint64_t nc;

	if (!rnd_pct(r, 85) || !pool_take(&c->queue, r, &a.handle, &nc))
		a.handle = bad_handle(r);
	fz_ioctl(x->slot, OP_QUEUE_DESTROY, c->fd, DRM_IOCTL_NEURON_QUEUE_DESTROY, &a,
		 "QUEUE_DESTROY fd=%d h=%u pad=%#x", c->fd, a.handle, a.pad);
	client_put(c);
}

/*
 * Descriptors for a job that moves len bytes from BO 0 to BO 1 (mostly
 * valid, so that real jobs run), then damaged field by field now and then.
 * Returns a short description for the log.
 */
struct job {
	uint32_t bo_count, tx_count, rx_count;
	uint64_t bo_ptr, tx_ptr, rx_ptr;
	char what[48];
};

static void build_job(struct ctx *x, struct client *c, struct job *j)
{
	struct rng *r = &x->r;
	uint64_t s0, s1, len;
	int k0, k1;

	x->bos[0] = pick_bo(c, r, &s0, &k0);
	x->bos[1] = pick_bo(c, r, &s1, &k1);
	j->bo_count = 2;
	len = 1 + rnd_below(r, (s0 < s1 ? s0 : s1) < 4096 ? (s0 < s1 ? s0 : s1) : 4096);
	memset(x->tx, 0, 2 * sizeof(*x->tx));
	memset(x->rx, 0, 2 * sizeof(*x->rx));
	x->tx[0] = (struct drm_neuron_desc){ .offset = rnd_below(r, s0 - len + 1), .bo_index = 0,
					     .length = len, .flags = DRM_NEURON_DESC_FIRST |
					     DRM_NEURON_DESC_LAST };
	x->rx[0] = (struct drm_neuron_desc){ .offset = rnd_below(r, s1 - len + 1), .bo_index = 1,
					     .length = len };
	j->tx_count = j->rx_count = 1;
	snprintf(j->what, sizeof(j->what), "job %u->%u len %llu", x->bos[0], x->bos[1],
		 (unsigned long long)len);
	if (rnd_pct(r, 15) && len > 1) {	/* a two-descriptor packet, one RX */
		x->tx[0].length = len / 2;
		x->tx[0].flags = DRM_NEURON_DESC_FIRST;
		x->tx[1] = (struct drm_neuron_desc){ .offset = x->tx[0].offset + len / 2,
						     .length = len - len / 2,
						     .flags = DRM_NEURON_DESC_LAST };
		j->tx_count = 2;
	}
	/* The damage: one or two fields past a limit. */
	for (int n = rnd_pct(r, 60) ? 0 : 1 + rnd_below(r, 2); n; n--) {
		struct drm_neuron_desc *d = rnd_pct(r, 50) ? &x->tx[0] : &x->rx[0];

		switch (rnd_below(r, 14)) {
		case 0: d->offset = pick_off(r, d == x->tx ? s0 : s1); break;
		case 1: d->length = (uint32_t)pick_len(r, d == x->tx ? s0 : s1); break;
		case 2: d->bo_index = rnd_pct(r, 50) ? 2 : DRM_NEURON_DESC_NC_FIFO; break;
		case 3: d->flags = flags_word(r, 100); break;
		case 4: d->pad = flags_word(r, 100); break;
		case 5: x->bos[1] = x->bos[0]; break;		/* a BO named twice */
		case 6: j->bo_count = rnd_pct(r, 50) ? MAX_BOS + 1 : 0; break;
		case 7: {	/* limits: MAX_DESC one-byte packets, or one more */
			uint32_t n = rnd_pct(r, 50) ? MAX_DESC : MAX_DESC + 1;

			for (uint32_t i = 0; i < n; i++) {
				x->tx[i] = (struct drm_neuron_desc){ .offset = 0, .length = 1,
					.flags = DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST };
				x->rx[i] = (struct drm_neuron_desc){ .offset = 0, .bo_index = 1,
								     .length = 1 };
			}
			j->tx_count = j->rx_count = n;
			break;
		}
		case 8: j->tx_count = 0; break;
		case 9: j->rx_count = rnd_pct(r, 50) ? 0 : 0xffffffffu; break;
		case 10: x->rx[0].length = x->tx[0].length + 1; break;	/* packet not split */
		case 11: x->tx[0].flags = DRM_NEURON_DESC_FIRST; break;	/* unterminated */
		case 12: d->length = DRM_NEURON_DESC_MAX_LENGTH + (uint32_t)rnd_below(r, 2); break;
		default: x->rx[0].offset = 0; x->rx[0].bo_index = DRM_NEURON_DESC_NC_FIFO; break;
		}
	}
	if (j->bo_count == MAX_BOS + 1)
		for (uint32_t i = 2; i < j->bo_count; i++)
			x->bos[i] = x->bos[i & 1];
	j->bo_ptr = rnd_pct(r, 3) ? bad_ptr(r) : (uintptr_t)x->bos;
	j->tx_ptr = rnd_pct(r, 3) ? bad_ptr(r) : (uintptr_t)x->tx;
	j->rx_ptr = rnd_pct(r, 3) ? bad_ptr(r) : (uintptr_t)x->rx;
}

void op_submit(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_submit a = { .out_fence_fd = -1 };
	uint64_t nc = 0, pnc;
	struct job j;

	if (!pool_pick(&c->queue, r, &a.queue, &nc) || rnd_pct(r, 3))
		a.queue = bad_handle(r);
	if (rnd_pct(r, 30) && pool_pick(&c->program, r, &a.program, &pnc)) {
		/* A program: no descriptors, and mostly its own NeuronCore's queue. */
		memset(&j, 0, sizeof(j));
		snprintf(j.what, sizeof(j.what), "program nc%llu", (unsigned long long)pnc);
		if (rnd_pct(r, 5))
			build_job(x, c, &j);
	} else {
		build_job(x, c, &j);
	}
	a.bo_count = j.bo_count;
	a.tx_count = j.tx_count;
	a.rx_count = j.rx_count;
	a.bo_handles = j.bo_ptr;
	a.tx = j.tx_ptr;
	a.rx = j.rx_ptr;
	a.flags = rnd_pct(r, 30) ? DRM_NEURON_SUBMIT_OUT_FENCE_FD : flags_word(r, 3);
	pick_in_syncs(x, c, &a.in_syncs, &a.in_sync_count);
	pick_out_sync(x, c, &a.out_sync);
	if (!fz_ioctl(x->slot, OP_SUBMIT, c->fd, DRM_IOCTL_NEURON_SUBMIT, &a,
		      "SUBMIT fd=%d queue=%u(nc%llu) program=%u %s bos=%u tx=%u rx=%u ptrs=%#llx,"
		      "%#llx,%#llx flags=%#x in=%#llx/%u out=%u:%llu", c->fd, a.queue,
		      (unsigned long long)nc, a.program, j.what, a.bo_count, a.tx_count,
		      a.rx_count, (unsigned long long)a.bo_handles, (unsigned long long)a.tx,
		      (unsigned long long)a.rx, a.flags, (unsigned long long)a.in_syncs,
		      a.in_sync_count, a.out_sync.handle, (unsigned long long)a.out_sync.point) &&
	    a.out_fence_fd >= 0)
		keep_sync_file(a.out_fence_fd);
	client_put(c);
}

void op_program_create(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_program_create a = {
		.nc = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 4) : 4 + (uint32_t)rnd_below(r, 4),
		.flags = flags_word(r, 3),
	};
	struct job j;

	build_job(x, c, &j);
	a.bo_count = j.bo_count;
	a.tx_count = j.tx_count;
	a.rx_count = j.rx_count;
	a.bo_handles = j.bo_ptr;
	a.tx = j.tx_ptr;
	a.rx = j.rx_ptr;
	if (!fz_ioctl(x->slot, OP_PROGRAM_CREATE, c->fd, DRM_IOCTL_NEURON_PROGRAM_CREATE, &a,
		      "PROGRAM_CREATE fd=%d nc=%u %s bos=%u tx=%u rx=%u flags=%#x", c->fd, a.nc,
		      j.what, a.bo_count, a.tx_count, a.rx_count, a.flags) &&
	    !pool_put(&c->program, a.handle, a.nc)) {
		struct drm_neuron_program_destroy d = { .handle = a.handle };

		fz_ioctl(x->slot, OP_PROGRAM_DESTROY, c->fd, DRM_IOCTL_NEURON_PROGRAM_DESTROY, &d,
			 "PROGRAM_DESTROY fd=%d h=%u", c->fd, d.handle);
	}
	client_put(c);
}

void op_program_destroy(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_program_destroy a = { .pad = flags_word(r, 3) };
	uint64_t nc;

	if (!rnd_pct(r, 85) || !pool_take(&c->program, r, &a.handle, &nc))
		a.handle = bad_handle(r);
	fz_ioctl(x->slot, OP_PROGRAM_DESTROY, c->fd, DRM_IOCTL_NEURON_PROGRAM_DESTROY, &a,
		 "PROGRAM_DESTROY fd=%d h=%u pad=%#x", c->fd, a.handle, a.pad);
	client_put(c);
}

void op_nq_create(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	static const uint32_t sizes[] = { 4096, 8192, 65536, 1u << 20, 0, 4095, 12288,
					  2u << 20, 0x80000000u };
	struct drm_neuron_nq_create a = {
		.nc = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 4) : 4,
		.type = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 4) : 4,
		.instance = rnd_pct(r, 90) ? (uint32_t)rnd_below(r, 4) : (uint32_t)rnd_below(r, 6),
		.size = sizes[rnd_pct(r, 85) ? rnd_below(r, 4) : rnd_below(r, 9)],
		.flags = flags_word(r, 3),
		.pad = flags_word(r, 3),
		.pad2 = flags_word(r, 3),
		.fd = -1,
	};

	if (a.type >= DRM_NEURON_NQ_EVENT && rnd_pct(r, 70))
		a.instance = 0;
	if (!fz_ioctl(x->slot, OP_NQ_CREATE, c->fd, DRM_IOCTL_NEURON_NQ_CREATE, &a,
		      "NQ_CREATE fd=%d nc=%u type=%u instance=%u size=%#x flags=%#x pad=%#x,%#x",
		      c->fd, a.nc, a.type, a.instance, a.size, a.flags, a.pad, a.pad2) &&
	    !pool_put(&nqfds, a.fd, a.size))
		close(a.fd);
	client_put(c);
}

/* read/write/mmap/poll/close on a notification queue fd. */
void op_nq_io(struct ctx *x)
{
	struct rng *r = &x->r;
	uint32_t fd;
	uint64_t size, v = 0, buf[2];
	char text[64];
	ssize_t n;
	void *p;

	if (!pool_pick(&nqfds, r, &fd, &size))
		return;
	snprintf(text, sizeof(text), "nq fd=%u", fd);
	fz_begin(x->slot, text);
	switch (rnd_below(r, 6)) {
	case 0:
	case 1: {
		static const size_t lens[] = { 8, 8, 8, 7, 16, 0 };

		n = read((int)fd, buf, lens[rnd_below(r, 6)]);
		fz_count(OP_NQ_READ, n < 0 ? -errno : 0);
		v = buf[0];
		if (n == 8 && rnd_pct(r, 60)) {
			/* Acknowledge what was written, or a bit past it. */
			v += rnd_pct(r, 80) ? 0 : rnd_below(r, 3) ? 1 : UINT64_MAX / 2;
			n = write((int)fd, &v, 8);
			fz_count(OP_NQ_WRITE, n < 0 ? -errno : 0);
		}
		break;
	}
	case 2:
		v = rnd_pct(r, 50) ? 0 : rnd(r);
		n = write((int)fd, &v, rnd_pct(r, 90) ? 8 : 4);
		fz_count(OP_NQ_WRITE, n < 0 ? -errno : 0);
		break;
	case 3: {
		size_t len = rnd_pct(r, 80) ? size : size + 4096;
		int prot = rnd_pct(r, 80) ? PROT_READ : PROT_READ | PROT_WRITE;

		p = mmap(NULL, len ? len : 4096, prot, MAP_SHARED, (int)fd,
			 rnd_pct(r, 90) ? 0 : 4096);
		fz_count(OP_NQ_MMAP, p == MAP_FAILED ? -errno : 0);
		if (p != MAP_FAILED)
			munmap(p, len ? len : 4096);
		break;
	}
	case 4: {
		struct pollfd pfd = { .fd = (int)fd, .events = POLLIN };

		fz_count(OP_NQ_POLL, poll(&pfd, 1, (int)rnd_below(r, 20)) < 0 ? -errno : 0);
		break;
	}
	default:
		if (pool_take(&nqfds, r, &fd, &size))
			close((int)fd);
		break;
	}
	fz_end(x->slot, 0);
}

void op_semaphore(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	static const int32_t vals[] = { 0, 1, -1, INT32_MAX, INT32_MIN, 42 };
	struct drm_neuron_semaphore a = {
		.nc = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 4) : 4,
		.index = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 32) : 32,
		.op = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 4) : 4,
		.flags = flags_word(r, 3),
		.value = vals[rnd_below(r, 6)],
		.pad = flags_word(r, 3),
	};

	fz_ioctl(x->slot, OP_SEMAPHORE, c->fd, DRM_IOCTL_NEURON_SEMAPHORE, &a,
		 "SEMAPHORE fd=%d nc=%u index=%u op=%u value=%d flags=%#x pad=%#x", c->fd, a.nc,
		 a.index, a.op, a.value, a.flags, a.pad);
	client_put(c);
}

void op_event(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_event a = {
		.nc = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 4) : 4,
		.index = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 256) : 256,
		.op = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 2) : 2 + (uint32_t)rnd_below(r, 3),
		.value = rnd_pct(r, 95) ? (uint32_t)rnd_below(r, 2) : 2,
	};

	fz_ioctl(x->slot, OP_EVENT, c->fd, DRM_IOCTL_NEURON_EVENT, &a,
		 "EVENT fd=%d nc=%u index=%u op=%u value=%u", c->fd, a.nc, a.index, a.op,
		 a.value);
	client_put(c);
}

/* An address on the allow-list (mostly) or just off it. */
static uint64_t fwio_addr(struct rng *r)
{
	uint32_t nc = rnd_below(r, 4), e = rnd_below(r, 3);
	uint64_t udma = V1_APB_BASE + V1_UDMA_OFFSET(nc, e);
	uint64_t ncwin = V1_TPB_BASE + V1_NC_WINDOW_OFFSET(nc);
	uint64_t v[] = { V1_MISC_DEV_ADDR(MISC_FW_STATUS), V1_MISC_DEV_ADDR(MISC_DEVICE_ID),
			 V1_MISC_DEV_ADDR(MISC_FW_API_VERSION), udma + UDMA_M2S_STATE,
			 udma + UDMA_S2M_STATE, ncwin + V1_NC_SEM_READ + 4 * rnd_below(r, 32),
			 ncwin + V1_NC_EVENTS + 4 * rnd_below(r, 256),
			 /* refused: */
			 V1_DRAM_CH0_BASE, V1_MISC_DEV_ADDR(MISC_DOORBELL),
			 V1_MISC_DEV_ADDR(MISC_FW_STATUS) + 2, ncwin + V1_NC_SEM_SET,
			 0xfffffffffffffffcull, V1_APB_BASE + V1_APB_SIZE - 4, rnd(r) };
	unsigned int n = sizeof(v) / sizeof(v[0]);

	return v[rnd_pct(r, 85) ? rnd_below(r, 7) : rnd_below(r, n)];
}

void op_fwio_read(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	static const uint32_t counts[] = { 0, DRM_NEURON_FWIO_READ_MAX,
					   DRM_NEURON_FWIO_READ_MAX + 1, 0xffffffffu, 64 };
	struct drm_neuron_fwio_read a = {
		.count = rnd_pct(r, 90) ? 1 + (uint32_t)rnd_below(r, 8) : counts[rnd_below(r, 5)],
		.flags = flags_word(r, 3),
	};
	uint32_t fill = a.count <= DRM_NEURON_FWIO_READ_MAX ? a.count :
			DRM_NEURON_FWIO_READ_MAX + 1;

	for (uint32_t i = 0; i < fill; i++)
		x->addrs[i] = i && rnd_pct(r, 50) ? x->addrs[i - 1] : fwio_addr(r);
	a.addrs = rnd_pct(r, 3) ? bad_ptr(r) : (uintptr_t)x->addrs;
	a.values = rnd_pct(r, 3) ? bad_ptr(r) : (uintptr_t)x->vals;
	fz_ioctl(x->slot, OP_FWIO_READ, c->fd, DRM_IOCTL_NEURON_FWIO_READ, &a,
		 "FWIO_READ fd=%d count=%u addr0=%#llx addrs=%#llx values=%#llx flags=%#x",
		 c->fd, a.count, (unsigned long long)x->addrs[0], (unsigned long long)a.addrs,
		 (unsigned long long)a.values, a.flags);
	client_put(c);
}

void op_stats_post(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	uint8_t blob[DRM_NEURON_STATS_POST_MAX + 1];
	static const uint32_t sizes[] = { 0, 1, DRM_NEURON_STATS_POST_MAX,
					  DRM_NEURON_STATS_POST_MAX + 1, 0xffffffffu };
	struct drm_neuron_stats_post a = {
		.size = rnd_pct(r, 70) ? 1 + (uint32_t)rnd_below(r, sizeof(blob) - 1) :
			sizes[rnd_below(r, 5)],
		.flags = flags_word(r, 3),
	};

	for (size_t i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)rnd(r);
	a.data = rnd_pct(r, 5) ? bad_ptr(r) : (uintptr_t)blob;
	fz_ioctl(x->slot, OP_STATS_POST, c->fd, DRM_IOCTL_NEURON_STATS_POST, &a,
		 "STATS_POST fd=%d size=%u data=%#llx flags=%#x", c->fd, a.size,
		 (unsigned long long)a.data, a.flags);
	client_put(c);
}

/* The worker has no CAP_SYS_ADMIN: EPERM; the monitor resets as root. */
void op_reset(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	struct drm_neuron_reset a = { .flags = flags_word(r, 20), .pad = flags_word(r, 20) };

	fz_ioctl(x->slot, OP_RESET, c->fd, DRM_IOCTL_NEURON_RESET, &a,
		 "RESET fd=%d flags=%#x pad=%#x", c->fd, a.flags, a.pad);
	client_put(c);
}

/*
 * Any driver ioctl with an argument pointer core DRM cannot copy in or out
 * (NULL, unmapped, kernel, the end of the guard page): EFAULT before the
 * driver runs (RESET's permission check too), which every ioctl's Errors
 * paragraph must therefore list.
 */
void op_bad_arg(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	const struct errdoc *d = &errdoc_table[rnd_below(r, errdoc_count)];
	uint64_t p = rnd_pct(r, 20) ? (uintptr_t)x->guard + 4096 - 4 : bad_ptr(r);
	int op = op_of_name(d->name);

	/* An ioctl the fuzzer has no counter for (a new one) is counted nowhere. */
	if (op >= 0)
		fz_ioctl(x->slot, (enum op)op, c->fd, d->cmd, (void *)(uintptr_t)p,
			 "%s fd=%d arg=%#llx (bad argument pointer)", d->name, c->fd,
			 (unsigned long long)p);
	client_put(c);
}
