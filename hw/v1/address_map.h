/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Inferentia v1 device address map, BAR layout and fixed counts.
 *
 * Plain C (no kernel types): included by the kernel driver and by the
 * neuron-emu device model alike, so that every offset has one definition.
 * Values are from ../shared/hw/inferentia-v1.md sections 1, 2 and 12.
 */
#ifndef NEURON_HW_V1_ADDRESS_MAP_H
#define NEURON_HW_V1_ADDRESS_MAP_H

/* PCI identity (section 1.1). */
#define V1_PCI_VENDOR_AMAZON		0x1d0f
#define V1_PCI_DEVICE_ID0		0x7064
#define V1_PCI_DEVICE_ID1		0x7065
#define V1_PCI_DEVICE_ID2		0x7066
#define V1_PCI_DEVICE_ID3		0x7067
#define V1_PCI_REVISION_QEMU		0xff	/* "QEMU model" in R2.x */
#define V1_PCI_REVISION_EMULATOR	0xf0
#define V1_ARCH				1	/* "INFERENTIA" / "V1" */

/* BARs (section 1.2).  Sizes are model choices; see Documentation/. */
#define V1_BAR_APB			0
#define V1_BAR_AXI			2
#define V1_BAR_DRAM			4
#define V1_BAR0_SIZE			0x00800000ULL	/* 8 MiB: covers misc RAM */
#define V1_BAR2_SIZE			0x10000000ULL	/* 256 MiB: 4 NC windows */
#define V1_BAR4_SIZE			0x200000000ULL	/* 8 GiB: both channels */

/* Device (AXI) address space (section 2.1). */
#define V1_DRAM_CH0_BASE		0x000000000000ULL
#define V1_DRAM_CH1_BASE		0x001000000000ULL
#define V1_DRAM_CHANNEL_SIZE		0x000100000000ULL	/* 4 GiB */
#define V1_DRAM_CHANNELS		2
#define V1_DRAM_PORT1_BIT		(1ULL << 44)
#define V1_TPB_BASE			0x0fffc0000000ULL	/* BAR2 offset 0 */
#define V1_APB_BASE			0x0ffff0000000ULL	/* BAR0 offset 0 */
#define V1_APB_SIZE			0x10000000ULL		/* 256 MiB */
#define V1_HOST_PREFIX			(1ULL << 46)
#define V1_EAST_PREFIX			(1ULL << 47)
#define V1_WEST_PREFIX			((1ULL << 47) | (1ULL << 46))
#define V1_PREFIX_MASK			((1ULL << 47) | (1ULL << 46))
/* Address bits below the host/neighbour prefix bits. */
#define V1_LOCAL_ADDR_MASK		((1ULL << 46) - 1)

/* Blocks inside BAR0 (section 2.2). */
#define V1_TDMA_OFFSET(nc, e)		((nc) * 0x100000ULL + (e) * 0x1000ULL)
#define V1_UDMA_OFFSET(nc, e)		(0x40000ULL + (nc) * 0x100000ULL + (e) * 0x40000ULL)
#define V1_UDMA_WINDOW_SIZE		0x40000ULL
#define V1_PUTILS_OFFSET(nc)		(0x404000ULL + (nc) * 0x10000ULL)
#define V1_PUTILS_SIZE			0x10000ULL
#define V1_MISC_RAM_OFFSET		0x78e000ULL

/* Inside each NeuronCore's 64 MiB window of BAR2 (section 2.3). */
#define V1_NC_WINDOW_SIZE		0x4000000ULL
#define V1_NC_WINDOW_OFFSET(nc)		((nc) * V1_NC_WINDOW_SIZE)
#define V1_NC_EVENTS			0x2700000ULL
#define V1_NC_SEM_READ			0x2701000ULL
#define V1_NC_SEM_SET			0x2701100ULL
#define V1_NC_SEM_INCR			0x2701200ULL
#define V1_NC_SEM_DECR			0x2701300ULL
#define V1_NC_PE_IRAM_FIFO		0x265c000ULL
#define V1_NC_PE_IRAM_FIFO_SIZE		0x4000ULL

/* Counts (section 2.4). */
#define V1_NC_PER_DEVICE		4
#define V1_DMA_ENG_PER_NC		3
#define V1_DMA_ENG_PER_DEVICE		(V1_NC_PER_DEVICE * V1_DMA_ENG_PER_NC)
#define V1_DMA_QUEUES_PER_ENG		16
#define V1_SEMAPHORES_PER_NC		32
#define V1_EVENTS_PER_NC		256
#define V1_MAX_DESC_PER_PACKET		128
#define V1_MAX_DEVICES			16

/* Engine id used across the ABI: nc * 3 + e (0..11). */
#define V1_ENG_ID(nc, e)		((nc) * V1_DMA_ENG_PER_NC + (e))
/* The driver's own copy ("H2T") engine of a NeuronCore and its queue. */
#define V1_H2T_ENGINE			2
#define V1_H2T_QUEUE			15

#endif /* NEURON_HW_V1_ADDRESS_MAP_H */
