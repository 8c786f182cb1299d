// SPDX-License-Identifier: MIT
/*
 * neuron-top: discovery of the neuron devices.
 *
 * libdrm 2.4.124 does not know accel nodes (drmGetDevices2() skips them),
 * so the devices are found by walking /sys/class/accel/accel*: a node
 * whose device/driver link ends in "neuron" is ours.  Reading sysfs opens
 * no device node, so a sample never becomes a client itself and sends no
 * firmware request.  This is the one place to change for libneuron's
 * discovery; its neuron_list_devices() (in progress) opens every node for
 * DEVICE_INFO, i.e. FWIO reads on each refresh, so it fits only once it
 * can list from sysfs alone.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "neuron-top.h"

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

/* The last path component of a symlink's target, or -1. */
static int link_base(const char *path, char *buf, size_t len)
{
	char target[512];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *slash, *base;

	if (n < 0)
		return -1;
	target[n] = '\0';
	slash = strrchr(target, '/');
	base = slash ? slash + 1 : target;
	if (strlen(base) >= len)
		return -1;
	memcpy(buf, base, strlen(base) + 1);
	return 0;
}

static unsigned int node_number(const char *node)
{
	return (unsigned int)strtoul(node + strlen("accel"), NULL, 10);
}

static int cmp_device(const void *a, const void *b)
{
	unsigned int x = node_number(((const struct nt_device *)a)->node);
	unsigned int y = node_number(((const struct nt_device *)b)->node);

	return x < y ? -1 : x > y;
}

/*
 * Fills @devs with up to @max neuron devices, sorted by node number.
 * Returns how many; 0 if there is no /sys/class/accel.
 */
int nt_discover(struct nt_device *devs, int max)
{
	DIR *dir = opendir("/sys/class/accel");
	struct dirent *de;
	int n = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		struct nt_device *d = &devs[n];
		char path[512], drv[64], line[64];
		unsigned int maj, min;

		if (strncmp(de->d_name, "accel", 5) || !de->d_name[5] ||
		    strlen(de->d_name) >= sizeof(d->node))
			continue;
		snprintf(path, sizeof(path), "/sys/class/accel/%s/device/driver", de->d_name);
		if (link_base(path, drv, sizeof(drv)) || strcmp(drv, "neuron"))
			continue;
		snprintf(path, sizeof(path), "/sys/class/accel/%s/dev", de->d_name);
		if (read_line(path, line, sizeof(line)) ||
		    sscanf(line, "%u:%u", &maj, &min) != 2)
			continue;
		memset(d, 0, sizeof(*d));
		snprintf(d->node, sizeof(d->node), "%.31s", de->d_name);
		snprintf(d->path, sizeof(d->path), "/dev/accel/%.31s", de->d_name);
		d->rdev = makedev(maj, min);
		snprintf(path, sizeof(path), "/sys/class/accel/%s/device", de->d_name);
		if (link_base(path, d->pci, sizeof(d->pci)))
			snprintf(d->pci, sizeof(d->pci), "?");
		snprintf(path, sizeof(path), "/sys/class/accel/%s/device/core_count", de->d_name);
		if (!read_line(path, line, sizeof(line)))
			d->nc_count = atoi(line);
		n++;
	}
	closedir(dir);
	qsort(devs, n, sizeof(*devs), cmp_device);
	return n;
}
