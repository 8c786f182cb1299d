// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Fault injection at random moments through neuron-emu's control port:
 * DMA errors, FWIO requests dropped or answered with a bad CRC, sequence or
 * size, lost interrupts, engines stalled for a while, and (as root, in a
 * thread of its own so that the monitor keeps watching) device resets.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fuzz.h"
#include "neuron_emu_ctl.h"

static uint64_t next_fault, unstall_at;
static pthread_t reset_thread;
static _Atomic int reset_busy;
_Atomic uint64_t reset_start_ns;
uint64_t faults_injected, resets_done;

/* A control-port request, in the ring like a call so a dump shows the faults. */
static void fault(struct neuron_emu_ctl *ctl, int emu, const char *name, long long value)
{
	struct neuron_emu_reply reply;
	char text[96];
	uint64_t seq;
	int ret;

	snprintf(text, sizeof(text), "monitor: fault %d %s %lld", emu, name, value);
	seq = ring_begin(MONITOR_SLOT, text);
	/* Not neuron_emu_ctl_fault(): its u64 value cannot say -1 ("unstall all"). */
	ret = neuron_emu_ctl_cmd(ctl, &reply, "fault %d %s %lld", emu, name, value);
	ring_end(seq, ret);
	if (ret)
		fprintf(stderr, "neuron-fuzz: %s: %s\n", text, strerror(-ret));
}

static void *do_reset(void *arg)
{
	int dev = (int)(intptr_t)arg, fd;
	char path[64];
	struct drm_neuron_reset a = { 0 };

	snprintf(path, sizeof(path), "/dev/accel/accel%d", cfg.minor[dev]);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		uint64_t seq;
		char text[64];
		int ret;

		snprintf(text, sizeof(text), "monitor: RESET accel%d (root)", cfg.minor[dev]);
		seq = ring_begin(MONITOR_SLOT, text);
		atomic_store(&reset_start_ns, now_ns());
		ret = ioctl(fd, DRM_IOCTL_NEURON_RESET, &a) ? -errno : 0;
		ring_end(seq, ret);
		/* Counted apart from the worker's: as root it is a different call. */
		if (!ret)
			resets_done++;
		atomic_store(&reset_start_ns, 0);
		close(fd);
	}
	atomic_store(&reset_busy, 0);
	return NULL;
}

static void inject(struct neuron_emu_ctl *ctl, struct rng *r, int dev, uint64_t now)
{
	static const char *const names[] = { "dma_error", "fwio_drop", "fwio_bad_crc",
					     "fwio_bad_seq", "fwio_bad_size", "lost_irq" };
	unsigned int k = rnd_below(r, 9);
	int emu = cfg.emu_dev[dev];

	if (k < 6) {
		uint64_t n = 1 + rnd_below(r, 4);

		/*
		 * A few retries' worth, which the driver absorbs; now and then
		 * more bad answers than its FWIO tries (15), so that a call
		 * fails with them.  Not for drops: each costs a full timeout.
		 */
		if (k >= 2 && k <= 4 && rnd_pct(r, 10))
			n = 16;
		fault(ctl, emu, names[k], n);
	} else if (k < 8) {
		fault(ctl, emu, "queue_stall", rnd_below(r, 12));
		/* Short stalls mostly; now and then one past the job timeout. */
		unstall_at = now + (rnd_pct(r, 80) ? 100 + rnd_below(r, 1500) :
					2000 + rnd_below(r, 8000)) * 1000000ull;
	} else if (cfg.resets && !atomic_load(&reset_busy) && rnd_pct(r, 30)) {
		atomic_store(&reset_busy, 1);
		if (pthread_create(&reset_thread, NULL, do_reset, (void *)(intptr_t)dev))
			atomic_store(&reset_busy, 0);
		else
			pthread_detach(reset_thread);
	}
	faults_injected++;
}

void faults_tick(struct neuron_emu_ctl *ctl, struct rng *r, uint64_t now)
{
	if (unstall_at && now >= unstall_at) {
		for (int d = 0; d < cfg.ndev; d++)
			fault(ctl, cfg.emu_dev[d], "queue_stall", -1);
		unstall_at = 0;
	}
	if (!next_fault)
		next_fault = now + 500000000ull;
	if (now < next_fault)
		return;
	inject(ctl, r, rnd_below(r, cfg.ndev), now);
	next_fault = now + (200 + rnd_below(r, 2000)) * 1000000ull;
}

/* Every armed fault off, stalled engines running again; waits for a reset. */
void faults_clear(struct neuron_emu_ctl *ctl)
{
	static const char *const names[] = { "dma_error", "fwio_drop", "fwio_bad_crc",
					     "fwio_bad_seq", "fwio_bad_size", "lost_irq" };

	for (int i = 0; i < 600 && atomic_load(&reset_busy); i++)
		usleep(100000);
	if (!ctl)
		return;
	for (int d = 0; d < cfg.ndev; d++) {
		for (int k = 0; k < 6; k++)
			fault(ctl, cfg.emu_dev[d], names[k], 0);
		fault(ctl, cfg.emu_dev[d], "queue_stall", -1);
	}
}
