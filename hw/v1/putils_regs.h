/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Notification queue configuration (PUTILS block of each NeuronCore,
 * ../shared/hw/inferentia-v1.md section 6).
 */
#ifndef NEURON_HW_V1_PUTILS_REGS_H
#define NEURON_HW_V1_PUTILS_REGS_H

#define NQ_TYPE_TRACE			0
#define NQ_TYPE_NOTIFY			1
#define NQ_TYPE_EVENT			2
#define NQ_TYPE_ERROR			3
#define NQ_TYPES			4
#define NQ_INSTANCES			4	/* engine index 0..3 */

/* Group bases, PUTILS-relative; sub-queue 0 only, as the driver uses. */
#define PUTILS_NQ_ERROR			0x1074
#define PUTILS_NQ_EVENT			0x1094
#define PUTILS_NQ_NOTIFY(i)		(0x0bfc + (i) * 0x104)
#define PUTILS_NQ_TRACE(i)		(0x0c7c + (i) * 0x104)

/* Registers inside one group. */
#define PUTILS_NQ_BASE_LO		0x00
#define PUTILS_NQ_BASE_HI		0x04
#define PUTILS_NQ_SIZE			0x08	/* bytes; 0 disables */
#define PUTILS_NQ_HEAD			0x18	/* consumer pointer, bytes */

#endif /* NEURON_HW_V1_PUTILS_REGS_H */
