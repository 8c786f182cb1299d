// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Error reporting: every failure is a negative errno for the caller and a
 * per-thread message for the human, naming the argument or field at fault.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "internal.h"

static __thread char last_error[256];

const char *neuron_last_error(void)
{
	return last_error;
}

int neuron_fail(int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	/* Append the errno's name so a bare message still says what failed. */
	if (n >= 0 && (size_t)n < sizeof(last_error))
		snprintf(last_error + n, sizeof(last_error) - n, " (%s)", strerror(err));
	return -err;
}

int neuron_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	/* As drmIoctl does; without libdrm's header in every file. */
	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : 0;
}

int neuron_ioctl_named(int fd, unsigned long request, void *arg, const char *what)
{
	int ret = neuron_ioctl(fd, request, arg);

	if (ret)
		return neuron_fail(-ret, "%s failed", what);
	return 0;
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
