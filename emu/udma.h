/* SPDX-License-Identifier: MIT */
/* UDMA engines: queue state, register side effects, descriptor execution. */
#ifndef NEMU_UDMA_H
#define NEMU_UDMA_H

#include <stdbool.h>
#include <stdint.h>

#include "../hw/v1/address_map.h"
#include "iofic.h"

struct nemu_dev;

enum { UDMA_DIR_M2S = 0, UDMA_DIR_S2M = 1 };

/* Engine-half run state as the model keeps it. */
enum udma_run {
	UDMA_RUN_IDLE,		/* after reset: processes, state reads 0 */
	UDMA_RUN_NORMAL,	/* after change-state NORMAL: reads 1 */
	UDMA_RUN_DISABLED,	/* after change-state DISABLE: stops, reads 0 */
	UDMA_RUN_ABORTED,	/* error or change-state ABORT: stops, reads 2 */
};

struct udma_queue {
	/*
	 * Descriptors consumed / posted since the last queue reset.  Keeping
	 * totals instead of ring indices makes "tail == head" unambiguous
	 * and gives the ring id for free: id = (1 + total / len) mod 4.
	 */
	uint64_t head, tail;
};

struct udma_engine {
	struct udma_queue q[2][V1_DMA_QUEUES_PER_ENG];
	enum udma_run run[2];
	uint32_t busy;		/* queues currently executing (re-entry guard) */
	struct iofic iofic;
};

/* Engine index (0..11) and window-relative offset of a BAR0 offset, or -1. */
int udma_engine_of(uint64_t bar0_off, uint64_t *rel);
void udma_reset(struct nemu_dev *d);
/* One engine back to its power-on state: queues, run state, IOFIC, registers. */
void udma_reset_engine(struct nemu_dev *d, unsigned eng);
uint32_t udma_read(struct nemu_dev *d, unsigned eng, uint64_t rel);
void udma_write(struct nemu_dev *d, unsigned eng, uint64_t rel, uint32_t val);
/* Run whatever is runnable on every queue of an engine (after un-stall). */
void udma_kick(struct nemu_dev *d, unsigned eng);
/* One packet of a stalled engine (control `step`): 1 ran, 0 none, -1 aborted. */
int udma_step(struct nemu_dev *d, unsigned eng);
/* M2S descriptors posted and not consumed, over the engine's queues. */
uint64_t udma_pending(struct nemu_dev *d, unsigned eng);

#endif /* NEMU_UDMA_H */
