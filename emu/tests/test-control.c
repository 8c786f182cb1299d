// SPDX-License-Identifier: MIT
/* The control protocol: commands, replies, split and over-long lines. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../control.h"
#include "../util.h"
#include "fixture.h"
#include "harness.h"

static struct fixture f;
static char out[CTL_REPLY_MAX];

static const char *exec(const char *line)
{
	size_t n = control_exec(&f.w, line, out, sizeof(out));

	out[n] = 0;
	return out;
}

static void commands(void)
{
	fx_init(&f, 3, TOPO_CHAIN);
	CHECK(!strcmp(exec("devices"), "devices 3\nok\n"));
	CHECK(!strcmp(exec("config 2"),
		       "device_id 0x7064\nrevision 0xff\nindex 2\neast none\nwest 1\nmsix 1\n"
		       "bar0_size 8388608\nbar2_size 268435456\nbar4_size 8589934592\n"
		       "topology chain\nok\n"));
	CHECK(!strcmp(exec("config 3"), "err no such device\n"));
	CHECK(!strcmp(exec("config x"), "err no such device\n"));
	CHECK(!strcmp(exec("frobnicate 0"), "err unknown command\n"));
	CHECK(!strcmp(exec(""), "err empty request\n"));
	CHECK(!strcmp(exec("  devices \r"), "devices 3\nok\n"));
	fx_fini(&f);
}

static void counters(void)
{
	static const char *names[] = {
		"mmio_reads_bar0", "mmio_writes_bar0", "mmio_reads_bar2", "mmio_writes_bar2",
		"mmio_reads_bar4", "mmio_writes_bar4", "config_reads", "config_writes",
		"doorbells", "descriptors", "dma_bytes", "host_bytes", "pipe_out_bytes",
		"pipe_in_bytes", "interrupts", "fwio_requests", "fwio_errors", "resets",
		"tpb_resets", "queue_aborts",
	};
	const unsigned n = sizeof(names) / sizeof(names[0]);
	char *p, *line, *save = NULL;
	unsigned i = 0;

	fx_init(&f, 1, TOPO_NONE);
	fx_w32(f.w.dev[0], 0x100, 1);
	fx_w32(f.w.dev[0], 0x104, 1);
	p = strdup(exec("counters 0"));
	for (line = strtok_r(p, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		char name[64];
		unsigned long long v;

		if (i == n) {
			CHECK(!strcmp(line, "ok"));
			continue;
		}
		CHECK_EQ(sscanf(line, "%63s %llu", name, &v), 2);
		CHECK(i < n && !strcmp(name, names[i]));
		/* config_writes 1 from the fixture's bus-master enable. */
		CHECK_EQ(v, i == 1 ? 2 : i == 7 ? 1 : 0);
	}
	CHECK_EQ(i, n + 1);
	free(p);
	CHECK(!strcmp(exec("reset-counters 0"), "ok\n"));
	CHECK(strstr(exec("counters 0"), "mmio_writes_bar0 0\n") != NULL);
	fx_fini(&f);
}

static void faults(void)
{
	struct nemu_dev *d;

	fx_init(&f, 1, TOPO_NONE);
	d = f.w.dev[0];
	CHECK(!strcmp(exec("fault 0 fwio_drop 2"), "ok\n"));
	CHECK(!strcmp(exec("fault 0 fwio_bad_crc 3"), "ok\n"));
	CHECK(!strcmp(exec("fault 0 fwio_bad_seq 4"), "ok\n"));
	CHECK(!strcmp(exec("fault 0 fwio_bad_size 7"), "ok\n"));
	CHECK(!strcmp(exec("fault 0 dma_error 5"), "ok\n"));
	CHECK(!strcmp(exec("fault 0 lost_irq 6"), "ok\n"));
	CHECK(!strcmp(exec("fault 0 queue_stall 11"), "ok\n"));
	CHECK_EQ(d->faults.fwio_drop, 2);
	CHECK_EQ(d->faults.fwio_bad_crc, 3);
	CHECK_EQ(d->faults.fwio_bad_seq, 4);
	CHECK_EQ(d->faults.fwio_bad_size, 7);
	CHECK_EQ(d->faults.dma_error, 5);
	CHECK_EQ(d->faults.lost_irq, 6);
	CHECK_EQ(d->faults.stalled, 1u << 11);
	CHECK(strstr(exec("faults 0"), "queue_stall 0x800\n") != NULL);
	CHECK(!strcmp(exec("fault 0 queue_stall 12"),
		      "err engine out of range (0..11, or -1 to clear)\n"));
	CHECK(!strcmp(exec("fault 0 queue_stall -1"), "ok\n"));
	CHECK_EQ(d->faults.stalled, 0);
	CHECK(!strcmp(exec("fault 0 lost_irq -1"), "err bad value\n"));
	CHECK(!strcmp(exec("fault 0 nonsense 1"), "err unknown fault\n"));
	CHECK(!strcmp(exec("fault 0 lost_irq"), "err usage: fault D NAME VALUE\n"));
	fx_fini(&f);
}

static void split_lines(void)
{
	struct ctl_client cl = { 0 };
	int sv[2];
	char buf[4096];
	ssize_t n;
	char big[CTL_LINE_MAX + 10];

	fx_init(&f, 2, TOPO_RING);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	cl.fd = sv[1];
	/* Half a request: no reply yet. */
	CHECK_EQ(control_feed(&f.w, &cl, "devi", 4), 0);
	CHECK_EQ(write(sv[0], "x", 0), 0);
	/* The rest plus a second request in one chunk. */
	CHECK_EQ(control_feed(&f.w, &cl, "ces\nconfig 1\n", 13), 0);
	n = read(sv[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(!strncmp(buf, "devices 2\nok\ndevice_id 0x7064\n", 30));
	CHECK(strstr(buf, "east 0\nwest 0\n") != NULL);
	CHECK(strstr(buf, "topology ring\nok\n") != NULL);
	/* An over-long line is refused as a whole; the next one works. */
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	CHECK_EQ(control_feed(&f.w, &cl, big, sizeof(big)), 0);
	CHECK_EQ(control_feed(&f.w, &cl, "devices\n", 8), 0);
	n = read(sv[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(!strcmp(buf, "err line too long\ndevices 2\nok\n"));
	close(sv[0]);
	close(sv[1]);
	fx_fini(&f);
}

int main(void)
{
	RUN(commands);
	RUN(counters);
	RUN(faults);
	RUN(split_lines);
	return t_any_failed;
}
