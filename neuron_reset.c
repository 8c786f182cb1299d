// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device and NeuronCore resets through the firmware handshake.
 *
 * The host writes 1 to the reset register (misc 0x1ec) and rings the
 * mailbox doorbell (misc 0x800); the firmware clears device DRAM, the DMA
 * engines and the device id word (misc 0x24), stays silent meanwhile, and
 * writes 0x1ec back to 0 when done.  The driver then waits for the ready
 * bit of the status word, writes its device index again for the
 * neighbours, and reads the topology afresh.
 *
 * A NeuronCore-only ("TPB") reset is the same handshake with 2 in the
 * reset register and a bitmap of cores in misc 0x1d8: the firmware resets
 * those cores (their memory and state, their three DMA engines and their
 * notification queues) and leaves the rest of the device running.
 *
 * Timings follow the vendor driver (R2.24): first look after 7 s, then
 * every 500 ms, trigger again every 30 s, give up after 120 s, then at most
 * five polls of the ready bit.  The QEMU model (PCI revision 0xff) resets
 * in a fraction of a second, so on it the first look comes after 10 ms and
 * the polls every 50 ms unless the parameters say otherwise.  A TPB reset
 * is first looked at after 3 s and triggered again every 10 s (R2.24).
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "neuron_cores.h"
#include "neuron_drv.h"
#include "neuron_hwq.h"
#include "neuron_fwio.h"
#include "neuron_nq.h"
#include "neuron_hw.h"
#include "neuron_reset.h"
#include "neuron_topology.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/fwio_regs.h"

/* -1: the default of the device kind (hardware or QEMU model). */
static int reset_initial_delay_ms = -1;
module_param(reset_initial_delay_ms, int, 0644);
MODULE_PARM_DESC(reset_initial_delay_ms,
		 "Wait before the first reset-done poll, ms (-1: "
		 __stringify(FW_RESET_INITIAL_DELAY_MS) ", or 10 on the QEMU model)");

static int reset_poll_ms = -1;
module_param(reset_poll_ms, int, 0644);
MODULE_PARM_DESC(reset_poll_ms,
		 "Reset-done and ready poll interval, ms (-1: " __stringify(FW_RESET_POLL_MS)
		 ", or 50 on the QEMU model)");

static unsigned int reset_retrigger_ms = FW_RESET_RETRIGGER_MS;
module_param(reset_retrigger_ms, uint, 0644);
MODULE_PARM_DESC(reset_retrigger_ms,
		 "Trigger the reset again after this many ms without completion (default "
		 __stringify(FW_RESET_RETRIGGER_MS) ")");

static unsigned int reset_timeout_ms = FW_RESET_GIVE_UP_MS;
module_param(reset_timeout_ms, uint, 0644);
MODULE_PARM_DESC(reset_timeout_ms,
		 "Give a reset up after this many ms (default "
		 __stringify(FW_RESET_GIVE_UP_MS) ")");

#define QEMU_RESET_INITIAL_DELAY_MS	10
#define QEMU_RESET_POLL_MS		50

static bool neuron_is_qemu_model(struct neuron_device *ndev)
{
	return ndev->revision == V1_PCI_REVISION_QEMU;
}

static unsigned int neuron_reset_initial_delay(struct neuron_device *ndev)
{
	int v = READ_ONCE(reset_initial_delay_ms);

	if (v >= 0)
		return v;
	return neuron_is_qemu_model(ndev) ? QEMU_RESET_INITIAL_DELAY_MS :
					    FW_RESET_INITIAL_DELAY_MS;
}

static unsigned int neuron_reset_first_look(struct neuron_device *ndev, u32 kind)
{
	if (kind == MISC_RESET_TPB && READ_ONCE(reset_initial_delay_ms) < 0 &&
	    !neuron_is_qemu_model(ndev))
		return FW_TPB_RESET_INITIAL_DELAY_MS;
	return neuron_reset_initial_delay(ndev);
}

static unsigned int neuron_reset_poll(struct neuron_device *ndev)
{
	int v = READ_ONCE(reset_poll_ms);

	if (v > 0)
		return v;
	return neuron_is_qemu_model(ndev) ? QEMU_RESET_POLL_MS : FW_RESET_POLL_MS;
}

/**
 * neuron_reset_init() - set up the reset state at probe
 * @ndev: the device, before its first mailbox request
 */
void neuron_reset_init(struct neuron_device *ndev)
{
	mutex_init(&ndev->reset.serial);
	init_rwsem(&ndev->reset.lock);
}

/**
 * neuron_reset_read_lock() - keep resets out while using the mailbox
 * @ndev: the device
 * @locked: set to whether the lock was taken (not inside the reset itself)
 *
 * Waits for a running reset to finish.  The reset's own mailbox requests
 * pass through: they run in the task that holds the lock for writing.
 *
 * Return: 0; -EINTR if a signal arrived while waiting; -EIO if the last
 * reset failed, so the firmware is not expected to answer.
 */
int neuron_reset_read_lock(struct neuron_device *ndev, bool *locked)
{
	struct neuron_reset *r = &ndev->reset;

	*locked = false;
	if (READ_ONCE(r->owner) == current)
		return 0;
	if (down_read_interruptible(&r->lock))
		return -EINTR;
	if (r->failed) {
		up_read(&r->lock);
		return -EIO;
	}
	*locked = true;
	return 0;
}

/**
 * neuron_reset_read_unlock() - end of a neuron_reset_read_lock() section
 * @ndev: the device
 * @locked: what neuron_reset_read_lock() returned in it
 */
void neuron_reset_read_unlock(struct neuron_device *ndev, bool locked)
{
	if (locked)
		up_read(&ndev->reset.lock);
}

/* A posted write to misc RAM, if the device is still there. */
static int neuron_reset_misc_write(struct neuron_device *ndev, u32 off, u32 val)
{
	int idx;

	if (!drm_dev_enter(&ndev->drm, &idx))
		return -ENODEV;
	neuron_v1_misc_write(ndev, off, val);
	drm_dev_exit(idx);
	return 0;
}

/* @kind: MISC_RESET_DEVICE, or MISC_RESET_TPB for the cores of @nc_mask. */
static int neuron_reset_trigger(struct neuron_device *ndev, u32 kind, u32 nc_mask)
{
	int ret;

	if (kind == MISC_RESET_TPB) {
		ret = neuron_reset_misc_write(ndev, MISC_TPB_RESET_MAP, nc_mask);
		if (ret)
			return ret;
	}
	ret = neuron_reset_misc_write(ndev, MISC_RESET, kind);
	if (ret)
		return ret;
	/* The firmware looks at 0x1ec when the doorbell rings: write it first. */
	wmb();
	return neuron_reset_misc_write(ndev, MISC_DOORBELL, 1);
}

/*
 * Trigger, then poll misc 0x1ec until the firmware has cleared it.  The
 * firmware does not answer while it resets, so each poll is one mailbox
 * try that may time out; that is expected and not an error.
 */
static int neuron_reset_handshake(struct neuron_device *ndev, u32 kind, u32 nc_mask)
{
	unsigned int poll = neuron_reset_poll(ndev);
	unsigned int retrigger = kind == MISC_RESET_TPB ? FW_TPB_RESET_RETRIGGER_MS :
				 READ_ONCE(reset_retrigger_ms);
	unsigned long start, triggered;
	u32 val;
	int ret;

	ret = neuron_reset_trigger(ndev, kind, nc_mask);
	if (ret)
		return ret;
	start = jiffies;
	triggered = start;
	msleep(neuron_reset_first_look(ndev, kind));

	for (;;) {
		ret = neuron_fwio_read32_once(ndev, V1_MISC_DEV_ADDR(MISC_RESET),
					      &val, poll);
		if (ret == -ENODEV)
			return ret;
		if (!ret && !val)
			return 0;
		if (time_after(jiffies, start + msecs_to_jiffies(READ_ONCE(reset_timeout_ms))))
			return -ETIMEDOUT;
		if (time_after(jiffies, triggered + msecs_to_jiffies(retrigger))) {
			drm_dbg_driver(&ndev->drm, "reset not done, triggering again\n");
			ret = neuron_reset_trigger(ndev, kind, nc_mask);
			if (ret)
				return ret;
			triggered = jiffies;
		}
		if (ret != -ETIMEDOUT)	/* a timed-out poll has waited already */
			msleep(poll);
	}
}

/* The ready bit of the status word, polled FW_READY_POLLS times. */
static int neuron_reset_wait_ready(struct neuron_device *ndev)
{
	unsigned int i;
	u32 status = 0;
	int ret = -ETIMEDOUT;

	for (i = 0; i < FW_READY_POLLS; i++) {
		if (i)
			msleep(neuron_reset_poll(ndev));
		ret = neuron_fwio_read32_once(ndev, V1_MISC_DEV_ADDR(MISC_FW_STATUS),
					      &status, FWIO_TIMEOUT_MS);
		if (ret == -ENODEV)
			return ret;
		if (!ret && (status & FW_STATUS_READY))
			return 0;
	}
	return ret ?: -ETIMEDOUT;
}

static int neuron_reset_locked(struct neuron_device *ndev)
{
	int ret;

	ret = neuron_reset_handshake(ndev, MISC_RESET_DEVICE, 0);
	if (ret)
		return ret;
	ret = neuron_reset_wait_ready(ndev);
	if (ret)
		return ret;
	/* The reset cleared the index the neighbours read. */
	ret = neuron_reset_misc_write(ndev, MISC_DEVICE_ID, ndev->index);
	if (ret)
		return ret;
	ret = neuron_topology_refresh(ndev, NULL);
	if (ret)
		return ret;
	/* The reset cleared the notification queue registers too. */
	neuron_nq_resume(ndev, MISC_TPB_RESET_NC_MASK);
	/*
	 * The reset also put the DMA engines back to their power-on state.
	 * Resume takes recovery_lock under the reset lock, the one order the
	 * two are ever taken in: the timeout and abort checks read the
	 * engines through the firmware (reset lock, for reading) before they
	 * take recovery_lock, never while they hold it.
	 */
	return neuron_engines_resume(ndev);
}

/**
 * neuron_reset_device() - reset the device and bring it back
 * @ndev: the device
 *
 * Serialised against other resets and against every mailbox user, which
 * waits meanwhile.  The driver's DMA queues are stopped in hardware and
 * every job on their rings completes with -EIO first; later jobs, and
 * queues created meanwhile, wait and run once the engines are back (after
 * a failed reset they stay queued until the device is reset successfully
 * or unbound).  Sends a KOBJ_CHANGE uevent on the PCI device with
 * NEURON_RESET=1 when the device is back, NEURON_RESET=0 when it is not.
 * Sleeps for up to reset_timeout_ms plus the ready polls.
 *
 * Return: 0; -EINTR if killed before the reset started; -ETIMEDOUT if the
 * firmware did not finish or did not become ready; -ENODEV if the device
 * is gone; another mailbox error of the topology read.
 */
int neuron_reset_device(struct neuron_device *ndev)
{
	struct neuron_reset *r = &ndev->reset;
	char *envp[2] = { "NEURON_RESET=1", NULL };
	int ret;

	if (mutex_lock_killable(&r->serial))
		return -EINTR;
	/*
	 * Before taking the lock: stopping the engines waits for their
	 * workers, which may be waiting to read registers themselves.
	 */
	neuron_engines_quiesce(ndev, -EIO);
	down_write(&r->lock);
	WRITE_ONCE(r->owner, current);
	drm_info(&ndev->drm, "resetting the device\n");

	ret = neuron_reset_locked(ndev);

	r->failed = ret && ret != -ENODEV;
	if (ret) {
		r->failures++;
		envp[0] = "NEURON_RESET=0";
		drm_err(&ndev->drm, "device reset failed: %pe\n", ERR_PTR(ret));
	} else {
		r->count++;
		drm_info(&ndev->drm, "device reset done\n");
	}
	WRITE_ONCE(r->owner, NULL);
	up_write(&r->lock);
	mutex_unlock(&r->serial);

	if (ret != -ENODEV)
		kobject_uevent_env(&ndev->pdev->dev.kobj, KOBJ_CHANGE, envp);
	return ret;
}

/**
 * neuron_reset_cores() - reset NeuronCores only, and bring them back
 * @ndev: the device
 * @nc_mask: the cores, bit n = NeuronCore n
 * @error: errno for the jobs that reach into the cores
 *
 * The cores' DMA queues are stopped and reset in hardware first.  Jobs on
 * their rings that reach into a reset core (its window or FIFO) fail with
 * @error; the others, plain DMA between BOs, run again from their start
 * once the engines are back, so other clients lose nothing.  Mailbox users
 * wait meanwhile, as for a device reset (the firmware does not answer
 * during either).  If the firmware does not finish, the whole device is
 * reset as the last resort.
 *
 * Return: 0; -EINTR if killed before the reset started; -ENODEV if the
 * device is gone; the device reset's error if that was needed and failed.
 */
int neuron_reset_cores(struct neuron_device *ndev, u32 nc_mask, int error)
{
	struct neuron_reset *r = &ndev->reset;
	int ret;

	if (mutex_lock_killable(&r->serial))
		return -EINTR;
	neuron_engines_quiesce_cores(ndev, nc_mask);
	down_write(&r->lock);
	WRITE_ONCE(r->owner, current);
	drm_info(&ndev->drm, "resetting NeuronCores %#x\n", nc_mask);
	ret = r->failed ? -EIO : neuron_reset_handshake(ndev, MISC_RESET_TPB, nc_mask);
	if (!ret)
		ret = neuron_reset_wait_ready(ndev);
	if (!ret) {
		r->core_count++;
		neuron_nq_resume(ndev, nc_mask);
	}
	WRITE_ONCE(r->owner, NULL);
	up_write(&r->lock);
	/* Back, or the device reset brings everything back. */
	if (!ret)
		ret = neuron_engines_resume_cores(ndev, nc_mask, error);
	mutex_unlock(&r->serial);
	if (!ret) {
		drm_info(&ndev->drm, "NeuronCore reset done\n");
		return 0;
	}
	if (ret == -ENODEV)
		return ret;
	drm_err(&ndev->drm, "NeuronCore reset failed (%pe): resetting the device\n",
		ERR_PTR(ret));
	return neuron_reset_device(ndev);
}

/**
 * neuron_ioctl_nc_reset() - DRM_IOCTL_NEURON_NC_RESET
 * @drm: the DRM device
 * @data: &struct drm_neuron_nc_reset
 * @file: the caller's file
 *
 * Return: 0 or a negative errno as the uapi documents.
 */
int neuron_ioctl_nc_reset(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct drm_neuron_nc_reset *args = data;
	int nc;

	if (args->flags || !args->nc_mask || args->nc_mask & ~MISC_TPB_RESET_NC_MASK)
		return -EINVAL;
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		if ((args->nc_mask & BIT(nc)) && !neuron_core_owned_by(ndev, file, nc) &&
		    !capable(CAP_SYS_ADMIN))
			return -EPERM;
	return neuron_reset_cores(ndev, args->nc_mask, -EIO);
}

/**
 * neuron_ioctl_reset() - DRM_IOCTL_NEURON_RESET
 * @drm: the DRM device
 * @data: &struct drm_neuron_reset
 * @file: the caller's file
 *
 * Return: 0 or a negative errno as the uapi documents.
 */
int neuron_ioctl_reset(struct drm_device *drm, void *data,
		       struct drm_file *file)
{
	struct drm_neuron_reset *args = data;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (args->flags || args->pad)
		return -EINVAL;
	return neuron_reset_device(to_neuron_device(drm));
}

static int reset_state_show(struct seq_file *m, void *unused)
{
	struct neuron_device *ndev = m->private;
	struct neuron_reset *r = &ndev->reset;

	down_read(&r->lock);
	seq_printf(m, "reset_count:\t%u\n", r->count);
	seq_printf(m, "reset_failures:\t%u\n", r->failures);
	seq_printf(m, "core_resets:\t%u\n", r->core_count);
	seq_printf(m, "failed:\t\t%d\n", r->failed);
	up_read(&r->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(reset_state);

/**
 * neuron_reset_debugfs_init() - debugfs file "reset_count"
 * @ndev: the device
 * @root: its debugfs directory
 */
void neuron_reset_debugfs_init(struct neuron_device *ndev, struct dentry *root)
{
	debugfs_create_file("reset_count", 0444, root, ndev, &reset_state_fops);
}
