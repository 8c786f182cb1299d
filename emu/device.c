// SPDX-License-Identifier: MIT
/*
 * Device lifetime, BAR dispatch and the bus-master/interrupt hooks.
 *
 * BAR0 is one register file of 32-bit words.  Plain storage is the default
 * (facts section 14: "register file for the whole BAR0 range"); the misc RAM
 * (firmware), the UDMA engine windows and the MSI-X pages route to their own
 * files.  Accesses of other widths are split into words, and partial word
 * writes merge with the stored value, so byte writes work but only whole
 * words trigger side effects as the writer intended.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "../hw/v1/fwio_regs.h"
#include "../hw/model/msix.h"
#include "device.h"
#include "nc.h"
#include "udma.h"
#include "util.h"

static void *sparse_alloc(size_t size)
{
	/* Anonymous, never-touched pages read as zero and cost nothing. */
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

struct nemu_dev *dev_create(struct world *w, unsigned index,
			    const struct dev_options *o)
{
	struct nemu_dev *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->index = index;
	d->world = w;
	d->east = d->west = -1;
	d->opt = *o;
	d->dram.fd = -1;
	d->regs = sparse_alloc(V1_BAR0_SIZE);
	if (!d->regs ||
	    dram_init(&d->dram, V1_DRAM_CHANNELS * V1_DRAM_CHANNEL_SIZE) < 0) {
		nemu_warn("device %u: out of memory: %s", index, strerror(errno));
		dev_destroy(d);
		return NULL;
	}
	pci_config_init(&d->cfg, o->device_id, o->revision, o->msix);
	udma_reset(d);
	fwio_power_on(d);
	return d;
}

void dev_destroy(struct nemu_dev *d)
{
	if (!d)
		return;
	if (d->regs)
		munmap(d->regs, V1_BAR0_SIZE);
	nc_fini(d);
	dram_fini(&d->dram);
	free(d);
}

void dev_reset(struct nemu_dev *d)
{
	d->ctr.resets++;
	nemu_zero_pages(d->regs, V1_BAR0_SIZE);
	nc_fini(d);
	dram_clear(&d->dram);
	pci_config_reset(&d->cfg);
	udma_reset(d);
	nq_reset(d);
	fwio_power_on(d);
	/* A stalled engine stays stalled: faults belong to the test, not the guest. */
}

void dev_fw_reset(struct nemu_dev *d)
{
	dram_clear(&d->dram);
	udma_reset(d);
	nc_reset(d);
	nq_reset(d);
	/* R2.24: "v1 reset clears the device id register". */
	reg_set(d, V1_MISC_RAM_OFFSET + MISC_DEVICE_ID, 0);
}

void dev_tpb_reset(struct nemu_dev *d, uint32_t map)
{
	for (unsigned nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		if (!(map & (1u << nc)))
			continue;
		nc_clear(d, 1u << nc);
		for (unsigned e = 0; e < V1_DMA_ENG_PER_NC; e++)
			udma_reset_engine(d, V1_ENG_ID(nc, e));
		nq_reset_nc(d, nc);
	}
}

uint64_t dev_region_size(const struct nemu_dev *d, unsigned region)
{
	(void)d;
	switch (region) {
	case NEMU_REGION_BAR0:
		return V1_BAR0_SIZE;
	case NEMU_REGION_BAR2:
		return V1_BAR2_SIZE;
	case NEMU_REGION_BAR4:
		return V1_BAR4_SIZE;
	case NEMU_REGION_CONFIG:
		return PCI_CONFIG_SIZE;
	default:
		return 0;
	}
}

uint32_t dev_reg_read(struct nemu_dev *d, uint64_t off)
{
	uint64_t rel;
	int eng;

	if (off >= V1_MISC_RAM_OFFSET && off < V1_MISC_RAM_OFFSET + NEMU_MISC_SIZE)
		return fwio_read(d, off - V1_MISC_RAM_OFFSET);
	eng = udma_engine_of(off, &rel);
	if (eng >= 0)
		return udma_read(d, (unsigned)eng, rel);
	/* MSI-X table and PBA: QEMU emulates them; nothing is ever pending here. */
	if (off >= NEURON_MSIX_TABLE_OFFSET)
		return 0;
	return reg_get(d, off);
}

void dev_reg_write(struct nemu_dev *d, uint64_t off, uint32_t val)
{
	uint64_t rel;
	unsigned nc;
	int eng;

	if (off >= V1_MISC_RAM_OFFSET && off < V1_MISC_RAM_OFFSET + NEMU_MISC_SIZE) {
		fwio_write(d, off - V1_MISC_RAM_OFFSET, val);
		return;
	}
	eng = udma_engine_of(off, &rel);
	if (eng >= 0) {
		/*
		 * Model assumption: the engines of a NeuronCore in TPB reset
		 * are held in reset; register writes (doorbells included) are
		 * ignored until the firmware releases the core.
		 */
		if (nc_held(&d->nc, (unsigned)eng / V1_DMA_ENG_PER_NC)) {
			nemu_log("dev%u: write to engine %d held in TPB reset ignored",
				 d->index, eng);
			return;
		}
		udma_write(d, (unsigned)eng, rel, val);
		return;
	}
	if (off >= NEURON_MSIX_TABLE_OFFSET)
		return;
	if (nq_owns(off, &nc)) {
		nq_reg_write(d, nc, off, val);
		return;
	}
	reg_set(d, off, val);
}

static uint32_t bar0_peek(void *d, uint64_t w) { return reg_get(d, w); }
static uint32_t bar0_read(void *d, uint64_t w) { return dev_reg_read(d, w); }
static void bar0_write(void *d, uint64_t w, uint32_t v) { dev_reg_write(d, w, v); }

static const struct nemu_word_ops bar0_words = {
	.peek = bar0_peek, .read = bar0_read, .write = bar0_write,
};

static int bar0_access(struct nemu_dev *d, uint64_t off, uint8_t *p, size_t len,
		       bool write)
{
	if (off > V1_BAR0_SIZE || len > V1_BAR0_SIZE - off)
		return -1;
	nemu_word_access(&bar0_words, d, off, p, len, write);
	return 0;
}

int dev_bar0_read(struct nemu_dev *d, uint64_t off, void *buf, size_t len)
{
	return bar0_access(d, off, buf, len, false);
}

int dev_bar0_write(struct nemu_dev *d, uint64_t off, const void *buf, size_t len)
{
	/* bar0_access does not modify the buffer when writing. */
	return bar0_access(d, off, (uint8_t *)(uintptr_t)buf, len, true);
}

int dev_region_read(struct nemu_dev *d, unsigned region, uint64_t off, void *buf, size_t len)
{
	uint64_t size = dev_region_size(d, region);

	if (!size || off > size || len > size - off)
		return -1;
	switch (region) {
	case NEMU_REGION_CONFIG:
		d->ctr.config_reads++;
		return pci_config_read(&d->cfg, off, buf, len);
	case NEMU_REGION_BAR0:
		d->ctr.mmio_reads_bar0++;
		return dev_bar0_read(d, off, buf, len);
	case NEMU_REGION_BAR2:
		d->ctr.mmio_reads_bar2++;
		return nc_mmio_read(d, off, buf, len);
	case NEMU_REGION_BAR4:
		/* BAR4 packs channel 1 right after channel 0, like the backing file. */
		d->ctr.mmio_reads_bar4++;
		return dram_read(&d->dram, off, buf, len);
	}
	return -1;
}

int dev_region_write(struct nemu_dev *d, unsigned region, uint64_t off,
		     const void *buf, size_t len)
{
	uint64_t size = dev_region_size(d, region);

	if (!size || off > size || len > size - off)
		return -1;
	switch (region) {
	case NEMU_REGION_CONFIG:
		d->ctr.config_writes++;
		return pci_config_write(&d->cfg, off, buf, len);
	case NEMU_REGION_BAR0:
		d->ctr.mmio_writes_bar0++;
		return dev_bar0_write(d, off, buf, len);
	case NEMU_REGION_BAR2:
		d->ctr.mmio_writes_bar2++;
		return nc_mmio_write(d, off, buf, len);
	case NEMU_REGION_BAR4:
		d->ctr.mmio_writes_bar4++;
		return dram_write(&d->dram, off, buf, len);
	}
	return -1;
}

int dev_host_read(struct nemu_dev *d, uint64_t gpa, void *buf, size_t len)
{
	/* A function without bus mastering cannot issue memory reads. */
	if (!pci_config_bus_master(&d->cfg) || !d->bus.read)
		return -1;
	return d->bus.read(d->bus.ctx, gpa, buf, len);
}

int dev_host_write(struct nemu_dev *d, uint64_t gpa, const void *buf, size_t len)
{
	if (!pci_config_bus_master(&d->cfg) || !d->bus.write)
		return -1;
	return d->bus.write(d->bus.ctx, gpa, buf, len);
}

void dev_irq(struct nemu_dev *d, unsigned vector)
{
	if (!d->opt.msix || vector >= NEURON_MSIX_VECTORS)
		return;
	if (d->faults.lost_irq) {
		d->faults.lost_irq--;
		nemu_log("dev%u: vector %u lost (fault)", d->index, vector);
		return;
	}
	if (d->bus.irq && d->bus.irq(d->bus.ctx, vector)) {
		d->ctr.interrupts++;
		nemu_log("dev%u: MSI-X vector %u", d->index, vector);
	}
}

void dev_tick(struct nemu_dev *d, uint64_t now_ms)
{
	fwio_tick(d, now_ms);
}

uint64_t dev_deadline(const struct nemu_dev *d)
{
	return fwio_deadline(d);
}
