// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Queues, the descriptor builder, SUBMIT and programs.
 */
#include <errno.h>
#include <unistd.h>

#include "t.h"
#include "tests.h"
#include "model/nc_model.h"

#define MS (1000ll * 1000)

void test_queues(void)
{
	uint32_t q, q2;

	CHECK_OK(neuron_queue_create(t_dev, 0, 0, 0, &q));
	CHECK(q != 0);
	/* The same hardware queue again: a second queue object. */
	CHECK_OK(neuron_queue_create(t_dev, 0, 0, 0, &q2));
	CHECK(q2 != q);
	CHECK_OK(neuron_queue_destroy(t_dev, q2));
	CHECK_ERR(neuron_queue_destroy(t_dev, q2), ENOENT, "no queue");
	CHECK_ERR(neuron_queue_create(t_dev, 4, 0, 0, &q2), EINVAL, "nc");
	CHECK_ERR(neuron_queue_create(t_dev, 0, 3, 0, &q2), EINVAL, "engine");
	CHECK_ERR(neuron_queue_create(t_dev, 0, 0, 16, &q2), EINVAL, "queue");
	/* Queue 15 of engine 2 is the driver's copy queue. */
	CHECK_ERR(neuron_queue_create(t_dev, 1, 2, 15, &q2), EINVAL, "copy queue");
	CHECK_ERR(neuron_queue_create(t_dev, 0, 0, 0, NULL), EINVAL, "handle");
	CHECK_ERR(neuron_queue_create(NULL, 0, 0, 0, &q2), EINVAL, "dev");
	CHECK_OK(neuron_queue_destroy(t_dev, q));
}

/*
 * Check the builder's arrays against the uapi's rules, counting transmit
 * descriptors over host BOs (@host) as split at every page, the worst case.
 */
static void check_framing(const struct neuron_job *job, struct neuron_bo *host)
{
	const uint32_t *handles = neuron_job_bo_handles(job);
	const struct drm_neuron_desc *tx = neuron_job_tx(job), *rx = neuron_job_rx(job);
	uint32_t ntx = neuron_job_tx_count(job), nrx = neuron_job_rx_count(job), r = 0;
	uint64_t pkt = 0, rxb = 0, page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint32_t pages = 0;
	bool in = false;

	CHECK(ntx > 0 && ntx <= DRM_NEURON_SUBMIT_MAX_DESC && nrx <= DRM_NEURON_SUBMIT_MAX_DESC);
	for (uint32_t i = 0; i < ntx; i++) {
		CHECK(tx[i].length >= 1 && tx[i].length <= DRM_NEURON_DESC_MAX_LENGTH);
		CHECK_EQ(!!(tx[i].flags & DRM_NEURON_DESC_FIRST), !in);
		CHECK_EQ(tx[i].flags & ~7u, 0);
		CHECK_EQ(tx[i].pad, 0);
		in = true;
		pkt += tx[i].length;
		if (handles[tx[i].bo_index] == neuron_bo_handle(host))
			pages += (tx[i].offset + tx[i].length - 1) / page - tx[i].offset / page + 1;
		else
			pages++;
		CHECK(pages <= 128);
		CHECK(pkt <= 0xfffff);
		if (!(tx[i].flags & DRM_NEURON_DESC_LAST))
			continue;
		while (rxb < pkt) {
			CHECK(r < nrx);
			CHECK_EQ(rx[r].flags, 0);
			CHECK(rx[r].length >= 1 && rx[r].length <= DRM_NEURON_DESC_MAX_LENGTH);
			rxb += rx[r++].length;
		}
		CHECK_EQ(rxb, pkt);
		in = false;
		pkt = rxb = pages = 0;
	}
	CHECK(!in);
	CHECK_EQ(r, nrx);
}

/*
 * A 3 MiB gather from three host ranges into two device ranges and back:
 * many packets, every limit respected, every byte where it belongs.
 */
void test_job_transfer(void)
{
	const uint64_t n = 3 << 20;
	uint8_t *a, *b, *want = malloc(n);
	struct neuron_bo *ha = t_host_bo(t_dev, n + 8192, &a), *hb = t_host_bo(t_dev, n, &b);
	struct neuron_bo *d1 = t_dev_bo(t_dev, n / 2), *d2 = t_dev_bo(t_dev, n);
	struct neuron_range src[3] = {
		{ ha, 8000, 1000 },			/* crosses a page */
		{ ha, 100, 1 << 20 },
		{ ha, (1 << 20) + 5000, n - (1 << 20) - 1000 },
	};
	struct neuron_range mid[2] = { { d1, 3, n / 2 - 3 }, { d2, 77, n - (n / 2 - 3) } };
	struct neuron_range back[2] = { { d1, 3, n / 2 - 3 }, { d2, 77, n - (n / 2 - 3) } };
	struct neuron_range out[1] = { { hb, 0, n } };
	struct neuron_job *job;
	uint32_t q, s;
	struct neuron_fences f = { 0 };
	uint64_t o = 0;

	t_pattern(a, n + 8192, 6);
	for (int i = 0; i < 3; i++) {
		memcpy(want + o, a + src[i].offset, src[i].length);
		o += src[i].length;
	}
	CHECK_EQ(o, n);
	CHECK_OK(neuron_job_create(&job));
	CHECK_OK(neuron_job_transfer(job, src, 3, mid, 2));
	check_framing(job, ha);
	CHECK(neuron_job_tx_count(job) > 3);
	CHECK_EQ(neuron_job_bo_count(job), 3);
	CHECK_EQ(neuron_job_bo_handles(job)[0], neuron_bo_handle(ha));
	CHECK_OK(neuron_queue_create(t_dev, 2, 1, 4, &q));
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &s));
	f.out.handle = s;
	CHECK_OK(neuron_submit(t_dev, q, job, &f));
	neuron_job_reset(job);
	CHECK_EQ(neuron_job_tx_count(job), 0);
	CHECK_EQ(neuron_job_bo_count(job), 0);
	CHECK_OK(neuron_job_transfer(job, back, 2, out, 1));
	check_framing(job, NULL);
	/* Implicit sync orders this job after the first (same device BOs). */
	CHECK_OK(neuron_submit(t_dev, q, job, &f));
	CHECK_OK(neuron_syncobj_wait(t_dev, s, 0, 60000 * MS));
	CHECK_EQ(neuron_syncobj_status(t_dev, s, 0), 1);
	CHECK_SAME(b, want, n);
	neuron_job_destroy(job);
	CHECK_OK(neuron_queue_destroy(t_dev, q));
	free(want);
}

void test_job_errors(void)
{
	uint8_t *a;
	struct neuron_bo *ha = t_host_bo(t_dev, 1 << 20, &a), *d = t_dev_bo(t_dev, 1 << 20);
	struct neuron_range s = { ha, 0, 100 }, t = { d, 0, 99 };
	struct neuron_job *job;
	static struct neuron_bo *many[300];

	CHECK_OK(neuron_job_create(&job));
	CHECK_ERR(neuron_job_transfer(job, &s, 1, &t, 1), EINVAL, "dst");
	t.length = 100;
	t.offset = (1 << 20) - 50;
	CHECK_ERR(neuron_job_transfer(job, &s, 1, &t, 1), EINVAL, "dst[0]");
	t.offset = 0;
	CHECK_ERR(neuron_job_transfer(job, &s, 0, &t, 1), EINVAL, "src");
	s.length = 0;
	CHECK_ERR(neuron_job_transfer(job, &s, 1, &t, 1), EINVAL, "src[0]");
	s.length = 100;
	s.bo = NULL;
	CHECK_ERR(neuron_job_transfer(job, &s, 1, &t, 1), EINVAL, "destination only");
	s.bo = ha;
	CHECK_ERR(neuron_job_to_fifo(job, 0x4000 - 50, ha, 0, 100), EINVAL, "FIFO");
	CHECK_ERR(neuron_job_copy(job, d, 0, NULL, 0, 1), EINVAL, "src");
	CHECK_ERR(neuron_job_copy(NULL, d, 0, ha, 0, 1), EINVAL, "job");
	/* Nothing of the refused transfers stayed in the job. */
	CHECK_EQ(neuron_job_tx_count(job), 0);
	CHECK_EQ(neuron_job_bo_count(job), 0);
	CHECK_ERR(neuron_submit(t_dev, 1, job, NULL), EINVAL, "no descriptors");

	/* A barrier puts DMB on the next packet's first descriptor only. */
	CHECK_OK(neuron_job_copy(job, d, 0, ha, 0, 100));
	CHECK_OK(neuron_job_barrier(job));
	CHECK_OK(neuron_job_copy(job, d, 100, ha, 100, 100));
	CHECK_OK(neuron_job_copy(job, d, 200, ha, 200, 100));
	CHECK_EQ(neuron_job_tx_count(job), 3);
	CHECK_EQ(neuron_job_tx(job)[0].flags, DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST);
	CHECK_EQ(neuron_job_tx(job)[1].flags,
		 DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST | DRM_NEURON_DESC_DMB);
	CHECK_EQ(neuron_job_tx(job)[2].flags, DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST);
	CHECK_EQ(neuron_job_bo_count(job), 2);
	CHECK_ERR(neuron_submit(t_dev, 0xbad, job, NULL), ENOENT, "queue 2989");

	/* More than 4096 pages of host memory in one job. */
	neuron_job_reset(job);
	for (int i = 0; i < 16; i++)
		CHECK_OK(neuron_job_copy(job, d, 0, ha, 0, 1 << 20));
	check_framing(job, ha);
	CHECK_ERR(neuron_job_copy(job, d, 0, ha, 0, 1), E2BIG, "4096");
	CHECK_EQ(neuron_job_tx_count(job) * 1u, neuron_job_rx_count(job));

	/* More than 256 BOs. */
	neuron_job_reset(job);
	for (int i = 0; i < 257; i++)
		CHECK_OK(neuron_bo_create(t_dev, 256, DRM_NEURON_BO_DOMAIN_DEVICE, &many[i]));
	for (int i = 0; i < 255; i++)
		CHECK_OK(neuron_job_copy(job, many[i], 0, ha, 0, 16));
	CHECK_EQ(neuron_job_bo_count(job), 256);
	CHECK_ERR(neuron_job_copy(job, many[256], 0, ha, 0, 16), E2BIG, "256 BOs");
	CHECK_EQ(neuron_job_bo_count(job), 256);

	if (t_ndev > 1) {
		struct neuron_node_info *list;
		struct neuron_device *other;
		struct neuron_bo *ob;
		uint32_t q;

		CHECK(neuron_list_devices(&list) > 1);
		CHECK_OK(neuron_open_path(list[1].node, &other));
		CHECK_OK(neuron_bo_create(other, 4096, DRM_NEURON_BO_DOMAIN_HOST, &ob));
		neuron_job_reset(job);
		CHECK_OK(neuron_job_copy(job, d, 0, ha, 0, 16));
		CHECK_ERR(neuron_job_copy(job, ob, 0, ha, 0, 16), EXDEV, "another device");
		CHECK_OK(neuron_queue_create(other, 0, 0, 1, &q));
		CHECK_ERR(neuron_submit(other, q, job, NULL), EXDEV, "another device");
		neuron_close(other);
		neuron_free_devices(list);
	}
	neuron_job_destroy(job);
	neuron_job_destroy(NULL);
}

/* Out-fences of a SUBMIT: binary, timeline point and sync_file. */
void test_submit_fences(void)
{
	uint8_t *a, *b;
	struct neuron_bo *ha = t_host_bo(t_dev, 65536, &a), *hb = t_host_bo(t_dev, 65536, &b);
	struct neuron_job *job;
	uint32_t q, tl;
	struct drm_neuron_sync in;
	struct neuron_fences f = { 0 };
	int sf = -1;

	t_pattern(a, 65536, 7);
	CHECK_OK(neuron_job_create(&job));
	CHECK_OK(neuron_queue_create(t_dev, 3, 2, 0, &q));
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &tl));
	CHECK_OK(neuron_job_copy(job, hb, 0, ha, 0, 32768));
	f.out = (struct drm_neuron_sync){ .handle = tl, .point = 3 };
	f.sync_file = &sf;
	CHECK_OK(neuron_submit(t_dev, q, job, &f));
	CHECK(sf >= 0);
	CHECK_OK(neuron_sync_file_wait(sf, 10000 * MS));
	CHECK_EQ(neuron_sync_file_status(sf), 1);
	CHECK_OK(neuron_syncobj_wait(t_dev, tl, 3, 0));
	CHECK_SAME(b, a, 32768);
	close(sf);
	/* The second half, waiting for point 3 explicitly. */
	neuron_job_reset(job);
	CHECK_OK(neuron_job_copy(job, hb, 32768, ha, 32768, 32768));
	in = (struct drm_neuron_sync){ .handle = tl, .point = 3 };
	f = (struct neuron_fences){ .in = &in, .in_count = 1,
				    .out = { .handle = tl, .point = 4 } };
	CHECK_OK(neuron_submit(t_dev, q, job, &f));
	CHECK_OK(neuron_syncobj_wait(t_dev, tl, 4, 10000 * MS));
	CHECK_SAME(b, a, 65536);
	CHECK_ERR(neuron_submit(NULL, q, job, NULL), EINVAL, "dev");
	CHECK_ERR(neuron_submit(t_dev, q, NULL, NULL), EINVAL, "job");
	neuron_job_destroy(job);
	CHECK_OK(neuron_queue_destroy(t_dev, q));
}

/* A program runs many times on new data; its handle's errors. */
void test_programs(void)
{
	uint8_t *a, *b;
	struct neuron_bo *ha = t_host_bo(t_dev, 16384, &a), *hb = t_host_bo(t_dev, 16384, &b);
	struct neuron_bo *d = t_dev_bo(t_dev, 16384);
	struct neuron_job *job;
	uint32_t q, q_other, prog, s;
	struct neuron_fences f = { 0 };
	uint8_t want[16384];

	CHECK_OK(neuron_job_create(&job));
	CHECK_OK(neuron_job_copy(job, d, 0, ha, 0, 16384));
	CHECK_OK(neuron_job_barrier(job));
	CHECK_OK(neuron_job_copy(job, hb, 0, d, 0, 16384));
	CHECK_OK(neuron_program_create(t_dev, 1, job, &prog));
	neuron_job_destroy(job);	/* the program keeps what it needs */
	CHECK_OK(neuron_queue_create(t_dev, 1, 0, 3, &q));
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &s));
	f.out.handle = s;
	for (int run = 0; run < 3; run++) {
		t_pattern(a, sizeof(want), 100 + run);
		memcpy(want, a, sizeof(want));
		CHECK_OK(neuron_submit_program(t_dev, q, prog, &f));
		CHECK_OK(neuron_syncobj_wait(t_dev, s, 0, 10000 * MS));
		CHECK_EQ(neuron_syncobj_status(t_dev, s, 0), 1);
		CHECK_SAME(b, want, sizeof(want));
	}
	/* Another NeuronCore's queue cannot run it. */
	CHECK_OK(neuron_queue_create(t_dev, 0, 0, 3, &q_other));
	CHECK_ERR(neuron_submit_program(t_dev, q_other, prog, NULL), EINVAL, "program");
	CHECK_ERR(neuron_submit_program(t_dev, q, 0, NULL), EINVAL, "program");
	CHECK_OK(neuron_program_destroy(t_dev, prog));
	CHECK_ERR(neuron_program_destroy(t_dev, prog), ENOENT, "no program");
	CHECK_ERR(neuron_submit_program(t_dev, q, prog, NULL), ENOENT, "program");
	CHECK_OK(neuron_job_create(&job));
	CHECK_ERR(neuron_program_create(t_dev, 0, job, &prog), EINVAL, "no descriptors");
	CHECK_OK(neuron_job_copy(job, d, 0, ha, 0, 16));
	CHECK_ERR(neuron_program_create(t_dev, 4, job, &prog), EINVAL, "nc");
	CHECK_ERR(neuron_program_create(t_dev, 0, job, NULL), EINVAL, "handle");
	neuron_job_destroy(job);
}

/*
 * A job whose NeuronCore program raises an error (the model's ERROR record
 * sent into the FIFO) signals -EIO; its queue is then guilty (ECANCELED).
 */
void test_fence_error(void)
{
	uint8_t *a;
	struct neuron_bo *ha = t_host_bo(t_dev, 4096, &a);
	struct neuron_job *job;
	uint32_t q, q2, s;
	struct neuron_fences f = { 0 };
	int sf = -1;

	CHECK_OK(neuron_job_create(&job));
	CHECK_OK(neuron_queue_create(t_dev, 2, 0, 12, &q));
	CHECK_OK(neuron_queue_create(t_dev, 2, 1, 12, &q2));
	CHECK_OK(neuron_syncobj_create(t_dev, 0, &s));
	/* Settle: no error may be pending on NeuronCore 2 from earlier tests. */
	t_nc_record(a, NC_OP_SEM_SET, 3, 0, 0);
	CHECK_OK(neuron_job_to_fifo(job, 0, ha, 0, NC_OP_RECORD_SIZE));
	f.out.handle = s;
	CHECK_OK(neuron_submit(t_dev, q2, job, &f));
	CHECK_OK(neuron_syncobj_wait(t_dev, s, 0, 10000 * MS));
	t_nc_record(a, NC_OP_ERROR, 42, 7, 0);
	f.sync_file = &sf;
	CHECK_OK(neuron_submit(t_dev, q, job, &f));
	CHECK_OK(neuron_sync_file_wait(sf, 10000 * MS));
	CHECK_EQ(neuron_sync_file_status(sf), -EIO);
	CHECK_EQ(neuron_syncobj_status(t_dev, s, 0), -EIO);
	CHECK_ERR(neuron_submit(t_dev, q, job, NULL), ECANCELED, "guilty");
	close(sf);
	/* The other queue of the NeuronCore goes on. */
	t_nc_record(a, NC_OP_SEM_SET, 3, 11, 0);
	f.sync_file = NULL;
	CHECK_OK(neuron_submit(t_dev, q2, job, &f));
	CHECK_OK(neuron_syncobj_wait(t_dev, s, 0, 10000 * MS));
	CHECK_EQ(neuron_syncobj_status(t_dev, s, 0), 1);
	{
		int32_t v;

		CHECK_OK(neuron_semaphore_read(t_dev, 2, 3, &v));
		CHECK_EQ(v, 11);
	}
	neuron_job_destroy(job);
	CHECK_OK(neuron_queue_destroy(t_dev, q));
	CHECK_OK(neuron_queue_destroy(t_dev, q2));
}
