/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * The libneuron test program's harness: every test runs in its own child
 * process (a crash or hang ends only that test), a failed check ends the
 * test with the file, line and the library's last error message.
 */
#ifndef LIBNEURON_T_H
#define LIBNEURON_T_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libneuron.h"

#define T_SKIP_STATUS	77

struct t_case {
	const char *name;
	void (*fn)(void);
};

/* The first device (opened for every test) and the number of devices. */
extern struct neuron_device *t_dev;
extern int t_ndev;

void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
void t_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define CHECK(cond) do {							\
	if (!(cond))								\
		t_fail(__FILE__, __LINE__, "%s (last error: %s)", #cond,	\
		       neuron_last_error());					\
} while (0)

#define CHECK_EQ(a, b) do {							\
	long long _a = (long long)(a), _b = (long long)(b);			\
	if (_a != _b)								\
		t_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld (last error: %s)", \
		       #a, #b, _a, _b, neuron_last_error());			\
} while (0)

#define CHECK_OK(expr) do {							\
	int _r = (expr);							\
	if (_r < 0)								\
		t_fail(__FILE__, __LINE__, "%s: %d (%s)", #expr, _r,		\
		       neuron_last_error());					\
} while (0)

/* @expr fails with -@err and the message names @field. */
#define CHECK_ERR(expr, err, field) do {					\
	int _r = (expr);							\
	if (_r != -(err))							\
		t_fail(__FILE__, __LINE__, "%s returned %d, expected -%s (last error: %s)", \
		       #expr, _r, #err, neuron_last_error());			\
	if (!strstr(neuron_last_error(), (field)))				\
		t_fail(__FILE__, __LINE__, "%s: message \"%s\" does not name \"%s\"", \
		       #expr, neuron_last_error(), (field));			\
} while (0)

#define SKIP(...) t_skip(__VA_ARGS__)

/* Helpers (helpers.c). */
int64_t t_now_ns(void);	/* CLOCK_MONOTONIC */
void t_pattern(void *buf, size_t size, uint64_t seed);
/* A host BO with its mapping. */
struct neuron_bo *t_host_bo(struct neuron_device *dev, uint64_t size, uint8_t **map);
struct neuron_bo *t_dev_bo(struct neuron_device *dev, uint64_t size);
/* Compare; fails the test naming the first differing byte. */
void t_same(const char *file, int line, const uint8_t *got, const uint8_t *want, size_t n);
#define CHECK_SAME(got, want, n) t_same(__FILE__, __LINE__, (got), (want), (n))
/* The device with DEVICE_INFO index @index, opened (fails the test if none). */
struct neuron_device *t_open_index(uint32_t index);

/*
 * A fence userspace controls (a vgem fence): a sync_file that signals only
 * when t_gate_open() is called.  Skips without vgem.
 */
int t_gate_new(void);
/* An fd of vgem's node, or -1. */
int t_vgem_fd(void);
void t_gate_open(void);

/* The model's NeuronCore records (hw/v1/nc_model.h) in a host BO's mapping. */
void t_nc_record(uint8_t *p, uint32_t op, uint32_t a, uint32_t b, uint32_t c);

#endif
