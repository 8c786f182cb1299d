// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Notification queues: entries a NeuronCore program posts (the model's
 * NOTIFY records) and EVENT entries are read back with their contents,
 * acknowledged, and counted as lost when the ring laps.
 */
#include <errno.h>
#include <unistd.h>

#include "t.h"
#include "tests.h"
#include "model/nc_model.h"

#define MS (1000ll * 1000)

/* Post @n NOTIFY records (instance @inst, index i, value base + i) on NeuronCore @nc. */
static void post_notifies(uint32_t nc, uint32_t inst, uint32_t n, uint32_t base)
{
	uint8_t *a;
	struct neuron_bo *ha = t_host_bo(t_dev, 16 * n, &a);
	struct neuron_job *job;
	uint32_t q, s;
	struct neuron_fences f = { 0 };

	for (uint32_t i = 0; i < n; i++)
		t_nc_record(a + 16 * i, NC_OP_NOTIFY, inst, i, base + i);
	CHECK_OK(neuron_job_create(&job));
	/* The FIFO window is 16 KiB: send in pieces that fit. */
	for (uint32_t i = 0; i < n; i += 512) {
		uint32_t k = n - i < 512 ? n - i : 512;

		CHECK_OK(neuron_job_to_fifo(job, 0, ha, 16 * i, 16 * k));
	}
	CHECK_OK(neuron_queue_create(t_dev, nc, 0, 5, &q));
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &s));
	f.out.handle = s;
	CHECK_OK(neuron_submit(t_dev, q, job, &f));
	CHECK_OK(neuron_syncobj_wait(t_dev, s, 0, 10000 * MS));
	CHECK_EQ(neuron_syncobj_status(t_dev, s, 0), 1);
	neuron_job_destroy(job);
	neuron_queue_destroy(t_dev, q);
	neuron_bo_destroy(ha);
}

void test_nq_notify(void)
{
	struct neuron_nq *nq, *again;
	struct neuron_nq_entry e[8];
	uint64_t written, lost = 0;
	int n;

	CHECK_OK(neuron_nq_open(t_dev, 1, DRM_NEURON_NQ_NOTIFY, 2, 4096, &nq));
	CHECK_EQ(neuron_nq_size(nq), 4096);
	CHECK(neuron_nq_ring(nq) != NULL);
	CHECK(neuron_nq_fd(nq) >= 0);
	CHECK_EQ(neuron_nq_wait(nq, 0), 0);
	CHECK_EQ(neuron_nq_read(nq, e, 8, &lost), 0);
	CHECK_ERR(neuron_nq_open(t_dev, 1, DRM_NEURON_NQ_NOTIFY, 2, 4096, &again), EBUSY,
		  "open already");

	post_notifies(1, 2, 3, 1000);
	CHECK_EQ(neuron_nq_wait(nq, 10000 * MS), 1);
	CHECK_OK(neuron_nq_written(nq, &written));
	CHECK_EQ(written, 3);
	n = neuron_nq_read(nq, e, 2, &lost);
	CHECK_EQ(n, 2);
	n += neuron_nq_read(nq, e + 2, 8, &lost);
	CHECK_EQ(n, 3);
	CHECK_EQ(lost, 0);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(NEURON_NQ_ENTRY_TYPE(&e[i]), DRM_NEURON_NQ_NOTIFY);
		CHECK_EQ(NEURON_NQ_ENTRY_INSTANCE(&e[i]), 2);
		CHECK_EQ(e[i].index, i);
		CHECK_EQ(e[i].value, 1000 + i);
		CHECK_EQ(e[i].seq, i);
	}
	/* Read but not acknowledged: still pending for poll(). */
	CHECK_EQ(neuron_nq_wait(nq, 0), 1);
	CHECK_OK(neuron_nq_ack(nq));
	CHECK_EQ(neuron_nq_wait(nq, 20 * MS), 0);
	CHECK_OK(neuron_nq_ack(nq));

	/* 300 entries in a ring of 256: the first 44 are lost. */
	post_notifies(1, 2, 300, 0);
	{
		static struct neuron_nq_entry big[512];

		n = neuron_nq_read(nq, big, 512, &lost);
		CHECK_EQ(n, 256);
		CHECK_EQ(lost, 44);
		CHECK_EQ(big[0].index, 44);
		CHECK_EQ(big[255].index, 299);
		CHECK_EQ(big[255].seq, 302);
	}
	CHECK_OK(neuron_nq_ack(nq));
	neuron_nq_close(nq);
	/* Closed: it can be opened again. */
	CHECK_OK(neuron_nq_open(t_dev, 1, DRM_NEURON_NQ_NOTIFY, 2, 8192, &nq));
	neuron_nq_close(nq);
	neuron_nq_close(NULL);
}

void test_nq_event_error(void)
{
	struct neuron_nq *nq, *view;
	struct neuron_nq_entry e[4];
	uint32_t v;

	/* Cleared before the queue exists: only the change to 1 is an entry. */
	CHECK_OK(neuron_event_set(t_dev, 3, 200, 0));
	CHECK_OK(neuron_nq_open(t_dev, 3, DRM_NEURON_NQ_EVENT, 0, 4096, &nq));
	CHECK_OK(neuron_event_set(t_dev, 3, 200, 1));
	CHECK_EQ(neuron_nq_wait(nq, 10000 * MS), 1);
	CHECK_EQ(neuron_nq_read(nq, e, 4, NULL), 1);
	CHECK_EQ(NEURON_NQ_ENTRY_TYPE(&e[0]), DRM_NEURON_NQ_EVENT);
	CHECK_EQ(e[0].index, 200);
	CHECK_EQ(e[0].value, 1);
	CHECK_OK(neuron_event_read(t_dev, 3, 200, &v));
	CHECK_EQ(v, 1);
	CHECK_OK(neuron_nq_ack(nq));
	neuron_nq_close(nq);
	/* ERROR queues are the driver's: views, several at once, size ignored. */
	CHECK_OK(neuron_nq_open(t_dev, 0, DRM_NEURON_NQ_ERROR, 0, 0, &nq));
	CHECK_OK(neuron_nq_open(t_dev, 0, DRM_NEURON_NQ_ERROR, 0, 0, &view));
	CHECK(neuron_nq_size(view) >= 4096);
	neuron_nq_close(view);
	neuron_nq_close(nq);

	CHECK_ERR(neuron_nq_open(t_dev, 4, DRM_NEURON_NQ_NOTIFY, 0, 4096, &nq), EINVAL, "nc");
	CHECK_ERR(neuron_nq_open(t_dev, 0, 9, 0, 4096, &nq), EINVAL, "type");
	CHECK_ERR(neuron_nq_open(t_dev, 0, DRM_NEURON_NQ_EVENT, 1, 4096, &nq), EINVAL,
		  "instance");
	CHECK_ERR(neuron_nq_open(t_dev, 0, DRM_NEURON_NQ_TRACE, 4, 4096, &nq), EINVAL,
		  "instance");
	CHECK_ERR(neuron_nq_open(t_dev, 0, DRM_NEURON_NQ_TRACE, 0, 6000, &nq), EINVAL, "size");
	CHECK_ERR(neuron_nq_open(t_dev, 0, DRM_NEURON_NQ_TRACE, 0, 2 << 20, &nq), EINVAL,
		  "size");
	CHECK_ERR(neuron_nq_open(NULL, 0, DRM_NEURON_NQ_TRACE, 0, 4096, &nq), EINVAL, "dev");
	CHECK_ERR(neuron_nq_read(NULL, e, 1, NULL), EINVAL, "nq");
	CHECK_ERR(neuron_nq_ack(NULL), EINVAL, "nq");
	CHECK_ERR(neuron_nq_wait(NULL, 0), EINVAL, "nq");
}

/* Read what is there now; the count must be @want. */
static void read_expect(struct neuron_nq *nq, struct neuron_nq_entry *e, uint32_t max,
			uint64_t *lost, int want)
{
	CHECK_EQ(neuron_nq_read(nq, e, max, lost), want);
}

/*
 * A device reset restarts the ring at slot 0 while the count goes on: the
 * reader says so once (-ESTALE, the entries the reset took counted as lost)
 * and then reads the new ring's entries, laps included.
 */
void test_nq_reset(void)
{
	static struct neuron_nq_entry e[512];
	struct neuron_nq *nq;
	uint64_t written, lost = 0;

	if (geteuid() != 0)
		SKIP("not root");
	CHECK_OK(neuron_nq_open(t_dev, 1, DRM_NEURON_NQ_NOTIFY, 3, 4096, &nq));
	post_notifies(1, 3, 3, 100);
	CHECK_EQ(neuron_nq_wait(nq, 10000 * MS), 1);
	read_expect(nq, e, 2, &lost, 2);
	CHECK_EQ(e[1].value, 101);

	/* Reset with one entry unread: the reset clears the ring, that one is gone. */
	CHECK_OK(neuron_reset(t_dev));
	CHECK_ERR(neuron_nq_read(nq, e, 8, &lost), ESTALE, "restarted");
	CHECK_EQ(lost, 1);
	read_expect(nq, e, 8, &lost, 0);
	post_notifies(1, 3, 2, 200);
	CHECK_EQ(neuron_nq_wait(nq, 10000 * MS), 1);
	read_expect(nq, e, 8, &lost, 2);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(e[i].index, i);
		CHECK_EQ(e[i].value, 200 + i);
		CHECK_EQ(e[i].seq, i);
	}
	CHECK_EQ(lost, 1);
	CHECK_OK(neuron_nq_ack(nq));
	CHECK_OK(neuron_nq_written(nq, &written));
	CHECK_EQ(written, 5);

	/* Reset, then new entries before the next read: they are where the new ring has them. */
	CHECK_OK(neuron_reset(t_dev));
	post_notifies(1, 3, 2, 300);
	CHECK_OK(neuron_nq_written(nq, &written));
	CHECK_EQ(written, 7);
	CHECK_ERR(neuron_nq_read(nq, e, 8, &lost), ESTALE, "restarted");
	CHECK_EQ(lost, 1);
	read_expect(nq, e, 8, &lost, 2);
	CHECK_EQ(e[0].value, 300);
	CHECK_EQ(e[1].value, 301);
	CHECK_EQ(e[1].seq, 1);
	/* No restart since: plain reads again. */
	read_expect(nq, e, 8, &lost, 0);

	/* The new ring laps like the first: 300 entries in 256 slots, 44 lost. */
	post_notifies(1, 3, 300, 0);
	read_expect(nq, e, 512, &lost, 256);
	CHECK_EQ(lost, 1 + 44);
	CHECK_EQ(e[0].index, 44);
	CHECK_EQ(e[255].index, 299);
	CHECK_EQ(e[255].seq, 301);
	CHECK_OK(neuron_nq_ack(nq));
	CHECK_EQ(neuron_nq_wait(nq, 20 * MS), 0);
	neuron_nq_close(nq);
}
