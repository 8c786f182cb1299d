// SPDX-License-Identifier: MIT
/*
 * The NeuronCore window (BAR2, dev:0x0fff_c000_0000).  Everything is memory
 * except, in each NC's 64 MiB slice, the events (256 words) and the four
 * semaphore views (32 words each).  The semaphore value lives in the READ
 * view's word; SET/INCR/DECR writes update it, and reading any view returns
 * it.  Events store 1 for a non-zero write and 0 for zero ("set/clear"); a
 * change of value posts an EVENT notification (nq.c).
 * Word 32 of each view (which the legacy bounds checks let through) and the
 * gaps between views are plain memory.  Writes to the READ view are
 * ignored: it is read-only.
 */
#include "../hw/v1/address_map.h"
#include "device.h"
#include "nc.h"
#include "nq.h"
#include "util.h"

#define SPECIAL_BEGIN	V1_NC_EVENTS
#define SPECIAL_END	(V1_NC_SEM_READ + 0x400)

enum word_kind { PLAIN, EVENT, SEM_READ, SEM_SET, SEM_INCR, SEM_DECR };

static enum word_kind classify(uint64_t off, uint64_t *sem_word)
{
	uint64_t rel = off % V1_NC_WINDOW_SIZE;
	uint64_t base = off - rel;

	if (rel >= V1_NC_EVENTS && rel < V1_NC_EVENTS + 4 * V1_EVENTS_PER_NC)
		return EVENT;
	if (rel >= V1_NC_SEM_READ && rel < V1_NC_SEM_READ + 0x400) {
		uint64_t view = (rel - V1_NC_SEM_READ) / 0x100;
		uint64_t idx = ((rel - V1_NC_SEM_READ) % 0x100) / 4;

		if (idx >= V1_SEMAPHORES_PER_NC)
			return PLAIN;
		*sem_word = base + V1_NC_SEM_READ + 4 * idx;
		return (enum word_kind)(SEM_READ + view);
	}
	return PLAIN;
}

/* True if [off, off+len) touches an event or semaphore word of any NC. */
static bool touches_special(uint64_t off, size_t len)
{
	uint64_t end = off + len;

	for (uint64_t nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		uint64_t b = V1_NC_WINDOW_OFFSET(nc) + SPECIAL_BEGIN;
		uint64_t e = V1_NC_WINDOW_OFFSET(nc) + SPECIAL_END;

		if (off < e && end > b)
			return true;
	}
	return false;
}

static uint32_t word_read(struct nemu_dev *d, uint64_t off)
{
	uint64_t sem = 0;

	if (classify(off, &sem) >= SEM_READ)
		return ld32(d->bar2 + sem);
	return ld32(d->bar2 + off);
}

static void word_write(struct nemu_dev *d, uint64_t off, uint32_t v)
{
	uint64_t sem = 0;
	int32_t s;

	switch (classify(off, &sem)) {
	case PLAIN:
		st32(d->bar2 + off, v);
		break;
	case EVENT:
		v = v ? 1 : 0;
		if (ld32(d->bar2 + off) != v) {
			unsigned nc = (unsigned)(off / V1_NC_WINDOW_SIZE);
			uint32_t idx = (uint32_t)((off % V1_NC_WINDOW_SIZE - V1_NC_EVENTS) / 4);

			st32(d->bar2 + off, v);
			/* "An engine set/cleared an event": the EVENT queue hears of it. */
			nq_post(d, nc, NQ_TYPE_EVENT, 0, idx, v);
		}
		break;
	case SEM_READ:
		break;
	case SEM_SET:
		st32(d->bar2 + sem, v);
		break;
	case SEM_INCR:
		/* Semaphores are signed 32-bit; wrap like the hardware adder would. */
		s = (int32_t)(ld32(d->bar2 + sem) + v);
		st32(d->bar2 + sem, (uint32_t)s);
		break;
	case SEM_DECR:
		s = (int32_t)(ld32(d->bar2 + sem) - v);
		st32(d->bar2 + sem, (uint32_t)s);
		break;
	}
}

static int access(struct nemu_dev *d, uint64_t off, uint8_t *p, size_t len, bool write)
{
	if (off > V1_BAR2_SIZE || len > V1_BAR2_SIZE - off)
		return -1;
	if (!touches_special(off, len)) {
		if (write)
			memcpy(d->bar2 + off, p, len);
		else
			memcpy(p, d->bar2 + off, len);
		return 0;
	}
	while (len) {
		uint64_t w = off & ~3ULL;
		unsigned b = (unsigned)(off & 3);
		size_t n = MIN(4 - b, len);
		uint32_t v;

		if (write) {
			v = ld32(d->bar2 + w);
			memcpy((uint8_t *)&v + b, p, n);
			word_write(d, w, v);
		} else {
			v = word_read(d, w);
			memcpy(p, (uint8_t *)&v + b, n);
		}
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

int nc_read(struct nemu_dev *d, uint64_t off, void *buf, size_t len)
{
	return access(d, off, buf, len, false);
}

int nc_write(struct nemu_dev *d, uint64_t off, const void *buf, size_t len)
{
	return access(d, off, (uint8_t *)(uintptr_t)buf, len, true);
}

void nc_reset(struct nemu_dev *d)
{
	for (uint64_t nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		memset(d->bar2 + V1_NC_WINDOW_OFFSET(nc) + SPECIAL_BEGIN, 0,
		       SPECIAL_END - SPECIAL_BEGIN);
}
