/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Firmware readiness and Neuron Pipe neighbours.
 */
#ifndef NEURON_TOPOLOGY_H
#define NEURON_TOPOLOGY_H

#include <linux/mutex.h>
#include <linux/types.h>

struct neuron_device;

/**
 * struct neuron_topology_info - what the firmware last said about a device
 * @fw_status: firmware status word (misc 0x1c) as last read
 * @east: device index of the east neighbour, or DRM_NEURON_NO_NEIGHBOUR
 * @west: device index of the west neighbour, or DRM_NEURON_NO_NEIGHBOUR
 * @valid: the fields above have been read at least once
 */
struct neuron_topology_info {
	u32 fw_status;
	u32 east;
	u32 west;
	bool valid;
};

/**
 * struct neuron_topology - cached readiness and topology of a device
 * @lock: protects @info
 * @info: the cache
 */
struct neuron_topology {
	struct mutex lock;	/* protects @info */
	struct neuron_topology_info info;
};

int neuron_topology_init(struct neuron_device *ndev);
int neuron_topology_refresh(struct neuron_device *ndev,
			    struct neuron_topology_info *out);
int neuron_topology_read(struct neuron_device *ndev,
			 struct neuron_topology_info *out);
void neuron_topology_get(struct neuron_device *ndev,
			 struct neuron_topology_info *out);
unsigned int neuron_topology_neighbours(const struct neuron_topology_info *info);

#endif /* NEURON_TOPOLOGY_H */
