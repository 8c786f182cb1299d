/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NeuronCore semaphores and events for applications.
 */
#ifndef NEURON_NCSYNC_H
#define NEURON_NCSYNC_H

struct drm_device;
struct drm_file;

int neuron_ioctl_semaphore(struct drm_device *drm, void *data,
			   struct drm_file *file);
int neuron_ioctl_event(struct drm_device *drm, void *data,
		       struct drm_file *file);

#endif /* NEURON_NCSYNC_H */
