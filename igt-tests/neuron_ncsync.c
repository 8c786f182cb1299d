// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * NeuronCore semaphores and events (DRM_IOCTL_NEURON_SEMAPHORE / _EVENT):
 * set, increment, decrement and read back through the firmware on every
 * NeuronCore, signed values, the exact index bounds, every invalid field.
 */
#include <sys/ioctl.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("NeuronCore semaphores and events.");

static struct igt_neuron_node node;
static int fd = -1;

static int __sem(int f, uint32_t nc, uint32_t idx, uint32_t op, int32_t *value)
{
	struct drm_neuron_semaphore s = { .nc = nc, .index = idx, .op = op,
					  .value = value ? *value : 0 };
	int ret = drmIoctl(f, DRM_IOCTL_NEURON_SEMAPHORE, &s) ? -errno : 0;

	if (!ret && value)
		*value = s.value;
	return ret;
}

static void sem_op(uint32_t nc, uint32_t idx, uint32_t op, int32_t v)
{
	igt_assert_eq(__sem(fd, nc, idx, op, &v), 0);
}

static int32_t sem_read(uint32_t nc, uint32_t idx)
{
	int32_t v = 0;

	igt_assert_eq(__sem(fd, nc, idx, DRM_NEURON_SYNC_OP_READ, &v), 0);
	return v;
}

static int __event(int f, struct drm_neuron_event *e)
{
	return drmIoctl(f, DRM_IOCTL_NEURON_EVENT, e) ? -errno : 0;
}

static uint32_t event_read(uint32_t nc, uint32_t idx)
{
	struct drm_neuron_event e = { .nc = nc, .index = idx, .op = DRM_NEURON_SYNC_OP_READ };

	igt_assert_eq(__event(fd, &e), 0);
	return e.value;
}

static void event_set(uint32_t nc, uint32_t idx, uint32_t v)
{
	struct drm_neuron_event e = { .nc = nc, .index = idx, .op = DRM_NEURON_SYNC_OP_SET,
				      .value = v };

	igt_assert_eq(__event(fd, &e), 0);
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
	}

	igt_describe("SET, INCR and DECR change a semaphore as READ shows, on every "
		     "NeuronCore and at the first and last index; values are signed.");
	igt_subtest("semaphore-ops") {
		for (uint32_t nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
			const uint32_t idx[2] = { 0, V1_SEMAPHORES_PER_NC - 1 };

			for (int i = 0; i < 2; i++) {
				sem_op(nc, idx[i], DRM_NEURON_SYNC_OP_SET, 100 + nc);
				igt_assert_eq(sem_read(nc, idx[i]), 100 + (int)nc);
				sem_op(nc, idx[i], DRM_NEURON_SYNC_OP_INCR, 5);
				igt_assert_eq(sem_read(nc, idx[i]), 105 + (int)nc);
				sem_op(nc, idx[i], DRM_NEURON_SYNC_OP_DECR, 200);
				igt_assert_eq(sem_read(nc, idx[i]), (int)nc - 95);
				sem_op(nc, idx[i], DRM_NEURON_SYNC_OP_SET, 0);
			}
		}
	}

	igt_describe("Semaphores are independent: changing one leaves its neighbours.");
	igt_subtest("semaphore-independent") {
		for (uint32_t i = 0; i < V1_SEMAPHORES_PER_NC; i++)
			sem_op(2, i, DRM_NEURON_SYNC_OP_SET, 1000 + i);
		sem_op(2, 7, DRM_NEURON_SYNC_OP_INCR, 1);
		for (uint32_t i = 0; i < V1_SEMAPHORES_PER_NC; i++)
			igt_assert_eq(sem_read(2, i), 1000 + (int)i + (i == 7));
		igt_assert_eq(sem_read(3, 7), sem_read(3, 7));
		for (uint32_t i = 0; i < V1_SEMAPHORES_PER_NC; i++)
			sem_op(2, i, DRM_NEURON_SYNC_OP_SET, 0);
	}

	igt_describe("Events set to 1 and 0 read back so, at the first and last index.");
	igt_subtest("event-ops") {
		for (uint32_t nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
			event_set(nc, 0, 1);
			event_set(nc, V1_EVENTS_PER_NC - 1, 1);
			igt_assert_eq_u32(event_read(nc, 0), 1);
			igt_assert_eq_u32(event_read(nc, V1_EVENTS_PER_NC - 1), 1);
			igt_assert_eq_u32(event_read(nc, 1), 0);
			event_set(nc, 0, 0);
			event_set(nc, V1_EVENTS_PER_NC - 1, 0);
			igt_assert_eq_u32(event_read(nc, 0), 0);
		}
	}

	igt_describe("Out-of-range NeuronCore or index (exactly the count is refused), "
		     "unknown operations, flags and pads fail with EINVAL.");
	igt_subtest("invalid") {
		struct drm_neuron_semaphore s = {};
		struct drm_neuron_event e = {};
		int32_t v = 0;

		igt_assert_eq(__sem(fd, V1_NC_PER_DEVICE, 0, 0, &v), -EINVAL);
		igt_assert_eq(__sem(fd, 0, V1_SEMAPHORES_PER_NC, 0, &v), -EINVAL);
		igt_assert_eq(__sem(fd, 0, 0, 4, &v), -EINVAL);
		s.flags = 1;
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_SEMAPHORE, &s), -1);
		igt_assert_eq(errno, EINVAL);
		s.flags = 0;
		s.pad = 1;
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_SEMAPHORE, &s), -1);
		igt_assert_eq(errno, EINVAL);

		e = (struct drm_neuron_event){ .nc = V1_NC_PER_DEVICE };
		igt_assert_eq(__event(fd, &e), -EINVAL);
		e = (struct drm_neuron_event){ .index = V1_EVENTS_PER_NC };
		igt_assert_eq(__event(fd, &e), -EINVAL);
		e = (struct drm_neuron_event){ .op = DRM_NEURON_SYNC_OP_INCR };
		igt_assert_eq(__event(fd, &e), -EINVAL);
		e = (struct drm_neuron_event){ .op = DRM_NEURON_SYNC_OP_SET, .value = 2 };
		igt_assert_eq(__event(fd, &e), -EINVAL);
		/* Nothing above changed event 0. */
		igt_assert_eq_u32(event_read(0, 0), 0);
	}

	igt_fixture {
		close(fd);
	}
}
