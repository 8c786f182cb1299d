// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * neuron-fuzz: a resource-aware ioctl fuzzer for the neuron driver (see
 * Documentation/neuron/testing.rst, "Fuzzing").  This is the monitor: it
 * runs as root, opens the nodes to uid 65534 for the run, forks the
 * unprivileged worker (worker.c), injects faults through neuron-emu's
 * control port, watches every call for hangs, and at the end checks for
 * leaks and reloads the module.  Prints one line per check and finally
 * "N passed, N failed, N skipped".
 *
 *   neuron-fuzz [--seed N] [--iterations N] [--threads N] [--duration S]
 *               [--log FILE] [--no-faults] [--no-forks] [--no-signals]
 *               [--no-resets] [--no-reload]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"
#include "neuron_emu_ctl.h"

struct shared *sh;
struct config cfg = {
	.seed = 1, .threads = 3, .duration_s = 60, .faults = true, .forks = true,
	.signals = true, .resets = true, .log_path = "/tmp/neuron-fuzz.log",
};
extern _Atomic uint64_t reset_start_ns;
extern uint64_t faults_injected, resets_done;

static int passed, failed, skipped;
static volatile sig_atomic_t interrupted;

/* Ctrl-C or a timeout's SIGTERM ends a long campaign with its checks. */
static void on_stop(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void check(bool ok, const char *name, const char *why)
{
	printf("%s: %s%s%s\n", ok ? "pass" : "FAIL", name, ok || !why ? "" : ": ", ok ? "" : why ? why : "");
	if (ok)
		passed++;
	else
		failed++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Nodes bound to neuron, in PCI order (the model's device order). */
static void find_devices(void)
{
	struct { char pci[32]; int minor; } dev[MAX_DEVICES];
	char *base;
	DIR *d = opendir("/sys/class/accel");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)) && n < MAX_DEVICES) {
		char path[300], link[300];
		ssize_t len;
		int minor;

		if (sscanf(de->d_name, "accel%d", &minor) != 1)
			continue;
		snprintf(path, sizeof(path), "/sys/class/accel/%s/device/driver", de->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		if (strcmp(strrchr(link, '/') + 1, "neuron"))
			continue;
		snprintf(path, sizeof(path), "/sys/class/accel/%s/device", de->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		base = strrchr(link, '/') + 1;
		if (strlen(base) >= sizeof(dev[n].pci))
			continue;
		memcpy(dev[n].pci, base, strlen(base) + 1);
		dev[n++].minor = minor;
	}
	if (d)
		closedir(d);
	qsort(dev, n, sizeof(dev[0]), cmp_str);
	cfg.ndev = n;
	for (int i = 0; i < n; i++) {
		cfg.minor[i] = dev[i].minor;
		memcpy(cfg.pci[i], dev[i].pci, sizeof(cfg.pci[i]));
		cfg.emu_dev[i] = i;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: neuron-fuzz [--seed N] [--iterations N] [--threads N] "
		"[--duration S] [--log FILE] [--no-faults] [--no-forks] [--no-signals] "
		"[--no-resets] [--no-reload]\n");
	exit(2);
}

static void print_stats(void)
{
	uint64_t total = 0;
	char nb[16];

	printf("--- calls and errnos per operation ('!' = not in the uapi's Errors list) ---\n");
	for (int op = 0; op < OP_COUNT; op++) {
		uint64_t calls = atomic_load(&sh->calls[op]), errs = 0;
		const struct errdoc *d;
		char line[1024];
		int len;

		if (!calls)
			continue;
		total += calls;
		/* Driver ioctls are the first entries of ops.def; find their doc by name. */
		d = NULL;
		for (unsigned int i = 0; i < errdoc_count; i++)
			if (!strcmp(errdoc_table[i].name, op_names[op]))
				d = &errdoc_table[i];
		len = snprintf(line, sizeof(line), "%-24s %9llu calls", op_names[op],
			       (unsigned long long)calls);
		for (int e = 1; e < MAX_ERRNO; e++) {
			uint64_t n = atomic_load(&sh->errs[op][e]);

			if (!n)
				continue;
			errs += n;
			len += snprintf(line + len, sizeof(line) - len, " %s%s=%llu",
					d && !errdoc_allows(d, e) ? "!" : "",
					errno_name(e, nb, sizeof(nb)), (unsigned long long)n);
		}
		printf("%s  (ok %llu)\n", line, (unsigned long long)(calls - errs));
	}
	printf("--- %llu calls, %llu forks (%llu killed), %llu signals, %llu faults, %llu resets ---\n",
	       (unsigned long long)total, (unsigned long long)sh->forks,
	       (unsigned long long)sh->kills, (unsigned long long)sh->signals,
	       (unsigned long long)faults_injected, (unsigned long long)resets_done);
}

/* The longest-running current call, for the watchdog. */
static int stuck_slot(uint64_t now, uint64_t *age)
{
	int worst = -1;

	*age = 0;
	for (int s = 0; s < 2 * MAX_THREADS; s++) {
		uint64_t st = atomic_load(&sh->slot[s].start_ns);

		/* st > now: the call began after `now` was read. */
		if (st && st < now && now - st > *age) {
			*age = now - st;
			worst = s;
		}
	}
	return worst;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", 1, NULL, 's' }, { "iterations", 1, NULL, 'i' },
		{ "threads", 1, NULL, 't' }, { "duration", 1, NULL, 'd' },
		{ "log", 1, NULL, 'l' }, { "no-faults", 0, NULL, 'F' },
		{ "no-forks", 0, NULL, 'K' }, { "no-signals", 0, NULL, 'S' },
		{ "no-resets", 0, NULL, 'R' }, { "no-reload", 0, NULL, 'M' },
		{ "help", 0, NULL, 'h' }, { 0 }
	};
	bool reload = true, hang = false;
	uint64_t dram_before[MAX_DEVICES], start, deadline;
	mode_t modes[MAX_DEVICES];
	struct neuron_emu_ctl *ctl = NULL;
	struct rng fr;
	char msg[512] = "";
	int c, status = 0;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': cfg.seed = strtoull(optarg, NULL, 0); break;
		case 'i': cfg.iterations = strtoull(optarg, NULL, 0); cfg.duration_s = 0; break;
		case 't': cfg.threads = strtoul(optarg, NULL, 0); break;
		case 'd': cfg.duration_s = strtoul(optarg, NULL, 0); break;
		case 'l': cfg.log_path = optarg; break;
		case 'F': cfg.faults = false; break;
		case 'K': cfg.forks = false; break;
		case 'S': cfg.signals = false; break;
		case 'R': cfg.resets = false; break;
		case 'M': reload = false; break;
		default: usage();
		}
	}
	if (optind != argc || !cfg.threads || cfg.threads > MAX_THREADS ||
	    (!cfg.iterations && !cfg.duration_s))
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid()) {
		fprintf(stderr, "neuron-fuzz: run as root (it drops to uid 65534 itself)\n");
		printf("0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	find_devices();
	if (!cfg.ndev) {
		printf("skip: no neuron device\n0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	printf("neuron-fuzz: seed %llu, %u threads, %s %llu, %d devices, log %s\n",
	       (unsigned long long)cfg.seed, cfg.threads,
	       cfg.iterations ? "iterations" : "seconds",
	       (unsigned long long)(cfg.iterations ? cfg.iterations : cfg.duration_s), cfg.ndev,
	       cfg.log_path);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int d = 0; d < cfg.ndev; d++) {
		char path[64];
		struct stat st;

		if (!read_dram_used(cfg.pci[d], &dram_before[d]))
			dram_before[d] = UINT64_MAX;
		snprintf(path, sizeof(path), "/dev/accel/accel%d", cfg.minor[d]);
		modes[d] = stat(path, &st) ? 0600 : st.st_mode & 07777;
		chmod(path, 0666);
	}
	if (cfg.faults) {
		ctl = neuron_emu_ctl_open(NULL);
		if (!ctl)
			printf("neuron-fuzz: no neuron-emu control port: no fault injection\n");
	}
	fr.s = cfg.seed ^ 0xfa17fa17ull;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (ctl)
			neuron_emu_ctl_close(ctl);	/* the worker gets no control port */
		_exit(worker_main());
	}
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	start = now_ns();
	deadline = cfg.duration_s ? start + (cfg.duration_s + 120) * 1000000000ull : UINT64_MAX;
	for (;;) {
		uint64_t now = now_ns(), age, rs;
		pid_t w = waitpid(pid, &status, WNOHANG);
		int s;

		if (w == pid)
			break;
		if (interrupted && !atomic_load(&sh->stop)) {
			printf("neuron-fuzz: stopping early (signal); the checks still run\n");
			atomic_store(&sh->stop, 1);
		}
		s = stuck_slot(now, &age);
		rs = atomic_load(&reset_start_ns);
		if (s >= 0 && age > HANG_NS) {
			struct call_rec *cr = &sh->ring[sh->slot[s].seq % RING_SIZE];

			snprintf(msg, sizeof(msg), "slot %d in a call for %llu s: %s", s,
				 (unsigned long long)(age / 1000000000ull), cr->text);
			hang = true;
		} else if (rs && now - rs > HANG_NS) {
			snprintf(msg, sizeof(msg), "RESET (as root) running for %llu s",
				 (unsigned long long)((now - rs) / 1000000000ull));
			hang = true;
		} else if (now > deadline) {
			snprintf(msg, sizeof(msg), "worker still running 120 s past --duration");
			hang = true;
		}
		if (hang) {
			fprintf(stderr, "neuron-fuzz: HANG: %s\n", msg);
			ring_dump(2, 64);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		if (ctl && !atomic_load(&sh->stop))
			faults_tick(ctl, &fr, now);
		usleep(20000);
	}
	faults_clear(ctl);
	neuron_emu_ctl_close(ctl);
	for (int d = 0; d < cfg.ndev; d++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/accel/accel%d", cfg.minor[d]);
		chmod(path, modes[d]);
	}
	print_stats();
	ring_dump_file(cfg.log_path);

	check(!hang, "no call took more than 30 s", msg);
	if (WIFSIGNALED(status))
		snprintf(msg, sizeof(msg), "worker killed by signal %d", WTERMSIG(status));
	else
		snprintf(msg, sizeof(msg), "worker exit status %d", WEXITSTATUS(status));
	check(!hang && WIFEXITED(status) && !WEXITSTATUS(status) && sh->worker_done,
	      "worker ran to the end", msg);
	snprintf(msg, sizeof(msg), "%llu calls returned an errno their ioctl does not document",
		 (unsigned long long)sh->undocumented);
	check(!sh->undocumented, "every errno is in its ioctl's uapi Errors list", msg);
	check(sh->fdinfo_checked && !sh->fdinfo_bad,
	      "fdinfo totals 0 once the worker closed every handle",
	      sh->fdinfo_bad ? sh->fdinfo_msg : "not checked");

	/* DRAM comes back when the last job using it is done: allow a while. */
	for (int d = 0; d < cfg.ndev; d++) {
		uint64_t used = UINT64_MAX;
		char name[96];

		for (int i = 0; i < 600; i++) {
			if (read_dram_used(cfg.pci[d], &used) && used == dram_before[d])
				break;
			usleep(100000);
		}
		snprintf(msg, sizeof(msg), "DRAM used %llu, %llu before the run",
			 (unsigned long long)used, (unsigned long long)dram_before[d]);
		snprintf(name, sizeof(name), "%s: DRAM in use back to its start value", cfg.pci[d]);
		check(used == dram_before[d] && used != UINT64_MAX, name, msg);
	}
	for (int d = 0; d < cfg.ndev; d++) {
		char name[96];
		bool left = bos_has_client(cfg.pci[d], sh->client_ids,
					   atomic_load(&sh->nclient_ids), msg, sizeof(msg));

		snprintf(name, sizeof(name), "%s: debugfs bos lists none of the fuzzer's %u clients",
			 cfg.pci[d], atomic_load(&sh->nclient_ids));
		check(!left && sh->nclient_ids, name, sh->nclient_ids ? msg : "no client id seen");
	}
	for (int d = 0; d < cfg.ndev; d++) {
		char path[64], name[96];
		uint64_t host = 1, dram = 1;
		int fd;

		snprintf(path, sizeof(path), "/dev/accel/accel%d", cfg.minor[d]);
		fd = open(path, O_RDWR | O_CLOEXEC);
		snprintf(name, sizeof(name), "%s: a fresh client's fdinfo totals are 0", cfg.pci[d]);
		check(fd >= 0 && fdinfo_u64(fd, "drm-total-memory", &host) &&
		      fdinfo_u64(fd, "drm-total-dram", &dram) && !host && !dram, name,
		      "drm-total-memory/dram not 0 (or unreadable)");
		if (fd >= 0)
			close(fd);
	}
	if (reload && !hang) {
		int ret = module_reload(msg, sizeof(msg));

		check(!ret, "rmmod and insmod neuron", msg);
	} else {
		printf("skip: rmmod and insmod neuron (%s)\n", hang ? "after a hang" : "--no-reload");
		skipped++;
	}
	if (!ctl && cfg.faults) {
		printf("skip: fault injection (no control port)\n");
		skipped++;
	}
	if (failed) {
		printf("neuron-fuzz: reproduce with --seed %llu; last calls in %s\n",
		       (unsigned long long)cfg.seed, cfg.log_path);
		ring_dump(1, 200);
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
