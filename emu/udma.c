// SPDX-License-Identifier: MIT
/*
 * UDMA engines (facts section 3): queue registers, doorbells and descriptor
 * execution.
 *
 * Execution is synchronous: a tail-increment doorbell runs every complete
 * M2S packet of that queue for which enough S2M buffers are posted, before
 * the MMIO write returns.  In-order synchronous execution makes DMB ("wait
 * for everything earlier") hold by construction.  A packet whose LAST
 * descriptor or whose S2M buffers are not posted yet waits for the next
 * doorbell of either direction.
 *
 * A packet is FIRST..LAST M2S descriptors (at most 128); its bytes are
 * gathered in order and scattered over successive S2M descriptors of the
 * same queue number; the last S2M buffer may be partly filled and the next
 * packet starts with a fresh S2M descriptor (open question 15.7: the model's
 * choice).  Errors abort the engine half (M2S or S2M) that saw them: its
 * state register reads 2 in every field, the IOFIC error causes are set and
 * primary A's abort cause fires the engine vector (hw/v1/iofic_regs.h).
 * Processing resumes after change-state NORMAL; the failing packet stays at
 * the head until the queue is reset.
 */
#include <stdlib.h>

#include "../hw/v1/address_map.h"
#include "../hw/v1/iofic_regs.h"
#include "../hw/v1/udma_regs.h"
#include "../hw/model/msix.h"
#include "device.h"
#include "dma_space.h"
#include "udma.h"
#include "util.h"

#define ENG_BASE(eng)	V1_UDMA_OFFSET((eng) / V1_DMA_ENG_PER_NC, (eng) % V1_DMA_ENG_PER_NC)
#define QUEUE_BASE(dir, q) ((dir) == UDMA_DIR_M2S ? UDMA_M2S_Q(q) : UDMA_S2M_Q(q))

/*
 * S2M buffers one packet may spread over.  Not a documented limit; it only
 * bounds the model's work for pathological (tiny-buffer) rings.  Exceeding
 * it aborts the S2M half.
 */
#define MAX_S2M_PER_PACKET	1024

int udma_engine_of(uint64_t off, uint64_t *rel)
{
	for (unsigned nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		uint64_t base = V1_UDMA_OFFSET(nc, 0);

		if (off >= base && off < base + V1_DMA_ENG_PER_NC * V1_UDMA_WINDOW_SIZE) {
			*rel = (off - base) % V1_UDMA_WINDOW_SIZE;
			return (int)(nc * V1_DMA_ENG_PER_NC + (off - base) / V1_UDMA_WINDOW_SIZE);
		}
	}
	return -1;
}

static uint32_t qreg(struct nemu_dev *d, unsigned eng, int dir, unsigned q, unsigned reg)
{
	return reg_get(d, ENG_BASE(eng) + QUEUE_BASE(dir, q) + reg);
}

static uint32_t ring_len(struct nemu_dev *d, unsigned eng, int dir, unsigned q)
{
	return qreg(d, eng, dir, q, UDMA_Q_RING_LEN) & UDMA_Q_PTR_MASK;
}

static uint64_t ring_base(struct nemu_dev *d, unsigned eng, int dir, unsigned q)
{
	return (uint64_t)qreg(d, eng, dir, q, UDMA_Q_RING_BASE_HI) << 32 |
	       (qreg(d, eng, dir, q, UDMA_Q_RING_BASE_LO) & ~(uint32_t)(UDMA_Q_RING_BASE_ALIGN - 1));
}

/* Ring id of the descriptor at absolute position pos: 1, 2, 3, 0, 1, ... */
static unsigned ring_id(uint64_t pos, uint32_t len)
{
	return (unsigned)((UDMA_RING_ID_INIT + pos / len) & 3);
}

/* Head/tail register value: index [23:0], ring id [31:30]. */
static uint32_t ptr_reg(uint64_t total, uint32_t len)
{
	if (!len)
		return (uint32_t)UDMA_RING_ID_INIT << UDMA_Q_RING_ID_SHIFT;
	return (uint32_t)(total % len) | (uint32_t)ring_id(total, len) << UDMA_Q_RING_ID_SHIFT;
}

static uint32_t state_reg(enum udma_run r)
{
	uint32_t f = r == UDMA_RUN_NORMAL ? UDMA_STATE_NORMAL :
		     r == UDMA_RUN_ABORTED ? UDMA_STATE_ABORT : UDMA_STATE_IDLE;

	return f << UDMA_STATE_COMP_CTRL_SHIFT | f << UDMA_STATE_STREAM_IF_SHIFT |
	       f << UDMA_STATE_DATA_RD_SHIFT | f << UDMA_STATE_DESC_PREF_SHIFT;
}

void udma_reset_engine(struct nemu_dev *d, unsigned eng)
{
	struct udma_engine *e = &d->eng[eng];
	uint64_t base = ENG_BASE(eng);

	memset(e->q, 0, sizeof(e->q));
	e->run[UDMA_DIR_M2S] = e->run[UDMA_DIR_S2M] = UDMA_RUN_IDLE;
	e->busy = 0;
	iofic_reset(&e->iofic);
	nemu_zero_pages(&d->regs[base / 4], V1_UDMA_WINDOW_SIZE);
	for (unsigned q = 0; q < V1_DMA_QUEUES_PER_ENG; q++) {
		reg_set(d, base + UDMA_M2S_Q(q) + UDMA_Q_CFG, UDMA_Q_CFG_RESET_VALUE);
		reg_set(d, base + UDMA_S2M_Q(q) + UDMA_Q_CFG, UDMA_Q_CFG_RESET_VALUE);
		reg_set(d, base + UDMA_M2S_Q(q) + UDMA_M2S_Q_RATE_LIMIT_MASK,
			UDMA_M2S_Q_RATE_LIMIT_RESET_VALUE);
	}
	reg_set(d, base + UDMA_M2S_DMA_VERSION, UDMA_VERSION_V4);
}

void udma_reset(struct nemu_dev *d)
{
	for (unsigned eng = 0; eng < V1_DMA_ENG_PER_DEVICE; eng++)
		udma_reset_engine(d, eng);
}

static int abort_half(struct nemu_dev *d, unsigned eng, int dir, uint32_t cause)
{
	struct udma_engine *e = &d->eng[eng];

	e->run[dir] = UDMA_RUN_ABORTED;
	d->ctr.queue_aborts++;
	nemu_log("dev%u: engine %u %s abort, cause 0x%x", d->index, eng,
		 dir == UDMA_DIR_M2S ? "M2S" : "S2M", cause);
	if (dir == UDMA_DIR_M2S) {
		iofic_raise(d, eng, IOFIC_SECONDARY_IDX(IOFIC_GRP_A), cause);
		iofic_raise(d, eng, IOFIC_PRIMARY_IDX(IOFIC_GRP_D), IOFIC_PRIMARY_D_M2S_ERR);
	} else {
		iofic_raise(d, eng, IOFIC_SECONDARY_IDX(IOFIC_GRP_B), cause);
		iofic_raise(d, eng, IOFIC_PRIMARY_IDX(IOFIC_GRP_D), IOFIC_PRIMARY_D_S2M_ERR);
	}
	iofic_raise(d, eng, IOFIC_PRIMARY_IDX(IOFIC_GRP_A), IOFIC_CAUSE_ABORT);
	return -1;
}

struct seg {
	uint64_t addr;
	uint32_t len;
	uint32_t ctrl;
};

static uint32_t desc_len(uint32_t ctrl, bool len64k)
{
	uint32_t len = ctrl & UDMA_DESC_LEN_MASK;

	return (!len && len64k) ? UDMA_DESC_MAX_LEN : len;
}

/*
 * Fetch the descriptor at absolute position pos of a ring and check its
 * ring id.  Returns 0, or the IOFIC cause to abort with.
 */
static uint32_t fetch(struct nemu_dev *d, unsigned eng, int dir, unsigned q, uint64_t pos,
		      struct seg *s, bool len64k)
{
	uint32_t len = ring_len(d, eng, dir, q);
	uint8_t raw[UDMA_DESC_SIZE];
	uint32_t err_axi = dir == UDMA_DIR_M2S ? IOFIC_M2S_ERR_DESC_RESP : IOFIC_S2M_ERR_DESC_RESP;
	uint32_t err_id = dir == UDMA_DIR_M2S ? IOFIC_M2S_ERR_RING_ID : IOFIC_S2M_ERR_RING_ID;

	if (!len)
		return err_axi;
	if (dspace_read(d, ring_base(d, eng, dir, q) + (pos % len) * UDMA_DESC_SIZE,
			raw, sizeof(raw)) < 0)
		return err_axi;
	s->ctrl = ld32(raw + UDMA_DESC_OFF_CTRL);
	s->addr = ld64(raw + UDMA_DESC_OFF_ADDR);
	s->len = desc_len(s->ctrl, len64k);
	if (((s->ctrl & UDMA_DESC_RING_ID_MASK) >> UDMA_DESC_RING_ID_SHIFT) != ring_id(pos, len))
		return err_id;
	return 0;
}

/* 1: a packet ran; 0: waiting for descriptors; -1: aborted. */
static int run_packet(struct nemu_dev *d, unsigned eng, unsigned q)
{
	struct udma_engine *e = &d->eng[eng];
	struct udma_queue *m = &e->q[UDMA_DIR_M2S][q], *s = &e->q[UDMA_DIR_S2M][q];
	uint32_t pkt_cfg = reg_get(d, ENG_BASE(eng) + UDMA_M2S_PKT_LEN_CFG);
	bool len64k = pkt_cfg & UDMA_PKT_LEN_64K_ZERO;
	uint64_t max_pkt = pkt_cfg & UDMA_PKT_LEN_MAX_MASK;
	/* On the stack: a packet's DMA may ring another queue's doorbell. */
	struct seg src[V1_MAX_DESC_PER_PACKET];
	struct seg dst[MAX_S2M_PER_PACKET];
	uint64_t total = 0, cap = 0, off;
	unsigned ns = 0, nd = 0;
	bool irq = false;
	uint8_t *buf;
	uint32_t err;

	/* Gather the M2S packet. */
	for (;;) {
		if (m->head + ns == m->tail)
			return 0;	/* LAST not posted yet */
		if (ns == V1_MAX_DESC_PER_PACKET)
			return abort_half(d, eng, UDMA_DIR_M2S, IOFIC_M2S_ERR_DESC_COUNT);
		err = fetch(d, eng, UDMA_DIR_M2S, q, m->head + ns, &src[ns], len64k);
		if (err)
			return abort_half(d, eng, UDMA_DIR_M2S, err);
		if (!ns != !!(src[ns].ctrl & UDMA_DESC_FIRST))
			return abort_half(d, eng, UDMA_DIR_M2S, IOFIC_M2S_ERR_FIRST);
		total += src[ns].len;
		if (src[ns++].ctrl & UDMA_DESC_LAST)
			break;
	}
	if (max_pkt && total > max_pkt)
		return abort_half(d, eng, UDMA_DIR_M2S, IOFIC_M2S_ERR_PKT_LEN);

	/* Enough S2M buffers for it?  A zero-length packet still takes one. */
	do {
		if (s->head + nd == s->tail)
			return 0;
		if (nd == ARRAY_SIZE(dst))
			return abort_half(d, eng, UDMA_DIR_S2M, IOFIC_S2M_ERR_DESC_RESP);
		err = fetch(d, eng, UDMA_DIR_S2M, q, s->head + nd, &dst[nd], len64k);
		if (err)
			return abort_half(d, eng, UDMA_DIR_S2M, err);
		cap += dst[nd++].len;
	} while (cap < total);

	buf = malloc(total ? total : 1);
	if (!buf)
		return abort_half(d, eng, UDMA_DIR_M2S, IOFIC_M2S_ERR_DATA_RESP);
	/*
	 * Gather: every descriptor waits for the previous one (synchronous),
	 * so a DMB descriptor needs no special handling.
	 */
	for (unsigned i = 0, o = 0; i < ns; o += src[i++].len) {
		if (d->faults.dma_error) {
			d->faults.dma_error--;
			nemu_log("dev%u: injected DMA error", d->index);
			free(buf);
			return abort_half(d, eng, UDMA_DIR_M2S, IOFIC_M2S_ERR_DATA_RESP);
		}
		if (dspace_read(d, src[i].addr, buf + o, src[i].len) < 0) {
			free(buf);
			return abort_half(d, eng, UDMA_DIR_M2S, IOFIC_M2S_ERR_DATA_RESP);
		}
	}
	/* Scatter. */
	off = 0;
	for (unsigned i = 0; i < nd; i++) {
		uint32_t n = (uint32_t)MIN((uint64_t)dst[i].len, total - off);

		if (dspace_write(d, dst[i].addr, buf + off, n) < 0) {
			free(buf);
			return abort_half(d, eng, UDMA_DIR_S2M, IOFIC_S2M_ERR_DATA_RESP);
		}
		off += n;
		if (dst[i].ctrl & UDMA_DESC_INTERRUPT)
			irq = true;
	}
	free(buf);
	m->head += ns;
	s->head += nd;
	d->ctr.descriptors += ns + nd;
	d->ctr.dma_bytes += total;
	nemu_log("dev%u: eng %u q %u: packet %llu bytes, %u+%u descriptors", d->index,
		 eng, q, (unsigned long long)total, ns, nd);
	if (irq)
		iofic_raise(d, eng, IOFIC_PRIMARY_IDX(IOFIC_GRP_A), IOFIC_CAUSE_QUEUE(q));
	return 1;
}

/* Queue q has posted work and both halves may run it (stall aside). */
static bool ready(struct nemu_dev *d, unsigned eng, unsigned q)
{
	struct udma_engine *e = &d->eng[eng];

	for (int dir = 0; dir < 2; dir++) {
		if (e->run[dir] == UDMA_RUN_DISABLED || e->run[dir] == UDMA_RUN_ABORTED)
			return false;
		if ((qreg(d, eng, dir, q, UDMA_Q_CFG) & UDMA_Q_CFG_ENABLE) != UDMA_Q_CFG_ENABLE)
			return false;
	}
	return e->q[UDMA_DIR_M2S][q].head != e->q[UDMA_DIR_M2S][q].tail;
}

static bool runnable(struct nemu_dev *d, unsigned eng, unsigned q)
{
	return !(d->faults.stalled & (1u << eng)) && ready(d, eng, q);
}

static void process(struct nemu_dev *d, unsigned eng, unsigned q)
{
	struct udma_engine *e = &d->eng[eng];

	/* Re-entered from our own DMA (a packet writing this doorbell): the
	 * outer loop picks the new tail up. */
	if (e->busy & (1u << q))
		return;
	e->busy |= 1u << q;
	while (runnable(d, eng, q) && run_packet(d, eng, q) > 0)
		;
	e->busy &= ~(1u << q);
}

/*
 * Run one packet of a stalled engine: its lowest-numbered queue with work.
 * Lets a test make an engine slow but never stopped.  Returns 1 if a packet
 * ran, 0 if there was nothing to run, -1 if the packet aborted the engine.
 */
int udma_step(struct nemu_dev *d, unsigned eng)
{
	struct udma_engine *e = &d->eng[eng];
	int ret = 0;

	for (unsigned q = 0; q < V1_DMA_QUEUES_PER_ENG; q++) {
		if (!ready(d, eng, q) || (e->busy & (1u << q)))
			continue;
		e->busy |= 1u << q;
		ret = run_packet(d, eng, q);
		e->busy &= ~(1u << q);
		break;
	}
	return ret;
}

/* Descriptors posted on engine eng's M2S queues and not consumed yet. */
uint64_t udma_pending(struct nemu_dev *d, unsigned eng)
{
	uint64_t n = 0;

	for (unsigned q = 0; q < V1_DMA_QUEUES_PER_ENG; q++)
		n += d->eng[eng].q[UDMA_DIR_M2S][q].tail - d->eng[eng].q[UDMA_DIR_M2S][q].head;
	return n;
}

void udma_kick(struct nemu_dev *d, unsigned eng)
{
	for (unsigned q = 0; q < V1_DMA_QUEUES_PER_ENG; q++)
		process(d, eng, q);
}

static void change_state(struct nemu_dev *d, unsigned eng, int dir, uint32_t val)
{
	struct udma_engine *e = &d->eng[eng];

	if (val & UDMA_CHANGE_STATE_ABORT)
		e->run[dir] = UDMA_RUN_ABORTED;
	else if (val & UDMA_CHANGE_STATE_DISABLE)
		e->run[dir] = UDMA_RUN_DISABLED;
	else if (val & UDMA_CHANGE_STATE_NORMAL) {
		e->run[dir] = UDMA_RUN_NORMAL;
		udma_kick(d, eng);
	}
}

uint32_t udma_read(struct nemu_dev *d, unsigned eng, uint64_t rel)
{
	struct udma_engine *e = &d->eng[eng];
	int dir = -1;
	unsigned q = 0, reg = 0;

	switch (rel) {
	case UDMA_M2S_DMA_VERSION:
		return UDMA_VERSION_V4;
	case UDMA_M2S_STATE:
		return state_reg(e->run[UDMA_DIR_M2S]);
	case UDMA_S2M_STATE:
		return state_reg(e->run[UDMA_DIR_S2M]);
	}
	if (iofic_owns(rel))
		return iofic_read(d, eng, rel);
	if (rel >= UDMA_M2S_Q(0) && rel < UDMA_M2S_Q(V1_DMA_QUEUES_PER_ENG))
		dir = UDMA_DIR_M2S;
	else if (rel >= UDMA_S2M_Q(0) && rel < UDMA_S2M_Q(V1_DMA_QUEUES_PER_ENG))
		dir = UDMA_DIR_S2M;
	if (dir >= 0) {
		q = (unsigned)((rel - QUEUE_BASE(dir, 0)) / UDMA_Q_STRIDE);
		reg = (unsigned)(rel % UDMA_Q_STRIDE);
		if (reg == UDMA_Q_RING_HEAD)
			return ptr_reg(e->q[dir][q].head, ring_len(d, eng, dir, q));
		if (reg == UDMA_Q_RING_TAIL)
			return ptr_reg(e->q[dir][q].tail, ring_len(d, eng, dir, q));
	}
	return reg_get(d, ENG_BASE(eng) + rel);
}

void udma_write(struct nemu_dev *d, unsigned eng, uint64_t rel, uint32_t val)
{
	struct udma_engine *e = &d->eng[eng];
	uint64_t abs = ENG_BASE(eng) + rel;
	int dir = -1;
	unsigned q, reg, sw_ctrl;

	switch (rel) {
	case UDMA_M2S_DMA_VERSION:
	case UDMA_M2S_STATE:
	case UDMA_S2M_STATE:
		return;				/* read-only */
	case UDMA_M2S_CHANGE_STATE:
		change_state(d, eng, UDMA_DIR_M2S, val);
		return;
	case UDMA_S2M_CHANGE_STATE:
		change_state(d, eng, UDMA_DIR_S2M, val);
		return;
	}
	if (iofic_owns(rel)) {
		iofic_write(d, eng, rel, val);
		return;
	}
	if (rel >= UDMA_M2S_Q(0) && rel < UDMA_M2S_Q(V1_DMA_QUEUES_PER_ENG))
		dir = UDMA_DIR_M2S;
	else if (rel >= UDMA_S2M_Q(0) && rel < UDMA_S2M_Q(V1_DMA_QUEUES_PER_ENG))
		dir = UDMA_DIR_S2M;
	if (dir < 0) {
		reg_set(d, abs, val);
		return;
	}
	q = (unsigned)((rel - QUEUE_BASE(dir, 0)) / UDMA_Q_STRIDE);
	reg = (unsigned)(rel % UDMA_Q_STRIDE);
	sw_ctrl = dir == UDMA_DIR_M2S ? UDMA_M2S_Q_SW_CTRL : UDMA_S2M_Q_SW_CTRL;
	if (reg == UDMA_Q_TAIL_INC) {
		d->ctr.doorbells++;
		e->q[dir][q].tail += val & UDMA_Q_PTR_MASK;
		process(d, eng, q);
	} else if (reg == sw_ctrl) {
		/* Queue reset: pointers to 0, ring id back to 1 [inferred]. */
		if (val & UDMA_Q_SW_CTRL_RST_Q)
			e->q[dir][q].head = e->q[dir][q].tail = 0;
		reg_set(d, abs, val & ~UDMA_Q_SW_CTRL_RST_Q);
	} else if (reg == UDMA_Q_RING_HEAD || reg == UDMA_Q_RING_TAIL) {
		return;				/* read-only */
	} else {
		reg_set(d, abs, val);
		if (reg == UDMA_Q_CFG)
			process(d, eng, q);	/* may just have been enabled */
	}
}
