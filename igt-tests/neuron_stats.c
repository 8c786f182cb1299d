// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * DRM_IOCTL_NEURON_STATS_POST and the driver's own statistics post.  The
 * model keeps the last POST payload but does not show it on its control
 * socket; the driver also writes every blob into the misc-RAM staging area
 * (0x100..0x17f) before posting, so the tests read it back there through
 * the root-only debugfs fwio_read file (FWIO_READ does not allow it).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("STATS_POST ioctl limits and the driver's own statistics post.");

#define MISC(off)	(V1_APB_BASE + V1_MISC_RAM_OFFSET + (off))

static struct igt_neuron_node node;
static int fd = -1;
static int dev;
static char debugfs[PATH_MAX];

static int __stats_post(const void *data, uint32_t size, uint32_t flags)
{
	struct drm_neuron_stats_post args = {
		.data = (uintptr_t)data,
		.size = size,
		.flags = flags,
	};

	return drmIoctl(fd, DRM_IOCTL_NEURON_STATS_POST, &args) ? -errno : 0;
}

static uint64_t requests(void)
{
	return igt_neuron_emu_counter(dev, "fwio_requests");
}

/* One misc-RAM word through debugfs fwio_read (root only, no allow-list). */
static uint32_t debugfs_read(uint64_t addr)
{
	char path[PATH_MAX + 16], buf[64];
	unsigned long long a;
	unsigned int v;
	int f;

	igt_require_f(debugfs[0], "no debugfs directory\n");
	snprintf(path, sizeof(path), "%s/fwio_read", debugfs);
	f = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(f >= 0, "open %s: %s\n", path, strerror(errno));
	snprintf(buf, sizeof(buf), "%llx", (unsigned long long)addr);
	igt_assert_eq(write(f, buf, strlen(buf)), (int)strlen(buf));
	igt_assert_lt(0, pread(f, buf, sizeof(buf) - 1, 0));
	buf[sizeof(buf) - 1] = '\0';
	igt_assert_eq(sscanf(buf, "%llx: %x", &a, &v), 2);
	close(f);
	return v;
}

/* The staging area holds the blob (zero-padded to whole words). */
static void check_staged(const uint8_t *blob, uint32_t size)
{
	for (uint32_t off = 0; off < size; off += 4) {
		uint8_t want[4] = { 0 };
		uint32_t w;

		memcpy(want, blob + off, size - off < 4 ? size - off : 4);
		w = debugfs_read(MISC(MISC_METRICS + off));
		igt_assert_eq_u32(w, (uint32_t)want[0] | want[1] << 8 | want[2] << 16 |
				  (uint32_t)want[3] << 24);
	}
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
		igt_neuron_emu();
		igt_assert_lte(0, node.emu_dev);
		dev = node.emu_dev;
		if (!igt_neuron_debugfs_dir(node.pci_addr, debugfs, sizeof(debugfs)))
			debugfs[0] = '\0';
	}

	igt_describe("Blobs of 1..128 bytes are posted with exactly one mailbox request each, "
		     "without a device error, and staged in misc RAM.");
	igt_subtest("post-sizes") {
		static const uint32_t sizes[] = { 1, 2, 3, 4, 5, 64, 127, 128 };
		uint8_t blob[DRM_NEURON_STATS_POST_MAX];

		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
			uint64_t before, errors = igt_neuron_emu_counter(dev, "fwio_errors");

			for (uint32_t i = 0; i < sizes[s]; i++)
				blob[i] = (uint8_t)(i * 7 + sizes[s]);
			before = requests();
			igt_assert_eq(__stats_post(blob, sizes[s], 0), 0);
			igt_assert_eq_u64(requests() - before, 1);
			igt_assert_eq_u64(igt_neuron_emu_counter(dev, "fwio_errors"), errors);
			check_staged(blob, sizes[s]);
		}
	}

	igt_describe("A blob in the documented record format ({id, len, data}) is accepted.");
	igt_subtest("post-records") {
		static const uint8_t blob[] = { 1, 5, 'a', 'p', 'p', '1', '0', 200, 4, 1, 0, 0, 0 };
		uint64_t before = requests();

		igt_assert_eq(__stats_post(blob, sizeof(blob), 0), 0);
		igt_assert_eq_u64(requests() - before, 1);
		check_staged(blob, sizeof(blob));
	}

	igt_describe("Size 0, 129 and more, and non-zero flags fail with EINVAL before any "
		     "mailbox request.");
	igt_subtest("invalid-arguments") {
		uint8_t blob[512] = { 1 };
		uint64_t before = requests();

		igt_assert_eq(__stats_post(blob, 0, 0), -EINVAL);
		igt_assert_eq(__stats_post(blob, DRM_NEURON_STATS_POST_MAX + 1, 0), -EINVAL);
		igt_assert_eq(__stats_post(blob, 512, 0), -EINVAL);
		igt_assert_eq(__stats_post(blob, 0xffffffffu, 0), -EINVAL);
		igt_assert_eq(__stats_post(blob, 4, 1), -EINVAL);
		igt_assert_eq(__stats_post(blob, 4, 0x80000000u), -EINVAL);
		igt_assert_eq_u64(requests() - before, 0);
	}

	igt_describe("An unreadable blob fails with EFAULT before any mailbox request.");
	igt_subtest("bad-pointer") {
		uint64_t before = requests();

		igt_assert_eq(__stats_post(NULL, 4, 0), -EFAULT);
		igt_assert_eq(__stats_post((void *)(uintptr_t)0x10, 128, 0), -EFAULT);
		igt_assert_eq_u64(requests() - before, 0);
	}

	igt_describe("With the mailbox failing on every try the post fails with the documented "
		     "error (ETIMEDOUT for dropped responses, EIO for bad CRC).");
	igt_subtest("post-faults") {
		uint8_t blob[8] = { 1, 2, 'o', 'k' };
		uint64_t tries;

		igt_assert(igt_neuron_read_u64(IGT_NEURON_PARAM_DIR "fwio_tries", &tries));
		igt_assert_eq(igt_neuron_emu_fault(dev, "fwio_drop", tries), 0);
		igt_assert_eq(__stats_post(blob, 4, 0), -ETIMEDOUT);
		igt_assert_eq(igt_neuron_emu_fault(dev, "fwio_bad_crc", tries), 0);
		igt_assert_eq(__stats_post(blob, 4, 0), -EIO);
		igt_neuron_emu_fault(dev, "fwio_drop", 0);
		igt_neuron_emu_fault(dev, "fwio_bad_crc", 0);
		igt_assert_eq(__stats_post(blob, 4, 0), 0);
	}

	igt_describe("The periodic post is off by default (stats_post_period_ms = 0): no "
		     "mailbox request happens while the device is idle.");
	igt_subtest("periodic-off") {
		uint64_t period, before;

		igt_assert(igt_neuron_read_u64(IGT_NEURON_PARAM_DIR "stats_post_period_ms", &period));
		igt_require_f(period == 0, "stats_post_period_ms is %" PRIu64 "\n", period);
		before = requests();
		usleep(500 * 1000);
		igt_assert_eq_u64(requests() - before, 0);
	}

	igt_describe("The driver's own blob (debugfs stats_post) holds record 1 with the driver "
		     "name and version, then records 200 and 201 of 4 bytes each.");
	igt_subtest("driver-post") {
		char path[PATH_MAX + 16];
		uint8_t blob[DRM_NEURON_STATS_POST_MAX];
		uint64_t before, posts, posts2;
		size_t off;
		int f;

		igt_require_f(debugfs[0], "no debugfs directory\n");
		snprintf(path, sizeof(path), "%s/stats_post", debugfs);
		igt_assert(igt_neuron_file_key_u64(path, "posts", &posts));
		before = requests();
		f = open(path, O_WRONLY | O_CLOEXEC);
		igt_assert(f >= 0);
		igt_assert_eq(write(f, "1", 1), 1);
		close(f);
		igt_assert_eq_u64(requests() - before, 1);
		igt_assert(igt_neuron_file_key_u64(path, "posts", &posts2));
		igt_assert_eq_u64(posts2, posts + 1);

		for (off = 0; off < sizeof(blob); off += 4) {
			uint32_t w = debugfs_read(MISC(MISC_METRICS + off));

			memcpy(blob + off, &w, 4);
		}
		igt_assert_eq(blob[0], 1);
		igt_assert_lt(6, blob[1]);
		igt_assert(!memcmp(blob + 2, "neuron ", 7));
		off = 2 + blob[1];
		igt_assert_eq(blob[off], 200);
		igt_assert_eq(blob[off + 1], 4);
		off += 6;
		igt_assert_eq(blob[off], 201);
		igt_assert_eq(blob[off + 1], 4);
	}

	igt_fixture
		close(fd);
}
