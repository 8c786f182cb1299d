/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Execution: clients' queue objects on the UDMA queues of the NeuronCores,
 * validated descriptor programs and the SUBMIT ioctl.
 */
#ifndef NEURON_EXEC_H
#define NEURON_EXEC_H

#include <linux/kref.h>
#include <linux/types.h>

#include <drm/gpu_scheduler.h>

struct drm_device;
struct drm_file;
struct drm_gem_object;
struct neuron_copyq;
struct neuron_file;
struct neuron_udma_ring;

/**
 * struct neuron_hwdesc - one hardware descriptor, encoded but for its ring id
 * @ctrl: length/control word without the ring id
 * @word1: M2S meta word (0 on S2M)
 * @addr: device address
 */
struct neuron_hwdesc {
	u32 ctrl;
	u32 word1;
	u64 addr;
};

/**
 * struct neuron_prog - validated, encoded descriptors and their BOs
 * @ref: the program handle, and every job running it
 * @nc: NeuronCore whose queues may run it (the FIFO addresses are its)
 * @bos: references on every BO it names
 * @writes: per BO, whether an RX descriptor writes it (implicit sync)
 * @nbos: entries in @bos
 * @m2s: transmit descriptors
 * @s2m: receive descriptors
 * @n_m2s: entries in @m2s
 * @n_s2m: entries in @s2m
 * @nc_fifo: an RX descriptor feeds the NeuronCore's instruction FIFO: only
 *	such a job may be blamed for the NeuronCore's ERROR entries
 *
 * Host BOs stay pinned and mapped while referenced (the shmem helpers keep
 * the sg table of a BO until it is freed), so the addresses stay valid.
 */
struct neuron_prog {
	struct kref ref;
	int nc;
	struct drm_gem_object **bos;
	bool *writes;
	u32 nbos;
	struct neuron_hwdesc *m2s;
	struct neuron_hwdesc *s2m;
	u32 n_m2s;
	u32 n_s2m;
	bool nc_fifo;
};

/**
 * struct neuron_queue_obj - a client's queue object
 * @ref: the handle, and every job submitted on it
 * @entity: its scheduler entity on the hardware queue
 * @hwq: the hardware queue
 * @lock: serialises SUBMITs' arm + push on @entity with each other (fence
 *	order) and with the entity's destruction
 * @dead: destroyed (QUEUE_DESTROY or close); SUBMIT refuses, under @lock
 * @guilty: one of its jobs hung or failed on the device; SUBMIT refuses
 */
struct neuron_queue_obj {
	struct kref ref;
	struct drm_sched_entity entity;
	struct neuron_copyq *hwq;
	struct mutex lock; /* arm + push on entity; dead */
	bool dead;
	bool guilty;
};

void neuron_prog_put(struct neuron_prog *prog);
void neuron_queue_obj_put(struct neuron_queue_obj *qo);
u32 neuron_prog_emit(const struct neuron_prog *prog,
		     struct neuron_udma_ring *m2s,
		     struct neuron_udma_ring *s2m, u32 *n_s2m);

void neuron_exec_open(struct neuron_file *nfile);
void neuron_exec_postclose(struct neuron_file *nfile);

int neuron_ioctl_queue_create(struct drm_device *drm, void *data,
			      struct drm_file *file);
int neuron_ioctl_queue_destroy(struct drm_device *drm, void *data,
			       struct drm_file *file);
int neuron_ioctl_submit(struct drm_device *drm, void *data,
			struct drm_file *file);
int neuron_ioctl_program_create(struct drm_device *drm, void *data,
				struct drm_file *file);
int neuron_ioctl_program_destroy(struct drm_device *drm, void *data,
				 struct drm_file *file);

#endif /* NEURON_EXEC_H */
