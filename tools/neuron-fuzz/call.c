// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Every fuzzed call goes through here: recorded in the ring before it is
 * made (so a hang or a crash names it), timed for the watchdog, counted
 * per errno, and, for driver ioctls, checked against the uapi's documented
 * errnos at once, with the call printed as the reproducer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

const char *const op_names[OP_COUNT] = {
#define OP(name) #name,
#include "ops.def"
#undef OP
};

int op_of_name(const char *name)
{
	for (int op = 0; op < OP_COUNT; op++)
		if (!strcmp(op_names[op], name))
			return op;
	return -1;
}

uint64_t rnd(struct rng *r)
{
	/* splitmix64: any seed, including 0, gives a good stream. */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void fz_count(enum op op, int ret)
{
	atomic_fetch_add(&sh->calls[op], 1);
	if (ret < 0 && -ret < MAX_ERRNO)
		atomic_fetch_add(&sh->errs[op][-ret], 1);
}

void fz_begin(int slot, const char *text)
{
	atomic_store(&sh->slot[slot].seq, ring_begin(slot, text));
	atomic_store(&sh->slot[slot].start_ns, now_ns());
}

void fz_end(int slot, int ret)
{
	atomic_store(&sh->slot[slot].start_ns, 0);
	ring_end(atomic_load(&sh->slot[slot].seq), ret);
}

/* Plain write(2): forked children of a threaded process must not lock stdio. */
static void report_undocumented(const struct errdoc *d, int err, const char *text)
{
	char line[TEXT_LEN + 128], nb[16];
	int n = snprintf(line, sizeof(line), "neuron-fuzz: UNDOCUMENTED errno %s from "
			 "DRM_IOCTL_NEURON_%s: %s\n", errno_name(err, nb, sizeof(nb)),
			 d->name, text);

	if (write(2, line, n) < 0) {
		/* stderr gone: the count below still fails the run */
	}
	atomic_fetch_add(&sh->undocumented, 1);
}

int fz_ioctl(int slot, enum op op, int fd, unsigned long cmd, void *arg, const char *fmt, ...)
{
	const struct errdoc *d = errdoc_find(cmd);
	char text[TEXT_LEN];
	uint64_t seq;
	va_list ap;
	int ret, tries = 0;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	do {
		seq = ring_begin(slot, text);
		atomic_store(&sh->slot[slot].seq, seq);
		atomic_store(&sh->slot[slot].start_ns, now_ns());
		ret = ioctl(fd, cmd, arg) ? -errno : 0;
		atomic_store(&sh->slot[slot].start_ns, 0);
		ring_end(seq, ret);
		fz_count(op, ret);
		if (ret && d && !errdoc_allows(d, -ret))
			report_undocumented(d, -ret, text);
		/* Restart an interrupted call once with the same arguments. */
	} while (ret == -EINTR && ++tries < 2);
	return ret;
}
