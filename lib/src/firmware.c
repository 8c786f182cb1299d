// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * What goes through the firmware or straight to NeuronCore registers:
 * semaphores, events, allow-listed register reads, statistics posts and
 * the device reset.
 */
#include <errno.h>

#include "internal.h"

static int check_nc_index(const struct neuron_device *dev, uint32_t nc, uint32_t index,
			  uint32_t count, const char *what)
{
	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (nc >= dev->info.nc_count)
		return neuron_fail(EINVAL, "nc: %u, the device has %u", nc, dev->info.nc_count);
	if (index >= count)
		return neuron_fail(EINVAL, "index: %u, a NeuronCore has %u %s", index, count, what);
	return 0;
}

static int semaphore(struct neuron_device *dev, struct drm_neuron_semaphore *s)
{
	int ret = check_nc_index(dev, s->nc, s->index,
				 dev ? dev->info.semaphores_per_nc : 0, "semaphores");

	if (ret)
		return ret;
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_SEMAPHORE, s);
	return ret ? neuron_fail(-ret, "SEMAPHORE nc %u index %u op %u failed", s->nc,
				 s->index, s->op) : 0;
}

int neuron_semaphore_read(struct neuron_device *dev, uint32_t nc, uint32_t index,
			  int32_t *value)
{
	struct drm_neuron_semaphore s = { .nc = nc, .index = index,
					  .op = DRM_NEURON_SYNC_OP_READ };
	int ret;

	if (!value)
		return neuron_fail(EINVAL, "value: NULL");
	ret = semaphore(dev, &s);
	if (!ret)
		*value = s.value;
	return ret;
}

int neuron_semaphore_write(struct neuron_device *dev, uint32_t nc, uint32_t index,
			   uint32_t op, int32_t value)
{
	struct drm_neuron_semaphore s = { .nc = nc, .index = index, .op = op, .value = value };

	if (op != DRM_NEURON_SYNC_OP_SET && op != DRM_NEURON_SYNC_OP_INCR &&
	    op != DRM_NEURON_SYNC_OP_DECR)
		return neuron_fail(EINVAL, "op: %u is not SET, INCR or DECR", op);
	return semaphore(dev, &s);
}

static int event(struct neuron_device *dev, struct drm_neuron_event *e)
{
	int ret = check_nc_index(dev, e->nc, e->index, dev ? dev->info.events_per_nc : 0,
				 "events");

	if (ret)
		return ret;
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_EVENT, e);
	return ret ? neuron_fail(-ret, "EVENT nc %u index %u op %u failed", e->nc, e->index,
				 e->op) : 0;
}

int neuron_event_read(struct neuron_device *dev, uint32_t nc, uint32_t index,
		      uint32_t *value)
{
	struct drm_neuron_event e = { .nc = nc, .index = index, .op = DRM_NEURON_SYNC_OP_READ };
	int ret;

	if (!value)
		return neuron_fail(EINVAL, "value: NULL");
	ret = event(dev, &e);
	if (!ret)
		*value = e.value;
	return ret;
}

int neuron_event_set(struct neuron_device *dev, uint32_t nc, uint32_t index, uint32_t value)
{
	struct drm_neuron_event e = { .nc = nc, .index = index, .op = DRM_NEURON_SYNC_OP_SET,
				      .value = value };

	if (value > 1)
		return neuron_fail(EINVAL, "value: %u, an event is 0 or 1", value);
	return event(dev, &e);
}

int neuron_fwio_read(struct neuron_device *dev, const uint64_t *addrs, uint32_t *values,
		     uint32_t count)
{
	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!count)
		return neuron_fail(EINVAL, "count: zero");
	if (!addrs || !values)
		return neuron_fail(EINVAL, "%s: NULL", addrs ? "values" : "addrs");
	for (uint32_t i = 0; i < count; i++)
		if (addrs[i] & 3)
			return neuron_fail(EINVAL, "addrs[%u]: %#llx is not 4-byte aligned", i,
					   (unsigned long long)addrs[i]);
	/* Larger reads go in ioctl-sized pieces. */
	for (uint32_t done = 0; done < count;) {
		uint32_t n = count - done > DRM_NEURON_FWIO_READ_MAX ?
			     DRM_NEURON_FWIO_READ_MAX : count - done;
		struct drm_neuron_fwio_read r = {
			.addrs = neuron_ptr(addrs + done), .values = neuron_ptr(values + done),
			.count = n,
		};
		int ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_FWIO_READ, &r);

		if (ret == -EACCES)
			return neuron_fail(EACCES, "addrs[%u..%u]: an address outside the "
					   "allow-list", done, done + n - 1);
		if (ret)
			return neuron_fail(-ret, "FWIO_READ of addrs[%u..%u] failed", done,
					   done + n - 1);
		done += n;
	}
	return 0;
}

int neuron_stats_post(struct neuron_device *dev, const void *data, uint32_t size)
{
	struct drm_neuron_stats_post p = { .data = neuron_ptr(data), .size = size };
	int ret;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!size || size > DRM_NEURON_STATS_POST_MAX)
		return neuron_fail(EINVAL, "size: %u, must be 1..%u", size,
				   DRM_NEURON_STATS_POST_MAX);
	if (!data)
		return neuron_fail(EINVAL, "data: NULL");
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_STATS_POST, &p);
	return ret ? neuron_fail(-ret, "STATS_POST of %u bytes failed", size) : 0;
}

int neuron_reset(struct neuron_device *dev)
{
	struct drm_neuron_reset r = { 0 };
	int ret;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_RESET, &r);
	if (ret == -EPERM)
		return neuron_fail(EPERM, "reset needs CAP_SYS_ADMIN");
	return ret ? neuron_fail(-ret, "RESET failed") : 0;
}
