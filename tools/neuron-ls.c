// SPDX-License-Identifier: MIT
/*
 * neuron-ls: list the Inferentia devices that the neuron accel driver
 * exposes, with the properties the kernel reports for each.
 *
 * It walks /sys/class/accel, keeps the nodes whose DRM driver is "neuron"
 * and prints DRM_NEURON_QUERY_DEVICE_INFO for each.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm/neuron_accel.h"

static int query_info(int fd, struct drm_neuron_device_info *info)
{
	struct drm_neuron_query q = {
		.type = DRM_NEURON_QUERY_DEVICE_INFO,
		.size = sizeof(*info),
		.pointer = (unsigned long)info,
	};

	memset(info, 0, sizeof(*info));
	return drmIoctl(fd, DRM_IOCTL_NEURON_QUERY, &q) ? -errno : 0;
}

static void sysfs_link_name(const char *node, char *buf, size_t len)
{
	char path[256], target[256];
	ssize_t n;
	const char *slash;

	snprintf(path, sizeof(path), "/sys/class/accel/%s/device", node);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		snprintf(buf, len, "?");
		return;
	}
	target[n] = '\0';
	slash = strrchr(target, '/');
	snprintf(buf, len, "%s", slash ? slash + 1 : target);
}

static const char *neighbour(unsigned int id, char *buf, size_t len)
{
	if (id == DRM_NEURON_NO_NEIGHBOUR)
		return "-";
	snprintf(buf, len, "%u", id);
	return buf;
}

static int cmp_names(const void *a, const void *b)
{
	const char *x = *(const char * const *)a, *y = *(const char * const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	/* accel10 sorts after accel9 */
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

static int list_devices(int verbose)
{
	DIR *dir = opendir("/sys/class/accel");
	struct dirent *de;
	char *names[256];
	int count = 0, shown = 0, i;

	if (!dir) {
		fprintf(stderr, "neuron-ls: no /sys/class/accel: %s\n", strerror(errno));
		return 1;
	}
	while ((de = readdir(dir)) && count < 256)
		if (!strncmp(de->d_name, "accel", 5))
			names[count++] = strdup(de->d_name);
	closedir(dir);
	qsort(names, count, sizeof(names[0]), cmp_names);

	printf("%-8s %-14s %-6s %-4s %-5s %-3s %-9s %-5s %-5s %-5s %s\n",
	       "NODE", "PCI", "ID", "REV", "INDEX", "NC", "DRAM", "READY",
	       "EAST", "WEST", "FW_STATUS");
	for (i = 0; i < count; i++) {
		struct drm_neuron_device_info info;
		char path[64], pci[256], e[16], w[16];
		drmVersionPtr ver;
		int fd, err;

		snprintf(path, sizeof(path), "/dev/accel/%s", names[i]);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "neuron-ls: %s: %s\n", path, strerror(errno));
			continue;
		}
		ver = drmGetVersion(fd);
		if (!ver || strcmp(ver->name, "neuron")) {
			drmFreeVersion(ver);
			close(fd);
			continue;
		}
		drmFreeVersion(ver);
		err = query_info(fd, &info);
		close(fd);
		sysfs_link_name(names[i], pci, sizeof(pci));
		if (err) {
			printf("%-8s %-14s query failed: %s\n", names[i], pci, strerror(-err));
			continue;
		}
		printf("%-8s %-14s 0x%04x 0x%02x %-5u %-3u %-4llu GiB %-5s %-5s %-5s 0x%08x\n",
		       names[i], pci, info.pci_device, info.pci_revision,
		       info.device_index, info.nc_count,
		       (unsigned long long)(info.dram_size >> 30),
		       info.state & DRM_NEURON_DEVICE_READY ? "yes" : "no",
		       neighbour(info.east_neighbour, e, sizeof(e)),
		       neighbour(info.west_neighbour, w, sizeof(w)),
		       info.fw_status);
		if (verbose)
			printf("         arch %u, %u DMA engines/NC x %u queues, %u DRAM channels, %u semaphores and %u events per NC, %u neighbour(s)\n",
			       info.arch, info.dma_engines_per_nc, info.queues_per_engine,
			       info.dram_channels, info.semaphores_per_nc,
			       info.events_per_nc, info.neighbour_count);
		shown++;
	}
	for (i = 0; i < count; i++)
		free(names[i]);
	if (!shown)
		printf("(no neuron devices)\n");
	return 0;
}

int main(int argc, char **argv)
{
	int verbose = 0, c;

	while ((c = getopt(argc, argv, "vh")) != -1) {
		switch (c) {
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-v]\n", argv[0]);
			return c == 'h' ? 0 : 2;
		}
	}
	return list_devices(verbose);
}
