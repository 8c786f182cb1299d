/* SPDX-License-Identifier: MIT */
/* The firmware behind the misc-RAM mailbox: FWIO requests, device and TPB resets. */
#ifndef NEMU_FWIO_H
#define NEMU_FWIO_H

#include <stdbool.h>
#include <stdint.h>

#include "../hw/v1/fwio_regs.h"

struct nemu_dev;

/* Misc-RAM window the firmware model claims inside BAR0. */
#define NEMU_MISC_SIZE		0x1000

struct fwio_state {
	bool busy;		/* re-entry guard: a request DMAing to the doorbell */
	bool resetting;		/* firmware does not answer until reset_done_ms */
	uint32_t reset_kind;	/* MISC_RESET_DEVICE or MISC_RESET_TPB */
	uint32_t tpb_map;	/* NCs of the TPB reset in progress */
	uint64_t reset_done_ms;
	uint8_t post[FWIO_POST_MAX];	/* last POST payload */
	uint32_t post_len;
	uint64_t posts;
	/* Per device: a response may DMA into another device's doorbell. */
	uint8_t req[FWIO_BUF_SIZE];
	uint8_t resp[FWIO_BUF_SIZE];
};

uint32_t fwio_read(struct nemu_dev *d, uint64_t misc_off);
void fwio_write(struct nemu_dev *d, uint64_t misc_off, uint32_t val);
/* Finish a pending reset if its time has come. */
void fwio_tick(struct nemu_dev *d, uint64_t now_ms);
/* When fwio_tick next has work to do, or UINT64_MAX. */
uint64_t fwio_deadline(const struct nemu_dev *d);
void fwio_power_on(struct nemu_dev *d);

#endif /* NEMU_FWIO_H */
