// SPDX-License-Identifier: GPL-2.0-only
/* drm_sched_init() takes struct drm_sched_init_args (7.3, 6.12.115+). */
#include <drm/gpu_scheduler.h>

static int __maybe_unused probe(struct drm_gpu_scheduler *sched)
{
	const struct drm_sched_init_args args = { .num_rqs = 1 };

	return drm_sched_init(sched, &args);
}
