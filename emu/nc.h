/* SPDX-License-Identifier: MIT */
/*
 * BAR2 / the NeuronCore (TPB) window: memory except for the event and
 * semaphore views of each NeuronCore (facts sections 2.3 and 6.5), stored
 * in sparse 64 KiB pages, and the TPB-reset hold of individual cores.
 */
#ifndef NEMU_NC_H
#define NEMU_NC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../hw/v1/address_map.h"

struct nemu_dev;

/*
 * Model assumption: window storage granule.  A page is allocated on the
 * first write of a non-zero byte into it; a page never written reads 0; a
 * write of a whole page of zeroes frees it.
 */
#define NC_PAGE_SHIFT		16
#define NC_PAGE_SIZE		(1u << NC_PAGE_SHIFT)
#define NC_PAGES		(V1_BAR2_SIZE / NC_PAGE_SIZE)
#define NC_PAGES_PER_NC		(V1_NC_WINDOW_SIZE / NC_PAGE_SIZE)
#define NC_ALL_CORES		((1u << V1_NC_PER_DEVICE) - 1)

/* Control views inside each NC window (offsets from hw/v1/address_map.h). */
#define NC_EVENTS_SIZE		(4ULL * V1_EVENTS_PER_NC)	/* 0x400 */
#define NC_SEM_VIEW_STRIDE	0x100ULL			/* READ, SET, INCR, DECR */
#define NC_SEM_VIEW_SIZE	(4ULL * V1_SEMAPHORES_PER_NC)	/* 0x80 */

struct nc_state {
	uint8_t *page[NC_PAGES];	/* NULL: never written, reads 0 */
	uint32_t pages;			/* pages allocated */
	uint32_t held;			/* bit per NC held in a TPB reset */
};

/*
 * DMA and FWIO accesses (device address V1_TPB_BASE + off): -1 on a bad
 * range, on a range that touches a core held in TPB reset, or when memory
 * cannot be allocated.
 */
int nc_read(struct nemu_dev *d, uint64_t off, void *buf, size_t len);
int nc_write(struct nemu_dev *d, uint64_t off, const void *buf, size_t len);
/* Guest BAR2 MMIO: like DMA, but a held core drops writes and reads 0. */
int nc_mmio_read(struct nemu_dev *d, uint64_t off, void *buf, size_t len);
int nc_mmio_write(struct nemu_dev *d, uint64_t off, const void *buf, size_t len);
/* Clear the whole window (memory, semaphores, events) of the NCs in map. */
void nc_clear(struct nemu_dev *d, uint32_t map);
/* What a firmware device reset does to the NCs: every window cleared. */
void nc_reset(struct nemu_dev *d);
/* Free every page (device destruction, function-level reset). */
void nc_fini(struct nemu_dev *d);

static inline bool nc_held(const struct nc_state *s, unsigned nc)
{
	return s->held & (1u << nc);
}

#endif /* NEMU_NC_H */
