/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * UDMA interrupt controllers (IOFIC) in each engine's "gen" block
 * (../shared/hw/inferentia-v1.md section 3.5).  How the model turns them
 * into MSI-X is hw/model/msix.h.
 */
#ifndef NEURON_HW_V1_IOFIC_REGS_H
#define NEURON_HW_V1_IOFIC_REGS_H

#include "udma_regs.h"

/* Controller bases, engine-window relative. */
#define IOFIC_PRIMARY			(UDMA_GEN + 0x0000)
#define IOFIC_SECONDARY			(UDMA_GEN + 0x2000)
/* Groups: primary A..D, secondary A..C. */
#define IOFIC_GROUP(ctrl, g)		((ctrl) + (g) * 0x40)
#define IOFIC_GRP_A			0
#define IOFIC_GRP_B			1
#define IOFIC_GRP_C			2
#define IOFIC_GRP_D			3

/* Registers inside one group. */
#define IOFIC_CAUSE			0x00
#define IOFIC_CAUSE_SET			0x08
#define IOFIC_MASK			0x10
#define IOFIC_MASK_CLEAR		0x18	/* written value is ANDed into MASK */
#define IOFIC_STATUS			0x20
#define IOFIC_CONTROL			0x28
#define IOFIC_ABORT_MASK		0x30

#define IOFIC_CTRL_SET_ON_POSEDGE	(1u << 3)
#define IOFIC_CTRL_MASK_MSIX		(1u << 5)

/* Engine-init values the legacy driver programs (section 3.5). */
#define IOFIC_M2S_ERRORS		0x0fffffffu	/* secondary A */
#define IOFIC_S2M_ERRORS		0xffffef07u	/* secondary B */
#define IOFIC_M2S_AXI_PARITY		0x0000003fu	/* secondary C */
#define IOFIC_S2M_AXI_PARITY		0x00000fc0u	/* secondary C */
#define IOFIC_M2S_ERR_RING_ID		(1u << 17)	/* secondary A */
#define IOFIC_S2M_ERR_RING_ID		(1u << 11)	/* secondary B */
/* Further M2S error causes named by the facts (section 3.5), secondary A. */
#define IOFIC_M2S_ERR_PKT_LEN		(1u << 13)	/* packet longer than max */
#define IOFIC_M2S_ERR_DESC_COUNT	(1u << 14)	/* > 128 descriptors/packet */
#define IOFIC_M2S_ERR_FIRST		(1u << 15)	/* FIRST bit missing/misplaced */
#define IOFIC_M2S_ERR_LAST		(1u << 16)	/* LAST bit error */

/*
 * AXI response errors, as the vendor's UDMA header names them: a
 * descriptor fetch or a data access that got an error response.  The
 * model raises them for an address that does not resolve, host memory
 * while bus mastering is off, and its dma_error fault.
 */
#define IOFIC_M2S_ERR_DATA_RESP		(1u << 8)	/* secondary A: data read */
#define IOFIC_M2S_ERR_DESC_RESP		(1u << 11)	/* secondary A: descriptor read */
#define IOFIC_S2M_ERR_DATA_RESP		(1u << 1)	/* secondary B: data write */
#define IOFIC_S2M_ERR_DESC_RESP		(1u << 9)	/* secondary B: descriptor read */

/*
 * [inferred] Primary group D summarises the secondary controllers: the
 * legacy driver unmasks bit 8 (with 10) for M2S and bit 9 (with 10) for S2M.
 * The model sets bit 8 on an M2S error and bit 9 on an S2M error.
 */
#define IOFIC_PRIMARY_D_M2S_ERR		(1u << 8)
#define IOFIC_PRIMARY_D_S2M_ERR		(1u << 9)

#endif /* NEURON_HW_V1_IOFIC_REGS_H */
