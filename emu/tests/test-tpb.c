// SPDX-License-Identifier: MIT
/*
 * NeuronCore-only (TPB) reset (facts section 11: misc 0x1ec = 2, bitmap at
 * misc 0x1d8) and the NeuronCore window as sparse memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../hw/v1/fwio_regs.h"
#include "../../hw/model/nc_model.h"
#include "../../hw/v1/putils_regs.h"
#include "../../hw/model/nq_entry.h"
#include "../../hw/v1/udma_regs.h"
#include "../dma_space.h"
#include "../nc.h"
#include "../udma.h"
#include "../util.h"
#include "fixture.h"
#include "harness.h"

static struct fixture f;

#define MISC(off)	(V1_MISC_RAM_OFFSET + (off))
#define RINGS		0x100000u	/* host gpa: ring i at RINGS + i * 0x2000 */
#define NQ_RING(nc)	(0x200000u + (nc) * 0x1000u)
#define EV_RING(nc)	(0x280000u + (nc) * 0x1000u)
#define SRC		0x400000u
#define DST		0x800000u
#define Q		3

/* Device address of an offset in NC nc's window. */
static uint64_t win(unsigned nc, uint64_t off)
{
	return V1_TPB_BASE + V1_NC_WINDOW_OFFSET(nc) + off;
}

static uint64_t bar2(unsigned nc, uint64_t off)
{
	return V1_NC_WINDOW_OFFSET(nc) + off;
}

static uint32_t dma_r32(struct nemu_dev *d, uint64_t addr, int *ret)
{
	uint32_t v = 0xdeadbeef;

	*ret = dspace_read(d, addr, &v, 4);
	return v;
}

static uint32_t mmio_r32(struct nemu_dev *d, uint64_t off)
{
	uint32_t v = 0xdeadbeef;

	dev_region_read(d, NEMU_REGION_BAR2, off, &v, 4);
	return v;
}

static void mmio_w32(struct nemu_dev *d, uint64_t off, uint32_t v)
{
	dev_region_write(d, NEMU_REGION_BAR2, off, &v, 4);
}

static uint32_t sem(struct nemu_dev *d, unsigned nc, unsigned idx)
{
	int ret;
	uint32_t v = dma_r32(d, win(nc, V1_NC_SEM_READ + 4 * idx), &ret);

	return ret ? 0xdeadbeef : v;
}

/* --- a minimal UDMA queue, the driver's way (facts 3.6, 3.7, 4) --- */

struct ring {
	struct nemu_dev *d;
	unsigned eng, q;
	uint32_t len;
	uint64_t pos[2], base[2];
};

static uint64_t qbase(unsigned eng, int dir, unsigned q)
{
	return V1_UDMA_OFFSET(eng / 3, eng % 3) + (dir ? UDMA_S2M_Q(q) : UDMA_M2S_Q(q));
}

static void ring_init(struct ring *r, struct nemu_dev *d, unsigned eng, unsigned idx)
{
	uint64_t b = fx_host(RINGS + idx * 0x2000u);

	*r = (struct ring){ .d = d, .eng = eng, .q = Q, .len = 64, .base = { b, b + 0x1000 } };
	fx_w32(d, V1_UDMA_OFFSET(eng / 3, eng % 3) + UDMA_M2S_PKT_LEN_CFG,
	       UDMA_PKT_LEN_64K_ZERO | UDMA_PKT_LEN_MAX_MASK);
	for (int dir = 0; dir < 2; dir++) {
		uint64_t qb = qbase(eng, dir, Q);

		fx_w32(d, qb + UDMA_Q_CFG, UDMA_Q_CFG_RESET_VALUE | UDMA_Q_CFG_ENABLE);
		fx_w32(d, qb + (dir ? UDMA_S2M_Q_SW_CTRL : UDMA_M2S_Q_SW_CTRL), UDMA_Q_SW_CTRL_RST_Q);
		fx_w32(d, qb + UDMA_Q_RING_BASE_LO, (uint32_t)r->base[dir]);
		fx_w32(d, qb + UDMA_Q_RING_BASE_HI, (uint32_t)(r->base[dir] >> 32));
		fx_w32(d, qb + UDMA_Q_RING_LEN, r->len);
	}
}

static void put(struct ring *r, int dir, uint32_t len, uint32_t flags, uint64_t addr)
{
	uint64_t pos = r->pos[dir]++;
	uint32_t id = (uint32_t)((UDMA_RING_ID_INIT + pos / r->len) & 3);
	uint8_t *desc = f.host + (r->base[dir] & ~V1_HOST_PREFIX) + (pos % r->len) * UDMA_DESC_SIZE;

	st32(desc, UDMA_DESC_LEN_ENCODE(len) | flags | id << UDMA_DESC_RING_ID_SHIFT);
	st32(desc + 4, dir ? 0 : UDMA_M2S_META_COPY);
	st64(desc + 8, addr);
}

static void bell(struct ring *r, int dir, uint32_t n)
{
	fx_w32(r->d, qbase(r->eng, dir, r->q) + UDMA_Q_TAIL_INC, n);
}

/* One single-descriptor packet src -> dst (len <= 65536). */
static void copy(struct ring *r, uint64_t src, uint64_t dst, uint32_t len)
{
	put(r, 1, len, 0, dst);
	put(r, 0, len, UDMA_DESC_FIRST | UDMA_DESC_LAST, src);
	bell(r, 1, 1);
	bell(r, 0, 1);
}

static uint32_t eng_state(struct nemu_dev *d, unsigned eng, int dir)
{
	return fx_r32(d, V1_UDMA_OFFSET(eng / 3, eng % 3) +
		      (dir ? UDMA_S2M_STATE : UDMA_M2S_STATE)) & UDMA_STATE_FIELD_MASK;
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 13 + seed);
}

static void nq_program(struct nemu_dev *d, unsigned nc, uint64_t grp, uint64_t base)
{
	uint64_t g = V1_PUTILS_OFFSET(nc) + grp;

	fx_w32(d, g + PUTILS_NQ_BASE_LO, (uint32_t)base);
	fx_w32(d, g + PUTILS_NQ_BASE_HI, (uint32_t)(base >> 32));
	fx_w32(d, g + PUTILS_NQ_SIZE, 1024);
}

static void tpb_reset(struct nemu_dev *d, uint32_t map)
{
	fx_w32(d, MISC(MISC_TPB_RESET_MAP), map);
	fx_w32(d, MISC(MISC_RESET), MISC_RESET_TPB);
	fx_w32(d, MISC(MISC_DOORBELL), 1);
}

/* --- tests --- */

/*
 * State on NC 0 and NC 1; a timed TPB reset of NC 0 alone.  NC 0 loses
 * everything, NC 1 keeps everything, 0x1ec reads 2 until the firmware is
 * done and 0 after.
 */
static void reset_one_core(void)
{
	struct nemu_dev *d;
	struct ring r0, r1;
	uint8_t pat[0x3000], back[0x3000];
	uint8_t rec[NC_OP_RECORD_SIZE];
	uint32_t v, dram = 0xa5a5f00d;
	int ret;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	d->opt.tpb_reset_ms = 200;
	fill(pat, sizeof(pat), 3);
	CHECK_EQ(dspace_write(d, 0x2000, &dram, 4), 0);
	for (unsigned nc = 0; nc < 2; nc++) {
		nq_program(d, nc, PUTILS_NQ_NOTIFY(0), fx_host(NQ_RING(nc)));
		nq_program(d, nc, PUTILS_NQ_EVENT, fx_host(EV_RING(nc)));
		mmio_w32(d, bar2(nc, V1_NC_SEM_SET + 4 * 3), 11 + nc);
		mmio_w32(d, bar2(nc, V1_NC_EVENTS + 4 * 4), 1);
		CHECK_EQ(ld32(f.host + EV_RING(nc) + NQ_ENTRY_OFF_INDEX), 4);
		/* Window memory across a 64 KiB page boundary. */
		CHECK_EQ(dspace_write(d, win(nc, 0x10ff000), pat, sizeof(pat)), 0);
		CHECK(nq_post(d, nc, NQ_TYPE_NOTIFY, 0, 1, 1));
	}
	/* A partial PE FIFO record on NC 0: SEM_INCR 3 by 5, last word missing. */
	st32(rec, NC_OP_MAGIC | NC_OP_SEM_INCR);
	st32(rec + 4, 3);
	st32(rec + 8, 5);
	st32(rec + 12, 0);
	CHECK_EQ(dev_region_write(d, NEMU_REGION_BAR2, bar2(0, V1_NC_PE_IRAM_FIFO), rec, 12), 0);
	/* Work posted on NC 0's engine 1 and NC 1's engine 1 (a packet without LAST). */
	ring_init(&r0, d, V1_ENG_ID(0, 1), 0);
	ring_init(&r1, d, V1_ENG_ID(1, 1), 1);
	put(&r0, 0, 16, UDMA_DESC_FIRST, fx_host(SRC));
	bell(&r0, 0, 1);
	put(&r1, 0, 16, UDMA_DESC_FIRST, fx_host(SRC));
	bell(&r1, 0, 1);
	CHECK_EQ(udma_pending(d, V1_ENG_ID(0, 1)), 1);
	CHECK_EQ(udma_pending(d, V1_ENG_ID(1, 1)), 1);
	CHECK(d->nc.pages >= 4);

	tpb_reset(d, MISC_TPB_RESET_NC(0));
	/* In progress: 0x1ec still 2, the firmware silent, NC 0 held. */
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), MISC_RESET_TPB);
	CHECK_EQ(fx_r32(d, MISC(MISC_FW_STATUS)) & FW_STATUS_READY, 0);
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_RESET), &v), -1);
	CHECK_EQ(d->nc.held, 1);
	CHECK(dev_deadline(d) != UINT64_MAX);
	dev_tick(d, nemu_now_ms());
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), MISC_RESET_TPB);
	/* NC 0's state is gone already; NC 1 runs on. */
	CHECK_EQ(udma_pending(d, V1_ENG_ID(0, 1)), 0);
	CHECK_EQ(fx_r32(d, qbase(V1_ENG_ID(0, 1), 0, Q) + UDMA_Q_CFG), UDMA_Q_CFG_RESET_VALUE);
	CHECK_EQ(fx_r32(d, qbase(V1_ENG_ID(0, 1), 0, Q) + UDMA_Q_RING_BASE_LO), 0);
	CHECK_EQ(udma_pending(d, V1_ENG_ID(1, 1)), 1);
	/* Held: DMA to NC 0's window fails, MMIO is dropped / reads 0, engine writes ignored. */
	CHECK_EQ(dspace_write(d, win(0, 0x1000), pat, 4), -1);
	CHECK_EQ(dspace_read(d, win(0, 0x1000), back, 4), -1);
	mmio_w32(d, bar2(0, V1_NC_SEM_SET + 4 * 3), 99);
	CHECK_EQ(mmio_r32(d, bar2(0, V1_NC_SEM_READ + 4 * 3)), 0);
	fx_w32(d, qbase(V1_ENG_ID(0, 1), 0, Q) + UDMA_Q_RING_BASE_LO, 0x1000);
	CHECK_EQ(fx_r32(d, qbase(V1_ENG_ID(0, 1), 0, Q) + UDMA_Q_RING_BASE_LO), 0);
	CHECK(!nq_post(d, 0, NQ_TYPE_NOTIFY, 0, 2, 2));
	/* NC 1 (and its window) works during NC 0's reset. */
	CHECK_EQ(dspace_read(d, win(1, 0x10ff000), back, sizeof(back)), 0);
	CHECK(!memcmp(back, pat, sizeof(back)));
	CHECK_EQ(mmio_r32(d, bar2(1, V1_NC_SEM_READ + 4 * 3)), 12);

	dev_tick(d, nemu_now_ms() + 1000);
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), 0);
	CHECK_EQ(fx_r32(d, MISC(MISC_FW_STATUS)) & FW_STATUS_READY, FW_STATUS_READY);
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_RESET), &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(d->nc.held, 0);
	CHECK_EQ(dev_deadline(d), UINT64_MAX);
	CHECK_EQ(f.irqs[0][NEURON_MSIX_VEC_FWIO], 2);	/* reset done + the FWIO read */
	CHECK_EQ(d->ctr.tpb_resets, 1);
	CHECK_EQ(d->ctr.resets, 0);

	/* NC 0: semaphores, events, memory, FIFO, queues cleared. */
	CHECK_EQ(sem(d, 0, 3), 0);
	CHECK_EQ(dma_r32(d, win(0, V1_NC_EVENTS + 4 * 4), &ret), 0);
	CHECK_EQ(ret, 0);
	CHECK_EQ(dspace_read(d, win(0, 0x10ff000), back, sizeof(back)), 0);
	for (size_t i = 0; i < sizeof(back); i++)
		if (back[i]) {
			CHECK_EQ(back[i], 0);
			break;
		}
	CHECK_EQ(dma_r32(d, win(0, V1_NC_PE_IRAM_FIFO), &ret), 0);
	/* The partial record is gone: its last word alone is data. */
	CHECK_EQ(dev_region_write(d, NEMU_REGION_BAR2, bar2(0, V1_NC_PE_IRAM_FIFO + 12),
				  rec + 12, 4), 0);
	CHECK_EQ(sem(d, 0, 3), 0);
	/*
	 * The event's old value is forgotten: setting it again is a change,
	 * and the EVENT queue restarted at entry 0.
	 */
	memset(f.host + EV_RING(0), 0, NQ_ENTRY_SIZE);
	mmio_w32(d, bar2(0, V1_NC_EVENTS + 4 * 4), 1);
	CHECK_EQ(ld32(f.host + EV_RING(0) + NQ_ENTRY_OFF_INDEX), 4);
	CHECK_EQ(ld32(f.host + EV_RING(0) + NQ_ENTRY_OFF_SEQ), 0);
	CHECK_EQ(ld32(f.host + EV_RING(0) + NQ_ENTRY_OFF_INFO), NQ_TYPE_EVENT | NQ_ENTRY_PHASE);
	/* NC 0's notification queue restarted at entry 0; NC 1's goes on at 1. */
	CHECK(nq_post(d, 0, NQ_TYPE_NOTIFY, 0, 7, 70));
	CHECK_EQ(ld32(f.host + NQ_RING(0) + NQ_ENTRY_OFF_INDEX), 7);
	CHECK_EQ(ld32(f.host + NQ_RING(0) + NQ_ENTRY_OFF_SEQ), 0);
	CHECK(nq_post(d, 1, NQ_TYPE_NOTIFY, 0, 8, 80));
	CHECK_EQ(ld32(f.host + NQ_RING(1) + NQ_ENTRY_SIZE + NQ_ENTRY_OFF_INDEX), 8);
	CHECK_EQ(ld32(f.host + NQ_RING(1) + NQ_ENTRY_SIZE + NQ_ENTRY_OFF_SEQ), 1);
	/* NC 1: all intact, and its pending packet completes now. */
	CHECK_EQ(sem(d, 1, 3), 12);
	CHECK_EQ(dma_r32(d, win(1, V1_NC_EVENTS + 4 * 4), &ret), 1);
	CHECK_EQ(dspace_read(d, win(1, 0x10ff000), back, sizeof(back)), 0);
	CHECK(!memcmp(back, pat, sizeof(back)));
	CHECK_EQ(udma_pending(d, V1_ENG_ID(1, 1)), 1);
	put(&r1, 0, 16, UDMA_DESC_LAST, fx_host(SRC + 16));
	put(&r1, 1, 32, 0, win(1, 0x40));
	bell(&r1, 1, 1);
	bell(&r1, 0, 1);
	CHECK_EQ(udma_pending(d, V1_ENG_ID(1, 1)), 0);
	/* DRAM untouched. */
	CHECK_EQ(dma_r32(d, 0x2000, &ret), dram);
	/* NC 0's engine works again once re-initialised. */
	ring_init(&r0, d, V1_ENG_ID(0, 1), 0);
	fill(f.host + SRC, 64, 9);
	copy(&r0, fx_host(SRC), win(0, 0x80), 64);
	CHECK_EQ(dspace_read(d, win(0, 0x80), back, 64), 0);
	CHECK(!memcmp(back, f.host + SRC, 64));
	CHECK_EQ(d->ctr.queue_aborts, 0);
	fx_fini(&f);
}

/* --tpb-reset-ms 0: done within the doorbell; several cores; extra map bits ignored. */
static void reset_map_immediate(void)
{
	struct nemu_dev *d;
	uint32_t x = 0x5a5a5a5a;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	for (unsigned nc = 0; nc < 4; nc++) {
		mmio_w32(d, bar2(nc, V1_NC_SEM_SET + 4 * 31), 100 + nc);
		CHECK_EQ(dspace_write(d, win(nc, V1_NC_WINDOW_SIZE - 4), &x, 4), 0);
	}
	CHECK_EQ(d->nc.pages, 8);
	tpb_reset(d, MISC_TPB_RESET_NC(1) | MISC_TPB_RESET_NC(3) | 0xff00);
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), 0);
	CHECK_EQ(d->nc.held, 0);
	CHECK_EQ(f.irqs[0][NEURON_MSIX_VEC_FWIO], 1);
	/* The map stays as the host wrote it. */
	CHECK_EQ(fx_r32(d, MISC(MISC_TPB_RESET_MAP)), 0xff0a);
	CHECK_EQ(d->nc.pages, 4);
	for (unsigned nc = 0; nc < 4; nc++) {
		int ret;
		bool reset = nc == 1 || nc == 3;

		CHECK_EQ(sem(d, nc, 31), reset ? 0 : 100 + nc);
		CHECK_EQ(dma_r32(d, win(nc, V1_NC_WINDOW_SIZE - 4), &ret), reset ? 0 : x);
	}
	fx_fini(&f);
}

/* R2.24 sends an empty map on v1: nothing is reset, the handshake completes. */
static void reset_empty_map(void)
{
	struct nemu_dev *d;
	uint32_t v = 0;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	d->opt.tpb_reset_ms = 100;
	mmio_w32(d, bar2(2, V1_NC_SEM_SET), 5);
	tpb_reset(d, 0);
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), MISC_RESET_TPB);
	CHECK_EQ(d->nc.held, 0);
	dev_tick(d, nemu_now_ms() + 1000);
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_RESET), &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(sem(d, 2, 0), 5);
	CHECK_EQ(d->ctr.tpb_resets, 1);
	fx_fini(&f);
}

/* 0x1ec = 1 (or any value but 2) is still the device reset. */
static void device_reset_still_works(void)
{
	struct nemu_dev *d;
	struct ring r;
	uint32_t x = 0x77, v;
	int ret;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	d->opt.reset_ms = 150;
	d->opt.tpb_reset_ms = 0;
	CHECK_EQ(dspace_write(d, 0x1000, &x, 4), 0);
	for (unsigned nc = 0; nc < 4; nc++)
		CHECK_EQ(dspace_write(d, win(nc, 0x100), &x, 4), 0);
	mmio_w32(d, bar2(3, V1_NC_SEM_SET), 9);
	ring_init(&r, d, V1_ENG_ID(3, 2), 0);
	fx_w32(d, MISC(MISC_DEVICE_ID), 4);
	/* The TPB map is not looked at by a device reset. */
	fx_w32(d, MISC(MISC_TPB_RESET_MAP), 0);
	fx_w32(d, MISC(MISC_RESET), MISC_RESET_DEVICE);
	fx_w32(d, MISC(MISC_DOORBELL), 1);
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), MISC_RESET_DEVICE);
	CHECK_EQ(fx_r32(d, MISC(MISC_FW_STATUS)) & FW_STATUS_READY, 0);
	CHECK_EQ(d->nc.held, 0);
	dev_tick(d, nemu_now_ms() + 1000);
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), 0);
	CHECK_EQ(fx_r32(d, MISC(MISC_DEVICE_ID)), 0);
	CHECK_EQ(dma_r32(d, 0x1000, &ret), 0);
	for (unsigned nc = 0; nc < 4; nc++)
		CHECK_EQ(dma_r32(d, win(nc, 0x100), &ret), 0);
	CHECK_EQ(d->nc.pages, 0);
	CHECK_EQ(sem(d, 3, 0), 0);
	CHECK_EQ(fx_r32(d, qbase(V1_ENG_ID(3, 2), 0, Q) + UDMA_Q_RING_LEN), 0);
	CHECK_EQ(d->ctr.resets, 1);
	CHECK_EQ(d->ctr.tpb_resets, 0);
	/* Model assumption: values other than 1 and 2 also mean a device reset. */
	CHECK_EQ(dspace_write(d, 0x1000, &x, 4), 0);
	d->opt.reset_ms = 0;
	fx_w32(d, MISC(MISC_RESET), 3);
	fx_w32(d, MISC(MISC_DOORBELL), 1);
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), 0);
	CHECK_EQ(dma_r32(d, 0x1000, &ret), 0);
	CHECK_EQ(d->ctr.resets, 2);
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_FW_STATUS), &v), 0);
	CHECK_EQ(v & FW_STATUS_READY, FW_STATUS_READY);
	fx_fini(&f);
}

/*
 * DMA from another core's engine into a held core fails like a bad address
 * (the S2M half aborts) and writes nothing anywhere; so does a neighbour.
 */
static void dma_into_held_core(void)
{
	struct nemu_dev *d, *d1;
	struct ring r;
	int ret;

	fx_init(&f, 2, TOPO_RING);
	d = f.w.dev[0];
	d1 = f.w.dev[1];
	d->opt.tpb_reset_ms = 200;
	ring_init(&r, d, V1_ENG_ID(2, 0), 0);
	fill(f.host + SRC, 0x20000, 5);
	tpb_reset(d, MISC_TPB_RESET_NC(1));
	/* 128 KiB: the first 64 KiB to NC 1's window, a second descriptor to NC 2. */
	put(&r, 1, 0, 0, win(1, 0x3ff0000));
	put(&r, 1, 0, 0, win(2, 0));
	put(&r, 0, 0, UDMA_DESC_FIRST, fx_host(SRC));
	put(&r, 0, 0, UDMA_DESC_LAST, fx_host(SRC + 0x10000));
	bell(&r, 1, 2);
	bell(&r, 0, 2);
	CHECK_EQ(eng_state(d, V1_ENG_ID(2, 0), 1), UDMA_STATE_ABORT);
	CHECK_EQ(d->ctr.queue_aborts, 1);
	/* Reading out of it fails too (M2S of a fresh engine aborts). */
	ring_init(&r, d, V1_ENG_ID(3, 0), 1);
	copy(&r, win(1, 0), fx_host(DST), 64);
	CHECK_EQ(eng_state(d, V1_ENG_ID(3, 0), 0), UDMA_STATE_ABORT);
	/* The neighbour cannot reach it either; it can reach NC 2. */
	CHECK_EQ(dspace_write(d1, V1_WEST_PREFIX | win(1, 0), f.host + SRC, 4), -1);
	CHECK_EQ(dspace_write(d1, V1_WEST_PREFIX | win(2, 0x20000), f.host + SRC, 4), 0);
	dev_tick(d, nemu_now_ms() + 1000);
	CHECK_EQ(d->nc.held, 0);
	/* Nothing was written into NC 1. */
	CHECK_EQ(dma_r32(d, win(1, 0x3ff0000), &ret), 0);
	CHECK_EQ(ret, 0);
	CHECK_EQ(d->nc.pages, 1);	/* only the neighbour's NC 2 word */
	fx_fini(&f);
}

/* Host -> NC window -> host by UDMA, byte-exact; MMIO and DMA see the same bytes. */
static void window_round_trip(void)
{
	static const uint64_t offs[] = {
		0x0, 0x123457, 0x265bff0,		/* just below the PE FIFO */
		0x26ffff0,				/* up to the events view */
		0x2701400,				/* after the semaphore views */
		V1_NC_WINDOW_SIZE - 0x10000,		/* the last page */
	};
	struct nemu_dev *d;
	struct ring r;
	uint8_t back[0x10000];
	uint32_t v;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	ring_init(&r, d, V1_ENG_ID(1, 0), 0);
	for (unsigned nc = 0; nc < 4; nc++) {
		for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
			uint32_t len = offs[i] == 0x26ffff0 ? 16 : 0x10000;

			if (offs[i] + len > V1_NC_WINDOW_SIZE)
				len = (uint32_t)(V1_NC_WINDOW_SIZE - offs[i]);
			fill(f.host + SRC, len, nc * 16 + i);
			memset(f.host + DST, 0, len);
			copy(&r, fx_host(SRC), win(nc, offs[i]), len);
			copy(&r, win(nc, offs[i]), fx_host(DST), len);
			if (memcmp(f.host + DST, f.host + SRC, len)) {
				printf("# nc %u offset 0x%llx: round trip differs\n", nc,
				       (unsigned long long)offs[i]);
				t_fail++;
			}
			/* BAR2 MMIO reads the same bytes. */
			CHECK_EQ(dev_region_read(d, NEMU_REGION_BAR2, bar2(nc, offs[i]), back, len), 0);
			CHECK(!memcmp(back, f.host + SRC, len));
		}
	}
	/* MMIO writes, DMA reads. */
	fill(f.host + SRC, 0x1000, 77);
	CHECK_EQ(dev_region_write(d, NEMU_REGION_BAR2, bar2(3, 0x3ff8000), f.host + SRC, 0x1000), 0);
	copy(&r, win(3, 0x3ff8000), fx_host(DST), 0x1000);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 0x1000));
	CHECK_EQ(d->ctr.queue_aborts, 0);
	/* A DMA write that straddles into the events view: those words are events. */
	memset(f.host + SRC, 0x55, 32);
	copy(&r, fx_host(SRC), win(0, V1_NC_EVENTS - 16), 32);
	CHECK_EQ(mmio_r32(d, bar2(0, V1_NC_EVENTS - 4)), 0x55555555);
	CHECK_EQ(mmio_r32(d, bar2(0, V1_NC_EVENTS)), 1);
	CHECK_EQ(mmio_r32(d, bar2(0, V1_NC_EVENTS + 12)), 1);
	/* Into a semaphore SET view: the word's value is the semaphore's. */
	st32(f.host + SRC, 42);
	copy(&r, fx_host(SRC), win(2, V1_NC_SEM_SET + 4 * 7), 4);
	CHECK_EQ(sem(d, 2, 7), 42);
	/* Word 32 of a view and the rest of its 0x100 block are memory. */
	v = 0x12345678;
	mmio_w32(d, bar2(2, V1_NC_SEM_INCR + 4 * 32), v);
	CHECK_EQ(mmio_r32(d, bar2(2, V1_NC_SEM_INCR + 4 * 32)), v);
	CHECK_EQ(sem(d, 2, 0), 0);
	/* Past the window's end: bad address. */
	CHECK_EQ(dspace_read(d, V1_TPB_BASE + V1_BAR2_SIZE - 2, back, 4), -1);
	fx_fini(&f);
}

static long rss_kib(void)
{
	long pages = 0, rss = 0;
	FILE *fp = fopen("/proc/self/statm", "r");

	if (!fp)
		return -1;
	if (fscanf(fp, "%ld %ld", &pages, &rss) != 2)
		rss = -1;
	fclose(fp);
	return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* One byte at the end of every window of 4 devices costs 16 pages, not 1 GiB. */
static void sparse_window(void)
{
	uint8_t one = 0xee, back[4096];
	long before, after;

	fx_init(&f, FX_MAX_DEV, TOPO_NONE);
	before = rss_kib();
	for (unsigned i = 0; i < FX_MAX_DEV; i++) {
		struct nemu_dev *d = f.w.dev[i];

		CHECK_EQ(d->nc.pages, 0);
		for (unsigned nc = 0; nc < 4; nc++) {
			if (i & 1)
				CHECK_EQ(dev_region_write(d, NEMU_REGION_BAR2,
							  bar2(nc, V1_NC_WINDOW_SIZE - 1), &one, 1), 0);
			else
				CHECK_EQ(dspace_write(d, win(nc, V1_NC_WINDOW_SIZE - 1), &one, 1), 0);
		}
		CHECK_EQ(d->nc.pages, 4);
		/* Reading never-written memory returns 0 and allocates nothing. */
		for (uint64_t off = 0; off < V1_BAR2_SIZE; off += 0x100000) {
			memset(back, 0xff, sizeof(back));
			CHECK_EQ(nc_read(d, off, back, sizeof(back)), 0);
			if (back[0] || back[sizeof(back) - 1])
				CHECK(0);
		}
		CHECK_EQ(d->nc.pages, 4);
	}
	after = rss_kib();
	printf("# RSS %ld KiB -> %ld KiB\n", before, after);
	CHECK(before > 0 && after > 0);
	CHECK(after - before < 8 * 1024);
	/* Zeroes into a hole allocate nothing; a whole page of zeroes frees it. */
	{
		struct nemu_dev *d = f.w.dev[0];
		uint8_t *zero = calloc(1, NC_PAGE_SIZE);

		CHECK_EQ(dspace_write(d, win(1, 0x200000), zero, 4096), 0);
		CHECK_EQ(d->nc.pages, 4);
		CHECK_EQ(dspace_write(d, win(1, V1_NC_WINDOW_SIZE - NC_PAGE_SIZE), zero,
				      NC_PAGE_SIZE), 0);
		CHECK_EQ(d->nc.pages, 3);
		free(zero);
	}
	/* A function-level reset frees everything. */
	dev_reset(f.w.dev[1]);
	CHECK_EQ(f.w.dev[1]->nc.pages, 0);
	fx_fini(&f);
}

int main(void)
{
	RUN(reset_one_core);
	RUN(reset_map_immediate);
	RUN(reset_empty_map);
	RUN(device_reset_still_works);
	RUN(dma_into_held_core);
	RUN(window_round_trip);
	RUN(sparse_window);
	return t_any_failed;
}
