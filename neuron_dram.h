/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device DRAM allocator: one drm_mm per 4 GiB channel, 256-byte granule.
 */
#ifndef NEURON_DRAM_H
#define NEURON_DRAM_H

#include <linux/mutex.h>
#include <linux/types.h>

#include <drm/drm_mm.h>

#include "v1/address_map.h"

struct neuron_device;
struct seq_file;

/* Allocation granule, and the reserved start of channel 0 (address 0). */
#define NEURON_DRAM_GRANULE	256

/**
 * struct neuron_dram - the device's DRAM ranges
 * @lock: protects @mm and @used
 * @mm: free/used ranges of each channel, channel-relative
 * @used: bytes handed out per channel
 */
struct neuron_dram {
	struct mutex lock; /* @mm, @used */
	struct drm_mm mm[V1_DRAM_CHANNELS];
	u64 used[V1_DRAM_CHANNELS];
};

int neuron_dram_init(struct neuron_device *ndev);
int neuron_dram_alloc(struct neuron_device *ndev, struct drm_mm_node *node,
		      u64 size, u32 channel, u32 nc, int *out_channel);
void neuron_dram_free(struct neuron_device *ndev, struct drm_mm_node *node,
		      int channel);
u64 neuron_dram_dev_addr(int channel, u64 offset);
int neuron_dram_nc_of(u64 offset);
void neuron_dram_show(struct neuron_device *ndev, struct seq_file *m);

#endif /* NEURON_DRAM_H */
