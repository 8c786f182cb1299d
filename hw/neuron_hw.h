/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hardware access layer: register writes and device addresses.
 *
 * Only Inferentia v1 exists so far; its implementation is hw/v1/neuron_v1.c
 * (and hw/v1/udma.c for the DMA engines) and its register layout the
 * plain-C headers in hw/v1/, shared with the device model.  No other file
 * of the driver touches a BAR.  On v1 the host never reads a register with an MMIO load:
 * every read goes through the FWIO mailbox (neuron_fwio.h), so this layer
 * only writes.
 */
#ifndef NEURON_HW_H
#define NEURON_HW_H

#include <linux/types.h>

struct neuron_device;

void neuron_v1_misc_write(struct neuron_device *ndev, u32 offset, u32 value);
void neuron_v1_misc_write_blob(struct neuron_device *ndev, u32 offset,
			       const void *blob, size_t len);
u64 neuron_v1_host_dev_addr(dma_addr_t dma);
void neuron_v1_nc_write(struct neuron_device *ndev, int nc, u64 offset, u32 value);
void neuron_v1_nq_program(struct neuron_device *ndev, int nc, u32 group, u64 addr,
			  u32 size);
void neuron_v1_nq_set_head(struct neuron_device *ndev, int nc, u32 group, u32 head);

#endif /* NEURON_HW_H */
