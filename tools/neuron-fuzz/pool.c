// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Pools of live objects and the values built from them (pool.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pool.h"

struct client clients[MAX_CLIENTS];
int nclients;
struct pool dmabufs, syncfds, nqfds;

void pool_init(struct pool *p)
{
	pthread_mutex_init(&p->m, NULL);
	p->n = 0;
}

bool pool_put(struct pool *p, uint32_t v, uint64_t aux)
{
	bool ok = false;

	pthread_mutex_lock(&p->m);
	if (p->n < POOL_MAX) {
		p->v[p->n] = v;
		p->aux[p->n++] = aux;
		ok = true;
	}
	pthread_mutex_unlock(&p->m);
	return ok;
}

bool pool_pick(struct pool *p, struct rng *r, uint32_t *v, uint64_t *aux)
{
	bool ok = false;

	pthread_mutex_lock(&p->m);
	if (p->n) {
		int i = rnd_below(r, p->n);

		*v = p->v[i];
		if (aux)
			*aux = p->aux[i];
		ok = true;
	}
	pthread_mutex_unlock(&p->m);
	return ok;
}

bool pool_take(struct pool *p, struct rng *r, uint32_t *v, uint64_t *aux)
{
	bool ok = false;

	pthread_mutex_lock(&p->m);
	if (p->n) {
		int i = rnd_below(r, p->n);

		*v = p->v[i];
		if (aux)
			*aux = p->aux[i];
		p->v[i] = p->v[--p->n];
		p->aux[i] = p->aux[p->n];
		ok = true;
	}
	pthread_mutex_unlock(&p->m);
	return ok;
}

void pool_set_aux(struct pool *p, uint32_t v, uint64_t aux)
{
	pthread_mutex_lock(&p->m);
	for (int i = 0; i < p->n; i++)
		if (p->v[i] == v)
			p->aux[i] = aux;
	pthread_mutex_unlock(&p->m);
}

void pool_clear(struct pool *p)
{
	pthread_mutex_lock(&p->m);
	p->n = 0;
	pthread_mutex_unlock(&p->m);
}

struct client *client_get(struct rng *r)
{
	struct client *c = &clients[rnd_below(r, nclients)];

	pthread_rwlock_rdlock(&c->lock);
	return c;
}

void client_put(struct client *c)
{
	pthread_rwlock_unlock(&c->lock);
}

struct client *client_other(struct rng *r)
{
	return &clients[rnd_below(r, nclients)];
}

/* The client id core DRM prints in fdinfo, for the end-of-run bos check. */
void client_record_id(int fd)
{
	uint64_t id;
	uint32_t i;

	if (!fdinfo_u64(fd, "drm-client-id", &id))
		return;
	i = atomic_fetch_add(&sh->nclient_ids, 1);
	if (i < sizeof(sh->client_ids) / sizeof(sh->client_ids[0]))
		sh->client_ids[i] = id;
}

int client_open(int dev)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/accel/accel%d", cfg.minor[dev]);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		client_record_id(fd);
	return fd;
}

uint32_t bad_handle(struct rng *r)
{
	static const uint32_t v[] = { 0, 1, 2, 0x7fffffff, 0x80000000u, 0xfffffffeu,
				      0xffffffffu, 65536, 65537, 4096 };

	return rnd_pct(r, 70) ? v[rnd_below(r, sizeof(v) / sizeof(v[0]))] :
				(uint32_t)rnd_below(r, 300);
}

uint32_t pick_bo(struct client *c, struct rng *r, uint64_t *size, int *kind)
{
	struct pool *p[] = { &c->host, &c->dram, &c->imported };
	uint32_t h;
	int k = rnd_below(r, 10);

	k = k < 4 ? 0 : k < 8 ? 1 : 2;
	if (kind)
		*kind = k;
	if (!rnd_pct(r, 4) && pool_pick(p[k], r, &h, size))
		return h;
	*size = 4096;
	return bad_handle(r);
}

/* Page rounding of a device BO's GEM object: its size is 256-byte granular. */
static uint64_t page_up(uint64_t x)
{
	return (x + 4095) & ~4095ull;
}

uint64_t pick_len(struct rng *r, uint64_t size)
{
	uint64_t v[] = { 0, 1, 2, 255, 256, 257, 4095, 4096, 4097, size - 1, size, size + 1,
			 page_up(size), page_up(size) + 1, size / 2, 65536, 65537,
			 UINT64_MAX, UINT64_MAX - 255, 1ull << 32, (1ull << 32) + 1, 1ull << 63 };

	/* Half the time a length that fits, so that real DMA runs too. */
	if (rnd_pct(r, 50) && size)
		return 1 + rnd_below(r, size < 65536 ? size : 65536);
	return v[rnd_below(r, sizeof(v) / sizeof(v[0]))];
}

uint64_t pick_off(struct rng *r, uint64_t size)
{
	uint64_t v[] = { 0, 1, 255, 256, size - 1, size, size + 1, page_up(size) - 1,
			 page_up(size), UINT64_MAX, UINT64_MAX - 4095, 1ull << 63,
			 (1ull << 32) - 1 };

	if (rnd_pct(r, 60))
		return size ? rnd_below(r, size) & ~(rnd_pct(r, 50) ? 0ull : 255ull) : 0;
	return v[rnd_below(r, sizeof(v) / sizeof(v[0]))];
}

uint64_t bad_ptr(struct rng *r)
{
	static const uint64_t v[] = { 0, 1, 4096, 0xdead0000ull, 0xffff800000000000ull,
				      0xfffffffffffff000ull, 0x7ffffffff000ull };

	return v[rnd_below(r, sizeof(v) / sizeof(v[0]))];
}

uint32_t flags_word(struct rng *r, unsigned int pct_nonzero)
{
	if (!rnd_pct(r, pct_nonzero))
		return 0;
	return rnd_pct(r, 30) ? 0xffffffffu : 1u << rnd_below(r, 32);
}
