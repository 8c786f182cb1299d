// SPDX-License-Identifier: GPL-2.0-only
/*
 * FWIO: the Inferentia v1 firmware mailbox.
 *
 * v1 registers are never read with MMIO loads.  Reads are requests to the
 * device firmware instead: the host writes a request into a host buffer,
 * tells the firmware where the request and response buffers are (misc-RAM
 * 0x1f0..0x1fc), rings the doorbell (misc 0x800), and the firmware DMAs the
 * response back with its sequence byte written last.  The host polls that
 * byte in host memory, so a request costs no MMIO read either.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "neuron_compat.h"
#include "neuron_drv.h"
#include "neuron_fwio.h"
#include "neuron_hw.h"
#include "neuron_reset.h"
#include "v1/fwio_regs.h"

static unsigned int fwio_tries = 3;

/* Out-of-range values are refused (EINVAL), at load time and in sysfs. */
static int fwio_tries_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, FWIO_TRIES);
}

static const struct kernel_param_ops fwio_tries_ops = {
	.set = fwio_tries_set,
	.get = param_get_uint,
};

module_param_cb(fwio_tries, &fwio_tries_ops, &fwio_tries, 0644);
MODULE_PARM_DESC(fwio_tries,
		 "FWIO tries per request, each with a new sequence number (1.."
		 __stringify(FWIO_TRIES) ", default 3; the vendor driver makes "
		 __stringify(FWIO_TRIES) ")");

static unsigned int fwio_timeout_ms = FWIO_TIMEOUT_MS;
module_param(fwio_timeout_ms, uint, 0644);
MODULE_PARM_DESC(fwio_timeout_ms,
		 "FWIO response timeout per try in ms (default " __stringify(FWIO_TIMEOUT_MS) ")");

/*
 * A response through a real device takes a few microseconds, through the
 * vfio-user model tens to hundreds: spin briefly, then sleep with an
 * exponential backoff capped at 1 ms (the vendor driver's poll period).
 */
#define FWIO_SPIN_US		20
#define FWIO_SLEEP_MIN_US	10
#define FWIO_SLEEP_MAX_US	1000

/* The largest request the driver sends: FWIO_READ_MAX addresses. */
#define FWIO_READ_REQ_MAX	(FWIO_REQ_HDR_SIZE + FWIO_READ_MAX * sizeof(u64))

/**
 * neuron_fwio_init() - allocate the mailbox buffers of a device
 * @ndev: the device, with its DMA mask already set
 *
 * The buffers are coherent DMA memory (the firmware reads and writes them
 * while the CPU polls), device-managed, so they live until the driver
 * unbinds.  They are as large as the firmware's 16-bit size field allows.
 *
 * Return: 0 or -ENOMEM.
 */
int neuron_fwio_init(struct neuron_device *ndev)
{
	struct neuron_fwio *fw = &ndev->fwio;
	struct device *dev = &ndev->pdev->dev;
	int ret;

	BUILD_BUG_ON(FWIO_READ_REQ_MAX > FWIO_BUF_SIZE);
	ret = drmm_mutex_init(&ndev->drm, &fw->lock);
	if (ret)
		return ret;
	fw->req = dmam_alloc_coherent(dev, FWIO_BUF_SIZE, &fw->req_dma, GFP_KERNEL);
	fw->resp = dmam_alloc_coherent(dev, FWIO_BUF_SIZE, &fw->resp_dma, GFP_KERNEL);
	if (!fw->req || !fw->resp)
		return -ENOMEM;
	return 0;
}

/* Wait for the response to @seq: 0, -EPROTO (another sequence) or -ETIMEDOUT. */
static int fwio_wait(struct neuron_fwio *fw, u8 seq, unsigned int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);
	unsigned int delay_us = FWIO_SLEEP_MIN_US;
	unsigned int spun_us = 0;
	bool timed_out;
	u8 got;

	for (;;) {
		/* Sample the clock first so that a late response still counts. */
		timed_out = time_after(jiffies, deadline);
		got = READ_ONCE(fw->resp[FWIO_RESP_SEQ]);
		if (got)
			return got == seq ? 0 : -EPROTO;
		if (timed_out)
			return -ETIMEDOUT;
		if (spun_us < FWIO_SPIN_US) {
			udelay(1);
			spun_us++;
			continue;
		}
		usleep_range(delay_us, 2 * delay_us);
		delay_us = min(2 * delay_us, FWIO_SLEEP_MAX_US);
	}
}

/*
 * One try of the request whose payload (@plen bytes) is already in the
 * request buffer.  The response payload must be @out_min..@out_max bytes;
 * it is left in the response buffer.  Returns its length or an error, and
 * sets *@retry to false when trying again cannot help.
 */
static int fwio_try(struct neuron_device *ndev, u8 cmd, size_t plen,
		    size_t out_min, size_t out_max, unsigned int timeout_ms,
		    bool *retry)
{
	struct neuron_fwio *fw = &ndev->fwio;
	u64 req_addr = neuron_v1_host_dev_addr(fw->req_dma);
	u64 resp_addr = neuron_v1_host_dev_addr(fw->resp_dma);
	size_t size = FWIO_REQ_HDR_SIZE + plen;
	size_t rsize;
	u8 status;
	int ret;

	fw->seq = fw->seq % 255 + 1;	/* 1..255: 0 means "no response yet" */
	fw->req[FWIO_REQ_SEQ] = fw->seq;
	fw->req[FWIO_REQ_CMD] = cmd;
	put_unaligned_le16(size, fw->req + FWIO_REQ_SIZE);
	put_unaligned_le32(0, fw->req + FWIO_REQ_CRC);
	put_unaligned_le32(~crc32c(~0u, fw->req, size), fw->req + FWIO_REQ_CRC);
	WRITE_ONCE(fw->resp[FWIO_RESP_SEQ], 0);

	/*
	 * Rewritten for every request: a device reset clears misc RAM, and
	 * the firmware takes the addresses from here, not from a setup step.
	 */
	neuron_v1_misc_write(ndev, MISC_REQ_ADDR_HI, upper_32_bits(req_addr));
	neuron_v1_misc_write(ndev, MISC_REQ_ADDR_LO, lower_32_bits(req_addr));
	neuron_v1_misc_write(ndev, MISC_RESP_ADDR_HI, upper_32_bits(resp_addr));
	neuron_v1_misc_write(ndev, MISC_RESP_ADDR_LO, lower_32_bits(resp_addr));

	/* The request and the cleared sequence byte reach memory before the doorbell. */
	wmb();
	neuron_v1_misc_write(ndev, MISC_DOORBELL, 1);
	fw->stats.requests++;

	ret = fwio_wait(fw, fw->seq, timeout_ms);
	if (ret == -ETIMEDOUT) {
		fw->stats.timeouts++;
		return ret;
	}
	if (ret) {
		fw->stats.bad_seq++;
		return ret;
	}

	/* The sequence byte is written last: read the rest only after it. */
	dma_rmb();
	status = fw->resp[FWIO_RESP_STATUS];
	rsize = get_unaligned_le16(fw->resp + FWIO_RESP_SIZE);
	if (status != FWIO_STATUS_OK) {
		fw->stats.bad_status++;
		/* The firmware does not know the command: it never will. */
		if (status == FWIO_STATUS_UNKNOWN_CMD)
			*retry = false;
		return -EIO;
	}
	if (rsize < FWIO_RESP_HDR_SIZE + out_min ||
	    rsize > FWIO_RESP_HDR_SIZE + out_max) {
		fw->stats.bad_size++;
		return -EPROTO;
	}
	return rsize - FWIO_RESP_HDR_SIZE;
}

/* fwio_try() up to fwio_tries times, each with a new sequence number. */
static int fwio_request(struct neuron_device *ndev, u8 cmd, size_t plen,
			size_t out_min, size_t out_max)
{
	unsigned int tries = READ_ONCE(fwio_tries);
	struct neuron_fwio *fw = &ndev->fwio;
	bool retry = true;
	unsigned int i;
	int ret = 0;

	lockdep_assert_held(&fw->lock);
	for (i = 0; i < tries && retry; i++) {
		if (i)
			fw->stats.retries++;
		ret = fwio_try(ndev, cmd, plen, out_min, out_max,
			       READ_ONCE(fwio_timeout_ms), &retry);
		if (ret >= 0)
			return ret;
	}
	fw->stats.failures++;
	dev_warn_ratelimited(ndev->drm.dev, "FWIO command %u failed after %u tries: %pe\n",
			     cmd, i, ERR_PTR(ret));
	return ret;
}

static int fwio_read_chunk(struct neuron_device *ndev, const u64 *addrs,
			   u32 *vals, unsigned int count)
{
	struct neuron_fwio *fw = &ndev->fwio;
	unsigned int i;
	int ret;

	for (i = 0; i < count; i++)
		put_unaligned_le64(addrs[i],
				   fw->req + FWIO_REQ_HDR_SIZE + i * sizeof(u64));
	ret = fwio_request(ndev, FWIO_CMD_READ, count * sizeof(u64),
			   count * sizeof(u32), count * sizeof(u32));
	if (ret < 0)
		return ret;
	for (i = 0; i < count; i++)
		vals[i] = get_unaligned_le32(fw->resp + FWIO_RESP_HDR_SIZE +
					     i * sizeof(u32));
	return 0;
}

/* A mailbox transaction: device present, no reset running, channel held. */
struct fwio_section {
	int idx;
	bool reset_locked;
};

static int fwio_begin(struct neuron_device *ndev, struct fwio_section *sec)
{
	int ret;

	if (!drm_dev_enter(&ndev->drm, &sec->idx))
		return -ENODEV;
	ret = neuron_reset_read_lock(ndev, &sec->reset_locked);
	if (ret)
		goto out_exit;
	ret = mutex_lock_interruptible(&ndev->fwio.lock);
	if (ret)
		goto out_unlock;
	return 0;

out_unlock:
	neuron_reset_read_unlock(ndev, sec->reset_locked);
out_exit:
	drm_dev_exit(sec->idx);
	return ret;
}

static void fwio_end(struct neuron_device *ndev, struct fwio_section *sec)
{
	mutex_unlock(&ndev->fwio.lock);
	neuron_reset_read_unlock(ndev, sec->reset_locked);
	drm_dev_exit(sec->idx);
}

/**
 * neuron_fwio_read() - read 32-bit words of the device address space
 * @ndev: the device
 * @addrs: device addresses (the v1 address map: registers, DRAM, the
 *	   neighbours' spaces through V1_EAST_PREFIX / V1_WEST_PREFIX)
 * @vals: the values read, in the order of @addrs
 * @count: number of addresses; more than FWIO_READ_MAX go in several requests
 *
 * Sleeps; serialised with the device's other mailbox users.
 *
 * Waits while a device reset runs (neuron_reset.c).
 *
 * Return: 0; -ENODEV if the device is gone; -ETIMEDOUT if the firmware did
 * not answer; -EIO if it answered with an error status or the last device
 * reset failed; -EPROTO if it answered another request or with a wrong
 * size; -EINTR if interrupted while waiting for the mailbox or a reset.
 * @vals is undefined on error.
 */
int neuron_fwio_read(struct neuron_device *ndev, const u64 *addrs, u32 *vals,
		     unsigned int count)
{
	struct fwio_section sec;
	unsigned int done, n;
	int ret;

	ret = fwio_begin(ndev, &sec);
	if (ret)
		return ret;
	for (done = 0; done < count; done += n) {
		n = min(count - done, (unsigned int)FWIO_READ_MAX);
		ret = fwio_read_chunk(ndev, addrs + done, vals + done, n);
		if (ret)
			break;
	}
	fwio_end(ndev, &sec);
	return ret;
}

/**
 * neuron_fwio_read32() - read one 32-bit word of the device address space
 * @ndev: the device
 * @addr: device address
 * @val: the value read
 *
 * Return: as neuron_fwio_read().
 */
int neuron_fwio_read32(struct neuron_device *ndev, u64 addr, u32 *val)
{
	return neuron_fwio_read(ndev, &addr, val, 1);
}

/**
 * neuron_fwio_post() - hand a metrics blob to the firmware
 * @ndev: the device
 * @blob: the bytes (vendor format: {u8 id, u8 len, data[len]} records)
 * @len: 1..FWIO_POST_MAX bytes
 *
 * Writes the blob into the misc-RAM staging area (0x100..) first, then
 * sends it as a POST request, as the firmware expects both.
 *
 * Return: 0, -EINVAL for a bad @len, or an error as neuron_fwio_read().
 */
int neuron_fwio_post(struct neuron_device *ndev, const void *blob, size_t len)
{
	struct fwio_section sec;
	int ret;

	BUILD_BUG_ON(FWIO_POST_MAX > MISC_METRICS_SIZE);
	if (!len || len > FWIO_POST_MAX)
		return -EINVAL;
	ret = fwio_begin(ndev, &sec);
	if (ret)
		return ret;
	neuron_v1_misc_write_blob(ndev, MISC_METRICS, blob, len);
	memcpy(ndev->fwio.req + FWIO_REQ_HDR_SIZE, blob, len);
	ret = fwio_request(ndev, FWIO_CMD_POST, len, 0, len);
	fwio_end(ndev, &sec);
	return ret > 0 ? 0 : ret;
}

/**
 * neuron_fwio_read32_once() - one try of a one-word read, for the reset path
 * @ndev: the device
 * @addr: device address
 * @val: the value read
 * @timeout_ms: how long to wait for the response
 *
 * A firmware that is resetting does not answer at all, so the reset
 * handshake polls with single tries and its own (short) timeout instead
 * of the retries of neuron_fwio_read().  The caller holds the reset lock
 * for writing.
 *
 * Return: 0, -ENODEV, -ETIMEDOUT, -EIO or -EPROTO.
 */
int neuron_fwio_read32_once(struct neuron_device *ndev, u64 addr, u32 *val,
			    unsigned int timeout_ms)
{
	struct neuron_fwio *fw = &ndev->fwio;
	bool retry = true;
	int idx, ret;

	lockdep_assert_held_write(&ndev->reset.lock);
	if (!drm_dev_enter(&ndev->drm, &idx))
		return -ENODEV;
	mutex_lock(&fw->lock);
	put_unaligned_le64(addr, fw->req + FWIO_REQ_HDR_SIZE);
	ret = fwio_try(ndev, FWIO_CMD_READ, sizeof(u64), sizeof(u32),
		       sizeof(u32), timeout_ms, &retry);
	if (ret >= 0) {
		*val = get_unaligned_le32(fw->resp + FWIO_RESP_HDR_SIZE);
		ret = 0;
	}
	mutex_unlock(&fw->lock);
	drm_dev_exit(idx);
	return ret;
}

/**
 * neuron_fwio_stats_get() - snapshot of the mailbox statistics
 * @ndev: the device
 * @stats: filled in
 */
void neuron_fwio_stats_get(struct neuron_device *ndev,
			   struct neuron_fwio_stats *stats)
{
	mutex_lock(&ndev->fwio.lock);
	*stats = ndev->fwio.stats;
	mutex_unlock(&ndev->fwio.lock);
}
