/* SPDX-License-Identifier: MIT */
/*
 * vfio-user server side of one device connection (QEMU's vfio-user-pci is
 * the client).  Wire format and QEMU 11.1 behaviour:
 * shared/design/vfio-user.md.
 */
#ifndef NEMU_VFIO_USER_H
#define NEMU_VFIO_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../hw/model/msix.h"

struct nemu_dev;

/* Commands (vfio-user.rst). */
#define VU_CMD_VERSION			1
#define VU_CMD_DMA_MAP			2
#define VU_CMD_DMA_UNMAP		3
#define VU_CMD_DEVICE_GET_INFO		4
#define VU_CMD_DEVICE_GET_REGION_INFO	5
#define VU_CMD_DEVICE_GET_IRQ_INFO	7
#define VU_CMD_DEVICE_SET_IRQS		8
#define VU_CMD_REGION_READ		9
#define VU_CMD_REGION_WRITE		10
#define VU_CMD_DMA_READ			11
#define VU_CMD_DMA_WRITE		12
#define VU_CMD_DEVICE_RESET		13
#define VU_CMD_REGION_WRITE_MULTI	15

#define VU_HDR_SIZE			16
#define VU_FLAG_TYPE_MASK		0xfu
#define VU_FLAG_REQUEST			0x0u
#define VU_FLAG_REPLY			0x1u
#define VU_FLAG_NO_REPLY		(1u << 4)
#define VU_FLAG_ERROR			(1u << 5)

#define VU_MAX_FDS			16
/* Largest REGION/DMA transfer we accept and issue (QEMU proposes 1 MiB). */
#define VU_MAX_XFER			(1u << 20)

/* linux/vfio.h values the protocol reuses. */
#define VU_DEV_FLAG_RESET		1u
#define VU_DEV_FLAG_PCI			2u
#define VU_REGION_FLAG_READ		1u
#define VU_REGION_FLAG_WRITE		2u
#define VU_REGION_FLAG_MMAP		4u
#define VU_IRQ_INFO_EVENTFD		1u
#define VU_IRQ_INFO_MASKABLE		2u
#define VU_IRQ_INFO_AUTOMASKED		4u
#define VU_IRQ_SET_DATA_NONE		1u
#define VU_IRQ_SET_DATA_BOOL		2u
#define VU_IRQ_SET_DATA_EVENTFD		4u
#define VU_IRQ_SET_ACTION_MASK		8u
#define VU_IRQ_SET_ACTION_UNMASK	16u
#define VU_IRQ_SET_ACTION_TRIGGER	32u
#define VU_IRQ_INTX			0
#define VU_IRQ_MSI			1
#define VU_IRQ_MSIX			2
#define VU_IRQ_ERR			3
#define VU_IRQ_REQ			4
#define VU_NUM_IRQS			5
#define VU_DMA_FLAG_READ		1u
#define VU_DMA_FLAG_WRITE		2u
#define VU_DMA_UNMAP_ALL		2u

struct vu_map {
	uint64_t iova, size;
	uint8_t *ptr;		/* NULL: no fd, reach it with DMA_READ/WRITE */
	uint32_t prot;		/* VU_DMA_FLAG_* */
};

struct vu_msg {
	uint8_t *buf;		/* whole message, header included */
	size_t len;
	int fds[VU_MAX_FDS];
	int nfds;
	struct vu_msg *next;
};

struct vu_conn {
	int fd;
	struct nemu_dev *dev;
	struct vu_map *maps;
	size_t nmaps, cap;
	uint16_t next_id;
	/* Requests that arrived while we waited for a DMA reply. */
	struct vu_msg *pending, *pending_tail;
	int msix_fd[NEURON_MSIX_VECTORS];
	int err_fd, req_fd;
	bool broken;		/* EOF or protocol error: the connection is over */
	uint64_t dma_msgs;	/* DMA_READ/WRITE messages sent */
};

/* Take over socket fd for device d (plugs d->bus). */
void vu_conn_init(struct vu_conn *c, int fd, struct nemu_dev *d);
/* Serve one incoming message (plus any queued behind it); -1 when over. */
int vu_conn_handle(struct vu_conn *c);
/*
 * Serve requests queued while this connection waited for a DMA reply.  The
 * wait can happen on behalf of another device (a packet on device A rings a
 * doorbell of neighbour B, whose descriptors live in B's guest memory), so
 * the poll loop drains every connection after each event.
 */
int vu_conn_drain(struct vu_conn *c);
/* Unmap guest memory, close fds and the socket, unplug d->bus. */
void vu_conn_fini(struct vu_conn *c);

#endif /* NEMU_VFIO_USER_H */
