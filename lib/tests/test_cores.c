// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * NeuronCore ownership and window ranges: neuron_nc_acquire/release/reset,
 * neuron_nc_owned, neuron_nc_owners, neuron_job_to_window/from_window and
 * NEURON_NC_WINDOW ranges, with a second handle of the same device as the
 * other client.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "t.h"
#include "tests.h"

/* A second handle of t_dev's node: another client of the same device. */
static struct neuron_device *other_client(void)
{
	struct neuron_node_info *list;
	struct neuron_device *d;
	int n = neuron_list_devices(&list);

	CHECK(n > 0);
	CHECK_OK(neuron_open_path(list[0].node, &d));
	neuron_free_devices(list);
	return d;
}

static uint32_t owned(struct neuron_device *d)
{
	uint32_t m = 0xdead;

	CHECK_OK(neuron_nc_owned(d, &m));
	return m;
}

static uint32_t t_minor(void)
{
	struct stat st;

	CHECK_EQ(fstat(neuron_device_fd(t_dev), &st), 0);
	return minor(st.st_rdev);
}

static void self_comm(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/comm", "r");

	CHECK(f);
	CHECK(fgets(buf, (int)size, f));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

void test_nc_ownership(void)
{
	struct neuron_device *b = other_client();
	struct neuron_nc_owner o[8], o2[8];
	char comm[32];
	int n;

	self_comm(comm, sizeof(comm));
	CHECK_EQ(owned(t_dev), 0);
	CHECK_OK(neuron_nc_acquire(t_dev, 0x5));
	CHECK_OK(neuron_nc_acquire(t_dev, 0x1));	/* again: fine */
	CHECK_EQ(owned(t_dev), 0x5);
	CHECK_ERR(neuron_nc_acquire(b, 0x1), EBUSY, "another client");
	CHECK_ERR(neuron_nc_acquire(b, 0x3), EBUSY, "another client");
	CHECK_EQ(owned(b), 0);			/* all or none */
	CHECK_ERR(neuron_nc_release(b, 0x4), EINVAL, "not all of them");
	CHECK_OK(neuron_nc_acquire(b, 0x2));
	CHECK_EQ(owned(b), 0x2);

	n = neuron_nc_owners(t_dev, o, 8);
	CHECK_EQ(n, 4);
	CHECK_EQ(neuron_read_nc_owners(t_minor(), o2, 8), 4);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(o[i].nc, i);
		CHECK_EQ(o2[i].nc, i);
		if (i == 3) {
			CHECK_EQ(o[i].owned, 0);
			CHECK_EQ(o2[i].owned, 0);
			CHECK_EQ(o[i].pid, 0);
			continue;
		}
		CHECK_EQ(o[i].owned, 1);
		CHECK_EQ(o[i].pid, getpid());
		CHECK(!strcmp(o[i].comm, comm));
		CHECK_EQ(o2[i].owned, 1);
		CHECK_EQ(o2[i].client_id, o[i].client_id);
	}
	CHECK_EQ(o[0].client_id, o[2].client_id);
	CHECK(o[1].client_id != o[0].client_id);
	/* A short array: the count of cores all the same. */
	CHECK_EQ(neuron_nc_owners(t_dev, o, 1), 4);
	CHECK_EQ(neuron_nc_owners(t_dev, NULL, 0), 4);

	CHECK_OK(neuron_nc_release(t_dev, 0x5));
	CHECK_EQ(owned(t_dev), 0);
	neuron_close(b);			/* close releases NC 1 */
	CHECK_EQ(neuron_nc_owners(t_dev, o, 8), 4);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(o[i].owned, 0);
	CHECK_OK(neuron_nc_acquire(t_dev, 0xf));
	CHECK_OK(neuron_nc_release(t_dev, 0xf));
}

void test_nc_errors(void)
{
	uint32_t m;

	CHECK_ERR(neuron_nc_acquire(t_dev, 0), EINVAL, "nc_mask");
	CHECK_ERR(neuron_nc_acquire(t_dev, 0x10), EINVAL, "nc_mask");
	CHECK_ERR(neuron_nc_release(t_dev, 0), EINVAL, "nc_mask");
	CHECK_ERR(neuron_nc_release(t_dev, 0x1), EINVAL, "not all of them");
	CHECK_ERR(neuron_nc_reset(t_dev, 0), EINVAL, "nc_mask");
	CHECK_ERR(neuron_nc_reset(t_dev, 0x100), EINVAL, "nc_mask");
	CHECK_ERR(neuron_nc_acquire(NULL, 1), EINVAL, "dev");
	CHECK_ERR(neuron_nc_release(NULL, 1), EINVAL, "dev");
	CHECK_ERR(neuron_nc_reset(NULL, 1), EINVAL, "dev");
	CHECK_ERR(neuron_nc_owned(NULL, &m), EINVAL, "dev");
	CHECK_ERR(neuron_nc_owned(t_dev, NULL), EINVAL, "nc_mask");
	CHECK_ERR(neuron_nc_owners(NULL, NULL, 0), EINVAL, "dev");
	CHECK_ERR(neuron_read_nc_owners(999, NULL, 0), ENOENT, "accel999");
	CHECK_EQ(owned(t_dev), 0);
}

/* Host -> window -> host through the builder, on a queue of NeuronCore 1. */
static void window_roundtrip(uint32_t q, uint64_t woff, uint64_t size, uint64_t seed)
{
	uint8_t *sp, *dp;
	struct neuron_bo *s = t_host_bo(t_dev, size, &sp), *d = t_host_bo(t_dev, size, &dp);
	struct neuron_job *job;

	t_pattern(sp, size, seed);
	memset(dp, 0x5a, size);
	CHECK_OK(neuron_job_create(&job));
	CHECK_OK(neuron_job_to_window(job, woff, s, 0, size));
	CHECK_OK(neuron_submit(t_dev, q, job, NULL));
	neuron_job_reset(job);
	CHECK_OK(neuron_job_barrier(job));
	CHECK_OK(neuron_job_from_window(job, d, 0, woff, size));
	CHECK_OK(neuron_submit(t_dev, q, job, NULL));
	CHECK_OK(neuron_bo_wait(d, NEURON_TIMEOUT_INFINITE));
	CHECK_SAME(dp, sp, size);
	neuron_job_destroy(job);
	neuron_bo_destroy(s);
	neuron_bo_destroy(d);
}

void test_nc_window(void)
{
	struct neuron_device *b = other_client();
	uint64_t size = 3 * DRM_NEURON_DESC_MAX_LENGTH + 100;
	struct neuron_job *job;
	struct neuron_bo *bo;
	uint8_t *p;
	uint32_t q, qb;

	CHECK_OK(neuron_nc_acquire(t_dev, 0x2));
	CHECK_OK(neuron_queue_create(t_dev, 1, 0, 5, &q));
	window_roundtrip(q, 0x10000, size, 1);
	window_roundtrip(q, NEURON_NC_CONTROL_END, 4096, 2);
	window_roundtrip(q, NEURON_NC_CONTROL_START - 4096, 4096, 3);
	window_roundtrip(q, NEURON_NC_WINDOW_SIZE - size, size, 4);

	/* Window to window, then back out: both sides NEURON_NC_WINDOW. */
	{
		struct neuron_range s = { NEURON_NC_WINDOW, 0x10000, 8192 };
		struct neuron_range d = { NEURON_NC_WINDOW, 0x3000000, 8192 };
		uint8_t *sp, *dp;
		struct neuron_bo *sb = t_host_bo(t_dev, 8192, &sp), *db = t_host_bo(t_dev, 8192, &dp);

		t_pattern(sp, 8192, 9);
		CHECK_OK(neuron_job_create(&job));
		CHECK_OK(neuron_job_to_window(job, 0x10000, sb, 0, 8192));
		CHECK_OK(neuron_submit(t_dev, q, job, NULL));
		neuron_job_reset(job);
		CHECK_OK(neuron_job_barrier(job));
		CHECK_OK(neuron_job_transfer(job, &s, 1, &d, 1));
		CHECK_EQ(neuron_job_bo_count(job), 0);
		CHECK_EQ(neuron_job_tx(job)[0].bo_index, DRM_NEURON_DESC_NC_WINDOW);
		CHECK_EQ(neuron_job_rx(job)[0].bo_index, DRM_NEURON_DESC_NC_WINDOW);
		CHECK_OK(neuron_submit(t_dev, q, job, NULL));
		neuron_job_reset(job);
		CHECK_OK(neuron_job_barrier(job));
		CHECK_OK(neuron_job_from_window(job, db, 0, 0x3000000, 8192));
		CHECK_OK(neuron_submit(t_dev, q, job, NULL));
		CHECK_OK(neuron_bo_wait(db, NEURON_TIMEOUT_INFINITE));
		CHECK_SAME(dp, sp, 8192);
		neuron_job_destroy(job);
		neuron_bo_destroy(sb);
		neuron_bo_destroy(db);
	}

	/* The builder refuses what the kernel would. */
	bo = t_host_bo(t_dev, 8192, &p);
	CHECK_OK(neuron_job_create(&job));
	CHECK_ERR(neuron_job_to_window(job, NEURON_NC_CONTROL_START - 4, bo, 0, 8), EINVAL,
		  "control views");
	CHECK_ERR(neuron_job_from_window(job, bo, 0, NEURON_NC_CONTROL_END - 1, 8), EINVAL,
		  "control views");
	CHECK_ERR(neuron_job_to_window(job, NEURON_NC_WINDOW_SIZE - 4, bo, 0, 8), EINVAL,
		  "outside the NeuronCore window");
	CHECK_ERR(neuron_job_to_window(job, UINT64_MAX - 2, bo, 0, 8), EINVAL, "outside");
	CHECK_ERR(neuron_job_to_window(job, 0, NULL, 0, 8), EINVAL, "src");
	CHECK_ERR(neuron_job_from_window(job, NEURON_NC_WINDOW, 0, 0, 8), EINVAL, "dst");
	CHECK_ERR(neuron_job_to_window(job, 0, bo, 0, 0), EINVAL, "length zero");
	CHECK_EQ(neuron_job_tx_count(job), 0);

	/* Another client's core, and a core nobody owns: -EACCES from the kernel. */
	CHECK_OK(neuron_job_to_window(job, 0x1000, bo, 0, 4096));
	CHECK_OK(neuron_queue_create(t_dev, 0, 0, 5, &qb));
	CHECK_EQ(neuron_submit(t_dev, qb, job, NULL), -EACCES);
	CHECK_OK(neuron_queue_destroy(t_dev, qb));
	neuron_job_destroy(job);
	neuron_bo_destroy(bo);
	{
		struct neuron_bo *bb;
		uint32_t prog;

		bb = t_host_bo(b, 4096, &p);
		CHECK_OK(neuron_job_create(&job));
		CHECK_OK(neuron_job_from_window(job, bb, 0, 0x10000, 4096));
		CHECK_OK(neuron_queue_create(b, 1, 0, 5, &qb));
		CHECK_EQ(neuron_submit(b, qb, job, NULL), -EACCES);
		CHECK_EQ(neuron_program_create(b, 1, job, &prog), -EACCES);
		/* Released: still not the other client's (it does not own the core). */
		CHECK_OK(neuron_nc_release(t_dev, 0x2));
		CHECK_EQ(neuron_submit(b, qb, job, NULL), -EACCES);
		CHECK_OK(neuron_nc_acquire(b, 0x2));
		CHECK_OK(neuron_submit(b, qb, job, NULL));
		CHECK_OK(neuron_bo_wait(bb, NEURON_TIMEOUT_INFINITE));
		CHECK_OK(neuron_queue_destroy(b, qb));
		neuron_job_destroy(job);
		neuron_bo_destroy(bb);
	}
	CHECK_OK(neuron_queue_destroy(t_dev, q));
	neuron_close(b);
}

void test_nc_reset(void)
{
	int ret;

	CHECK_OK(neuron_nc_acquire(t_dev, 0x8));
	ret = neuron_nc_reset(t_dev, 0x8);
	if (ret == -EINVAL || ret == -ENOTTY || ret == -EOPNOTSUPP) {
		CHECK(strstr(neuron_last_error(), "NC_RESET"));
		CHECK_OK(neuron_nc_release(t_dev, 0x8));
		SKIP("the kernel has no NC_RESET yet (%d)", ret);
	}
	CHECK_OK(ret);
	CHECK_OK(neuron_nc_release(t_dev, 0x8));
	/* An unowned core needs CAP_SYS_ADMIN: root here, so it may. */
	if (geteuid() == 0)
		CHECK_OK(neuron_nc_reset(t_dev, 0x8));
}
