// SPDX-License-Identifier: MIT
/*
 * neuron-top-load: a client with known properties, for checking what
 * neuron-top shows (tools/neuron-top-test) and for trying it by hand.
 *
 * It holds the host and DRAM BOs it is told to, takes Q DMA queues of one
 * NeuronCore (engine 0, hardware queues 0..Q-1) and keeps every one of them
 * busy with back-to-back copies from a host BO to a DRAM BO (queue i copies
 * host BO i % H to DRAM BO i % D, so the queues do not wait for each other
 * through the BOs' reservations), four jobs in flight per queue, for the
 * given time.  The other NeuronCores get no work.  With -q 0 it only holds
 * its BOs: an idle client.
 *
 * With -F it also dup()s its fd and fork()s a child that holds the same
 * open file until the parent ends: one DRM client in two processes.
 *
 * It prints "ready" on stdout once its DRAM BOs are cleared (the clearing
 * counts as the client's engine time, so it must be over before anyone
 * measures) and its first jobs are queued, and "done jobs=N" at the end.
 *
 *   neuron-top-load [-a NODE] [-H SIZE]... [-D SIZE]... [-q QUEUES] [-c NC]
 *                   [-s JOB_BYTES] [-t SECONDS] [-F]
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm/neuron_accel.h"

#define MAX_BOS		64
#define MAX_QUEUES	16
/* Jobs in flight per queue: the next is queued while one runs. */
#define DEPTH		4
#define DESC_BYTES	65536u

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "neuron-top-load: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

/* "4096", "64K", "8M": bytes. */
static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	if (end == s)
		goto bad;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end || !v)
		goto bad;
	return v;
bad:
	fprintf(stderr, "neuron-top-load: bad size '%s'\n", s);
	exit(2);
}

static uint32_t bo_create(int fd, uint64_t size, uint32_t domain, uint32_t nc)
{
	struct drm_neuron_bo_create c = {
		.size = size,
		.domain = domain,
		.dram_channel = DRM_NEURON_ANY,
		.dram_nc = domain == DRM_NEURON_BO_DOMAIN_DEVICE ? nc : DRM_NEURON_ANY,
	};

	if (drmIoctl(fd, DRM_IOCTL_NEURON_BO_CREATE, &c))
		die("BO_CREATE");
	if (c.size != size)
		fprintf(stderr, "neuron-top-load: a BO of %llu bytes was rounded to %llu\n",
			(unsigned long long)size, (unsigned long long)c.size);
	return c.handle;
}

static void bo_wait(int fd, uint32_t handle)
{
	struct drm_neuron_bo_wait w = {
		.handle = handle,
		.timeout_ns = (int64_t)(now_ns() + 60 * 1000000000ull),
	};

	if (drmIoctl(fd, DRM_IOCTL_NEURON_BO_WAIT, &w))
		die("BO_WAIT");
}

struct queue {
	uint32_t handle, syncobj, src, dst, program;
	uint64_t submitted;		/* timeline point of the last job */
};

/*
 * The queue's job as a program: @len bytes of q->src to q->dst, cut into
 * 64 KiB packets, validated once, so that each SUBMIT costs little CPU and
 * the queue, not this process, is what stays busy.
 */
static void make_program(int fd, struct queue *q, uint32_t nc, uint32_t len)
{
	static struct drm_neuron_desc tx[DRM_NEURON_SUBMIT_MAX_DESC], rx[DRM_NEURON_SUBMIT_MAX_DESC];
	uint32_t bos[2] = { q->src, q->dst }, n = 0, off;
	struct drm_neuron_program_create p = { 0 };

	for (off = 0; off < len; off += DESC_BYTES, n++) {
		uint32_t l = len - off < DESC_BYTES ? len - off : DESC_BYTES;

		tx[n] = (struct drm_neuron_desc){ .offset = off, .bo_index = 0, .length = l,
						  .flags = DRM_NEURON_DESC_FIRST |
							   DRM_NEURON_DESC_LAST };
		rx[n] = (struct drm_neuron_desc){ .offset = off, .bo_index = 1, .length = l };
	}
	p.nc = nc;
	p.bo_handles = (uintptr_t)bos;
	p.bo_count = 2;
	p.tx = (uintptr_t)tx;
	p.rx = (uintptr_t)rx;
	p.tx_count = p.rx_count = n;
	if (drmIoctl(fd, DRM_IOCTL_NEURON_PROGRAM_CREATE, &p))
		die("PROGRAM_CREATE");
	q->program = p.handle;
}

static void submit(int fd, struct queue *q)
{
	struct drm_neuron_submit s = {
		.queue = q->handle,
		.program = q->program,
		.out_sync = { .handle = q->syncobj, .point = q->submitted + 1 },
	};

	if (drmIoctl(fd, DRM_IOCTL_NEURON_SUBMIT, &s))
		die("SUBMIT");
	q->submitted++;
}

static void wait_point(int fd, struct queue *q, uint64_t point)
{
	int ret;

	if (!point)
		return;
	ret = drmSyncobjTimelineWait(fd, &q->syncobj, &point, 1,
				     (int64_t)(now_ns() + 60 * 1000000000ull),
				     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
	if (ret) {
		errno = -ret;
		die("syncobj wait");
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: neuron-top-load [-a NODE] [-H SIZE]... [-D SIZE]... "
		"[-q QUEUES] [-c NC] [-s JOB_BYTES] [-t SECONDS] [-F]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t host[MAX_BOS], dram[MAX_BOS], job = 1 << 20, end, jobs = 0;
	uint32_t hh[MAX_BOS], dh[MAX_BOS], nc = 0;
	int nhost = 0, ndram = 0, nq = 0, share = 0, fd, c, i;
	pid_t child = -1;
	struct queue q[MAX_QUEUES];
	const char *node = "/dev/accel/accel0";
	char path[64];
	double secs = 10;

	while ((c = getopt(argc, argv, "a:H:D:q:c:s:t:Fh")) != -1) {
		switch (c) {
		case 'F':
			share = 1;
			break;
		case 'a':
			node = optarg;
			break;
		case 'H':
			if (nhost == MAX_BOS)
				usage();
			host[nhost++] = parse_size(optarg);
			break;
		case 'D':
			if (ndram == MAX_BOS)
				usage();
			dram[ndram++] = parse_size(optarg);
			break;
		case 'q':
			nq = atoi(optarg);
			break;
		case 'c':
			nc = (uint32_t)atoi(optarg);
			break;
		case 's':
			job = parse_size(optarg);
			break;
		case 't':
			secs = atof(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || nq < 0 || nq > MAX_QUEUES || secs <= 0 ||
	    (nq && (!nhost || !ndram)))
		usage();
	if (!strchr(node, '/')) {
		snprintf(path, sizeof(path), "/dev/accel/%s", node);
		node = path;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(node);
	for (i = 0; i < nhost; i++)
		hh[i] = bo_create(fd, host[i], DRM_NEURON_BO_DOMAIN_HOST, nc);
	for (i = 0; i < ndram; i++)
		dh[i] = bo_create(fd, dram[i], DRM_NEURON_BO_DOMAIN_DEVICE, nc);
	for (i = 0; i < ndram; i++)
		bo_wait(fd, dh[i]);

	for (i = 0; i < nq; i++) {
		struct drm_neuron_queue_create qc = { .nc = nc, .engine = 0, .queue = i };
		uint64_t len = job;

		if (drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &qc))
			die("QUEUE_CREATE");
		memset(&q[i], 0, sizeof(q[i]));
		q[i].handle = qc.handle;
		if (drmSyncobjCreate(fd, 0, &q[i].syncobj))
			die("syncobj create");
		q[i].src = hh[i % nhost];
		q[i].dst = dh[i % ndram];
		if (len > host[i % nhost])
			len = host[i % nhost];
		if (len > dram[i % ndram])
			len = dram[i % ndram];
		if (job > len)
			job = len;
	}
	/* A job has at most 4096 hardware descriptors, 16 per 64 KiB here. */
	if (job > (uint64_t)DESC_BYTES * DRM_NEURON_SUBMIT_MAX_DESC / 16)
		job = (uint64_t)DESC_BYTES * DRM_NEURON_SUBMIT_MAX_DESC / 16;
	for (i = 0; i < nq; i++) {
		make_program(fd, &q[i], nc, (uint32_t)job);
		submit(fd, &q[i]);
	}
	if (share) {
		if (dup(fd) < 0)
			die("dup");
		fflush(stdout);
		child = fork();
		if (child < 0)
			die("fork");
		if (!child) {
			/* Holds the inherited file until SIGTERM or the parent's end. */
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			if (getppid() == 1)
				_exit(0);
			for (;;)
				pause();
		}
	}
	printf("ready\n");
	fflush(stdout);

	end = now_ns() + (uint64_t)(secs * 1e9);
	while (!stop && now_ns() < end) {
		if (!nq) {
			usleep(10000);
			continue;
		}
		for (i = 0; i < nq; i++) {
			if (q[i].submitted >= DEPTH)
				wait_point(fd, &q[i], q[i].submitted - DEPTH + 1);
			submit(fd, &q[i]);
		}
	}
	for (i = 0; i < nq; i++) {
		wait_point(fd, &q[i], q[i].submitted);
		jobs += q[i].submitted;
	}
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	printf("done jobs=%llu\n", (unsigned long long)jobs);
	close(fd);
	return 0;
}
