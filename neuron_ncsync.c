// SPDX-License-Identifier: GPL-2.0-only
/*
 * NeuronCore semaphores and events (facts section 6.5).
 *
 * Reads go through the firmware mailbox like every v1 register read;
 * changes are posted writes to the semaphore's SET/INCR/DECR view or the
 * event word in the NeuronCore's BAR2 window.  Both wait while the device
 * is being reset.  Semaphores and events are shared by everything running
 * on a NeuronCore: any client of the device may use them, as with the
 * legacy driver, but only through these checked operations (exact index
 * bounds; the legacy driver accepted index == count).
 */

#include <drm/drm_drv.h>
#include <drm/drm_file.h>

#include "neuron_cores.h"
#include "neuron_drv.h"
#include "neuron_fwio.h"
#include "neuron_hw.h"
#include "neuron_ncsync.h"
#include "neuron_reset.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/address_map.h"

/* Read one word of NeuronCore @nc's window at @off, through the firmware. */
static int neuron_nc_read(struct neuron_device *ndev, u32 nc, u64 off, u32 *val)
{
	u64 addr = V1_TPB_BASE + V1_NC_WINDOW_OFFSET(nc) + off;
	struct drm_device *drm = &ndev->drm;
	int idx, ret;

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	ret = neuron_fwio_read(ndev, &addr, val, 1);
	drm_dev_exit(idx);
	return ret;
}

/* Posted write of @val to NeuronCore @nc's window at @off. */
static int neuron_nc_write(struct neuron_device *ndev, u32 nc, u64 off, u32 val)
{
	struct drm_device *drm = &ndev->drm;
	bool locked;
	int idx, ret;

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	ret = neuron_reset_read_lock(ndev, &locked);
	if (!ret) {
		neuron_v1_nc_write(ndev, nc, off, val);
		neuron_reset_read_unlock(ndev, locked);
	}
	drm_dev_exit(idx);
	return ret;
}

/**
 * neuron_ioctl_semaphore() - DRM_IOCTL_NEURON_SEMAPHORE
 * @drm: the device
 * @data: &struct drm_neuron_semaphore
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_semaphore(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	static const u64 views[] = {
		[DRM_NEURON_SYNC_OP_SET] = V1_NC_SEM_SET,
		[DRM_NEURON_SYNC_OP_INCR] = V1_NC_SEM_INCR,
		[DRM_NEURON_SYNC_OP_DECR] = V1_NC_SEM_DECR,
	};
	struct neuron_device *ndev = to_neuron_device(drm);
	struct drm_neuron_semaphore *args = data;
	u64 off = 4ull * args->index;
	u32 val;
	int ret;

	if (args->nc >= V1_NC_PER_DEVICE || args->index >= V1_SEMAPHORES_PER_NC ||
	    args->op > DRM_NEURON_SYNC_OP_DECR || args->flags || args->pad)
		return -EINVAL;
	if (args->op != DRM_NEURON_SYNC_OP_READ) {
		/* An owned core's semaphores are its owner's model's. */
		if (!neuron_core_may_use(ndev, file, args->nc))
			return -EACCES;
		return neuron_nc_write(ndev, args->nc, views[args->op] + off,
				       (u32)args->value);
	}
	ret = neuron_nc_read(ndev, args->nc, V1_NC_SEM_READ + off, &val);
	if (!ret)
		args->value = (s32)val;
	return ret;
}

/**
 * neuron_ioctl_event() - DRM_IOCTL_NEURON_EVENT
 * @drm: the device
 * @data: &struct drm_neuron_event
 * @file: the client
 *
 * Return: 0 or a negative errno (see the uapi).
 */
int neuron_ioctl_event(struct drm_device *drm, void *data,
		       struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct drm_neuron_event *args = data;
	u64 off = V1_NC_EVENTS + 4ull * args->index;
	u32 val;
	int ret;

	if (args->nc >= V1_NC_PER_DEVICE || args->index >= V1_EVENTS_PER_NC)
		return -EINVAL;
	if (args->op == DRM_NEURON_SYNC_OP_SET) {
		if (args->value > 1)
			return -EINVAL;
		if (!neuron_core_may_use(ndev, file, args->nc))
			return -EACCES;
		return neuron_nc_write(ndev, args->nc, off, args->value);
	}
	if (args->op != DRM_NEURON_SYNC_OP_READ)
		return -EINVAL;
	ret = neuron_nc_read(ndev, args->nc, off, &val);
	if (!ret)
		args->value = val;
	return ret;
}
