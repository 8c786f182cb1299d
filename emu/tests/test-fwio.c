// SPDX-License-Identifier: MIT
/* The FWIO mailbox model, driven the way the driver drives it (facts 7, 9, 11). */
#include <string.h>

#include "../../hw/v1/fwio_regs.h"
#include "../../hw/v1/udma_regs.h"
#include "../crc32c.h"
#include "../dma_space.h"
#include "../util.h"
#include "fixture.h"
#include "harness.h"

static struct fixture f;
#define MISC(off) (V1_MISC_RAM_OFFSET + (off))

static void read_device_id(void)
{
	struct nemu_dev *d;
	uint32_t v = 0;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	fx_w32(d, MISC(MISC_DEVICE_ID), 5);
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), FWIO_STATUS_OK);
	CHECK_EQ(v, 5);
	CHECK_EQ(d->ctr.fwio_requests, 1);
	CHECK_EQ(d->ctr.fwio_errors, 0);
	/* The response interrupt on the firmware vector. */
	CHECK_EQ(f.irqs[0][NEURON_MSIX_VEC_FWIO], 1);
	fx_fini(&f);
}

static void read_many(void)
{
	struct nemu_dev *d;
	uint8_t a[8 * 4], out[16], status = 0xff;
	uint32_t pattern = 0xcafef00d, seven = 7;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	CHECK_EQ(dspace_write(d, V1_DRAM_CH1_BASE + 0x40, &pattern, 4), 0);
	/* Semaphore 1 of NC 3 set by an MMIO write to its SET view. */
	dev_region_write(d, NEMU_REGION_BAR2, V1_NC_WINDOW_OFFSET(3) + V1_NC_SEM_SET + 4, &seven, 4);
	st64(a, V1_MISC_DEV_ADDR(MISC_FW_STATUS));
	st64(a + 8, V1_DRAM_CH1_BASE + 0x40);
	st64(a + 16, V1_APB_BASE + V1_UDMA_OFFSET(1, 2) + UDMA_M2S_DMA_VERSION);
	st64(a + 24, V1_TPB_BASE + V1_NC_WINDOW_OFFSET(3) + V1_NC_SEM_READ + 4);
	CHECK_EQ(fx_fwio(&f, d, 9, FWIO_CMD_READ, a, sizeof(a), 0, &status, out), 4 + 16);
	CHECK_EQ(status, FWIO_STATUS_OK);
	/* A lone device: ready, no links. */
	CHECK_EQ(ld32(out), FW_STATUS_READY);
	CHECK_EQ(ld32(out + 4), pattern);
	CHECK_EQ(ld32(out + 8), UDMA_VERSION_V4);
	CHECK_EQ(ld32(out + 12), 7);
	fx_fini(&f);
}

static void read_bad_address(void)
{
	struct nemu_dev *d;
	uint32_t v;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	/* Between DRAM channel 0 and channel 1: nothing there. */
	CHECK_EQ(fx_fwio_read(&f, d, 0x200000000ULL, &v), FWIO_STATUS_FAILED);
	/* Above the 48-bit space. */
	CHECK_EQ(fx_fwio_read(&f, d, 1ULL << 50, &v), FWIO_STATUS_FAILED);
	/* A lone device has no east neighbour. */
	CHECK_EQ(fx_fwio_read(&f, d, V1_EAST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v),
		 FWIO_STATUS_FAILED);
	CHECK_EQ(d->ctr.fwio_requests, 3);
	CHECK_EQ(d->ctr.fwio_errors, 3);
	/* A failed response carries no payload. */
	CHECK_EQ(ld16(f.host + FX_RESP_GPA + FWIO_RESP_SIZE), FWIO_RESP_HDR_SIZE);
	fx_fini(&f);
}

static void post(void)
{
	struct nemu_dev *d;
	uint8_t blob[FWIO_POST_MAX + 1], status = 0xff;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	for (unsigned i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)(i * 3);
	CHECK_EQ(fx_fwio(&f, d, 1, FWIO_CMD_POST, blob, 16, 0, &status, NULL), FWIO_RESP_HDR_SIZE);
	CHECK_EQ(status, FWIO_STATUS_OK);
	CHECK_EQ(d->fw.post_len, 16);
	CHECK(!memcmp(d->fw.post, blob, 16));
	CHECK_EQ(fx_fwio(&f, d, 2, FWIO_CMD_POST, blob, FWIO_POST_MAX, 0, &status, NULL),
		 FWIO_RESP_HDR_SIZE);
	CHECK_EQ(status, FWIO_STATUS_OK);
	/* More than 128 bytes: refused. */
	CHECK_EQ(fx_fwio(&f, d, 3, FWIO_CMD_POST, blob, sizeof(blob), 0, &status, NULL),
		 FWIO_RESP_HDR_SIZE);
	CHECK_EQ(status, FWIO_STATUS_FAILED);
	CHECK_EQ(d->fw.posts, 2);
	fx_fini(&f);
}

static void unknown_command(void)
{
	uint8_t status = 0xff;

	fx_init(&f, 1, TOPO_NONE);
	CHECK_EQ(fx_fwio(&f, f.w.dev[0], 4, 9, NULL, 0, 0, &status, NULL), FWIO_RESP_HDR_SIZE);
	CHECK_EQ(status, FWIO_STATUS_UNKNOWN_CMD);
	fx_fini(&f);
}

static void bad_crc(void)
{
	uint8_t a[8], status = 0xff;

	fx_init(&f, 1, TOPO_NONE);
	st64(a, V1_MISC_DEV_ADDR(MISC_DEVICE_ID));
	CHECK_EQ(fx_fwio(&f, f.w.dev[0], 5, FWIO_CMD_READ, a, 8, 1, &status, NULL),
		 FWIO_RESP_HDR_SIZE);
	CHECK_EQ(status, FWIO_STATUS_FAILED);
	CHECK_EQ(f.w.dev[0]->ctr.fwio_errors, 1);
	fx_fini(&f);
}

static void bad_size(void)
{
	struct nemu_dev *d;
	uint8_t a[12] = { 0 }, *req, *resp, status = 0xff;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	/* READ payload that is not a whole number of addresses. */
	CHECK_EQ(fx_fwio(&f, d, 6, FWIO_CMD_READ, a, sizeof(a), 0, &status, NULL),
		 FWIO_RESP_HDR_SIZE);
	CHECK_EQ(status, FWIO_STATUS_FAILED);
	/* Size field smaller than the header. */
	req = f.host + FX_REQ_GPA;
	resp = f.host + FX_RESP_GPA;
	memset(resp, 0, 8);
	req[FWIO_REQ_SEQ] = 8;
	st16(req + FWIO_REQ_SIZE, 4);
	fx_w32(d, MISC(MISC_DOORBELL), 1);
	CHECK_EQ(resp[FWIO_RESP_SEQ], 8);
	CHECK_EQ(resp[FWIO_RESP_STATUS], FWIO_STATUS_FAILED);
	CHECK_EQ(d->ctr.fwio_errors, 2);
	fx_fini(&f);
}

/* Records the order of host writes to check "sequence byte last". */
static struct { uint64_t addr; size_t len; } wlog[16];
static unsigned nwlog;
static int (*orig_write)(void *, uint64_t, const void *, size_t);

static int logging_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	if (nwlog < 16)
		wlog[nwlog++] = (typeof(wlog[0])){ addr, len };
	return orig_write(ctx, addr, buf, len);
}

static void sequence_byte_last(void)
{
	struct nemu_dev *d;
	uint32_t v;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	orig_write = d->bus.write;
	d->bus.write = logging_write;
	nwlog = 0;
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), 0);
	CHECK(nwlog >= 2);
	if (nwlog >= 2) {
		/* Last write: exactly the sequence byte; everything else before. */
		CHECK_EQ(wlog[nwlog - 1].addr, FX_RESP_GPA);
		CHECK_EQ(wlog[nwlog - 1].len, 1);
		CHECK_EQ(wlog[0].addr, FX_RESP_GPA + 1);
		CHECK_EQ(wlog[0].len, FWIO_RESP_HDR_SIZE - 1 + 4);
	}
	fx_fini(&f);
}

static void no_bus_master(void)
{
	struct nemu_dev *d;
	uint16_t cmd = 0x2;	/* memory only */
	uint32_t v;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	dev_region_write(d, NEMU_REGION_CONFIG, 4, &cmd, 2);
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), -1);
	CHECK_EQ(d->ctr.fwio_errors, 1);
	fx_fini(&f);
}

static void reset_immediate(void)
{
	struct nemu_dev *d;
	uint32_t pattern = 0x12345678, v = 1;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	CHECK_EQ(dspace_write(d, 0x1000, &pattern, 4), 0);
	CHECK(dram_resident(&d->dram) > 0);
	fx_w32(d, MISC(MISC_DEVICE_ID), 3);
	fx_w32(d, MISC(MISC_RESET), MISC_RESET_DEVICE);
	fx_w32(d, MISC(MISC_DOORBELL), 1);
	/* --reset-ms 0: done at once. */
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), 0);
	CHECK_EQ(fx_r32(d, MISC(MISC_DEVICE_ID)), 0);
	CHECK_EQ(fx_r32(d, MISC(MISC_FW_STATUS)) & FW_STATUS_READY, FW_STATUS_READY);
	CHECK_EQ(dspace_read(d, 0x1000, &v, 4), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(dram_resident(&d->dram), 0);
	CHECK_EQ(d->ctr.resets, 1);
	CHECK_EQ(f.irqs[0][NEURON_MSIX_VEC_FWIO], 1);
	fx_fini(&f);
}

static void reset_timed(void)
{
	struct nemu_dev *d;
	uint32_t v;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	d->opt.reset_ms = 200;
	fx_w32(d, MISC(MISC_RESET), MISC_RESET_DEVICE);
	fx_w32(d, MISC(MISC_DOORBELL), 1);
	CHECK_EQ(fx_r32(d, MISC(MISC_RESET)), MISC_RESET_DEVICE);
	CHECK_EQ(fx_r32(d, MISC(MISC_FW_STATUS)) & FW_STATUS_READY, 0);
	CHECK(dev_deadline(d) != UINT64_MAX);
	/* The firmware does not answer while resetting. */
	fx_w32(d, MISC(MISC_RESET), 0);
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), -1);
	dev_tick(d, nemu_now_ms());
	CHECK(d->fw.resetting);
	dev_tick(d, nemu_now_ms() + 1000);
	CHECK(!d->fw.resetting);
	CHECK_EQ(dev_deadline(d), UINT64_MAX);
	CHECK_EQ(fx_r32(d, MISC(MISC_FW_STATUS)) & FW_STATUS_READY, FW_STATUS_READY);
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_RESET), &v), 0);
	CHECK_EQ(v, 0);
	fx_fini(&f);
}

static void neighbours_ring2(void)
{
	struct nemu_dev *d0, *d1;
	uint32_t v = 0;

	fx_init(&f, 2, TOPO_RING);
	d0 = f.w.dev[0];
	d1 = f.w.dev[1];
	fx_w32(d0, MISC(MISC_DEVICE_ID), 10);
	fx_w32(d1, MISC(MISC_DEVICE_ID), 11);
	CHECK_EQ(fx_fwio_read(&f, d0, V1_MISC_DEV_ADDR(MISC_FW_STATUS), &v), 0);
	CHECK_EQ(v, FW_STATUS_READY | FW_STATUS_EAST_LINK | FW_STATUS_WEST_LINK);
	CHECK_EQ(fx_fwio_read(&f, d0, V1_EAST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), 0);
	CHECK_EQ(v, 11);
	CHECK_EQ(fx_fwio_read(&f, d0, V1_WEST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), 0);
	CHECK_EQ(v, 11);
	CHECK_EQ(fx_fwio_read(&f, d1, V1_EAST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), 0);
	CHECK_EQ(v, 10);
	fx_fini(&f);
}

static void neighbours_chain3(void)
{
	struct nemu_dev *d0, *d1;
	uint32_t v = 0;

	fx_init(&f, 3, TOPO_CHAIN);
	d0 = f.w.dev[0];
	d1 = f.w.dev[1];
	for (unsigned i = 0; i < 3; i++)
		fx_w32(f.w.dev[i], MISC(MISC_DEVICE_ID), 20 + i);
	CHECK_EQ(fx_fwio_read(&f, d0, V1_MISC_DEV_ADDR(MISC_FW_STATUS), &v), 0);
	CHECK_EQ(v, FW_STATUS_READY | FW_STATUS_EAST_LINK);
	CHECK_EQ(fx_fwio_read(&f, d0, V1_WEST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v),
		 FWIO_STATUS_FAILED);
	CHECK_EQ(fx_fwio_read(&f, d1, V1_EAST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), 0);
	CHECK_EQ(v, 22);
	CHECK_EQ(fx_fwio_read(&f, d1, V1_WEST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), 0);
	CHECK_EQ(v, 20);
	fx_fini(&f);
}

static void faults(void)
{
	struct nemu_dev *d;
	uint8_t a[8], status = 0xff;
	uint32_t v;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	st64(a, V1_MISC_DEV_ADDR(MISC_DEVICE_ID));
	d->faults.fwio_drop = 1;
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), -1);
	CHECK_EQ(fx_fwio_read(&f, d, V1_MISC_DEV_ADDR(MISC_DEVICE_ID), &v), 0);
	d->faults.fwio_bad_seq = 1;
	CHECK_EQ(fx_fwio(&f, d, 255, FWIO_CMD_READ, a, 8, 0, &status, NULL), -2);
	CHECK_EQ(f.host[FX_RESP_GPA], 1);	/* 255 -> 1: 0 is never used */
	CHECK_EQ(fx_fwio(&f, d, 255, FWIO_CMD_READ, a, 8, 0, &status, NULL), 8);
	d->faults.fwio_bad_crc = 1;
	CHECK_EQ(fx_fwio(&f, d, 3, FWIO_CMD_READ, a, 8, 0, &status, NULL), FWIO_RESP_HDR_SIZE);
	CHECK_EQ(status, FWIO_STATUS_FAILED);
	CHECK_EQ(fx_fwio(&f, d, 4, FWIO_CMD_READ, a, 8, 0, &status, NULL), 8);
	CHECK_EQ(status, FWIO_STATUS_OK);
	/* fwio_bad_size: the size field claims 4 bytes more, once. */
	d->faults.fwio_bad_size = 1;
	CHECK_EQ(fx_fwio(&f, d, 5, FWIO_CMD_READ, a, 8, 0, &status, NULL), 12);
	CHECK_EQ(status, FWIO_STATUS_OK);
	CHECK_EQ(fx_fwio(&f, d, 6, FWIO_CMD_READ, a, 8, 0, &status, NULL), 8);
	CHECK_EQ(d->faults.fwio_bad_size, 0);
	CHECK_EQ(d->ctr.fwio_requests, 8);
	/* Injected faults are not the host's errors. */
	CHECK_EQ(d->ctr.fwio_errors, 0);
	fx_fini(&f);
}

int main(void)
{
	RUN(read_device_id);
	RUN(read_many);
	RUN(read_bad_address);
	RUN(post);
	RUN(unknown_command);
	RUN(bad_crc);
	RUN(bad_size);
	RUN(sequence_byte_last);
	RUN(no_bus_master);
	RUN(reset_immediate);
	RUN(reset_timed);
	RUN(neighbours_ring2);
	RUN(neighbours_chain3);
	RUN(faults);
	return t_any_failed;
}
