// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Buffer objects: create, describe, map, wait, and share as dma-bufs.
 *
 * The device keeps a list of its BO objects because PRIME hands back the
 * existing GEM handle when a buffer comes home (or is imported twice): two
 * objects closing one handle would pull it from under each other, so the
 * second import shares the first object and counts a reference.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xf86drm.h>

#include "internal.h"

void neuron_bo_track(struct neuron_bo *bo)
{
	struct neuron_device *dev = bo->dev;

	pthread_mutex_lock(&dev->lock);
	bo->next = dev->bos;
	dev->bos = bo;
	pthread_mutex_unlock(&dev->lock);
}

/* Unlink @bo if this was its last reference; true if it was. */
static bool untrack(struct neuron_bo *bo)
{
	struct neuron_device *dev = bo->dev;
	struct neuron_bo **p;
	bool last;

	pthread_mutex_lock(&dev->lock);
	last = --bo->refs == 0;
	if (last)
		for (p = &dev->bos; *p; p = &(*p)->next)
			if (*p == bo) {
				*p = bo->next;
				break;
			}
	pthread_mutex_unlock(&dev->lock);
	return last;
}

/* A new object for @handle, with its BO_INFO. */
static int bo_wrap(struct neuron_device *dev, uint32_t handle, struct neuron_bo **out)
{
	struct drm_neuron_bo_info info = { .handle = handle };
	struct neuron_bo *bo;
	int ret;

	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_BO_INFO, &info);
	if (ret)
		return neuron_fail(-ret, "BO_INFO of handle %u failed", handle);
	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return neuron_fail(ENOMEM, "BO object");
	bo->dev = dev;
	bo->refs = 1;
	bo->handle = handle;
	bo->size = info.size;
	bo->domain = info.domain;
	bo->flags = info.flags;
	bo->mmap_offset = info.mmap_offset;
	neuron_bo_track(bo);
	*out = bo;
	return 0;
}

static int bo_create(struct neuron_device *dev, struct drm_neuron_bo_create *c,
		     struct neuron_bo **out)
{
	struct drm_gem_close cl = { 0 };
	int ret;

	if (!out)
		return neuron_fail(EINVAL, "bo: NULL");
	*out = NULL;
	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!c->size)
		return neuron_fail(EINVAL, "size: zero");
	if (c->domain != DRM_NEURON_BO_DOMAIN_HOST && c->domain != DRM_NEURON_BO_DOMAIN_DEVICE)
		return neuron_fail(EINVAL, "domain: %u is neither HOST (0) nor DEVICE (1)",
				   c->domain);
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_BO_CREATE, c);
	if (ret == -ENOSPC)
		return neuron_fail(ENOSPC, "size: no free DRAM range of %llu bytes",
				   (unsigned long long)c->size);
	if (ret == -EINVAL && c->domain == DRM_NEURON_BO_DOMAIN_DEVICE)
		return neuron_fail(EINVAL, "size %llu, dram_channel %#x or dram_nc %#x refused",
				   (unsigned long long)c->size, c->dram_channel, c->dram_nc);
	if (ret)
		return neuron_fail(-ret, "BO_CREATE of %llu bytes failed",
				   (unsigned long long)c->size);
	ret = bo_wrap(dev, c->handle, out);
	if (ret) {
		cl.handle = c->handle;
		neuron_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &cl);
	}
	return ret;
}

int neuron_bo_create(struct neuron_device *dev, uint64_t size, uint32_t domain,
		     struct neuron_bo **bo)
{
	struct drm_neuron_bo_create c = {
		.size = size, .domain = domain,
		.dram_channel = DRM_NEURON_ANY, .dram_nc = DRM_NEURON_ANY,
	};

	return bo_create(dev, &c, bo);
}

int neuron_bo_create_dram(struct neuron_device *dev, uint64_t size, uint32_t channel,
			  uint32_t nc, struct neuron_bo **bo)
{
	struct drm_neuron_bo_create c = {
		.size = size, .domain = DRM_NEURON_BO_DOMAIN_DEVICE,
		.dram_channel = channel, .dram_nc = nc,
	};

	if (dev && channel != DRM_NEURON_ANY && channel >= dev->info.dram_channels)
		return neuron_fail(EINVAL, "channel: %u, the device has %u", channel,
				   dev->info.dram_channels);
	if (dev && nc != DRM_NEURON_ANY && nc >= dev->info.nc_count)
		return neuron_fail(EINVAL, "nc: %u, the device has %u", nc, dev->info.nc_count);
	return bo_create(dev, &c, bo);
}

int neuron_bo_destroy(struct neuron_bo *bo)
{
	struct drm_gem_close c = { 0 };
	int ret;

	if (!bo || !untrack(bo))
		return 0;
	if (bo->map)
		munmap(bo->map, bo->size);
	c.handle = bo->handle;
	ret = neuron_ioctl(bo->dev->fd, DRM_IOCTL_GEM_CLOSE, &c);
	free(bo);
	return ret ? neuron_fail(-ret, "GEM_CLOSE of handle %u failed", c.handle) : 0;
}

uint32_t neuron_bo_handle(const struct neuron_bo *bo)
{
	return bo ? bo->handle : 0;
}

uint64_t neuron_bo_size(const struct neuron_bo *bo)
{
	return bo ? bo->size : 0;
}

uint32_t neuron_bo_domain(const struct neuron_bo *bo)
{
	return bo ? bo->domain : 0;
}

uint32_t neuron_bo_flags(const struct neuron_bo *bo)
{
	return bo ? bo->flags : 0;
}

struct neuron_device *neuron_bo_device(const struct neuron_bo *bo)
{
	return bo ? bo->dev : NULL;
}

int neuron_bo_info(struct neuron_bo *bo, struct drm_neuron_bo_info *info)
{
	int ret;

	if (!bo)
		return neuron_fail(EINVAL, "bo: NULL");
	if (!info)
		return neuron_fail(EINVAL, "info: NULL");
	memset(info, 0, sizeof(*info));
	info->handle = bo->handle;
	ret = neuron_ioctl(bo->dev->fd, DRM_IOCTL_NEURON_BO_INFO, info);
	return ret ? neuron_fail(-ret, "BO_INFO of handle %u failed", bo->handle) : 0;
}

int neuron_bo_map(struct neuron_bo *bo, void **ptr)
{
	void *p;

	if (!bo)
		return neuron_fail(EINVAL, "bo: NULL");
	if (!ptr)
		return neuron_fail(EINVAL, "ptr: NULL");
	if (bo->map) {
		*ptr = bo->map;
		return 0;
	}
	if (bo->domain != DRM_NEURON_BO_DOMAIN_HOST || !bo->mmap_offset)
		return neuron_fail(EINVAL, "bo: handle %u is not a CPU-mappable host BO",
				   bo->handle);
	p = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, bo->dev->fd,
		 (off_t)bo->mmap_offset);
	if (p == MAP_FAILED)
		return neuron_fail(errno, "mmap of handle %u (%llu bytes) failed", bo->handle,
				   (unsigned long long)bo->size);
	bo->map = p;
	*ptr = p;
	return 0;
}

int neuron_bo_unmap(struct neuron_bo *bo)
{
	if (!bo)
		return neuron_fail(EINVAL, "bo: NULL");
	if (!bo->map)
		return neuron_fail(EINVAL, "bo: handle %u is not mapped", bo->handle);
	if (munmap(bo->map, bo->size))
		return neuron_fail(errno, "munmap of handle %u failed", bo->handle);
	bo->map = NULL;
	return 0;
}

int neuron_bo_wait(struct neuron_bo *bo, int64_t timeout_ns)
{
	struct drm_neuron_bo_wait w = { 0 };
	int ret;

	if (!bo)
		return neuron_fail(EINVAL, "bo: NULL");
	w.handle = bo->handle;
	/* 0 polls in the uapi too; otherwise its deadline is absolute. */
	w.timeout_ns = timeout_ns == 0 ? 0 : neuron_deadline(timeout_ns);
	ret = neuron_ioctl(bo->dev->fd, DRM_IOCTL_NEURON_BO_WAIT, &w);
	if (ret == -ETIMEDOUT || ret == -EBUSY)
		return neuron_fail(ETIMEDOUT, "bo: handle %u still busy", bo->handle);
	return ret ? neuron_fail(-ret, "BO_WAIT of handle %u failed", bo->handle) : 0;
}

int neuron_bo_export(struct neuron_bo *bo, int *dmabuf_fd)
{
	int ret;

	if (!bo)
		return neuron_fail(EINVAL, "bo: NULL");
	if (!dmabuf_fd)
		return neuron_fail(EINVAL, "dmabuf_fd: NULL");
	ret = drmPrimeHandleToFD(bo->dev->fd, bo->handle, DRM_CLOEXEC | DRM_RDWR, dmabuf_fd);
	if (ret)
		return neuron_fail(errno, "PRIME export of handle %u failed", bo->handle);
	return 0;
}

int neuron_bo_import(struct neuron_device *dev, int dmabuf_fd, struct neuron_bo **out)
{
	struct neuron_bo *bo;
	uint32_t handle;
	int ret;

	if (!out)
		return neuron_fail(EINVAL, "bo: NULL");
	*out = NULL;
	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (dmabuf_fd < 0)
		return neuron_fail(EBADF, "dmabuf_fd: %d", dmabuf_fd);
	if (drmPrimeFDToHandle(dev->fd, dmabuf_fd, &handle)) {
		int err = errno;

		if (err == EXDEV)
			return neuron_fail(EXDEV, "dmabuf_fd: a device BO of a device that is "
					   "not a neighbour of this one");
		return neuron_fail(err, "PRIME import of fd %d failed", dmabuf_fd);
	}
	pthread_mutex_lock(&dev->lock);
	for (bo = dev->bos; bo; bo = bo->next)
		if (bo->handle == handle) {
			bo->refs++;
			break;
		}
	pthread_mutex_unlock(&dev->lock);
	if (bo) {
		*out = bo;
		return 0;
	}
	ret = bo_wrap(dev, handle, out);
	if (ret) {
		struct drm_gem_close c = { .handle = handle };

		/* bo_wrap()'s message stays: neuron_ioctl() sets none. */
		neuron_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &c);
	}
	return ret;
}
