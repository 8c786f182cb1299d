// SPDX-License-Identifier: MIT
/*
 * Table-driven CRC-32C.  The table is built on first use from the polynomial
 * in hw/v1/fwio_regs.h so that the model and the driver share one constant.
 */
#include <stdbool.h>

#include "crc32c.h"
#include "../hw/v1/fwio_regs.h"

static uint32_t table[256];
static bool table_ready;

static void build_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ FWIO_CRC32C_POLY : c >> 1;
		table[i] = c;
	}
	table_ready = true;
}

uint32_t crc32c(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = FWIO_CRC32C_INIT;

	if (!table_ready)
		build_table();
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc ^ FWIO_CRC32C_XOROUT;
}
