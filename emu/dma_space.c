// SPDX-License-Identifier: MIT
/*
 * Address resolution for everything that masters the device's AXI space
 * (UDMA engines, FWIO firmware).  Bits 47:46 select host, east or west;
 * with neither set the address is local: DRAM (optionally through the
 * bit-44 second port), the NC window or the APB window.  Anything else is a
 * bad address, which the caller turns into a firmware error or a DMA abort.
 */
#include "../hw/v1/address_map.h"
#include "device.h"
#include "dma_space.h"
#include "nc.h"
#include "world.h"

/* Register writes made by DMA may ring doorbells that DMA again. */
#define MAX_DMA_NESTING	4

static bool within(uint64_t a, size_t len, uint64_t base, uint64_t size)
{
	return a >= base && a - base <= size && len <= size - (a - base);
}

static int local(struct nemu_dev *d, uint64_t a, uint8_t *p, size_t len, bool write)
{
	int ret;

	if (a & V1_DRAM_PORT1_BIT) {
		/* The second AXI port only reaches DRAM. */
		a &= ~V1_DRAM_PORT1_BIT;
		if (!within(a, len, V1_DRAM_CH0_BASE, V1_DRAM_CHANNEL_SIZE) &&
		    !within(a, len, V1_DRAM_CH1_BASE, V1_DRAM_CHANNEL_SIZE))
			return -1;
	}
	if (within(a, len, V1_DRAM_CH0_BASE, V1_DRAM_CHANNEL_SIZE)) {
		uint64_t off = a - V1_DRAM_CH0_BASE;

		return write ? dram_write(&d->dram, off, p, len) : dram_read(&d->dram, off, p, len);
	}
	if (within(a, len, V1_DRAM_CH1_BASE, V1_DRAM_CHANNEL_SIZE)) {
		uint64_t off = V1_DRAM_CHANNEL_SIZE + (a - V1_DRAM_CH1_BASE);

		return write ? dram_write(&d->dram, off, p, len) : dram_read(&d->dram, off, p, len);
	}
	if (within(a, len, V1_TPB_BASE, V1_BAR2_SIZE))
		return write ? nc_write(d, a - V1_TPB_BASE, p, len) : nc_read(d, a - V1_TPB_BASE, p, len);
	if (within(a, len, V1_APB_BASE, V1_BAR0_SIZE)) {
		if (!write)
			return dev_bar0_read(d, a - V1_APB_BASE, p, len);
		if (d->depth >= MAX_DMA_NESTING)
			return -1;
		d->depth++;
		ret = dev_bar0_write(d, a - V1_APB_BASE, p, len);
		d->depth--;
		return ret;
	}
	return -1;
}

static int resolve(struct nemu_dev *d, uint64_t addr, uint8_t *p, size_t len, bool write)
{
	struct nemu_dev *nb;
	uint64_t a = addr & V1_LOCAL_ADDR_MASK;
	int ret;

	/* The space is 48 bits wide. */
	if (addr >> 48)
		return -1;
	if (!len)
		return 0;
	if (len - 1 > V1_LOCAL_ADDR_MASK - a)
		return -1;
	switch (addr & V1_PREFIX_MASK) {
	case V1_HOST_PREFIX:
		ret = write ? dev_host_write(d, a, p, len) : dev_host_read(d, a, p, len);
		if (!ret)
			d->ctr.host_bytes += len;
		return ret;
	case V1_EAST_PREFIX:
	case V1_WEST_PREFIX:
		/*
		 * Forwarded over the device-to-device link into the neighbour's
		 * local space; the prefix is consumed, so a neighbour's
		 * neighbour is not reachable in one hop.  Both ends count the
		 * bytes, so tests can tell link traffic from host traffic.
		 */
		nb = world_neighbour(d, (addr & V1_PREFIX_MASK) == V1_EAST_PREFIX);
		if (!nb)
			return -1;
		ret = local(nb, a, p, len, write);
		if (!ret) {
			d->ctr.pipe_out_bytes += len;
			nb->ctr.pipe_in_bytes += len;
		}
		return ret;
	default:
		return local(d, a, p, len, write);
	}
}

int dspace_read(struct nemu_dev *d, uint64_t addr, void *buf, size_t len)
{
	return resolve(d, addr, buf, len, false);
}

int dspace_write(struct nemu_dev *d, uint64_t addr, const void *buf, size_t len)
{
	return resolve(d, addr, (uint8_t *)(uintptr_t)buf, len, true);
}
