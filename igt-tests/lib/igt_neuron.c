// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * igt_neuron_* helpers (see igt_neuron.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "igt_neuron.h"

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int cmp_node(const void *a, const void *b)
{
	return ((const struct igt_neuron_node *)a)->minor -
	       ((const struct igt_neuron_node *)b)->minor;
}

static int cmp_addr(const void *a, const void *b)
{
	return strcmp(a, b);
}

int igt_neuron_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

bool igt_neuron_read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;

	if (igt_neuron_read_file(path, buf, sizeof(buf)) <= 0)
		return false;
	*val = strtoull(buf, &end, 0);
	return end != buf && (*end == '\n' || *end == '\0');
}

void igt_neuron_set_param(const char *name, int64_t val)
{
	char path[PATH_MAX], buf[32];
	int pfd;

	snprintf(path, sizeof(path), IGT_NEURON_PARAM_DIR "%s", name);
	snprintf(buf, sizeof(buf), "%" PRId64, val);
	pfd = open(path, O_WRONLY | O_CLOEXEC);
	igt_assert_f(pfd >= 0, "open %s: %s\n", path, strerror(errno));
	igt_assert_eq(write(pfd, buf, strlen(buf)), (int)strlen(buf));
	close(pfd);
}

/* basename of the target of a sysfs symlink */
static bool link_basename(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return false;
	target[n] = '\0';
	snprintf(buf, size, "%s", basename(target));
	return true;
}

int igt_neuron_all_accel_minors(int *minors, int max)
{
	DIR *dir = opendir("/sys/class/accel");
	struct dirent *de;
	int n = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		int minor;
		char end;

		if (sscanf(de->d_name, "accel%d%c", &minor, &end) == 1)
			minors[n++] = minor;
	}
	closedir(dir);
	qsort(minors, n, sizeof(*minors), cmp_int);
	return n;
}

bool igt_neuron_pci_addr(int minor, char *buf, size_t size)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device", minor);
	return link_basename(path, buf, size);
}

int igt_neuron_pci_functions(char (*addrs)[32], int max)
{
	DIR *dir = opendir("/sys/bus/pci/devices");
	struct dirent *de;
	int n = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		char path[PATH_MAX];
		uint64_t vendor, device;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		if (!igt_neuron_read_u64(path, &vendor) || vendor != NEURON_PCI_VENDOR)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", de->d_name);
		if (!igt_neuron_read_u64(path, &device) || device < 0x7064 || device > 0x7067)
			continue;
		if (strlen(de->d_name) >= 32)
			continue;
		memcpy(addrs[n++], de->d_name, strlen(de->d_name) + 1);
	}
	closedir(dir);
	/* Fixed-width "dddd:bb:dd.f": string order is bus order. */
	qsort(addrs, n, 32, cmp_addr);
	return n;
}

int igt_neuron_emu_dev_of(const char *pci_addr)
{
	char addrs[IGT_NEURON_MAX_NODES][32];
	int n = igt_neuron_pci_functions(addrs, IGT_NEURON_MAX_NODES);

	for (int i = 0; i < n; i++)
		if (!strcmp(addrs[i], pci_addr))
			return i;
	return -1;
}

int igt_neuron_nodes(struct igt_neuron_node *nodes, int max)
{
	int minors[IGT_NEURON_MAX_NODES];
	int count = igt_neuron_all_accel_minors(minors, IGT_NEURON_MAX_NODES);
	int n = 0;

	for (int i = 0; i < count && n < max; i++) {
		char path[PATH_MAX], drv[64];

		snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/driver", minors[i]);
		if (!link_basename(path, drv, sizeof(drv)) || strcmp(drv, NEURON_DRIVER_NAME))
			continue;
		nodes[n].minor = minors[i];
		if (!igt_neuron_pci_addr(minors[i], nodes[n].pci_addr, sizeof(nodes[n].pci_addr)))
			continue;
		nodes[n].emu_dev = igt_neuron_emu_dev_of(nodes[n].pci_addr);
		n++;
	}
	qsort(nodes, n, sizeof(*nodes), cmp_node);
	return n;
}

int igt_neuron_expected_devices(void)
{
	const char *s = getenv("NEURON_DEVICES");

	return s && *s ? atoi(s) : -1;
}

int __igt_neuron_open(int minor, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/accel/accel%d", minor);
	fd = open(path, flags);
	return fd < 0 ? -errno : fd;
}

bool igt_neuron_is_neuron(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool ok;

	if (!v)
		return false;
	ok = v->name && !strcmp(v->name, NEURON_DRIVER_NAME);
	drmFreeVersion(v);
	return ok;
}

int igt_neuron_open(int minor)
{
	int fd = __igt_neuron_open(minor, O_RDWR | O_CLOEXEC);

	igt_assert_f(fd >= 0, "open /dev/accel/accel%d: %s\n", minor, strerror(-fd));
	igt_assert_f(igt_neuron_is_neuron(fd), "accel%d is not a neuron device\n", minor);
	return fd;
}

int igt_neuron_open_first(struct igt_neuron_node *node)
{
	struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
	int n = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);

	igt_require_f(n > 0, "no neuron accel node\n");
	if (node)
		*node = nodes[0];
	return igt_neuron_open(nodes[0].minor);
}

int __igt_neuron_query(int fd, uint32_t type, void *ptr, uint32_t *size,
		       uint32_t flags, uint32_t pad)
{
	struct drm_neuron_query q = {
		.type = type,
		.size = *size,
		.pointer = (uintptr_t)ptr,
		.flags = flags,
		.pad = pad,
	};
	int ret = 0;

	if (igt_ioctl(fd, DRM_IOCTL_NEURON_QUERY, &q))
		ret = -errno;
	*size = q.size;
	errno = 0;
	return ret;
}

void igt_neuron_device_info(int fd, struct drm_neuron_device_info *info)
{
	uint32_t size = sizeof(*info);

	memset(info, 0, sizeof(*info));
	igt_assert_eq(__igt_neuron_query(fd, DRM_NEURON_QUERY_DEVICE_INFO, info, &size, 0, 0), 0);
	igt_assert_eq_u32(size, sizeof(*info));
}

const char *igt_neuron_debugfs_dir(const char *pci_addr, char *buf, size_t size)
{
	struct stat st;

	if (stat("/sys/kernel/debug/accel", &st))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	snprintf(buf, size, "/sys/kernel/debug/accel/%s", pci_addr);
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
}

bool igt_neuron_file_key_u64(const char *path, const char *key, uint64_t *val)
{
	char buf[8192], *line, *save = NULL;
	size_t klen = strlen(key);

	if (igt_neuron_read_file(path, buf, sizeof(buf)) <= 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line, *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, klen))
			continue;
		p += klen;
		if (*p != ':' && *p != '=' && *p != ' ' && *p != '\t')
			continue;
		while (*p == ':' || *p == '=' || *p == ' ' || *p == '\t')
			p++;
		*val = strtoull(p, &end, 0);
		if (end != p)
			return true;
	}
	return false;
}

void igt_neuron_require_quiet_fwio(void)
{
	uint64_t period = 0;

	/* Absent in drivers without the periodic post: quiet too. */
	igt_neuron_read_u64("/sys/module/" NEURON_DRIVER_NAME "/parameters/stats_post_period_ms",
			    &period);
	igt_require_f(period == 0, "stats_post_period_ms=%" PRIu64
		      ": periodic FWIO posts would disturb exact request counts\n", period);
}

static struct neuron_emu_ctl *emu;

struct neuron_emu_ctl *igt_neuron_emu(void)
{
	if (!emu) {
		emu = neuron_emu_ctl_open(NULL);
		igt_require_f(emu, "needs the neuron-emu device model: no control port "
			      "($%s): %s (real hardware has none)\n",
			      NEURON_EMU_CTL_ENV, strerror(errno));
	}
	return emu;
}

void igt_neuron_require_emu(void)
{
	igt_neuron_emu();
}

void igt_neuron_emu_config(unsigned int dev, struct neuron_emu_config *cfg)
{
	int ret = neuron_emu_ctl_config(igt_neuron_emu(), dev, cfg);

	igt_assert_f(ret == 0, "emulator 'config %u' failed: %s\n", dev, strerror(-ret));
}

uint64_t igt_neuron_emu_counter(unsigned int dev, const char *name)
{
	uint64_t val = 0;
	int ret = neuron_emu_ctl_counter(igt_neuron_emu(), dev, name, &val);

	igt_assert_f(ret == 0, "emulator counter %s of device %u: %s\n",
		     name, dev, strerror(-ret));
	return val;
}

void igt_neuron_emu_reset_counters(unsigned int dev)
{
	int ret = neuron_emu_ctl_reset_counters(igt_neuron_emu(), dev);

	igt_assert_f(ret == 0, "emulator reset-counters %u: %s\n", dev, strerror(-ret));
}

int igt_neuron_emu_fault(unsigned int dev, const char *name, uint64_t value)
{
	return neuron_emu_ctl_fault(igt_neuron_emu(), dev, name, value);
}

uint64_t igt_neuron_emu_pending(unsigned int dev, unsigned int engine)
{
	uint64_t n = 0;

	igt_assert_eq(neuron_emu_ctl_pending(igt_neuron_emu(), dev, engine, &n), 0);
	return n;
}

bool igt_neuron_emu_step(unsigned int dev, unsigned int engine)
{
	int ret = neuron_emu_ctl_step(igt_neuron_emu(), dev, engine);

	igt_assert_f(ret >= 0, "emulator step %u %u: %d\n", dev, engine, ret);
	return ret;
}

uint64_t igt_neuron_emu_fault_pending(unsigned int dev, const char *name)
{
	struct neuron_emu_reply r;
	uint64_t val = 0;
	int ret = neuron_emu_ctl_cmd(igt_neuron_emu(), &r, "faults %u", dev);

	igt_assert_f(ret == 0, "emulator 'faults %u': %s\n", dev, strerror(-ret));
	igt_assert_f(neuron_emu_reply_u64(&r, name, &val) == 0,
		     "emulator has no fault %s\n", name);
	return val;
}

const char *igt_neuron_module_path(char *buf, size_t size)
{
	const char *env = getenv("NEURON_KO");
	char exe[PATH_MAX];
	struct utsname uts;
	ssize_t n;

	if (env && *env) {
		snprintf(buf, size, "%s", env);
		return buf;
	}
	/* bin/<test> -> igt-tests -> repository root */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return NULL;
	exe[n] = '\0';
	uname(&uts);
	snprintf(buf, size, "%s/../../build/%s/neuron.ko", dirname(exe), uts.release);
	return access(buf, R_OK) ? NULL : buf;
}

bool igt_neuron_module_loaded(void)
{
	struct stat st;

	return stat("/sys/module/" NEURON_DRIVER_NAME, &st) == 0;
}

/* Parameters of the loaded module, "a=1 b=Y", so a reload keeps them. */
static char saved_params[1024];

static void save_params(void)
{
	DIR *dir = opendir("/sys/module/" NEURON_DRIVER_NAME "/parameters");
	struct dirent *de;
	size_t len = 0;

	saved_params[0] = '\0';
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		char path[PATH_MAX], val[128];
		int n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s",
			 NEURON_DRIVER_NAME, de->d_name);
		n = igt_neuron_read_file(path, val, sizeof(val));
		if (n <= 0)
			continue;
		val[strcspn(val, "\n")] = '\0';
		n = snprintf(saved_params + len, sizeof(saved_params) - len, "%s%s=%s",
			     len ? " " : "", de->d_name, val);
		if (n < 0 || (size_t)n >= sizeof(saved_params) - len)
			break;
		len += n;
	}
	closedir(dir);
}

int igt_neuron_module_unload(void)
{
	save_params();
	if (syscall(SYS_delete_module, NEURON_DRIVER_NAME, O_NONBLOCK))
		return -errno;
	return 0;
}

int igt_neuron_module_load(void)
{
	const char *params = getenv("NEURON_KO_ARGS");
	char path[PATH_MAX];
	int fd, ret = 0;

	if (!igt_neuron_module_path(path, sizeof(path)))
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (!params)
		params = saved_params;
	igt_debug("insmod %s %s\n", path, params);
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	close(fd);
	return ret;
}

bool igt_neuron_wait_nodes(int n, int timeout_ms)
{
	struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];

	for (int waited = 0;; waited += 50) {
		int have = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);
		bool all_open = have == n;

		/* devtmpfs creates the nodes asynchronously to sysfs */
		for (int i = 0; all_open && i < have; i++) {
			char path[64];

			snprintf(path, sizeof(path), "/dev/accel/accel%d", nodes[i].minor);
			all_open = access(path, R_OK | W_OK) == 0;
		}
		if (all_open)
			return true;
		if (waited >= timeout_ms)
			return false;
		usleep(50 * 1000);
	}
}

/* ---- buffer objects, copies, fills ---- */

static int neuron_raw_ioctl(int fd, unsigned long req, void *arg)
{
	int ret = igt_ioctl(fd, req, arg) ? -errno : 0;

	errno = 0;
	return ret;
}

int __igt_neuron_bo_create(int fd, struct drm_neuron_bo_create *args)
{
	return neuron_raw_ioctl(fd, DRM_IOCTL_NEURON_BO_CREATE, args);
}

int __igt_neuron_bo_info(int fd, struct drm_neuron_bo_info *args)
{
	return neuron_raw_ioctl(fd, DRM_IOCTL_NEURON_BO_INFO, args);
}

int __igt_neuron_bo_wait(int fd, uint32_t handle, uint32_t flags, int64_t timeout_ns)
{
	struct drm_neuron_bo_wait w = {
		.handle = handle,
		.flags = flags,
		.timeout_ns = timeout_ns,
	};

	return neuron_raw_ioctl(fd, DRM_IOCTL_NEURON_BO_WAIT, &w);
}

int __igt_neuron_copy(int fd, struct drm_neuron_copy *args)
{
	return neuron_raw_ioctl(fd, DRM_IOCTL_NEURON_COPY, args);
}

int __igt_neuron_fill(int fd, struct drm_neuron_fill *args)
{
	return neuron_raw_ioctl(fd, DRM_IOCTL_NEURON_FILL, args);
}

int __igt_neuron_bo_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return neuron_raw_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

uint32_t igt_neuron_bo_create_device(int fd, uint64_t size, uint32_t channel, uint32_t nc)
{
	struct drm_neuron_bo_create c = {
		.size = size,
		.domain = DRM_NEURON_BO_DOMAIN_DEVICE,
		.dram_channel = channel,
		.dram_nc = nc,
	};
	int ret = __igt_neuron_bo_create(fd, &c);

	igt_assert_f(ret == 0, "BO_CREATE device size %" PRIu64 " ch %#x nc %#x: %s\n",
		     size, channel, nc, strerror(-ret));
	igt_assert_neq_u32(c.handle, 0);
	return c.handle;
}

uint32_t igt_neuron_bo_create(int fd, uint32_t domain, uint64_t size)
{
	struct drm_neuron_bo_create c = {
		.size = size,
		.domain = domain,
		.dram_channel = DRM_NEURON_ANY,
		.dram_nc = DRM_NEURON_ANY,
	};
	int ret = __igt_neuron_bo_create(fd, &c);

	igt_assert_f(ret == 0, "BO_CREATE domain %u size %" PRIu64 ": %s\n",
		     domain, size, strerror(-ret));
	igt_assert_neq_u32(c.handle, 0);
	return c.handle;
}

void igt_neuron_bo_info(int fd, uint32_t handle, struct drm_neuron_bo_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	info->handle = handle;
	ret = __igt_neuron_bo_info(fd, info);
	igt_assert_f(ret == 0, "BO_INFO %u: %s\n", handle, strerror(-ret));
}

void igt_neuron_bo_close(int fd, uint32_t handle)
{
	int ret = __igt_neuron_bo_close(fd, handle);

	igt_assert_f(ret == 0, "GEM_CLOSE %u: %s\n", handle, strerror(-ret));
}

void igt_neuron_bo_wait(int fd, uint32_t handle)
{
	int ret = __igt_neuron_bo_wait(fd, handle, 0, INT64_MAX);

	igt_assert_f(ret == 0, "BO_WAIT %u: %s\n", handle, strerror(-ret));
}

int64_t igt_neuron_abs_timeout(int64_t ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec + ns;
}

void *igt_neuron_bo_mmap(int fd, uint32_t handle, size_t size)
{
	struct drm_neuron_bo_info info;
	void *p;

	igt_neuron_bo_info(fd, handle, &info);
	igt_assert_f(info.mmap_offset != 0, "BO %u has no mmap offset\n", handle);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, info.mmap_offset);
	igt_assert_f(p != MAP_FAILED, "mmap of BO %u (%zu bytes): %s\n", handle, size,
		     strerror(errno));
	return p;
}

void igt_neuron_copy(int fd, uint32_t dst, uint64_t dst_offset, uint32_t src,
		     uint64_t src_offset, uint64_t size, uint32_t out_syncobj)
{
	struct drm_neuron_copy c = {
		.src_handle = src,
		.dst_handle = dst,
		.src_offset = src_offset,
		.dst_offset = dst_offset,
		.size = size,
		.nc = DRM_NEURON_ANY,
		.out_sync.handle = out_syncobj,
	};
	int ret = __igt_neuron_copy(fd, &c);

	igt_assert_f(ret == 0, "COPY %u+%" PRIu64 " -> %u+%" PRIu64 " size %" PRIu64 ": %s\n",
		     src, src_offset, dst, dst_offset, size, strerror(-ret));
}

void igt_neuron_fill(int fd, uint32_t handle, uint64_t offset, uint64_t size,
		     uint8_t value, uint32_t out_syncobj)
{
	struct drm_neuron_fill f = {
		.handle = handle,
		.value = value,
		.offset = offset,
		.size = size,
		.nc = DRM_NEURON_ANY,
		.out_sync.handle = out_syncobj,
	};
	int ret = __igt_neuron_fill(fd, &f);

	igt_assert_f(ret == 0, "FILL %u+%" PRIu64 " size %" PRIu64 " value %u: %s\n",
		     handle, offset, size, value, strerror(-ret));
}

bool igt_neuron_fdinfo_str(int fd, const char *key, char *buf, size_t size)
{
	char path[64], text[8192], *line, *save = NULL;
	size_t klen = strlen(key);

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (igt_neuron_read_file(path, text, sizeof(text)) <= 0)
		return false;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		line += klen + 1;
		while (*line == ' ' || *line == '\t')
			line++;
		snprintf(buf, size, "%s", line);
		return true;
	}
	return false;
}

bool igt_neuron_fdinfo_bytes(int fd, const char *key, uint64_t *bytes)
{
	char buf[128], *end;
	uint64_t v;

	if (!igt_neuron_fdinfo_str(fd, key, buf, sizeof(buf)))
		return false;
	v = strtoull(buf, &end, 10);
	if (end == buf)
		return false;
	while (*end == ' ')
		end++;
	if (!strncmp(end, "KiB", 3))
		v <<= 10;
	else if (!strncmp(end, "MiB", 3))
		v <<= 20;
	else if (!strncmp(end, "GiB", 3))
		v <<= 30;
	else if (*end && strncmp(end, "B", 1))
		return false;
	*bytes = v;
	return true;
}

void igt_neuron_random_fill(void *buf, size_t size, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
	uint8_t *p = buf;
	size_t i = 0;

	for (; i + 8 <= size; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
	for (; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

struct igt_neuron_hbo igt_neuron_hbo_new(int fd, uint64_t size)
{
	struct igt_neuron_hbo b = { .size = size };

	b.h = igt_neuron_bo_create(fd, DRM_NEURON_BO_DOMAIN_HOST, size);
	b.p = igt_neuron_bo_mmap(fd, b.h, size);
	return b;
}

void igt_neuron_hbo_free(int fd, struct igt_neuron_hbo *b)
{
	munmap(b->p, b->size);
	igt_neuron_bo_close(fd, b->h);
}

void igt_neuron_assert_same(const uint8_t *got, const uint8_t *want, uint64_t size,
			    const char *what)
{
	/* memcmp first: the byte loop is only there to name the culprit. */
	if (memcmp(got, want, size) == 0)
		return;
	for (uint64_t i = 0; i < size; i++)
		igt_assert_f(got[i] == want[i], "%s: byte %" PRIu64 " is %#x, expected %#x\n",
			     what, i, got[i], want[i]);
}

void igt_neuron_assert_bytes(const uint8_t *p, uint64_t from, uint64_t to, uint8_t v,
			     const char *what)
{
	for (uint64_t i = from; i < to; i++)
		igt_assert_f(p[i] == v, "%s: byte %" PRIu64 " is %#x, expected %#x\n",
			     what, i, p[i], v);
}

uint32_t igt_neuron_syncobj(int fd)
{
	uint32_t s;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &s), 0);
	return s;
}

void igt_neuron_syncobj_wait(int fd, uint32_t syncobj)
{
	igt_assert_eq(drmSyncobjWait(fd, &syncobj, 1, INT64_MAX, 0, NULL), 0);
}

int igt_neuron_sync_file_status(int sfd)
{
	struct sync_file_info info = {};

	igt_assert_eq(drmIoctl(sfd, SYNC_IOC_FILE_INFO, &info), 0);
	return info.status;
}

int igt_neuron_syncobj_status(int fd, uint32_t syncobj)
{
	int sfd = -1, status;

	igt_assert_eq(drmSyncobjExportSyncFile(fd, syncobj, &sfd), 0);
	status = igt_neuron_sync_file_status(sfd);
	close(sfd);
	return status;
}

int igt_neuron_node_emu(const struct igt_neuron_node *node)
{
	igt_neuron_emu();
	igt_require_f(node->emu_dev >= 0, "no emulator device for %s\n", node->pci_addr);
	return node->emu_dev;
}

void igt_neuron_node_clear_faults(const struct igt_neuron_node *node)
{
	struct neuron_emu_reply r;

	if (node->emu_dev < 0 || !getenv(NEURON_EMU_CTL_ENV))
		return;
	neuron_emu_ctl_cmd(igt_neuron_emu(), &r, "fault %d queue_stall -1", node->emu_dev);
	igt_neuron_emu_fault(node->emu_dev, "dma_error", 0);
}
