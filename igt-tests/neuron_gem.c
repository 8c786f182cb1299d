// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Buffer objects: BO_CREATE/BO_INFO/BO_WAIT and GEM_CLOSE against the uapi
 * contract (uapi/drm/neuron_accel.h): sizes and rounding, info fields, host
 * mmap, every documented errno, DRAM exhaustion and recovery, handle
 * privacy between clients, memory accounting in fdinfo and debugfs, and
 * DRAM cleared before it changes owner.
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

IGT_TEST_DESCRIPTION("GEM buffer objects: create, info, mmap, errors, DRAM exhaustion, "
		     "privacy, accounting.");

#define PAGE 4096ull
#define CHANNEL_SIZE (4ull << 30)
#define CH1_BASE 0x1000000000ull	/* device address of DRAM channel 1 */
#define DRAM_REGION "dram"		/* fdinfo region of device DRAM */

static struct igt_neuron_node node;
static struct drm_neuron_device_info devinfo;
static int fd = -1;
static char debugfs[PATH_MAX];

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static int create(int f, uint64_t *size, uint32_t domain, uint32_t ch, uint32_t nc,
		  uint32_t *handle)
{
	struct drm_neuron_bo_create c = {
		.size = *size, .domain = domain, .dram_channel = ch, .dram_nc = nc,
	};
	int ret = __igt_neuron_bo_create(f, &c);

	if (!ret) {
		*size = c.size;
		*handle = c.handle;
	}
	return ret;
}

/* Channel (0/1) and offset of a device address, asserting it is in DRAM. */
static int dram_channel_of(uint64_t addr, uint64_t size, uint64_t *offset)
{
	int ch = addr >= CH1_BASE;

	*offset = addr - (ch ? CH1_BASE : 0);
	igt_assert_f(*offset < CHANNEL_SIZE && size <= CHANNEL_SIZE - *offset,
		     "dram_address %#" PRIx64 " + %#" PRIx64 " is not inside a channel\n",
		     addr, size);
	igt_assert_eq_u64(*offset % IGT_NEURON_DRAM_GRANULE, 0);
	return ch;
}

/* debugfs state worth seeing when an allocation fails unexpectedly. */
static void dump_debugfs(void)
{
	static const char *const names[] = { "dram", "copy_queues", "bos" };
	char path[PATH_MAX + 32], buf[8192];

	for (size_t i = 0; debugfs[0] && i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", debugfs, names[i]);
		if (igt_neuron_read_file(path, buf, sizeof(buf)) > 0)
			igt_info("--- %s:\n%s", path, buf);
	}
}

/* Sum of "used N" over the lines of debugfs DRAM usage; false if absent. */
static bool debugfs_dram_used(uint64_t *used)
{
	static const char *const names[] = { "dram", "dram_usage", "memory" };
	char path[PATH_MAX + 32], buf[4096];

	if (!debugfs[0])
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char *p;
		bool found = false;

		snprintf(path, sizeof(path), "%s/%s", debugfs, names[i]);
		if (igt_neuron_read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		*used = 0;
		for (p = strstr(buf, "used"); p; p = strstr(p + 4, "used")) {
			char *q = p + 4, *end;

			while (*q == ' ' || *q == '\t' || *q == ':' || *q == '=')
				q++;
			*used += strtoull(q, &end, 0);
			found |= end != q;
		}
		if (found)
			return true;
	}
	return false;
}

static uint64_t fdinfo_total(int f, const char *region)
{
	char key[64];
	uint64_t v = 0;

	snprintf(key, sizeof(key), "drm-total-%s", region);
	igt_assert_f(igt_neuron_fdinfo_bytes(f, key, &v), "no %s in fdinfo\n", key);
	return v;
}

/* Copy a device range to a fresh host BO and check every byte is `value`. */
static void check_device_bytes(int f, uint32_t bo, uint64_t offset, uint64_t size, uint8_t value)
{
	uint32_t host = igt_neuron_bo_create(f, DRM_NEURON_BO_DOMAIN_HOST, size);
	uint8_t *p;

	p = igt_neuron_bo_mmap(f, host, size);
	memset(p, value ^ 0xff, size);
	igt_neuron_copy(f, host, 0, bo, offset, size, 0);
	igt_neuron_bo_wait(f, host);
	for (uint64_t i = 0; i < size; i++)
		igt_assert_f(p[i] == value, "byte %" PRIu64 " of device BO is %#x, expected %#x\n",
			     offset + i, p[i], value);
	munmap(p, size);
	igt_neuron_bo_close(f, host);
}

/* Allocate `size` device BOs until ENOSPC; returns how many. */
static int fill_dram(int f, uint64_t size, uint32_t ch, uint32_t *handles, int max)
{
	int n = 0, ret;

	for (;;) {
		uint64_t s = size;

		igt_assert_lt(n, max);
		ret = create(f, &s, DRM_NEURON_BO_DOMAIN_DEVICE, ch, DRM_NEURON_ANY, &handles[n]);
		if (ret == -ENOSPC)
			return n;
		igt_assert_f(ret == 0, "BO_CREATE %" PRIu64 " bytes: %s\n", size, strerror(-ret));
		n++;
	}
}

static void close_all(int f, uint32_t *handles, int n)
{
	for (int i = 0; i < n; i++)
		igt_neuron_bo_close(f, handles[i]);
}

static void check_create_host(uint64_t req)
{
	struct drm_neuron_bo_info info;
	uint64_t size = req;
	uint32_t h;

	igt_assert_eq(create(fd, &size, DRM_NEURON_BO_DOMAIN_HOST, DRM_NEURON_ANY,
			     DRM_NEURON_ANY, &h), 0);
	igt_assert_eq_u64(size, round_up(req, PAGE));
	igt_neuron_bo_info(fd, h, &info);
	igt_assert_eq_u32(info.handle, h);
	igt_assert_eq_u64(info.size, size);
	igt_assert_eq_u32(info.domain, DRM_NEURON_BO_DOMAIN_HOST);
	igt_assert_eq_u32(info.flags, 0);
	igt_assert_neq_u64(info.mmap_offset, 0);
	igt_assert_eq_u64(info.mmap_offset % PAGE, 0);
	igt_assert_eq_u64(info.dram_address, 0);
	igt_neuron_bo_close(fd, h);
}

static void check_create_device(uint64_t req)
{
	struct drm_neuron_bo_info info;
	uint64_t size = req, off;
	uint32_t h;

	igt_assert_eq(create(fd, &size, DRM_NEURON_BO_DOMAIN_DEVICE, DRM_NEURON_ANY,
			     DRM_NEURON_ANY, &h), 0);
	igt_assert_eq_u64(size, round_up(req, IGT_NEURON_DRAM_GRANULE));
	igt_neuron_bo_info(fd, h, &info);
	igt_assert_eq_u32(info.handle, h);
	igt_assert_eq_u64(info.size, size);
	igt_assert_eq_u32(info.domain, DRM_NEURON_BO_DOMAIN_DEVICE);
	igt_assert_eq_u32(info.flags, 0);
	igt_assert_eq_u64(info.mmap_offset, 0);
	dram_channel_of(info.dram_address, size, &off);
	igt_neuron_bo_close(fd, h);
}

struct bad_create {
	const char *name;
	struct drm_neuron_bo_create args;
	int err;
};

#define ANY DRM_NEURON_ANY
#define HOST DRM_NEURON_BO_DOMAIN_HOST
#define DEV DRM_NEURON_BO_DOMAIN_DEVICE

/* { size, domain, flags, dram_channel, dram_nc, handle, pad } */
static const struct bad_create bad_creates[] = {
	{ "host-zero-size", { 0, HOST, 0, ANY, ANY, 0, 0 }, EINVAL },
	{ "device-zero-size", { 0, DEV, 0, ANY, ANY, 0, 0 }, EINVAL },
	{ "unknown-domain-2", { 4096, 2, 0, ANY, ANY, 0, 0 }, EINVAL },
	{ "unknown-domain-max", { 4096, 0xffffffff, 0, ANY, ANY, 0, 0 }, EINVAL },
	{ "host-flags", { 4096, HOST, 1, ANY, ANY, 0, 0 }, EINVAL },
	{ "host-flags-high", { 4096, HOST, 1u << 31, ANY, ANY, 0, 0 }, EINVAL },
	{ "device-flags", { 4096, DEV, 1, ANY, ANY, 0, 0 }, EINVAL },
	{ "host-pad", { 4096, HOST, 0, ANY, ANY, 0, 1 }, EINVAL },
	{ "device-pad", { 4096, DEV, 0, ANY, ANY, 0, 0x80000000 }, EINVAL },
	{ "host-channel-0", { 4096, HOST, 0, 0, ANY, 0, 0 }, EINVAL },
	{ "host-channel-1", { 4096, HOST, 0, 1, ANY, 0, 0 }, EINVAL },
	{ "host-nc-0", { 4096, HOST, 0, ANY, 0, 0, 0 }, EINVAL },
	{ "device-channel-2", { 4096, DEV, 0, 2, ANY, 0, 0 }, EINVAL },
	{ "device-channel-big", { 4096, DEV, 0, 0xfffffffe, ANY, 0, 0 }, EINVAL },
	{ "device-nc-4", { 4096, DEV, 0, ANY, 4, 0, 0 }, EINVAL },
	{ "device-nc-big", { 4096, DEV, 0, ANY, 0xfffffffe, 0, 0 }, EINVAL },
	{ "device-over-4g", { (4ull << 30) + 1, DEV, 0, ANY, ANY, 0, 0 }, EINVAL },
	{ "device-8g", { 8ull << 30, DEV, 0, ANY, ANY, 0, 0 }, EINVAL },
	{ "device-size-max", { UINT64_MAX, DEV, 0, ANY, ANY, 0, 0 }, EINVAL },
	{ "device-size-wraps", { UINT64_MAX - 100, DEV, 0, ANY, ANY, 0, 0 }, EINVAL },
	{ "host-1t", { 1ull << 40, HOST, 0, ANY, ANY, 0, 0 }, ENOMEM },
	{ "host-size-max", { UINT64_MAX, HOST, 0, ANY, ANY, 0, 0 }, ENOMEM },
};

static void check_two_clients(int fa, int fb)
{
	struct drm_neuron_bo_info info;
	struct drm_neuron_copy cp;
	struct drm_neuron_fill fl;
	uint32_t ha, hb, hda;
	uint8_t *pa;

	ha = igt_neuron_bo_create(fa, DRM_NEURON_BO_DOMAIN_HOST, PAGE);
	hda = igt_neuron_bo_create(fa, DRM_NEURON_BO_DOMAIN_DEVICE, PAGE);
	pa = igt_neuron_bo_mmap(fa, ha, PAGE);
	memset(pa, 0xa5, PAGE);

	/* Neither of A's handles exists for B. */
	for (int i = 0; i < 2; i++) {
		uint32_t h = i ? hda : ha;

		memset(&info, 0, sizeof(info));
		info.handle = h;
		igt_assert_eq(__igt_neuron_bo_info(fb, &info), -ENOENT);
		igt_assert_eq(__igt_neuron_bo_wait(fb, h, 0, 0), -ENOENT);
		igt_assert_eq(__igt_neuron_bo_close(fb, h), -EINVAL);
		memset(&fl, 0, sizeof(fl));
		fl.handle = h;
		fl.size = 1;
		fl.nc = DRM_NEURON_ANY;
		igt_assert_eq(__igt_neuron_fill(fb, &fl), -ENOENT);
	}

	/* B's own BO with (likely) the same handle number is another object. */
	hb = igt_neuron_bo_create(fb, DRM_NEURON_BO_DOMAIN_HOST, PAGE);
	memset(&cp, 0, sizeof(cp));
	cp.src_handle = ha;
	cp.dst_handle = hb;
	cp.size = 16;
	cp.nc = DRM_NEURON_ANY;
	if (ha != hb)
		igt_assert_eq(__igt_neuron_copy(fb, &cp), -ENOENT);
	cp.src_handle = hb;
	cp.dst_handle = ha;
	if (ha != hb)
		igt_assert_eq(__igt_neuron_copy(fb, &cp), -ENOENT);
	cp.src_handle = hda;
	cp.dst_handle = hb;
	if (hda != hb)
		igt_assert_eq(__igt_neuron_copy(fb, &cp), -ENOENT);
	{
		uint8_t *pb = igt_neuron_bo_mmap(fb, hb, PAGE);

		for (unsigned int i = 0; i < PAGE; i++)
			igt_assert_eq(pb[i], 0);
		munmap(pb, PAGE);
	}

	/* A's mmap offset does not map through B's fd. */
	igt_neuron_bo_info(fa, ha, &info);
	igt_neuron_bo_info(fb, hb, &info);
	{
		struct drm_neuron_bo_info ia;
		void *p;

		igt_neuron_bo_info(fa, ha, &ia);
		/* Devices have separate offset spaces: skip a coincidence. */
		if (ia.mmap_offset != info.mmap_offset) {
			p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fb, ia.mmap_offset);
			igt_assert_f(p == MAP_FAILED, "A's BO mapped through B's fd\n");
		}
	}
	/* A's data is intact. */
	for (unsigned int i = 0; i < PAGE; i++)
		igt_assert_eq(pa[i], 0xa5);
	munmap(pa, PAGE);
	igt_neuron_bo_close(fb, hb);
	igt_neuron_bo_close(fa, ha);
	igt_neuron_bo_close(fa, hda);
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
		igt_neuron_device_info(fd, &devinfo);
		if (!igt_neuron_debugfs_dir(node.pci_addr, debugfs, sizeof(debugfs)))
			debugfs[0] = '\0';
	}

	igt_describe("Host BOs: size rounded up to the page size, BO_INFO reports host domain, "
		     "no flags, a non-zero page-aligned mmap offset and no DRAM address.");
	igt_subtest_with_dynamic("create-host") {
		static const uint64_t sizes[] = { 1, 3, 4095, 4096, 4097, 65537, (1 << 20) + 7,
						  64ull << 20 };

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
			igt_dynamic_f("size-%" PRIu64, sizes[i])
				check_create_host(sizes[i]);
	}

	igt_describe("Device BOs: size rounded up to 256 bytes, BO_INFO reports device domain, "
		     "mmap offset 0 and a 256-byte aligned range inside one DRAM channel.");
	igt_subtest_with_dynamic("create-device") {
		static const uint64_t sizes[] = { 1, 3, 255, 256, 257, 4097, (1 << 20) + 7,
						  64ull << 20 };

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
			igt_dynamic_f("size-%" PRIu64, sizes[i])
				check_create_device(sizes[i]);
	}

	igt_describe("The channel hint places the BO in that DRAM channel.");
	igt_subtest_with_dynamic("device-channel-hint") {
		for (uint32_t ch = 0; ch < devinfo.dram_channels; ch++)
			igt_dynamic_f("channel-%u", ch) {
				struct drm_neuron_bo_info info;
				uint64_t off;
				uint32_t h = igt_neuron_bo_create_device(fd, 1 << 20, ch,
									 DRM_NEURON_ANY);

				igt_neuron_bo_info(fd, h, &info);
				igt_assert_eq(dram_channel_of(info.dram_address, info.size, &off),
					      (int)ch);
				igt_neuron_bo_close(fd, h);
			}
	}

	igt_describe("On an idle device the NeuronCore hint places the BO in that "
		     "NeuronCore's quarter of the channel.");
	igt_subtest_with_dynamic("device-nc-hint") {
		for (uint32_t ch = 0; ch < devinfo.dram_channels; ch++)
			for (uint32_t nc = 0; nc < devinfo.nc_count; nc++)
				igt_dynamic_f("channel-%u-nc-%u", ch, nc) {
					struct drm_neuron_bo_info info;
					uint64_t off, q = CHANNEL_SIZE / devinfo.nc_count;
					uint32_t h = igt_neuron_bo_create_device(fd, 1 << 20, ch, nc);

					igt_neuron_bo_info(fd, h, &info);
					igt_assert_eq(dram_channel_of(info.dram_address, info.size,
								      &off), (int)ch);
					igt_assert_f(off >= nc * q && off + info.size <= (nc + 1) * q,
						     "offset %#" PRIx64 " not in quarter %u\n", off, nc);
					igt_neuron_bo_close(fd, h);
				}
	}

	igt_describe("Live device BOs never share DRAM.");
	igt_subtest("device-bos-disjoint") {
		struct drm_neuron_bo_info info[32];
		uint32_t h[32];

		for (int i = 0; i < 32; i++) {
			h[i] = igt_neuron_bo_create_device(fd, 4096 * (i + 1) + 1,
							   i % 3 == 2 ? DRM_NEURON_ANY : (uint32_t)i % 2,
							   i % 5 == 4 ? DRM_NEURON_ANY : (uint32_t)i % 4);
			igt_neuron_bo_info(fd, h[i], &info[i]);
		}
		for (int i = 0; i < 32; i++)
			for (int j = i + 1; j < 32; j++)
				igt_assert_f(info[i].dram_address + info[i].size <= info[j].dram_address ||
					     info[j].dram_address + info[j].size <= info[i].dram_address,
					     "BOs %d and %d overlap\n", i, j);
		close_all(fd, h, 32);
	}

	igt_describe("A host BO maps at its mmap offset, starts zeroed, keeps what the CPU "
		     "wrote across unmap/remap, and the offset is stable.");
	igt_subtest("host-mmap") {
		struct drm_neuron_bo_info a, b;
		uint64_t size = 3 * PAGE + 1;
		uint32_t h = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, size);
		uint8_t *p, *ref = malloc(4 * PAGE);

		size = 4 * PAGE;
		igt_neuron_bo_info(fd, h, &a);
		igt_neuron_bo_info(fd, h, &b);
		igt_assert_eq_u64(a.mmap_offset, b.mmap_offset);
		p = igt_neuron_bo_mmap(fd, h, size);
		for (uint64_t i = 0; i < size; i++)
			igt_assert_eq(p[i], 0);
		igt_neuron_random_fill(ref, size, 1);
		memcpy(p, ref, size);
		munmap(p, size);
		p = igt_neuron_bo_mmap(fd, h, size);
		igt_assert(!memcmp(p, ref, size));
		munmap(p, size);
		free(ref);
		igt_neuron_bo_close(fd, h);
	}

	igt_describe("mmap of more than the host BO's size is refused.");
	igt_subtest("host-mmap-too-large") {
		struct drm_neuron_bo_info info;
		uint32_t h = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, 2 * PAGE);
		void *p;

		igt_neuron_bo_info(fd, h, &info);
		p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, info.mmap_offset);
		igt_assert(p == MAP_FAILED);
		p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, info.mmap_offset + PAGE);
		igt_assert(p == MAP_FAILED);
		igt_neuron_bo_close(fd, h);
	}

	igt_describe("Device BOs are not CPU-mappable: mmap offset 0, and mapping offset 0 "
		     "of the node fails.");
	igt_subtest("device-mmap-refused") {
		struct drm_neuron_bo_info info;
		uint32_t h = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_DEVICE, PAGE);
		void *p;

		igt_neuron_bo_info(fd, h, &info);
		igt_assert_eq_u64(info.mmap_offset, 0);
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		igt_assert(p == MAP_FAILED);
		igt_assert_eq(errno, EINVAL);
		igt_neuron_bo_close(fd, h);
	}

	igt_describe("Every invalid BO_CREATE argument fails with the documented errno "
		     "and creates nothing.");
	igt_subtest_with_dynamic("invalid-create") {
		for (size_t i = 0; i < ARRAY_SIZE(bad_creates); i++)
			igt_dynamic(bad_creates[i].name) {
				struct drm_neuron_bo_create c = bad_creates[i].args;

				c.handle = 0;
				igt_assert_eq(__igt_neuron_bo_create(fd, &c), -bad_creates[i].err);
				igt_assert_eq_u32(c.handle, 0);
			}
	}

	igt_describe("BO_INFO: ENOENT for unknown, zero and closed handles, EINVAL for a "
		     "non-zero pad.");
	igt_subtest_with_dynamic("invalid-info") {
		struct drm_neuron_bo_info info;
		uint32_t h;

		igt_dynamic("zero-handle") {
			memset(&info, 0, sizeof(info));
			igt_assert_eq(__igt_neuron_bo_info(fd, &info), -ENOENT);
		}
		igt_dynamic("unknown-handle") {
			memset(&info, 0, sizeof(info));
			info.handle = 0x7fffffff;
			igt_assert_eq(__igt_neuron_bo_info(fd, &info), -ENOENT);
		}
		igt_dynamic("closed-handle") {
			h = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, PAGE);
			igt_neuron_bo_close(fd, h);
			memset(&info, 0, sizeof(info));
			info.handle = h;
			igt_assert_eq(__igt_neuron_bo_info(fd, &info), -ENOENT);
		}
		igt_dynamic("pad") {
			h = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, PAGE);
			memset(&info, 0, sizeof(info));
			info.handle = h;
			info.pad = 1;
			igt_assert_eq(__igt_neuron_bo_info(fd, &info), -EINVAL);
			igt_neuron_bo_close(fd, h);
		}
	}

	igt_describe("BO_WAIT: ENOENT for unknown and closed handles, EINVAL for flags; "
		     "GEM_CLOSE of an unknown handle fails.");
	igt_subtest_with_dynamic("invalid-wait") {
		uint32_t h;

		igt_dynamic("unknown-handle")
			igt_assert_eq(__igt_neuron_bo_wait(fd, 0x7fffffff, 0, 0), -ENOENT);
		igt_dynamic("zero-handle")
			igt_assert_eq(__igt_neuron_bo_wait(fd, 0, 0, INT64_MAX), -ENOENT);
		igt_dynamic("closed-handle") {
			h = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_DEVICE, PAGE);
			igt_neuron_bo_close(fd, h);
			igt_assert_eq(__igt_neuron_bo_wait(fd, h, 0, 0), -ENOENT);
		}
		igt_dynamic("flags") {
			h = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, PAGE);
			igt_assert_eq(__igt_neuron_bo_wait(fd, h, 1, 0), -EINVAL);
			igt_assert_eq(__igt_neuron_bo_wait(fd, h, 1u << 31, INT64_MAX), -EINVAL);
			igt_neuron_bo_close(fd, h);
		}
		igt_dynamic("close-unknown")
			igt_assert_eq(__igt_neuron_bo_close(fd, 0x7fffffff), -EINVAL);
	}

	igt_describe("BO_WAIT on idle BOs returns 0 at once, with timeout 0, a past and a "
		     "future deadline; a new device BO becomes idle (its clear completes).");
	igt_subtest("bo-wait-idle") {
		uint32_t hh = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, PAGE);
		uint32_t hd = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_DEVICE, 1 << 20);

		igt_assert_eq(__igt_neuron_bo_wait(fd, hh, 0, 0), 0);
		igt_assert_eq(__igt_neuron_bo_wait(fd, hh, 0, 1), 0);
		igt_assert_eq(__igt_neuron_bo_wait(fd, hd, 0, igt_neuron_abs_timeout(10ll * 1000000000)), 0);
		igt_assert_eq(__igt_neuron_bo_wait(fd, hd, 0, 0), 0);
		igt_assert_eq(__igt_neuron_bo_wait(fd, hd, 0, -1), 0);
		igt_neuron_bo_close(fd, hh);
		igt_neuron_bo_close(fd, hd);
	}

	igt_describe("1 GiB device BOs until ENOSPC: all DRAM but a small reserve is usable, "
		     "smaller BOs fill the rest, then every size and hint fails with ENOSPC "
		     "(host BOs still work); freeing 1 GiB of channel 0 makes exactly that fit "
		     "again there while channel 1 stays full; freeing all restores fdinfo and "
		     "debugfs to their baseline.");
	igt_subtest("dram-exhaustion") {
		uint32_t h[128];
		uint64_t total, base_used = 0, used = 0;
		bool have_debugfs = debugfs_dram_used(&base_used);
		int n, m, first_ch0 = -1;

		igt_assert_eq_u64(fdinfo_total(fd, DRAM_REGION), 0);
		n = fill_dram(fd, IGT_NEURON_GiB, DRM_NEURON_ANY, h, 16);
		igt_info("%d BOs of 1 GiB\n", n);
		igt_assert_lte_u64(n * IGT_NEURON_GiB, devinfo.dram_size);
		igt_assert_lte_u64(devinfo.dram_size - devinfo.dram_channels * IGT_NEURON_GiB,
				   n * IGT_NEURON_GiB);
		total = n * IGT_NEURON_GiB;
		m = n;
		for (uint64_t s = IGT_NEURON_GiB / 2; s >= IGT_NEURON_DRAM_GRANULE; s /= 2) {
			int k = fill_dram(fd, s, DRM_NEURON_ANY, h + m, ARRAY_SIZE(h) - m);

			m += k;
			total += k * s;
		}
		igt_info("%d BOs, %" PRIu64 " bytes of %" PRIu64 "\n", m, total,
			 (uint64_t)devinfo.dram_size);
		/* At most one granule per channel may be held back. */
		igt_assert_lte_u64(devinfo.dram_size - devinfo.dram_channels * IGT_NEURON_DRAM_GRANULE,
				   total);
		igt_assert_eq_u64(fdinfo_total(fd, DRAM_REGION), total);
		if (have_debugfs) {
			igt_assert(debugfs_dram_used(&used));
			igt_assert_eq_u64(used - base_used, total);
		}
		/* Full: any size, any hint. */
		for (uint32_t ch = 0; ch < devinfo.dram_channels; ch++) {
			uint64_t s = IGT_NEURON_DRAM_GRANULE;
			uint32_t x;

			igt_assert_eq(create(fd, &s, DRM_NEURON_BO_DOMAIN_DEVICE, ch, 0, &x), -ENOSPC);
			s = 1;
			igt_assert_eq(create(fd, &s, DRM_NEURON_BO_DOMAIN_DEVICE, ch, DRM_NEURON_ANY,
					     &x), -ENOSPC);
		}
		{
			uint64_t s = 1;
			uint32_t x;

			igt_assert_eq(create(fd, &s, DRM_NEURON_BO_DOMAIN_DEVICE, DRM_NEURON_ANY,
					     DRM_NEURON_ANY, &x), -ENOSPC);
			x = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, PAGE);
			igt_neuron_bo_close(fd, x);
		}
		/*
		 * Clearing 8 GiB takes the model a while; a BO stays allocated
		 * until its clear is done, so wait before freeing anything.
		 */
		for (int i = 0; i < m; i++)
			igt_assert_eq(__igt_neuron_bo_wait(fd, h[i], 0,
							   igt_neuron_abs_timeout(120ll * 1000000000)), 0);
		/* Free a 1 GiB BO of channel 0: exactly that fits again, there only. */
		for (int i = 0; i < n && first_ch0 < 0; i++) {
			struct drm_neuron_bo_info info;
			uint64_t off;

			igt_neuron_bo_info(fd, h[i], &info);
			if (dram_channel_of(info.dram_address, info.size, &off) == 0)
				first_ch0 = i;
		}
		igt_assert_lte(0, first_ch0);
		igt_neuron_bo_close(fd, h[first_ch0]);
		{
			uint64_t s = IGT_NEURON_DRAM_GRANULE;
			uint32_t x;

			/* Channel 0 has room now, channel 1 has none: no fallback. */
			igt_assert_eq(create(fd, &s, DRM_NEURON_BO_DOMAIN_DEVICE, 1, DRM_NEURON_ANY,
					     &x), -ENOSPC);
		}
		{
			struct drm_neuron_bo_info info;
			uint64_t s, off;
			int ret, tries = 0;

			/* Freed once the scheduler has let go of its clear job. */
			do {
				s = IGT_NEURON_GiB;
				ret = create(fd, &s, DRM_NEURON_BO_DOMAIN_DEVICE, DRM_NEURON_ANY,
					     DRM_NEURON_ANY, &h[first_ch0]);
			} while (ret == -ENOSPC && tries++ < 100 && !usleep(10000));
			if (ret)
				dump_debugfs();
			igt_assert_f(ret == 0, "BO_CREATE 1 GiB after freeing an idle 1 GiB BO: %s\n",
				     strerror(-ret));
			igt_neuron_bo_info(fd, h[first_ch0], &info);
			igt_assert_eq(dram_channel_of(info.dram_address, info.size, &off), 0);
			igt_neuron_bo_wait(fd, h[first_ch0]);
		}
		close_all(fd, h, m);
		igt_assert_eq_u64(fdinfo_total(fd, DRAM_REGION), 0);
		if (have_debugfs) {
			for (int i = 0; i < 100 && debugfs_dram_used(&used) && used != base_used; i++)
				usleep(10000);
			igt_assert_eq_u64(used, base_used);
		}
	}

	igt_describe("A device BO of a whole channel (4 GiB) can be created; the DRAM it "
		     "holds is unavailable to another client until the owner closes its file, "
		     "which frees every BO.");
	igt_subtest("exhaustion-two-clients") {
		int fa = igt_neuron_open(node.minor), fb = igt_neuron_open(node.minor);
		struct drm_neuron_bo_info info;
		uint64_t s = CHANNEL_SIZE, off;
		uint32_t a, x = 0;
		int ch, ret, tries = 0;

		igt_assert_eq(create(fa, &s, DRM_NEURON_BO_DOMAIN_DEVICE, DRM_NEURON_ANY,
				     DRM_NEURON_ANY, &a), 0);
		igt_assert_eq_u64(s, CHANNEL_SIZE);
		igt_neuron_bo_info(fa, a, &info);
		ch = dram_channel_of(info.dram_address, info.size, &off);
		igt_assert_eq_u64(off, 0);
		s = IGT_NEURON_DRAM_GRANULE;
		igt_assert_eq(create(fb, &s, DRM_NEURON_BO_DOMAIN_DEVICE, ch, DRM_NEURON_ANY, &x),
			      -ENOSPC);
		/* Let its clear finish (a while for 4 GiB), then close the fd. */
		igt_assert_eq(__igt_neuron_bo_wait(fa, a, 0,
						   igt_neuron_abs_timeout(120ll * 1000000000)), 0);
		close(fa);
		do {
			s = IGT_NEURON_DRAM_GRANULE;
			ret = create(fb, &s, DRM_NEURON_BO_DOMAIN_DEVICE, ch, DRM_NEURON_ANY, &x);
		} while (ret == -ENOSPC && tries++ < 100 && !usleep(10000));
		igt_assert_f(ret == 0, "DRAM not returned after the owner closed its fd: %s\n",
			     strerror(-ret));
		igt_neuron_bo_wait(fb, x);
		close(fb);
	}

	igt_describe("Two clients of the same device cannot see or use each other's handles "
		     "(ENOENT) or mmap offsets.");
	igt_subtest("handles-private") {
		int fa = igt_neuron_open(node.minor), fb = igt_neuron_open(node.minor);

		check_two_clients(fa, fb);
		check_two_clients(fb, fa);
		close(fa);
		close(fb);
	}

	igt_describe("Handles of one device are unknown on another device.");
	igt_subtest("handles-private-devices") {
		struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
		int n = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES), fa, fb;

		igt_require_f(n >= 2, "needs two devices\n");
		fa = igt_neuron_open(nodes[0].minor);
		fb = igt_neuron_open(nodes[1].minor);
		check_two_clients(fa, fb);
		close(fa);
		close(fb);
	}

	igt_describe("fdinfo names the driver and a client id, and reports the documented "
		     "regions (memory, dram) at zero for a new client.");
	igt_subtest("fdinfo-keys") {
		int f = igt_neuron_open(node.minor);
		char buf[64];

		igt_assert(igt_neuron_fdinfo_str(f, "drm-driver", buf, sizeof(buf)));
		igt_assert_f(!strcmp(buf, NEURON_DRIVER_NAME), "drm-driver: %s\n", buf);
		igt_assert(igt_neuron_fdinfo_str(f, "drm-client-id", buf, sizeof(buf)));
		igt_assert_eq_u64(fdinfo_total(f, "memory"), 0);
		igt_assert_eq_u64(fdinfo_total(f, DRAM_REGION), 0);
		close(f);
	}

	igt_describe("fdinfo drm-total-memory follows host BO creation and close; the "
		     "dram region does not move.");
	igt_subtest("fdinfo-host-memory") {
		int f = igt_neuron_open(node.minor);
		uint32_t a, b;

		a = igt_neuron_bo_create(f, DRM_NEURON_BO_DOMAIN_HOST, 1 << 20);
		igt_assert_eq_u64(fdinfo_total(f, "memory"), 1 << 20);
		b = igt_neuron_bo_create(f, DRM_NEURON_BO_DOMAIN_HOST, 3 * PAGE + 1);
		igt_assert_eq_u64(fdinfo_total(f, "memory"), (1 << 20) + 4 * PAGE);
		igt_assert_eq_u64(fdinfo_total(f, DRAM_REGION), 0);
		igt_neuron_bo_close(f, a);
		igt_assert_eq_u64(fdinfo_total(f, "memory"), 4 * PAGE);
		igt_neuron_bo_close(f, b);
		igt_assert_eq_u64(fdinfo_total(f, "memory"), 0);
		close(f);
	}

	igt_describe("fdinfo drm-total-dram (and resident) follow device BOs; host memory "
		     "does not move; another client's fdinfo is unaffected.");
	igt_subtest("fdinfo-dram") {
		int f = igt_neuron_open(node.minor), g = igt_neuron_open(node.minor);
		uint64_t res;
		uint32_t a, b;

		a = igt_neuron_bo_create(f, DRM_NEURON_BO_DOMAIN_DEVICE, 16 << 20);
		b = igt_neuron_bo_create(f, DRM_NEURON_BO_DOMAIN_DEVICE, 1000);
		igt_assert_eq_u64(fdinfo_total(f, DRAM_REGION), (16 << 20) + 1024);
		igt_assert_eq_u64(fdinfo_total(f, "memory"), 0);
		igt_assert_eq_u64(fdinfo_total(g, DRAM_REGION), 0);
		igt_assert(igt_neuron_fdinfo_bytes(f, "drm-resident-" DRAM_REGION, &res));
		igt_assert_eq_u64(res, (16 << 20) + 1024);
		igt_neuron_bo_close(f, a);
		igt_assert_eq_u64(fdinfo_total(f, DRAM_REGION), 1024);
		igt_neuron_bo_close(f, b);
		igt_assert_eq_u64(fdinfo_total(f, DRAM_REGION), 0);
		close(f);
		close(g);
	}

	igt_describe("fdinfo host memory: a new host BO is not resident; once a DMA used it "
		     "its pages stay resident (pinned for the device) with no job running; "
		     "drm-active-* is printed and counts a BO whose DMA is still pending.");
	igt_subtest("fdinfo-host-resident-active") {
		int f = igt_neuron_open(node.minor);
		uint32_t a = igt_neuron_bo_create(f, DRM_NEURON_BO_DOMAIN_HOST, 1 << 20);
		/* On NeuronCore 0: COPYs into it run on NC 0's copy engine (2). */
		uint32_t dev = igt_neuron_bo_create_device(f, 1 << 20, DRM_NEURON_ANY, 0);
		uint64_t res = 1, act = 1;

		igt_assert(igt_neuron_fdinfo_bytes(f, "drm-resident-memory", &res));
		igt_assert_eq_u64(res, 0);
		igt_assert(igt_neuron_fdinfo_bytes(f, "drm-active-memory", &act));
		igt_assert_eq_u64(act, 0);
		igt_assert(igt_neuron_fdinfo_bytes(f, "drm-active-" DRAM_REGION, &act));
		igt_neuron_copy(f, dev, 0, a, 0, 1 << 20, 0);
		igt_neuron_bo_wait(f, dev);
		igt_assert(igt_neuron_fdinfo_bytes(f, "drm-resident-memory", &res));
		igt_assert_eq_u64(res, 1 << 20);
		igt_assert(igt_neuron_fdinfo_bytes(f, "drm-active-memory", &act));
		igt_assert_eq_u64(act, 0);
		/* A copy held back by a stalled engine keeps both BOs active. */
		igt_assert_eq(igt_neuron_emu_fault(igt_neuron_node_emu(&node), "queue_stall", 2), 0);
		igt_neuron_copy(f, dev, 0, a, 0, 1 << 20, 0);
		igt_assert(igt_neuron_fdinfo_bytes(f, "drm-active-memory", &act));
		igt_assert_eq_u64(act, 1 << 20);
		igt_assert(igt_neuron_fdinfo_bytes(f, "drm-active-" DRAM_REGION, &act));
		igt_assert_eq_u64(act, 1 << 20);
		igt_neuron_node_clear_faults(&node);
		igt_neuron_bo_wait(f, dev);
		igt_assert(igt_neuron_fdinfo_bytes(f, "drm-active-memory", &act));
		igt_assert_eq_u64(act, 0);
		close(f);
	}

	igt_describe("Closing a client's fd returns all its DRAM (debugfs usage back to "
		     "baseline, a whole channel allocatable by another client).");
	igt_subtest("memory-returned-after-close") {
		int f = igt_neuron_open(node.minor);
		uint64_t base = 0, used = 0;
		bool dbg = debugfs_dram_used(&base);
		uint32_t x;

		igt_assert_f(dbg || !debugfs[0], "no DRAM usage file in %s\n", debugfs);

		for (int i = 0; i < 4; i++) {
			igt_neuron_bo_wait(f, igt_neuron_bo_create_device(f, 64 << 20, i % 2, i));
			igt_neuron_bo_create(f, DRM_NEURON_BO_DOMAIN_HOST, 1 << 20);
		}
		if (dbg) {
			igt_assert(debugfs_dram_used(&used));
			igt_assert_eq_u64(used - base, 4 * (64ull << 20));
		}
		close(f);
		f = igt_neuron_open(node.minor);
		if (dbg) {
			for (int i = 0; i < 200 && debugfs_dram_used(&used) && used != base; i++)
				usleep(10000);
			igt_assert_eq_u64(used, base);
		}
		/* The range is free again: the same BOs fit in the same quarters. */
		for (int i = 0; i < 4; i++) {
			x = igt_neuron_bo_create_device(f, 64 << 20, i % 2, i);
			igt_neuron_bo_wait(f, x);
			igt_neuron_bo_close(f, x);
		}
		close(f);
	}

	igt_describe("DRAM is cleared before it changes owner: a client fills a range with a "
		     "pattern and closes; new BOs of another client covering that range read "
		     "back all zero.");
	igt_subtest("dram-cleared") {
		const uint64_t size = 16 << 20;
		struct drm_neuron_bo_info ia, ib;
		int fa = igt_neuron_open(node.minor), fb;
		uint32_t a, b[64];
		int n = 0;
		bool overlap = false;

		a = igt_neuron_bo_create_device(fa, size, 1, 2);
		igt_neuron_bo_info(fa, a, &ia);
		igt_neuron_fill(fa, a, 0, size, 0x5a, 0);
		check_device_bytes(fa, a, 0, size, 0x5a);
		close(fa);

		fb = igt_neuron_open(node.minor);
		/* The quarter holds at most 64 such BOs: one must reuse A's range. */
		while (!overlap) {
			igt_assert_lt(n, 64);
			b[n] = igt_neuron_bo_create_device(fb, size, 1, 2);
			igt_neuron_bo_info(fb, b[n], &ib);
			overlap = ib.dram_address < ia.dram_address + size &&
				  ia.dram_address < ib.dram_address + size;
			n++;
		}
		igt_info("BO %d reuses the range of the freed BO\n", n);
		check_device_bytes(fb, b[n - 1], 0, size, 0);
		for (int i = 0; i < n; i++)
			igt_neuron_bo_wait(fb, b[i]);
		close(fb);
	}
}
