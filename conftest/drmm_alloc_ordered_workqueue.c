// SPDX-License-Identifier: GPL-2.0-only
/* drmm_alloc_ordered_workqueue() exists (7.x). */
#include <drm/drm_managed.h>

static __maybe_unused struct workqueue_struct *probe(struct drm_device *drm)
{
	return drmm_alloc_ordered_workqueue(drm, "probe", 0);
}
