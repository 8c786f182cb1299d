/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NEURON_SYSFS_H
#define NEURON_SYSFS_H

struct attribute_group;

extern const struct attribute_group *neuron_sysfs_groups[];

#endif /* NEURON_SYSFS_H */
