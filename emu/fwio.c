// SPDX-License-Identifier: MIT
/*
 * Firmware model behind the misc RAM (facts sections 7, 9, 11).
 *
 * A doorbell write either starts a reset (misc 0x1ec non-zero, which the
 * firmware must check first because the host rings the same doorbell for
 * both, section 7.5: 2 = TPB reset of the NeuronCores in the bitmap at misc
 * 0x1d8, any other non-zero value = device reset) or serves one mailbox
 * request: DMA-read the request
 * from the address in 0x1f0/0x1f4, check it, execute it, DMA-write the
 * response to 0x1f8/0x1fc with the sequence byte last, because the host
 * polls that byte as the completion flag.
 */
#include "../hw/v1/fwio_regs.h"
#include "../hw/model/msix.h"
#include "crc32c.h"
#include "device.h"
#include "dma_space.h"
#include "util.h"

#define MISC(off)	(V1_MISC_RAM_OFFSET + (off))

static uint64_t misc_addr(struct nemu_dev *d, unsigned hi, unsigned lo)
{
	return (uint64_t)reg_get(d, MISC(hi)) << 32 | reg_get(d, MISC(lo));
}

uint32_t fwio_read(struct nemu_dev *d, uint64_t off)
{
	uint32_t v;

	if (off == MISC_FW_STATUS) {
		v = d->fw.resetting ? 0 : FW_STATUS_READY;
		if (d->east >= 0)
			v |= FW_STATUS_EAST_LINK;
		if (d->west >= 0)
			v |= FW_STATUS_WEST_LINK;
		return v;
	}
	return reg_get(d, MISC(off));
}

static void start_reset(struct nemu_dev *d, uint32_t kind)
{
	unsigned ms;

	if (kind == MISC_RESET_TPB) {
		/*
		 * The map is read once, when the doorbell rings.  Bits above
		 * the four NeuronCores are ignored (model assumption: R2.24
		 * names no other v1 blocks).  An empty map (what R2.24 sends
		 * on v1) resets nothing but completes the handshake.
		 */
		d->fw.tpb_map = reg_get(d, MISC(MISC_TPB_RESET_MAP)) & MISC_TPB_RESET_NC_MASK;
		d->ctr.tpb_resets++;
		dev_tpb_reset(d, d->fw.tpb_map);
		d->nc.held = d->fw.tpb_map;
		ms = d->opt.tpb_reset_ms;
	} else {
		kind = MISC_RESET_DEVICE;
		d->ctr.resets++;
		dev_fw_reset(d);
		ms = d->opt.reset_ms;
	}
	d->fw.reset_kind = kind;
	d->fw.resetting = true;
	d->fw.reset_done_ms = nemu_now_ms() + ms;
	nemu_log("dev%u: firmware %s reset (map 0x%x) for %u ms", d->index,
		 kind == MISC_RESET_TPB ? "TPB" : "device", d->fw.tpb_map, ms);
	if (!ms)
		fwio_tick(d, d->fw.reset_done_ms);
}

void fwio_tick(struct nemu_dev *d, uint64_t now_ms)
{
	if (!d->fw.resetting || now_ms < d->fw.reset_done_ms)
		return;
	d->fw.resetting = false;
	if (d->fw.reset_kind == MISC_RESET_TPB)
		d->nc.held = 0;		/* the cores come out of reset */
	d->fw.tpb_map = 0;
	reg_set(d, MISC(MISC_RESET), 0);
	nemu_log("dev%u: firmware reset done", d->index);
	dev_irq(d, NEURON_MSIX_VEC_FWIO);
}

uint64_t fwio_deadline(const struct nemu_dev *d)
{
	return d->fw.resetting ? d->fw.reset_done_ms : UINT64_MAX;
}

void fwio_power_on(struct nemu_dev *d)
{
	memset(&d->fw, 0, sizeof(d->fw));
}


static size_t do_read(struct nemu_dev *d, const uint8_t *payload, size_t len, uint8_t *status)
{
	size_t n = len / 8;

	if (len % 8) {
		*status = FWIO_STATUS_FAILED;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t v;

		if (dspace_read(d, ld64(payload + 8 * i), &v, 4) < 0) {
			nemu_log("dev%u: FWIO READ of bad address 0x%llx", d->index,
				 (unsigned long long)ld64(payload + 8 * i));
			*status = FWIO_STATUS_FAILED;
			return 0;
		}
		st32(d->fw.resp + FWIO_RESP_HDR_SIZE + 4 * i, v);
	}
	return 4 * n;
}

static size_t do_post(struct nemu_dev *d, const uint8_t *payload, size_t len, uint8_t *status)
{
	if (len > FWIO_POST_MAX) {
		*status = FWIO_STATUS_FAILED;
		return 0;
	}
	memcpy(d->fw.post, payload, len);
	d->fw.post_len = (uint32_t)len;
	d->fw.posts++;
	return 0;
}

static void serve_request(struct nemu_dev *d)
{
	uint64_t req_addr = misc_addr(d, MISC_REQ_ADDR_HI, MISC_REQ_ADDR_LO);
	uint64_t resp_addr = misc_addr(d, MISC_RESP_ADDR_HI, MISC_RESP_ADDR_LO);
	uint8_t status = FWIO_STATUS_OK, seq;
	size_t size, out = 0;
	bool injected = false;

	/*
	 * fwio_errors counts what is wrong with the host's requests (or its
	 * addresses); injected faults are the test's doing and not counted,
	 * so "no errors" stays a check of the driver.
	 */
	d->ctr.fwio_requests++;
	if (d->faults.fwio_drop) {
		d->faults.fwio_drop--;
		nemu_log("dev%u: FWIO request dropped (fault)", d->index);
		return;
	}
	/* Without a readable header there is no sequence number to answer. */
	if (dspace_read(d, req_addr, d->fw.req, FWIO_REQ_HDR_SIZE) < 0) {
		d->ctr.fwio_errors++;
		nemu_log("dev%u: FWIO request at 0x%llx unreadable", d->index,
			 (unsigned long long)req_addr);
		return;
	}
	seq = d->fw.req[FWIO_REQ_SEQ];
	size = ld16(d->fw.req + FWIO_REQ_SIZE);
	if (size < FWIO_REQ_HDR_SIZE) {
		status = FWIO_STATUS_FAILED;
	} else if (dspace_read(d, req_addr, d->fw.req, size) < 0) {
		d->ctr.fwio_errors++;
		return;
	} else {
		uint32_t crc = ld32(d->fw.req + FWIO_REQ_CRC);

		st32(d->fw.req + FWIO_REQ_CRC, 0);
		if (crc32c(d->fw.req, size) != crc) {
			status = FWIO_STATUS_FAILED;
		} else if (d->faults.fwio_bad_crc) {
			/* Injected: answer as if the request had arrived corrupted. */
			d->faults.fwio_bad_crc--;
			status = FWIO_STATUS_FAILED;
			injected = true;
		} else if (d->fw.req[FWIO_REQ_CMD] == FWIO_CMD_READ) {
			out = do_read(d, d->fw.req + FWIO_REQ_HDR_SIZE, size - FWIO_REQ_HDR_SIZE, &status);
		} else if (d->fw.req[FWIO_REQ_CMD] == FWIO_CMD_POST) {
			out = do_post(d, d->fw.req + FWIO_REQ_HDR_SIZE, size - FWIO_REQ_HDR_SIZE, &status);
		} else {
			status = FWIO_STATUS_UNKNOWN_CMD;
		}
	}
	if (status != FWIO_STATUS_OK)
		out = 0;
	d->fw.resp[FWIO_RESP_STATUS] = status;
	st16(d->fw.resp + FWIO_RESP_SIZE, (uint16_t)(FWIO_RESP_HDR_SIZE + out));
	if (d->faults.fwio_bad_size && status == FWIO_STATUS_OK) {
		/* Injected: the size field claims a word the response lacks. */
		d->faults.fwio_bad_size--;
		st16(d->fw.resp + FWIO_RESP_SIZE, (uint16_t)(FWIO_RESP_HDR_SIZE + out + 4));
	}
	if (d->faults.fwio_bad_seq) {
		d->faults.fwio_bad_seq--;
		seq = (uint8_t)(seq % 255 + 1);		/* next valid one: never matches */
	}
	d->fw.resp[FWIO_RESP_SEQ] = seq;
	/* Everything but the sequence byte first, then the sequence byte. */
	if (dspace_write(d, resp_addr + 1, d->fw.resp + 1, FWIO_RESP_HDR_SIZE - 1 + out) < 0 ||
	    dspace_write(d, resp_addr, d->fw.resp, 1) < 0) {
		d->ctr.fwio_errors++;
		nemu_log("dev%u: FWIO response to 0x%llx unwritable", d->index,
			 (unsigned long long)resp_addr);
		return;
	}
	if (status != FWIO_STATUS_OK && !injected)
		d->ctr.fwio_errors++;
	nemu_log("dev%u: FWIO seq %u cmd %u size %zu -> status %u", d->index,
		 seq, d->fw.req[FWIO_REQ_CMD], size, status);
	dev_irq(d, NEURON_MSIX_VEC_FWIO);
}

static void doorbell(struct nemu_dev *d)
{
	if (d->fw.resetting || d->fw.busy) {
		/* A resetting firmware does not answer; the host times out. */
		d->ctr.fwio_errors++;
		return;
	}
	d->fw.busy = true;
	if (reg_get(d, MISC(MISC_RESET)))
		start_reset(d, reg_get(d, MISC(MISC_RESET)));
	else
		serve_request(d);
	d->fw.busy = false;
}

void fwio_write(struct nemu_dev *d, uint64_t off, uint32_t val)
{
	switch (off) {
	case MISC_FW_STATUS:
		return;			/* written by the firmware only */
	case MISC_DOORBELL:
		if (val)
			doorbell(d);
		return;
	default:
		reg_set(d, MISC(off), val);
	}
}
