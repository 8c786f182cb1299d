/* SPDX-License-Identifier: MIT */
/*
 * Device DRAM backing store: one sparse memfd for both channels, so an idle
 * device costs nothing and a reset is a hole punch, not a memset of 8 GiB.
 */
#ifndef NEMU_DRAM_H
#define NEMU_DRAM_H

#include <stddef.h>
#include <stdint.h>

struct dram {
	int fd;
	uint8_t *map;	/* MAP_SHARED | MAP_NORESERVE view, used for writes */
	uint64_t size;
};

int dram_init(struct dram *m, uint64_t size);
void dram_fini(struct dram *m);
/* Offsets are in the packed layout (channel 0, then channel 1). */
int dram_read(const struct dram *m, uint64_t off, void *buf, size_t len);
int dram_write(struct dram *m, uint64_t off, const void *buf, size_t len);
/* Zero everything and give the memory back to the host. */
void dram_clear(struct dram *m);
/* Bytes of host memory currently backing the DRAM. */
uint64_t dram_resident(const struct dram *m);

#endif /* NEMU_DRAM_H */
