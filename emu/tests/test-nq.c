// SPDX-License-Identifier: MIT
/* Notification queues: programming, EVENT entries, phase, injection (model format). */
#include <string.h>

#include "../../hw/model/nc_model.h"
#include "../../hw/v1/putils_regs.h"
#include "../../hw/model/nq_entry.h"
#include "../control.h"
#include "../dma_space.h"
#include "../util.h"
#include "fixture.h"
#include "harness.h"

static struct fixture f;
#define RING	0x50000u

static void program(struct nemu_dev *d, unsigned nc, uint64_t grp, uint64_t base, uint32_t size)
{
	uint64_t g = V1_PUTILS_OFFSET(nc) + grp;

	fx_w32(d, g + PUTILS_NQ_BASE_LO, (uint32_t)base);
	fx_w32(d, g + PUTILS_NQ_BASE_HI, (uint32_t)(base >> 32));
	fx_w32(d, g + PUTILS_NQ_SIZE, size);
}

static void event(struct nemu_dev *d, unsigned nc, unsigned idx, uint32_t v)
{
	dev_region_write(d, NEMU_REGION_BAR2, V1_NC_WINDOW_OFFSET(nc) + V1_NC_EVENTS + 4 * idx, &v, 4);
}

static uint32_t ent(unsigned k, unsigned word)
{
	return ld32(f.host + RING + k * NQ_ENTRY_SIZE + word);
}

static void event_entries(void)
{
	struct nemu_dev *d;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	program(d, 1, PUTILS_NQ_EVENT, fx_host(RING), 4096);
	event(d, 1, 5, 1);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_INFO), NQ_TYPE_EVENT | NQ_ENTRY_PHASE);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_INDEX), 5);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_VALUE), 1);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_SEQ), 0);
	CHECK_EQ(f.irqs[0][NEURON_MSIX_VEC_NQ(1)], 1);
	/* Same value again: no change, no entry. */
	event(d, 1, 5, 7);
	CHECK_EQ(ent(1, NQ_ENTRY_OFF_INFO), 0);
	/* Cleared: second entry. */
	event(d, 1, 5, 0);
	CHECK_EQ(ent(1, NQ_ENTRY_OFF_VALUE), 0);
	CHECK_EQ(ent(1, NQ_ENTRY_OFF_SEQ), 1);
	CHECK_EQ(ent(1, NQ_ENTRY_OFF_INFO), NQ_TYPE_EVENT | NQ_ENTRY_PHASE);
	/* Other NCs' events do not go to NC 1's queue (NC 0 has none). */
	event(d, 0, 5, 1);
	CHECK_EQ(ent(2, NQ_ENTRY_OFF_INFO), 0);
	CHECK_EQ(d->nq.dropped, 1);
	/* Events set by DMA count too. */
	{
		uint32_t one = 1;

		CHECK_EQ(dspace_write(d, V1_TPB_BASE + V1_NC_WINDOW_OFFSET(1) + V1_NC_EVENTS + 4 * 255,
				      &one, 4), 0);
	}
	CHECK_EQ(ent(2, NQ_ENTRY_OFF_INDEX), 255);
	CHECK_EQ(f.irqs[0][NEURON_MSIX_VEC_NQ(1)], 3);
	fx_fini(&f);
}

static void phase_wraps(void)
{
	struct nemu_dev *d;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	/* Two entries per pass. */
	program(d, 0, PUTILS_NQ_EVENT, fx_host(RING), 2 * NQ_ENTRY_SIZE);
	for (unsigned i = 0; i < 5; i++)
		event(d, 0, i, 1);
	/* Entries 0..4 -> slots 0,1,0,1,0; phase 1,1,0,0,1. */
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_SEQ), 4);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_INFO) & NQ_ENTRY_PHASE, NQ_ENTRY_PHASE);
	CHECK_EQ(ent(1, NQ_ENTRY_OFF_SEQ), 3);
	CHECK_EQ(ent(1, NQ_ENTRY_OFF_INFO) & NQ_ENTRY_PHASE, 0);
	CHECK_EQ(ent(2, NQ_ENTRY_OFF_INFO), 0);		/* never past the ring */
	/* Reprogramming restarts at entry 0, phase 1. */
	memset(f.host + RING, 0, 64);
	program(d, 0, PUTILS_NQ_EVENT, fx_host(RING), 4 * NQ_ENTRY_SIZE);
	event(d, 0, 9, 1);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_SEQ), 0);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_INDEX), 9);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_INFO) & NQ_ENTRY_PHASE, NQ_ENTRY_PHASE);
	/* Size 0 disables. */
	program(d, 0, PUTILS_NQ_EVENT, fx_host(RING), 0);
	event(d, 0, 10, 1);
	CHECK_EQ(ent(1, NQ_ENTRY_OFF_INFO), 0);
	fx_fini(&f);
}

static void injected_and_dram(void)
{
	struct nemu_dev *d;
	char out[CTL_REPLY_MAX];
	uint8_t e[NQ_ENTRY_SIZE];

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	program(d, 3, PUTILS_NQ_ERROR, fx_host(RING), 4096);
	CHECK_EQ(control_exec(&f.w, "notify 0 3 3 0 17 99", out, sizeof(out)), 3);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_INFO), NQ_TYPE_ERROR | NQ_ENTRY_PHASE);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_INDEX), 17);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_VALUE), 99);
	CHECK_EQ(f.irqs[0][NEURON_MSIX_VEC_NQ(3)], 1);
	/* NOTIFY instance 2 of NC 2 in device DRAM. */
	program(d, 2, PUTILS_NQ_NOTIFY(2), V1_DRAM_CH1_BASE + 0x8000, 256);
	CHECK_EQ(control_exec(&f.w, "notify 0 2 1 2 4 5", out, sizeof(out)), 3);
	CHECK_EQ(dspace_read(d, V1_DRAM_CH1_BASE + 0x8000, e, sizeof(e)), 0);
	CHECK_EQ(ld32(e), NQ_TYPE_NOTIFY | 2u << NQ_ENTRY_INSTANCE_SHIFT | NQ_ENTRY_PHASE);
	/* Unprogrammed, out of range, malformed. */
	control_exec(&f.w, "notify 0 1 0 0 1 1", out, sizeof(out));
	CHECK(!strcmp(out, "err queue disabled or not writable\n"));
	control_exec(&f.w, "notify 0 4 0 0 1 1", out, sizeof(out));
	CHECK(!strcmp(out, "err no such queue\n"));
	control_exec(&f.w, "notify 0 1 0", out, sizeof(out));
	CHECK(!strncmp(out, "err usage", 9));
	/* A firmware reset forgets the write positions. */
	dev_fw_reset(d);
	CHECK_EQ(d->nq.q[3][NQ_TYPE_ERROR][0].written, 0);
	fx_fini(&f);
}

static void rec(uint8_t *p, uint32_t op, uint32_t a, uint32_t b, uint32_t c)
{
	st32(p, op);
	st32(p + 4, a);
	st32(p + 8, b);
	st32(p + 12, c);
}

static void nc_command_set(void)
{
	struct nemu_dev *d;
	uint64_t fifo = V1_NC_WINDOW_OFFSET(2) + V1_NC_PE_IRAM_FIFO;
	uint8_t prog[6 * NC_OP_RECORD_SIZE];
	uint32_t v = 0;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	program(d, 2, PUTILS_NQ_NOTIFY(1), fx_host(RING), 256);
	program(d, 2, PUTILS_NQ_ERROR, fx_host(RING + 0x1000), 256);
	program(d, 2, PUTILS_NQ_EVENT, fx_host(RING + 0x2000), 256);
	rec(prog, NC_OP_MAGIC | NC_OP_NOTIFY, 1, 3, 4);
	rec(prog + 16, NC_OP_MAGIC | NC_OP_SEM_SET, 5, 10, 0);
	rec(prog + 32, NC_OP_MAGIC | NC_OP_SEM_DECR, 5, 3, 0);
	rec(prog + 48, NC_OP_MAGIC | NC_OP_EVENT, 7, 1, 0);
	rec(prog + 64, NC_OP_MAGIC | NC_OP_ERROR, 9, 2, 0);
	rec(prog + 80, 0x12345678, 1, 1, 1);		/* not a command: data */
	/* The path a DMA takes into the FIFO at device address TPB + ... */
	CHECK_EQ(dspace_write(d, V1_TPB_BASE + fifo, prog, sizeof(prog)), 0);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_INFO), NQ_TYPE_NOTIFY | 1u << NQ_ENTRY_INSTANCE_SHIFT | NQ_ENTRY_PHASE);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_INDEX), 3);
	CHECK_EQ(ent(0, NQ_ENTRY_OFF_VALUE), 4);
	CHECK_EQ(ld32(f.host + RING + 0x1000 + NQ_ENTRY_OFF_INDEX), 9);
	CHECK_EQ(ld32(f.host + RING + 0x1000 + NQ_ENTRY_OFF_VALUE), 2);
	CHECK_EQ(ld32(f.host + RING + 0x2000 + NQ_ENTRY_OFF_INDEX), 7);
	CHECK_EQ(dspace_read(d, V1_TPB_BASE + V1_NC_WINDOW_OFFSET(2) + V1_NC_SEM_READ + 20, &v, 4), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(dspace_read(d, V1_TPB_BASE + V1_NC_WINDOW_OFFSET(2) + V1_NC_EVENTS + 28, &v, 4), 0);
	CHECK_EQ(v, 1);
	CHECK_EQ(f.irqs[0][NEURON_MSIX_VEC_NQ(2)], 3);
	/* The FIFO is also memory. */
	CHECK_EQ(dev_region_read(d, NEMU_REGION_BAR2, fifo + 80, &v, 4), 0);
	CHECK_EQ(v, 0x12345678);

	/* MMIO, word by word: runs when the last word lands, not before. */
	rec(prog, NC_OP_MAGIC | NC_OP_SEM_INCR, 5, 100, 0);
	for (unsigned w = 0; w < 3; w++)
		dev_region_write(d, NEMU_REGION_BAR2, fifo + 0x100 + 4 * w, prog + 4 * w, 4);
	CHECK_EQ(dspace_read(d, V1_TPB_BASE + V1_NC_WINDOW_OFFSET(2) + V1_NC_SEM_READ + 20, &v, 4), 0);
	CHECK_EQ(v, 7);
	dev_region_write(d, NEMU_REGION_BAR2, fifo + 0x10c, prog + 12, 4);
	CHECK_EQ(dspace_read(d, V1_TPB_BASE + V1_NC_WINDOW_OFFSET(2) + V1_NC_SEM_READ + 20, &v, 4), 0);
	CHECK_EQ(v, 107);
	/* A write covering only the first words of a record does not run it. */
	dev_region_write(d, NEMU_REGION_BAR2, fifo + 0x100, prog, 8);
	CHECK_EQ(dspace_read(d, V1_TPB_BASE + V1_NC_WINDOW_OFFSET(2) + V1_NC_SEM_READ + 20, &v, 4), 0);
	CHECK_EQ(v, 107);
	fx_fini(&f);
}

int main(void)
{
	RUN(event_entries);
	RUN(phase_wraps);
	RUN(injected_and_dram);
	RUN(nc_command_set);
	return t_any_failed;
}
