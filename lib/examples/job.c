// SPDX-License-Identifier: MIT
/* A job with libneuron: host -> device DRAM -> host, checked (libneuron.rst). */
#include <libneuron.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct neuron_device *dev;
	struct neuron_bo *src, *dst, *dram;
	struct neuron_job *job;
	struct neuron_fences f = { 0 };
	uint32_t queue, done;
	char *in, *out;

	if (neuron_open_index(0, &dev) ||
	    neuron_bo_create(dev, 4096, DRM_NEURON_BO_DOMAIN_HOST, &src) ||
	    neuron_bo_create(dev, 4096, DRM_NEURON_BO_DOMAIN_HOST, &dst) ||
	    neuron_bo_create(dev, 4096, DRM_NEURON_BO_DOMAIN_DEVICE, &dram) ||
	    neuron_bo_map(src, (void **)&in) || neuron_bo_map(dst, (void **)&out) ||
	    neuron_queue_create(dev, 0, 0, 0, &queue) || neuron_syncobj_create(dev, 0, &done) ||
	    neuron_job_create(&job))
		goto fail;
	strcpy(in, "hello, Inferentia");
	f.out = (struct drm_neuron_sync){ .handle = done, .point = 1 };	/* a timeline point */
	if (neuron_job_copy(job, dram, 0, src, 0, 4096) || neuron_job_barrier(job) ||
	    neuron_job_copy(job, dst, 0, dram, 0, 4096) || neuron_submit(dev, queue, job, &f) ||
	    neuron_syncobj_wait(dev, done, 1, 10 * 1000000000LL))
		goto fail;
	puts(strcmp(out, in) ? "MISMATCH" : "ok");
	return 0;
fail:
	fprintf(stderr, "%s\n", neuron_last_error());
	return 1;
}
