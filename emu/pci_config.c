// SPDX-License-Identifier: MIT
/*
 * Configuration space: type 0 header, a PCIe endpoint capability and
 * (unless --no-msix) an MSI-X capability whose table and PBA live in BAR0 at
 * the offsets of hw/v1/msix.h.
 *
 * QEMU emulates the BAR registers, the ROM BAR and MSI-X itself but still
 * forwards every config write, so the write masks here must make BAR sizing
 * writes harmless (BARs are read-only to the guest in this file; QEMU gets
 * the sizes from REGION_INFO and only reads the type bits).
 */
#include "../hw/v1/address_map.h"
#include "../hw/model/msix.h"
#include "pci_config.h"
#include "util.h"

/* Standard config offsets and bits (PCI Local Bus 3.0, PCIe 4.0). */
#define CFG_VENDOR		0x00
#define CFG_DEVICE		0x02
#define CFG_COMMAND		0x04
#define CFG_STATUS		0x06
#define CFG_REVISION		0x08
#define CFG_CLASS		0x09	/* prog-if, subclass, base class */
#define CFG_CACHE_LINE		0x0c
#define CFG_HEADER_TYPE		0x0e
#define CFG_BAR(n)		(0x10 + 4 * (n))
#define CFG_SUBSYS_VENDOR	0x2c
#define CFG_SUBSYS_ID		0x2e
#define CFG_ROM			0x30
#define CFG_CAP_PTR		0x34
#define CFG_INT_LINE		0x3c
#define CFG_INT_PIN		0x3d

#define CMD_MEMORY		(1u << 1)
#define CMD_MASTER		(1u << 2)
#define CMD_PARITY		(1u << 6)
#define CMD_SERR		(1u << 8)
#define CMD_INTX_DISABLE	(1u << 10)
#define STATUS_CAP_LIST		(1u << 4)
#define STATUS_W1C		0xf900u	/* parity, aborts, SERR, parity error */

#define BAR_MEM_64		0x4u
#define BAR_PREFETCH		0x8u

/* Processing accelerator: base class 0x12, subclass 0, prog-if 0. */
#define CLASS_ACCELERATOR	0x120000u

#define CAP_ID_PCIE		0x10
#define CAP_ID_MSIX		0x11

/* PCIe capability registers (capability-relative). */
#define PCIE_FLAGS		0x02
#define PCIE_DEVCAP		0x04
#define PCIE_DEVCTL		0x08
#define PCIE_DEVSTA		0x0a
#define PCIE_LNKCAP		0x0c
#define PCIE_LNKCTL		0x10
#define PCIE_LNKSTA		0x12
#define PCIE_DEVCAP2		0x24
#define PCIE_DEVCTL2		0x28
#define PCIE_LNKCAP2		0x2c
#define PCIE_LNKCTL2		0x30
#define PCIE_CAP_LEN		0x3c

/* MSI-X capability registers. */
#define MSIX_CTRL		0x02
#define MSIX_TABLE		0x04
#define MSIX_PBA		0x08
#define MSIX_CTRL_ENABLE	(1u << 15)
#define MSIX_CTRL_MASKALL	(1u << 14)

/*
 * Link: the device sits on a PCIe Gen3 x8 link to the host (facts 2.1 name
 * the host link "PCIe x8").  Speed code 3 = 8 GT/s.
 */
#define LINK_SPEED_GEN3		3
#define LINK_WIDTH_X8		8

static void set8(struct pci_config *c, unsigned off, uint8_t v) { c->data[off] = v; }
static void set16(struct pci_config *c, unsigned off, uint16_t v) { st16(&c->data[off], v); }
static void set32(struct pci_config *c, unsigned off, uint32_t v) { st32(&c->data[off], v); }
static void wmask16(struct pci_config *c, unsigned off, uint16_t m) { st16(&c->wmask[off], m); }
static void w1c16(struct pci_config *c, unsigned off, uint16_t m) { st16(&c->w1c[off], m); }

static void bar64(struct pci_config *c, int n, bool prefetch)
{
	set32(c, CFG_BAR(n), BAR_MEM_64 | (prefetch ? BAR_PREFETCH : 0));
	set32(c, CFG_BAR(n + 1), 0);
}

static void build(struct pci_config *c)
{
	memset(c->data, 0, sizeof(c->data));
	memset(c->wmask, 0, sizeof(c->wmask));
	memset(c->w1c, 0, sizeof(c->w1c));

	set16(c, CFG_VENDOR, V1_PCI_VENDOR_AMAZON);
	set16(c, CFG_DEVICE, c->device_id);
	set16(c, CFG_STATUS, STATUS_CAP_LIST);
	wmask16(c, CFG_COMMAND, CMD_MEMORY | CMD_MASTER | CMD_PARITY | CMD_SERR |
		CMD_INTX_DISABLE);
	w1c16(c, CFG_STATUS, STATUS_W1C);
	set8(c, CFG_REVISION, c->revision);
	set8(c, CFG_CLASS, CLASS_ACCELERATOR & 0xff);
	set8(c, CFG_CLASS + 1, (CLASS_ACCELERATOR >> 8) & 0xff);
	set8(c, CFG_CLASS + 2, CLASS_ACCELERATOR >> 16);
	c->wmask[CFG_CACHE_LINE] = 0xff;
	set8(c, CFG_HEADER_TYPE, 0);
	/*
	 * All three BARs are 64-bit.  BAR0 holds registers with side effects:
	 * not prefetchable.  BAR2 and BAR4 are prefetchable so that, behind a
	 * root port, they go to the 64-bit window: 16 devices' 8 GiB BAR4s
	 * and 256 MiB BAR2s could never fit below 4 GiB.
	 */
	bar64(c, V1_BAR_APB, false);
	bar64(c, V1_BAR_AXI, true);
	bar64(c, V1_BAR_DRAM, true);
	set16(c, CFG_SUBSYS_VENDOR, V1_PCI_VENDOR_AMAZON);
	set16(c, CFG_SUBSYS_ID, c->device_id);
	set32(c, CFG_ROM, 0);			/* no expansion ROM */
	set8(c, CFG_CAP_PTR, NEMU_CAP_PCIE);
	c->wmask[CFG_INT_LINE] = 0xff;
	set8(c, CFG_INT_PIN, 0);		/* no INTx: MSI-X or polling */

	/* PCIe capability v2, endpoint. */
	set8(c, NEMU_CAP_PCIE, CAP_ID_PCIE);
	set8(c, NEMU_CAP_PCIE + 1, c->msix ? NEMU_CAP_MSIX : 0);
	set16(c, NEMU_CAP_PCIE + PCIE_FLAGS, 0x0002);
	/* Max payload 128 B, role-based error reporting; no FLR (reset goes
	 * through vfio-user DEVICE_RESET). */
	set32(c, NEMU_CAP_PCIE + PCIE_DEVCAP, 1u << 15);
	set16(c, NEMU_CAP_PCIE + PCIE_DEVCTL, 0x2810);	/* MRRS 512, RO, no-snoop */
	wmask16(c, NEMU_CAP_PCIE + PCIE_DEVCTL, 0x7fff);
	w1c16(c, NEMU_CAP_PCIE + PCIE_DEVSTA, 0x000f);
	set32(c, NEMU_CAP_PCIE + PCIE_LNKCAP, LINK_SPEED_GEN3 | (LINK_WIDTH_X8 << 4));
	wmask16(c, NEMU_CAP_PCIE + PCIE_LNKCTL, 0x01c3);
	set16(c, NEMU_CAP_PCIE + PCIE_LNKSTA, LINK_SPEED_GEN3 | (LINK_WIDTH_X8 << 4));
	set32(c, NEMU_CAP_PCIE + PCIE_DEVCAP2, 0);
	wmask16(c, NEMU_CAP_PCIE + PCIE_DEVCTL2, 0x041f);
	set32(c, NEMU_CAP_PCIE + PCIE_LNKCAP2, 0x0e);	/* 2.5, 5 and 8 GT/s */
	set16(c, NEMU_CAP_PCIE + PCIE_LNKCTL2, LINK_SPEED_GEN3);
	wmask16(c, NEMU_CAP_PCIE + PCIE_LNKCTL2, 0x000f);

	if (c->msix) {
		set8(c, NEMU_CAP_MSIX, CAP_ID_MSIX);
		set8(c, NEMU_CAP_MSIX + 1, 0);
		set16(c, NEMU_CAP_MSIX + MSIX_CTRL, NEURON_MSIX_VECTORS - 1);
		wmask16(c, NEMU_CAP_MSIX + MSIX_CTRL, MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
		set32(c, NEMU_CAP_MSIX + MSIX_TABLE, NEURON_MSIX_TABLE_OFFSET | NEURON_MSIX_BAR);
		set32(c, NEMU_CAP_MSIX + MSIX_PBA, NEURON_MSIX_PBA_OFFSET | NEURON_MSIX_BAR);
	}
	/* Extended space 0x100..0xfff stays zero: no extended capabilities. */
}

void pci_config_init(struct pci_config *c, uint16_t device_id, uint8_t revision, bool msix)
{
	c->device_id = device_id;
	c->revision = revision;
	c->msix = msix;
	build(c);
}

void pci_config_reset(struct pci_config *c)
{
	build(c);
}

int pci_config_read(const struct pci_config *c, uint64_t off, void *buf, size_t len)
{
	if (off > PCI_CONFIG_SIZE || len > PCI_CONFIG_SIZE - off)
		return -1;
	memcpy(buf, &c->data[off], len);
	return 0;
}

int pci_config_write(struct pci_config *c, uint64_t off, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (off > PCI_CONFIG_SIZE || len > PCI_CONFIG_SIZE - off)
		return -1;
	for (size_t i = 0; i < len; i++) {
		size_t o = off + i;
		uint8_t v = c->data[o];

		v = (uint8_t)((v & ~c->wmask[o]) | (p[i] & c->wmask[o]));
		v = (uint8_t)(v & ~(p[i] & c->w1c[o]));
		c->data[o] = v;
	}
	return 0;
}

bool pci_config_bus_master(const struct pci_config *c)
{
	return ld16(&c->data[CFG_COMMAND]) & CMD_MASTER;
}
