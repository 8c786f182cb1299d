// SPDX-License-Identifier: MIT
/* Device address resolution (facts 2.1) and the BAR2 semaphore/event views (6.5). */
#include <string.h>

#include "../../hw/v1/fwio_regs.h"
#include "../dma_space.h"
#include "../nc.h"
#include "../util.h"
#include "fixture.h"
#include "harness.h"

static struct fixture f;

static int rd32(struct nemu_dev *d, uint64_t a, uint32_t *v)
{
	return dspace_read(d, a, v, 4);
}

/* Clearing DRAM (zero pages) frees host memory instead of allocating it. */
static void dram_zero_writes_free_memory(void)
{
	static uint8_t data[3 * 4096 + 100];
	struct nemu_dev *d;
	uint8_t back[sizeof(data)];
	uint64_t before;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	CHECK_EQ(dram_resident(&d->dram), 0);
	/* Unaligned zero writes spanning whole pages allocate at most the
	 * two partial pages at their ends. */
	CHECK_EQ(dspace_write(d, 0x10000 + 10, data, sizeof(data)), 0);
	CHECK(dram_resident(&d->dram) <= 2 * 4096);
	/* Data, then zeroes over it: the whole pages become holes again. */
	memset(data, 0xa5, sizeof(data));
	CHECK_EQ(dspace_write(d, 0x20000, data, sizeof(data)), 0);
	before = dram_resident(&d->dram);
	CHECK(before >= 3 * 4096);
	memset(data, 0, sizeof(data));
	data[3 * 4096 + 7] = 0x5a;	/* the tail page keeps a byte */
	CHECK_EQ(dspace_write(d, 0x20000, data, sizeof(data)), 0);
	CHECK(dram_resident(&d->dram) <= before - 3 * 4096);
	CHECK_EQ(dspace_read(d, 0x20000, back, sizeof(back)), 0);
	CHECK(!memcmp(back, data, sizeof(back)));
	/* A mixed write: zero and non-zero pages both read back exactly. */
	memset(data + 4096, 0x3c, 4096);
	CHECK_EQ(dspace_write(d, 0x30000, data, sizeof(data)), 0);
	CHECK_EQ(dspace_read(d, 0x30000, back, sizeof(back)), 0);
	CHECK(!memcmp(back, data, sizeof(back)));
	fx_fini(&f);
}

static void dram_channels(void)
{
	struct nemu_dev *d;
	uint32_t v = 0, x = 0x11223344;
	uint8_t buf[8];

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	/* Last word of channel 0 and first of channel 1. */
	CHECK_EQ(dspace_write(d, V1_DRAM_CHANNEL_SIZE - 4, &x, 4), 0);
	CHECK_EQ(dspace_write(d, V1_DRAM_CH1_BASE, &x, 4), 0);
	CHECK_EQ(rd32(d, V1_DRAM_CHANNEL_SIZE - 4, &v), 0);
	CHECK_EQ(v, x);
	/* Straddling the end of channel 0 or the gap: bad. */
	CHECK_EQ(dspace_read(d, V1_DRAM_CHANNEL_SIZE - 4, buf, 8), -1);
	CHECK_EQ(rd32(d, V1_DRAM_CHANNEL_SIZE, &v), -1);
	CHECK_EQ(rd32(d, V1_DRAM_CH1_BASE - 4, &v), -1);
	CHECK_EQ(rd32(d, V1_DRAM_CH1_BASE + V1_DRAM_CHANNEL_SIZE, &v), -1);
	/* The second port aliases the same DRAM and nothing else. */
	v = 0;
	CHECK_EQ(rd32(d, V1_DRAM_PORT1_BIT | V1_DRAM_CH1_BASE, &v), 0);
	CHECK_EQ(v, x);
	CHECK_EQ(rd32(d, V1_DRAM_PORT1_BIT | V1_MISC_DEV_ADDR(MISC_FW_STATUS), &v), -1);
	/* Channel 1 is BAR4 + 4 GiB. */
	CHECK_EQ(dev_region_read(d, NEMU_REGION_BAR4, V1_DRAM_CHANNEL_SIZE, &v, 4), 0);
	CHECK_EQ(v, x);
	fx_fini(&f);
}

static void host_prefix(void)
{
	struct nemu_dev *d;
	uint32_t v = 0;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	st32(f.host + 0x4444, 0xfeedface);
	CHECK_EQ(rd32(d, V1_HOST_PREFIX | 0x4444, &v), 0);
	CHECK_EQ(v, 0xfeedface);
	CHECK_EQ(rd32(d, V1_HOST_PREFIX | FX_HOST_SIZE, &v), -1);
	/* Bits above 47 are not an address. */
	CHECK_EQ(rd32(d, (1ULL << 48) | V1_HOST_PREFIX | 0x4444, &v), -1);
	fx_fini(&f);
}

static void apb_window(void)
{
	struct nemu_dev *d;
	uint32_t v = 0, x = 0xa5a5;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	/* Plain storage somewhere in the TDMA block, by DMA and by MMIO. */
	CHECK_EQ(dspace_write(d, V1_APB_BASE + V1_TDMA_OFFSET(2, 1) + 0x1c, &x, 4), 0);
	CHECK_EQ(fx_r32(d, V1_TDMA_OFFSET(2, 1) + 0x1c), x);
	CHECK_EQ(dev_region_read(d, NEMU_REGION_BAR0, V1_TDMA_OFFSET(2, 1) + 0x1c, &v, 4), 0);
	CHECK_EQ(v, x);
	CHECK_EQ(d->ctr.mmio_reads_bar0, 1);
	/* Past the 8 MiB BAR0 but inside the 256 MiB APB region: nothing. */
	CHECK_EQ(rd32(d, V1_APB_BASE + V1_BAR0_SIZE, &v), -1);
	/* Byte access inside a register. */
	x = 0xab;
	CHECK_EQ(dev_region_write(d, NEMU_REGION_BAR0, V1_TDMA_OFFSET(2, 1) + 0x1d, &x, 1), 0);
	CHECK_EQ(fx_r32(d, V1_TDMA_OFFSET(2, 1) + 0x1c), 0xaba5);
	fx_fini(&f);
}

static void semaphores_and_events(void)
{
	struct nemu_dev *d;
	uint64_t nc2 = V1_NC_WINDOW_OFFSET(2);
	uint32_t v, x;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	x = 10;
	dev_region_write(d, NEMU_REGION_BAR2, nc2 + V1_NC_SEM_SET + 4 * 31, &x, 4);
	x = 3;
	dev_region_write(d, NEMU_REGION_BAR2, nc2 + V1_NC_SEM_INCR + 4 * 31, &x, 4);
	x = 20;
	dev_region_write(d, NEMU_REGION_BAR2, nc2 + V1_NC_SEM_DECR + 4 * 31, &x, 4);
	CHECK_EQ(rd32(d, V1_TPB_BASE + nc2 + V1_NC_SEM_READ + 4 * 31, &v), 0);
	CHECK_EQ((int32_t)v, -7);
	/* Writes to the READ view are ignored. */
	x = 99;
	dev_region_write(d, NEMU_REGION_BAR2, nc2 + V1_NC_SEM_READ + 4 * 31, &x, 4);
	CHECK_EQ(rd32(d, V1_TPB_BASE + nc2 + V1_NC_SEM_READ + 4 * 31, &v), 0);
	CHECK_EQ((int32_t)v, -7);
	/* Other NCs untouched. */
	CHECK_EQ(rd32(d, V1_TPB_BASE + V1_NC_WINDOW_OFFSET(1) + V1_NC_SEM_READ + 4 * 31, &v), 0);
	CHECK_EQ(v, 0);
	/* Events: any non-zero write sets, zero clears. */
	x = 0x55;
	dev_region_write(d, NEMU_REGION_BAR2, nc2 + V1_NC_EVENTS + 4 * 255, &x, 4);
	CHECK_EQ(rd32(d, V1_TPB_BASE + nc2 + V1_NC_EVENTS + 4 * 255, &v), 0);
	CHECK_EQ(v, 1);
	x = 0;
	CHECK_EQ(dspace_write(d, V1_TPB_BASE + nc2 + V1_NC_EVENTS + 4 * 255, &x, 4), 0);
	CHECK_EQ(rd32(d, V1_TPB_BASE + nc2 + V1_NC_EVENTS + 4 * 255, &v), 0);
	CHECK_EQ(v, 0);
	/* Elsewhere BAR2 is memory (e.g. the PE instruction FIFO). */
	x = 0x1234;
	CHECK_EQ(dspace_write(d, V1_TPB_BASE + nc2 + V1_NC_PE_IRAM_FIFO, &x, 4), 0);
	CHECK_EQ(dev_region_read(d, NEMU_REGION_BAR2, nc2 + V1_NC_PE_IRAM_FIFO, &v, 4), 0);
	CHECK_EQ(v, 0x1234);
	CHECK_EQ(d->ctr.mmio_writes_bar2, 5);
	/* Firmware reset clears semaphores. */
	nc_reset(d);
	CHECK_EQ(rd32(d, V1_TPB_BASE + nc2 + V1_NC_SEM_READ + 4 * 31, &v), 0);
	CHECK_EQ(v, 0);
	fx_fini(&f);
}

static void neighbours(void)
{
	uint32_t v = 0, x = 0x77;

	fx_init(&f, 4, TOPO_RING);
	/* Device 1: east is 2, west is 0. */
	CHECK_EQ(dspace_write(f.w.dev[1], V1_EAST_PREFIX | 0x100, &x, 4), 0);
	CHECK_EQ(rd32(f.w.dev[2], 0x100, &v), 0);
	CHECK_EQ(v, x);
	CHECK_EQ(rd32(f.w.dev[3], V1_EAST_PREFIX | 0x100, &v), 0);	/* 3's east is 0 */
	CHECK_EQ(v, 0);
	CHECK_EQ(rd32(f.w.dev[3], V1_WEST_PREFIX | 0x100, &v), 0);	/* 3's west is 2 */
	CHECK_EQ(v, x);
	/* The prefix is consumed: the neighbour's bit-44 DRAM alias still works. */
	CHECK_EQ(rd32(f.w.dev[1], V1_EAST_PREFIX | V1_DRAM_PORT1_BIT | 0x100, &v), 0);
	CHECK_EQ(v, x);
	CHECK_EQ(rd32(f.w.dev[1], V1_EAST_PREFIX | 0x300000000ULL, &v), -1);
	fx_fini(&f);

	fx_init(&f, 4, TOPO_PAIRS);
	CHECK_EQ(f.w.dev[2]->east, 3);
	CHECK_EQ(f.w.dev[2]->west, 3);
	CHECK_EQ(f.w.dev[1]->east, 0);
	fx_fini(&f);
	fx_init(&f, 3, TOPO_PAIRS);
	CHECK_EQ(f.w.dev[2]->east, -1);
	fx_fini(&f);
	fx_init(&f, 2, TOPO_NONE);
	CHECK_EQ(rd32(f.w.dev[0], V1_EAST_PREFIX | 0x100, &v), -1);
	fx_fini(&f);
}

int main(void)
{
	RUN(dram_channels);
	RUN(dram_zero_writes_free_memory);
	RUN(host_prefix);
	RUN(apb_window);
	RUN(semaphores_and_events);
	RUN(neighbours);
	return t_any_failed;
}
