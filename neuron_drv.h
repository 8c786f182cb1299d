/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * neuron: DRM accel driver for AWS Inferentia v1 - per-device state.
 */
#ifndef NEURON_DRV_H
#define NEURON_DRV_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>

#include "neuron_fwio.h"
#include "neuron_reset.h"
#include "neuron_stats.h"
#include "neuron_topology.h"
#include "v1/address_map.h"

struct drm_file;
struct neuron_queue;

#define NEURON_DRIVER_NAME	"neuron"
#define NEURON_DRIVER_DESC	"AWS Inferentia v1 accelerator"

/*
 * Kernel memory a client's ioctl allocates for it: charged to the
 * caller's memory cgroup, and at the cgroup's limit (or when memory runs
 * out) the ioctl fails with ENOMEM instead of invoking the OOM killer or
 * printing an allocation failure.
 */
#define NEURON_GFP_CLIENT	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/**
 * struct neuron_device - one Inferentia v1 PCI function
 * @drm: DRM (accel) device; the structure is its container
 * @pdev: the PCI function
 * @bar0: mapping of BAR0 (APB registers, misc RAM); write-only on v1
 * @bar2: mapping of BAR2 (NeuronCore windows); write-only on v1
 * @bar0_len: length of BAR0
 * @bar2_len: length of BAR2
 * @bar4_start: bus address of BAR4 (device DRAM window), recorded only
 * @bar4_len: length of BAR4, 0 if the BAR is absent
 * @index: device index (0..15) from a global IDA, given to the firmware
 *	   so that neighbours can identify this device
 * @revision: PCI revision id (0xff is the QEMU model, which skips reset)
 * @msix_vectors: MSI-X vectors allocated, 0 when polling
 * @fwio: firmware mailbox
 * @topo: firmware readiness and neighbour topology
 * @reset: device reset state and the lock mailbox users share with it
 * @stats: the driver's periodic statistics post
 * @debugfs_fwio_addr: device address the debugfs fwio_read file reads
 * @dram: device DRAM allocator (neuron_dram.c)
 * @engines: DMA engines, hardware queues and schedulers (neuron_hwq.c)
 * @fill: fill sources of FILL and DRAM clearing (neuron_prog.c)
 * @cores: NeuronCore ownership (neuron_cores.c)
 * @nqs: notification queues (neuron_nq.c)
 * @host_bos: host BOs mapped for the device (neuron_host_bo.c)
 */
struct neuron_device {
	struct drm_device drm;
	struct pci_dev *pdev;
	void __iomem *bar0;
	void __iomem *bar2;
	resource_size_t bar0_len;
	resource_size_t bar2_len;
	resource_size_t bar4_start;
	resource_size_t bar4_len;
	int index;
	u8 revision;
	int msix_vectors;
	struct neuron_fwio fwio;
	struct neuron_topology topo;
	struct neuron_reset reset;
	struct neuron_stats stats;
	u64 debugfs_fwio_addr;
	struct neuron_dram *dram;
	struct neuron_engines *engines;
	struct neuron_fill *fill;
	struct neuron_cores *cores;
	struct neuron_nqs *nqs;
	struct neuron_host_bos *host_bos;
};

static inline struct neuron_device *to_neuron_device(struct drm_device *drm)
{
	return container_of(drm, struct neuron_device, drm);
}

/**
 * struct neuron_busy - a client's engine time, shared with its jobs
 * @ref: the client, and each of its jobs (which may outlive it)
 * @ns: nanoseconds the client's jobs kept each NeuronCore's queues busy
 */
struct neuron_busy {
	struct kref ref;
	atomic64_t ns[V1_NC_PER_DEVICE];
};

/**
 * struct neuron_file - per-client state
 * @copyq: the client's queue on the copy queue of each NeuronCore (COPY,
 *	FILL, DRAM clears)
 * @bo_handles: GEM handles the client holds (DRM_NEURON_MAX_BO_HANDLES)
 * @queues: queue objects (&struct neuron_queue) by handle
 * @progs: programs (&struct neuron_prog) by handle
 * @busy: engine time for fdinfo
 */
struct neuron_file {
	struct neuron_queue *copyq[V1_NC_PER_DEVICE];
	atomic_t bo_handles;
	struct xarray queues;
	struct xarray progs;
	struct neuron_busy *busy;
};

struct neuron_busy *neuron_busy_get(struct drm_file *file);
void neuron_busy_put(struct neuron_busy *busy);

#endif /* NEURON_DRV_H */
