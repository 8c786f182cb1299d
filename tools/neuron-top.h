/* SPDX-License-Identifier: MIT */
/*
 * neuron-top: what one sample of the system holds, and the functions that
 * take, compare and show samples.
 *
 * A sample is everything read at one moment: the neuron devices, every
 * open file of theirs found in /proc/<pid>/fdinfo (one entry per DRM
 * client), and each device's debugfs queue and reset counters.  Rates and
 * busy percentages are the difference of two samples.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#ifndef NEURON_TOP_H
#define NEURON_TOP_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#define NT_MAX_DEVICES	64
#define NT_MAX_ENGINES	16
#define NT_MAX_REGIONS	8
/* 4 NeuronCores x 3 engines x 16 hardware queues. */
#define NT_MAX_QUEUES	192
#define NT_MAX_NCS	16

/* One neuron device, as discovery finds it. */
struct nt_device {
	char node[32];		/* "accel0" */
	char path[48];		/* "/dev/accel/accel0" */
	dev_t rdev;		/* the node's device number */
	char pci[64];		/* "0000:00:03.0" */
	int nc_count;		/* sysfs core_count; 0 if unreadable */
};

/* The memory statistics of drm-usage-stats.rst, per region. */
enum nt_mem_stat {
	NT_MEM_TOTAL,
	NT_MEM_SHARED,
	NT_MEM_RESIDENT,
	NT_MEM_ACTIVE,
	NT_MEM_PURGEABLE,
	NT_MEM_STATS
};

extern const char *const nt_mem_stat_names[NT_MEM_STATS];

struct nt_region {
	char name[24];			/* "memory" (host), "dram" */
	unsigned int have;		/* bit per enum nt_mem_stat printed */
	uint64_t bytes[NT_MEM_STATS];
};

struct nt_engine {
	char name[24];			/* "nc0" */
	uint64_t ns;			/* drm-engine-<name> */
};

/* One DRM client (one open file description) of a neuron device. */
struct nt_client {
	int dev;			/* index into nt_sample.devices */
	uint64_t client_id;		/* drm-client-id */
	pid_t pid;			/* first process found holding it */
	int nprocs;			/* processes holding it */
	pid_t last_pid;			/* the last of them seen while scanning */
	char comm[32];			/* /proc/<pid>/comm */
	char name[64];			/* drm-client-name, "" if unset */
	int have_nc_owned;		/* neuron-nc-owned printed (kernels with ownership) */
	uint32_t nc_owned;		/* its NeuronCores, bit n = NeuronCore n */
	struct timespec when;		/* when its fdinfo was read */
	int nengines;
	struct nt_engine engines[NT_MAX_ENGINES];
	int nregions;
	struct nt_region regions[NT_MAX_REGIONS];
};

/* One hardware DMA queue of debugfs copy_queues. */
struct nt_queue {
	char name[32];
	int nc, engine, qid;
	int client;			/* a clients' queue, not a copy queue */
	uint64_t jobs, in_flight, timeouts, slow, aborts, replays;
};

/* The owner of one NeuronCore (sysfs nc_owners). */
struct nt_owner {
	int owned;
	uint64_t client_id;
	pid_t pid;
	char comm[32];
};

/*
 * A device's debugfs counters and its NeuronCores' owners; have_* is 0
 * when the file is unreadable.
 */
struct nt_devstate {
	int have_owners;
	int nowners;
	struct nt_owner owners[NT_MAX_NCS];
	int have_queues;
	int nqueues;
	struct nt_queue queues[NT_MAX_QUEUES];
	int have_resets;
	uint64_t reset_count, reset_failures, reset_failed;
};

struct nt_sample {
	struct timespec when;
	int ndevices;
	struct nt_device devices[NT_MAX_DEVICES];
	struct nt_devstate state[NT_MAX_DEVICES];
	int nclients, cap;
	struct nt_client *clients;
	int fdinfo_denied;		/* processes whose fds could not be read */
};

/* neuron-top-devices.c: discovery (to be replaced by libneuron's). */
int nt_discover(struct nt_device *devs, int max);

/* neuron-top-sample.c */
int nt_sample_take(struct nt_sample *s);
void nt_sample_free(struct nt_sample *s);
const struct nt_client *nt_client_find(const struct nt_sample *s,
				       const struct nt_device *dev,
				       uint64_t client_id);
int nt_device_find(const struct nt_sample *s, const struct nt_device *dev);
const struct nt_queue *nt_queue_find(const struct nt_devstate *st,
				     const struct nt_queue *q);
double nt_seconds(const struct timespec *a, const struct timespec *b);

/*
 * neuron-top-view.c: differences between two samples.  @prev may lack the
 * client or device (it appeared since): counters then start from zero,
 * which is where the kernel starts them.
 */
struct nt_engine_view {
	char name[24];
	uint64_t ns;			/* busy ns during the interval */
	double percent;			/* of the interval; may pass 100 */
};

int nt_client_engines(const struct nt_sample *prev, const struct nt_sample *cur,
		      const struct nt_client *c, struct nt_engine_view *out);

struct nt_queue_view {
	int queues;			/* clients' hardware queues set up */
	int active;			/* of those, busy during the interval */
	uint64_t jobs;			/* jobs completed in the interval, all queues */
	double jobs_per_s;
	uint64_t in_flight, timeouts, aborts;
};

void nt_device_queues(const struct nt_sample *prev, const struct nt_sample *cur,
		      int d, struct nt_queue_view *v);
int nt_device_engines(const struct nt_sample *prev, const struct nt_sample *cur,
		      int d, struct nt_engine_view *out);
void nt_device_memory(const struct nt_sample *cur, int d, struct nt_region *out,
		      int *nregions);

/* neuron-top-show.c */
void nt_show_text(FILE *f, const struct nt_sample *prev, const struct nt_sample *cur,
		  int ansi);
void nt_show_json(FILE *f, const struct nt_sample *prev, const struct nt_sample *cur);

#endif /* NEURON_TOP_H */
