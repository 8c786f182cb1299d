// SPDX-License-Identifier: GPL-2.0-only
/* DRM_GEM_OBJECT_ACTIVE exists (6.14+); 6.12 prints drm-active-* always. */
#include <drm/drm_gem.h>

static int __maybe_unused probe(void)
{
	return DRM_GEM_OBJECT_ACTIVE;
}
