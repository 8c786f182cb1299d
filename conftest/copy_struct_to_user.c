// SPDX-License-Identifier: GPL-2.0-only
/* copy_struct_to_user() exists (6.13+). */
#include <linux/uaccess.h>

static int __maybe_unused probe(void __user *dst, size_t usize, const void *src, size_t ksize)
{
	return copy_struct_to_user(dst, usize, src, ksize, NULL);
}
