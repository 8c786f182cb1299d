// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * NeuronCore ownership (DRM_IOCTL_NEURON_NC_ACQUIRE / NC_RELEASE) and the
 * NeuronCore window as a DMA target (DRM_NEURON_DESC_NC_WINDOW), with two
 * clients (two files, a forked process, an unprivileged one): acquire is all
 * or none and EBUSY against another owner; release on ioctl, close and kill,
 * waiting for the owner's jobs; an owned core's FIFO, semaphores, events and
 * notification queues refuse other clients (READs stay open) while its DMA
 * engines stay everyone's for BO-to-BO work; window data round trips host ->
 * window -> host byte-exact at the window's edges and around the PE FIFO;
 * window descriptors are the owner's only, of its own cores only, and keep
 * off the control views; fdinfo, sysfs and debugfs name the owner.
 */
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("NeuronCore ownership and the NeuronCore window as a DMA target.");

#define WIN DRM_NEURON_DESC_NC_WINDOW
#define FIFO_IDX DRM_NEURON_DESC_NC_FIFO
#define WSIZE DRM_NEURON_NC_WINDOW_SIZE
#define CTL_START DRM_NEURON_NC_CONTROL_START
#define CTL_END DRM_NEURON_NC_CONTROL_END
#define FIFO_OFF V1_NC_PE_IRAM_FIFO
#define FIFO_SIZE V1_NC_PE_IRAM_FIFO_SIZE
#define FIRST DRM_NEURON_DESC_FIRST
#define LAST DRM_NEURON_DESC_LAST
#define MAXLEN DRM_NEURON_DESC_MAX_LENGTH
#define ALL_NCS ((1u << V1_NC_PER_DEVICE) - 1)
#define CANARY 0x5a
#define NOBODY 65534
/* Descriptors of one packet in these tests (each at most 64 KiB, 16 pages). */
#define PKT_DESCS 4
#define MAX_DESCS 64

static struct igt_neuron_node node;
static int fd = -1;

/* ---- raw ioctls ---- */

static int __acquire(int f, uint32_t mask, uint32_t flags)
{
	struct drm_neuron_nc_acquire a = { .nc_mask = mask, .flags = flags };

	return ioctl(f, DRM_IOCTL_NEURON_NC_ACQUIRE, &a) ? -errno : 0;
}

static int __release(int f, uint32_t mask, uint32_t pad)
{
	struct drm_neuron_nc_release r = { .nc_mask = mask, .pad = pad };

	return ioctl(f, DRM_IOCTL_NEURON_NC_RELEASE, &r) ? -errno : 0;
}

static int __nc_reset(int f, uint32_t mask, uint32_t flags)
{
	struct drm_neuron_nc_reset r = { .nc_mask = mask, .flags = flags };

	return ioctl(f, DRM_IOCTL_NEURON_NC_RESET, &r) ? -errno : 0;
}

static void acquire(int f, uint32_t mask)
{
	igt_assert_eq(__acquire(f, mask, 0), 0);
}

static void release(int f, uint32_t mask)
{
	igt_assert_eq(__release(f, mask, 0), 0);
}

static int __sem(int f, uint32_t nc, uint32_t idx, uint32_t op, int32_t *value)
{
	struct drm_neuron_semaphore s = { .nc = nc, .index = idx, .op = op,
					  .value = value ? *value : 0 };
	int ret = ioctl(f, DRM_IOCTL_NEURON_SEMAPHORE, &s) ? -errno : 0;

	if (!ret && value)
		*value = s.value;
	return ret;
}

static int32_t sem_read(int f, uint32_t nc, uint32_t idx)
{
	int32_t v = 0;

	igt_assert_eq(__sem(f, nc, idx, DRM_NEURON_SYNC_OP_READ, &v), 0);
	return v;
}

static int __event(int f, uint32_t nc, uint32_t idx, uint32_t op, uint32_t *value)
{
	struct drm_neuron_event e = { .nc = nc, .index = idx, .op = op,
				      .value = value ? *value : 0 };
	int ret = ioctl(f, DRM_IOCTL_NEURON_EVENT, &e) ? -errno : 0;

	if (!ret && value)
		*value = e.value;
	return ret;
}

static int __nq_create(int f, uint32_t nc, uint32_t type, uint32_t instance, int *nqfd)
{
	struct drm_neuron_nq_create c = { .nc = nc, .type = type, .instance = instance,
					  .size = 4096 };
	int ret = ioctl(f, DRM_IOCTL_NEURON_NQ_CREATE, &c) ? -errno : 0;

	*nqfd = ret ? -1 : c.fd;
	return ret;
}

static int __queue_create(int f, uint32_t nc, uint32_t engine, uint32_t queue, uint32_t *h)
{
	struct drm_neuron_queue_create c = { .nc = nc, .engine = engine, .queue = queue };
	int ret = ioctl(f, DRM_IOCTL_NEURON_QUEUE_CREATE, &c) ? -errno : 0;

	*h = ret ? 0 : c.handle;
	return ret;
}

static uint32_t queue_create(int f, uint32_t nc, uint32_t engine, uint32_t queue)
{
	uint32_t h;

	igt_assert_eq(__queue_create(f, nc, engine, queue, &h), 0);
	igt_assert(h);
	return h;
}

static void queue_destroy(int f, uint32_t h)
{
	struct drm_neuron_queue_destroy d = { .handle = h };

	igt_assert_eq(ioctl(f, DRM_IOCTL_NEURON_QUEUE_DESTROY, &d), 0);
}

/* ---- descriptor sets ---- */

struct descs {
	struct drm_neuron_desc tx[MAX_DESCS], rx[MAX_DESCS];
	uint32_t ntx, nrx;
};

static struct drm_neuron_desc desc(uint32_t idx, uint64_t off, uint32_t len, uint32_t flags)
{
	return (struct drm_neuron_desc){ .bo_index = idx, .offset = off, .length = len,
					 .flags = flags };
}

/*
 * len bytes from (sidx, soff) to (didx, doff): packets of PKT_DESCS TX
 * descriptors of txc bytes, each packet's receive side split in rxc-byte
 * pieces (so the two sides split the stream differently).
 */
static void build(struct descs *d, uint32_t sidx, uint64_t soff, uint32_t didx, uint64_t doff,
		  uint64_t len, uint32_t txc, uint32_t rxc)
{
	uint64_t done = 0;

	d->ntx = d->nrx = 0;
	while (done < len) {
		uint64_t pkt = 0;

		for (int i = 0; i < PKT_DESCS && done + pkt < len; i++) {
			uint32_t n = len - done - pkt < txc ? len - done - pkt : txc;

			igt_assert(d->ntx < MAX_DESCS);
			d->tx[d->ntx++] = desc(sidx, soff + done + pkt, n, i ? 0 : FIRST);
			pkt += n;
		}
		d->tx[d->ntx - 1].flags |= LAST;
		for (uint64_t r = 0; r < pkt;) {
			uint32_t n = pkt - r < rxc ? pkt - r : rxc;

			igt_assert(d->nrx < MAX_DESCS);
			d->rx[d->nrx++] = desc(didx, doff + done + r, n, 0);
			r += n;
		}
		done += pkt;
	}
}

/* One descriptor each way: len bytes (sidx, soff) -> (didx, doff). */
static void build1(struct descs *d, uint32_t sidx, uint64_t soff, uint32_t didx, uint64_t doff,
		   uint32_t len)
{
	build(d, sidx, soff, didx, doff, len, len, len);
}

static int submit_descs(int f, uint32_t q, const uint32_t *bos, uint32_t nbos,
			const struct descs *d, uint32_t out, int *sync_file)
{
	struct drm_neuron_submit s = {
		.queue = q, .bo_handles = (uintptr_t)bos, .bo_count = nbos,
		.tx = (uintptr_t)d->tx, .tx_count = d->ntx,
		.rx = (uintptr_t)d->rx, .rx_count = d->nrx,
		.out_sync.handle = out,
		.flags = sync_file ? DRM_NEURON_SUBMIT_OUT_FENCE_FD : 0,
	};
	int ret = ioctl(f, DRM_IOCTL_NEURON_SUBMIT, &s) ? -errno : 0;

	if (sync_file)
		*sync_file = ret ? -1 : s.out_fence_fd;
	return ret;
}

static int program_descs(int f, uint32_t nc, const uint32_t *bos, uint32_t nbos,
			 const struct descs *d, uint32_t *handle)
{
	struct drm_neuron_program_create c = {
		.nc = nc, .bo_handles = (uintptr_t)bos, .bo_count = nbos,
		.tx = (uintptr_t)d->tx, .tx_count = d->ntx,
		.rx = (uintptr_t)d->rx, .rx_count = d->nrx,
	};
	int ret = ioctl(f, DRM_IOCTL_NEURON_PROGRAM_CREATE, &c) ? -errno : 0;

	*handle = ret ? 0 : c.handle;
	return ret;
}

static int submit_program(int f, uint32_t q, uint32_t prog, uint32_t out)
{
	struct drm_neuron_submit s = { .queue = q, .program = prog, .out_sync.handle = out };

	return ioctl(f, DRM_IOCTL_NEURON_SUBMIT, &s) ? -errno : 0;
}

static void program_destroy(int f, uint32_t h)
{
	struct drm_neuron_program_destroy d = { .handle = h };

	igt_assert_eq(ioctl(f, DRM_IOCTL_NEURON_PROGRAM_DESTROY, &d), 0);
}

/* Submit and wait: the job must succeed (fence status 1). */
static void run_descs(int f, uint32_t q, const uint32_t *bos, uint32_t nbos,
		      const struct descs *d)
{
	uint32_t s = igt_neuron_syncobj(f);

	igt_assert_eq(submit_descs(f, q, bos, nbos, d, s, NULL), 0);
	igt_neuron_syncobj_wait(f, s);
	igt_assert_eq(igt_neuron_syncobj_status(f, s), 1);
	drmSyncobjDestroy(f, s);
}

/*
 * Make data bound for window offset woff harmless in the PE FIFO: no
 * 16-byte record slot gets the model's command magic (emulator.rst,
 * "NeuronCore command set"), so the FIFO range is plain memory here.
 */
static void defuse_records(uint8_t *p, uint64_t woff, uint64_t len)
{
	for (uint64_t a = (woff + 15) & ~15ull; a + 4 <= woff + len; a += 16) {
		uint32_t w;

		if (a < FIFO_OFF || a >= FIFO_OFF + FIFO_SIZE)
			continue;
		memcpy(&w, p + (a - woff), 4);
		if ((w >> 16) == (NC_OP_MAGIC >> 16)) {
			w ^= 1u << 16;
			memcpy(p + (a - woff), &w, 4);
		}
	}
}

/*
 * Host -> window -> host: len bytes of random data from a host BO (at
 * boff) into NC nc's window at woff, then back out into another BO,
 * compared byte for byte.  The caller owns nc; q is a queue of nc.
 */
static void roundtrip(int f, uint32_t q, uint64_t woff, uint64_t len, uint32_t txc,
		      uint32_t rxc, uint64_t boff, uint64_t seed)
{
	struct igt_neuron_hbo s = igt_neuron_hbo_new(f, boff + len);
	struct igt_neuron_hbo d = igt_neuron_hbo_new(f, boff + len);
	struct descs x;

	igt_neuron_random_fill(s.p, s.size, seed);
	defuse_records(s.p + boff, woff, len);
	memset(d.p, CANARY, d.size);
	build(&x, 0, boff, WIN, woff, len, txc, rxc);
	run_descs(f, q, &s.h, 1, &x);
	build(&x, WIN, woff, 0, boff, len, txc, rxc);
	run_descs(f, q, &d.h, 1, &x);
	igt_neuron_assert_same(d.p + boff, s.p + boff, len, "window round trip");
	igt_neuron_assert_bytes(d.p, 0, boff, CANARY, "bytes before the range");
	igt_neuron_hbo_free(f, &s);
	igt_neuron_hbo_free(f, &d);
}

/* ---- inspection ---- */

static uint32_t fdinfo_owned(int f)
{
	char buf[64], *end;
	unsigned long v;

	igt_assert_f(igt_neuron_fdinfo_str(f, "neuron-nc-owned", buf, sizeof(buf)),
		     "no neuron-nc-owned in fdinfo\n");
	v = strtoul(buf, &end, 16);
	igt_assert_f(end != buf && *end == '\0', "neuron-nc-owned: \"%s\"\n", buf);
	return (uint32_t)v;
}

static uint64_t fdinfo_client_id(int f)
{
	char buf[64];

	igt_assert(igt_neuron_fdinfo_str(f, "drm-client-id", buf, sizeof(buf)));
	return strtoull(buf, NULL, 10);
}

struct owner {
	bool owned;
	uint64_t client;
	int pid;
	char comm[32];
};

/* sysfs nc_owners: one line per NeuronCore, "<nc> <client> <pid> <comm>" or "<nc> -". */
static void sysfs_owners(struct owner *o)
{
	char path[128], buf[4096], *line, *save = NULL;
	int n = 0;

	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/nc_owners", node.minor);
	igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
		int nc, len = 0;

		igt_assert_lt(n, V1_NC_PER_DEVICE);
		memset(&o[n], 0, sizeof(o[n]));
		if (sscanf(line, "%d -%n", &nc, &len) == 1 && len && !line[len]) {
			igt_assert_eq(nc, n);
			continue;
		}
		igt_assert_f(sscanf(line, "%d %" SCNu64 " %d %31s", &nc, &o[n].client,
				    &o[n].pid, o[n].comm) == 4, "nc_owners line \"%s\"\n", line);
		igt_assert_eq(nc, n);
		o[n].owned = true;
	}
	igt_assert_eq(n, V1_NC_PER_DEVICE);
}

static void self_comm(char *buf, size_t size)
{
	igt_assert_lt(0, igt_neuron_read_file("/proc/self/comm", buf, size));
	buf[strcspn(buf, "\n")] = '\0';
}

/* The NeuronCores sysfs names as owned by client `client` of process `pid`. */
static uint32_t sysfs_mask_of(uint64_t client, int pid)
{
	struct owner o[V1_NC_PER_DEVICE];
	uint32_t mask = 0;

	sysfs_owners(o);
	for (int i = 0; i < V1_NC_PER_DEVICE; i++)
		if (o[i].owned && o[i].client == client && o[i].pid == pid)
			mask |= 1u << i;
	return mask;
}

static uint32_t sysfs_owned_mask(void)
{
	struct owner o[V1_NC_PER_DEVICE];
	uint32_t mask = 0;

	sysfs_owners(o);
	for (int i = 0; i < V1_NC_PER_DEVICE; i++)
		if (o[i].owned)
			mask |= 1u << i;
	return mask;
}

static int open_b(void)
{
	return igt_neuron_open(node.minor);
}

/* ---- unprivileged child ---- */

static void node_path(char *buf, size_t size)
{
	snprintf(buf, size, "/dev/accel/accel%d", node.minor);
}

static mode_t saved_mode;

static void open_node_to_all(void)
{
	char path[64];
	struct stat st;

	node_path(path, sizeof(path));
	igt_assert_eq(stat(path, &st), 0);
	saved_mode = st.st_mode & 07777;
	igt_assert_eq(chmod(path, 0666), 0);
}

static void restore_mode(void)
{
	char path[64];

	node_path(path, sizeof(path));
	chmod(path, saved_mode);
}

static void drop_privileges(void)
{
	gid_t none = NOBODY;

	if (setgroups(1, &none) || setgid(NOBODY) || setuid(NOBODY))
		_exit(100);
	if (geteuid() != NOBODY)
		_exit(101);
}

/* In a child: exit with `code` unless cond. */
#define CHILD_CHECK(cond, code) do {						\
	if (!(cond)) {								\
		fprintf(stderr, "child: check %d (%s) failed, errno %d\n", code, #cond, errno); \
		_exit(code);							\
	}									\
} while (0)

/* Wait for the child; assert it exited 0, naming the failed check's code. */
static void wait_child(pid_t pid)
{
	int status;

	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status), "child died (status %#x)\n", status);
	igt_assert_f(WEXITSTATUS(status) == 0, "child check %d failed\n", WEXITSTATUS(status));
}

/* ---- release wait ---- */

struct release_thread {
	int f;
	uint32_t mask;
	int ret;
	atomic_bool done;
};

static void *release_fn(void *arg)
{
	struct release_thread *t = arg;

	t->ret = __release(t->f, t->mask, 0);
	atomic_store(&t->done, true);
	return NULL;
}

struct acquire_thread {
	int f;
	uint32_t mask;
	int ret;
	const int *sync_files;	/* the other owner's fences */
	int nfences;
	int unsignalled;	/* of them, when the acquire returned */
	atomic_bool done;
};

static void *acquire_fn(void *arg)
{
	struct acquire_thread *t = arg;

	t->ret = __acquire(t->f, t->mask, 0);
	for (int i = 0; i < t->nfences; i++)
		if (igt_neuron_sync_file_status(t->sync_files[i]) != 1)
			t->unsignalled++;
	atomic_store(&t->done, true);
	return NULL;
}

static void wait_doorbells(unsigned int d, uint64_t n)
{
	for (int i = 0; i < 1000 && igt_neuron_emu_counter(d, "doorbells") < n; i++)
		usleep(10000);
	igt_assert_lte_u64(n, igt_neuron_emu_counter(d, "doorbells"));
}

/* ---- window cases ---- */

static const struct window_case {
	const char *name;
	uint32_t nc;
	uint64_t woff, len;
	uint32_t txc, rxc;
	uint64_t boff;
} window_cases[] = {
	{ "start", 0, 0, 4096, 4096, 4096, 0 },
	{ "odd-offset", 0, 0x123457, 0x2345, 0x1000, 0x777, 0x13 },
	{ "64k", 1, 0x100000, MAXLEN, MAXLEN, MAXLEN, 0 },
	{ "multi-descriptor-packet", 0, 0x200000, 3 * MAXLEN, MAXLEN, 0x9000, 0x100 },
	{ "multi-packet", 2, 0x400000, 8 * MAXLEN, MAXLEN, MAXLEN, 0 },
	{ "below-fifo", 0, FIFO_OFF - MAXLEN, MAXLEN, MAXLEN, 0x3000, 0 },
	{ "fifo", 0, FIFO_OFF, FIFO_SIZE, FIFO_SIZE, 0x1000, 0 },
	{ "around-fifo", 3, FIFO_OFF - 0x8000, 0x14000, MAXLEN, 0x5000, 0x40 },
	{ "below-control-views", 0, CTL_START - MAXLEN, MAXLEN, MAXLEN, MAXLEN, 0 },
	{ "above-control-views", 1, CTL_END, MAXLEN, MAXLEN, 0x4000, 0 },
	{ "window-end", 3, WSIZE - 2 * MAXLEN, 2 * MAXLEN, MAXLEN, MAXLEN, 0 },
	{ "last-byte", 2, WSIZE - 1, 1, 1, 1, 7 },
};

/* Window ranges a descriptor may not name: EINVAL. */
static const struct bad_window {
	const char *name;
	uint64_t off;
	uint32_t len;
} bad_windows[] = {
	{ "into-control-start", CTL_START - 4, 8 },
	{ "at-control-start", CTL_START, 4 },
	{ "events", CTL_START + 0x100, 16 },
	{ "semaphore-set-view", 0x2701100, 4 },
	{ "semaphore-decr-view", 0x2701300, 4 },
	{ "over-all-views", CTL_START - 0x100, 0x1600 },
	{ "last-control-byte", CTL_END - 1, 1 },
	{ "across-control-end", CTL_END - 4, 8 },
	{ "across-window-end", WSIZE - 4, 8 },
	{ "at-window-end", WSIZE, 1 },
	{ "far-past-window", 1ull << 40, 16 },
	{ "offset-wraps", UINT64_MAX - 1, 4 },
};

/* Submit and program of a bad window descriptor (RX, then TX): err, nothing written. */
static void check_bad_window(int f, uint32_t nc, uint32_t q, uint64_t off, uint32_t len,
			     int err)
{
	struct igt_neuron_hbo b = igt_neuron_hbo_new(f, MAXLEN);
	struct descs x;
	uint32_t prog;

	memset(b.p, CANARY, b.size);
	build1(&x, 0, 0, WIN, off, len);
	igt_assert_eq(submit_descs(f, q, &b.h, 1, &x, 0, NULL), err);
	igt_assert_eq(program_descs(f, nc, &b.h, 1, &x, &prog), err);
	build1(&x, WIN, off, 0, 0, len);
	igt_assert_eq(submit_descs(f, q, &b.h, 1, &x, 0, NULL), err);
	igt_assert_eq(program_descs(f, nc, &b.h, 1, &x, &prog), err);
	igt_neuron_bo_wait(f, b.h);
	igt_neuron_assert_bytes(b.p, 0, b.size, CANARY, "BO after a refused job");
	igt_neuron_hbo_free(f, &b);
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
		igt_require_f(__acquire(fd, 0x1, 0) == 0, "no NC_ACQUIRE in this kernel\n");
		release(fd, 0x1);
		igt_assert_eq(fdinfo_owned(fd), 0);
	}

	igt_describe("Acquire shows in fdinfo; acquiring an owned core again and a mask "
		     "that includes owned cores succeed; release gives back exactly its mask; "
		     "releasing a core not owned fails with EINVAL and changes nothing.");
	igt_subtest("acquire-release") {
		acquire(fd, 0x1);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x1);
		acquire(fd, 0x1);
		acquire(fd, 0x3);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x3);
		release(fd, 0x1);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x2);
		igt_assert_eq(__release(fd, 0x1, 0), -EINVAL);
		igt_assert_eq(__release(fd, 0x3, 0), -EINVAL);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x2);
		acquire(fd, ALL_NCS);
		igt_assert_eq_u32(fdinfo_owned(fd), ALL_NCS);
		release(fd, ALL_NCS);
		igt_assert_eq_u32(fdinfo_owned(fd), 0);
		igt_assert_eq_u32(sysfs_owned_mask(), 0);
	}

	igt_describe("Zero masks, masks naming a NeuronCore past 3, non-zero flags and pads "
		     "fail with EINVAL and take nothing.");
	igt_subtest("invalid-masks") {
		const uint32_t bad[] = { 0, 1u << V1_NC_PER_DEVICE, 0x11, 0x80000000u, ~0u };

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			igt_assert_eq(__acquire(fd, bad[i], 0), -EINVAL);
			igt_assert_eq(__release(fd, bad[i], 0), -EINVAL);
		}
		igt_assert_eq(__acquire(fd, 0x1, 1), -EINVAL);
		igt_assert_eq(__acquire(fd, 0x1, 0x80000000u), -EINVAL);
		igt_assert_eq_u32(fdinfo_owned(fd), 0);
		acquire(fd, 0x1);
		igt_assert_eq(__release(fd, 0x1, 1), -EINVAL);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x1);
		release(fd, 0x1);
		igt_assert_eq_u32(sysfs_owned_mask(), 0);
	}

	igt_describe("Another file's acquire of an owned core fails with EBUSY, all or "
		     "none: a mask with one owned core takes none of the free ones; it "
		     "may take the free ones alone and cannot release the other's.");
	igt_subtest("busy-all-or-none") {
		int b = open_b();

		acquire(fd, 0x2);
		igt_assert_eq(__acquire(b, 0x2, 0), -EBUSY);
		igt_assert_eq(__acquire(b, 0x3, 0), -EBUSY);
		igt_assert_eq(__acquire(b, ALL_NCS, 0), -EBUSY);
		igt_assert_eq_u32(fdinfo_owned(b), 0);
		igt_assert_eq_u32(sysfs_owned_mask(), 0x2);
		igt_assert_eq(__release(b, 0x2, 0), -EINVAL);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x2);
		acquire(b, 0xd);
		igt_assert_eq_u32(fdinfo_owned(b), 0xd);
		igt_assert_eq(__acquire(fd, 0x1, 0), -EBUSY);
		igt_assert_eq(__acquire(fd, 0x3, 0), -EBUSY);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x2);
		igt_assert_eq_u32(sysfs_owned_mask(), ALL_NCS);
		release(b, 0x1);
		acquire(fd, 0x1);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x3);
		release(fd, 0x3);
		release(b, 0xc);
		igt_assert_eq_u32(sysfs_owned_mask(), 0);
		close(b);
	}

	igt_describe("Closing the owner's file releases its cores: another file then "
		     "acquires all of them.");
	igt_subtest("release-on-close") {
		int a = open_b(), b = open_b();

		acquire(a, ALL_NCS);
		igt_assert_eq(__acquire(b, 0x8, 0), -EBUSY);
		close(a);
		igt_assert_eq_u32(sysfs_owned_mask(), 0);
		acquire(b, ALL_NCS);
		igt_assert_eq_u32(fdinfo_owned(b), ALL_NCS);
		close(b);
		igt_assert_eq_u32(sysfs_owned_mask(), 0);
	}

	igt_describe("A process that acquired cores and is SIGKILLed gives them back: "
		     "its cores are EBUSY while it lives, sysfs names its pid, and after "
		     "it is reaped the parent acquires them.");
	igt_subtest("release-on-kill") {
		int pipefd[2], status;
		char c;
		pid_t pid;

		igt_assert_eq(pipe(pipefd), 0);
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			int f = igt_neuron_open(node.minor);

			close(pipefd[0]);
			c = __acquire(f, 0x6, 0) == 0 ? 'y' : 'n';
			CHILD_CHECK(write(pipefd[1], &c, 1) == 1, 2);
			for (;;)
				pause();
		}
		close(pipefd[1]);
		igt_assert_eq(read(pipefd[0], &c, 1), 1);
		igt_assert_eq(c, 'y');
		close(pipefd[0]);
		igt_assert_eq(__acquire(fd, 0x2, 0), -EBUSY);
		igt_assert_eq(__acquire(fd, 0x4, 0), -EBUSY);
		{
			struct owner o[V1_NC_PER_DEVICE];

			sysfs_owners(o);
			igt_assert(o[1].owned && o[2].owned && !o[0].owned && !o[3].owned);
			igt_assert_eq(o[1].pid, pid);
			igt_assert_eq(o[2].pid, pid);
		}
		igt_assert_eq(kill(pid, SIGKILL), 0);
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		acquire(fd, 0x6);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x6);
		release(fd, 0x6);
	}

	igt_describe("The owner moves data host -> NeuronCore window -> host byte-exact: "
		     "at the window's start and end, an odd offset, around the PE FIFO "
		     "(data without the model's record magic), right below and above the "
		     "control views, 64 KiB descriptors, multi-descriptor packets split "
		     "differently on the two sides, several packets.");
	igt_subtest_with_dynamic("window-roundtrip") {
		for (size_t i = 0; i < ARRAY_SIZE(window_cases); i++) {
			const struct window_case *w = &window_cases[i];

			igt_dynamic(w->name) {
				uint32_t q;

				acquire(fd, 1u << w->nc);
				q = queue_create(fd, w->nc, 0, 3);
				roundtrip(fd, q, w->woff, w->len, w->txc, w->rxc, w->boff, 1000 + i);
				queue_destroy(fd, q);
				release(fd, 1u << w->nc);
			}
		}
	}

	igt_describe("The four windows are distinct: the same offset of NC 1 and NC 2 "
		     "holds each core's own data, and a window keeps its data across a "
		     "release and a new acquire by another file.");
	igt_subtest("window-per-core") {
		struct igt_neuron_hbo s1 = igt_neuron_hbo_new(fd, 8192);
		struct igt_neuron_hbo s2 = igt_neuron_hbo_new(fd, 8192);
		struct igt_neuron_hbo d = igt_neuron_hbo_new(fd, 8192);
		uint32_t q1, q2, qb;
		struct descs x;
		int b;

		acquire(fd, 0x6);
		q1 = queue_create(fd, 1, 1, 4);
		q2 = queue_create(fd, 2, 1, 4);
		igt_neuron_random_fill(s1.p, 8192, 11);
		igt_neuron_random_fill(s2.p, 8192, 22);
		build1(&x, 0, 0, WIN, 0x800000, 8192);
		run_descs(fd, q1, &s1.h, 1, &x);
		run_descs(fd, q2, &s2.h, 1, &x);
		build1(&x, WIN, 0x800000, 0, 0, 8192);
		run_descs(fd, q1, &d.h, 1, &x);
		igt_neuron_assert_same(d.p, s1.p, 8192, "NC 1's window");
		run_descs(fd, q2, &d.h, 1, &x);
		igt_neuron_assert_same(d.p, s2.p, 8192, "NC 2's window");
		queue_destroy(fd, q1);
		queue_destroy(fd, q2);
		release(fd, 0x6);

		b = open_b();
		{
			struct igt_neuron_hbo bd = igt_neuron_hbo_new(b, 8192);

			acquire(b, 0x2);
			qb = queue_create(b, 1, 2, 5);
			run_descs(b, qb, &bd.h, 1, &x);
			igt_neuron_assert_same(bd.p, s1.p, 8192, "NC 1's window, next owner");
			queue_destroy(b, qb);
			igt_neuron_hbo_free(b, &bd);
		}
		close(b);
		igt_neuron_hbo_free(fd, &s1);
		igt_neuron_hbo_free(fd, &s2);
		igt_neuron_hbo_free(fd, &d);
	}

	igt_describe("A window descriptor of a core the caller does not own fails with "
		     "EACCES in SUBMIT and PROGRAM_CREATE, TX and RX, whether another "
		     "file owns the core or nobody does, and moves nothing.");
	igt_subtest("window-not-owner") {
		int b = open_b();
		struct igt_neuron_hbo bo = igt_neuron_hbo_new(b, 4096);
		uint32_t qb = queue_create(b, 0, 0, 6), prog;
		struct descs rx, tx;

		memset(bo.p, CANARY, 4096);
		build1(&rx, 0, 0, WIN, 0x1000, 4096);
		build1(&tx, WIN, 0x1000, 0, 0, 4096);
		for (int owned = 0; owned < 2; owned++) {
			if (owned)
				acquire(fd, 0x1);
			igt_assert_eq(submit_descs(b, qb, &bo.h, 1, &rx, 0, NULL), -EACCES);
			igt_assert_eq(submit_descs(b, qb, &bo.h, 1, &tx, 0, NULL), -EACCES);
			igt_assert_eq(program_descs(b, 0, &bo.h, 1, &rx, &prog), -EACCES);
			igt_assert_eq(program_descs(b, 0, &bo.h, 1, &tx, &prog), -EACCES);
		}
		igt_neuron_bo_wait(b, bo.h);
		igt_neuron_assert_bytes(bo.p, 0, 4096, CANARY, "non-owner's BO");
		release(fd, 0x1);
		queue_destroy(b, qb);
		igt_neuron_hbo_free(b, &bo);
		close(b);
	}

	igt_describe("The owner of NC 1 cannot reach NC 0's window: a window descriptor on "
		     "a queue of NC 0 and a program for NC 0 fail with EACCES, the same "
		     "on NC 1 work.");
	igt_subtest("window-other-core") {
		struct igt_neuron_hbo bo = igt_neuron_hbo_new(fd, 4096);
		uint32_t q0 = queue_create(fd, 0, 1, 7), q1 = queue_create(fd, 1, 1, 7), prog;
		struct descs rx, tx;

		acquire(fd, 0x2);
		igt_neuron_random_fill(bo.p, 4096, 5);
		build1(&rx, 0, 0, WIN, 0x2000, 4096);
		build1(&tx, WIN, 0x2000, 0, 0, 4096);
		igt_assert_eq(submit_descs(fd, q0, &bo.h, 1, &rx, 0, NULL), -EACCES);
		igt_assert_eq(submit_descs(fd, q0, &bo.h, 1, &tx, 0, NULL), -EACCES);
		igt_assert_eq(program_descs(fd, 0, &bo.h, 1, &rx, &prog), -EACCES);
		igt_assert_eq(program_descs(fd, 0, &bo.h, 1, &tx, &prog), -EACCES);
		run_descs(fd, q1, &bo.h, 1, &rx);
		igt_assert_eq(program_descs(fd, 1, &bo.h, 1, &tx, &prog), 0);
		igt_assert_eq(submit_program(fd, q0, prog, 0), -EINVAL);	/* NC 1's program */
		program_destroy(fd, prog);
		release(fd, 0x2);
		queue_destroy(fd, q0);
		queue_destroy(fd, q1);
		igt_neuron_hbo_free(fd, &bo);
	}

	igt_describe("Window descriptors over the control views or past the window's end "
		     "fail with EINVAL (TX and RX, SUBMIT and PROGRAM_CREATE), even for a "
		     "non-owner; the semaphores are unchanged.");
	igt_subtest_with_dynamic("window-bad-range") {
		for (size_t i = 0; i < ARRAY_SIZE(bad_windows); i++) {
			igt_dynamic(bad_windows[i].name) {
				uint32_t q = queue_create(fd, 1, 2, 8);
				int32_t v = 1234;

				acquire(fd, 0x2);
				igt_assert_eq(__sem(fd, 1, 0, DRM_NEURON_SYNC_OP_SET, &v), 0);
				check_bad_window(fd, 1, q, bad_windows[i].off, bad_windows[i].len,
						 -EINVAL);
				igt_assert_eq(sem_read(fd, 1, 0), 1234);
				release(fd, 0x2);
				check_bad_window(fd, 1, q, bad_windows[i].off, bad_windows[i].len,
						 -EINVAL);
				igt_assert_eq(__sem(fd, 1, 0, DRM_NEURON_SYNC_OP_SET, &(int32_t){0}), 0);
				queue_destroy(fd, q);
			}
		}
	}

	igt_describe("Ranges exactly at the boundaries are accepted: ending at the control "
		     "views' start, starting at their end, ending at the window's end; "
		     "they round trip.");
	igt_subtest("window-boundaries") {
		uint32_t q;

		acquire(fd, 0x8);
		q = queue_create(fd, 3, 0, 9);
		roundtrip(fd, q, CTL_START - 4, 4, 4, 4, 0, 77);
		roundtrip(fd, q, CTL_END, 4, 4, 4, 0, 78);
		roundtrip(fd, q, WSIZE - 4, 4, 4, 4, 0, 79);
		roundtrip(fd, q, CTL_START - 0x1000, 0x1000, 0x400, 0x1000, 0, 80);
		queue_destroy(fd, q);
		release(fd, 0x8);
	}

	igt_describe("While another file owns a core, a client's FIFO descriptor, semaphore "
		     "SET/INCR/DECR, event SET and NOTIFY/TRACE/EVENT queues fail with "
		     "EACCES while semaphore and event READs and ERROR views work; the owner "
		     "does all of them; after the release they work for everyone again.");
	igt_subtest("non-owner-refused") {
		int b = open_b(), nq;
		struct igt_neuron_hbo bo = igt_neuron_hbo_new(b, 4096);
		uint32_t qb = queue_create(b, 2, 0, 10), prog = 0, val;
		struct descs fifo;
		int32_t v;
		int ret;

		memset(bo.p, 0, 4096);	/* zero opcodes: plain data in the FIFO */
		build1(&fifo, 0, 0, FIFO_IDX, 0, 64);
		acquire(fd, 0x4);
		v = 42;
		igt_assert_eq(__sem(fd, 2, 3, DRM_NEURON_SYNC_OP_SET, &v), 0);
		val = 1;
		igt_assert_eq(__event(fd, 2, 9, DRM_NEURON_SYNC_OP_SET, &val), 0);

		igt_assert_eq(submit_descs(b, qb, &bo.h, 1, &fifo, 0, NULL), -EACCES);
		ret = program_descs(b, 2, &bo.h, 1, &fifo, &prog);
		igt_assert_f(ret == -EACCES || ret == 0, "PROGRAM_CREATE: %d\n", ret);
		if (!ret) {
			igt_assert_eq(submit_program(b, qb, prog, 0), -EACCES);
			program_destroy(b, prog);
		}
		for (uint32_t op = DRM_NEURON_SYNC_OP_SET; op <= DRM_NEURON_SYNC_OP_DECR; op++) {
			v = 7;
			igt_assert_eq(__sem(b, 2, 3, op, &v), -EACCES);
		}
		val = 0;
		igt_assert_eq(__event(b, 2, 9, DRM_NEURON_SYNC_OP_SET, &val), -EACCES);
		igt_assert_eq(sem_read(b, 2, 3), 42);
		igt_assert_eq(__event(b, 2, 9, DRM_NEURON_SYNC_OP_READ, &val), 0);
		igt_assert_eq_u32(val, 1);
		igt_assert_eq(__nq_create(b, 2, DRM_NEURON_NQ_NOTIFY, 0, &nq), -EACCES);
		igt_assert_eq(__nq_create(b, 2, DRM_NEURON_NQ_TRACE, 1, &nq), -EACCES);
		igt_assert_eq(__nq_create(b, 2, DRM_NEURON_NQ_EVENT, 0, &nq), -EACCES);
		igt_assert_eq(__nq_create(b, 2, DRM_NEURON_NQ_ERROR, 0, &nq), 0);
		close(nq);
		/* The other cores stay shared. */
		v = 5;
		igt_assert_eq(__sem(b, 1, 3, DRM_NEURON_SYNC_OP_SET, &v), 0);
		igt_assert_eq(sem_read(fd, 1, 3), 5);
		igt_assert_eq(__nq_create(b, 1, DRM_NEURON_NQ_NOTIFY, 0, &nq), 0);
		close(nq);

		/* The owner may. */
		v = 1;
		igt_assert_eq(__sem(fd, 2, 3, DRM_NEURON_SYNC_OP_INCR, &v), 0);
		igt_assert_eq(sem_read(fd, 2, 3), 43);
		igt_assert_eq(__nq_create(fd, 2, DRM_NEURON_NQ_NOTIFY, 0, &nq), 0);
		close(nq);
		{
			uint32_t qa = queue_create(fd, 2, 0, 10);
			struct igt_neuron_hbo abo = igt_neuron_hbo_new(fd, 4096);

			memset(abo.p, 0, 4096);
			run_descs(fd, qa, &abo.h, 1, &fifo);
			queue_destroy(fd, qa);
			igt_neuron_hbo_free(fd, &abo);
		}

		release(fd, 0x4);
		run_descs(b, qb, &bo.h, 1, &fifo);
		v = 0;
		igt_assert_eq(__sem(b, 2, 3, DRM_NEURON_SYNC_OP_SET, &v), 0);
		igt_assert_eq(__sem(b, 1, 3, DRM_NEURON_SYNC_OP_SET, &v), 0);
		val = 0;
		igt_assert_eq(__event(b, 2, 9, DRM_NEURON_SYNC_OP_SET, &val), 0);
		igt_assert_eq(__nq_create(b, 2, DRM_NEURON_NQ_NOTIFY, 0, &nq), 0);
		close(nq);
		queue_destroy(b, qb);
		igt_neuron_hbo_free(b, &bo);
		close(b);
	}

	igt_describe("While A owns NC 0 and streams window jobs on a queue of it, B's "
		     "COPY on NC 0's copy engine and SUBMITs of BO-to-BO jobs on the same "
		     "hardware queue work byte-exact, and so do A's.");
	igt_subtest("shared-dma") {
		int b = open_b();
		struct igt_neuron_hbo bs = igt_neuron_hbo_new(b, 1 << 20);
		struct igt_neuron_hbo bd = igt_neuron_hbo_new(b, 1 << 20);
		struct igt_neuron_hbo bc = igt_neuron_hbo_new(b, 1 << 20);
		uint32_t qa, qb = queue_create(b, 0, 1, 11), sb = igt_neuron_syncobj(b);
		struct drm_neuron_copy cp = {
			.dst_handle = bc.h, .src_handle = bs.h, .size = 1 << 20, .nc = 0,
		};
		struct descs x;

		acquire(fd, 0x1);
		qa = queue_create(fd, 0, 1, 11);
		igt_neuron_random_fill(bs.p, bs.size, 31);
		memset(bd.p, CANARY, bd.size);
		memset(bc.p, CANARY, bc.size);
		for (int i = 0; i < 16; i++) {
			uint32_t bos[2] = { bs.h, bd.h };
			struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, MAXLEN);

			igt_neuron_random_fill(a.p, MAXLEN, 300 + i);
			build1(&x, 0, 0, WIN, 0x1000000 + i * MAXLEN, MAXLEN);
			igt_assert_eq(submit_descs(fd, qa, &a.h, 1, &x, 0, NULL), 0);
			build(&x, 0, i * MAXLEN, 1, i * MAXLEN, MAXLEN, MAXLEN, MAXLEN);
			igt_assert_eq(submit_descs(b, qb, bos, 2, &x, i == 15 ? sb : 0, NULL), 0);
			igt_neuron_hbo_free(fd, &a);
		}
		igt_assert_eq(ioctl(b, DRM_IOCTL_NEURON_COPY, &cp), 0);
		igt_neuron_syncobj_wait(b, sb);
		igt_assert_eq(igt_neuron_syncobj_status(b, sb), 1);
		igt_neuron_bo_wait(b, bc.h);
		igt_neuron_assert_same(bd.p, bs.p, 16 * MAXLEN, "B's SUBMITs on NC 0");
		igt_neuron_assert_same(bc.p, bs.p, bc.size, "B's COPY on NC 0");
		/* A's window data landed too. */
		for (int i = 0; i < 16; i += 5) {
			struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, MAXLEN);
			struct igt_neuron_hbo want = igt_neuron_hbo_new(fd, MAXLEN);

			igt_neuron_random_fill(want.p, MAXLEN, 300 + i);
			build1(&x, WIN, 0x1000000 + i * MAXLEN, 0, 0, MAXLEN);
			run_descs(fd, qa, &a.h, 1, &x);
			igt_neuron_assert_same(a.p, want.p, MAXLEN, "A's window data");
			igt_neuron_hbo_free(fd, &a);
			igt_neuron_hbo_free(fd, &want);
		}
		release(fd, 0x1);
		queue_destroy(fd, qa);
		queue_destroy(b, qb);
		drmSyncobjDestroy(b, sb);
		igt_neuron_hbo_free(b, &bs);
		igt_neuron_hbo_free(b, &bd);
		igt_neuron_hbo_free(b, &bc);
		close(b);
	}

	igt_describe("A window program built while owning the core fails with EACCES when "
		     "submitted after the release (and while another file owns the core), "
		     "and runs again once the core is acquired again.");
	igt_subtest("program-after-release") {
		struct igt_neuron_hbo s = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo d = igt_neuron_hbo_new(fd, 4096);
		uint32_t q = queue_create(fd, 1, 0, 12), prog, sync = igt_neuron_syncobj(fd);
		struct descs x;
		int b;

		acquire(fd, 0x2);
		igt_neuron_random_fill(s.p, 4096, 55);
		build1(&x, 0, 0, WIN, 0x3000, 4096);
		igt_assert_eq(program_descs(fd, 1, &s.h, 1, &x, &prog), 0);
		igt_assert_eq(submit_program(fd, q, prog, sync), 0);
		igt_neuron_syncobj_wait(fd, sync);
		igt_assert_eq(igt_neuron_syncobj_status(fd, sync), 1);
		release(fd, 0x2);
		igt_assert_eq(submit_program(fd, q, prog, 0), -EACCES);
		b = open_b();
		acquire(b, 0x2);
		igt_assert_eq(submit_program(fd, q, prog, 0), -EACCES);
		close(b);
		acquire(fd, 0x2);
		igt_assert_eq(submit_program(fd, q, prog, sync), 0);
		igt_neuron_syncobj_wait(fd, sync);
		igt_assert_eq(igt_neuron_syncobj_status(fd, sync), 1);
		build1(&x, WIN, 0x3000, 0, 0, 4096);
		run_descs(fd, q, &d.h, 1, &x);
		igt_neuron_assert_same(d.p, s.p, 4096, "window after the program");
		release(fd, 0x2);
		program_destroy(fd, prog);
		queue_destroy(fd, q);
		drmSyncobjDestroy(fd, sync);
		igt_neuron_hbo_free(fd, &s);
		igt_neuron_hbo_free(fd, &d);
	}

	igt_describe("The owner streams 48 window jobs of 64 KiB on two queues and releases "
		     "at once: when the release returns, every one of its fences has "
		     "signalled without error.");
	igt_subtest("release-waits") {
		enum { JOBS = 48 };
		struct igt_neuron_hbo s = igt_neuron_hbo_new(fd, MAXLEN);
		int sf[JOBS], pending = 0;
		uint32_t q[2];
		struct descs x;

		acquire(fd, 0x8);
		q[0] = queue_create(fd, 3, 0, 13);
		q[1] = queue_create(fd, 3, 2, 13);
		igt_neuron_random_fill(s.p, MAXLEN, 66);
		for (int i = 0; i < JOBS; i++) {
			build(&x, 0, 0, WIN, 0x100000 * (i % 16), MAXLEN, 0x4000, 0x4000);
			igt_assert_eq(submit_descs(fd, q[i % 2], &s.h, 1, &x, 0, &sf[i]), 0);
		}
		for (int i = 0; i < JOBS; i++)
			pending += igt_neuron_sync_file_status(sf[i]) == 0;
		release(fd, 0x8);
		for (int i = 0; i < JOBS; i++) {
			igt_assert_f(igt_neuron_sync_file_status(sf[i]) == 1,
				     "job %d: status %d after the release\n", i,
				     igt_neuron_sync_file_status(sf[i]));
			close(sf[i]);
		}
		igt_info("%d of %d jobs were pending when the release started\n", pending, JOBS);
		queue_destroy(fd, q[0]);
		queue_destroy(fd, q[1]);
		igt_neuron_hbo_free(fd, &s);
	}

	igt_describe("With the owner's engine stalled, its release does not return (nor "
		     "does another file's acquire of the core) until the stall ends and "
		     "every job of the owner has signalled; then the other file owns it.");
	igt_subtest("release-waits-stalled") {
		enum { JOBS = 4 };
		unsigned int d = igt_neuron_node_emu(&node);
		struct igt_neuron_hbo s = igt_neuron_hbo_new(fd, 4096);
		struct release_thread rt = { .f = fd, .mask = 0x4 };
		struct acquire_thread at = { .mask = 0x4 };
		pthread_t rth, ath;
		int sf[JOBS], b = open_b();
		uint32_t q;
		struct descs x;
		uint64_t bells;

		at.f = b;
		at.sync_files = sf;
		at.nfences = JOBS;
		acquire(fd, 0x4);
		q = queue_create(fd, 2, 1, 14);
		igt_neuron_random_fill(s.p, 4096, 67);
		build1(&x, 0, 0, WIN, 0x5000, 4096);
		bells = igt_neuron_emu_counter(d, "doorbells");
		igt_assert_eq(igt_neuron_emu_fault(d, "queue_stall", V1_ENG_ID(2, 1)), 0);
		for (int i = 0; i < JOBS; i++)
			igt_assert_eq(submit_descs(fd, q, &s.h, 1, &x, 0, &sf[i]), 0);
		wait_doorbells(d, bells + 2);
		igt_assert_eq(pthread_create(&rth, NULL, release_fn, &rt), 0);
		usleep(100000);
		igt_assert_eq(pthread_create(&ath, NULL, acquire_fn, &at), 0);
		usleep(400000);
		igt_assert_f(!atomic_load(&rt.done), "release returned with the engine stalled\n");
		igt_assert_f(!atomic_load(&at.done), "acquire returned during the release\n");
		igt_assert_eq(igt_neuron_sync_file_status(sf[0]), 0);
		igt_neuron_node_clear_faults(&node);
		pthread_join(rth, NULL);
		pthread_join(ath, NULL);
		igt_assert_eq(rt.ret, 0);
		igt_assert_eq(at.ret, 0);
		igt_assert_eq(at.unsignalled, 0);
		for (int i = 0; i < JOBS; i++) {
			igt_assert_eq(igt_neuron_sync_file_status(sf[i]), 1);
			close(sf[i]);
		}
		igt_assert_eq_u32(fdinfo_owned(b), 0x4);
		igt_assert_eq_u32(fdinfo_owned(fd), 0);
		close(b);
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &s);
	}

	igt_describe("fdinfo neuron-nc-owned, sysfs and debugfs nc_owners name the owner "
		     "(client id, pid, comm) of each core, another process's cores with its "
		     "pid, and '-' after the release.");
	igt_subtest("owners-visible") {
		char comm[32], dir[256], path[300], buf[1024], want[128];
		struct owner o[V1_NC_PER_DEVICE];
		uint64_t id = fdinfo_client_id(fd);
		int pipefd[2], gofd[2];
		pid_t pid;
		char c;

		self_comm(comm, sizeof(comm));
		acquire(fd, 0x5);
		igt_assert_eq_u32(fdinfo_owned(fd), 0x5);
		sysfs_owners(o);
		for (int i = 0; i < V1_NC_PER_DEVICE; i++) {
			igt_assert_eq(o[i].owned, (i == 0 || i == 2));
			if (!o[i].owned)
				continue;
			igt_assert_eq_u64(o[i].client, id);
			igt_assert_eq(o[i].pid, getpid());
			igt_assert_f(!strcmp(o[i].comm, comm), "comm %s, want %s\n",
				     o[i].comm, comm);
		}
		if (igt_neuron_debugfs_dir(node.pci_addr, dir, sizeof(dir))) {
			snprintf(path, sizeof(path), "%s/nc_owners", dir);
			igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
			snprintf(want, sizeof(want), "nc0: client %" PRIu64 " pid %d %s\n",
				 id, getpid(), comm);
			igt_assert_f(strstr(buf, want), "debugfs nc_owners:\n%s", buf);
			igt_assert_f(strstr(buf, "nc1: -\n"), "debugfs nc_owners:\n%s", buf);
		} else {
			igt_info("no debugfs: checked sysfs and fdinfo only\n");
		}

		/* Another process's core: its pid. */
		igt_assert_eq(pipe(pipefd), 0);
		igt_assert_eq(pipe(gofd), 0);
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			int f = igt_neuron_open(node.minor);

			c = __acquire(f, 0x2, 0) == 0 ? 'y' : 'n';
			CHILD_CHECK(write(pipefd[1], &c, 1) == 1, 2);
			CHILD_CHECK(read(gofd[0], &c, 1) == 1, 3);
			_exit(0);	/* close releases */
		}
		igt_assert_eq(read(pipefd[0], &c, 1), 1);
		igt_assert_eq(c, 'y');
		sysfs_owners(o);
		igt_assert(o[1].owned);
		igt_assert_eq(o[1].pid, pid);
		igt_assert_neq_u64(o[1].client, id);
		igt_assert_eq_u32(sysfs_mask_of(id, getpid()), 0x5);
		igt_assert_eq(write(gofd[1], "x", 1), 1);
		wait_child(pid);
		close(pipefd[0]);
		close(pipefd[1]);
		close(gofd[0]);
		close(gofd[1]);

		release(fd, 0x5);
		igt_assert_eq_u32(fdinfo_owned(fd), 0);
		igt_assert_eq_u32(sysfs_owned_mask(), 0);
		if (igt_neuron_debugfs_dir(node.pci_addr, dir, sizeof(dir))) {
			igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
			for (int i = 0; i < V1_NC_PER_DEVICE; i++) {
				snprintf(want, sizeof(want), "nc%d: -\n", i);
				igt_assert_f(strstr(buf, want), "debugfs nc_owners:\n%s", buf);
			}
		}
	}

	igt_describe("An unprivileged process (uid 65534) gets the same answers as any "
		     "other client against root's core: EBUSY, EACCES for window, FIFO, "
		     "semaphore, event and notification access, EINVAL releasing it; it "
		     "owns and uses a free core, and root's data is untouched.");
	igt_subtest("unprivileged") {
		struct igt_neuron_hbo s = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo d = igt_neuron_hbo_new(fd, 4096);
		uint32_t q = queue_create(fd, 0, 2, 1);
		struct descs x;
		int32_t v = 99;
		pid_t pid;

		acquire(fd, 0x1);
		igt_neuron_random_fill(s.p, 4096, 88);
		build1(&x, 0, 0, WIN, 0x7000, 4096);
		run_descs(fd, q, &s.h, 1, &x);
		igt_assert_eq(__sem(fd, 0, 5, DRM_NEURON_SYNC_OP_SET, &v), 0);
		open_node_to_all();
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			char path[64];
			struct drm_neuron_bo_create bc = { .size = 8192,
							   .domain = DRM_NEURON_BO_DOMAIN_HOST,
							   .dram_channel = DRM_NEURON_ANY,
							   .dram_nc = DRM_NEURON_ANY };
			struct drm_neuron_bo_info bi = {};
			struct descs cx;
			uint32_t cq, prog, sync = 0;
			int32_t cv = 1;
			int f, nq, st;
			uint8_t *p;

			drop_privileges();
			node_path(path, sizeof(path));
			f = open(path, O_RDWR | O_CLOEXEC);
			CHILD_CHECK(f >= 0, 1);
			CHILD_CHECK(__acquire(f, 0x1, 0) == -EBUSY, 2);
			CHILD_CHECK(__acquire(f, 0x3, 0) == -EBUSY, 3);
			CHILD_CHECK(__release(f, 0x1, 0) == -EINVAL, 4);
			CHILD_CHECK(__sem(f, 0, 5, DRM_NEURON_SYNC_OP_SET, &cv) == -EACCES, 5);
			CHILD_CHECK(__sem(f, 0, 5, DRM_NEURON_SYNC_OP_READ, &cv) == 0 && cv == 99, 6);
			CHILD_CHECK(__event(f, 0, 1, DRM_NEURON_SYNC_OP_SET, &(uint32_t){1}) ==
				    -EACCES, 7);
			CHILD_CHECK(__nq_create(f, 0, DRM_NEURON_NQ_NOTIFY, 0, &nq) == -EACCES, 8);
			CHILD_CHECK(ioctl(f, DRM_IOCTL_NEURON_BO_CREATE, &bc) == 0, 9);
			CHILD_CHECK(__queue_create(f, 0, 2, 1, &cq) == 0, 10);
			build1(&cx, WIN, 0x7000, 0, 0, 4096);
			CHILD_CHECK(submit_descs(f, cq, &bc.handle, 1, &cx, 0, NULL) == -EACCES, 11);
			CHILD_CHECK(program_descs(f, 0, &bc.handle, 1, &cx, &prog) == -EACCES, 12);
			build1(&cx, 0, 0, WIN, 0x7000, 4096);
			CHILD_CHECK(submit_descs(f, cq, &bc.handle, 1, &cx, 0, NULL) == -EACCES, 13);
			/* Its own core: window round trip through its BO. */
			CHILD_CHECK(__acquire(f, 0x2, 0) == 0, 14);
			CHILD_CHECK(__queue_create(f, 1, 2, 1, &cq) == 0, 15);
			bi.handle = bc.handle;
			CHILD_CHECK(ioctl(f, DRM_IOCTL_NEURON_BO_INFO, &bi) == 0, 24);
			p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, f, bi.mmap_offset);
			CHILD_CHECK(p != MAP_FAILED, 16);
			for (int i = 0; i < 4096; i++)
				p[i] = (uint8_t)(i * 7 + 3);
			memset(p + 4096, 0, 4096);
			CHILD_CHECK(drmSyncobjCreate(f, 0, &sync) == 0, 17);
			build1(&cx, 0, 0, WIN, 0x9000, 4096);
			CHILD_CHECK(submit_descs(f, cq, &bc.handle, 1, &cx, sync, NULL) == 0, 18);
			CHILD_CHECK(drmSyncobjWait(f, &sync, 1, INT64_MAX, 0, NULL) == 0, 19);
			build1(&cx, WIN, 0x9000, 0, 4096, 4096);
			CHILD_CHECK(submit_descs(f, cq, &bc.handle, 1, &cx, sync, NULL) == 0, 20);
			CHILD_CHECK(drmSyncobjWait(f, &sync, 1, INT64_MAX, 0, NULL) == 0, 21);
			CHILD_CHECK(!memcmp(p, p + 4096, 4096), 22);
			st = __nc_reset(f, 0x1, 0);
			/* Another client's core: EPERM without CAP_SYS_ADMIN, once implemented. */
			CHILD_CHECK(st == -EPERM || st == -EINVAL || st == -ENOTTY, 23);
			_exit(0);
		}
		wait_child(pid);
		restore_mode();
		igt_assert_eq(sem_read(fd, 0, 5), 99);
		build1(&x, WIN, 0x7000, 0, 0, 4096);
		run_descs(fd, q, &d.h, 1, &x);
		igt_neuron_assert_same(d.p, s.p, 4096, "root's window after the child");
		igt_assert_eq_u32(sysfs_owned_mask(), 0x1);
		v = 0;
		igt_assert_eq(__sem(fd, 0, 5, DRM_NEURON_SYNC_OP_SET, &v), 0);
		release(fd, 0x1);
		queue_destroy(fd, q);
		igt_neuron_hbo_free(fd, &s);
		igt_neuron_hbo_free(fd, &d);
	}

	igt_describe("NC_RESET (skipped until the kernel implements it): invalid masks and "
		     "flags fail with EINVAL; the owner resets its core, which clears its "
		     "window and semaphores and fails nothing on other cores; another "
		     "core's window data stays.");
	igt_subtest("nc-reset") {
		struct igt_neuron_hbo s = igt_neuron_hbo_new(fd, 4096);
		struct igt_neuron_hbo d = igt_neuron_hbo_new(fd, 4096);
		uint32_t q2, q3;
		struct descs x;
		int32_t v = 17;
		int ret;

		acquire(fd, 0xc);
		q2 = queue_create(fd, 2, 0, 2);
		q3 = queue_create(fd, 3, 0, 2);
		igt_neuron_random_fill(s.p, 4096, 99);
		build1(&x, 0, 0, WIN, 0xa000, 4096);
		run_descs(fd, q2, &s.h, 1, &x);
		run_descs(fd, q3, &s.h, 1, &x);
		igt_assert_eq(__sem(fd, 2, 4, DRM_NEURON_SYNC_OP_SET, &v), 0);
		ret = __nc_reset(fd, 0x4, 0);
		if (ret) {
			release(fd, 0xc);
			queue_destroy(fd, q2);
			queue_destroy(fd, q3);
			igt_neuron_hbo_free(fd, &s);
			igt_neuron_hbo_free(fd, &d);
			igt_skip("NC_RESET is not implemented (%s)\n", strerror(-ret));
		}
		igt_assert_eq(__nc_reset(fd, 0, 0), -EINVAL);
		igt_assert_eq(__nc_reset(fd, 0x10, 0), -EINVAL);
		igt_assert_eq(__nc_reset(fd, 0x4, 1), -EINVAL);
		igt_assert_eq(sem_read(fd, 2, 4), 0);
		build1(&x, WIN, 0xa000, 0, 0, 4096);
		memset(d.p, CANARY, 4096);
		run_descs(fd, q3, &d.h, 1, &x);
		igt_neuron_assert_same(d.p, s.p, 4096, "NC 3's window after NC 2's reset");
		memset(d.p, CANARY, 4096);
		run_descs(fd, q2, &d.h, 1, &x);
		igt_neuron_assert_bytes(d.p, 0, 4096, 0, "NC 2's window after its reset");
		release(fd, 0xc);
		queue_destroy(fd, q2);
		queue_destroy(fd, q3);
		igt_neuron_hbo_free(fd, &s);
		igt_neuron_hbo_free(fd, &d);
	}

	igt_fixture {
		igt_assert_eq_u32(fdinfo_owned(fd), 0);
		close(fd);
	}
}
