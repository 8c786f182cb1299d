/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver's own periodic statistics post to the firmware.
 */
#ifndef NEURON_STATS_H
#define NEURON_STATS_H

#include <linux/types.h>
#include <linux/workqueue.h>

struct dentry;
struct neuron_device;

/**
 * struct neuron_stats - periodic statistics post of one device
 * @work: the periodic post
 * @posts: posts that succeeded
 * @failures: posts that failed
 */
struct neuron_stats {
	struct delayed_work work;
	atomic_t posts;
	atomic_t failures;
};

int neuron_stats_init(struct neuron_device *ndev);
int neuron_stats_post_now(struct neuron_device *ndev);
void neuron_stats_debugfs_init(struct neuron_device *ndev, struct dentry *root);

#endif /* NEURON_STATS_H */
