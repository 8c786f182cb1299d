// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * COPY and FILL on the driver's copy queue.  Arguments are checked here
 * first so that the message can name the field the kernel would only
 * answer EINVAL for.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

int neuron_check_fences(const struct neuron_fences *f, bool sync_file_ok, const char *what)
{
	if (!f)
		return 0;
	if (f->in_count > NEURON_MAX_IN_SYNCS)
		return neuron_fail(EINVAL, "%s: in_count %u over %u", what, f->in_count,
				   NEURON_MAX_IN_SYNCS);
	if (f->in_count && !f->in)
		return neuron_fail(EINVAL, "%s: in is NULL with in_count %u", what, f->in_count);
	for (uint32_t i = 0; i < f->in_count; i++)
		if (!f->in[i].handle || f->in[i].flags)
			return neuron_fail(EINVAL, "%s: in[%u] has handle %u, flags %#x", what, i,
					   f->in[i].handle, f->in[i].flags);
	if (!f->out.handle && f->out.point)
		return neuron_fail(EINVAL, "%s: out.point %llu without out.handle", what,
				   (unsigned long long)f->out.point);
	if (f->out.flags)
		return neuron_fail(EINVAL, "%s: out.flags %#x", what, f->out.flags);
	if (f->sync_file && !sync_file_ok)
		return neuron_fail(EINVAL, "%s: sync_file: only SUBMIT returns one (export "
				   "the out syncobj instead)", what);
	return 0;
}

/* Offset and size inside the BO, without overflow. */
static int check_range(const struct neuron_bo *bo, uint64_t offset, uint64_t size,
		       const char *what)
{
	if (offset > bo->size || size > bo->size - offset)
		return neuron_fail(EINVAL, "%s: range %llu+%llu outside the BO's %llu bytes",
				   what, (unsigned long long)offset, (unsigned long long)size,
				   (unsigned long long)bo->size);
	return 0;
}

static int check_nc(const struct neuron_device *dev, uint32_t nc)
{
	if (nc != DRM_NEURON_ANY && nc >= dev->info.nc_count)
		return neuron_fail(EINVAL, "nc: %u, the device has %u", nc, dev->info.nc_count);
	return 0;
}

int neuron_copy(struct neuron_bo *dst, uint64_t dst_offset, struct neuron_bo *src,
		uint64_t src_offset, uint64_t size, uint32_t nc, const struct neuron_fences *f)
{
	struct drm_neuron_copy c = { 0 };
	int ret;

	if (!dst)
		return neuron_fail(EINVAL, "dst: NULL");
	if (!src)
		return neuron_fail(EINVAL, "src: NULL");
	if (dst->dev != src->dev)
		return neuron_fail(EXDEV, "src: a BO of another device (import it first)");
	if (!size)
		return neuron_fail(EINVAL, "size: zero");
	ret = check_range(src, src_offset, size, "src");
	if (!ret)
		ret = check_range(dst, dst_offset, size, "dst");
	if (!ret && src == dst && src_offset < dst_offset + size && dst_offset < src_offset + size)
		ret = neuron_fail(EINVAL, "dst: overlaps src in the same BO");
	if (!ret)
		ret = check_nc(dst->dev, nc);
	if (!ret)
		ret = neuron_check_fences(f, false, "f");
	if (ret)
		return ret;
	c.src_handle = src->handle;
	c.dst_handle = dst->handle;
	c.src_offset = src_offset;
	c.dst_offset = dst_offset;
	c.size = size;
	c.nc = nc;
	if (f) {
		c.in_syncs = neuron_ptr(f->in);
		c.in_sync_count = f->in_count;
		c.out_sync = f->out;
	}
	ret = neuron_ioctl(dst->dev->fd, DRM_IOCTL_NEURON_COPY, &c);
	if (ret == -ENOENT)
		return neuron_fail(ENOENT, "f: unknown syncobj handle, or a BO closed behind "
				   "the library's back");
	return ret ? neuron_fail(-ret, "COPY failed") : 0;
}

int neuron_fill(struct neuron_bo *bo, uint64_t offset, uint64_t size, uint8_t value,
		uint32_t nc, const struct neuron_fences *f)
{
	struct drm_neuron_fill c = { 0 };
	int ret;

	if (!bo)
		return neuron_fail(EINVAL, "bo: NULL");
	if (!size)
		return neuron_fail(EINVAL, "size: zero");
	ret = check_range(bo, offset, size, "bo");
	if (!ret)
		ret = check_nc(bo->dev, nc);
	if (!ret)
		ret = neuron_check_fences(f, false, "f");
	if (ret)
		return ret;
	c.handle = bo->handle;
	c.value = value;
	c.offset = offset;
	c.size = size;
	c.nc = nc;
	if (f) {
		c.in_syncs = neuron_ptr(f->in);
		c.in_sync_count = f->in_count;
		c.out_sync = f->out;
	}
	ret = neuron_ioctl(bo->dev->fd, DRM_IOCTL_NEURON_FILL, &c);
	if (ret == -ENOENT)
		return neuron_fail(ENOENT, "f: unknown syncobj handle, or a BO closed behind "
				   "the library's back");
	return ret ? neuron_fail(-ret, "FILL failed") : 0;
}
