/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * libneuron: the userspace library of the neuron DRM accel driver (AWS
 * Inferentia v1, /dev/accel/accelN).  Reference:
 * Documentation/neuron/libneuron.rst.
 *
 * Conventions, everywhere:
 * - Functions returning int return 0 (or a count) on success and a
 *   negative errno on failure; neuron_last_error() then describes the
 *   failure in this thread, naming the argument or field at fault.
 * - Ioctls interrupted by a signal are restarted; waits keep their deadline.
 * - Timeouts are relative, in nanoseconds: 0 only polls, a negative value
 *   waits for ever (NEURON_TIMEOUT_INFINITE).
 */
#ifndef LIBNEURON_H
#define LIBNEURON_H

#include <stddef.h>
#include <stdint.h>

#include <drm/neuron_accel.h>

#if defined(__cplusplus)
extern "C" {
#endif

#define NEURON_TIMEOUT_INFINITE		(-1LL)

/* The message of this thread's last failure ("" if none yet). */
const char *neuron_last_error(void);

/* ---- discovery ---- */

/* One neuron accel node, as sysfs (and, when it can be opened, QUERY) say. */
struct neuron_node_info {
	char node[64];			/* "/dev/accel/accel0" */
	char pci_addr[32];		/* parent PCI function "0000:00:04.0" */
	uint32_t minor;			/* N of accelN */
	uint32_t pci_vendor;		/* sysfs vendor (0x1d0f) */
	uint32_t pci_device;		/* sysfs device (0x7064..0x7067) */
	uint32_t pci_revision;		/* sysfs revision */
	int32_t numa_node;		/* sysfs numa_node, -1 if none */
	uint32_t core_count;		/* sysfs core_count (NeuronCores) */
	/* sysfs connected_devices: device indices, east first */
	uint32_t connected_count;
	uint32_t connected[2];
	/*
	 * From DEVICE_INFO when the node could be opened (query_error 0),
	 * else DRM_NEURON_ANY / DRM_NEURON_NO_NEIGHBOUR.
	 */
	uint32_t device_index;
	uint32_t east;
	uint32_t west;
	uint32_t state;			/* DRM_NEURON_DEVICE_* */
	int32_t query_error;		/* 0, or -errno of open/QUERY */
};

/*
 * All nodes bound to the neuron driver, sorted by minor.  *list is
 * malloc'ed (free with neuron_free_devices()); returns the count (0: no
 * device) or -errno.  Nodes of other drivers are left out.
 */
int neuron_list_devices(struct neuron_node_info **list);
void neuron_free_devices(struct neuron_node_info *list);

/* ---- devices ---- */

struct neuron_device;

/* Open the device whose DEVICE_INFO device_index is @index. */
int neuron_open_index(uint32_t index, struct neuron_device **dev);
/* Open the device of PCI function @pci_addr ("0000:00:04.0" or "00:04.0"). */
int neuron_open_pci(const char *pci_addr, struct neuron_device **dev);
/* Open an accel node by path; -ENODEV if its driver is not neuron. */
int neuron_open_path(const char *path, struct neuron_device **dev);
/*
 * Adopt an open DRM fd (closed by neuron_close()); checks the driver.  On
 * failure the fd stays the caller's.
 */
int neuron_open_fd(int fd, struct neuron_device **dev);
/* Close the device: frees its BO objects and mappings.  NULL is a no-op. */
void neuron_close(struct neuron_device *dev);

int neuron_device_fd(const struct neuron_device *dev);
/* DEVICE_INFO as cached at open (static properties). */
const struct drm_neuron_device_info *neuron_device_info(const struct neuron_device *dev);
/* Query DEVICE_INFO again (fw_status, state, neighbours are live). */
int neuron_query_device_info(struct neuron_device *dev, struct drm_neuron_device_info *info);
/*
 * Raw two-step QUERY: with @buf NULL sets *@size to the kernel's size of
 * @type; otherwise fills @buf (*@size bytes) and sets *@size to the
 * kernel's size.
 */
int neuron_query(struct neuron_device *dev, uint32_t type, void *buf, uint32_t *size);

/* ---- buffer objects ---- */

struct neuron_bo;

/* A host (DRM_NEURON_BO_DOMAIN_HOST) or device-DRAM BO of at least @size bytes. */
int neuron_bo_create(struct neuron_device *dev, uint64_t size, uint32_t domain,
		     struct neuron_bo **bo);
/* A device BO on DRAM @channel, preferring NeuronCore @nc (DRM_NEURON_ANY: any). */
int neuron_bo_create_dram(struct neuron_device *dev, uint64_t size, uint32_t channel,
			  uint32_t nc, struct neuron_bo **bo);
/* Unmap and close.  Returns GEM_CLOSE's error; NULL is a no-op. */
int neuron_bo_destroy(struct neuron_bo *bo);

uint32_t neuron_bo_handle(const struct neuron_bo *bo);
uint64_t neuron_bo_size(const struct neuron_bo *bo);
uint32_t neuron_bo_domain(const struct neuron_bo *bo);
/* DRM_NEURON_BO_* flags (imported, peer, west). */
uint32_t neuron_bo_flags(const struct neuron_bo *bo);
struct neuron_device *neuron_bo_device(const struct neuron_bo *bo);
/* BO_INFO from the kernel. */
int neuron_bo_info(struct neuron_bo *bo, struct drm_neuron_bo_info *info);
/*
 * Map a host BO read/write (whole size; the same mapping on every call
 * until neuron_bo_unmap()).  Device BOs: -EINVAL.
 */
int neuron_bo_map(struct neuron_bo *bo, void **ptr);
int neuron_bo_unmap(struct neuron_bo *bo);
/* Wait until all DMA using the BO has finished: -ETIMEDOUT if not in time. */
int neuron_bo_wait(struct neuron_bo *bo, int64_t timeout_ns);
/* PRIME: a dma-buf fd (close-on-exec, read/write) for the BO. */
int neuron_bo_export(struct neuron_bo *bo, int *dmabuf_fd);
/*
 * PRIME import.  Importing a buffer the device already has returns the
 * same object with one more reference (each neuron_bo_destroy() drops one).
 */
int neuron_bo_import(struct neuron_device *dev, int dmabuf_fd, struct neuron_bo **bo);

/* ---- copies and fills (the driver's copy queue) ---- */

/*
 * Fences of one request.  @in: @in_count syncobj points to wait for
 * (binary: point 0).  @out: syncobj to signal (handle 0: none; point 0:
 * binary).  @sync_file (SUBMIT only): if non-NULL, receives a sync_file fd.
 */
struct neuron_fences {
	const struct drm_neuron_sync *in;
	uint32_t in_count;
	struct drm_neuron_sync out;
	int *sync_file;
};

/* @nc: NeuronCore whose copy engine runs it, or DRM_NEURON_ANY.  @f may be NULL. */
int neuron_copy(struct neuron_bo *dst, uint64_t dst_offset, struct neuron_bo *src,
		uint64_t src_offset, uint64_t size, uint32_t nc, const struct neuron_fences *f);
int neuron_fill(struct neuron_bo *bo, uint64_t offset, uint64_t size, uint8_t value,
		uint32_t nc, const struct neuron_fences *f);

/* ---- syncobjs and sync_files ---- */

int neuron_syncobj_create(struct neuron_device *dev, int signaled, uint32_t *handle);
int neuron_syncobj_destroy(struct neuron_device *dev, uint32_t handle);
/*
 * Wait for a binary syncobj (@point 0) or a timeline point, also for
 * fences not submitted yet.  -ETIMEDOUT if not in time.  A fence that
 * signalled with an error still ends the wait: see neuron_syncobj_status().
 */
int neuron_syncobj_wait(struct neuron_device *dev, uint32_t handle, uint64_t point,
			int64_t timeout_ns);
/* Highest signalled point of a timeline syncobj. */
int neuron_syncobj_query(struct neuron_device *dev, uint32_t handle, uint64_t *point);
/* 1 signalled without error, 0 pending, or the fence's -errno. */
int neuron_syncobj_status(struct neuron_device *dev, uint32_t handle, uint64_t point);
/* The fence of a syncobj point as a sync_file, and back. */
int neuron_syncobj_export_sync_file(struct neuron_device *dev, uint32_t handle,
				    uint64_t point, int *sync_file);
int neuron_syncobj_import_sync_file(struct neuron_device *dev, uint32_t handle,
				    uint64_t point, int sync_file);
/* Wait for a sync_file: 0, -ETIMEDOUT. */
int neuron_sync_file_wait(int sync_file, int64_t timeout_ns);
/* 1 signalled without error, 0 pending, or the fence's -errno. */
int neuron_sync_file_status(int sync_file);

/* ---- queues, jobs, programs ---- */

/* A queue object on hardware queue @queue of DMA engine @engine of NeuronCore @nc. */
int neuron_queue_create(struct neuron_device *dev, uint32_t nc, uint32_t engine,
			uint32_t queue, uint32_t *handle);
int neuron_queue_destroy(struct neuron_device *dev, uint32_t handle);

/*
 * A byte range: @bo at @offset, @length bytes.  @bo NULL names the
 * instruction FIFO window of the queue's NeuronCore (destination only);
 * @bo NEURON_NC_WINDOW names the whole window of the queue's NeuronCore
 * (@offset from the window's start; source or destination; only for the
 * core's owner, see neuron_nc_acquire()).
 */
#define NEURON_NC_WINDOW		((struct neuron_bo *)(uintptr_t)-1)
/* Bytes of a NeuronCore window, and its control views that no range may touch. */
#define NEURON_NC_WINDOW_SIZE		DRM_NEURON_NC_WINDOW_SIZE
#define NEURON_NC_CONTROL_START		DRM_NEURON_NC_CONTROL_START
#define NEURON_NC_CONTROL_END		DRM_NEURON_NC_CONTROL_END

struct neuron_range {
	struct neuron_bo *bo;
	uint64_t offset;
	uint64_t length;
};

/*
 * A job being built: BO list, transmit and receive descriptors.  Every
 * packet added is valid by construction (descriptor lengths, packet
 * framing, descriptors and bytes per packet, receive side splitting each
 * packet exactly), counting host ranges as split at every page (the most
 * the kernel may split them at DMA segments).
 */
struct neuron_job;

int neuron_job_create(struct neuron_job **job);
void neuron_job_destroy(struct neuron_job *job);
/* Empty the job for reuse. */
void neuron_job_reset(struct neuron_job *job);
/*
 * Move the bytes of @src (@nsrc ranges, read in order as one stream) to
 * @dst (@ndst ranges); the totals must be equal.  As many packets as the
 * limits need.  BOs are added to the job's list as they are named.
 */
int neuron_job_transfer(struct neuron_job *job, const struct neuron_range *src,
			uint32_t nsrc, const struct neuron_range *dst, uint32_t ndst);
/* One range to one range. */
int neuron_job_copy(struct neuron_job *job, struct neuron_bo *dst, uint64_t dst_offset,
		    struct neuron_bo *src, uint64_t src_offset, uint64_t size);
/* Send @size bytes of @src into the NeuronCore's instruction FIFO at @fifo_offset. */
int neuron_job_to_fifo(struct neuron_job *job, uint64_t fifo_offset, struct neuron_bo *src,
		       uint64_t src_offset, uint64_t size);
/*
 * Send @size bytes of @src into the queue's NeuronCore window at
 * @window_offset, or bring @size bytes of the window back into @dst.  The
 * range must lie in the window and keep off the control views.
 */
int neuron_job_to_window(struct neuron_job *job, uint64_t window_offset, struct neuron_bo *src,
			 uint64_t src_offset, uint64_t size);
int neuron_job_from_window(struct neuron_job *job, struct neuron_bo *dst, uint64_t dst_offset,
			   uint64_t window_offset, uint64_t size);
/* The next packet starts only after all earlier transfers of the queue (DMB). */
int neuron_job_barrier(struct neuron_job *job);
/* The arrays SUBMIT will get (valid until the job changes). */
uint32_t neuron_job_bo_count(const struct neuron_job *job);
const uint32_t *neuron_job_bo_handles(const struct neuron_job *job);
uint32_t neuron_job_tx_count(const struct neuron_job *job);
const struct drm_neuron_desc *neuron_job_tx(const struct neuron_job *job);
uint32_t neuron_job_rx_count(const struct neuron_job *job);
const struct drm_neuron_desc *neuron_job_rx(const struct neuron_job *job);

/* Run @job on queue @queue.  @f may be NULL. */
int neuron_submit(struct neuron_device *dev, uint32_t queue, const struct neuron_job *job,
		  const struct neuron_fences *f);
/* Validate @job once for queues of NeuronCore @nc. */
int neuron_program_create(struct neuron_device *dev, uint32_t nc,
			  const struct neuron_job *job, uint32_t *handle);
int neuron_program_destroy(struct neuron_device *dev, uint32_t handle);
int neuron_submit_program(struct neuron_device *dev, uint32_t queue, uint32_t program,
			  const struct neuron_fences *f);

/* ---- NeuronCore ownership (Documentation/neuron/contexts.rst) ---- */

/*
 * Own the NeuronCores of @nc_mask (bit n = NeuronCore n), all or none:
 * -EBUSY if another client owns one.  Owning a core again succeeds.
 */
int neuron_nc_acquire(struct neuron_device *dev, uint32_t nc_mask);
/*
 * Give them back (all must be this handle's, else -EINVAL); waits until the
 * handle's jobs on their queues have ended.  Closing the device releases too.
 */
int neuron_nc_release(struct neuron_device *dev, uint32_t nc_mask);
/*
 * Reset the NeuronCores of @nc_mask only (the uapi's NC_RESET): the
 * ioctl's -errno (-EPERM for another's core without CAP_SYS_ADMIN); a
 * kernel without it answers -EINVAL or -ENOTTY.
 */
int neuron_nc_reset(struct neuron_device *dev, uint32_t nc_mask);
/* The cores this handle owns (its fdinfo). */
int neuron_nc_owned(struct neuron_device *dev, uint32_t *nc_mask);

/* One NeuronCore's owner, as sysfs nc_owners says. */
struct neuron_nc_owner {
	uint32_t nc;
	int32_t owned;			/* 0: nobody (the fields below are zero) */
	uint64_t client_id;		/* the owner's DRM client id (its fdinfo drm-client-id) */
	int32_t pid;			/* process that acquired it */
	char comm[32];			/* its name */
};

/*
 * Owners of every NeuronCore of accel node @minor (no need to open it):
 * fills up to @max entries, returns how many cores there are.
 */
int neuron_read_nc_owners(uint32_t minor, struct neuron_nc_owner *owners, uint32_t max);
/* The same for an open device. */
int neuron_nc_owners(struct neuron_device *dev, struct neuron_nc_owner *owners, uint32_t max);

/* ---- notification queues ---- */

/* One ring entry (Documentation/neuron/notifications.rst). */
struct neuron_nq_entry {
	uint32_t info;		/* bits 7:0 type, 15:8 instance, 31 phase */
	uint32_t index;
	uint32_t value;
	uint32_t seq;
};

#define NEURON_NQ_ENTRY_TYPE(e)		((e)->info & 0xff)
#define NEURON_NQ_ENTRY_INSTANCE(e)	(((e)->info >> 8) & 0xff)

struct neuron_nq;

/* NQ_CREATE plus a read-only mapping of the ring.  ERROR views ignore @size. */
int neuron_nq_open(struct neuron_device *dev, uint32_t nc, uint32_t type, uint32_t instance,
		   uint32_t size, struct neuron_nq **nq);
void neuron_nq_close(struct neuron_nq *nq);
int neuron_nq_fd(const struct neuron_nq *nq);
uint32_t neuron_nq_size(const struct neuron_nq *nq);
const void *neuron_nq_ring(const struct neuron_nq *nq);
/* Entries the device has written since the queue was created. */
int neuron_nq_written(struct neuron_nq *nq, uint64_t *count);
/*
 * Copy up to @max entries not read yet into @entries; returns how many.
 * Entries the device overwrote before they were read are skipped and
 * added to *@lost (may be NULL).  -ESTALE, once per restart: the ring
 * restarted after a device reset; what the reset took is added to *@lost,
 * nothing is copied, and the next call reads the new ring.
 */
int neuron_nq_read(struct neuron_nq *nq, struct neuron_nq_entry *entries, uint32_t max,
		   uint64_t *lost);
/* Acknowledge every entry read so far. */
int neuron_nq_ack(struct neuron_nq *nq);
/* Wait for unacknowledged entries: 1 some, 0 timeout, -ENODEV device gone. */
int neuron_nq_wait(struct neuron_nq *nq, int64_t timeout_ns);

/* ---- semaphores, events, firmware ---- */

int neuron_semaphore_read(struct neuron_device *dev, uint32_t nc, uint32_t index,
			  int32_t *value);
/* @op: DRM_NEURON_SYNC_OP_SET, _INCR or _DECR. */
int neuron_semaphore_write(struct neuron_device *dev, uint32_t nc, uint32_t index,
			   uint32_t op, int32_t value);
int neuron_event_read(struct neuron_device *dev, uint32_t nc, uint32_t index,
		      uint32_t *value);
int neuron_event_set(struct neuron_device *dev, uint32_t nc, uint32_t index, uint32_t value);
/* Read @count registers (device addresses on the allow-list), any count. */
int neuron_fwio_read(struct neuron_device *dev, const uint64_t *addrs, uint32_t *values,
		     uint32_t count);
int neuron_stats_post(struct neuron_device *dev, const void *data, uint32_t size);
/* Reset the device (CAP_SYS_ADMIN). */
int neuron_reset(struct neuron_device *dev);

#if defined(__cplusplus)
}
#endif

#endif /* LIBNEURON_H */
