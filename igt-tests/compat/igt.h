/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * A small stand-in for IGT's core API (igt_core.h, ioctl_wrappers.h), so
 * that our tests build without IGT's headers, which Debian does not ship.
 * Written from IGT's documented behaviour; only what our tests use.  The
 * test sources include "igt.h" exactly as they would inside an IGT tree,
 * where the real header takes the place of this one.
 *
 * Control flow follows IGT: every subtest, dynamic subtest and fixture is a
 * loop whose head records a sigsetjmp() point; a failing assert, a skip or a
 * fatal signal siglongjmp()s back there, the result is printed and the
 * binary carries on with the next block.
 */
#ifndef NEURON_IGT_COMPAT_H
#define NEURON_IGT_COMPAT_H

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Exit codes, as igt_core.h documents them. */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_TIMEOUT	78
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define __igt_concat2(a, b) a##b
#define __igt_concat(a, b) __igt_concat2(a, b)
#define igt_unique(name) __igt_concat(__igt_concat(__igt_uniq_, name), __LINE__)

extern sigjmp_buf igt_subtest_jmpbuf;
extern sigjmp_buf igt_dynamic_jmpbuf;

/* Internal entry points used by the macros below. */
void igt_subtest_init_parse_opts(int *argc, char **argv);
bool __igt_fixture(void);
void __igt_fixture_complete(void);
bool __igt_run_subtest(const char *name, const char *func);
bool __igt_enter_dynamic_container(void);
bool __igt_run_dynamic_subtest(const char *name);
bool __igt_enter_group(void);
void __igt_exit_group(void);
bool igt_only_list_subtests(void);
void __igt_describe(const char *description);

void __igt_fail_assert(const char *domain, const char *file, int line,
		       const char *func, const char *assertion,
		       const char *fmt, ...)
	__attribute__((noreturn, format(printf, 6, 7)));
void __igt_skip_check(const char *file, int line, const char *func,
		      const char *check, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 5, 6)));

void igt_skip(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void igt_success(void);
void igt_fail(int exitcode) __attribute__((noreturn));
void igt_exit(void) __attribute__((noreturn));

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};
void igt_log(const char *domain, enum igt_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN NULL
#endif
#define igt_debug(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, __VA_ARGS__)
#define igt_critical(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, __VA_ARGS__)

/* ---- test structure ---------------------------------------------------- */

/* One line about the binary, printed by --help-description. */
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

/*
 * igt_main: main() parses the IGT options, runs the body, then igt_exit()
 * turns the collected results into the exit code.
 */
#define igt_main \
	static void __igt_real_main(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv); \
		__igt_real_main(); \
		igt_exit(); \
	} \
	static void __igt_real_main(void)

/* Setup/teardown code: skipped when only listing subtests. */
#define igt_fixture \
	for (int igt_unique(fix) = 0; \
	     igt_unique(fix) < 1 && __igt_fixture() && \
	     (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_unique(fix)++, __igt_fixture_complete())

/* Reaching the end of the body means success: igt_success() records it. */
#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __func__) && \
	       (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_success())

#define igt_subtest_f(fmt, ...) \
	for (char igt_unique(n)[256]; \
	     snprintf(igt_unique(n), sizeof(igt_unique(n)), fmt, ##__VA_ARGS__), \
	     __igt_run_subtest(igt_unique(n), __func__) && \
	     (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_success())

#define igt_subtest_with_dynamic(name) \
	for (; __igt_run_subtest((name), __func__) && \
	       __igt_enter_dynamic_container() && \
	       (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_success())

#define igt_dynamic(name) \
	for (; __igt_run_dynamic_subtest((name)) && \
	       (sigsetjmp(igt_dynamic_jmpbuf, 1) == 0); \
	     igt_success())

#define igt_dynamic_f(fmt, ...) \
	for (char igt_unique(n)[256]; \
	     snprintf(igt_unique(n), sizeof(igt_unique(n)), fmt, ##__VA_ARGS__), \
	     __igt_run_dynamic_subtest(igt_unique(n)) && \
	     (sigsetjmp(igt_dynamic_jmpbuf, 1) == 0); \
	     igt_success())

/* A skip in a group's fixture skips only that group's subtests. */
#define igt_subtest_group \
	for (int igt_unique(grp) = 0; \
	     igt_unique(grp) < 1 && __igt_enter_group(); \
	     igt_unique(grp)++, __igt_exit_group())

#define igt_describe(str) __igt_describe(str)

/* ---- skips --------------------------------------------------------------- */

#define igt_require(expr) do { \
	if (!(expr)) \
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr, NULL); \
} while (0)

#define igt_require_f(expr, f...) do { \
	if (!(expr)) \
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr, f); \
} while (0)

#define igt_skip_on(expr) do { \
	if ((expr)) \
		__igt_skip_check(__FILE__, __LINE__, __func__, "!(" #expr ")", NULL); \
} while (0)

#define igt_skip_on_f(expr, f...) do { \
	if ((expr)) \
		__igt_skip_check(__FILE__, __LINE__, __func__, "!(" #expr ")", f); \
} while (0)

/* ---- asserts --------------------------------------------------------------- */

#define igt_assert(expr) do { \
	if (!(expr)) \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr, NULL); \
} while (0)

#define igt_assert_f(expr, f...) do { \
	if (!(expr)) \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr, f); \
} while (0)

#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, f...) igt_assert_f(!(expr), f)

/* Compare once (each operand evaluated once), print both values on failure. */
#define __igt_assert_cmp(T, fmt, n1, cmp, ncmp, n2) do { \
	T __n1 = (n1), __n2 = (n2); \
	if (!(__n1 cmp __n2)) \
		__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
				  #n1 " " #cmp " " #n2, \
				  "error: " fmt " " #ncmp " " fmt "\n", __n1, __n2); \
} while (0)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) __igt_assert_cmp(int, "%d", n1, cmp, ncmp, n2)
#define igt_assert_cmpuint(n1, cmp, ncmp, n2) __igt_assert_cmp(unsigned int, "%#x", n1, cmp, ncmp, n2)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) __igt_assert_cmp(int64_t, "%" PRId64, n1, cmp, ncmp, n2)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) __igt_assert_cmp(uint64_t, "%#" PRIx64, n1, cmp, ncmp, n2)
#define igt_assert_cmpdouble(n1, cmp, ncmp, n2) __igt_assert_cmp(double, "%#lf", n1, cmp, ncmp, n2)

#define igt_assert_eq(n1, n2) igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_eq_u32(n1, n2) igt_assert_cmpuint(n1, ==, !=, n2)
#define igt_assert_eq_s64(n1, n2) igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_eq_u64(n1, n2) igt_assert_cmpu64(n1, ==, !=, n2)
#define igt_assert_eq_double(n1, n2) igt_assert_cmpdouble(n1, ==, !=, n2)
#define igt_assert_neq(n1, n2) igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_neq_u32(n1, n2) igt_assert_cmpuint(n1, !=, ==, n2)
#define igt_assert_neq_u64(n1, n2) igt_assert_cmpu64(n1, !=, ==, n2)
#define igt_assert_lte(n1, n2) igt_assert_cmpint(n1, <=, >, n2)
#define igt_assert_lte_u64(n1, n2) igt_assert_cmpu64(n1, <=, >, n2)
#define igt_assert_lte_s64(n1, n2) igt_assert_cmps64(n1, <=, >, n2)
#define igt_assert_lt(n1, n2) igt_assert_cmpint(n1, <, >=, n2)
#define igt_assert_lt_u64(n1, n2) igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_lt_s64(n1, n2) igt_assert_cmps64(n1, <, >=, n2)

#define igt_assert_fd(fd) \
	igt_assert_f((fd) >= 0, "file descriptor " #fd " failed\n")
#define igt_assert_null(ptr) igt_assert_f((ptr) == NULL, #ptr " is not NULL\n")

/* Evaluate expr; if true, log a warning (does not fail the test). */
#define igt_warn_on(expr) ({ \
	bool __ret = (expr); \
	if (__ret) \
		igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
			 #expr, __func__, __FILE__, __LINE__); \
	__ret; \
})

/* ---- ioctl wrappers (IGT's ioctl_wrappers.h) -------------------------- */

/* drmIoctl() by default: restarts on EINTR/EAGAIN. */
extern int (*igt_ioctl)(int fd, unsigned long request, void *arg);

#define do_ioctl(fd, ioc, ioc_data) do { \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), 0); \
	errno = 0; \
} while (0)

#define do_ioctl_err(fd, ioc, ioc_data, err) do { \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), -1); \
	igt_assert_eq(errno, err); \
	errno = 0; \
} while (0)

#endif /* NEURON_IGT_COMPAT_H */
