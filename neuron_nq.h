/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Notification queues: rings the NeuronCores write entries into.
 */
#ifndef NEURON_NQ_H
#define NEURON_NQ_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "v1/address_map.h"
#include "v1/putils_regs.h"

struct drm_device;
struct drm_file;
struct neuron_device;
struct neuron_nq;
struct seq_file;

/**
 * struct neuron_nqs - a device's notification queues
 * @ndev: the device
 * @mutex: serialises creation, release and re-programming
 * @lock: protects @q against the interrupt handler's scans (IRQ-safe)
 * @q: open queues by NeuronCore, type and instance
 * @irq: Linux IRQ of each NeuronCore's notification vector, 0 without MSI-X
 * @active: open queues; the polling work runs while there are any
 * @poll: scans every queue each millisecond without MSI-X
 * @err: the driver's ERROR queue of each NeuronCore (also in @q)
 * @err_seen: ERROR entries already reported to the completion path (@lock)
 * @err_views: clients' open views of each ERROR queue
 */
struct neuron_nqs {
	struct neuron_device *ndev;
	struct mutex mutex; /* see @mutex above */
	spinlock_t lock; /* see @lock above */
	struct neuron_nq *q[V1_NC_PER_DEVICE][NQ_TYPES][NQ_INSTANCES];
	int irq[V1_NC_PER_DEVICE];
	atomic_t active;
	struct delayed_work poll;
	struct neuron_nq *err[V1_NC_PER_DEVICE];
	u64 err_seen[V1_NC_PER_DEVICE];
	atomic_t err_views[V1_NC_PER_DEVICE];
};

int neuron_nq_init(struct neuron_device *ndev);
void neuron_nq_resume(struct neuron_device *ndev, u32 nc_mask);
void neuron_nq_remove(struct neuron_device *ndev);
bool neuron_nq_error_seen(struct neuron_device *ndev, int nc);
void neuron_nq_show(struct neuron_device *ndev, struct seq_file *m);
int neuron_ioctl_nq_create(struct drm_device *drm, void *data,
			   struct drm_file *file);

#endif /* NEURON_NQ_H */
