// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * NeuronCore ownership: acquire, release, per-core reset, and who owns
 * which core (sysfs nc_owners, fdinfo neuron-nc-owned).  Reference:
 * Documentation/neuron/contexts.rst.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

/* NeuronCores of a v1 device: mask bits past them are refused here already. */
#define NC_COUNT	4u
#define NC_ALL		((1u << NC_COUNT) - 1)

static int check_mask(const struct neuron_device *dev, uint32_t mask, const char *what)
{
	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!mask)
		return neuron_fail(EINVAL, "nc_mask: zero (%s)", what);
	if (mask & ~NC_ALL)
		return neuron_fail(EINVAL, "nc_mask: %#x names a NeuronCore past %u (%s)", mask,
				   NC_COUNT - 1, what);
	return 0;
}

int neuron_nc_acquire(struct neuron_device *dev, uint32_t nc_mask)
{
	struct drm_neuron_nc_acquire a = { .nc_mask = nc_mask };
	int ret = check_mask(dev, nc_mask, "acquire");

	if (ret)
		return ret;
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_NC_ACQUIRE, &a);
	if (ret == -EBUSY)
		return neuron_fail(EBUSY, "nc_mask: %#x: another client owns one of them", nc_mask);
	if (ret)
		return neuron_fail(-ret, "NC_ACQUIRE %#x failed", nc_mask);
	return 0;
}

int neuron_nc_release(struct neuron_device *dev, uint32_t nc_mask)
{
	struct drm_neuron_nc_release r = { .nc_mask = nc_mask };
	int ret = check_mask(dev, nc_mask, "release");

	if (ret)
		return ret;
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_NC_RELEASE, &r);
	if (ret == -EINVAL)
		return neuron_fail(EINVAL, "nc_mask: %#x: not all of them are this device "
				   "handle's", nc_mask);
	if (ret)
		return neuron_fail(-ret, "NC_RELEASE %#x failed", nc_mask);
	return 0;
}

int neuron_nc_reset(struct neuron_device *dev, uint32_t nc_mask)
{
	struct drm_neuron_nc_reset r = { .nc_mask = nc_mask };
	int ret = check_mask(dev, nc_mask, "reset");

	if (ret)
		return ret;
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_NC_RESET, &r);
	if (ret == -EPERM)
		return neuron_fail(EPERM, "nc_mask: %#x: a NeuronCore this handle does not own "
				   "needs CAP_SYS_ADMIN", nc_mask);
	if (ret)
		return neuron_fail(-ret, "NC_RESET %#x failed", nc_mask);
	return 0;
}

int neuron_nc_owned(struct neuron_device *dev, uint32_t *nc_mask)
{
	static const char key[] = "neuron-nc-owned:";
	char path[64], buf[4096], *line;
	ssize_t n;
	int fd;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (!nc_mask)
		return neuron_fail(EINVAL, "nc_mask: NULL");
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", dev->fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return neuron_fail(errno, "open %s", path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return neuron_fail(errno, "read %s", path);
	buf[n] = '\0';
	for (line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char *end;
		unsigned long v;

		if (strncmp(line, key, sizeof(key) - 1))
			continue;
		v = strtoul(line + sizeof(key) - 1, &end, 16);
		if (end == line + sizeof(key) - 1)
			break;
		*nc_mask = (uint32_t)v;
		return 0;
	}
	return neuron_fail(ENOTSUP, "%s: no neuron-nc-owned (a kernel without NeuronCore "
			   "ownership)", path);
}

int neuron_read_nc_owners(uint32_t minor, struct neuron_nc_owner *owners, uint32_t max)
{
	char path[96], buf[4096], *line, *save = NULL;
	uint32_t count = 0;
	ssize_t n;
	int fd;

	if (!owners && max)
		return neuron_fail(EINVAL, "owners: NULL");
	snprintf(path, sizeof(path), "/sys/class/accel/accel%u/device/nc_owners", minor);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return neuron_fail(errno, "open %s", path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return neuron_fail(errno, "read %s", path);
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct neuron_nc_owner o = { 0 };
		unsigned int nc;
		int len = 0;

		if (sscanf(line, "%u -%n", &nc, &len) == 1 && len && !line[len]) {
			o.nc = nc;
		} else if (sscanf(line, "%u %" SCNu64 " %" SCNd32 " %31s", &nc, &o.client_id,
				  &o.pid, o.comm) == 4) {
			o.nc = nc;
			o.owned = 1;
		} else {
			return neuron_fail(EPROTO, "%s: line \"%s\"", path, line);
		}
		if (count < max)
			owners[count] = o;
		count++;
	}
	return (int)count;
}

int neuron_nc_owners(struct neuron_device *dev, struct neuron_nc_owner *owners, uint32_t max)
{
	struct stat st;

	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (fstat(dev->fd, &st))
		return neuron_fail(errno, "fstat");
	if (!S_ISCHR(st.st_mode))
		return neuron_fail(ENOTTY, "dev: not a character device");
	return neuron_read_nc_owners(minor(st.st_rdev), owners, max);
}
