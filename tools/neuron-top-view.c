// SPDX-License-Identifier: MIT
/*
 * neuron-top: what happened between two samples.
 *
 * Busy time: the driver adds a job's time to drm-engine-nc<N> when the job
 * completes, so the difference of two readings is the time of the jobs
 * that completed in between, divided by the time between the two reads of
 * that client's fdinfo.  Jobs of several queues of one NeuronCore may
 * overlap, so a client (and a device) can pass 100%.  A device's figure is
 * the sum of its clients': clients that closed during the interval are no
 * longer visible and are not counted.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <stdio.h>
#include <string.h>

#include "neuron-top.h"

static uint64_t delta(uint64_t before, uint64_t now)
{
	/* A counter that went back belongs to a new object: all of it is new. */
	return now >= before ? now - before : now;
}

static const struct nt_engine *engine_named(const struct nt_client *c, const char *name)
{
	int i;

	for (i = 0; c && i < c->nengines; i++)
		if (!strcmp(c->engines[i].name, name))
			return &c->engines[i];
	return NULL;
}

/*
 * Fills @out (NT_MAX_ENGINES entries) with the busy time of each engine of
 * client @c of @cur since @prev; returns how many.  A client absent from
 * @prev opened during the interval, with counters at zero.
 */
int nt_client_engines(const struct nt_sample *prev, const struct nt_sample *cur,
		      const struct nt_client *c, struct nt_engine_view *out)
{
	const struct nt_client *p = prev ?
		nt_client_find(prev, &cur->devices[c->dev], c->client_id) : NULL;
	double secs = p ? nt_seconds(&p->when, &c->when) :
		      prev ? nt_seconds(&prev->when, &c->when) : 0;
	int i;

	for (i = 0; i < c->nengines; i++) {
		const struct nt_engine *e = &c->engines[i], *pe = engine_named(p, e->name);

		snprintf(out[i].name, sizeof(out[i].name), "%s", e->name);
		out[i].ns = prev ? delta(pe ? pe->ns : 0, e->ns) : 0;
		out[i].percent = secs > 0 ? out[i].ns / (secs * 1e7) : 0;
	}
	return c->nengines;
}

static int view_slot(struct nt_engine_view *out, int *n, const char *name)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(out[i].name, name))
			return i;
	if (*n == NT_MAX_ENGINES)
		return -1;
	memset(&out[*n], 0, sizeof(out[*n]));
	snprintf(out[*n].name, sizeof(out[*n].name), "%s", name);
	return (*n)++;
}

/*
 * Device @d of @cur: every NeuronCore (nc0.. from core_count, idle ones
 * too) and any other engine a client reports, summed over the clients:
 * their ns and their percentages (each of its own interval), so that the
 * device line is the sum of the rows below it.
 */
int nt_device_engines(const struct nt_sample *prev, const struct nt_sample *cur,
		      int d, struct nt_engine_view *out)
{
	int n = 0, i, j;

	for (i = 0; i < cur->devices[d].nc_count && i < NT_MAX_ENGINES; i++) {
		char name[24];

		snprintf(name, sizeof(name), "nc%d", i);
		view_slot(out, &n, name);
	}
	for (i = 0; i < cur->nclients; i++) {
		struct nt_engine_view cv[NT_MAX_ENGINES];
		int m;

		if (cur->clients[i].dev != d)
			continue;
		m = nt_client_engines(prev, cur, &cur->clients[i], cv);
		for (j = 0; j < m; j++) {
			int k = view_slot(out, &n, cv[j].name);

			if (k >= 0) {
				out[k].ns += cv[j].ns;
				out[k].percent += cv[j].percent;
			}
		}
	}
	return n;
}

/*
 * Queues of device @d: how many clients' hardware queues exist, how many
 * ran or held a job in the interval, and the jobs completed on all queues
 * (clients' and the driver's copy queues).  All zero without debugfs.
 */
void nt_device_queues(const struct nt_sample *prev, const struct nt_sample *cur,
		      int d, struct nt_queue_view *v)
{
	const struct nt_devstate *st = &cur->state[d], *pst = NULL;
	double secs = prev ? nt_seconds(&prev->when, &cur->when) : 0;
	int pd = prev ? nt_device_find(prev, &cur->devices[d]) : -1, i;

	memset(v, 0, sizeof(*v));
	if (pd >= 0 && prev->state[pd].have_queues)
		pst = &prev->state[pd];
	for (i = 0; i < st->nqueues; i++) {
		const struct nt_queue *q = &st->queues[i];
		const struct nt_queue *pq = pst ? nt_queue_find(pst, q) : NULL;
		uint64_t jobs = pst ? delta(pq ? pq->jobs : 0, q->jobs) : 0;

		v->jobs += jobs;
		v->in_flight += q->in_flight;
		v->timeouts += q->timeouts;
		v->aborts += q->aborts;
		if (!q->client)
			continue;
		v->queues++;
		if (jobs || q->in_flight)
			v->active++;
	}
	v->jobs_per_s = secs > 0 ? v->jobs / secs : 0;
}

/* Memory of device @d: its clients' regions added up (shared BOs once per client). */
void nt_device_memory(const struct nt_sample *cur, int d, struct nt_region *out,
		      int *nregions)
{
	int n = 0, i, j, k;
	unsigned int s;

	for (i = 0; i < cur->nclients; i++) {
		const struct nt_client *c = &cur->clients[i];

		if (c->dev != d)
			continue;
		for (j = 0; j < c->nregions; j++) {
			const struct nt_region *r = &c->regions[j];

			for (k = 0; k < n; k++)
				if (!strcmp(out[k].name, r->name))
					break;
			if (k == n) {
				if (n == NT_MAX_REGIONS)
					continue;
				memset(&out[n], 0, sizeof(out[n]));
				snprintf(out[n].name, sizeof(out[n].name), "%s", r->name);
				n++;
			}
			out[k].have |= r->have;
			for (s = 0; s < NT_MEM_STATS; s++)
				out[k].bytes[s] += r->bytes[s];
		}
	}
	*nregions = n;
}
