// SPDX-License-Identifier: GPL-2.0-only
/* enum drm_gpu_sched_stat has RESET and NO_HANG (6.17+) instead of NOMINAL. */
#include <drm/gpu_scheduler.h>

static const enum drm_gpu_sched_stat probe[] __maybe_unused = {
	DRM_GPU_SCHED_STAT_RESET,
	DRM_GPU_SCHED_STAT_NO_HANG,
};
