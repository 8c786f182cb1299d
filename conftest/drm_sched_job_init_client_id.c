// SPDX-License-Identifier: GPL-2.0-only
/* drm_sched_job_init() takes a drm_client_id (7.3, 6.12.105+). */
#include <drm/gpu_scheduler.h>

static int __maybe_unused probe(struct drm_sched_job *job, struct drm_sched_entity *entity)
{
	return drm_sched_job_init(job, entity, 1, NULL, 0);
}
