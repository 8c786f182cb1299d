// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * System-call helpers: ioctls restarted after signals, and the clock the
 * uapi's absolute deadlines are on.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <time.h>

#include "internal.h"

int neuron_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	/* As drmIoctl does; without libdrm's header in every file. */
	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : 0;
}

int64_t neuron_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t neuron_deadline(int64_t timeout_ns)
{
	int64_t now = neuron_now_ns();

	if (timeout_ns < 0 || timeout_ns > INT64_MAX - now)
		return INT64_MAX;
	return now + timeout_ns;
}
