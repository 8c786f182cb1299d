// SPDX-License-Identifier: GPL-2.0-only
/* struct drm_sched_backend_ops has .cancel_job (6.17+). */
#include <drm/gpu_scheduler.h>

static void probe_cancel(struct drm_sched_job *job)
{
}

static const struct drm_sched_backend_ops probe __maybe_unused = {
	.cancel_job = probe_cancel,
};
