// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Syncobjs (binary and timeline) and sync_files: create, wait with a
 * timeout, read a fence's status (error included), convert between them.
 * libdrm's syncobj calls restart on EINTR (drmIoctl); its waits take
 * absolute deadlines, so a restarted wait keeps the caller's timeout.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "internal.h"

int neuron_syncobj_create(struct neuron_device *dev, int signaled, uint32_t *handle)
{
	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!handle)
		return neuron_fail(EINVAL, "handle: NULL");
	if (drmSyncobjCreate(dev->fd, signaled ? DRM_SYNCOBJ_CREATE_SIGNALED : 0, handle))
		return neuron_fail(errno, "SYNCOBJ_CREATE failed");
	return 0;
}

int neuron_syncobj_destroy(struct neuron_device *dev, uint32_t handle)
{
	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (drmSyncobjDestroy(dev->fd, handle))
		return neuron_fail(errno, "handle: syncobj %u", handle);
	return 0;
}

int neuron_syncobj_wait(struct neuron_device *dev, uint32_t handle, uint64_t point,
			int64_t timeout_ns)
{
	int64_t deadline;
	int ret;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	deadline = timeout_ns == 0 ? 0 : neuron_deadline(timeout_ns);
	if (point)
		ret = drmSyncobjTimelineWait(dev->fd, &handle, &point, 1, deadline,
					     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
	else
		ret = drmSyncobjWait(dev->fd, &handle, 1, deadline,
				     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
	if (!ret)
		return 0;
	if (errno == ETIME || errno == ETIMEDOUT)
		return neuron_fail(ETIMEDOUT, "handle: syncobj %u point %llu not signalled in time",
				   handle, (unsigned long long)point);
	return neuron_fail(errno, "handle: waiting for syncobj %u point %llu", handle,
			   (unsigned long long)point);
}

int neuron_syncobj_query(struct neuron_device *dev, uint32_t handle, uint64_t *point)
{
	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!point)
		return neuron_fail(EINVAL, "point: NULL");
	if (drmSyncobjQuery(dev->fd, &handle, point, 1))
		return neuron_fail(errno, "handle: syncobj %u", handle);
	return 0;
}

int neuron_syncobj_export_sync_file(struct neuron_device *dev, uint32_t handle,
				    uint64_t point, int *sync_file)
{
	uint32_t tmp;
	int ret;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!sync_file)
		return neuron_fail(EINVAL, "sync_file: NULL");
	if (!point) {
		if (drmSyncobjExportSyncFile(dev->fd, handle, sync_file))
			return neuron_fail(errno, "handle: syncobj %u has no fence to export",
					   handle);
		return 0;
	}
	/* A timeline point goes through a binary syncobj: the uapi exports only those. */
	if (drmSyncobjCreate(dev->fd, 0, &tmp))
		return neuron_fail(errno, "SYNCOBJ_CREATE failed");
	ret = drmSyncobjTransfer(dev->fd, tmp, 0, handle, point, 0);
	if (ret)
		ret = neuron_fail(errno, "handle: syncobj %u has no fence at point %llu", handle,
				  (unsigned long long)point);
	else if (drmSyncobjExportSyncFile(dev->fd, tmp, sync_file))
		ret = neuron_fail(errno, "export of syncobj %u point %llu", handle,
				  (unsigned long long)point);
	drmSyncobjDestroy(dev->fd, tmp);
	return ret;
}

int neuron_syncobj_import_sync_file(struct neuron_device *dev, uint32_t handle,
				    uint64_t point, int sync_file)
{
	uint32_t tmp;
	int ret;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (sync_file < 0)
		return neuron_fail(EBADF, "sync_file: %d", sync_file);
	if (!point) {
		if (drmSyncobjImportSyncFile(dev->fd, handle, sync_file))
			return neuron_fail(errno, "import of sync_file %d into syncobj %u",
					   sync_file, handle);
		return 0;
	}
	if (drmSyncobjCreate(dev->fd, 0, &tmp))
		return neuron_fail(errno, "SYNCOBJ_CREATE failed");
	ret = drmSyncobjImportSyncFile(dev->fd, tmp, sync_file);
	if (ret)
		ret = neuron_fail(errno, "sync_file: %d is not a sync_file", sync_file);
	else if (drmSyncobjTransfer(dev->fd, handle, point, tmp, 0, 0))
		ret = neuron_fail(errno, "handle: syncobj %u point %llu", handle,
				  (unsigned long long)point);
	drmSyncobjDestroy(dev->fd, tmp);
	return ret;
}

int neuron_sync_file_status(int sync_file)
{
	struct sync_file_info info;
	int ret;

	memset(&info, 0, sizeof(info));
	ret = neuron_ioctl(sync_file, SYNC_IOC_FILE_INFO, &info);
	if (ret)
		return neuron_fail(-ret, "sync_file: fd %d is not a sync_file", sync_file);
	return info.status;
}

int neuron_syncobj_status(struct neuron_device *dev, uint32_t handle, uint64_t point)
{
	int fd, ret;

	ret = neuron_syncobj_export_sync_file(dev, handle, point, &fd);
	if (ret)
		return ret;
	ret = neuron_sync_file_status(fd);
	close(fd);
	return ret;
}

int neuron_sync_file_wait(int sync_file, int64_t timeout_ns)
{
	int64_t deadline = neuron_deadline(timeout_ns);
	struct pollfd p = { .fd = sync_file, .events = POLLIN };

	if (sync_file < 0)
		return neuron_fail(EBADF, "sync_file: %d", sync_file);
	for (;;) {
		int64_t left = deadline - neuron_now_ns();
		int ms, n;

		if (deadline == INT64_MAX)
			ms = -1;
		else if (left <= 0)
			ms = 0;
		else
			ms = left / 1000000 >= INT_MAX ? INT_MAX : (int)((left + 999999) / 1000000);
		n = poll(&p, 1, ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return neuron_fail(errno, "sync_file: poll of fd %d", sync_file);
		if (n > 0) {
			if (p.revents & POLLNVAL)
				return neuron_fail(EBADF, "sync_file: fd %d", sync_file);
			return 0;
		}
		if (ms == 0)
			return neuron_fail(ETIMEDOUT, "sync_file: fd %d not signalled in time",
					   sync_file);
	}
}
