// SPDX-License-Identifier: GPL-2.0-only
/*
 * drm_gem_vmap_unlocked() exists (6.12): there drm_gem_vmap() is the
 * resv-locked variant; later kernels swapped the meaning of drm_gem_vmap().
 */
#include <drm/drm_gem.h>

static int __maybe_unused probe(struct drm_gem_object *obj, struct iosys_map *map)
{
	return drm_gem_vmap_unlocked(obj, map);
}
