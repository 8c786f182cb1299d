/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * The fuzzed operations.  Each builds its arguments from the pools (live
 * objects) and from values near the limits, makes one call through
 * fz_ioctl() and puts what it created back into the pools.
 */
#ifndef NEURON_FUZZ_OPS_H
#define NEURON_FUZZ_OPS_H

#include "pool.h"

#define MAX_SYNCS	66	/* in_sync_count 64 is the limit; 65 must fail */

/* One thread's state and scratch arrays (sized for count limits + 1). */
struct ctx {
	int slot;
	struct rng r;
	struct drm_neuron_desc *tx, *rx;	/* SUBMIT_MAX_DESC + 1 */
	uint32_t *bos;				/* SUBMIT_MAX_BOS + 1 */
	struct drm_neuron_sync syncs[MAX_SYNCS];
	uint64_t *addrs;			/* FWIO_READ_MAX + 1 */
	uint32_t *vals;
	uint32_t *handles;			/* syncobj arrays: 4097 */
	uint64_t *points;
	uint8_t *guard;				/* one writable page, then PROT_NONE */
};

typedef void (*op_fn)(struct ctx *x);

/* ops_mem.c */
void op_query(struct ctx *x);
void op_bo_create(struct ctx *x);
void op_bo_info(struct ctx *x);
void op_bo_wait(struct ctx *x);
void op_copy(struct ctx *x);
void op_fill(struct ctx *x);
void op_gem_close(struct ctx *x);
void op_prime_export(struct ctx *x);
void op_prime_import(struct ctx *x);
void op_dmabuf_mmap(struct ctx *x);
/* ops_exec.c */
void op_queue_create(struct ctx *x);
void op_queue_destroy(struct ctx *x);
void op_submit(struct ctx *x);
void op_program_create(struct ctx *x);
void op_program_destroy(struct ctx *x);
void op_nq_create(struct ctx *x);
void op_nq_io(struct ctx *x);
void op_semaphore(struct ctx *x);
void op_event(struct ctx *x);
void op_fwio_read(struct ctx *x);
void op_stats_post(struct ctx *x);
void op_reset(struct ctx *x);
void op_bad_arg(struct ctx *x);
/* ops_sync.c */
void op_syncobj_create(struct ctx *x);
void op_syncobj_destroy(struct ctx *x);
void op_syncobj_wait(struct ctx *x);
void op_syncobj_signal(struct ctx *x);
void op_syncobj_query(struct ctx *x);
void op_syncobj_transfer(struct ctx *x);
void op_syncobj_fd(struct ctx *x);
void op_sync_file(struct ctx *x);
/* in_syncs/out_sync of COPY, FILL and SUBMIT from the client's syncobjs. */
void pick_in_syncs(struct ctx *x, struct client *c, __u64 *ptr, __u32 *count);
void pick_out_sync(struct ctx *x, struct client *c, struct drm_neuron_sync *s);
/* A fence-backed sync_file fd from a SUBMIT, into the pool (or closed). */
void keep_sync_file(int fd);

#endif /* NEURON_FUZZ_OPS_H */
