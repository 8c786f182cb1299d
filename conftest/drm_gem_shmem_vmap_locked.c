// SPDX-License-Identifier: GPL-2.0-only
/* The shmem helper names its resv-locked vmap drm_gem_shmem_vmap_locked(). */
#include <drm/drm_gem_shmem_helper.h>

static int __maybe_unused probe(struct drm_gem_shmem_object *shmem, struct iosys_map *map)
{
	return drm_gem_shmem_vmap_locked(shmem, map);
}
