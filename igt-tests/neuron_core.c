// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Core DRM ioctls on the accel node, from a client without privileges:
 * the node passes only the core ioctls an accel client uses and refuses the
 * rest with EOPNOTSUPP (GET_UNIQUE and GET_MAGIC oops in core DRM on an
 * accel node); syncobj arrays above 4096 handles are refused with EINVAL
 * (the page allocator warns for huge ones).  Every core ioctl number is
 * then sent with zeroed, all-ones and random arguments on every node; the
 * VM runner fails the run on any kernel splat.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"

IGT_TEST_DESCRIPTION("Core DRM ioctls on the accel node: refused or safe for an unprivileged client.");

#define NOBODY		65534
#define ARRAY_MAX	4096	/* syncobj handles one call may name */

/* Core ioctl numbers: outside the driver range DRM_COMMAND_BASE..END-1. */
static bool core_nr(unsigned int nr)
{
	return nr < DRM_COMMAND_BASE || nr >= DRM_COMMAND_END;
}

/* The core ioctls the node lets through (neuron_core_ioctl.c). */
static bool allowed_nr(unsigned int nr)
{
	static const unsigned long allowed[] = {
		DRM_IOCTL_VERSION, DRM_IOCTL_GET_CAP, DRM_IOCTL_GEM_CLOSE,
		DRM_IOCTL_GEM_FLINK, DRM_IOCTL_GEM_OPEN, DRM_IOCTL_PRIME_HANDLE_TO_FD,
		DRM_IOCTL_PRIME_FD_TO_HANDLE, DRM_IOCTL_SYNCOBJ_CREATE,
		DRM_IOCTL_SYNCOBJ_DESTROY, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD,
		DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, DRM_IOCTL_SYNCOBJ_TRANSFER,
		DRM_IOCTL_SYNCOBJ_EVENTFD, DRM_IOCTL_SYNCOBJ_WAIT,
		DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, DRM_IOCTL_SYNCOBJ_RESET,
		DRM_IOCTL_SYNCOBJ_SIGNAL, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL,
		DRM_IOCTL_SYNCOBJ_QUERY,
		0xD1,	/* DRM_IOCTL_SET_CLIENT_NAME (6.13+; libdrm may lack it) */
	};

	for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
		if (_IOC_NR(allowed[i]) == nr)
			return true;
	return false;
}

static struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
static int num_nodes;
static mode_t saved_mode[IGT_NEURON_MAX_NODES];

static void node_path(int i, char *buf, size_t size)
{
	snprintf(buf, size, "/dev/accel/accel%d", nodes[i].minor);
}

/* Let uid 65534 open every node (restored by restore_modes()). */
static void open_nodes_to_all(void)
{
	char path[64];
	struct stat st;

	for (int i = 0; i < num_nodes; i++) {
		node_path(i, path, sizeof(path));
		igt_assert_eq(stat(path, &st), 0);
		saved_mode[i] = st.st_mode & 07777;
		igt_assert_eq(chmod(path, 0666), 0);
	}
}

static void restore_modes(void)
{
	char path[64];

	for (int i = 0; i < num_nodes; i++) {
		node_path(i, path, sizeof(path));
		chmod(path, saved_mode[i]);
	}
}

/* Become uid/gid 65534 with no supplementary groups; child only. */
static void drop_privileges(void)
{
	gid_t none = NOBODY;

	if (setgroups(1, &none) || setgid(NOBODY) || setuid(NOBODY))
		_exit(100);
	if (geteuid() != NOBODY)
		_exit(101);
}

/* Open node @i as the (unprivileged) caller; child only. */
static int child_open(int i)
{
	char path[64];

	node_path(i, path, sizeof(path));
	return open(path, O_RDWR | O_CLOEXEC);
}

/* ioctl() result as 0 or -errno, with no EINTR restart (none is due). */
static int raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* Run @body in a child as nobody; it exits with 0 on success or a line number. */
#define AS_NOBODY(...) do { \
	pid_t pid_ = fork(); \
	int status_; \
	igt_assert_lte(0, pid_); \
	if (!pid_) { \
		drop_privileges(); \
		__VA_ARGS__; \
		_exit(0); \
	} \
	igt_assert_eq(waitpid(pid_, &status_, 0), pid_); \
	igt_assert_f(WIFEXITED(status_), "child died (signal %d)\n", \
		     WIFSIGNALED(status_) ? WTERMSIG(status_) : 0); \
	igt_assert_f(WEXITSTATUS(status_) == 0, "child failed at line %d\n", \
		     WEXITSTATUS(status_) < 100 ? WEXITSTATUS(status_) : -WEXITSTATUS(status_)); \
} while (0)

/* In a child: fail with the line number (mod 100) unless @cond. */
#define CHILD_CHECK(cond) do { if (!(cond)) _exit(__LINE__ % 100 ? __LINE__ % 100 : 1); } while (0)

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* xorshift64*: deterministic from the seed, so a failure replays. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

enum fill { FILL_ZERO, FILL_ONES, FILL_RANDOM, FILL_COUNT };

static void fill_arg(uint8_t *buf, size_t size, enum fill how)
{
	switch (how) {
	case FILL_ZERO:
		memset(buf, 0, size);
		break;
	case FILL_ONES:
		memset(buf, 0xff, size);
		break;
	default:
		for (size_t i = 0; i < size; i++)
			buf[i] = rng_next();
		break;
	}
}

/*
 * Every core ioctl number, every direction, a spread of sizes, each with a
 * zeroed, all-ones and random argument, plus NULL and a wild pointer.
 * Returns the number of calls made; exits on a refused ioctl that did not
 * answer EOPNOTSUPP.
 */
static unsigned long fuzz_core(int fd, uint64_t seed)
{
	static const unsigned int sizes[] = { 0, 4, 8, 16, 24, 32, 40, 64, 128, 256, 1024 };
	static const unsigned int dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
					     _IOC_READ | _IOC_WRITE };
	static uint8_t arg[1024] __attribute__((aligned(64)));
	unsigned long calls = 0;

	rng_state = seed | 1;
	for (unsigned int nr = 0; nr < 256; nr++) {
		if (!core_nr(nr))
			continue;
		for (size_t d = 0; d < ARRAY_SIZE(dirs); d++)
			for (size_t s = 0; s < ARRAY_SIZE(sizes); s++)
				for (int how = 0; how < FILL_COUNT + 2; how++) {
					unsigned long cmd = _IOC(dirs[d], DRM_IOCTL_BASE, nr, sizes[s]);
					void *p = arg;
					int ret;

					if (how == FILL_COUNT)
						p = NULL;
					else if (how == FILL_COUNT + 1)
						p = (void *)~0UL;
					else
						fill_arg(arg, sizeof(arg), how);
					ret = raw_ioctl(fd, cmd, p);
					calls++;
					if (!allowed_nr(nr) && ret != -EOPNOTSUPP) {
						fprintf(stderr, "core ioctl %#x (cmd %#lx) gave %d\n",
							nr, cmd, ret);
						_exit(99);
					}
				}
	}
	return calls;
}

igt_main
{
	igt_fixture {
		num_nodes = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);
		igt_require(num_nodes > 0);
		open_nodes_to_all();
	}

	igt_describe("GET_UNIQUE (libdrm's drmGetBusid()) and GET_MAGIC fail with EOPNOTSUPP "
		     "for an unprivileged client, twice in a row (no lock left held).");
	igt_subtest("unique-and-magic") {
		AS_NOBODY({
			int fd = child_open(0);
			struct drm_unique u = {};
			struct drm_auth a = {};

			CHILD_CHECK(fd >= 0);
			for (int i = 0; i < 2; i++) {
				CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_GET_UNIQUE, &u) == -EOPNOTSUPP);
				CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_GET_MAGIC, &a) == -EOPNOTSUPP);
			}
			CHILD_CHECK(drmGetBusid(fd) == NULL);
			close(fd);
		});
	}

	igt_describe("Master, authentication and modesetting ioctls fail with EOPNOTSUPP; the "
		     "core ioctls an accel client uses still work (VERSION, GET_CAP, syncobjs, "
		     "PRIME export and import of a BO).");
	igt_subtest("allowed-still-work") {
		AS_NOBODY({
			int fd = child_open(0);
			struct drm_set_version sv = {};
			struct drm_mode_card_res res = {};
			drmVersionPtr v;
			uint64_t cap = 0;
			uint32_t syncobj, bo, bo2;
			int dmabuf;

			CHILD_CHECK(fd >= 0);
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SET_MASTER, NULL) == -EOPNOTSUPP);
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_DROP_MASTER, NULL) == -EOPNOTSUPP);
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SET_VERSION, &sv) == -EOPNOTSUPP);
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res) == -EOPNOTSUPP);
			v = drmGetVersion(fd);
			CHILD_CHECK(v && !strcmp(v->name, "neuron"));
			drmFreeVersion(v);
			CHILD_CHECK(drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &cap) == 0 && cap == 1);
			CHILD_CHECK(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &syncobj) == 0);
			CHILD_CHECK(drmSyncobjWait(fd, &syncobj, 1, 0, 0, NULL) == 0);
			CHILD_CHECK(drmSyncobjReset(fd, &syncobj, 1) == 0);
			CHILD_CHECK(drmSyncobjSignal(fd, &syncobj, 1) == 0);
			CHILD_CHECK(drmSyncobjDestroy(fd, syncobj) == 0);
			struct drm_neuron_bo_create c = {
				.domain = DRM_NEURON_BO_DOMAIN_HOST, .size = 4096,
				.dram_channel = DRM_NEURON_ANY, .dram_nc = DRM_NEURON_ANY };

			CHILD_CHECK(__igt_neuron_bo_create(fd, &c) == 0);
			bo = c.handle;
			CHILD_CHECK(drmPrimeHandleToFD(fd, bo, DRM_CLOEXEC | DRM_RDWR, &dmabuf) == 0);
			CHILD_CHECK(drmPrimeFDToHandle(fd, dmabuf, &bo2) == 0 && bo2 == bo);
			close(dmabuf);
			close(fd);
		});
	}

	igt_describe("A syncobj array ioctl naming more than 4096 handles fails with EINVAL "
		     "(0x10000000 made the page allocator warn); 4096 valid handles work.");
	igt_subtest("syncobj-array-limit") {
		AS_NOBODY({
			static uint32_t handles[ARRAY_MAX + 1];
			static uint64_t points[ARRAY_MAX + 1];
			int fd = child_open(0);
			struct drm_syncobj_array arr = { .handles = (uintptr_t)handles };
			struct drm_syncobj_timeline_array tarr = {
				.handles = (uintptr_t)handles, .points = (uintptr_t)points };
			struct drm_syncobj_wait w = { .handles = (uintptr_t)handles };
			struct drm_syncobj_timeline_wait tw = {
				.handles = (uintptr_t)handles, .points = (uintptr_t)points };
			uint32_t syncobj;

			CHILD_CHECK(fd >= 0);
			CHILD_CHECK(drmSyncobjCreate(fd, 0, &syncobj) == 0);
			for (int i = 0; i <= ARRAY_MAX; i++)
				handles[i] = syncobj;
			arr.count_handles = tarr.count_handles = 0x10000000;
			w.count_handles = tw.count_handles = 0x10000000;
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &arr) == -EINVAL);
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, &arr) == -EINVAL);
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &tarr) == -EINVAL);
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &tarr) == -EINVAL);
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w) == -EINVAL);
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &tw) == -EINVAL);
			arr.count_handles = ARRAY_MAX + 1;
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &arr) == -EINVAL);
			/* At the limit: core DRM does the work. */
			arr.count_handles = ARRAY_MAX;
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &arr) == 0);
			w.count_handles = ARRAY_MAX;
			CHILD_CHECK(raw_ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w) == 0);
			CHILD_CHECK(drmSyncobjDestroy(fd, syncobj) == 0);
			close(fd);
		});
	}

	igt_describe("Every core ioctl number, in every direction and a spread of sizes, with "
		     "zeroed, all-ones and random arguments, NULL and a wild pointer, on every "
		     "node, as uid 65534: refused ones answer EOPNOTSUPP, nothing oopses or "
		     "warns, and each device still answers DEVICE_INFO afterwards.");
	igt_subtest("fuzz-every-core-ioctl") {
		for (int i = 0; i < num_nodes; i++) {
			struct drm_neuron_device_info info;
			int fd;

			AS_NOBODY({
				int cfd = child_open(i);
				unsigned long calls;

				CHILD_CHECK(cfd >= 0);
				calls = fuzz_core(cfd, 0x6e6575726f6eULL + i);
				CHILD_CHECK(calls > 0);
				close(cfd);
			});
			fd = igt_neuron_open(nodes[i].minor);
			igt_neuron_device_info(fd, &info);
			close(fd);
		}
	}

	igt_fixture {
		restore_modes();
	}
}
