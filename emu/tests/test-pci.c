// SPDX-License-Identifier: MIT
/* Configuration space: identity, BAR types, write masks, capabilities. */
#include "../../hw/model/msix.h"
#include "../pci_config.h"
#include "../util.h"
#include "harness.h"

static struct pci_config c;

static uint32_t r32(unsigned off)
{
	uint32_t v = 0;

	pci_config_read(&c, off, &v, 4);
	return v;
}

static void w32(unsigned off, uint32_t v)
{
	pci_config_write(&c, off, &v, 4);
}

static void identity(void)
{
	pci_config_init(&c, 0x7066, 0x05, true);
	CHECK_EQ(r32(0x00), 0x70661d0f);
	CHECK_EQ(r32(0x08), 0x12000005);		/* class 12/00/00, revision */
	CHECK_EQ(r32(0x2c), 0x70661d0f);		/* subsystem */
	CHECK_EQ(r32(0x3c) >> 8 & 0xff, 0);		/* no interrupt pin */
	CHECK_EQ(r32(0x0c) >> 16 & 0x7f, 0);		/* type 0 header */
	CHECK_EQ(r32(0x30), 0);				/* no ROM */
	/* 64-bit BARs; BAR2 and BAR4 prefetchable; upper halves zero. */
	CHECK_EQ(r32(0x10), 0x4);
	CHECK_EQ(r32(0x14), 0);
	CHECK_EQ(r32(0x18), 0xc);
	CHECK_EQ(r32(0x20), 0xc);
	CHECK_EQ(pci_config_read(&c, 4094, (uint8_t[4]){ 0 }, 4), -1);
}

static void write_masks(void)
{
	pci_config_init(&c, 0x7064, 0xff, true);
	/* Identity and BARs ignore writes (QEMU sizes BARs from REGION_INFO). */
	w32(0x00, 0xffffffff);
	w32(0x10, 0xffffffff);
	w32(0x08, 0);
	CHECK_EQ(r32(0x00), 0x70641d0f);
	CHECK_EQ(r32(0x10), 0x4);
	CHECK_EQ(r32(0x08), 0x120000ff);
	/* Command: only the implemented bits stick; status bit 4 stays. */
	w32(0x04, 0xffff);
	CHECK_EQ(r32(0x04) & 0xffff, 0x0546);
	CHECK(pci_config_bus_master(&c));
	CHECK_EQ(r32(0x04) >> 16, 0x0010);
	/* Status error bits are write-1-to-clear. */
	c.data[0x07] |= 0x80;
	w32(0x04, 0x80000000 | 0x0006);
	CHECK_EQ(r32(0x04), 0x00100006);
	w32(0x04, 0);
	CHECK(!pci_config_bus_master(&c));
	/* Function-level reset. */
	w32(0x04, 6);
	pci_config_reset(&c);
	CHECK_EQ(r32(0x04) & 0xffff, 0);
}

static void capabilities(void)
{
	unsigned pcie, msix;

	pci_config_init(&c, 0x7064, 0xff, true);
	pcie = r32(0x34) & 0xff;
	CHECK_EQ(pcie, NEMU_CAP_PCIE);
	CHECK_EQ(r32(pcie) & 0xff, 0x10);
	CHECK_EQ(r32(pcie) >> 16 & 0xf0, 0);		/* endpoint */
	msix = r32(pcie) >> 8 & 0xff;
	CHECK_EQ(msix, NEMU_CAP_MSIX);
	CHECK_EQ(r32(msix) & 0xff, 0x11);
	CHECK_EQ(r32(msix) >> 8 & 0xff, 0);		/* end of list */
	CHECK_EQ((r32(msix) >> 16 & 0x7ff) + 1, NEURON_MSIX_VECTORS);
	CHECK_EQ(r32(msix + 4), NEURON_MSIX_TABLE_OFFSET | NEURON_MSIX_BAR);
	CHECK_EQ(r32(msix + 8), NEURON_MSIX_PBA_OFFSET | NEURON_MSIX_BAR);
	/* Enable and function mask are writable, the table size is not. */
	w32(msix, 0xffffffff);
	CHECK_EQ(r32(msix) >> 16, 0xc000 | (NEURON_MSIX_VECTORS - 1));
	CHECK_EQ(r32(0x100), 0);			/* no extended capabilities */

	pci_config_init(&c, 0x7064, 0xff, false);	/* --no-msix */
	CHECK_EQ(r32(NEMU_CAP_PCIE) >> 8 & 0xff, 0);
	CHECK_EQ(r32(NEMU_CAP_MSIX), 0);
}

int main(void)
{
	RUN(identity);
	RUN(write_masks);
	RUN(capabilities);
	return t_any_failed;
}
