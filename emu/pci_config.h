/* SPDX-License-Identifier: MIT */
/* PCI configuration space of the modelled function. */
#ifndef NEMU_PCI_CONFIG_H
#define NEMU_PCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 4 KiB: the function is a PCIe endpoint (meant to sit behind a root port). */
#define PCI_CONFIG_SIZE		4096

/* Where the capabilities sit; fixed so tests and documentation can name them. */
#define NEMU_CAP_PCIE		0x40
#define NEMU_CAP_MSIX		0x80

struct pci_config {
	uint8_t data[PCI_CONFIG_SIZE];
	uint8_t wmask[PCI_CONFIG_SIZE];	/* bits the guest may write */
	uint8_t w1c[PCI_CONFIG_SIZE];	/* bits cleared by writing 1 */
	uint16_t device_id;
	uint8_t revision;
	bool msix;
};

void pci_config_init(struct pci_config *c, uint16_t device_id, uint8_t revision,
		     bool msix);
/* Back to power-on values (function-level reset). */
void pci_config_reset(struct pci_config *c);
int pci_config_read(const struct pci_config *c, uint64_t off, void *buf, size_t len);
int pci_config_write(struct pci_config *c, uint64_t off, const void *buf, size_t len);
bool pci_config_bus_master(const struct pci_config *c);

#endif /* NEMU_PCI_CONFIG_H */
