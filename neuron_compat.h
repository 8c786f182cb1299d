/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels neuron supports (7.3 and 6.12 LTS).
 *
 * The driver is written against the 7.3 API.  Where an older kernel differs,
 * this header maps the 7.3 form onto it.  It keys on the Kbuild feature
 * probes in conftest/ (results in the generated neuron_compat_probed.h), not
 * on version numbers, because the 6.12.y stable line backports scheduler
 * API changes piecemeal.
 */
#ifndef NEURON_COMPAT_H
#define NEURON_COMPAT_H

#include <linux/module.h>
#include <linux/uaccess.h>

#include "neuron_compat_probed.h"

/*
 * CRC-32C: 7.x declares crc32c() in <linux/crc32.h> (built in); before, it
 * was <linux/crc32c.h> and the libcrc32c module.  <linux/crc32c.h> exists in
 * both, as a wrapper on 7.x.
 */
#ifdef NEURON_HAVE_CRC32C_IN_CRC32_H
#include <linux/crc32.h>
#else
#include <linux/crc32c.h>
#endif

/*
 * MODULE_IMPORT_NS() takes a string literal since 6.13 and a bare token
 * before.  NEURON_IMPORT_NS(DMA_BUF) works with both.
 */
#ifdef NEURON_HAVE_MODULE_IMPORT_NS_BARE
#define NEURON_IMPORT_NS(ns)	MODULE_IMPORT_NS(ns)
#else
#define NEURON_IMPORT_NS(ns)	MODULE_IMPORT_NS(__stringify(ns))
#endif

#ifndef NEURON_HAVE_COPY_STRUCT_TO_USER
/*
 * copy_struct_to_user() - 6.13's helper for extensible structs: copy
 * min(@usize, @ksize) bytes and zero the rest of a larger user buffer.
 */
static inline int copy_struct_to_user(void __user *dst, size_t usize,
				      const void *src, size_t ksize,
				      bool *ignored_trailing)
{
	size_t size = min(ksize, usize);

	if (usize > ksize && clear_user(dst + ksize, usize - ksize))
		return -EFAULT;
	if (copy_to_user(dst, src, size))
		return -EFAULT;
	if (ignored_trailing)
		*ignored_trailing = ksize > usize &&
			memchr_inv(src + size, 0, ksize - size);
	return 0;
}
#endif

#endif /* NEURON_COMPAT_H */
