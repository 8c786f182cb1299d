// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * What one client may take: per-file counts of BO handles, queue objects
 * and programs end in EDQUOT (and closing one makes room again); kernel
 * memory a client allocates is charged to its memory cgroup, so a client
 * in a small cgroup v2 gets ENOMEM (no OOM kill, no allocation warning)
 * while another client's copies go on byte-exact; afterwards the DRAM in
 * use is back where it was and the module unloads cleanly.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"

IGT_TEST_DESCRIPTION("Per-client limits: EDQUOT for object counts, ENOMEM at a memory "
		     "cgroup's limit, other clients unaffected.");

#define CGROOT	"/sys/fs/cgroup"
#define CG	CGROOT "/neuron-limits"

static struct igt_neuron_node node;
static int fd = -1;

static int __queue_create(int f, uint32_t *handle)
{
	struct drm_neuron_queue_create c = { .nc = 0, .engine = 0, .queue = 0 };
	int ret = drmIoctl(f, DRM_IOCTL_NEURON_QUEUE_CREATE, &c) ? -errno : 0;

	*handle = c.handle;
	return ret;
}

static void queue_destroy(int f, uint32_t h)
{
	struct drm_neuron_queue_destroy d = { .handle = h };

	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_QUEUE_DESTROY, &d), 0);
}

/* A one-descriptor program copying 256 bytes of @bo onto itself at +256. */
static int __program_create(int f, uint32_t bo, uint32_t *handle)
{
	struct drm_neuron_desc tx = { .bo_index = 0, .length = 256,
				      .flags = DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST };
	struct drm_neuron_desc rx = { .bo_index = 0, .offset = 256, .length = 256 };
	struct drm_neuron_program_create p = {
		.bo_handles = (uintptr_t)&bo, .bo_count = 1, .tx = (uintptr_t)&tx,
		.tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1 };
	int ret = drmIoctl(f, DRM_IOCTL_NEURON_PROGRAM_CREATE, &p) ? -errno : 0;

	*handle = p.handle;
	return ret;
}

static void program_destroy(int f, uint32_t h)
{
	struct drm_neuron_program_destroy d = { .handle = h };

	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_PROGRAM_DESTROY, &d), 0);
}

static int __host_bo(int f, uint64_t size, uint32_t *handle)
{
	struct drm_neuron_bo_create c = {
		.domain = DRM_NEURON_BO_DOMAIN_HOST, .size = size,
		.dram_channel = DRM_NEURON_ANY, .dram_nc = DRM_NEURON_ANY };
	int ret = __igt_neuron_bo_create(f, &c);

	*handle = c.handle;
	return ret;
}

static int __device_bo(int f, uint64_t size, uint32_t *handle)
{
	struct drm_neuron_bo_create c = {
		.domain = DRM_NEURON_BO_DOMAIN_DEVICE, .size = size,
		.dram_channel = DRM_NEURON_ANY, .dram_nc = DRM_NEURON_ANY };
	int ret = __igt_neuron_bo_create(f, &c);

	*handle = c.handle;
	return ret;
}

/* Sum of "used N" in debugfs "dram" (bytes of DRAM handed out). */
static uint64_t dram_used(void)
{
	char dir[512], path[600], buf[4096];
	uint64_t used = 0;

	igt_assert(igt_neuron_debugfs_dir(node.pci_addr, dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/dram", dir);
	igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
	for (char *p = strstr(buf, "used"); p; p = strstr(p + 4, "used"))
		used += strtoull(p + 4, NULL, 0);
	return used;
}

static bool write_file(const char *path, const char *text)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (f < 0)
		return false;
	n = write(f, text, strlen(text));
	close(f);
	return n == (ssize_t)strlen(text);
}

static uint64_t read_u64_file(const char *path)
{
	uint64_t v = 0;

	igt_assert_f(igt_neuron_read_u64(path, &v), "cannot read %s\n", path);
	return v;
}

/* "KEY VALUE" line of a cgroup file such as memory.events. */
static bool cg_key(const char *path, const char *key, uint64_t *val)
{
	char buf[4096], *p;
	size_t n = strlen(key);

	if (igt_neuron_read_file(path, buf, sizeof(buf)) <= 0)
		return false;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ' ') {
			*val = strtoull(p + n + 1, NULL, 0);
			return true;
		}
	return false;
}

/* cgroup v2 with the memory controller for children of the root. */
static void require_memcg(void)
{
	struct stat st;

	if (stat(CGROOT "/cgroup.controllers", &st))
		igt_require_f(mount("cgroup2", CGROOT, "cgroup2", 0, NULL) == 0,
			      "cannot mount cgroup2: %s\n", strerror(errno));
	igt_require_f(write_file(CGROOT "/cgroup.subtree_control", "+memory"),
		      "no memory controller\n");
	rmdir(CG);
	igt_assert_eq(mkdir(CG, 0755), 0);
}

/* A COPY host -> device -> host of 64 KiB on @f, compared byte for byte. */
static void copy_round_trip(int f, uint32_t dev, struct igt_neuron_hbo *a,
			    struct igt_neuron_hbo *b, uint64_t seed)
{
	igt_neuron_random_fill(a->p, 65536, seed);
	memset(b->p, 0, 65536);
	igt_neuron_copy(f, dev, 0, a->h, 0, 65536, 0);
	igt_neuron_copy(f, b->h, 0, dev, 0, 65536, 0);
	igt_neuron_bo_wait(f, b->h);
	igt_neuron_assert_same(b->p, a->p, 65536, "bystander's round trip");
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
	}

	igt_describe("A file holds at most 1024 queue objects: the next QUEUE_CREATE fails with "
		     "EDQUOT, and destroying one makes room for exactly one more.");
	igt_subtest("queue-objects") {
		static uint32_t h[DRM_NEURON_MAX_QUEUES + 1];
		int g = igt_neuron_open(node.minor);

		for (int i = 0; i < DRM_NEURON_MAX_QUEUES; i++)
			igt_assert_eq(__queue_create(g, &h[i]), 0);
		igt_assert_eq(__queue_create(g, &h[DRM_NEURON_MAX_QUEUES]), -EDQUOT);
		/* Another file is not affected. */
		igt_assert_eq(__queue_create(fd, &h[DRM_NEURON_MAX_QUEUES]), 0);
		queue_destroy(fd, h[DRM_NEURON_MAX_QUEUES]);
		queue_destroy(g, h[7]);
		igt_assert_eq(__queue_create(g, &h[7]), 0);
		igt_assert_eq(__queue_create(g, &h[DRM_NEURON_MAX_QUEUES]), -EDQUOT);
		close(g);
	}

	igt_describe("A file holds at most 1024 programs: the next PROGRAM_CREATE fails with "
		     "EDQUOT, and destroying one makes room again.");
	igt_subtest("programs") {
		static uint32_t h[DRM_NEURON_MAX_PROGRAMS + 1];
		int g = igt_neuron_open(node.minor);
		uint32_t bo = igt_neuron_bo_create(g, DRM_NEURON_BO_DOMAIN_HOST, 4096);

		for (int i = 0; i < DRM_NEURON_MAX_PROGRAMS; i++)
			igt_assert_eq(__program_create(g, bo, &h[i]), 0);
		igt_assert_eq(__program_create(g, bo, &h[DRM_NEURON_MAX_PROGRAMS]), -EDQUOT);
		program_destroy(g, h[3]);
		igt_assert_eq(__program_create(g, bo, &h[3]), 0);
		igt_assert_eq(__program_create(g, bo, &h[DRM_NEURON_MAX_PROGRAMS]), -EDQUOT);
		close(g);
	}

	igt_describe("A file holds at most 65536 BO handles, however they were made: BO_CREATE "
		     "and a PRIME import past that fail with EDQUOT; closing one handle makes "
		     "room for one more.");
	igt_subtest("bo-handles") {
		static uint32_t h[DRM_NEURON_MAX_BO_HANDLES];
		int g = igt_neuron_open(node.minor), dmabuf;
		uint32_t extra, other;

		for (int i = 0; i < DRM_NEURON_MAX_BO_HANDLES; i++)
			igt_assert_eq(__host_bo(g, 4096, &h[i]), 0);
		igt_assert_eq(__host_bo(g, 4096, &extra), -EDQUOT);
		igt_assert_eq(__device_bo(g, 256, &extra), -EDQUOT);
		other = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, 4096);
		igt_assert_eq(drmPrimeHandleToFD(fd, other, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
		igt_assert_eq(drmPrimeFDToHandle(g, dmabuf, &extra) ? -errno : 0, -EDQUOT);
		igt_neuron_bo_close(g, h[100]);
		igt_assert_eq(drmPrimeFDToHandle(g, dmabuf, &extra), 0);
		igt_assert_eq(__host_bo(g, 4096, &h[100]), -EDQUOT);
		close(dmabuf);
		igt_neuron_bo_close(fd, other);
		close(g);
	}

	igt_describe("A client in a memory cgroup v2 limited to 8 MiB above its usage creates "
		     "device BOs until refused: the driver's allocations fail with ENOMEM and "
		     "its cgroup was charged for them (or, when one of core DRM's GFP_KERNEL "
		     "allocations hits the limit first, the cgroup's OOM killer takes it with "
		     "the cgroup charged to its limit); a client outside keeps doing "
		     "byte-exact copies meanwhile; afterwards the DRAM in use is back where "
		     "it was.");
	igt_subtest("memcg-enomem") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 65536), b = igt_neuron_hbo_new(fd, 65536);
		uint32_t dev = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_DEVICE, 65536);
		uint64_t before, round = 0;
		int pipefd[2], status;
		bool reaped;
		char buf[64];
		pid_t pid;

		require_memcg();
		copy_round_trip(fd, dev, &a, &b, 1);
		before = dram_used();
		igt_assert_eq(pipe(pipefd), 0);
		pid = fork();
		igt_assert_lte(0, pid);
		if (!pid) {
			uint64_t cur, n = 0, charged;
			uint32_t h;
			int g, ret;

			snprintf(buf, sizeof(buf), "%d", getpid());
			if (!write_file(CG "/cgroup.procs", buf))
				_exit(10);
			g = igt_neuron_open(node.minor);
			cur = read_u64_file(CG "/memory.current");
			snprintf(buf, sizeof(buf), "%" PRIu64, cur + (8 << 20));
			if (!write_file(CG "/memory.max", buf))
				_exit(11);
			while ((ret = __device_bo(g, 256, &h)) == 0)
				n++;
			charged = read_u64_file(CG "/memory.current") - cur;
			/* Each device BO costs its cgroup at least a few hundred bytes. */
			if (ret != -ENOMEM)
				_exit(12);
			if (n < 1000 || charged < n * 256)
				_exit(13);
			if (write(pipefd[1], "x", 1) != 1)
				_exit(14);
			pause();	/* hold everything until the parent is done */
			_exit(0);
		}
		close(pipefd[1]);
		/* The bystander works while the other client fills its cgroup. */
		reaped = false;
		for (;;) {
			struct timeval tv = { 0, 0 };
			fd_set rd;

			FD_ZERO(&rd);
			FD_SET(pipefd[0], &rd);
			/* Readable: the client reported ENOMEM, or died (EOF). */
			if (select(pipefd[0] + 1, &rd, NULL, NULL, &tv) > 0)
				break;
			if (waitpid(pid, &status, WNOHANG) == pid) {
				reaped = true;
				break;
			}
			copy_round_trip(fd, dev, &a, &b, 100 + round++);
		}
		/* And with the other client at its limit, still. */
		for (int i = 0; i < 4; i++)
			copy_round_trip(fd, dev, &a, &b, 1000 + i);
		igt_info("%" PRIu64 " bystander round trips while the client filled its cgroup\n",
			 round);
		if (!reaped && read(pipefd[0], buf, 1) == 1) {
			/* Refused with ENOMEM (checked by the client). */
			kill(pid, SIGTERM);
			igt_assert_eq(waitpid(pid, &status, 0), pid);
			igt_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
			igt_info("the client got ENOMEM\n");
		} else {
			/*
			 * Core DRM's own charged allocations (handle and
			 * dependency trees) use GFP_KERNEL: at the limit the
			 * cgroup's OOM killer may take the client first.  Only
			 * that death is acceptable, and only with the cgroup
			 * charged up to its limit.
			 */
			uint64_t kills = 0, peak = 0, max = 0;

			if (!reaped)
				igt_assert_eq(waitpid(pid, &status, 0), pid);
			igt_assert_f(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
				     "client ended with %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
				     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			igt_assert(cg_key(CG "/memory.events", "oom_kill", &kills));
			igt_assert_lte_u64(1, kills);
			peak = read_u64_file(CG "/memory.peak");
			max = read_u64_file(CG "/memory.max");
			igt_assert_lte_u64(max - (1 << 20), peak);
			igt_info("the cgroup's OOM killer took the client at %" PRIu64 " of %" PRIu64
				 " bytes\n", peak, max);
		}
		close(pipefd[0]);
		/* Its BOs are freed once their clears finish. */
		for (int i = 0; i < 100 && dram_used() != before; i++)
			usleep(50000);
		igt_assert_eq_u64(dram_used(), before);
		rmdir(CG);
		igt_neuron_bo_close(fd, dev);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("After all of the above the module unloads and loads again cleanly.");
	igt_subtest("unload-after") {
		close(fd);
		fd = -1;
		igt_assert_eq(igt_neuron_module_unload(), 0);
		igt_assert_eq(igt_neuron_module_load(), 0);
		igt_assert(igt_neuron_wait_nodes(igt_neuron_expected_devices() > 0 ?
						 igt_neuron_expected_devices() : 1, 10000));
		fd = igt_neuron_open_first(&node);
	}

	igt_fixture {
		if (fd >= 0)
			close(fd);
	}
}
