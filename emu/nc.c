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
 *
 * Storage is a table of 64 KiB pages allocated on first non-zero write
 * (model assumption, see nc.h), so 256 MiB per device costs only what was
 * written.  A core held in a TPB reset (fwio.c) refuses DMA to its window
 * (an AXI error to the engine that tried) and ignores MMIO (model
 * assumption: the facts do not say what the window does during a reset).
 */
#include <stdlib.h>

#include "../hw/v1/address_map.h"
#include "../hw/model/nc_model.h"
#include "../hw/v1/putils_regs.h"
#include "../hw/model/nq_entry.h"
#include "device.h"
#include "nc.h"
#include "nq.h"
#include "util.h"

#define SPECIAL_BEGIN	V1_NC_EVENTS
#define SPECIAL_END	(V1_NC_SEM_READ + 0x400)

#define PAGE_MASK	((uint64_t)NC_PAGE_SIZE - 1)

static bool all_zero(const uint8_t *p, size_t n)
{
	for (; n && ((uintptr_t)p & 7); n--)
		if (*p++)
			return false;
	for (; n >= 8; n -= 8, p += 8)
		if (ld64(p))
			return false;
	for (; n; n--)
		if (*p++)
			return false;
	return true;
}

static void page_free(struct nc_state *s, uint64_t idx)
{
	if (!s->page[idx])
		return;
	free(s->page[idx]);
	s->page[idx] = NULL;
	s->pages--;
}

/* Plain storage, no view semantics.  -1 only if a page cannot be allocated. */
static int mem_write(struct nemu_dev *d, uint64_t off, const uint8_t *p, size_t len)
{
	struct nc_state *s = &d->nc;

	while (len) {
		uint64_t idx = off >> NC_PAGE_SHIFT, in = off & PAGE_MASK;
		size_t n = (size_t)MIN((uint64_t)len, NC_PAGE_SIZE - in);
		bool zero = all_zero(p, n);

		if (zero && n == NC_PAGE_SIZE) {
			page_free(s, idx);	/* a whole page of zeroes: a hole */
		} else if (s->page[idx] || !zero) {
			if (!s->page[idx]) {
				s->page[idx] = calloc(1, NC_PAGE_SIZE);
				if (!s->page[idx]) {
					nemu_warn("dev%u: NC window page: out of memory", d->index);
					return -1;
				}
				s->pages++;
			}
			memcpy(s->page[idx] + in, p, n);
		}
		off += n;
		p += n;
		len -= n;
	}
	return 0;
}

static void mem_read(struct nemu_dev *d, uint64_t off, uint8_t *p, size_t len)
{
	while (len) {
		const uint8_t *pg = d->nc.page[off >> NC_PAGE_SHIFT];
		uint64_t in = off & PAGE_MASK;
		size_t n = (size_t)MIN((uint64_t)len, NC_PAGE_SIZE - in);

		if (pg)
			memcpy(p, pg + in, n);
		else
			memset(p, 0, n);
		off += n;
		p += n;
		len -= n;
	}
}

static uint32_t mem_ld32(struct nemu_dev *d, uint64_t off)
{
	const uint8_t *pg = d->nc.page[off >> NC_PAGE_SHIFT];

	return pg ? ld32(pg + (off & PAGE_MASK)) : 0;
}

static void mem_st32(struct nemu_dev *d, uint64_t off, uint32_t v)
{
	uint8_t b[4];

	st32(b, v);
	mem_write(d, off, b, 4);
}

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
		return mem_ld32(d, sem);
	return mem_ld32(d, off);
}

static void word_write(struct nemu_dev *d, uint64_t off, uint32_t v)
{
	uint64_t sem = 0;
	int32_t s;

	switch (classify(off, &sem)) {
	case PLAIN:
		mem_st32(d, off, v);
		break;
	case EVENT:
		v = v ? 1 : 0;
		if (mem_ld32(d, off) != v) {
			unsigned nc = (unsigned)(off / V1_NC_WINDOW_SIZE);
			uint32_t idx = (uint32_t)((off % V1_NC_WINDOW_SIZE - V1_NC_EVENTS) / 4);

			mem_st32(d, off, v);
			/* "An engine set/cleared an event": the EVENT queue hears of it. */
			nq_post(d, nc, NQ_TYPE_EVENT, 0, idx, v);
		}
		break;
	case SEM_READ:
		break;
	case SEM_SET:
		mem_st32(d, sem, v);
		break;
	case SEM_INCR:
		/* Semaphores are signed 32-bit; wrap like the hardware adder would. */
		s = (int32_t)(mem_ld32(d, sem) + v);
		mem_st32(d, sem, (uint32_t)s);
		break;
	case SEM_DECR:
		s = (int32_t)(mem_ld32(d, sem) - v);
		mem_st32(d, sem, (uint32_t)s);
		break;
	}
}

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
		for (; r < e && r + NC_OP_RECORD_SIZE <= off + len; r += NC_OP_RECORD_SIZE) {
			uint8_t rec[NC_OP_RECORD_SIZE];

			mem_read(d, r, rec, sizeof(rec));
			exec_record(d, nc, rec);
		}
	}
}

/* True if [off, off+len) touches the window of a core held in TPB reset. */
static bool touches_held(struct nemu_dev *d, uint64_t off, size_t len)
{
	if (!d->nc.held || !len)
		return false;
	for (uint64_t nc = off / V1_NC_WINDOW_SIZE; nc <= (off + len - 1) / V1_NC_WINDOW_SIZE; nc++)
		if (nc_held(&d->nc, (unsigned)nc))
			return true;
	return false;
}

static uint32_t bar2_peek(void *d, uint64_t w) { return mem_ld32(d, w); }
static uint32_t bar2_read(void *d, uint64_t w) { return word_read(d, w); }
static void bar2_write(void *d, uint64_t w, uint32_t v) { word_write(d, w, v); }

static const struct nemu_word_ops bar2_words = {
	.peek = bar2_peek, .read = bar2_read, .write = bar2_write,
};

static int access(struct nemu_dev *d, uint64_t off, uint8_t *p, size_t len, bool write,
		  bool mmio)
{
	if (off > V1_BAR2_SIZE || len > V1_BAR2_SIZE - off)
		return -1;
	if (touches_held(d, off, len)) {
		nemu_log("dev%u: %s %s NC window 0x%llx+%zu of a core in TPB reset",
			 d->index, mmio ? "MMIO" : "DMA", write ? "write to" : "read of",
			 (unsigned long long)off, len);
		if (!mmio)
			return -1;
		if (!write)
			memset(p, 0, len);
		return 0;
	}
	if (!touches_special(off, len)) {
		if (!write) {
			mem_read(d, off, p, len);
			return 0;
		}
		if (mem_write(d, off, p, len) < 0)
			return -1;
	} else {
		nemu_word_access(&bar2_words, d, off, p, len, write);
	}
	if (write)
		exec_fifo(d, off, len);
	return 0;
}

int nc_read(struct nemu_dev *d, uint64_t off, void *buf, size_t len)
{
	return access(d, off, buf, len, false, false);
}

int nc_write(struct nemu_dev *d, uint64_t off, const void *buf, size_t len)
{
	return access(d, off, (uint8_t *)(uintptr_t)buf, len, true, false);
}

int nc_mmio_read(struct nemu_dev *d, uint64_t off, void *buf, size_t len)
{
	return access(d, off, buf, len, false, true);
}

int nc_mmio_write(struct nemu_dev *d, uint64_t off, const void *buf, size_t len)
{
	return access(d, off, (uint8_t *)(uintptr_t)buf, len, true, true);
}

void nc_clear(struct nemu_dev *d, uint32_t map)
{
	for (unsigned nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		if (!(map & (1u << nc)))
			continue;
		for (uint64_t i = 0; i < NC_PAGES_PER_NC; i++)
			page_free(&d->nc, nc * NC_PAGES_PER_NC + i);
	}
}

void nc_reset(struct nemu_dev *d)
{
	/*
	 * Model assumption: a device reset resets every TPB, so it clears
	 * what a TPB reset of all four cores clears (the facts only say a
	 * reset clears DRAM and re-initialises "some hardware blocks").
	 */
	nc_clear(d, NC_ALL_CORES);
}

void nc_fini(struct nemu_dev *d)
{
	nc_clear(d, NC_ALL_CORES);
	d->nc.held = 0;
}
