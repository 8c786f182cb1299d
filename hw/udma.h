/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * UDMA engine HAL: engine and queue initialisation, descriptor rings,
 * doorbells and interrupt enables.  Every register access is a posted
 * MMIO write; nothing here reads a register (v1 reads go through FWIO).
 */
#ifndef NEURON_UDMA_H
#define NEURON_UDMA_H

#include <linux/types.h>

struct neuron_device;

/**
 * struct neuron_udma_ring - one direction of a queue's descriptor ring
 * @desc: descriptors (host memory, coherent)
 * @dma: bus address of @desc
 * @size: descriptors, a power of two
 * @next: index software writes next
 * @ring_id: ring id ("phase") of index @next
 */
struct neuron_udma_ring {
	__le32 *desc;
	dma_addr_t dma;
	u32 size;
	u32 next;
	u8 ring_id;
};

/* Directions, for neuron_udma_doorbell(). */
#define NEURON_UDMA_M2S		0
#define NEURON_UDMA_S2M		1

int neuron_udma_engine_check(struct neuron_device *ndev, const int *engs, int n);
void neuron_udma_engine_init(struct neuron_device *ndev, int eng);
void neuron_udma_queue_init(struct neuron_device *ndev, int eng, int q,
			    struct neuron_udma_ring *m2s,
			    struct neuron_udma_ring *s2m);
void neuron_udma_queue_reset(struct neuron_device *ndev, int eng, int q);
void neuron_udma_engine_normal(struct neuron_device *ndev, int eng);
void neuron_udma_irq_enable(struct neuron_device *ndev, int eng, u32 queues);
void neuron_udma_put(struct neuron_udma_ring *ring, u32 ctrl, u32 word1,
		     u64 addr);
void neuron_udma_doorbell(struct neuron_device *ndev, int eng, int q,
			  int dir, u32 count);
int neuron_udma_read_state(struct neuron_device *ndev, int eng, int q,
			   bool *aborted, u32 *m2s_head);

#endif /* NEURON_UDMA_H */
