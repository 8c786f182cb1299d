// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Queue objects, SUBMIT and programs.  The kernel validates everything
 * again; the checks here exist to name the culprit in the message.
 */
#include <errno.h>

#include "internal.h"

int neuron_queue_create(struct neuron_device *dev, uint32_t nc, uint32_t engine,
			uint32_t queue, uint32_t *handle)
{
	struct drm_neuron_queue_create c = { .nc = nc, .engine = engine, .queue = queue };
	int ret;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!handle)
		return neuron_fail(EINVAL, "handle: NULL");
	if (nc >= dev->info.nc_count)
		return neuron_fail(EINVAL, "nc: %u, the device has %u", nc, dev->info.nc_count);
	if (engine >= dev->info.dma_engines_per_nc)
		return neuron_fail(EINVAL, "engine: %u, a NeuronCore has %u", engine,
				   dev->info.dma_engines_per_nc);
	if (queue >= dev->info.queues_per_engine)
		return neuron_fail(EINVAL, "queue: %u, an engine has %u", queue,
				   dev->info.queues_per_engine);
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &c);
	if (ret == -EINVAL)
		return neuron_fail(EINVAL, "queue: nc %u engine %u queue %u refused (the copy "
				   "queue is the driver's)", nc, engine, queue);
	if (ret)
		return neuron_fail(-ret, "QUEUE_CREATE failed");
	*handle = c.handle;
	return 0;
}

int neuron_queue_destroy(struct neuron_device *dev, uint32_t handle)
{
	struct drm_neuron_queue_destroy d = { .handle = handle };
	int ret;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_QUEUE_DESTROY, &d);
	if (ret == -ENOENT)
		return neuron_fail(ENOENT, "handle: no queue %u", handle);
	return ret ? neuron_fail(-ret, "QUEUE_DESTROY failed") : 0;
}

static int check_job(struct neuron_device *dev, const struct neuron_job *job)
{
	struct neuron_device *jdev;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!job)
		return neuron_fail(EINVAL, "job: NULL");
	if (!neuron_job_tx_count(job))
		return neuron_fail(EINVAL, "job: no descriptors");
	jdev = neuron_job_device(job);
	if (jdev && jdev != dev)
		return neuron_fail(EXDEV, "job: its BOs belong to another device");
	return 0;
}

static int do_submit(struct neuron_device *dev, struct drm_neuron_submit *s,
		     const struct neuron_fences *f)
{
	int ret = neuron_check_fences(f, true, "f");

	if (ret)
		return ret;
	if (f) {
		s->in_syncs = neuron_ptr(f->in);
		s->in_sync_count = f->in_count;
		s->out_sync = f->out;
		if (f->sync_file)
			s->flags |= DRM_NEURON_SUBMIT_OUT_FENCE_FD;
	}
	s->out_fence_fd = -1;
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_SUBMIT, s);
	if (f && f->sync_file)
		*f->sync_file = s->out_fence_fd;
	switch (ret) {
	case 0:
		return 0;
	case -ECANCELED:
		return neuron_fail(ECANCELED, "queue: %u is guilty (a job of it failed); "
				   "destroy it and create another", s->queue);
	case -ENOENT:
		return neuron_fail(ENOENT, "queue %u, program %u or a syncobj of f: unknown "
				   "handle", s->queue, s->program);
	case -EINVAL:
		if (s->program)
			return neuron_fail(EINVAL, "program: %u refused on queue %u (another "
					   "NeuronCore's?)", s->program, s->queue);
		return neuron_fail(EINVAL, "job: descriptors refused by the kernel");
	}
	return neuron_fail(-ret, "SUBMIT failed");
}

int neuron_submit(struct neuron_device *dev, uint32_t queue, const struct neuron_job *job,
		  const struct neuron_fences *f)
{
	struct drm_neuron_submit s = { .queue = queue };
	int ret = check_job(dev, job);

	if (ret)
		return ret;
	s.bo_handles = neuron_ptr(neuron_job_bo_handles(job));
	s.bo_count = neuron_job_bo_count(job);
	s.tx = neuron_ptr(neuron_job_tx(job));
	s.tx_count = neuron_job_tx_count(job);
	s.rx = neuron_ptr(neuron_job_rx(job));
	s.rx_count = neuron_job_rx_count(job);
	return do_submit(dev, &s, f);
}

int neuron_submit_program(struct neuron_device *dev, uint32_t queue, uint32_t program,
			  const struct neuron_fences *f)
{
	struct drm_neuron_submit s = { .queue = queue, .program = program };

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!program)
		return neuron_fail(EINVAL, "program: zero");
	return do_submit(dev, &s, f);
}

int neuron_program_create(struct neuron_device *dev, uint32_t nc,
			  const struct neuron_job *job, uint32_t *handle)
{
	struct drm_neuron_program_create c = { .nc = nc };
	int ret = check_job(dev, job);

	if (ret)
		return ret;
	if (!handle)
		return neuron_fail(EINVAL, "handle: NULL");
	if (nc >= dev->info.nc_count)
		return neuron_fail(EINVAL, "nc: %u, the device has %u", nc, dev->info.nc_count);
	c.bo_handles = neuron_ptr(neuron_job_bo_handles(job));
	c.bo_count = neuron_job_bo_count(job);
	c.tx = neuron_ptr(neuron_job_tx(job));
	c.tx_count = neuron_job_tx_count(job);
	c.rx = neuron_ptr(neuron_job_rx(job));
	c.rx_count = neuron_job_rx_count(job);
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_PROGRAM_CREATE, &c);
	if (ret)
		return neuron_fail(-ret, "PROGRAM_CREATE for nc %u failed", nc);
	*handle = c.handle;
	return 0;
}

int neuron_program_destroy(struct neuron_device *dev, uint32_t handle)
{
	struct drm_neuron_program_destroy d = { .handle = handle };
	int ret;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_PROGRAM_DESTROY, &d);
	if (ret == -ENOENT)
		return neuron_fail(ENOENT, "handle: no program %u", handle);
	return ret ? neuron_fail(-ret, "PROGRAM_DESTROY failed") : 0;
}
