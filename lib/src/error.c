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
