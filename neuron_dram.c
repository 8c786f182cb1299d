// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device DRAM allocator.
 *
 * Each 4 GiB channel is one drm_mm of 256-byte granules.  A channel is
 * split into four 1 GiB quarters, one per NeuronCore (as the legacy
 * driver's four regions per channel): a NeuronCore hint first tries its
 * quarter, then the whole channel.  Without a channel hint, channel 0 is
 * tried first, then channel 1.  The first 256 bytes of channel 0 are never
 * handed out: device address 0 is the legacy failure value and some
 * firmware treats it as "no buffer".
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/seq_file.h>

#include <drm/drm_managed.h>
#include <drm/drm_mm.h>

#include "neuron_dram.h"
#include "neuron_drv.h"
#include "uapi/drm/neuron_accel.h"

#define NEURON_DRAM_QUARTER	(V1_DRAM_CHANNEL_SIZE / V1_NC_PER_DEVICE)

static void neuron_dram_release(struct drm_device *drm, void *data)
{
	struct neuron_dram *dram = data;
	int ch;

	for (ch = 0; ch < V1_DRAM_CHANNELS; ch++)
		drm_mm_takedown(&dram->mm[ch]);
	mutex_destroy(&dram->lock);
}

/**
 * neuron_dram_init() - set up the DRAM allocator of a device
 * @ndev: the device
 *
 * Released with the DRM device, after every buffer object is gone.
 *
 * Return: 0 or a negative errno.
 */
int neuron_dram_init(struct neuron_device *ndev)
{
	struct neuron_dram *dram;

	dram = drmm_kzalloc(&ndev->drm, sizeof(*dram), GFP_KERNEL);
	if (!dram)
		return -ENOMEM;
	mutex_init(&dram->lock);
	drm_mm_init(&dram->mm[0], NEURON_DRAM_GRANULE,
		    V1_DRAM_CHANNEL_SIZE - NEURON_DRAM_GRANULE);
	drm_mm_init(&dram->mm[1], 0, V1_DRAM_CHANNEL_SIZE);
	ndev->dram = dram;
	return drmm_add_action_or_reset(&ndev->drm, neuron_dram_release, dram);
}

static int neuron_dram_try(struct neuron_dram *dram, struct drm_mm_node *node,
			   u64 size, int ch, u32 nc)
{
	u64 start = 0, end = V1_DRAM_CHANNEL_SIZE;

	if (nc != DRM_NEURON_ANY) {
		start = nc * NEURON_DRAM_QUARTER;
		end = start + NEURON_DRAM_QUARTER;
	}
	return drm_mm_insert_node_in_range(&dram->mm[ch], node, size,
					   NEURON_DRAM_GRANULE, 0, start, end,
					   DRM_MM_INSERT_BEST);
}

/**
 * neuron_dram_alloc() - allocate a DRAM range
 * @ndev: the device
 * @node: zeroed node to fill in
 * @size: bytes, a multiple of %NEURON_DRAM_GRANULE
 * @channel: channel, or %DRM_NEURON_ANY
 * @nc: preferred NeuronCore quarter, or %DRM_NEURON_ANY
 * @out_channel: the channel used
 *
 * Return: 0, or -ENOSPC when nothing fits.
 */
int neuron_dram_alloc(struct neuron_device *ndev, struct drm_mm_node *node,
		      u64 size, u32 channel, u32 nc, int *out_channel)
{
	struct neuron_dram *dram = ndev->dram;
	int first = channel == DRM_NEURON_ANY ? 0 : channel;
	int last = channel == DRM_NEURON_ANY ? V1_DRAM_CHANNELS - 1 : channel;
	int ch, ret = -ENOSPC;

	mutex_lock(&dram->lock);
	for (ch = first; ch <= last && ret; ch++) {
		if (nc != DRM_NEURON_ANY)
			ret = neuron_dram_try(dram, node, size, ch, nc);
		if (ret)
			ret = neuron_dram_try(dram, node, size, ch, DRM_NEURON_ANY);
		if (!ret) {
			dram->used[ch] += size;
			*out_channel = ch;
		}
	}
	mutex_unlock(&dram->lock);
	return ret ? -ENOSPC : 0;
}

/**
 * neuron_dram_free() - return a range allocated by neuron_dram_alloc()
 * @ndev: the device
 * @node: the allocated node
 * @channel: its channel
 */
void neuron_dram_free(struct neuron_device *ndev, struct drm_mm_node *node,
		      int channel)
{
	struct neuron_dram *dram = ndev->dram;

	mutex_lock(&dram->lock);
	dram->used[channel] -= node->size;
	drm_mm_remove_node(node);
	mutex_unlock(&dram->lock);
}

/**
 * neuron_dram_dev_addr() - device address of a channel offset
 * @channel: DRAM channel
 * @offset: offset in the channel
 *
 * Return: the address the UDMA engines use.
 */
u64 neuron_dram_dev_addr(int channel, u64 offset)
{
	return (channel ? V1_DRAM_CH1_BASE : V1_DRAM_CH0_BASE) + offset;
}

/**
 * neuron_dram_nc_of() - NeuronCore whose quarter holds a channel offset
 * @offset: offset in the channel
 *
 * Return: 0..3.
 */
int neuron_dram_nc_of(u64 offset)
{
	return offset / NEURON_DRAM_QUARTER;
}

/**
 * neuron_dram_show() - debugfs: DRAM usage per channel
 * @ndev: the device
 * @m: output
 */
void neuron_dram_show(struct neuron_device *ndev, struct seq_file *m)
{
	struct neuron_dram *dram = ndev->dram;
	int ch;

	mutex_lock(&dram->lock);
	for (ch = 0; ch < V1_DRAM_CHANNELS; ch++)
		seq_printf(m, "channel%d:\tused %llu\tsize %llu\n", ch,
			   dram->used[ch], V1_DRAM_CHANNEL_SIZE);
	mutex_unlock(&dram->lock);
}
