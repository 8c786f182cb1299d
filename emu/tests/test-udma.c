// SPDX-License-Identifier: MIT
/* UDMA descriptor execution, ring ids, aborts and completion interrupts (facts 3, 4). */
#include <string.h>

#include "../../hw/v1/iofic_regs.h"
#include "../../hw/v1/udma_regs.h"
#include "../../hw/model/msix.h"
#include "../control.h"
#include "../dma_space.h"
#include "../util.h"
#include "fixture.h"
#include "harness.h"

static struct fixture f;

#define ENG		5		/* NC1, engine 2 */
#define Q		15
#define M2S_RING	0x100000u	/* host gpa */
#define S2M_RING	0x200000u
#define SRC		0x400000u
#define DST		0x800000u

struct ring { struct nemu_dev *d; unsigned eng, q; uint32_t len; uint64_t pos[2]; uint64_t base[2]; };

static uint64_t eng_base(unsigned eng)
{
	return V1_UDMA_OFFSET(eng / 3, eng % 3);
}

static uint64_t qbase(unsigned eng, int dir, unsigned q)
{
	return eng_base(eng) + (dir ? UDMA_S2M_Q(q) : UDMA_M2S_Q(q));
}

/* What the driver does at engine init that matters to the model (3.6). */
static void engine_init(struct nemu_dev *d, unsigned eng)
{
	for (unsigned q = 0; q < V1_DMA_QUEUES_PER_ENG; q++) {
		fx_w32(d, qbase(eng, 0, q) + UDMA_Q_CFG, UDMA_Q_CFG_RESET_VALUE | UDMA_Q_CFG_ENABLE);
		fx_w32(d, qbase(eng, 1, q) + UDMA_Q_CFG, UDMA_Q_CFG_RESET_VALUE | UDMA_Q_CFG_ENABLE);
	}
	fx_w32(d, eng_base(eng) + UDMA_M2S_PKT_LEN_CFG, UDMA_PKT_LEN_64K_ZERO | UDMA_PKT_LEN_MAX_MASK);
	/* Unmask every primary-A cause: queue completions and the abort. */
	fx_w32(d, eng_base(eng) + IOFIC_GROUP(IOFIC_PRIMARY, IOFIC_GRP_A) + IOFIC_MASK_CLEAR, 0);
}

/* Queue init (3.7); rings at device addresses base[0] (M2S) and base[1] (S2M). */
static void ring_init(struct ring *r, struct nemu_dev *d, unsigned eng, unsigned q,
		      uint32_t len, uint64_t m2s, uint64_t s2m)
{
	*r = (struct ring){ .d = d, .eng = eng, .q = q, .len = len, .base = { m2s, s2m } };
	for (int dir = 0; dir < 2; dir++) {
		uint64_t b = qbase(eng, dir, q);

		fx_w32(d, b + (dir ? UDMA_S2M_Q_SW_CTRL : UDMA_M2S_Q_SW_CTRL), UDMA_Q_SW_CTRL_RST_Q);
		fx_w32(d, b + UDMA_Q_RING_BASE_LO, (uint32_t)r->base[dir]);
		fx_w32(d, b + UDMA_Q_RING_BASE_HI, (uint32_t)(r->base[dir] >> 32));
		fx_w32(d, b + UDMA_Q_RING_LEN, len);
	}
}

/* Write the next descriptor of a direction with the correct ring id (+ id_delta). */
static void put(struct ring *r, int dir, uint32_t len, uint32_t flags, uint64_t addr, unsigned id_delta)
{
	uint64_t pos = r->pos[dir]++;
	uint32_t id = (uint32_t)((UDMA_RING_ID_INIT + pos / r->len + id_delta) & 3);
	uint8_t desc[UDMA_DESC_SIZE];

	st32(desc, UDMA_DESC_LEN_ENCODE(len) | flags | id << UDMA_DESC_RING_ID_SHIFT);
	st32(desc + 4, dir ? 0 : UDMA_M2S_META_COPY);
	st64(desc + 8, addr);
	if (dspace_write(r->d, r->base[dir] + (pos % r->len) * UDMA_DESC_SIZE, desc, sizeof(desc)))
		printf("# descriptor write failed\n");
}

static void bell(struct ring *r, int dir, uint32_t n)
{
	fx_w32(r->d, qbase(r->eng, dir, r->q) + UDMA_Q_TAIL_INC, n);
}

static uint32_t head(struct ring *r, int dir)
{
	return fx_r32(r->d, qbase(r->eng, dir, r->q) + UDMA_Q_RING_HEAD);
}

/* One chunk the way the driver copies (section 4): S2M then M2S doorbell. */
static void copy(struct ring *r, uint64_t src, uint64_t dst, uint32_t len, uint32_t extra)
{
	put(r, 1, len, extra & UDMA_DESC_INTERRUPT, dst, 0);
	put(r, 0, len, UDMA_DESC_FIRST | UDMA_DESC_LAST | (extra & UDMA_DESC_DMB), src, 0);
	bell(r, 1, 1);
	bell(r, 0, 1);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + seed);
}

static struct nemu_dev *setup(struct ring *r)
{
	struct nemu_dev *d;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	engine_init(d, ENG);
	ring_init(r, d, ENG, Q, 256, fx_host(M2S_RING), fx_host(S2M_RING));
	return d;
}

static void host_to_dram_to_host(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);
	uint8_t back[256];

	fill(f.host + SRC, 256, 1);
	copy(&r, fx_host(SRC), 0x1000, 256, 0);
	CHECK_EQ(dspace_read(d, 0x1000, back, 256), 0);
	CHECK(!memcmp(back, f.host + SRC, 256));
	copy(&r, 0x1000, fx_host(DST), 256, 0);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 256));
	CHECK_EQ(head(&r, 0), 2 | 1u << UDMA_Q_RING_ID_SHIFT);
	CHECK_EQ(head(&r, 1), 2 | 1u << UDMA_Q_RING_ID_SHIFT);
	CHECK_EQ(fx_r32(d, qbase(ENG, 0, Q) + UDMA_Q_RING_TAIL), 2 | 1u << UDMA_Q_RING_ID_SHIFT);
	CHECK_EQ(d->ctr.doorbells, 4);
	CHECK_EQ(d->ctr.descriptors, 4);
	CHECK_EQ(d->ctr.dma_bytes, 512);
	CHECK_EQ(d->ctr.queue_aborts, 0);
	fx_fini(&f);
}

static void dram_to_dram(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);
	uint8_t a[4096], b[4096];

	fill(a, sizeof(a), 2);
	CHECK_EQ(dspace_write(d, 0x2000, a, sizeof(a)), 0);
	/* Channel 0 to channel 1, the destination through the bit-44 port. */
	copy(&r, 0x2000, V1_DRAM_PORT1_BIT | (V1_DRAM_CH1_BASE + 0x100), sizeof(a), 0);
	CHECK_EQ(dspace_read(d, V1_DRAM_CH1_BASE + 0x100, b, sizeof(b)), 0);
	CHECK(!memcmp(a, b, sizeof(a)));
	/* BAR4 sees channel 1 at 4 GiB. */
	CHECK_EQ(dev_region_read(d, NEMU_REGION_BAR4, V1_DRAM_CHANNEL_SIZE + 0x100, b, 16), 0);
	CHECK(!memcmp(a, b, 16));
	fx_fini(&f);
}

static void multi_descriptor_packet(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);

	fill(f.host + SRC, 600, 3);
	/* Gather 100 + 200 + 300 bytes from three places, scatter into 400 + 200. */
	put(&r, 1, 400, 0, fx_host(DST), 0);
	put(&r, 1, 200, 0, fx_host(DST + 0x10000), 0);
	put(&r, 0, 100, UDMA_DESC_FIRST, fx_host(SRC), 0);
	put(&r, 0, 200, 0, fx_host(SRC + 100), 0);
	put(&r, 0, 300, UDMA_DESC_LAST, fx_host(SRC + 300), 0);
	bell(&r, 1, 2);
	bell(&r, 0, 3);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 400));
	CHECK(!memcmp(f.host + DST + 0x10000, f.host + SRC + 400, 200));
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 3);
	CHECK_EQ(head(&r, 1) & UDMA_Q_PTR_MASK, 2);
	CHECK_EQ(d->ctr.descriptors, 5);
	CHECK_EQ(d->ctr.dma_bytes, 600);
	fx_fini(&f);
}

static void packet_waits_for_last_and_s2m(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);

	fill(f.host + SRC, 64, 4);
	put(&r, 0, 32, UDMA_DESC_FIRST, fx_host(SRC), 0);
	bell(&r, 0, 1);
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 0);	/* no LAST yet */
	put(&r, 0, 32, UDMA_DESC_LAST, fx_host(SRC + 32), 0);
	bell(&r, 0, 1);
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 0);	/* no S2M buffer yet */
	put(&r, 1, 64, 0, fx_host(DST), 0);
	bell(&r, 1, 1);
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 2);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 64));
	CHECK_EQ(d->ctr.queue_aborts, 0);
	fx_fini(&f);
}

static void length_zero_is_64k(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);

	fill(f.host + SRC, 65536 + 16, 5);
	memset(f.host + DST, 0xee, 65536 + 16);
	copy(&r, fx_host(SRC), fx_host(DST), 0, 0);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 65536));
	CHECK_EQ(f.host[DST + 65536], 0xee);
	CHECK_EQ(d->ctr.dma_bytes, 65536);
	/* Without the packet-length option, length 0 is 0 bytes. */
	fx_w32(d, eng_base(ENG) + UDMA_M2S_PKT_LEN_CFG, UDMA_PKT_LEN_MAX_MASK);
	copy(&r, fx_host(SRC), fx_host(DST), 0, 0);
	CHECK_EQ(d->ctr.dma_bytes, 65536);
	CHECK_EQ(d->ctr.descriptors, 4);
	fx_fini(&f);
}

static void dmb_marker(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);
	uint32_t marker = 0xabcdef01;

	/* Data chunk with DMB, then the driver's completion marker pair. */
	fill(f.host + SRC, 1024, 6);
	memcpy(f.host + 0x3000, &marker, 4);
	memset(f.host + 0x3004, 0, 4);
	copy(&r, fx_host(SRC), 0x8000, 1024, UDMA_DESC_DMB);
	copy(&r, fx_host(0x3000), fx_host(0x3004), 4, 0);
	CHECK_EQ(ld32(f.host + 0x3004), marker);
	copy(&r, 0x8000, fx_host(DST), 1024, UDMA_DESC_DMB);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 1024));
	CHECK_EQ(d->ctr.queue_aborts, 0);
	fx_fini(&f);
}

static void ring_id_wraps(void)
{
	struct ring r;
	struct nemu_dev *d;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	engine_init(d, ENG);
	ring_init(&r, d, ENG, Q, 32, fx_host(M2S_RING), fx_host(S2M_RING));
	fill(f.host + SRC, 4096, 7);
	/* 100 copies through a 32-entry ring: ring ids 1, 2, 3, 0 in turn. */
	for (unsigned i = 0; i < 100; i++) {
		copy(&r, fx_host(SRC + 16 * i), fx_host(DST + 16 * i), 16, 0);
		if (i == 40)
			CHECK_EQ(head(&r, 0), 41 % 32 | 2u << UDMA_Q_RING_ID_SHIFT);
	}
	CHECK(!memcmp(f.host + DST, f.host + SRC, 1600));
	CHECK_EQ(head(&r, 0), 100 % 32 | ((1 + 100 / 32) & 3u) << UDMA_Q_RING_ID_SHIFT);
	CHECK_EQ(head(&r, 1), 100 % 32 | 0u << UDMA_Q_RING_ID_SHIFT);
	CHECK_EQ(d->ctr.queue_aborts, 0);
	/* Queue reset: pointers to 0, ring id back to 1. */
	fx_w32(d, qbase(ENG, 0, Q) + UDMA_M2S_Q_SW_CTRL, UDMA_Q_SW_CTRL_RST_Q);
	CHECK_EQ(head(&r, 0), 1u << UDMA_Q_RING_ID_SHIFT);
	fx_fini(&f);
}

static uint32_t cause(struct nemu_dev *d, unsigned ctrl, unsigned grp)
{
	return fx_r32(d, eng_base(ENG) + IOFIC_GROUP(ctrl, grp) + IOFIC_CAUSE);
}

static void ring_id_mismatch_aborts(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);

	put(&r, 1, 16, 0, fx_host(DST), 0);
	put(&r, 0, 16, UDMA_DESC_FIRST | UDMA_DESC_LAST, fx_host(SRC), 1);	/* stale id */
	bell(&r, 1, 1);
	bell(&r, 0, 1);
	CHECK_EQ(fx_r32(d, eng_base(ENG) + UDMA_M2S_STATE), 0x2222);
	CHECK_EQ(fx_r32(d, eng_base(ENG) + UDMA_S2M_STATE), 0);
	CHECK_EQ(d->ctr.queue_aborts, 1);
	CHECK(cause(d, IOFIC_SECONDARY, IOFIC_GRP_A) & IOFIC_M2S_ERR_RING_ID);
	CHECK(cause(d, IOFIC_PRIMARY, IOFIC_GRP_A) & IOFIC_CAUSE_ABORT);
	CHECK(cause(d, IOFIC_PRIMARY, IOFIC_GRP_D) & IOFIC_PRIMARY_D_M2S_ERR);
	CHECK_EQ(f.irqs[0][NEURON_MSIX_VEC_ENGINE(ENG)], 1);
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 0);
	CHECK_EQ(d->ctr.descriptors, 0);

	/* Recovery: queue reset, NORMAL, and the queue runs again. */
	ring_init(&r, d, ENG, Q, 256, fx_host(M2S_RING), fx_host(S2M_RING));
	fx_w32(d, eng_base(ENG) + UDMA_M2S_CHANGE_STATE, UDMA_CHANGE_STATE_NORMAL);
	CHECK_EQ(fx_r32(d, eng_base(ENG) + UDMA_M2S_STATE), 0x1111);
	fill(f.host + SRC, 16, 8);
	copy(&r, fx_host(SRC), fx_host(DST), 16, 0);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 16));
	fx_fini(&f);
}

static void s2m_ring_id_mismatch_aborts(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);

	put(&r, 1, 16, 0, fx_host(DST), 2);
	put(&r, 0, 16, UDMA_DESC_FIRST | UDMA_DESC_LAST, fx_host(SRC), 0);
	bell(&r, 1, 1);
	bell(&r, 0, 1);
	CHECK_EQ(fx_r32(d, eng_base(ENG) + UDMA_S2M_STATE), 0x2222);
	CHECK(cause(d, IOFIC_SECONDARY, IOFIC_GRP_B) & IOFIC_S2M_ERR_RING_ID);
	CHECK_EQ(d->ctr.queue_aborts, 1);
	fx_fini(&f);
}

static void bad_address_aborts(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);

	/* Source in the hole between the DRAM channels. */
	copy(&r, 0x300000000ULL, fx_host(DST), 16, 0);
	CHECK_EQ(fx_r32(d, eng_base(ENG) + UDMA_M2S_STATE), 0x2222);
	CHECK(cause(d, IOFIC_SECONDARY, IOFIC_GRP_A) & IOFIC_M2S_ERR_DATA_RESP);
	CHECK_EQ(d->ctr.queue_aborts, 1);

	/* Destination beyond the host memory the bus knows. */
	ring_init(&r, d, ENG, Q, 256, fx_host(M2S_RING), fx_host(S2M_RING));
	fx_w32(d, eng_base(ENG) + UDMA_M2S_CHANGE_STATE, UDMA_CHANGE_STATE_NORMAL);
	copy(&r, fx_host(SRC), fx_host(1ULL << 40), 16, 0);
	CHECK_EQ(fx_r32(d, eng_base(ENG) + UDMA_S2M_STATE), 0x2222);
	CHECK(cause(d, IOFIC_SECONDARY, IOFIC_GRP_B) & IOFIC_S2M_ERR_DATA_RESP);
	CHECK_EQ(d->ctr.queue_aborts, 2);
	fx_fini(&f);
}

/*
 * The vendor's UDMA header names the AXI response error bits: descriptor
 * fetch (M2S 11, S2M 9) apart from data access (M2S 8, S2M 1).
 */
static void axi_error_bits(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);

	/* M2S ring in the hole between the DRAM channels: descriptor fetch. */
	ring_init(&r, d, ENG, Q, 256, 0x300000000ULL, fx_host(S2M_RING));
	copy(&r, fx_host(SRC), fx_host(DST), 16, 0);
	CHECK(cause(d, IOFIC_SECONDARY, IOFIC_GRP_A) & IOFIC_M2S_ERR_DESC_RESP);
	CHECK(!(cause(d, IOFIC_SECONDARY, IOFIC_GRP_A) & IOFIC_M2S_ERR_DATA_RESP));
	fx_fini(&f);

	d = setup(&r);
	ring_init(&r, d, ENG, Q, 256, fx_host(M2S_RING), 0x300000000ULL);
	copy(&r, fx_host(SRC), fx_host(DST), 16, 0);
	CHECK(cause(d, IOFIC_SECONDARY, IOFIC_GRP_B) & IOFIC_S2M_ERR_DESC_RESP);
	CHECK(!(cause(d, IOFIC_SECONDARY, IOFIC_GRP_B) & IOFIC_S2M_ERR_DATA_RESP));
	fx_fini(&f);
}

/* Bits [19:16] of the length word count too (the R1.x header's [19:0]). */
static void length_bits_19_16(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);
	const uint32_t len = 0x10010;	/* 65552: not a 16-bit count */

	fill(f.host + SRC, len, 9);
	memset(f.host + DST, 0, len + 16);
	put(&r, 1, len & 0xffff, len & ~0xffffu, fx_host(DST), 0);
	put(&r, 0, len & 0xffff, (len & ~0xffffu) | UDMA_DESC_FIRST | UDMA_DESC_LAST,
	    fx_host(SRC), 0);
	bell(&r, 1, 1);
	bell(&r, 0, 1);
	CHECK_EQ(d->ctr.queue_aborts, 0);
	CHECK_EQ(d->ctr.dma_bytes, len);
	CHECK(!memcmp(f.host + DST, f.host + SRC, len));
	CHECK_EQ(f.host[DST + len], 0);
	fx_fini(&f);
}

static void bus_master_off_aborts(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);
	uint16_t cmd = 0x2;
	uint8_t a[16];

	/* Rings in DRAM so that only the data access needs the host. */
	ring_init(&r, d, ENG, Q, 64, 0x10000, V1_DRAM_PORT1_BIT | 0x20000);
	dev_region_write(d, NEMU_REGION_CONFIG, 4, &cmd, 2);
	fill(a, sizeof(a), 9);
	CHECK_EQ(dspace_write(d, 0x5000, a, sizeof(a)), 0);
	copy(&r, 0x5000, 0x6000, 16, 0);		/* DRAM to DRAM: fine */
	CHECK_EQ(d->ctr.queue_aborts, 0);
	copy(&r, fx_host(SRC), 0x6000, 16, 0);		/* host read: refused */
	CHECK_EQ(d->ctr.queue_aborts, 1);
	fx_fini(&f);
}

static void too_many_descriptors(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);

	for (unsigned i = 0; i <= V1_MAX_DESC_PER_PACKET; i++)
		put(&r, 0, 4, i ? 0 : UDMA_DESC_FIRST, fx_host(SRC), 0);
	bell(&r, 0, V1_MAX_DESC_PER_PACKET + 1);
	CHECK(cause(d, IOFIC_SECONDARY, IOFIC_GRP_A) & IOFIC_M2S_ERR_DESC_COUNT);
	CHECK_EQ(d->ctr.queue_aborts, 1);
	fx_fini(&f);
}

static void interrupt_bit(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);
	uint64_t gen = eng_base(ENG);
	unsigned vec = NEURON_MSIX_VEC_ENGINE(ENG);

	copy(&r, fx_host(SRC), fx_host(DST), 8, 0);
	CHECK_EQ(f.irqs[0][vec], 0);
	copy(&r, fx_host(SRC), fx_host(DST), 8, UDMA_DESC_INTERRUPT);
	CHECK_EQ(f.irqs[0][vec], 1);
	CHECK_EQ(d->ctr.interrupts, 1);
	CHECK(cause(d, IOFIC_PRIMARY, IOFIC_GRP_A) & IOFIC_CAUSE_QUEUE(Q));
	/* Fires again without clearing the cause. */
	copy(&r, fx_host(SRC), fx_host(DST), 8, UDMA_DESC_INTERRUPT);
	CHECK_EQ(f.irqs[0][vec], 2);
	/* Write 0 to clear. */
	fx_w32(d, gen + IOFIC_GROUP(IOFIC_PRIMARY, IOFIC_GRP_A) + IOFIC_CAUSE, 0);
	CHECK_EQ(cause(d, IOFIC_PRIMARY, IOFIC_GRP_A), 0);
	/* Masked: cause recorded, no MSI-X; unmasking delivers it. */
	fx_w32(d, gen + IOFIC_GROUP(IOFIC_PRIMARY, IOFIC_GRP_A) + IOFIC_MASK, IOFIC_CAUSE_QUEUE(Q));
	copy(&r, fx_host(SRC), fx_host(DST), 8, UDMA_DESC_INTERRUPT);
	CHECK_EQ(f.irqs[0][vec], 2);
	CHECK(cause(d, IOFIC_PRIMARY, IOFIC_GRP_A) & IOFIC_CAUSE_QUEUE(Q));
	fx_w32(d, gen + IOFIC_GROUP(IOFIC_PRIMARY, IOFIC_GRP_A) + IOFIC_MASK_CLEAR, ~IOFIC_CAUSE_QUEUE(Q));
	CHECK_EQ(f.irqs[0][vec], 3);
	/* MSI-X masked in CONTROL. */
	fx_w32(d, gen + IOFIC_GROUP(IOFIC_PRIMARY, IOFIC_GRP_A) + IOFIC_CONTROL, IOFIC_CTRL_MASK_MSIX);
	copy(&r, fx_host(SRC), fx_host(DST), 8, UDMA_DESC_INTERRUPT);
	CHECK_EQ(f.irqs[0][vec], 3);
	/* Power-on state: everything masked. */
	fx_fini(&f);
	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	engine_init(d, ENG);
	fx_w32(d, gen + IOFIC_GROUP(IOFIC_PRIMARY, IOFIC_GRP_A) + IOFIC_MASK, IOFIC_MASK_RESET_VALUE);
	ring_init(&r, d, ENG, Q, 256, fx_host(M2S_RING), fx_host(S2M_RING));
	copy(&r, fx_host(SRC), fx_host(DST), 8, UDMA_DESC_INTERRUPT);
	CHECK_EQ(f.irqs[0][vec], 0);
	CHECK_EQ(d->ctr.interrupts, 0);
	fx_fini(&f);
}

static void queue_enable_and_engine_state(void)
{
	struct ring r;
	struct nemu_dev *d;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	/* Power-on cfg has the enable bits clear: nothing runs. */
	CHECK_EQ(fx_r32(d, qbase(ENG, 0, Q) + UDMA_Q_CFG), UDMA_Q_CFG_RESET_VALUE);
	ring_init(&r, d, ENG, Q, 256, fx_host(M2S_RING), fx_host(S2M_RING));
	fill(f.host + SRC, 32, 10);
	copy(&r, fx_host(SRC), fx_host(DST), 32, 0);
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 0);
	engine_init(d, ENG);			/* enabling runs what was posted */
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 1);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 32));
	/* DISABLE stops, NORMAL resumes. */
	fx_w32(d, eng_base(ENG) + UDMA_S2M_CHANGE_STATE, UDMA_CHANGE_STATE_DISABLE);
	copy(&r, fx_host(SRC), fx_host(DST), 32, 0);
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 1);
	fx_w32(d, eng_base(ENG) + UDMA_S2M_CHANGE_STATE, UDMA_CHANGE_STATE_NORMAL);
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 2);
	fx_fini(&f);
}

static void rings_in_dram(void)
{
	struct ring r;
	struct nemu_dev *d;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	engine_init(d, 0);
	ring_init(&r, d, 0, 3, 64, V1_DRAM_CH1_BASE + 0x1000, V1_DRAM_PORT1_BIT | 0x40000);
	fill(f.host + SRC, 300, 11);
	copy(&r, fx_host(SRC), fx_host(DST), 300, 0);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 300));
	fx_fini(&f);
}

static void neighbour_and_semaphore_targets(void)
{
	struct ring r;
	struct nemu_dev *d0, *d1;
	uint32_t five = 5, v = 0;
	uint8_t back[64];

	fx_init(&f, 2, TOPO_RING);
	d0 = f.w.dev[0];
	d1 = f.w.dev[1];
	engine_init(d0, ENG);
	ring_init(&r, d0, ENG, Q, 256, fx_host(M2S_RING), fx_host(S2M_RING));
	fill(f.host + SRC, 64, 12);
	/* Host -> east neighbour's DRAM. */
	copy(&r, fx_host(SRC), V1_EAST_PREFIX | 0x9000, 64, 0);
	CHECK_EQ(dspace_read(d1, 0x9000, back, 64), 0);
	CHECK(!memcmp(back, f.host + SRC, 64));
	/* DMA into semaphore 2's INCR view of NC 0, twice. */
	memcpy(f.host + 0x3000, &five, 4);
	copy(&r, fx_host(0x3000), V1_TPB_BASE + V1_NC_SEM_INCR + 8, 4, 0);
	copy(&r, fx_host(0x3000), V1_TPB_BASE + V1_NC_SEM_INCR + 8, 4, 0);
	CHECK_EQ(dspace_read(d0, V1_TPB_BASE + V1_NC_SEM_READ + 8, &v, 4), 0);
	CHECK_EQ(v, 10);
	/* DMA into a register: misc 0x24 of the west neighbour. */
	copy(&r, fx_host(0x3000), V1_WEST_PREFIX | V1_MISC_DEV_ADDR(0x24), 4, 0);
	CHECK_EQ(fx_r32(d1, V1_MISC_RAM_OFFSET + 0x24), 5);
	fx_fini(&f);
}

static void faults(void)
{
	struct ring r;
	struct nemu_dev *d = setup(&r);
	char out[CTL_REPLY_MAX];
	unsigned vec = NEURON_MSIX_VEC_ENGINE(ENG);

	fill(f.host + SRC, 16, 13);
	/* queue_stall: doorbells are taken but nothing runs until cleared. */
	CHECK_EQ(control_exec(&f.w, "fault 0 queue_stall 5", out, sizeof(out)), 3);
	copy(&r, fx_host(SRC), fx_host(DST), 16, 0);
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 0);
	CHECK_EQ(fx_r32(d, qbase(ENG, 0, Q) + UDMA_Q_RING_TAIL) & UDMA_Q_PTR_MASK, 1);
	control_exec(&f.w, "fault 0 queue_stall -1", out, sizeof(out));
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 1);
	CHECK(!memcmp(f.host + DST, f.host + SRC, 16));
	/* step: a stalled engine runs exactly one packet per request. */
	CHECK(!strcmp((control_exec(&f.w, "step 0 5", out, sizeof(out)), out),
		      "err engine not stalled\n"));
	control_exec(&f.w, "fault 0 queue_stall 5", out, sizeof(out));
	CHECK(!strcmp((control_exec(&f.w, "step 0 5", out, sizeof(out)), out),
		      "err nothing to run\n"));
	copy(&r, fx_host(SRC), fx_host(DST), 16, 0);
	copy(&r, fx_host(SRC), fx_host(DST), 16, 0);
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 1);
	CHECK(!strcmp((control_exec(&f.w, "pending 0 5", out, sizeof(out)), out),
		      "pending 2\nok\n"));
	CHECK(!strcmp((control_exec(&f.w, "step 0 5", out, sizeof(out)), out), "ok\n"));
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 2);
	CHECK(!strcmp((control_exec(&f.w, "pending 0 5", out, sizeof(out)), out),
		      "pending 1\nok\n"));
	CHECK(!strcmp((control_exec(&f.w, "step 0 5", out, sizeof(out)), out), "ok\n"));
	CHECK_EQ(head(&r, 0) & UDMA_Q_PTR_MASK, 3);
	CHECK(!strcmp((control_exec(&f.w, "step 0 12", out, sizeof(out)), out),
		      "err engine out of range (0..11)\n"));
	control_exec(&f.w, "fault 0 queue_stall -1", out, sizeof(out));
	/* lost_irq: the next interrupt vanishes. */
	control_exec(&f.w, "fault 0 lost_irq 1", out, sizeof(out));
	copy(&r, fx_host(SRC), fx_host(DST), 16, UDMA_DESC_INTERRUPT);
	CHECK_EQ(f.irqs[0][vec], 0);
	copy(&r, fx_host(SRC), fx_host(DST), 16, UDMA_DESC_INTERRUPT);
	CHECK_EQ(f.irqs[0][vec], 1);
	/* dma_error: the next descriptor fails like a bad address. */
	control_exec(&f.w, "fault 0 dma_error 1", out, sizeof(out));
	copy(&r, fx_host(SRC), fx_host(DST), 16, 0);
	CHECK_EQ(d->ctr.queue_aborts, 1);
	CHECK(cause(d, IOFIC_SECONDARY, IOFIC_GRP_A) & IOFIC_M2S_ERR_DATA_RESP);
	CHECK_EQ(f.irqs[0][vec], 2);		/* the abort interrupt */
	fx_fini(&f);
}

int main(void)
{
	RUN(host_to_dram_to_host);
	RUN(dram_to_dram);
	RUN(multi_descriptor_packet);
	RUN(packet_waits_for_last_and_s2m);
	RUN(length_zero_is_64k);
	RUN(dmb_marker);
	RUN(ring_id_wraps);
	RUN(ring_id_mismatch_aborts);
	RUN(s2m_ring_id_mismatch_aborts);
	RUN(bad_address_aborts);
	RUN(bus_master_off_aborts);
	RUN(axi_error_bits);
	RUN(length_bits_19_16);
	RUN(too_many_descriptors);
	RUN(interrupt_bit);
	RUN(queue_enable_and_engine_state);
	RUN(rings_in_dram);
	RUN(neighbour_and_semaphore_targets);
	RUN(faults);
	return t_any_failed;
}
