// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Argument validation and cross-engine ordering at their edges, written to
 * catch the small bugs a developer plausibly makes (issue 12, item 7; the
 * mutants of scripts/mutants are the measure):
 *
 * - ranges of device BOs end at their 256-byte-granule size, not at the
 *   page-rounded GEM size behind them: for COPY (source and destination),
 *   FILL, SUBMIT and PROGRAM_CREATE (TX and RX), a range ending at the size
 *   is accepted and runs, one ending a byte later is refused;
 * - a COPY inside one BO is refused when the ranges overlap in either
 *   order, accepted (and byte-exact) when they only touch;
 * - jobs on different engines and NeuronCores order through the BOs'
 *   reservation objects: the clear of a new device BO against a read and a
 *   write on another NeuronCore's copy engine, a SUBMIT's writes and reads
 *   against later COPY/FILL jobs and the other way round, each with the
 *   first job held on an engine stalled in the model;
 * - every block of the FWIO_READ allow-list: its first and last word read,
 *   the words just outside it are refused with EACCES;
 * - every pad, flags and reserved field of every ioctl argument (nested
 *   sync entries and descriptors included), one at a time, is refused with
 *   EINVAL while the same call with the field zero succeeds.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("Validation edges: device BO granule ranges, overlap, cross-engine "
		     "ordering, FWIO allow-list block edges, pad and flags fields.");

#define HOST DRM_NEURON_BO_DOMAIN_HOST
#define DEV DRM_NEURON_BO_DOMAIN_DEVICE
#define ANY DRM_NEURON_ANY
#define FIRST DRM_NEURON_DESC_FIRST
#define LAST DRM_NEURON_DESC_LAST
#define CANARY 0xc3
#define STALL_US 300000		/* well below the driver's 5 s job timeout */
#define COPY_ENGINE(nc)	((nc) * V1_DMA_ENG_PER_NC + 2)	/* engine of the driver's copy queue */

static struct igt_neuron_node node;
static int fd = -1;

/* ---- small helpers ---- */

static int copy_nc(uint32_t dst, uint64_t doff, uint32_t src, uint64_t soff, uint64_t size,
		   uint32_t nc, uint32_t out)
{
	struct drm_neuron_copy c = {
		.src_handle = src, .dst_handle = dst, .src_offset = soff, .dst_offset = doff,
		.size = size, .nc = nc, .out_sync.handle = out,
	};

	return __igt_neuron_copy(fd, &c);
}

static int fill_nc(uint32_t h, uint64_t off, uint64_t size, uint8_t value, uint32_t nc,
		   uint32_t out)
{
	struct drm_neuron_fill f = {
		.handle = h, .offset = off, .size = size, .value = value, .nc = nc,
		.out_sync.handle = out,
	};

	return __igt_neuron_fill(fd, &f);
}

static uint32_t queue_create(uint32_t nc, uint32_t engine, uint32_t queue)
{
	struct drm_neuron_queue_create c = { .nc = nc, .engine = engine, .queue = queue };

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &c), 0);
	igt_assert(c.handle);
	return c.handle;
}

static void queue_destroy(uint32_t h)
{
	struct drm_neuron_queue_destroy d = { .handle = h };

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_DESTROY, &d), 0);
}

static struct drm_neuron_desc desc(uint32_t bo, uint64_t off, uint32_t len, uint32_t flags)
{
	return (struct drm_neuron_desc){ .bo_index = bo, .offset = off, .length = len,
					 .flags = flags };
}

static int __submit(struct drm_neuron_submit *s)
{
	return drmIoctl(fd, DRM_IOCTL_NEURON_SUBMIT, s) ? -errno : 0;
}

/* len bytes of BO a at aoff to BO b at boff, one packet, on queue q. */
static int submit_copy(uint32_t q, uint32_t a, uint64_t aoff, uint32_t b, uint64_t boff,
		       uint32_t len, uint32_t out)
{
	uint32_t bos[2] = { a, b };
	struct drm_neuron_desc tx = desc(0, aoff, len, FIRST | LAST);
	struct drm_neuron_desc rx = desc(1, boff, len, 0);
	struct drm_neuron_submit s = {
		.queue = q, .bo_handles = (uintptr_t)bos, .bo_count = 2,
		.tx = (uintptr_t)&tx, .tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1,
		.out_sync.handle = out,
	};

	return __submit(&s);
}

static int __program_create(struct drm_neuron_program_create *p)
{
	return drmIoctl(fd, DRM_IOCTL_NEURON_PROGRAM_CREATE, p) ? -errno : 0;
}

/* The same transfer as submit_copy() as a program of NeuronCore nc. */
static int program_copy(uint32_t nc, uint32_t a, uint64_t aoff, uint32_t b, uint64_t boff,
			uint32_t len, uint32_t *handle)
{
	uint32_t bos[2] = { a, b };
	struct drm_neuron_desc tx = desc(0, aoff, len, FIRST | LAST);
	struct drm_neuron_desc rx = desc(1, boff, len, 0);
	struct drm_neuron_program_create p = {
		.nc = nc, .bo_handles = (uintptr_t)bos, .bo_count = 2,
		.tx = (uintptr_t)&tx, .tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1,
	};
	int ret = __program_create(&p);

	if (!ret)
		*handle = p.handle;
	return ret;
}

static void program_destroy(uint32_t h)
{
	struct drm_neuron_program_destroy d = { .handle = h };

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_PROGRAM_DESTROY, &d), 0);
}

static bool syncobj_signalled(uint32_t s)
{
	return drmSyncobjWait(fd, &s, 1, 0, 0, NULL) == 0;
}

static void stall(uint32_t engine)
{
	igt_assert_eq(igt_neuron_emu_fault(igt_neuron_node_emu(&node), "queue_stall", engine), 0);
}

static void unstall(void)
{
	struct neuron_emu_reply r;

	igt_assert_eq(neuron_emu_ctl_cmd(igt_neuron_emu(), &r, "fault %d queue_stall -1",
					 igt_neuron_node_emu(&node)), 0);
}

/* NeuronCore whose DRAM quarter holds a device BO (so whose copy engine clears it). */
static uint32_t bo_nc(uint32_t h)
{
	struct drm_neuron_bo_info info = { .handle = h };

	igt_neuron_bo_info(fd, h, &info);
	igt_assert_eq_u32(info.domain, DEV);
	return (info.dram_address % V1_DRAM_CHANNEL_SIZE) /
	       (V1_DRAM_CHANNEL_SIZE / V1_NC_PER_DEVICE);
}

static uint32_t dev_bo(uint64_t size, uint32_t nc)
{
	struct drm_neuron_bo_create c = {
		.size = size, .domain = DEV, .dram_channel = 0, .dram_nc = nc,
	};

	igt_assert_eq(__igt_neuron_bo_create(fd, &c), 0);
	igt_assert_eq_u64(c.size, size);
	return c.handle;
}

/* Device BO contents into a fresh buffer (caller frees). */
static uint8_t *read_dev(uint32_t h, uint64_t size)
{
	struct igt_neuron_hbo b = igt_neuron_hbo_new(fd, size);
	uint8_t *out = malloc(size);

	igt_assert(out);
	igt_neuron_copy(fd, b.h, 0, h, 0, size, 0);
	igt_neuron_bo_wait(fd, b.h);
	memcpy(out, b.p, size);
	igt_neuron_hbo_free(fd, &b);
	return out;
}

/* ---- ranges at the 256-byte granule ---- */

/*
 * Device BO sizes whose granule size is below the GEM object's page-rounded
 * size, so a check against the GEM size would accept bytes past the end.
 * A host BO (its size is the GEM size) is checked the same way.
 */
static const struct { const char *name; uint32_t domain; uint64_t size; } range_bos[] = {
	{ "device-256", DEV, 256 },
	{ "device-768", DEV, 768 },
	{ "device-4352", DEV, 4096 + 256 },
	{ "device-65792", DEV, 65536 + 256 },
	{ "host-4096", HOST, 4096 },
};

static uint32_t range_bo(int i)
{
	if (range_bos[i].domain == DEV)
		return dev_bo(range_bos[i].size, ANY);
	return igt_neuron_bo_create(fd, HOST, range_bos[i].size);
}

/* The last len bytes of the BO (len <= its size). */
#define TAIL(size, len) ((size) - (len))

static void range_copy(int i)
{
	uint64_t size = range_bos[i].size;
	uint32_t bo = range_bo(i);
	/* 256 source bytes at 0, a destination for the whole BO at OUT. */
	const uint64_t out = 4096;
	struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, out + 2 * 65536);

	igt_neuron_random_fill(h.p, 256, size);
	/* As destination: past the end by one byte, wholly past, at the end. */
	igt_assert_eq(copy_nc(bo, TAIL(size, 256) + 1, h.h, 0, 256, ANY, 0), -EINVAL);
	igt_assert_eq(copy_nc(bo, 0, h.h, 0, size + 1, ANY, 0), -EINVAL);
	igt_assert_eq(copy_nc(bo, size, h.h, 0, 1, ANY, 0), -EINVAL);
	igt_assert_eq(copy_nc(bo, size - 1, h.h, 0, 2, ANY, 0), -EINVAL);
	igt_assert_eq(copy_nc(bo, size - 1, h.h, 0, 1, ANY, 0), 0);
	igt_assert_eq(copy_nc(bo, TAIL(size, 256), h.h, 0, 256, ANY, 0), 0);
	/* As source. */
	igt_assert_eq(copy_nc(h.h, out, bo, TAIL(size, 256) + 1, 256, ANY, 0), -EINVAL);
	igt_assert_eq(copy_nc(h.h, out, bo, 0, size + 1, ANY, 0), -EINVAL);
	igt_assert_eq(copy_nc(h.h, out, bo, size, 1, ANY, 0), -EINVAL);
	igt_assert_eq(copy_nc(h.h, out, bo, size - 1, 2, ANY, 0), -EINVAL);
	memset(h.p + out, CANARY, h.size - out);
	igt_assert_eq(copy_nc(h.h, out, bo, TAIL(size, 256), 256, ANY, 0), 0);
	igt_neuron_bo_wait(fd, h.h);
	igt_neuron_assert_same(h.p + out, h.p, 256, "tail copied in and out");
	igt_neuron_assert_bytes(h.p, out + 256, h.size, CANARY, "past the copy");
	/* The whole BO, exactly: its tail last. */
	igt_assert_eq(copy_nc(h.h, out, bo, 0, size, ANY, 0), 0);
	igt_neuron_bo_wait(fd, h.h);
	igt_neuron_assert_same(h.p + out + TAIL(size, 256), h.p, 256, "whole BO: tail");
	igt_neuron_assert_bytes(h.p, out + size, h.size, CANARY, "past the whole BO");
	igt_neuron_bo_close(fd, bo);
	igt_neuron_hbo_free(fd, &h);
}

static void range_fill(int i)
{
	uint64_t size = range_bos[i].size;
	uint32_t bo = range_bo(i);
	struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, 65536 + 4096);

	igt_assert_eq(fill_nc(bo, TAIL(size, 256) + 1, 256, 0x5e, ANY, 0), -EINVAL);
	igt_assert_eq(fill_nc(bo, 0, size + 1, 0x5e, ANY, 0), -EINVAL);
	igt_assert_eq(fill_nc(bo, size, 1, 0x5e, ANY, 0), -EINVAL);
	igt_assert_eq(fill_nc(bo, size - 1, 2, 0x5e, ANY, 0), -EINVAL);
	igt_assert_eq(fill_nc(bo, 0, size, 0x11, ANY, 0), 0);
	igt_assert_eq(fill_nc(bo, TAIL(size, 256), 256, 0x5e, ANY, 0), 0);
	igt_assert_eq(fill_nc(bo, size - 1, 1, 0x7f, ANY, 0), 0);
	memset(h.p, CANARY, h.size);
	igt_assert_eq(copy_nc(h.h, 0, bo, 0, size, ANY, 0), 0);
	igt_neuron_bo_wait(fd, h.h);
	igt_neuron_assert_bytes(h.p, 0, TAIL(size, 256), 0x11, "whole fill");
	igt_neuron_assert_bytes(h.p, TAIL(size, 256), size - 1, 0x5e, "tail fill");
	igt_neuron_assert_bytes(h.p, size - 1, size, 0x7f, "last byte");
	igt_neuron_assert_bytes(h.p, size, h.size, CANARY, "past the BO");
	igt_neuron_bo_close(fd, bo);
	igt_neuron_hbo_free(fd, &h);
}

/*
 * SUBMIT (prog == false) or PROGRAM_CREATE + SUBMIT of it: TX from the
 * BO's tail and RX into it, refused one byte past the end, run at the end.
 */
static void range_exec(int i, bool prog)
{
	uint64_t size = range_bos[i].size;
	uint32_t bo = range_bo(i), q = queue_create(1, 0, 3), p = 0;
	struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, 2 * 4096);
	uint32_t len = size < 256 ? size : 256;
	struct drm_neuron_submit s = { .queue = q };

#define EXEC(a, aoff, b, boff) \
	(prog ? program_copy(1, a, aoff, b, boff, len, &p) : \
		submit_copy(q, a, aoff, b, boff, len, 0))
#define RUN() do { \
		if (prog) { \
			s.program = p; \
			igt_assert_eq(__submit(&s), 0); \
			program_destroy(p); \
		} \
	} while (0)

	igt_neuron_random_fill(h.p, 4096, size ^ prog);
	memset(h.p + 4096, CANARY, 4096);
	/* RX into the BO (write side). */
	igt_assert_eq(EXEC(h.h, 0, bo, TAIL(size, len) + 1), -EINVAL);
	igt_assert_eq(EXEC(h.h, 0, bo, size), -EINVAL);
	igt_assert_eq(EXEC(h.h, 0, bo, TAIL(size, len)), 0);
	RUN();
	/* TX from the BO (read side). */
	igt_assert_eq(EXEC(bo, TAIL(size, len) + 1, h.h, 4096), -EINVAL);
	igt_assert_eq(EXEC(bo, size, h.h, 4096), -EINVAL);
	igt_assert_eq(EXEC(bo, TAIL(size, len), h.h, 4096), 0);
	RUN();
	igt_neuron_bo_wait(fd, h.h);
	igt_neuron_assert_same(h.p + 4096, h.p, len, "tail written by RX, read by TX");
	igt_neuron_assert_bytes(h.p, 4096 + len, 2 * 4096, CANARY, "past the RX range");
#undef EXEC
#undef RUN
	queue_destroy(q);
	igt_neuron_bo_close(fd, bo);
	igt_neuron_hbo_free(fd, &h);
}

/* ---- overlap ---- */

static void overlap(uint32_t domain)
{
	const uint64_t size = 4096;
	uint32_t bo = domain == DEV ? dev_bo(size, ANY) : igt_neuron_bo_create(fd, HOST, size);
	struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, size), out = igt_neuron_hbo_new(fd, size);
	static const struct { uint64_t src, dst, len; int err; } cases[] = {
		{ 0, 255, 256, -EINVAL },	/* src before dst, one byte shared */
		{ 255, 0, 256, -EINVAL },	/* dst before src, one byte shared */
		{ 0, 100, 256, -EINVAL },
		{ 100, 0, 256, -EINVAL },
		{ 512, 512, 256, -EINVAL },	/* the same range */
		{ 0, 1, 4095, -EINVAL },
		{ 1, 0, 4095, -EINVAL },
		{ 1000, 1200, 1, 0 },		/* disjoint, small */
		{ 0, 256, 256, 0 },		/* touching: src then dst */
		{ 2048, 1792, 256, 0 },		/* touching: dst then src */
		{ 0, 2048, 2048, 0 },		/* halves */
	};
	uint8_t *ref = malloc(size);

	igt_assert(ref);
	igt_neuron_random_fill(h.p, size, 77 + domain);
	igt_assert_eq(copy_nc(bo, 0, h.h, 0, size, ANY, 0), 0);
	memcpy(ref, h.p, size);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret = copy_nc(bo, cases[i].dst, bo, cases[i].src, cases[i].len, ANY, 0);

		igt_assert_f(ret == cases[i].err, "copy %lu..%lu -> %lu: %d, want %d\n",
			     (unsigned long)cases[i].src,
			     (unsigned long)(cases[i].src + cases[i].len),
			     (unsigned long)cases[i].dst, ret, cases[i].err);
		if (!ret)
			memmove(ref + cases[i].dst, ref + cases[i].src, cases[i].len);
	}
	igt_assert_eq(copy_nc(out.h, 0, bo, 0, size, ANY, 0), 0);
	igt_neuron_bo_wait(fd, out.h);
	igt_neuron_assert_same(out.p, ref, size, "after the accepted copies");
	free(ref);
	igt_neuron_bo_close(fd, bo);
	igt_neuron_hbo_free(fd, &h);
	igt_neuron_hbo_free(fd, &out);
}

/* ---- FWIO allow-list blocks ---- */

#define MISC(off)	(V1_APB_BASE + V1_MISC_RAM_OFFSET + (off))
#define UDMA(nc, e)	(V1_APB_BASE + V1_UDMA_OFFSET(nc, e))
#define NCWIN(nc)	(V1_TPB_BASE + V1_NC_WINDOW_OFFSET(nc))
#define MAX_ALLOWED	4096

static int __fwio_read(const uint64_t *addrs, uint32_t *vals, uint32_t count, uint32_t flags)
{
	struct drm_neuron_fwio_read a = {
		.addrs = (uintptr_t)addrs, .values = (uintptr_t)vals, .count = count,
		.flags = flags,
	};

	return drmIoctl(fd, DRM_IOCTL_NEURON_FWIO_READ, &a) ? -errno : 0;
}

/* The allow-list of driver.rst, word by word, for NeuronCore nc (or misc). */
static int allowed_words(uint64_t *a, int nc)
{
	int n = 0;

	if (nc < 0) {
		a[n++] = MISC(MISC_FW_API_VERSION);
		a[n++] = MISC(MISC_FW_STATUS);
		a[n++] = MISC(MISC_DEVICE_ID);
		a[n++] = MISC(MISC_RESET);
		return n;
	}
	for (int e = 0; e < V1_DMA_ENG_PER_NC; e++) {
		static const uint32_t regs[] = {
			UDMA_Q_STATUS, UDMA_Q_RING_HEAD, UDMA_Q_RING_TAIL, UDMA_Q_COMP_HEAD,
		};

		a[n++] = UDMA(nc, e) + UDMA_M2S_STATE;
		a[n++] = UDMA(nc, e) + UDMA_S2M_STATE;
		a[n++] = UDMA(nc, e) + UDMA_M2S_DMA_VERSION;
		for (int q = 0; q < V1_DMA_QUEUES_PER_ENG; q++)
			for (size_t r = 0; r < ARRAY_SIZE(regs); r++) {
				a[n++] = UDMA(nc, e) + UDMA_M2S_Q(q) + regs[r];
				a[n++] = UDMA(nc, e) + UDMA_S2M_Q(q) + regs[r];
			}
		a[n++] = V1_APB_BASE + V1_TDMA_OFFSET(nc, e) + TDMA_EVENT_ACCEL;
		a[n++] = V1_APB_BASE + V1_TDMA_OFFSET(nc, e) + TDMA_ROB_CFG;
		a[n++] = V1_APB_BASE + V1_TDMA_OFFSET(nc, e) + TDMA_WOB_CFG;
	}
	a[n++] = V1_APB_BASE + V1_PUTILS_OFFSET(nc) + PUTILS_NQ_ERROR + PUTILS_NQ_HEAD;
	a[n++] = V1_APB_BASE + V1_PUTILS_OFFSET(nc) + PUTILS_NQ_EVENT + PUTILS_NQ_HEAD;
	for (int i = 0; i < NQ_INSTANCES; i++) {
		a[n++] = V1_APB_BASE + V1_PUTILS_OFFSET(nc) + PUTILS_NQ_NOTIFY(i) + PUTILS_NQ_HEAD;
		a[n++] = V1_APB_BASE + V1_PUTILS_OFFSET(nc) + PUTILS_NQ_TRACE(i) + PUTILS_NQ_HEAD;
	}
	for (int i = 0; i < V1_SEMAPHORES_PER_NC; i++)
		a[n++] = NCWIN(nc) + V1_NC_SEM_READ + 4 * i;
	for (int i = 0; i < V1_EVENTS_PER_NC; i++)
		a[n++] = NCWIN(nc) + V1_NC_EVENTS + 4 * i;
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Each maximal run of consecutive allowed words is a block: its first and
 * last word must read (in batched calls), the word before it and the word
 * after it must each be refused with EACCES.
 */
static void fwio_blocks(int nc)
{
	static uint64_t words[MAX_ALLOWED], edges[MAX_ALLOWED];
	static uint32_t vals[MAX_ALLOWED];
	int n = allowed_words(words, nc), nedges = 0, blocks = 0;

	igt_assert_lte(n, MAX_ALLOWED);
	qsort(words, n, sizeof(words[0]), cmp_u64);
	for (int i = 0; i < n;) {
		int j = i;
		uint64_t below = words[i] - 4, above;

		while (j + 1 < n && words[j + 1] == words[j] + 4)
			j++;
		above = words[j] + 4;
		igt_assert_f(__fwio_read(&below, vals, 1, 0) == -EACCES,
			     "word 0x%llx below the block at 0x%llx not refused\n",
			     (unsigned long long)below, (unsigned long long)words[i]);
		igt_assert_f(__fwio_read(&above, vals, 1, 0) == -EACCES,
			     "word 0x%llx above the block ending at 0x%llx not refused\n",
			     (unsigned long long)above, (unsigned long long)words[j]);
		edges[nedges++] = words[i];
		if (j != i)
			edges[nedges++] = words[j];
		blocks++;
		i = j + 1;
	}
	for (int i = 0; i < nedges; i += DRM_NEURON_FWIO_READ_MAX) {
		uint32_t cnt = nedges - i < DRM_NEURON_FWIO_READ_MAX ? nedges - i :
			       DRM_NEURON_FWIO_READ_MAX;

		igt_assert_eq(__fwio_read(edges + i, vals, cnt, 0), 0);
	}
	igt_debug("nc %d: %d words in %d blocks\n", nc, n, blocks);
	igt_assert_lt(0, blocks);
}

/* ---- pad and flags ---- */

/* Values to try in a must-be-zero field: the lowest and highest bit, all ones. */
static const uint32_t nonzero[] = { 1, 0x80000000u, 0xffffffffu };

/*
 * Run `call` (an expression giving 0 or -errno) with *field set to each
 * non-zero value: each must be EINVAL; then with the field zero: must
 * succeed (so the refusal was that field's).  `reset` rebuilds the
 * argument struct before each call.
 */
#define PAD_CHECK(what, reset, field, call) do { \
		for (size_t _i = 0; _i < ARRAY_SIZE(nonzero); _i++) { \
			int _r; \
			reset; \
			(field) = nonzero[_i]; \
			_r = (call); \
			igt_assert_f(_r == -EINVAL, "%s = 0x%x: %d, want EINVAL\n", what, \
				     nonzero[_i], _r); \
		} \
	} while (0)

/* Bits of a flags field outside `valid`, one at a time, added to the valid base. */
#define FLAG_BITS_CHECK(what, reset, field, valid, call) do { \
		for (int _b = 0; _b < 32; _b++) { \
			int _r; \
			if ((valid) & (1u << _b)) \
				continue; \
			reset; \
			(field) |= 1u << _b; \
			_r = (call); \
			igt_assert_f(_r == -EINVAL, "%s bit %d: %d, want EINVAL\n", what, _b, _r); \
		} \
	} while (0)

static int ioctl_ret(unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) ? -errno : 0;
}

static void pad_query(void)
{
	struct drm_neuron_query q;
#define R (q = (struct drm_neuron_query){ .type = DRM_NEURON_QUERY_DEVICE_INFO })
	PAD_CHECK("query.flags", R, q.flags, ioctl_ret(DRM_IOCTL_NEURON_QUERY, &q));
	PAD_CHECK("query.pad", R, q.pad, ioctl_ret(DRM_IOCTL_NEURON_QUERY, &q));
	R;
	igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_QUERY, &q), 0);
	igt_assert_eq_u32(q.size, sizeof(struct drm_neuron_device_info));
#undef R
}

static void pad_bo_create(void)
{
	for (int dom = HOST; dom <= DEV; dom++) {
		struct drm_neuron_bo_create c;
#define R (c = (struct drm_neuron_bo_create){ .size = 4096, .domain = dom, \
					     .dram_channel = ANY, .dram_nc = ANY })
		PAD_CHECK("bo_create.flags", R, c.flags, __igt_neuron_bo_create(fd, &c));
		PAD_CHECK("bo_create.pad", R, c.pad, __igt_neuron_bo_create(fd, &c));
		R;
		igt_assert_eq(__igt_neuron_bo_create(fd, &c), 0);
		igt_neuron_bo_close(fd, c.handle);
#undef R
	}
}

static void pad_bo_info(void)
{
	uint32_t h = igt_neuron_bo_create(fd, HOST, 4096);
	struct drm_neuron_bo_info i;
#define R (i = (struct drm_neuron_bo_info){ .handle = h })
	PAD_CHECK("bo_info.pad", R, i.pad, __igt_neuron_bo_info(fd, &i));
	R;
	igt_assert_eq(__igt_neuron_bo_info(fd, &i), 0);
	igt_assert_eq_u64(i.size, 4096);
#undef R
	igt_neuron_bo_close(fd, h);
}

static void pad_bo_wait(void)
{
	uint32_t h = igt_neuron_bo_create(fd, HOST, 4096);
	uint32_t flags;
#define R (flags = 0)
	PAD_CHECK("bo_wait.flags", R, flags, __igt_neuron_bo_wait(fd, h, flags, 0));
#undef R
	igt_assert_eq(__igt_neuron_bo_wait(fd, h, 0, 0), 0);
	igt_neuron_bo_close(fd, h);
}

/* A signalled binary syncobj, for valid in-syncs. */
static uint32_t signalled_syncobj(void)
{
	uint32_t s;

	igt_assert_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &s), 0);
	return s;
}

static void pad_copy_fill(bool fill)
{
	struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096), b = igt_neuron_hbo_new(fd, 4096);
	uint32_t in = signalled_syncobj(), out = igt_neuron_syncobj(fd);
	struct drm_neuron_sync sync;
	struct drm_neuron_copy c;
	struct drm_neuron_fill f;
#define RS (sync = (struct drm_neuron_sync){ .handle = in })
#define RC (RS, c = (struct drm_neuron_copy){ .src_handle = a.h, .dst_handle = b.h, \
		.size = 4096, .nc = ANY, .in_syncs = (uintptr_t)&sync, .in_sync_count = 1, \
		.out_sync.handle = out })
#define RF (RS, f = (struct drm_neuron_fill){ .handle = b.h, .value = 0x42, \
		.size = 4096, .nc = ANY, .in_syncs = (uintptr_t)&sync, .in_sync_count = 1, \
		.out_sync.handle = out })
	if (!fill) {
		PAD_CHECK("copy.flags", RC, c.flags, __igt_neuron_copy(fd, &c));
		PAD_CHECK("copy.pad", RC, c.pad, __igt_neuron_copy(fd, &c));
		PAD_CHECK("copy.out_sync.flags", RC, c.out_sync.flags, __igt_neuron_copy(fd, &c));
		PAD_CHECK("copy.in_syncs[0].flags", RC, sync.flags, __igt_neuron_copy(fd, &c));
		igt_assert(!syncobj_signalled(out));
		igt_neuron_random_fill(a.p, 4096, 5);
		memset(b.p, CANARY, 4096);
		RC;
		igt_assert_eq(__igt_neuron_copy(fd, &c), 0);
		igt_neuron_syncobj_wait(fd, out);
		igt_neuron_assert_same(b.p, a.p, 4096, "the valid copy");
	} else {
		PAD_CHECK("fill.flags", RF, f.flags, __igt_neuron_fill(fd, &f));
		PAD_CHECK("fill.pad", RF, f.pad, __igt_neuron_fill(fd, &f));
		PAD_CHECK("fill.out_sync.flags", RF, f.out_sync.flags, __igt_neuron_fill(fd, &f));
		PAD_CHECK("fill.in_syncs[0].flags", RF, sync.flags, __igt_neuron_fill(fd, &f));
		igt_assert(!syncobj_signalled(out));
		memset(b.p, CANARY, 4096);
		RF;
		igt_assert_eq(__igt_neuron_fill(fd, &f), 0);
		igt_neuron_syncobj_wait(fd, out);
		igt_neuron_assert_bytes(b.p, 0, 4096, 0x42, "the valid fill");
	}
#undef RS
#undef RC
#undef RF
	drmSyncobjDestroy(fd, in);
	drmSyncobjDestroy(fd, out);
	igt_neuron_hbo_free(fd, &a);
	igt_neuron_hbo_free(fd, &b);
}

static void pad_fwio_read(void)
{
	uint64_t addr = MISC(MISC_DEVICE_ID);
	uint32_t v, flags;
#define R (flags = 0)
	PAD_CHECK("fwio_read.flags", R, flags, __fwio_read(&addr, &v, 1, flags));
#undef R
	igt_assert_eq(__fwio_read(&addr, &v, 1, 0), 0);
}

static void pad_stats_post(void)
{
	static const uint8_t blob[2] = { 1, 0 };
	struct drm_neuron_stats_post p;
#define R (p = (struct drm_neuron_stats_post){ .data = (uintptr_t)blob, .size = 2 })
	PAD_CHECK("stats_post.flags", R, p.flags, ioctl_ret(DRM_IOCTL_NEURON_STATS_POST, &p));
	R;
	igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_STATS_POST, &p), 0);
#undef R
}

static void pad_queue(void)
{
	struct drm_neuron_queue_create c;
	struct drm_neuron_queue_destroy d;
#define R (c = (struct drm_neuron_queue_create){ .nc = 2, .engine = 1, .queue = 7 })
	PAD_CHECK("queue_create.flags", R, c.flags,
		  ioctl_ret(DRM_IOCTL_NEURON_QUEUE_CREATE, &c));
	PAD_CHECK("queue_create.pad", R, c.pad, ioctl_ret(DRM_IOCTL_NEURON_QUEUE_CREATE, &c));
	R;
	igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_QUEUE_CREATE, &c), 0);
	igt_assert(c.handle);
#undef R
#define R (d = (struct drm_neuron_queue_destroy){ .handle = c.handle })
	PAD_CHECK("queue_destroy.pad", R, d.pad, ioctl_ret(DRM_IOCTL_NEURON_QUEUE_DESTROY, &d));
	R;
	igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_QUEUE_DESTROY, &d), 0);
	/* Destroyed now, not before: the refused calls left it alone. */
	igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_QUEUE_DESTROY, &d), -ENOENT);
#undef R
}

/*
 * SUBMIT (program == false) or PROGRAM_CREATE: every must-be-zero field of
 * the argument, its sync entries and its TX and RX descriptors.
 */
static void pad_exec(bool program)
{
	struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 4096), b = igt_neuron_hbo_new(fd, 4096);
	uint32_t q = queue_create(0, 1, 5), in = signalled_syncobj(), out = igt_neuron_syncobj(fd);
	uint32_t bos[2] = { a.h, b.h };
	struct drm_neuron_desc tx, rx;
	struct drm_neuron_sync sync;
	struct drm_neuron_submit s;
	struct drm_neuron_program_create p;
	const uint32_t tx_valid = FIRST | LAST | DRM_NEURON_DESC_DMB;

#define RD (tx = desc(0, 0, 4096, FIRST | LAST), rx = desc(1, 0, 4096, 0), \
	    sync = (struct drm_neuron_sync){ .handle = in })
#define RS (RD, s = (struct drm_neuron_submit){ .queue = q, .bo_handles = (uintptr_t)bos, \
		.bo_count = 2, .tx = (uintptr_t)&tx, .tx_count = 1, .rx = (uintptr_t)&rx, \
		.rx_count = 1, .in_syncs = (uintptr_t)&sync, .in_sync_count = 1, \
		.out_sync.handle = out })
#define RP (RD, p = (struct drm_neuron_program_create){ .nc = 0, \
		.bo_handles = (uintptr_t)bos, .bo_count = 2, .tx = (uintptr_t)&tx, \
		.tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1 })
	if (!program) {
		FLAG_BITS_CHECK("submit.flags", RS, s.flags, DRM_NEURON_SUBMIT_OUT_FENCE_FD,
				__submit(&s));
		PAD_CHECK("submit.out_sync.flags", RS, s.out_sync.flags, __submit(&s));
		PAD_CHECK("submit.in_syncs[0].flags", RS, sync.flags, __submit(&s));
		PAD_CHECK("submit.tx[0].pad", RS, tx.pad, __submit(&s));
		PAD_CHECK("submit.rx[0].pad", RS, rx.pad, __submit(&s));
		PAD_CHECK("submit.rx[0].flags", RS, rx.flags, __submit(&s));
		FLAG_BITS_CHECK("submit.tx[0].flags", RS, tx.flags, tx_valid, __submit(&s));
		igt_assert(!syncobj_signalled(out));
		igt_neuron_random_fill(a.p, 4096, 9);
		memset(b.p, CANARY, 4096);
		RS;
		igt_assert_eq(__submit(&s), 0);
		igt_neuron_syncobj_wait(fd, out);
		igt_neuron_assert_same(b.p, a.p, 4096, "the valid submission");
	} else {
		struct drm_neuron_submit run = { .queue = q, .out_sync.handle = out };

		PAD_CHECK("program_create.flags", RP, p.flags, __program_create(&p));
		PAD_CHECK("program_create.tx[0].pad", RP, tx.pad, __program_create(&p));
		PAD_CHECK("program_create.rx[0].pad", RP, rx.pad, __program_create(&p));
		PAD_CHECK("program_create.rx[0].flags", RP, rx.flags, __program_create(&p));
		FLAG_BITS_CHECK("program_create.tx[0].flags", RP, tx.flags, tx_valid,
				__program_create(&p));
		RP;
		igt_assert_eq(__program_create(&p), 0);
		igt_neuron_random_fill(a.p, 4096, 10);
		memset(b.p, CANARY, 4096);
		run.program = p.handle;
		igt_assert_eq(__submit(&run), 0);
		igt_neuron_syncobj_wait(fd, out);
		igt_neuron_assert_same(b.p, a.p, 4096, "the valid program");
		{
			struct drm_neuron_program_destroy d;
#define RPD (d = (struct drm_neuron_program_destroy){ .handle = p.handle })
			PAD_CHECK("program_destroy.pad", RPD, d.pad,
				  ioctl_ret(DRM_IOCTL_NEURON_PROGRAM_DESTROY, &d));
			RPD;
			igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_PROGRAM_DESTROY, &d), 0);
			igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_PROGRAM_DESTROY, &d), -ENOENT);
#undef RPD
		}
	}
#undef RD
#undef RS
#undef RP
	queue_destroy(q);
	drmSyncobjDestroy(fd, in);
	drmSyncobjDestroy(fd, out);
	igt_neuron_hbo_free(fd, &a);
	igt_neuron_hbo_free(fd, &b);
}

static void pad_nq(uint32_t type)
{
	struct drm_neuron_nq_create c;
#define R (c = (struct drm_neuron_nq_create){ .nc = 3, .type = type, .instance = 0, \
					     .size = 4096 })
	PAD_CHECK("nq_create.flags", R, c.flags, ioctl_ret(DRM_IOCTL_NEURON_NQ_CREATE, &c));
	PAD_CHECK("nq_create.pad", R, c.pad, ioctl_ret(DRM_IOCTL_NEURON_NQ_CREATE, &c));
	PAD_CHECK("nq_create.pad2", R, c.pad2, ioctl_ret(DRM_IOCTL_NEURON_NQ_CREATE, &c));
	R;
	igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_NQ_CREATE, &c), 0);
	igt_assert_lte(0, c.fd);
	close(c.fd);
#undef R
}

static void pad_semaphore(void)
{
	struct drm_neuron_semaphore s;
#define R (s = (struct drm_neuron_semaphore){ .nc = 1, .index = 31, \
					     .op = DRM_NEURON_SYNC_OP_READ })
	PAD_CHECK("semaphore.flags", R, s.flags, ioctl_ret(DRM_IOCTL_NEURON_SEMAPHORE, &s));
	PAD_CHECK("semaphore.pad", R, s.pad, ioctl_ret(DRM_IOCTL_NEURON_SEMAPHORE, &s));
	R;
	igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_SEMAPHORE, &s), 0);
#undef R
}

static void pad_reset(void)
{
	struct drm_neuron_reset r;
	char path[PATH_MAX + 16], dir[PATH_MAX];
	uint64_t before = 0, after = 0;
	bool counted = igt_neuron_debugfs_dir(node.pci_addr, dir, sizeof(dir));

	igt_require_f(geteuid() == 0, "RESET needs CAP_SYS_ADMIN\n");
	snprintf(path, sizeof(path), "%s/reset_count", dir);
	if (counted)
		counted = igt_neuron_file_key_u64(path, "reset_count", &before);
#define R (r = (struct drm_neuron_reset){})
	PAD_CHECK("reset.flags", R, r.flags, ioctl_ret(DRM_IOCTL_NEURON_RESET, &r));
	PAD_CHECK("reset.pad", R, r.pad, ioctl_ret(DRM_IOCTL_NEURON_RESET, &r));
	if (counted) {	/* no refused call reset the device */
		igt_assert(igt_neuron_file_key_u64(path, "reset_count", &after));
		igt_assert_eq_u64(after, before);
	}
	R;
	igt_assert_eq(ioctl_ret(DRM_IOCTL_NEURON_RESET, &r), 0);
	if (counted) {
		igt_assert(igt_neuron_file_key_u64(path, "reset_count", &after));
		igt_assert_eq_u64(after, before + 1);
	}
#undef R
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
	}

	igt_describe("COPY source and destination ranges of device BOs end at the BO's "
		     "256-byte-granule size, not the GEM object's page-rounded size: one byte "
		     "past it is EINVAL, exactly at it runs byte-exact (host BO too).");
	igt_subtest_with_dynamic("range-copy") {
		for (size_t i = 0; i < ARRAY_SIZE(range_bos); i++)
			igt_dynamic_f("%s", range_bos[i].name)
				range_copy(i);
	}

	igt_describe("FILL ranges end at the BO's granule size: one byte past is EINVAL, "
		     "ranges ending at it fill exactly.");
	igt_subtest_with_dynamic("range-fill") {
		for (size_t i = 0; i < ARRAY_SIZE(range_bos); i++)
			igt_dynamic_f("%s", range_bos[i].name)
				range_fill(i);
	}

	igt_describe("SUBMIT TX and RX descriptors end at the BO's granule size: one byte "
		     "past is EINVAL, ending at it runs and moves the bytes.");
	igt_subtest_with_dynamic("range-submit") {
		for (size_t i = 0; i < ARRAY_SIZE(range_bos); i++)
			igt_dynamic_f("%s", range_bos[i].name)
				range_exec(i, false);
	}

	igt_describe("PROGRAM_CREATE TX and RX descriptors end at the BO's granule size: "
		     "one byte past is EINVAL, a program ending at it runs.");
	igt_subtest_with_dynamic("range-program") {
		for (size_t i = 0; i < ARRAY_SIZE(range_bos); i++)
			igt_dynamic_f("%s", range_bos[i].name)
				range_exec(i, true);
	}

	igt_describe("A COPY inside one BO is refused (EINVAL) when the ranges overlap, with "
		     "the source before the destination and after it, by one byte or more; "
		     "touching ranges copy byte-exact.");
	igt_subtest_with_dynamic("copy-overlap") {
		igt_dynamic("host")
			overlap(HOST);
		igt_dynamic("device")
			overlap(DEV);
	}

	igt_subtest_group {
		igt_fixture {
			igt_neuron_node_emu(&node);
			unstall();
		}

		igt_describe("A new device BO's clear, held on its NeuronCore's stalled copy "
			     "engine, orders a read of the BO on another NeuronCore's copy "
			     "engine: the read's fence stays unsignalled and its host destination "
			     "untouched until the clear runs; then it reads zeros, not the "
			     "DRAM's previous contents.");
		igt_subtest("clear-then-read-other-nc") {
			const uint64_t size = 65536;
			struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, size);
			uint32_t old = dev_bo(size, 0), bo, s = igt_neuron_syncobj(fd), nc;
			struct drm_neuron_bo_info oi, ni;

			/* Leave non-zero bytes in the DRAM the new BO will likely get. */
			igt_neuron_bo_info(fd, old, &oi);
			igt_assert_eq(fill_nc(old, 0, size, 0xab, ANY, 0), 0);
			igt_neuron_bo_wait(fd, old);
			igt_neuron_bo_close(fd, old);

			stall(COPY_ENGINE(0));
			bo = dev_bo(size, 0);
			nc = bo_nc(bo);
			igt_neuron_bo_info(fd, bo, &ni);
			igt_debug("old 0x%llx new 0x%llx nc %u\n",
				  (unsigned long long)oi.dram_address,
				  (unsigned long long)ni.dram_address, nc);
			igt_require_f(nc == 0, "BO not in NeuronCore 0's quarter\n");
			memset(h.p, CANARY, size);
			igt_assert_eq(copy_nc(h.h, 0, bo, 0, size, 2, s), 0);
			usleep(STALL_US);
			igt_assert_f(!syncobj_signalled(s), "read finished before the clear\n");
			igt_assert_eq(__igt_neuron_bo_wait(fd, bo, 0, 0), -ETIMEDOUT);
			igt_neuron_assert_bytes(h.p, 0, size, CANARY, "read ran before the clear");
			unstall();
			igt_neuron_syncobj_wait(fd, s);
			igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
			igt_neuron_assert_bytes(h.p, 0, size, 0, "read after the clear");
			drmSyncobjDestroy(fd, s);
			igt_neuron_bo_close(fd, bo);
			igt_neuron_hbo_free(fd, &h);
		}

		igt_describe("A FILL of a new device BO on another NeuronCore waits for the "
			     "BO's clear on a stalled engine: the filled bytes survive the "
			     "clear.");
		igt_subtest("clear-then-write-other-nc") {
			const uint64_t size = 8192;
			uint32_t bo, s = igt_neuron_syncobj(fd);
			uint8_t *got;

			stall(COPY_ENGINE(0));
			bo = dev_bo(size, 0);
			igt_require_f(bo_nc(bo) == 0, "BO not in NeuronCore 0's quarter\n");
			igt_assert_eq(fill_nc(bo, 100, 1000, 0x3c, 3, s), 0);
			usleep(STALL_US);
			igt_assert_f(!syncobj_signalled(s), "fill finished before the clear\n");
			unstall();
			igt_neuron_syncobj_wait(fd, s);
			got = read_dev(bo, size);
			igt_neuron_assert_bytes(got, 0, 100, 0, "cleared before the fill");
			igt_neuron_assert_bytes(got, 100, 1100, 0x3c, "the fill");
			igt_neuron_assert_bytes(got, 1100, size, 0, "cleared after the fill");
			free(got);
			drmSyncobjDestroy(fd, s);
			igt_neuron_bo_close(fd, bo);
		}

		igt_describe("A SUBMIT's RX writes into a host BO, held on a stalled engine of "
			     "NeuronCore 0, order a later COPY reading that BO on NeuronCore 1's "
			     "copy queue: the copy waits, then reads exactly what the SUBMIT "
			     "wrote.");
		igt_subtest("submit-write-then-copy-read") {
			const uint64_t size = 65536;
			struct igt_neuron_hbo x = igt_neuron_hbo_new(fd, size);
			struct igt_neuron_hbo y = igt_neuron_hbo_new(fd, size);
			struct igt_neuron_hbo z = igt_neuron_hbo_new(fd, size);
			uint32_t q = queue_create(0, 0, 2), s1 = igt_neuron_syncobj(fd);
			uint32_t s2 = igt_neuron_syncobj(fd);

			igt_neuron_random_fill(x.p, size, 123);
			memset(y.p, CANARY, size);
			memset(z.p, 0x11, size);
			stall(V1_ENG_ID(0, 0));
			igt_assert_eq(submit_copy(q, x.h, 0, y.h, 0, size, s1), 0);
			igt_assert_eq(copy_nc(z.h, 0, y.h, 0, size, 1, s2), 0);
			usleep(STALL_US);
			igt_assert(!syncobj_signalled(s1));
			igt_assert_f(!syncobj_signalled(s2), "copy read before the SUBMIT wrote\n");
			igt_neuron_assert_bytes(z.p, 0, size, 0x11, "copy ran before the SUBMIT");
			unstall();
			igt_neuron_syncobj_wait(fd, s2);
			igt_assert(syncobj_signalled(s1));
			igt_neuron_assert_same(y.p, x.p, size, "SUBMIT's write");
			igt_neuron_assert_same(z.p, x.p, size, "copy of the SUBMIT's write");
			drmSyncobjDestroy(fd, s1);
			drmSyncobjDestroy(fd, s2);
			queue_destroy(q);
			igt_neuron_hbo_free(fd, &x);
			igt_neuron_hbo_free(fd, &y);
			igt_neuron_hbo_free(fd, &z);
		}

		igt_describe("Write after read: a SUBMIT reading a host BO (TX) on a stalled "
			     "engine, then a FILL of that BO on another NeuronCore's copy "
			     "engine: the fill waits, and the SUBMIT moved the old bytes.");
		igt_subtest("submit-read-then-fill") {
			const uint64_t size = 65536;
			struct igt_neuron_hbo x = igt_neuron_hbo_new(fd, size);
			struct igt_neuron_hbo y = igt_neuron_hbo_new(fd, size);
			uint32_t q = queue_create(1, 1, 4), s = igt_neuron_syncobj(fd);
			uint8_t *ref = malloc(size);

			igt_assert(ref);
			igt_neuron_random_fill(x.p, size, 321);
			memcpy(ref, x.p, size);
			memset(y.p, CANARY, size);
			stall(V1_ENG_ID(1, 1));
			igt_assert_eq(submit_copy(q, x.h, 0, y.h, 0, size, 0), 0);
			igt_assert_eq(fill_nc(x.h, 0, size, 0x99, 3, s), 0);
			usleep(STALL_US);
			igt_assert_f(!syncobj_signalled(s), "fill ran before the SUBMIT read\n");
			igt_neuron_assert_same(x.p, ref, size, "overwritten before the read");
			unstall();
			igt_neuron_syncobj_wait(fd, s);
			igt_neuron_bo_wait(fd, y.h);
			igt_neuron_assert_same(y.p, ref, size, "the SUBMIT read the old bytes");
			igt_neuron_assert_bytes(x.p, 0, size, 0x99, "the fill");
			free(ref);
			drmSyncobjDestroy(fd, s);
			queue_destroy(q);
			igt_neuron_hbo_free(fd, &x);
			igt_neuron_hbo_free(fd, &y);
		}

		igt_describe("Write after read the other way: a COPY reading a host BO on "
			     "NeuronCore 0's stalled copy engine, then a SUBMIT writing that BO "
			     "(RX) on NeuronCore 2: the SUBMIT waits, and the copy moved the old "
			     "bytes.");
		igt_subtest("copy-read-then-submit-write") {
			const uint64_t size = 65536;
			struct igt_neuron_hbo x = igt_neuron_hbo_new(fd, size);
			struct igt_neuron_hbo y = igt_neuron_hbo_new(fd, size);
			struct igt_neuron_hbo w = igt_neuron_hbo_new(fd, size);
			uint32_t q = queue_create(2, 0, 1), s = igt_neuron_syncobj(fd);
			uint8_t *ref = malloc(size);

			igt_assert(ref);
			igt_neuron_random_fill(x.p, size, 555);
			igt_neuron_random_fill(w.p, size, 556);
			memcpy(ref, x.p, size);
			memset(y.p, CANARY, size);
			stall(COPY_ENGINE(0));
			igt_assert_eq(copy_nc(y.h, 0, x.h, 0, size, 0, 0), 0);
			igt_assert_eq(submit_copy(q, w.h, 0, x.h, 0, size, s), 0);
			usleep(STALL_US);
			igt_assert_f(!syncobj_signalled(s), "SUBMIT wrote before the copy read\n");
			igt_neuron_assert_same(x.p, ref, size, "overwritten before the read");
			unstall();
			igt_neuron_syncobj_wait(fd, s);
			igt_neuron_bo_wait(fd, y.h);
			igt_neuron_assert_same(y.p, ref, size, "the copy read the old bytes");
			igt_neuron_assert_same(x.p, w.p, size, "the SUBMIT's write");
			free(ref);
			drmSyncobjDestroy(fd, s);
			queue_destroy(q);
			igt_neuron_hbo_free(fd, &x);
			igt_neuron_hbo_free(fd, &y);
			igt_neuron_hbo_free(fd, &w);
		}

		igt_describe("Read after write the other way: a COPY into a device BO on "
			     "NeuronCore 0's stalled copy engine, then a SUBMIT reading that BO "
			     "(TX) on NeuronCore 3: the SUBMIT waits and reads the copied bytes.");
		igt_subtest("copy-write-then-submit-read") {
			const uint64_t size = 65536;
			struct igt_neuron_hbo x = igt_neuron_hbo_new(fd, size);
			struct igt_neuron_hbo y = igt_neuron_hbo_new(fd, size);
			uint32_t bo = dev_bo(size, 0), q = queue_create(3, 2, 0);
			uint32_t s = igt_neuron_syncobj(fd);

			igt_neuron_bo_wait(fd, bo);
			igt_neuron_random_fill(x.p, size, 777);
			memset(y.p, CANARY, size);
			stall(COPY_ENGINE(0));
			igt_assert_eq(copy_nc(bo, 0, x.h, 0, size, 0, 0), 0);
			igt_assert_eq(submit_copy(q, bo, 0, y.h, 0, size, s), 0);
			usleep(STALL_US);
			igt_assert_f(!syncobj_signalled(s), "SUBMIT read before the copy wrote\n");
			igt_neuron_assert_bytes(y.p, 0, size, CANARY, "SUBMIT ran before the copy");
			unstall();
			igt_neuron_syncobj_wait(fd, s);
			igt_neuron_assert_same(y.p, x.p, size, "SUBMIT read the copied bytes");
			drmSyncobjDestroy(fd, s);
			queue_destroy(q);
			igt_neuron_bo_close(fd, bo);
			igt_neuron_hbo_free(fd, &x);
			igt_neuron_hbo_free(fd, &y);
		}

		igt_fixture {
			igt_neuron_node_clear_faults(&node);
		}
	}

	igt_describe("Every block (maximal run of allowed words) of the FWIO_READ allow-list, "
		     "per NeuronCore and the firmware words: its first and last word read, the "
		     "word just below and just above it are refused with EACCES.");
	igt_subtest_with_dynamic("fwio-block-edges") {
		igt_dynamic("misc")
			fwio_blocks(-1);
		for (int nc = 0; nc < V1_NC_PER_DEVICE; nc++)
			igt_dynamic_f("nc%d", nc)
				fwio_blocks(nc);
	}

	igt_describe("Every pad, flags and reserved field of every ioctl argument (sync "
		     "entries and descriptors included), one at a time, low bit, high bit and "
		     "all ones, is refused with EINVAL; the same call with it zero succeeds.");
	igt_subtest_with_dynamic("pad-flags") {
		igt_dynamic("query")
			pad_query();
		igt_dynamic("bo-create")
			pad_bo_create();
		igt_dynamic("bo-info")
			pad_bo_info();
		igt_dynamic("bo-wait")
			pad_bo_wait();
		igt_dynamic("copy")
			pad_copy_fill(false);
		igt_dynamic("fill")
			pad_copy_fill(true);
		igt_dynamic("fwio-read")
			pad_fwio_read();
		igt_dynamic("stats-post")
			pad_stats_post();
		igt_dynamic("queue")
			pad_queue();
		igt_dynamic("submit")
			pad_exec(false);
		igt_dynamic("program")
			pad_exec(true);
		igt_dynamic("nq-notify")
			pad_nq(DRM_NEURON_NQ_NOTIFY);
		igt_dynamic("nq-error")
			pad_nq(DRM_NEURON_NQ_ERROR);
		igt_dynamic("semaphore")
			pad_semaphore();
		/* Last: it resets the device. */
		igt_dynamic("reset")
			pad_reset();
	}

	igt_fixture {
		igt_neuron_node_clear_faults(&node);
		close(fd);
	}
}
