// SPDX-License-Identifier: MIT
/*
 * IOFIC of each UDMA engine (facts section 3.5) and the model's MSI-X rule
 * (hw/v1/iofic_regs.h): only primary group A can interrupt, with the
 * engine's vector.  Secondary groups and primary D record errors.
 */
#include "../hw/v1/iofic_regs.h"
#include "../hw/model/msix.h"
#include "device.h"
#include "iofic.h"

void iofic_reset(struct iofic *f)
{
	for (int g = 0; g < IOFIC_NGROUPS; g++) {
		f->cause[g] = 0;
		f->mask[g] = IOFIC_MASK_RESET_VALUE;
		f->control[g] = 0;
		f->abort_mask[g] = IOFIC_ABORT_MASK_RESET_VALUE;
	}
}

/* Group index and register offset of an IOFIC register, or -1. */
static int decode(uint64_t rel, unsigned *reg)
{
	uint64_t base;
	int g;

	if (rel >= IOFIC_PRIMARY && rel < IOFIC_PRIMARY + 4 * 0x40) {
		base = rel - IOFIC_PRIMARY;
		g = IOFIC_PRIMARY_IDX((int)(base / 0x40));
	} else if (rel >= IOFIC_SECONDARY && rel < IOFIC_SECONDARY + 3 * 0x40) {
		base = rel - IOFIC_SECONDARY;
		g = IOFIC_SECONDARY_IDX((int)(base / 0x40));
	} else {
		return -1;
	}
	*reg = (unsigned)(base % 0x40);
	switch (*reg) {
	case IOFIC_CAUSE: case IOFIC_CAUSE_SET: case IOFIC_MASK: case IOFIC_MASK_CLEAR:
	case IOFIC_STATUS: case IOFIC_CONTROL: case IOFIC_ABORT_MASK:
		return g;
	}
	return -1;
}

bool iofic_owns(uint64_t rel)
{
	unsigned reg;

	return decode(rel, &reg) >= 0;
}

static uint32_t deliverable(const struct iofic *f)
{
	if (f->control[0] & IOFIC_CTRL_MASK_MSIX)
		return 0;
	return f->cause[0] & ~f->mask[0];
}

uint32_t iofic_read(struct nemu_dev *d, unsigned eng, uint64_t rel)
{
	struct iofic *f = &d->eng[eng].iofic;
	unsigned reg = 0;
	int g = decode(rel, &reg);

	if (g < 0)
		return 0;
	switch (reg) {
	case IOFIC_CAUSE:
		return f->cause[g];
	case IOFIC_MASK:
	case IOFIC_MASK_CLEAR:
		return f->mask[g];
	case IOFIC_STATUS:
		return f->cause[g] & ~f->mask[g];
	case IOFIC_CONTROL:
		return f->control[g];
	case IOFIC_ABORT_MASK:
		return f->abort_mask[g];
	default:
		return 0;	/* CAUSE_SET is write-only */
	}
}

void iofic_raise(struct nemu_dev *d, unsigned eng, unsigned group, uint32_t bits)
{
	struct iofic *f = &d->eng[eng].iofic;

	f->cause[group] |= bits;
	if (group == IOFIC_PRIMARY_IDX(IOFIC_GRP_A) &&
	    !(f->control[0] & IOFIC_CTRL_MASK_MSIX) && (bits & ~f->mask[0]))
		dev_irq(d, NEURON_MSIX_VEC_ENGINE(eng));
}

void iofic_write(struct nemu_dev *d, unsigned eng, uint64_t rel, uint32_t val)
{
	struct iofic *f = &d->eng[eng].iofic;
	unsigned reg = 0;
	int g = decode(rel, &reg);
	uint32_t before = deliverable(f);

	if (g < 0)
		return;
	switch (reg) {
	case IOFIC_CAUSE:
		f->cause[g] &= val;	/* write 0 to clear */
		return;
	case IOFIC_CAUSE_SET:
		iofic_raise(d, eng, (unsigned)g, val);
		return;
	case IOFIC_MASK:
		f->mask[g] = val;
		break;
	case IOFIC_MASK_CLEAR:
		f->mask[g] &= val;
		break;
	case IOFIC_CONTROL:
		f->control[g] = val;
		break;
	case IOFIC_ABORT_MASK:
		f->abort_mask[g] = val;
		return;
	default:
		return;		/* STATUS is read-only */
	}
	if (deliverable(f) & ~before)
		dev_irq(d, NEURON_MSIX_VEC_ENGINE(eng));
}
