// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * FWIO: on v1 every register read goes through the firmware mailbox.  The
 * emulator counts FWIO requests and BAR reads; its fault switches drop or
 * corrupt responses, which the driver must retry or report as documented.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "igt_neuron.h"
#include "v1/fwio_regs.h"

IGT_TEST_DESCRIPTION("FWIO mailbox: request accounting, no MMIO reads, fault recovery.");

static struct igt_neuron_node node;
static int fd = -1;
static int dev;			/* emulator device of node */
static char debugfs[PATH_MAX];

static void query_ok(void)
{
	struct drm_neuron_device_info info;

	igt_neuron_device_info(fd, &info);
	igt_assert(info.state & DRM_NEURON_DEVICE_READY);
}

static uint64_t requests(void)
{
	return igt_neuron_emu_counter(dev, "fwio_requests");
}

/* FWIO requests one DEVICE_INFO query costs, measured. */
static uint64_t requests_per_query(void)
{
	uint64_t before = requests();

	query_ok();
	return requests() - before;
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
		/* Leave no fault armed by an earlier, interrupted run. */
		igt_neuron_emu_fault(dev, "fwio_drop", 0);
		igt_neuron_emu_fault(dev, "fwio_bad_seq", 0);
	}

	igt_describe("Each DEVICE_INFO query makes the same non-zero number of FWIO requests.");
	igt_subtest("query-uses-fwio") {
		uint64_t k = requests_per_query(), before;

		igt_info("FWIO requests per DEVICE_INFO query: %" PRIu64 "\n", k);
		igt_assert_lte_u64(1, k);
		before = requests();
		for (int i = 0; i < 10; i++)
			query_ok();
		igt_assert_eq_u64(requests() - before, 10 * k);
	}

	igt_describe("Queries read nothing through BAR0/BAR2/BAR4: reads go through FWIO.");
	igt_subtest("no-mmio-reads") {
		igt_neuron_emu_reset_counters(dev);
		for (int i = 0; i < 20; i++)
			query_ok();
		igt_assert_lte_u64(20, igt_neuron_emu_counter(dev, "fwio_requests"));
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "mmio_reads_bar0"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "mmio_reads_bar2"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "mmio_reads_bar4"), 0);
	}

	igt_describe("The driver's FWIO requests are well-formed: no FWIO errors at the device.");
	igt_subtest("no-fwio-errors") {
		igt_neuron_emu_reset_counters(dev);
		for (int i = 0; i < 20; i++)
			query_ok();
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "fwio_errors"), 0);
	}

	igt_describe("One dropped FWIO response is retried: the query still succeeds.");
	igt_subtest("drop-retry") {
		uint64_t k = requests_per_query(), before = requests();

		igt_assert_eq(igt_neuron_emu_fault(dev, "fwio_drop", 1), 0);
		query_ok();
		igt_assert_eq_u64(requests() - before, k + 1);
		query_ok();
		igt_assert_eq_u64(requests() - before, 2 * k + 1);
	}

	igt_describe("A response with a wrong sequence number is retried: the query still succeeds.");
	igt_subtest("bad-seq-retry") {
		uint64_t k = requests_per_query(), before = requests();

		igt_assert_eq(igt_neuron_emu_fault(dev, "fwio_bad_seq", 1), 0);
		query_ok();
		igt_assert_eq_u64(requests() - before, k + 1);
	}

	igt_describe("When every try is dropped the query fails with EIO, and the next one works.");
	igt_subtest("drop-exhausted") {
		struct drm_neuron_device_info info;
		uint32_t size = sizeof(info);

		igt_assert_eq(igt_neuron_emu_fault(dev, "fwio_drop", FWIO_TRIES), 0);
		igt_assert_eq(__igt_neuron_query(fd, DRM_NEURON_QUERY_DEVICE_INFO, &info, &size, 0, 0),
			      -EIO);
		igt_neuron_emu_fault(dev, "fwio_drop", 0);
		query_ok();
	}

	igt_describe("Queries from many processes at once all succeed (the mailbox is serialised).");
	igt_subtest("concurrent-queries") {
		uint64_t k = requests_per_query(), before = requests();
		pid_t pids[4];
		int status;

		for (int c = 0; c < 4; c++) {
			pids[c] = fork();
			igt_assert_lte(0, pids[c]);
			if (pids[c] == 0) {
				struct drm_neuron_device_info info;
				uint32_t size;

				for (int q = 0; q < 25; q++) {
					size = sizeof(info);
					if (__igt_neuron_query(fd, DRM_NEURON_QUERY_DEVICE_INFO,
							       &info, &size, 0, 0))
						_exit(1);
					if (!(info.state & DRM_NEURON_DEVICE_READY))
						_exit(2);
				}
				_exit(0);
			}
		}
		for (int c = 0; c < 4; c++) {
			igt_assert_eq(waitpid(pids[c], &status, 0), pids[c]);
			igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
				     "child %d: status %#x\n", c, status);
		}
		igt_assert_eq_u64(requests() - before, 100 * k);
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "fwio_errors"), 0);
	}

	igt_fixture {
		igt_neuron_emu_fault(dev, "fwio_drop", 0);
		igt_neuron_emu_fault(dev, "fwio_bad_seq", 0);
		close(fd);
	}
}
