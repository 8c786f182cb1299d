// SPDX-License-Identifier: MIT
/*
 * neuron-top: discovery of the neuron devices, through libneuron's
 * neuron_list_devices().
 *
 * That call opens every node for DEVICE_INFO and reads sysfs
 * connected_devices: FWIO requests to each device's firmware, and a
 * short-lived DRM client.  A monitor refreshing every second must not do
 * that on every sample, so the list is kept and taken again only when the
 * set of accel nodes in sysfs changes (a node added or removed, or bound
 * to another device), which a readdir() and a readlink() per node show
 * without touching any device.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#define _GNU_SOURCE		/* asprintf() */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <libneuron.h>

#include "neuron-top.h"

#define SYSFS_ACCEL	"/sys/class/accel"

static struct nt_device cache[NT_MAX_DEVICES];
static int ncache = -1;
static char *cache_key;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * "accel0=../../devices/.../0000:01:00.0/accel/accel0\n..." for every accel
 * node, sorted: what changes when a node comes, goes or moves.
 */
static char *sysfs_key(void)
{
	DIR *dir = opendir(SYSFS_ACCEL);
	char *lines[NT_MAX_DEVICES * 4], *key;
	struct dirent *de;
	size_t len = 1;
	int n = 0, i;

	if (!dir)
		return strdup("");
	while ((de = readdir(dir)) && n < (int)(sizeof(lines) / sizeof(lines[0]))) {
		char path[300], target[512];
		ssize_t t;

		if (strncmp(de->d_name, "accel", 5))
			continue;
		snprintf(path, sizeof(path), SYSFS_ACCEL "/%.255s", de->d_name);
		t = readlink(path, target, sizeof(target) - 1);
		target[t < 0 ? 0 : t] = '\0';
		if (asprintf(&lines[n], "%s=%s\n", de->d_name, target) < 0)
			break;
		len += strlen(lines[n++]);
	}
	closedir(dir);
	qsort(lines, n, sizeof(lines[0]), cmp_str);
	key = malloc(len);
	if (key)
		key[0] = '\0';
	for (i = 0; i < n; i++) {
		if (key)
			strcat(key, lines[i]);
		free(lines[i]);
	}
	return key;
}

/* The node's device number, from sysfs (the /dev node may be elsewhere). */
static int node_rdev(const char *node, dev_t *rdev)
{
	char path[128];
	unsigned int maj, min;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), SYSFS_ACCEL "/%s/dev", node);
	f = fopen(path, "re");
	if (!f)
		return -1;
	ok = fscanf(f, "%u:%u", &maj, &min) == 2;
	fclose(f);
	if (!ok)
		return -1;
	*rdev = makedev(maj, min);
	return 0;
}

static int list_devices(struct nt_device *devs, int max)
{
	struct neuron_node_info *list;
	int n = neuron_list_devices(&list), i, out = 0;

	if (n < 0) {
		fprintf(stderr, "neuron-top: %s\n", neuron_last_error());
		return 0;
	}
	for (i = 0; i < n && out < max; i++) {
		struct nt_device *d = &devs[out];
		const char *base = strrchr(list[i].node, '/');

		memset(d, 0, sizeof(*d));
		snprintf(d->node, sizeof(d->node), "%.31s", base ? base + 1 : list[i].node);
		snprintf(d->path, sizeof(d->path), "%.47s", list[i].node);
		snprintf(d->pci, sizeof(d->pci), "%s", list[i].pci_addr[0] ? list[i].pci_addr : "?");
		d->nc_count = (int)list[i].core_count;
		if (!node_rdev(d->node, &d->rdev))
			out++;
	}
	neuron_free_devices(list);
	return out;
}

/*
 * Fills @devs with up to @max neuron devices, sorted by node number;
 * returns how many (0 without /sys/class/accel).
 */
int nt_discover(struct nt_device *devs, int max)
{
	char *key = sysfs_key();

	if (ncache < 0 || !key || !cache_key || strcmp(key, cache_key)) {
		ncache = list_devices(cache, NT_MAX_DEVICES);
		free(cache_key);
		cache_key = key;
	} else {
		free(key);
	}
	if (ncache < max)
		max = ncache;
	memcpy(devs, cache, max * sizeof(*devs));
	return max;
}
