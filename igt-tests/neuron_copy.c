// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * DMA copies and fills (DRM_IOCTL_NEURON_COPY / _FILL) against the uapi
 * contract: byte-exact round trips host -> device -> host for many sizes
 * and unaligned offsets, device->device and host->host, fills, mmap
 * coherence, syncobj out- and in-fences, implicit sync through the BOs,
 * BO_WAIT, every documented errno, no MMIO reads on the job path, and
 * recovery from an injected DMA error.
 *
 * Tests that need a job to stay pending stall the copy engine of a
 * NeuronCore in the emulator (fault queue_stall; the copy queue of NC n is
 * on engine n * 3 + 2) and release it well before the driver's job timeout.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"

IGT_TEST_DESCRIPTION("DMA copies and fills: data, fences, implicit sync, errors, "
		     "MMIO-free completion, DMA error recovery.");

#define HOST DRM_NEURON_BO_DOMAIN_HOST
#define DEV DRM_NEURON_BO_DOMAIN_DEVICE
#define ANY DRM_NEURON_ANY
#define CANARY 0xc3
#define STALL_US 300000		/* well below the driver's job timeout */

static struct igt_neuron_node node;
static struct drm_neuron_device_info devinfo;
static int fd = -1;

static int copy_nc(int f, uint32_t dst, uint64_t doff, uint32_t src, uint64_t soff,
		   uint64_t size, uint32_t nc, uint32_t out)
{
	struct drm_neuron_copy c = {
		.src_handle = src, .dst_handle = dst, .src_offset = soff, .dst_offset = doff,
		.size = size, .nc = nc, .out_sync.handle = out,
	};

	return __igt_neuron_copy(f, &c);
}

/*
 * Random data from a host BO at soff to a device BO at doff and back to
 * another host BO at roff, on nc; compared byte for byte, bytes around the
 * range untouched on both sides.
 */
static void roundtrip(int f, uint64_t size, uint64_t soff, uint64_t doff, uint64_t roff,
		      uint32_t nc)
{
	struct igt_neuron_hbo src = igt_neuron_hbo_new(f, soff + size), dst = igt_neuron_hbo_new(f, roff + size + 64);
	uint32_t dev = igt_neuron_bo_create(f, DEV, doff + size + 64), s = igt_neuron_syncobj(f);

	igt_neuron_random_fill(src.p, src.size, size ^ (soff << 20) ^ nc);
	memset(dst.p, CANARY, dst.size);
	igt_assert_eq(copy_nc(f, dev, doff, src.h, soff, size, nc, 0), 0);
	igt_assert_eq(copy_nc(f, dst.h, roff, dev, doff, size, nc, s), 0);
	igt_neuron_syncobj_wait(f, s);
	igt_assert_eq(igt_neuron_syncobj_status(f, s), 1);
	igt_neuron_assert_same(dst.p + roff, src.p + soff, size, "round trip");
	igt_neuron_assert_bytes(dst.p, 0, roff, CANARY, "before the range");
	igt_neuron_assert_bytes(dst.p, roff + size, dst.size, CANARY, "after the range");
	/* The device BO around the range is still cleared (small sizes). */
	if (doff + size + 64 <= (4 << 20)) {
		struct igt_neuron_hbo all = igt_neuron_hbo_new(f, doff + size + 64);

		igt_neuron_copy(f, all.h, 0, dev, 0, all.size, 0);
		igt_neuron_bo_wait(f, all.h);
		igt_neuron_assert_bytes(all.p, 0, doff, 0, "device before the range");
		igt_neuron_assert_same(all.p + doff, src.p + soff, size, "device copy");
		igt_neuron_assert_bytes(all.p, doff + size, all.size, 0, "device after the range");
		igt_neuron_hbo_free(f, &all);
	}
	drmSyncobjDestroy(f, s);
	igt_neuron_bo_close(f, dev);
	igt_neuron_hbo_free(f, &src);
	igt_neuron_hbo_free(f, &dst);
}

/* ---- emulator: stalling a NeuronCore's copy engine ---- */

static void stall(uint32_t nc)
{
	igt_assert_eq(igt_neuron_emu_fault(igt_neuron_node_emu(&node), "queue_stall", nc * 3 + 2), 0);
}

static void unstall(void)
{
	struct neuron_emu_reply r;

	igt_assert_eq(neuron_emu_ctl_cmd(igt_neuron_emu(), &r, "fault %d queue_stall -1",
					 igt_neuron_node_emu(&node)), 0);
}

static bool syncobj_signalled(int f, uint32_t s)
{
	return drmSyncobjWait(f, &s, 1, 0, 0, NULL) == 0;
}

/* ---- invalid arguments ---- */

enum bad {
	BAD_ZERO_SIZE, BAD_SRC_OUTSIDE, BAD_DST_OUTSIDE, BAD_SRC_END, BAD_DST_END,
	BAD_SRC_WRAP, BAD_DST_WRAP, BAD_SIZE_HUGE, BAD_OVERLAP, BAD_OVERLAP_SAME,
	BAD_FLAGS, BAD_PAD, BAD_OUT_FLAGS, BAD_IN_FLAGS, BAD_NC, BAD_NC_BIG,
	BAD_IN_COUNT, BAD_IN_PTR, BAD_IN_PTR_NULL, BAD_SRC_HANDLE, BAD_DST_HANDLE,
	BAD_IN_SYNCOBJ, BAD_OUT_SYNCOBJ, BAD_VALUE, BAD_VALUE_MAX, BAD_OUT_POINT,
};

static const struct bad_case {
	const char *name;
	enum bad bad;
	int err;
	bool copy, fill;
} bads[] = {
	{ "zero-size", BAD_ZERO_SIZE, EINVAL, true, true },
	{ "src-outside", BAD_SRC_OUTSIDE, EINVAL, true, false },
	{ "dst-outside", BAD_DST_OUTSIDE, EINVAL, true, true },
	{ "src-end", BAD_SRC_END, EINVAL, true, false },
	{ "dst-end", BAD_DST_END, EINVAL, true, true },
	{ "src-offset-wraps", BAD_SRC_WRAP, EINVAL, true, false },
	{ "dst-offset-wraps", BAD_DST_WRAP, EINVAL, true, true },
	{ "size-huge", BAD_SIZE_HUGE, EINVAL, true, true },
	{ "overlap", BAD_OVERLAP, EINVAL, true, false },
	{ "overlap-identical", BAD_OVERLAP_SAME, EINVAL, true, false },
	{ "flags", BAD_FLAGS, EINVAL, true, true },
	{ "pad", BAD_PAD, EINVAL, true, true },
	{ "out-sync-flags", BAD_OUT_FLAGS, EINVAL, true, true },
	{ "in-sync-flags", BAD_IN_FLAGS, EINVAL, true, true },
	{ "nc-4", BAD_NC, EINVAL, true, true },
	{ "nc-big", BAD_NC_BIG, EINVAL, true, true },
	{ "in-sync-count-65", BAD_IN_COUNT, EINVAL, true, true },
	{ "in-syncs-bad-pointer", BAD_IN_PTR, EFAULT, true, true },
	{ "in-syncs-null", BAD_IN_PTR_NULL, EFAULT, true, true },
	{ "unknown-src", BAD_SRC_HANDLE, ENOENT, true, false },
	{ "unknown-dst", BAD_DST_HANDLE, ENOENT, true, true },
	{ "unknown-in-syncobj", BAD_IN_SYNCOBJ, ENOENT, true, true },
	{ "unknown-out-syncobj", BAD_OUT_SYNCOBJ, ENOENT, true, true },
	{ "out-point-without-syncobj", BAD_OUT_POINT, EINVAL, true, true },
	{ "value-256", BAD_VALUE, EINVAL, false, true },
	{ "value-max", BAD_VALUE_MAX, EINVAL, false, true },
};

#define BAD_BO_SIZE 65536

static void check_bad(enum bad bad, int err, bool is_copy, uint32_t a, uint32_t b,
		      struct igt_neuron_hbo *witness)
{
	struct drm_neuron_sync in[65];
	uint32_t sig;
	struct drm_neuron_copy c = {
		.src_handle = a, .dst_handle = b, .src_offset = 0, .dst_offset = 0,
		.size = 4096, .nc = ANY,
	};
	int ret;

	igt_assert_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &sig), 0);
	memset(in, 0, sizeof(in));
	for (int i = 0; i < 65; i++)
		in[i].handle = sig;

	switch (bad) {
	case BAD_ZERO_SIZE: c.size = 0; break;
	case BAD_SRC_OUTSIDE: c.src_offset = BAD_BO_SIZE; c.size = 1; break;
	case BAD_DST_OUTSIDE: c.dst_offset = BAD_BO_SIZE; c.size = 1; break;
	case BAD_SRC_END: c.src_offset = 1; c.size = BAD_BO_SIZE; break;
	case BAD_DST_END: c.dst_offset = BAD_BO_SIZE - 7; c.size = 8; break;
	case BAD_SRC_WRAP: c.src_offset = UINT64_MAX - 1; c.size = 4; break;
	case BAD_DST_WRAP: c.dst_offset = UINT64_MAX - 1; c.size = 4; break;
	case BAD_SIZE_HUGE: c.size = UINT64_MAX; break;
	case BAD_OVERLAP: c.dst_handle = a; c.src_offset = 0; c.dst_offset = 17; c.size = 32; break;
	case BAD_OVERLAP_SAME: c.dst_handle = a; c.size = 1; break;
	case BAD_FLAGS: c.flags = 1; break;
	case BAD_PAD: c.pad = 1; break;
	case BAD_OUT_FLAGS:
		c.out_sync.handle = igt_neuron_syncobj(fd);
		c.out_sync.flags = 1;
		break;
	case BAD_IN_FLAGS:
		in[0].flags = 1;
		c.in_syncs = (uintptr_t)in;
		c.in_sync_count = 1;
		break;
	case BAD_NC: c.nc = devinfo.nc_count; break;
	case BAD_NC_BIG: c.nc = ANY - 1; break;
	case BAD_IN_COUNT: c.in_syncs = (uintptr_t)in; c.in_sync_count = 65; break;
	case BAD_IN_PTR: c.in_syncs = 8; c.in_sync_count = 1; break;
	case BAD_IN_PTR_NULL: c.in_syncs = 0; c.in_sync_count = 2; break;
	case BAD_SRC_HANDLE: c.src_handle = 0x7ffffff0; break;
	case BAD_DST_HANDLE: c.dst_handle = 0x7ffffff0; break;
	case BAD_IN_SYNCOBJ:
		in[0].handle = 0x7ffffff0;
		c.in_syncs = (uintptr_t)in;
		c.in_sync_count = 1;
		break;
	case BAD_OUT_SYNCOBJ: c.out_sync.handle = 0x7ffffff0; break;
	case BAD_OUT_POINT: c.out_sync.point = 1; break;
	case BAD_VALUE: case BAD_VALUE_MAX: break;
	}

	if (is_copy) {
		ret = __igt_neuron_copy(fd, &c);
	} else {
		struct drm_neuron_fill fl = {
			.handle = c.dst_handle, .value = 0x11, .offset = c.dst_offset,
			.size = c.size, .flags = c.flags, .nc = c.nc, .in_syncs = c.in_syncs,
			.in_sync_count = c.in_sync_count, .pad = c.pad, .out_sync = c.out_sync,
		};

		if (bad == BAD_VALUE)
			fl.value = 256;
		if (bad == BAD_VALUE_MAX)
			fl.value = UINT32_MAX;
		ret = __igt_neuron_fill(fd, &fl);
	}
	igt_assert_f(ret == -err, "%s: got %d (%s), expected -%s\n", is_copy ? "COPY" : "FILL",
		     ret, strerror(-ret), strerror(err));
	if (c.out_sync.handle && c.out_sync.handle != 0x7ffffff0) {
		/* A refused job signals nothing. */
		igt_assert(!syncobj_signalled(fd, c.out_sync.handle));
		drmSyncobjDestroy(fd, c.out_sync.handle);
	}
	drmSyncobjDestroy(fd, sig);
	/* Nothing was written anywhere. */
	igt_neuron_copy(fd, witness->h, 0, b, 0, BAD_BO_SIZE, 0);
	igt_neuron_copy(fd, witness->h, BAD_BO_SIZE, a, 0, BAD_BO_SIZE, 0);
	igt_neuron_bo_wait(fd, witness->h);
	igt_neuron_assert_bytes(witness->p, 0, 2 * BAD_BO_SIZE, 0, "after a refused job");
}

/* One invalid case on fresh BOs: two device BOs and a host witness. */
static void run_bad(const struct bad_case *c, bool is_copy)
{
	uint32_t a = igt_neuron_bo_create(fd, DEV, BAD_BO_SIZE);
	uint32_t b = igt_neuron_bo_create(fd, DEV, BAD_BO_SIZE);
	struct igt_neuron_hbo w = igt_neuron_hbo_new(fd, 2 * BAD_BO_SIZE);

	check_bad(c->bad, c->err, is_copy, a, b, &w);
	igt_neuron_hbo_free(fd, &w);
	igt_neuron_bo_close(fd, a);
	igt_neuron_bo_close(fd, b);
}

/* ---- signals ---- */

static void on_alarm(int sig)
{
	(void)sig;
}

static int64_t now_ns(void)
{
	return igt_neuron_abs_timeout(0);
}

static void do_dma_error(bool fill)
{
	int d = igt_neuron_node_emu(&node);
	struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, 1 << 16), dst = igt_neuron_hbo_new(fd, 1 << 16);
	uint32_t dev = igt_neuron_bo_create(fd, DEV, 1 << 16), s = igt_neuron_syncobj(fd);
	uint64_t aborts;
	int st;

	igt_neuron_bo_wait(fd, dev);
	igt_neuron_random_fill(src.p, src.size, 77);
	aborts = igt_neuron_emu_counter(d, "queue_aborts");
	igt_assert_eq(igt_neuron_emu_fault(d, "dma_error", 1), 0);
	if (fill)
		igt_neuron_fill(fd, dev, 0, 1 << 16, 0x42, s);
	else
		igt_neuron_copy(fd, dev, 0, src.h, 0, 1 << 16, s);
	igt_neuron_syncobj_wait(fd, s);
	st = igt_neuron_syncobj_status(fd, s);
	igt_assert_f(st == -EIO, "fence status of the failed job is %d, expected -EIO\n", st);
	igt_assert_eq_u64(igt_neuron_emu_fault_pending(d, "dma_error"), 0);
	igt_assert_eq_u64(igt_neuron_emu_counter(d, "queue_aborts"), aborts + 1);
	/* BO_WAIT reports completion (the error is the fence's). */
	igt_assert_eq(__igt_neuron_bo_wait(fd, dev, 0, igt_neuron_abs_timeout(5000000000ll)), 0);

	/* The queue recovered: the next jobs work, on the same NeuronCore. */
	drmSyncobjDestroy(fd, s);
	s = igt_neuron_syncobj(fd);
	igt_neuron_copy(fd, dev, 0, src.h, 0, 1 << 16, 0);
	igt_neuron_copy(fd, dst.h, 0, dev, 0, 1 << 16, s);
	igt_neuron_syncobj_wait(fd, s);
	igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
	igt_neuron_assert_same(dst.p, src.p, 1 << 16, "after recovery");
	drmSyncobjDestroy(fd, s);
	igt_neuron_bo_close(fd, dev);
	igt_neuron_hbo_free(fd, &src);
	igt_neuron_hbo_free(fd, &dst);
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
		igt_neuron_device_info(fd, &devinfo);
	}

	igt_describe("Random data host -> device -> host, compared byte for byte, for sizes "
		     "from 1 byte to 64 MiB + 1 at offsets that are not multiples of 4; bytes "
		     "around the range are untouched.");
	igt_subtest_with_dynamic("roundtrip") {
		static const uint64_t sizes[] = {
			1, 3, 4095, 4096, 4097, 65535, 65536, 65537, (1 << 20) + 7,
			(64 << 20) + 1,
		};

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
			igt_dynamic_f("size-%" PRIu64, sizes[i])
				roundtrip(fd, sizes[i], 1, 3, 5, ANY);
	}

	igt_describe("Round trips whose ranges start just before, end just after or span "
		     "64 KiB and page boundaries, at different offsets on each side.");
	igt_subtest_with_dynamic("roundtrip-offsets") {
		static const struct { uint64_t size, soff, doff, roff; } t[] = {
			{ 3, 65535, 65534, 65533 },
			{ 65536 + 13, 65536 - 7, 2 * 65536 - 5, 3 },
			{ 3 * 65536, 0, 0, 0 },
			{ 131073, 1, 65535, 131071 },
			{ 8195, 4093, 4099, 8191 },
			{ 200000, 65536, 7, 65537 },
		};

		for (size_t i = 0; i < ARRAY_SIZE(t); i++)
			igt_dynamic_f("size-%" PRIu64 "-src-%" PRIu64 "-dev-%" PRIu64 "-dst-%" PRIu64,
				      t[i].size, t[i].soff, t[i].doff, t[i].roff)
				roundtrip(fd, t[i].size, t[i].soff, t[i].doff, t[i].roff, ANY);
	}

	igt_describe("Round trips on each NeuronCore's copy engine.");
	igt_subtest_with_dynamic("roundtrip-nc") {
		for (uint32_t nc = 0; nc < devinfo.nc_count; nc++)
			igt_dynamic_f("nc-%u", nc)
				roundtrip(fd, 65537 * 2, 7, 9, 11, nc);
	}

	igt_describe("Round trips on every device.");
	igt_subtest_with_dynamic("roundtrip-devices") {
		struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
		int n = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);

		for (int i = 0; i < n; i++)
			igt_dynamic_f("accel%d", nodes[i].minor) {
				int f = igt_neuron_open(nodes[i].minor);

				roundtrip(f, (1 << 20) + 7, 1, 3, 5, ANY);
				close(f);
			}
	}

	igt_describe("Device -> device copies: between channels, within a channel, and "
		     "between non-overlapping ranges of one BO.");
	igt_subtest_with_dynamic("device-to-device") {
		static const struct { const char *name; uint32_t ch_a, ch_b; bool same; } t[] = {
			{ "cross-channel", 0, 1, false },
			{ "same-channel", 1, 1, false },
			{ "same-bo", 0, 0, true },
		};

		for (size_t i = 0; i < ARRAY_SIZE(t); i++)
			igt_dynamic(t[i].name) {
				const uint64_t size = 3 * 65536 + 5;
				struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, size + 1), dst = igt_neuron_hbo_new(fd, size + 2);
				uint32_t a = igt_neuron_bo_create_device(fd, 2 * size + 16, t[i].ch_a, ANY);
				uint32_t b = t[i].same ? a :
					     igt_neuron_bo_create_device(fd, size + 16, t[i].ch_b, ANY);
				uint64_t boff = t[i].same ? size + 9 : 13;

				igt_neuron_random_fill(src.p, src.size, i + 100);
				memset(dst.p, CANARY, dst.size);
				igt_neuron_copy(fd, a, 3, src.h, 1, size, 0);
				igt_neuron_copy(fd, b, boff, a, 3, size, 0);
				/* Overwrite the source range: the copy must have read it first. */
				igt_neuron_fill(fd, a, 3, size, 0xee, 0);
				igt_neuron_copy(fd, dst.h, 1, b, boff, size, 0);
				igt_neuron_bo_wait(fd, dst.h);
				igt_neuron_assert_same(dst.p + 1, src.p + 1, size, "device to device");
				igt_neuron_assert_bytes(dst.p, 0, 1, CANARY, "before");
				igt_neuron_assert_bytes(dst.p, size + 1, size + 2, CANARY, "after");
				if (!t[i].same)
					igt_neuron_bo_close(fd, b);
				igt_neuron_bo_close(fd, a);
				igt_neuron_hbo_free(fd, &src);
				igt_neuron_hbo_free(fd, &dst);
			}
	}

	igt_describe("Host -> host copies between two BOs and within one BO, unaligned.");
	igt_subtest_with_dynamic("host-to-host") {
		for (int same = 0; same < 2; same++)
			igt_dynamic(same ? "same-bo" : "two-bos") {
				const uint64_t size = 70001;
				struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 2 * size + 64), b = igt_neuron_hbo_new(fd, size + 64);
				struct igt_neuron_hbo *d = same ? &a : &b;
				uint64_t doff = same ? size + 33 : 31;
				uint8_t *ref = malloc(a.size);
				uint32_t s = igt_neuron_syncobj(fd);

				igt_neuron_random_fill(a.p, a.size, 5 + same);
				memset(b.p, CANARY, b.size);
				memcpy(ref, a.p, a.size);
				for (int k = 0; k < 4; k++)
					igt_assert_eq(copy_nc(fd, d->h, doff, a.h, 7, size,
							      k == 3 ? ANY : (uint32_t)k, k == 3 ? s : 0), 0);
				igt_neuron_syncobj_wait(fd, s);
				igt_neuron_bo_wait(fd, d->h);
				igt_neuron_assert_same(d->p + doff, ref + 7, size, "host to host");
				if (same) {
					igt_neuron_assert_same(a.p, ref, doff, "untouched");
					igt_neuron_assert_same(a.p + doff + size, ref + doff + size,
						   a.size - doff - size, "untouched");
				} else {
					igt_neuron_assert_bytes(b.p, 0, doff, CANARY, "before");
					igt_neuron_assert_bytes(b.p, doff + size, b.size, CANARY, "after");
				}
				free(ref);
				drmSyncobjDestroy(fd, s);
				igt_neuron_hbo_free(fd, &a);
				igt_neuron_hbo_free(fd, &b);
			}
	}

	igt_describe("FILL of host and device BOs with several values, at odd offsets and "
		     "sizes; bytes outside the range are untouched.");
	igt_subtest_with_dynamic("fill") {
		static const uint8_t values[] = { 0, 1, 0x5a, 0xff };
		static const struct { uint64_t off, size; } r[] = {
			{ 1, 1 }, { 3, 4093 }, { 65535, 65538 }, { 5, (1 << 20) + 3 },
		};

		for (int dev = 0; dev < 2; dev++)
			for (size_t v = 0; v < ARRAY_SIZE(values); v++)
				igt_dynamic_f("%s-value-%u", dev ? "device" : "host", values[v])
					for (size_t i = 0; i < ARRAY_SIZE(r); i++) {
						uint64_t size = r[i].off + r[i].size + 77;
						struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, size), ref = igt_neuron_hbo_new(fd, size);
						uint32_t d = dev ? igt_neuron_bo_create(fd, DEV, size) : h.h;

						igt_neuron_random_fill(ref.p, size, i * 7 + v);
						memcpy(h.p, ref.p, size);
						if (dev)
							igt_neuron_copy(fd, d, 0, h.h, 0, size, 0);
						igt_neuron_fill(fd, d, r[i].off, r[i].size, values[v], 0);
						if (dev) {
							/* The first copy read h: wait before reusing it. */
							igt_neuron_bo_wait(fd, d);
							memset(h.p, CANARY, size);
							igt_neuron_copy(fd, h.h, 0, d, 0, size, 0);
						}
						igt_neuron_bo_wait(fd, h.h);
						igt_neuron_assert_same(h.p, ref.p, r[i].off, "before the fill");
						igt_neuron_assert_bytes(h.p, r[i].off, r[i].off + r[i].size,
							    values[v], "fill");
						igt_neuron_assert_same(h.p + r[i].off + r[i].size,
							   ref.p + r[i].off + r[i].size, 77, "after the fill");
						if (dev)
							igt_neuron_bo_close(fd, d);
						igt_neuron_hbo_free(fd, &h);
						igt_neuron_hbo_free(fd, &ref);
					}
	}

	igt_describe("Every fill value 0..255, one queued job each, all in flight at once.");
	igt_subtest("fill-all-values") {
		struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, 3 * 256 + 1);
		uint32_t d = igt_neuron_bo_create(fd, DEV, 3 * 256 + 1);

		memset(h.p, CANARY, h.size);
		for (int v = 0; v < 256; v++) {
			struct drm_neuron_fill f = {
				.handle = v % 2 ? d : h.h, .value = v, .offset = 3 * v + 1,
				.size = 2, .nc = v % 5 == 4 ? ANY : (uint32_t)v % 4,
			};

			igt_assert_eq(__igt_neuron_fill(fd, &f), 0);
		}
		/* Odd values went to the device BO: bring them over. */
		for (int v = 1; v < 256; v += 2)
			igt_neuron_copy(fd, h.h, 3 * v + 1, d, 3 * v + 1, 2, 0);
		igt_neuron_bo_wait(fd, h.h);
		igt_assert_eq(h.p[0], CANARY);
		for (int v = 0; v < 256; v++) {
			igt_assert_eq(h.p[3 * v + 1], v);
			igt_assert_eq(h.p[3 * v + 2], v);
			if (v < 255)
				igt_assert_eq(h.p[3 * v + 3], CANARY);
		}
		igt_neuron_bo_close(fd, d);
		igt_neuron_hbo_free(fd, &h);
	}

	igt_describe("mmap coherence: what the CPU writes through a live mapping is what a "
		     "following COPY reads, each time, without remapping.");
	igt_subtest("mmap-cpu-to-dma") {
		struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, 65536 + 3), dst = igt_neuron_hbo_new(fd, 65536 + 3);
		uint32_t dev = igt_neuron_bo_create(fd, DEV, 65536 + 3);

		for (int round = 0; round < 4; round++) {
			igt_neuron_random_fill(src.p, src.size, round + 1000);
			igt_neuron_copy(fd, dev, 0, src.h, 0, src.size, 0);
			igt_neuron_copy(fd, dst.h, 0, dev, 0, src.size, 0);
			igt_neuron_bo_wait(fd, dst.h);
			igt_neuron_assert_same(dst.p, src.p, src.size, "CPU writes seen by DMA");
		}
		igt_neuron_bo_close(fd, dev);
		igt_neuron_hbo_free(fd, &src);
		igt_neuron_hbo_free(fd, &dst);
	}

	igt_describe("mmap coherence: after BO_WAIT or a syncobj wait the CPU sees what a "
		     "COPY or FILL wrote, through a mapping made (and read) before the DMA.");
	igt_subtest("mmap-dma-to-cpu") {
		struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, 65536 + 3), dst = igt_neuron_hbo_new(fd, 65536 + 3);
		uint32_t s = igt_neuron_syncobj(fd);
		volatile uint8_t sum = 0;

		for (int round = 0; round < 4; round++) {
			for (uint64_t i = 0; i < dst.size; i += 64)
				sum += dst.p[i];	/* fault in and read first */
			igt_neuron_random_fill(src.p, src.size, round + 2000);
			if (round % 2) {
				igt_neuron_copy(fd, dst.h, 0, src.h, 0, src.size, 0);
				igt_neuron_bo_wait(fd, dst.h);
			} else {
				igt_neuron_copy(fd, dst.h, 0, src.h, 0, src.size, s);
				igt_neuron_syncobj_wait(fd, s);
			}
			igt_neuron_assert_same(dst.p, src.p, src.size, "DMA writes seen by the CPU");
			igt_neuron_fill(fd, dst.h, 1, 5, round, s);
			igt_neuron_syncobj_wait(fd, s);
			igt_neuron_assert_bytes(dst.p, 1, 6, round, "fill seen by the CPU");
		}
		(void)sum;
		drmSyncobjDestroy(fd, s);
		igt_neuron_hbo_free(fd, &src);
		igt_neuron_hbo_free(fd, &dst);
	}

	igt_describe("A binary out-syncobj is signalled (without error) when the copy is done "
		     "and replaced by every new job.");
	igt_subtest("out-fence-binary") {
		struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, 1 << 20), dst = igt_neuron_hbo_new(fd, 1 << 20);
		uint32_t s = igt_neuron_syncobj(fd);

		for (int i = 0; i < 3; i++) {
			igt_neuron_random_fill(src.p, src.size, i);
			igt_neuron_copy(fd, dst.h, 0, src.h, 0, src.size, s);
			igt_assert_eq(drmSyncobjWait(fd, &s, 1, INT64_MAX, 0, NULL), 0);
			igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
			igt_neuron_assert_same(dst.p, src.p, src.size, "after the out-fence");
			igt_assert_eq(__igt_neuron_bo_wait(fd, dst.h, 0, 0), 0);
		}
		drmSyncobjDestroy(fd, s);
		igt_neuron_hbo_free(fd, &src);
		igt_neuron_hbo_free(fd, &dst);
	}

	igt_describe("Timeline out-syncobj points are signalled in order; the timeline's "
		     "value is the last point.");
	igt_subtest("out-fence-timeline") {
		struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, 8 * 65536), dst = igt_neuron_hbo_new(fd, 8 * 65536);
		uint64_t points[8], last = 0;
		uint32_t s = igt_neuron_syncobj(fd), hs[8];

		igt_neuron_random_fill(src.p, src.size, 9);
		for (int i = 0; i < 8; i++) {
			struct drm_neuron_copy c = {
				.src_handle = src.h, .dst_handle = dst.h, .src_offset = i * 65536,
				.dst_offset = i * 65536, .size = 65536, .nc = i % 4,
				.out_sync = { .handle = s, .point = i + 1 },
			};

			igt_assert_eq(__igt_neuron_copy(fd, &c), 0);
			points[i] = i + 1;
			hs[i] = s;
		}
		igt_assert_eq(drmSyncobjTimelineWait(fd, hs, points, 8, INT64_MAX,
						     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL), 0);
		igt_assert_eq(drmSyncobjQuery(fd, &s, &last, 1), 0);
		igt_assert_eq_u64(last, 8);
		igt_neuron_assert_same(dst.p, src.p, src.size, "after the timeline");
		drmSyncobjDestroy(fd, s);
		igt_neuron_hbo_free(fd, &src);
		igt_neuron_hbo_free(fd, &dst);
	}

	igt_describe("In-fences that are already signalled (binary, timeline point, 64 of "
		     "them) let the copy run.");
	igt_subtest("in-fence-signalled") {
		struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, 4096), dst = igt_neuron_hbo_new(fd, 4096);
		struct drm_neuron_sync in[64];
		uint32_t bin, tl, out = igt_neuron_syncobj(fd);
		uint64_t pt = 5;

		igt_assert_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &bin), 0);
		tl = igt_neuron_syncobj(fd);
		igt_assert_eq(drmSyncobjTimelineSignal(fd, &tl, &pt, 1), 0);
		for (int i = 0; i < 64; i++)
			in[i] = (struct drm_neuron_sync){ .handle = i % 2 ? tl : bin,
							  .point = i % 2 ? 1 + i % 5 : 0 };
		igt_neuron_random_fill(src.p, src.size, 3);
		{
			struct drm_neuron_copy c = {
				.src_handle = src.h, .dst_handle = dst.h, .size = 4096, .nc = ANY,
				.in_syncs = (uintptr_t)in, .in_sync_count = 64,
				.out_sync.handle = out,
			};

			igt_assert_eq(__igt_neuron_copy(fd, &c), 0);
		}
		igt_neuron_syncobj_wait(fd, out);
		igt_neuron_assert_same(dst.p, src.p, 4096, "after in-fences");
		drmSyncobjDestroy(fd, bin);
		drmSyncobjDestroy(fd, tl);
		drmSyncobjDestroy(fd, out);
		igt_neuron_hbo_free(fd, &src);
		igt_neuron_hbo_free(fd, &dst);
	}

	igt_describe("A copy whose in-fence is a pending job on another NeuronCore does not "
		     "run before it: its destination is unchanged and its out-fence unsignalled "
		     "until the first job completes.");
	igt_subtest("in-fence-blocks") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 65536), b = igt_neuron_hbo_new(fd, 65536);
		struct igt_neuron_hbo c = igt_neuron_hbo_new(fd, 65536), d = igt_neuron_hbo_new(fd, 65536);
		uint32_t s1 = igt_neuron_syncobj(fd), s2 = igt_neuron_syncobj(fd);
		struct drm_neuron_sync in = { .handle = s1 };
		struct drm_neuron_copy cp = {
			.src_handle = c.h, .dst_handle = d.h, .size = 65536, .nc = 1,
			.in_syncs = (uintptr_t)&in, .in_sync_count = 1, .out_sync.handle = s2,
		};

		igt_neuron_node_emu(&node);
		igt_neuron_random_fill(a.p, 65536, 1);
		igt_neuron_random_fill(c.p, 65536, 2);
		memset(b.p, CANARY, 65536);
		memset(d.p, CANARY, 65536);
		stall(0);
		igt_assert_eq(copy_nc(fd, b.h, 0, a.h, 0, 65536, 0, s1), 0);
		igt_assert_eq(__igt_neuron_copy(fd, &cp), 0);
		usleep(STALL_US);
		igt_assert(!syncobj_signalled(fd, s1));
		igt_assert(!syncobj_signalled(fd, s2));
		igt_assert_eq(__igt_neuron_bo_wait(fd, d.h, 0, 0), -ETIMEDOUT);
		igt_neuron_assert_bytes(d.p, 0, 65536, CANARY, "copy ran before its in-fence");
		unstall();
		igt_neuron_syncobj_wait(fd, s2);
		igt_assert(syncobj_signalled(fd, s1));
		igt_neuron_assert_same(b.p, a.p, 65536, "first copy");
		igt_neuron_assert_same(d.p, c.p, 65536, "second copy");
		drmSyncobjDestroy(fd, s1);
		drmSyncobjDestroy(fd, s2);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
		igt_neuron_hbo_free(fd, &c);
		igt_neuron_hbo_free(fd, &d);
	}

	igt_describe("Implicit sync through the BOs across NeuronCores: read-after-write, "
		     "write-after-read and write-after-write jobs wait for the pending job "
		     "on a stalled engine.");
	igt_subtest_with_dynamic("implicit-sync") {
		static const char *const kinds[] = { "read-after-write", "write-after-read",
						     "write-after-write" };

		igt_neuron_node_emu(&node);
		for (int k = 0; k < 3; k++)
			igt_dynamic(kinds[k]) {
				const uint64_t size = 65536 * 2 + 3;
				struct igt_neuron_hbo x = igt_neuron_hbo_new(fd, size), y = igt_neuron_hbo_new(fd, size);
				uint32_t dev = igt_neuron_bo_create(fd, DEV, size);
				uint8_t *ref = malloc(size);

				igt_neuron_random_fill(x.p, size, 40 + k);
				memcpy(ref, x.p, size);
				memset(y.p, CANARY, size);
				igt_neuron_bo_wait(fd, dev);
				stall(0);
				/* First job, stalled on NC 0: x -> dev. */
				igt_assert_eq(copy_nc(fd, dev, 0, x.h, 0, size, 0, 0), 0);
				if (k == 0)	/* dev -> y on NC 1 must see x's data */
					igt_assert_eq(copy_nc(fd, y.h, 0, dev, 0, size, 1, 0), 0);
				else if (k == 1) {	/* overwriting x must wait for the read */
					struct drm_neuron_fill f = {
						.handle = x.h, .value = 0x99, .size = size, .nc = 2,
					};

					igt_assert_eq(__igt_neuron_fill(fd, &f), 0);
				} else {	/* a later write to dev lands last */
					struct drm_neuron_fill f = {
						.handle = dev, .value = 0x77, .offset = 1, .size = 5,
						.nc = 3,
					};

					igt_assert_eq(__igt_neuron_fill(fd, &f), 0);
				}
				usleep(STALL_US);
				if (k == 0)
					igt_neuron_assert_bytes(y.p, 0, size, CANARY, "read before the write");
				if (k == 1)
					igt_neuron_assert_same(x.p, ref, size, "overwritten before the read");
				unstall();
				igt_neuron_bo_wait(fd, x.h);
				igt_neuron_bo_wait(fd, dev);
				if (k == 2) {
					igt_neuron_copy(fd, y.h, 0, dev, 0, size, 0);
					memset(ref + 1, 0x77, 5);
				}
				igt_neuron_bo_wait(fd, y.h);
				if (k == 1) {
					igt_neuron_assert_bytes(x.p, 0, size, 0x99, "fill");
					igt_neuron_copy(fd, y.h, 0, dev, 0, size, 0);
					igt_neuron_bo_wait(fd, y.h);
				}
				igt_neuron_assert_same(y.p, ref, size, "ordered result");
				free(ref);
				igt_neuron_bo_close(fd, dev);
				igt_neuron_hbo_free(fd, &x);
				igt_neuron_hbo_free(fd, &y);
			}
	}

	igt_describe("BO_WAIT on a busy BO: timeout 0 and a past deadline return ETIMEDOUT at "
		     "once, a near deadline ETIMEDOUT after it; idle after the job completes.");
	igt_subtest("bo-wait-busy") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 65536), b = igt_neuron_hbo_new(fd, 65536);
		int64_t t0, t1;

		igt_neuron_node_emu(&node);
		stall(2);
		igt_assert_eq(copy_nc(fd, b.h, 0, a.h, 0, 65536, 2, 0), 0);
		igt_assert_eq(__igt_neuron_bo_wait(fd, b.h, 0, 0), -ETIMEDOUT);
		igt_assert_eq(__igt_neuron_bo_wait(fd, a.h, 0, 0), -ETIMEDOUT);
		igt_assert_eq(__igt_neuron_bo_wait(fd, b.h, 0, now_ns() - 1000000), -ETIMEDOUT);
		t0 = now_ns();
		igt_assert_eq(__igt_neuron_bo_wait(fd, b.h, 0, t0 + 100000000), -ETIMEDOUT);
		t1 = now_ns();
		igt_assert_f(t1 - t0 >= 90000000, "BO_WAIT returned after %" PRId64 " ns\n", t1 - t0);
		igt_assert_f(t1 - t0 < 2000000000ll, "BO_WAIT returned after %" PRId64 " ns\n",
			     t1 - t0);
		unstall();
		igt_assert_eq(__igt_neuron_bo_wait(fd, b.h, 0, igt_neuron_abs_timeout(10000000000ll)), 0);
		igt_assert_eq(__igt_neuron_bo_wait(fd, b.h, 0, 0), 0);
		igt_assert_eq(__igt_neuron_bo_wait(fd, a.h, 0, 0), 0);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("A signal interrupts BO_WAIT on a busy BO with EINTR.");
	igt_subtest("bo-wait-interrupted") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 65536), b = igt_neuron_hbo_new(fd, 65536);
		struct sigaction sa = { .sa_handler = on_alarm }, old;
		struct drm_neuron_bo_wait w = { .handle = b.h };
		int ret, err;

		igt_neuron_node_emu(&node);
		stall(2);
		igt_assert_eq(copy_nc(fd, b.h, 0, a.h, 0, 65536, 2, 0), 0);
		sigaction(SIGALRM, &sa, &old);
		w.timeout_ns = igt_neuron_abs_timeout(2000000000ll);
		ualarm(100000, 0);
		/* Bare ioctl(): drmIoctl() would restart the EINTR under test. */
		ret = ioctl(fd, DRM_IOCTL_NEURON_BO_WAIT, &w);
		err = errno;
		sigaction(SIGALRM, &old, NULL);
		unstall();
		igt_assert_eq(ret, -1);
		igt_assert_eq(err, EINTR);
		igt_neuron_bo_wait(fd, b.h);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("A BO whose handle is closed while a job uses it stays alive until the "
		     "job is done: the job's result is intact.");
	igt_subtest("close-while-busy") {
		struct igt_neuron_hbo dst = igt_neuron_hbo_new(fd, 1 << 20);
		uint32_t src = igt_neuron_bo_create(fd, HOST, 1 << 20);
		uint32_t dev = igt_neuron_bo_create(fd, DEV, 1 << 20), s = igt_neuron_syncobj(fd);
		uint8_t *p = igt_neuron_bo_mmap(fd, src, 1 << 20), *ref = malloc(1 << 20);

		igt_neuron_node_emu(&node);
		igt_neuron_random_fill(p, 1 << 20, 55);
		memcpy(ref, p, 1 << 20);
		munmap(p, 1 << 20);
		igt_neuron_bo_wait(fd, dev);
		stall(3);
		igt_assert_eq(copy_nc(fd, dev, 0, src, 0, 1 << 20, 3, 0), 0);
		igt_assert_eq(copy_nc(fd, dst.h, 0, dev, 0, 1 << 20, 3, s), 0);
		igt_neuron_bo_close(fd, src);
		igt_neuron_bo_close(fd, dev);
		usleep(STALL_US / 3);
		unstall();
		igt_neuron_syncobj_wait(fd, s);
		igt_assert_eq(igt_neuron_syncobj_status(fd, s), 1);
		igt_neuron_assert_same(dst.p, ref, 1 << 20, "result of jobs on closed BOs");
		free(ref);
		drmSyncobjDestroy(fd, s);
		igt_neuron_hbo_free(fd, &dst);
	}

	igt_describe("Closing the file with jobs pending on a stalled engine is safe; the "
		     "device works for the next client.");
	igt_subtest("close-fd-while-busy") {
		int f = igt_neuron_open(node.minor);
		uint32_t a = igt_neuron_bo_create(f, HOST, 1 << 20);
		uint32_t d = igt_neuron_bo_create(f, DEV, 1 << 20);

		igt_neuron_node_emu(&node);
		igt_neuron_bo_wait(f, d);
		stall(1);
		for (int i = 0; i < 16; i++)
			igt_assert_eq(copy_nc(f, i % 2 ? a : d, 0, i % 2 ? d : a, 0, 1 << 20, 1, 0), 0);
		close(f);
		usleep(STALL_US / 3);
		unstall();
		f = igt_neuron_open(node.minor);
		roundtrip(f, 65537, 1, 1, 1, 1);
		close(f);
	}

	igt_describe("Hundreds of small jobs in flight at once, across all NeuronCores and "
		     "through ring wrap-around, all land correctly.");
	igt_subtest("many-jobs") {
		const int n = 1024;
		struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, n * 67), dst = igt_neuron_hbo_new(fd, n * 67);
		uint32_t dev = igt_neuron_bo_create(fd, DEV, n * 67), s = igt_neuron_syncobj(fd);

		igt_neuron_random_fill(src.p, src.size, 1234);
		memset(dst.p, CANARY, dst.size);
		for (int i = 0; i < n; i++)
			igt_assert_eq(copy_nc(fd, dev, i * 67, src.h, i * 67, 1 + i % 67,
					      i % 4, 0), 0);
		for (int i = 0; i < n; i++)
			igt_assert_eq(copy_nc(fd, dst.h, i * 67, dev, i * 67, 1 + i % 67,
					      (i + 1) % 4, i == n - 1 ? s : 0), 0);
		igt_neuron_syncobj_wait(fd, s);
		igt_neuron_bo_wait(fd, dst.h);
		for (int i = 0; i < n; i++) {
			igt_neuron_assert_same(dst.p + i * 67, src.p + i * 67, 1 + i % 67, "job data");
			igt_neuron_assert_bytes(dst.p, i * 67 + 1 + i % 67, (i + 1) * 67, CANARY, "between jobs");
		}
		drmSyncobjDestroy(fd, s);
		igt_neuron_bo_close(fd, dev);
		igt_neuron_hbo_free(fd, &src);
		igt_neuron_hbo_free(fd, &dst);
	}

	igt_describe("Every invalid COPY argument fails with the documented errno, signals "
		     "nothing and writes nothing.");
	igt_subtest_with_dynamic("invalid-copy") {
		for (size_t i = 0; i < ARRAY_SIZE(bads); i++)
			if (bads[i].copy)
				igt_dynamic(bads[i].name)
					run_bad(&bads[i], true);
	}

	igt_describe("Every invalid FILL argument fails with the documented errno, signals "
		     "nothing and writes nothing.");
	igt_subtest_with_dynamic("invalid-fill") {
		for (size_t i = 0; i < ARRAY_SIZE(bads); i++)
			if (bads[i].fill)
				igt_dynamic(bads[i].name)
					run_bad(&bads[i], false);
	}

	igt_describe("Copies and fills of every kind read no BAR0/BAR2/BAR4 register: "
		     "completion is seen in host memory; at most two doorbells per job, and "
		     "the device moved at least the payload.");
	igt_subtest("no-mmio-reads") {
		struct igt_neuron_hbo a = igt_neuron_hbo_new(fd, 1 << 20), b = igt_neuron_hbo_new(fd, 1 << 20);
		uint32_t d1 = igt_neuron_bo_create(fd, DEV, 1 << 20);
		uint32_t d2 = igt_neuron_bo_create(fd, DEV, 1 << 20);
		uint32_t s = igt_neuron_syncobj(fd);
		uint64_t bytes = 0, doorbells, moved;
		int d = igt_neuron_node_emu(&node), jobs = 0;

		igt_neuron_bo_wait(fd, d1);
		igt_neuron_bo_wait(fd, d2);
		igt_neuron_random_fill(a.p, a.size, 8);
		igt_neuron_emu_reset_counters(d);
		for (int i = 0; i < 8; i++) {
			uint64_t sz = i % 2 ? (1 << 20) - i : 4096 + i;

			igt_neuron_copy(fd, d1, 0, a.h, 0, sz, s);	/* h2d */
			igt_neuron_syncobj_wait(fd, s);
			igt_neuron_copy(fd, d2, 0, d1, 0, sz, s);	/* d2d */
			igt_neuron_syncobj_wait(fd, s);
			igt_neuron_copy(fd, b.h, 0, d2, 0, sz, s);	/* d2h */
			igt_neuron_syncobj_wait(fd, s);
			igt_neuron_copy(fd, b.h, 0, a.h, 0, sz, s);	/* h2h */
			igt_neuron_syncobj_wait(fd, s);
			igt_neuron_fill(fd, d1, 0, sz, i, s);		/* fill */
			igt_neuron_syncobj_wait(fd, s);
			igt_neuron_bo_wait(fd, b.h);
			igt_assert_eq(__igt_neuron_bo_wait(fd, d1, 0, 0), 0);
			jobs += 5;
			bytes += 5 * sz;
		}
		doorbells = igt_neuron_emu_counter(d, "doorbells");
		moved = igt_neuron_emu_counter(d, "dma_bytes");
		igt_info("%d jobs: %" PRIu64 " doorbells, %" PRIu64 " descriptors, %" PRIu64
			 " interrupts, %" PRIu64 " DMA bytes for %" PRIu64 " payload\n", jobs,
			 doorbells, igt_neuron_emu_counter(d, "descriptors"),
			 igt_neuron_emu_counter(d, "interrupts"), moved, bytes);
		igt_assert_eq_u64(igt_neuron_emu_counter(d, "mmio_reads_bar0"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(d, "mmio_reads_bar2"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(d, "mmio_reads_bar4"), 0);
		igt_assert_lte_u64(jobs, doorbells);
		igt_assert_lte_u64(doorbells, 2 * jobs);
		igt_assert_lte_u64(bytes, moved);
		igt_assert_eq_u64(igt_neuron_emu_counter(d, "queue_aborts"), 0);
		igt_neuron_assert_same(b.p, a.p, (1 << 20) - 7, "data");
		drmSyncobjDestroy(fd, s);
		igt_neuron_bo_close(fd, d1);
		igt_neuron_bo_close(fd, d2);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
	}

	igt_describe("An injected DMA error makes the job's fence signal with -EIO (sync_file "
		     "status), BO_WAIT still returns, and the next jobs succeed.");
	igt_subtest_with_dynamic("dma-error") {
		igt_neuron_node_emu(&node);
		igt_dynamic("copy")
			do_dma_error(false);
		igt_dynamic("fill")
			do_dma_error(true);
	}

	igt_fixture {
		igt_neuron_node_clear_faults(&node);
		close(fd);
	}
}
