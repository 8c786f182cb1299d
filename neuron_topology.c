// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware readiness and neighbour discovery.
 *
 * Each driver writes its device index into its device's misc RAM (0x24).
 * The firmware reports in its status word (misc 0x1c) whether it is ready
 * and which Neuron Pipe links (east, west) are up, and forwards FWIO reads
 * of the neighbour prefixes over those links, so the index a neighbour's
 * driver wrote is readable here.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "neuron_drv.h"
#include "neuron_fwio.h"
#include "neuron_hw.h"
#include "neuron_topology.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/address_map.h"
#include "v1/fwio_regs.h"

static unsigned int ready_timeout_ms = 10000;
module_param(ready_timeout_ms, uint, 0644);
MODULE_PARM_DESC(ready_timeout_ms,
		 "How long probe waits for the firmware to report ready, in ms (default 10000)");

#define NEURON_READY_POLL_MS	100

/*
 * The firmware reports readiness in bit 31 of its status word.  Poll it
 * (through FWIO: a firmware that is not up may not answer at all) until it
 * is set or ready_timeout_ms passed.
 */
static int neuron_wait_ready(struct neuron_device *ndev, u32 *status)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(READ_ONCE(ready_timeout_ms));
	int ret;

	for (;;) {
		ret = neuron_fwio_read32(ndev, V1_MISC_DEV_ADDR(MISC_FW_STATUS), status);
		if (ret == -ENODEV || ret == -EINTR)
			return ret;
		if (!ret && (*status & FW_STATUS_READY))
			return 0;
		if (time_after(jiffies, deadline))
			return ret ?: -ETIMEDOUT;
		msleep(NEURON_READY_POLL_MS);
	}
}

/*
 * Only the QEMU model (revision 0xff) is known to need no reset; a real
 * device may hold state from a previous user.  Probe does not reset (a
 * hardware reset takes seconds per device); an administrator resets
 * through sysfs "reset" or DRM_IOCTL_NEURON_RESET (neuron_reset.c).
 */
static bool neuron_reset_wanted(struct neuron_device *ndev)
{
	return ndev->revision != V1_PCI_REVISION_QEMU;
}

/**
 * neuron_topology_init() - bring up the firmware side at probe
 * @ndev: the device, with FWIO set up and @ndev->index assigned
 *
 * Writes the device index for the neighbours to read, waits (bounded) for
 * the firmware to be ready and reads the topology once.  A firmware that is
 * not ready is not fatal: the device registers, reports itself not ready,
 * and the topology is read again on every query.
 *
 * Return: 0, or -ENODEV / -EINTR / -ENOMEM.
 */
int neuron_topology_init(struct neuron_device *ndev)
{
	struct neuron_topology *topo = &ndev->topo;
	u32 status = 0;
	int idx, ret;

	ret = drmm_mutex_init(&ndev->drm, &topo->lock);
	if (ret)
		return ret;
	topo->info.east = DRM_NEURON_NO_NEIGHBOUR;
	topo->info.west = DRM_NEURON_NO_NEIGHBOUR;

	if (neuron_reset_wanted(ndev))
		drm_dbg_driver(&ndev->drm, "not reset at probe; sysfs neuron_reset does it\n");

	if (!drm_dev_enter(&ndev->drm, &idx))
		return -ENODEV;
	neuron_v1_misc_write(ndev, MISC_DEVICE_ID, ndev->index);
	drm_dev_exit(idx);

	ret = neuron_wait_ready(ndev, &status);
	if (ret == -ENODEV || ret == -EINTR)
		return ret;
	if (ret) {
		drm_warn(&ndev->drm, "firmware not ready after %u ms (status %#x): %pe\n",
			 ready_timeout_ms, status, ERR_PTR(ret));
		return 0;
	}

	ret = neuron_topology_refresh(ndev, NULL);
	if (ret == -ENODEV || ret == -EINTR)
		return ret;
	if (ret)
		drm_warn(&ndev->drm, "reading the topology failed: %pe\n", ERR_PTR(ret));
	return 0;
}

/*
 * One neighbour from its status word and device id word, read through the
 * link: a neighbour whose firmware is not ready (resetting, say) has no
 * valid id to offer (a reset clears it), so it is reported as absent
 * rather than guessed.
 */
static u32 neuron_topology_neighbour(u32 status, u32 id)
{
	if (!(status & FW_STATUS_READY) || id >= V1_MAX_DEVICES)
		return DRM_NEURON_NO_NEIGHBOUR;
	return id;
}

/**
 * neuron_topology_refresh() - read status and neighbours from the firmware
 * @ndev: the device
 * @out: if not NULL, the result
 *
 * One FWIO request for the status word and, if the firmware is ready and
 * a link is up, one for each linked neighbour's status and device index.
 * The neighbours are read every time rather than once at probe, because a
 * neighbour's driver may probe after this one and only then write its
 * index, and a neighbour may be reset.  A neighbour that cannot be read,
 * or whose firmware is not ready, is reported as none; the link bit of
 * the status word still says that the link is up.
 *
 * Return: 0, or an error of neuron_fwio_read() for the status word.
 */
int neuron_topology_refresh(struct neuron_device *ndev,
			    struct neuron_topology_info *out)
{
	struct neuron_topology *topo = &ndev->topo;
	u64 addrs[4];
	u32 status, vals[4];
	u32 east_id = DRM_NEURON_NO_NEIGHBOUR, west_id = DRM_NEURON_NO_NEIGHBOUR;
	bool east, west;
	unsigned int n = 0;
	int ret;

	ret = neuron_fwio_read32(ndev, V1_MISC_DEV_ADDR(MISC_FW_STATUS), &status);
	if (ret)
		return ret;

	east = (status & FW_STATUS_READY) && (status & FW_STATUS_EAST_LINK);
	west = (status & FW_STATUS_READY) && (status & FW_STATUS_WEST_LINK);
	if (east) {
		addrs[n++] = V1_EAST_PREFIX | V1_MISC_DEV_ADDR(MISC_FW_STATUS);
		addrs[n++] = V1_EAST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID);
	}
	if (west) {
		addrs[n++] = V1_WEST_PREFIX | V1_MISC_DEV_ADDR(MISC_FW_STATUS);
		addrs[n++] = V1_WEST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID);
	}
	if (n) {
		ret = neuron_fwio_read(ndev, addrs, vals, n);
		if (ret == -ENODEV || ret == -EINTR)
			return ret;
		if (ret) {
			drm_dbg_driver(&ndev->drm, "neighbour read failed: %pe\n", ERR_PTR(ret));
		} else {
			n = 0;
			if (east) {
				east_id = neuron_topology_neighbour(vals[n], vals[n + 1]);
				n += 2;
			}
			if (west)
				west_id = neuron_topology_neighbour(vals[n], vals[n + 1]);
		}
	}

	mutex_lock(&topo->lock);
	topo->info.fw_status = status;
	topo->info.east = east_id;
	topo->info.west = west_id;
	topo->info.valid = true;
	if (out)
		*out = topo->info;
	mutex_unlock(&topo->lock);
	return 0;
}

/**
 * neuron_topology_read() - neuron_topology_refresh() for user requests
 * @ndev: the device
 * @out: the result
 *
 * DEVICE_INFO, sysfs connected_devices and Neuron Pipe imports report a
 * firmware that did not answer the same way: -EIO, whatever the mailbox
 * error (timeout, bad status, wrong sequence, bad size).
 *
 * Return: 0, -ENODEV, -EINTR or -EIO.
 */
int neuron_topology_read(struct neuron_device *ndev, struct neuron_topology_info *out)
{
	int ret = neuron_topology_refresh(ndev, out);

	if (ret == -ENODEV || ret == -EINTR)
		return ret;
	return ret ? -EIO : 0;
}

/**
 * neuron_topology_get() - the cached status and topology, no FWIO
 * @ndev: the device
 * @out: the result
 */
void neuron_topology_get(struct neuron_device *ndev,
			 struct neuron_topology_info *out)
{
	mutex_lock(&ndev->topo.lock);
	*out = ndev->topo.info;
	mutex_unlock(&ndev->topo.lock);
}

/**
 * neuron_topology_neighbours() - number of known neighbours
 * @info: a topology snapshot
 *
 * Return: 0..2.
 */
unsigned int neuron_topology_neighbours(const struct neuron_topology_info *info)
{
	return (info->east != DRM_NEURON_NO_NEIGHBOUR) +
	       (info->west != DRM_NEURON_NO_NEIGHBOUR);
}
