/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels neuron supports (7.3 and 6.12 LTS).
 *
 * The driver is written against the 7.3 API.  Where an older kernel differs,
 * this header maps the 7.3 form onto it.  It keys on the Kbuild feature
 * probes in conftest/ (results in the generated neuron_compat_probed.h), not
 * on version numbers, because the 6.12.y stable line backports scheduler
 * API changes piecemeal.
 */
#ifndef NEURON_COMPAT_H
#define NEURON_COMPAT_H

#include <linux/dma-fence.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/gpu_scheduler.h>

#include "neuron_compat_probed.h"

/*
 * CRC-32C: 7.x declares crc32c() in <linux/crc32.h> (built in); before, it
 * was <linux/crc32c.h> and the libcrc32c module.  <linux/crc32c.h> exists in
 * both, as a wrapper on 7.x.
 */
#ifdef NEURON_HAVE_CRC32C_IN_CRC32_H
#include <linux/crc32.h>
#else
#include <linux/crc32c.h>
#endif

/*
 * MODULE_IMPORT_NS() takes a string literal since 6.13 and a bare token
 * before.  NEURON_IMPORT_NS(DMA_BUF) works with both.
 */
#ifdef NEURON_HAVE_MODULE_IMPORT_NS_BARE
#define NEURON_IMPORT_NS(ns)	MODULE_IMPORT_NS(ns)
#else
#define NEURON_IMPORT_NS(ns)	MODULE_IMPORT_NS(__stringify(ns))
#endif

#ifndef NEURON_HAVE_COPY_STRUCT_TO_USER
/*
 * copy_struct_to_user() - 6.13's helper for extensible structs: copy
 * min(@usize, @ksize) bytes and zero the rest of a larger user buffer.
 */
static inline int copy_struct_to_user(void __user *dst, size_t usize,
				      const void *src, size_t ksize,
				      bool *ignored_trailing)
{
	size_t size = min(ksize, usize);

	if (usize > ksize && clear_user(dst + ksize, usize - ksize))
		return -EFAULT;
	if (copy_to_user(dst, src, size))
		return -EFAULT;
	if (ignored_trailing)
		*ignored_trailing = ksize > usize &&
			memchr_inv(src + size, 0, ksize - size);
	return 0;
}
#endif

#ifndef NEURON_HAVE_DRM_GEM_OBJECT_ACTIVE
/* 6.12's drm_print_memory_stats() prints drm-active-* without asking. */
#define DRM_GEM_OBJECT_ACTIVE	0
#endif

/*
 * A timeout handler that finds nothing to reset gives the job back to the
 * scheduler.  7.3 does that for NO_HANG; 6.12 expects the driver to put
 * the job back on the pending list itself (it took it off).
 */
static inline enum drm_gpu_sched_stat neuron_sched_no_hang(struct drm_sched_job *job)
{
#ifdef NEURON_HAVE_DRM_SCHED_STAT_NO_HANG
	return DRM_GPU_SCHED_STAT_NO_HANG;
#else
	struct drm_gpu_scheduler *sched = job->sched;

	spin_lock(&sched->job_list_lock);
	list_add(&job->list, &sched->pending_list);
	spin_unlock(&sched->job_list_lock);
	return DRM_GPU_SCHED_STAT_NOMINAL;
#endif
}

/*
 * After drm_sched_fini(): 7.3 has freed every pending job through
 * .cancel_job and .free_job; 6.12 leaves them on the pending list (their
 * fences are all signalled by then), so free them here.
 */
static inline void neuron_sched_free_leftovers(struct drm_gpu_scheduler *sched)
{
#ifndef NEURON_HAVE_DRM_SCHED_CANCEL_JOB
	struct drm_sched_job *job, *tmp;

	list_for_each_entry_safe(job, tmp, &sched->pending_list, list) {
		list_del_init(&job->list);
		sched->ops->free_job(job);
	}
#endif
}

/* hrtimer_setup() (6.13+) or hrtimer_init() and the callback field. */
static inline void neuron_hrtimer_setup(struct hrtimer *t,
					enum hrtimer_restart (*fn)(struct hrtimer *))
{
#ifdef NEURON_HAVE_HRTIMER_SETUP
	hrtimer_setup(t, fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
#else
	hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	t->function = fn;
#endif
}

#endif /* NEURON_COMPAT_H */
