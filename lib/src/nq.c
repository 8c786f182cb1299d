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
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#define NQ_ENTRY_SIZE	16u

struct neuron_nq {
	int fd;
	uint32_t size;
	const volatile uint8_t *ring;
	uint64_t next;		/* first entry not read yet */
	uint64_t acked;
};

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

int neuron_nq_read(struct neuron_nq *nq, struct neuron_nq_entry *entries, uint32_t max,
		   uint64_t *lost)
{
	uint64_t written, slots, skipped = 0;
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
	/* The ring holds only the last `slots` entries. */
	if (written - nq->next > slots) {
		skipped += written - slots - nq->next;
		nq->next = written - slots;
	}
	/* read() counted the entries only after they were in memory. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	while (n < max && nq->next < written) {
		const volatile uint8_t *p = nq->ring + (nq->next % slots) * NQ_ENTRY_SIZE;
		struct neuron_nq_entry e;

		memcpy(&e, (const void *)p, sizeof(e));
		nq->next++;
		/* Overwritten between read() and here: the device lapped us. */
		if (e.seq != (uint32_t)(nq->next - 1)) {
			skipped++;
			continue;
		}
		entries[n++] = e;
	}
	if (lost)
		*lost += skipped;
	return (int)n;
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
