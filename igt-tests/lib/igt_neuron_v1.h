/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * The few Inferentia v1 facts the neuron tests need that the uapi does not
 * carry: the device address map (FWIO READ addresses the driver must allow
 * or refuse), fixed counts (what DEVICE_INFO must report), the FWIO
 * mailbox words and the notification-entry format.  The tests include this
 * instead of the driver's own register headers (hw/), so that they build in
 * an IGT tree, which has only include/drm-uapi/neuron_accel.h and lib/.
 *
 * Each value is spelled as in the hw/v1 headers; the project's own build checks
 * that the two agree (selftest/hw_facts_check.c).
 */
#ifndef IGT_NEURON_V1_H
#define IGT_NEURON_V1_H

/* Device address space and BAR layout. */
#define V1_DRAM_CH0_BASE		0x000000000000ULL
#define V1_DRAM_CH1_BASE		0x001000000000ULL
#define V1_DRAM_CHANNEL_SIZE		0x000100000000ULL	/* 4 GiB */
#define V1_DRAM_CHANNELS		2
#define V1_DRAM_PORT1_BIT		(1ULL << 44)
#define V1_TPB_BASE			0x0fffc0000000ULL	/* BAR2 offset 0 */
#define V1_APB_BASE			0x0ffff0000000ULL	/* BAR0 offset 0 */
#define V1_APB_SIZE			0x10000000ULL
#define V1_HOST_PREFIX			(1ULL << 46)
#define V1_EAST_PREFIX			(1ULL << 47)
#define V1_WEST_PREFIX			((1ULL << 47) | (1ULL << 46))
#define V1_TDMA_OFFSET(nc, e)		((nc) * 0x100000ULL + (e) * 0x1000ULL)	/* BAR0 blocks */
#define V1_UDMA_OFFSET(nc, e)		(0x40000ULL + (nc) * 0x100000ULL + (e) * 0x40000ULL)
#define V1_PUTILS_OFFSET(nc)		(0x404000ULL + (nc) * 0x10000ULL)
#define V1_MISC_RAM_OFFSET		0x78e000ULL
#define V1_NC_WINDOW_SIZE		0x4000000ULL	/* BAR2: one window per NeuronCore */
#define V1_NC_WINDOW_OFFSET(nc)		((nc) * V1_NC_WINDOW_SIZE)
#define V1_NC_EVENTS			0x2700000ULL
#define V1_NC_SEM_READ			0x2701000ULL
#define V1_NC_SEM_SET			0x2701100ULL
#define V1_NC_PE_IRAM_FIFO		0x265c000ULL
#define V1_NC_PE_IRAM_FIFO_SIZE		0x4000ULL

/* Counts. */
#define V1_NC_PER_DEVICE		4
#define V1_DMA_ENG_PER_NC		3
#define V1_DMA_QUEUES_PER_ENG		16
#define V1_SEMAPHORES_PER_NC		32
#define V1_EVENTS_PER_NC		256
#define V1_MAX_DEVICES			16
#define V1_ENG_ID(nc, e)		((nc) * V1_DMA_ENG_PER_NC + (e))	/* engine id of the ABI: 0..11 */

/* FWIO mailbox: misc-RAM words and firmware status. */
#define MISC_FW_API_VERSION		0x000
#define MISC_FW_STATUS			0x01c
#define MISC_DEVICE_ID			0x024
#define MISC_METRICS			0x100
#define MISC_RESET			0x1ec
#define MISC_REQ_ADDR_LO		0x1f4
#define MISC_RESP_ADDR_HI		0x1f8
#define MISC_DOORBELL			0x800
#define V1_MISC_DEV_ADDR(off)		(V1_APB_BASE + V1_MISC_RAM_OFFSET + (off))	/* device address of a misc-RAM word */
#define FW_STATUS_EAST_LINK		(1u << 0)
#define FW_STATUS_WEST_LINK		(1u << 1)
#define FW_STATUS_READY			(1u << 31)
#define FWIO_TRIES			15	/* the driver's tries per request */

/* Notification queues (PUTILS block of each NeuronCore) and their entries. */
#define NQ_TYPE_TRACE			0
#define NQ_TYPE_NOTIFY			1
#define NQ_TYPE_EVENT			2
#define NQ_TYPE_ERROR			3
#define NQ_INSTANCES			4
#define PUTILS_NQ_ERROR			0x1074
#define PUTILS_NQ_EVENT			0x1094
#define PUTILS_NQ_NOTIFY(i)		(0x0bfc + (i) * 0x104)
#define PUTILS_NQ_TRACE(i)		(0x0c7c + (i) * 0x104)
#define PUTILS_NQ_HEAD			0x18
#define NQ_ENTRY_SIZE			16
#define NQ_ENTRY_INSTANCE_SHIFT		8
#define NQ_ENTRY_PHASE			(1u << 31)
#define NQ_PHASE_INIT			1

/* DMA engines: TDMA wrapper and UDMA registers. */
#define TDMA_EVENT_ACCEL		0x00
#define TDMA_ROB_CFG			0x1c
#define TDMA_WOB_CFG			0x20
#define UDMA_M2S_Q(q)			(0x01000 + (q) * 0x1000)
#define UDMA_S2M_Q(q)			(0x21000 + (q) * 0x1000)
#define UDMA_GEN_EX			0x3c000
#define UDMA_M2S_STATE			0x00200
#define UDMA_M2S_DMA_VERSION		0x00604
#define UDMA_S2M_STATE			0x20200
#define UDMA_GEN_EX_TX_SEL(q)		(UDMA_GEN_EX + 0x400 + (q) * 0x40)
#define UDMA_VERSION_V4			4
#define UDMA_Q_STATUS			0x24	/* inside one queue */
#define UDMA_Q_RING_BASE_LO		0x28
#define UDMA_Q_RING_BASE_HI		0x2c
#define UDMA_Q_RING_HEAD		0x34
#define UDMA_Q_TAIL_INC			0x38
#define UDMA_Q_RING_TAIL		0x3c
#define UDMA_Q_COMP_BASE_LO		0x44
#define UDMA_Q_COMP_HEAD		0x4c

/*
 * The NeuronCore "instruction set" of the neuron-emu device model (its
 * assumption; real v1 formats are not public): 16-byte records written into
 * a NeuronCore's PE instruction FIFO.  Subtests that run such programs need
 * the model (igt_neuron_require_emu()).
 */
#define NC_OP_RECORD_SIZE		16
#define NC_OP_MAGIC			0x4e430000u
#define NC_OP_NOTIFY			1
#define NC_OP_ERROR			3
#define NC_OP_SEM_SET			4

#endif /* IGT_NEURON_V1_H */
