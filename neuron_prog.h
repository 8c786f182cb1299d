/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Programs: hardware descriptors built and checked at ioctl time, which
 * run_job only copies onto a ring.
 */
#ifndef NEURON_PROG_H
#define NEURON_PROG_H

#include <linux/kref.h>
#include <linux/types.h>

struct drm_file;
struct drm_gem_object;
struct neuron_device;

/*
 * Hardware descriptors per direction of one job: half the ring, so that
 * two jobs can be on it at once.  A COPY or FILL longer than this is cut
 * into jobs of NEURON_PROG_PART_PIECES pieces.
 */
#define NEURON_PROG_MAX_HWDESC		4096
#define NEURON_PROG_PART_PIECES		2048

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
 * struct neuron_prog - encoded descriptors and the BOs they reach
 * @ref: a program handle, and every job running it
 * @nc: NeuronCore whose queues may run it (the FIFO addresses are its)
 * @bos: references on every BO it names; no two share a reservation
 *	object, except a copy's source and destination (see @nresv)
 * @writes: per BO, whether a receive descriptor writes it
 * @nbos: entries in @bos
 * @nresv: leading entries of @bos with distinct reservation objects: the
 *	ones a job locks and adds its fence to
 * @m2s: transmit descriptors
 * @s2m: receive descriptors
 * @n_m2s: entries in @m2s
 * @n_s2m: entries in @s2m
 * @nc_fifo: a receive descriptor feeds the NeuronCore's instruction FIFO:
 *	only such a job may be blamed for the NeuronCore's ERROR entries
 * @nc_window: a descriptor reaches the NeuronCore's window: only its
 *	owner may run the program
 * @pieces: a kernel-built copy: transmit descriptor i and receive
 *	descriptor i move the same bytes, so the program may be cut into jobs
 *	between any two pieces
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
	u32 nresv;
	struct neuron_hwdesc *m2s;
	struct neuron_hwdesc *s2m;
	u32 n_m2s;
	u32 n_s2m;
	bool nc_fifo;
	bool nc_window;
	bool pieces;
};

struct neuron_prog *neuron_prog_build(struct drm_file *file, int nc,
				      u64 bo_handles, u32 nbos, u64 tx_ptr,
				      u32 ntx, u64 rx_ptr, u32 nrx);
struct neuron_prog *neuron_prog_copy(int nc, struct drm_gem_object *dst,
				     u64 dst_off, struct drm_gem_object *src,
				     u64 src_off, u64 size, dma_addr_t fill_dma);
void neuron_prog_put(struct neuron_prog *prog);

int neuron_fill_init(struct neuron_device *ndev);
int neuron_fill_source(struct neuron_device *ndev, u8 value, dma_addr_t *dma);

#endif /* NEURON_PROG_H */
