// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * FWIO: on v1 every register read goes through the firmware mailbox.  The
 * emulator counts FWIO requests and BAR reads, and its fault switches drop
 * responses, corrupt their sequence number or answer with an error status;
 * the driver must retry (module parameter fwio_tries, default 3) and, once
 * the tries are used up, fail DEVICE_INFO with EIO, as driver.rst and the
 * uapi document.  debugfs fwio_stats must account for all of it.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("FWIO mailbox: request accounting, no MMIO reads, retries and failures.");


struct fwio_stats {
	uint64_t requests, retries, timeouts, bad_status, bad_seq, bad_size, failures;
};

static struct igt_neuron_node node;
static struct neuron_emu_config cfg;
static int fd = -1;
static int dev;			/* emulator device of node */
static char debugfs[PATH_MAX];
static uint64_t tries;		/* fwio_tries module parameter */

static int try_query(void)
{
	struct drm_neuron_device_info info;
	uint32_t size = sizeof(info);

	return __igt_neuron_query(fd, DRM_NEURON_QUERY_DEVICE_INFO, &info, &size, 0, 0);
}

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

/*
 * Documented cost of one DEVICE_INFO query: one FWIO request for the status
 * word, and one more for the neighbours' indices when a link is up.
 */
static uint64_t requests_per_query(void)
{
	return 1 + (cfg.east != NEURON_EMU_NONE || cfg.west != NEURON_EMU_NONE);
}

static void read_stats(struct fwio_stats *st)
{
	char path[PATH_MAX + 16];

	igt_require_f(debugfs[0], "no debugfs directory for %s\n", node.pci_addr);
	snprintf(path, sizeof(path), "%s/fwio_stats", debugfs);
	igt_assert(igt_neuron_file_key_u64(path, "requests", &st->requests));
	igt_assert(igt_neuron_file_key_u64(path, "retries", &st->retries));
	igt_assert(igt_neuron_file_key_u64(path, "timeouts", &st->timeouts));
	igt_assert(igt_neuron_file_key_u64(path, "bad_status", &st->bad_status));
	igt_assert(igt_neuron_file_key_u64(path, "bad_seq", &st->bad_seq));
	igt_assert(igt_neuron_file_key_u64(path, "bad_size", &st->bad_size));
	igt_assert(igt_neuron_file_key_u64(path, "failures", &st->failures));
}

/* Every statistic changed by exactly the given amount. */
static void check_stats_delta(const struct fwio_stats *a, const struct fwio_stats *b,
			      uint64_t requests, uint64_t retries, uint64_t timeouts,
			      uint64_t bad_status, uint64_t bad_seq, uint64_t bad_size,
			      uint64_t failures)
{
	igt_assert_eq_u64(b->requests - a->requests, requests);
	igt_assert_eq_u64(b->retries - a->retries, retries);
	igt_assert_eq_u64(b->timeouts - a->timeouts, timeouts);
	igt_assert_eq_u64(b->bad_status - a->bad_status, bad_status);
	igt_assert_eq_u64(b->bad_seq - a->bad_seq, bad_seq);
	igt_assert_eq_u64(b->bad_size - a->bad_size, bad_size);
	igt_assert_eq_u64(b->failures - a->failures, failures);
}

static void arm(const char *fault, uint64_t n)
{
	igt_assert_eq(igt_neuron_emu_fault(dev, fault, n), 0);
}

/*
 * One query with `fault` armed `n` times: the first n tries of the status
 * read fail, then (if n < tries) one succeeds.
 */
static void faulted_query(const char *fault, uint64_t n, uint64_t timeouts_per,
			  uint64_t bad_status_per, uint64_t bad_seq_per, uint64_t bad_size_per)
{
	uint64_t k = requests_per_query(), before = requests();
	bool fails = n >= tries;
	struct fwio_stats a, b;

	read_stats(&a);
	arm(fault, n);
	if (fails) {
		igt_assert_eq(try_query(), -EIO);
		/* The status read failed: no neighbour read followed. */
		igt_assert_eq_u64(requests() - before, tries);
	} else {
		query_ok();
		igt_assert_eq_u64(requests() - before, k + n);
	}
	igt_assert_eq_u64(igt_neuron_emu_fault_pending(dev, fault), n - (fails ? tries : n));
	read_stats(&b);
	if (fails)
		check_stats_delta(&a, &b, tries, tries - 1, timeouts_per * tries,
				  bad_status_per * tries, bad_seq_per * tries,
				  bad_size_per * tries, 1);
	else
		check_stats_delta(&a, &b, k + n, n, timeouts_per * n,
				  bad_status_per * n, bad_seq_per * n, bad_size_per * n, 0);
	/* Nothing left armed, and the device answers normally again. */
	arm(fault, 0);
	query_ok();
}

static void on_alarm(int sig)
{
	(void)sig;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void disarm_all(void)
{
	static const char *const faults[] = { "fwio_drop", "fwio_bad_seq", "fwio_bad_crc" };

	for (size_t i = 0; i < ARRAY_SIZE(faults); i++)
		igt_neuron_emu_fault(dev, faults[i], 0);
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
		igt_neuron_emu();
		igt_assert_lte(0, node.emu_dev);
		dev = node.emu_dev;
		igt_neuron_emu_config(dev, &cfg);
		if (!igt_neuron_debugfs_dir(node.pci_addr, debugfs, sizeof(debugfs)))
			debugfs[0] = '\0';
		igt_neuron_require_quiet_fwio();
		igt_assert(igt_neuron_read_u64(IGT_NEURON_PARAM_DIR "fwio_tries", &tries));
		igt_assert_lte_u64(1, tries);
		igt_assert_lte_u64(tries, FWIO_TRIES);
		/* Leave no fault armed by an earlier, interrupted run. */
		disarm_all();
	}

	igt_describe("Each DEVICE_INFO query makes the documented number of FWIO requests "
		     "(status, plus neighbours when a link is up).");
	igt_subtest("query-uses-fwio") {
		uint64_t k = requests_per_query(), before = requests();

		query_ok();
		igt_assert_eq_u64(requests() - before, k);
		before = requests();
		for (int i = 0; i < 10; i++)
			query_ok();
		igt_assert_eq_u64(requests() - before, 10 * k);
	}

	igt_describe("debugfs fwio_stats counts the same requests as the device, and no errors.");
	igt_subtest("debugfs-stats") {
		uint64_t k = requests_per_query(), before;
		struct fwio_stats a, b;

		read_stats(&a);
		before = requests();
		for (int i = 0; i < 10; i++)
			query_ok();
		read_stats(&b);
		igt_assert_eq_u64(requests() - before, 10 * k);
		check_stats_delta(&a, &b, 10 * k, 0, 0, 0, 0, 0, 0);
	}

	igt_describe("Queries read nothing through BAR0/BAR2/BAR4: reads go through FWIO.");
	igt_subtest("no-mmio-reads") {
		igt_neuron_emu_reset_counters(dev);
		for (int i = 0; i < 20; i++)
			query_ok();
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "fwio_requests"),
				  20 * requests_per_query());
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "mmio_reads_bar0"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "mmio_reads_bar2"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "mmio_reads_bar4"), 0);
	}

	igt_describe("The driver's FWIO requests are well-formed: the device reports no FWIO errors.");
	igt_subtest("no-fwio-errors") {
		igt_neuron_emu_reset_counters(dev);
		for (int i = 0; i < 20; i++)
			query_ok();
		igt_assert_lte_u64(20, igt_neuron_emu_counter(dev, "fwio_requests"));
		igt_assert_eq_u64(igt_neuron_emu_counter(dev, "fwio_errors"), 0);
	}

	igt_describe("debugfs info reads no hardware and agrees with DEVICE_INFO.");
	igt_subtest("debugfs-info") {
		struct drm_neuron_device_info info;
		char path[PATH_MAX + 16];
		uint64_t before, v;

		igt_require_f(debugfs[0], "no debugfs\n");
		igt_neuron_device_info(fd, &info);
		snprintf(path, sizeof(path), "%s/info", debugfs);
		before = requests();
		igt_assert(igt_neuron_file_key_u64(path, "device_index", &v));
		igt_assert_eq_u64(v, info.device_index);
		igt_assert(igt_neuron_file_key_u64(path, "pci_device", &v));
		igt_assert_eq_u64(v, info.pci_device);
		igt_assert(igt_neuron_file_key_u64(path, "fw_status", &v));
		igt_assert_eq_u64(v, info.fw_status);
		igt_assert(igt_neuron_file_key_u64(path, "neighbours", &v));
		igt_assert_eq_u64(v, info.neighbour_count);
		igt_assert_eq_u64(requests() - before, 0);
	}

	igt_describe("debugfs fwio_read reads a device word with exactly one FWIO request.");
	igt_subtest("debugfs-fwio-read") {
		struct drm_neuron_device_info info;
		char path[PATH_MAX + 16], buf[64], want[64];
		uint64_t before;
		int dfd;

		igt_require_f(debugfs[0], "no debugfs\n");
		igt_neuron_device_info(fd, &info);
		snprintf(path, sizeof(path), "%s/fwio_read", debugfs);
		dfd = open(path, O_WRONLY | O_CLOEXEC);
		igt_assert_lte(0, dfd);
		snprintf(buf, sizeof(buf), "%llx", (unsigned long long)V1_MISC_DEV_ADDR(MISC_FW_STATUS));
		igt_assert_eq(write(dfd, buf, strlen(buf)), (int)strlen(buf));
		close(dfd);
		before = requests();
		igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
		igt_assert_eq_u64(requests() - before, 1);
		snprintf(want, sizeof(want), "%#llx: %#010x\n",
			 (unsigned long long)V1_MISC_DEV_ADDR(MISC_FW_STATUS), info.fw_status);
		igt_assert_f(!strcmp(buf, want), "read '%s', expected '%s'\n", buf, want);
	}

	igt_describe("One dropped response: the try times out, the retry succeeds.");
	igt_subtest("drop-retry")
		faulted_query("fwio_drop", 1, 1, 0, 0, 0);

	igt_describe("One response with a wrong sequence number: rejected, the retry succeeds.");
	igt_subtest("bad-seq-retry")
		faulted_query("fwio_bad_seq", 1, 0, 0, 1, 0);

	igt_describe("One response with a failed status: counted, the retry succeeds.");
	igt_subtest("bad-status-retry")
		faulted_query("fwio_bad_crc", 1, 0, 1, 0, 0);

	igt_describe("Every try dropped: DEVICE_INFO fails with EIO after fwio_tries requests; "
		     "the next query works.");
	igt_subtest("drop-exhausted")
		faulted_query("fwio_drop", tries, 1, 0, 0, 0);

	igt_describe("Every response with a wrong sequence number: EIO after fwio_tries requests.");
	igt_subtest("bad-seq-exhausted")
		faulted_query("fwio_bad_seq", tries, 0, 0, 1, 0);

	igt_describe("Every response with a failed status: EIO after fwio_tries requests.");
	igt_subtest("bad-status-exhausted")
		faulted_query("fwio_bad_crc", tries, 0, 1, 0, 0);

	igt_describe("One response whose size field disagrees with the request: counted "
		     "under bad_size, the retry succeeds.");
	igt_subtest("bad-size-retry")
		faulted_query("fwio_bad_size", 1, 0, 0, 0, 1);

	igt_describe("Every response with a bad size: EIO after fwio_tries requests.");
	igt_subtest("bad-size-exhausted")
		faulted_query("fwio_bad_size", tries, 0, 0, 0, 1);

	igt_describe("fwio_tries outside 1..15 is refused with EINVAL and the value stays.");
	igt_subtest("tries-out-of-range") {
		static const char *const bad[] = { "0", "16", "4294967295", "-1", "x" };
		uint64_t now;

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			int pfd = open(IGT_NEURON_PARAM_DIR "fwio_tries", O_WRONLY | O_CLOEXEC);

			igt_require_f(pfd >= 0, "fwio_tries not writable: %s\n", strerror(errno));
			igt_assert_eq(write(pfd, bad[i], strlen(bad[i])), -1);
			igt_assert_eq(errno, EINVAL);
			close(pfd);
			igt_assert(igt_neuron_read_u64(IGT_NEURON_PARAM_DIR "fwio_tries", &now));
			igt_assert_eq_u64(now, tries);
		}
		igt_neuron_set_param("fwio_tries", 15);
		igt_neuron_set_param("fwio_tries", 1);
		igt_neuron_set_param("fwio_tries", tries);
	}

	igt_describe("A firmware that does not answer makes sysfs connected_devices fail "
		     "with EIO, as DEVICE_INFO does.");
	igt_subtest("sysfs-topology-eio") {
		char path[PATH_MAX], buf[64];

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/connected_devices",
			 node.pci_addr);
		arm("fwio_drop", tries);
		igt_assert_eq(igt_neuron_read_file(path, buf, sizeof(buf)), -EIO);
		igt_assert_eq_u64(igt_neuron_emu_fault_pending(dev, "fwio_drop"), 0);
		igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
		query_ok();
	}

	igt_describe("The fwio_tries parameter takes effect: with 1, a single drop fails the query.");
	igt_subtest("tries-parameter") {
		uint64_t saved = tries, before;

		igt_neuron_set_param("fwio_tries", 1);
		before = requests();
		arm("fwio_drop", 1);
		igt_assert_eq(try_query(), -EIO);
		igt_neuron_set_param("fwio_tries", saved);
		igt_assert_eq_u64(requests() - before, 1);
		igt_assert_eq_u64(igt_neuron_emu_fault_pending(dev, "fwio_drop"), 0);
		query_ok();
	}

	igt_describe("A query waiting for the mailbox is interruptible: a signal ends it with "
		     "EINTR at once (DRM uapi: ioctls restartable), not after the other's retries.");
	igt_subtest("query-interruptible") {
		struct sigaction sa = { .sa_handler = on_alarm }, old;
		struct itimerval it = { .it_value = { .tv_usec = 500 * 1000 } };
		struct drm_neuron_device_info info;
		struct drm_neuron_query q = {
			.type = DRM_NEURON_QUERY_DEVICE_INFO,
			.size = sizeof(info),
			.pointer = (uintptr_t)&info,
		};
		uint64_t before = requests();
		int status, ret, err;
		double t0, elapsed;
		pid_t pid;

		/* The holder: every try dropped, so it keeps the mailbox tries x timeout. */
		arm("fwio_drop", tries);
		pid = fork();
		igt_assert_lte(0, pid);
		if (pid == 0)
			_exit(try_query() == -EIO ? 0 : 1);
		/* Wait until the holder's first request reached the device. */
		for (int i = 0; i < 200 && requests() == before; i++)
			usleep(10 * 1000);
		igt_assert_lt_u64(before, requests());

		/* No SA_RESTART: the ioctl must come back with EINTR. */
		sigemptyset(&sa.sa_mask);
		igt_assert_eq(sigaction(SIGALRM, &sa, &old), 0);
		igt_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
		t0 = now_s();
		/* Bare ioctl(): drmIoctl() would restart the EINTR under test. */
		ret = ioctl(fd, DRM_IOCTL_NEURON_QUERY, &q);
		err = errno;
		elapsed = now_s() - t0;
		sigaction(SIGALRM, &old, NULL);

		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "holder did not fail with EIO: %#x\n", status);
		igt_assert_eq(ret, -1);
		igt_assert_eq(err, EINTR);
		igt_info("interrupted after %.3fs\n", elapsed);
		igt_assert_f(elapsed < tries * 0.9, "EINTR only after %.3fs\n", elapsed);
		/* The interrupted query sent nothing: only the holder's tries. */
		igt_assert_eq_u64(requests() - before, tries);
		query_ok();
	}

	igt_describe("Queries from many processes at once all succeed (the mailbox is serialised).");
	igt_subtest("concurrent-queries") {
		uint64_t k = requests_per_query(), before = requests();
		pid_t pids[4];
		int status;

		igt_neuron_emu_reset_counters(dev);
		before = requests();
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
		disarm_all();
		igt_neuron_set_param("fwio_tries", tries);
		close(fd);
	}
}
