// SPDX-License-Identifier: MIT
/*
 * Notification queue writer.  The PUTILS registers themselves stay in the
 * BAR0 register file (the driver programs base/size/head there); this file
 * only notices when a queue is (re)programmed and appends entries.
 */
#include "../hw/model/msix.h"
#include "../hw/v1/putils_regs.h"
#include "../hw/model/nq_entry.h"
#include "device.h"
#include "dma_space.h"
#include "nq.h"
#include "util.h"

/* Group base (PUTILS-relative) of a queue, sub-queue 0 as the driver uses. */
static uint64_t group(unsigned type, unsigned instance)
{
	switch (type) {
	case NQ_TYPE_TRACE:
		return PUTILS_NQ_TRACE(instance);
	case NQ_TYPE_NOTIFY:
		return PUTILS_NQ_NOTIFY(instance);
	case NQ_TYPE_EVENT:
		return PUTILS_NQ_EVENT;
	default:
		return PUTILS_NQ_ERROR;
	}
}

/* EVENT and ERROR have one instance in hardware; the others four. */
static unsigned instances(unsigned type)
{
	return type == NQ_TYPE_EVENT || type == NQ_TYPE_ERROR ? 1 : NQ_INSTANCES;
}

bool nq_owns(uint64_t off, unsigned *nc)
{
	for (unsigned n = 0; n < V1_NC_PER_DEVICE; n++) {
		if (off >= V1_PUTILS_OFFSET(n) && off < V1_PUTILS_OFFSET(n) + V1_PUTILS_SIZE) {
			*nc = n;
			return true;
		}
	}
	return false;
}

void nq_reg_write(struct nemu_dev *d, unsigned nc, uint64_t off, uint32_t val)
{
	uint64_t rel = off - V1_PUTILS_OFFSET(nc);

	reg_set(d, off, val);
	for (unsigned t = 0; t < NQ_TYPES; t++) {
		for (unsigned i = 0; i < instances(t); i++) {
			uint64_t g = group(t, i);

			/* Reprogramming restarts the ring at entry 0, phase 1. */
			if (rel == g + PUTILS_NQ_BASE_LO || rel == g + PUTILS_NQ_BASE_HI ||
			    rel == g + PUTILS_NQ_SIZE)
				d->nq.q[nc][t][i].written = 0;
		}
	}
}

bool nq_post(struct nemu_dev *d, unsigned nc, unsigned type, unsigned instance,
	     uint32_t index, uint32_t value)
{
	uint64_t g, base;
	uint32_t size, slots, phase;
	struct nq_queue *q;
	uint8_t e[NQ_ENTRY_SIZE];

	if (nc >= V1_NC_PER_DEVICE || type >= NQ_TYPES || instance >= instances(type))
		return false;
	/* Model assumption: a core held in TPB reset produces no entries. */
	if (nc_held(&d->nc, nc)) {
		d->nq.dropped++;
		return false;
	}
	g = V1_PUTILS_OFFSET(nc) + group(type, instance);
	base = (uint64_t)reg_get(d, g + PUTILS_NQ_BASE_HI) << 32 | reg_get(d, g + PUTILS_NQ_BASE_LO);
	size = reg_get(d, g + PUTILS_NQ_SIZE);
	q = &d->nq.q[nc][type][instance];
	slots = size / NQ_ENTRY_SIZE;
	if (!slots) {
		d->nq.dropped++;
		return false;
	}
	phase = (NQ_PHASE_INIT + q->written / slots) & 1;
	st32(e + NQ_ENTRY_OFF_INFO, type << NQ_ENTRY_TYPE_SHIFT |
	     instance << NQ_ENTRY_INSTANCE_SHIFT | (phase ? NQ_ENTRY_PHASE : 0));
	st32(e + NQ_ENTRY_OFF_INDEX, index);
	st32(e + NQ_ENTRY_OFF_VALUE, value);
	st32(e + NQ_ENTRY_OFF_SEQ, q->written);
	if (dspace_write(d, base + (uint64_t)(q->written % slots) * NQ_ENTRY_SIZE, e, sizeof(e)) < 0) {
		d->nq.dropped++;
		nemu_log("dev%u: NQ nc %u type %u: ring at 0x%llx unwritable", d->index, nc,
			 type, (unsigned long long)base);
		return false;
	}
	q->written++;
	d->nq.posted++;
	dev_irq(d, NEURON_MSIX_VEC_NQ(nc));
	return true;
}

void nq_reset(struct nemu_dev *d)
{
	memset(&d->nq, 0, sizeof(d->nq));
}

void nq_reset_nc(struct nemu_dev *d, unsigned nc)
{
	memset(d->nq.q[nc], 0, sizeof(d->nq.q[nc]));
}
