/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The device model's notification entries: how neuron-emu fills the rings
 * of hw/v1/putils_regs.h.  Not a hardware fact.
 */
#ifndef NEURON_HW_MODEL_NQ_ENTRY_H
#define NEURON_HW_MODEL_NQ_ENTRY_H

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

#endif /* NEURON_HW_MODEL_NQ_ENTRY_H */
