/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * UDMA interrupt controllers (IOFIC) in each engine's "gen" block
 * (../shared/hw/inferentia-v1.md section 3.5), and how the model turns them
 * into MSI-X (a model assumption, see Documentation/neuron/emulator.rst).
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

/*
 * Model assumption: power-on values.  Every group's MASK resets to all ones
 * (everything masked, as the legacy driver's "mask-clear the ones we want"
 * programming implies), CAUSE and CONTROL to 0, ABORT_MASK to all ones.
 * The model aborts on every error regardless of ABORT_MASK (storage only).
 */
#define IOFIC_MASK_RESET_VALUE		0xffffffffu
#define IOFIC_ABORT_MASK_RESET_VALUE	0xffffffffu

/*
 * Model assumption: completion interrupts.  When an S2M descriptor with
 * UDMA_DESC_INTERRUPT completes on queue q, the model sets bit q of
 * primary group A's cause.  If that bit is unmasked in primary group A's
 * MASK and primary group A's CONTROL does not have IOFIC_CTRL_MASK_MSIX,
 * the engine's MSI-X vector (NEURON_MSIX_VEC_ENGINE) fires.  Cause bits are
 * cleared by writing 0 to them (write value is ANDed).  An engine abort
 * sets bit IOFIC_CAUSE_ABORT of primary group A and fires the same vector.
 * The driver never reads these registers on the hot path: it finds what
 * completed in host memory.
 *
 * Every event that sets an unmasked primary-A cause bit fires the vector,
 * even if the bit was already set (no need to clear causes between
 * interrupts).  Unmasking a pending cause bit (MASK, MASK_CLEAR, or
 * clearing IOFIC_CTRL_MASK_MSIX in CONTROL) fires the vector once.
 */
#define IOFIC_CAUSE_QUEUE(q)		(1u << (q))
#define IOFIC_CAUSE_ABORT		(1u << 16)

#endif /* NEURON_HW_V1_IOFIC_REGS_H */
