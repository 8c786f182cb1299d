// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * DRM_IOCTL_NEURON_QUERY: DEVICE_INFO contents against the emulator's
 * configuration, the two-step size protocol, and argument checking.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("DRM_NEURON_QUERY_DEVICE_INFO: values, size protocol, invalid arguments.");

#define INFO_SIZE ((uint32_t)sizeof(struct drm_neuron_device_info))
#define POISON 0xa5

static struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
static int num_nodes;
static int fd = -1;

#define for_each_node(n) \
	for (struct igt_neuron_node *n = nodes; n < nodes + num_nodes; n++)

static uint32_t expected_neighbour(int emu_dev)
{
	struct neuron_emu_config cfg;

	if (emu_dev == NEURON_EMU_NONE)
		return DRM_NEURON_NO_NEIGHBOUR;
	igt_neuron_emu_config(emu_dev, &cfg);
	return cfg.index;
}

/* Static properties: the v1 address map and the emulator's config. */
static void check_static(const struct drm_neuron_device_info *info,
			 const struct neuron_emu_config *cfg)
{
	igt_assert_eq_u32(info->arch, DRM_NEURON_ARCH_V1);
	igt_assert_eq_u32(info->pci_device, cfg->device_id);
	igt_assert_eq_u32(info->pci_revision, cfg->revision);
	igt_assert_eq_u32(info->device_index, cfg->index);
	igt_assert_eq_u32(info->nc_count, V1_NC_PER_DEVICE);
	igt_assert_eq_u32(info->dma_engines_per_nc, V1_DMA_ENG_PER_NC);
	igt_assert_eq_u32(info->queues_per_engine, V1_DMA_QUEUES_PER_ENG);
	igt_assert_eq_u32(info->dram_channels, V1_DRAM_CHANNELS);
	igt_assert_eq_u64(info->dram_size, V1_DRAM_CHANNELS * V1_DRAM_CHANNEL_SIZE);
	igt_assert_eq_u64(info->dram_size, 8ull << 30);
	if (cfg->bar4_size)
		igt_assert_eq_u64(info->dram_size, cfg->bar4_size);
	igt_assert_eq_u32(info->semaphores_per_nc, V1_SEMAPHORES_PER_NC);
	igt_assert_eq_u32(info->events_per_nc, V1_EVENTS_PER_NC);
	igt_assert_eq_u32(info->pad, 0);
}

/* @state decodes @fw_status; the firmware of a probed device is ready. */
static void check_state(const struct drm_neuron_device_info *info)
{
	uint32_t want = 0;

	if (info->fw_status & FW_STATUS_READY)
		want |= DRM_NEURON_DEVICE_READY;
	if (info->fw_status & FW_STATUS_EAST_LINK)
		want |= DRM_NEURON_DEVICE_EAST_LINK;
	if (info->fw_status & FW_STATUS_WEST_LINK)
		want |= DRM_NEURON_DEVICE_WEST_LINK;
	igt_assert_eq_u32(info->state, want);
	igt_assert(info->state & DRM_NEURON_DEVICE_READY);
}

static void check_neighbours(const struct drm_neuron_device_info *info,
			     const struct neuron_emu_config *cfg)
{
	uint32_t count = (cfg->east != NEURON_EMU_NONE) + (cfg->west != NEURON_EMU_NONE);

	igt_assert_eq_u32(info->east_neighbour, expected_neighbour(cfg->east));
	igt_assert_eq_u32(info->west_neighbour, expected_neighbour(cfg->west));
	igt_assert_eq_u32(info->neighbour_count, count);
}

static int query(uint32_t type, void *ptr, uint32_t *size, uint32_t flags, uint32_t pad)
{
	return __igt_neuron_query(fd, type, ptr, size, flags, pad);
}

/* Query with a user buffer of `size` bytes (poisoned), return it. */
static uint8_t *query_sized(uint32_t size, uint32_t *out_size)
{
	uint8_t *buf = malloc(size + 64);

	igt_assert(buf);
	memset(buf, POISON, size + 64);
	*out_size = size;
	igt_assert_eq(query(DRM_NEURON_QUERY_DEVICE_INFO, buf, out_size, 0, 0), 0);
	return buf;
}

static void check_short(const struct drm_neuron_device_info *ref, uint32_t size)
{
	uint32_t out;
	uint8_t *buf = query_sized(size, &out);

	igt_assert_eq_u32(out, INFO_SIZE);
	igt_assert_f(!memcmp(buf, ref, size), "first %u bytes differ\n", size);
	for (uint32_t i = size; i < size + 64; i++)
		igt_assert_f(buf[i] == POISON, "byte %u written with size %u\n", i, size);
	free(buf);
}

igt_main
{
	struct drm_neuron_device_info ref;

	igt_fixture {
		num_nodes = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);
		igt_require_f(num_nodes > 0, "no neuron device\n");
		fd = igt_neuron_open(nodes[0].minor);
		igt_neuron_device_info(fd, &ref);
	}

	igt_describe("DEVICE_INFO static fields equal the v1 constants and the emulator's config.");
	igt_subtest_with_dynamic("device-info") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor) {
				struct drm_neuron_device_info info;
				struct neuron_emu_config cfg;
				int nfd = igt_neuron_open(n->minor);

				igt_assert_lte(0, n->emu_dev);
				igt_neuron_emu_config(n->emu_dev, &cfg);
				igt_neuron_device_info(nfd, &info);
				check_static(&info, &cfg);
				close(nfd);
			}
	}

	igt_describe("DEVICE_INFO state decodes fw_status, and the device is READY.");
	igt_subtest_with_dynamic("device-state") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor) {
				struct drm_neuron_device_info info;
				int nfd = igt_neuron_open(n->minor);

				igt_neuron_device_info(nfd, &info);
				check_state(&info);
				close(nfd);
			}
	}

	igt_describe("DEVICE_INFO neighbours equal the emulator's east/west wiring.");
	igt_subtest_with_dynamic("device-neighbours") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor) {
				struct drm_neuron_device_info info;
				struct neuron_emu_config cfg;
				int nfd = igt_neuron_open(n->minor);

				igt_assert_lte(0, n->emu_dev);
				igt_neuron_emu_config(n->emu_dev, &cfg);
				igt_neuron_device_info(nfd, &info);
				check_neighbours(&info, &cfg);
				close(nfd);
			}
	}

	igt_describe("Two queries in a row return identical DEVICE_INFO.");
	igt_subtest("device-info-stable") {
		struct drm_neuron_device_info again;

		igt_neuron_device_info(fd, &again);
		igt_assert(!memcmp(&again, &ref, sizeof(ref)));
	}

	igt_describe("pointer 0 only reports the size, whatever size was passed in.");
	igt_subtest("size-probe") {
		static const uint32_t sizes[] = { 0, 1, INFO_SIZE, 4096, 0xffffffffu };

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			uint32_t size = sizes[i];

			igt_assert_eq(query(DRM_NEURON_QUERY_DEVICE_INFO, NULL, &size, 0, 0), 0);
			igt_assert_eq_u32(size, INFO_SIZE);
		}
	}

	igt_describe("A buffer smaller than the struct gets exactly that many bytes; the rest is untouched.");
	igt_subtest("short-buffer") {
		static const uint32_t sizes[] = { 1, 4, 8, 16, 31, INFO_SIZE - 8, INFO_SIZE - 1 };

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
			check_short(&ref, sizes[i]);
	}

	igt_describe("size 0 with a pointer copies nothing and reports the size.");
	igt_subtest("zero-size-buffer")
		check_short(&ref, 0);

	igt_describe("A larger buffer gets the struct and a zero-filled tail.");
	igt_subtest("large-buffer") {
		static const uint32_t sizes[] = { INFO_SIZE, INFO_SIZE + 1, INFO_SIZE + 8, 4096 };

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			uint32_t out;
			uint8_t *buf = query_sized(sizes[i], &out);

			igt_assert_eq_u32(out, INFO_SIZE);
			igt_assert(!memcmp(buf, &ref, INFO_SIZE));
			for (uint32_t b = INFO_SIZE; b < sizes[i]; b++)
				igt_assert_f(buf[b] == 0, "tail byte %u is %#x\n", b, buf[b]);
			for (uint32_t b = sizes[i]; b < sizes[i] + 64; b++)
				igt_assert_f(buf[b] == POISON, "byte %u beyond size written\n", b);
			free(buf);
		}
	}

	igt_describe("An unknown query type is EINVAL.");
	igt_subtest("invalid-type") {
		static const uint32_t types[] = { DRM_NEURON_QUERY_DEVICE_INFO + 1, 0x100,
						  0x7fffffff, 0xffffffffu };
		struct drm_neuron_device_info info;

		for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
			uint32_t size = INFO_SIZE;

			igt_assert_eq(query(types[i], &info, &size, 0, 0), -EINVAL);
			size = 0;
			igt_assert_eq(query(types[i], NULL, &size, 0, 0), -EINVAL);
		}
	}

	igt_describe("Non-zero flags are EINVAL, with or without a pointer.");
	igt_subtest("invalid-flags") {
		static const uint32_t flags[] = { 1, 2, 0x80000000u, 0xffffffffu };
		struct drm_neuron_device_info info;

		for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
			uint32_t size = INFO_SIZE;

			igt_assert_eq(query(DRM_NEURON_QUERY_DEVICE_INFO, &info, &size, flags[i], 0),
				      -EINVAL);
			size = 0;
			igt_assert_eq(query(DRM_NEURON_QUERY_DEVICE_INFO, NULL, &size, flags[i], 0),
				      -EINVAL);
		}
	}

	igt_describe("Non-zero pad is EINVAL, with or without a pointer.");
	igt_subtest("invalid-pad") {
		static const uint32_t pads[] = { 1, 0x80000000u, 0xffffffffu };
		struct drm_neuron_device_info info;

		for (size_t i = 0; i < ARRAY_SIZE(pads); i++) {
			uint32_t size = INFO_SIZE;

			igt_assert_eq(query(DRM_NEURON_QUERY_DEVICE_INFO, &info, &size, 0, pads[i]),
				      -EINVAL);
			size = 0;
			igt_assert_eq(query(DRM_NEURON_QUERY_DEVICE_INFO, NULL, &size, 0, pads[i]),
				      -EINVAL);
		}
	}

	igt_describe("A pointer the kernel cannot write to is EFAULT.");
	igt_subtest("bad-pointer") {
		long page = sysconf(_SC_PAGESIZE);
		uint8_t *none, *ro;
		void *ptrs[4];

		none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(none != MAP_FAILED);
		ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(ro != MAP_FAILED);
		ptrs[0] = none;
		ptrs[1] = ro;
		ptrs[2] = (void *)(uintptr_t)8;			/* NULL page */
		ptrs[3] = (void *)(uintptr_t)0xffff888000000000ull;	/* kernel */

		for (size_t i = 0; i < ARRAY_SIZE(ptrs); i++) {
			uint32_t size = INFO_SIZE;

			igt_assert_f(query(DRM_NEURON_QUERY_DEVICE_INFO, ptrs[i], &size, 0, 0) == -EFAULT,
				     "pointer %p not refused with EFAULT\n", ptrs[i]);
		}
		/* A buffer straddling into an unmapped page faults too. */
		{
			uint8_t *two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			uint32_t size = INFO_SIZE;

			igt_assert(two != MAP_FAILED);
			igt_assert_eq(munmap(two + page, page), 0);
			igt_assert_eq(query(DRM_NEURON_QUERY_DEVICE_INFO, two + page - 8, &size, 0, 0),
				      -EFAULT);
			munmap(two, page);
		}
		munmap(none, page);
		munmap(ro, page);
	}

	igt_describe("The ioctl argument itself at a bad address is EFAULT.");
	igt_subtest("bad-argument-pointer") {
		igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_NEURON_QUERY, (void *)8), -1);
		igt_assert_eq(errno, EFAULT);
	}

	/*
	 * drm_ioctl() owns the ioctl number space: a driver number with no
	 * entry is EINVAL (DRM's documented behaviour, not ENOTTY), an ioctl
	 * of another type than 'd' is ENOTTY.
	 */
	igt_describe("Unknown ioctls: EINVAL for unused driver numbers, ENOTTY for a foreign type.");
	igt_subtest("unknown-ioctl") {
		uint8_t arg[16] = { 0 };

		do_ioctl_err(fd, DRM_IOWR(DRM_COMMAND_END - 1, struct drm_neuron_query), arg, EINVAL);
		do_ioctl_err(fd, _IOWR('x', DRM_COMMAND_BASE, struct drm_neuron_query), arg, ENOTTY);
	}

	igt_fixture
		close(fd);
}
