// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * neuron-emu control client (see neuron_emu_ctl.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "neuron_emu_ctl.h"

/* The emulator answers in microseconds; TCG guests can stall for seconds. */
#define REPLY_TIMEOUT_MS	15000

struct neuron_emu_ctl {
	int fd;
	char buf[8192];
	size_t len;
};

/* Bounded copy that always terminates (truncation is fine here). */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct neuron_emu_ctl *neuron_emu_ctl_open(const char *path)
{
	struct neuron_emu_ctl *ctl;
	int fd = -1;

	if (!path)
		path = getenv(NEURON_EMU_CTL_ENV);
	if (!path || !*path) {
		errno = ENOENT;
		return NULL;
	}
	/*
	 * A virtio console port admits one opener: a previous test process
	 * that is still exiting may hold it for a moment (EBUSY).
	 */
	for (int i = 0; i < 50; i++) {
		fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0 || errno != EBUSY)
			break;
		usleep(100 * 1000);
	}
	if (fd < 0)
		return NULL;

	ctl = calloc(1, sizeof(*ctl));
	if (!ctl) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	ctl->fd = fd;
	return ctl;
}

void neuron_emu_ctl_close(struct neuron_emu_ctl *ctl)
{
	if (!ctl)
		return;
	close(ctl->fd);
	free(ctl);
}

/* Drop whatever a previous, interrupted client left unread in the port. */
static void drain(struct neuron_emu_ctl *ctl)
{
	struct pollfd pfd = { .fd = ctl->fd, .events = POLLIN };
	char junk[512];

	ctl->len = 0;
	while (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN)) {
		if (read(ctl->fd, junk, sizeof(junk)) <= 0)
			break;
	}
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= w;
	}
	return 0;
}

/* One line without its '\n' into line[]; replies may come in pieces. */
static int read_line(struct neuron_emu_ctl *ctl, char *line, size_t size, int64_t deadline)
{
	for (;;) {
		char *nl = memchr(ctl->buf, '\n', ctl->len);
		struct pollfd pfd = { .fd = ctl->fd, .events = POLLIN };
		int64_t left;
		ssize_t r;

		if (nl) {
			size_t n = nl - ctl->buf;

			if (n >= size)
				return -EPROTO;
			memcpy(line, ctl->buf, n);
			line[n] = '\0';
			if (n && line[n - 1] == '\r')
				line[n - 1] = '\0';
			ctl->len -= n + 1;
			memmove(ctl->buf, nl + 1, ctl->len);
			return 0;
		}
		if (ctl->len == sizeof(ctl->buf))
			return -EPROTO;

		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		r = read(ctl->fd, ctl->buf + ctl->len, sizeof(ctl->buf) - ctl->len);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -errno;
		if (r == 0) {
			/* Host side not connected yet: poll again shortly. */
			usleep(10 * 1000);
			continue;
		}
		ctl->len += r;
	}
}

int neuron_emu_ctl_cmd(struct neuron_emu_ctl *ctl, struct neuron_emu_reply *reply,
		       const char *fmt, ...)
{
	char req[256], line[512];
	int64_t deadline;
	va_list ap;
	int n, ret;

	memset(reply, 0, sizeof(*reply));
	va_start(ap, fmt);
	n = vsnprintf(req, sizeof(req) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(req) - 1)
		return -EINVAL;
	req[n++] = '\n';

	drain(ctl);
	ret = write_all(ctl->fd, req, n);
	if (ret)
		return ret;

	deadline = now_ms() + REPLY_TIMEOUT_MS;
	for (;;) {
		char *sp;

		ret = read_line(ctl, line, sizeof(line), deadline);
		if (ret)
			return ret;
		if (!strcmp(line, "ok"))
			return 0;
		if (!strncmp(line, "err", 3) && (line[3] == ' ' || !line[3])) {
			copy_str(reply->error, sizeof(reply->error), line[3] ? line + 4 : "");
			return -EREMOTEIO;
		}
		if (!*line)
			continue;
		if (reply->nkeys == NEURON_EMU_MAX_KEYS)
			return -EPROTO;
		sp = strchr(line, ' ');
		if (sp)
			*sp = '\0';
		copy_str(reply->kv[reply->nkeys].key, sizeof(reply->kv[0].key), line);
		copy_str(reply->kv[reply->nkeys].value, sizeof(reply->kv[0].value),
			 sp ? sp + 1 : "");
		reply->nkeys++;
	}
}

const char *neuron_emu_reply_get(const struct neuron_emu_reply *reply, const char *key)
{
	for (int i = 0; i < reply->nkeys; i++)
		if (!strcmp(reply->kv[i].key, key))
			return reply->kv[i].value;
	return NULL;
}

static int parse_u64(const char *s, uint64_t *val)
{
	char *end;

	if (!s || !*s)
		return -ENOENT;
	errno = 0;
	*val = strtoull(s, &end, 0);
	if (errno || *end)
		return -EPROTO;
	return 0;
}

int neuron_emu_reply_u64(const struct neuron_emu_reply *reply, const char *key, uint64_t *val)
{
	return parse_u64(neuron_emu_reply_get(reply, key), val);
}

int neuron_emu_ctl_devices(struct neuron_emu_ctl *ctl, unsigned int *count)
{
	struct neuron_emu_reply r;
	uint64_t v;
	int ret;

	ret = neuron_emu_ctl_cmd(ctl, &r, "devices");
	if (!ret)
		ret = neuron_emu_reply_u64(&r, "devices", &v);
	if (!ret)
		*count = v;
	return ret;
}

static int parse_link(const char *s, int *out)
{
	uint64_t v;
	int ret;

	if (s && !strcmp(s, "none")) {
		*out = NEURON_EMU_NONE;
		return 0;
	}
	ret = parse_u64(s, &v);
	if (!ret)
		*out = (int)v;
	return ret;
}

int neuron_emu_ctl_config(struct neuron_emu_ctl *ctl, unsigned int dev,
			  struct neuron_emu_config *cfg)
{
	struct neuron_emu_reply r;
	uint64_t v;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = neuron_emu_ctl_cmd(ctl, &r, "config %u", dev);
	if (ret)
		return ret;
	if ((ret = neuron_emu_reply_u64(&r, "device_id", &v)))
		return ret;
	cfg->device_id = v;
	if ((ret = neuron_emu_reply_u64(&r, "revision", &v)))
		return ret;
	cfg->revision = v;
	if ((ret = neuron_emu_reply_u64(&r, "index", &v)))
		return ret;
	cfg->index = v;
	if ((ret = parse_link(neuron_emu_reply_get(&r, "east"), &cfg->east)))
		return ret;
	if ((ret = parse_link(neuron_emu_reply_get(&r, "west"), &cfg->west)))
		return ret;
	if ((ret = neuron_emu_reply_u64(&r, "msix", &v)))
		return ret;
	cfg->msix = v;
	/* Sizes are informative: tolerate their absence. */
	neuron_emu_reply_u64(&r, "bar0_size", &cfg->bar0_size);
	neuron_emu_reply_u64(&r, "bar2_size", &cfg->bar2_size);
	neuron_emu_reply_u64(&r, "bar4_size", &cfg->bar4_size);
	copy_str(cfg->topology, sizeof(cfg->topology),
		 neuron_emu_reply_get(&r, "topology") ?: "");
	return 0;
}

int neuron_emu_ctl_counter(struct neuron_emu_ctl *ctl, unsigned int dev,
			   const char *name, uint64_t *val)
{
	struct neuron_emu_reply r;
	int ret;

	ret = neuron_emu_ctl_cmd(ctl, &r, "counters %u", dev);
	if (!ret)
		ret = neuron_emu_reply_u64(&r, name, val);
	return ret;
}

int neuron_emu_ctl_reset_counters(struct neuron_emu_ctl *ctl, unsigned int dev)
{
	struct neuron_emu_reply r;

	return neuron_emu_ctl_cmd(ctl, &r, "reset-counters %u", dev);
}

int neuron_emu_ctl_fault(struct neuron_emu_ctl *ctl, unsigned int dev,
			 const char *name, uint64_t value)
{
	struct neuron_emu_reply r;

	return neuron_emu_ctl_cmd(ctl, &r, "fault %u %s %" PRIu64, dev, name, value);
}

int neuron_emu_ctl_pending(struct neuron_emu_ctl *ctl, unsigned int dev, unsigned int engine,
			   uint64_t *count)
{
	struct neuron_emu_reply r;
	int ret = neuron_emu_ctl_cmd(ctl, &r, "pending %u %u", dev, engine);

	return ret ? ret : neuron_emu_reply_u64(&r, "pending", count);
}

int neuron_emu_ctl_step(struct neuron_emu_ctl *ctl, unsigned int dev, unsigned int engine)
{
	struct neuron_emu_reply r;
	int ret = neuron_emu_ctl_cmd(ctl, &r, "step %u %u", dev, engine);

	if (ret == -EREMOTEIO && !strcmp(r.error, "nothing to run"))
		return 0;
	return ret ? ret : 1;
}
