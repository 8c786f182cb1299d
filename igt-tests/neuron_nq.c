// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Notification queues (DRM_IOCTL_NEURON_NQ_CREATE): entries the device
 * writes (injected through the emulator's control port, caused by an event
 * change, or by a NeuronCore record sent with SUBMIT) appear in the mmap'ed
 * ring with the model's format; poll() wakes for them and stops after they
 * are acknowledged; the ring wraps with the phase bit flipping; one owner
 * per queue; every invalid argument refused; the queue survives a reset.
 */
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("Notification queues: entries, poll, acknowledgment, wrap, ownership.");

static struct igt_neuron_node node;
static int fd = -1;

struct nq {
	int fd;
	uint32_t size;
	const uint32_t *ring;
};

static int __nq_create(int f, uint32_t nc, uint32_t type, uint32_t inst, uint32_t size,
		       struct drm_neuron_nq_create *c)
{
	*c = (struct drm_neuron_nq_create){ .nc = nc, .type = type, .instance = inst,
					    .size = size };
	return drmIoctl(f, DRM_IOCTL_NEURON_NQ_CREATE, c) ? -errno : 0;
}

static struct nq nq_open(uint32_t nc, uint32_t type, uint32_t inst, uint32_t size)
{
	struct drm_neuron_nq_create c;
	struct nq q = { .size = size };

	igt_assert_eq(__nq_create(fd, nc, type, inst, size, &c), 0);
	igt_assert(c.fd >= 0);
	q.fd = c.fd;
	q.ring = mmap(NULL, size, PROT_READ, MAP_SHARED, q.fd, 0);
	igt_assert(q.ring != MAP_FAILED);
	return q;
}

static void nq_close(struct nq *q)
{
	munmap((void *)q->ring, q->size);
	close(q->fd);
}

static uint64_t nq_written(struct nq *q)
{
	uint64_t n = 0;

	igt_assert_eq(read(q->fd, &n, sizeof(n)), (ssize_t)sizeof(n));
	return n;
}

static void nq_ack(struct nq *q, uint64_t n)
{
	igt_assert_eq(write(q->fd, &n, sizeof(n)), (ssize_t)sizeof(n));
}

static bool nq_readable(struct nq *q, int timeout_ms)
{
	struct pollfd p = { .fd = q->fd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * Wait until n entries were written (up to 10 s).  poll() returns at once
 * while earlier entries are unacknowledged, so sleep between looks.
 */
static void nq_wait(struct nq *q, uint64_t n)
{
	double end = now_s() + 10;

	while (nq_written(q) < n && now_s() < end) {
		nq_readable(q, 10);
		usleep(1000);
	}
	igt_assert_eq_u64(nq_written(q), n);
}

static void inject(uint32_t nc, uint32_t type, uint32_t inst, uint32_t index, uint32_t value)
{
	struct neuron_emu_reply r;

	igt_require_f(node.emu_dev >= 0, "no emulator device\n");
	igt_assert_eq(neuron_emu_ctl_cmd(igt_neuron_emu(), &r, "notify %d %u %u %u %u %u",
					 node.emu_dev, nc, type, inst, index, value), 0);
}

/* Entry k (since creation) of a ring that was never reprogrammed. */
static void check_entry(struct nq *q, uint64_t k, uint32_t type, uint32_t inst,
			uint32_t index, uint32_t value)
{
	uint32_t slots = q->size / NQ_ENTRY_SIZE;
	const uint32_t *e = q->ring + (k % slots) * (NQ_ENTRY_SIZE / 4);
	uint32_t phase = (NQ_PHASE_INIT + k / slots) & 1;

	igt_assert_eq_u32(e[0] & 0xff, type);
	igt_assert_eq_u32((e[0] >> NQ_ENTRY_INSTANCE_SHIFT) & 0xff, inst);
	igt_assert_eq_u32(!!(e[0] & NQ_ENTRY_PHASE), phase);
	igt_assert_eq_u32(e[1], index);
	igt_assert_eq_u32(e[2], value);
	igt_assert_eq_u32(e[3], (uint32_t)k);
}

/*
 * The debugfs line of one queue: written, acknowledged and lost counts and
 * the owner column.  Returns false when the queue is not listed.
 */
static bool nq_debugfs(uint32_t nc, const char *type, uint32_t inst, uint32_t *size,
		       uint64_t *written, uint64_t *acked, uint64_t *lost, char *owner,
		       size_t owner_len)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], buf[16384];
	char *line, *save = NULL;

	igt_require_f(igt_neuron_debugfs_dir(node.pci_addr, dir, sizeof(dir)), "no debugfs\n");
	snprintf(path, sizeof(path), "%s/notification_queues", dir);
	igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
	igt_assert_f(!strncmp(buf, "nc type", 7), "unexpected header: %.40s\n", buf);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long w, a, l;
		unsigned int n, i, sz;
		char t[16];
		int end = 0;

		if (sscanf(line, "%u %15s %u %u %llu %llu %llu %n", &n, t, &i, &sz, &w, &a, &l,
			   &end) != 7 || n != nc || i != inst || strcmp(t, type))
			continue;
		*size = sz;
		*written = w;
		*acked = a;
		*lost = l;
		snprintf(owner, owner_len, "%s", line + end);
		return true;
	}
	return false;
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
	}

	igt_describe("Injected NOTIFY entries land in the ring with their fields; poll() "
		     "wakes; read() counts them; acknowledging them ends readiness.");
	igt_subtest("notify-entries") {
		struct nq q = nq_open(1, DRM_NEURON_NQ_NOTIFY, 2, 4096);

		igt_assert(!nq_readable(&q, 0));
		igt_assert_eq_u64(nq_written(&q), 0);
		for (uint32_t i = 0; i < 3; i++)
			inject(1, NQ_TYPE_NOTIFY, 2, 10 + i, 0xabc0 + i);
		nq_wait(&q, 3);
		igt_assert(nq_readable(&q, 0));
		for (uint32_t i = 0; i < 3; i++)
			check_entry(&q, i, NQ_TYPE_NOTIFY, 2, 10 + i, 0xabc0 + i);
		nq_ack(&q, 2);
		igt_assert(nq_readable(&q, 0));
		nq_ack(&q, 3);
		igt_assert(!nq_readable(&q, 0));
		/* Acknowledgment cannot go back or past what was written. */
		igt_assert_eq(write(q.fd, &(uint64_t){ 2 }, 8), -1);
		igt_assert_eq(errno, EINVAL);
		igt_assert_eq(write(q.fd, &(uint64_t){ 4 }, 8), -1);
		igt_assert_eq(errno, EINVAL);
		igt_assert_eq(write(q.fd, &(uint32_t){ 3 }, 4), -1);
		igt_assert_eq(errno, EINVAL);
		nq_close(&q);
	}

	igt_subtest_group {
		/* The model's NeuronCore records or entry format: not real hardware's. */
		igt_fixture
			igt_neuron_require_emu();

		igt_describe("Setting an event through the EVENT ioctl posts an EVENT entry with "
			     "the event's index and new value.");
		igt_subtest("event-entry") {
			struct nq q = nq_open(0, DRM_NEURON_NQ_EVENT, 0, 4096);
			struct drm_neuron_event e = { .nc = 0, .index = 9, .op = DRM_NEURON_SYNC_OP_SET,
						      .value = 1 };

			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_EVENT, &e), 0);
			nq_wait(&q, 1);
			check_entry(&q, 0, NQ_TYPE_EVENT, 0, 9, 1);
			e.value = 0;
			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_EVENT, &e), 0);
			nq_wait(&q, 2);
			check_entry(&q, 1, NQ_TYPE_EVENT, 0, 9, 0);
			nq_close(&q);
		}
	}

	igt_describe("600 entries through a 256-entry ring, acknowledged as they come: "
		     "none lost, the phase bit flips on every lap.");
	igt_subtest("ring-wrap") {
		struct nq q = nq_open(2, DRM_NEURON_NQ_TRACE, 1, 4096);

		for (uint32_t k = 0; k < 600; k++) {
			inject(2, NQ_TYPE_TRACE, 1, k, ~k);
			if (k % 100 == 99) {
				nq_wait(&q, k + 1);
				nq_ack(&q, k + 1);
			}
		}
		for (uint32_t k = 600 - 200; k < 600; k++)
			check_entry(&q, k, NQ_TYPE_TRACE, 1, k, ~k);
		nq_close(&q);
	}

	igt_subtest_group {
		/* The model's NeuronCore records or entry format: not real hardware's. */
		igt_fixture
			igt_neuron_require_emu();

		igt_describe("A NOTIFY record sent by SUBMIT into the NeuronCore's instruction FIFO "
			     "posts its entry.");
		igt_subtest("notify-from-program") {
			struct nq q = nq_open(3, DRM_NEURON_NQ_NOTIFY, 1, 4096);
			struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096);
			struct drm_neuron_queue_create qc = { .nc = 3, .engine = 1, .queue = 0 };
			struct drm_neuron_desc tx = { .bo_index = 0, .length = NC_OP_RECORD_SIZE,
						      .flags = DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST };
			struct drm_neuron_desc rx = { .bo_index = DRM_NEURON_DESC_NC_FIFO,
						      .length = NC_OP_RECORD_SIZE };
			struct drm_neuron_submit s = { .bo_count = 1, .tx_count = 1, .rx_count = 1 };
			uint32_t rec[4] = { NC_OP_MAGIC | NC_OP_NOTIFY, 1, 77, 0x5151 };

			memcpy(a.p, rec, sizeof(rec));
			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &qc), 0);
			s.queue = qc.handle;
			s.bo_handles = (uintptr_t)&a.h;
			s.tx = (uintptr_t)&tx;
			s.rx = (uintptr_t)&rx;
			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_SUBMIT, &s), 0);
			nq_wait(&q, 1);
			check_entry(&q, 0, NQ_TYPE_NOTIFY, 1, 77, 0x5151);
			igt_neuron_hbo_free(fd, &a);
			nq_close(&q);
		}
	}

	igt_describe("One owner per queue: a second open is EBUSY until the first closes; "
		     "other instances are independent.");
	igt_subtest("exclusive") {
		struct drm_neuron_nq_create c;
		struct nq q = nq_open(0, DRM_NEURON_NQ_NOTIFY, 0, 8192);
		int other = igt_neuron_open(node.minor);
		struct nq q2;

		igt_assert_eq(__nq_create(fd, 0, DRM_NEURON_NQ_NOTIFY, 0, 4096, &c), -EBUSY);
		igt_assert_eq(__nq_create(other, 0, DRM_NEURON_NQ_NOTIFY, 0, 4096, &c), -EBUSY);
		igt_assert_eq(c.fd, -1);
		q2 = nq_open(0, DRM_NEURON_NQ_NOTIFY, 1, 4096);
		nq_close(&q);
		igt_assert_eq(__nq_create(other, 0, DRM_NEURON_NQ_NOTIFY, 0, 4096, &c), 0);
		close(c.fd);
		nq_close(&q2);
		close(other);
	}

	igt_describe("ERROR queues are the driver's: several clients open read-only views "
		     "at once, all see an injected ERROR entry, each acknowledges on its own.");
	igt_subtest("error-views") {
		int other = igt_neuron_open(node.minor);
		struct drm_neuron_nq_create c;
		struct nq v1 = nq_open(2, DRM_NEURON_NQ_ERROR, 0, 4096), v2;
		uint64_t base = nq_written(&v1);

		igt_assert_eq(__nq_create(other, 2, DRM_NEURON_NQ_ERROR, 0, 4096, &c), 0);
		v2 = (struct nq){ .fd = c.fd, .size = c.size };
		v2.ring = mmap(NULL, c.size, PROT_READ, MAP_SHARED, c.fd, 0);
		igt_assert(v2.ring != MAP_FAILED);
		inject(2, NQ_TYPE_ERROR, 0, 0x77, 0x88);
		nq_wait(&v1, base + 1);
		nq_wait(&v2, base + 1);
		check_entry(&v1, base, NQ_TYPE_ERROR, 0, 0x77, 0x88);
		igt_assert_eq(memcmp(v1.ring, v2.ring, 4096), 0);
		nq_ack(&v1, base + 1);
		igt_assert(!nq_readable(&v1, 0));
		igt_assert(nq_readable(&v2, 0));
		nq_close(&v1);
		nq_close(&v2);
		close(other);
	}

	igt_describe("debugfs notification_queues lists every open queue with its size, "
		     "counts and owner, and the driver's ERROR queues with their views.");
	igt_subtest("debugfs") {
		struct nq q = nq_open(1, DRM_NEURON_NQ_NOTIFY, 3, 8192), v;
		uint64_t w, a, l, err_w;
		char owner[64], want[64];
		uint32_t size;

		for (uint32_t i = 0; i < 3; i++)
			inject(1, NQ_TYPE_NOTIFY, 3, i, i);
		nq_wait(&q, 3);
		nq_ack(&q, 1);
		igt_assert(nq_debugfs(1, "notify", 3, &size, &w, &a, &l, owner, sizeof(owner)));
		snprintf(want, sizeof(want), "pid %d", getpid());
		igt_assert_eq_u32(size, 8192);
		igt_assert_eq_u64(w, 3);
		igt_assert_eq_u64(a, 1);
		igt_assert_eq_u64(l, 0);
		igt_assert_f(!strcmp(owner, want), "owner \"%s\", want \"%s\"\n", owner, want);
		nq_close(&q);
		igt_assert(!nq_debugfs(1, "notify", 3, &size, &w, &a, &l, owner, sizeof(owner)));

		/* ERROR queues: always listed, the driver's, with the views open. */
		igt_assert(nq_debugfs(3, "error", 0, &size, &w, &a, &l, owner, sizeof(owner)));
		igt_assert_eq_u32(size, 4096);
		igt_assert_f(!strcmp(owner, "driver views=0"), "owner \"%s\"\n", owner);
		v = nq_open(3, DRM_NEURON_NQ_ERROR, 0, 4096);
		err_w = nq_written(&v);
		inject(3, NQ_TYPE_ERROR, 0, 1, 2);
		nq_wait(&v, err_w + 1);
		igt_assert(nq_debugfs(3, "error", 0, &size, &w, &a, &l, owner, sizeof(owner)));
		igt_assert_eq_u64(w, err_w + 1);
		igt_assert_f(!strcmp(owner, "driver views=1"), "owner \"%s\"\n", owner);
		nq_close(&v);
	}

	igt_describe("The ring maps read-only, from offset 0, at most its size.");
	igt_subtest("mmap-rules") {
		struct nq q = nq_open(1, DRM_NEURON_NQ_ERROR, 0, 4096);

		igt_assert(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, q.fd, 0) ==
			   MAP_FAILED);
		igt_assert_eq(errno, EACCES);
		igt_assert(mmap(NULL, 8192, PROT_READ, MAP_SHARED, q.fd, 0) == MAP_FAILED);
		igt_assert(mmap(NULL, 4096, PROT_READ, MAP_SHARED, q.fd, 4096) == MAP_FAILED);
		igt_assert(mprotect((void *)q.ring, 4096, PROT_READ | PROT_WRITE) != 0);
		nq_close(&q);
	}

	igt_describe("Invalid NeuronCore, type, instance, size, flags and pads: EINVAL.");
	igt_subtest("invalid") {
		struct drm_neuron_nq_create c;
		static const struct { uint32_t nc, type, inst, size; } bad[] = {
			{ 4, 1, 0, 4096 }, { 0, 4, 0, 4096 }, { 0, 1, 4, 4096 },
			{ 0, DRM_NEURON_NQ_EVENT, 1, 4096 }, { 0, DRM_NEURON_NQ_ERROR, 1, 4096 },
			{ 0, 1, 0, 2048 }, { 0, 1, 0, 6144 }, { 0, 1, 0, 2 << 20 }, { 0, 1, 0, 0 },
		};

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
			igt_assert_eq(__nq_create(fd, bad[i].nc, bad[i].type, bad[i].inst,
						  bad[i].size, &c), -EINVAL);
		c = (struct drm_neuron_nq_create){ .type = 1, .size = 4096, .flags = 1 };
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_NQ_CREATE, &c), -1);
		igt_assert_eq(errno, EINVAL);
		c = (struct drm_neuron_nq_create){ .type = 1, .size = 4096, .pad = 1 };
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_NQ_CREATE, &c), -1);
		igt_assert_eq(errno, EINVAL);
		c = (struct drm_neuron_nq_create){ .type = 1, .size = 4096, .pad2 = 1 };
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_NQ_CREATE, &c), -1);
		igt_assert_eq(errno, EINVAL);
	}

	igt_describe("After a device reset the queue is programmed again: new entries are "
		     "counted on top of the earlier ones.");
	igt_subtest("after-reset") {
		struct nq q = nq_open(0, DRM_NEURON_NQ_TRACE, 3, 4096);
		struct drm_neuron_reset r = {};

		igt_require(getuid() == 0);
		inject(0, NQ_TYPE_TRACE, 3, 1, 1);
		nq_wait(&q, 1);
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_RESET, &r), 0);
		inject(0, NQ_TYPE_TRACE, 3, 2, 2);
		inject(0, NQ_TYPE_TRACE, 3, 3, 3);
		nq_wait(&q, 3);
		/* The device restarted the ring: the new entries are at 0 and 1. */
		igt_assert_eq_u32(q.ring[1], 2);
		igt_assert_eq_u32(q.ring[4 + 1], 3);
		nq_close(&q);
	}

	igt_fixture {
		close(fd);
	}
}
