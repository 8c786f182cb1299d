// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Self-test of the IGT compat layer: subtests that pass, fail, skip and
 * crash on purpose.  check.sh runs this binary in several ways and compares
 * the result lines and exit codes with what IGT would produce.
 *
 * SELFTEST_FIXTURE=skip|fail makes the first fixture skip or fail, which
 * must turn every subtest into SKIP or FAIL without running it;
 * SELFTEST_GROUP_FAIL=1 makes a group's fixture fail.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"

static int fixture_value;
static bool after_failed_assert;

static void crash_null(void)
{
	volatile int *p = NULL;

	*p = 1;
}

igt_main
{
	igt_fixture {
		const char *mode = getenv("SELFTEST_FIXTURE");

		igt_require_f(!mode || strcmp(mode, "skip"), "fixture skip requested\n");
		igt_assert_f(!mode || strcmp(mode, "fail"), "fixture failure requested\n");
		fixture_value = 42;
	}

	igt_describe("Passes: a fixture's state is visible in subtests.");
	igt_subtest("pass-fixture-state")
		igt_assert_eq(fixture_value, 42);

	igt_describe("Passes: every assert macro in its true form.");
	igt_subtest("pass-assert-macros") {
		igt_assert(1);
		igt_assert_f(1, "never printed\n");
		igt_assert_eq(-1, -1);
		igt_assert_eq_u32(0xffffffffu, 0xffffffffu);
		igt_assert_eq_s64(-5, -5);
		igt_assert_eq_u64(1ull << 40, 1ull << 40);
		igt_assert_neq(1, 2);
		igt_assert_neq_u32(1, 2);
		igt_assert_neq_u64(1, 2);
		igt_assert_lt(1, 2);
		igt_assert_lte(2, 2);
		igt_assert_lt_u64(1, 2);
		igt_assert_lte_u64(2, 2);
		igt_assert_lt_s64(-2, -1);
		igt_assert_lte_s64(-1, -1);
		igt_assert_fd(fixture_value);
		igt_assert_null(NULL);
		igt_fail_on(0);
		igt_fail_on_f(0, "never printed\n");
		igt_require(1);
		igt_require_f(1, "never printed\n");
		igt_skip_on(0);
		igt_skip_on_f(0, "never printed\n");
		igt_assert(!igt_warn_on(0));
	}

	igt_describe("Passes: do_ioctl_err() sees ENOTTY from /dev/null.");
	igt_subtest("pass-do-ioctl-err") {
		int fd = open("/dev/null", O_RDONLY);

		igt_assert_fd(fd);
		do_ioctl_err(fd, _IOR('d', 0x00, int), &(int){0}, ENOTTY);
		close(fd);
	}

	igt_describe("Fails: igt_assert_eq() with different values; the rest of the body must not run.");
	igt_subtest("fail-assert-eq") {
		igt_assert_eq(1, 2);
		after_failed_assert = true;
	}

	igt_describe("Passes only if the failed subtest before it stopped at its assert.");
	igt_subtest("pass-after-fail")
		igt_assert(!after_failed_assert);

	igt_describe("Fails: do_ioctl() on /dev/null.");
	igt_subtest("fail-do-ioctl") {
		int fd = open("/dev/null", O_RDONLY);

		igt_assert_fd(fd);
		do_ioctl(fd, _IOR('d', 0x00, int), &(int){0});
	}

	igt_describe("Fails: explicit igt_fail().");
	igt_subtest("fail-explicit")
		igt_fail(IGT_EXIT_FAILURE);

	igt_describe("Skips: igt_require() on a false condition.");
	igt_subtest("skip-require")
		igt_require(fixture_value == 0);

	igt_describe("Skips: explicit igt_skip().");
	igt_subtest("skip-explicit")
		igt_skip("skipping on purpose\n");

	igt_describe("Crashes: NULL dereference (SIGSEGV).");
	igt_subtest("crash-segv")
		crash_null();

	igt_describe("Crashes: abort() (SIGABRT).");
	igt_subtest("crash-abort")
		abort();

	igt_describe("Passes: the binary survived the crashes before.");
	igt_subtest("pass-after-crash")
		igt_assert_eq(fixture_value, 42);

	igt_describe("Passes: a forked child's failed assert exits the child with 98, "
		     "it does not run the parent's later subtests.");
	igt_subtest("pass-child-assert-exits") {
		int status;
		pid_t pid = fork();

		igt_assert_lte(0, pid);
		if (pid == 0) {
			igt_assert(0);
			_exit(0);
		}
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert(WIFEXITED(status));
		igt_assert_eq(WEXITSTATUS(status), IGT_EXIT_FAILURE);
	}

	igt_describe("Passes: a forked child that crashes dies of the signal.");
	igt_subtest("pass-child-crash-dies") {
		int status;
		pid_t pid = fork();

		igt_assert_lte(0, pid);
		if (pid == 0) {
			crash_null();
			_exit(0);
		}
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert(WIFSIGNALED(status));
		igt_assert_eq(WTERMSIG(status), SIGSEGV);
	}

	igt_describe("Fails: each assert macro in its false form, one dynamic subtest each.");
	igt_subtest_with_dynamic("fail-assert-macros") {
		igt_dynamic("assert") igt_assert(0);
		igt_dynamic("assert-f") igt_assert_f(0, "expected failure\n");
		igt_dynamic("eq") igt_assert_eq(1, 2);
		igt_dynamic("eq-u32") igt_assert_eq_u32(1, 2);
		igt_dynamic("eq-s64") igt_assert_eq_s64(1, 2);
		igt_dynamic("eq-u64") igt_assert_eq_u64(1, 2);
		igt_dynamic("neq") igt_assert_neq(1, 1);
		igt_dynamic("neq-u32") igt_assert_neq_u32(1, 1);
		igt_dynamic("neq-u64") igt_assert_neq_u64(1, 1);
		igt_dynamic("lt") igt_assert_lt(2, 2);
		igt_dynamic("lte") igt_assert_lte(3, 2);
		igt_dynamic("lt-u64") igt_assert_lt_u64(2, 2);
		igt_dynamic("lte-u64") igt_assert_lte_u64(3, 2);
		igt_dynamic("lt-s64") igt_assert_lt_s64(-1, -1);
		igt_dynamic("lte-s64") igt_assert_lte_s64(0, -1);
		igt_dynamic("fd") igt_assert_fd(-1);
		igt_dynamic("null") igt_assert_null((void *)1);
		igt_dynamic("fail-on") igt_fail_on(1);
		igt_dynamic("fail-on-f") igt_fail_on_f(1, "expected failure\n");
	}

	igt_describe("Fails: one dynamic subtest passes, one fails, one skips, one crashes.");
	igt_subtest_with_dynamic("dynamic-mixed") {
		igt_dynamic("pass-one") igt_assert(1);
		igt_dynamic("fail-one") igt_assert(0);
		igt_dynamic_f("skip-%s", "one") igt_skip("skip\n");
		igt_dynamic("crash-one") crash_null();
		igt_dynamic("pass-two") igt_assert(1);
	}

	igt_describe("Passes: dynamic subtests pass or skip.");
	igt_subtest_with_dynamic("dynamic-pass") {
		for (int i = 0; i < 3; i++)
			igt_dynamic_f("item-%d", i)
				igt_require(i != 1);
	}

	igt_describe("Skips: no dynamic subtest executed.");
	igt_subtest_with_dynamic("dynamic-none") {
	}

	igt_describe("Fails: failure in the container outside any dynamic subtest.");
	igt_subtest_with_dynamic("dynamic-container-fail") {
		igt_dynamic("ok") igt_assert(1);
		igt_assert(0);
	}

	igt_subtest_group {
		igt_fixture
			igt_require_f(false, "group fixture skips\n");

		igt_describe("Skips without running: its group's fixture skipped.");
		igt_subtest("group-skipped")
			igt_assert(0);
	}

	igt_subtest_group {
		/*
		 * Only on request: as in IGT, a failing fixture fails the
		 * binary even when none of the group's subtests is selected.
		 */
		igt_fixture
			igt_assert(!getenv("SELFTEST_GROUP_FAIL"));

		igt_describe("Fails without running: its group's fixture failed.");
		igt_subtest("group-failed")
			igt_assert(1);
	}

	igt_describe("Passes: a skipping/failing group does not leak out.");
	igt_subtest_f("pass-after-%s", "groups")
		igt_assert_eq(fixture_value, 42);

	igt_fixture
		fixture_value = 0;
}
