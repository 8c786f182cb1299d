// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Probe: every emulated device gets an accel node of the neuron driver,
 * with the sysfs, debugfs and DRM identity a runtime relies on.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"

IGT_TEST_DESCRIPTION("Accel nodes, sysfs, debugfs and DRM identity of neuron devices.");

static struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
static int num_nodes;

#define for_each_node(n) \
	for (struct igt_neuron_node *n = nodes; n < nodes + num_nodes; n++)

static __attribute__((format(printf, 3, 4)))
void sysfs_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static void check_char_device(const struct igt_neuron_node *n)
{
	char path[PATH_MAX], sys[PATH_MAX], via_dev[PATH_MAX], buf[32];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/accel/accel%d", n->minor);
	igt_assert_eq(stat(path, &st), 0);
	igt_assert(S_ISCHR(st.st_mode));
	igt_assert_eq(major(st.st_rdev), NEURON_ACCEL_MAJOR);
	igt_assert_eq(minor(st.st_rdev), n->minor);

	/* The class device says the same, and /sys/dev/char resolves to it. */
	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/dev", n->minor);
	igt_assert_lt(0, igt_neuron_read_file(path, buf, sizeof(buf)));
	snprintf(path, sizeof(path), "%d:%d\n", NEURON_ACCEL_MAJOR, n->minor);
	igt_assert_f(!strcmp(buf, path), "dev is '%s'\n", buf);

	snprintf(path, sizeof(path), "/sys/class/accel/accel%d", n->minor);
	igt_assert(realpath(path, sys));
	snprintf(path, sizeof(path), "/sys/dev/char/%d:%d", NEURON_ACCEL_MAJOR, n->minor);
	igt_assert(realpath(path, via_dev));
	igt_assert_f(!strcmp(sys, via_dev), "%s != %s\n", sys, via_dev);
}

static void check_sysfs_class(const struct igt_neuron_node *n)
{
	char path[PATH_MAX], real[PATH_MAX], pci[PATH_MAX];
	struct stat st;

	/* The node's parent is the PCI function, which lists it under accel/. */
	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device", n->minor);
	igt_assert(realpath(path, real));
	sysfs_path(pci, sizeof(pci), "/sys/bus/pci/devices/%s", n->pci_addr);
	igt_assert(realpath(pci, path));
	igt_assert_f(!strcmp(real, path), "%s != %s\n", real, path);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/accel/accel%d",
		 n->pci_addr, n->minor);
	igt_assert_eq(stat(path, &st), 0);

	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/subsystem", n->minor);
	igt_assert(realpath(path, real));
	igt_assert_f(!strcmp(strrchr(real, '/'), "/accel"), "subsystem %s\n", real);
}

static void check_version(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);

	igt_assert(v);
	igt_assert_f(v->name && !strcmp(v->name, NEURON_DRIVER_NAME),
		     "driver name '%s'\n", v->name ? v->name : "(null)");
	igt_assert_eq(v->name_len, (int)strlen(NEURON_DRIVER_NAME));
	igt_assert_f(v->desc && v->desc_len > 0, "empty description\n");
	drmFreeVersion(v);
}

static void check_pci_ids(const struct igt_neuron_node *n)
{
	struct neuron_emu_config cfg;
	char path[PATH_MAX];
	uint64_t v;

	igt_assert_lte(0, n->emu_dev);
	igt_neuron_emu_config(n->emu_dev, &cfg);

	sysfs_path(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", n->pci_addr);
	igt_assert(igt_neuron_read_u64(path, &v));
	igt_assert_eq_u64(v, NEURON_PCI_VENDOR);
	sysfs_path(path, sizeof(path), "/sys/bus/pci/devices/%s/device", n->pci_addr);
	igt_assert(igt_neuron_read_u64(path, &v));
	igt_assert_eq_u64(v, cfg.device_id);
	sysfs_path(path, sizeof(path), "/sys/bus/pci/devices/%s/revision", n->pci_addr);
	igt_assert(igt_neuron_read_u64(path, &v));
	igt_assert_eq_u64(v, cfg.revision);
}

static void check_bound(const struct igt_neuron_node *n)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;

	sysfs_path(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", n->pci_addr);
	igt_assert(realpath(path, real));
	igt_assert_f(!strcmp(real, "/sys/bus/pci/drivers/" NEURON_DRIVER_NAME),
		     "bound to %s\n", real);
	sysfs_path(path, sizeof(path), "/sys/bus/pci/drivers/" NEURON_DRIVER_NAME "/%s",
		   n->pci_addr);
	igt_assert_eq(stat(path, &st), 0);
	igt_assert(realpath("/sys/bus/pci/drivers/" NEURON_DRIVER_NAME "/module", real));
	igt_assert_f(!strcmp(real, "/sys/module/" NEURON_DRIVER_NAME), "module %s\n", real);
}

static void check_debugfs(const struct igt_neuron_node *n)
{
	static const char *const files[] = { "info", "fwio_stats" };
	char dir[PATH_MAX], path[PATH_MAX + 32], buf[4096];

	igt_require_f(igt_neuron_debugfs_dir(n->pci_addr, dir, sizeof(dir)) ||
		      access("/sys/kernel/debug/accel", F_OK) == 0,
		      "debugfs not available\n");
	igt_assert_f(igt_neuron_debugfs_dir(n->pci_addr, dir, sizeof(dir)),
		     "no /sys/kernel/debug/accel/%s\n", n->pci_addr);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		igt_assert_f(igt_neuron_read_file(path, buf, sizeof(buf)) > 0,
			     "%s missing or empty\n", path);
		igt_debug("%s:\n%s", path, buf);
	}
}

static void open_close_many(int minor)
{
	int fds[64];

	for (int i = 0; i < 1000; i++) {
		int fd = __igt_neuron_open(minor, O_RDWR | O_CLOEXEC);

		igt_assert_f(fd >= 0, "open #%d: %s\n", i, strerror(-fd));
		igt_assert_eq(close(fd), 0);
	}
	/* Many clients at once, each fully usable. */
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		fds[i] = __igt_neuron_open(minor, O_RDWR | O_CLOEXEC);
		igt_assert_lte(0, fds[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		struct drm_neuron_device_info info;

		igt_neuron_device_info(fds[i], &info);
		igt_assert_eq_u32(info.arch, DRM_NEURON_ARCH_V1);
	}
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		igt_assert_eq(close(fds[i]), 0);
}

/* Does fd survive an exec?  The shell checks its own /proc/self/fd. */
static bool fd_survives_exec(int fd)
{
	char cmd[64];
	int status;
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "test -e /proc/self/fd/%d", fd);
	pid = fork();
	igt_assert_lte(0, pid);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert(WIFEXITED(status) && WEXITSTATUS(status) != 127);
	return WEXITSTATUS(status) == 0;
}

static void check_cloexec(int minor)
{
	int fd;

	fd = __igt_neuron_open(minor, O_RDWR | O_CLOEXEC);
	igt_assert_lte(0, fd);
	igt_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	igt_assert(!fd_survives_exec(fd));
	close(fd);

	/* The control: without O_CLOEXEC the fd does survive. */
	fd = __igt_neuron_open(minor, O_RDWR);
	igt_assert_lte(0, fd);
	igt_assert(!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
	igt_assert(fd_survives_exec(fd));
	close(fd);
}

static void check_fdinfo(const struct igt_neuron_node *n)
{
	char a[64], b[64];
	int fd1 = igt_neuron_open(n->minor), fd2 = igt_neuron_open(n->minor);

	igt_assert(igt_neuron_fdinfo_str(fd1, "drm-driver", a, sizeof(a)));
	igt_assert_f(!strcmp(a, NEURON_DRIVER_NAME), "drm-driver: %s\n", a);
	igt_assert(igt_neuron_fdinfo_str(fd1, "drm-pdev", a, sizeof(a)));
	igt_assert_f(!strcmp(a, n->pci_addr), "drm-pdev: %s\n", a);
	/* Two opens are two clients. */
	igt_assert(igt_neuron_fdinfo_str(fd1, "drm-client-id", a, sizeof(a)));
	igt_assert(igt_neuron_fdinfo_str(fd2, "drm-client-id", b, sizeof(b)));
	igt_assert_f(strcmp(a, b), "both clients have id %s\n", a);
	close(fd1);
	close(fd2);
}

/* core_count is 4; connected_devices lists DEVICE_INFO's neighbours, east first. */
static void check_sysfs_attrs(const struct igt_neuron_node *n)
{
	struct drm_neuron_device_info info;
	char path[PATH_MAX], buf[64], want[64] = "";
	uint64_t v;
	int fd = igt_neuron_open(n->minor);

	igt_neuron_device_info(fd, &info);
	close(fd);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/core_count", n->pci_addr);
	igt_assert(igt_neuron_read_u64(path, &v));
	igt_assert_eq_u64(v, info.nc_count);

	if (info.east_neighbour != DRM_NEURON_NO_NEIGHBOUR)
		snprintf(want, sizeof(want), "%u", info.east_neighbour);
	if (info.west_neighbour != DRM_NEURON_NO_NEIGHBOUR)
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%u",
			 *want ? ", " : "", info.west_neighbour);
	strcat(want, "\n");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/connected_devices", n->pci_addr);
	igt_assert_lte(0, igt_neuron_read_file(path, buf, sizeof(buf)));
	igt_assert_f(!strcmp(buf, want), "connected_devices '%s', expected '%s'\n", buf, want);
}

igt_main
{
	igt_fixture {
		num_nodes = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);
		igt_require_f(num_nodes > 0 || igt_neuron_expected_devices() > 0,
			      "no neuron device and none expected\n");
	}

	igt_describe("There is one neuron accel node per emulated device, no more, no less.");
	igt_subtest("node-per-device") {
		char addrs[IGT_NEURON_MAX_NODES][32];
		int expected = igt_neuron_expected_devices();
		int functions = igt_neuron_pci_functions(addrs, IGT_NEURON_MAX_NODES);
		struct neuron_emu_ctl *ctl = neuron_emu_ctl_open(NULL);

		if (expected >= 0)
			igt_assert_eq(num_nodes, expected);
		igt_assert_eq(num_nodes, functions);
		if (ctl) {
			unsigned int emu_devices = 0;

			/* igt_neuron_emu() would keep the port open: close ours. */
			igt_assert_eq(neuron_emu_ctl_devices(ctl, &emu_devices), 0);
			neuron_emu_ctl_close(ctl);
			igt_assert_eq(num_nodes, (int)emu_devices);
		}
		/* Each PCI function has its own node. */
		for (int i = 1; i < num_nodes; i++)
			igt_assert(strcmp(nodes[i].pci_addr, nodes[i - 1].pci_addr));
	}

	igt_describe("/dev/accel/accelN is a character device 261:N matching sysfs.");
	igt_subtest_with_dynamic("char-device") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor)
				check_char_device(n);
	}

	igt_describe("The accel class device hangs off its PCI function.");
	igt_subtest_with_dynamic("sysfs-class") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor)
				check_sysfs_class(n);
	}

	igt_describe("DRM_IOCTL_VERSION names the driver \"neuron\".");
	igt_subtest_with_dynamic("driver-name") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor) {
				int fd = __igt_neuron_open(n->minor, O_RDWR | O_CLOEXEC);

				igt_assert_lte(0, fd);
				check_version(fd);
				close(fd);
			}
	}

	igt_describe("PCI vendor, device and revision in sysfs equal the emulator's configuration.");
	igt_subtest_with_dynamic("pci-ids") {
		igt_neuron_emu();
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor)
				check_pci_ids(n);
	}

	igt_describe("Each PCI function is bound to the neuron driver of the neuron module.");
	igt_subtest_with_dynamic("driver-bound") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor)
				check_bound(n);
	}

	igt_describe("debugfs has /sys/kernel/debug/accel/<pci>/ with readable info and fwio_stats.");
	igt_subtest_with_dynamic("debugfs-files") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor)
				check_debugfs(n);
	}

	igt_describe("Opening and closing a node 1000 times, and 64 clients at once, all work.");
	igt_subtest_with_dynamic("open-close-many") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor)
				open_close_many(n->minor);
	}

	igt_describe("fdinfo names the driver and the PCI device, one client id per open.");
	igt_subtest_with_dynamic("fdinfo") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor)
				check_fdinfo(n);
	}

	igt_describe("sysfs core_count and connected_devices agree with DEVICE_INFO.");
	igt_subtest_with_dynamic("sysfs-attributes") {
		for_each_node(n)
			igt_dynamic_f("accel%d", n->minor)
				check_sysfs_attrs(n);
	}

	igt_describe("O_CLOEXEC is honoured: the fd is closed across exec, and only then.");
	igt_subtest("cloexec") {
		igt_require(num_nodes > 0);
		check_cloexec(nodes[0].minor);
	}
}
