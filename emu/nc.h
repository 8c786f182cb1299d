/* SPDX-License-Identifier: MIT */
/*
 * BAR2 / the NeuronCore (TPB) window: plain memory except for the event and
 * semaphore views of each NeuronCore (facts sections 2.3 and 6.5).
 */
#ifndef NEMU_NC_H
#define NEMU_NC_H

#include <stddef.h>
#include <stdint.h>

struct nemu_dev;

int nc_read(struct nemu_dev *d, uint64_t off, void *buf, size_t len);
int nc_write(struct nemu_dev *d, uint64_t off, const void *buf, size_t len);
/* Clear semaphores and events of every NeuronCore. */
void nc_reset(struct nemu_dev *d);

#endif /* NEMU_NC_H */
