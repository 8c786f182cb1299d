// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Discovery, opening, QUERY, error messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "tests.h"

/* Every listed node is a neuron node whose sysfs facts match QUERY. */
void test_list_devices(void)
{
	struct neuron_node_info *list;
	const char *want = getenv("NEURON_DEVICES");
	int n = neuron_list_devices(&list);
	bool seen[64] = { false };

	CHECK(n > 0);
	if (want && *want)
		CHECK_EQ(n, atoi(want));
	for (int i = 0; i < n; i++) {
		struct neuron_node_info *ni = &list[i];
		char path[PATH_MAX], target[PATH_MAX];
		struct drm_neuron_device_info info;
		struct neuron_device *dev;
		struct stat st;
		ssize_t len;

		if (i)
			CHECK(list[i - 1].minor < ni->minor);
		CHECK_EQ(stat(ni->node, &st), 0);
		CHECK_EQ(minor(st.st_rdev), ni->minor);
		snprintf(path, sizeof(path), "/sys/class/accel/accel%u/device", ni->minor);
		len = readlink(path, target, sizeof(target) - 1);
		CHECK(len > 0);
		target[len] = '\0';
		CHECK(!strcmp(basename(target), ni->pci_addr));
		CHECK_EQ(ni->pci_vendor, 0x1d0f);
		CHECK(ni->pci_device >= 0x7064 && ni->pci_device <= 0x7067);
		CHECK_EQ(ni->query_error, 0);

		CHECK_OK(neuron_open_path(ni->node, &dev));
		CHECK_OK(neuron_query_device_info(dev, &info));
		CHECK_EQ(ni->device_index, info.device_index);
		CHECK_EQ(ni->pci_device, info.pci_device);
		CHECK_EQ(ni->pci_revision, info.pci_revision);
		CHECK_EQ(ni->core_count, info.nc_count);
		CHECK_EQ(ni->east, info.east_neighbour);
		CHECK_EQ(ni->west, info.west_neighbour);
		/* sysfs lists the neighbours east first, like DEVICE_INFO. */
		CHECK_EQ(ni->connected_count, info.neighbour_count);
		if (info.east_neighbour != DRM_NEURON_NO_NEIGHBOUR)
			CHECK_EQ(ni->connected[0], info.east_neighbour);
		if (info.west_neighbour != DRM_NEURON_NO_NEIGHBOUR)
			CHECK_EQ(ni->connected[ni->connected_count - 1], info.west_neighbour);
		CHECK(info.device_index < 64 && !seen[info.device_index]);
		seen[info.device_index] = true;
		neuron_close(dev);
	}
	neuron_free_devices(list);
}

/*
 * A user who may not open the nodes still sees them, with what sysfs says,
 * and the reason the rest is missing.
 */
void test_list_unprivileged(void)
{
	struct neuron_node_info *list;
	int n = neuron_list_devices(&list), status;
	pid_t pid;

	CHECK(n > 0);
	if (geteuid() != 0)
		SKIP("not root: cannot drop to another user");
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct neuron_node_info *mine;
		struct neuron_device *dev;
		int m;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		if (!access(list[0].node, R_OK | W_OK))
			_exit(T_SKIP_STATUS);
		m = neuron_list_devices(&mine);
		if (m != n)
			_exit(3);
		for (int i = 0; i < m; i++)
			if (strcmp(mine[i].pci_addr, list[i].pci_addr) ||
			    mine[i].core_count != list[i].core_count ||
			    mine[i].connected_count != list[i].connected_count ||
			    mine[i].query_error != -EACCES ||
			    mine[i].device_index != DRM_NEURON_ANY ||
			    mine[i].east != DRM_NEURON_NO_NEIGHBOUR)
				_exit(4);
		/* Opening by index needs the index, which needs the node opened. */
		if (neuron_open_index(list[0].device_index, &dev) != -ENODEV)
			_exit(5);
		if (neuron_open_pci(list[0].pci_addr, &dev) != -EACCES ||
		    !strstr(neuron_last_error(), "Permission denied"))
			_exit(6);
		_exit(0);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	if (WEXITSTATUS(status) == T_SKIP_STATUS)
		SKIP("the nodes are open to everyone");
	CHECK_EQ(WEXITSTATUS(status), 0);
	neuron_free_devices(list);
}

/* By index, full and short PCI address, path: the same device each time. */
void test_open(void)
{
	struct neuron_node_info *list;
	int n = neuron_list_devices(&list);

	CHECK(n > 0);
	for (int i = 0; i < n; i++) {
		struct neuron_device *a, *b, *c;
		int flags;

		CHECK_OK(neuron_open_index(list[i].device_index, &a));
		CHECK_EQ(neuron_device_info(a)->device_index, list[i].device_index);
		CHECK_OK(neuron_open_pci(list[i].pci_addr, &b));
		CHECK_EQ(neuron_device_info(b)->device_index, list[i].device_index);
		CHECK(!strncmp(list[i].pci_addr, "0000:", 5));
		CHECK_OK(neuron_open_pci(list[i].pci_addr + 5, &c));
		CHECK_EQ(neuron_device_info(c)->device_index, list[i].device_index);
		flags = fcntl(neuron_device_fd(a), F_GETFD);
		CHECK(flags >= 0 && (flags & FD_CLOEXEC));
		CHECK(neuron_device_fd(a) != neuron_device_fd(b));
		neuron_close(a);
		neuron_close(b);
		neuron_close(c);
	}
	neuron_free_devices(list);
	neuron_close(NULL);
}

void test_open_errors(void)
{
	struct neuron_device *dev = (void *)1;
	int fd;

	CHECK_ERR(neuron_open_index(9999, &dev), ENODEV, "index 9999");
	CHECK(dev == (void *)1 || dev == NULL);
	CHECK_ERR(neuron_open_pci("0000:ff:1f.7", &dev), ENODEV, "0000:ff:1f.7");
	CHECK_ERR(neuron_open_pci("", &dev), EINVAL, "pci_addr");
	CHECK_ERR(neuron_open_pci(NULL, &dev), EINVAL, "pci_addr");
	CHECK_ERR(neuron_open_path("/dev/accel/nonexistent", &dev), ENOENT, "nonexistent");
	CHECK_ERR(neuron_open_path(NULL, &dev), EINVAL, "path");
	CHECK_ERR(neuron_open_index(0, NULL), EINVAL, "dev");
	CHECK_ERR(neuron_open_fd(-1, &dev), EBADF, "fd");
	/* Not a DRM device at all. */
	fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0);
	CHECK(neuron_open_fd(fd, &dev) < 0);
	CHECK(strstr(neuron_last_error(), "not a DRM device"));
	CHECK(dev == NULL);
	close(fd);
	CHECK(neuron_open_path("/dev/null", &dev) < 0);
	CHECK_ERR(neuron_device_fd(NULL), EINVAL, "dev");
	CHECK(neuron_device_info(NULL) == NULL);
}

/* A DRM node of another driver is refused, naming that driver. */
void test_wrong_driver(void)
{
	struct neuron_device *dev;
	int fd = t_vgem_fd();

	if (fd < 0)
		SKIP("no vgem node (modprobe vgem)");
	CHECK_ERR(neuron_open_fd(fd, &dev), ENODEV, "\"vgem\"");
	close(fd);
}

static void *fail_in_thread(void *arg)
{
	struct neuron_device *dev;

	(void)arg;
	neuron_open_index(4242, &dev);
	return strstr(neuron_last_error(), "index 4242") ? (void *)1 : NULL;
}

/* The message is per thread: another thread's failure does not change ours. */
void test_last_error_thread(void)
{
	struct neuron_device *dev;
	pthread_t th;
	void *ok;

	CHECK_ERR(neuron_open_index(777, &dev), ENODEV, "index 777");
	CHECK_EQ(pthread_create(&th, NULL, fail_in_thread, NULL), 0);
	CHECK_EQ(pthread_join(th, &ok), 0);
	CHECK(ok);
	CHECK(strstr(neuron_last_error(), "index 777"));
}

void test_query(void)
{
	const struct drm_neuron_device_info *cached = neuron_device_info(t_dev);
	struct drm_neuron_device_info info;
	uint32_t size = 0, small[2];

	CHECK_OK(neuron_query_device_info(t_dev, &info));
	CHECK_EQ(info.arch, DRM_NEURON_ARCH_V1);
	CHECK_EQ(info.device_index, cached->device_index);
	CHECK_EQ(info.nc_count, cached->nc_count);
	CHECK_EQ(info.dram_size, cached->dram_size);
	CHECK_EQ(info.pci_device, cached->pci_device);
	CHECK(info.nc_count == 4 && info.dma_engines_per_nc == 3 && info.queues_per_engine == 16);
	CHECK(info.state & DRM_NEURON_DEVICE_READY);
	/* Step one of the two-step query: the size only. */
	CHECK_OK(neuron_query(t_dev, DRM_NEURON_QUERY_DEVICE_INFO, NULL, &size));
	CHECK_EQ(size, sizeof(info));
	/* A short buffer gets its part and learns the full size. */
	size = sizeof(small);
	CHECK_OK(neuron_query(t_dev, DRM_NEURON_QUERY_DEVICE_INFO, small, &size));
	CHECK_EQ(size, sizeof(info));
	CHECK_EQ(small[0], info.arch);
	CHECK_EQ(small[1], info.pci_device);
	size = sizeof(info);
	CHECK_ERR(neuron_query(t_dev, 12345, &info, &size), EINVAL, "type 12345");
	size = 0;
	CHECK_ERR(neuron_query(t_dev, 0, &info, &size), EINVAL, "size");
	CHECK_ERR(neuron_query(t_dev, 0, &info, NULL), EINVAL, "size");
	CHECK_ERR(neuron_query(NULL, 0, &info, &size), EINVAL, "dev");
	CHECK_ERR(neuron_query_device_info(t_dev, NULL), EINVAL, "info");
}
