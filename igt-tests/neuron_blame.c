// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Engine aborts blame only the guilty (issue 13, item 3).  An engine has 16
 * queues and stops as a whole when one of them aborts it; the hardware
 * does not say which queue it was.  Two clients, each in its own process
 * with its own fd, share engine 2 of NeuronCore 1 (the engine of the
 * driver's copy queue, queue 15): hostile client A has queue 0, innocent
 * client B streams SUBMITs on queue 1 and COPYs through the copy queue.
 * A's job aborts the engine (the emulator's injected DMA error); B must
 * see every fence signal without error, every byte exact, and its queue
 * object still takes work, while A's job ends with -EIO and A's queue
 * object refuses work (ECANCELED).
 *
 * busy-b: B's jobs are on the engine's rings when A's job aborts it, so
 * the driver cannot tell from the hardware whose job it was.  The engine
 * is stalled in the emulator (fault queue_stall) and this process runs it
 * packet by packet (step), acting as a job that aborts whenever it runs:
 * whenever A's job is at the head of A's queue and the engine is not
 * aborted (both read through FWIO), it arms dma_error 1 for that one
 * step, so that A's job aborts the engine every time it runs and nothing
 * else ever does.  The emulator's step runs the lowest-numbered queue
 * with work, so A's queue 0 runs before B's.  A's job aborts exactly
 * twice: at its first run, and when the driver runs it alone to find the
 * culprit.  Nothing depends on timing: a driver that blames the oldest
 * job of whichever queue looks first, or of every queue, fails B.
 *
 * idle-b: B streams, stops, A's job aborts the engine (dma_error 1, the
 * engine running normally) while B has nothing in flight, and B streams
 * again on the recovered engine.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"
#include "neuron_emu_ctl.h"

IGT_TEST_DESCRIPTION("Engine aborts: only the client whose job aborted the engine sees an "
		     "error; another client's SUBMITs and COPYs on the same engine complete "
		     "byte-exact.");

#define FIRST DRM_NEURON_DESC_FIRST
#define LAST DRM_NEURON_DESC_LAST
#define CANARY 0x5a
#define NC 1
#define ENGINE 2			/* of the NeuronCore: the copy engine */
#define ENG V1_ENG_ID(NC, ENGINE)	/* its engine id */
#define QA 0				/* hostile client's queue */
#define QB 1				/* innocent client's queue */
#define ROUNDS 4
#define JOBS 8				/* B's SUBMITs per round */
#define SLICE 4096			/* bytes per SUBMIT */
#define COPY_BYTES (4 * 4096)		/* B's COPY host -> device -> host per round */
#define RING_MASK 8191			/* the driver's rings: 8192 descriptors */
#define STATE_ABORT 2			/* a UDMA state field's abort value */

static struct igt_neuron_node node;
static int fd = -1;

static uint32_t queue_create(int f, uint32_t queue)
{
	struct drm_neuron_queue_create c = { .nc = NC, .engine = ENGINE, .queue = queue };

	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_QUEUE_CREATE, &c), 0);
	return c.handle;
}

static void queue_destroy(int f, uint32_t h)
{
	struct drm_neuron_queue_destroy d = { .handle = h };

	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_QUEUE_DESTROY, &d), 0);
}

/* Copy len bytes a+off -> b+off as one single-descriptor packet. */
static int submit_copy(int f, uint32_t q, uint32_t a, uint32_t b, uint64_t off, uint32_t len,
		       uint32_t out)
{
	uint32_t bos[2] = { a, b };
	struct drm_neuron_desc tx = { .bo_index = 0, .offset = off, .length = len,
				      .flags = FIRST | LAST };
	struct drm_neuron_desc rx = { .bo_index = 1, .offset = off, .length = len };
	struct drm_neuron_submit s = {
		.queue = q, .bo_handles = (uintptr_t)bos, .bo_count = 2,
		.tx = (uintptr_t)&tx, .tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1,
		.out_sync.handle = out,
	};

	return drmIoctl(f, DRM_IOCTL_NEURON_SUBMIT, &s) ? -errno : 0;
}

static void copy(int f, uint32_t dst, uint32_t src, uint32_t out)
{
	struct drm_neuron_copy c = {
		.src_handle = src, .dst_handle = dst, .size = COPY_BYTES, .nc = NC,
		.out_sync.handle = out,
	};

	igt_assert_eq(__igt_neuron_copy(f, &c), 0);
}

static void wait_ok(int f, uint32_t s, const char *what, int i)
{
	int status;

	igt_neuron_syncobj_wait(f, s);
	status = igt_neuron_syncobj_status(f, s);
	igt_assert_f(status == 1, "client B: %s %d signalled %d\n", what, i, status);
}

/* Messages between the two processes: one byte each. */
static void say(int p, char c)
{
	igt_assert_eq(write(p, &c, 1), 1);
}

static void hear(int p, char want)
{
	char c = 0;

	igt_assert_eq(read(p, &c, 1), 1);
	igt_assert_eq(c, want);
}

/*
 * Client B, in a child process with its own fd: ROUNDS rounds of JOBS
 * SUBMITs on queue QB and a COPY host -> device -> host on the copy queue,
 * every fence checked and every byte compared.  After round 0's jobs are
 * submitted it says 'p' (busy) or, once they completed, says 'p' and waits
 * for 'g' (idle).  Finally its queue object must still take work.
 */
static void client_b(int to_a, int from_a, bool idle)
{
	int fb = igt_neuron_open(node.minor);
	uint32_t q = queue_create(fb, QB);
	struct igt_neuron_hbo src = igt_neuron_hbo_new(fb, JOBS * SLICE);
	struct igt_neuron_hbo dst = igt_neuron_hbo_new(fb, JOBS * SLICE);
	struct igt_neuron_hbo csrc = igt_neuron_hbo_new(fb, COPY_BYTES);
	struct igt_neuron_hbo cdst = igt_neuron_hbo_new(fb, COPY_BYTES);
	uint32_t dev = igt_neuron_bo_create_device(fb, COPY_BYTES, DRM_NEURON_ANY, NC);
	uint32_t s[JOBS], c1 = igt_neuron_syncobj(fb), c2 = igt_neuron_syncobj(fb);

	for (int i = 0; i < JOBS; i++)
		s[i] = igt_neuron_syncobj(fb);
	for (int r = 0; r < ROUNDS; r++) {
		igt_neuron_random_fill(src.p, src.size, 1000 + r);
		igt_neuron_random_fill(csrc.p, csrc.size, 2000 + r);
		memset(dst.p, CANARY, dst.size);
		memset(cdst.p, CANARY, cdst.size);
		copy(fb, dev, csrc.h, c1);
		for (int i = 0; i < JOBS; i++)
			igt_assert_eq(submit_copy(fb, q, src.h, dst.h, i * SLICE, SLICE, s[i]), 0);
		/* Waits for the first copy through the device BO's reservation. */
		copy(fb, cdst.h, dev, c2);
		if (r == 0 && !idle)
			say(to_a, 'p');
		wait_ok(fb, c1, "COPY to the device, round", r);
		for (int i = 0; i < JOBS; i++)
			wait_ok(fb, s[i], "SUBMIT", r * JOBS + i);
		wait_ok(fb, c2, "COPY from the device, round", r);
		igt_neuron_assert_same(dst.p, src.p, src.size, "client B's SUBMITs");
		igt_neuron_assert_same(cdst.p, csrc.p, csrc.size, "client B's COPYs");
		if (r == 0 && idle) {
			say(to_a, 'p');
			hear(from_a, 'g');
		}
	}
	/* Not guilty: the queue object takes work. */
	igt_neuron_random_fill(src.p, SLICE, 3000);
	igt_assert_eq(submit_copy(fb, q, src.h, dst.h, 0, SLICE, s[0]), 0);
	wait_ok(fb, s[0], "SUBMIT after the abort", 0);
	igt_neuron_assert_same(dst.p, src.p, SLICE, "client B's last SUBMIT");
	queue_destroy(fb, q);
	close(fb);
	_exit(0);
}

static pid_t start_b(int *to_b, int *from_b, bool idle)
{
	int up[2], down[2];
	pid_t pid;

	igt_assert_eq(pipe(up), 0);
	igt_assert_eq(pipe(down), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		client_b(up[1], down[0], idle);
	}
	close(up[1]);
	close(down[0]);
	*from_b = up[0];
	*to_b = down[1];
	return pid;
}

static void end_b(pid_t pid, int to_b, int from_b)
{
	int status = -1;

	igt_assert_eq(waitpid(pid, &status, 0), pid);
	close(to_b);
	close(from_b);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "client B failed (status %#x)\n", status);
}

/*
 * "key: N" of one block of debugfs copy_queues ("neuron-q5.0", "engine 5");
 * 0 for a queue not created yet in this boot.
 */
static uint64_t stat_of(const char *block, const char *key)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], buf[65536], head[64], k[64];
	uint64_t v = 0;
	char *p, *end;

	igt_require_f(igt_neuron_debugfs_dir(node.pci_addr, dir, sizeof(dir)), "no debugfs\n");
	snprintf(path, sizeof(path), "%s/copy_queues", dir);
	igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
	snprintf(head, sizeof(head), "\n%s:", block);
	p = strncmp(buf, head + 1, strlen(head + 1)) ? strstr(buf, head) : buf;
	if (!p)
		return 0;
	end = strchr(p + 1, '\n');
	while (end && end[1] == ' ') {
		p = end + 1;
		if (sscanf(p, " %63[^:]: %" SCNu64, k, &v) == 2 && !strcmp(k, key))
			return v;
		end = strchr(p, '\n');
	}
	igt_assert_f(false, "no %s in %s\n", key, block);
	return 0;
}

struct counts {
	uint64_t aborts_a, aborts_b, aborts_copy, blamed, probes_a;
};

static void counts_take(struct counts *c)
{
	char a[32], b[32], cq[32], e[32];

	snprintf(a, sizeof(a), "neuron-q%d.%d", ENG, QA);
	snprintf(b, sizeof(b), "neuron-q%d.%d", ENG, QB);
	snprintf(cq, sizeof(cq), "neuron-q%d.%d", ENG, 15);
	snprintf(e, sizeof(e), "engine %d", ENG);
	c->aborts_a = stat_of(a, "aborts");
	c->aborts_b = stat_of(b, "aborts");
	c->aborts_copy = stat_of(cq, "aborts");
	c->blamed = stat_of(e, "blamed");
	c->probes_a = stat_of(a, "probes");
}

/* The engine's state and A's queue's M2S ring, in one FWIO read. */
static void read_engine(bool *aborted, uint32_t *queued)
{
	uint64_t base = V1_APB_BASE + V1_UDMA_OFFSET(NC, ENGINE);
	uint64_t addrs[4] = {
		base + UDMA_M2S_STATE, base + UDMA_S2M_STATE,
		base + UDMA_M2S_Q(QA) + UDMA_Q_RING_HEAD, base + UDMA_M2S_Q(QA) + UDMA_Q_RING_TAIL,
	};
	uint32_t v[4];
	struct drm_neuron_fwio_read r = {
		.addrs = (uintptr_t)addrs, .values = (uintptr_t)v, .count = 4,
	};

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_FWIO_READ, &r), 0);
	*aborted = false;
	for (int i = 0; i < 2; i++)
		for (int shift = 0; shift <= 12; shift += 4)
			*aborted |= ((v[i] >> shift) & 3) == STATE_ABORT;
	*queued = (v[3] - v[2]) & RING_MASK;
}

static bool signalled(int f, uint32_t s)
{
	return drmSyncobjWait(f, &s, 1, 0, 0, NULL) == 0;
}

static void wait_stable_pending(unsigned int d)
{
	uint64_t last = UINT64_MAX, n;
	int same = 0;

	for (int i = 0; i < 500 && same < 5; i++) {
		usleep(20000);
		n = igt_neuron_emu_pending(d, ENG);
		same = n && n == last ? same + 1 : 0;
		last = n;
	}
	igt_assert_f(same >= 5, "client B's jobs did not reach the stalled engine\n");
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
		igt_neuron_require_emu();
		igt_require(getuid() == 0);
	}

	igt_describe("Client A's job aborts the engine while client B's SUBMITs and COPYs "
		     "are on the same engine's rings (the hardware cannot say whose packet "
		     "aborted): A's job fails with -EIO and its queue is guilty (ECANCELED); "
		     "every one of B's fences signals without error, its data is byte-exact "
		     "and its queue takes work; A's job aborted the engine twice (the driver "
		     "ran it alone to find it) and only A's queue counts the abort.");
	igt_subtest("busy-b") {
		struct neuron_emu_ctl *ctl = igt_neuron_emu();
		unsigned int d = igt_neuron_node_emu(&node);
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, SLICE);
		struct igt_neuron_hbo a2 = igt_neuron_hbo_new(fd, SLICE);
		uint32_t qa = queue_create(fd, QA), sa = igt_neuron_syncobj(fd);
		unsigned int aborts = 0, steps = 0, armed_ran = 0;
		struct counts before, after;
		int to_b, from_b, status;
		struct timespec t0, t;
		bool b_done = false;
		uint32_t queued;
		bool aborted;
		pid_t pid;

		counts_take(&before);
		igt_assert_eq(igt_neuron_emu_fault(d, "queue_stall", ENG), 0);
		pid = start_b(&to_b, &from_b, false);
		hear(from_b, 'p');
		wait_stable_pending(d);
		/* A's job behind B's on the engine; A's queue has nothing else. */
		igt_assert_eq(submit_copy(fd, qa, a.h, a2.h, 0, SLICE, sa), 0);
		for (int i = 0; i < 500; i++) {
			read_engine(&aborted, &queued);
			if (queued == 2)
				break;
			usleep(10000);
		}
		igt_assert_eq_u32(queued, 2);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (!b_done || !signalled(fd, sa)) {
			bool arm;
			int ret;

			clock_gettime(CLOCK_MONOTONIC, &t);
			igt_assert_f(t.tv_sec - t0.tv_sec < 120,
				     "not done after 120 s: %u steps, %u aborts\n", steps, aborts);
			read_engine(&aborted, &queued);
			/* A's data packet, then its marker: A's job alone at the head. */
			arm = !aborted && queued == 2;
			if (arm)
				igt_assert_eq(igt_neuron_emu_fault(d, "dma_error", 1), 0);
			ret = neuron_emu_ctl_step(ctl, d, ENG);
			if (ret == -EREMOTEIO) {
				igt_assert_f(arm, "a packet aborted the engine unarmed\n");
				aborts++;
			} else {
				igt_assert_f(ret >= 0, "step: %d\n", ret);
				steps += ret;
				if (arm) {
					armed_ran += ret;
					/* Nothing ran: disarm before the next read. */
					igt_assert_eq(igt_neuron_emu_fault(d, "dma_error", 0), 0);
				}
				if (!ret)
					usleep(500);
			}
			if (!b_done && waitpid(pid, &status, WNOHANG) == pid) {
				b_done = true;
				igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
					     "client B failed (status %#x)\n", status);
			}
		}
		igt_neuron_node_clear_faults(&node);
		close(to_b);
		close(from_b);
		igt_info("%u packets stepped, %u aborts\n", steps, aborts);
		igt_assert_eq_u32(armed_ran, 0);
		igt_assert_eq(igt_neuron_syncobj_status(fd, sa), -EIO);
		igt_assert_eq(submit_copy(fd, qa, a.h, a2.h, 0, SLICE, 0), -ECANCELED);
		/* Its first run, and the driver's run of it alone. */
		igt_assert_eq_u32(aborts, 2);
		counts_take(&after);
		igt_assert_eq_u64(after.aborts_a, before.aborts_a + 1);
		igt_assert_eq_u64(after.aborts_b, before.aborts_b);
		igt_assert_eq_u64(after.aborts_copy, before.aborts_copy);
		igt_assert_eq_u64(after.blamed, before.blamed + 1);
		igt_assert_eq_u64(after.probes_a, before.probes_a + 1);
		queue_destroy(fd, qa);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &a2);
		drmSyncobjDestroy(fd, sa);
	}

	igt_describe("Client A's job aborts the engine (an injected DMA error) while client "
		     "B, which streamed SUBMITs and COPYs on the same engine before, has "
		     "nothing in flight: A's job fails with -EIO and its queue is guilty; "
		     "B's next rounds on the recovered engine complete byte-exact and only "
		     "A's queue counts the abort.");
	igt_subtest("idle-b") {
		unsigned int d = igt_neuron_node_emu(&node);
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, SLICE);
		struct igt_neuron_hbo a2 = igt_neuron_hbo_new(fd, SLICE);
		uint32_t qa = queue_create(fd, QA), sa = igt_neuron_syncobj(fd);
		struct counts before, after;
		int to_b, from_b;
		pid_t pid;

		counts_take(&before);
		pid = start_b(&to_b, &from_b, true);
		hear(from_b, 'p');
		igt_assert_eq(igt_neuron_emu_fault(d, "dma_error", 1), 0);
		igt_assert_eq(submit_copy(fd, qa, a.h, a2.h, 0, SLICE, sa), 0);
		igt_neuron_syncobj_wait(fd, sa);
		igt_assert_eq(igt_neuron_syncobj_status(fd, sa), -EIO);
		/* A's job took the fault: nothing is left for B's. */
		igt_assert_eq_u64(igt_neuron_emu_fault_pending(d, "dma_error"), 0);
		igt_assert_eq(submit_copy(fd, qa, a.h, a2.h, 0, SLICE, 0), -ECANCELED);
		say(to_b, 'g');
		end_b(pid, to_b, from_b);
		counts_take(&after);
		igt_assert_eq_u64(after.aborts_a, before.aborts_a + 1);
		igt_assert_eq_u64(after.aborts_b, before.aborts_b);
		igt_assert_eq_u64(after.aborts_copy, before.aborts_copy);
		igt_assert_eq_u64(after.blamed, before.blamed + 1);
		queue_destroy(fd, qa);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &a2);
		drmSyncobjDestroy(fd, sa);
	}

	igt_fixture {
		igt_neuron_node_clear_faults(&node);
		close(fd);
	}
}
