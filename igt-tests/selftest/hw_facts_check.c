// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Compile-only check (make check): the tests' copy of the Inferentia v1
 * facts (lib/igt_neuron_v1.h) spells every value as the driver's hw/v1
 * headers do.  C allows a macro to be defined again only with the same
 * replacement list; any other redefinition is diagnosed, and -Werror makes
 * that an error.
 */
#include "v1/address_map.h"
#include "v1/fwio_regs.h"
#include "model/nc_model.h"
#include "v1/putils_regs.h"
#include "model/nq_entry.h"
#include "v1/tdma_regs.h"
#include "v1/udma_regs.h"

#include "igt_neuron_v1.h"

int main(void)
{
	return 0;
}
