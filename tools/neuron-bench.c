// SPDX-License-Identifier: MIT
/*
 * neuron-bench: the execution core's figures (issue #13), each against a
 * baseline measured in the same run, with its goal.  Runs in the VM
 * (scripts/bench boots it); uses only the uapi (uapi/drm/neuron_accel.h),
 * libdrm, and neuron-emu's control port ($NEURON_EMU_CTL) for the model's
 * per-device counters.  Documentation/neuron/benchmarks.rst says what each
 * figure is and how it is measured.
 *
 *   neuron-bench [--node /dev/accel/accelN] [--reps N] [--jobs N]
 *                [--no-queues]
 *
 * Prints one table row per figure on stdout (progress on stderr) and ends
 * with "goals met: M of N".  Exits 0 when every measurement ran (whether or
 * not the goals were met), 1 if one could not be made.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm/neuron_accel.h"
#include "neuron_emu_ctl.h"

/*
 * The firmware status word, misc RAM 0x1c (APB base 0x0fff_f000_0000, misc
 * RAM at 0x78e000: /work/shared/hw/inferentia-v1.md), is on the FWIO_READ
 * allow-list of every kernel: the cheapest firmware round trip there is.
 */
#define FW_STATUS_ADDR	(0x0ffff0000000ull + 0x78e000ull + 0x1cull)

#define SMALL		64u		/* bytes of the small SUBMIT */
#define MAX_INFLIGHT	64u
#define COPY_SLOTS	8u
#define COPY_BATCHES	8
#define MAX_NODES	64
#define TIMEOUT_NS	(30ll * 1000000000ll)	/* per wait; a hang fails the run */

static int reps = 1000;		/* latency samples per figure */
static int jobs = 2048;		/* jobs per throughput run */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fprintf(stderr, "neuron-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	exit(1);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "neuron-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v; the value at fraction q (0.5 median, 0.9 p90), in µs. */
static double quantile_us(int64_t *v, int n, double q)
{
	int i = (int)(q * n);

	qsort(v, n, sizeof(*v), cmp_i64);
	if (i >= n)
		i = n - 1;
	return v[i] / 1e3;
}

/* ---- the table ---- */

static int goals, met;

/*
 * One row: what, the value, the baseline, the figure the goal is about
 * (a ratio, a per-job count, a difference) and the goal "<= x" / ">= x".
 */
static void row(const char *what, const char *value, const char *base, double fig,
		const char *figfmt, bool le, double goal)
{
	char f[32], g[32];
	bool ok = le ? fig <= goal : fig >= goal;

	snprintf(f, sizeof(f), figfmt, fig);
	snprintf(g, sizeof(g), "%s %g", le ? "<=" : ">=", goal);
	printf("%-36s %-18s %-28s %9s  %-7s %s\n", what, value, base, f, g,
	       ok ? "MET" : "NOT MET");
	goals++;
	met += ok;
	fflush(stdout);
}

/* ---- ioctls ---- */

static uint32_t bo_create(int fd, uint32_t domain, uint64_t size)
{
	struct drm_neuron_bo_create c = {
		.size = size, .domain = domain,
		.dram_channel = DRM_NEURON_ANY, .dram_nc = DRM_NEURON_ANY,
	};

	if (drmIoctl(fd, DRM_IOCTL_NEURON_BO_CREATE, &c))
		die("BO_CREATE %s %llu", domain ? "device" : "host", (unsigned long long)size);
	return c.handle;
}

static void *bo_map(int fd, uint32_t handle, uint64_t size)
{
	struct drm_neuron_bo_info i = { .handle = handle };
	void *p;

	if (drmIoctl(fd, DRM_IOCTL_NEURON_BO_INFO, &i))
		die("BO_INFO");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)i.mmap_offset);
	if (p == MAP_FAILED)
		die("mmap of a host BO");
	return p;
}

static uint32_t syncobj(int fd)
{
	uint32_t h;

	if (drmSyncobjCreate(fd, 0, &h))
		die("syncobj create");
	return h;
}

static void sync_wait(int fd, uint32_t *h, uint32_t n)
{
	if (drmSyncobjWait(fd, h, n, now_ns() + TIMEOUT_NS, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
			   NULL))
		die("syncobj wait");
}

/* -1 with errno for EINVAL (the copy queue), else the handle; dies otherwise. */
static int64_t queue_create(int fd, uint32_t nc, uint32_t engine, uint32_t queue)
{
	struct drm_neuron_queue_create c = { .nc = nc, .engine = engine, .queue = queue };

	while (drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &c)) {
		if (errno == EINTR)
			continue;
		if (errno == EINVAL)
			return -1;
		die("QUEUE_CREATE nc %u engine %u queue %u", nc, engine, queue);
	}
	return c.handle;
}

static void fwio_read1(int fd)
{
	uint64_t addr = FW_STATUS_ADDR;
	uint32_t v;
	struct drm_neuron_fwio_read r = {
		.addrs = (uintptr_t)&addr, .values = (uintptr_t)&v, .count = 1,
	};

	if (drmIoctl(fd, DRM_IOCTL_NEURON_FWIO_READ, &r))
		die("FWIO_READ of the firmware status word");
}

/* One TX and one RX descriptor: SMALL bytes of bos[0] into bos[1] at off. */
struct small_job {
	uint32_t bos[2];
	struct drm_neuron_desc tx, rx;
};

static void small_job_init(struct small_job *j, uint32_t src, uint32_t dst, uint64_t off)
{
	memset(j, 0, sizeof(*j));
	j->bos[0] = src;
	j->bos[1] = dst;
	j->tx = (struct drm_neuron_desc){ .bo_index = 0, .offset = off, .length = SMALL,
					  .flags = DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST };
	j->rx = (struct drm_neuron_desc){ .bo_index = 1, .offset = off, .length = SMALL };
}

static void submit_inline(int fd, uint32_t q, const struct small_job *j, uint32_t out)
{
	struct drm_neuron_submit s = {
		.queue = q, .bo_handles = (uintptr_t)j->bos, .bo_count = 2,
		.tx = (uintptr_t)&j->tx, .tx_count = 1, .rx = (uintptr_t)&j->rx, .rx_count = 1,
		.out_sync.handle = out,
	};

	if (drmIoctl(fd, DRM_IOCTL_NEURON_SUBMIT, &s))
		die("SUBMIT (inline)");
}

static void submit_program(int fd, uint32_t q, uint32_t prog, uint32_t out)
{
	struct drm_neuron_submit s = { .queue = q, .program = prog, .out_sync.handle = out };

	if (drmIoctl(fd, DRM_IOCTL_NEURON_SUBMIT, &s))
		die("SUBMIT (program)");
}

static uint32_t program_create(int fd, uint32_t nc, const struct small_job *j)
{
	struct drm_neuron_program_create c = {
		.nc = nc, .bo_handles = (uintptr_t)j->bos, .bo_count = 2,
		.tx = (uintptr_t)&j->tx, .tx_count = 1, .rx = (uintptr_t)&j->rx, .rx_count = 1,
	};

	if (drmIoctl(fd, DRM_IOCTL_NEURON_PROGRAM_CREATE, &c))
		die("PROGRAM_CREATE");
	return c.handle;
}

static void copy(int fd, uint32_t src, uint32_t dst, uint64_t size, uint32_t out)
{
	struct drm_neuron_copy c = {
		.src_handle = src, .dst_handle = dst, .size = size, .nc = DRM_NEURON_ANY,
		.out_sync.handle = out,
	};

	if (drmIoctl(fd, DRM_IOCTL_NEURON_COPY, &c))
		die("COPY");
}

/* ---- neuron-emu's counters ---- */

struct ctr {
	uint64_t interrupts, mmio_reads, doorbells, descriptors, fwio_requests;
};

static struct neuron_emu_ctl *ctl;
static int emu_dev = -1;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The emulator numbers its devices in PCI bus order (one root port each,
 * in order): the position of the node's PCI function among the neuron
 * functions, sorted by address.
 */
static int emu_dev_of(const char *node)
{
	char path[PATH_MAX], link[PATH_MAX], *names[MAX_NODES];
	const char *mine, *base = strrchr(node, '/');
	struct dirent *de;
	int n = 0, idx = -1;
	ssize_t len;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/class/accel/%s/device", base ? base + 1 : node);
	len = readlink(path, link, sizeof(link) - 1);
	if (len <= 0)
		return -1;
	link[len] = '\0';
	mine = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	dir = opendir("/sys/bus/pci/devices");
	if (!dir)
		return -1;
	while ((de = readdir(dir)) && n < MAX_NODES) {
		char buf[32] = "";
		unsigned long vendor = 0, device = 0;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		f = fopen(path, "r");
		if (f && fgets(buf, sizeof(buf), f))
			vendor = strtoul(buf, NULL, 0);
		if (f)
			fclose(f);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", de->d_name);
		f = fopen(path, "r");
		if (f && fgets(buf, sizeof(buf), f))
			device = strtoul(buf, NULL, 0);
		if (f)
			fclose(f);
		if (vendor == 0x1d0f && device >= 0x7064 && device <= 0x7067)
			names[n++] = strdup(de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);
	for (int i = 0; i < n; i++) {
		if (names[i] && !strcmp(names[i], mine))
			idx = i;
		free(names[i]);
	}
	return idx;
}

static bool counters(struct ctr *c)
{
	struct neuron_emu_reply r;
	uint64_t b0 = 0, b2 = 0, b4 = 0;

	if (!ctl || emu_dev < 0)
		return false;
	if (neuron_emu_ctl_cmd(ctl, &r, "counters %d", emu_dev))
		return false;
	memset(c, 0, sizeof(*c));
	if (neuron_emu_reply_u64(&r, "interrupts", &c->interrupts) ||
	    neuron_emu_reply_u64(&r, "mmio_reads_bar0", &b0) ||
	    neuron_emu_reply_u64(&r, "mmio_reads_bar2", &b2) ||
	    neuron_emu_reply_u64(&r, "mmio_reads_bar4", &b4) ||
	    neuron_emu_reply_u64(&r, "doorbells", &c->doorbells) ||
	    neuron_emu_reply_u64(&r, "descriptors", &c->descriptors) ||
	    neuron_emu_reply_u64(&r, "fwio_requests", &c->fwio_requests))
		return false;
	c->mmio_reads = b0 + b2 + b4;
	return true;
}

/* ---- processes ---- */

/* The pids in /proc, sorted, into *pids (malloc'd); their number. */
static int list_procs(int **pids)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0, cap = 0;

	*pids = NULL;
	if (!d)
		die("/proc");
	while ((de = readdir(d))) {
		const char *p = de->d_name;

		if (!*p)
			continue;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			*pids = realloc(*pids, cap * sizeof(**pids));
			if (!*pids)
				die("realloc");
		}
		(*pids)[n++] = atoi(de->d_name);
	}
	closedir(d);
	qsort(*pids, n, sizeof(**pids), cmp_int);
	return n;
}

/*
 * What the processes in now[] but not in was[] are: their names with
 * digits dropped ("kworker/u9:3" and "kworker/u10:0" are one kind), the
 * most frequent first, on one line.
 */
static void new_procs(const int *was, int nwas, const int *now, int nnow)
{
	struct { char name[32]; int n; } kind[64];
	int nk = 0, other = 0;

	for (int i = 0; i < nnow; i++) {
		char path[64], comm[64] = "?", name[32];
		int k, j = 0;
		FILE *f;

		if (bsearch(&now[i], was, nwas, sizeof(*was), cmp_int))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", now[i]);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(comm, sizeof(comm), f))
				snprintf(comm, sizeof(comm), "?");
			fclose(f);
		}
		for (const char *c = comm; *c && *c != '\n' && j < (int)sizeof(name) - 1; c++)
			if (!isdigit((unsigned char)*c))
				name[j++] = *c;
		name[j] = '\0';
		for (k = 0; k < nk && strcmp(kind[k].name, name); k++)
			;
		if (k == nk && nk == (int)(sizeof(kind) / sizeof(kind[0]))) {
			other++;
			continue;
		}
		if (k == nk) {
			snprintf(kind[nk].name, sizeof(kind[nk].name), "%s", name);
			kind[nk++].n = 0;
		}
		kind[k].n++;
	}
	printf("   (new:");
	for (int shown = 0; shown < 6; shown++) {
		int best = -1;

		for (int k = 0; k < nk; k++)
			if (kind[k].n && (best < 0 || kind[k].n > kind[best].n))
				best = k;
		if (best < 0)
			break;
		printf("%s %d %s", shown ? "," : "", kind[best].n, kind[best].name);
		kind[best].n = 0;
	}
	if (other)
		printf(", %d others", other);
	printf(")\n");
}

/* ---- the measurements ---- */

struct bench {
	int fd;
	uint32_t q;			/* client queue: nc 0, engine 0, queue 0 */
	uint32_t src;			/* one source: jobs only read it */
	uint32_t dst[MAX_INFLIGHT];	/* one destination per job in flight */
	uint32_t sync[MAX_INFLIGHT];
	struct small_job job[MAX_INFLIGHT];
};

static void small_setup(struct bench *b)
{
	uint8_t *s;
	int64_t q = queue_create(b->fd, 0, 0, 0);

	if (q < 0)
		die("QUEUE_CREATE nc 0 engine 0 queue 0");
	b->q = (uint32_t)q;
	b->src = bo_create(b->fd, DRM_NEURON_BO_DOMAIN_HOST, 4096);
	s = bo_map(b->fd, b->src, 4096);
	for (unsigned i = 0; i < 4096; i++)
		s[i] = (uint8_t)(i * 7 + 1);
	munmap(s, 4096);
	for (unsigned i = 0; i < MAX_INFLIGHT; i++) {
		b->dst[i] = bo_create(b->fd, DRM_NEURON_BO_DOMAIN_HOST, 4096);
		b->sync[i] = syncobj(b->fd);
		small_job_init(&b->job[i], b->src, b->dst[i], 0);
	}
}

/* 1: SUBMIT + wait against the FWIO_READ round trip. */
static void fig_latency(struct bench *b)
{
	int64_t *fw = calloc(reps, sizeof(int64_t)), *lat = calloc(reps, sizeof(int64_t));
	double fw_med, med, p90;
	char v[64], base[64];

	if (!fw || !lat)
		die("calloc");
	for (int i = 0; i < 20; i++) {
		fwio_read1(b->fd);
		submit_inline(b->fd, b->q, &b->job[0], b->sync[0]);
		sync_wait(b->fd, &b->sync[0], 1);
	}
	/* Interleaved, so that both see the same machine. */
	for (int i = 0; i < reps; i++) {
		int64_t t = now_ns();

		fwio_read1(b->fd);
		fw[i] = now_ns() - t;
		t = now_ns();
		submit_inline(b->fd, b->q, &b->job[0], b->sync[0]);
		sync_wait(b->fd, &b->sync[0], 1);
		lat[i] = now_ns() - t;
	}
	fw_med = quantile_us(fw, reps, 0.5);
	med = quantile_us(lat, reps, 0.5);
	p90 = quantile_us(lat, reps, 0.9);
	snprintf(v, sizeof(v), "%.1f us", med);
	snprintf(base, sizeof(base), "fwio_read med %.1f us", fw_med);
	row("1a submit 64 B + wait, median", v, base, med / fw_med, "%.2fx", true, 2);
	snprintf(v, sizeof(v), "%.1f us", p90);
	snprintf(base, sizeof(base), "own median %.1f us", med);
	row("1b submit 64 B + wait, p90", v, base, p90 / med, "%.2fx", true, 3);
	free(fw);
	free(lat);
}

/* 2: the inline SUBMIT ioctl against a PROGRAM submit's. */
static void fig_ioctl(struct bench *b)
{
	int64_t *in = calloc(reps, sizeof(int64_t)), *pg = calloc(reps, sizeof(int64_t));
	uint32_t prog = program_create(b->fd, 0, &b->job[0]);
	double mi, mp;
	char v[64], base[64];

	if (!in || !pg)
		die("calloc");
	for (int i = 0; i < 20; i++) {
		submit_program(b->fd, b->q, prog, b->sync[0]);
		sync_wait(b->fd, &b->sync[0], 1);
	}
	/* Each job completes before the next: only the ioctl is timed. */
	for (int i = 0; i < reps; i++) {
		int64_t t = now_ns();

		submit_inline(b->fd, b->q, &b->job[0], b->sync[0]);
		in[i] = now_ns() - t;
		sync_wait(b->fd, &b->sync[0], 1);
		t = now_ns();
		submit_program(b->fd, b->q, prog, b->sync[0]);
		pg[i] = now_ns() - t;
		sync_wait(b->fd, &b->sync[0], 1);
	}
	mi = quantile_us(in, reps, 0.5);
	mp = quantile_us(pg, reps, 0.5);
	snprintf(v, sizeof(v), "%.1f us", mi);
	snprintf(base, sizeof(base), "program submit %.1f us", mp);
	row("2  inline submit ioctl, median", v, base, mi / mp, "%.2fx", true, 1.5);
	free(in);
	free(pg);
}

/* Nanoseconds n jobs take with at most k in flight (job i waits for job i - k). */
static int64_t stream(struct bench *b, unsigned k, int n)
{
	int64_t t = now_ns();
	uint32_t live = 0;

	for (int i = 0; i < n; i++) {
		unsigned s = (unsigned)i % k;

		if ((unsigned)i >= k)
			sync_wait(b->fd, &b->sync[s], 1);
		submit_inline(b->fd, b->q, &b->job[s], b->sync[s]);
		if (live < k)
			live++;
	}
	sync_wait(b->fd, b->sync, live);
	return now_ns() - t;
}

static void ctr_add(struct ctr *sum, const struct ctr *a, const struct ctr *b)
{
	sum->interrupts += b->interrupts - a->interrupts;
	sum->mmio_reads += b->mmio_reads - a->mmio_reads;
	sum->doorbells += b->doorbells - a->doorbells;
	sum->descriptors += b->descriptors - a->descriptors;
	sum->fwio_requests += b->fwio_requests - a->fwio_requests;
}

#define STREAM_ROUNDS	4

/*
 * 3 and 4: throughput in flight; the model's counters while 64 stream.
 * One at a time, 8 and 64 in flight alternate in STREAM_ROUNDS rounds
 * (the same machine for all three); the counters are read around each
 * 64-in-flight run and summed.
 */
static void fig_stream(struct bench *b)
{
	int n1 = jobs / 2 / STREAM_ROUNDS, n = jobs / STREAM_ROUNDS, total = n * STREAM_ROUNDS;
	int64_t t1 = 0, t8 = 0, t64 = 0;
	double one, eight, many;
	struct ctr c0, c1, d = { 0 };
	bool have = true;
	struct neuron_emu_config cfg;
	bool msix = true;
	char v[64], base[64];

	if (ctl && emu_dev >= 0 && !neuron_emu_ctl_config(ctl, (unsigned)emu_dev, &cfg))
		msix = cfg.msix;
	stream(b, MAX_INFLIGHT, MAX_INFLIGHT);		/* warm-up */
	for (int r = 0; r < STREAM_ROUNDS; r++) {
		t1 += stream(b, 1, n1);
		t8 += stream(b, 8, n);
		have = have && counters(&c0);
		t64 += stream(b, MAX_INFLIGHT, n);
		have = have && counters(&c1);
		if (have)
			ctr_add(&d, &c0, &c1);
	}
	one = n1 * STREAM_ROUNDS / (t1 / 1e9);
	eight = total / (t8 / 1e9);
	many = total / (t64 / 1e9);

	snprintf(base, sizeof(base), "1 at a time %.0f jobs/s", one);
	snprintf(v, sizeof(v), "%.0f jobs/s", eight);
	row("3a throughput, 8 in flight", v, base, eight / one, "%.2fx", false, 4);
	snprintf(v, sizeof(v), "%.0f jobs/s", many);
	row("3b throughput, 64 in flight", v, base, many / one, "%.2fx", false, 6);

	if (!have) {
		printf("4  model counters: not available (no $%s or no emulator device for the node)\n",
		       NEURON_EMU_CTL_ENV);
		goals += 3;
		return;
	}
	snprintf(base, sizeof(base), "%d jobs, 64 in flight", total);
	snprintf(v, sizeof(v), "%llu interrupts", (unsigned long long)d.interrupts);
	row("4a interrupts per job", v, base, (double)d.interrupts / total, "%.3f", true, 0.25);
	snprintf(v, sizeof(v), "%llu reads", (unsigned long long)d.mmio_reads);
	row("4b MMIO reads per job", v, base, (double)d.mmio_reads / total, "%.3f", true, 0);
	/* Every job has a TX (M2S) and an RX (S2M) ring to ring. */
	snprintf(v, sizeof(v), "%llu doorbells", (unsigned long long)d.doorbells);
	row("4c doorbells per job per dir", v, base, (double)d.doorbells / total / 2, "%.3f",
	    true, 1);
	printf("   (also: %.2f hardware descriptors and %.3f FWIO requests per job%s)\n",
	       (double)d.descriptors / total, (double)d.fwio_requests / total,
	       msix ? "" : "; no MSI-X: the driver polls, the model raises no interrupt");
}

/* 5: COPY host -> device -> host, COPY_SLOTS round trips in flight. */
static void fig_copy(int fd, uint64_t size, int rounds, double goal)
{
	uint32_t ha[COPY_SLOTS], dv[COPY_SLOTS], hb[COPY_SLOTS], sy[COPY_SLOTS];
	uint8_t *pa[COPY_SLOTS], *pb[COPY_SLOTS];
	int64_t t, dma_ns = 0, cpu_ns = 0;
	double dma, cpu;
	char what[64], v[64], base[64];

	for (unsigned s = 0; s < COPY_SLOTS; s++) {
		ha[s] = bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, size);
		dv[s] = bo_create(fd, DRM_NEURON_BO_DOMAIN_DEVICE, size);
		hb[s] = bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, size);
		sy[s] = syncobj(fd);
		pa[s] = bo_map(fd, ha[s], size);
		pb[s] = bo_map(fd, hb[s], size);
		for (uint64_t i = 0; i < size; i++)
			pa[s][i] = (uint8_t)((i >> 8) ^ i ^ (s * 37));
		memset(pb[s], 0, size);
	}
	/* Warm-up: every BO pinned and mapped once. */
	for (unsigned s = 0; s < COPY_SLOTS; s++) {
		copy(fd, ha[s], dv[s], size, 0);
		copy(fd, dv[s], hb[s], size, sy[s]);
	}
	sync_wait(fd, sy, COPY_SLOTS);

	/*
	 * DMA and memcpy in alternating batches, so that both see the same
	 * machine (a TCG guest's speed follows the host's load).  Before each
	 * DMA batch the destinations are cleared, after it they are checked.
	 */
	for (int batch = 0; batch < COPY_BATCHES; batch++) {
		int n = rounds / COPY_BATCHES;

		for (unsigned s = 0; s < COPY_SLOTS; s++)
			memset(pb[s], 0, size);
		t = now_ns();
		for (int i = 0; i < n; i++) {
			unsigned s = (unsigned)i % COPY_SLOTS;

			if (i >= (int)COPY_SLOTS)
				sync_wait(fd, &sy[s], 1);
			/* The second copy follows the first through the device BO. */
			copy(fd, ha[s], dv[s], size, 0);
			copy(fd, dv[s], hb[s], size, sy[s]);
		}
		sync_wait(fd, sy, COPY_SLOTS);
		dma_ns += now_ns() - t;
		for (unsigned s = 0; s < COPY_SLOTS; s++)
			if (memcmp(pa[s], pb[s], size)) {
				errno = EIO;
				die("COPY round trip of %llu bytes: the data came back different",
				    (unsigned long long)size);
			}

		/* The same bytes, by the CPU, in the same VM. */
		t = now_ns();
		for (int i = 0; i < n; i++) {
			unsigned s = (unsigned)i % COPY_SLOTS;

			memcpy(pb[s], pa[s], size);
			__asm__ __volatile__("" : : "r"(pb[s]) : "memory");
		}
		cpu_ns += now_ns() - t;
	}
	rounds = rounds / COPY_BATCHES * COPY_BATCHES;
	dma = (double)rounds * size / (dma_ns / 1e9);
	cpu = (double)rounds * size / (cpu_ns / 1e9);

	snprintf(what, sizeof(what), "5%c copy h->d->h %s, 8 in flight",
		 size >= (1u << 20) ? 'b' : 'a', size >= (1u << 20) ? "1 MiB" : "64 KiB");
	snprintf(v, sizeof(v), "%.1f MB/s", dma / 1e6);
	snprintf(base, sizeof(base), "memcpy %.1f MB/s", cpu / 1e6);
	row(what, v, base, dma / cpu, "%.3fx", false, goal);

	for (unsigned s = 0; s < COPY_SLOTS; s++) {
		struct drm_gem_close gc = { 0 };

		munmap(pa[s], size);
		munmap(pb[s], size);
		drmSyncobjDestroy(fd, sy[s]);
		gc.handle = ha[s];
		drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &gc);
		gc.handle = dv[s];
		drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &gc);
		gc.handle = hb[s];
		drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &gc);
	}
}

/* The neuron nodes, in minor order. */
static int neuron_nodes(char (*paths)[64], int max)
{
	int n = 0;

	for (int minor = 0; minor < 256 && n < max; minor++) {
		char p[64];
		drmVersionPtr ver;
		int fd;

		snprintf(p, sizeof(p), "/dev/accel/accel%d", minor);
		fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		ver = drmGetVersion(fd);
		if (ver && !strcmp(ver->name, "neuron"))
			snprintf(paths[n++], 64, "%s", p);
		drmFreeVersion(ver);
		close(fd);
	}
	return n;
}

static struct drm_neuron_device_info device_info(int fd)
{
	struct drm_neuron_device_info di = { 0 };
	struct drm_neuron_query q = {
		.type = DRM_NEURON_QUERY_DEVICE_INFO, .size = sizeof(di),
		.pointer = (uintptr_t)&di,
	};

	while (drmIoctl(fd, DRM_IOCTL_NEURON_QUERY, &q))
		if (errno != EINTR)
			die("QUERY DEVICE_INFO");
	return di;
}

/*
 * 6: every hardware queue of every device used once (QUEUE_CREATE and one
 * SUBMIT each), the files kept open; kernel processes against the count
 * taken at the start.
 */
static void fig_queues(const int *was, int before)
{
	char nodes[MAX_NODES][64];
	int fds[MAX_NODES], n = neuron_nodes(nodes, MAX_NODES), used = 0, after, closed;
	int *now = NULL, *closed_pids = NULL;
	unsigned long hwq = 0;
	char what[64], v[64], base[64];

	for (int d = 0; d < n; d++) {
		struct drm_neuron_device_info di;
		struct small_job j;
		uint32_t src, dst, *sy;
		unsigned nq = 0, k = 0;

		fds[d] = open(nodes[d], O_RDWR | O_CLOEXEC);
		if (fds[d] < 0)
			die("%s", nodes[d]);
		di = device_info(fds[d]);
		nq = di.nc_count * di.dma_engines_per_nc * di.queues_per_engine;
		sy = calloc(nq, sizeof(*sy));
		if (!sy)
			die("calloc");
		src = bo_create(fds[d], DRM_NEURON_BO_DOMAIN_HOST, 4096);
		dst = bo_create(fds[d], DRM_NEURON_BO_DOMAIN_HOST, (uint64_t)nq * SMALL);
		for (uint32_t nc = 0; nc < di.nc_count; nc++)
			for (uint32_t e = 0; e < di.dma_engines_per_nc; e++)
				for (uint32_t qi = 0; qi < di.queues_per_engine; qi++) {
					int64_t q = queue_create(fds[d], nc, e, qi);

					if (q < 0)	/* the driver's copy queue */
						continue;
					small_job_init(&j, src, dst, (uint64_t)k * SMALL);
					j.tx.offset = 0;
					sy[k] = syncobj(fds[d]);
					submit_inline(fds[d], (uint32_t)q, &j, sy[k]);
					k++;
				}
		sync_wait(fds[d], sy, k);
		hwq += k;
		used++;
		free(sy);
	}
	after = list_procs(&now);
	for (int d = 0; d < used; d++)
		close(fds[d]);
	closed = list_procs(&closed_pids);

	snprintf(what, sizeof(what), "6  processes, every queue of %d dev", used);
	snprintf(v, sizeof(v), "%d (+%d)", after, after - before);
	snprintf(base, sizeof(base), "before %d", before);
	row(what, v, base, after - before, "%+.0f", true, used);
	printf("   (%lu hardware queues used; %d processes after the files were closed;"
	       " goal <= 1 more per device%s)\n", hwq, closed,
	       used < 16 ? ", fewer than 16 devices in this VM" : "");
	new_procs(was, before, now, after);
	free(now);
	free(closed_pids);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "node", required_argument, NULL, 'n' },
		{ "reps", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "no-queues", no_argument, NULL, 'Q' },
		{ 0 }
	};
	const char *node = NULL;
	char nodes[MAX_NODES][64];
	struct bench b = { 0 };
	bool queues = true;
	int before, c, *was;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': node = optarg; break;
		case 'r': reps = atoi(optarg); break;
		case 'j': jobs = atoi(optarg); break;
		case 'Q': queues = false; break;
		default:
			fprintf(stderr, "usage: neuron-bench [--node PATH] [--reps N] [--jobs N]"
				" [--no-queues]\n");
			return 2;
		}
	}
	if (reps < 10 || jobs < (int)MAX_INFLIGHT) {
		fprintf(stderr, "neuron-bench: --reps >= 10 and --jobs >= %u\n", MAX_INFLIGHT);
		return 2;
	}
	/* Before this program has used any queue. */
	before = list_procs(&was);
	if (!node) {
		if (neuron_nodes(nodes, MAX_NODES) < 1) {
			errno = ENODEV;
			die("no neuron device");
		}
		node = nodes[0];
	}
	b.fd = open(node, O_RDWR | O_CLOEXEC);
	if (b.fd < 0)
		die("%s", node);
	if (getenv(NEURON_EMU_CTL_ENV)) {
		ctl = neuron_emu_ctl_open(NULL);
		emu_dev = emu_dev_of(node);
		if (!ctl || emu_dev < 0)
			note("no control port or no emulator device for %s: no counters", node);
	}

	printf("%-36s %-18s %-28s %9s  %-7s %s\n", "figure", "value", "baseline (same run)",
	       "ratio", "goal", "result");
	note("small jobs on %s (emulator device %d)", node, emu_dev);
	small_setup(&b);
	fig_latency(&b);
	fig_ioctl(&b);
	fig_stream(&b);
	note("copies");
	fig_copy(b.fd, 64u << 10, 1024, 0.5);
	fig_copy(b.fd, 1u << 20, 256, 0.9);
	close(b.fd);
	if (queues) {
		note("every hardware queue of every device");
		fig_queues(was, before);
	}
	free(was);
	printf("goals met: %d of %d\n", met, goals);
	neuron_emu_ctl_close(ctl);
	return 0;
}
