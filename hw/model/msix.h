/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * MSI-X layout of the modelled function.  The facts (section 1.3, 15.1) do not
 * say whether v1 has MSI-X; the model provides it and documents it as an
 * assumption.  The table and PBA live in the last two pages of BAR0, which
 * no v1 register uses.
 */
#ifndef NEURON_HW_MODEL_MSIX_H
#define NEURON_HW_MODEL_MSIX_H

#include "../v1/address_map.h"

#define NEURON_MSIX_BAR			V1_BAR_APB
#define NEURON_MSIX_TABLE_OFFSET	0x7fe000u
#define NEURON_MSIX_PBA_OFFSET		0x7ff000u

/* Vector 0: firmware (FWIO) events; 1..12: UDMA engine eng_id; 13..16: NCs'
 * notification queues.
 */
#define NEURON_MSIX_VEC_FWIO		0
#define NEURON_MSIX_VEC_ENGINE(eng)	(1 + (eng))
#define NEURON_MSIX_VEC_NQ(nc)		(1 + V1_DMA_ENG_PER_DEVICE + (nc))
#define NEURON_MSIX_VECTORS		(1 + V1_DMA_ENG_PER_DEVICE + V1_NC_PER_DEVICE)

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

#endif /* NEURON_HW_MODEL_MSIX_H */
