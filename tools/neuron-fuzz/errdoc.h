/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * The documented errnos of each driver ioctl.  The table (errdoc.c) is
 * generated at build time by uapi_errnos.py from the kernel-doc "Errors:"
 * paragraphs of uapi/drm/neuron_accel.h, the single place they are written.
 */
#ifndef NEURON_FUZZ_ERRDOC_H
#define NEURON_FUZZ_ERRDOC_H

#include <stdbool.h>
#include "drm/neuron_accel.h"

struct errdoc {
	const char *name;		/* "COPY" for DRM_IOCTL_NEURON_COPY */
	const char *args;		/* its argument struct */
	unsigned long cmd;
	int count;
	const int *errnos;
};

extern const struct errdoc errdoc_table[];
extern const unsigned int errdoc_count;

/* The entry for an exact ioctl command, or NULL. */
const struct errdoc *errdoc_find(unsigned long cmd);
/* Whether err (positive) is in the entry's documented list. */
bool errdoc_allows(const struct errdoc *d, int err);
/* "EINVAL" for EINVAL; "E123" for numbers without a name here. */
const char *errno_name(int err, char *buf, unsigned long size);

#endif /* NEURON_FUZZ_ERRDOC_H */
