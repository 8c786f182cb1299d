// SPDX-License-Identifier: MIT
/* Logging and time for neuron-emu. */
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

#include "util.h"

int nemu_verbose;
volatile sig_atomic_t nemu_stop;

void nemu_log(const char *fmt, ...)
{
	va_list ap;

	if (!nemu_verbose)
		return;
	va_start(ap, fmt);
	fputs("neuron-emu: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void nemu_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("neuron-emu: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

uint64_t nemu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void nemu_zero_pages(void *p, size_t size)
{
	/* Untouched anonymous pages read as zero and cost the host nothing. */
	if (madvise(p, size, MADV_DONTNEED) < 0)
		memset(p, 0, size);
}

void nemu_word_access(const struct nemu_word_ops *ops, void *ctx, uint64_t off,
		      uint8_t *p, size_t len, bool write)
{
	while (len) {
		uint64_t w = off & ~3ULL;
		unsigned b = (unsigned)(off & 3);
		size_t n = MIN(4 - b, len);
		uint32_t v;

		if (write) {
			v = ops->peek(ctx, w);
			memcpy((uint8_t *)&v + b, p, n);
			ops->write(ctx, w, v);
		} else {
			v = ops->read(ctx, w);
			memcpy(p, (uint8_t *)&v + b, n);
		}
		p += n;
		off += n;
		len -= n;
	}
}
