/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Userspace interface of the neuron DRM accel driver for AWS Inferentia v1
 * devices (/dev/accel/accelN).
 */
#ifndef _NEURON_ACCEL_H_
#define _NEURON_ACCEL_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * enum drm_neuron_ioctl_id - ioctl numbers, relative to DRM_COMMAND_BASE
 *
 * Append only: never reorder, never reuse a number.
 *
 * @DRM_NEURON_QUERY: query device properties, see &struct drm_neuron_query.
 */
enum drm_neuron_ioctl_id {
	DRM_NEURON_QUERY = 0,
};

/**
 * enum drm_neuron_query_type - what &struct drm_neuron_query returns
 *
 * @DRM_NEURON_QUERY_DEVICE_INFO: &struct drm_neuron_device_info.
 */
enum drm_neuron_query_type {
	DRM_NEURON_QUERY_DEVICE_INFO = 0,
};

/**
 * struct drm_neuron_query - argument of DRM_IOCTL_NEURON_QUERY
 *
 * Two-step, extensible query.  With @pointer 0 the kernel only sets @size to
 * the size of the structure it has for @type.  Otherwise it copies
 * min(@size, its size) bytes to @pointer, zero-fills the rest of a larger
 * user buffer, and sets @size to the number of bytes it knows.  Newer
 * kernels only ever append fields, so old binaries keep working.
 *
 * Errors: EINVAL for an unknown @type, non-zero @flags or @pad; EFAULT for
 * a bad @pointer; ENODEV if the device is gone; EIO if the firmware did not
 * answer a register read the query needed.
 */
struct drm_neuron_query {
	/** @type: one of &enum drm_neuron_query_type. */
	__u32 type;
	/** @size: in: bytes at @pointer; out: bytes the kernel has. */
	__u32 size;
	/** @pointer: user pointer to the result, or 0 to ask for @size. */
	__u64 pointer;
	/** @flags: must be zero. */
	__u32 flags;
	/** @pad: must be zero. */
	__u32 pad;
};

/** DRM_NEURON_ARCH_V1: the Inferentia v1 architecture (PCI 1d0f:7064..7067). */
#define DRM_NEURON_ARCH_V1			1

/** DRM_NEURON_NO_NEIGHBOUR: no device on that Neuron Pipe link. */
#define DRM_NEURON_NO_NEIGHBOUR			0xffffffffu

/** DRM_NEURON_DEVICE_READY: the firmware reports the device ready. */
#define DRM_NEURON_DEVICE_READY			(1u << 0)
/** DRM_NEURON_DEVICE_EAST_LINK: the east Neuron Pipe link is up. */
#define DRM_NEURON_DEVICE_EAST_LINK		(1u << 1)
/** DRM_NEURON_DEVICE_WEST_LINK: the west Neuron Pipe link is up. */
#define DRM_NEURON_DEVICE_WEST_LINK		(1u << 2)

/**
 * struct drm_neuron_device_info - DRM_NEURON_QUERY_DEVICE_INFO result
 *
 * Static properties are read at probe.  @fw_status, @state and the
 * neighbour fields are read from the firmware (FWIO) when queried.
 */
struct drm_neuron_device_info {
	/** @arch: %DRM_NEURON_ARCH_V1. */
	__u32 arch;
	/** @pci_device: PCI device id (0x7064..0x7067). */
	__u32 pci_device;
	/** @pci_revision: PCI revision id. */
	__u32 pci_revision;
	/**
	 * @device_index: index of this device among the driver's devices, as
	 * written to the firmware for neighbours to read.
	 */
	__u32 device_index;
	/** @nc_count: number of NeuronCores. */
	__u32 nc_count;
	/** @dma_engines_per_nc: UDMA engines per NeuronCore. */
	__u32 dma_engines_per_nc;
	/** @queues_per_engine: DMA queues per UDMA engine. */
	__u32 queues_per_engine;
	/** @dram_channels: number of device DRAM channels. */
	__u32 dram_channels;
	/** @dram_size: total device DRAM in bytes. */
	__u64 dram_size;
	/** @semaphores_per_nc: semaphores per NeuronCore. */
	__u32 semaphores_per_nc;
	/** @events_per_nc: events per NeuronCore. */
	__u32 events_per_nc;
	/** @fw_status: raw firmware status word (misc-RAM 0x1c). */
	__u32 fw_status;
	/** @state: DRM_NEURON_DEVICE_* bits decoded from @fw_status. */
	__u32 state;
	/** @neighbour_count: number of neighbours found (0..2). */
	__u32 neighbour_count;
	/** @east_neighbour: device index east, or %DRM_NEURON_NO_NEIGHBOUR. */
	__u32 east_neighbour;
	/** @west_neighbour: device index west, or %DRM_NEURON_NO_NEIGHBOUR. */
	__u32 west_neighbour;
	/** @pad: always zero. */
	__u32 pad;
};

#define DRM_IOCTL_NEURON_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_QUERY, struct drm_neuron_query)

#if defined(__cplusplus)
}
#endif

#endif /* _NEURON_ACCEL_H_ */
