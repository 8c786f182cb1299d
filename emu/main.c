// SPDX-License-Identifier: MIT
/*
 * neuron-emu: a model of AWS Inferentia v1 PCI functions, served to QEMU
 * over vfio-user.  One process, N devices (one socket each, so devices can
 * reach each other over their east/west links), one poll loop, plus a
 * control socket for tests.  See Documentation/neuron/emulator.rst.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "device.h"
#include "util.h"
#include "vfio_user.h"
#include "world.h"

#define MAX_CTL_CLIENTS	16

enum dev_phase { WAITING, CONNECTED, DONE };

struct slot {
	int listen_fd;
	enum dev_phase phase;
	struct vu_conn conn;
	char path[PATH_MAX];
};

/*
 * Handle every vfio-user message already waiting from QEMU.  A control
 * command must see every access the guest made before it sent the command:
 * posted register writes travel on QEMU's sockets, the command on another,
 * and one poll() round may find both ready (a test that reprogrammed a
 * notification queue and then injects an entry would otherwise see the
 * entry land before the reprogramming).
 */
static void drain_guest(struct slot *slots, unsigned ndev)
{
	for (unsigned i = 0; i < ndev; i++) {
		struct slot *s = &slots[i];
		struct pollfd p;

		while (s->phase == CONNECTED) {
			p = (struct pollfd){ .fd = s->conn.fd, .events = POLLIN };
			if (poll(&p, 1, 0) != 1)
				break;
			if (vu_conn_handle(&s->conn) < 0) {
				nemu_log("dev%u: client disconnected", i);
				vu_conn_fini(&s->conn);
				s->phase = DONE;
			}
		}
	}
}

static void on_signal(int sig)
{
	(void)sig;
	nemu_stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: neuron-emu --devices N --dir DIR [--device-id 0x7064] [--revision 0xff]\n"
		"                  [--topology ring|chain|pairs|none] [--no-msix] [--reset-ms MS]\n"
		"                  [--tpb-reset-ms MS] [--bar4-mmap] [--verbose]\n");
}

static int listen_unix(const char *path, int backlog)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		nemu_warn("socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, backlog) < 0) {
		nemu_warn("cannot listen on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static bool parse_ul(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return !errno && *s && !*end && *v <= max;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "devices", required_argument, NULL, 'n' },
		{ "dir", required_argument, NULL, 'd' },
		{ "device-id", required_argument, NULL, 'i' },
		{ "revision", required_argument, NULL, 'r' },
		{ "topology", required_argument, NULL, 't' },
		{ "no-msix", no_argument, NULL, 'm' },
		{ "reset-ms", required_argument, NULL, 'R' },
		{ "tpb-reset-ms", required_argument, NULL, 'T' },
		{ "bar4-mmap", no_argument, NULL, 'B' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dev_options o = {
		.device_id = V1_PCI_DEVICE_ID0,
		.revision = V1_PCI_REVISION_QEMU,
		.msix = true,
		.reset_ms = 200,
		.tpb_reset_ms = 100,
	};
	static struct slot slots[V1_MAX_DEVICES];
	static struct ctl_client clients[MAX_CTL_CLIENTS];
	static struct world w;
	unsigned long n = 0, v;
	const char *dir = NULL;
	bool topo_set = false;
	char ctl_path[PATH_MAX];
	int ctl_fd, c, rc = 1;
	struct sigaction sa = { .sa_handler = on_signal };

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!parse_ul(optarg, V1_MAX_DEVICES, &n) || !n) {
				nemu_warn("--devices must be 1..%d", V1_MAX_DEVICES);
				return 2;
			}
			break;
		case 'd':
			dir = optarg;
			break;
		case 'i':
			if (!parse_ul(optarg, 0xffff, &v))
				goto bad;
			o.device_id = (uint16_t)v;
			break;
		case 'r':
			if (!parse_ul(optarg, 0xff, &v))
				goto bad;
			o.revision = (uint8_t)v;
			break;
		case 't':
			if (topology_parse(optarg, &w.topo) < 0)
				goto bad;
			topo_set = true;
			break;
		case 'm':
			o.msix = false;
			break;
		case 'B':
			o.bar4_mmap = true;
			break;
		case 'R':
			if (!parse_ul(optarg, 3600000, &v))
				goto bad;
			o.reset_ms = (unsigned)v;
			break;
		case 'T':
			if (!parse_ul(optarg, 3600000, &v))
				goto bad;
			o.tpb_reset_ms = (unsigned)v;
			break;
		case 'v':
			nemu_verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (!n || !dir || optind != argc)
		goto bad;
	if (!topo_set)
		w.topo = n > 1 ? TOPO_RING : TOPO_NONE;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		nemu_warn("cannot create %s: %s", dir, strerror(errno));
		return 1;
	}

	w.ndev = (unsigned)n;
	for (unsigned i = 0; i < w.ndev; i++) {
		w.dev[i] = dev_create(&w, i, &o);
		if (!w.dev[i])
			goto out;
	}
	world_wire(&w);
	for (unsigned i = 0; i < w.ndev; i++) {
		snprintf(slots[i].path, sizeof(slots[i].path), "%s/neuron%u.sock", dir, i);
		slots[i].listen_fd = listen_unix(slots[i].path, 1);
		slots[i].conn.fd = -1;
		if (slots[i].listen_fd < 0)
			goto out;
	}
	snprintf(ctl_path, sizeof(ctl_path), "%s/ctl.sock", dir);
	ctl_fd = listen_unix(ctl_path, MAX_CTL_CLIENTS);
	if (ctl_fd < 0)
		goto out;
	for (int i = 0; i < MAX_CTL_CLIENTS; i++)
		clients[i].fd = -1;

	printf("neuron-emu: ready %u\n", w.ndev);
	fflush(stdout);

	while (!nemu_stop) {
		struct pollfd pfd[V1_MAX_DEVICES + 1 + MAX_CTL_CLIENTS];
		int owner[V1_MAX_DEVICES + 1 + MAX_CTL_CLIENTS];
		uint64_t now = nemu_now_ms(), next = UINT64_MAX;
		unsigned done = 0;
		int np = 0, timeout;

		for (unsigned i = 0; i < w.ndev; i++) {
			struct slot *s = &slots[i];

			if (s->phase == DONE) {
				done++;
				continue;
			}
			pfd[np] = (struct pollfd){
				.fd = s->phase == WAITING ? s->listen_fd : s->conn.fd,
				.events = POLLIN,
			};
			owner[np++] = (int)i;
			next = MIN(next, dev_deadline(w.dev[i]));
		}
		if (done == w.ndev) {
			nemu_log("all clients gone");
			break;
		}
		pfd[np] = (struct pollfd){ .fd = ctl_fd, .events = POLLIN };
		owner[np++] = -1;
		for (int i = 0; i < MAX_CTL_CLIENTS; i++) {
			if (clients[i].fd < 0)
				continue;
			pfd[np] = (struct pollfd){ .fd = clients[i].fd, .events = POLLIN };
			owner[np++] = -2 - i;
		}
		timeout = next == UINT64_MAX ? -1 : next <= now ? 0 : (int)MIN(next - now, 60000);
		if (poll(pfd, (nfds_t)np, timeout) < 0) {
			if (errno == EINTR)
				continue;
			nemu_warn("poll: %s", strerror(errno));
			goto out;
		}
		for (int k = 0; k < np; k++) {
			if (!pfd[k].revents)
				continue;
			if (owner[k] >= 0) {
				struct slot *s = &slots[owner[k]];
				struct nemu_dev *d = w.dev[owner[k]];

				if (s->phase == WAITING) {
					int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

					if (fd < 0)
						continue;
					/* One client per device, ever: QEMU never reconnects. */
					close(s->listen_fd);
					s->listen_fd = -1;
					vu_conn_init(&s->conn, fd, d);
					s->phase = CONNECTED;
					nemu_log("dev%u: client connected", d->index);
				} else if (vu_conn_handle(&s->conn) < 0) {
					nemu_log("dev%u: client disconnected", d->index);
					vu_conn_fini(&s->conn);
					s->phase = DONE;
				}
			} else if (owner[k] == -1) {
				int fd = accept4(ctl_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
				int i;

				if (fd < 0)
					continue;
				for (i = 0; i < MAX_CTL_CLIENTS && clients[i].fd >= 0; i++)
					;
				if (i == MAX_CTL_CLIENTS) {
					close(fd);
					continue;
				}
				clients[i] = (struct ctl_client){ .fd = fd };
			} else {
				struct ctl_client *cl = &clients[-2 - owner[k]];

				drain_guest(slots, w.ndev);
				if (control_client_read(&w, cl) < 0) {
					close(cl->fd);
					cl->fd = -1;
				}
			}
		}
		now = nemu_now_ms();
		for (unsigned i = 0; i < w.ndev; i++) {
			dev_tick(w.dev[i], now);
			if (slots[i].phase == CONNECTED && vu_conn_drain(&slots[i].conn) < 0) {
				nemu_log("dev%u: client disconnected", i);
				vu_conn_fini(&slots[i].conn);
				slots[i].phase = DONE;
			}
		}
	}
	rc = 0;
	unlink(ctl_path);
	close(ctl_fd);
	for (int i = 0; i < MAX_CTL_CLIENTS; i++)
		if (clients[i].fd >= 0)
			close(clients[i].fd);
out:
	for (unsigned i = 0; i < w.ndev; i++) {
		if (slots[i].phase == CONNECTED)
			vu_conn_fini(&slots[i].conn);
		if (slots[i].listen_fd > 0)
			close(slots[i].listen_fd);
		if (slots[i].path[0])
			unlink(slots[i].path);
		dev_destroy(w.dev[i]);
	}
	return rc;
bad:
	usage(stderr);
	return 2;
}
