/* SPDX-License-Identifier: MIT */
/* CRC-32C (Castagnoli), as the FWIO mailbox uses it (facts section 7.3). */
#ifndef NEMU_CRC32C_H
#define NEMU_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Complete CRC: init 0xffffffff, reflected poly 0x82f63b78, final xor. */
uint32_t crc32c(const void *buf, size_t len);

#endif /* NEMU_CRC32C_H */
