// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Implementation of the IGT core stand-in (see igt.h): option parsing,
 * subtest selection, result lines, exit codes, crash handling.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"

sigjmp_buf igt_subtest_jmpbuf;
sigjmp_buf igt_dynamic_jmpbuf;
int (*igt_ioctl)(int fd, unsigned long request, void *arg) = drmIoctl;

enum { CONT = 0, SKIP, FAIL };

/* Defined by IGT_TEST_DESCRIPTION() in the test, if it uses it. */
extern const char *__igt_test_description __attribute__((weak));

static const char *command_str = "igt";
/*
 * Tests fork(); a child that fails an assert or crashes must not siglongjmp
 * into the parent's copy of the subtest loop and go on running later
 * subtests: it exits (IGT's igt_fork children behave the same way).
 */
static pid_t main_pid;
static bool list_subtests;
static const char *describe_pattern;	/* --describe[=pattern] */
static bool show_debug;
static const char *run_single_subtest;
static bool run_single_subtest_found;
static const char *run_single_dynamic;

static bool in_fixture;
static const char *in_subtest;
static bool in_dynamic_container;
static const char *in_dynamic_subtest;
static int skip_subtests_henceforth = CONT;
static bool succeeded_one, failed_one, skipped_one;
static int igt_exitcode = IGT_EXIT_SUCCESS;
static bool dyn_failed, dyn_succeeded;
static const char *pending_description;

static int group_depth;
static int group_saved_skip[32];

static struct timespec subtest_start, dynamic_start;
static char subtest_name[256], dynamic_name[256];

static double elapsed(const struct timespec *from)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - from->tv_sec) + (now.tv_nsec - from->tv_nsec) / 1e9;
}

/* Mark the kernel log, so dmesg splats can be tied to a subtest. */
static void kmsg(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int fd, n;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && write(fd, buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1) < 0)
		n = 0;
	close(fd);
}

static void internal_error(const char *what) __attribute__((noreturn));
static void internal_error(const char *what)
{
	fprintf(stderr, "(%s:%d) igt-compat: internal error: %s\n",
		command_str, getpid(), what);
	exit(IGT_EXIT_ABORT);
}

void igt_log(const char *domain, enum igt_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "DEBUG", "INFO", "WARNING", "CRITICAL" };
	FILE *out = level == IGT_LOG_INFO ? stdout : stderr;
	va_list ap;

	if (level == IGT_LOG_DEBUG && !show_debug)
		return;
	if (level >= IGT_LOG_NONE)
		return;
	/* Keep stdout and stderr in order when both go to one file. */
	fflush(stdout);
	if (level != IGT_LOG_INFO)
		fprintf(out, "(%s:%d) %s%s%s: ", command_str, getpid(),
			domain ? domain : "", domain ? "-" : "", names[level]);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fflush(out);
}

/*
 * uwildmat-like matching as IGT's --run-subtest does it: a comma-separated
 * list of shell patterns, a leading '!' negates, the last match decides.
 */
static bool matches(const char *name, const char *patterns)
{
	char *copy = strdup(patterns), *save = NULL, *p;
	bool result = false;

	if (!copy)
		internal_error("out of memory");
	for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		bool neg = p[0] == '!';

		if (fnmatch(neg ? p + 1 : p, name, 0) == 0)
			result = !neg;
	}
	free(copy);
	return result;
}

static bool valid_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return false;
	return true;
}

static void fatal_signal(int sig);

static void install_handlers(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa = { .sa_handler = fatal_signal };

	/* SA_NODEFER: we siglongjmp out; the next crash must be caught too. */
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS]\n"
		"  --list-subtests\n"
		"  --run-subtest <pattern>\n"
		"  --dynamic-subtest <pattern>\n"
		"  --describe[=<pattern>]\n"
		"  --debug\n"
		"  --help-description\n"
		"  --help\n"
		"Patterns are comma-separated shell wildcards; '!' negates.\n",
		command_str);
}

void igt_subtest_init_parse_opts(int *argc, char **argv)
{
	static const struct option opts[] = {
		{ "list-subtests", no_argument, NULL, 'l' },
		{ "run-subtest", required_argument, NULL, 'r' },
		{ "dynamic-subtest", required_argument, NULL, 'd' },
		{ "describe", optional_argument, NULL, 'D' },
		{ "debug", optional_argument, NULL, 'g' },
		{ "help-description", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("IGT_LOG_LEVEL");
	struct utsname uts;
	int c;

	command_str = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	main_pid = getpid();
	show_debug = env && !strcmp(env, "debug");

	while ((c = getopt_long(*argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			list_subtests = true;
			break;
		case 'r':
			run_single_subtest = optarg;
			break;
		case 'd':
			run_single_dynamic = optarg;
			break;
		case 'D':
			list_subtests = true;
			describe_pattern = optarg ? optarg : "*";
			break;
		case 'g':
			show_debug = true;
			break;
		case 'H':
			if (&__igt_test_description && __igt_test_description)
				printf("%s\n", __igt_test_description);
			exit(IGT_EXIT_SUCCESS);
		case 'h':
			usage(stdout);
			exit(IGT_EXIT_SUCCESS);
		default:
			usage(stderr);
			exit(IGT_EXIT_INVALID);
		}
	}
	if (optind < *argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", command_str, argv[optind]);
		usage(stderr);
		exit(IGT_EXIT_INVALID);
	}

	if (list_subtests)
		return;

	uname(&uts);
	printf("IGT-Version: neuron-igt-compat 1.0 (%s) (%s: %s %s)\n",
	       uts.machine, uts.sysname, uts.release, uts.machine);
	fflush(stdout);
	install_handlers();
	kmsg("[IGT] %s: executing\n", command_str);
}

bool igt_only_list_subtests(void)
{
	return list_subtests;
}

void __igt_describe(const char *description)
{
	pending_description = description;
}

bool __igt_fixture(void)
{
	if (list_subtests || skip_subtests_henceforth)
		return false;
	if (in_subtest || in_fixture)
		internal_error("fixture nested in a subtest or fixture");
	in_fixture = true;
	return true;
}

void __igt_fixture_complete(void)
{
	in_fixture = false;
}

bool __igt_enter_group(void)
{
	if ((size_t)group_depth >= ARRAY_SIZE(group_saved_skip))
		internal_error("subtest groups nested too deep");
	group_saved_skip[group_depth++] = skip_subtests_henceforth;
	return true;
}

void __igt_exit_group(void)
{
	skip_subtests_henceforth = group_saved_skip[--group_depth];
}

bool __igt_run_subtest(const char *name, const char *func)
{
	const char *description = pending_description;

	(void)func;
	pending_description = NULL;

	if (!valid_name(name)) {
		fprintf(stderr, "(%s:%d) CRITICAL: Invalid subtest name \"%s\".\n",
			command_str, getpid(), name);
		exit(IGT_EXIT_INVALID);
	}
	if (in_subtest || in_fixture)
		internal_error("subtest nested in a subtest or fixture");

	if (list_subtests) {
		if (!describe_pattern)
			printf("%s\n", name);
		else if (matches(name, describe_pattern))
			printf("SUB %s:\n  %s\n\n", name,
			       description ? description : "NO DOCUMENTATION!");
		return false;
	}

	if (run_single_subtest && !matches(name, run_single_subtest))
		return false;
	run_single_subtest_found = true;

	if (skip_subtests_henceforth) {
		/* An earlier fixture skipped or failed: report without running. */
		printf("Subtest %s: %s\n", name,
		       skip_subtests_henceforth == SKIP ? "SKIP" : "FAIL");
		fflush(stdout);
		if (skip_subtests_henceforth == SKIP)
			skipped_one = true;
		else
			failed_one = true;
		return false;
	}

	snprintf(subtest_name, sizeof(subtest_name), "%s", name);
	in_subtest = subtest_name;
	in_dynamic_container = false;
	errno = 0;	/* "Last errno" on failure must be this subtest's */
	printf("Starting subtest: %s\n", name);
	fflush(stdout);
	kmsg("[IGT] %s: starting subtest %s\n", command_str, name);
	clock_gettime(CLOCK_MONOTONIC, &subtest_start);
	return true;
}

bool __igt_enter_dynamic_container(void)
{
	in_dynamic_container = true;
	dyn_failed = dyn_succeeded = false;
	return true;
}

bool __igt_run_dynamic_subtest(const char *name)
{
	if (!in_dynamic_container || !in_subtest)
		internal_error("igt_dynamic outside igt_subtest_with_dynamic");
	if (in_dynamic_subtest)
		internal_error("nested dynamic subtest");
	if (!valid_name(name)) {
		fprintf(stderr, "(%s:%d) CRITICAL: Invalid dynamic subtest name \"%s\".\n",
			command_str, getpid(), name);
		exit(IGT_EXIT_INVALID);
	}
	if (run_single_dynamic && !matches(name, run_single_dynamic))
		return false;

	snprintf(dynamic_name, sizeof(dynamic_name), "%s", name);
	in_dynamic_subtest = dynamic_name;
	errno = 0;
	printf("Starting dynamic subtest: %s\n", name);
	fflush(stdout);
	kmsg("[IGT] %s: starting dynamic subtest %s\n", command_str, name);
	clock_gettime(CLOCK_MONOTONIC, &dynamic_start);
	return true;
}

static void exit_dynamic(const char *result) __attribute__((noreturn));
static void exit_dynamic(const char *result)
{
	printf("Dynamic subtest %s: %s (%.3fs)\n", in_dynamic_subtest, result,
	       elapsed(&dynamic_start));
	fflush(stdout);
	kmsg("[IGT] %s: finished subtest %s, %s\n", command_str, in_dynamic_subtest, result);
	in_dynamic_subtest = NULL;
	siglongjmp(igt_dynamic_jmpbuf, 1);
}

static void exit_subtest(const char *result) __attribute__((noreturn));
static void exit_subtest(const char *result)
{
	printf("Subtest %s: %s (%.3fs)\n", in_subtest, result, elapsed(&subtest_start));
	fflush(stdout);
	kmsg("[IGT] %s: finished subtest %s, %s\n", command_str, in_subtest, result);
	in_subtest = NULL;
	in_dynamic_container = false;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

static void record_failure(int exitcode)
{
	if (!failed_one)
		igt_exitcode = exitcode;
	failed_one = true;
}

void igt_success(void)
{
	if (in_dynamic_subtest) {
		dyn_succeeded = true;
		exit_dynamic("SUCCESS");
	}
	if (in_subtest && in_dynamic_container) {
		if (dyn_failed)
			exit_subtest("FAIL");	/* failure already recorded */
		if (dyn_succeeded) {
			succeeded_one = true;
			exit_subtest("SUCCESS");
		}
		igt_info("No dynamic tests executed.\n");
		skipped_one = true;
		exit_subtest("SKIP");
	}
	if (in_subtest) {
		succeeded_one = true;
		exit_subtest("SUCCESS");
	}
	succeeded_one = true;
}

void igt_fail(int exitcode)
{
	if (exitcode == IGT_EXIT_SUCCESS || exitcode == IGT_EXIT_SKIP)
		internal_error("igt_fail() with a success or skip code");
	if (getpid() != main_pid) {
		fflush(NULL);
		_exit(exitcode);
	}

	if (in_dynamic_subtest) {
		dyn_failed = true;
		record_failure(exitcode);
		exit_dynamic("FAIL");
	}
	if (in_subtest) {
		record_failure(exitcode);
		exit_subtest("FAIL");
	}
	if (in_fixture) {
		/* Every later subtest (in this group) is reported as FAIL. */
		record_failure(exitcode);
		skip_subtests_henceforth = FAIL;
		in_fixture = false;
		siglongjmp(igt_subtest_jmpbuf, 1);
	}
	record_failure(exitcode);
	igt_exit();
}

void igt_skip(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		fflush(stdout);
	}

	if (getpid() != main_pid) {
		fflush(NULL);
		_exit(IGT_EXIT_SKIP);
	}
	if (in_dynamic_subtest) {
		skipped_one = true;
		exit_dynamic("SKIP");
	}
	if (in_subtest) {
		if (in_dynamic_container && dyn_failed)
			exit_subtest("FAIL");
		if (in_dynamic_container && dyn_succeeded) {
			succeeded_one = true;
			exit_subtest("SUCCESS");
		}
		skipped_one = true;
		exit_subtest("SKIP");
	}
	if (in_fixture) {
		skip_subtests_henceforth = SKIP;
		in_fixture = false;
		siglongjmp(igt_subtest_jmpbuf, 1);
	}
	/* A skip outside any block skips the remaining binary. */
	skipped_one = true;
	igt_exit();
}

void __igt_skip_check(const char *file, int line, const char *func,
		      const char *check, const char *fmt, ...)
{
	va_list ap;

	printf("Test requirement not met in function %s, file %s:%i:\n"
	       "Test requirement: %s\n", func, file, line, check);
	if (fmt) {
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	if (errno)
		printf("Last errno: %i, %s\n", errno, strerror(errno));
	fflush(stdout);
	igt_skip(NULL);
}

void __igt_fail_assert(const char *domain, const char *file, int line,
		       const char *func, const char *assertion,
		       const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	igt_log(domain, IGT_LOG_CRITICAL,
		"Test assertion failure function %s, file %s:%i:\n", func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "Failed assertion: %s\n", assertion);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n", err, strerror(err));
	if (fmt) {
		char msg[1024];

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		igt_log(domain, IGT_LOG_CRITICAL, "%s", msg);
	}
	if (in_subtest)
		fprintf(stderr, "%s %s failed.\n",
			in_dynamic_subtest ? "Dynamic subtest" : "Subtest",
			in_dynamic_subtest ? in_dynamic_subtest : in_subtest);
	igt_fail(IGT_EXIT_FAILURE);
}

/*
 * A fatal signal inside a subtest ends that subtest as CRASH and the binary
 * goes on, as IGT does; elsewhere the default action kills the process.
 */
static void fatal_signal(int sig)
{
	const char *name = sigabbrev_np(sig);
	char msg[64];
	int n;

	n = snprintf(msg, sizeof(msg), "Received signal SIG%s.\n", name ? name : "?");
	if (write(STDERR_FILENO, msg, n) < 0)
		n = 0;

	if (in_subtest && getpid() == main_pid) {
		record_failure(128 + sig);
		if (in_dynamic_subtest) {
			dyn_failed = true;
			exit_dynamic("CRASH");
		}
		exit_subtest("CRASH");
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void igt_exit(void)
{
	fflush(stdout);
	if (list_subtests)
		exit(IGT_EXIT_SUCCESS);

	if (run_single_subtest && !run_single_subtest_found) {
		igt_critical("Unknown subtest: %s\n", run_single_subtest);
		exit(IGT_EXIT_INVALID);
	}

	if (!failed_one)
		igt_exitcode = succeeded_one ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;

	kmsg("[IGT] %s: exiting, ret=%d\n", command_str, igt_exitcode);
	igt_debug("Exiting with status code %d\n", igt_exitcode);
	exit(igt_exitcode);
}
