/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * neuron-fuzz: shared declarations.  Processes: the monitor (root: fault
 * injection, watchdog, leak checks, rmmod) and the worker (uid 65534:
 * threads calling ioctls, forked children).  They share one anonymous
 * mapping (struct shared): the call ring, per-ioctl errno counts and the
 * threads' current calls, so the monitor can name a hung call and dump the
 * last calls whichever process ends first.
 */
#ifndef NEURON_FUZZ_H
#define NEURON_FUZZ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "errdoc.h"

#define MAX_THREADS		8
#define MAX_DEVICES		4
#define CLIENTS_PER_DEVICE	2
#define MAX_CLIENTS		(MAX_DEVICES * CLIENTS_PER_DEVICE)
#define RING_SIZE		4096
#define TEXT_LEN		200
#define MAX_ERRNO		134
#define HANG_NS			(30ull * 1000000000ull)	/* a call taking longer is a hang */
#define NOBODY			65534
#define MONITOR_SLOT		(-1)	/* ring entries of the monitor (faults, resets) */

/* Everything a call is counted under: driver ioctls, core ioctls, fd ops. */
enum op {
#define OP(name) OP_##name,
#include "ops.def"
#undef OP
	OP_COUNT
};
extern const char *const op_names[OP_COUNT];
/* The op counting a driver ioctl, by its uapi name ("COPY"), or -1. */
int op_of_name(const char *name);

struct call_rec {
	uint64_t seq;			/* 0: slot never written */
	int16_t slot;			/* thread (or forked child) slot */
	int16_t done;
	int32_t ret;			/* 0 or -errno */
	char text[TEXT_LEN];
};

struct slot_state {
	_Atomic uint64_t start_ns;	/* 0 when not inside a call */
	_Atomic uint64_t seq;		/* ring sequence of the current call */
};

struct shared {
	_Atomic uint64_t seq;
	struct call_rec ring[RING_SIZE];
	struct slot_state slot[2 * MAX_THREADS];	/* threads, then their children */
	_Atomic uint64_t calls[OP_COUNT];
	_Atomic uint64_t errs[OP_COUNT][MAX_ERRNO];
	_Atomic uint64_t undocumented;	/* calls with an errno not in the uapi */
	_Atomic uint64_t forks, kills, signals;
	_Atomic int stop;		/* monitor to worker: finish now (SIGINT/SIGTERM) */
	/* client ids (fdinfo drm-client-id) of every file the worker opened */
	_Atomic uint32_t nclient_ids;
	uint64_t client_ids[4096];
	/* worker's end-of-run verdicts */
	int fdinfo_checked, fdinfo_bad;
	char fdinfo_msg[256];
	int worker_done;
};
extern struct shared *sh;

/* Options and device facts, fixed before the worker starts. */
struct config {
	uint64_t seed;
	uint64_t iterations;		/* per thread; 0: until duration */
	unsigned int threads;
	unsigned int duration_s;
	bool faults, forks, signals, resets;
	const char *log_path;
	int ndev;
	int minor[MAX_DEVICES];
	char pci[MAX_DEVICES][32];
	int emu_dev[MAX_DEVICES];	/* model device number, -1 if unknown */
};
extern struct config cfg;

/* Deterministic generator (splitmix64/xorshift): one per thread. */
struct rng { uint64_t s; };
uint64_t rnd(struct rng *r);
static inline uint64_t rnd_below(struct rng *r, uint64_t n) { return n ? rnd(r) % n : 0; }
static inline bool rnd_pct(struct rng *r, unsigned int pct) { return rnd_below(r, 100) < pct; }
uint64_t now_ns(void);

/* log.c: the call ring and its dump */
uint64_t ring_begin(int slot, const char *text);
void ring_end(uint64_t seq, int ret);
void ring_dump(int fd, unsigned int last);
void ring_dump_file(const char *path);

/*
 * call.c: one ioctl through the ring, the watchdog slot and the counters;
 * returns 0 or -errno.  A call interrupted by a signal (EINTR) is made
 * again with the same arguments, as a restarting caller would.
 */
int fz_ioctl(int slot, enum op op, int fd, unsigned long cmd, void *arg, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Count a non-ioctl operation (read, write, mmap, poll) for the statistics. */
void fz_count(enum op op, int ret);
void fz_begin(int slot, const char *text);
void fz_end(int slot, int ret);

/* worker.c: the unprivileged side */
int worker_main(void);

/* faults.c: the model's faults and root resets, from the monitor */
struct neuron_emu_ctl;
void faults_tick(struct neuron_emu_ctl *ctl, struct rng *r, uint64_t now);
void faults_clear(struct neuron_emu_ctl *ctl);

/* checks.c */
bool read_dram_used(const char *pci, uint64_t *used);
bool bos_has_client(const char *pci, const uint64_t *ids, unsigned int n, char *msg, int len);
bool fdinfo_u64(int fd, const char *key, uint64_t *val);
int module_reload(char *msg, int len);

#endif /* NEURON_FUZZ_H */
