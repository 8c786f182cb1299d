/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FWIO: the Inferentia v1 firmware mailbox, the only way to read registers.
 */
#ifndef NEURON_FWIO_H
#define NEURON_FWIO_H

#include <linux/mutex.h>
#include <linux/types.h>

struct neuron_device;
struct seq_file;

/**
 * struct neuron_fwio_stats - mailbox error statistics
 * @requests: requests sent (each try counts)
 * @retries: tries after a failed first one
 * @timeouts: tries that got no response in time
 * @bad_status: responses with a non-zero status
 * @bad_seq: responses carrying another request's sequence number
 * @bad_size: responses of an unexpected size
 * @failures: calls that failed after all tries
 */
struct neuron_fwio_stats {
	u64 requests;
	u64 retries;
	u64 timeouts;
	u64 bad_status;
	u64 bad_seq;
	u64 bad_size;
	u64 failures;
};

/**
 * struct neuron_fwio - mailbox state of one device
 * @lock: serialises requests: one request buffer, one response buffer
 * @req: request buffer (coherent DMA memory)
 * @resp: response buffer (coherent DMA memory)
 * @req_dma: DMA address of @req
 * @resp_dma: DMA address of @resp
 * @seq: sequence number of the last request, 1..255
 * @stats: error statistics, under @lock
 */
struct neuron_fwio {
	struct mutex lock;	/* one request in flight: the buffers are shared */
	u8 *req;
	u8 *resp;
	dma_addr_t req_dma;
	dma_addr_t resp_dma;
	u8 seq;
	struct neuron_fwio_stats stats;
};

int neuron_fwio_init(struct neuron_device *ndev);
int neuron_fwio_read(struct neuron_device *ndev, const u64 *addrs, u32 *vals,
		     unsigned int count);
int neuron_fwio_read32(struct neuron_device *ndev, u64 addr, u32 *val);
int neuron_fwio_read32_once(struct neuron_device *ndev, u64 addr, u32 *val,
			    unsigned int timeout_ms);
int neuron_fwio_post(struct neuron_device *ndev, const void *blob, size_t len);
void neuron_fwio_stats_get(struct neuron_device *ndev,
			   struct neuron_fwio_stats *stats);

#endif /* NEURON_FWIO_H */
