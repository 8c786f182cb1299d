/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Neuron Pipe transfers: device BOs shared with a neighbouring device.
 */
#ifndef NEURON_PEER_H
#define NEURON_PEER_H

#include <linux/types.h>

struct dma_buf;
struct drm_device;
struct drm_gem_object;
struct neuron_device;

bool neuron_bo_is_peer(const struct drm_gem_object *obj);
struct drm_gem_object *neuron_peer_owner(struct drm_gem_object *obj);
u64 neuron_peer_prefix(struct drm_gem_object *obj);
bool neuron_peer_read_only(struct drm_gem_object *obj);
bool neuron_peer_gone(struct drm_gem_object *obj);
struct dma_buf *neuron_dram_bo_export(struct drm_gem_object *obj, int flags);
struct drm_gem_object *neuron_gem_prime_import(struct drm_device *drm,
					       struct dma_buf *dmabuf);
void neuron_peer_remove(struct neuron_device *ndev);

#endif /* NEURON_PEER_H */
