// SPDX-License-Identifier: GPL-2.0-only
/* drm_sched_start() takes an errno for jobs without a hardware fence (6.13+). */
#include <drm/gpu_scheduler.h>

static void __maybe_unused probe(struct drm_gpu_scheduler *sched)
{
	drm_sched_start(sched, -ECANCELED);
}
