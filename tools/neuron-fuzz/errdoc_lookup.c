// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Look-ups in the generated errno table (errdoc.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "errdoc.h"

const struct errdoc *errdoc_find(unsigned long cmd)
{
	for (unsigned int i = 0; i < errdoc_count; i++)
		if (errdoc_table[i].cmd == cmd)
			return &errdoc_table[i];
	return NULL;
}

bool errdoc_allows(const struct errdoc *d, int err)
{
	for (int i = 0; i < d->count; i++)
		if (d->errnos[i] == err)
			return true;
	return false;
}

const char *errno_name(int err, char *buf, unsigned long size)
{
	/* glibc's strerrorname_np: the symbolic name, not the message. */
	const char *n = strerrorname_np(err);

	if (n)
		return n;
	snprintf(buf, size, "E%d", err);
	return buf;
}
