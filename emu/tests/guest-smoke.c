// SPDX-License-Identifier: MIT
/*
 * In-VM smoke test of the model, without any driver: finds the first
 * 1d0f:706x function in sysfs, turns on bus mastering through its config
 * file, maps BAR0 through resource0 and drives the device directly with
 * pinned pages whose physical addresses come from /proc/self/pagemap:
 * a FWIO READ round trip, a UDMA host -> DRAM -> host copy, and the control
 * socket through the org.neuron.emu virtio-serial port.  Must run as root
 * with no driver bound (scripts/vm-run --no-module).
 *
 *   scripts/vm-run --no-module -- emu/tests/guest-smoke
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../../hw/v1/address_map.h"
#include "../../hw/v1/fwio_regs.h"
#include "../../hw/v1/udma_regs.h"
#include "../crc32c.h"
#include "../util.h"

static int passed, failed;
static volatile uint32_t *bar0;

#define EXPECT(cond, name) do {						\
	if (cond) { passed++; printf("ok %s\n", name); }		\
	else { failed++; printf("not ok %s\n", name); }			\
	fflush(stdout);							\
} while (0)

static void wr(uint64_t off, uint32_t v)
{
	bar0[off / 4] = v;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* A pinned page and its physical address. */
static uint8_t *page(uint64_t *phys)
{
	uint8_t *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t e = 0;
	int fd;

	if (p == MAP_FAILED || mlock(p, 4096) < 0)
		return NULL;
	memset(p, 0, 4096);
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, &e, 8, (off_t)((uintptr_t)p / 4096 * 8)) != 8)
		return NULL;
	close(fd);
	if (!(e >> 63) || !(e & ((1ULL << 55) - 1)))
		return NULL;
	*phys = (e & ((1ULL << 55) - 1)) * 4096;
	return p;
}

/*
 * All 1d0f:706x functions in PCI address order, which scripts/vm-run makes
 * the model's device order (device i sits behind root port i).
 */
static int find_devices(char paths[][300], int max)
{
	struct dirent **de;
	int n = scandir("/sys/bus/pci/devices", &de, NULL, alphasort), found = 0;

	for (int i = 0; i < n; i++) {
		char f[600], v[16] = "", d[16] = "";
		FILE *fp;

		snprintf(f, sizeof(f), "/sys/bus/pci/devices/%s/vendor", de[i]->d_name);
		if ((fp = fopen(f, "r"))) { fgets(v, sizeof(v), fp); fclose(fp); }
		snprintf(f, sizeof(f), "/sys/bus/pci/devices/%s/device", de[i]->d_name);
		if ((fp = fopen(f, "r"))) { fgets(d, sizeof(d), fp); fclose(fp); }
		if (!strncmp(v, "0x1d0f", 6) && !strncmp(d, "0x706", 5) && found < max)
			snprintf(paths[found++], 300, "/sys/bus/pci/devices/%s", de[i]->d_name);
		free(de[i]);
	}
	if (n > 0)
		free(de);
	return found;
}

static volatile uint32_t *map_bar0(const char *path)
{
	char f[600];
	uint16_t cmd = 0;
	void *p;
	int fd;

	snprintf(f, sizeof(f), "%s/config", path);
	fd = open(f, O_RDWR);
	pread(fd, &cmd, 2, 4);
	cmd |= 0x6;			/* memory + bus master */
	pwrite(fd, &cmd, 2, 4);
	close(fd);
	snprintf(f, sizeof(f), "%s/resource0", path);
	fd = open(f, O_RDWR | O_SYNC);
	p = fd >= 0 ? mmap(NULL, V1_BAR0_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
	return p == MAP_FAILED ? NULL : p;
}

static int east = -1;		/* from the control socket's "config 0" */

static void fwio(void)
{
	uint64_t req_pa = 0, resp_pa = 0, t0;
	uint8_t *req = page(&req_pa), *resp = page(&resp_pa);
	uint64_t misc = V1_MISC_RAM_OFFSET;

	EXPECT(req && resp, "pinned-pages");
	if (!req || !resp)
		return;
	req[0] = 1;
	req[1] = FWIO_CMD_READ;
	st16(req + 2, 8 + 16);
	st64(req + 8, V1_MISC_DEV_ADDR(MISC_DEVICE_ID));
	st64(req + 16, V1_MISC_DEV_ADDR(MISC_FW_STATUS));
	st32(req + 4, crc32c(req, 24));
	resp[0] = 0;
	wr(misc + MISC_REQ_ADDR_HI, (uint32_t)((req_pa | V1_HOST_PREFIX) >> 32));
	wr(misc + MISC_REQ_ADDR_LO, (uint32_t)req_pa);
	wr(misc + MISC_RESP_ADDR_HI, (uint32_t)((resp_pa | V1_HOST_PREFIX) >> 32));
	wr(misc + MISC_RESP_ADDR_LO, (uint32_t)resp_pa);
	__sync_synchronize();
	t0 = now_us();
	wr(misc + MISC_DOORBELL, 1);
	while (*(volatile uint8_t *)resp != 1 && now_us() - t0 < 2000000)
		;
	printf("# FWIO round trip %llu us\n", (unsigned long long)(now_us() - t0));
	EXPECT(resp[0] == 1 && resp[1] == 0 && ld16(resp + 2) == 12, "fwio-response");
	EXPECT(ld32(resp + 4) == 0x60, "fwio-read-device-id");
	EXPECT(ld32(resp + 8) & FW_STATUS_READY, "fwio-ready-bit");
	if (east < 0)
		return;
	/* The east neighbour's device id, forwarded over the link (facts 9). */
	req[0] = 2;
	st16(req + 2, 8 + 8);
	st64(req + 8, V1_EAST_PREFIX | V1_MISC_DEV_ADDR(MISC_DEVICE_ID));
	st32(req + 4, 0);
	st32(req + 4, crc32c(req, 16));
	resp[0] = 0;
	__sync_synchronize();
	t0 = now_us();
	wr(misc + MISC_DOORBELL, 1);
	while (*(volatile uint8_t *)resp != 2 && now_us() - t0 < 2000000)
		;
	EXPECT(resp[0] == 2 && resp[1] == 0 && ld32(resp + 4) == 0x60u + (uint32_t)east,
	       "fwio-read-east-neighbour");
}

static void udma(void)
{
	uint64_t eng = V1_UDMA_OFFSET(0, V1_H2T_ENGINE);
	uint64_t m2s = eng + UDMA_M2S_Q(V1_H2T_QUEUE), s2m = eng + UDMA_S2M_Q(V1_H2T_QUEUE);
	uint64_t mr_pa = 0, sr_pa = 0, src_pa = 0, dst_pa = 0, t0;
	uint8_t *mr = page(&mr_pa), *sr = page(&sr_pa), *src = page(&src_pa), *dst = page(&dst_pa);
	unsigned pos = 0;

	if (!mr || !sr || !src || !dst)
		return;
	for (int i = 0; i < 4096; i++)
		src[i] = (uint8_t)(i * 13 + 1);
	wr(m2s + UDMA_Q_CFG, UDMA_Q_CFG_RESET_VALUE | UDMA_Q_CFG_ENABLE);
	wr(s2m + UDMA_Q_CFG, UDMA_Q_CFG_RESET_VALUE | UDMA_Q_CFG_ENABLE);
	wr(eng + UDMA_M2S_PKT_LEN_CFG, UDMA_PKT_LEN_64K_ZERO | UDMA_PKT_LEN_MAX_MASK);
	wr(m2s + UDMA_M2S_Q_SW_CTRL, UDMA_Q_SW_CTRL_RST_Q);
	wr(s2m + UDMA_S2M_Q_SW_CTRL, UDMA_Q_SW_CTRL_RST_Q);
	wr(m2s + UDMA_Q_RING_BASE_LO, (uint32_t)mr_pa);
	wr(m2s + UDMA_Q_RING_BASE_HI, (uint32_t)((mr_pa | V1_HOST_PREFIX) >> 32));
	wr(m2s + UDMA_Q_RING_LEN, 32);
	wr(s2m + UDMA_Q_RING_BASE_LO, (uint32_t)sr_pa);
	wr(s2m + UDMA_Q_RING_BASE_HI, (uint32_t)((sr_pa | V1_HOST_PREFIX) >> 32));
	wr(s2m + UDMA_Q_RING_LEN, 32);
	/* host -> DRAM 0x10000, then DRAM -> host, then a 4-byte marker. */
	struct { uint64_t from, to; uint32_t len; } c[3] = {
		{ src_pa | V1_HOST_PREFIX, 0x10000, 4096 },
		{ 0x10000, dst_pa | V1_HOST_PREFIX, 4096 - 8 },
		{ (src_pa | V1_HOST_PREFIX), (dst_pa + 4092) | V1_HOST_PREFIX, 4 },
	};
	for (unsigned i = 0; i < 3; i++, pos++) {
		uint32_t id = 1u << UDMA_DESC_RING_ID_SHIFT;

		st32(mr + 16 * pos, c[i].len | id | UDMA_DESC_FIRST | UDMA_DESC_LAST |
		     (i == 1 ? UDMA_DESC_DMB : 0));
		st32(mr + 16 * pos + 4, UDMA_M2S_META_COPY);
		st64(mr + 16 * pos + 8, c[i].from);
		st32(sr + 16 * pos, c[i].len | id);
		st64(sr + 16 * pos + 8, c[i].to);
	}
	__sync_synchronize();
	t0 = now_us();
	wr(s2m + UDMA_Q_TAIL_INC, 3);
	wr(m2s + UDMA_Q_TAIL_INC, 3);
	while (ld32((uint8_t *)dst + 4092) != ld32(src) && now_us() - t0 < 2000000)
		__sync_synchronize();
	printf("# 3 packets + marker %llu us\n", (unsigned long long)(now_us() - t0));
	EXPECT(!memcmp(dst, src, 4096 - 8), "udma-host-dram-host");
}

static int ctl_fd = -1;

static void ctl(const char *req, char *buf, size_t cap, bool split)
{
	size_t n = 0, len = strlen(req);

	/* Split on purpose: the model must reassemble the line. */
	if (split) {
		write(ctl_fd, req, 4);
		usleep(20000);
		write(ctl_fd, req + 4, len - 4);
	} else {
		write(ctl_fd, req, len);
	}
	buf[0] = 0;
	while (n < cap - 1) {
		ssize_t k = read(ctl_fd, buf + n, cap - 1 - n);

		if (k <= 0)
			break;
		n += (size_t)k;
		buf[n] = 0;
		if (strstr(buf, "ok\n") || strstr(buf, "err "))
			break;
	}
}

static void open_control(void)
{
	DIR *dir = opendir("/sys/class/virtio-ports");
	struct dirent *de;
	char dev[300] = "", buf[2048], *p;

	while (dir && (de = readdir(dir))) {
		char f[512], name[64] = "";
		FILE *fp;

		snprintf(f, sizeof(f), "/sys/class/virtio-ports/%s/name", de->d_name);
		if ((fp = fopen(f, "r"))) { fgets(name, sizeof(name), fp); fclose(fp); }
		if (!strncmp(name, "org.neuron.emu", 14))
			snprintf(dev, sizeof(dev), "/dev/%s", de->d_name);
	}
	if (dir)
		closedir(dir);
	ctl_fd = dev[0] ? open(dev, O_RDWR) : -1;
	EXPECT(ctl_fd >= 0, "control-port");
	if (ctl_fd < 0)
		return;
	ctl("config 0\n", buf, sizeof(buf), false);
	p = strstr(buf, "\neast ");
	if (p && p[6] != 'n')
		east = atoi(p + 6);
	EXPECT(strstr(buf, "device_id 0x7064\n") != NULL, "control-config");
}

static void control_counters(void)
{
	char buf[2048];

	if (ctl_fd < 0)
		return;
	ctl("counters 0\n", buf, sizeof(buf), true);
	printf("%s", buf);
	EXPECT(strstr(buf, east < 0 ? "\nfwio_requests 1\n" : "\nfwio_requests 2\n") && strstr(buf, "\ndoorbells 2\n") &&
	       strstr(buf, "\ndescriptors 6\n") && strstr(buf, "\nqueue_aborts 0\n"),
	       "control-counters");
}

int main(void)
{
	static char paths[16][300];
	int n = find_devices(paths, 16);

	EXPECT(n > 0, "find-device");
	open_control();
	/* Every device's id register = 0x60 + index, as drivers do at probe. */
	for (int i = n - 1; i >= 0; i--) {
		bar0 = map_bar0(paths[i]);
		if (bar0)
			wr(V1_MISC_RAM_OFFSET + MISC_DEVICE_ID, 0x60u + (uint32_t)i);
	}
	EXPECT(bar0 != NULL, "map-bar0");
	if (bar0) {
		EXPECT(bar0[(V1_UDMA_OFFSET(0, 0) + UDMA_M2S_DMA_VERSION) / 4] == UDMA_VERSION_V4,
		       "mmio-read-dma-version");
		fwio();
		udma();
		control_counters();
	}
	printf("%d passed, %d failed, 0 skipped\n", passed, failed);
	return failed ? 1 : 0;
}
