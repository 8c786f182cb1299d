// SPDX-License-Identifier: GPL-2.0-only
/*
 * Core DRM ioctls on the accel node.
 *
 * drm_ioctl() serves the core ioctl table (numbers outside the driver's
 * range DRM_COMMAND_BASE..DRM_COMMAND_END - 1) on every node, accel nodes
 * included.  The table was written for primary and render nodes: an accel
 * client has no master, no modesetting and no authentication, and two
 * entries that carry no permission flag (GET_UNIQUE, GET_MAGIC)
 * dereference the missing master and oops, one of them with the device's
 * master_mutex held.  The syncobj array ioctls size kernel arrays by an
 * unbounded user count, and the page allocator warns for the largest.  Any
 * user allowed to open the node reaches all of it.
 *
 * Rather than trust each core entry, the node passes to core DRM only the
 * ioctls an accel client uses (neuron_core_allowed[]) and refuses the rest
 * with -EOPNOTSUPP before core DRM reads the argument; the syncobj array
 * ioctls are refused with -EINVAL above NEURON_SYNCOBJ_ARRAY_MAX handles.
 * Driver ioctls go through unchanged.  The fixes for core DRM itself are in
 * patches/drm/; Documentation/neuron/uapi.rst lists what is refused.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/bits.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/nospec.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include <drm/drm.h>
#include <drm/drm_ioctl.h>

#include "neuron_core_ioctl.h"

/*
 * The most handles one syncobj array ioctl may name: far above what a
 * runtime waits for at once, and small enough that core DRM's per-call
 * arrays stay small allocations.
 */
#define NEURON_SYNCOBJ_ARRAY_MAX	4096

/*
 * For each allowed core ioctl, where its argument holds count_handles
 * (0: it has none).
 */
struct neuron_core_ioctl {
	bool allowed;
	u8 count_offset;
};

#define NEURON_CORE(ioctl) \
	[DRM_IOCTL_NR(ioctl)] = { .allowed = true }
#define NEURON_CORE_ARRAY(ioctl, type) \
	[DRM_IOCTL_NR(ioctl)] = { .allowed = true, \
				  .count_offset = offsetof(type, count_handles) }

/* Indexed by ioctl number: _IOC_NR() is 8 bits. */
#define NEURON_IOCTL_NRS	BIT(_IOC_NRBITS)

static const struct neuron_core_ioctl neuron_core_allowed[NEURON_IOCTL_NRS] = {
	NEURON_CORE(DRM_IOCTL_VERSION),
	NEURON_CORE(DRM_IOCTL_GET_CAP),
#ifdef DRM_IOCTL_SET_CLIENT_NAME	/* 6.13 and later */
	NEURON_CORE(DRM_IOCTL_SET_CLIENT_NAME),
#endif
	NEURON_CORE(DRM_IOCTL_GEM_CLOSE),
	NEURON_CORE(DRM_IOCTL_GEM_FLINK),
	NEURON_CORE(DRM_IOCTL_GEM_OPEN),
	NEURON_CORE(DRM_IOCTL_PRIME_HANDLE_TO_FD),
	NEURON_CORE(DRM_IOCTL_PRIME_FD_TO_HANDLE),
	NEURON_CORE(DRM_IOCTL_SYNCOBJ_CREATE),
	NEURON_CORE(DRM_IOCTL_SYNCOBJ_DESTROY),
	NEURON_CORE(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD),
	NEURON_CORE(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE),
	NEURON_CORE(DRM_IOCTL_SYNCOBJ_TRANSFER),
	NEURON_CORE(DRM_IOCTL_SYNCOBJ_EVENTFD),
	NEURON_CORE_ARRAY(DRM_IOCTL_SYNCOBJ_WAIT, struct drm_syncobj_wait),
	NEURON_CORE_ARRAY(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, struct drm_syncobj_timeline_wait),
	NEURON_CORE_ARRAY(DRM_IOCTL_SYNCOBJ_RESET, struct drm_syncobj_array),
	NEURON_CORE_ARRAY(DRM_IOCTL_SYNCOBJ_SIGNAL, struct drm_syncobj_array),
	NEURON_CORE_ARRAY(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, struct drm_syncobj_timeline_array),
	NEURON_CORE_ARRAY(DRM_IOCTL_SYNCOBJ_QUERY, struct drm_syncobj_timeline_array),
};

/*
 * 0 if core DRM may have @cmd, else the errno the caller gets.  Not a
 * DRM ioctl at all, or a driver one: drm_ioctl() decides.
 *
 * The count is read here and again by core DRM: a second thread rewriting
 * it in between gets past this check, and then only core DRM's own
 * handling of a huge count (patches/drm/0002) stands between it and the
 * allocator warning.  Every caller that does not race is refused here.
 */
static int neuron_core_ioctl_check(unsigned int cmd, unsigned long arg)
{
	unsigned int nr = DRM_IOCTL_NR(cmd);
	const struct neuron_core_ioctl *entry;
	u32 count;

#ifdef NEURON_CORE_IOCTL_PASSTHROUGH
	/* Only to test core DRM's own fixes (patches/drm/README). */
	return 0;
#endif
	if (_IOC_TYPE(cmd) != DRM_IOCTL_BASE ||
	    (nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END))
		return 0;
	entry = &neuron_core_allowed[array_index_nospec(nr, NEURON_IOCTL_NRS)];
	if (!entry->allowed)
		return -EOPNOTSUPP;
	if (!entry->count_offset)
		return 0;
	/* Too short to hold the count: core DRM zero-fills, count 0. */
	if (!(_IOC_DIR(cmd) & _IOC_WRITE) ||
	    _IOC_SIZE(cmd) < entry->count_offset + sizeof(count))
		return 0;
	if (copy_from_user(&count, (void __user *)arg + entry->count_offset,
			   sizeof(count)))
		return -EFAULT;
	return count > NEURON_SYNCOBJ_ARRAY_MAX ? -EINVAL : 0;
}

/**
 * neuron_core_ioctl() - file_operations.unlocked_ioctl of the accel node
 * @filp: the open node
 * @cmd: ioctl number
 * @arg: its argument
 *
 * Return: what drm_ioctl() returns, or -EOPNOTSUPP, -EINVAL or -EFAULT
 * for a core ioctl refused here.
 */
long neuron_core_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	int ret = neuron_core_ioctl_check(cmd, arg);

	return ret ? ret : drm_ioctl(filp, cmd, arg);
}

#ifdef CONFIG_COMPAT
/**
 * neuron_core_compat_ioctl() - file_operations.compat_ioctl of the node
 * @filp: the open node
 * @cmd: ioctl number
 * @arg: its argument (a 32-bit process's pointer)
 *
 * The same refusals as neuron_core_ioctl(): drm_compat_ioctl() calls some
 * core handlers (GET_UNIQUE among them) without going through drm_ioctl().
 * The syncobj structures have the same layout for 32-bit callers.
 *
 * Return: what drm_compat_ioctl() returns, or an errno as above.
 */
long neuron_core_compat_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	int ret = neuron_core_ioctl_check(cmd, (unsigned long)compat_ptr(arg));

	return ret ? ret : drm_compat_ioctl(filp, cmd, arg);
}
#endif
