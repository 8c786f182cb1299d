// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Buffer objects, copies, fills and dma-buf sharing.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "t.h"
#include "tests.h"

#define HOST DRM_NEURON_BO_DOMAIN_HOST
#define DEV DRM_NEURON_BO_DOMAIN_DEVICE

/* BO_INFO straight through the uapi, to see what the library closed. */
static int raw_info(struct neuron_device *dev, uint32_t handle)
{
	struct drm_neuron_bo_info i = { .handle = handle };

	return ioctl(neuron_device_fd(dev), DRM_IOCTL_NEURON_BO_INFO, &i) ? -errno : 0;
}

void test_bo_host(void)
{
	struct drm_neuron_bo_info info;
	struct neuron_bo *bo;
	uint8_t want[8192];
	void *p, *q;
	uint32_t h;

	CHECK_OK(neuron_bo_create(t_dev, 4097, HOST, &bo));
	CHECK_EQ(neuron_bo_size(bo), 8192);
	CHECK_EQ(neuron_bo_domain(bo), HOST);
	CHECK_EQ(neuron_bo_flags(bo), 0);
	CHECK(neuron_bo_device(bo) == t_dev);
	CHECK_OK(neuron_bo_info(bo, &info));
	CHECK_EQ(info.handle, neuron_bo_handle(bo));
	CHECK_EQ(info.size, 8192);
	CHECK(info.mmap_offset != 0);
	CHECK_EQ(info.dram_address, 0);
	CHECK_OK(neuron_bo_map(bo, &p));
	CHECK_OK(neuron_bo_map(bo, &q));
	CHECK(p == q);
	t_pattern(want, sizeof(want), 1);
	memcpy(p, want, sizeof(want));
	/* The pages are the BO's, not the mapping's. */
	CHECK_OK(neuron_bo_unmap(bo));
	CHECK_ERR(neuron_bo_unmap(bo), EINVAL, "not mapped");
	CHECK_OK(neuron_bo_map(bo, &p));
	CHECK_SAME(p, want, sizeof(want));
	CHECK_OK(neuron_bo_wait(bo, 0));
	CHECK_OK(neuron_bo_wait(bo, NEURON_TIMEOUT_INFINITE));
	h = neuron_bo_handle(bo);
	CHECK_EQ(raw_info(t_dev, h), 0);
	CHECK_OK(neuron_bo_destroy(bo));
	CHECK_EQ(raw_info(t_dev, h), -ENOENT);
	CHECK_OK(neuron_bo_destroy(NULL));
}

void test_bo_device(void)
{
	const struct drm_neuron_device_info *di = neuron_device_info(t_dev);
	struct drm_neuron_bo_info info;
	struct neuron_bo *bo, *b2;
	void *p;

	CHECK_OK(neuron_bo_create(t_dev, 100, DEV, &bo));
	CHECK_EQ(neuron_bo_size(bo), 256);
	CHECK_OK(neuron_bo_info(bo, &info));
	CHECK_EQ(info.domain, DEV);
	CHECK_EQ(info.mmap_offset, 0);
	CHECK_ERR(neuron_bo_map(bo, &p), EINVAL, "not a CPU-mappable host BO");
	/* Channel 1's DRAM starts at 0x1000000000 (the device's address map). */
	CHECK_OK(neuron_bo_create_dram(t_dev, 4096, 1, 2, &b2));
	CHECK_OK(neuron_bo_info(b2, &info));
	CHECK(info.dram_address >= 0x1000000000ull && info.dram_address < 0x1100000000ull);
	CHECK_OK(neuron_bo_destroy(b2));
	CHECK_OK(neuron_bo_create_dram(t_dev, 4096, 0, DRM_NEURON_ANY, &b2));
	CHECK_OK(neuron_bo_info(b2, &info));
	CHECK(info.dram_address < 0x100000000ull);
	CHECK_OK(neuron_bo_destroy(b2));
	CHECK_ERR(neuron_bo_create_dram(t_dev, 4096, di->dram_channels, DRM_NEURON_ANY, &b2),
		  EINVAL, "channel");
	CHECK_ERR(neuron_bo_create_dram(t_dev, 4096, 0, di->nc_count, &b2), EINVAL, "nc");
	/* Larger than one 4 GiB channel. */
	CHECK_ERR(neuron_bo_create(t_dev, (5ull << 30), DEV, &b2), EINVAL, "size");
	CHECK_OK(neuron_bo_destroy(bo));
}

void test_bo_errors(void)
{
	struct neuron_bo *bo = NULL;
	struct drm_neuron_bo_info info;
	void *p;
	int fds[2];

	CHECK_ERR(neuron_bo_create(t_dev, 0, HOST, &bo), EINVAL, "size");
	CHECK(bo == NULL);
	CHECK_ERR(neuron_bo_create(t_dev, 4096, 7, &bo), EINVAL, "domain");
	CHECK_ERR(neuron_bo_create(NULL, 4096, HOST, &bo), EINVAL, "dev");
	CHECK_ERR(neuron_bo_create(t_dev, 4096, HOST, NULL), EINVAL, "bo");
	CHECK_ERR(neuron_bo_info(NULL, &info), EINVAL, "bo");
	CHECK_ERR(neuron_bo_map(NULL, &p), EINVAL, "bo");
	CHECK_ERR(neuron_bo_wait(NULL, 0), EINVAL, "bo");
	CHECK_ERR(neuron_bo_export(NULL, fds), EINVAL, "bo");
	CHECK_ERR(neuron_bo_import(t_dev, -1, &bo), EBADF, "dmabuf_fd");
	/* Not a dma-buf. */
	CHECK_EQ(pipe(fds), 0);
	CHECK(neuron_bo_import(t_dev, fds[0], &bo) < 0);
	CHECK(strstr(neuron_last_error(), "PRIME import"));
	CHECK_EQ(neuron_bo_handle(NULL), 0);
	CHECK_EQ(neuron_bo_size(NULL), 0);
}

/* host -> device -> host at odd offsets; fills; every byte compared. */
void test_copy_fill(void)
{
	const size_t n = 300000;
	uint8_t *a, *b, *want = malloc(n);
	struct neuron_bo *ha = t_host_bo(t_dev, n, &a), *hb = t_host_bo(t_dev, n, &b);
	struct neuron_bo *d = t_dev_bo(t_dev, n);
	uint32_t s;
	struct neuron_fences f = { 0 };

	CHECK_OK(neuron_syncobj_create(t_dev, 0, &s));
	f.out.handle = s;
	t_pattern(a, n, 2);
	memset(b, 0xee, n);
	CHECK_OK(neuron_copy(d, 13, ha, 7, n - 100, DRM_NEURON_ANY, NULL));
	CHECK_OK(neuron_fill(d, 0, 13, 0x42, DRM_NEURON_ANY, NULL));
	CHECK_OK(neuron_copy(hb, 0, d, 0, n, 1, &f));
	CHECK_OK(neuron_syncobj_wait(t_dev, s, 0, 10ll * 1000000000));
	CHECK_EQ(neuron_syncobj_status(t_dev, s, 0), 1);
	memset(want, 0x42, 13);
	memcpy(want + 13, a + 7, n - 100);
	memset(want + 13 + n - 100, 0, 87);	/* device BOs start cleared */
	CHECK_SAME(b, want, n);

	/* A fill on the host BO itself, in its middle. */
	CHECK_OK(neuron_fill(hb, 1000, 5000, 0x99, 0, NULL));
	CHECK_OK(neuron_bo_wait(hb, NEURON_TIMEOUT_INFINITE));
	memset(want + 1000, 0x99, 5000);
	CHECK_SAME(b, want, n);

	/* Refused before anything is queued, naming the culprit. */
	CHECK_ERR(neuron_copy(hb, 0, ha, neuron_bo_size(ha) - 10, 11, DRM_NEURON_ANY, NULL),
		  EINVAL, "src");
	CHECK_ERR(neuron_copy(hb, neuron_bo_size(hb), ha, 0, 1, DRM_NEURON_ANY, NULL), EINVAL,
		  "dst");
	CHECK_ERR(neuron_copy(ha, 100, ha, 0, 200, DRM_NEURON_ANY, NULL), EINVAL, "overlaps");
	CHECK_ERR(neuron_copy(hb, 0, ha, 0, 0, DRM_NEURON_ANY, NULL), EINVAL, "size");
	CHECK_ERR(neuron_copy(hb, 0, ha, 0, 1, 4, NULL), EINVAL, "nc");
	CHECK_ERR(neuron_copy(NULL, 0, ha, 0, 1, 0, NULL), EINVAL, "dst");
	CHECK_ERR(neuron_copy(hb, 0, NULL, 0, 1, 0, NULL), EINVAL, "src");
	CHECK_ERR(neuron_fill(hb, 0, neuron_bo_size(hb) + 1, 0, DRM_NEURON_ANY, NULL), EINVAL,
		  "bo");
	CHECK_ERR(neuron_fill(hb, 0, 0, 0, DRM_NEURON_ANY, NULL), EINVAL, "size");
	CHECK_ERR(neuron_fill(hb, 0, 1, 0, 9, NULL), EINVAL, "nc");
	CHECK_ERR(neuron_fill(NULL, 0, 1, 0, 0, NULL), EINVAL, "bo");
	/* Nothing of the refused requests landed. */
	CHECK_OK(neuron_bo_wait(hb, NEURON_TIMEOUT_INFINITE));
	CHECK_SAME(b, want, n);
	if (t_ndev > 1) {
		struct neuron_node_info *list;
		struct neuron_device *other;
		struct neuron_bo *ob;

		CHECK(neuron_list_devices(&list) > 1);
		CHECK_OK(neuron_open_path(list[1].node, &other));
		CHECK_OK(neuron_bo_create(other, 4096, HOST, &ob));
		CHECK_ERR(neuron_copy(ob, 0, ha, 0, 16, DRM_NEURON_ANY, NULL), EXDEV, "src");
		neuron_close(other);
		neuron_free_devices(list);
	}
	free(want);
}

/*
 * PRIME within the device: an import into the same file is the same object;
 * into another file of the device it is a new handle on the same pages.
 */
void test_prime_host(void)
{
	uint8_t *a, *b;
	struct neuron_bo *ha = t_host_bo(t_dev, 65536, &a), *same, *imp, *hb;
	struct neuron_device *d2;
	struct drm_neuron_bo_info info;
	uint8_t want[65536];
	int fd;

	t_pattern(a, sizeof(want), 3);
	memcpy(want, a, sizeof(want));
	CHECK_OK(neuron_bo_export(ha, &fd));
	CHECK_OK(neuron_bo_import(t_dev, fd, &same));
	CHECK(same == ha);
	/* Two references now: the first destroy keeps the handle open. */
	CHECK_OK(neuron_bo_destroy(same));
	CHECK_EQ(raw_info(t_dev, neuron_bo_handle(ha)), 0);

	CHECK_OK(neuron_open_index(neuron_device_info(t_dev)->device_index, &d2));
	CHECK_OK(neuron_bo_import(d2, fd, &imp));
	close(fd);
	CHECK_EQ(neuron_bo_size(imp), 65536);
	CHECK_OK(neuron_bo_info(imp, &info));
	CHECK_EQ(info.domain, HOST);
	CHECK_OK(neuron_bo_create(d2, 65536, HOST, &hb));
	CHECK_OK(neuron_copy(hb, 0, imp, 0, 65536, DRM_NEURON_ANY, NULL));
	CHECK_OK(neuron_bo_map(hb, (void **)&b));
	CHECK_OK(neuron_bo_wait(hb, NEURON_TIMEOUT_INFINITE));
	CHECK_SAME(b, want, sizeof(want));
	CHECK_OK(neuron_bo_destroy(imp));
	neuron_close(d2);
	CHECK_OK(neuron_bo_destroy(ha));
}

/*
 * Neuron Pipe: a device BO imported by the east neighbour is a peer BO;
 * data written through it on the neighbour is read back on the owner.
 * A device that is not a neighbour is refused with EXDEV.
 */
void test_prime_peer(void)
{
	const struct drm_neuron_device_info *di = neuron_device_info(t_dev);
	struct neuron_node_info *list;
	struct neuron_device *east, *far = NULL;
	struct neuron_bo *d = t_dev_bo(t_dev, 8192), *peer, *src, *dst;
	uint8_t *s, *r, *want = malloc(8192);
	int fd, n;

	if (di->east_neighbour == DRM_NEURON_NO_NEIGHBOUR)
		SKIP("device %u has no east neighbour", di->device_index);
	east = t_open_index(di->east_neighbour);
	CHECK_OK(neuron_bo_export(d, &fd));
	CHECK_OK(neuron_bo_import(east, fd, &peer));
	CHECK(neuron_bo_flags(peer) & DRM_NEURON_BO_PEER);
	CHECK(neuron_bo_flags(peer) & DRM_NEURON_BO_IMPORTED);
	CHECK_EQ(neuron_bo_domain(peer), DEV);
	src = t_host_bo(east, 8192, &s);
	t_pattern(s, 8192, 4);
	memcpy(want, s, 8192);
	CHECK_OK(neuron_copy(peer, 0, src, 0, 8192, DRM_NEURON_ANY, NULL));
	CHECK_OK(neuron_bo_wait(peer, NEURON_TIMEOUT_INFINITE));
	dst = t_host_bo(t_dev, 8192, &r);
	CHECK_OK(neuron_copy(dst, 0, d, 0, 8192, DRM_NEURON_ANY, NULL));
	CHECK_OK(neuron_bo_wait(dst, NEURON_TIMEOUT_INFINITE));
	CHECK_SAME(r, want, 8192);

	n = neuron_list_devices(&list);
	for (int i = 0; i < n && !far; i++)
		if (list[i].device_index != di->device_index &&
		    list[i].device_index != di->east_neighbour &&
		    list[i].device_index != di->west_neighbour)
			CHECK_OK(neuron_open_path(list[i].node, &far));
	neuron_free_devices(list);
	if (far) {
		struct neuron_bo *bad = NULL;

		CHECK_ERR(neuron_bo_import(far, fd, &bad), EXDEV, "not a neighbour");
		CHECK(bad == NULL);
		neuron_close(far);
	}
	close(fd);
	free(want);
	neuron_close(east);
}
