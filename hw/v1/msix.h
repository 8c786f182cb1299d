/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * MSI-X layout of the modelled function.  The facts (section 1.3, 15.1) do not
 * say whether v1 has MSI-X; the model provides it and documents it as an
 * assumption.  The table and PBA live in the last two pages of BAR0, which
 * no v1 register uses.
 */
#ifndef NEURON_HW_V1_MSIX_H
#define NEURON_HW_V1_MSIX_H

#include "address_map.h"

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

#endif /* NEURON_HW_V1_MSIX_H */
