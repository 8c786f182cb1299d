/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Buffer objects: host memory (GEM shmem) and device DRAM.
 */
#ifndef NEURON_GEM_H
#define NEURON_GEM_H

#include <drm/drm_gem.h>
#include <drm/drm_mm.h>

struct drm_file;
struct drm_printer;
struct neuron_device;
struct seq_file;
struct sg_table;

/**
 * struct neuron_dram_bo - a device DRAM buffer object
 * @base: GEM object (private: no shmem file, not CPU-mappable)
 * @node: the DRAM range, channel-relative
 * @channel: DRAM channel
 * @size: usable size (256-byte granules); GEM wants @base.size page-aligned
 * @poisoned: clearing failed: every DMA using the BO fails with -EIO, so
 *	that nobody reads what a previous owner left
 * @clear: the finished fence of its clearing; an error on it (the clear
 *	never ran: its client was killed first) poisons the BO too
 * @exported: a dma-buf was made of it: a neighbour may use it (this
 *	stays true after the exporter's handles, and the GEM object's
 *	cached dma-buf pointer, are gone)
 */
struct neuron_dram_bo {
	struct drm_gem_object base;
	struct drm_mm_node node;
	int channel;
	u64 size;
	bool poisoned;
	struct dma_fence *clear;
	bool exported;
};

bool neuron_bo_is_device(const struct drm_gem_object *obj);
u64 neuron_bo_dram_addr(struct drm_gem_object *obj);
u64 neuron_bo_dev_addr(struct drm_gem_object *obj);
int neuron_bo_nc(struct drm_gem_object *obj);
bool neuron_bo_read_only(struct drm_gem_object *obj);
int neuron_gem_handle_open(struct drm_gem_object *obj, struct drm_file *file);
void neuron_gem_handle_close(struct drm_gem_object *obj, struct drm_file *file);
u64 neuron_bo_size(struct drm_gem_object *obj);
bool neuron_bo_poisoned(struct drm_gem_object *obj);
void neuron_bo_poison(struct drm_gem_object *obj);
void neuron_bo_set_clear(struct drm_gem_object *obj, struct dma_fence *fence);

int neuron_ioctl_bo_create(struct drm_device *drm, void *data,
			   struct drm_file *file);
int neuron_ioctl_bo_info(struct drm_device *drm, void *data,
			 struct drm_file *file);
int neuron_ioctl_bo_wait(struct drm_device *drm, void *data,
			 struct drm_file *file);

void neuron_gem_show_fdinfo(struct drm_printer *p, struct drm_file *file);
void neuron_gem_show_clients(struct neuron_device *ndev, struct seq_file *m);

#endif /* NEURON_GEM_H */
