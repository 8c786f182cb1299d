/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * The list of libneuron tests, in the order they run.
 */
#ifndef LIBNEURON_TESTS_H
#define LIBNEURON_TESTS_H

#include "t.h"

#define TESTS(X)				\
	X(list_devices)				\
	X(list_unprivileged)			\
	X(open)					\
	X(open_errors)				\
	X(wrong_driver)				\
	X(last_error_thread)			\
	X(query)				\
	X(bo_host)				\
	X(bo_device)				\
	X(bo_errors)				\
	X(copy_fill)				\
	X(prime_host)				\
	X(prime_peer)				\
	X(gate_waits)				\
	X(timeline)				\
	X(sync_errors)				\
	X(signals)				\
	X(queues)				\
	X(job_transfer)				\
	X(job_errors)				\
	X(submit_fences)			\
	X(programs)				\
	X(fence_error)				\
	X(nq_notify)				\
	X(nq_event_error)			\
	X(nq_reset)				\
	X(semaphores_events)			\
	X(nc_ownership)				\
	X(nc_errors)				\
	X(nc_window)				\
	X(nc_reset)				\
	X(fwio)					\
	X(stats)				\
	X(reset)

#define T_DECLARE(name) void test_##name(void);
TESTS(T_DECLARE)
#undef T_DECLARE

extern const struct t_case t_cases[];

#endif
