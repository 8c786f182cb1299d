// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Device handles: open (checking through DRM_IOCTL_VERSION that the node is
 * the neuron driver's, not just any DRM node), QUERY, close.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "internal.h"

int neuron_query(struct neuron_device *dev, uint32_t type, void *buf, uint32_t *size)
{
	struct drm_neuron_query q = { .type = type };
	int ret;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!size)
		return neuron_fail(EINVAL, "size: NULL");
	if (buf && !*size)
		return neuron_fail(EINVAL, "size: zero with a buffer");
	q.size = buf ? *size : 0;
	q.pointer = neuron_ptr(buf);
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_QUERY, &q);
	if (ret)
		return neuron_fail(-ret, "QUERY type %u failed", type);
	*size = q.size;
	return 0;
}

int neuron_query_device_info(struct neuron_device *dev, struct drm_neuron_device_info *info)
{
	uint32_t size = sizeof(*info);
	int ret;

	if (!info)
		return neuron_fail(EINVAL, "info: NULL");
	/* An older kernel fills less: the rest reads as zero. */
	memset(info, 0, sizeof(*info));
	ret = neuron_query(dev, DRM_NEURON_QUERY_DEVICE_INFO, info, &size);
	return ret;
}

/* The fd must be a DRM node of the neuron driver. */
static int check_driver(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	char name[64];
	int ok;

	if (!v)
		return neuron_fail(errno ? errno : ENODEV, "fd %d: not a DRM device", fd);
	ok = v->name && !strcmp(v->name, NEURON_DRIVER_NAME);
	snprintf(name, sizeof(name), "%s", v->name ? v->name : "?");
	drmFreeVersion(v);
	if (!ok)
		return neuron_fail(ENODEV, "fd %d: driver is \"%s\", not \"" NEURON_DRIVER_NAME
				   "\"", fd, name);
	return 0;
}

int neuron_open_fd(int fd, struct neuron_device **out)
{
	struct neuron_device *dev;
	int ret;

	if (!out)
		return neuron_fail(EINVAL, "dev: NULL");
	*out = NULL;
	if (fd < 0)
		return neuron_fail(EBADF, "fd: %d", fd);
	ret = check_driver(fd);
	if (ret)
		return ret;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return neuron_fail(ENOMEM, "device");
	dev->fd = fd;
	pthread_mutex_init(&dev->lock, NULL);
	ret = neuron_query_device_info(dev, &dev->info);
	if (ret) {
		pthread_mutex_destroy(&dev->lock);
		free(dev);
		return ret;
	}
	*out = dev;
	return 0;
}

int neuron_open_path(const char *path, struct neuron_device **out)
{
	int fd, ret;

	if (!out)
		return neuron_fail(EINVAL, "dev: NULL");
	*out = NULL;
	if (!path)
		return neuron_fail(EINVAL, "path: NULL");
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return neuron_fail(errno, "open %s", path);
	ret = neuron_open_fd(fd, out);
	if (ret)
		close(fd);
	return ret;
}

void neuron_close(struct neuron_device *dev)
{
	struct neuron_bo *bo, *next;

	if (!dev)
		return;
	/* BOs the caller did not destroy: their handles go with the fd. */
	for (bo = dev->bos; bo; bo = next) {
		next = bo->next;
		if (bo->map)
			munmap(bo->map, bo->size);
		free(bo);
	}
	close(dev->fd);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

int neuron_device_fd(const struct neuron_device *dev)
{
	return dev ? dev->fd : neuron_fail(EINVAL, "dev: NULL");
}

const struct drm_neuron_device_info *neuron_device_info(const struct neuron_device *dev)
{
	return dev ? &dev->info : NULL;
}
