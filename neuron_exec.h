/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The execution ioctls: queues, programs, SUBMIT, COPY and FILL.
 */
#ifndef NEURON_EXEC_H
#define NEURON_EXEC_H

struct drm_device;
struct drm_file;
struct drm_gem_object;

int neuron_ioctl_queue_create(struct drm_device *drm, void *data,
			      struct drm_file *file);
int neuron_ioctl_queue_destroy(struct drm_device *drm, void *data,
			       struct drm_file *file);
int neuron_ioctl_program_create(struct drm_device *drm, void *data,
				struct drm_file *file);
int neuron_ioctl_program_destroy(struct drm_device *drm, void *data,
				 struct drm_file *file);
int neuron_ioctl_submit(struct drm_device *drm, void *data,
			struct drm_file *file);
int neuron_ioctl_copy(struct drm_device *drm, void *data, struct drm_file *file);
int neuron_ioctl_fill(struct drm_device *drm, void *data, struct drm_file *file);
int neuron_exec_clear_bo(struct drm_file *file, struct drm_gem_object *obj);

#endif /* NEURON_EXEC_H */
