// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Execution (DRM_IOCTL_NEURON_QUEUE_CREATE / SUBMIT / PROGRAM_CREATE)
 * against the uapi contract: descriptors named by BO index and offset run
 * on clients' DMA queues, data is compared byte for byte after every job,
 * fences (syncobj binary and timeline, sync_file) signal in order and with
 * the right error, programs run many times, every malformed descriptor is
 * refused, hangs and DMA errors end on the guilty job only, and a job
 * costs no MMIO read.
 */
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("Descriptor rings as jobs: SUBMIT, queues, programs, fences, "
		     "validation, hangs and errors.");

#define HOST DRM_NEURON_BO_DOMAIN_HOST
#define DEV DRM_NEURON_BO_DOMAIN_DEVICE
#define FIRST DRM_NEURON_DESC_FIRST
#define LAST DRM_NEURON_DESC_LAST
#define DMB DRM_NEURON_DESC_DMB
#define CANARY 0x5a

static struct igt_neuron_node node;
static int fd = -1;

/* ---- helpers ---- */

static int __queue_create(int f, uint32_t nc, uint32_t engine, uint32_t queue,
			  uint32_t *handle)
{
	struct drm_neuron_queue_create c = { .nc = nc, .engine = engine, .queue = queue };
	int ret = drmIoctl(f, DRM_IOCTL_NEURON_QUEUE_CREATE, &c) ? -errno : 0;

	if (!ret)
		*handle = c.handle;
	return ret;
}

static uint32_t queue_create(int f, uint32_t nc, uint32_t engine, uint32_t queue)
{
	uint32_t h = 0;

	igt_assert_eq(__queue_create(f, nc, engine, queue, &h), 0);
	igt_assert(h != 0);
	return h;
}

static void queue_destroy(int f, uint32_t h)
{
	struct drm_neuron_queue_destroy d = { .handle = h };

	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_QUEUE_DESTROY, &d), 0);
}

static struct drm_neuron_desc desc(uint32_t bo, uint64_t off, uint32_t len, uint32_t flags)
{
	return (struct drm_neuron_desc){ .bo_index = bo, .offset = off, .length = len,
					 .flags = flags };
}

static int __submit(int f, struct drm_neuron_submit *s)
{
	return drmIoctl(f, DRM_IOCTL_NEURON_SUBMIT, s) ? -errno : 0;
}

/* One job: BOs, TX and RX arrays, optional out syncobj. */
static int submit(int f, uint32_t q, const uint32_t *bos, uint32_t nbos,
		  const struct drm_neuron_desc *tx, uint32_t ntx,
		  const struct drm_neuron_desc *rx, uint32_t nrx, uint32_t out)
{
	struct drm_neuron_submit s = {
		.queue = q, .bo_handles = (uintptr_t)bos, .bo_count = nbos,
		.tx = (uintptr_t)tx, .tx_count = ntx, .rx = (uintptr_t)rx, .rx_count = nrx,
		.out_sync.handle = out,
	};

	return __submit(f, &s);
}

/* Copy len bytes a+aoff -> b+boff as one single-descriptor packet. */
static int submit_copy(int f, uint32_t q, uint32_t a, uint64_t aoff, uint32_t b,
		       uint64_t boff, uint32_t len, uint32_t out)
{
	uint32_t bos[2] = { a, b };
	struct drm_neuron_desc tx = desc(0, aoff, len, FIRST | LAST);
	struct drm_neuron_desc rx = desc(1, boff, len, 0);

	return submit(f, q, bos, 2, &tx, 1, &rx, 1, out);
}

/* A model NeuronCore record (hw/v1/nc_model.h) at p. */
static void nc_record(uint8_t *p, uint32_t op, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t w[4] = { NC_OP_MAGIC | op, a, b, c };

	memcpy(p, w, sizeof(w));
}

static uint32_t read_semaphore(int f, uint32_t nc, uint32_t idx)
{
	uint64_t addr = V1_TPB_BASE + V1_NC_WINDOW_OFFSET(nc) + V1_NC_SEM_READ + 4 * idx;
	uint32_t v = 0;
	struct drm_neuron_fwio_read r = {
		.addrs = (uintptr_t)&addr, .values = (uintptr_t)&v, .count = 1,
	};

	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_FWIO_READ, &r), 0);
	return v;
}

static uint64_t engine_ns(int f, uint32_t nc)
{
	char key[32], buf[64];

	snprintf(key, sizeof(key), "drm-engine-nc%u", nc);
	igt_assert_f(igt_neuron_fdinfo_str(f, key, buf, sizeof(buf)), "no %s in fdinfo\n", key);
	igt_assert_f(strstr(buf, " ns"), "%s: %s has no unit\n", key, buf);
	return strtoull(buf, NULL, 10);
}

/* ---- invalid descriptors ---- */

enum bad {
	BAD_QUEUE, BAD_FLAGS, BAD_PROGRAM_AND_DESC, BAD_NO_TX, BAD_NO_RX, BAD_TX_COUNT,
	BAD_BO_COUNT, BAD_BO_HANDLE, BAD_BO_DUP, BAD_BO_INDEX, BAD_OFFSET, BAD_END,
	BAD_WRAP, BAD_LEN0, BAD_LEN_BIG, BAD_DESC_PAD, BAD_TX_FLAGS, BAD_RX_FLAGS,
	BAD_NO_FIRST, BAD_NO_LAST, BAD_FIRST_TWICE, BAD_RX_SHORT, BAD_RX_LONG,
	BAD_RX_EXTRA, BAD_FIFO_TX, BAD_FIFO_END, BAD_PACKET_DESCS, BAD_TX_PTR,
	BAD_RX_PTR, BAD_BO_PTR, BAD_OUT_FLAGS, BAD_IN_COUNT, BAD_SYNCOBJ,
	BAD_RX_COUNT, BAD_OUT_POINT, BAD_IN_FLAGS, BAD_IN_SYNCOBJ, BAD_IN_PTR,
};

static const struct bad_case {
	const char *name;
	enum bad bad;
	int err;
} bads[] = {
	{ "unknown-queue", BAD_QUEUE, ENOENT },
	{ "flags", BAD_FLAGS, EINVAL },
	{ "program-and-descriptors", BAD_PROGRAM_AND_DESC, EINVAL },
	{ "no-tx", BAD_NO_TX, EINVAL },
	{ "no-rx", BAD_NO_RX, EINVAL },
	{ "tx-count-over-limit", BAD_TX_COUNT, EINVAL },
	{ "bo-count-over-limit", BAD_BO_COUNT, EINVAL },
	{ "unknown-bo", BAD_BO_HANDLE, ENOENT },
	{ "same-bo-twice", BAD_BO_DUP, EINVAL },
	{ "bo-index", BAD_BO_INDEX, EINVAL },
	{ "offset-outside", BAD_OFFSET, EINVAL },
	{ "end-outside", BAD_END, EINVAL },
	{ "offset-wraps", BAD_WRAP, EINVAL },
	{ "length-zero", BAD_LEN0, EINVAL },
	{ "length-over-64k", BAD_LEN_BIG, EINVAL },
	{ "descriptor-pad", BAD_DESC_PAD, EINVAL },
	{ "tx-unknown-flag", BAD_TX_FLAGS, EINVAL },
	{ "rx-flags", BAD_RX_FLAGS, EINVAL },
	{ "packet-without-first", BAD_NO_FIRST, EINVAL },
	{ "packet-without-last", BAD_NO_LAST, EINVAL },
	{ "first-inside-packet", BAD_FIRST_TWICE, EINVAL },
	{ "rx-shorter-than-packet", BAD_RX_SHORT, EINVAL },
	{ "rx-splits-across-packets", BAD_RX_LONG, EINVAL },
	{ "rx-left-over", BAD_RX_EXTRA, EINVAL },
	{ "nc-fifo-on-tx", BAD_FIFO_TX, EINVAL },
	{ "nc-fifo-outside", BAD_FIFO_END, EINVAL },
	{ "packet-over-128-descriptors", BAD_PACKET_DESCS, EINVAL },
	{ "tx-pointer", BAD_TX_PTR, EFAULT },
	{ "rx-pointer", BAD_RX_PTR, EFAULT },
	{ "bo-pointer", BAD_BO_PTR, EFAULT },
	{ "out-sync-flags", BAD_OUT_FLAGS, EINVAL },
	{ "in-sync-count", BAD_IN_COUNT, EINVAL },
	{ "unknown-out-syncobj", BAD_SYNCOBJ, ENOENT },
	{ "rx-count-over-limit", BAD_RX_COUNT, EINVAL },
	{ "out-point-without-syncobj", BAD_OUT_POINT, EINVAL },
	{ "in-sync-flags", BAD_IN_FLAGS, EINVAL },
	{ "unknown-in-syncobj", BAD_IN_SYNCOBJ, ENOENT },
	{ "in-sync-pointer", BAD_IN_PTR, EFAULT },
};

#define BAD_BO_SIZE 8192

/*
 * A valid two-packet job (src -> dst), broken in one way; it must fail
 * with the errno and leave dst untouched, and the queue must still work.
 */
static void check_bad(const struct bad_case *c)
{
	struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, BAD_BO_SIZE);
	struct igt_neuron_hbo dst = igt_neuron_hbo_new(fd, BAD_BO_SIZE);
	uint32_t q = queue_create(fd, 0, 0, 0);
	uint32_t bos[DRM_NEURON_SUBMIT_MAX_BOS + 1] = { src.h, dst.h };
	static struct drm_neuron_desc tx[DRM_NEURON_SUBMIT_MAX_DESC + 1];
	static struct drm_neuron_desc rx[DRM_NEURON_SUBMIT_MAX_DESC + 1];
	struct drm_neuron_sync in[65] = {};
	struct drm_neuron_submit s = {
		.queue = q, .bo_handles = (uintptr_t)bos, .bo_count = 2,
		.tx = (uintptr_t)tx, .tx_count = 2, .rx = (uintptr_t)rx, .rx_count = 2,
	};

	igt_neuron_random_fill(src.p, src.size, 7);
	memset(dst.p, CANARY, dst.size);
	tx[0] = desc(0, 0, 1000, FIRST);
	tx[1] = desc(0, 1000, 24, LAST);
	rx[0] = desc(1, 0, 512, 0);
	rx[1] = desc(1, 512, 512, 0);

	switch (c->bad) {
	case BAD_QUEUE: s.queue = q + 100; break;
	case BAD_FLAGS: s.flags = 1u << 7; break;
	case BAD_PROGRAM_AND_DESC: s.program = 1; break;
	case BAD_NO_TX: s.tx_count = 0; break;
	case BAD_NO_RX: s.rx_count = 0; break;
	case BAD_TX_COUNT: s.tx_count = DRM_NEURON_SUBMIT_MAX_DESC + 1; break;
	case BAD_BO_COUNT: s.bo_count = DRM_NEURON_SUBMIT_MAX_BOS + 1; break;
	case BAD_BO_HANDLE: bos[1] = 0xdead; break;
	case BAD_BO_DUP: bos[1] = src.h; break;
	case BAD_BO_INDEX: rx[1].bo_index = 2; break;
	case BAD_OFFSET: rx[1].offset = BAD_BO_SIZE; break;
	case BAD_END: rx[1].offset = BAD_BO_SIZE - 511; break;
	case BAD_WRAP: rx[1].offset = UINT64_MAX - 100; break;
	case BAD_LEN0: tx[1].length = 0; rx[1].length = 488; break;
	case BAD_LEN_BIG:
		tx[0].length = 65537; rx[0].length = 65537 - 512 + 24; break;
	case BAD_DESC_PAD: tx[1].pad = 1; break;
	case BAD_TX_FLAGS: tx[1].flags |= 1u << 5; break;
	case BAD_RX_FLAGS: rx[0].flags = LAST; break;
	case BAD_NO_FIRST: tx[0].flags = 0; break;
	case BAD_NO_LAST: tx[1].flags = 0; break;
	case BAD_FIRST_TWICE: tx[1].flags = FIRST | LAST; break;
	case BAD_RX_SHORT: rx[1].length = 500; break;
	case BAD_RX_LONG:
		/* Two packets of 512; RX 600 + 424 crosses the boundary. */
		tx[0] = desc(0, 0, 512, FIRST | LAST);
		tx[1] = desc(0, 512, 512, FIRST | LAST);
		rx[0].length = 600; rx[1].offset = 600; rx[1].length = 424;
		break;
	case BAD_RX_EXTRA: rx[2] = desc(1, 2000, 16, 0); s.rx_count = 3; break;
	case BAD_FIFO_TX: tx[1].bo_index = DRM_NEURON_DESC_NC_FIFO; break;
	case BAD_FIFO_END:
		rx[1].bo_index = DRM_NEURON_DESC_NC_FIFO;
		rx[1].offset = V1_NC_PE_IRAM_FIFO_SIZE - 16;
		break;
	case BAD_PACKET_DESCS:
		for (int i = 0; i < 129; i++) {
			tx[i] = desc(0, i * 8, 8, (i == 0 ? FIRST : 0) | (i == 128 ? LAST : 0));
			rx[i] = desc(1, i * 8, 8, 0);
		}
		s.tx_count = 129; s.rx_count = 129;
		break;
	case BAD_TX_PTR: s.tx = 8; break;
	case BAD_RX_PTR: s.rx = 8; break;
	case BAD_BO_PTR: s.bo_handles = 8; break;
	case BAD_OUT_FLAGS: s.out_sync.handle = igt_neuron_syncobj(fd); s.out_sync.flags = 1; break;
	case BAD_IN_COUNT: s.in_syncs = (uintptr_t)in; s.in_sync_count = 65; break;
	case BAD_SYNCOBJ: s.out_sync.handle = 0xbeef; break;
	case BAD_RX_COUNT: s.rx_count = DRM_NEURON_SUBMIT_MAX_DESC + 1; break;
	case BAD_OUT_POINT: s.out_sync.point = 1; break;
	case BAD_IN_FLAGS:
		in[0].handle = igt_neuron_syncobj(fd);
		in[0].flags = 1;
		s.in_syncs = (uintptr_t)in;
		s.in_sync_count = 1;
		break;
	case BAD_IN_SYNCOBJ:
		in[0].handle = 0xbeef;
		s.in_syncs = (uintptr_t)in;
		s.in_sync_count = 1;
		break;
	case BAD_IN_PTR: s.in_syncs = 8; s.in_sync_count = 1; break;
	}
	igt_assert_eq(__submit(fd, &s), -c->err);
	igt_assert_eq(s.out_fence_fd, -1);

	/* Nothing was written, and a good job runs on the same queue. */
	{
		struct drm_neuron_desc t = desc(0, 0, 16, FIRST | LAST), r = desc(0, 4096, 16, 0);

		igt_assert_eq(submit(fd, q, &src.h, 1, &t, 1, &r, 1, 0), 0);
	}
	igt_neuron_bo_wait(fd, src.h);
	igt_neuron_assert_bytes(dst.p, 0, dst.size, CANARY, "after the refused job");
	igt_neuron_assert_same(src.p + 4096, src.p, 16, "the next job");
	queue_destroy(fd, q);
	igt_neuron_hbo_free(fd, &src);
	igt_neuron_hbo_free(fd, &dst);
}

/*
 * With emulator fault @fault set, a job on queue (nc, engine, qn) ends with
 * @err; its queue object then refuses work (ECANCELED) and a new queue
 * object on the same hardware queue runs a job correctly.
 */
static void check_guilty(uint32_t nc, uint32_t engine, uint32_t qn, const char *fault,
			 uint64_t value, int err)
{
	struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
	struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 4096);
	uint32_t q = queue_create(fd, nc, engine, qn), s = igt_neuron_syncobj(fd), q2;

	igt_assert_eq(igt_neuron_emu_fault(igt_neuron_node_emu(&node), fault, value), 0);
	igt_assert_eq(submit_copy(fd, q, a.h, 0, b.h, 0, 64, s), 0);
	igt_neuron_syncobj_wait(fd, s);
	igt_assert_eq(igt_neuron_syncobj_status(fd, s), err);
	igt_neuron_node_clear_faults(&node);
	igt_assert_eq(submit_copy(fd, q, a.h, 0, b.h, 0, 64, 0), -ECANCELED);
	q2 = queue_create(fd, nc, engine, qn);
	igt_neuron_random_fill(a.p, a.size, value);
	igt_assert_eq(submit_copy(fd, q2, a.h, 0, b.h, 0, 4096, s), 0);
	igt_neuron_syncobj_wait(fd, s);
	igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
	igt_neuron_assert_same(b.p, a.p, 4096, "after the fault");
	queue_destroy(fd, q);
	queue_destroy(fd, q2);
	igt_neuron_hbo_free(fd, &a);
	igt_neuron_hbo_free(fd, &b);
}

/* Wait until the emulator has taken n doorbells (jobs on the ring), up to 10 s. */
static void wait_doorbells(unsigned int d, uint64_t n)
{
	for (int i = 0; i < 1000 && igt_neuron_emu_counter(d, "doorbells") < n; i++)
		usleep(10000);
	igt_assert_lte_u64(n, igt_neuron_emu_counter(d, "doorbells"));
}

static bool syncobj_signalled(int f, uint32_t s)
{
	return drmSyncobjWait(f, &s, 1, 0, 0, NULL) == 0;
}

/* Sum of "key: N" over debugfs copy_queues (every hardware queue). */
static uint64_t copy_queues_sum(const char *key)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], buf[65536], *p;
	size_t klen = strlen(key);
	uint64_t sum = 0;

	igt_require_f(igt_neuron_debugfs_dir(node.pci_addr, dir, sizeof(dir)), "no debugfs\n");
	snprintf(path, sizeof(path), "%s/copy_queues", dir);
	igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
	for (p = buf; (p = strstr(p, key)); p += klen)
		if (p[klen] == ':')
			sum += strtoull(p + klen + 1, NULL, 10);
	return sum;
}

/* SUBMITs on one queue object while the main thread destroys it. */
#define RACE_JOBS 64

struct submit_race {
	uint32_t q, a, b;
	uint32_t syncobjs[RACE_JOBS];
	unsigned int submitted;
	int error;		/* the SUBMIT result that ended the loop */
};

static void *race_submitter(void *arg)
{
	struct submit_race *r = arg;

	while (r->submitted < RACE_JOBS) {
		r->error = submit_copy(fd, r->q, r->a, 0, r->b, 0, 64,
				       r->syncobjs[r->submitted]);
		if (r->error)
			break;
		r->submitted++;
	}
	return NULL;
}

/* ---- tests ---- */

static void roundtrip_device(uint32_t nc, uint32_t engine, uint32_t qn, uint32_t size)
{
	struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, size + 3);
	struct igt_neuron_hbo dst = igt_neuron_hbo_new(fd, size + 64);
	uint32_t dev = igt_neuron_bo_create(fd, DEV, size + 128);
	uint32_t q = queue_create(fd, nc, engine, qn), s = igt_neuron_syncobj(fd);

	igt_neuron_random_fill(src.p, src.size, size * 31 + nc);
	memset(dst.p, CANARY, dst.size);
	igt_assert_eq(submit_copy(fd, q, src.h, 3, dev, 5, size, 0), 0);
	igt_assert_eq(submit_copy(fd, q, dev, 5, dst.h, 7, size, s), 0);
	igt_neuron_syncobj_wait(fd, s);
	igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
	igt_neuron_assert_same(dst.p + 7, src.p + 3, size, "host -> device -> host");
	igt_neuron_assert_bytes(dst.p, 0, 7, CANARY, "before");
	igt_neuron_assert_bytes(dst.p, 7 + size, dst.size, CANARY, "after");
	drmSyncobjDestroy(fd, s);
	queue_destroy(fd, q);
	igt_neuron_bo_close(fd, dev);
	igt_neuron_hbo_free(fd, &src);
	igt_neuron_hbo_free(fd, &dst);
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
	}

	igt_describe("Queue objects: created on every engine and queue but the driver's "
		     "copy queue, handles are per file, bad arguments refused.");
	igt_subtest("queue-create") {
		struct drm_neuron_queue_create c = {};
		struct drm_neuron_queue_destroy d = {};
		uint32_t h, h2;
		int other;

		for (uint32_t nc = 0; nc < V1_NC_PER_DEVICE; nc++)
			for (uint32_t e = 0; e < V1_DMA_ENG_PER_NC; e++)
				queue_destroy(fd, queue_create(fd, nc, e, e == 2 ? 14 : 15));
		igt_assert_eq(__queue_create(fd, 0, 2, 15, &h), -EINVAL);
		igt_assert_eq(__queue_create(fd, 4, 0, 0, &h), -EINVAL);
		igt_assert_eq(__queue_create(fd, 0, 3, 0, &h), -EINVAL);
		igt_assert_eq(__queue_create(fd, 0, 0, 16, &h), -EINVAL);
		c.flags = 1;
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &c), -1);
		igt_assert_eq(errno, EINVAL);
		c.flags = 0;
		c.pad = 1;
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &c), -1);
		igt_assert_eq(errno, EINVAL);
		d.handle = 12345;
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_DESTROY, &d), -1);
		igt_assert_eq(errno, ENOENT);
		/* Two queue objects on one hardware queue; not visible elsewhere. */
		h = queue_create(fd, 1, 0, 3);
		h2 = queue_create(fd, 1, 0, 3);
		igt_assert(h != h2);
		other = igt_neuron_open(node.minor);
		d.handle = h;
		igt_assert_eq(drmIoctl(other, DRM_IOCTL_NEURON_QUEUE_DESTROY, &d), -1);
		igt_assert_eq(errno, ENOENT);
		close(other);
		queue_destroy(fd, h);
		queue_destroy(fd, h2);
	}

	igt_describe("One job copies host -> host; bytes compared, nothing else touched.");
	igt_subtest("single-job") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 8192);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 8192);
		uint32_t q = queue_create(fd, 0, 0, 0), s = igt_neuron_syncobj(fd);

		igt_neuron_random_fill(a.p, a.size, 1);
		memset(b.p, CANARY, b.size);
		igt_assert_eq(submit_copy(fd, q, a.h, 1, b.h, 2, 5000, s), 0);
		igt_neuron_syncobj_wait(fd, s);
		igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
		igt_neuron_assert_same(b.p + 2, a.p + 1, 5000, "copy");
		igt_neuron_assert_bytes(b.p, 0, 2, CANARY, "before");
		igt_neuron_assert_bytes(b.p, 5002, b.size, CANARY, "after");
		drmSyncobjDestroy(fd, s);
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("Host -> device -> host through a client queue, sizes from 1 byte to "
		     "64 KiB at odd offsets.");
	igt_subtest_with_dynamic("roundtrip") {
		static const uint32_t sizes[] = { 1, 3, 4095, 4097, 65535, 65536 };

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
			igt_dynamic_f("%u", sizes[i])
				roundtrip_device(0, 1, 2, sizes[i]);
	}

	igt_describe("Gather and scatter: packets of several descriptors (over host page "
		     "boundaries), received into differently split buffers.");
	igt_subtest("gather-scatter") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 1 << 20);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 1 << 20);
		uint32_t bos[2] = { a.h, b.h }, q = queue_create(fd, 2, 1, 7);
		struct drm_neuron_desc tx[6], rx[5];
		uint8_t *want = malloc(1 << 20);

		igt_neuron_random_fill(a.p, a.size, 3);
		memset(b.p, CANARY, b.size);
		/* Packet 1: 3 pieces of a (30000 + 65536 + 100 bytes). */
		tx[0] = desc(0, 10, 30000, FIRST);
		tx[1] = desc(0, 200000, 65536, 0);
		tx[2] = desc(0, 4090, 100, LAST);
		/* Packet 2: 3 pieces (7 + 9 + 65000). */
		tx[3] = desc(0, 500000, 7, FIRST);
		tx[4] = desc(0, 700001, 9, 0);
		tx[5] = desc(0, 900000, 65000, LAST | DMB);
		/* Receive: 95636 = 65536 + 30100; 65016 = 16 + 65000. */
		rx[0] = desc(1, 3, 65536, 0);
		rx[1] = desc(1, 300000, 30100, 0);
		rx[2] = desc(1, 400000, 16, 0);
		rx[3] = desc(1, 600000, 60000, 0);
		rx[4] = desc(1, 800000, 5000, 0);
		igt_assert_eq(submit(fd, q, bos, 2, tx, 6, rx, 5, 0), 0);
		igt_neuron_bo_wait(fd, b.h);

		memset(want, CANARY, 1 << 20);
		{
			uint8_t *stream = malloc(95636 + 65016), *p = stream;
			uint64_t o = 0;

			for (int i = 0; i < 6; i++) {
				memcpy(p, a.p + tx[i].offset, tx[i].length);
				p += tx[i].length;
			}
			for (int i = 0; i < 5; i++) {
				memcpy(want + rx[i].offset, stream + o, rx[i].length);
				o += rx[i].length;
			}
			free(stream);
		}
		igt_neuron_assert_same(b.p, want, 1 << 20, "scattered stream");
		free(want);
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("Thousands of jobs, more descriptors than the ring holds: every job's "
		     "data lands, the last fence covers all.");
	igt_subtest("many-jobs") {
		const int n = 5000;
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, n * 4);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, n * 4);
		uint32_t q = queue_create(fd, 3, 2, 0), s = igt_neuron_syncobj(fd);

		igt_neuron_random_fill(a.p, a.size, 5);
		memset(b.p, CANARY, b.size);
		for (int i = 0; i < n; i++)
			igt_assert_eq(submit_copy(fd, q, a.h, i * 4, b.h, i * 4, 4,
						  i == n - 1 ? s : 0), 0);
		igt_neuron_syncobj_wait(fd, s);
		igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
		igt_neuron_assert_same(b.p, a.p, a.size, "5000 jobs");
		drmSyncobjDestroy(fd, s);
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("A queue on each of the 12 engines, all busy at once, each job's "
		     "data verified.");
	igt_subtest("all-engines") {
		const uint32_t chunk = 65536;
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 12 * chunk);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 12 * chunk);
		uint32_t q[12], s[12];

		igt_neuron_random_fill(a.p, a.size, 9);
		memset(b.p, CANARY, b.size);
		for (int e = 0; e < 12; e++) {
			q[e] = queue_create(fd, e / 3, e % 3, 1);
			s[e] = igt_neuron_syncobj(fd);
		}
		for (int e = 0; e < 12; e++)
			igt_assert_eq(submit_copy(fd, q[e], a.h, e * chunk, b.h, e * chunk,
						  chunk, s[e]), 0);
		igt_assert_eq(drmSyncobjWait(fd, s, 12, INT64_MAX,
					     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL), 0);
		for (int e = 0; e < 12; e++) {
			igt_assert_eq(igt_neuron_syncobj_status(fd, s[e]), 1);
			drmSyncobjDestroy(fd, s[e]);
			queue_destroy(fd, q[e]);
		}
		igt_neuron_assert_same(b.p, a.p, a.size, "12 engines");
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("A chain across three engines ordered only by syncobjs (binary, then "
		     "a timeline point): each step sees the previous one's data.");
	igt_subtest("chain-syncobj") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 65536);
		struct igt_neuron_hbo d = igt_neuron_hbo_new(fd, 65536);
		uint32_t b = igt_neuron_bo_create(fd, DEV, 65536);
		uint32_t c = igt_neuron_bo_create(fd, DEV, 65536);
		uint32_t q0 = queue_create(fd, 0, 0, 4), q1 = queue_create(fd, 1, 1, 4);
		uint32_t q2 = queue_create(fd, 2, 0, 4);
		uint32_t s1 = igt_neuron_syncobj(fd), tl, s3 = igt_neuron_syncobj(fd), bos[2];
		struct drm_neuron_desc tx = desc(0, 0, 65536, FIRST | LAST), rx = desc(1, 0, 65536, 0);
		struct drm_neuron_sync in;
		struct drm_neuron_submit sub = {
			.bo_handles = (uintptr_t)bos, .bo_count = 2, .tx = (uintptr_t)&tx,
			.tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1,
			.in_syncs = (uintptr_t)&in,
		};
		uint64_t point = 0;

		igt_assert_eq(drmSyncobjCreate(fd, 0, &tl), 0);
		igt_neuron_random_fill(a.p, a.size, 11);
		bos[0] = a.h; bos[1] = b;
		sub.queue = q0; sub.out_sync.handle = s1;
		igt_assert_eq(__submit(fd, &sub), 0);
		bos[0] = b; bos[1] = c;
		in = (struct drm_neuron_sync){ .handle = s1 };
		sub.queue = q1; sub.in_sync_count = 1;
		sub.out_sync = (struct drm_neuron_sync){ .handle = tl, .point = 7 };
		igt_assert_eq(__submit(fd, &sub), 0);
		bos[0] = c; bos[1] = d.h;
		in = (struct drm_neuron_sync){ .handle = tl, .point = 7 };
		sub.queue = q2;
		sub.out_sync = (struct drm_neuron_sync){ .handle = s3 };
		igt_assert_eq(__submit(fd, &sub), 0);
		igt_neuron_syncobj_wait(fd, s3);
		igt_assert_eq(drmSyncobjQuery(fd, &tl, &point, 1), 0);
		igt_assert_eq_u64(point, 7);
		igt_neuron_assert_same(d.p, a.p, 65536, "after three engines");
		drmSyncobjDestroy(fd, s1);
		drmSyncobjDestroy(fd, tl);
		drmSyncobjDestroy(fd, s3);
		queue_destroy(fd, q0);
		queue_destroy(fd, q1);
		queue_destroy(fd, q2);
		igt_neuron_bo_close(fd, b);
		igt_neuron_bo_close(fd, c);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &d);
	}

	igt_describe("A sync_file out-fence: poll() wakes when the job is done, status 1.");
	igt_subtest("sync-file") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 4096);
		uint32_t bos[2] = { a.h, b.h }, q = queue_create(fd, 0, 1, 0);
		struct drm_neuron_desc tx = desc(0, 0, 4096, FIRST | LAST), rx = desc(1, 0, 4096, 0);
		struct drm_neuron_submit sub = {
			.queue = q, .bo_handles = (uintptr_t)bos, .bo_count = 2,
			.tx = (uintptr_t)&tx, .tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1,
			.flags = DRM_NEURON_SUBMIT_OUT_FENCE_FD,
		};
		struct sync_file_info info = {};
		struct pollfd p;

		igt_neuron_random_fill(a.p, a.size, 13);
		igt_assert_eq(__submit(fd, &sub), 0);
		igt_assert(sub.out_fence_fd >= 0);
		p = (struct pollfd){ .fd = sub.out_fence_fd, .events = POLLIN };
		igt_assert_eq(poll(&p, 1, 30000), 1);
		igt_assert_eq(drmIoctl(sub.out_fence_fd, SYNC_IOC_FILE_INFO, &info), 0);
		igt_assert_eq(info.status, 1);
		igt_neuron_assert_same(b.p, a.p, 4096, "sync_file job");
		close(sub.out_fence_fd);
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("A program is validated once and runs many times, seeing new input "
		     "each time; it keeps its BOs alive after their handles close; it only "
		     "runs on its NeuronCore.");
	igt_subtest("program") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 4096);
		uint32_t dev = igt_neuron_bo_create(fd, DEV, 4096);
		uint32_t bos[3] = { a.h, dev, b.h }, q = queue_create(fd, 1, 2, 5);
		uint32_t q0 = queue_create(fd, 0, 2, 5);
		struct drm_neuron_desc tx[2] = { desc(0, 0, 4096, FIRST | LAST),
						 desc(1, 0, 4096, FIRST | LAST | DMB) };
		struct drm_neuron_desc rx[2] = { desc(1, 0, 4096, 0), desc(2, 0, 4096, 0) };
		struct drm_neuron_program_create pc = {
			.nc = 1, .bo_handles = (uintptr_t)bos, .bo_count = 3,
			.tx = (uintptr_t)tx, .tx_count = 2, .rx = (uintptr_t)rx, .rx_count = 2,
		};
		struct drm_neuron_program_destroy pd = {};
		struct drm_neuron_submit sub = {};

		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_PROGRAM_CREATE, &pc), 0);
		igt_assert(pc.handle);
		igt_neuron_bo_close(fd, dev);	/* the program holds it */
		for (int i = 0; i < 20; i++) {
			igt_neuron_random_fill(a.p, a.size, 100 + i);
			sub.queue = q;
			sub.program = pc.handle;
			igt_assert_eq(__submit(fd, &sub), 0);
			igt_neuron_bo_wait(fd, b.h);
			igt_neuron_assert_same(b.p, a.p, 4096, "program run");
		}
		sub.queue = q0;
		igt_assert_eq(__submit(fd, &sub), -EINVAL);
		sub.queue = q;
		sub.tx_count = 1;
		igt_assert_eq(__submit(fd, &sub), -EINVAL);
		sub.tx_count = 0;
		sub.program = pc.handle + 1;
		igt_assert_eq(__submit(fd, &sub), -ENOENT);
		pd.handle = pc.handle;
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_PROGRAM_DESTROY, &pd), 0);
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_PROGRAM_DESTROY, &pd), -1);
		igt_assert_eq(errno, ENOENT);
		pc.nc = 4;
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_PROGRAM_CREATE, &pc), -1);
		igt_assert_eq(errno, EINVAL);
		queue_destroy(fd, q);
		queue_destroy(fd, q0);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("Two clients race on one hardware queue; each one's data is right.");
	igt_subtest("two-clients-one-queue") {
		int f2 = igt_neuron_open(node.minor);
		int fds[2] = { fd, f2 };
		struct igt_neuron_hbo a[2], b[2];
		uint32_t q[2], s[2];

		for (int c = 0; c < 2; c++) {
			a[c] = igt_neuron_hbo_new(fds[c], 256 * 64);
			b[c] = igt_neuron_hbo_new(fds[c], 256 * 64);
			igt_neuron_random_fill(a[c].p, a[c].size, 20 + c);
			memset(b[c].p, CANARY, b[c].size);
			q[c] = queue_create(fds[c], 2, 2, 9);
			s[c] = igt_neuron_syncobj(fds[c]);
		}
		for (int i = 0; i < 256; i++)
			for (int c = 0; c < 2; c++)
				igt_assert_eq(submit_copy(fds[c], q[c], a[c].h, i * 64, b[c].h,
							  i * 64, 64, i == 255 ? s[c] : 0), 0);
		for (int c = 0; c < 2; c++) {
			igt_neuron_syncobj_wait(fds[c], s[c]);
			igt_neuron_assert_same(b[c].p, a[c].p, a[c].size, "client data");
			igt_neuron_hbo_free(fds[c], &a[c]);
			igt_neuron_hbo_free(fds[c], &b[c]);
		}
		close(f2);
	}

	igt_subtest_group {
		/* The model's NeuronCore records or entry format: not real hardware's. */
		igt_fixture
			igt_neuron_require_emu();

		igt_describe("A model NeuronCore record (SEM_SET) sent by DMA into the instruction "
			     "FIFO window runs: the semaphore reads back through the firmware.");
		igt_subtest("nc-fifo") {
			struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
			uint32_t q = queue_create(fd, 3, 0, 2), v = 0x1000 + (rand() & 0xfff);
			struct drm_neuron_desc tx = desc(0, 0, NC_OP_RECORD_SIZE, FIRST | LAST);
			struct drm_neuron_desc rx = desc(DRM_NEURON_DESC_NC_FIFO, 32, NC_OP_RECORD_SIZE, 0);

			nc_record(a.p, NC_OP_SEM_SET, 5, v, 0);
			igt_assert_eq(submit(fd, q, &a.h, 1, &tx, 1, &rx, 1, 0), 0);
			igt_neuron_bo_wait(fd, a.h);
			igt_assert_eq_u32(read_semaphore(fd, 3, 5), v);
			queue_destroy(fd, q);
			igt_neuron_hbo_free(fd, &a);
		}
	}

	igt_subtest_group {
		/* The model's NeuronCore records or entry format: not real hardware's. */
		igt_fixture
			igt_neuron_require_emu();

		igt_describe("A model ERROR record sent into the NeuronCore's FIFO fails that job "
			     "with -EIO and makes its queue guilty; another queue on the same "
			     "NeuronCore then completes normally.");
		igt_subtest("nc-error") {
			struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
			uint32_t q = queue_create(fd, 1, 0, 11), q2 = queue_create(fd, 1, 1, 11);
			uint32_t s = igt_neuron_syncobj(fd);
			struct drm_neuron_desc tx = desc(0, 0, NC_OP_RECORD_SIZE, FIRST | LAST);
			struct drm_neuron_desc rx = desc(DRM_NEURON_DESC_NC_FIFO, 0, NC_OP_RECORD_SIZE, 0);

			/* Settle: no earlier error may be pending for NeuronCore 1. */
			nc_record(a.p, NC_OP_SEM_SET, 1, 0, 0);
			igt_assert_eq(submit(fd, q2, &a.h, 1, &tx, 1, &rx, 1, s), 0);
			igt_neuron_syncobj_wait(fd, s);
			nc_record(a.p, NC_OP_ERROR, 42, 7, 0);
			igt_assert_eq(submit(fd, q, &a.h, 1, &tx, 1, &rx, 1, s), 0);
			igt_neuron_syncobj_wait(fd, s);
			igt_assert_eq(igt_neuron_syncobj_status(fd, s), -EIO);
			igt_assert_eq(submit(fd, q, &a.h, 1, &tx, 1, &rx, 1, 0), -ECANCELED);
			nc_record(a.p, NC_OP_SEM_SET, 1, 5, 0);
			igt_assert_eq(submit(fd, q2, &a.h, 1, &tx, 1, &rx, 1, s), 0);
			igt_neuron_syncobj_wait(fd, s);
			igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
			igt_assert_eq_u32(read_semaphore(fd, 1, 1), 5);
			queue_destroy(fd, q);
			queue_destroy(fd, q2);
			igt_neuron_hbo_free(fd, &a);
		}

		igt_describe("Client A sends model ERROR records into NeuronCore 1's FIFO while "
			     "client B streams plain DMA jobs on another queue of the same "
			     "NeuronCore.  Each time, B's job completes after A's record reached "
			     "the FIFO and before A's job did (A's engine is stalled and stepped "
			     "one packet): B never takes the error, its data is byte-exact, and "
			     "every A job fails with -EIO.");
		igt_subtest("nc-error-innocent") {
			enum { JOBS = 8 };
			unsigned int d = igt_neuron_node_emu(&node);
			int b = igt_neuron_open(node.minor);
			struct igt_neuron_hbo rec = igt_neuron_hbo_new(fd, 4096);
			struct igt_neuron_hbo src = igt_neuron_hbo_new(b, JOBS * 4096);
			struct igt_neuron_hbo dst = igt_neuron_hbo_new(b, JOBS * 4096);
			uint32_t qa, qb = queue_create(b, 1, 1, 12);
			uint32_t sa = igt_neuron_syncobj(fd), sb = igt_neuron_syncobj(b);
			struct drm_neuron_desc tx = desc(0, 0, NC_OP_RECORD_SIZE, FIRST | LAST);
			struct drm_neuron_desc rx = desc(DRM_NEURON_DESC_NC_FIFO, 0, NC_OP_RECORD_SIZE, 0);

			igt_neuron_random_fill(src.p, src.size, 99);
			memset(dst.p, CANARY, dst.size);
			nc_record(rec.p, NC_OP_ERROR, 43, 8, 0);
			for (int i = 0; i < JOBS; i++) {
				uint64_t bells = igt_neuron_emu_counter(d, "doorbells");

				/* A guilty queue refuses work: A takes a new one each time. */
				qa = queue_create(fd, 1, 0, 12);
				igt_assert_eq(igt_neuron_emu_fault(d, "queue_stall", V1_ENG_ID(1, 0)), 0);
				igt_assert_eq(submit(fd, qa, &rec.h, 1, &tx, 1, &rx, 1, sa), 0);
				wait_doorbells(d, bells + 2);
				/* A's record packet runs; its completion marker does not. */
				igt_assert(igt_neuron_emu_step(d, V1_ENG_ID(1, 0)));
				igt_assert_eq(submit_copy(b, qb, src.h, i * 4096, dst.h, i * 4096,
							  4096, sb), 0);
				igt_neuron_syncobj_wait(b, sb);
				igt_assert_eq(igt_neuron_syncobj_status(b, sb), 1);
				igt_assert(!syncobj_signalled(fd, sa));
				igt_neuron_node_clear_faults(&node);
				igt_neuron_syncobj_wait(fd, sa);
				igt_assert_eq(igt_neuron_syncobj_status(fd, sa), -EIO);
				queue_destroy(fd, qa);
			}
			igt_neuron_assert_same(dst.p, src.p, dst.size, "the innocent client's data");
			drmSyncobjDestroy(b, sb);
			drmSyncobjDestroy(fd, sa);
			queue_destroy(b, qb);
			igt_neuron_hbo_free(b, &src);
			igt_neuron_hbo_free(b, &dst);
			igt_neuron_hbo_free(fd, &rec);
			close(b);
		}
	}

	igt_describe("Every invalid SUBMIT field fails with the documented errno, writes "
		     "nothing, and the queue still runs a good job afterwards.");
	igt_subtest_with_dynamic("invalid-submit") {
		for (size_t i = 0; i < ARRAY_SIZE(bads); i++)
			igt_dynamic(bads[i].name)
				check_bad(&bads[i]);
	}

	igt_describe("100 jobs read no BAR0/BAR2/BAR4 register and ring at most two "
		     "doorbells each.");
	igt_subtest("no-mmio-reads") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 4096);
		uint32_t q = queue_create(fd, 1, 1, 1), s = igt_neuron_syncobj(fd);
		int d = igt_neuron_node_emu(&node);

		/* The queue exists: its setup's register reads are done. */
		igt_neuron_emu_reset_counters(d);
		for (int i = 0; i < 100; i++)
			igt_assert_eq(submit_copy(fd, q, a.h, i * 8, b.h, i * 8, 8,
						  i == 99 ? s : 0), 0);
		igt_neuron_syncobj_wait(fd, s);
		igt_assert_eq_u64(igt_neuron_emu_counter(d, "mmio_reads_bar0"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(d, "mmio_reads_bar2"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(d, "mmio_reads_bar4"), 0);
		igt_assert(igt_neuron_emu_counter(d, "doorbells") <= 200);
		igt_neuron_assert_same(b.p, a.p, 800, "data");
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("A job on a stalled engine times out: its fence gets -ETIMEDOUT, its "
		     "queue refuses more work (ECANCELED), and a new queue on the same "
		     "engine works once the engine runs again.");
	igt_subtest("hang")
		check_guilty(2, 0, 6, "queue_stall", V1_ENG_ID(2, 0), -ETIMEDOUT);

	igt_describe("A hang blames only the job the queue was executing: on a stalled "
		     "engine, client A's first job times out (-ETIMEDOUT), A's next job on "
		     "the same queue object is cancelled (-ECANCELED), and client B's job "
		     "behind them is replayed and, once the engine runs, copies correctly.");
	igt_subtest("hang-innocent") {
		int fb = igt_neuron_open(node.minor);
		unsigned int d = igt_neuron_node_emu(&node);
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo a2 = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fb, 4096);
		struct igt_neuron_hbo b2 = igt_neuron_hbo_new(fb, 4096);
		uint32_t qa = queue_create(fd, 2, 0, 7), qb = queue_create(fb, 2, 0, 7);
		uint32_t sa1 = igt_neuron_syncobj(fd), sa2 = igt_neuron_syncobj(fd);
		uint32_t sb = igt_neuron_syncobj(fb);

		igt_neuron_random_fill(b.p, 4096, 1234);
		memset(b2.p, CANARY, 4096);
		igt_neuron_emu_reset_counters(d);
		igt_assert_eq(igt_neuron_emu_fault(d, "queue_stall", V1_ENG_ID(2, 0)), 0);
		igt_assert_eq(submit_copy(fd, qa, a.h, 0, a2.h, 0, 4096, sa1), 0);
		igt_assert_eq(submit_copy(fd, qa, a.h, 0, a2.h, 0, 4096, sa2), 0);
		igt_assert_eq(submit_copy(fb, qb, b.h, 0, b2.h, 0, 4096, sb), 0);
		wait_doorbells(d, 6);
		igt_neuron_syncobj_wait(fd, sa1);
		igt_assert_eq(igt_neuron_syncobj_status(fd, sa1), -ETIMEDOUT);
		igt_assert(!syncobj_signalled(fb, sb));
		igt_neuron_node_clear_faults(&node);
		igt_neuron_syncobj_wait(fd, sa2);
		igt_assert_eq(igt_neuron_syncobj_status(fd, sa2), -ECANCELED);
		igt_neuron_syncobj_wait(fb, sb);
		igt_assert_eq(igt_neuron_syncobj_status(fb, sb), 1);
		igt_neuron_assert_same(b2.p, b.p, 4096, "client B's replayed job");
		igt_assert_eq(submit_copy(fd, qa, a.h, 0, a2.h, 0, 4096, 0), -ECANCELED);
		igt_neuron_random_fill(b.p, 4096, 4321);
		igt_assert_eq(submit_copy(fb, qb, b.h, 0, b2.h, 0, 4096, sb), 0);
		igt_neuron_syncobj_wait(fb, sb);
		igt_assert_eq(igt_neuron_syncobj_status(fb, sb), 1);
		igt_neuron_assert_same(b2.p, b.p, 4096, "client B's next job");
		queue_destroy(fd, qa);
		queue_destroy(fb, qb);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &a2);
		igt_neuron_hbo_free(fb, &b);
		igt_neuron_hbo_free(fb, &b2);
		close(fb);
	}

	igt_describe("A long job on a slow engine is not a hang: the engine runs one "
		     "packet every 2 s, so the job outlives the 5 s scheduler timeout; "
		     "the timeout finds the queue moving (debugfs slow goes up, timeouts "
		     "does not) and the job completes with its data intact.");
	igt_subtest("slow-not-hung") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4 * 4096);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 4 * 4096);
		uint32_t q = queue_create(fd, 3, 1, 4), s = igt_neuron_syncobj(fd);
		unsigned int d = igt_neuron_node_emu(&node), steps = 0;
		uint64_t timeouts = copy_queues_sum("timeouts");
		uint64_t slow = copy_queues_sum("slow");
		uint32_t bos[2] = { a.h, b.h };
		struct drm_neuron_desc tx[4], rx[4];

		for (int i = 0; i < 4; i++) {
			tx[i] = desc(0, i * 4096, 4096, FIRST | LAST);
			rx[i] = desc(1, i * 4096, 4096, 0);
		}
		igt_neuron_random_fill(a.p, a.size, 2024);
		memset(b.p, CANARY, b.size);
		igt_neuron_emu_reset_counters(d);
		igt_assert_eq(igt_neuron_emu_fault(d, "queue_stall", V1_ENG_ID(3, 1)), 0);
		igt_assert_eq(submit(fd, q, bos, 2, tx, 4, rx, 4, s), 0);
		wait_doorbells(d, 2);
		/* Four data packets, then the completion marker: 10 s in all. */
		while (sleep(2), igt_neuron_emu_step(d, V1_ENG_ID(3, 1)))
			igt_assert(++steps == 5 || !syncobj_signalled(fd, s));
		igt_neuron_node_clear_faults(&node);
		igt_assert_eq(steps, 5);
		igt_neuron_syncobj_wait(fd, s);
		igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
		igt_neuron_assert_same(b.p, a.p, b.size, "slow job");
		igt_assert_eq_u64(copy_queues_sum("timeouts"), timeouts);
		igt_assert_lte_u64(slow + 1, copy_queues_sum("slow"));
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("QUEUE_DESTROY racing SUBMITs on the same handle: every SUBMIT either "
		     "fails with ENOENT or its job runs and signals (status 1) before "
		     "the destroy returns; none is stranded on the destroyed entity.");
	igt_subtest("submit-destroy-race") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 4096);
		unsigned int ended_by_destroy = 0;

		for (int round = 0; round < 40; round++) {
			struct submit_race r = { .a = a.h, .b = b.h };
			pthread_t t;

			r.q = queue_create(fd, round % 4, 0, 9);
			for (int i = 0; i < RACE_JOBS; i++)
				r.syncobjs[i] = igt_neuron_syncobj(fd);
			igt_assert_eq(pthread_create(&t, NULL, race_submitter, &r), 0);
			usleep(200 * (round % 10));
			queue_destroy(fd, r.q);
			igt_assert_eq(pthread_join(t, NULL), 0);
			igt_assert_f(r.error == 0 || r.error == -ENOENT,
				     "SUBMIT during destroy: %d\n", r.error);
			ended_by_destroy += r.error == -ENOENT;
			for (unsigned int i = 0; i < r.submitted; i++) {
				struct timespec now;

				/* Bounded: a job pushed to a dead entity never signals. */
				clock_gettime(CLOCK_MONOTONIC, &now);
				igt_assert_eq(drmSyncobjWait(fd, &r.syncobjs[i], 1,
							     (now.tv_sec + 10) * 1000000000ll +
							     now.tv_nsec, 0, NULL), 0);
				igt_assert_eq(igt_neuron_syncobj_status(fd, r.syncobjs[i]), 1);
			}
			for (int i = 0; i < RACE_JOBS; i++)
				drmSyncobjDestroy(fd, r.syncobjs[i]);
		}
		igt_info("%u of 40 rounds ended with SUBMIT seeing the destroy\n",
			 ended_by_destroy);
		igt_assert_lt(0, ended_by_destroy);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("A lost completion interrupt: the job still completes, found by the "
		     "backstop timer (debugfs copy_queues counts it), data intact.");
	igt_subtest("lost-interrupt") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 65536);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 65536);
		uint32_t q = queue_create(fd, 1, 1, 3), s = igt_neuron_syncobj(fd);
		unsigned int d = igt_neuron_node_emu(&node);
		uint64_t backstop = copy_queues_sum("backstop");
		struct neuron_emu_config cfg;

		igt_neuron_emu_config(d, &cfg);
		igt_require_f(cfg.msix, "no MSI-X: every completion is polled\n");
		igt_neuron_random_fill(a.p, a.size, 555);
		igt_assert_eq(igt_neuron_emu_fault(d, "lost_irq", 1), 0);
		igt_assert_eq(submit_copy(fd, q, a.h, 0, b.h, 0, 65536, s), 0);
		igt_neuron_syncobj_wait(fd, s);
		igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
		igt_assert_eq_u64(igt_neuron_emu_fault_pending(d, "lost_irq"), 0);
		igt_assert_lte_u64(backstop + 1, copy_queues_sum("backstop"));
		igt_neuron_assert_same(b.p, a.p, 65536, "after a lost interrupt");
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("A DMA error aborts the engine: the job's fence gets -EIO, its queue "
		     "is guilty, the next queue's job succeeds.");
	igt_subtest("dma-error")
		check_guilty(3, 1, 8, "dma_error", 1, -EIO);

	igt_describe("A device reset with jobs on a stalled ring: every one of them signals "
		     "-EIO; the queue is not guilty, and its next job waits for the engine "
		     "and then runs correctly.");
	igt_subtest("reset-in-flight") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4 * 4096);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 4 * 4096);
		uint32_t q = queue_create(fd, 1, 1, 5), s[5];
		unsigned int d = igt_neuron_node_emu(&node);
		struct drm_neuron_reset r = {};

		igt_require(getuid() == 0);
		for (int i = 0; i < 5; i++)
			s[i] = igt_neuron_syncobj(fd);
		igt_neuron_random_fill(a.p, a.size, 77);
		memset(b.p, CANARY, b.size);
		igt_neuron_emu_reset_counters(d);
		igt_assert_eq(igt_neuron_emu_fault(d, "queue_stall", V1_ENG_ID(1, 1)), 0);
		for (int i = 0; i < 4; i++)
			igt_assert_eq(submit_copy(fd, q, a.h, i * 4096, b.h, i * 4096, 4096, s[i]),
				      0);
		/* One doorbell per direction per job: all four are on the ring. */
		wait_doorbells(d, 8);
		igt_assert(!syncobj_signalled(fd, s[3]));
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_RESET, &r), 0);
		for (int i = 0; i < 4; i++) {
			igt_neuron_syncobj_wait(fd, s[i]);
			igt_assert_eq(igt_neuron_syncobj_status(fd, s[i]), -EIO);
		}
		/* Not the client's fault: the queue takes work, which waits for the engine. */
		igt_assert_eq(submit_copy(fd, q, a.h, 0, b.h, 0, 4 * 4096, s[4]), 0);
		usleep(200000);
		igt_assert(!syncobj_signalled(fd, s[4]));
		igt_neuron_node_clear_faults(&node);
		igt_neuron_syncobj_wait(fd, s[4]);
		igt_assert_eq(igt_neuron_syncobj_status(fd, s[4]), 1);
		igt_neuron_assert_same(b.p, a.p, 4 * 4096, "after the reset");
		for (int i = 0; i < 5; i++)
			drmSyncobjDestroy(fd, s[i]);
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("A queue created while a device reset runs starts stopped: its job waits "
		     "for the end of the reset (no timeout or abort check can then block "
		     "the reset), then runs correctly on the re-initialised engine.");
	igt_subtest("queue-during-reset") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 4096);
		uint32_t s = igt_neuron_syncobj(fd), q;
		int status;
		pid_t pid;

		igt_require(getuid() == 0);
		igt_neuron_random_fill(a.p, a.size, 31);
		memset(b.p, CANARY, b.size);
		/* A long reset: the handshake waits 1.5 s before its first poll. */
		igt_neuron_set_param("reset_initial_delay_ms", 1500);
		pid = fork();
		igt_assert_lte(0, pid);
		if (!pid) {
			struct drm_neuron_reset r = {};

			_exit(drmIoctl(fd, DRM_IOCTL_NEURON_RESET, &r) ? 1 : 0);
		}
		usleep(300000);
		/*
		 * Queue 13 of the copy engine of NC 0: the engine is set up at
		 * probe, so the queue is created now, not after the reset.
		 */
		q = queue_create(fd, 0, 2, 13);
		igt_assert_eq(submit_copy(fd, q, a.h, 0, b.h, 0, 4096, s), 0);
		usleep(300000);
		igt_assert_eq(waitpid(pid, &status, WNOHANG), 0);
		igt_assert_f(!syncobj_signalled(fd, s), "the job ran during the reset\n");
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_neuron_set_param("reset_initial_delay_ms", -1);
		igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		igt_neuron_syncobj_wait(fd, s);
		igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
		igt_neuron_assert_same(b.p, a.p, 4096, "job queued during the reset");
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("fdinfo drm-engine-nc<N>: a fresh client has 0 ns everywhere; jobs on "
		     "NeuronCore 2 add busy time there only, and no more than the wall time.");
	igt_subtest("fdinfo-engine") {
		int f = igt_neuron_open(node.minor);
		struct igt_neuron_hbo a = igt_neuron_hbo_new(f, 1 << 20);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(f, 1 << 20);
		uint32_t q = queue_create(f, 2, 0, 3), s = igt_neuron_syncobj(f);
		struct timespec t0, t1;
		uint64_t busy, wall;

		for (uint32_t nc = 0; nc < V1_NC_PER_DEVICE; nc++)
			igt_assert_eq_u64(engine_ns(f, nc), 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int i = 0; i < 16; i++)
			igt_assert_eq(submit_copy(f, q, a.h, i * 65536, b.h, i * 65536, 65536,
						  i == 15 ? s : 0), 0);
		igt_neuron_syncobj_wait(f, s);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		wall = (t1.tv_sec - t0.tv_sec) * 1000000000ull + t1.tv_nsec - t0.tv_nsec;
		busy = engine_ns(f, 2);
		igt_info("16 jobs: busy %" PRIu64 " ns of %" PRIu64 " ns\n", busy, wall);
		igt_assert(busy > 0);
		igt_assert(busy <= wall);
		igt_assert_eq_u64(engine_ns(f, 0), 0);
		igt_assert_eq_u64(engine_ns(f, 1), 0);
		igt_assert_eq_u64(engine_ns(f, 3), 0);
		igt_neuron_hbo_free(f, &a);
		igt_neuron_hbo_free(f, &b);
		close(f);
	}

	igt_describe("One packet of 64 KiB spread over 1024 RX descriptors of 64 bytes runs "
		     "byte-exact; 1025 RX descriptors per packet (the engine would abort the "
		     "S2M half) are refused with EINVAL, and the queue still works.");
	igt_subtest("rx-per-packet-limit") {
		static struct drm_neuron_desc rx[1025];
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 65536 + 64);
		struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, 65536 + 64);
		uint32_t bos[2] = { a.h, b.h }, q = queue_create(fd, 1, 0, 3), s;
		struct drm_neuron_desc tx[2] = { desc(0, 0, 65536, FIRST), desc(0, 65536, 64, LAST) };

		igt_neuron_random_fill(a.p, a.size, 77);
		memset(b.p, CANARY, b.size);
		for (int i = 0; i < 1025; i++)
			rx[i] = desc(1, i * 64, 64, 0);
		igt_assert_eq(submit(fd, q, bos, 2, tx, 2, rx, 1025, 0), -EINVAL);
		igt_neuron_assert_bytes(b.p, 0, b.size, CANARY, "after the refused job");
		s = igt_neuron_syncobj(fd);
		tx[0] = desc(0, 0, 65536, FIRST | LAST);
		igt_assert_eq(submit(fd, q, bos, 2, tx, 1, rx, 1024, s), 0);
		igt_neuron_syncobj_wait(fd, s);
		igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
		igt_neuron_assert_same(b.p, a.p, 65536, "1024 RX descriptors");
		drmSyncobjDestroy(fd, s);
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("Packet limits count a host descriptor as one piece per page it touches, "
		     "whatever the BO's layout: 8 page-aligned 64 KiB TX descriptors in one packet "
		     "(128 pieces) are accepted, 9 (144) or 8 that each touch 17 pages (136) "
		     "are refused with EINVAL, every time.");
	igt_subtest("packet-limit-layout-independent") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 10 << 16);
		uint32_t dev = igt_neuron_bo_create(fd, DEV, 10 << 16), bos[2] = { a.h, dev };
		struct drm_neuron_desc tx[9], rx[9];
		uint32_t q = queue_create(fd, 2, 0, 4);

		/* Receive into a device BO: one piece each, never the limit. */
		for (int i = 0; i < 9; i++)
			rx[i] = desc(1, (uint64_t)i << 16, 65536, 0);
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < 9; i++)
				tx[i] = desc(0, (uint64_t)i << 16, 65536,
					     (i == 0 ? FIRST : 0) | (i == 8 ? LAST : 0));
			/* 9 x 16 pages = 144 (576 KiB: under the byte limit). */
			igt_assert_eq(submit(fd, q, bos, 2, tx, 9, rx, 9, 0), -EINVAL);
			/* 8 x 16 pages = 128: the limit itself. */
			tx[7].flags |= LAST;
			igt_assert_eq(submit(fd, q, bos, 2, tx, 8, rx, 8, 0), 0);
			/* Shifted by one byte: each touches 17 pages, 136 in all. */
			for (int i = 0; i < 8; i++)
				tx[i].offset += 1;
			igt_assert_eq(submit(fd, q, bos, 2, tx, 8, rx, 8, 0), -EINVAL);
		}
		igt_neuron_bo_wait(fd, dev);
		queue_destroy(fd, q);
		igt_neuron_bo_close(fd, dev);
		igt_neuron_hbo_free(fd, &a);
	}

	igt_fixture {
		igt_neuron_node_clear_faults(&node);
		close(fd);
	}
}
