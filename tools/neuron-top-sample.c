// SPDX-License-Identifier: MIT
/*
 * neuron-top: taking one sample.
 *
 * Clients come from /proc/<pid>/fdinfo/<fd> of every file whose fd, once
 * stat()ed, is one of the neuron nodes (so a node opened by another path
 * counts too).  The keys are those of Documentation/gpu/drm-usage-stats.rst
 * as the driver prints them (Documentation/neuron/driver.rst): memory as
 * drm-<stat>-<region> with KiB/MiB units, engine time as
 * drm-engine-<name> in ns.  Keys that a kernel does not print (drm-active-*
 * before the driver printed it, drm-client-name on 6.12) are simply absent
 * from the sample, never zero.
 *
 * Several fds (dup(), fork()) may share one open file, which the DRM core
 * gives one drm-client-id: such a client is counted once.
 *
 * The per-device queue and reset counters come from debugfs, which needs
 * root and a mounted debugfs; without them those parts are left out.  The
 * NeuronCores' owners come from sysfs nc_owners (anyone may read it), and
 * each client's own cores from its fdinfo neuron-nc-owned.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <libneuron.h>

#include "neuron-top.h"

const char *const nt_mem_stat_names[NT_MEM_STATS] = {
	[NT_MEM_TOTAL] = "total",
	[NT_MEM_SHARED] = "shared",
	[NT_MEM_RESIDENT] = "resident",
	[NT_MEM_ACTIVE] = "active",
	[NT_MEM_PURGEABLE] = "purgeable",
};

double nt_seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

static char *read_text(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "re");
	size_t cap = 4096, len = 0, n;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - 1 - len, f)) > 0) {
		len += n;
		if (len == cap - 1) {
			char *more = realloc(buf, cap * 2);

			if (!more) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = more;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

/* "123", "123 KiB", "4 MiB": bytes; -1 if it is not a size. */
static int parse_size(const char *v, uint64_t *bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	char *end;
	uint64_t n = strtoull(v, &end, 10);
	unsigned int u;

	if (end == v)
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	if (!*end) {
		*bytes = n;
		return 0;
	}
	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++)
		if (!strcmp(end, units[u])) {
			*bytes = n << (10 * u);
			return 0;
		}
	return -1;
}

static struct nt_region *region_get(struct nt_client *c, const char *name)
{
	struct nt_region *r;
	int i;

	for (i = 0; i < c->nregions; i++)
		if (!strcmp(c->regions[i].name, name))
			return &c->regions[i];
	if (c->nregions == NT_MAX_REGIONS)
		return NULL;
	r = &c->regions[c->nregions++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

/* One "key:\tvalue" line of an fdinfo file. */
static void parse_key(struct nt_client *c, const char *key, const char *val)
{
	unsigned int s;

	if (!strcmp(key, "drm-client-id")) {
		c->client_id = strtoull(val, NULL, 10);
		return;
	}
	if (!strcmp(key, "drm-client-name")) {
		snprintf(c->name, sizeof(c->name), "%s", val);
		return;
	}
	if (!strcmp(key, "neuron-nc-owned")) {
		c->nc_owned = (uint32_t)strtoul(val, NULL, 16);
		c->have_nc_owned = 1;
		return;
	}
	/* drm-engine-capacity-<name> is a count of engines, not a time. */
	if (!strncmp(key, "drm-engine-", 11) && strncmp(key, "drm-engine-capacity-", 20)) {
		struct nt_engine *e;
		char *end;
		uint64_t ns = strtoull(val, &end, 10);

		if (end == val || strcmp(end, " ns") || c->nengines == NT_MAX_ENGINES)
			return;
		e = &c->engines[c->nengines++];
		snprintf(e->name, sizeof(e->name), "%s", key + 11);
		e->ns = ns;
		return;
	}
	if (strncmp(key, "drm-", 4))
		return;
	for (s = 0; s < NT_MEM_STATS; s++) {
		size_t n = strlen(nt_mem_stat_names[s]);
		struct nt_region *r;
		uint64_t bytes;

		if (strncmp(key + 4, nt_mem_stat_names[s], n) || key[4 + n] != '-' ||
		    !key[5 + n])
			continue;
		if (parse_size(val, &bytes) || !(r = region_get(c, key + 5 + n)))
			return;
		r->have |= 1u << s;
		r->bytes[s] = bytes;
		return;
	}
}

/* Returns 0 if @text is the fdinfo of a neuron client, filling @c. */
static int parse_fdinfo(char *text, struct nt_client *c)
{
	char *line, *save = NULL;
	int neuron = 0, have_id = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *val;

		if (!colon)
			continue;
		*colon = '\0';
		for (val = colon + 1; *val == ' ' || *val == '\t'; val++)
			;
		if (!strcmp(line, "drm-driver"))
			neuron = !strcmp(val, "neuron");
		if (!strcmp(line, "drm-client-id"))
			have_id = 1;
		parse_key(c, line, val);
	}
	return neuron && have_id ? 0 : -1;
}

static struct nt_client *client_add(struct nt_sample *s)
{
	if (s->nclients == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		struct nt_client *c = realloc(s->clients, cap * sizeof(*c));

		if (!c)
			return NULL;
		s->clients = c;
		s->cap = cap;
	}
	return &s->clients[s->nclients];
}

static int device_of(const struct nt_sample *s, dev_t rdev)
{
	int i;

	for (i = 0; i < s->ndevices; i++)
		if (s->devices[i].rdev == rdev)
			return i;
	return -1;
}

static void read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64], *text, *nl;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	text = read_text(path, NULL);
	if (!text) {
		snprintf(buf, len, "?");
		return;
	}
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	snprintf(buf, len, "%s", text);
	free(text);
}

static void scan_process(struct nt_sample *s, pid_t pid)
{
	char path[64];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir) {
		if (errno == EACCES)
			s->fdinfo_denied++;
		return;
	}
	while ((de = readdir(dir))) {
		struct nt_client *c, tmp;
		struct stat st;
		char *text;
		int d, i, fd;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		fd = atoi(de->d_name);
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		if (stat(path, &st) || !S_ISCHR(st.st_mode))
			continue;
		d = device_of(s, st.st_rdev);
		if (d < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
		memset(&tmp, 0, sizeof(tmp));
		clock_gettime(CLOCK_MONOTONIC, &tmp.when);
		text = read_text(path, NULL);
		if (!text)
			continue;	/* closed since */
		i = parse_fdinfo(text, &tmp);
		free(text);
		if (i)
			continue;
		tmp.dev = d;
		for (i = 0; i < s->nclients; i++)
			if (s->clients[i].dev == d && s->clients[i].client_id == tmp.client_id)
				break;
		if (i < s->nclients) {
			/* Another fd of a client already seen. */
			if (s->clients[i].last_pid != pid)
				s->clients[i].nprocs++;
			s->clients[i].last_pid = pid;
			continue;
		}
		c = client_add(s);
		if (!c)
			break;
		*c = tmp;
		c->pid = c->last_pid = pid;
		c->nprocs = 1;
		read_comm(pid, c->comm, sizeof(c->comm));
		s->nclients++;
	}
	closedir(dir);
}

static int cmp_pid(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* Every process, in pid order, so that a fork()ed client is its parent's. */
static void scan_processes(struct nt_sample *s)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;
	int *pids = NULL, n = 0, cap = 0, i;

	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (n == cap) {
			int *more = realloc(pids, (cap = cap ? cap * 2 : 256) * sizeof(*pids));

			if (!more)
				break;
			pids = more;
		}
		pids[n++] = atoi(de->d_name);
	}
	closedir(dir);
	qsort(pids, n, sizeof(*pids), cmp_pid);
	for (i = 0; i < n; i++)
		scan_process(s, pids[i]);
	free(pids);
}

static uint64_t field(const char *text, const char *key)
{
	const char *p = text;
	size_t n = strlen(key);

	while ((p = strstr(p, key))) {
		if ((p == text || p[-1] == '\n' || p[-1] == ' ') && p[n] == ':')
			return strtoull(p + n + 1, NULL, 10);
		p += n;
	}
	return 0;
}

/* debugfs copy_queues: a header line per queue, then "  key: value" lines. */
static void parse_queues(char *text, struct nt_devstate *st)
{
	char *line, *save = NULL;
	struct nt_queue *q = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[32], kind[16];
		unsigned long long v;
		char key[32];

		if (line[0] != ' ') {
			q = NULL;
			if (st->nqueues == NT_MAX_QUEUES)
				continue;
			if (sscanf(line, "%31[^:]: nc %*d engine %*d queue %*d %15s", name, kind) != 2)
				continue;
			q = &st->queues[st->nqueues++];
			memset(q, 0, sizeof(*q));
			snprintf(q->name, sizeof(q->name), "%s", name);
			sscanf(line, "%*[^:]: nc %d engine %d queue %d", &q->nc, &q->engine, &q->qid);
			q->client = !strcmp(kind, "client");
			continue;
		}
		if (!q || sscanf(line, " %31[^:]: %llu", key, &v) != 2)
			continue;
		if (!strcmp(key, "jobs"))
			q->jobs = v;
		else if (!strcmp(key, "in_flight"))
			q->in_flight = v;
		else if (!strcmp(key, "timeouts"))
			q->timeouts = v;
		else if (!strcmp(key, "slow"))
			q->slow = v;
		else if (!strcmp(key, "aborts"))
			q->aborts = v;
		else if (!strcmp(key, "replays"))
			q->replays = v;
	}
}

/* sysfs nc_owners of the device, through libneuron. */
static void read_owners(const struct nt_device *d, struct nt_devstate *st)
{
	struct neuron_nc_owner o[NT_MAX_NCS];
	int n = neuron_read_nc_owners(minor(d->rdev), o, NT_MAX_NCS);

	if (n < 0)
		return;
	st->have_owners = 1;
	st->nowners = n < NT_MAX_NCS ? n : NT_MAX_NCS;
	for (int i = 0; i < st->nowners; i++) {
		st->owners[i].owned = o[i].owned;
		st->owners[i].client_id = o[i].client_id;
		st->owners[i].pid = o[i].pid;
		snprintf(st->owners[i].comm, sizeof(st->owners[i].comm), "%s", o[i].comm);
	}
}

static void read_debugfs(const struct nt_device *d, struct nt_devstate *st)
{
	char path[256], *text;

	memset(st, 0, sizeof(*st));
	read_owners(d, st);
	snprintf(path, sizeof(path), "/sys/kernel/debug/accel/%s/copy_queues", d->pci);
	text = read_text(path, NULL);
	if (text) {
		st->have_queues = 1;
		parse_queues(text, st);
		free(text);
	}
	snprintf(path, sizeof(path), "/sys/kernel/debug/accel/%s/reset_count", d->pci);
	text = read_text(path, NULL);
	if (text) {
		st->have_resets = 1;
		st->reset_count = field(text, "reset_count");
		st->reset_failures = field(text, "reset_failures");
		st->reset_failed = field(text, "failed");
		free(text);
	}
}

/* Takes a sample into @s (zeroed by the caller or freed before). */
int nt_sample_take(struct nt_sample *s)
{
	int i;

	s->nclients = 0;
	s->fdinfo_denied = 0;
	s->ndevices = nt_discover(s->devices, NT_MAX_DEVICES);
	clock_gettime(CLOCK_MONOTONIC, &s->when);
	for (i = 0; i < s->ndevices; i++)
		read_debugfs(&s->devices[i], &s->state[i]);
	scan_processes(s);
	return 0;
}

void nt_sample_free(struct nt_sample *s)
{
	free(s->clients);
	s->clients = NULL;
	s->nclients = s->cap = 0;
}

/* The index of @dev (same node and PCI address) in @s, or -1. */
int nt_device_find(const struct nt_sample *s, const struct nt_device *dev)
{
	int i;

	for (i = 0; i < s->ndevices; i++)
		if (!strcmp(s->devices[i].pci, dev->pci) &&
		    s->devices[i].rdev == dev->rdev)
			return i;
	return -1;
}

const struct nt_client *nt_client_find(const struct nt_sample *s,
				       const struct nt_device *dev,
				       uint64_t client_id)
{
	int d = nt_device_find(s, dev), i;

	if (d < 0)
		return NULL;
	for (i = 0; i < s->nclients; i++)
		if (s->clients[i].dev == d && s->clients[i].client_id == client_id)
			return &s->clients[i];
	return NULL;
}

const struct nt_queue *nt_queue_find(const struct nt_devstate *st,
				     const struct nt_queue *q)
{
	int i;

	for (i = 0; i < st->nqueues; i++)
		if (!strcmp(st->queues[i].name, q->name))
			return &st->queues[i];
	return NULL;
}
