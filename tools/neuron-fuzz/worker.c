// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * The unprivileged side: uid 65534 opens every node twice, runs the
 * fuzzing threads (all sharing the clients and pools), a signaller that
 * interrupts them with SIGALRM (handler without SA_RESTART, so the
 * driver's interruptible waits return EINTR and fz_ioctl restarts the
 * call), forked children that use inherited fds and are killed mid-call,
 * and clients closed and reopened under load.  At the end it closes every
 * handle it may have made and checks its files' fdinfo totals are 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ops.h"

static pthread_t tids[MAX_THREADS];
static _Atomic int threads_running;

static void on_alarm(int sig)
{
	(void)sig;		/* only there to interrupt system calls */
}

/* Highest GEM, queue and program handle numbers seen (the final sweep). */
static _Atomic uint32_t max_handle = 64;

static void note_handles(void)
{
	for (int i = 0; i < nclients; i++) {
		struct pool *p[] = { &clients[i].host, &clients[i].dram, &clients[i].imported,
				     &clients[i].queue, &clients[i].program };

		for (int k = 0; k < 5; k++) {
			pthread_mutex_lock(&p[k]->m);
			for (int j = 0; j < p[k]->n; j++)
				if (p[k]->v[j] > atomic_load(&max_handle) && p[k]->v[j] < 1u << 20)
					atomic_store(&max_handle, p[k]->v[j]);
			pthread_mutex_unlock(&p[k]->m);
		}
	}
}

/*
 * A forked child: the fd (shared with the parent's file), a few of the
 * client's BOs and a queue, copied before fork() because the child of a
 * threaded process must take no lock another thread may have held.
 */
static void child_run(struct ctx *x, int fd, const uint32_t *bo, const uint64_t *size, int nbo,
		      uint32_t queue)
{
	int slot = x->slot + MAX_THREADS;

	for (int i = 0, n = 1 + rnd_below(&x->r, 30); i < n; i++) {
		int a = rnd_below(&x->r, nbo), b = rnd_below(&x->r, nbo);
		uint64_t len = 1 + rnd_below(&x->r, size[a] < size[b] ? size[a] : size[b]);

		switch (rnd_below(&x->r, 5)) {
		case 0: {
			struct drm_neuron_copy c = { .src_handle = bo[a], .dst_handle = bo[b],
						     .size = len, .nc = DRM_NEURON_ANY };

			if (a == b)
				c.size = size[a] / 2, c.dst_offset = size[a] / 2;
			fz_ioctl(slot, OP_COPY, fd, DRM_IOCTL_NEURON_COPY, &c,
				 "child COPY fd=%d %u -> %u size=%#llx", fd, bo[a], bo[b],
				 (unsigned long long)c.size);
			break;
		}
		case 1: {
			struct drm_neuron_fill f = { .handle = bo[a], .size = len, .value = 0xa5,
						     .nc = DRM_NEURON_ANY };

			fz_ioctl(slot, OP_FILL, fd, DRM_IOCTL_NEURON_FILL, &f,
				 "child FILL fd=%d h=%u size=%#llx", fd, bo[a],
				 (unsigned long long)len);
			break;
		}
		case 2: {
			struct drm_neuron_desc tx = { .bo_index = 0, .length = len > 4096 ? 4096 : len,
						      .flags = DRM_NEURON_DESC_FIRST |
							       DRM_NEURON_DESC_LAST };
			struct drm_neuron_desc rx = { .bo_index = 1, .length = tx.length };
			uint32_t h[2] = { bo[a], bo[b] };
			struct drm_neuron_submit s = { .queue = queue, .bo_handles = (uintptr_t)h,
						       .tx = (uintptr_t)&tx, .rx = (uintptr_t)&rx,
						       .bo_count = 2, .tx_count = 1, .rx_count = 1 };

			fz_ioctl(slot, OP_SUBMIT, fd, DRM_IOCTL_NEURON_SUBMIT, &s,
				 "child SUBMIT fd=%d queue=%u %u -> %u len=%u", fd, queue, bo[a],
				 bo[b], tx.length);
			break;
		}
		case 3: {
			struct drm_neuron_bo_wait w = { .handle = bo[a],
							.timeout_ns = (int64_t)(now_ns() + 500000000) };

			fz_ioctl(slot, OP_BO_WAIT, fd, DRM_IOCTL_NEURON_BO_WAIT, &w,
				 "child BO_WAIT fd=%d h=%u", fd, bo[a]);
			break;
		}
		default: {
			/* The handle dies for the parent too: it shares the file. */
			struct drm_gem_close g = { .handle = bo[a] };

			if (rnd_pct(&x->r, 20))
				fz_ioctl(slot, OP_GEM_CLOSE, fd, DRM_IOCTL_GEM_CLOSE, &g,
					 "child GEM_CLOSE fd=%d h=%u", fd, bo[a]);
			break;
		}
		}
	}
	_exit(0);
}

static void op_fork(struct ctx *x)
{
	struct rng *r = &x->r;
	struct client *c = client_get(r);
	uint32_t bo[4], queue = 0;
	uint64_t size[4], nc;
	int nbo = 0, status;
	pid_t pid;

	for (int i = 0; i < 4; i++)
		if (pool_pick(i & 1 ? &c->dram : &c->host, r, &bo[nbo], &size[nbo]))
			nbo++;
	if (!nbo || !pool_pick(&c->queue, r, &queue, &nc)) {
		client_put(c);
		return;
	}
	pid = fork();
	if (pid == 0) {
		x->r.s ^= 0x5851f42d4c957f2dull;
		child_run(x, c->fd, bo, size, nbo, queue);
	}
	client_put(c);
	fz_count(OP_FORK, pid < 0 ? -errno : 0);
	if (pid < 0)
		return;
	atomic_fetch_add(&sh->forks, 1);
	if (rnd_pct(r, 50)) {
		/* Killed wherever it is: mid-ioctl, mid-exit, or already gone. */
		usleep(rnd_below(r, 20000));
		kill(pid, SIGKILL);
		atomic_fetch_add(&sh->kills, 1);
	}
	/* The watchdog sees this wait: a child stuck in the kernel is a hang. */
	fz_begin(x->slot, "waitpid(forked child)");
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	fz_end(x->slot, 0);
	/* A child killed mid-call never cleared its slot. */
	atomic_store(&sh->slot[x->slot + MAX_THREADS].start_ns, 0);
}

/* Close a client's file with everything in it, and open the node again. */
static void op_reopen(struct ctx *x)
{
	struct client *c = &clients[rnd_below(&x->r, nclients)];
	int fd;

	note_handles();
	pthread_rwlock_wrlock(&c->lock);
	fz_begin(x->slot, "reopen: close client");
	close(c->fd);
	fz_end(x->slot, 0);
	pool_clear(&c->host);
	pool_clear(&c->dram);
	pool_clear(&c->imported);
	pool_clear(&c->sync_bin);
	pool_clear(&c->sync_tl);
	pool_clear(&c->queue);
	pool_clear(&c->program);
	fd = client_open(c->dev);
	fz_count(OP_REOPEN, fd < 0 ? -errno : 0);
	if (fd >= 0)
		c->fd = fd;
	else
		c->fd = -1;
	pthread_rwlock_unlock(&c->lock);
}

static const struct { op_fn fn; unsigned int weight; } ops[] = {
	{ op_query, 2 }, { op_bo_create, 12 }, { op_bo_info, 3 }, { op_bo_wait, 3 },
	{ op_copy, 10 }, { op_fill, 6 }, { op_gem_close, 6 }, { op_prime_export, 3 },
	{ op_prime_import, 3 }, { op_dmabuf_mmap, 1 }, { op_queue_create, 4 },
	{ op_queue_destroy, 2 }, { op_submit, 12 }, { op_program_create, 4 },
	{ op_program_destroy, 2 }, { op_nq_create, 2 }, { op_nq_io, 3 }, { op_semaphore, 2 },
	{ op_event, 2 }, { op_fwio_read, 2 }, { op_stats_post, 1 }, { op_reset, 1 }, { op_bad_arg, 1 },
	{ op_syncobj_create, 5 }, { op_syncobj_destroy, 2 }, { op_syncobj_wait, 3 },
	{ op_syncobj_signal, 3 }, { op_syncobj_query, 1 }, { op_syncobj_transfer, 2 },
	{ op_syncobj_fd, 3 }, { op_sync_file, 3 },
};

static void run_one(struct ctx *x)
{
	unsigned int total = 0, pick;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		total += ops[i].weight;
	/* Rare whole-process events: a fork, a client reopened. */
	if (cfg.forks && rnd_below(&x->r, 1000) < 4) {
		op_fork(x);
		return;
	}
	if (rnd_below(&x->r, 1000) < 2) {
		op_reopen(x);
		return;
	}
	pick = rnd_below(&x->r, total);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (pick < ops[i].weight) {
			ops[i].fn(x);
			return;
		}
		pick -= ops[i].weight;
	}
}

static void *thread_main(void *arg)
{
	struct ctx *x = arg;
	uint64_t end = cfg.duration_s ? now_ns() + cfg.duration_s * 1000000000ull : UINT64_MAX;

	for (uint64_t i = 0; !atomic_load(&sh->stop); i++) {
		if (cfg.iterations && i >= cfg.iterations)
			break;
		if (!(i & 15) && now_ns() >= end)
			break;
		run_one(x);
	}
	atomic_fetch_sub(&threads_running, 1);
	return NULL;
}

static void *signaller(void *arg)
{
	struct rng r = { .s = cfg.seed ^ 0xa1a1a1a1ull };

	(void)arg;
	while (atomic_load(&threads_running) > 0) {
		usleep(500 + rnd_below(&r, 10000));
		pthread_kill(tids[rnd_below(&r, cfg.threads)], SIGALRM);
		atomic_fetch_add(&sh->signals, 1);
	}
	return NULL;
}

static struct ctx *ctx_new(int slot)
{
	struct ctx *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->slot = slot;
	x->r.s = cfg.seed * 0x100000001b3ull + slot;
	x->tx = calloc(DRM_NEURON_SUBMIT_MAX_DESC + 1, sizeof(*x->tx));
	x->rx = calloc(DRM_NEURON_SUBMIT_MAX_DESC + 1, sizeof(*x->rx));
	x->bos = calloc(DRM_NEURON_SUBMIT_MAX_BOS + 1, sizeof(*x->bos));
	x->addrs = calloc(DRM_NEURON_FWIO_READ_MAX + 1, sizeof(*x->addrs));
	x->vals = calloc(DRM_NEURON_FWIO_READ_MAX + 1, sizeof(*x->vals));
	x->handles = calloc(4097, sizeof(*x->handles));
	x->points = calloc(4097, sizeof(*x->points));
	x->guard = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->guard == MAP_FAILED || mprotect(x->guard + 4096, 4096, PROT_NONE))
		return NULL;
	if (!x->tx || !x->rx || !x->bos || !x->addrs || !x->vals || !x->handles || !x->points)
		return NULL;
	return x;
}

/* Close every handle the file may hold, then its fdinfo must show 0 bytes. */
static void sweep_and_check(struct ctx *x, struct client *c)
{
	static const char *const keys[] = { "drm-total-memory", "drm-total-dram" };
	uint32_t max = atomic_load(&max_handle) + 256;

	if (c->fd < 0)
		return;
	for (uint32_t h = 1; h <= max; h++) {
		struct drm_neuron_queue_destroy q = { .handle = h };
		struct drm_neuron_program_destroy p = { .handle = h };
		struct drm_gem_close g = { .handle = h };

		/* Counted like any call: ENOENT is the usual answer here. */
		fz_ioctl(x->slot, OP_GEM_CLOSE, c->fd, DRM_IOCTL_GEM_CLOSE, &g, "sweep GEM_CLOSE h=%u", h);
		fz_ioctl(x->slot, OP_QUEUE_DESTROY, c->fd, DRM_IOCTL_NEURON_QUEUE_DESTROY, &q,
			 "sweep QUEUE_DESTROY h=%u", h);
		fz_ioctl(x->slot, OP_PROGRAM_DESTROY, c->fd, DRM_IOCTL_NEURON_PROGRAM_DESTROY, &p,
			 "sweep PROGRAM_DESTROY h=%u", h);
	}
	for (int k = 0; k < 2; k++) {
		uint64_t v;

		sh->fdinfo_checked++;
		if (!fdinfo_u64(c->fd, keys[k], &v) || v) {
			sh->fdinfo_bad++;
			snprintf(sh->fdinfo_msg, sizeof(sh->fdinfo_msg),
				 "fd %d (device %d): %s %s after closing every handle", c->fd,
				 c->dev, keys[k], fdinfo_u64(c->fd, keys[k], &v) ? "not 0" : "missing");
		}
	}
}

static void close_pool_fds(struct pool *p)
{
	pthread_mutex_lock(&p->m);
	for (int i = 0; i < p->n; i++)
		close((int)p->v[i]);
	p->n = 0;
	pthread_mutex_unlock(&p->m);
}

int worker_main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	gid_t nobody = NOBODY;
	struct ctx *x[MAX_THREADS];
	pthread_t sig;

	if (setgroups(1, &nobody) || setgid(NOBODY) || setuid(NOBODY) || geteuid() != NOBODY) {
		perror("neuron-fuzz: dropping to uid 65534");
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A terminal's Ctrl-C reaches the group: the monitor stops us in order. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	pool_init(&dmabufs);
	pool_init(&syncfds);
	pool_init(&nqfds);
	for (int d = 0; d < cfg.ndev; d++) {
		for (int k = 0; k < CLIENTS_PER_DEVICE; k++) {
			struct client *c = &clients[nclients];

			pthread_rwlock_init(&c->lock, NULL);
			pool_init(&c->host);
			pool_init(&c->dram);
			pool_init(&c->imported);
			pool_init(&c->sync_bin);
			pool_init(&c->sync_tl);
			pool_init(&c->queue);
			pool_init(&c->program);
			c->dev = d;
			c->fd = client_open(d);
			if (c->fd < 0) {
				fprintf(stderr, "neuron-fuzz: uid 65534 cannot open accel%d: %s\n",
					cfg.minor[d], strerror(errno));
				return 2;
			}
			nclients++;
		}
	}
	for (unsigned int t = 0; t < cfg.threads; t++) {
		x[t] = ctx_new(t);
		if (!x[t]) {
			fprintf(stderr, "neuron-fuzz: out of memory\n");
			return 2;
		}
	}
	atomic_store(&threads_running, cfg.threads);
	for (unsigned int t = 0; t < cfg.threads; t++)
		pthread_create(&tids[t], NULL, thread_main, x[t]);
	if (cfg.signals)
		pthread_create(&sig, NULL, signaller, NULL);
	for (unsigned int t = 0; t < cfg.threads; t++)
		pthread_join(tids[t], NULL);
	if (cfg.signals)
		pthread_join(sig, NULL);

	note_handles();
	for (int i = 0; i < nclients; i++)
		sweep_and_check(x[0], &clients[i]);
	close_pool_fds(&dmabufs);
	close_pool_fds(&syncfds);
	close_pool_fds(&nqfds);
	for (int i = 0; i < nclients; i++)
		if (clients[i].fd >= 0)
			close(clients[i].fd);
	sh->worker_done = 1;
	return 0;
}
