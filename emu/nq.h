/* SPDX-License-Identifier: MIT */
/*
 * Notification queues of each NeuronCore (PUTILS block, facts section 6):
 * the model's writer of entries into the programmed rings
 * (entry format: hw/v1/putils_regs.h).
 */
#ifndef NEMU_NQ_H
#define NEMU_NQ_H

#include <stdbool.h>
#include <stdint.h>

#include "../hw/v1/address_map.h"
#include "../hw/v1/putils_regs.h"

struct nemu_dev;

/* Write position of one queue: entries written since it was programmed. */
struct nq_queue {
	uint32_t written;
};

struct nq_state {
	struct nq_queue q[V1_NC_PER_DEVICE][NQ_TYPES][NQ_INSTANCES];
	uint64_t posted, dropped;
};

/* BAR0 offset inside a PUTILS block?  Then nc gets its NeuronCore. */
bool nq_owns(uint64_t bar0_off, unsigned *nc);
void nq_reg_write(struct nemu_dev *d, unsigned nc, uint64_t bar0_off, uint32_t val);
/*
 * Post one entry; false if the queue is disabled, the write failed or the
 * NeuronCore is held in a TPB reset.
 */
bool nq_post(struct nemu_dev *d, unsigned nc, unsigned type, unsigned instance,
	     uint32_t index, uint32_t value);
void nq_reset(struct nemu_dev *d);
/* Restart the queues of one NeuronCore (TPB reset). */
void nq_reset_nc(struct nemu_dev *d, unsigned nc);

#endif /* NEMU_NQ_H */
