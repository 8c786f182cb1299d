/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NeuronCore ownership: which client's model runs on which core.
 */
#ifndef NEURON_CORES_H
#define NEURON_CORES_H

#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "v1/address_map.h"

struct drm_device;
struct drm_file;
struct drm_printer;
struct neuron_device;
struct neuron_prog;
struct seq_file;

/**
 * struct neuron_core_owner - one NeuronCore's owner
 * @push: readers are pushes of jobs that reach into the core (its window
 *	or FIFO), from the ownership check to the push; the writer is a
 *	change of owner, which then waits for the old owner's jobs.  Lock
 *	order: before &neuron_queue.lock
 * @file: the owning file, or NULL (@push and &neuron_cores.lock)
 * @client_id: its DRM client id, for inspection
 * @pid: its opener's thread-group id, for inspection
 * @comm: its opener's name, for inspection
 */
struct neuron_core_owner {
	struct rw_semaphore push;
	struct drm_file *file;
	u64 client_id;
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

/**
 * struct neuron_cores - ownership of a device's NeuronCores
 * @lock: serialises changes of owner (acquire, release, close) with each
 *	other and with inspection; taken before any &neuron_core_owner.push
 * @core: one per NeuronCore
 */
struct neuron_cores {
	struct mutex lock; /* changes of owner */
	struct neuron_core_owner core[V1_NC_PER_DEVICE];
};

int neuron_cores_init(struct neuron_device *ndev);
bool neuron_core_may_use(struct neuron_device *ndev, struct drm_file *file, int nc);
bool neuron_core_owned_by(struct neuron_device *ndev, struct drm_file *file, int nc);
int neuron_core_push_begin(struct neuron_device *ndev, struct drm_file *file,
			   const struct neuron_prog *prog);
void neuron_core_push_end(struct neuron_device *ndev, const struct neuron_prog *prog);
void neuron_cores_file_close(struct neuron_device *ndev, struct drm_file *file);
void neuron_cores_show(struct neuron_device *ndev, struct seq_file *m);
void neuron_cores_show_fdinfo(struct drm_printer *p, struct drm_file *file);
ssize_t neuron_cores_sysfs_show(struct neuron_device *ndev, char *buf);

int neuron_ioctl_nc_acquire(struct drm_device *drm, void *data, struct drm_file *file);
int neuron_ioctl_nc_release(struct drm_device *drm, void *data, struct drm_file *file);

#endif /* NEURON_CORES_H */
