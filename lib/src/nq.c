// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Notification queues.  NQ_CREATE returns a file: mmap() maps the ring
 * read-only, read() gives the number of entries written so far, write()
 * acknowledges, poll() waits.  Entry k of the queue sits in slot
 * k mod (size / 16) with seq == k (Documentation/neuron/notifications.rst);
 * the library copies entries out of the ring by that rule and counts as
 * lost those the device overwrote before they were read.
 *
 * A device reset restarts the ring: the driver clears it and the device
 * writes from slot 0 with seq 0 again, while read()'s count goes on.  The
 * library keeps the count at which the ring it reads began (@gen) and
 * checks the newest counted entry against it on every read; when it does
 * not match, the ring has restarted, and the library finds where the new
 * ring stands, skips what the reset took, and says so with -ESTALE.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define NQ_ENTRY_SIZE	16u

struct neuron_nq {
	int fd;
	uint32_t size;
	const volatile uint8_t *ring;
	uint64_t next;		/* first entry not read yet */
	uint64_t acked;
	uint64_t gen;		/* the count at which the current ring began */
	uint64_t seen;		/* the highest count seen while it was current */
};

/* How long the device must stay quiet for the position in a restarted ring. */
#define NQ_RESYNC_QUIET_NS	(3ll * 1000 * 1000)
#define NQ_RESYNC_TRIES		20

int neuron_nq_open(struct neuron_device *dev, uint32_t nc, uint32_t type, uint32_t instance,
		   uint32_t size, struct neuron_nq **out)
{
	struct drm_neuron_nq_create c = {
		.nc = nc, .type = type, .instance = instance, .size = size,
	};
	struct neuron_nq *nq;
	void *ring;
	int ret;

	if (!out)
		return neuron_fail(EINVAL, "nq: NULL");
	*out = NULL;
	if (!dev)
		return neuron_fail(EINVAL, "dev: NULL");
	if (nc >= dev->info.nc_count)
		return neuron_fail(EINVAL, "nc: %u, the device has %u", nc, dev->info.nc_count);
	if (type > DRM_NEURON_NQ_ERROR)
		return neuron_fail(EINVAL, "type: %u is not a DRM_NEURON_NQ_* type", type);
	if (instance > 3 || (instance && type >= DRM_NEURON_NQ_EVENT))
		return neuron_fail(EINVAL, "instance: %u for type %u", instance, type);
	if (type != DRM_NEURON_NQ_ERROR &&
	    (size < 4096 || size > (1u << 20) || (size & (size - 1))))
		return neuron_fail(EINVAL, "size: %u is not a power of two from 4 KiB to 1 MiB",
				   size);
	ret = neuron_ioctl(dev->fd, DRM_IOCTL_NEURON_NQ_CREATE, &c);
	if (ret == -EBUSY)
		return neuron_fail(EBUSY, "nc %u type %u instance %u: the queue is open already",
				   nc, type, instance);
	if (ret)
		return neuron_fail(-ret, "NQ_CREATE failed");
	ring = mmap(NULL, c.size, PROT_READ, MAP_SHARED, c.fd, 0);
	if (ring == MAP_FAILED) {
		ret = neuron_fail(errno, "mmap of the notification ring failed");
		close(c.fd);
		return ret;
	}
	nq = calloc(1, sizeof(*nq));
	if (!nq) {
		munmap(ring, c.size);
		close(c.fd);
		return neuron_fail(ENOMEM, "nq");
	}
	nq->fd = c.fd;
	nq->size = c.size;
	nq->ring = ring;
	*out = nq;
	return 0;
}

void neuron_nq_close(struct neuron_nq *nq)
{
	if (!nq)
		return;
	munmap((void *)nq->ring, nq->size);
	close(nq->fd);
	free(nq);
}

int neuron_nq_fd(const struct neuron_nq *nq)
{
	return nq ? nq->fd : neuron_fail(EINVAL, "nq: NULL");
}

uint32_t neuron_nq_size(const struct neuron_nq *nq)
{
	return nq ? nq->size : 0;
}

const void *neuron_nq_ring(const struct neuron_nq *nq)
{
	return nq ? (const void *)nq->ring : NULL;
}

int neuron_nq_written(struct neuron_nq *nq, uint64_t *count)
{
	ssize_t n;

	if (!nq)
		return neuron_fail(EINVAL, "nq: NULL");
	if (!count)
		return neuron_fail(EINVAL, "count: NULL");
	do {
		n = read(nq->fd, count, sizeof(*count));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return neuron_fail(errno, "read of the queue's count failed");
	if (n != sizeof(*count))
		return neuron_fail(EIO, "read of the queue's count returned %zd bytes", n);
	return 0;
}

/* Slot of entry @rel of the current ring, copied out. */
static struct neuron_nq_entry nq_slot(const struct neuron_nq *nq, uint64_t rel)
{
	uint64_t slots = nq->size / NQ_ENTRY_SIZE;
	struct neuron_nq_entry e;

	memcpy(&e, (const void *)(nq->ring + (rel % slots) * NQ_ENTRY_SIZE), sizeof(e));
	return e;
}

/* The phase bit of entry @rel of a ring: 1 on the first lap, flipping on each wrap. */
static bool nq_phase(const struct neuron_nq *nq, uint64_t rel)
{
	return !((rel / (nq->size / NQ_ENTRY_SIZE)) & 1);
}

/* @e is entry @rel of the current ring, or a later one that lapped it. */
static bool nq_entry_is(const struct neuron_nq *nq, const struct neuron_nq_entry *e,
			uint64_t rel)
{
	uint32_t ahead = e->seq - (uint32_t)rel;

	if ((int32_t)ahead < 0 || ahead % (nq->size / NQ_ENTRY_SIZE))
		return false;
	return !!(e->info & (1u << 31)) == nq_phase(nq, rel + ahead);
}

/*
 * The ring still is the one that began at count @gen: the newest entry
 * counted (@written - 1) is in it where it should be, or was lapped by a
 * later one.  A reset clears the ring, so after one that slot holds zero
 * or an entry of the new ring with a smaller seq.
 */
static bool nq_same_ring(const struct neuron_nq *nq, uint64_t written)
{
	struct neuron_nq_entry e;

	if (written <= nq->gen)
		return true;
	e = nq_slot(nq, written - 1 - nq->gen);
	return nq_entry_is(nq, &e, written - 1 - nq->gen);
}

/* Entries of the restarted ring in memory, found from slot 0 as the driver does. */
static uint64_t nq_new_ring_entries(const struct neuron_nq *nq)
{
	uint64_t slots = nq->size / NQ_ENTRY_SIZE, pos = 0;

	for (uint64_t i = 0; i < 4 * slots; i++) {
		struct neuron_nq_entry e = nq_slot(nq, pos);
		uint32_t ahead = e.seq - (uint32_t)pos;

		if (ahead && (int32_t)ahead > 0 && !(ahead % slots)) {
			pos += ahead;	/* lapped */
			continue;
		}
		if (ahead || !!(e.info & (1u << 31)) != nq_phase(nq, pos))
			break;
		pos++;
	}
	return pos;
}

static void nq_sleep_ns(int64_t ns)
{
	struct timespec t = { .tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000 };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/*
 * Follow a restart: the new ring began at count written - m, where m is
 * how many of its entries the driver has counted.  The driver counts an
 * entry after the device wrote it (on the interrupt, or within 1 ms when
 * it polls), so once the count and the ring have both stayed the same for
 * a few milliseconds, m is the number of entries in the ring.  A device
 * that never pauses gets the last look's figures.  Entries from @next to
 * the new ring's start are gone (the reset cleared them): added to
 * *@skipped.
 */
static int nq_resync(struct neuron_nq *nq, uint64_t *written, uint64_t *skipped)
{
	uint64_t w = 0, m = 0, floor, gen;
	int ret;

	for (int i = 0; i < NQ_RESYNC_TRIES; i++) {
		uint64_t w2, m2;

		ret = neuron_nq_written(nq, &w2);
		if (ret)
			return ret;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		m2 = nq_new_ring_entries(nq);
		if (i && w2 == w && m2 == m)
			break;
		w = w2;
		m = m2;
		nq_sleep_ns(NQ_RESYNC_QUIET_NS);
	}
	/* The old ring ended at or after every count it was seen with. */
	floor = nq->seen > nq->next ? nq->seen : nq->next;
	if (floor > w)
		floor = w;
	if (m > w - floor)
		m = w - floor;
	gen = w - m;
	*skipped += gen - nq->next;
	nq->next = gen;
	nq->gen = gen;
	nq->seen = w;
	*written = w;
	return 0;
}

int neuron_nq_read(struct neuron_nq *nq, struct neuron_nq_entry *entries, uint32_t max,
		   uint64_t *lost)
{
	uint64_t written, slots, start, skipped = 0;
	uint32_t n = 0;
	int ret;

	if (!nq)
		return neuron_fail(EINVAL, "nq: NULL");
	if (max && !entries)
		return neuron_fail(EINVAL, "entries: NULL");
	if (max > INT_MAX)
		max = INT_MAX;
	ret = neuron_nq_written(nq, &written);
	if (ret)
		return ret;
	slots = nq->size / NQ_ENTRY_SIZE;
	start = nq->next;
	/* read() counted the entries only after they were in memory. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!nq_same_ring(nq, written))
		goto restarted;
	nq->seen = written;
	/* The ring holds only the last `slots` entries. */
	if (written - nq->next > slots) {
		skipped += written - slots - nq->next;
		nq->next = written - slots;
	}
	while (n < max && nq->next < written) {
		uint64_t rel = nq->next - nq->gen;
		struct neuron_nq_entry e = nq_slot(nq, rel);

		if (e.seq == (uint32_t)rel && nq_entry_is(nq, &e, rel)) {
			entries[n++] = e;
			nq->next++;
		} else if (nq_entry_is(nq, &e, rel)) {
			/* Overwritten between read() and here: the device lapped us. */
			skipped++;
			nq->next++;
		} else {
			/* Cleared or older: the ring restarted under us. */
			goto restarted;
		}
	}
	/* A restart while copying may have put new entries where old ones were. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!nq_same_ring(nq, written))
		goto restarted;
	if (lost)
		*lost += skipped;
	return (int)n;

restarted:
	/* Whatever this call copied is not trusted: counted as lost. */
	nq->next = start;
	skipped = 0;
	ret = nq_resync(nq, &written, &skipped);
	if (ret)
		return ret;
	if (lost)
		*lost += skipped;
	return neuron_fail(ESTALE, "nq: the ring restarted after a device reset "
			   "(%llu entries lost); the next read continues with the new ring",
			   (unsigned long long)skipped);
}

int neuron_nq_ack(struct neuron_nq *nq)
{
	uint64_t count;
	ssize_t n;

	if (!nq)
		return neuron_fail(EINVAL, "nq: NULL");
	count = nq->next;
	if (count == nq->acked)
		return 0;
	do {
		n = write(nq->fd, &count, sizeof(count));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return neuron_fail(errno, "acknowledgment of %llu entries failed",
				   (unsigned long long)count);
	nq->acked = count;
	return 0;
}

int neuron_nq_wait(struct neuron_nq *nq, int64_t timeout_ns)
{
	int64_t deadline = neuron_deadline(timeout_ns);
	struct pollfd p;

	if (!nq)
		return neuron_fail(EINVAL, "nq: NULL");
	p.fd = nq->fd;
	p.events = POLLIN;
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
			return neuron_fail(errno, "poll of the notification queue failed");
		if (n == 0) {
			if (ms == INT_MAX)
				continue;	/* a capped slice of a longer wait */
			return 0;
		}
		if (p.revents & (POLLHUP | POLLERR))
			return neuron_fail(ENODEV, "nq: the device is gone");
		return 1;
	}
}
