/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * igt_neuron_*: helpers for the neuron accel driver's IGT tests.  IGT
 * itself opens only /dev/dri nodes, so accel nodes are found through
 * /sys/class/accel, opened directly and closed with close().
 */
#ifndef IGT_NEURON_H
#define IGT_NEURON_H

#include <stdbool.h>
#include <stdint.h>

#include "igt.h"
#include "neuron_accel.h"
#include "neuron_emu_ctl.h"

#define NEURON_DRIVER_NAME		"neuron"
#define NEURON_ACCEL_MAJOR		261
#define NEURON_PCI_VENDOR		0x1d0f
#define IGT_NEURON_MAX_NODES		64

/* One /dev/accel/accelN node of the neuron driver. */
struct igt_neuron_node {
	int minor;			/* N of accelN */
	char pci_addr[32];		/* parent PCI function, "0000:00:04.0" */
	int emu_dev;			/* neuron-emu device number, or -1 */
};

/* Nodes bound to the neuron driver, sorted by minor; returns the count. */
int igt_neuron_nodes(struct igt_neuron_node *nodes, int max);
/* Nodes of every driver under /sys/class/accel (any driver). */
int igt_neuron_all_accel_minors(int *minors, int max);
/* $NEURON_DEVICES, or -1 when unset. */
int igt_neuron_expected_devices(void);

/* PCI addresses of Inferentia functions in bus order = emulator order. */
int igt_neuron_pci_functions(char (*addrs)[32], int max);
int igt_neuron_emu_dev_of(const char *pci_addr);
bool igt_neuron_pci_addr(int minor, char *buf, size_t size);

/* Open accelN: returns the fd or -errno; no assertion. */
int __igt_neuron_open(int minor, int flags);
/* Open accelN and assert it is a neuron device. */
int igt_neuron_open(int minor);
/* Open the first neuron node, skipping if there is none. */
int igt_neuron_open_first(struct igt_neuron_node *node);
/* DRM_IOCTL_VERSION name == "neuron". */
bool igt_neuron_is_neuron(int fd);

/* DRM_IOCTL_NEURON_QUERY; returns 0 or -errno.  size is in/out. */
int __igt_neuron_query(int fd, uint32_t type, void *ptr, uint32_t *size,
		       uint32_t flags, uint32_t pad);
/* DEVICE_INFO, asserting success and the full size. */
void igt_neuron_device_info(int fd, struct drm_neuron_device_info *info);

/* sysfs/debugfs */
#define IGT_NEURON_PARAM_DIR "/sys/module/" NEURON_DRIVER_NAME "/parameters/"
int igt_neuron_read_file(const char *path, char *buf, size_t size);
/* Write a module parameter (asserts success). */
void igt_neuron_set_param(const char *name, int64_t val);
bool igt_neuron_read_u64(const char *path, uint64_t *val);
const char *igt_neuron_debugfs_dir(const char *pci_addr, char *buf, size_t size);
/* "key: value" / "key value" / "key=value" line of a debugfs-style file. */
bool igt_neuron_file_key_u64(const char *path, const char *key, uint64_t *val);

/*
 * Skip unless the driver sends FWIO requests only on demand (no periodic
 * statistics post), so that request counts are exact.
 */
void igt_neuron_require_quiet_fwio(void);

/*
 * Emulator control (skips when $NEURON_EMU_CTL is absent, as on real
 * hardware).  igt_neuron_require_emu() marks a subtest that needs the
 * device model for something other than its control port too: the model's
 * NeuronCore records (NC_OP_*) or its notification-entry format.
 */
struct neuron_emu_ctl *igt_neuron_emu(void);
void igt_neuron_require_emu(void);
void igt_neuron_emu_config(unsigned int dev, struct neuron_emu_config *cfg);
uint64_t igt_neuron_emu_counter(unsigned int dev, const char *name);
void igt_neuron_emu_reset_counters(unsigned int dev);
int igt_neuron_emu_fault(unsigned int dev, const char *name, uint64_t value);
/* How many injections of fault `name` are still armed ("faults D"). */
uint64_t igt_neuron_emu_fault_pending(unsigned int dev, const char *name);
/* M2S descriptors posted on the engine's queues that it has not run. */
uint64_t igt_neuron_emu_pending(unsigned int dev, unsigned int engine);
/* Run one packet on stalled engine `engine`; false when none was waiting. */
bool igt_neuron_emu_step(unsigned int dev, unsigned int engine);

/* The module: path of neuron.ko for the running kernel, load, unload. */
const char *igt_neuron_module_path(char *buf, size_t size);
bool igt_neuron_module_loaded(void);
/* 0 or -errno (delete_module); remembers the module's parameters. */
int igt_neuron_module_unload(void);
/* 0 or -errno (finit_module) with $NEURON_KO_ARGS or the remembered ones. */
int igt_neuron_module_load(void);
/* Wait until n neuron nodes exist (module load, rebind). */
bool igt_neuron_wait_nodes(int n, int timeout_ms);

/* ---- buffer objects, copies, fills (memory) ---- */

#define IGT_NEURON_GiB			(1ull << 30)
#define IGT_NEURON_MiB			(1ull << 20)
/* Device BO sizes are rounded up to this (uapi). */
#define IGT_NEURON_DRAM_GRANULE		256

/* Raw ioctls: 0 or -errno, arguments passed through unchanged. */
int __igt_neuron_bo_create(int fd, struct drm_neuron_bo_create *args);
int __igt_neuron_bo_info(int fd, struct drm_neuron_bo_info *args);
int __igt_neuron_bo_wait(int fd, uint32_t handle, uint32_t flags, int64_t timeout_ns);
int __igt_neuron_copy(int fd, struct drm_neuron_copy *args);
int __igt_neuron_fill(int fd, struct drm_neuron_fill *args);
int __igt_neuron_bo_close(int fd, uint32_t handle);

/* Asserting versions.  *_create return the handle; size is rounded. */
uint32_t igt_neuron_bo_create(int fd, uint32_t domain, uint64_t size);
uint32_t igt_neuron_bo_create_device(int fd, uint64_t size, uint32_t channel, uint32_t nc);
void igt_neuron_bo_info(int fd, uint32_t handle, struct drm_neuron_bo_info *info);
void igt_neuron_bo_close(int fd, uint32_t handle);
/* Wait without a deadline (INT64_MAX). */
void igt_neuron_bo_wait(int fd, uint32_t handle);
/* CLOCK_MONOTONIC now + ns, for BO_WAIT. */
int64_t igt_neuron_abs_timeout(int64_t ns);
/* mmap a host BO (whole size, read/write); asserts. */
void *igt_neuron_bo_mmap(int fd, uint32_t handle, size_t size);
/* Queue a copy/fill on nc (DRM_NEURON_ANY), optional out syncobj (0: none). */
void igt_neuron_copy(int fd, uint32_t dst, uint64_t dst_offset, uint32_t src,
		     uint64_t src_offset, uint64_t size, uint32_t out_syncobj);
void igt_neuron_fill(int fd, uint32_t handle, uint64_t offset, uint64_t size,
		     uint8_t value, uint32_t out_syncobj);
/* "drm-total-<region>" etc. from /proc/self/fdinfo/<fd>, in bytes. */
bool igt_neuron_fdinfo_bytes(int fd, const char *key, uint64_t *bytes);
/* Value of "key:" in /proc/self/fdinfo/<fd>. */
bool igt_neuron_fdinfo_str(int fd, const char *key, char *buf, size_t size);
/* Deterministic random bytes (xorshift) and a check against them. */
void igt_neuron_random_fill(void *buf, size_t size, uint64_t seed);

/* The node's emulator device; skips without the emulator's control port. */
int igt_neuron_node_emu(const struct igt_neuron_node *node);
/* Clear the stall and DMA-error faults of the node's device (teardown). */
void igt_neuron_node_clear_faults(const struct igt_neuron_node *node);

/* A new binary syncobj; asserts. */
uint32_t igt_neuron_syncobj(int fd);
/* Wait for a syncobj's fence without a deadline; asserts. */
void igt_neuron_syncobj_wait(int fd, uint32_t syncobj);
/* Status of a syncobj's fence, through a sync_file: 1, 0 or -errno. */
int igt_neuron_syncobj_status(int fd, uint32_t syncobj);
/* Status of a sync_file's fence: 1 signalled, 0 pending, or -errno. */
int igt_neuron_sync_file_status(int sfd);

/* A host BO with its CPU mapping. */
struct igt_neuron_hbo {
	uint32_t h;
	uint8_t *p;
	uint64_t size;
};

/* Create and map a host BO of size bytes; asserts. */
struct igt_neuron_hbo igt_neuron_hbo_new(int fd, uint64_t size);
/* Unmap and close it. */
void igt_neuron_hbo_free(int fd, struct igt_neuron_hbo *b);
/* Assert got == want over size bytes, naming the first differing byte. */
void igt_neuron_assert_same(const uint8_t *got, const uint8_t *want, uint64_t size,
			    const char *what);
/* Assert p[from..to) all equal v. */
void igt_neuron_assert_bytes(const uint8_t *p, uint64_t from, uint64_t to, uint8_t v,
			     const char *what);

#endif /* IGT_NEURON_H */
