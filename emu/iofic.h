/* SPDX-License-Identifier: MIT */
/*
 * The interrupt controllers (IOFIC) of one UDMA engine and the model's rule
 * for turning them into MSI-X (hw/v1/iofic_regs.h).
 */
#ifndef NEMU_IOFIC_H
#define NEMU_IOFIC_H

#include <stdbool.h>
#include <stdint.h>

struct nemu_dev;

/* Primary groups A..D are 0..3, secondary groups A..C are 4..6. */
#define IOFIC_NGROUPS		7
#define IOFIC_PRIMARY_IDX(g)	(g)
#define IOFIC_SECONDARY_IDX(g)	(4 + (g))

struct iofic {
	uint32_t cause[IOFIC_NGROUPS];
	uint32_t mask[IOFIC_NGROUPS];
	uint32_t control[IOFIC_NGROUPS];
	uint32_t abort_mask[IOFIC_NGROUPS];
};

void iofic_reset(struct iofic *f);
/* rel: offset relative to the engine window; true if it is an IOFIC register. */
bool iofic_owns(uint64_t rel);
uint32_t iofic_read(struct nemu_dev *d, unsigned eng, uint64_t rel);
void iofic_write(struct nemu_dev *d, unsigned eng, uint64_t rel, uint32_t val);
/* Set cause bits of a group; fires the engine vector per the model's rule. */
void iofic_raise(struct nemu_dev *d, unsigned eng, unsigned group, uint32_t bits);

#endif /* NEMU_IOFIC_H */
