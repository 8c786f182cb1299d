// SPDX-License-Identifier: MIT
/*
 * An inference pipeline the way a runtime drives the device, on libneuron.
 *
 * - The "weights" are staged once into device DRAM.
 * - Two input slots in host memory (double buffering): while the device
 *   works on one, the host fills the other.
 * - One pre-validated program per slot: input -> DRAM activations, then
 *   (after a barrier) activations and weights -> the slot's output, then a
 *   record into the NeuronCore's instruction FIFO that makes it post a
 *   NOTIFY entry naming the slot.  The device model has no compute units,
 *   so the "inference" is data movement; the shape is what matters.
 * - Completion is read from the NOTIFY notification queue, not from a
 *   fence; each result is checked byte for byte.
 *
 *   examples/pipeline [-n INFERENCES] [-s SIZE] [-d DEVICE]
 *
 * Prints the throughput; exits non-zero on any error or mismatch.
 */
#include <errno.h>
#include <libneuron.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The device model's NeuronCore records (Documentation/neuron/emulator.rst). */
#define NC_OP_MAGIC	0x4e430000u
#define NC_OP_NOTIFY	1
#define NC_RECORD	16

#define NC		1	/* the NeuronCore this pipeline owns by convention */
#define SLOTS		2
#define WEIGHTS		4096

struct slot {
	struct neuron_bo *in, *out, *cmd;
	uint8_t *in_p, *out_p;
	uint32_t prog;
	uint64_t inference;	/* which inference the slot holds */
};

static int fail(const char *what)
{
	fprintf(stderr, "pipeline: %s: %s\n", what, neuron_last_error());
	return 1;
}

static void fill_input(uint8_t *p, size_t n, uint64_t inference)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + inference * 7 + 1);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* One slot's program: input -> activations; activations + weights -> output; NOTIFY. */
static int build_program(struct neuron_device *dev, struct slot *s, int idx,
			 struct neuron_bo *act, struct neuron_bo *weights, uint64_t size)
{
	uint32_t rec[4] = { NC_OP_MAGIC | NC_OP_NOTIFY, 0, (uint32_t)idx, 0 };
	struct neuron_job *job;
	void *cmd;
	int ret;

	if (neuron_bo_map(s->cmd, &cmd))
		return -1;
	memcpy(cmd, rec, sizeof(rec));	/* NOTIFY instance 0, index = slot */
	if (neuron_job_create(&job))
		return -1;
	ret = neuron_job_copy(job, act, 0, s->in, 0, size) || neuron_job_barrier(job) ||
	      neuron_job_copy(job, s->out, 0, act, 0, size) ||
	      neuron_job_copy(job, s->out, size, weights, 0, WEIGHTS) ||
	      neuron_job_barrier(job) ||
	      neuron_job_to_fifo(job, 0, s->cmd, 0, NC_RECORD) ||
	      neuron_program_create(dev, NC, job, &s->prog);
	neuron_job_destroy(job);
	return ret ? -1 : 0;
}

/* Wait for the NOTIFY of the slot that finishes next; returns its index. */
static int wait_notify(struct neuron_nq *nq)
{
	struct neuron_nq_entry e;
	uint64_t lost = 0;
	int n;

	for (;;) {
		n = neuron_nq_read(nq, &e, 1, &lost);
		if (n < 0 || lost)
			return -1;
		if (n == 1) {
			neuron_nq_ack(nq);
			return (int)e.index;
		}
		if (neuron_nq_wait(nq, 10 * 1000000000LL) != 1)
			return -1;
	}
}

int main(int argc, char **argv)
{
	uint64_t inferences = 64, size = 65536, submitted = 0, done = 0;
	struct neuron_bo *weights, *act, *stage;
	struct slot slot[SLOTS] = {};
	uint8_t *w, *want;
	struct neuron_device *dev;
	struct neuron_nq *nq;
	uint32_t queue, index = 0;
	double t0, t1;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:d:")) != -1) {
		switch (opt) {
		case 'n': inferences = strtoull(optarg, NULL, 0); break;
		case 's': size = strtoull(optarg, NULL, 0); break;
		case 'd': index = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-n INFERENCES] [-s SIZE] [-d DEVICE]\n", argv[0]);
			return 2;
		}
	}
	if (!inferences || !size || size > (1 << 20) || size % 4096) {
		fprintf(stderr, "pipeline: SIZE must be a multiple of 4096 up to 1 MiB\n");
		return 2;
	}
	want = malloc(size);
	if (!want)
		return 1;
	if (neuron_open_index(index, &dev))
		return fail("open");

	/* Weights: staged once into DRAM through a host buffer. */
	if (neuron_bo_create(dev, WEIGHTS, DRM_NEURON_BO_DOMAIN_HOST, &stage) ||
	    neuron_bo_map(stage, (void **)&w) ||
	    neuron_bo_create_dram(dev, WEIGHTS, DRM_NEURON_ANY, NC, &weights) ||
	    neuron_bo_create_dram(dev, size, DRM_NEURON_ANY, NC, &act))
		return fail("weights");
	for (int i = 0; i < WEIGHTS; i++)
		w[i] = (uint8_t)(i ^ 0x5a);
	if (neuron_copy(weights, 0, stage, 0, WEIGHTS, NC, NULL) || neuron_bo_wait(weights, -1))
		return fail("staging the weights");

	if (neuron_queue_create(dev, NC, 0, 0, &queue) ||
	    neuron_nq_open(dev, NC, DRM_NEURON_NQ_NOTIFY, 0, 4096, &nq))
		return fail("queue");
	for (int i = 0; i < SLOTS; i++) {
		struct slot *s = &slot[i];

		if (neuron_bo_create(dev, size, DRM_NEURON_BO_DOMAIN_HOST, &s->in) ||
		    neuron_bo_create(dev, size + WEIGHTS, DRM_NEURON_BO_DOMAIN_HOST, &s->out) ||
		    neuron_bo_create(dev, 4096, DRM_NEURON_BO_DOMAIN_HOST, &s->cmd) ||
		    neuron_bo_map(s->in, (void **)&s->in_p) ||
		    neuron_bo_map(s->out, (void **)&s->out_p) ||
		    build_program(dev, s, i, act, weights, size))
			return fail("slot");
	}

	t0 = now();
	/* Prime both slots, then refill each as its NOTIFY arrives. */
	while (done < inferences) {
		while (submitted < inferences && submitted - done < SLOTS) {
			struct slot *s = &slot[submitted % SLOTS];

			fill_input(s->in_p, size, submitted);
			s->inference = submitted;
			if (neuron_submit_program(dev, queue, s->prog, NULL))
				return fail("submit");
			submitted++;
		}
		int idx = wait_notify(nq);

		if (idx < 0 || idx >= SLOTS || slot[idx].inference != done) {
			fprintf(stderr, "pipeline: unexpected NOTIFY %d for inference %llu\n", idx,
				(unsigned long long)done);
			return 1;
		}
		/* The NOTIFY follows the output copies (barrier): the result is there. */
		fill_input(want, size, done);
		if (memcmp(slot[idx].out_p, want, size) ||
		    memcmp(slot[idx].out_p + size, w, WEIGHTS)) {
			fprintf(stderr, "pipeline: inference %llu: wrong result\n",
				(unsigned long long)done);
			return 1;
		}
		done++;
	}
	t1 = now();
	printf("pipeline: %llu inferences of %llu KiB on NeuronCore %d, results checked: "
	       "%.1f inferences/s, %.1f MiB/s in\n", (unsigned long long)done,
	       (unsigned long long)(size >> 10), NC, done / (t1 - t0),
	       done * size / (t1 - t0) / (1 << 20));
	neuron_nq_close(nq);
	for (int i = 0; i < SLOTS; i++)
		neuron_program_destroy(dev, slot[i].prog);
	neuron_close(dev);
	free(want);
	return 0;
}
