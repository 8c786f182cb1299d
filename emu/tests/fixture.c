// SPDX-License-Identifier: MIT
/* Test fixture implementation. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../../hw/v1/fwio_regs.h"
#include "../crc32c.h"
#include "../util.h"
#include "fixture.h"

static int fx_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct fx_ctx *c = ctx;

	if (addr > FX_HOST_SIZE || len > FX_HOST_SIZE - addr)
		return -1;
	memcpy(buf, c->f->host + addr, len);
	return 0;
}

static int fx_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	struct fx_ctx *c = ctx;

	if (addr > FX_HOST_SIZE || len > FX_HOST_SIZE - addr)
		return -1;
	memcpy(c->f->host + addr, buf, len);
	return 0;
}

static bool fx_irq(void *ctx, unsigned vector)
{
	struct fx_ctx *c = ctx;

	c->f->irqs[c->dev][vector]++;
	return true;
}

void fx_init(struct fixture *f, unsigned ndev, enum topology t)
{
	struct dev_options o = {
		.device_id = V1_PCI_DEVICE_ID0,
		.revision = V1_PCI_REVISION_QEMU,
		.msix = true,
		.reset_ms = 0,
	};
	uint16_t cmd = 0x6;	/* memory + bus master */

	memset(f, 0, sizeof(*f));
	f->host = mmap(NULL, FX_HOST_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->host == MAP_FAILED)
		abort();
	f->w.ndev = ndev;
	f->w.topo = t;
	for (unsigned i = 0; i < ndev; i++) {
		struct nemu_dev *d = dev_create(&f->w, i, &o);

		if (!d)
			abort();
		f->w.dev[i] = d;
		f->ctx[i] = (struct fx_ctx){ f, i };
		d->bus = (struct host_bus){ fx_read, fx_write, fx_irq, &f->ctx[i] };
		dev_region_write(d, NEMU_REGION_CONFIG, 4, &cmd, 2);
	}
	world_wire(&f->w);
}

void fx_fini(struct fixture *f)
{
	for (unsigned i = 0; i < f->w.ndev; i++)
		dev_destroy(f->w.dev[i]);
	munmap(f->host, FX_HOST_SIZE);
}

void fx_w32(struct nemu_dev *d, uint64_t off, uint32_t v)
{
	dev_region_write(d, NEMU_REGION_BAR0, off, &v, 4);
}

uint32_t fx_r32(struct nemu_dev *d, uint64_t off)
{
	uint32_t v = 0;

	dev_bar0_read(d, off, &v, 4);
	return v;
}

int fx_fwio(struct fixture *f, struct nemu_dev *d, uint8_t seq, uint8_t cmd,
	    const void *payload, size_t len, uint32_t crc_delta, uint8_t *status,
	    uint8_t *resp_payload)
{
	uint8_t *req = f->host + FX_REQ_GPA, *resp = f->host + FX_RESP_GPA;
	uint64_t misc = V1_MISC_RAM_OFFSET;
	uint16_t size = (uint16_t)(FWIO_REQ_HDR_SIZE + len);

	req[FWIO_REQ_SEQ] = seq;
	req[FWIO_REQ_CMD] = cmd;
	st16(req + FWIO_REQ_SIZE, size);
	st32(req + FWIO_REQ_CRC, 0);
	memcpy(req + FWIO_REQ_HDR_SIZE, payload, len);
	st32(req + FWIO_REQ_CRC, crc32c(req, size) + crc_delta);
	memset(resp, 0, 8);
	fx_w32(d, misc + MISC_REQ_ADDR_HI, (uint32_t)(fx_host(FX_REQ_GPA) >> 32));
	fx_w32(d, misc + MISC_REQ_ADDR_LO, (uint32_t)fx_host(FX_REQ_GPA));
	fx_w32(d, misc + MISC_RESP_ADDR_HI, (uint32_t)(fx_host(FX_RESP_GPA) >> 32));
	fx_w32(d, misc + MISC_RESP_ADDR_LO, (uint32_t)fx_host(FX_RESP_GPA));
	fx_w32(d, misc + MISC_DOORBELL, 1);
	if (resp[FWIO_RESP_SEQ] == 0)
		return -1;
	if (status)
		*status = resp[FWIO_RESP_STATUS];
	if (resp_payload)
		memcpy(resp_payload, resp + FWIO_RESP_HDR_SIZE,
		       ld16(resp + FWIO_RESP_SIZE) - FWIO_RESP_HDR_SIZE);
	return resp[FWIO_RESP_SEQ] == seq ? ld16(resp + FWIO_RESP_SIZE) : -2;
}

int fx_fwio_read(struct fixture *f, struct nemu_dev *d, uint64_t addr, uint32_t *val)
{
	uint8_t a[8], status = 0xff, out[4] = { 0 };
	int n;

	st64(a, addr);
	n = fx_fwio(f, d, 7, FWIO_CMD_READ, a, 8, 0, &status, out);
	if (n < 0)
		return -1;
	*val = ld32(out);
	return status;
}
