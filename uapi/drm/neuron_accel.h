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
 * @DRM_NEURON_BO_CREATE: create a buffer object, &struct drm_neuron_bo_create.
 * @DRM_NEURON_BO_INFO: describe a buffer object, &struct drm_neuron_bo_info.
 * @DRM_NEURON_BO_WAIT: wait for a buffer object to be idle,
 *	&struct drm_neuron_bo_wait.
 * @DRM_NEURON_COPY: DMA copy between two buffer objects,
 *	&struct drm_neuron_copy.
 * @DRM_NEURON_FILL: DMA fill of a buffer object range,
 *	&struct drm_neuron_fill.
 * @DRM_NEURON_FWIO_READ: read device registers through the firmware,
 *	&struct drm_neuron_fwio_read.
 * @DRM_NEURON_STATS_POST: post runtime statistics to the firmware,
 *	&struct drm_neuron_stats_post.
 * @DRM_NEURON_RESET: reset the device (CAP_SYS_ADMIN),
 *	&struct drm_neuron_reset.
 * @DRM_NEURON_QUEUE_CREATE: take a DMA queue of a NeuronCore engine,
 *	&struct drm_neuron_queue_create.
 * @DRM_NEURON_QUEUE_DESTROY: release it, &struct drm_neuron_queue_destroy.
 * @DRM_NEURON_SUBMIT: run descriptors (or a program) on a queue,
 *	&struct drm_neuron_submit.
 * @DRM_NEURON_PROGRAM_CREATE: validate descriptors once for many
 *	submissions, &struct drm_neuron_program_create.
 * @DRM_NEURON_PROGRAM_DESTROY: release a program,
 *	&struct drm_neuron_program_destroy.
 * @DRM_NEURON_NQ_CREATE: open a notification queue,
 *	&struct drm_neuron_nq_create.
 * @DRM_NEURON_NC_ACQUIRE: own NeuronCores, &struct drm_neuron_nc_acquire.
 * @DRM_NEURON_NC_RELEASE: give NeuronCores back, &struct drm_neuron_nc_release.
 * @DRM_NEURON_NC_RESET: reset NeuronCores only, &struct drm_neuron_nc_reset.
 * @DRM_NEURON_SEMAPHORE: read or change a NeuronCore semaphore,
 *	&struct drm_neuron_semaphore.
 * @DRM_NEURON_EVENT: read or set a NeuronCore event,
 *	&struct drm_neuron_event.
 */
enum drm_neuron_ioctl_id {
	DRM_NEURON_QUERY = 0,
	DRM_NEURON_BO_CREATE = 1,
	DRM_NEURON_BO_INFO = 2,
	DRM_NEURON_BO_WAIT = 3,
	DRM_NEURON_COPY = 4,
	DRM_NEURON_FILL = 5,
	DRM_NEURON_FWIO_READ = 6,
	DRM_NEURON_STATS_POST = 7,
	DRM_NEURON_RESET = 8,
	DRM_NEURON_QUEUE_CREATE = 9,
	DRM_NEURON_QUEUE_DESTROY = 10,
	DRM_NEURON_SUBMIT = 11,
	DRM_NEURON_PROGRAM_CREATE = 12,
	DRM_NEURON_PROGRAM_DESTROY = 13,
	DRM_NEURON_NQ_CREATE = 14,
	DRM_NEURON_NC_ACQUIRE = 15,
	DRM_NEURON_NC_RELEASE = 16,
	DRM_NEURON_NC_RESET = 17,
	DRM_NEURON_SEMAPHORE = 18,
	DRM_NEURON_EVENT = 19,
};

/*
 * Per-file object limits.  Kernel memory a client allocates (BOs, queue
 * objects, programs, notification rings, jobs) is charged to its memory
 * cgroup; these counts bound what one open file may hold besides.  An
 * ioctl that would go over one fails with EDQUOT; closing objects makes
 * room again.
 */
/**
 * DRM_NEURON_MAX_BO_HANDLES: most GEM handles one file holds (created,
 * imported with PRIME or opened by flink name alike).
 */
#define DRM_NEURON_MAX_BO_HANDLES		65536
/** DRM_NEURON_MAX_QUEUES: most queue objects one file holds. */
#define DRM_NEURON_MAX_QUEUES			1024
/** DRM_NEURON_MAX_PROGRAMS: most programs one file holds. */
#define DRM_NEURON_MAX_PROGRAMS			1024

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
 * answer a register read the query needed; EINTR if a signal arrived while
 * waiting for the firmware mailbox (restart the call).
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

/**
 * DOC: buffer objects
 *
 * A buffer object (BO) is a GEM object of one of two domains:
 *
 * - %DRM_NEURON_BO_DOMAIN_HOST: host memory (shmem pages), CPU-mappable with
 *   mmap() at &drm_neuron_bo_info.mmap_offset, pinned and DMA-mapped while
 *   the device may use it, shareable as a dma-buf (PRIME).
 * - %DRM_NEURON_BO_DOMAIN_DEVICE: a range of the device's DRAM, cleared
 *   before it is handed out.  Not CPU-mappable (see the driver
 *   documentation for why); reached only by DMA (copy, fill, jobs).
 *
 * Neuron Pipe: a device BO exported as a dma-buf can be imported only by a
 * neuron device linked to its owner (east or west neighbour).  The import
 * is a *peer BO* (%DRM_NEURON_BO_PEER): the owner's DRAM as the importer's
 * DMA engines reach it over the link.  COPY, FILL, SUBMIT and programs on
 * the importing device use it like one of its own device BOs, so data moves
 * between the two devices without touching host memory, and jobs on both
 * devices order against each other through the BO's reservation (implicit
 * sync).  Importing on a device that is not a neighbour fails with EXDEV;
 * a topology read that fails, with its error (EIO, ETIMEDOUT, ...).  Other
 * drivers cannot attach to the dma-buf (EOPNOTSUPP), and it cannot be
 * mmap'ed.  A job using a peer BO whose owner device was removed fails
 * with -ENODEV on its fence.  A signal during the import's topology read
 * gives EINTR (restartable).
 *
 * Access modes: the import of a dma-buf that was not opened for writing
 * (PRIME_HANDLE_TO_FD without DRM_RDWR) is a new BO with
 * %DRM_NEURON_BO_READ_ONLY, even on the exporting device: the exporter's
 * own object stays writable only through the exporter's handles.  (A
 * client importing its own export gets its own handle back.)  An import
 * past %DRM_NEURON_MAX_BO_HANDLES handles fails with EDQUOT.
 *
 * Userspace never sees a host physical or bus address.  Every DMA request
 * names BOs by handle plus an offset; the kernel checks the bounds and
 * writes the hardware addresses itself.  A BO stays alive until every DMA
 * that uses it has completed, even if its handle is closed earlier.
 */

/** DRM_NEURON_BO_DOMAIN_HOST: host memory BO. */
#define DRM_NEURON_BO_DOMAIN_HOST		0
/** DRM_NEURON_BO_DOMAIN_DEVICE: device DRAM BO. */
#define DRM_NEURON_BO_DOMAIN_DEVICE		1

/** DRM_NEURON_ANY: no preference (DRAM channel, NeuronCore). */
#define DRM_NEURON_ANY				0xffffffffu

/**
 * struct drm_neuron_bo_create - argument of DRM_IOCTL_NEURON_BO_CREATE
 *
 * Errors: EINVAL for a zero @size, an unknown @domain, non-zero @flags or
 * @pad, a @dram_channel or @dram_nc out of range or given for a host BO, or
 * a device BO larger than one DRAM channel (4 GiB); ENOSPC when no DRAM
 * range of that size is free; ENOMEM when host memory (or the memory
 * cgroup's limit) runs out; EDQUOT if the file already holds
 * %DRM_NEURON_MAX_BO_HANDLES handles; EFAULT for a bad argument pointer;
 * ENODEV if the device is gone.
 */
struct drm_neuron_bo_create {
	/**
	 * @size: in: requested size in bytes; out: allocated size (rounded
	 * up to the page size for host BOs, to 256 bytes for device BOs).
	 */
	__u64 size;
	/** @domain: %DRM_NEURON_BO_DOMAIN_HOST or %DRM_NEURON_BO_DOMAIN_DEVICE. */
	__u32 domain;
	/** @flags: must be zero. */
	__u32 flags;
	/**
	 * @dram_channel: device BOs: DRAM channel (0 or 1) or %DRM_NEURON_ANY.
	 * Host BOs: must be %DRM_NEURON_ANY.
	 */
	__u32 dram_channel;
	/**
	 * @dram_nc: device BOs: NeuronCore whose quarter of the channel is
	 * preferred (0..3; a hint, the allocation falls back to the rest of the
	 * channel) or %DRM_NEURON_ANY.  Host BOs: must be %DRM_NEURON_ANY.
	 */
	__u32 dram_nc;
	/** @handle: out: GEM handle. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
};

/** DRM_NEURON_BO_IMPORTED: the BO was imported from another device's dma-buf. */
#define DRM_NEURON_BO_IMPORTED			(1u << 0)
/**
 * DRM_NEURON_BO_PEER: a neighbouring device's device BO (a Neuron Pipe
 * import; %DRM_NEURON_BO_IMPORTED is set too).
 */
#define DRM_NEURON_BO_PEER			(1u << 1)
/** DRM_NEURON_BO_PEER_WEST: a peer BO reached over the west link (else east). */
#define DRM_NEURON_BO_PEER_WEST			(1u << 2)
/**
 * DRM_NEURON_BO_READ_ONLY: imported from a dma-buf that was not opened for
 * writing (exported without DRM_RDWR, say): DMA only reads it (EACCES for
 * a COPY or FILL destination or an RX descriptor) and mmap() is read-only.
 */
#define DRM_NEURON_BO_READ_ONLY			(1u << 3)

/**
 * struct drm_neuron_bo_info - argument of DRM_IOCTL_NEURON_BO_INFO
 *
 * Errors: ENOENT for an unknown @handle; EINVAL for non-zero @pad; EFAULT
 * for a bad argument pointer; ENODEV if the device is gone.
 */
struct drm_neuron_bo_info {
	/** @handle: in: GEM handle. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
	/** @size: out: size in bytes. */
	__u64 size;
	/** @domain: out: DRM_NEURON_BO_DOMAIN_*. */
	__u32 domain;
	/** @flags: out: DRM_NEURON_BO_* state bits. */
	__u32 flags;
	/** @mmap_offset: out: offset for mmap() of host BOs; 0 for device BOs. */
	__u64 mmap_offset;
	/**
	 * @dram_address: out: device BOs: the BO's address in the device's
	 * own address space (DRAM channel base + offset), for profiling and
	 * debugging; it is not a host address and no ioctl accepts it.  Peer
	 * BOs: the address in the owner's space.  0 for host BOs.
	 */
	__u64 dram_address;
};

/**
 * struct drm_neuron_sync - a syncobj and, for timelines, a point
 */
struct drm_neuron_sync {
	/** @handle: syncobj handle. */
	__u32 handle;
	/** @flags: must be zero. */
	__u32 flags;
	/** @point: timeline point, or 0 for a binary syncobj. */
	__u64 point;
};

/**
 * struct drm_neuron_bo_wait - argument of DRM_IOCTL_NEURON_BO_WAIT
 *
 * Waits until every DMA using the BO (reads and writes, including other
 * devices' work on a shared dma-buf) has completed.
 *
 * Errors: ENOENT for an unknown @handle; EINVAL for non-zero @flags;
 * ETIMEDOUT if the BO is still busy at @timeout_ns; EINTR (restartable) if
 * a signal arrives; EFAULT for a bad argument pointer; ENODEV if the device
 * is gone.
 */
struct drm_neuron_bo_wait {
	/** @handle: GEM handle. */
	__u32 handle;
	/** @flags: must be zero. */
	__u32 flags;
	/**
	 * @timeout_ns: absolute CLOCK_MONOTONIC deadline in nanoseconds; 0
	 * only polls.
	 */
	__s64 timeout_ns;
};

/**
 * struct drm_neuron_copy - argument of DRM_IOCTL_NEURON_COPY
 *
 * Queues a DMA copy of @size bytes from @src_handle at @src_offset to
 * @dst_handle at @dst_offset, on the driver's own copy queue.  Any pair of
 * domains works; offsets and sizes need no alignment.  The copy runs after
 * every fence in @in_syncs and after the BOs' pending DMA (implicit sync);
 * its completion is published on the BOs' reservation objects and, if
 * @out_sync.handle is non-zero, in that syncobj (binary, or the given
 * timeline point).  Overlapping ranges of the same BO are refused.
 *
 * Errors: ENOENT for an unknown BO or syncobj handle; EINVAL for a zero
 * @size, a range outside a BO, overlapping ranges, non-zero @flags or pads,
 * @nc out of range, @in_sync_count over 64; EACCES for a read-only
 * destination (%DRM_NEURON_BO_READ_ONLY); EFAULT for a bad @in_syncs
 * pointer; ENOMEM; EINTR (restartable) if a signal arrived while waiting
 * for the BOs' reservation locks; ENODEV if the device is gone.  A copy that
 * fails on the device signals its fence with -EIO (or -ETIMEDOUT if the
 * engine hung).
 */
struct drm_neuron_copy {
	/** @src_handle: source BO. */
	__u32 src_handle;
	/** @dst_handle: destination BO. */
	__u32 dst_handle;
	/** @src_offset: byte offset in the source BO. */
	__u64 src_offset;
	/** @dst_offset: byte offset in the destination BO. */
	__u64 dst_offset;
	/** @size: bytes to copy. */
	__u64 size;
	/** @flags: must be zero. */
	__u32 flags;
	/**
	 * @nc: NeuronCore whose copy engine runs the copy (0..3), or
	 * %DRM_NEURON_ANY to let the driver choose (the NeuronCore of the
	 * device BO's DRAM region).
	 */
	__u32 nc;
	/** @in_syncs: user pointer to an array of &struct drm_neuron_sync. */
	__u64 in_syncs;
	/** @in_sync_count: number of entries at @in_syncs (0..64). */
	__u32 in_sync_count;
	/** @pad: must be zero. */
	__u32 pad;
	/**
	 * @out_sync: syncobj to signal on completion (handle 0: none, and
	 * then its point must be 0).
	 */
	struct drm_neuron_sync out_sync;
};

/**
 * struct drm_neuron_fill - argument of DRM_IOCTL_NEURON_FILL
 *
 * Queues a DMA fill of @size bytes of @handle at @offset with the byte
 * @value.  Synchronisation as for &struct drm_neuron_copy.
 *
 * Errors: as for &struct drm_neuron_copy; EINVAL also for @value > 255.
 */
struct drm_neuron_fill {
	/** @handle: BO to fill. */
	__u32 handle;
	/** @value: fill byte (0..255). */
	__u32 value;
	/** @offset: byte offset in the BO. */
	__u64 offset;
	/** @size: bytes to fill. */
	__u64 size;
	/** @flags: must be zero. */
	__u32 flags;
	/** @nc: as &drm_neuron_copy.nc. */
	__u32 nc;
	/** @in_syncs: user pointer to an array of &struct drm_neuron_sync. */
	__u64 in_syncs;
	/** @in_sync_count: number of entries at @in_syncs (0..64). */
	__u32 in_sync_count;
	/** @pad: must be zero. */
	__u32 pad;
	/**
	 * @out_sync: syncobj to signal on completion (handle 0: none, and
	 * then its point must be 0).
	 */
	struct drm_neuron_sync out_sync;
};

/** DRM_NEURON_FWIO_READ_MAX: most addresses in one FWIO read ioctl. */
#define DRM_NEURON_FWIO_READ_MAX		1024

/**
 * struct drm_neuron_fwio_read - argument of DRM_IOCTL_NEURON_FWIO_READ
 *
 * Reads 32-bit device registers through the firmware mailbox.  Addresses
 * are in the device's own address space and must lie in the allow-list of
 * harmless ranges the driver documentation gives (firmware status, device
 * id, counters, DMA engine and queue state, semaphores, events); anything
 * else is refused before any register is read.
 *
 * Errors: EINVAL for @count 0 or over %DRM_NEURON_FWIO_READ_MAX, non-zero
 * @flags, or an address not 4-byte aligned; EACCES for an address outside
 * the allow-list; EFAULT for bad pointers; EIO, ETIMEDOUT or EPROTO if the
 * firmware failed, did not answer, or answered out of sequence; EINTR
 * (restartable) if a signal arrived while waiting for the mailbox or for a
 * device reset; ENODEV if the device is gone.
 */
struct drm_neuron_fwio_read {
	/** @addrs: user pointer to @count __u64 device addresses. */
	__u64 addrs;
	/** @values: user pointer to @count __u32 results. */
	__u64 values;
	/** @count: number of addresses. */
	__u32 count;
	/** @flags: must be zero. */
	__u32 flags;
};

/** DRM_NEURON_STATS_POST_MAX: largest statistics blob, in bytes. */
#define DRM_NEURON_STATS_POST_MAX		128

/**
 * struct drm_neuron_stats_post - argument of DRM_IOCTL_NEURON_STATS_POST
 *
 * Posts a runtime statistics blob (a sequence of {u8 id, u8 len,
 * data[len]} records by convention) to the firmware.
 *
 * Errors: EINVAL for @size 0 or over %DRM_NEURON_STATS_POST_MAX or
 * non-zero @flags; EFAULT for a bad @data; EIO, ETIMEDOUT, EPROTO, EINTR,
 * ENODEV as for &struct drm_neuron_fwio_read.
 */
struct drm_neuron_stats_post {
	/** @data: user pointer to the blob. */
	__u64 data;
	/** @size: bytes at @data. */
	__u32 size;
	/** @flags: must be zero. */
	__u32 flags;
};

/**
 * struct drm_neuron_reset - argument of DRM_IOCTL_NEURON_RESET
 *
 * Resets the whole device through the firmware reset handshake (clears
 * device DRAM), waits for it to be ready again and restores the driver's
 * state.  All clients' pending work completes with an error.  Needs
 * CAP_SYS_ADMIN.
 *
 * Errors: EPERM without CAP_SYS_ADMIN; EINVAL for non-zero @flags or @pad;
 * ETIMEDOUT if the device did not come back; EFAULT for a bad argument
 * pointer; ENODEV if it is gone.
 */
struct drm_neuron_reset {
	/** @flags: must be zero. */
	__u32 flags;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_neuron_queue_create - argument of DRM_IOCTL_NEURON_QUEUE_CREATE
 *
 * Gives the client a queue object on hardware DMA queue @queue of engine
 * @engine of NeuronCore @nc (engine id @nc * 3 + @engine in the facts).
 * The hardware queue's descriptor rings are owned by the kernel; every
 * hardware queue in use has one drm_sched scheduler, and every queue
 * object is one scheduler entity on it.  Several clients (and several
 * queue objects of one client) may name the same hardware queue: their
 * jobs are interleaved fairly on its ring, each job touching only its own
 * BOs.  Queue 15 of engine 2 is the driver's copy queue and cannot be
 * taken.
 *
 * A queue whose job hung or failed on the device is marked guilty: later
 * submissions on it fail with ECANCELED; destroy it and create another.
 *
 * Errors: EINVAL for @nc, @engine or @queue out of range, the copy queue,
 * non-zero @flags or @pad; ENOMEM; EDQUOT if the file already holds
 * %DRM_NEURON_MAX_QUEUES queue objects; EFAULT for a bad argument pointer;
 * the first queue of an engine reads the engine's DMA version through the
 * firmware, so also EIO, ETIMEDOUT or EPROTO as for &struct
 * drm_neuron_fwio_read, and EINTR (restartable) if a signal arrived while
 * waiting for the mailbox or a reset; ENODEV if the device is gone (or the
 * engine is not the expected DMA version).
 */
struct drm_neuron_queue_create {
	/** @nc: NeuronCore, 0..3. */
	__u32 nc;
	/** @engine: DMA engine of the NeuronCore, 0..2. */
	__u32 engine;
	/** @queue: hardware queue of the engine, 0..15. */
	__u32 queue;
	/** @flags: must be zero. */
	__u32 flags;
	/** @handle: out: queue handle (non-zero, per file). */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_neuron_queue_destroy - argument of DRM_IOCTL_NEURON_QUEUE_DESTROY
 *
 * Releases a queue object.  Jobs already submitted on it still run and
 * signal their fences.
 *
 * Errors: ENOENT for an unknown @handle; EINVAL for non-zero @pad; EFAULT
 * for a bad argument pointer; ENODEV if the device is gone.
 */
struct drm_neuron_queue_destroy {
	/** @handle: queue handle. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
};

/* Descriptor flags (hardware packet framing, transmit side only). */
/** DRM_NEURON_DESC_FIRST - first descriptor of a packet (TX). */
#define DRM_NEURON_DESC_FIRST			(1u << 0)
/** DRM_NEURON_DESC_LAST - last descriptor of a packet (TX). */
#define DRM_NEURON_DESC_LAST			(1u << 1)
/**
 * DRM_NEURON_DESC_DMB - data memory barrier: start only after every
 * earlier transfer of the queue has finished (TX).
 */
#define DRM_NEURON_DESC_DMB			(1u << 2)

/**
 * DRM_NEURON_DESC_NC_FIFO - &drm_neuron_desc.bo_index value naming the
 * instruction FIFO window of the queue's NeuronCore instead of a BO
 * (receive side only; @offset and @length must fall inside the window).
 */
#define DRM_NEURON_DESC_NC_FIFO			0xffffffffu

/**
 * DRM_NEURON_DESC_NC_WINDOW - &drm_neuron_desc.bo_index value naming the
 * whole window of the queue's NeuronCore (TX or RX; @offset from the
 * window's start).  Only the NeuronCore's owner (DRM_IOCTL_NEURON_NC_ACQUIRE)
 * may name it, and no descriptor may touch the control views
 * [%DRM_NEURON_NC_CONTROL_START, %DRM_NEURON_NC_CONTROL_END), which have
 * their own ioctls (semaphores and events).
 */
#define DRM_NEURON_DESC_NC_WINDOW		0xfffffffeu
/** DRM_NEURON_NC_WINDOW_SIZE - bytes of one NeuronCore's window (64 MiB). */
#define DRM_NEURON_NC_WINDOW_SIZE		0x4000000ull
/** DRM_NEURON_NC_CONTROL_START - first byte of the window's control views. */
#define DRM_NEURON_NC_CONTROL_START		0x2700000ull
/** DRM_NEURON_NC_CONTROL_END - first byte after the control views. */
#define DRM_NEURON_NC_CONTROL_END		0x2701400ull

/* Most descriptors one submission or program may have per direction. */
#define DRM_NEURON_SUBMIT_MAX_DESC		4096
/* Most BOs one submission or program may name. */
#define DRM_NEURON_SUBMIT_MAX_BOS		256
/* Most bytes one descriptor moves. */
#define DRM_NEURON_DESC_MAX_LENGTH		65536

/**
 * struct drm_neuron_desc - one DMA descriptor, as userspace describes it
 *
 * Names memory by BO (an index into the submission's BO list) and offset;
 * the kernel checks the range and writes the hardware descriptor itself
 * (address, ring id).  Transmit (TX, memory-to-stream) descriptors form
 * packets: the first has %DRM_NEURON_DESC_FIRST, the last
 * %DRM_NEURON_DESC_LAST (one descriptor may have both); a packet has at
 * most 128 descriptors and 1 MiB - 1 bytes.  Receive (RX,
 * stream-to-memory) descriptors take no flags and must split the packets
 * exactly: the RX lengths, in order, add up to each packet's length in
 * turn.  The transmit descriptor's operation word is the kernel's (plain
 * copy); the completion interrupt is the kernel's too.
 */
struct drm_neuron_desc {
	/** @offset: byte offset in the BO (or in the FIFO or NeuronCore window). */
	__u64 offset;
	/**
	 * @bo_index: index into the BO list, %DRM_NEURON_DESC_NC_FIFO or
	 * %DRM_NEURON_DESC_NC_WINDOW.
	 */
	__u32 bo_index;
	/** @length: bytes, 1..%DRM_NEURON_DESC_MAX_LENGTH. */
	__u32 length;
	/** @flags: DRM_NEURON_DESC_* (TX); zero on RX. */
	__u32 flags;
	/** @pad: must be zero. */
	__u32 pad;
};

/** DRM_NEURON_SUBMIT_OUT_FENCE_FD - return a sync_file in @out_fence_fd. */
#define DRM_NEURON_SUBMIT_OUT_FENCE_FD		(1u << 0)

/**
 * struct drm_neuron_submit - argument of DRM_IOCTL_NEURON_SUBMIT
 *
 * Runs one job on queue @queue: either the descriptors at @tx and @rx
 * (with the BOs of @bo_handles), or, if @program is non-zero, a program
 * made by DRM_IOCTL_NEURON_PROGRAM_CREATE (then @bo_handles, @tx and @rx
 * must be empty).  The job starts after every fence of @in_syncs and the
 * pending DMA of its BOs (implicit sync: it reads every BO it names and
 * writes those named by RX descriptors); its completion is published on
 * the BOs' reservation objects, in @out_sync if its handle is non-zero,
 * and as a sync_file if %DRM_NEURON_SUBMIT_OUT_FENCE_FD is set.  The fence
 * signals with -EIO if the engine aborted (DMA error, descriptor refused by
 * the hardware) or the device was reset, -ETIMEDOUT if the queue hung, and
 * -ENODEV if the device went away; every job on the ring at that moment
 * shares the error, and the queue object of the job that caused it becomes
 * guilty.
 *
 * A descriptor over a host range that crosses DMA segments is split into
 * several hardware descriptors.  The limits count every host descriptor
 * as one hardware descriptor per page its range touches (the most it can
 * become, however the BO's pages lie; device BO and NeuronCore FIFO
 * descriptors count one), so the same job gets the same answer in every
 * boot: per packet at most 128 TX and 1024 RX hardware descriptors and
 * 0xfffff bytes, per job at most 4096 hardware descriptors per direction.
 *
 * Errors: ENOENT for an unknown queue, program, BO or syncobj handle;
 * EINVAL for a malformed descriptor (BO index, range, length, flags,
 * packet framing), a BO named twice (or two handles of one BO's memory,
 * such as a device BO and a read-only import of it), counts over the limits, zero TX or RX
 * descriptors, a program of another NeuronCore, a program together with
 * descriptors, non-zero pads or unknown @flags, a NeuronCore window range
 * outside the window or over its control views; EACCES for an RX
 * descriptor into a read-only BO (%DRM_NEURON_BO_READ_ONLY), a NeuronCore
 * window descriptor of a NeuronCore the caller does not own, or a FIFO
 * descriptor of a NeuronCore another client owns; ECANCELED if
 * the queue object is guilty; EFAULT for a bad pointer; ENOMEM; EINTR
 * (restartable) if a signal arrived while waiting for a BO's reservation
 * lock; ENODEV if the device is gone.  ENOMEM with @out_fence_fd -1 can also mean that the
 * job was queued but its sync_file could not be made (the other fences
 * are published as usual).
 */
struct drm_neuron_submit {
	/** @queue: queue handle. */
	__u32 queue;
	/** @program: program handle, or 0. */
	__u32 program;
	/** @bo_handles: user pointer to @bo_count __u32 GEM handles. */
	__u64 bo_handles;
	/** @tx: user pointer to @tx_count &struct drm_neuron_desc. */
	__u64 tx;
	/** @rx: user pointer to @rx_count &struct drm_neuron_desc. */
	__u64 rx;
	/** @bo_count: 0..%DRM_NEURON_SUBMIT_MAX_BOS. */
	__u32 bo_count;
	/** @tx_count: 1..%DRM_NEURON_SUBMIT_MAX_DESC (0 with a program). */
	__u32 tx_count;
	/** @rx_count: 1..%DRM_NEURON_SUBMIT_MAX_DESC (0 with a program). */
	__u32 rx_count;
	/** @flags: DRM_NEURON_SUBMIT_*. */
	__u32 flags;
	/** @in_syncs: user pointer to an array of &struct drm_neuron_sync. */
	__u64 in_syncs;
	/** @in_sync_count: number of entries at @in_syncs (0..64). */
	__u32 in_sync_count;
	/** @out_fence_fd: out: sync_file fd if asked, else -1. */
	__s32 out_fence_fd;
	/**
	 * @out_sync: syncobj to signal on completion (handle 0: none, and
	 * then its point must be 0).
	 */
	struct drm_neuron_sync out_sync;
};

/**
 * struct drm_neuron_program_create - argument of
 * DRM_IOCTL_NEURON_PROGRAM_CREATE
 *
 * Validates descriptors once, as DRM_IOCTL_NEURON_SUBMIT would, for
 * queues of NeuronCore @nc, and keeps them (and references to their BOs)
 * ready to be submitted any number of times without being copied or
 * checked again.  The BOs stay alive as long as the program does.
 *
 * Errors: as for &struct drm_neuron_submit's descriptors (EACCES, EINVAL,
 * ENOENT, EFAULT, ENOMEM, EINTR, ENODEV); EINVAL for @nc out of range;
 * EDQUOT if the file already holds %DRM_NEURON_MAX_PROGRAMS programs.
 */
struct drm_neuron_program_create {
	/** @nc: NeuronCore whose queues will run it. */
	__u32 nc;
	/** @flags: must be zero. */
	__u32 flags;
	/** @bo_handles: user pointer to @bo_count __u32 GEM handles. */
	__u64 bo_handles;
	/** @tx: user pointer to @tx_count &struct drm_neuron_desc. */
	__u64 tx;
	/** @rx: user pointer to @rx_count &struct drm_neuron_desc. */
	__u64 rx;
	/** @bo_count: 0..%DRM_NEURON_SUBMIT_MAX_BOS. */
	__u32 bo_count;
	/** @tx_count: 1..%DRM_NEURON_SUBMIT_MAX_DESC. */
	__u32 tx_count;
	/** @rx_count: 1..%DRM_NEURON_SUBMIT_MAX_DESC. */
	__u32 rx_count;
	/** @handle: out: program handle (non-zero, per file). */
	__u32 handle;
};

/**
 * struct drm_neuron_program_destroy - argument of
 * DRM_IOCTL_NEURON_PROGRAM_DESTROY
 *
 * Drops the handle; jobs already submitted keep the program alive.
 *
 * Errors: ENOENT for an unknown @handle; EINVAL for non-zero @pad; EFAULT
 * for a bad argument pointer; ENODEV if the device is gone.
 */
struct drm_neuron_program_destroy {
	/** @handle: program handle. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
};

/* Notification queue types (the facts' numbering). */
#define DRM_NEURON_NQ_TRACE			0
#define DRM_NEURON_NQ_NOTIFY			1
#define DRM_NEURON_NQ_EVENT			2
#define DRM_NEURON_NQ_ERROR			3

/**
 * struct drm_neuron_nq_create - argument of DRM_IOCTL_NEURON_NQ_CREATE
 *
 * Sets up notification queue @type, instance @instance (engine index; 0
 * for EVENT and ERROR) of NeuronCore @nc: a ring of @size bytes in host
 * memory that the device writes 16-byte entries into (format in
 * Documentation/neuron/notifications.rst: a model assumption), and returns
 * a file descriptor for it.  On that descriptor, mmap() (offset 0, at most
 * @size bytes, read-only) maps the ring; read() of 8 bytes returns the
 * number of entries written so far (a __u64); write() of a __u64 count
 * acknowledges the entries up to it (it moves the hardware head; EINVAL
 * if it goes backwards or past what was written); poll() reports EPOLLIN
 * while entries are unacknowledged and EPOLLHUP once the device is gone;
 * close() disables the queue.  One owner per queue at a time, except for
 * ERROR: the driver owns those rings (ERROR entries fail jobs with -EIO),
 * and any number of clients may open read-only views of them (@size is
 * then ignored and returns the ring's size; write() only counts the
 * view's own acknowledgments).
 *
 * Errors: EINVAL for @nc, @type or @instance out of range, @size not a
 * power of two between 4 KiB and 1 MiB, non-zero @flags or @pad; EBUSY if
 * the queue is already open; EACCES if another client owns the NeuronCore
 * (DRM_IOCTL_NEURON_NC_ACQUIRE; read-only views of the error queue stay
 * open to all); ENOMEM; EINTR if a signal arrived while a device reset was
 * running; EIO if the device's last reset failed; EFAULT for a bad
 * argument pointer; ENODEV if the device is gone.
 */
struct drm_neuron_nq_create {
	/** @nc: NeuronCore, 0..3. */
	__u32 nc;
	/** @type: DRM_NEURON_NQ_*. */
	__u32 type;
	/** @instance: 0..3 for TRACE and NOTIFY, 0 otherwise. */
	__u32 instance;
	/** @size: ring bytes. */
	__u32 size;
	/** @flags: must be zero. */
	__u32 flags;
	/** @fd: out: the queue's file descriptor (close-on-exec). */
	__s32 fd;
	/** @pad: must be zero. */
	__u32 pad;
	/** @pad2: must be zero. */
	__u32 pad2;
};

/* Operations of &struct drm_neuron_semaphore and &struct drm_neuron_event. */
#define DRM_NEURON_SYNC_OP_READ			0
#define DRM_NEURON_SYNC_OP_SET			1
#define DRM_NEURON_SYNC_OP_INCR			2
#define DRM_NEURON_SYNC_OP_DECR			3

/**
 * struct drm_neuron_semaphore - argument of DRM_IOCTL_NEURON_SEMAPHORE
 *
 * Reads (through the firmware) or sets, increments or decrements (posted
 * writes) semaphore @index of NeuronCore @nc.  Semaphores are shared by
 * everything running on the NeuronCore; once a client owns the NeuronCore
 * (DRM_IOCTL_NEURON_NC_ACQUIRE), only it may change them.
 *
 * Errors: EINVAL for @nc or @index out of range (0..31), an unknown @op,
 * non-zero @flags or @pad; EACCES for SET, INCR or DECR on a NeuronCore
 * another client owns; EIO, ETIMEDOUT or EPROTO if the firmware read
 * fails, does not answer or answers out of sequence (EIO also if the
 * device's last reset failed); EINTR (restartable) if a signal arrived
 * while waiting for the mailbox or a reset; EFAULT for a bad argument
 * pointer; ENODEV.
 */
struct drm_neuron_semaphore {
	/** @nc: NeuronCore, 0..3. */
	__u32 nc;
	/** @index: semaphore, 0..31. */
	__u32 index;
	/** @op: DRM_NEURON_SYNC_OP_*. */
	__u32 op;
	/** @flags: must be zero. */
	__u32 flags;
	/** @value: in: operand (SET, INCR, DECR); out: value read (READ). */
	__s32 value;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_neuron_event - argument of DRM_IOCTL_NEURON_EVENT
 *
 * Reads (through the firmware) or sets (posted write of 0 or 1) event
 * @index of NeuronCore @nc.
 *
 * Errors: EINVAL for @nc or @index out of range (0..255), @op other than
 * READ or SET, @value other than 0 or 1 for SET; EACCES for SET on a
 * NeuronCore another client owns; EIO, ETIMEDOUT or EPROTO
 * if the firmware read fails, does not answer or answers out of sequence
 * (EIO also if the device's last reset failed); EINTR (restartable) if a
 * signal arrived while waiting for the mailbox or a reset; EFAULT for a bad
 * argument pointer; ENODEV.
 */
struct drm_neuron_event {
	/** @nc: NeuronCore, 0..3. */
	__u32 nc;
	/** @index: event, 0..255. */
	__u32 index;
	/** @op: %DRM_NEURON_SYNC_OP_READ or %DRM_NEURON_SYNC_OP_SET. */
	__u32 op;
	/** @value: in: 0 or 1 (SET); out: the event (READ). */
	__u32 value;
};

/**
 * struct drm_neuron_nc_acquire - argument of DRM_IOCTL_NEURON_NC_ACQUIRE
 *
 * Makes the calling file the owner of every NeuronCore in @nc_mask, all or
 * none.  A NeuronCore nobody owns is shared, as the hardware is: any client
 * may feed its FIFO, change its semaphores and events and open its
 * notification queues.  An owned NeuronCore is its owner's alone for all
 * of these, and only its owner may aim descriptors at its window
 * (%DRM_NEURON_DESC_NC_WINDOW).  Anyone may still use its DMA engines for
 * BO-to-BO transfers.  Ownership ends with DRM_IOCTL_NEURON_NC_RELEASE or
 * when the file is closed (the owner's process killed), once the owner's
 * jobs on that NeuronCore's queues have ended: the next owner never shares
 * the core with them.  Acquiring a NeuronCore the caller already owns
 * succeeds.  Notification queues opened before the NeuronCore was acquired
 * stay with whoever opened them.
 *
 * Errors: EINVAL for @nc_mask zero or naming a NeuronCore past 3, or
 * non-zero @flags; EBUSY if another client owns one of them; EFAULT for a
 * bad argument pointer; ENODEV if the device is gone.
 */
struct drm_neuron_nc_acquire {
	/** @nc_mask: bit n = NeuronCore n. */
	__u32 nc_mask;
	/** @flags: must be zero. */
	__u32 flags;
};

/**
 * struct drm_neuron_nc_release - argument of DRM_IOCTL_NEURON_NC_RELEASE
 *
 * Gives back every NeuronCore in @nc_mask; the caller must own them all.
 * Waits (at most 30 s per queue) until the caller's jobs on the
 * NeuronCores' queues have ended; meanwhile the caller's new jobs that
 * reach into those cores wait.
 *
 * Errors: EINVAL for @nc_mask zero or naming a NeuronCore past 3, a
 * NeuronCore the caller does not own, or non-zero @pad; EFAULT for a bad
 * argument pointer.
 */
struct drm_neuron_nc_release {
	/** @nc_mask: bit n = NeuronCore n. */
	__u32 nc_mask;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * struct drm_neuron_nc_reset - argument of DRM_IOCTL_NEURON_NC_RESET
 *
 * Resets the NeuronCores in @nc_mask only (the firmware's TPB reset): their
 * windows, FIFOs, semaphores and events are cleared, their DMA engines and
 * notification queues restart, and every job on those engines' queues
 * fails with -EIO; other NeuronCores and device DRAM are untouched.  The
 * owner of every NeuronCore in @nc_mask may reset them; resetting another
 * client's or an unowned NeuronCore needs CAP_SYS_ADMIN.  The driver does
 * the same by itself when a job it blames on an owned NeuronCore hangs or
 * the NeuronCore reports an ERROR (see Documentation/neuron/contexts.rst).
 *
 * Errors: EINVAL for @nc_mask zero or naming a NeuronCore past 3, or
 * non-zero @flags; EPERM without CAP_SYS_ADMIN for a NeuronCore the caller
 * does not own; EINTR if killed before the reset started; ETIMEDOUT if the
 * firmware did not finish the reset; EIO if the device's last reset failed;
 * EFAULT for a bad argument pointer; ENODEV if the device is gone.
 */
struct drm_neuron_nc_reset {
	/** @nc_mask: bit n = NeuronCore n. */
	__u32 nc_mask;
	/** @flags: must be zero. */
	__u32 flags;
};

#define DRM_IOCTL_NEURON_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_QUERY, struct drm_neuron_query)
#define DRM_IOCTL_NEURON_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_BO_CREATE, struct drm_neuron_bo_create)
#define DRM_IOCTL_NEURON_BO_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_BO_INFO, struct drm_neuron_bo_info)
#define DRM_IOCTL_NEURON_BO_WAIT \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_BO_WAIT, struct drm_neuron_bo_wait)
#define DRM_IOCTL_NEURON_COPY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_COPY, struct drm_neuron_copy)
#define DRM_IOCTL_NEURON_FILL \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_FILL, struct drm_neuron_fill)
#define DRM_IOCTL_NEURON_FWIO_READ \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_FWIO_READ, struct drm_neuron_fwio_read)
#define DRM_IOCTL_NEURON_STATS_POST \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_STATS_POST, struct drm_neuron_stats_post)
#define DRM_IOCTL_NEURON_RESET \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_RESET, struct drm_neuron_reset)
#define DRM_IOCTL_NEURON_QUEUE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_QUEUE_CREATE, struct drm_neuron_queue_create)
#define DRM_IOCTL_NEURON_QUEUE_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_QUEUE_DESTROY, struct drm_neuron_queue_destroy)
#define DRM_IOCTL_NEURON_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_SUBMIT, struct drm_neuron_submit)
#define DRM_IOCTL_NEURON_PROGRAM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_PROGRAM_CREATE, struct drm_neuron_program_create)
#define DRM_IOCTL_NEURON_PROGRAM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_PROGRAM_DESTROY, struct drm_neuron_program_destroy)
#define DRM_IOCTL_NEURON_NQ_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_NQ_CREATE, struct drm_neuron_nq_create)
#define DRM_IOCTL_NEURON_NC_ACQUIRE \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_NC_ACQUIRE, struct drm_neuron_nc_acquire)
#define DRM_IOCTL_NEURON_NC_RELEASE \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_NC_RELEASE, struct drm_neuron_nc_release)
#define DRM_IOCTL_NEURON_NC_RESET \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_NC_RESET, struct drm_neuron_nc_reset)
#define DRM_IOCTL_NEURON_SEMAPHORE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_SEMAPHORE, struct drm_neuron_semaphore)
#define DRM_IOCTL_NEURON_EVENT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_EVENT, struct drm_neuron_event)

#if defined(__cplusplus)
}
#endif

#endif /* _NEURON_ACCEL_H_ */
