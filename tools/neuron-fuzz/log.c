// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * The ring of the last RING_SIZE calls, in shared memory so that whichever
 * process survives can dump it.  Writers take a sequence number with one
 * atomic add and own that slot; a dump shows slots in sequence order and
 * marks calls still running (or killed mid-call) as "...".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

uint64_t ring_begin(int slot, const char *text)
{
	uint64_t seq = atomic_fetch_add(&sh->seq, 1) + 1;
	struct call_rec *c = &sh->ring[seq % RING_SIZE];

	c->seq = 0;		/* torn while being rewritten */
	c->slot = slot;
	c->done = 0;
	c->ret = 0;
	snprintf(c->text, sizeof(c->text), "%s", text);
	atomic_thread_fence(memory_order_release);
	c->seq = seq;
	return seq;
}

void ring_end(uint64_t seq, int ret)
{
	struct call_rec *c = &sh->ring[seq % RING_SIZE];

	if (c->seq != seq)
		return;		/* overwritten by a later call meanwhile */
	c->ret = ret;
	c->done = 1;
}

static int cmp_seq(const void *a, const void *b)
{
	uint64_t x = (*(const struct call_rec *const *)a)->seq;
	uint64_t y = (*(const struct call_rec *const *)b)->seq;

	return x < y ? -1 : x > y;
}

void ring_dump(int fd, unsigned int last)
{
	static const struct call_rec *order[RING_SIZE];
	unsigned int n = 0, from;
	char line[TEXT_LEN + 64], nb[16];

	for (unsigned int i = 0; i < RING_SIZE; i++)
		if (sh->ring[i].seq)
			order[n++] = &sh->ring[i];
	qsort(order, n, sizeof(order[0]), cmp_seq);
	from = n > last ? n - last : 0;
	dprintf(fd, "--- last %u calls (seq slot call => result) ---\n", n - from);
	for (unsigned int i = from; i < n; i++) {
		const struct call_rec *c = order[i];

		if (!c->done)
			snprintf(line, sizeof(line), "...");
		else if (!c->ret)
			snprintf(line, sizeof(line), "0");
		else
			snprintf(line, sizeof(line), "-%s", errno_name(-c->ret, nb, sizeof(nb)));
		if (c->slot < 0)
			dprintf(fd, "%8llu mon %s => %s\n", (unsigned long long)c->seq, c->text, line);
		else
			dprintf(fd, "%8llu t%-2d %s => %s\n", (unsigned long long)c->seq, c->slot,
				c->text, line);
	}
	dprintf(fd, "--- end of calls ---\n");
}

void ring_dump_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		perror(path);
		return;
	}
	ring_dump(fd, RING_SIZE);
	close(fd);
}
