// SPDX-License-Identifier: GPL-2.0-only
/*
 * The firmware mailbox for applications: register reads restricted to an
 * allow-list, and statistics posts.
 *
 * The firmware reads any device address it is given: DRAM (other clients'
 * data), host memory (any physical address, through the host prefix), the
 * neighbours' spaces, the ring base registers (kernel DMA addresses).  So
 * every address an application names is checked against a list of
 * harmless registers before any is read: firmware status words, DMA
 * engine and queue state, notification queue heads, TDMA configuration,
 * semaphores and events.  Documentation/neuron/driver.rst lists them.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>

#include "neuron_drv.h"
#include "neuron_fwio.h"
#include "neuron_fwio_ioctl.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/address_map.h"
#include "v1/fwio_regs.h"
#include "v1/putils_regs.h"
#include "v1/tdma_regs.h"
#include "v1/udma_regs.h"

static bool fwio_misc_allowed(u64 off)
{
	switch (off) {
	case MISC_FW_API_VERSION:
	case MISC_FW_STATUS:
	case MISC_DEVICE_ID:
	case MISC_RESET:
		return true;
	}
	return false;
}

/* Queue registers that say where the queue is, never where its ring is. */
static bool fwio_udma_queue_allowed(u64 off)
{
	switch (off % UDMA_Q_STRIDE) {
	case UDMA_Q_STATUS:
	case UDMA_Q_RING_HEAD:
	case UDMA_Q_RING_TAIL:
	case UDMA_Q_COMP_HEAD:
		return true;
	}
	return false;
}

/* @off: offset inside one UDMA engine's 256 KiB window. */
static bool fwio_udma_allowed(u64 off)
{
	switch (off) {
	case UDMA_M2S_STATE:
	case UDMA_S2M_STATE:
	case UDMA_M2S_DMA_VERSION:
		return true;
	}
	if (off >= UDMA_M2S_Q(0) && off < UDMA_M2S_Q(V1_DMA_QUEUES_PER_ENG))
		return fwio_udma_queue_allowed(off - UDMA_M2S_Q(0));
	if (off >= UDMA_S2M_Q(0) && off < UDMA_S2M_Q(V1_DMA_QUEUES_PER_ENG))
		return fwio_udma_queue_allowed(off - UDMA_S2M_Q(0));
	return false;
}

/* @off: offset inside one NeuronCore's PUTILS block: the queue heads. */
static bool fwio_putils_allowed(u64 off)
{
	unsigned int i;

	if (off == PUTILS_NQ_ERROR + PUTILS_NQ_HEAD ||
	    off == PUTILS_NQ_EVENT + PUTILS_NQ_HEAD)
		return true;
	for (i = 0; i < NQ_INSTANCES; i++)
		if (off == PUTILS_NQ_NOTIFY(i) + PUTILS_NQ_HEAD ||
		    off == PUTILS_NQ_TRACE(i) + PUTILS_NQ_HEAD)
			return true;
	return false;
}

/* @off: offset inside BAR0 (the APB window). */
static bool fwio_apb_allowed(u64 off)
{
	u64 nc, blk;

	if (off >= V1_MISC_RAM_OFFSET && off < V1_MISC_RAM_OFFSET + MISC_DOORBELL)
		return fwio_misc_allowed(off - V1_MISC_RAM_OFFSET);
	if (off >= V1_PUTILS_OFFSET(0) && off < V1_PUTILS_OFFSET(V1_NC_PER_DEVICE))
		return fwio_putils_allowed((off - V1_PUTILS_OFFSET(0)) % V1_PUTILS_SIZE);

	nc = off / V1_TDMA_OFFSET(1, 0);
	if (nc >= V1_NC_PER_DEVICE)
		return false;
	blk = off - V1_TDMA_OFFSET(nc, 0);
	if (blk < V1_TDMA_OFFSET(0, V1_DMA_ENG_PER_NC)) {
		switch (blk % V1_TDMA_OFFSET(0, 1)) {
		case TDMA_EVENT_ACCEL:
		case TDMA_ROB_CFG:
		case TDMA_WOB_CFG:
			return true;
		}
		return false;
	}
	if (blk >= V1_UDMA_OFFSET(0, 0) && blk < V1_UDMA_OFFSET(0, V1_DMA_ENG_PER_NC))
		return fwio_udma_allowed((blk - V1_UDMA_OFFSET(0, 0)) % V1_UDMA_WINDOW_SIZE);
	return false;
}

/* @off: offset inside BAR2 (the NeuronCore windows). */
static bool fwio_tpb_allowed(u64 off)
{
	u64 in_nc = off % V1_NC_WINDOW_SIZE;

	if (off >= V1_NC_PER_DEVICE * V1_NC_WINDOW_SIZE)
		return false;
	if (in_nc >= V1_NC_EVENTS && in_nc < V1_NC_EVENTS + V1_EVENTS_PER_NC * 4)
		return true;
	return in_nc >= V1_NC_SEM_READ &&
	       in_nc < V1_NC_SEM_READ + V1_SEMAPHORES_PER_NC * 4;
}

/**
 * neuron_fwio_addr_allowed() - may an application read this address?
 * @addr: a 4-byte aligned device address
 *
 * Only this device's own registers: no DRAM, no host prefix, no neighbour
 * prefix (a neighbour is another device, with its own allow-list and
 * permissions).
 *
 * Return: true if @addr is on the allow-list.
 */
bool neuron_fwio_addr_allowed(u64 addr)
{
	if (addr >= V1_APB_BASE && addr < V1_APB_BASE + V1_APB_SIZE)
		return fwio_apb_allowed(addr - V1_APB_BASE);
	if (addr >= V1_TPB_BASE && addr < V1_APB_BASE)
		return fwio_tpb_allowed(addr - V1_TPB_BASE);
	return false;
}

/**
 * neuron_ioctl_fwio_read() - DRM_IOCTL_NEURON_FWIO_READ
 * @drm: the DRM device
 * @data: &struct drm_neuron_fwio_read
 * @file: the caller's file
 *
 * Every address is validated before any is read, so a refused call has
 * no effect on the device.  The reads go out in requests of at most
 * FWIO_READ_MAX addresses.
 *
 * Return: 0 or a negative errno as the uapi documents.
 */
int neuron_ioctl_fwio_read(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct drm_neuron_fwio_read *args = data;
	u64 *addrs;
	u32 *vals;
	u32 i;
	int ret;

	if (args->flags || !args->count || args->count > DRM_NEURON_FWIO_READ_MAX)
		return -EINVAL;

	addrs = kvmalloc_array(args->count, sizeof(*addrs), NEURON_GFP_CLIENT);
	vals = kvmalloc_array(args->count, sizeof(*vals), NEURON_GFP_CLIENT);
	if (!addrs || !vals) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(addrs, u64_to_user_ptr(args->addrs),
			   array_size(args->count, sizeof(*addrs)))) {
		ret = -EFAULT;
		goto out;
	}
	/* Malformed requests (EINVAL) before forbidden ones (EACCES). */
	for (i = 0; i < args->count; i++) {
		if (addrs[i] & 3) {
			ret = -EINVAL;
			goto out;
		}
	}
	for (i = 0; i < args->count; i++) {
		if (!neuron_fwio_addr_allowed(addrs[i])) {
			ret = -EACCES;
			goto out;
		}
	}

	ret = neuron_fwio_read(ndev, addrs, vals, args->count);
	if (ret)
		goto out;
	if (copy_to_user(u64_to_user_ptr(args->values), vals,
			 array_size(args->count, sizeof(*vals))))
		ret = -EFAULT;
out:
	kvfree(vals);
	kvfree(addrs);
	return ret;
}

/**
 * neuron_ioctl_stats_post() - DRM_IOCTL_NEURON_STATS_POST
 * @drm: the DRM device
 * @data: &struct drm_neuron_stats_post
 * @file: the caller's file
 *
 * Return: 0 or a negative errno as the uapi documents.
 */
int neuron_ioctl_stats_post(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct drm_neuron_stats_post *args = data;
	u8 blob[DRM_NEURON_STATS_POST_MAX];

	BUILD_BUG_ON(DRM_NEURON_STATS_POST_MAX != FWIO_POST_MAX);
	if (args->flags || !args->size || args->size > DRM_NEURON_STATS_POST_MAX)
		return -EINVAL;
	if (copy_from_user(blob, u64_to_user_ptr(args->data), args->size))
		return -EFAULT;
	return neuron_fwio_post(to_neuron_device(drm), blob, args->size);
}
