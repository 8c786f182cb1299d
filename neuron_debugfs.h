/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NEURON_DEBUGFS_H
#define NEURON_DEBUGFS_H

struct neuron_device;

void neuron_debugfs_init(struct neuron_device *ndev);

#endif /* NEURON_DEBUGFS_H */
