// SPDX-License-Identifier: GPL-2.0-only
/* dma_fence_enable_sw_signaling() was renamed dma_fence_enable_signaling(). */
#include <linux/dma-fence.h>

static void __maybe_unused probe(struct dma_fence *fence)
{
	dma_fence_enable_signaling(fence);
}
