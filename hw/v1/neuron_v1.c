// SPDX-License-Identifier: GPL-2.0-only
/*
 * Inferentia v1 register writes and device-address translation.  Every
 * MMIO access of the driver outside the UDMA engines (udma.c) is here.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/bits.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "neuron_drv.h"
#include "neuron_hw.h"
#include "v1/address_map.h"
#include "v1/fwio_regs.h"
#include "v1/putils_regs.h"

/**
 * neuron_v1_misc_write() - write one 32-bit word of the firmware misc RAM
 * @ndev: the device
 * @offset: byte offset inside misc RAM (MISC_* in hw/v1/fwio_regs.h)
 * @value: the value
 *
 * A posted MMIO write.  Callers hold a drm_dev_enter() section.
 */
void neuron_v1_misc_write(struct neuron_device *ndev, u32 offset, u32 value)
{
	writel(value, ndev->bar0 + V1_MISC_RAM_OFFSET + offset);
}

/**
 * neuron_v1_misc_write_blob() - copy bytes into misc RAM with 32-bit writes
 * @ndev: the device
 * @offset: 4-byte aligned byte offset inside misc RAM
 * @blob: the bytes
 * @len: number of bytes; a partial last word is zero-padded
 *
 * v1 registers only take 32-bit writes, so the blob goes word by word.
 */
void neuron_v1_misc_write_blob(struct neuron_device *ndev, u32 offset,
			       const void *blob, size_t len)
{
	const u8 *p = blob;
	size_t i;

	for (i = 0; i < len; i += 4) {
		u8 word[4] = {};

		memcpy(word, p + i, min_t(size_t, 4, len - i));
		neuron_v1_misc_write(ndev, offset + i, get_unaligned_le32(word));
	}
}

/**
 * neuron_v1_host_dev_addr() - device-side address of host memory
 * @dma: DMA address from the DMA API
 *
 * The device reaches host memory through its PCIe port at V1_HOST_PREFIX
 * (bit 46); the DMA address goes below it.  The DMA mask (46 bits) keeps
 * every DMA address below the prefix.
 *
 * Return: the address to give to the device.
 */
u64 neuron_v1_host_dev_addr(dma_addr_t dma)
{
	return (u64)dma | V1_HOST_PREFIX;
}

/**
 * neuron_v1_nc_write() - write one word of a NeuronCore's window (BAR2)
 * @ndev: the device
 * @nc: the NeuronCore
 * @offset: byte offset inside its window (V1_NC_* in hw/v1/address_map.h)
 * @value: the value
 *
 * A posted MMIO write.  Callers hold a drm_dev_enter() section.
 */
void neuron_v1_nc_write(struct neuron_device *ndev, int nc, u64 offset, u32 value)
{
	writel(value, ndev->bar2 + V1_NC_WINDOW_OFFSET(nc) + offset);
}

static void __iomem *neuron_v1_nq_reg(struct neuron_device *ndev, int nc, u32 group,
				      u32 reg)
{
	return ndev->bar0 + V1_PUTILS_OFFSET(nc) + group + reg;
}

/**
 * neuron_v1_nq_program() - point a notification queue at a host ring
 * @ndev: the device
 * @nc: NeuronCore whose pool utilities hold the queue
 * @group: the queue's register group (PUTILS_NQ_* in hw/v1/putils_regs.h)
 * @addr: device address of the ring, 0 to disable the queue
 * @size: ring bytes, 0 to disable the queue
 *
 * Posted MMIO writes.  Callers hold a drm_dev_enter() section.
 */
void neuron_v1_nq_program(struct neuron_device *ndev, int nc, u32 group, u64 addr,
			  u32 size)
{
	writel(size, neuron_v1_nq_reg(ndev, nc, group, PUTILS_NQ_SIZE));
	writel(lower_32_bits(addr), neuron_v1_nq_reg(ndev, nc, group, PUTILS_NQ_BASE_LO));
	writel(upper_32_bits(addr), neuron_v1_nq_reg(ndev, nc, group, PUTILS_NQ_BASE_HI));
}

/**
 * neuron_v1_nq_set_head() - tell a notification queue what was consumed
 * @ndev: the device
 * @nc: NeuronCore whose pool utilities hold the queue
 * @group: the queue's register group (PUTILS_NQ_* in hw/v1/putils_regs.h)
 * @head: byte offset in the ring of the next entry software will read
 *
 * A posted MMIO write.  Callers hold a drm_dev_enter() section.
 */
void neuron_v1_nq_set_head(struct neuron_device *ndev, int nc, u32 group, u32 head)
{
	writel(head, neuron_v1_nq_reg(ndev, nc, group, PUTILS_NQ_HEAD));
}
