// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * test-libneuron: runs every test (or those named on the command line) in
 * a child process each and prints one line per test, then exactly
 * "N passed, N failed, N skipped".  Exit status 1 if any failed.
 */
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "tests.h"

struct neuron_device *t_dev;
int t_ndev;

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  FAIL %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void t_skip(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  skip: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(T_SKIP_STATUS);
}

static bool selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return true;
	return false;
}

static int run_one(const struct t_case *t)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct neuron_node_info *list;

		alarm(120);
		t_ndev = neuron_list_devices(&list);
		if (t_ndev < 0)
			t_fail(__FILE__, __LINE__, "neuron_list_devices: %s", neuron_last_error());
		if (t_ndev == 0)
			SKIP("no neuron device");
		if (neuron_open_path(list[0].node, &t_dev))
			t_fail(__FILE__, __LINE__, "open %s: %s", list[0].node, neuron_last_error());
		neuron_free_devices(list);
		t->fn();
		exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "  CRASH: signal %d\n", WTERMSIG(status));
		return 1;
	}
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (const struct t_case *t = t_cases; t->name; t++) {
		int r;

		if (!selected(t->name, argc, argv))
			continue;
		r = run_one(t);
		printf("%s: %s\n", t->name, r == 0 ? "pass" : r == T_SKIP_STATUS ? "skip" : "FAIL");
		if (r == 0)
			passed++;
		else if (r == T_SKIP_STATUS)
			skipped++;
		else
			failed++;
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}

#define T_ENTRY(name) { #name, test_##name },
const struct t_case t_cases[] = { TESTS(T_ENTRY) { NULL, NULL } };
