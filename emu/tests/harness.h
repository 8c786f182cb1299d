/* SPDX-License-Identifier: MIT */
/*
 * A tiny test harness: CHECK macros count failures; RUN prints one
 * "ok NAME" / "not ok NAME" / "skip NAME" line per test for the Makefile's
 * summary.  Diagnostics go to stdout as "# ..." so they interleave in order.
 */
#ifndef NEMU_TEST_HARNESS_H
#define NEMU_TEST_HARNESS_H

#include <stdio.h>

static int t_fail;
static int t_skip;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
		t_fail++;						\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	unsigned long long _a = (unsigned long long)(a);		\
	unsigned long long _b = (unsigned long long)(b);		\
	if (_a != _b) {							\
		printf("# %s:%d: %s == %s: 0x%llx != 0x%llx\n",		\
		       __FILE__, __LINE__, #a, #b, _a, _b);		\
		t_fail++;						\
	}								\
} while (0)

#define SKIP(why) do { printf("# skip: %s\n", why); t_skip = 1; return; } while (0)

static int t_any_failed;

static inline void run_test(const char *name, void (*fn)(void))
{
	int before = t_fail;

	t_skip = 0;
	fn();
	if (t_fail != before) {
		printf("not ok %s\n", name);
		t_any_failed = 1;
	} else {
		printf("%s %s\n", t_skip ? "skip" : "ok", name);
	}
	fflush(stdout);
}

#define RUN(fn) run_test(#fn, fn)

#endif /* NEMU_TEST_HARNESS_H */
