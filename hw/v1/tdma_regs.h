/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* TDMA wrapper of each UDMA engine (../shared/hw/inferentia-v1.md section 8). */
#ifndef NEURON_HW_V1_TDMA_REGS_H
#define NEURON_HW_V1_TDMA_REGS_H

#define TDMA_EVENT_ACCEL		0x00
#define TDMA_ROB_CFG			0x1c
#define TDMA_WOB_CFG			0x20

#define TDMA_EVENT_ACCEL_EN		(1u << 0)
#define TDMA_ROB_EN			(1u << 0)
/* The write reorder buffer must stay disabled on v1 (hardware bug). */
#define TDMA_WOB_EN			(1u << 0)

#endif /* NEURON_HW_V1_TDMA_REGS_H */
