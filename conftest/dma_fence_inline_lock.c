// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fence lock may live inside struct dma_fence, so dma_fence_init()
 * accepts a NULL lock; dma_fence_spinlock() exists from the same change.
 */
#include <linux/dma-fence.h>

static __maybe_unused spinlock_t *probe(struct dma_fence *fence)
{
	return dma_fence_spinlock(fence);
}
