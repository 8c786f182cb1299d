// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * errno-trace.so: an LD_PRELOAD shim that records the errnos of failing
 * neuron driver ioctls made by any program (the IGT suite, libneuron's
 * tests), so that what the test suite observes can be checked against the
 * uapi's documented lists like the fuzzer's own calls
 * (uapi_errnos.py check).  One line per failing call is appended to
 * $NEURON_ERRNO_TRACE: "COPY EINVAL", or "nr:0x44 EINVAL" for a driver
 * ioctl number sent with another size or direction than the uapi's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "errdoc.h"

typedef int (*ioctl_fn)(int, unsigned long, ...);

static void record(unsigned long cmd, int err)
{
	const char *path = getenv("NEURON_ERRNO_TRACE");
	const struct errdoc *d;
	char line[96], nb[16], nr[16];
	int fd, len;

	if (!path || !*path)
		return;
	d = errdoc_find(cmd);
	if (!d)
		snprintf(nr, sizeof(nr), "nr:%#x", (unsigned int)_IOC_NR(cmd));
	len = snprintf(line, sizeof(line), "%s %s\n", d ? d->name : nr,
		       errno_name(err, nb, sizeof(nb)));
	/*
	 * O_APPEND: many test processes write to the same file.  Without
	 * O_CREAT first: with fs.protected_regular, a process of another uid
	 * (a test's child as 65534) may not O_CREAT-open the suite's file in
	 * sticky /tmp even though it exists and is mode 0666.
	 */
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return;
	if (write(fd, line, len) < 0) {
		/* Nothing to do about it from inside someone else's ioctl(). */
	}
	close(fd);
}

/* Driver ioctls: type 'd', numbers DRM_COMMAND_BASE..DRM_COMMAND_END-1. */
static int driver_cmd(unsigned long cmd)
{
	return _IOC_TYPE(cmd) == DRM_IOCTL_BASE && _IOC_NR(cmd) >= DRM_COMMAND_BASE &&
	       _IOC_NR(cmd) < DRM_COMMAND_END;
}

int ioctl(int fd, unsigned long cmd, ...)
{
	static ioctl_fn real;
	va_list ap;
	void *arg;
	int ret, err;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
	ret = real(fd, cmd, arg);
	if (ret == -1 && driver_cmd(cmd)) {
		err = errno;
		record(cmd, err);
		errno = err;
	}
	return ret;
}
