/* SPDX-License-Identifier: MIT */
/*
 * One modelled Inferentia v1 PCI function: its state, its BARs and the hooks
 * through which it reaches host memory and raises interrupts.
 */
#ifndef NEMU_DEVICE_H
#define NEMU_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../hw/v1/address_map.h"
#include "../hw/model/msix.h"
#include "counters.h"
#include "dram.h"
#include "fwio.h"
#include "nc.h"
#include "nq.h"
#include "pci_config.h"
#include "udma.h"

struct world;

/* vfio-user region indexes (linux/vfio.h). */
#define NEMU_REGION_BAR0	0
#define NEMU_REGION_BAR2	2
#define NEMU_REGION_BAR4	4
#define NEMU_REGION_ROM		6
#define NEMU_REGION_CONFIG	7
#define NEMU_NUM_REGIONS	9

/*
 * The bus-master side: how the device reaches host (guest-physical) memory
 * and signals MSI-X vectors.  vfio_user.c provides the real one; unit tests
 * plug in a buffer.  irq returns true if the vector was delivered.
 */
struct host_bus {
	int (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
	int (*write)(void *ctx, uint64_t addr, const void *buf, size_t len);
	bool (*irq)(void *ctx, unsigned vector);
	void *ctx;
};

struct dev_options {
	uint16_t device_id;
	uint8_t revision;
	bool msix;
	unsigned reset_ms;
	unsigned tpb_reset_ms;	/* how long a TPB (NeuronCore-only) reset takes */
	bool bar4_mmap;		/* offer BAR4 to QEMU as an mmap-able region */
};

/* Fault injection (control socket "fault"); see Documentation/neuron/emulator.rst. */
struct faults {
	uint32_t fwio_drop;
	uint32_t fwio_bad_crc;
	uint32_t fwio_bad_seq;
	uint32_t fwio_bad_size;
	uint32_t dma_error;
	uint32_t lost_irq;
	uint32_t stalled;	/* bit per engine */
};

struct nemu_dev {
	unsigned index;
	struct world *world;
	int east, west;		/* neighbour indexes or -1 */
	struct dev_options opt;
	struct pci_config cfg;
	uint32_t *regs;		/* BAR0 register file, V1_BAR0_SIZE bytes, sparse */
	struct nc_state nc;	/* NC window storage (BAR2), sparse; TPB-reset hold */
	struct dram dram;
	struct udma_engine eng[V1_DMA_ENG_PER_DEVICE];
	struct fwio_state fw;
	struct nq_state nq;
	struct counters ctr;
	struct faults faults;
	struct host_bus bus;
	unsigned depth;		/* nesting of register writes made by DMA */
};

struct nemu_dev *dev_create(struct world *w, unsigned index,
			    const struct dev_options *o);
void dev_destroy(struct nemu_dev *d);
/* Function-level reset: everything back to power-on state. */
void dev_reset(struct nemu_dev *d);
/* What a firmware device reset clears (facts section 11). */
void dev_fw_reset(struct nemu_dev *d);
/*
 * What a firmware TPB reset clears for the NeuronCores in map (bit n = NC
 * n): the NC's window and the three UDMA engines and notification queues
 * of the NC.  Other cores, DRAM and misc RAM are untouched.
 */
void dev_tpb_reset(struct nemu_dev *d, uint32_t map);

uint64_t dev_region_size(const struct nemu_dev *d, unsigned region);
/* Guest accesses (vfio-user REGION_READ/WRITE); counted. */
int dev_region_read(struct nemu_dev *d, unsigned region, uint64_t off, void *buf, size_t len);
int dev_region_write(struct nemu_dev *d, unsigned region, uint64_t off,
		     const void *buf, size_t len);

/* BAR0 as any agent sees it (MMIO, FWIO read, DMA); not counted. */
int dev_bar0_read(struct nemu_dev *d, uint64_t off, void *buf, size_t len);
int dev_bar0_write(struct nemu_dev *d, uint64_t off, const void *buf, size_t len);
uint32_t dev_reg_read(struct nemu_dev *d, uint64_t off);
void dev_reg_write(struct nemu_dev *d, uint64_t off, uint32_t val);

/* Plain register-file storage, no side effects. */
static inline uint32_t reg_get(const struct nemu_dev *d, uint64_t off)
{
	return d->regs[off / 4];
}

static inline void reg_set(struct nemu_dev *d, uint64_t off, uint32_t val)
{
	d->regs[off / 4] = val;
}

/* Bus-master DMA to host memory; fails if bus mastering is off. */
int dev_host_read(struct nemu_dev *d, uint64_t gpa, void *buf, size_t len);
int dev_host_write(struct nemu_dev *d, uint64_t gpa, const void *buf, size_t len);
/* Raise an MSI-X vector; honours --no-msix and the lost_irq fault. */
void dev_irq(struct nemu_dev *d, unsigned vector);

/* Timers (firmware reset); now_ms from nemu_now_ms(). */
void dev_tick(struct nemu_dev *d, uint64_t now_ms);
uint64_t dev_deadline(const struct nemu_dev *d);

#endif /* NEMU_DEVICE_H */
