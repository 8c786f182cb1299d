/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Model assumption: a tiny NeuronCore "instruction set" of neuron-emu, for
 * tests only.  The real v1 instruction formats are unknown (the facts only
 * name the PE instruction FIFO, section 2.3).  neuron-emu executes 16-byte
 * little-endian records written (by DMA or MMIO) into a NeuronCore's PE
 * instruction FIFO window, so tests can make "programs" that signal
 * semaphores and events and post notifications through the ordinary DMA
 * path.  A record is executed when a write covers all of it; records whose
 * opcode does not carry NC_OP_MAGIC are plain data.  See
 * Documentation/neuron/emulator.rst.
 *
 *   +0 u32 opcode   NC_OP_MAGIC | op
 *   +4 u32 a
 *   +8 u32 b
 *   +12 u32 c
 */
#ifndef NEURON_HW_MODEL_NC_MODEL_H
#define NEURON_HW_MODEL_NC_MODEL_H

#include "../v1/address_map.h"

#define NC_OP_RECORD_SIZE	16
#define NC_OP_MAGIC		0x4e430000u	/* "NC" */
#define NC_OP_MAGIC_MASK	0xffff0000u
#define NC_OP_MASK		0x0000ffffu

#define NC_OP_NOTIFY		1	/* NOTIFY entry: instance a, index b, value c */
#define NC_OP_TRACE		2	/* TRACE entry: instance a, index b, value c */
#define NC_OP_ERROR		3	/* ERROR entry: index (code) a, value b */
#define NC_OP_SEM_SET		4	/* semaphore a = b */
#define NC_OP_SEM_INCR		5	/* semaphore a += b */
#define NC_OP_SEM_DECR		6	/* semaphore a -= b */
#define NC_OP_EVENT		7	/* event a = (b != 0); an EVENT entry if it changed */

#endif /* NEURON_HW_MODEL_NC_MODEL_H */
