/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * FWIO firmware mailbox: misc-RAM layout and message format
 * (../shared/hw/inferentia-v1.md sections 7, 9 and 11).
 */
#ifndef NEURON_HW_V1_FWIO_REGS_H
#define NEURON_HW_V1_FWIO_REGS_H

#include "address_map.h"

/* Misc-RAM offsets (BAR0 + V1_MISC_RAM_OFFSET + x). */
#define MISC_FW_API_VERSION		0x000
#define MISC_FW_STATUS			0x01c
#define MISC_DEVICE_ID			0x024
#define MISC_METRICS			0x100
#define MISC_METRICS_SIZE		128
#define MISC_TPB_RESET_MAP		0x1d8
#define MISC_RESET			0x1ec
#define MISC_REQ_ADDR_HI		0x1f0
#define MISC_REQ_ADDR_LO		0x1f4
#define MISC_RESP_ADDR_HI		0x1f8
#define MISC_RESP_ADDR_LO		0x1fc
#define MISC_DOORBELL			0x800

/* Device address of a misc-RAM word, for FWIO READ requests. */
#define V1_MISC_DEV_ADDR(off)		(V1_APB_BASE + V1_MISC_RAM_OFFSET + (off))

#define FW_STATUS_EAST_LINK		(1u << 0)
#define FW_STATUS_WEST_LINK		(1u << 1)
#define FW_STATUS_READY			(1u << 31)

#define MISC_RESET_DEVICE		1
#define MISC_RESET_TPB			2

/* MISC_TPB_RESET_MAP: one bit per NeuronCore to reset (R2.24, section 11). */
#define MISC_TPB_RESET_NC(nc)		(1u << (nc))
#define MISC_TPB_RESET_NC_MASK		((1u << V1_NC_PER_DEVICE) - 1)

/* Messages. */
#define FWIO_BUF_SIZE			0xffff
#define FWIO_REQ_HDR_SIZE		8
#define FWIO_RESP_HDR_SIZE		4
#define FWIO_CMD_READ			1
#define FWIO_CMD_POST			2
#define FWIO_STATUS_OK			0
#define FWIO_STATUS_FAILED		1
#define FWIO_STATUS_UNKNOWN_CMD		2
#define FWIO_READ_MAX			100	/* addresses per driver request */
#define FWIO_POST_MAX			128	/* bytes (later releases' limit) */

/* Request header byte offsets. */
#define FWIO_REQ_SEQ			0	/* u8, 1..255 */
#define FWIO_REQ_CMD			1	/* u8 */
#define FWIO_REQ_SIZE			2	/* u16, header included */
#define FWIO_REQ_CRC			4	/* u32, CRC-32C with this field 0 */
/* Response header byte offsets. */
#define FWIO_RESP_SEQ			0	/* u8, written last */
#define FWIO_RESP_STATUS		1	/* u8 */
#define FWIO_RESP_SIZE			2	/* u16, header included */

/* CRC-32C (Castagnoli), reflected. */
#define FWIO_CRC32C_POLY		0x82f63b78u
#define FWIO_CRC32C_INIT		0xffffffffu
#define FWIO_CRC32C_XOROUT		0xffffffffu

/* Timing (section 7.4, 11). */
#define FWIO_TIMEOUT_MS			1000	/* per try (R2.24) */
#define FWIO_TRIES			15
#define FW_READY_POLLS			5
#define FW_RESET_INITIAL_DELAY_MS	7000
#define FW_RESET_POLL_MS		500
#define FW_RESET_RETRIGGER_MS		30000
#define FW_RESET_GIVE_UP_MS		120000
#define FW_TPB_RESET_INITIAL_DELAY_MS	3000	/* R2.24 TPB reset */
#define FW_TPB_RESET_RETRIGGER_MS	10000

#endif /* NEURON_HW_V1_FWIO_REGS_H */
