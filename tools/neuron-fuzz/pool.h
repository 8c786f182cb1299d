/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Pools of live objects that later calls are fed from.  A pool keeps a
 * handle (or fd) and one word of what it is (size, timeline point,
 * NeuronCore).  Picking leaves the object in the pool, so threads race on
 * it; taking removes it, and only the taker closes it.  Handles are per
 * file: each client (one open of a node) has its own pools, and a client
 * is reopened under its write lock while calls on it hold the read lock.
 */
#ifndef NEURON_FUZZ_POOL_H
#define NEURON_FUZZ_POOL_H

#include "fuzz.h"

#define POOL_MAX	48

struct pool {
	pthread_mutex_t m;
	int n;
	uint32_t v[POOL_MAX];
	uint64_t aux[POOL_MAX];
};

struct client {
	pthread_rwlock_t lock;
	int fd;
	int dev;			/* index into cfg's devices */
	struct pool host, dram, imported;	/* BOs: aux = size */
	struct pool sync_bin, sync_tl;		/* syncobjs: aux = last point */
	struct pool queue, program;		/* aux = NeuronCore */
};

extern struct client clients[MAX_CLIENTS];
extern int nclients;
/* fds are the process's: aux = owner client << 56 | BO size (dma-bufs), kind (sync fds), size (NQs) */
extern struct pool dmabufs, syncfds, nqfds;

#define SYNCFD_SYNC_FILE	0
#define SYNCFD_SYNCOBJ		1

void pool_init(struct pool *p);
/* false when full: the caller closes the object itself. */
bool pool_put(struct pool *p, uint32_t v, uint64_t aux);
bool pool_pick(struct pool *p, struct rng *r, uint32_t *v, uint64_t *aux);
bool pool_take(struct pool *p, struct rng *r, uint32_t *v, uint64_t *aux);
/* Set the aux word of v if still there (a timeline's last point). */
void pool_set_aux(struct pool *p, uint32_t v, uint64_t aux);
void pool_clear(struct pool *p);

/* A random client, read-locked; client_put() unlocks. */
struct client *client_get(struct rng *r);
void client_put(struct client *c);
/* Another client, possibly on another device: not locked (fd use only). */
struct client *client_other(struct rng *r);
int client_open(int dev);
void client_record_id(int fd);

/* Any BO of the client (host, device or imported), or now and then a bogus handle. */
uint32_t pick_bo(struct client *c, struct rng *r, uint64_t *size, int *kind);
/* Lengths and offsets near the limits of an object of `size` bytes. */
uint64_t pick_len(struct rng *r, uint64_t size);
uint64_t pick_off(struct rng *r, uint64_t size);
/* A bogus user pointer: NULL, unmapped, kernel, misaligned end of a page. */
uint64_t bad_ptr(struct rng *r);
/* A bogus handle: 0, ~0, a large or recently freed number. */
uint32_t bad_handle(struct rng *r);
/* Mostly 0, sometimes one stray bit or all ones. */
uint32_t flags_word(struct rng *r, unsigned int pct_nonzero);

#endif /* NEURON_FUZZ_POOL_H */
