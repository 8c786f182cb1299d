// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Discovery.  libdrm 2.4.124's drmGetDevices2() knows only /dev/dri, so
 * accel nodes are found by walking /sys/class/accel: a node is ours when
 * its device's driver link names "neuron".  The properties sysfs has are
 * read from there; the device index and the live link state need the
 * node opened (DEVICE_INFO), which may be refused to an unprivileged user
 * without making the node invisible.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define SYSFS_ACCEL	"/sys/class/accel"

/* Contents of a small sysfs file, without the trailing newline. */
static int read_text(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	do {
		n = read(fd, buf, size - 1);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int read_long(const char *dir, const char *name, long *val)
{
	char path[PATH_MAX], buf[64], *end;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ret = read_text(path, buf, sizeof(buf));
	if (ret)
		return ret;
	*val = strtol(buf, &end, 0);
	return end == buf ? -EINVAL : 0;
}

/* Base name of a symlink's target. */
static int link_name(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return -errno;
	target[n] = '\0';
	snprintf(buf, size, "%s", basename(target));
	return 0;
}

/* "3, 1" (east first) -> connected[] */
static void parse_connected(const char *s, struct neuron_node_info *ni)
{
	char *end;

	ni->connected_count = 0;
	while (*s && ni->connected_count < 2) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s)
			break;
		ni->connected[ni->connected_count++] = (uint32_t)v;
		s = end;
		while (*s == ',' || *s == ' ')
			s++;
	}
}

/* Fill @ni for accel@minor; false if it is not a neuron node. */
static bool probe_node(unsigned int minor, struct neuron_node_info *ni)
{
	char dev[128], path[PATH_MAX], buf[64];
	struct neuron_device *nd;
	long v;

	snprintf(dev, sizeof(dev), SYSFS_ACCEL "/accel%u/device", minor);
	snprintf(path, sizeof(path), "%s/driver", dev);
	if (link_name(path, buf, sizeof(buf)) || strcmp(buf, NEURON_DRIVER_NAME))
		return false;

	memset(ni, 0, sizeof(*ni));
	ni->minor = minor;
	snprintf(ni->node, sizeof(ni->node), "/dev/accel/accel%u", minor);
	if (link_name(dev, ni->pci_addr, sizeof(ni->pci_addr)))
		ni->pci_addr[0] = '\0';
	if (!read_long(dev, "vendor", &v))
		ni->pci_vendor = (uint32_t)v;
	if (!read_long(dev, "device", &v))
		ni->pci_device = (uint32_t)v;
	if (!read_long(dev, "revision", &v))
		ni->pci_revision = (uint32_t)v;
	ni->numa_node = read_long(dev, "numa_node", &v) ? -1 : (int32_t)v;
	if (!read_long(dev, "core_count", &v))
		ni->core_count = (uint32_t)v;
	snprintf(path, sizeof(path), "%s/connected_devices", dev);
	if (!read_text(path, buf, sizeof(buf)))
		parse_connected(buf, ni);

	ni->device_index = DRM_NEURON_ANY;
	ni->east = DRM_NEURON_NO_NEIGHBOUR;
	ni->west = DRM_NEURON_NO_NEIGHBOUR;
	ni->query_error = neuron_open_path(ni->node, &nd);
	if (!ni->query_error) {
		const struct drm_neuron_device_info *info = neuron_device_info(nd);

		ni->device_index = info->device_index;
		ni->east = info->east_neighbour;
		ni->west = info->west_neighbour;
		ni->state = info->state;
		neuron_close(nd);
	}
	return true;
}

static int cmp_minor(const void *a, const void *b)
{
	const struct neuron_node_info *x = a, *y = b;

	return x->minor < y->minor ? -1 : x->minor > y->minor;
}

int neuron_list_devices(struct neuron_node_info **list)
{
	struct neuron_node_info *out = NULL, *grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;

	if (!list)
		return neuron_fail(EINVAL, "list: NULL");
	*list = NULL;
	dir = opendir(SYSFS_ACCEL);
	if (!dir) {
		/* No accel class at all: no device, not an error. */
		if (errno == ENOENT)
			return 0;
		return neuron_fail(errno, "opendir " SYSFS_ACCEL);
	}
	while ((de = readdir(dir))) {
		unsigned int minor;
		char end;

		if (sscanf(de->d_name, "accel%u%c", &minor, &end) != 1)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			grown = realloc(out, cap * sizeof(*out));
			if (!grown) {
				free(out);
				closedir(dir);
				return neuron_fail(ENOMEM, "device list");
			}
			out = grown;
		}
		if (probe_node(minor, &out[n]))
			n++;
	}
	closedir(dir);
	if (n)
		qsort(out, n, sizeof(*out), cmp_minor);
	*list = out;
	return (int)n;
}

void neuron_free_devices(struct neuron_node_info *list)
{
	free(list);
}

/* Open the first listed device that @match accepts. */
static int open_matching(bool (*match)(const struct neuron_node_info *, const void *),
			 const void *key, const char *what, struct neuron_device **dev)
{
	struct neuron_node_info *list;
	int n, i, ret = -ENODEV;
	char msg[256] = "";

	n = neuron_list_devices(&list);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (!match(&list[i], key))
			continue;
		ret = neuron_open_path(list[i].node, dev);
		if (ret)
			snprintf(msg, sizeof(msg), "%s", neuron_last_error());
		break;
	}
	neuron_free_devices(list);
	if (ret == -ENODEV && i == n)
		return neuron_fail(ENODEV, "%s: no such neuron device (%d found)", what, n);
	if (ret)
		return neuron_fail(-ret, "%s: %s", what, msg);
	return 0;
}

static bool match_index(const struct neuron_node_info *ni, const void *key)
{
	return ni->query_error == 0 && ni->device_index == *(const uint32_t *)key;
}

int neuron_open_index(uint32_t index, struct neuron_device **dev)
{
	char what[32];

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	snprintf(what, sizeof(what), "index %u", index);
	return open_matching(match_index, &index, what, dev);
}

/* "00:04.0" names the function in PCI domain 0. */
static bool match_pci(const struct neuron_node_info *ni, const void *key)
{
	const char *want = key;

	if (!strcmp(ni->pci_addr, want))
		return true;
	return !strncmp(ni->pci_addr, "0000:", 5) && !strcmp(ni->pci_addr + 5, want);
}

int neuron_open_pci(const char *pci_addr, struct neuron_device **dev)
{
	char what[64];

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!pci_addr || !*pci_addr)
		return neuron_fail(EINVAL, "pci_addr: empty");
	snprintf(what, sizeof(what), "pci_addr %.40s", pci_addr);
	return open_matching(match_pci, pci_addr, what, dev);
}
