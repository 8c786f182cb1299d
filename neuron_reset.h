/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whole-device reset through the firmware handshake, and the lock that
 * keeps mailbox users out while it runs.
 */
#ifndef NEURON_RESET_H
#define NEURON_RESET_H

#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>

struct dentry;
struct drm_device;
struct drm_file;
struct neuron_device;
struct task_struct;

/**
 * struct neuron_reset - reset state of one device
 * @serial: one reset at a time, from stopping the engines to restarting
 *	    them (outside @lock: see neuron_reset_device())
 * @lock: readers are the users of the firmware mailbox (ioctls, sysfs,
 *	  debugfs, submissions); the writer is a reset, which makes them
 *	  wait until the device is back
 * @owner: the task running a reset, so that its own mailbox requests do
 *	   not try to take @lock again (written under @lock held for writing)
 * @count: completed device resets, under @lock
 * @core_count: completed NeuronCore (TPB) resets, under @lock
 * @failures: resets that did not bring the device back, under @lock
 * @failed: the last reset failed: mailbox users get -EIO until a reset
 *	    succeeds, rather than waiting for a firmware that is gone
 *
 * The driver's lock order, outermost first (lockdep checks it on the debug
 * kernel; each lock's definition repeats its place):
 *
 * 1. @serial
 * 2. @lock (written by a reset, read around every mailbox request and by
 *    NQ_CREATE)
 * 3. &neuron_nqs.mutex, &neuron_engines.recovery_lock, &neuron_topology.lock
 *    (none taken under another of them); a queue's &neuron_queue.lock,
 *    then the BOs' reservation locks (taken together, ww)
 * 4. &neuron_fwio.lock (the mailbox channel, inside a transaction that
 *    holds @lock for reading): no firmware read may happen under
 *    recovery_lock or nqs->mutex, which a reset takes under @lock
 * 5. &neuron_dram.lock, &neuron_host_bos.lock, &neuron_fill.lock
 * 6. spinlocks last: &neuron_hwq.lock and &neuron_nqs.lock (IRQ-safe),
 *    the hardware fences' locks
 */
struct neuron_reset {
	struct mutex serial;	/* one reset at a time, engines included */
	struct rw_semaphore lock;
	struct task_struct *owner;
	u32 count;
	u32 core_count;
	u32 failures;
	bool failed;
};

void neuron_reset_init(struct neuron_device *ndev);
int neuron_reset_device(struct neuron_device *ndev);
int neuron_reset_cores(struct neuron_device *ndev, u32 nc_mask, int error);
int neuron_reset_read_lock(struct neuron_device *ndev, bool *locked);
void neuron_reset_read_unlock(struct neuron_device *ndev, bool locked);
void neuron_reset_debugfs_init(struct neuron_device *ndev, struct dentry *root);
int neuron_ioctl_reset(struct drm_device *drm, void *data,
		       struct drm_file *file);
int neuron_ioctl_nc_reset(struct drm_device *drm, void *data, struct drm_file *file);

#endif /* NEURON_RESET_H */
