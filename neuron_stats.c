// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver's own statistics post.
 *
 * The vendor driver posts a small blob to the firmware every 150 s (R2.24;
 * 300 s in R2.0), which the firmware forwards to the cloud's monitoring:
 * records of {u8 id, u8 len, data[len]}, id 1 carrying the version and
 * ids 200/201 status counters.  The facts do not say what those counters
 * hold; this driver sends its FWIO failure count (200) and its completed
 * device resets (201), each as a little-endian u32.
 *
 * The post is off by default (stats_post_period_ms=0): a periodic mailbox
 * request would disturb the request counts that tests check, and a host
 * that wants the vendor behaviour sets the period to 150000.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <drm/drm_drv.h>
#include <drm/drm_print.h>

#include "neuron_drv.h"
#include "neuron_fwio.h"
#include "neuron_stats.h"
#include "v1/fwio_regs.h"

static unsigned int stats_post_period_ms;
module_param(stats_post_period_ms, uint, 0644);
MODULE_PARM_DESC(stats_post_period_ms,
		 "Period of the driver's statistics post to the firmware, ms (0 = off, default; "
		 "the vendor driver uses 150000).  Taken at probe; 0 later stops the posts");

#define NEURON_STATS_ID_VERSION		1
#define NEURON_STATS_ID_FWIO_FAILURES	200
#define NEURON_STATS_ID_RESETS		201

/* Appends one record; returns the new length, or @len if it does not fit. */
static size_t stats_put(u8 *blob, size_t len, u8 id, const void *data, u8 n)
{
	if (len + 2 + n > FWIO_POST_MAX)
		return len;
	blob[len] = id;
	blob[len + 1] = n;
	memcpy(blob + len + 2, data, n);
	return len + 2 + n;
}

static size_t stats_build(struct neuron_device *ndev, u8 *blob)
{
	const struct drm_driver *drv = ndev->drm.driver;
	struct neuron_fwio_stats fw;
	char version[32];
	__le32 v;
	size_t len = 0;
	int n;

	n = scnprintf(version, sizeof(version), "%s %d.%d", drv->name,
		      drv->major, drv->minor);
	len = stats_put(blob, len, NEURON_STATS_ID_VERSION, version, n);

	neuron_fwio_stats_get(ndev, &fw);
	v = cpu_to_le32(lower_32_bits(fw.failures));
	len = stats_put(blob, len, NEURON_STATS_ID_FWIO_FAILURES, &v, sizeof(v));

	/* A snapshot: a reset running now is not counted yet. */
	v = cpu_to_le32(READ_ONCE(ndev->reset.count));
	len = stats_put(blob, len, NEURON_STATS_ID_RESETS, &v, sizeof(v));
	return len;
}

/**
 * neuron_stats_post_now() - post the driver's statistics blob once
 * @ndev: the device
 *
 * Return: 0 or an error of neuron_fwio_post().
 */
int neuron_stats_post_now(struct neuron_device *ndev)
{
	u8 blob[FWIO_POST_MAX];
	int ret;

	ret = neuron_fwio_post(ndev, blob, stats_build(ndev, blob));
	atomic_inc(ret ? &ndev->stats.failures : &ndev->stats.posts);
	return ret;
}

static void neuron_stats_work(struct work_struct *work)
{
	struct neuron_stats *st = container_of(to_delayed_work(work),
					       struct neuron_stats, work);
	struct neuron_device *ndev = container_of(st, struct neuron_device, stats);
	unsigned int period = READ_ONCE(stats_post_period_ms);
	int ret;

	if (!period)
		return;
	ret = neuron_stats_post_now(ndev);
	if (ret == -ENODEV)
		return;
	if (ret)
		drm_dbg_driver(&ndev->drm, "statistics post failed: %pe\n", ERR_PTR(ret));
	schedule_delayed_work(&st->work, msecs_to_jiffies(period));
}

static void neuron_stats_cancel(void *data)
{
	struct neuron_stats *st = data;

	cancel_delayed_work_sync(&st->work);
}

/**
 * neuron_stats_init() - start the periodic post, if enabled
 * @ndev: the device, with FWIO ready
 *
 * The work is cancelled when the driver unbinds (device-managed).
 *
 * Return: 0 or -ENOMEM.
 */
int neuron_stats_init(struct neuron_device *ndev)
{
	struct neuron_stats *st = &ndev->stats;
	unsigned int period = READ_ONCE(stats_post_period_ms);
	int ret;

	INIT_DELAYED_WORK(&st->work, neuron_stats_work);
	ret = devm_add_action_or_reset(&ndev->pdev->dev, neuron_stats_cancel, st);
	if (ret)
		return ret;
	if (period)
		schedule_delayed_work(&st->work, msecs_to_jiffies(period));
	return 0;
}

static int stats_post_show(struct seq_file *m, void *unused)
{
	struct neuron_device *ndev = m->private;

	seq_printf(m, "period_ms:\t%u\n", READ_ONCE(stats_post_period_ms));
	seq_printf(m, "posts:\t\t%d\n", atomic_read(&ndev->stats.posts));
	seq_printf(m, "failures:\t%d\n", atomic_read(&ndev->stats.failures));
	return 0;
}

static int stats_post_open(struct inode *inode, struct file *file)
{
	return single_open(file, stats_post_show, inode->i_private);
}

/* Any write posts the blob now (root only): lets tests check its content. */
static ssize_t stats_post_write(struct file *file, const char __user *buf,
				size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	int ret;

	ret = neuron_stats_post_now(m->private);
	return ret ?: count;
}

static const struct file_operations stats_post_fops = {
	.owner = THIS_MODULE,
	.open = stats_post_open,
	.read = seq_read,
	.write = stats_post_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * neuron_stats_debugfs_init() - debugfs file "stats_post"
 * @ndev: the device
 * @root: its debugfs directory
 */
void neuron_stats_debugfs_init(struct neuron_device *ndev, struct dentry *root)
{
	debugfs_create_file("stats_post", 0600, root, ndev, &stats_post_fops);
}
