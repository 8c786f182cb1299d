// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Several devices at once: each node talks to its own emulated device, and
 * device indices and neighbour links are consistent across nodes.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "igt_neuron.h"

IGT_TEST_DESCRIPTION("Four or more neuron devices: distinct indices, per-device routing, topology.");

#define MIN_DEVICES 4

static struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
static struct drm_neuron_device_info infos[IGT_NEURON_MAX_NODES];
static int num_nodes;

static int node_of_index(uint32_t device_index)
{
	for (int i = 0; i < num_nodes; i++)
		if (infos[i].device_index == device_index)
			return i;
	return -1;
}

igt_main
{
	igt_fixture {
		igt_require_f(igt_neuron_expected_devices() >= MIN_DEVICES,
			      "needs NEURON_DEVICES >= %d\n", MIN_DEVICES);
		num_nodes = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);
		igt_assert_eq(num_nodes, igt_neuron_expected_devices());
		for (int i = 0; i < num_nodes; i++) {
			int fd = igt_neuron_open(nodes[i].minor);

			igt_neuron_device_info(fd, &infos[i]);
			close(fd);
		}
	}

	igt_describe("Every node maps to a different emulated device.");
	igt_subtest("distinct-devices") {
		for (int i = 0; i < num_nodes; i++) {
			igt_assert_lte(0, nodes[i].emu_dev);
			igt_assert_lt(nodes[i].emu_dev, num_nodes);
			for (int j = 0; j < i; j++)
				igt_assert_neq(nodes[i].emu_dev, nodes[j].emu_dev);
		}
	}

	igt_describe("Every node reports a different device_index, below the v1 maximum of 16.");
	igt_subtest("distinct-device-index") {
		for (int i = 0; i < num_nodes; i++) {
			igt_assert_lt_u64(infos[i].device_index, 16);
			for (int j = 0; j < i; j++)
				igt_assert_neq_u32(infos[i].device_index, infos[j].device_index);
		}
	}

	igt_describe("Each node's DEVICE_INFO equals the config of its own emulated device.");
	igt_subtest_with_dynamic("query-matches-own-device") {
		for (int i = 0; i < num_nodes; i++)
			igt_dynamic_f("accel%d", nodes[i].minor) {
				struct neuron_emu_config cfg;

				igt_neuron_emu_config(nodes[i].emu_dev, &cfg);
				igt_assert_eq_u32(infos[i].pci_device, cfg.device_id);
				igt_assert_eq_u32(infos[i].pci_revision, cfg.revision);
				igt_assert_eq_u32(infos[i].device_index, cfg.index);
			}
	}

	igt_describe("A query on one node makes FWIO requests on its own device only.");
	igt_subtest_with_dynamic("fwio-routing") {
		igt_neuron_emu();
		igt_neuron_require_quiet_fwio();
		for (int i = 0; i < num_nodes; i++)
			igt_dynamic_f("accel%d", nodes[i].minor) {
				uint64_t before[IGT_NEURON_MAX_NODES];
				struct drm_neuron_device_info info;
				int fd = igt_neuron_open(nodes[i].minor);

				for (int d = 0; d < num_nodes; d++)
					before[d] = igt_neuron_emu_counter(d, "fwio_requests");
				for (int q = 0; q < 5; q++)
					igt_neuron_device_info(fd, &info);
				for (int d = 0; d < num_nodes; d++) {
					uint64_t now = igt_neuron_emu_counter(d, "fwio_requests");

					if (d == nodes[i].emu_dev)
						igt_assert_lte_u64(before[d] + 5, now);
					else
						igt_assert_eq_u64(now, before[d]);
				}
				close(fd);
			}
	}

	igt_describe("A node's east/west neighbour is the device_index of the node wired there.");
	igt_subtest_with_dynamic("neighbours-consistent") {
		for (int i = 0; i < num_nodes; i++)
			igt_dynamic_f("accel%d", nodes[i].minor) {
				struct neuron_emu_config cfg;
				int links[2], j;
				uint32_t got[2] = { infos[i].east_neighbour, infos[i].west_neighbour };

				igt_neuron_emu_config(nodes[i].emu_dev, &cfg);
				links[0] = cfg.east;
				links[1] = cfg.west;
				for (int l = 0; l < 2; l++) {
					if (links[l] == NEURON_EMU_NONE) {
						igt_assert_eq_u32(got[l], DRM_NEURON_NO_NEIGHBOUR);
						continue;
					}
					for (j = 0; j < num_nodes; j++)
						if (nodes[j].emu_dev == links[l])
							break;
					igt_assert_lt(j, num_nodes);
					igt_assert_eq_u32(got[l], infos[j].device_index);
					igt_assert_lte(0, node_of_index(got[l]));
				}
			}
	}

	igt_describe("All nodes queried in parallel from separate processes all succeed.");
	igt_subtest("parallel-queries") {
		pid_t pids[IGT_NEURON_MAX_NODES];
		int status;

		for (int i = 0; i < num_nodes; i++) {
			pids[i] = fork();
			igt_assert_lte(0, pids[i]);
			if (pids[i] == 0) {
				struct drm_neuron_device_info info;
				uint32_t size;
				int fd = __igt_neuron_open(nodes[i].minor, O_RDWR | O_CLOEXEC);

				if (fd < 0)
					_exit(2);
				for (int q = 0; q < 50; q++) {
					size = sizeof(info);
					if (__igt_neuron_query(fd, DRM_NEURON_QUERY_DEVICE_INFO,
							       &info, &size, 0, 0))
						_exit(3);
					if (memcmp(&info, &infos[i], offsetof(struct drm_neuron_device_info, fw_status)))
						_exit(4);
				}
				_exit(0);
			}
		}
		for (int i = 0; i < num_nodes; i++) {
			igt_assert_eq(waitpid(pids[i], &status, 0), pids[i]);
			igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
				     "child for accel%d: status %#x\n", nodes[i].minor, status);
		}
	}
}
