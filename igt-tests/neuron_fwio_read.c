// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * DRM_IOCTL_NEURON_FWIO_READ: register reads for applications through the
 * firmware mailbox, restricted to the allow-list of driver.rst.  Values
 * are checked against DEVICE_INFO and the model's documented power-on
 * state; forbidden and malformed requests must fail before any mailbox
 * request (the emulator's fwio_requests counter does not move); large
 * reads cost one request per 100 addresses; injected mailbox faults give
 * the documented errors and debugfs counters.
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

IGT_TEST_DESCRIPTION("FWIO_READ ioctl: allow-list, limits, request batching, mailbox faults.");

#define MISC(off)	(V1_APB_BASE + V1_MISC_RAM_OFFSET + (off))
#define UDMA(nc, e)	(V1_APB_BASE + V1_UDMA_OFFSET(nc, e))
#define NCWIN(nc)	(V1_TPB_BASE + V1_NC_WINDOW_OFFSET(nc))
#define MAX_READ	DRM_NEURON_FWIO_READ_MAX

static struct igt_neuron_node node;
static int fd = -1;
static int dev;
static char debugfs[PATH_MAX];
static uint64_t tries;

static int __fwio_read(int f, const void *addrs, void *vals, uint32_t count, uint32_t flags)
{
	struct drm_neuron_fwio_read args = {
		.addrs = (uintptr_t)addrs,
		.values = (uintptr_t)vals,
		.count = count,
		.flags = flags,
	};

	return drmIoctl(f, DRM_IOCTL_NEURON_FWIO_READ, &args) ? -errno : 0;
}

static uint32_t read1(uint64_t addr)
{
	uint32_t v = 0xdeadbeef;

	igt_assert_eq(__fwio_read(fd, &addr, &v, 1, 0), 0);
	return v;
}

static uint64_t requests(void)
{
	return igt_neuron_emu_counter(dev, "fwio_requests");
}

static uint64_t stat_of(const char *key)
{
	char path[PATH_MAX + 16];
	uint64_t v;

	igt_require_f(debugfs[0], "no debugfs directory\n");
	snprintf(path, sizeof(path), "%s/fwio_stats", debugfs);
	igt_assert(igt_neuron_file_key_u64(path, key, &v));
	return v;
}

/* One address must fail with err and cost no mailbox request. */
static void refused(uint64_t addr, int err)
{
	uint64_t before = requests();
	uint32_t v;

	igt_assert_eq(__fwio_read(fd, &addr, &v, 1, 0), err);
	igt_assert_eq_u64(requests() - before, 0);
}

/* Every allowed register of the list driver.rst gives, for one NeuronCore. */
static int allowed_addrs(uint64_t *a, int nc)
{
	int n = 0;

	for (int e = 0; e < V1_DMA_ENG_PER_NC; e++) {
		a[n++] = UDMA(nc, e) + UDMA_M2S_STATE;
		a[n++] = UDMA(nc, e) + UDMA_S2M_STATE;
		a[n++] = UDMA(nc, e) + UDMA_M2S_DMA_VERSION;
		for (int q = 0; q < V1_DMA_QUEUES_PER_ENG; q++) {
			static const uint32_t regs[] = {
				UDMA_Q_STATUS, UDMA_Q_RING_HEAD, UDMA_Q_RING_TAIL, UDMA_Q_COMP_HEAD,
			};

			for (size_t r = 0; r < ARRAY_SIZE(regs); r++) {
				a[n++] = UDMA(nc, e) + UDMA_M2S_Q(q) + regs[r];
				a[n++] = UDMA(nc, e) + UDMA_S2M_Q(q) + regs[r];
			}
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

static void disarm_all(void)
{
	igt_neuron_emu_fault(dev, "fwio_drop", 0);
	igt_neuron_emu_fault(dev, "fwio_bad_crc", 0);
	igt_neuron_emu_fault(dev, "fwio_bad_seq", 0);
}

/*
 * A read of the device id word with `fault` armed n times: n tries fail
 * (counted in debugfs under `stat`), then one succeeds if n < tries; else
 * the call fails with err after exactly `tries` requests.
 */
static void faulted_read(const char *fault, uint64_t n, const char *stat, int err)
{
	struct drm_neuron_device_info info;
	uint64_t before = requests(), st = stat_of(stat), retries = stat_of("retries");
	uint64_t failures = stat_of("failures");
	uint64_t addr = MISC(MISC_DEVICE_ID);
	bool fails = n >= tries;
	uint32_t v = 0;

	igt_neuron_device_info(fd, &info);
	before = requests();
	igt_assert_eq(igt_neuron_emu_fault(dev, fault, n), 0);
	if (fails) {
		igt_assert_eq(__fwio_read(fd, &addr, &v, 1, 0), err);
		igt_assert_eq_u64(requests() - before, tries);
		igt_assert_eq_u64(stat_of(stat) - st, tries);
		igt_assert_eq_u64(stat_of("retries") - retries, tries - 1);
		igt_assert_eq_u64(stat_of("failures") - failures, 1);
	} else {
		igt_assert_eq(__fwio_read(fd, &addr, &v, 1, 0), 0);
		igt_assert_eq_u32(v, info.device_index);
		igt_assert_eq_u64(requests() - before, n + 1);
		igt_assert_eq_u64(stat_of(stat) - st, n);
		igt_assert_eq_u64(stat_of("retries") - retries, n);
		igt_assert_eq_u64(stat_of("failures") - failures, 0);
	}
	disarm_all();
	igt_assert_eq_u32(read1(MISC(MISC_DEVICE_ID)), info.device_index);
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
		igt_assert(igt_neuron_read_u64(IGT_NEURON_PARAM_DIR "fwio_tries", &tries));
		disarm_all();
	}

	igt_describe("The firmware words read back what DEVICE_INFO reports: status = fw_status, "
		     "device id word = device_index; reset register idle.");
	igt_subtest("firmware-words") {
		struct drm_neuron_device_info info;
		uint64_t a[4] = { MISC(MISC_FW_STATUS), MISC(MISC_DEVICE_ID),
				  MISC(MISC_FW_API_VERSION), MISC(MISC_RESET) };
		uint32_t v[4];

		igt_neuron_device_info(fd, &info);
		igt_assert_eq(__fwio_read(fd, a, v, 4, 0), 0);
		igt_assert_eq_u32(v[0], info.fw_status);
		igt_assert(v[0] & FW_STATUS_READY);
		igt_assert_eq_u32(v[1], info.device_index);
		igt_assert_eq_u32(v[3], 0);
	}

	igt_describe("Every allow-listed register of every NeuronCore reads in one call; the DMA "
		     "version register reads 4.");
	igt_subtest("allowed-registers") {
		static uint64_t a[MAX_READ];
		static uint32_t v[MAX_READ];

		for (int nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
			int n = allowed_addrs(a, nc);

			igt_assert_lte(n, MAX_READ);
			memset(v, 0xa5, sizeof(v));
			igt_assert_eq(__fwio_read(fd, a, v, n, 0), 0);
			for (int e = 0; e < V1_DMA_ENG_PER_NC; e++)
				igt_assert_eq_u32(read1(UDMA(nc, e) + UDMA_M2S_DMA_VERSION),
						  UDMA_VERSION_V4);
		}
	}

	igt_describe("Forbidden addresses fail with EACCES before any mailbox request: DRAM, host "
		     "and neighbour prefixes, ring base and doorbell registers, mailbox addresses, "
		     "metrics staging, semaphore write views, unlisted registers.");
	igt_subtest_with_dynamic("forbidden") {
		static const struct { const char *name; uint64_t addr; } cases[] = {
			{ "dram-ch0", V1_DRAM_CH0_BASE + 0x1000 },
			{ "dram-ch1", V1_DRAM_CH1_BASE },
			{ "dram-port1", V1_DRAM_PORT1_BIT | 0x100 },
			{ "host-prefix", V1_HOST_PREFIX | 0x1000 },
			{ "host-prefix-misc", V1_HOST_PREFIX | MISC(MISC_FW_STATUS) },
			{ "east-neighbour-id", V1_EAST_PREFIX | MISC(MISC_DEVICE_ID) },
			{ "west-neighbour-id", V1_WEST_PREFIX | MISC(MISC_DEVICE_ID) },
			{ "east-neighbour-sem", V1_EAST_PREFIX | (NCWIN(0) + V1_NC_SEM_READ) },
			{ "m2s-ring-base-lo", UDMA(0, 2) + UDMA_M2S_Q(15) + UDMA_Q_RING_BASE_LO },
			{ "m2s-ring-base-hi", UDMA(0, 2) + UDMA_M2S_Q(15) + UDMA_Q_RING_BASE_HI },
			{ "s2m-ring-base-lo", UDMA(3, 1) + UDMA_S2M_Q(0) + UDMA_Q_RING_BASE_LO },
			{ "comp-ring-base", UDMA(1, 0) + UDMA_S2M_Q(3) + UDMA_Q_COMP_BASE_LO },
			{ "tail-doorbell", UDMA(0, 0) + UDMA_M2S_Q(0) + UDMA_Q_TAIL_INC },
			{ "gen-ex-selector", UDMA(0, 0) + UDMA_GEN_EX_TX_SEL(0) },
			{ "putils-nq-base", V1_APB_BASE + V1_PUTILS_OFFSET(0) + PUTILS_NQ_ERROR },
			{ "misc-req-addr", MISC(MISC_REQ_ADDR_LO) },
			{ "misc-resp-addr", MISC(MISC_RESP_ADDR_HI) },
			{ "misc-metrics", MISC(MISC_METRICS) },
			{ "misc-doorbell", MISC(MISC_DOORBELL) },
			{ "sem-set-view", NCWIN(0) + V1_NC_SEM_SET },
			{ "sem-read-past-end", NCWIN(3) + V1_NC_SEM_READ + 4 * V1_SEMAPHORES_PER_NC },
			{ "events-past-end", NCWIN(1) + V1_NC_EVENTS + 4 * V1_EVENTS_PER_NC },
			{ "pe-iram", NCWIN(0) + V1_NC_PE_IRAM_FIFO },
			{ "nc4-window", NCWIN(4) + V1_NC_SEM_READ },
			{ "apb-end", V1_APB_BASE + V1_APB_SIZE - 4 },
			{ "top", 0xfffffffffffffffcull },
		};

		for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
			igt_dynamic_f("%s", cases[i].name)
				refused(cases[i].addr, -EACCES);
	}

	igt_describe("One forbidden address among many allowed ones fails the whole call with "
		     "EACCES, reads nothing and leaves the result buffer untouched.");
	igt_subtest("forbidden-among-allowed") {
		static uint64_t a[MAX_READ];
		static uint32_t v[MAX_READ];
		uint64_t before = requests();

		for (int i = 0; i < MAX_READ; i++)
			a[i] = MISC(MISC_FW_STATUS);
		a[MAX_READ - 1] = V1_DRAM_CH0_BASE;
		memset(v, 0x5a, sizeof(v));
		igt_assert_eq(__fwio_read(fd, a, v, MAX_READ, 0), -EACCES);
		igt_assert_eq_u64(requests() - before, 0);
		for (int i = 0; i < MAX_READ; i++)
			igt_assert_eq_u32(v[i], 0x5a5a5a5a);
	}

	igt_describe("Malformed calls fail with EINVAL before any request: count 0 and 1025, "
		     "non-zero flags, an address not 4-byte aligned.");
	igt_subtest("invalid-arguments") {
		static uint64_t a[MAX_READ + 1];
		static uint32_t v[MAX_READ + 1];
		uint64_t before = requests();

		for (int i = 0; i <= MAX_READ; i++)
			a[i] = MISC(MISC_FW_STATUS);
		igt_assert_eq(__fwio_read(fd, a, v, 0, 0), -EINVAL);
		igt_assert_eq(__fwio_read(fd, a, v, MAX_READ + 1, 0), -EINVAL);
		igt_assert_eq(__fwio_read(fd, a, v, 0xffffffffu, 0), -EINVAL);
		igt_assert_eq(__fwio_read(fd, a, v, 1, 1), -EINVAL);
		igt_assert_eq(__fwio_read(fd, a, v, 1, 0x80000000u), -EINVAL);
		for (int off = 1; off < 4; off++) {
			a[0] = MISC(MISC_FW_STATUS) + off;
			igt_assert_eq(__fwio_read(fd, a, v, 1, 0), -EINVAL);
		}
		/* Misaligned wins over forbidden: the request is malformed. */
		a[0] = V1_DRAM_CH0_BASE + 2;
		igt_assert_eq(__fwio_read(fd, a, v, 1, 0), -EINVAL);
		igt_assert_eq_u64(requests() - before, 0);
	}

	igt_describe("Bad user pointers give EFAULT: unmapped address array, unmapped or "
		     "read-only result array.");
	igt_subtest("bad-pointers") {
		uint64_t a = MISC(MISC_FW_STATUS);
		uint32_t v;
		char *ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(ro != MAP_FAILED);
		/* ro: a read-only page followed by a hole. */
		igt_assert_eq(munmap(ro + 4096, 4096), 0);
		igt_assert_eq(__fwio_read(fd, NULL, &v, 1, 0), -EFAULT);
		igt_assert_eq(__fwio_read(fd, (void *)(uintptr_t)0x10, &v, 1, 0), -EFAULT);
		igt_assert_eq(__fwio_read(fd, &a, NULL, 1, 0), -EFAULT);
		igt_assert_eq(__fwio_read(fd, &a, ro, 1, 0), -EFAULT);
		/* The address array must be readable in full. */
		igt_assert_eq(__fwio_read(fd, ro + 4096 - 8, &v, 2, 0), -EFAULT);
		munmap(ro, 4096);
		igt_assert_eq_u32(read1(MISC(MISC_FW_STATUS)) & FW_STATUS_READY, FW_STATUS_READY);
	}

	igt_describe("A read of N addresses costs ceil(N/100) mailbox requests, up to 1024, and "
		     "returns every value in order.");
	igt_subtest("large-counts") {
		static const uint32_t counts[] = { 1, 99, 100, 101, 200, 512, 1000, 1023, 1024 };
		static uint64_t a[MAX_READ];
		static uint32_t v[MAX_READ];
		struct drm_neuron_device_info info;

		igt_neuron_device_info(fd, &info);
		for (size_t c = 0; c < ARRAY_SIZE(counts); c++) {
			uint32_t n = counts[c];
			uint64_t before;

			/* Alternate two words with known values. */
			for (uint32_t i = 0; i < n; i++)
				a[i] = i % 3 ? MISC(MISC_DEVICE_ID) : MISC(MISC_RESET);
			memset(v, 0xff, sizeof(v));
			before = requests();
			igt_assert_eq(__fwio_read(fd, a, v, n, 0), 0);
			igt_assert_eq_u64(requests() - before, (n + 99) / 100);
			for (uint32_t i = 0; i < n; i++)
				igt_assert_eq_u32(v[i], i % 3 ? info.device_index : 0);
		}
	}

	igt_describe("No MMIO read is used: the values come through the mailbox only.");
	igt_subtest("no-mmio-reads") {
		static uint64_t a[MAX_READ];
		static uint32_t v[MAX_READ];
		int n = allowed_addrs(a, 2);

		igt_neuron_emu_reset_counters(dev);
		igt_assert_eq(__fwio_read(fd, a, v, n, 0), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "mmio_reads_bar0"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "mmio_reads_bar2"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "fwio_errors"), 0);
	}

	igt_describe("A dropped response (fwio_drop) times out, is retried with a new sequence "
		     "number and succeeds; debugfs counts the timeout and the retry.");
	igt_subtest("drop-retry")
		faulted_read("fwio_drop", 1, "timeouts", 0);

	igt_describe("Dropped responses on every try fail the read with ETIMEDOUT within "
		     "tries x fwio_timeout_ms.");
	igt_subtest("drop-exhausted")
		faulted_read("fwio_drop", tries, "timeouts", -ETIMEDOUT);

	igt_describe("A request the firmware saw with a bad CRC (fwio_bad_crc) is answered with "
		     "status 1 and retried; debugfs counts it under bad_status.");
	igt_subtest("bad-crc-retry")
		faulted_read("fwio_bad_crc", 1, "bad_status", 0);

	igt_describe("Bad CRC on every try fails the read with EIO.");
	igt_subtest("bad-crc-exhausted")
		faulted_read("fwio_bad_crc", tries, "bad_status", -EIO);

	igt_describe("A response with the wrong sequence number (fwio_bad_seq) is not taken for "
		     "the answer; the read is retried and succeeds.");
	igt_subtest("bad-seq-retry")
		faulted_read("fwio_bad_seq", 1, "bad_seq", 0);

	igt_describe("Wrong sequence numbers on every try fail the read with EPROTO.");
	igt_subtest("bad-seq-exhausted")
		faulted_read("fwio_bad_seq", tries, "bad_seq", -EPROTO);

	igt_describe("With fwio_tries=1 a single dropped response fails the read with ETIMEDOUT.");
	igt_subtest("single-try") {
		uint64_t saved = tries;

		igt_neuron_set_param("fwio_tries", 1);
		tries = 1;
		faulted_read("fwio_drop", 1, "timeouts", -ETIMEDOUT);
		igt_neuron_set_param("fwio_tries", saved);
		tries = saved;
	}

	igt_fixture {
		disarm_all();
		close(fd);
	}
}
