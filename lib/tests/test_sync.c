// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Syncobjs (binary, timeline), sync_files and waits with timeouts, using a
 * vgem fence as a gate that only the test opens.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "tests.h"

#define MS (1000ll * 1000)
/*
 * BO_WAIT and the syncobj wait sleep in jiffies (the kernel rounds the time
 * left down to whole ticks, 4 ms at Debian's HZ=250), so they may end a
 * tick or two before their deadline; poll() (sync_files, NQs) does not.
 */
#define JIFFY_SLACK (10 * MS)

/* A fill behind a closed gate stays pending: every wait times out, in time. */
void test_gate_waits(void)
{
	uint8_t *p;
	struct neuron_bo *bo = t_host_bo(t_dev, 4096, &p);
	uint32_t gate, out, tl;
	struct drm_neuron_sync in;
	struct neuron_fences f = { .in = &in, .in_count = 1 };
	int sf, outsf;
	int64_t t0;
	uint64_t point;

	memset(p, 1, 4096);
	sf = t_gate_new();
	CHECK_EQ(neuron_sync_file_status(sf), 0);
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &gate));
	CHECK_OK(neuron_syncobj_import_sync_file(t_dev, gate, 0, sf));
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &out));
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &tl));
	in = (struct drm_neuron_sync){ .handle = gate };
	f.out.handle = out;
	CHECK_OK(neuron_fill(bo, 0, 4096, 0x5c, DRM_NEURON_ANY, &f));
	/* A second request, on a timeline point, behind the first (implicit sync). */
	f.in_count = 0;
	f.out = (struct drm_neuron_sync){ .handle = tl, .point = 5 };
	CHECK_OK(neuron_fill(bo, 0, 16, 0x77, DRM_NEURON_ANY, &f));

	CHECK_ERR(neuron_bo_wait(bo, 0), ETIMEDOUT, "busy");
	t0 = t_now_ns();
	CHECK_ERR(neuron_bo_wait(bo, 50 * MS), ETIMEDOUT, "busy");
	CHECK(t_now_ns() - t0 >= 50 * MS - JIFFY_SLACK);
	CHECK_ERR(neuron_syncobj_wait(t_dev, out, 0, 20 * MS), ETIMEDOUT, "not signalled");
	CHECK_ERR(neuron_syncobj_wait(t_dev, tl, 5, 0), ETIMEDOUT, "not signalled");
	CHECK_EQ(neuron_syncobj_status(t_dev, out, 0), 0);
	CHECK_EQ(neuron_syncobj_status(t_dev, tl, 5), 0);
	CHECK_OK(neuron_syncobj_query(t_dev, tl, &point));
	CHECK_EQ(point, 0);
	CHECK_OK(neuron_syncobj_export_sync_file(t_dev, out, 0, &outsf));
	CHECK_ERR(neuron_sync_file_wait(outsf, 20 * MS), ETIMEDOUT, "not signalled");
	CHECK_EQ(neuron_sync_file_status(outsf), 0);
	CHECK_EQ(p[0], 1);

	t_gate_open();
	CHECK_OK(neuron_sync_file_wait(outsf, NEURON_TIMEOUT_INFINITE));
	CHECK_EQ(neuron_sync_file_status(outsf), 1);
	CHECK_OK(neuron_syncobj_wait(t_dev, tl, 5, 10000 * MS));
	CHECK_OK(neuron_syncobj_query(t_dev, tl, &point));
	CHECK_EQ(point, 5);
	CHECK_EQ(neuron_syncobj_status(t_dev, tl, 5), 1);
	CHECK_OK(neuron_bo_wait(bo, 0));
	CHECK_EQ(p[0], 0x77);
	CHECK_EQ(p[15], 0x77);
	CHECK_EQ(p[16], 0x5c);
	CHECK_EQ(p[4095], 0x5c);
	close(outsf);
	close(sf);
}

/* Timeline points chain requests; sync_files go in and out of points. */
void test_timeline(void)
{
	uint8_t *a, *b;
	struct neuron_bo *ha = t_host_bo(t_dev, 4096, &a), *hb = t_host_bo(t_dev, 4096, &b);
	struct neuron_bo *d = t_dev_bo(t_dev, 4096);
	uint32_t tl, bin;
	struct drm_neuron_sync in;
	struct neuron_fences f = { 0 };
	uint64_t point;
	int sf;

	t_pattern(a, 4096, 5);
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &tl));
	f.out = (struct drm_neuron_sync){ .handle = tl, .point = 1 };
	CHECK_OK(neuron_copy(d, 0, ha, 0, 4096, DRM_NEURON_ANY, &f));
	in = (struct drm_neuron_sync){ .handle = tl, .point = 1 };
	f.in = &in;
	f.in_count = 1;
	f.out.point = 2;
	CHECK_OK(neuron_copy(hb, 0, d, 0, 4096, DRM_NEURON_ANY, &f));
	CHECK_OK(neuron_syncobj_wait(t_dev, tl, 2, NEURON_TIMEOUT_INFINITE));
	CHECK_SAME(b, a, 4096);
	CHECK_OK(neuron_syncobj_query(t_dev, tl, &point));
	CHECK_EQ(point, 2);
	/* Point 2 as a sync_file, imported as point 7 and into a binary syncobj. */
	CHECK_OK(neuron_syncobj_export_sync_file(t_dev, tl, 2, &sf));
	CHECK_EQ(neuron_sync_file_status(sf), 1);
	CHECK_OK(neuron_syncobj_import_sync_file(t_dev, tl, 7, sf));
	CHECK_OK(neuron_syncobj_wait(t_dev, tl, 7, 0));
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &bin));
	CHECK_OK(neuron_syncobj_import_sync_file(t_dev, bin, 0, sf));
	CHECK_EQ(neuron_syncobj_status(t_dev, bin, 0), 1);
	close(sf);
	CHECK_OK(neuron_syncobj_destroy(t_dev, bin));
	CHECK_OK(neuron_syncobj_destroy(t_dev, tl));
	/* A syncobj created signalled needs no work. */
	CHECK_OK(neuron_syncobj_create(t_dev, 1, &bin));
	CHECK_OK(neuron_syncobj_wait(t_dev, bin, 0, 0));
	CHECK_EQ(neuron_syncobj_status(t_dev, bin, 0), 1);
}

void test_sync_errors(void)
{
	uint8_t *a;
	struct neuron_bo *ha = t_host_bo(t_dev, 4096, &a);
	struct drm_neuron_sync in[65] = { { 0 } };
	struct neuron_fences f = { .in = in, .in_count = 65 };
	uint32_t s, h = 0xdead;
	uint64_t point;
	int fds[2], sf;

	for (int i = 0; i < 65; i++)
		in[i].handle = 1;
	CHECK_ERR(neuron_fill(ha, 0, 1, 0, DRM_NEURON_ANY, &f), EINVAL, "in_count");
	f.in_count = 1;
	f.in = NULL;
	CHECK_ERR(neuron_fill(ha, 0, 1, 0, DRM_NEURON_ANY, &f), EINVAL, "in is NULL");
	f.in = in;
	in[0].handle = 0;
	CHECK_ERR(neuron_fill(ha, 0, 1, 0, DRM_NEURON_ANY, &f), EINVAL, "in[0]");
	in[0].handle = h;
	CHECK_ERR(neuron_fill(ha, 0, 1, 0, DRM_NEURON_ANY, &f), ENOENT, "syncobj");
	f.in_count = 0;
	f.out.point = 3;
	CHECK_ERR(neuron_fill(ha, 0, 1, 0, DRM_NEURON_ANY, &f), EINVAL, "out.point");
	f.out.point = 0;
	f.sync_file = &sf;
	CHECK_ERR(neuron_copy(ha, 0, ha, 100, 1, DRM_NEURON_ANY, &f), EINVAL, "sync_file");

	CHECK(neuron_syncobj_wait(t_dev, h, 0, 0) < 0);
	CHECK(strstr(neuron_last_error(), "syncobj 57005"));
	CHECK(neuron_syncobj_destroy(t_dev, h) < 0);
	CHECK(neuron_syncobj_query(t_dev, h, &point) < 0);
	CHECK(neuron_syncobj_export_sync_file(t_dev, h, 0, &sf) < 0);
	CHECK(strstr(neuron_last_error(), "syncobj 57005"));
	/* An unsignalled syncobj has no fence to export. */
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &s));
	CHECK_ERR(neuron_syncobj_export_sync_file(t_dev, s, 0, &sf), EINVAL, "no fence");
	CHECK(neuron_syncobj_export_sync_file(t_dev, s, 9, &sf) < 0);
	CHECK(strstr(neuron_last_error(), "point 9"));
	CHECK_EQ(pipe(fds), 0);
	CHECK(neuron_syncobj_import_sync_file(t_dev, s, 0, fds[0]) < 0);
	CHECK_ERR(neuron_syncobj_import_sync_file(t_dev, s, 4, -1), EBADF, "sync_file");
	CHECK(neuron_sync_file_status(fds[0]) < 0);
	CHECK(strstr(neuron_last_error(), "not a sync_file"));
	CHECK_ERR(neuron_sync_file_wait(-1, 0), EBADF, "sync_file");
	CHECK_ERR(neuron_syncobj_create(NULL, 0, &s), EINVAL, "dev");
	CHECK_ERR(neuron_syncobj_create(t_dev, 0, NULL), EINVAL, "handle");
	CHECK_ERR(neuron_syncobj_query(t_dev, s, NULL), EINVAL, "point");
}

static volatile sig_atomic_t ticks, stop;

static void on_signal(int sig)
{
	(void)sig;
	ticks++;
}

/* Interrupts the waiting thread every millisecond. */
static void *interrupter(void *arg)
{
	pthread_t victim = *(pthread_t *)arg;
	struct timespec ms = { 0, 1000000 };

	while (!stop) {
		pthread_kill(victim, SIGUSR1);
		nanosleep(&ms, NULL);
	}
	return NULL;
}

/*
 * A signal every millisecond (no SA_RESTART) while every kind of wait runs:
 * each is restarted with its deadline (none ends at the first signal or
 * with EINTR, each lasts its timeout), and a wait that can succeed does.
 */
void test_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	pthread_t self = pthread_self(), th;
	uint8_t *p;
	struct neuron_bo *bo = t_host_bo(t_dev, 4096, &p);
	uint32_t gate, out;
	struct drm_neuron_sync in;
	struct neuron_fences f = { .in = &in, .in_count = 1 };
	struct neuron_nq *nq;
	int sf, outsf;
	int64_t t0;

	sf = t_gate_new();
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &gate));
	CHECK_OK(neuron_syncobj_import_sync_file(t_dev, gate, 0, sf));
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &out));
	in = (struct drm_neuron_sync){ .handle = gate };
	f.out.handle = out;
	CHECK_OK(neuron_fill(bo, 0, 4096, 0x3c, DRM_NEURON_ANY, &f));
	CHECK_OK(neuron_syncobj_export_sync_file(t_dev, out, 0, &outsf));
	CHECK_OK(neuron_nq_open(t_dev, 2, DRM_NEURON_NQ_TRACE, 1, 4096, &nq));

	sigemptyset(&sa.sa_mask);
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	CHECK_EQ(pthread_create(&th, NULL, interrupter, &self), 0);
	t0 = t_now_ns();
	CHECK_ERR(neuron_bo_wait(bo, 100 * MS), ETIMEDOUT, "busy");
	CHECK(t_now_ns() - t0 >= 100 * MS - JIFFY_SLACK);
	t0 = t_now_ns();
	CHECK_ERR(neuron_syncobj_wait(t_dev, out, 0, 100 * MS), ETIMEDOUT, "not signalled");
	CHECK(t_now_ns() - t0 >= 100 * MS - JIFFY_SLACK);
	t0 = t_now_ns();
	CHECK_ERR(neuron_sync_file_wait(outsf, 100 * MS), ETIMEDOUT, "not signalled");
	CHECK(t_now_ns() - t0 >= 100 * MS);
	t0 = t_now_ns();
	CHECK_EQ(neuron_nq_wait(nq, 100 * MS), 0);
	CHECK(t_now_ns() - t0 >= 100 * MS);
	/* The signals did arrive during the waits. */
	CHECK(ticks > 50);
	t_gate_open();
	CHECK_OK(neuron_bo_wait(bo, NEURON_TIMEOUT_INFINITE));
	CHECK_OK(neuron_syncobj_wait(t_dev, out, 0, NEURON_TIMEOUT_INFINITE));
	CHECK_OK(neuron_sync_file_wait(outsf, NEURON_TIMEOUT_INFINITE));
	stop = 1;
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK_EQ(p[4095], 0x3c);
	neuron_nq_close(nq);
	close(outsf);
	close(sf);
}
