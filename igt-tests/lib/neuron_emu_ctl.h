/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Client of neuron-emu's control socket, reached from inside the guest
 * through a virtio-serial port ($NEURON_EMU_CTL).  Text protocol: a request
 * "CMD ARGS\n", a reply of "key value\n" lines ended by "ok\n" or
 * "err <message>\n".  Plain C without IGT, so other tools can use it too.
 */
#ifndef NEURON_EMU_CTL_H
#define NEURON_EMU_CTL_H

#include <stdbool.h>
#include <stdint.h>

#define NEURON_EMU_CTL_ENV		"NEURON_EMU_CTL"
#define NEURON_EMU_MAX_KEYS		64
#define NEURON_EMU_NONE			(-1)	/* "east none" */

struct neuron_emu_ctl;

struct neuron_emu_reply {
	int nkeys;
	struct {
		char key[64];
		char value[192];
	} kv[NEURON_EMU_MAX_KEYS];
	char error[256];		/* the message of an "err" reply */
};

struct neuron_emu_config {
	uint32_t device_id;
	uint32_t revision;
	uint32_t index;
	int east;			/* emulator device number or NEURON_EMU_NONE */
	int west;
	bool msix;
	uint64_t bar0_size;
	uint64_t bar2_size;
	uint64_t bar4_size;
	char topology[64];
};

/* path NULL: $NEURON_EMU_CTL.  NULL with errno set if absent/unusable. */
struct neuron_emu_ctl *neuron_emu_ctl_open(const char *path);
void neuron_emu_ctl_close(struct neuron_emu_ctl *ctl);

/*
 * Send one request, read its whole reply.  0 for "ok", -EREMOTEIO for
 * "err" (message in reply->error), -ETIMEDOUT, -EPROTO or -errno.
 */
int neuron_emu_ctl_cmd(struct neuron_emu_ctl *ctl, struct neuron_emu_reply *reply,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

const char *neuron_emu_reply_get(const struct neuron_emu_reply *reply, const char *key);
int neuron_emu_reply_u64(const struct neuron_emu_reply *reply, const char *key, uint64_t *val);

int neuron_emu_ctl_devices(struct neuron_emu_ctl *ctl, unsigned int *count);
int neuron_emu_ctl_config(struct neuron_emu_ctl *ctl, unsigned int dev,
			  struct neuron_emu_config *cfg);
int neuron_emu_ctl_counter(struct neuron_emu_ctl *ctl, unsigned int dev,
			   const char *name, uint64_t *val);
int neuron_emu_ctl_reset_counters(struct neuron_emu_ctl *ctl, unsigned int dev);
int neuron_emu_ctl_fault(struct neuron_emu_ctl *ctl, unsigned int dev,
			 const char *name, uint64_t value);
/* M2S descriptors posted on an engine's queues and not run yet. */
int neuron_emu_ctl_pending(struct neuron_emu_ctl *ctl, unsigned int dev, unsigned int engine,
			   uint64_t *count);
/* One packet on a stalled engine: 1 ran, 0 nothing to run, or -errno. */
int neuron_emu_ctl_step(struct neuron_emu_ctl *ctl, unsigned int dev, unsigned int engine);

#endif /* NEURON_EMU_CTL_H */
