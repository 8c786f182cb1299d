// SPDX-License-Identifier: MIT
/*
 * The neuron-emu binary as the VM runner uses it: CLI, the "ready" line,
 * sockets, the control socket, exit after every client came and went,
 * SIGTERM, and socket cleanup.  Runs ./neuron-emu from the emu directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../util.h"
#include "../vfio_user.h"
#include "harness.h"

static char dir[64];

/* Start neuron-emu with extra args; returns pid and the first stdout line. */
static pid_t spawn(const char *const *args, char *line, size_t cap)
{
	int p[2];
	pid_t pid;
	const char *argv[16] = { "./neuron-emu", "--dir", dir };
	int n = 3;
	FILE *f;

	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	line[0] = 0;
	if (!fgets(line, (int)cap, f))
		line[0] = 0;
	fclose(f);
	return pid;
}

static int wait_exit(pid_t pid, int secs)
{
	for (int i = 0; i < secs * 100; i++) {
		int st;

		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static int connect_to(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir, name);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool exists(const char *name)
{
	char p[128];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return stat(p, &st) == 0;
}

/* Send a request, read until the reply's final line. */
static void ctl(int fd, const char *req, char *buf, size_t cap)
{
	size_t n = 0;

	if (write(fd, req, strlen(req)) < 0)
		return;
	buf[0] = 0;
	while (n < cap - 1) {
		ssize_t k = read(fd, buf + n, cap - 1 - n);

		if (k <= 0)
			break;
		n += (size_t)k;
		buf[n] = 0;
		if (strstr(buf, "ok\n") || strstr(buf, "err "))
			break;
	}
}

/* One REGION_READ/REGION_WRITE of a BAR0 word on a vfio-user socket. */
static uint32_t bar0_rw(int s, uint64_t off, bool write, uint32_t v)
{
	static uint16_t id = 100;
	uint8_t m[16 + 16 + 4] = { 0 }, r[64];
	size_t len = write ? sizeof(m) : sizeof(m) - 4;
	ssize_t n;

	st16(m, id++);
	st16(m + 2, write ? VU_CMD_REGION_WRITE : VU_CMD_REGION_READ);
	st32(m + 4, (uint32_t)len);
	st64(m + 16, off);
	st32(m + 24, 0);
	st32(m + 28, 4);
	st32(m + 32, v);
	if (send(s, m, len, 0) != (ssize_t)len)
		return 0xdeadbeef;
	n = read(s, r, write ? 32 : 36);
	return !write && n == 36 ? ld32(r + 32) : 0;
}

static void lifecycle(void)
{
	const char *args[] = { "--devices", "2", "--topology", "pairs", "--revision", "0xf0",
			       "--reset-ms", "150", "--tpb-reset-ms", "400", NULL };
	char line[128], buf[2048];
	int c, s0, s1;
	uint8_t ver[16 + 4 + 3] = { 0 };
	uint8_t rep[256];
	pid_t pid = spawn(args, line, sizeof(line));

	CHECK(pid > 0);
	CHECK(!strcmp(line, "neuron-emu: ready 2\n"));
	CHECK(exists("neuron0.sock") && exists("neuron1.sock") && exists("ctl.sock"));
	c = connect_to("ctl.sock");
	CHECK(c >= 0);
	ctl(c, "config 1\n", buf, sizeof(buf));
	CHECK(strstr(buf, "revision 0xf0\n") && strstr(buf, "east 0\nwest 0\n") &&
	      strstr(buf, "topology pairs\n"));
	s0 = connect_to("neuron0.sock");
	s1 = connect_to("neuron1.sock");
	CHECK(s0 >= 0 && s1 >= 0);
	/* A VERSION exchange on device 0. */
	st16(ver, 1);
	st16(ver + 2, VU_CMD_VERSION);
	st32(ver + 4, sizeof(ver));
	memcpy(ver + 20, "{}", 3);
	CHECK_EQ(write(s0, ver, sizeof(ver)), sizeof(ver));
	CHECK(read(s0, rep, sizeof(rep)) > 20);
	CHECK_EQ(ld32(rep + 8), VU_FLAG_REPLY);
	/* A firmware reset takes --reset-ms, timed by the poll loop. */
	{
		uint64_t misc = 0x78e000, t0 = nemu_now_ms(), t1 = 0;

		bar0_rw(s0, misc + 0x24, true, 7);
		bar0_rw(s0, misc + 0x1ec, true, 1);
		bar0_rw(s0, misc + 0x800, true, 1);
		CHECK_EQ(bar0_rw(s0, misc + 0x24, false, 0), 0);
		CHECK_EQ(bar0_rw(s0, misc + 0x1c, false, 0) >> 31, 0);
		while (nemu_now_ms() - t0 < 3000) {
			if (bar0_rw(s0, misc + 0x1ec, false, 0) == 0) {
				t1 = nemu_now_ms();
				break;
			}
			usleep(5000);
		}
		CHECK(t1 && t1 - t0 >= 140 && t1 - t0 < 1000);
		CHECK_EQ(bar0_rw(s0, misc + 0x1c, false, 0) >> 31, 1);
		ctl(c, "counters 0\n", buf, sizeof(buf));
		CHECK(strstr(buf, "\nresets 1\n") != NULL);
	}
	/* A TPB reset (0x1ec = 2, core map at 0x1d8) takes --tpb-reset-ms. */
	{
		uint64_t misc = 0x78e000, t0 = nemu_now_ms(), t1 = 0;

		bar0_rw(s0, misc + 0x1d8, true, 2);
		bar0_rw(s0, misc + 0x1ec, true, 2);
		bar0_rw(s0, misc + 0x800, true, 1);
		CHECK_EQ(bar0_rw(s0, misc + 0x1ec, false, 0), 2);
		while (nemu_now_ms() - t0 < 3000) {
			if (bar0_rw(s0, misc + 0x1ec, false, 0) == 0) {
				t1 = nemu_now_ms();
				break;
			}
			usleep(5000);
		}
		CHECK(t1 && t1 - t0 >= 390 && t1 - t0 < 2000);
		ctl(c, "counters 0\n", buf, sizeof(buf));
		CHECK(strstr(buf, "\nresets 1\ntpb_resets 1\n") != NULL);
	}
	/* One client gone: still serving. */
	close(s0);
	usleep(100000);
	CHECK_EQ(waitpid(pid, NULL, WNOHANG), 0);
	ctl(c, "devices\n", buf, sizeof(buf));
	CHECK(!strcmp(buf, "devices 2\nok\n"));
	/* Both gone: exit 0, sockets removed. */
	close(s1);
	CHECK_EQ(wait_exit(pid, 5), 0);
	CHECK(!exists("neuron0.sock") && !exists("neuron1.sock") && !exists("ctl.sock"));
	close(c);
}

static void sigterm(void)
{
	const char *args[] = { "--devices", "1", "--no-msix", NULL };
	char line[128], buf[1024];
	pid_t pid = spawn(args, line, sizeof(line));
	int c = connect_to("ctl.sock");

	CHECK(!strcmp(line, "neuron-emu: ready 1\n"));
	ctl(c, "config 0\n", buf, sizeof(buf));
	CHECK(strstr(buf, "msix 0\n") && strstr(buf, "topology none\n"));
	close(c);
	kill(pid, SIGTERM);
	CHECK_EQ(wait_exit(pid, 5), 0);
	CHECK(!exists("neuron0.sock") && !exists("ctl.sock"));
}

static void stuck_control_client(void)
{
	const char *args[] = { "--devices", "1", NULL };
	char line[128], buf[256], req[4096];
	pid_t pid = spawn(args, line, sizeof(line));
	int stuck = connect_to("ctl.sock"), c;
	uint64_t t0 = nemu_now_ms();

	/* Flood requests, never read a reply: the model must drop this client. */
	for (size_t i = 0; i + 11 < sizeof(req); i += 11)
		memcpy(req + i, "counters 0\n", 11);
	fcntl(stuck, F_SETFL, O_NONBLOCK);
	while (nemu_now_ms() - t0 < 800)
		if (write(stuck, req, sizeof(req) / 11 * 11) < 0)
			usleep(1000);
	c = connect_to("ctl.sock");
	t0 = nemu_now_ms();
	ctl(c, "devices\n", buf, sizeof(buf));
	CHECK(!strcmp(buf, "devices 1\nok\n"));
	CHECK(nemu_now_ms() - t0 < 5000);
	close(c);
	close(stuck);
	kill(pid, SIGTERM);
	CHECK_EQ(wait_exit(pid, 5), 0);
}

static void bad_arguments(void)
{
	const char *a1[] = { "--devices", "0", NULL };
	const char *a2[] = { "--devices", "17", NULL };
	const char *a3[] = { "--devices", "1", "--topology", "mesh", NULL };
	const char *a4[] = { "--devices", "1", "--revision", "0x100", NULL };
	const char *a5[] = { "--devices", "1", "--tpb-reset-ms", "soon", NULL };
	char line[128];

	CHECK_EQ(wait_exit(spawn(a1, line, sizeof(line)), 5), 2);
	CHECK_EQ(wait_exit(spawn(a2, line, sizeof(line)), 5), 2);
	CHECK_EQ(wait_exit(spawn(a3, line, sizeof(line)), 5), 2);
	CHECK_EQ(wait_exit(spawn(a4, line, sizeof(line)), 5), 2);
	CHECK_EQ(wait_exit(spawn(a5, line, sizeof(line)), 5), 2);
	CHECK(!exists("neuron0.sock"));
}

int main(void)
{
	if (access("./neuron-emu", X_OK) < 0) {
		printf("skip lifecycle\nskip sigterm\nskip bad_arguments\n");
		return 0;
	}
	snprintf(dir, sizeof(dir), "/tmp/nemu-test.%d", (int)getpid());
	RUN(lifecycle);
	RUN(sigterm);
	RUN(stuck_control_client);
	RUN(bad_arguments);
	rmdir(dir);
	return t_any_failed;
}
