/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Inferentia v1 UDMA engine: registers, queue registers and descriptor
 * format (../shared/hw/inferentia-v1.md section 3).  Plain C, shared by the
 * driver and the device model.
 */
#ifndef NEURON_HW_V1_UDMA_REGS_H
#define NEURON_HW_V1_UDMA_REGS_H

/* Sub-blocks inside one engine's 256 KiB window (section 3.1). */
#define UDMA_M2S			0x00000
#define UDMA_M2S_Q(q)			(0x01000 + (q) * 0x1000)
#define UDMA_S2M			0x20000
#define UDMA_S2M_Q(q)			(0x21000 + (q) * 0x1000)
#define UDMA_GEN			0x38000
#define UDMA_GEN_EX			0x3c000
#define UDMA_Q_STRIDE			0x1000

/* Engine-level registers, engine-window relative (section 3.2). */
#define UDMA_M2S_AXI_OUTSTANDING	0x00124
#define UDMA_M2S_STATE			0x00200
#define UDMA_M2S_CHANGE_STATE		0x00204
#define UDMA_M2S_PKT_LEN_CFG		0x00254
#define UDMA_M2S_PREFETCH_CFG1		0x00300
#define UDMA_M2S_PREFETCH_CFG2		0x00304
#define UDMA_M2S_PREFETCH_CFG3		0x00308
#define UDMA_M2S_DATA_CFG		0x00310
#define UDMA_M2S_APP_ACK_TIMEOUT	0x00408
#define UDMA_M2S_DMA_VERSION		0x00604
#define UDMA_S2M_AXI_OUTSTANDING_RD	0x20124
#define UDMA_S2M_AXI_OUTSTANDING_WR	0x20128
#define UDMA_S2M_STATE			0x20200
#define UDMA_S2M_CHANGE_STATE		0x20204
#define UDMA_S2M_STREAM_CFG		0x20250
#define UDMA_S2M_COMP_CFG		0x20380
#define UDMA_S2M_APP_ACK_TIMEOUT	0x2038c
#define UDMA_GEN_AXI_TIMEOUT		(UDMA_GEN + 0x2300)
#define UDMA_GEN_SPARE_ZEROES0		(UDMA_GEN + 0x3460)
#define UDMA_GEN_EX_TX_SEL(q)		(UDMA_GEN_EX + 0x400 + (q) * 0x40)
#define UDMA_GEN_EX_RX_SEL(q, i)	(UDMA_GEN_EX + 0x404 + (q) * 0x40 + (i) * 4)

#define UDMA_VERSION_V4			4
#define UDMA_PKT_LEN_64K_ZERO		(1u << 24)	/* length 0 = 64 KiB */
#define UDMA_PKT_LEN_MAX_MASK		0xfffffu

/* Change-state bits (M2S and S2M). */
#define UDMA_CHANGE_STATE_NORMAL	(1u << 0)
#define UDMA_CHANGE_STATE_DISABLE	(1u << 1)
#define UDMA_CHANGE_STATE_ABORT		(1u << 2)

/* State register fields: 0 idle, 1 normal, 2 abort. */
#define UDMA_STATE_COMP_CTRL_SHIFT	0
#define UDMA_STATE_STREAM_IF_SHIFT	4
#define UDMA_STATE_DATA_RD_SHIFT	8
#define UDMA_STATE_DESC_PREF_SHIFT	12
#define UDMA_STATE_FIELD_MASK		0x3u
#define UDMA_STATE_IDLE			0
#define UDMA_STATE_NORMAL		1
#define UDMA_STATE_ABORT		2

/* Queue registers, queue-base relative (section 3.3). */
#define UDMA_Q_CFG			0x20
#define UDMA_Q_STATUS			0x24
#define UDMA_Q_RING_BASE_LO		0x28
#define UDMA_Q_RING_BASE_HI		0x2c
#define UDMA_Q_RING_LEN			0x30
#define UDMA_Q_RING_HEAD		0x34
#define UDMA_Q_TAIL_INC			0x38	/* doorbell */
#define UDMA_Q_RING_TAIL		0x3c
#define UDMA_Q_CUR_DESC			0x40
#define UDMA_Q_COMP_BASE_LO		0x44
#define UDMA_Q_COMP_BASE_HI		0x48
#define UDMA_Q_COMP_HEAD		0x4c
#define UDMA_M2S_Q_RATE_LIMIT_MASK	0x74
#define UDMA_M2S_Q_COMP_CFG		0xa0
#define UDMA_S2M_Q_COMP_CFG		0x54
#define UDMA_M2S_Q_SW_CTRL		0xb0
#define UDMA_S2M_Q_SW_CTRL		0x64

#define UDMA_Q_CFG_EN_PREFETCH		(1u << 16)
#define UDMA_Q_CFG_EN_SCHEDULING	(1u << 17)
#define UDMA_Q_CFG_ENABLE		(UDMA_Q_CFG_EN_PREFETCH | UDMA_Q_CFG_EN_SCHEDULING)
#define UDMA_Q_CFG_RESET_VALUE		0x03000000u
/* Power-on value of the M2S per-queue rate-limiter mask (R2.24 assumes it). */
#define UDMA_M2S_Q_RATE_LIMIT_RESET_VALUE	0x7u
#define UDMA_Q_SW_CTRL_RST_Q		(1u << 8)
#define UDMA_Q_PTR_MASK			0x00ffffffu	/* [23:0] index */
#define UDMA_Q_RING_ID_SHIFT		30		/* [31:30] ring id */
#define UDMA_Q_RING_BASE_ALIGN		64
#define UDMA_Q_RING_MIN			32
#define UDMA_Q_RING_MAX			(1u << 24)
/* Descriptors software always keeps unused (UDMA_MAX_NUM_CDESC_PER_CACHE_LINE). */
#define UDMA_Q_RING_SLACK		16

/* Descriptors (section 3.4): 16 bytes, little-endian. */
#define UDMA_DESC_SIZE			16
/*
 * Byte count, [19:0] in the vendor's R1.x header ([15:0] in R2.24's).  A
 * descriptor carries 1..65536 bytes, 65536 encoded as 0 with the 64 KiB
 * encoding on: UDMA_DESC_LEN_ENCODE() keeps the low 16 bits.
 */
#define UDMA_DESC_LEN_MASK		0x000fffffu
#define UDMA_DESC_LEN_ENCODE(len)	((len) & 0x0000ffffu)
#define UDMA_DESC_MAX_LEN		65536u
#define UDMA_DESC_RING_ID_SHIFT		24
#define UDMA_DESC_RING_ID_MASK		(3u << UDMA_DESC_RING_ID_SHIFT)
#define UDMA_DESC_FIRST			(1u << 26)
#define UDMA_DESC_LAST			(1u << 27)
#define UDMA_DESC_INTERRUPT		(1u << 28)
#define UDMA_DESC_DMB			(1u << 30)
/* The M2S meta word the driver uses: first+last block, copy source, ssmae op 2. */
#define UDMA_M2S_META_COPY		0x01080003u
/* Ring ids cycle 1, 2, 3, 0, 1, ... incrementing on every wrap. */
#define UDMA_RING_ID_INIT		1
#define UDMA_RING_ID_NEXT(id)		(((id) + 1) & 3)

/* Descriptor byte offsets: word 0 length/control, word 1 meta (M2S) or
 * second buffer low (S2M, 0), bytes 8..15 the 64-bit address.
 */
#define UDMA_DESC_OFF_CTRL		0
#define UDMA_DESC_OFF_META		4
#define UDMA_DESC_OFF_ADDR		8

#endif /* NEURON_HW_V1_UDMA_REGS_H */
