// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * What the end-of-run checks read: debugfs DRAM use and BO lists, fdinfo,
 * and the module's removal and reload.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fuzz.h"

static char *slurp(const char *path, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += r;
		if (n + 1 == cap) {
			char *b = realloc(buf, cap *= 2);

			if (!b)
				break;
			buf = b;
		}
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void debugfs_path(const char *pci, const char *file, char *buf, size_t size)
{
	struct stat st;

	if (stat("/sys/kernel/debug/accel", &st))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	snprintf(buf, size, "/sys/kernel/debug/accel/%s/%s", pci, file);
}

/* Sum of the "used" figures of every channel line of debugfs dram. */
bool read_dram_used(const char *pci, uint64_t *used)
{
	char path[128], *buf, *p;
	int lines = 0;

	debugfs_path(pci, "dram", path, sizeof(path));
	buf = slurp(path, NULL);
	if (!buf)
		return false;
	*used = 0;
	for (p = buf; (p = strstr(p, "used ")); p += 5, lines++)
		*used += strtoull(p + 5, NULL, 0);
	free(buf);
	return lines > 0;
}

/* debugfs bos: "client N" lines, each followed by its "  handle ..." lines. */
bool bos_has_client(const char *pci, const uint64_t *ids, unsigned int n, char *msg, int len)
{
	char path[128], *buf, *line, *save = NULL;
	bool found = false;

	debugfs_path(pci, "bos", path, sizeof(path));
	buf = slurp(path, NULL);
	if (!buf) {
		snprintf(msg, len, "cannot read %s", path);
		return true;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint64_t id;

		if (sscanf(line, "client %" SCNu64, &id) != 1)
			continue;
		for (unsigned int i = 0; i < n; i++) {
			if (ids[i] == id) {
				snprintf(msg, len, "%s still lists the fuzzer's client %" PRIu64,
					 path, id);
				found = true;
			}
		}
	}
	free(buf);
	return found;
}

bool fdinfo_u64(int fd, const char *key, uint64_t *val)
{
	char path[64], *buf, *p;
	size_t klen = strlen(key);
	bool ok = false;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	buf = slurp(path, NULL);
	if (!buf)
		return false;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			*val = strtoull(p + klen + 1, NULL, 0);
			ok = true;
			break;
		}
	}
	free(buf);
	return ok;
}

static int count_nodes(void)
{
	DIR *d = opendir("/sys/bus/pci/drivers/neuron");
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strchr(de->d_name, ':'))
			n++;
	closedir(d);
	return n;
}

/*
 * rmmod and insmod again with the same parameters, then wait for the same
 * number of bound devices.  0, or -1 with msg set.
 */
int module_reload(char *msg, int len)
{
	char path[PATH_MAX + 128], params[1024] = "", exe[PATH_MAX];
	struct utsname uts;
	int before = count_nodes(), fd, waited;
	const char *env = getenv("NEURON_KO");
	DIR *dir;
	struct dirent *de;
	ssize_t n;

	/* The loaded module's parameters, so the reload keeps them. */
	dir = opendir("/sys/module/neuron/parameters");
	while (dir && (de = readdir(dir))) {
		char p[600], v[128];
		int f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/sys/module/neuron/parameters/%s", de->d_name);
		f = open(p, O_RDONLY | O_CLOEXEC);
		if (f < 0)
			continue;
		n = read(f, v, sizeof(v) - 1);
		close(f);
		if (n <= 0)
			continue;
		v[n] = '\0';
		v[strcspn(v, "\n")] = '\0';
		snprintf(params + strlen(params), sizeof(params) - strlen(params), "%s%s=%s",
			 params[0] ? " " : "", de->d_name, v);
	}
	if (dir)
		closedir(dir);

	if (env && *env) {
		snprintf(path, sizeof(path), "%s", env);
	} else {
		/* tools/neuron-fuzz/neuron-fuzz -> build/<release>/neuron.ko */
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n < 0) {
			snprintf(msg, len, "readlink /proc/self/exe: %s", strerror(errno));
			return -1;
		}
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		uname(&uts);
		snprintf(path, sizeof(path), "%s/../../build/%s/neuron.ko", exe, uts.release);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(msg, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (waited = 0; syscall(SYS_delete_module, "neuron", O_NONBLOCK); waited += 100) {
		/* EAGAIN/EWOULDBLOCK: references still being dropped. */
		if ((errno != EAGAIN && errno != EBUSY) || waited > 30000) {
			snprintf(msg, len, "rmmod neuron: %s", strerror(errno));
			close(fd);
			return -1;
		}
		usleep(100000);
	}
	if (syscall(SYS_finit_module, fd, params, 0)) {
		snprintf(msg, len, "insmod %s %s: %s", path, params, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	for (waited = 0; count_nodes() < before; waited += 100) {
		if (waited > 60000) {
			snprintf(msg, len, "%d of %d devices bound again after insmod",
				 count_nodes(), before);
			return -1;
		}
		usleep(100000);
	}
	return 0;
}
