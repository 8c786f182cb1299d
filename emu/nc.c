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
 * ignored: it is read-only.  Records of the model's command set written
 * into a PE instruction FIFO are executed (hw/v1/nc_model.h).
 */
#include "../hw/v1/address_map.h"
#include "../hw/v1/nc_model.h"
#include "../hw/v1/putils_regs.h"
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

static int access_mem(struct nemu_dev *d, uint64_t off, uint8_t *p, size_t len, bool write);

/* Semaphore index or event index as a BAR2 offset of NC nc's view. */
static uint64_t view(unsigned nc, uint64_t base, uint32_t idx)
{
	return V1_NC_WINDOW_OFFSET(nc) + base + 4ULL * idx;
}

/* One record of the model's command set (hw/v1/nc_model.h). */
static void exec_record(struct nemu_dev *d, unsigned nc, const uint8_t *r)
{
	uint32_t op = ld32(r), a = ld32(r + 4), b = ld32(r + 8), c = ld32(r + 12);

	if ((op & NC_OP_MAGIC_MASK) != NC_OP_MAGIC)
		return;
	nemu_log("dev%u: NC %u op %u (%u, %u, %u)", d->index, nc, op & NC_OP_MASK, a, b, c);
	switch (op & NC_OP_MASK) {
	case NC_OP_NOTIFY:
		nq_post(d, nc, NQ_TYPE_NOTIFY, a, b, c);
		break;
	case NC_OP_TRACE:
		nq_post(d, nc, NQ_TYPE_TRACE, a, b, c);
		break;
	case NC_OP_ERROR:
		nq_post(d, nc, NQ_TYPE_ERROR, 0, a, b);
		break;
	case NC_OP_SEM_SET:
	case NC_OP_SEM_INCR:
	case NC_OP_SEM_DECR:
		if (a < V1_SEMAPHORES_PER_NC) {
			uint64_t v = (op & NC_OP_MASK) == NC_OP_SEM_SET ? V1_NC_SEM_SET :
				     (op & NC_OP_MASK) == NC_OP_SEM_INCR ? V1_NC_SEM_INCR : V1_NC_SEM_DECR;

			word_write(d, view(nc, v, a), b);
		}
		break;
	case NC_OP_EVENT:
		if (a < V1_EVENTS_PER_NC)
			word_write(d, view(nc, V1_NC_EVENTS, a), b);
		break;
	}
}

/*
 * Run the records of a PE instruction FIFO whose last word [+12, +16) the
 * write [off, off+len) covered: a DMA covers whole records, and MMIO that
 * writes a record's words in ascending order completes it with the last.
 */
static void exec_fifo(struct nemu_dev *d, uint64_t off, size_t len)
{
	const uint64_t last = NC_OP_RECORD_SIZE - 4;

	for (unsigned nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		uint64_t b = V1_NC_WINDOW_OFFSET(nc) + V1_NC_PE_IRAM_FIFO;
		uint64_t e = b + V1_NC_PE_IRAM_FIFO_SIZE, r;

		if (off >= e || off + len <= b)
			continue;
		/* First record whose last word starts at or after off. */
		r = off <= b + last ? b :
		    b + (off - b - last + NC_OP_RECORD_SIZE - 1) / NC_OP_RECORD_SIZE * NC_OP_RECORD_SIZE;
		for (; r < e && r + NC_OP_RECORD_SIZE <= off + len; r += NC_OP_RECORD_SIZE)
			exec_record(d, nc, d->bar2 + r);
	}
}

static int access(struct nemu_dev *d, uint64_t off, uint8_t *p, size_t len, bool write)
{
	int ret;

	if (off > V1_BAR2_SIZE || len > V1_BAR2_SIZE - off)
		return -1;
	ret = access_mem(d, off, p, len, write);
	if (!ret && write)
		exec_fifo(d, off, len);
	return ret;
}

static uint32_t bar2_peek(void *d, uint64_t w)
{
	return ld32(((struct nemu_dev *)d)->bar2 + w);
}
static uint32_t bar2_read(void *d, uint64_t w) { return word_read(d, w); }
static void bar2_write(void *d, uint64_t w, uint32_t v) { word_write(d, w, v); }

static const struct nemu_word_ops bar2_words = {
	.peek = bar2_peek, .read = bar2_read, .write = bar2_write,
};

static int access_mem(struct nemu_dev *d, uint64_t off, uint8_t *p, size_t len, bool write)
{
	if (!touches_special(off, len)) {
		if (write)
			memcpy(d->bar2 + off, p, len);
		else
			memcpy(p, d->bar2 + off, len);
		return 0;
	}
	nemu_word_access(&bar2_words, d, off, p, len, write);
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
