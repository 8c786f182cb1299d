// SPDX-License-Identifier: MIT
/*
 * Sparse DRAM.  Reads use pread() because reading a hole of a shmem file
 * through pread returns zeroes without allocating a page, whereas a read
 * fault on a shared mapping would allocate one: a guest scanning device
 * memory must not make the model grow.  Writes go through the mapping.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "dram.h"
#include "util.h"

int dram_init(struct dram *m, uint64_t size)
{
	m->size = size;
	m->fd = memfd_create("neuron-dram", MFD_CLOEXEC);
	if (m->fd < 0)
		return -errno;
	if (ftruncate(m->fd, (off_t)size) < 0)
		goto fail;
	m->map = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_NORESERVE, m->fd, 0);
	if (m->map == MAP_FAILED)
		goto fail;
	return 0;
fail:
	close(m->fd);
	m->fd = -1;
	return -errno;
}

void dram_fini(struct dram *m)
{
	if (m->map && m->map != MAP_FAILED)
		munmap(m->map, m->size);
	if (m->fd >= 0)
		close(m->fd);
	m->map = NULL;
	m->fd = -1;
}

int dram_read(const struct dram *m, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (off > m->size || len > m->size - off)
		return -1;
	while (len) {
		ssize_t n = pread(m->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

#define DRAM_PAGE 4096u

static int page_is_zero(const uint8_t *p)
{
	static const uint8_t zero[DRAM_PAGE];

	return !memcmp(p, zero, DRAM_PAGE);
}

/*
 * Whole pages of zeroes become holes instead of being copied: the driver
 * clears every device BO before handing it out, and clearing gigabytes by
 * memcpy would make the model's memory grow to the size the guest ever
 * allocated.  A hole reads back as zeroes, so nothing observable changes.
 */
int dram_write(struct dram *m, uint64_t off, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t head;

	if (off > m->size || len > m->size - off)
		return -1;
	head = (DRAM_PAGE - (off % DRAM_PAGE)) % DRAM_PAGE;
	if (head >= len || len - head < DRAM_PAGE) {
		memcpy(m->map + off, p, len);
		return 0;
	}
	memcpy(m->map + off, p, head);
	p += head;
	off += head;
	len -= head;
	while (len >= DRAM_PAGE) {
		size_t run = 0;

		while (run + DRAM_PAGE <= len && page_is_zero(p + run))
			run += DRAM_PAGE;
		if (run) {
			if (fallocate(m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				      (off_t)off, (off_t)run) < 0)
				memset(m->map + off, 0, run);
		} else {
			run = DRAM_PAGE;
			memcpy(m->map + off, p, run);
		}
		p += run;
		off += run;
		len -= run;
	}
	memcpy(m->map + off, p, len);
	return 0;
}

void dram_clear(struct dram *m)
{
	if (fallocate(m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
		      (off_t)m->size) < 0) {
		/* No hole punching: fall back to truncating and regrowing. */
		if (ftruncate(m->fd, 0) < 0 || ftruncate(m->fd, (off_t)m->size) < 0)
			nemu_warn("cannot clear DRAM: %s", strerror(errno));
	}
}

uint64_t dram_resident(const struct dram *m)
{
	struct stat st;

	if (fstat(m->fd, &st) < 0)
		return 0;
	return (uint64_t)st.st_blocks * 512;
}
