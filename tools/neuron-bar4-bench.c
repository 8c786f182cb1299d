// SPDX-License-Identifier: MIT
/*
 * neuron-bar4-bench: what would CPU access to device DRAM through BAR4 cost,
 * compared with the DMA copy path, on this machine and in this run?
 *
 * Measures, on one device:
 *   - DMA copy throughput host BO -> device BO (the baseline, ratio 1.00);
 *   - the latency of a small (4 KiB) copy job, which is dominated by the
 *     doorbell write and the completion interrupt;
 *   - CPU write and read throughput through BAR4 (sysfs resource4) to the
 *     same device BO, as ratios of the DMA baseline.
 * and checks that both paths see the same bytes (DMA-written data read
 * through BAR4, BAR4-written data copied back by DMA), so the numbers are of
 * accesses that really reach device memory.
 *
 * BAR4 is mapped through sysfs, which needs root and a BAR the driver has
 * not claimed (the driver never maps BAR4).  Run it in the VM twice, with
 * and without neuron-emu's --bar4-mmap: scripts/bench-bar4 does that and
 * prints both.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm/neuron_accel.h"

#define BO_SIZE		(1u << 20)	/* DMA and BAR4 write size */
#define READ_SIZE	(64u << 10)	/* BAR4 read size: reads are slow */
#define SMALL_SIZE	4096u
#define DMA_REPS	16
#define SMALL_REPS	200
/* BAR4 packs DRAM channel 1 right after channel 0 (Documentation/neuron). */
#define CHANNEL_SIZE	(4ull << 30)
#define CH1_BASE	0x001000000000ull

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "neuron-bar4-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint32_t bo_create(int fd, uint32_t domain, uint64_t size)
{
	struct drm_neuron_bo_create c = {
		.size = size, .domain = domain,
		.dram_channel = DRM_NEURON_ANY, .dram_nc = DRM_NEURON_ANY,
	};

	if (drmIoctl(fd, DRM_IOCTL_NEURON_BO_CREATE, &c))
		die("BO_CREATE");
	return c.handle;
}

static struct drm_neuron_bo_info bo_info(int fd, uint32_t handle)
{
	struct drm_neuron_bo_info i = { .handle = handle };

	if (drmIoctl(fd, DRM_IOCTL_NEURON_BO_INFO, &i))
		die("BO_INFO");
	return i;
}

static void copy_wait(int fd, uint32_t src, uint32_t dst, uint64_t size)
{
	struct drm_neuron_copy c = {
		.src_handle = src, .dst_handle = dst, .size = size,
		.nc = DRM_NEURON_ANY,
	};
	struct drm_neuron_bo_wait w = { .handle = dst, .timeout_ns = INT64_MAX };

	if (drmIoctl(fd, DRM_IOCTL_NEURON_COPY, &c))
		die("COPY");
	if (drmIoctl(fd, DRM_IOCTL_NEURON_BO_WAIT, &w))
		die("BO_WAIT");
}

/* Volatile 8-byte accesses: what a driver or runtime would do on a BAR. */
static void bar_write(volatile uint64_t *dst, const uint64_t *src, size_t bytes)
{
	for (size_t i = 0; i < bytes / 8; i++)
		dst[i] = src[i];
}

static void bar_read(uint64_t *dst, const volatile uint64_t *src, size_t bytes)
{
	for (size_t i = 0; i < bytes / 8; i++)
		dst[i] = src[i];
}

int main(int argc, char **argv)
{
	const char *node = argc > 1 ? argv[1] : "/dev/accel/accel0";
	char path[128];
	uint32_t host, dev;
	struct drm_neuron_bo_info hi, di;
	uint64_t *hp, *tmp, bar_off, skew;
	volatile uint64_t *bar;
	void *map;
	double t, dma_mbs, small_us, wr_mbs, rd_mbs;
	int fd, rfd;

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(node);
	host = bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, BO_SIZE);
	dev = bo_create(fd, DRM_NEURON_BO_DOMAIN_DEVICE, BO_SIZE);
	hi = bo_info(fd, host);
	di = bo_info(fd, dev);
	hp = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, hi.mmap_offset);
	tmp = malloc(BO_SIZE);
	if (hp == MAP_FAILED || !tmp)
		die("host BO mapping");
	srand(42);
	for (size_t i = 0; i < BO_SIZE / 8; i++)
		hp[i] = ((uint64_t)rand() << 32) ^ (uint64_t)rand();

	/* Baseline: DMA host -> device. */
	copy_wait(fd, host, dev, BO_SIZE);	/* warm-up: pins, maps */
	t = now();
	for (int i = 0; i < DMA_REPS; i++)
		copy_wait(fd, host, dev, BO_SIZE);
	dma_mbs = DMA_REPS * (BO_SIZE / 1e6) / (now() - t);

	t = now();
	for (int i = 0; i < SMALL_REPS; i++)
		copy_wait(fd, host, dev, SMALL_SIZE);
	small_us = (now() - t) / SMALL_REPS * 1e6;

	/* BAR4 view of the device BO. */
	bar_off = di.dram_address >= CH1_BASE ?
		  CHANNEL_SIZE + (di.dram_address - CH1_BASE) : di.dram_address;
	snprintf(path, sizeof(path), "/sys/class/accel/%s/device/resource4",
		 strrchr(node, '/') + 1);
	rfd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (rfd < 0)
		die(path);
	/* Device BOs are 256-byte aligned, mappings page-aligned. */
	skew = bar_off & (uint64_t)(sysconf(_SC_PAGESIZE) - 1);
	map = mmap(NULL, BO_SIZE + skew, PROT_READ | PROT_WRITE, MAP_SHARED, rfd,
		   (off_t)(bar_off - skew));
	if (map == MAP_FAILED)
		die("mmap resource4");
	bar = (volatile uint64_t *)((char *)map + skew);

	/* DMA-written bytes must be what BAR4 reads. */
	t = now();
	bar_read(tmp, bar, READ_SIZE);
	rd_mbs = READ_SIZE / 1e6 / (now() - t);
	if (memcmp(tmp, hp, READ_SIZE)) {
		fprintf(stderr, "neuron-bar4-bench: BAR4 does not show the DMA'd data\n");
		return 1;
	}

	/* BAR4-written bytes must be what DMA copies back. */
	for (size_t i = 0; i < BO_SIZE / 8; i++)
		tmp[i] = ~hp[i];
	t = now();
	bar_write(bar, tmp, BO_SIZE);
	wr_mbs = BO_SIZE / 1e6 / (now() - t);
	copy_wait(fd, dev, host, BO_SIZE);
	if (memcmp(tmp, hp, BO_SIZE)) {
		fprintf(stderr, "neuron-bar4-bench: DMA does not see the BAR4 writes\n");
		return 1;
	}

	printf("dma copy host->device   %9.2f MB/s  ratio 1.00 (baseline)\n", dma_mbs);
	printf("bar4 cpu write          %9.2f MB/s  ratio %.3f\n", wr_mbs, wr_mbs / dma_mbs);
	printf("bar4 cpu read           %9.2f MB/s  ratio %.4f\n", rd_mbs, rd_mbs / dma_mbs);
	printf("small copy job (4 KiB)  %9.1f us\n", small_us);
	munmap(map, BO_SIZE + skew);
	close(rfd);
	return 0;
}
