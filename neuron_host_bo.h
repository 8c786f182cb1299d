/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host BOs: GEM shmem objects and their DMA mapping for the device.
 */
#ifndef NEURON_HOST_BO_H
#define NEURON_HOST_BO_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct dma_buf;
struct drm_device;
struct drm_gem_object;
struct neuron_device;
struct sg_table;

/**
 * struct neuron_host_bos - host BOs whose pages are DMA-mapped
 * @lock: protects @mapped
 * @mapped: BOs with an sg table mapped for this device by the driver
 */
struct neuron_host_bos {
	struct mutex lock; /* @mapped */
	struct list_head mapped;
};

struct drm_gem_object *neuron_gem_create_object(struct drm_device *drm, size_t size);
struct sg_table *neuron_bo_sgt(struct drm_gem_object *obj);
bool neuron_host_bo_read_only(struct drm_gem_object *obj);
struct drm_gem_object *neuron_host_bo_import_read_only(struct drm_device *drm,
						       struct dma_buf *dmabuf);
int neuron_host_bo_init(struct neuron_device *ndev);
void neuron_host_bo_remove(struct neuron_device *ndev);

#endif /* NEURON_HOST_BO_H */
