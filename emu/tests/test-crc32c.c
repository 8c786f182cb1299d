// SPDX-License-Identifier: MIT
/* CRC-32C against the standard check value and a few known vectors. */
#include "../crc32c.h"
#include "harness.h"

static void check_value(void)
{
	CHECK_EQ(crc32c("123456789", 9), 0xe3069283u);
}

static void empty_and_zeros(void)
{
	static const unsigned char z[32];

	CHECK_EQ(crc32c("", 0), 0);
	/* iSCSI (RFC 3720 B.4) test vector: 32 bytes of zeroes. */
	CHECK_EQ(crc32c(z, sizeof(z)), 0x8a9136aau);
}

int main(void)
{
	RUN(check_value);
	RUN(empty_and_zeros);
	return t_any_failed;
}
