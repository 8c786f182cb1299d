/* SPDX-License-Identifier: MIT */
/*
 * Control socket: a line protocol for tests (counters, configuration,
 * fault injection).  The guest reaches it through a virtio-serial port that
 * QEMU bridges to DIR/ctl.sock, so requests may arrive split across reads.
 */
#ifndef NEMU_CONTROL_H
#define NEMU_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

struct world;

#define CTL_LINE_MAX	1024
#define CTL_REPLY_MAX	4096

struct ctl_client {
	int fd;
	char buf[CTL_LINE_MAX];
	size_t len;
	bool overflow;		/* discarding the rest of an over-long line */
};

/* Execute one request line (no newline); returns the reply length in out. */
size_t control_exec(struct world *w, const char *line, char *out, size_t cap);
/* Feed bytes from a client; complete lines are answered on cl->fd. */
int control_feed(struct world *w, struct ctl_client *cl, const char *data, size_t n);
/* Read what is available on cl->fd and answer; -1 on EOF or error. */
int control_client_read(struct world *w, struct ctl_client *cl);

#endif /* NEMU_CONTROL_H */
