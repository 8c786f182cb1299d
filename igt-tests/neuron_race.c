// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Threads of one client (one drm fd) racing submissions on one scheduler
 * entity: COPY and FILL on one NeuronCore (the file's copy entity of that
 * NeuronCore) and SUBMIT on one queue object.  The uapi promises that the
 * jobs of one entity run in the order of their fences' sequence numbers
 * (Documentation/neuron/execution.rst): the driver arms (hands out the
 * sequence number) and pushes (queues) each job under one lock per entity.
 * Armed in one order and pushed in another, a job with a later sequence
 * number would run, and signal, before one with an earlier number on the
 * same fence context, which dma_fence_is_later(), sync_file merging and
 * the scheduler's own same-entity dependency shortcut all rely on.
 *
 * Each round stalls the engine in the emulator (fault queue_stall), lets
 * the threads submit from a common start, reads every fence's context and
 * sequence number from its sync_file's name while it is still pending
 * (the kernel names a pending fence "<driver>-<timeline><context>-<seqno>";
 * a signalled one loses its timeline name on 7.x), then releases the
 * engine, waits and reads each fence's status and signal timestamp
 * (SYNC_IOC_FILE_INFO).  Checked per fence context: every fence signalled
 * without error, the sequence numbers are distinct and contiguous, and no
 * fence signalled before one with a lower sequence number; the data of
 * every job is compared byte for byte.  The stall lasts well below the
 * driver's 5 s job timeout; nothing depends on how the threads interleave,
 * only a broken driver can fail.
 *
 * Catching the bug is statistical: the window between arm and push is a
 * few hundred instructions.  With the COPY/FILL lock dropped, on a 2-vCPU
 * TCG guest, 400 rounds of 96 jobs showed 34-41 fences out of order on 7.3
 * and 4-9 on 6.12 (no preemption inside the kernel there); with SUBMIT's
 * queue-object lock dropped, 40 rounds showed 14-24.
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("Threads of one client racing COPY, FILL and SUBMIT on one entity: "
		     "fences signal in sequence-number order, without error, data exact.");

#define CANARY 0xa5
#define FIRST DRM_NEURON_DESC_FIRST
#define LAST DRM_NEURON_DESC_LAST
/* uapi: queue 15 of engine 2 of each NeuronCore is the driver's copy queue. */
#define COPY_ENGINE 2
#define THREADS 4
#define JOBS 24			/* per thread and round: seqnos stay 2 digits */
#define SLICE 256		/* bytes per job */
#define COPY_ROUNDS 400		/* unlocked, ~1 in 1000-3000 racing COPYs hits the window */
#define SUBMIT_ROUNDS 40
#define MAX_FENCES (THREADS * JOBS)

static struct igt_neuron_node node;

enum op { OP_COPY, OP_FILL, OP_SUBMIT };

struct racer {
	int fd;
	enum op op;
	uint32_t nc;
	uint32_t queue;				/* OP_SUBMIT */
	struct igt_neuron_hbo src, dst;
	uint32_t syncobj[JOBS];			/* OP_COPY, OP_FILL */
	int fence_fd[JOBS];			/* sync_file of each job */
	pthread_barrier_t *start;		/* main thread and racers */
	pthread_barrier_t *step;		/* racers, before each job */
	int error;				/* first failed ioctl: -errno */
	int failed_at;
};

static void *racer_main(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->start);
	for (int j = 0; j < JOBS; j++) {
		int ret;

		/* In step: the racers' ioctls overlap as much as they can. */
		pthread_barrier_wait(r->step);
		if (r->error)
			continue;	/* still at every barrier: no deadlock */

		if (r->op == OP_COPY) {
			struct drm_neuron_copy c = {
				.src_handle = r->src.h, .dst_handle = r->dst.h,
				.src_offset = j * SLICE, .dst_offset = j * SLICE,
				.size = SLICE, .nc = r->nc,
				.out_sync.handle = r->syncobj[j],
			};

			ret = drmIoctl(r->fd, DRM_IOCTL_NEURON_COPY, &c) ? -errno : 0;
		} else if (r->op == OP_FILL) {
			struct drm_neuron_fill f = {
				.handle = r->dst.h, .value = r->src.p[j * SLICE],
				.offset = j * SLICE, .size = SLICE, .nc = r->nc,
				.out_sync.handle = r->syncobj[j],
			};

			ret = drmIoctl(r->fd, DRM_IOCTL_NEURON_FILL, &f) ? -errno : 0;
		} else {
			uint32_t bos[2] = { r->src.h, r->dst.h };
			struct drm_neuron_desc tx = {
				.bo_index = 0, .offset = j * SLICE, .length = SLICE,
				.flags = FIRST | LAST,
			};
			struct drm_neuron_desc rx = {
				.bo_index = 1, .offset = j * SLICE, .length = SLICE,
			};
			struct drm_neuron_submit s = {
				.queue = r->queue, .bo_handles = (uintptr_t)bos, .bo_count = 2,
				.tx = (uintptr_t)&tx, .tx_count = 1,
				.rx = (uintptr_t)&rx, .rx_count = 1,
				.flags = DRM_NEURON_SUBMIT_OUT_FENCE_FD,
			};

			ret = drmIoctl(r->fd, DRM_IOCTL_NEURON_SUBMIT, &s) ? -errno : 0;
			if (!ret)
				r->fence_fd[j] = s.out_fence_fd;
		}
		if (ret) {
			r->error = ret;
			r->failed_at = j;
		}
	}
	return NULL;
}

/* What one fence's sync_file told while pending, and once signalled. */
struct fence_rec {
	int thread, job;
	char timeline[32];
	uint64_t context;
	uint64_t seqno;
	bool maybe_cut;		/* name of the maximal length: may be truncated */
	int status;
	int64_t ts;
};

static int fence_info(int sfd, struct sync_file_info *info, struct sync_fence_info *fi)
{
	*info = (struct sync_file_info){ .num_fences = 1,
					 .sync_fence_info = (uintptr_t)fi };
	*fi = (struct sync_fence_info){};
	if (ioctl(sfd, SYNC_IOC_FILE_INFO, info))
		return -errno;
	return info->num_fences == 1 ? 0 : -E2BIG;
}

/*
 * Pending fence: "<driver>-<timeline><context>-<seqno>" (sync_file's
 * default name).  Returns 0 or a negative errno; no assertion, since the
 * engine may still be stalled.
 */
static int read_pending(int sfd, struct fence_rec *f, char *why, size_t len)
{
	struct sync_file_info info;
	struct sync_fence_info fi;
	char prefix[80], *end;
	const char *rest;
	int ret = fence_info(sfd, &info, &fi);

	if (ret) {
		snprintf(why, len, "SYNC_IOC_FILE_INFO: %s", strerror(-ret));
		return ret;
	}
	if (info.status != 0) {
		snprintf(why, len, "fence status %d before the engine ran", info.status);
		return -EINVAL;
	}
	snprintf(prefix, sizeof(prefix), "%s-%s", fi.driver_name, fi.obj_name);
	if (strncmp(info.name, prefix, strlen(prefix))) {
		snprintf(why, len, "sync_file name \"%s\" not \"%s<context>-<seqno>\"",
			 info.name, prefix);
		return -EINVAL;
	}
	rest = info.name + strlen(prefix);
	errno = 0;
	f->context = strtoull(rest, &end, 10);
	if (end == rest || *end != '-' || errno) {
		snprintf(why, len, "sync_file name \"%s\": no context", info.name);
		return -EINVAL;
	}
	rest = end + 1;
	f->seqno = strtoull(rest, &end, 10);
	if (end == rest || *end || errno) {
		snprintf(why, len, "sync_file name \"%s\": no seqno", info.name);
		return -EINVAL;
	}
	f->maybe_cut = strlen(info.name) == sizeof(info.name) - 1;
	snprintf(f->timeline, sizeof(f->timeline), "%s", fi.obj_name);
	return 0;
}

static void read_signalled(int sfd, struct fence_rec *f)
{
	struct sync_file_info info;
	struct sync_fence_info fi;

	igt_assert_eq(fence_info(sfd, &info, &fi), 0);
	f->status = fi.status;
	f->ts = fi.timestamp_ns;
}

static int by_context_seqno(const void *a, const void *b)
{
	const struct fence_rec *x = a, *y = b;

	if (x->context != y->context)
		return x->context < y->context ? -1 : 1;
	return x->seqno < y->seqno ? -1 : x->seqno > y->seqno;
}

struct order_stats {
	unsigned int fences, contexts, ties;
	unsigned int inversions, bad_rounds;
	char first[256];	/* the first inversion seen */
};

/*
 * One round's fences: all signalled with status 1; per fence context,
 * distinct contiguous sequence numbers, and timestamps that never go back
 * from one sequence number to the next.
 */
static void check_order(struct fence_rec *f, int n, struct order_stats *st)
{
	unsigned int inversions = 0;
	bool cut = false;
	int i;

	for (i = 0; i < n; i++) {
		igt_assert_f(f[i].status == 1, "thread %d job %d: fence status %d\n",
			     f[i].thread, f[i].job, f[i].status);
		cut |= f[i].maybe_cut;
	}
	qsort(f, n, sizeof(*f), by_context_seqno);
	for (i = 0; i < n; i++) {
		if (i == 0 || f[i].context != f[i - 1].context) {
			st->contexts++;
			continue;
		}
		igt_assert_f(!strcmp(f[i].timeline, f[i - 1].timeline),
			     "context %" PRIu64 " on timelines %s and %s\n", f[i].context,
			     f[i - 1].timeline, f[i].timeline);
		/* A name cut short at 31 characters loses seqno digits. */
		igt_require_f(!cut || f[i].seqno == f[i - 1].seqno + 1,
			      "fence names truncated (fence context numbers too large)\n");
		igt_assert_f(f[i].seqno == f[i - 1].seqno + 1,
			     "context %" PRIu64 ": seqno %" PRIu64 " after %" PRIu64 "\n",
			     f[i].context, f[i].seqno, f[i - 1].seqno);
		/* Counted over all rounds, asserted by the caller. */
		if (f[i].ts < f[i - 1].ts && !inversions++ && !st->inversions)
			snprintf(st->first, sizeof(st->first),
				 "%s context %" PRIu64 ": seqno %" PRIu64 " (thread %d job %d) "
				 "signalled %" PRId64 " ns before seqno %" PRIu64
				 " (thread %d job %d)", f[i].timeline, f[i].context, f[i].seqno,
				 f[i].thread, f[i].job, f[i - 1].ts - f[i].ts, f[i - 1].seqno,
				 f[i - 1].thread, f[i - 1].job);
		st->ties += f[i].ts == f[i - 1].ts;
	}
	st->fences += n;
	st->inversions += inversions;
	st->bad_rounds += !!inversions;
}

static void stall(uint32_t engine)
{
	igt_assert_eq(igt_neuron_emu_fault(igt_neuron_node_emu(&node), "queue_stall", engine), 0);
}

/*
 * One round: the racers submit while @engine is stalled; their fences are
 * read while pending, then after the engine ran; the data is compared.
 */
static void run_round(struct racer *r, int nr, uint32_t engine, struct order_stats *st)
{
	struct fence_rec f[MAX_FENCES];
	pthread_barrier_t start, step;
	pthread_t t[THREADS];
	char why[160] = "";
	int n = 0, bad = 0;

	igt_assert(nr <= THREADS);
	/* The threads wait at the barrier until the engine is stalled. */
	igt_assert_eq(pthread_barrier_init(&start, NULL, nr + 1), 0);
	igt_assert_eq(pthread_barrier_init(&step, NULL, nr), 0);
	for (int i = 0; i < nr; i++) {
		r[i].start = &start;
		r[i].step = &step;
		r[i].error = 0;
		for (int j = 0; j < JOBS; j++)
			r[i].fence_fd[j] = -1;
		igt_assert_eq(pthread_create(&t[i], NULL, racer_main, &r[i]), 0);
	}

	stall(engine);
	/* From here to the release: no assertion, the engine must run again. */
	pthread_barrier_wait(&start);
	for (int i = 0; i < nr; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < nr && !bad; i++) {
		if (r[i].error)
			continue;
		for (int j = 0; j < JOBS && !bad; j++) {
			if (r[i].op != OP_SUBMIT &&
			    drmSyncobjExportSyncFile(r[i].fd, r[i].syncobj[j],
						     &r[i].fence_fd[j])) {
				bad = -errno;
				snprintf(why, sizeof(why), "syncobj export: %s", strerror(errno));
				break;
			}
			f[n] = (struct fence_rec){ .thread = i, .job = j };
			bad = read_pending(r[i].fence_fd[j], &f[n], why, sizeof(why));
			n++;
		}
	}
	igt_neuron_node_clear_faults(&node);

	igt_assert_f(!bad, "thread %d: %s (%d)\n", n ? f[n - 1].thread : -1, why, bad);
	for (int i = 0; i < nr; i++)
		igt_assert_f(!r[i].error, "thread %d job %d: %s\n", i, r[i].failed_at,
			     strerror(-r[i].error));
	pthread_barrier_destroy(&start);
	pthread_barrier_destroy(&step);

	for (int k = 0; k < n; k++) {
		struct pollfd p = { .fd = r[f[k].thread].fence_fd[f[k].job], .events = POLLIN };

		igt_assert_f(poll(&p, 1, 60000) == 1, "thread %d job %d: fence not signalled "
			     "within 60 s\n", f[k].thread, f[k].job);
		read_signalled(p.fd, &f[k]);
	}
	check_order(f, n, st);

	for (int i = 0; i < nr; i++) {
		for (int j = 0; j < JOBS; j++) {
			const uint8_t *got = r[i].dst.p + j * SLICE;
			char what[64];

			snprintf(what, sizeof(what), "thread %d job %d", i, j);
			if (r[i].op == OP_FILL)
				igt_neuron_assert_bytes(got, 0, SLICE, r[i].src.p[j * SLICE], what);
			else
				igt_neuron_assert_same(got, r[i].src.p + j * SLICE, SLICE, what);
			close(r[i].fence_fd[j]);
		}
	}
}

static void racer_init(struct racer *r, int fd, enum op op, uint32_t nc, uint64_t seed)
{
	*r = (struct racer){ .fd = fd, .op = op, .nc = nc };
	r->src = igt_neuron_hbo_new(fd, JOBS * SLICE);
	r->dst = igt_neuron_hbo_new(fd, JOBS * SLICE);
	igt_neuron_random_fill(r->src.p, r->src.size, seed);
	memset(r->dst.p, CANARY, r->dst.size);
	if (op != OP_SUBMIT)
		for (int j = 0; j < JOBS; j++)
			r->syncobj[j] = igt_neuron_syncobj(fd);
}

static void racer_fini(struct racer *r)
{
	if (r->op != OP_SUBMIT)
		for (int j = 0; j < JOBS; j++)
			drmSyncobjDestroy(r->fd, r->syncobj[j]);
	igt_neuron_hbo_free(r->fd, &r->src);
	igt_neuron_hbo_free(r->fd, &r->dst);
}

static void report(const char *what, const struct order_stats *st, int rounds)
{
	igt_info("%s: %u fences on %u fence contexts in %d rounds, %u signalled before a "
		 "lower seqno (in %u rounds), %u equal timestamps\n", what, st->fences,
		 st->contexts, rounds, st->inversions, st->bad_rounds, st->ties);
	igt_assert_f(!st->inversions, "out of seqno order, first: %s: a job pushed before "
		     "one armed earlier\n", st->first);
}

igt_main
{
	igt_fixture {
		close(igt_neuron_open_first(&node));
		igt_neuron_require_emu();
	}

	igt_describe("Four threads of one fd, three copying and one filling, each with its own "
		     "BOs, race 24 requests each on one NeuronCore (one copy entity; the "
		     "rounds go round the four): per fence context the out-syncobjs' fences "
		     "signal in sequence-number order (signal timestamps never go back), all "
		     "with status 1, data exact.");
	igt_subtest("copy-fill-one-nc") {
		struct order_stats st = {};

		for (int round = 0; round < COPY_ROUNDS; round += V1_NC_PER_DEVICE) {
			/* A new file: new copy entities, their seqnos from 1. */
			int fd = igt_neuron_open(node.minor);
			struct racer r[THREADS];

			for (int i = 0; i < THREADS; i++)
				racer_init(&r[i], fd, i == THREADS - 1 ? OP_FILL : OP_COPY, 0, 0);
			for (uint32_t nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
				for (int i = 0; i < THREADS; i++) {
					r[i].nc = nc;
					igt_neuron_random_fill(r[i].src.p, r[i].src.size,
							       (round + nc) * THREADS + i + 1);
					memset(r[i].dst.p, CANARY, r[i].dst.size);
				}
				run_round(r, THREADS, V1_ENG_ID(nc, COPY_ENGINE), &st);
			}
			for (int i = 0; i < THREADS; i++)
				racer_fini(&r[i]);
			close(fd);
		}
		igt_assert_eq(st.contexts, COPY_ROUNDS);
		report("COPY/FILL", &st, COPY_ROUNDS);
	}

	igt_describe("Four threads of one fd race 24 SUBMITs each (sync_file out-fences) on "
		     "one queue object: per fence context the fences signal in "
		     "sequence-number order, all with status 1, data exact.");
	igt_subtest("submit-one-queue") {
		struct order_stats st = {};
		int fd = igt_neuron_open(node.minor);
		const uint32_t nc = 2, engine = 1;

		for (int round = 0; round < SUBMIT_ROUNDS; round++) {
			struct drm_neuron_queue_create qc = { .nc = nc, .engine = engine,
							      .queue = round % 15 };
			struct drm_neuron_queue_destroy qd = {};
			struct racer r[THREADS];

			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &qc), 0);
			for (int i = 0; i < THREADS; i++) {
				racer_init(&r[i], fd, OP_SUBMIT, nc, 1000 + round * THREADS + i);
				r[i].queue = qc.handle;
			}
			run_round(r, THREADS, V1_ENG_ID(nc, engine), &st);
			for (int i = 0; i < THREADS; i++)
				racer_fini(&r[i]);
			qd.handle = qc.handle;
			igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_DESTROY, &qd), 0);
		}
		igt_assert_eq(st.contexts, SUBMIT_ROUNDS);
		report("SUBMIT", &st, SUBMIT_ROUNDS);
		close(fd);
	}
}
