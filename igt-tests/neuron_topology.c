// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Neuron Pipe topology as every device sees it, compared with the
 * emulator's wiring (control socket "config D": east/west): device ids
 * (DEVICE_INFO and the firmware's device id word), link bits, neighbour
 * indices through DEVICE_INFO and sysfs connected_devices, missing
 * neighbours reported as none, and the same after a module reload and a
 * reset.  Works with any device count and --topology; scripts/vm-suites
 * runs it with 1, 2, 4 and 16 devices in a ring and with chain, pairs
 * and none.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("Topology: device ids and neighbours from every device, across reload and reset.");

#define MISC(off)	(V1_APB_BASE + V1_MISC_RAM_OFFSET + (off))

static struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
static int num_nodes;

static uint32_t read1(int fd, uint64_t addr)
{
	struct drm_neuron_fwio_read args = { .count = 1 };
	uint32_t v = 0xdeadbeef;

	args.addrs = (uintptr_t)&addr;
	args.values = (uintptr_t)&v;
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_FWIO_READ, &args), 0);
	return v;
}

static void refresh_nodes(void)
{
	num_nodes = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);
	igt_require(num_nodes > 0);
	if (igt_neuron_expected_devices() >= 0)
		igt_assert_eq(num_nodes, igt_neuron_expected_devices());
	for (int i = 0; i < num_nodes; i++)
		igt_assert_lte(0, nodes[i].emu_dev);
}

static int node_of_emu(int emu)
{
	for (int i = 0; i < num_nodes; i++)
		if (nodes[i].emu_dev == emu)
			return i;
	return -1;
}

/* Expected index of emulator device `emu`'s node, or NO_NEIGHBOUR. */
static uint32_t expected_index(const uint32_t *index, int emu)
{
	int i;

	if (emu == NEURON_EMU_NONE)
		return DRM_NEURON_NO_NEIGHBOUR;
	i = node_of_emu(emu);
	igt_assert_lte(0, i);
	return index[i];
}

static void format_connected(char *buf, size_t size, uint32_t east, uint32_t west)
{
	buf[0] = '\0';
	if (east != DRM_NEURON_NO_NEIGHBOUR)
		snprintf(buf, size, "%u", east);
	if (west != DRM_NEURON_NO_NEIGHBOUR)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%u", buf[0] ? ", " : "", west);
}

/* The whole check, from every device. */
static void check_all(bool with_sysfs)
{
	struct drm_neuron_device_info info[IGT_NEURON_MAX_NODES];
	uint32_t index[IGT_NEURON_MAX_NODES];
	int fds[IGT_NEURON_MAX_NODES];

	for (int i = 0; i < num_nodes; i++) {
		fds[i] = igt_neuron_open(nodes[i].minor);
		igt_neuron_device_info(fds[i], &info[i]);
		index[i] = info[i].device_index;
		igt_assert_lt(index[i], V1_MAX_DEVICES);
		for (int j = 0; j < i; j++)
			igt_assert_neq_u32(index[i], index[j]);
	}
	for (int i = 0; i < num_nodes; i++) {
		struct neuron_emu_config cfg;
		uint32_t east, west, links = 0;

		igt_neuron_emu_config(nodes[i].emu_dev, &cfg);
		east = expected_index(index, cfg.east);
		west = expected_index(index, cfg.west);
		igt_debug("device %d (emu %d, index %u): east %u west %u (%s)\n", i,
			  nodes[i].emu_dev, index[i], east, west, cfg.topology);
		igt_assert(info[i].state & DRM_NEURON_DEVICE_READY);
		igt_assert_eq_u32(info[i].east_neighbour, east);
		igt_assert_eq_u32(info[i].west_neighbour, west);
		igt_assert_eq_u32(info[i].neighbour_count, (east != DRM_NEURON_NO_NEIGHBOUR) +
				  (west != DRM_NEURON_NO_NEIGHBOUR));
		if (cfg.east != NEURON_EMU_NONE)
			links |= DRM_NEURON_DEVICE_EAST_LINK;
		if (cfg.west != NEURON_EMU_NONE)
			links |= DRM_NEURON_DEVICE_WEST_LINK;
		igt_assert_eq_u32(info[i].state & (DRM_NEURON_DEVICE_EAST_LINK |
						   DRM_NEURON_DEVICE_WEST_LINK), links);
		igt_assert_eq_u32(read1(fds[i], MISC(MISC_DEVICE_ID)), index[i]);
		igt_assert_eq_u32(read1(fds[i], MISC(MISC_FW_STATUS)), info[i].fw_status);

		if (with_sysfs) {
			char path[PATH_MAX], got[64], want[64];
			int n;

			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/connected_devices",
				 nodes[i].pci_addr);
			n = igt_neuron_read_file(path, got, sizeof(got));
			igt_assert_lte(0, n);
			got[strcspn(got, "\n")] = '\0';
			format_connected(want, sizeof(want), east, west);
			igt_assert_f(!strcmp(got, want), "%s: \"%s\", want \"%s\"\n", path, got, want);
		}
	}
	for (int i = 0; i < num_nodes; i++)
		close(fds[i]);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

igt_main
{
	igt_fixture {
		igt_neuron_emu();
		refresh_nodes();
	}

	igt_describe("Every device reports a distinct index, the firmware's device id word "
		     "holds it, and its east/west neighbours and link bits match the emulator's "
		     "wiring (no link or no device: DRM_NEURON_NO_NEIGHBOUR).");
	igt_subtest("neighbours")
		check_all(false);

	igt_describe("sysfs connected_devices lists the same neighbours (east first).");
	igt_subtest("sysfs-connected-devices")
		check_all(true);

	igt_describe("sysfs core_count is 4 on every device.");
	igt_subtest("sysfs-core-count") {
		for (int i = 0; i < num_nodes; i++) {
			char path[PATH_MAX];
			uint64_t v;

			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/core_count",
				 nodes[i].pci_addr);
			igt_assert(igt_neuron_read_u64(path, &v));
			igt_assert_eq_u64(v, V1_NC_PER_DEVICE);
		}
	}

	igt_describe("After unloading and reloading the module, ids and neighbours are right "
		     "again from every device.");
	igt_subtest("after-reload") {
		double t;

		igt_require(igt_neuron_module_loaded());
		igt_assert_eq(igt_neuron_module_unload(), 0);
		t = now_s();
		igt_assert_eq(igt_neuron_module_load(), 0);
		igt_assert(igt_neuron_wait_nodes(num_nodes, 60000));
		igt_info("module load with %d devices: %.3f s\n", num_nodes, now_s() - t);
		refresh_nodes();
		check_all(true);
	}

	igt_describe("After a reset of the first device, ids and neighbours are right again from "
		     "every device.");
	igt_subtest("after-reset") {
		struct drm_neuron_reset args = { 0 };
		int fd = igt_neuron_open(nodes[0].minor);

		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_RESET, &args), 0);
		close(fd);
		check_all(true);
	}

	igt_describe("Repeated topology queries from every device agree with the wiring.");
	igt_subtest("repeated-queries") {
		for (int k = 0; k < 3; k++)
			check_all(false);
	}
}
