// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Device reset through DRM_IOCTL_NEURON_RESET and sysfs "neuron_reset": root
 * only; the firmware handshake runs (the emulator's resets counter), the
 * device id word the reset cleared is written again, the topology is
 * right from every device afterwards, the device answers queries and
 * FWIO reads, a neighbour keeps working during the reset, mailbox users
 * of the resetting device wait instead of failing, and a uevent tells
 * userspace.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
/* After igt.h, whose kernel-header scaffolding must come first (IGT). */
#include <linux/netlink.h>
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("Device reset: privileges, handshake, device id and topology afterwards.");

#define MISC(off)	(V1_APB_BASE + V1_MISC_RAM_OFFSET + (off))

static struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
static int fds[IGT_NEURON_MAX_NODES];
static int num_nodes;

static int __reset(int fd, uint32_t flags, uint32_t pad)
{
	struct drm_neuron_reset args = { .flags = flags, .pad = pad };

	return drmIoctl(fd, DRM_IOCTL_NEURON_RESET, &args) ? -errno : 0;
}

static int __read1(int fd, uint64_t addr, uint32_t *v)
{
	struct drm_neuron_fwio_read args = {
		.addrs = (uintptr_t)&addr, .values = (uintptr_t)v, .count = 1,
	};

	return drmIoctl(fd, DRM_IOCTL_NEURON_FWIO_READ, &args) ? -errno : 0;
}

static uint32_t read1(int fd, uint64_t addr)
{
	uint32_t v = 0xdeadbeef;

	igt_assert_eq(__read1(fd, addr, &v), 0);
	return v;
}

static void sysfs_reset_path(int i, char *buf, size_t size)
{
	snprintf(buf, size, "/sys/bus/pci/devices/%s/neuron_reset", nodes[i].pci_addr);
}

/* 0 or -errno of writing `val` to sysfs neuron_reset of node i. */
static int sysfs_reset(int i, const char *val)
{
	char path[PATH_MAX];
	int f, ret = 0;

	sysfs_reset_path(i, path, sizeof(path));
	f = open(path, O_WRONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	if (write(f, val, strlen(val)) < 0)
		ret = -errno;
	close(f);
	return ret;
}

static uint64_t debugfs_reset_count(int i)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	uint64_t v;

	igt_require(igt_neuron_debugfs_dir(nodes[i].pci_addr, dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/reset_count", dir);
	igt_assert(igt_neuron_file_key_u64(path, "reset_count", &v));
	return v;
}

static int node_of_emu(int emu)
{
	for (int i = 0; i < num_nodes; i++)
		if (nodes[i].emu_dev == emu)
			return i;
	return -1;
}

/* The device index the node at emulator device `emu` reports, or NO_NEIGHBOUR. */
static uint32_t index_of_emu(int emu)
{
	struct drm_neuron_device_info info;
	int i;

	if (emu == NEURON_EMU_NONE)
		return DRM_NEURON_NO_NEIGHBOUR;
	i = node_of_emu(emu);
	igt_assert_lte(0, i);
	igt_neuron_device_info(fds[i], &info);
	return info.device_index;
}

/* Device id words, readiness and neighbours of every device match the model. */
static void check_topology(void)
{
	for (int i = 0; i < num_nodes; i++) {
		struct drm_neuron_device_info info;
		struct neuron_emu_config cfg;

		igt_neuron_emu_config(nodes[i].emu_dev, &cfg);
		igt_neuron_device_info(fds[i], &info);
		igt_assert(info.state & DRM_NEURON_DEVICE_READY);
		igt_assert_eq_u32(read1(fds[i], MISC(MISC_DEVICE_ID)), info.device_index);
		igt_assert_eq_u32(info.east_neighbour, index_of_emu(cfg.east));
		igt_assert_eq_u32(info.west_neighbour, index_of_emu(cfg.west));
	}
}

/* A reset of node i by `how`, with every promised effect checked. */
static void reset_and_check(int i, bool by_sysfs)
{
	struct drm_neuron_device_info info;
	int emu = nodes[i].emu_dev;
	uint64_t resets = igt_neuron_emu_counter(emu, "resets");
	uint64_t count = debugfs_reset_count(i);

	igt_neuron_device_info(fds[i], &info);
	if (by_sysfs)
		igt_assert_eq(sysfs_reset(i, "1"), 0);
	else
		igt_assert_eq(__reset(fds[i], 0, 0), 0);
	igt_assert_eq_u64(igt_neuron_emu_counter(emu, "resets"), resets + 1);
	igt_assert_eq_u64(debugfs_reset_count(i), count + 1);
	igt_assert_eq_u32(read1(fds[i], MISC(MISC_DEVICE_ID)), info.device_index);
	igt_assert_eq_u32(read1(fds[i], MISC(MISC_RESET)), 0);
	check_topology();
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int uevent_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);

	igt_require_f(s >= 0, "no uevent socket: %s\n", strerror(errno));
	igt_require_f(!bind(s, (struct sockaddr *)&sa, sizeof(sa)), "bind: %s\n",
		      strerror(errno));
	return s;
}

/* Wait up to 5 s for a change uevent of the PCI device carrying `var`. */
static bool uevent_seen(int s, const char *pci_addr, const char *var)
{
	double end = now_s() + 5;
	char buf[8192];

	while (now_s() < end) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		bool change = false, ours = false, has = false;
		ssize_t n;

		if (poll(&p, 1, 500) <= 0)
			continue;
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (char *k = buf; k < buf + n; k += strlen(k) + 1) {
			if (!strcmp(k, "ACTION=change"))
				change = true;
			if (!strncmp(k, "DEVPATH=", 8) && strstr(k, pci_addr))
				ours = true;
			if (!strcmp(k, var))
				has = true;
		}
		if (change && ours && has)
			return true;
	}
	return false;
}

igt_main
{
	igt_fixture {
		num_nodes = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);
		igt_require(num_nodes > 0);
		igt_neuron_emu();
		for (int i = 0; i < num_nodes; i++) {
			igt_assert_lte(0, nodes[i].emu_dev);
			fds[i] = igt_neuron_open(nodes[i].minor);
		}
	}

	igt_describe("Without CAP_SYS_ADMIN (uid 65534, no capabilities) the reset ioctl fails "
		     "with EPERM and the device is not reset.");
	igt_subtest("unprivileged-ioctl") {
		uint64_t resets = igt_neuron_emu_counter(nodes[0].emu_dev, "resets");
		int status;
		pid_t pid = fork();

		igt_assert_lte(0, pid);
		if (!pid) {
			if (setgid(65534) || setuid(65534))
				_exit(2);
			_exit(__reset(fds[0], 0, 0) == -EPERM ? 0 : 1);
		}
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert(WIFEXITED(status));
		igt_assert_eq(WEXITSTATUS(status), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(nodes[0].emu_dev, "resets"), resets);
	}

	igt_describe("sysfs neuron_reset is writable by root only: another user cannot open it.");
	igt_subtest("unprivileged-sysfs") {
		uint64_t resets = igt_neuron_emu_counter(nodes[0].emu_dev, "resets");
		int status;
		pid_t pid = fork();

		igt_assert_lte(0, pid);
		if (!pid) {
			if (setgid(65534) || setuid(65534))
				_exit(2);
			_exit(sysfs_reset(0, "1") == -EACCES ? 0 : 1);
		}
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert(WIFEXITED(status));
		igt_assert_eq(WEXITSTATUS(status), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(nodes[0].emu_dev, "resets"), resets);
	}

	igt_describe("Non-zero flags or pad, or a sysfs value other than 1, fail with EINVAL "
		     "without a reset.");
	igt_subtest("invalid-arguments") {
		uint64_t resets = igt_neuron_emu_counter(nodes[0].emu_dev, "resets");

		igt_assert_eq(__reset(fds[0], 1, 0), -EINVAL);
		igt_assert_eq(__reset(fds[0], 0, 1), -EINVAL);
		igt_assert_eq(sysfs_reset(0, "0"), -EINVAL);
		igt_assert_eq(sysfs_reset(0, "2"), -EINVAL);
		igt_assert_eq(sysfs_reset(0, "yes"), -EINVAL);
		igt_assert_eq_u64(igt_neuron_emu_counter(nodes[0].emu_dev, "resets"), resets);
	}

	igt_describe("As root the ioctl resets the device: one firmware reset, reset_count + 1, "
		     "device id rewritten, topology right from every device, device usable.");
	igt_subtest("reset-ioctl")
		reset_and_check(0, false);

	igt_describe("Writing 1 to sysfs neuron_reset does the same.");
	igt_subtest("reset-sysfs")
		reset_and_check(num_nodes - 1, true);

	igt_describe("Every device can be reset, one after the other, and the topology is right "
		     "after each.");
	igt_subtest("reset-each-device") {
		for (int i = 0; i < num_nodes; i++)
			reset_and_check(i, false);
	}

	igt_describe("A reset sends a change uevent on the PCI device with NEURON_RESET=1.");
	igt_subtest("uevent") {
		int s = uevent_socket();

		igt_assert_eq(__reset(fds[0], 0, 0), 0);
		igt_assert(uevent_seen(s, nodes[0].pci_addr, "NEURON_RESET=1"));
		close(s);
	}

	igt_describe("While a device resets, its neighbour keeps answering queries and FWIO "
		     "reads, and never reports a wrong neighbour index (only the right one or "
		     "none while the reset runs).");
	igt_subtest("neighbour-keeps-working") {
		struct drm_neuron_device_info info, ninfo;
		struct neuron_emu_config cfg;
		int nb, status, queries = 0;
		pid_t pid;

		igt_require_f(num_nodes >= 2, "needs two devices\n");
		igt_neuron_emu_config(nodes[0].emu_dev, &cfg);
		igt_require_f(cfg.east != NEURON_EMU_NONE, "device 0 has no east neighbour\n");
		nb = node_of_emu(cfg.east);
		igt_assert_lte(0, nb);
		igt_neuron_device_info(fds[0], &info);

		pid = fork();
		igt_assert_lte(0, pid);
		if (!pid)
			_exit(__reset(fds[0], 0, 0) ? 1 : 0);
		while (waitpid(pid, &status, WNOHANG) == 0) {
			igt_neuron_device_info(fds[nb], &ninfo);
			igt_assert(ninfo.state & DRM_NEURON_DEVICE_READY);
			igt_assert(ninfo.west_neighbour == info.device_index ||
				   ninfo.west_neighbour == DRM_NEURON_NO_NEIGHBOUR);
			igt_assert_eq_u32(read1(fds[nb], MISC(MISC_DEVICE_ID)),
					  ninfo.device_index);
			queries++;
		}
		igt_assert(WIFEXITED(status));
		igt_assert_eq(WEXITSTATUS(status), 0);
		igt_info("%d neighbour queries during the reset\n", queries);
		check_topology();
	}

	igt_describe("FWIO reads and queries on the resetting device wait for the reset and then "
		     "succeed with the rewritten device id.");
	igt_subtest("fwio-waits-for-reset") {
		struct drm_neuron_device_info info;
		int status, reads = 0;
		pid_t pid;

		igt_neuron_device_info(fds[0], &info);
		pid = fork();
		igt_assert_lte(0, pid);
		if (!pid)
			_exit(__reset(fds[0], 0, 0) ? 1 : 0);
		usleep(20 * 1000);
		while (waitpid(pid, &status, WNOHANG) == 0) {
			igt_assert_eq_u32(read1(fds[0], MISC(MISC_DEVICE_ID)), info.device_index);
			reads++;
		}
		igt_assert(WIFEXITED(status));
		igt_assert_eq(WEXITSTATUS(status), 0);
		igt_info("%d reads around the reset\n", reads);
		igt_assert_eq_u32(read1(fds[0], MISC(MISC_DEVICE_ID)), info.device_index);
	}

	igt_describe("Concurrent resets of one device are serialised: both succeed, two firmware "
		     "resets happen, the device is usable afterwards.");
	igt_subtest("concurrent-resets") {
		uint64_t resets = igt_neuron_emu_counter(nodes[0].emu_dev, "resets");
		pid_t pids[2];
		int status;

		for (int k = 0; k < 2; k++) {
			pids[k] = fork();
			igt_assert_lte(0, pids[k]);
			if (!pids[k])
				_exit(__reset(fds[0], 0, 0) ? 1 : 0);
		}
		for (int k = 0; k < 2; k++) {
			igt_assert_eq(waitpid(pids[k], &status, 0), pids[k]);
			igt_assert(WIFEXITED(status));
			igt_assert_eq(WEXITSTATUS(status), 0);
		}
		igt_assert_eq_u64(igt_neuron_emu_counter(nodes[0].emu_dev, "resets"), resets + 2);
		check_topology();
	}

	igt_describe("The reset handshake on the model is quick: one reset takes under 5 s.");
	igt_subtest("reset-time") {
		double t = now_s();

		igt_assert_eq(__reset(fds[0], 0, 0), 0);
		t = now_s() - t;
		igt_info("reset took %.3f s\n", t);
		igt_assert_f(t < 5.0, "reset took %.3f s\n", t);
	}

	igt_fixture {
		for (int i = 0; i < num_nodes; i++)
			close(fds[i]);
	}
}
