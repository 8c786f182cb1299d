// SPDX-License-Identifier: GPL-2.0-only
/*
 * neuron: DRM accel driver for AWS Inferentia v1 (PCI 1d0f:7064..7067).
 *
 * Probe, remove, the DRM driver and its ioctls.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/dma-mapping.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/uaccess.h>

#include <drm/drm_accel.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>

#include "neuron_compat.h"
#include "neuron_core_ioctl.h"
#include "neuron_cores.h"
#include "neuron_debugfs.h"
#include "neuron_dram.h"
#include "neuron_drv.h"
#include "neuron_exec.h"
#include "neuron_fwio.h"
#include "neuron_fwio_ioctl.h"
#include "neuron_gem.h"
#include "neuron_host_bo.h"
#include "neuron_hw.h"
#include "neuron_hwq.h"
#include "neuron_job.h"
#include "neuron_ncsync.h"
#include "neuron_nq.h"
#include "neuron_peer.h"
#include "neuron_prog.h"
#include "neuron_reset.h"
#include "neuron_stats.h"
#include "neuron_sysfs.h"
#include "neuron_topology.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/address_map.h"
#include "v1/fwio_regs.h"
#include "model/msix.h"

static bool msix = true;
module_param(msix, bool, 0444);
MODULE_PARM_DESC(msix, "Use MSI-X interrupts if the device has them (default true; false: poll)");

/* Device indices 0..V1_MAX_DEVICES-1, handed out in probe order. */
static DEFINE_IDA(neuron_ida);

/*
 * Host memory is presented to the device as "DMA address | bit 46"
 * (V1_HOST_PREFIX; bit 47 selects the neighbours), so every DMA address
 * the device gets must fit in 46 bits.
 */
#define NEURON_DMA_BITS		46

static int neuron_query_device_info(struct neuron_device *ndev,
				    struct drm_neuron_device_info *info)
{
	struct neuron_topology_info topo;
	int ret;

	/* The uapi promises EIO for a firmware that did not answer. */
	ret = neuron_topology_read(ndev, &topo);
	if (ret)
		return ret;

	memset(info, 0, sizeof(*info));
	info->arch = DRM_NEURON_ARCH_V1;
	info->pci_device = ndev->pdev->device;
	info->pci_revision = ndev->revision;
	info->device_index = ndev->index;
	info->nc_count = V1_NC_PER_DEVICE;
	info->dma_engines_per_nc = V1_DMA_ENG_PER_NC;
	info->queues_per_engine = V1_DMA_QUEUES_PER_ENG;
	info->dram_channels = V1_DRAM_CHANNELS;
	info->dram_size = V1_DRAM_CHANNELS * V1_DRAM_CHANNEL_SIZE;
	info->semaphores_per_nc = V1_SEMAPHORES_PER_NC;
	info->events_per_nc = V1_EVENTS_PER_NC;
	info->fw_status = topo.fw_status;
	if (topo.fw_status & FW_STATUS_READY)
		info->state |= DRM_NEURON_DEVICE_READY;
	if (topo.fw_status & FW_STATUS_EAST_LINK)
		info->state |= DRM_NEURON_DEVICE_EAST_LINK;
	if (topo.fw_status & FW_STATUS_WEST_LINK)
		info->state |= DRM_NEURON_DEVICE_WEST_LINK;
	info->neighbour_count = neuron_topology_neighbours(&topo);
	info->east_neighbour = topo.east;
	info->west_neighbour = topo.west;
	return 0;
}

static int neuron_ioctl_query(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct drm_neuron_query *args = data;
	struct drm_neuron_device_info info;
	int idx, ret;

	if (args->flags || args->pad)
		return -EINVAL;
	if (args->type != DRM_NEURON_QUERY_DEVICE_INFO)
		return -EINVAL;

	if (!args->pointer) {
		args->size = sizeof(info);
		return 0;
	}

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	ret = neuron_query_device_info(ndev, &info);
	drm_dev_exit(idx);
	if (ret)
		return ret;

	ret = copy_struct_to_user(u64_to_user_ptr(args->pointer), args->size,
				  &info, sizeof(info), NULL);
	if (ret)
		return ret;
	args->size = sizeof(info);
	return 0;
}

static const struct drm_ioctl_desc neuron_ioctls[] = {
	DRM_IOCTL_DEF_DRV(NEURON_QUERY, neuron_ioctl_query, 0),
	DRM_IOCTL_DEF_DRV(NEURON_FWIO_READ, neuron_ioctl_fwio_read, 0),
	DRM_IOCTL_DEF_DRV(NEURON_STATS_POST, neuron_ioctl_stats_post, 0),
	DRM_IOCTL_DEF_DRV(NEURON_RESET, neuron_ioctl_reset, 0),
	DRM_IOCTL_DEF_DRV(NEURON_BO_CREATE, neuron_ioctl_bo_create, 0),
	DRM_IOCTL_DEF_DRV(NEURON_BO_INFO, neuron_ioctl_bo_info, 0),
	DRM_IOCTL_DEF_DRV(NEURON_BO_WAIT, neuron_ioctl_bo_wait, 0),
	DRM_IOCTL_DEF_DRV(NEURON_COPY, neuron_ioctl_copy, 0),
	DRM_IOCTL_DEF_DRV(NEURON_FILL, neuron_ioctl_fill, 0),
	DRM_IOCTL_DEF_DRV(NEURON_QUEUE_CREATE, neuron_ioctl_queue_create, 0),
	DRM_IOCTL_DEF_DRV(NEURON_QUEUE_DESTROY, neuron_ioctl_queue_destroy, 0),
	DRM_IOCTL_DEF_DRV(NEURON_SUBMIT, neuron_ioctl_submit, 0),
	DRM_IOCTL_DEF_DRV(NEURON_PROGRAM_CREATE, neuron_ioctl_program_create, 0),
	DRM_IOCTL_DEF_DRV(NEURON_PROGRAM_DESTROY, neuron_ioctl_program_destroy, 0),
	DRM_IOCTL_DEF_DRV(NEURON_NQ_CREATE, neuron_ioctl_nq_create, 0),
	DRM_IOCTL_DEF_DRV(NEURON_NC_ACQUIRE, neuron_ioctl_nc_acquire, 0),
	DRM_IOCTL_DEF_DRV(NEURON_NC_RELEASE, neuron_ioctl_nc_release, 0),
	DRM_IOCTL_DEF_DRV(NEURON_NC_RESET, neuron_ioctl_nc_reset, 0),
	DRM_IOCTL_DEF_DRV(NEURON_SEMAPHORE, neuron_ioctl_semaphore, 0),
	DRM_IOCTL_DEF_DRV(NEURON_EVENT, neuron_ioctl_event, 0),
};

/**
 * neuron_busy_get() - a reference on a client's engine time counters
 * @file: the client
 *
 * Return: the counters.
 */
struct neuron_busy *neuron_busy_get(struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;

	kref_get(&nfile->busy->ref);
	return nfile->busy;
}

static void neuron_busy_release(struct kref *ref)
{
	kfree(container_of(ref, struct neuron_busy, ref));
}

/**
 * neuron_busy_put() - drop a reference on a client's engine time
 * @busy: the counters, or NULL
 */
void neuron_busy_put(struct neuron_busy *busy)
{
	if (busy)
		kref_put(&busy->ref, neuron_busy_release);
}

/* Queues clients create, and their programs, go with the file. */
static void neuron_file_release_objects(struct neuron_file *nfile)
{
	struct neuron_queue *queue;
	struct neuron_prog *prog;
	unsigned long id;
	int nc;

	xa_for_each(&nfile->queues, id, queue)
		neuron_queue_destroy(queue);
	xa_destroy(&nfile->queues);
	xa_for_each(&nfile->progs, id, prog)
		neuron_prog_put(prog);
	xa_destroy(&nfile->progs);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		if (nfile->copyq[nc])
			neuron_queue_destroy(nfile->copyq[nc]);
}

/* drm_driver.open: a client's copy queues and counters. */
static int neuron_open(struct drm_device *drm, struct drm_file *file)
{
	struct neuron_device *ndev = to_neuron_device(drm);
	struct neuron_file *nfile;
	int nc, ret = -ENOMEM;

	nfile = kzalloc_obj(*nfile, NEURON_GFP_CLIENT);
	if (!nfile)
		return -ENOMEM;
	xa_init_flags(&nfile->queues, XA_FLAGS_ALLOC1);
	xa_init_flags(&nfile->progs, XA_FLAGS_ALLOC1);
	nfile->busy = kzalloc_obj(*nfile->busy, NEURON_GFP_CLIENT);
	if (!nfile->busy)
		goto err;
	kref_init(&nfile->busy->ref);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++) {
		nfile->copyq[nc] = neuron_queue_create(&ndev->engines->copyq[nc], true);
		if (IS_ERR(nfile->copyq[nc])) {
			ret = PTR_ERR(nfile->copyq[nc]);
			nfile->copyq[nc] = NULL;
			goto err;
		}
	}
	file->driver_priv = nfile;
	return 0;
err:
	neuron_file_release_objects(nfile);
	neuron_busy_put(nfile->busy);
	kfree(nfile);
	return ret;
}

/*
 * drm_driver.postclose: waits (bounded by the scheduler) for the client's
 * queued jobs; the BOs they use stay alive until the jobs are freed.
 */
static void neuron_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;

	/* Its cores go back once its jobs on them have ended. */
	neuron_cores_file_close(to_neuron_device(drm), file);
	neuron_file_release_objects(nfile);
	neuron_busy_put(nfile->busy);
	kfree(nfile);
}

/*
 * drm_driver.show_fdinfo: memory per region (neuron_gem.c), then
 * drm-engine-nc<N>: nanoseconds the client's jobs (copies, fills, clears
 * and submissions) occupied NeuronCore N's DMA queues, overlapping jobs of
 * one queue counted once (Documentation/gpu/drm-usage-stats.rst), and the
 * queue objects and programs the client holds.
 */
static void neuron_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct neuron_file *nfile = file->driver_priv;
	unsigned long id, queues = 0, progs = 0;
	void *entry;
	int nc;

	neuron_gem_show_fdinfo(p, file);
	for (nc = 0; nc < V1_NC_PER_DEVICE; nc++)
		drm_printf(p, "drm-engine-nc%d:\t%llu ns\n", nc,
			   (unsigned long long)atomic64_read(&nfile->busy->ns[nc]));
	xa_for_each(&nfile->queues, id, entry)
		queues++;
	xa_for_each(&nfile->progs, id, entry)
		progs++;
	drm_printf(p, "neuron-queues:\t%lu\n", queues);
	drm_printf(p, "neuron-programs:\t%lu\n", progs);
	neuron_cores_show_fdinfo(p, file);
}

/*
 * DRM_ACCEL_FOPS, but ioctls pass through neuron_core_ioctl(), which
 * refuses the core DRM ioctls an accel node must not reach.
 */
static const struct file_operations neuron_fops = {
	.owner = THIS_MODULE,
	.open = accel_open,
	.release = drm_release,
	.unlocked_ioctl = neuron_core_ioctl,
	.compat_ioctl = neuron_core_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = drm_gem_mmap,
	.fop_flags = FOP_UNSIGNED_OFFSET,
	.show_fdinfo = drm_show_fdinfo,
};

/*
 * A neighbour's device BO becomes a peer BO (neuron_peer.c).  Other imports
 * go through drm_gem_prime_import() (self-imports give back the same
 * object) and become shmem objects with the exporter's sg table, so that
 * the device can DMA to them; not the _no_map variant.
 */
static const struct drm_driver neuron_drm_driver = {
	.driver_features = DRIVER_COMPUTE_ACCEL | DRIVER_GEM | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE,
	.open = neuron_open,
	.postclose = neuron_postclose,
	.show_fdinfo = neuron_show_fdinfo,
	.gem_create_object = neuron_gem_create_object,
	.gem_prime_import = neuron_gem_prime_import,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
	.ioctls = neuron_ioctls,
	.num_ioctls = ARRAY_SIZE(neuron_ioctls),
	.fops = &neuron_fops,
	.name = NEURON_DRIVER_NAME,
	.desc = NEURON_DRIVER_DESC,
	.major = 0,
	.minor = 1,
};

static void neuron_ida_release(void *data)
{
	ida_free(&neuron_ida, (int)(uintptr_t)data);
}

static int neuron_map_bars(struct neuron_device *ndev)
{
	struct pci_dev *pdev = ndev->pdev;

	ndev->bar0_len = pci_resource_len(pdev, V1_BAR_APB);
	ndev->bar2_len = pci_resource_len(pdev, V1_BAR_AXI);
	/* FWIO, the only path the driver needs now, lives at the end of BAR0. */
	if (ndev->bar0_len < V1_MISC_RAM_OFFSET + MISC_DOORBELL + sizeof(u32) ||
	    ndev->bar2_len < V1_NC_PER_DEVICE * V1_NC_WINDOW_SIZE) {
		dev_err(&pdev->dev, "BARs too small: BAR0 %pa, BAR2 %pa\n",
			&ndev->bar0_len, &ndev->bar2_len);
		return -ENODEV;
	}

	ndev->bar0 = pcim_iomap_region(pdev, V1_BAR_APB, NEURON_DRIVER_NAME);
	if (IS_ERR(ndev->bar0))
		return dev_err_probe(&pdev->dev, PTR_ERR(ndev->bar0), "mapping BAR0\n");
	ndev->bar2 = pcim_iomap_region(pdev, V1_BAR_AXI, NEURON_DRIVER_NAME);
	if (IS_ERR(ndev->bar2))
		return dev_err_probe(&pdev->dev, PTR_ERR(ndev->bar2), "mapping BAR2\n");

	/* The DRAM window: recorded for later use, not mapped. */
	ndev->bar4_start = pci_resource_start(pdev, V1_BAR_DRAM);
	ndev->bar4_len = pci_resource_len(pdev, V1_BAR_DRAM);
	return 0;
}

/*
 * MSI-X vectors for later use (FWIO, UDMA engines, notification queues).
 * The v1 facts do not promise MSI-X: without it, or with neuron.msix=0,
 * the driver polls.
 */
static void neuron_free_irq_vectors(void *data)
{
	pci_free_irq_vectors(data);
}

static int neuron_setup_msix(struct neuron_device *ndev)
{
	int n;

	if (!msix)
		return 0;
	n = pci_alloc_irq_vectors(ndev->pdev, 1, NEURON_MSIX_VECTORS, PCI_IRQ_MSIX);
	if (n < 0) {
		drm_info(&ndev->drm, "no MSI-X (%pe): polling\n", ERR_PTR(n));
		return 0;
	}
	ndev->msix_vectors = n;
	/* Explicit: whether the managed PCI device frees vectors has changed over time. */
	return devm_add_action_or_reset(&ndev->pdev->dev, neuron_free_irq_vectors,
					ndev->pdev);
}

static int neuron_alloc_index(struct neuron_device *ndev)
{
	int id;

	id = ida_alloc_max(&neuron_ida, V1_MAX_DEVICES - 1, GFP_KERNEL);
	if (id < 0)
		return dev_err_probe(&ndev->pdev->dev, id, "more than %d devices\n",
				     V1_MAX_DEVICES);
	ndev->index = id;
	return devm_add_action_or_reset(&ndev->pdev->dev, neuron_ida_release,
					(void *)(uintptr_t)id);
}

static int neuron_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct neuron_device *ndev;
	int ret;

	ndev = devm_drm_dev_alloc(&pdev->dev, &neuron_drm_driver,
				  struct neuron_device, drm);
	if (IS_ERR(ndev))
		return PTR_ERR(ndev);
	ndev->pdev = pdev;
	ndev->revision = pdev->revision;
	pci_set_drvdata(pdev, ndev);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = neuron_map_bars(ndev);
	if (ret)
		return ret;
	pci_set_master(pdev);

	BUILD_BUG_ON(DMA_BIT_MASK(NEURON_DMA_BITS) & V1_PREFIX_MASK);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(NEURON_DMA_BITS));
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "no %d-bit DMA\n", NEURON_DMA_BITS);
	/*
	 * Jobs cut every mapped segment into descriptors of at most 64 KiB
	 * themselves, so any segment length is fine (the 64 KiB default made
	 * the DMA API debug code warn about shmem's larger segments).
	 */
	dma_set_max_seg_size(&pdev->dev, UINT_MAX);

	ret = neuron_setup_msix(ndev);
	if (ret)
		return ret;

	ret = neuron_alloc_index(ndev);
	if (ret)
		return ret;
	neuron_reset_init(ndev);
	ret = neuron_fwio_init(ndev);
	if (ret)
		return ret;
	ret = neuron_topology_init(ndev);
	if (ret)
		return ret;
	ret = neuron_stats_init(ndev);
	if (ret)
		return ret;
	ret = neuron_host_bo_init(ndev);
	if (ret)
		return ret;
	/* DRAM allocator before the schedulers: released after them. */
	ret = neuron_dram_init(ndev);
	if (ret)
		return ret;
	ret = neuron_nq_init(ndev);
	if (ret)
		return ret;
	ret = neuron_fill_init(ndev);
	if (ret)
		return ret;
	ret = neuron_cores_init(ndev);
	if (ret)
		return ret;
	ret = neuron_engines_init(ndev);
	if (ret)
		return ret;

	neuron_debugfs_init(ndev);

	ret = drm_dev_register(&ndev->drm, 0);
	if (ret)
		return ret;

	drm_info(&ndev->drm, "Inferentia v1 %04x rev %#x, device %d, %d MSI-X vectors\n",
		 pdev->device, ndev->revision, ndev->index, ndev->msix_vectors);
	return 0;
}

static void neuron_remove(struct pci_dev *pdev)
{
	struct neuron_device *ndev = pci_get_drvdata(pdev);

	/*
	 * Unplug first: it waits for every drm_dev_enter() section, so no
	 * ioctl or debugfs file touches the device afterwards.  Then the
	 * hardware queues stop; BARs, MSI-X, rings, the FWIO buffers and the index are
	 * released by devres after this returns.
	 */
	drm_dev_unplug(&ndev->drm);
	/* Every pending DMA fence completes with -ENODEV; no more MMIO. */
	neuron_engines_remove(ndev);
	/* Neighbours' jobs on our DRAM end before it can be handed out again. */
	neuron_peer_remove(ndev);
	/* Notification queues off; their rings stay while clients map them. */
	neuron_nq_remove(ndev);
	/* Host BOs clients still hold: their pages stay, the mappings go. */
	neuron_host_bo_remove(ndev);
}

static const struct pci_device_id neuron_pci_ids[] = {
	{ PCI_DEVICE(V1_PCI_VENDOR_AMAZON, V1_PCI_DEVICE_ID0) },
	{ PCI_DEVICE(V1_PCI_VENDOR_AMAZON, V1_PCI_DEVICE_ID1) },
	{ PCI_DEVICE(V1_PCI_VENDOR_AMAZON, V1_PCI_DEVICE_ID2) },
	{ PCI_DEVICE(V1_PCI_VENDOR_AMAZON, V1_PCI_DEVICE_ID3) },
	{ }
};
MODULE_DEVICE_TABLE(pci, neuron_pci_ids);

static struct pci_driver neuron_pci_driver = {
	.name = NEURON_DRIVER_NAME,
	.id_table = neuron_pci_ids,
	.probe = neuron_probe,
	.remove = neuron_remove,
	.dev_groups = neuron_sysfs_groups,
};
module_pci_driver(neuron_pci_driver);

MODULE_DESCRIPTION("DRM accel driver for " NEURON_DRIVER_DESC "s");
MODULE_AUTHOR("The neuron driver authors");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1.0");
NEURON_IMPORT_NS(DMA_BUF);
