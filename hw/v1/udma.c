// SPDX-License-Identifier: GPL-2.0-only
/*
 * UDMA engine HAL for Inferentia v1 (the interface is hw/udma.h).
 *
 * The legacy driver configured engines with FWIO read-modify-writes.  A
 * FWIO read is a firmware round trip, so, like the R2.24 driver, this
 * writes the complete values blindly: every field the facts name gets its
 * documented value, the others their documented reset value.  The only
 * reads are the DMA-version check at probe and the error-path state read.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/io.h>
#include <linux/kernel.h>

#include <drm/drm_print.h>

#include "neuron_drv.h"
#include "neuron_fwio.h"
#include "neuron_hw.h"
#include "model/msix.h"
#include "udma.h"
#include "v1/address_map.h"
#include "v1/iofic_regs.h"
#include "v1/udma_regs.h"

static void __iomem *neuron_udma_base(struct neuron_device *ndev, int eng)
{
	return ndev->bar0 + V1_UDMA_OFFSET(eng / V1_DMA_ENG_PER_NC,
					   eng % V1_DMA_ENG_PER_NC);
}

static void udma_w(struct neuron_device *ndev, int eng, u32 off, u32 val)
{
	writel(val, neuron_udma_base(ndev, eng) + off);
}

static u64 neuron_udma_dev_addr(int eng, u32 off)
{
	return V1_APB_BASE + V1_UDMA_OFFSET(eng / V1_DMA_ENG_PER_NC,
					    eng % V1_DMA_ENG_PER_NC) + off;
}

/**
 * neuron_udma_engine_check() - check the engines' DMA version (FWIO)
 * @ndev: the device
 * @engs: engine ids
 * @n: number of engines (at most 12)
 *
 * Return: 0, -ENODEV for a version other than 4, or a FWIO error.
 */
int neuron_udma_engine_check(struct neuron_device *ndev, const int *engs, int n)
{
	u64 addrs[V1_DMA_ENG_PER_DEVICE];
	u32 vals[V1_DMA_ENG_PER_DEVICE];
	int i, ret;

	if (n > V1_DMA_ENG_PER_DEVICE)
		return -EINVAL;
	for (i = 0; i < n; i++)
		addrs[i] = neuron_udma_dev_addr(engs[i], UDMA_M2S_DMA_VERSION);
	ret = neuron_fwio_read(ndev, addrs, vals, n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		if (vals[i] != UDMA_VERSION_V4) {
			drm_err(&ndev->drm, "UDMA engine %d: version %u\n",
				engs[i], vals[i]);
			return -ENODEV;
		}
	}
	return 0;
}

static void neuron_udma_iofic_init(struct neuron_device *ndev, int eng)
{
	const u32 ctrl = IOFIC_CTRL_SET_ON_POSEDGE | IOFIC_CTRL_MASK_MSIX;
	const u32 sec_a = IOFIC_GROUP(IOFIC_SECONDARY, IOFIC_GRP_A);
	const u32 sec_b = IOFIC_GROUP(IOFIC_SECONDARY, IOFIC_GRP_B);
	const u32 sec_c = IOFIC_GROUP(IOFIC_SECONDARY, IOFIC_GRP_C);
	const u32 pri_d = IOFIC_GROUP(IOFIC_PRIMARY, IOFIC_GRP_D);
	const u32 parity = IOFIC_M2S_AXI_PARITY | IOFIC_S2M_AXI_PARITY;

	/* Every error aborts the engine; abort masks reset to all ones. */
	udma_w(ndev, eng, sec_a + IOFIC_CONTROL, ctrl);
	udma_w(ndev, eng, sec_b + IOFIC_CONTROL, ctrl);
	udma_w(ndev, eng, pri_d + IOFIC_CONTROL, ctrl);
	udma_w(ndev, eng, sec_a + IOFIC_ABORT_MASK, ~IOFIC_M2S_ERRORS);
	udma_w(ndev, eng, sec_b + IOFIC_ABORT_MASK, ~IOFIC_S2M_ERRORS);
	udma_w(ndev, eng, sec_c + IOFIC_ABORT_MASK, ~parity);
	udma_w(ndev, eng, sec_a + IOFIC_MASK_CLEAR, ~IOFIC_M2S_ERRORS);
	udma_w(ndev, eng, sec_b + IOFIC_MASK_CLEAR, ~IOFIC_S2M_ERRORS);
	udma_w(ndev, eng, sec_c + IOFIC_MASK_CLEAR, ~parity);
	udma_w(ndev, eng, pri_d + IOFIC_MASK_CLEAR,
	       ~(IOFIC_PRIMARY_D_M2S_ERR | IOFIC_PRIMARY_D_S2M_ERR | (u32)BIT(10)));
}

/**
 * neuron_udma_engine_init() - configure one UDMA engine (section 3.6)
 * @ndev: the device
 * @eng: engine id (nc * 3 + e)
 *
 * Enables all 16 queues of both directions (the model runs a queue only
 * when both halves have cfg bits 16 and 17) and programs the defaults and
 * the error interrupt controllers.  Completion interrupts stay masked
 * until neuron_udma_irq_enable().
 */
void neuron_udma_engine_init(struct neuron_device *ndev, int eng)
{
	const u32 qcfg = UDMA_Q_CFG_RESET_VALUE | UDMA_Q_CFG_ENABLE;
	int q, i;

	for (q = 0; q < V1_DMA_QUEUES_PER_ENG; q++) {
		udma_w(ndev, eng, UDMA_M2S_Q(q) + UDMA_Q_CFG, qcfg);
		udma_w(ndev, eng, UDMA_S2M_Q(q) + UDMA_Q_CFG, qcfg);
	}
	/* R2.24 values: data FIFO 1024 beats, packet limit 0x100. */
	udma_w(ndev, eng, UDMA_M2S_DATA_CFG, 0x400 | (0x100 << 16));
	udma_w(ndev, eng, UDMA_M2S_AXI_OUTSTANDING,
	       128 | 128 << 8 | 128 << 16 | 32 << 24);
	udma_w(ndev, eng, UDMA_GEN_AXI_TIMEOUT, 1000000);
	udma_w(ndev, eng, UDMA_M2S_APP_ACK_TIMEOUT, 0);
	/* Descriptor length 0 means 64 KiB: the copy path relies on it. */
	udma_w(ndev, eng, UDMA_M2S_PKT_LEN_CFG,
	       UDMA_PKT_LEN_MAX_MASK | UDMA_PKT_LEN_64K_ZERO);
	for (q = 0; q < V1_DMA_QUEUES_PER_ENG; q++) {
		udma_w(ndev, eng, UDMA_GEN_EX_TX_SEL(q), 0xffffffff);
		for (i = 0; i < 3; i++)
			udma_w(ndev, eng, UDMA_GEN_EX_RX_SEL(q, i), 0xffffffff);
	}
	udma_w(ndev, eng, UDMA_S2M_APP_ACK_TIMEOUT, 0);
	udma_w(ndev, eng, UDMA_S2M_AXI_OUTSTANDING_RD, 128 | 0x40 << 16);
	udma_w(ndev, eng, UDMA_S2M_AXI_OUTSTANDING_WR,
	       128 | 0x40 << 8 | 128 << 16 | 0x40 << 24);
	udma_w(ndev, eng, UDMA_GEN_SPARE_ZEROES0, 1);
	neuron_udma_iofic_init(ndev, eng);
	udma_w(ndev, eng, UDMA_S2M_COMP_CFG, 4);
	udma_w(ndev, eng, UDMA_M2S_PREFETCH_CFG2,
	       V1_MAX_DESC_PER_PACKET | BIT(16));
	udma_w(ndev, eng, UDMA_M2S_PREFETCH_CFG3, 128 << 8 | 8 << 4 | 1);
}

static void neuron_udma_ring_reset(struct neuron_udma_ring *ring)
{
	ring->next = 0;
	ring->ring_id = UDMA_RING_ID_INIT;
}

/**
 * neuron_udma_queue_init() - reset a queue and attach its rings (3.7)
 * @ndev: the device
 * @eng: engine id
 * @q: queue 0..15
 * @m2s: source ring
 * @s2m: destination ring
 *
 * Also resets the software ring state (index 0, ring id 1), matching the
 * hardware after its queue reset.
 */
void neuron_udma_queue_init(struct neuron_device *ndev, int eng, int q,
			    struct neuron_udma_ring *m2s,
			    struct neuron_udma_ring *s2m)
{
	const struct {
		struct neuron_udma_ring *ring;
		u32 base, sw_ctrl, comp_cfg;
	} dirs[] = {
		{ m2s, UDMA_M2S_Q(q), UDMA_M2S_Q_SW_CTRL, UDMA_M2S_Q_COMP_CFG },
		{ s2m, UDMA_S2M_Q(q), UDMA_S2M_Q_SW_CTRL, UDMA_S2M_Q_COMP_CFG },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		u64 addr = neuron_v1_host_dev_addr(dirs[i].ring->dma);
		u32 base = dirs[i].base;

		udma_w(ndev, eng, base + dirs[i].sw_ctrl, UDMA_Q_SW_CTRL_RST_Q);
		udma_w(ndev, eng, base + UDMA_Q_RING_BASE_LO, lower_32_bits(addr));
		udma_w(ndev, eng, base + UDMA_Q_RING_BASE_HI, upper_32_bits(addr));
		udma_w(ndev, eng, base + UDMA_Q_RING_LEN, dirs[i].ring->size);
		udma_w(ndev, eng, base + dirs[i].comp_cfg, 0);
		neuron_udma_ring_reset(dirs[i].ring);
	}
}

/**
 * neuron_udma_queue_reset() - stop a queue: software reset of both halves
 * @ndev: the device
 * @eng: engine id
 * @q: queue 0..15
 *
 * The reset clears the queue pointers (section 3.3), so the queue fetches
 * no further descriptor; transfers already under way still finish.  The
 * queue is unusable until neuron_udma_queue_init(), which also resets the
 * software ring state.
 */
void neuron_udma_queue_reset(struct neuron_device *ndev, int eng, int q)
{
	/* M2S first, the order of queue init (section 3.7). */
	udma_w(ndev, eng, UDMA_M2S_Q(q) + UDMA_M2S_Q_SW_CTRL, UDMA_Q_SW_CTRL_RST_Q);
	udma_w(ndev, eng, UDMA_S2M_Q(q) + UDMA_S2M_Q_SW_CTRL, UDMA_Q_SW_CTRL_RST_Q);
}

/**
 * neuron_udma_engine_normal() - take both halves out of abort/disable
 * @ndev: the device
 * @eng: engine id
 */
void neuron_udma_engine_normal(struct neuron_device *ndev, int eng)
{
	udma_w(ndev, eng, UDMA_M2S_CHANGE_STATE, UDMA_CHANGE_STATE_NORMAL);
	udma_w(ndev, eng, UDMA_S2M_CHANGE_STATE, UDMA_CHANGE_STATE_NORMAL);
}

/**
 * neuron_udma_irq_enable() - route completions and aborts to MSI-X
 * @ndev: the device
 * @eng: engine id
 * @queues: bit mask of queues whose completion interrupt is wanted
 *
 * Unmasks the queues' bits and the abort cause in primary group A and
 * lets the group raise MSI-X.  Pending causes fire once on unmask, which
 * is harmless: the handler only looks at host memory.
 */
void neuron_udma_irq_enable(struct neuron_device *ndev, int eng, u32 queues)
{
	const u32 pri_a = IOFIC_GROUP(IOFIC_PRIMARY, IOFIC_GRP_A);

	udma_w(ndev, eng, pri_a + IOFIC_MASK_CLEAR, ~(queues | IOFIC_CAUSE_ABORT));
	udma_w(ndev, eng, pri_a + IOFIC_CONTROL, 0);
}

/**
 * neuron_udma_put() - write one descriptor at the ring's next index
 * @ring: the ring
 * @ctrl: length/control word without the ring id
 * @word1: M2S meta word, 0 for S2M
 * @addr: device address of the buffer
 *
 * The caller has checked there is room (scheduler credits).
 */
void neuron_udma_put(struct neuron_udma_ring *ring, u32 ctrl, u32 word1,
		     u64 addr)
{
	__le32 *d = ring->desc + ring->next * (UDMA_DESC_SIZE / 4);

	d[1] = cpu_to_le32(word1);
	d[2] = cpu_to_le32(lower_32_bits(addr));
	d[3] = cpu_to_le32(upper_32_bits(addr));
	d[0] = cpu_to_le32(ctrl | (u32)ring->ring_id << UDMA_DESC_RING_ID_SHIFT);
	if (++ring->next == ring->size) {
		ring->next = 0;
		ring->ring_id = UDMA_RING_ID_NEXT(ring->ring_id);
	}
}

/**
 * neuron_udma_doorbell() - hand @count new descriptors to the hardware
 * @ndev: the device
 * @eng: engine id
 * @q: queue
 * @dir: %NEURON_UDMA_M2S or %NEURON_UDMA_S2M
 * @count: descriptors written since the last doorbell, 1..ring size
 *
 * writel() orders the descriptor stores before the doorbell.
 */
void neuron_udma_doorbell(struct neuron_device *ndev, int eng, int q,
			  int dir, u32 count)
{
	u32 base = dir == NEURON_UDMA_M2S ? UDMA_M2S_Q(q) : UDMA_S2M_Q(q);

	udma_w(ndev, eng, base + UDMA_Q_TAIL_INC, count);
}

/**
 * neuron_udma_read_state() - error path: engine state and queue head (FWIO)
 * @ndev: the device
 * @eng: engine id
 * @q: queue
 * @aborted: set if either half reports an abort
 * @m2s_head: the M2S ring head register
 *
 * Return: 0 or a FWIO error.
 */
int neuron_udma_read_state(struct neuron_device *ndev, int eng, int q,
			   bool *aborted, u32 *m2s_head)
{
	u64 addrs[3] = {
		neuron_udma_dev_addr(eng, UDMA_M2S_STATE),
		neuron_udma_dev_addr(eng, UDMA_S2M_STATE),
		neuron_udma_dev_addr(eng, UDMA_M2S_Q(q) + UDMA_Q_RING_HEAD),
	};
	u32 vals[3];
	int i, shift, ret;

	ret = neuron_fwio_read(ndev, addrs, vals, 3);
	if (ret)
		return ret;
	*aborted = false;
	for (i = 0; i < 2; i++)
		for (shift = 0; shift <= UDMA_STATE_DESC_PREF_SHIFT; shift += 4)
			if (((vals[i] >> shift) & UDMA_STATE_FIELD_MASK) ==
			    UDMA_STATE_ABORT)
				*aborted = true;
	*m2s_head = vals[2];
	return 0;
}
