// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Helpers of the libneuron tests: data patterns, BOs, a controllable fence.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <drm/vgem_drm.h>
#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "t.h"
#include "model/nc_model.h"

int64_t t_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void t_pattern(void *buf, size_t size, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
	uint8_t *p = buf;

	for (size_t i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)(x >> 24);
	}
}

struct neuron_bo *t_host_bo(struct neuron_device *dev, uint64_t size, uint8_t **map)
{
	struct neuron_bo *bo;
	void *p;

	CHECK_OK(neuron_bo_create(dev, size, DRM_NEURON_BO_DOMAIN_HOST, &bo));
	CHECK_OK(neuron_bo_map(bo, &p));
	*map = p;
	return bo;
}

struct neuron_bo *t_dev_bo(struct neuron_device *dev, uint64_t size)
{
	struct neuron_bo *bo;

	CHECK_OK(neuron_bo_create(dev, size, DRM_NEURON_BO_DOMAIN_DEVICE, &bo));
	return bo;
}

void t_same(const char *file, int line, const uint8_t *got, const uint8_t *want, size_t n)
{
	if (!memcmp(got, want, n))
		return;
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i])
			t_fail(file, line, "byte %zu is %#x, expected %#x", i, got[i], want[i]);
}

struct neuron_device *t_open_index(uint32_t index)
{
	struct neuron_device *dev;

	CHECK_OK(neuron_open_index(index, &dev));
	return dev;
}

void t_nc_record(uint8_t *p, uint32_t op, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t w[4] = { NC_OP_MAGIC | op, a, b, c };

	memcpy(p, w, sizeof(w));
}

static int gate_fd = -1;
static uint32_t gate_fence;

/* vgem's node, if the module is loaded. */
int t_vgem_fd(void)
{
	char path[64];

	for (int i = 0; i < 64; i++) {
		drmVersionPtr v;
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && v->name && !strcmp(v->name, "vgem")) {
			drmFreeVersion(v);
			return fd;
		}
		drmFreeVersion(v);
		close(fd);
	}
	return -1;
}

int t_gate_new(void)
{
	struct drm_mode_create_dumb dumb = { .width = 64, .height = 1, .bpp = 32 };
	struct drm_vgem_fence_attach attach = { .flags = VGEM_FENCE_WRITE };
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
	int buf;

	gate_fd = t_vgem_fd();
	if (gate_fd < 0)
		SKIP("no vgem device (modprobe vgem) for a controllable fence");
	CHECK(drmIoctl(gate_fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb) == 0);
	attach.handle = dumb.handle;
	CHECK(drmIoctl(gate_fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach) == 0);
	gate_fence = attach.out_fence;
	CHECK(drmPrimeHandleToFD(gate_fd, dumb.handle, DRM_CLOEXEC, &buf) == 0);
	/* Reading waits for the writer: the sync_file holds the vgem fence. */
	CHECK(drmIoctl(buf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp) == 0);
	close(buf);
	return exp.fd;
}

void t_gate_open(void)
{
	struct drm_vgem_fence_signal sig = { .fence = gate_fence };

	CHECK(drmIoctl(gate_fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig) == 0);
}
