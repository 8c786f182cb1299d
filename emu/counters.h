/* SPDX-License-Identifier: MIT */
/*
 * Per-device event counters, readable over the control socket.  One X-macro
 * list gives both the struct fields and the names printed by "counters D",
 * so the two can never disagree.
 */
#ifndef NEMU_COUNTERS_H
#define NEMU_COUNTERS_H

#include <stdint.h>

#define NEMU_COUNTERS(X)	\
	X(mmio_reads_bar0)	\
	X(mmio_writes_bar0)	\
	X(mmio_reads_bar2)	\
	X(mmio_writes_bar2)	\
	X(mmio_reads_bar4)	\
	X(mmio_writes_bar4)	\
	X(config_reads)		\
	X(config_writes)	\
	X(doorbells)		\
	X(descriptors)		\
	X(dma_bytes)		\
	X(host_bytes)		\
	X(pipe_out_bytes)	\
	X(pipe_in_bytes)	\
	X(interrupts)		\
	X(fwio_requests)	\
	X(fwio_errors)		\
	X(resets)		\
	X(tpb_resets)		\
	X(queue_aborts)

struct counters {
#define NEMU_COUNTER_FIELD(name) uint64_t name;
	NEMU_COUNTERS(NEMU_COUNTER_FIELD)
#undef NEMU_COUNTER_FIELD
};

#endif /* NEMU_COUNTERS_H */
