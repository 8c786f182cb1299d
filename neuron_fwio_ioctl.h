/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Firmware mailbox ioctls for applications: allow-listed register reads
 * and statistics posts.
 */
#ifndef NEURON_FWIO_IOCTL_H
#define NEURON_FWIO_IOCTL_H

#include <linux/types.h>

struct drm_device;
struct drm_file;

bool neuron_fwio_addr_allowed(u64 addr);
int neuron_ioctl_fwio_read(struct drm_device *drm, void *data,
			   struct drm_file *file);
int neuron_ioctl_stats_post(struct drm_device *drm, void *data,
			    struct drm_file *file);

#endif /* NEURON_FWIO_IOCTL_H */
