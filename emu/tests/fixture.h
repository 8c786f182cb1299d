/* SPDX-License-Identifier: MIT */
/*
 * Test fixture: devices wired into a world whose "host memory" is a plain
 * buffer at guest-physical 0, with MSI-X deliveries recorded per vector.
 */
#ifndef NEMU_TEST_FIXTURE_H
#define NEMU_TEST_FIXTURE_H

#include <stdint.h>

#include "../../hw/v1/address_map.h"
#include "../../hw/model/msix.h"
#include "../device.h"
#include "../world.h"

#define FX_HOST_SIZE	(32u << 20)
#define FX_MAX_DEV	4

struct fixture {
	struct world w;
	uint8_t *host;			/* guest-physical 0 .. FX_HOST_SIZE */
	unsigned irqs[FX_MAX_DEV][NEURON_MSIX_VECTORS];
	struct fx_ctx { struct fixture *f; unsigned dev; } ctx[FX_MAX_DEV];
};

void fx_init(struct fixture *f, unsigned ndev, enum topology t);
void fx_fini(struct fixture *f);

static inline uint64_t fx_host(uint64_t gpa) { return gpa | V1_HOST_PREFIX; }

/* Guest MMIO write of a BAR0 register (counted, like QEMU's REGION_WRITE). */
void fx_w32(struct nemu_dev *d, uint64_t bar0_off, uint32_t v);
/* What a FWIO READ of the register would return (no MMIO read counted). */
uint32_t fx_r32(struct nemu_dev *d, uint64_t bar0_off);

/*
 * One FWIO transaction the way the driver does it (facts 7.4): request at
 * host 0x10000, response at host 0x30000, byte 0 of the response zeroed,
 * doorbell.  crc_delta corrupts the CRC.  Returns the response size field,
 * or -1 if no response arrived (sequence byte still 0).
 */
int fx_fwio(struct fixture *f, struct nemu_dev *d, uint8_t seq, uint8_t cmd,
	    const void *payload, size_t len, uint32_t crc_delta, uint8_t *status,
	    uint8_t *resp_payload);
/* FWIO READ of one device address; returns status (0 ok) and the value. */
int fx_fwio_read(struct fixture *f, struct nemu_dev *d, uint64_t addr, uint32_t *val);

#define FX_REQ_GPA	0x10000u
#define FX_RESP_GPA	0x30000u

#endif /* NEMU_TEST_FIXTURE_H */
