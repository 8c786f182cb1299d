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

/*
 * Model assumption: notification entries.  The facts (sections 6.3, 15.4)
 * leave the entry format open; neuron-emu writes 16-byte little-endian
 * entries:
 *
 *   +0  u32 info:  [7:0] type (NQ_TYPE_*), [15:8] instance, [31] phase
 *   +4  u32 index: event index (EVENT), error code (ERROR), else caller's
 *   +8  u32 value: the event's new value (EVENT), else caller's
 *   +12 u32 seq:   entries written to this queue since it was programmed
 *
 * Entry k goes to base + (k * 16) mod size.  The phase bit is
 * NQ_PHASE_INIT on the first pass through the ring and flips on every wrap,
 * so software finds fresh entries without reading any register.  Writing a
 * queue's BASE_LO, BASE_HI or SIZE restarts it at entry 0 with the initial
 * phase; SIZE 0 (or below one entry) disables it.  The model does not look
 * at HEAD: software must keep up.  After each entry the NeuronCore's
 * MSI-X vector (NEURON_MSIX_VEC_NQ(nc)) fires.
 *
 * What the model posts: EVENT entries whenever an event word changes value
 * (whoever wrote it), and entries injected through the control socket
 * ("notify"); it runs no NeuronCore programs.
 */
#define NQ_ENTRY_SIZE			16
#define NQ_ENTRY_OFF_INFO		0
#define NQ_ENTRY_OFF_INDEX		4
#define NQ_ENTRY_OFF_VALUE		8
#define NQ_ENTRY_OFF_SEQ		12
#define NQ_ENTRY_TYPE_SHIFT		0
#define NQ_ENTRY_INSTANCE_SHIFT		8
#define NQ_ENTRY_PHASE			(1u << 31)
#define NQ_PHASE_INIT			1

#endif /* NEURON_HW_V1_PUTILS_REGS_H */
