/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * libneuron's private declarations: the objects behind the public opaque
 * types and the helpers every file uses.
 */
#ifndef LIBNEURON_INTERNAL_H
#define LIBNEURON_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "libneuron.h"

/* Nothing below is exported: the ABI is libneuron.h. */
#pragma GCC visibility push(hidden)

#define NEURON_DRIVER_NAME	"neuron"

struct neuron_device {
	int fd;
	struct drm_neuron_device_info info;
	/*
	 * Every live BO object, so that a PRIME import of a buffer the
	 * device already has (same GEM handle) shares its object.
	 */
	pthread_mutex_t lock;
	struct neuron_bo *bos;
};

struct neuron_bo {
	struct neuron_device *dev;
	struct neuron_bo *next;		/* in dev->bos */
	unsigned int refs;		/* imports of the same handle */
	uint32_t handle;
	uint32_t domain;
	uint32_t flags;
	uint64_t size;
	uint64_t mmap_offset;
	void *map;
};

/*
 * Record a failure for neuron_last_error() and return -@err (a positive
 * errno), so callers write "return neuron_fail(EINVAL, "size: zero")".
 */
int neuron_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The ioctl, restarted on EINTR/EAGAIN: 0 or -errno (no message set). */
int neuron_ioctl(int fd, unsigned long request, void *arg);
/* CLOCK_MONOTONIC deadline for a relative timeout (INT64_MAX: never). */
int64_t neuron_deadline(int64_t timeout_ns);
int64_t neuron_now_ns(void);
/* The user pointer of a uapi field. */
static inline uint64_t neuron_ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Most in-fences of one request (uapi: in_sync_count 0..64). */
#define NEURON_MAX_IN_SYNCS	64

/*
 * Check @f (NULL: no fences) for a request named @what; @sync_file_ok
 * says whether the request can return a sync_file.
 */
int neuron_check_fences(const struct neuron_fences *f, bool sync_file_ok, const char *what);

/* The device of the job's BOs (NULL while it has none). */
struct neuron_device *neuron_job_device(const struct neuron_job *job);

/* Add the BO object to its device's list (new object), or take a reference. */
void neuron_bo_track(struct neuron_bo *bo);

#pragma GCC visibility pop

#endif /* LIBNEURON_INTERNAL_H */
