// SPDX-License-Identifier: MIT
/*
 * Control protocol.  Request: "CMD ARGS\n".  Reply: zero or more
 * "key value\n" lines, then "ok\n" or "err <message>\n".  Each reply is
 * written with one write() so a reader never sees half of one.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "control.h"
#include "device.h"
#include "nq.h"
#include "udma.h"
#include "util.h"
#include "world.h"

struct out {
	char *p;
	size_t len, cap;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = MIN(o->len + (size_t)n, o->cap - 1);
}

static struct nemu_dev *device_arg(struct world *w, const char *s)
{
	char *end;
	unsigned long i;

	if (!s || !*s)
		return NULL;
	errno = 0;
	i = strtoul(s, &end, 10);
	if (errno || *end || i >= w->ndev)
		return NULL;
	return w->dev[i];
}

static void neighbour(struct out *o, const char *key, int i)
{
	if (i < 0)
		put(o, "%s none\n", key);
	else
		put(o, "%s %d\n", key, i);
}

static void cmd_config(struct world *w, struct nemu_dev *d, struct out *o)
{
	put(o, "device_id 0x%04x\n", d->opt.device_id);
	put(o, "revision 0x%02x\n", d->opt.revision);
	put(o, "index %u\n", d->index);
	neighbour(o, "east", d->east);
	neighbour(o, "west", d->west);
	put(o, "msix %d\n", d->opt.msix ? 1 : 0);
	put(o, "bar0_size %llu\n", (unsigned long long)V1_BAR0_SIZE);
	put(o, "bar2_size %llu\n", (unsigned long long)V1_BAR2_SIZE);
	put(o, "bar4_size %llu\n", (unsigned long long)V1_BAR4_SIZE);
	put(o, "topology %s\n", topology_name(w->topo));
}

static void cmd_counters(struct nemu_dev *d, struct out *o)
{
#define PUT_COUNTER(name) put(o, #name " %llu\n", (unsigned long long)d->ctr.name);
	NEMU_COUNTERS(PUT_COUNTER)
#undef PUT_COUNTER
}

static void cmd_faults(struct nemu_dev *d, struct out *o)
{
	put(o, "fwio_drop %u\n", d->faults.fwio_drop);
	put(o, "fwio_bad_crc %u\n", d->faults.fwio_bad_crc);
	put(o, "fwio_bad_seq %u\n", d->faults.fwio_bad_seq);
	put(o, "fwio_bad_size %u\n", d->faults.fwio_bad_size);
	put(o, "dma_error %u\n", d->faults.dma_error);
	put(o, "lost_irq %u\n", d->faults.lost_irq);
	put(o, "queue_stall 0x%03x\n", d->faults.stalled);
}

/* Returns an error message or NULL. */
static const char *cmd_fault(struct nemu_dev *d, const char *name, const char *val)
{
	char *end;
	long v;

	if (!name || !val)
		return "usage: fault D NAME VALUE";
	errno = 0;
	v = strtol(val, &end, 0);
	if (errno || *end || !*val)
		return "bad value";
	if (!strcmp(name, "queue_stall")) {
		if (v == -1) {
			uint32_t was = d->faults.stalled;

			d->faults.stalled = 0;
			/* Work posted while stalled runs now. */
			for (unsigned e = 0; e < V1_DMA_ENG_PER_DEVICE; e++)
				if (was & (1u << e))
					udma_kick(d, e);
			return NULL;
		}
		if (v < 0 || v >= V1_DMA_ENG_PER_DEVICE)
			return "engine out of range (0..11, or -1 to clear)";
		d->faults.stalled |= 1u << v;
		return NULL;
	}
	if (v < 0 || v > UINT32_MAX)
		return "bad value";
	if (!strcmp(name, "fwio_drop"))
		d->faults.fwio_drop = (uint32_t)v;
	else if (!strcmp(name, "fwio_bad_crc"))
		d->faults.fwio_bad_crc = (uint32_t)v;
	else if (!strcmp(name, "fwio_bad_seq"))
		d->faults.fwio_bad_seq = (uint32_t)v;
	else if (!strcmp(name, "fwio_bad_size"))
		d->faults.fwio_bad_size = (uint32_t)v;
	else if (!strcmp(name, "dma_error"))
		d->faults.dma_error = (uint32_t)v;
	else if (!strcmp(name, "lost_irq"))
		d->faults.lost_irq = (uint32_t)v;
	else
		return "unknown fault";
	return NULL;
}

/* An engine argument (0..11): true and *eng set, or false. */
static bool engine_arg(const char *val, unsigned *eng)
{
	char *end;
	long e;

	if (!val || !*val)
		return false;
	errno = 0;
	e = strtol(val, &end, 0);
	if (errno || *end || e < 0 || e >= V1_DMA_ENG_PER_DEVICE)
		return false;
	*eng = (unsigned)e;
	return true;
}

/* step D E: one packet on stalled engine E, so a test can pace it. */
static const char *cmd_step(struct nemu_dev *d, const char *val)
{
	unsigned e;

	if (!engine_arg(val, &e))
		return "engine out of range (0..11)";
	if (!(d->faults.stalled & (1u << e)))
		return "engine not stalled";
	switch (udma_step(d, e)) {
	case 1:
		return NULL;
	case 0:
		return "nothing to run";
	default:
		return "packet aborted the engine";
	}
}

/* pending D E: M2S descriptors posted on engine E and not run yet. */
static const char *cmd_pending(struct nemu_dev *d, struct out *o, const char *val)
{
	unsigned e;

	if (!engine_arg(val, &e))
		return "engine out of range (0..11)";
	put(o, "pending %llu\n", (unsigned long long)udma_pending(d, e));
	return NULL;
}

/* notify D NC TYPE INSTANCE INDEX VALUE: post one notification. */
static const char *cmd_notify(struct nemu_dev *d, char **arg)
{
	unsigned long v[5];

	for (int i = 0; i < 5; i++) {
		char *end;

		if (!arg[i])
			return "usage: notify D NC TYPE INSTANCE INDEX VALUE";
		errno = 0;
		v[i] = strtoul(arg[i], &end, 0);
		if (errno || *end || v[i] > UINT32_MAX)
			return "bad value";
	}
	if (v[0] >= V1_NC_PER_DEVICE || v[1] >= NQ_TYPES || v[2] >= NQ_INSTANCES)
		return "no such queue";
	if (!nq_post(d, (unsigned)v[0], (unsigned)v[1], (unsigned)v[2], (uint32_t)v[3],
		     (uint32_t)v[4]))
		return "queue disabled or not writable";
	return NULL;
}

size_t control_exec(struct world *w, const char *line, char *buf, size_t cap)
{
	struct out o = { .p = buf, .len = 0, .cap = cap };
	char copy[CTL_LINE_MAX], *tok[8] = { 0 }, *save = NULL, *t;
	const char *err = NULL;
	struct nemu_dev *d = NULL;
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (t = strtok_r(copy, " \t\r", &save); t && n < 8; t = strtok_r(NULL, " \t\r", &save))
		tok[n++] = t;
	if (!n) {
		err = "empty request";
		goto done;
	}
	if (!strcmp(tok[0], "devices")) {
		put(&o, "devices %u\n", w->ndev);
		goto done;
	}
	if (!strcmp(tok[0], "help")) {
		put(&o, "commands devices|config D|counters D|reset-counters D|"
			"faults D|fault D NAME VALUE|step D ENGINE|pending D ENGINE|"
			"notify D NC TYPE INSTANCE INDEX VALUE\n");
		goto done;
	}
	if (strcmp(tok[0], "config") && strcmp(tok[0], "counters") &&
	    strcmp(tok[0], "reset-counters") && strcmp(tok[0], "fault") &&
	    strcmp(tok[0], "faults") && strcmp(tok[0], "notify") && strcmp(tok[0], "step") &&
	    strcmp(tok[0], "pending")) {
		err = "unknown command";
		goto done;
	}
	d = device_arg(w, tok[1]);
	if (!d) {
		err = "no such device";
		goto done;
	}
	if (!strcmp(tok[0], "config"))
		cmd_config(w, d, &o);
	else if (!strcmp(tok[0], "counters"))
		cmd_counters(d, &o);
	else if (!strcmp(tok[0], "reset-counters"))
		memset(&d->ctr, 0, sizeof(d->ctr));
	else if (!strcmp(tok[0], "faults"))
		cmd_faults(d, &o);
	else if (!strcmp(tok[0], "notify"))
		err = cmd_notify(d, tok + 2);
	else if (!strcmp(tok[0], "step"))
		err = cmd_step(d, tok[2]);
	else if (!strcmp(tok[0], "pending"))
		err = cmd_pending(d, &o, tok[2]);
	else
		err = cmd_fault(d, tok[2], tok[3]);
done:
	if (err) {
		o.len = 0;
		put(&o, "err %s\n", err);
	} else {
		put(&o, "ok\n");
	}
	return o.len;
}

/*
 * Client sockets are non-blocking: a reader that stops reading (a guest
 * port nobody has open, QEMU then stops draining the socket) must not stall
 * the devices.  Give it a second, then drop the client.
 */
#define CTL_WRITE_TIMEOUT_MS	1000

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (poll(&pfd, 1, CTL_WRITE_TIMEOUT_MS) == 1)
				continue;
			nemu_warn("control client not reading; dropped");
			return -1;
		}
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int control_feed(struct world *w, struct ctl_client *cl, const char *data, size_t n)
{
	char reply[CTL_REPLY_MAX];

	for (size_t i = 0; i < n; i++) {
		char ch = data[i];

		if (ch != '\n') {
			if (cl->len < sizeof(cl->buf) - 1)
				cl->buf[cl->len++] = ch;
			else
				cl->overflow = true;
			continue;
		}
		cl->buf[cl->len] = '\0';
		if (cl->overflow) {
			size_t k = (size_t)snprintf(reply, sizeof(reply), "err line too long\n");

			if (write_all(cl->fd, reply, k) < 0)
				return -1;
		} else {
			size_t k = control_exec(w, cl->buf, reply, sizeof(reply));

			if (write_all(cl->fd, reply, k) < 0)
				return -1;
		}
		cl->len = 0;
		cl->overflow = false;
	}
	return 0;
}

int control_client_read(struct world *w, struct ctl_client *cl)
{
	char data[512];
	ssize_t n = read(cl->fd, data, sizeof(data));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	return control_feed(w, cl, data, (size_t)n);
}
