/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by every part of neuron-emu: little-endian loads and
 * stores (all v1 registers, descriptors and vfio-user fields are LE), logging
 * and a monotonic clock.
 */
#ifndef NEMU_UTIL_H
#define NEMU_UTIL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "neuron-emu assumes a little-endian host (vfio-user is host-endian)"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

static inline uint16_t ld16(const void *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t ld32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t ld64(const void *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline void st16(void *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void st32(void *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void st64(void *p, uint64_t v) { memcpy(p, &v, 8); }

extern int nemu_verbose;
/* Set by SIGTERM/SIGINT; blocking reads give up when they see it. */
extern volatile sig_atomic_t nemu_stop;

/* Debug trace, only with --verbose. */
void nemu_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Always printed to stderr: something the user should know about. */
void nemu_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A register window seen as 32-bit words: an access of any size and
 * alignment becomes whole-word reads, or read-modify-writes for the bytes
 * it covers.  @peek gives a word's current value without side effects (the
 * base of a partial write), @read a guest read, @write a guest write.
 */
struct nemu_word_ops {
	uint32_t (*peek)(void *ctx, uint64_t w);
	uint32_t (*read)(void *ctx, uint64_t w);
	void (*write)(void *ctx, uint64_t w, uint32_t v);
};
void nemu_word_access(const struct nemu_word_ops *ops, void *ctx, uint64_t off,
		      uint8_t *p, size_t len, bool write);

uint64_t nemu_now_ms(void);
/* Zero page-aligned anonymous memory by dropping its pages. */
void nemu_zero_pages(void *p, size_t size);

#endif /* NEMU_UTIL_H */
