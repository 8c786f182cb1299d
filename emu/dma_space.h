/* SPDX-License-Identifier: MIT */
/*
 * The device (AXI) address space as DMA engines and the firmware see it:
 * DRAM, the NC and APB windows, host memory behind bit 46 and the east and
 * west neighbours behind bit 47 (facts section 2.1).
 */
#ifndef NEMU_DMA_SPACE_H
#define NEMU_DMA_SPACE_H

#include <stddef.h>
#include <stdint.h>

struct nemu_dev;

/* 0 on success, -1 if any byte of the range does not resolve. */
int dspace_read(struct nemu_dev *d, uint64_t addr, void *buf, size_t len);
int dspace_write(struct nemu_dev *d, uint64_t addr, const void *buf, size_t len);

#endif /* NEMU_DMA_SPACE_H */
