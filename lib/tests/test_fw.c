// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Semaphores, events, FWIO reads, statistics posts and reset.
 */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "tests.h"
#include "v1/address_map.h"
#include "v1/fwio_regs.h"

static uint64_t sem_addr(uint32_t nc, uint32_t i)
{
	return V1_TPB_BASE + V1_NC_WINDOW_OFFSET(nc) + V1_NC_SEM_READ + 4 * i;
}

void test_semaphores_events(void)
{
	int32_t v;
	uint32_t ev;

	CHECK_OK(neuron_semaphore_write(t_dev, 1, 31, DRM_NEURON_SYNC_OP_SET, 40));
	CHECK_OK(neuron_semaphore_read(t_dev, 1, 31, &v));
	CHECK_EQ(v, 40);
	CHECK_OK(neuron_semaphore_write(t_dev, 1, 31, DRM_NEURON_SYNC_OP_INCR, 5));
	CHECK_OK(neuron_semaphore_read(t_dev, 1, 31, &v));
	CHECK_EQ(v, 45);
	CHECK_OK(neuron_semaphore_write(t_dev, 1, 31, DRM_NEURON_SYNC_OP_DECR, 3));
	CHECK_OK(neuron_semaphore_read(t_dev, 1, 31, &v));
	CHECK_EQ(v, 42);
	CHECK_OK(neuron_event_set(t_dev, 0, 255, 1));
	CHECK_OK(neuron_event_read(t_dev, 0, 255, &ev));
	CHECK_EQ(ev, 1);
	CHECK_OK(neuron_event_set(t_dev, 0, 255, 0));
	CHECK_OK(neuron_event_read(t_dev, 0, 255, &ev));
	CHECK_EQ(ev, 0);

	CHECK_ERR(neuron_semaphore_read(t_dev, 1, 32, &v), EINVAL, "index");
	CHECK_ERR(neuron_semaphore_read(t_dev, 4, 0, &v), EINVAL, "nc");
	CHECK_ERR(neuron_semaphore_read(t_dev, 0, 0, NULL), EINVAL, "value");
	CHECK_ERR(neuron_semaphore_write(t_dev, 0, 0, DRM_NEURON_SYNC_OP_READ, 1), EINVAL, "op");
	CHECK_ERR(neuron_semaphore_write(t_dev, 0, 0, 9, 1), EINVAL, "op");
	CHECK_ERR(neuron_semaphore_write(NULL, 0, 0, DRM_NEURON_SYNC_OP_SET, 1), EINVAL, "dev");
	CHECK_ERR(neuron_event_set(t_dev, 0, 256, 1), EINVAL, "index");
	CHECK_ERR(neuron_event_set(t_dev, 0, 0, 2), EINVAL, "value");
	CHECK_ERR(neuron_event_read(t_dev, 5, 0, &ev), EINVAL, "nc");
	CHECK_ERR(neuron_event_read(t_dev, 0, 0, NULL), EINVAL, "value");
}

void test_fwio(void)
{
	const uint32_t n = 1500;
	uint64_t *addrs = calloc(n, sizeof(*addrs)), bad;
	uint32_t *vals = calloc(n, sizeof(*vals)), v;
	struct drm_neuron_device_info info;

	CHECK_OK(neuron_query_device_info(t_dev, &info));
	addrs[0] = V1_APB_BASE + V1_MISC_RAM_OFFSET + MISC_FW_STATUS;
	CHECK_OK(neuron_fwio_read(t_dev, addrs, vals, 1));
	CHECK_EQ(vals[0], info.fw_status);
	/* More than one ioctl's worth: semaphores of every NeuronCore, cycled. */
	for (uint32_t nc = 0; nc < 4; nc++)
		CHECK_OK(neuron_semaphore_write(t_dev, nc, 7, DRM_NEURON_SYNC_OP_SET,
						(int32_t)(0x100 + nc)));
	for (uint32_t i = 0; i < n; i++)
		addrs[i] = sem_addr(i % 4, 7);
	CHECK_OK(neuron_fwio_read(t_dev, addrs, vals, n));
	for (uint32_t i = 0; i < n; i++)
		CHECK_EQ(vals[i], 0x100 + i % 4);

	bad = sem_addr(0, 7) + 2;
	CHECK_ERR(neuron_fwio_read(t_dev, &bad, &v, 1), EINVAL, "addrs[0]");
	/* DRAM is not on the allow-list; the message names the piece. */
	addrs[1100] = 0;
	CHECK_ERR(neuron_fwio_read(t_dev, addrs, vals, n), EACCES, "addrs[1024..1499]");
	CHECK_ERR(neuron_fwio_read(t_dev, addrs, vals, 0), EINVAL, "count");
	CHECK_ERR(neuron_fwio_read(t_dev, NULL, vals, 1), EINVAL, "addrs");
	CHECK_ERR(neuron_fwio_read(t_dev, addrs, NULL, 1), EINVAL, "values");
	free(addrs);
	free(vals);
}

void test_stats(void)
{
	uint8_t blob[DRM_NEURON_STATS_POST_MAX + 1] = { 1, 4, 0xde, 0xad, 0xbe, 0xef };

	CHECK_OK(neuron_stats_post(t_dev, blob, 6));
	CHECK_OK(neuron_stats_post(t_dev, blob, DRM_NEURON_STATS_POST_MAX));
	CHECK_ERR(neuron_stats_post(t_dev, blob, 0), EINVAL, "size");
	CHECK_ERR(neuron_stats_post(t_dev, blob, sizeof(blob)), EINVAL, "size");
	CHECK_ERR(neuron_stats_post(t_dev, NULL, 4), EINVAL, "data");
}

/* Reset: refused without CAP_SYS_ADMIN; as root the device comes back and works. */
void test_reset(void)
{
	uint8_t *a, *b;
	struct neuron_bo *ha = t_host_bo(t_dev, 4096, &a), *hb = t_host_bo(t_dev, 4096, &b);
	struct drm_neuron_device_info info;
	pid_t pid;
	int status;

	if (geteuid() != 0)
		SKIP("not root");
	pid = fork();
	if (pid == 0) {
		/* Drop root but keep the open fd. */
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(neuron_reset(t_dev) == -EPERM && strstr(neuron_last_error(),
							   "CAP_SYS_ADMIN") ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);

	CHECK_OK(neuron_reset(t_dev));
	CHECK_OK(neuron_query_device_info(t_dev, &info));
	CHECK(info.state & DRM_NEURON_DEVICE_READY);
	t_pattern(a, 4096, 9);
	CHECK_OK(neuron_copy(hb, 0, ha, 0, 4096, DRM_NEURON_ANY, NULL));
	CHECK_OK(neuron_bo_wait(hb, NEURON_TIMEOUT_INFINITE));
	CHECK_SAME(b, a, 4096);
	CHECK_ERR(neuron_reset(NULL), EINVAL, "dev");
}
