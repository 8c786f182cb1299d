// SPDX-License-Identifier: MIT
/*
 * A vfio-user client talking to the real server code over a UNIX socket
 * pair, with the server in a thread: VERSION, region and IRQ info, DMA_MAP
 * with and without an fd, config and BAR accesses, a FWIO round trip whose
 * DMA goes through the mapped memfd and one whose DMA goes through
 * DMA_READ/DMA_WRITE messages (with a request queued behind it), MSI-X
 * through an eventfd, REGION_WRITE_MULTI, DEVICE_RESET, errors and EOF.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "../../hw/v1/fwio_regs.h"
#include "../../hw/v1/udma_regs.h"
#include "../crc32c.h"
#include "../device.h"
#include "../util.h"
#include "../vfio_user.h"
#include "../world.h"
#include "harness.h"

#define MEMFD_SIZE	(4u << 20)
#define MSG_IOVA	0x10000000u	/* a mapping without fd */
#define MSG_SIZE	(1u << 20)
#define MISC(off)	(V1_MISC_RAM_OFFSET + (off))

static struct world w;
static struct nemu_dev *dev;
static struct vu_conn conn;
static pthread_t server;
static int cfd = -1;
static uint8_t *guest;			/* the memfd-backed "guest RAM" at iova 0 */
static uint8_t msgmem[MSG_SIZE];	/* guest memory reachable only by messages */
static uint16_t next_id = 1;
static unsigned dma_reads, dma_writes;
static bool inject_request;		/* send a REGION_READ before answering a DMA_READ */
static uint16_t injected_id;

static void *serve(void *arg)
{
	(void)arg;
	while (vu_conn_handle(&conn) == 0)
		;
	return NULL;
}

static int send_msg(uint16_t id, uint16_t cmd, uint32_t flags, const void *p, size_t len, int fd)
{
	uint8_t h[VU_HDR_SIZE];
	struct iovec iov[2] = { { h, sizeof(h) }, { (void *)(uintptr_t)p, len } };
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

	st16(h, id);
	st16(h + 2, cmd);
	st32(h + 4, (uint32_t)(sizeof(h) + len));
	st32(h + 8, flags);
	st32(h + 12, 0);
	if (fd >= 0) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	return sendmsg(cfd, &mh, MSG_NOSIGNAL) == (ssize_t)(sizeof(h) + len) ? 0 : -1;
}

static int read_exact(void *p, size_t n)
{
	uint8_t *b = p;

	while (n) {
		ssize_t k = read(cfd, b, n);

		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Receive one message into a malloc'ed buffer. */
static uint8_t *recv_msg(size_t *len)
{
	uint8_t h[VU_HDR_SIZE], *m;

	if (read_exact(h, sizeof(h)) < 0)
		return NULL;
	*len = ld32(h + 4);
	m = malloc(*len);
	memcpy(m, h, sizeof(h));
	if (read_exact(m + sizeof(h), *len - sizeof(h)) < 0) {
		free(m);
		return NULL;
	}
	return m;
}

/* Serve a DMA request from the server out of msgmem. */
static void serve_dma(uint8_t *m)
{
	uint64_t addr = ld64(m + 16), count = ld64(m + 24);
	uint16_t cmd = ld16(m + 2);
	uint8_t args[16];
	bool ok = addr >= MSG_IOVA && addr - MSG_IOVA + count <= MSG_SIZE;
	uint8_t *p = msgmem + (addr - MSG_IOVA);

	memcpy(args, m + 16, 16);
	if (inject_request) {
		/* QEMU may send a request of its own before answering. */
		uint8_t rr[16];

		inject_request = false;
		st64(rr, 0);
		st32(rr + 8, NEMU_REGION_CONFIG);
		st32(rr + 12, 4);
		injected_id = next_id++;
		send_msg(injected_id, VU_CMD_REGION_READ, 0, rr, sizeof(rr), -1);
	}
	if (cmd == VU_CMD_DMA_READ) {
		uint8_t *r = malloc(16 + count);

		dma_reads++;
		memcpy(r, args, 16);
		if (ok)
			memcpy(r + 16, p, count);
		send_msg(ld16(m), cmd, VU_FLAG_REPLY | (ok ? 0 : VU_FLAG_ERROR), r, ok ? 16 + count : 0, -1);
		free(r);
	} else {
		dma_writes++;
		if (ok)
			memcpy(p, m + 32, count);
		send_msg(ld16(m), cmd, VU_FLAG_REPLY | (ok ? 0 : VU_FLAG_ERROR), args, ok ? 16 : 0, -1);
	}
}

/* Send a request and return its reply, serving DMA requests meanwhile. */
static uint8_t *request(uint16_t cmd, uint32_t flags, const void *p, size_t len, int fd, size_t *rlen)
{
	uint16_t id = next_id++;

	if (send_msg(id, cmd, flags, p, len, fd) < 0)
		return NULL;
	for (;;) {
		uint8_t *m = recv_msg(rlen);

		if (!m)
			return NULL;
		if ((ld32(m + 8) & VU_FLAG_TYPE_MASK) == VU_FLAG_REQUEST) {
			serve_dma(m);
			free(m);
			continue;
		}
		if (ld16(m) == id)
			return m;
		printf("# unexpected reply id %u cmd %u\n", ld16(m), ld16(m + 2));
		free(m);
	}
}

static bool ok_reply(uint8_t *m)
{
	return m && !(ld32(m + 8) & VU_FLAG_ERROR) && (ld32(m + 8) & VU_FLAG_TYPE_MASK) == VU_FLAG_REPLY;
}

static uint32_t region_read32(unsigned region, uint64_t off)
{
	uint8_t a[16];
	size_t n;
	uint8_t *r;
	uint32_t v = 0xdeadbeef;

	st64(a, off);
	st32(a + 8, region);
	st32(a + 12, 4);
	r = request(VU_CMD_REGION_READ, 0, a, sizeof(a), -1, &n);
	if (ok_reply(r) && n == VU_HDR_SIZE + 16 + 4)
		v = ld32(r + 32);
	free(r);
	return v;
}

/* Posted (NO_REPLY) unless sync: then the reply is awaited. */
static void region_write32(unsigned region, uint64_t off, uint32_t v, bool sync)
{
	uint8_t a[20];
	size_t n;

	st64(a, off);
	st32(a + 8, region);
	st32(a + 12, 4);
	st32(a + 16, v);
	if (sync)
		free(request(VU_CMD_REGION_WRITE, 0, a, sizeof(a), -1, &n));
	else
		send_msg(next_id++, VU_CMD_REGION_WRITE, VU_FLAG_NO_REPLY, a, sizeof(a), -1);
}

static void start(void)
{
	int sv[2];
	struct dev_options o = {
		.device_id = V1_PCI_DEVICE_ID0, .revision = V1_PCI_REVISION_QEMU, .msix = true,
	};

	memset(&w, 0, sizeof(w));
	w.ndev = 1;
	dev = dev_create(&w, 0, &o);
	w.dev[0] = dev;
	world_wire(&w);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	cfd = sv[0];
	vu_conn_init(&conn, sv[1], dev);
	pthread_create(&server, NULL, serve, NULL);
}

static void handshake(void)
{
	static const char json[] = "{\"capabilities\":{\"max_msg_fds\":16,\"write_multiple\":true}}";
	uint8_t v[4 + sizeof(json)], a[32] = { 0 };
	size_t n;
	uint8_t *r;

	st16(v, 0);
	st16(v + 2, 0);
	memcpy(v + 4, json, sizeof(json));
	r = request(VU_CMD_VERSION, 0, v, sizeof(v), -1, &n);
	CHECK(ok_reply(r));
	if (r) {
		CHECK_EQ(ld16(r + 16), 0);
		CHECK_EQ(ld16(r + 18), 0);
		CHECK_EQ(r[n - 1], 0);			/* NUL-terminated JSON */
		CHECK(strstr((char *)r + 20, "\"write_multiple\":true") != NULL);
		CHECK_EQ(r[20], '{');
	}
	free(r);

	st32(a, 16);
	r = request(VU_CMD_DEVICE_GET_INFO, 0, a, 16, -1, &n);
	CHECK(ok_reply(r));
	if (r) {
		CHECK_EQ(ld32(r + 20), VU_DEV_FLAG_RESET | VU_DEV_FLAG_PCI);
		CHECK_EQ(ld32(r + 24), 9);
		CHECK_EQ(ld32(r + 28), 5);
	}
	free(r);

	for (unsigned i = 0; i < 9; i++) {
		static const uint64_t sizes[9] = {
			V1_BAR0_SIZE, 0, V1_BAR2_SIZE, 0, V1_BAR4_SIZE, 0, 0, 4096, 0 };

		memset(a, 0, sizeof(a));
		st32(a, 32);
		st32(a + 8, i);
		r = request(VU_CMD_DEVICE_GET_REGION_INFO, 0, a, 32, -1, &n);
		CHECK(ok_reply(r) && n == VU_HDR_SIZE + 32);
		if (r && n >= VU_HDR_SIZE + 32) {
			CHECK_EQ(ld64(r + 32), sizes[i]);
			/* Never mmap-able (keeps posted writes). */
			CHECK_EQ(ld32(r + 20), sizes[i] ? 3 : 0);
		}
		free(r);
	}
	st32(a + 8, 9);
	r = request(VU_CMD_DEVICE_GET_REGION_INFO, 0, a, 32, -1, &n);
	CHECK(r && (ld32(r + 8) & VU_FLAG_ERROR));
	free(r);

	memset(a, 0, sizeof(a));
	st32(a, 16);
	st32(a + 8, VU_IRQ_MSIX);
	r = request(VU_CMD_DEVICE_GET_IRQ_INFO, 0, a, 16, -1, &n);
	CHECK(ok_reply(r));
	if (r)
		CHECK_EQ(ld32(r + 28), NEURON_MSIX_VECTORS);
	free(r);
}

static void dma_map_memfd(void)
{
	int fd = memfd_create("guest", MFD_CLOEXEC);
	uint8_t a[32];
	size_t n;
	uint8_t *r;

	CHECK(fd >= 0);
	CHECK_EQ(ftruncate(fd, MEMFD_SIZE), 0);
	guest = mmap(NULL, MEMFD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(guest != MAP_FAILED);
	st32(a, 32);
	st32(a + 4, VU_DMA_FLAG_READ | VU_DMA_FLAG_WRITE);
	st64(a + 8, 0);
	st64(a + 16, 0);		/* iova */
	st64(a + 24, MEMFD_SIZE);
	r = request(VU_CMD_DMA_MAP, 0, a, sizeof(a), fd, &n);
	CHECK(ok_reply(r));
	free(r);
	close(fd);
	/* And a region QEMU has no fd for. */
	st64(a + 16, MSG_IOVA);
	st64(a + 24, MSG_SIZE);
	r = request(VU_CMD_DMA_MAP, 0, a, sizeof(a), -1, &n);
	CHECK(ok_reply(r));
	free(r);
	CHECK_EQ(conn.nmaps, 2);
}

static void config_space(void)
{
	CHECK_EQ(region_read32(NEMU_REGION_CONFIG, 0), 0x70641d0f);
	CHECK_EQ(region_read32(NEMU_REGION_CONFIG, 8), 0x120000ff);
	CHECK_EQ(region_read32(NEMU_REGION_CONFIG, 0x10), 0x4);
	/* Memory + bus master. */
	region_write32(NEMU_REGION_CONFIG, 4, 0x6, true);
	CHECK_EQ(region_read32(NEMU_REGION_CONFIG, 4) & 0xffff, 0x6);
	CHECK(dev->ctr.config_reads >= 4);
	CHECK_EQ(dev->ctr.config_writes, 1);
}

/* Build a FWIO READ of misc 0x24 in buf, as the driver would. */
static void build_read(uint8_t *req, uint8_t seq, uint64_t addr)
{
	req[0] = seq;
	req[1] = FWIO_CMD_READ;
	st16(req + 2, 16);
	st32(req + 4, 0);
	st64(req + 8, addr);
	st32(req + 4, crc32c(req, 16));
}

static void fwio_rings(uint64_t req, uint64_t resp)
{
	/* Posted writes, as QEMU sends them to BAR0. */
	region_write32(NEMU_REGION_BAR0, MISC(MISC_REQ_ADDR_HI), (uint32_t)(req >> 32), false);
	region_write32(NEMU_REGION_BAR0, MISC(MISC_REQ_ADDR_LO), (uint32_t)req, false);
	region_write32(NEMU_REGION_BAR0, MISC(MISC_RESP_ADDR_HI), (uint32_t)(resp >> 32), false);
	region_write32(NEMU_REGION_BAR0, MISC(MISC_RESP_ADDR_LO), (uint32_t)resp, false);
}

static void fwio_through_memfd(void)
{
	uint8_t a[16];
	size_t n;
	uint8_t *r;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	uint64_t cnt = 0;
	uint8_t set[20];

	/* MSI-X vector 0 (firmware) gets an eventfd. */
	st32(set, 20);
	st32(set + 4, VU_IRQ_SET_DATA_EVENTFD | VU_IRQ_SET_ACTION_TRIGGER);
	st32(set + 8, VU_IRQ_MSIX);
	st32(set + 12, NEURON_MSIX_VEC_FWIO);
	st32(set + 16, 1);
	r = request(VU_CMD_DEVICE_SET_IRQS, 0, set, sizeof(set), efd, &n);
	CHECK(ok_reply(r));
	free(r);

	region_write32(NEMU_REGION_BAR0, MISC(MISC_DEVICE_ID), 3, false);
	build_read(guest + 0x1000, 42, V1_MISC_DEV_ADDR(MISC_DEVICE_ID));
	memset(guest + 0x2000, 0, 8);
	fwio_rings(V1_HOST_PREFIX | 0x1000, V1_HOST_PREFIX | 0x2000);
	region_write32(NEMU_REGION_BAR0, MISC(MISC_DOORBELL), 1, true);
	CHECK_EQ(guest[0x2000], 42);
	CHECK_EQ(guest[0x2001], FWIO_STATUS_OK);
	CHECK_EQ(ld16(guest + 0x2002), 8);
	CHECK_EQ(ld32(guest + 0x2004), 3);
	CHECK_EQ(read(efd, &cnt, 8), 8);
	CHECK_EQ(cnt, 1);
	CHECK_EQ(dev->ctr.interrupts, 1);
	CHECK_EQ(dev->ctr.mmio_writes_bar0, 6);
	close(efd);
	(void)a;
}

static void fwio_through_messages(void)
{
	uint8_t a[20];
	size_t n;
	uint8_t *r;
	bool got_doorbell = false, got_injected = false, order_ok = false;
	uint16_t bell_id;

	build_read(msgmem + 0x100, 43, V1_MISC_DEV_ADDR(MISC_DEVICE_ID));
	memset(msgmem + 0x800, 0, 8);
	fwio_rings(V1_HOST_PREFIX | (MSG_IOVA + 0x100), V1_HOST_PREFIX | (MSG_IOVA + 0x800));
	inject_request = true;
	dma_reads = dma_writes = 0;
	/* The doorbell, waiting for its reply by hand to watch the order. */
	st64(a, MISC(MISC_DOORBELL));
	st32(a + 8, NEMU_REGION_BAR0);
	st32(a + 12, 4);
	st32(a + 16, 1);
	bell_id = next_id++;
	send_msg(bell_id, VU_CMD_REGION_WRITE, 0, a, sizeof(a), -1);
	while (!(got_doorbell && got_injected)) {
		r = recv_msg(&n);
		if (!r)
			break;
		if ((ld32(r + 8) & VU_FLAG_TYPE_MASK) == VU_FLAG_REQUEST) {
			serve_dma(r);
		} else if (ld16(r) == bell_id) {
			got_doorbell = true;
		} else if (ld16(r) == injected_id) {
			/* Queued behind the doorbell: answered after it. */
			order_ok = got_doorbell;
			got_injected = true;
			CHECK_EQ(ld32(r + 32), 0x70641d0f);
		}
		free(r);
	}
	CHECK(got_doorbell && got_injected && order_ok);
	CHECK(dma_reads >= 1);
	CHECK_EQ(dma_writes, 2);		/* body, then the sequence byte */
	CHECK_EQ(msgmem[0x800], 43);
	CHECK_EQ(msgmem[0x801], FWIO_STATUS_OK);
	CHECK_EQ(ld32(msgmem + 0x804), 3);
	CHECK(conn.dma_msgs >= 3);
}

static void udma_copy_and_bar4(void)
{
	uint64_t eng = V1_UDMA_OFFSET(0, 2), m2s = eng + UDMA_M2S_Q(15), s2m = eng + UDMA_S2M_Q(15);
	uint8_t *d;

	region_write32(NEMU_REGION_BAR0, m2s + UDMA_Q_CFG, UDMA_Q_CFG_ENABLE, false);
	region_write32(NEMU_REGION_BAR0, s2m + UDMA_Q_CFG, UDMA_Q_CFG_ENABLE, false);
	region_write32(NEMU_REGION_BAR0, m2s + UDMA_Q_RING_BASE_LO, 0x100000, false);
	region_write32(NEMU_REGION_BAR0, m2s + UDMA_Q_RING_BASE_HI, (uint32_t)(V1_HOST_PREFIX >> 32), false);
	region_write32(NEMU_REGION_BAR0, m2s + UDMA_Q_RING_LEN, 32, false);
	region_write32(NEMU_REGION_BAR0, s2m + UDMA_Q_RING_BASE_LO, 0x101000, false);
	region_write32(NEMU_REGION_BAR0, s2m + UDMA_Q_RING_BASE_HI, (uint32_t)(V1_HOST_PREFIX >> 32), false);
	region_write32(NEMU_REGION_BAR0, s2m + UDMA_Q_RING_LEN, 32, false);
	for (unsigned i = 0; i < 64; i++)
		guest[0x200000 + i] = (uint8_t)(0x40 + i);
	d = guest + 0x100000;
	st32(d, 64 | UDMA_DESC_FIRST | UDMA_DESC_LAST | 1u << UDMA_DESC_RING_ID_SHIFT);
	st32(d + 4, UDMA_M2S_META_COPY);
	st64(d + 8, V1_HOST_PREFIX | 0x200000);
	d = guest + 0x101000;
	st32(d, 64 | 1u << UDMA_DESC_RING_ID_SHIFT);
	st64(d + 8, V1_DRAM_CH1_BASE + 0x80);
	region_write32(NEMU_REGION_BAR0, s2m + UDMA_Q_TAIL_INC, 1, false);
	region_write32(NEMU_REGION_BAR0, m2s + UDMA_Q_TAIL_INC, 1, false);
	CHECK_EQ(region_read32(NEMU_REGION_BAR4, V1_DRAM_CHANNEL_SIZE + 0x80), 0x43424140);
	CHECK_EQ(region_read32(NEMU_REGION_BAR4, V1_DRAM_CHANNEL_SIZE + 0xbc), 0x7f7e7d7c);
	CHECK_EQ(dev->ctr.doorbells, 2);
	CHECK_EQ(dev->ctr.mmio_reads_bar4, 2);
}

static void write_multi(void)
{
	uint8_t a[8 + 2 * 24] = { 0 };
	size_t n;
	uint8_t *r;

	st64(a, 2);
	st64(a + 8, MISC(MISC_DEVICE_ID));
	st32(a + 16, NEMU_REGION_BAR0);
	st32(a + 20, 4);
	st32(a + 24, 9);
	st64(a + 32, V1_NC_SEM_SET + 4);
	st32(a + 40, NEMU_REGION_BAR2);
	st32(a + 44, 4);
	st32(a + 48, 77);
	r = request(VU_CMD_REGION_WRITE_MULTI, 0, a, sizeof(a), -1, &n);
	CHECK(ok_reply(r));
	if (r)
		CHECK_EQ(ld64(r + 16), 2);
	free(r);
	CHECK_EQ(region_read32(NEMU_REGION_BAR0, MISC(MISC_DEVICE_ID)), 9);
	CHECK_EQ(region_read32(NEMU_REGION_BAR2, V1_NC_SEM_READ + 4), 77);
}

static void errors(void)
{
	uint8_t a[16] = { 0 };
	size_t n;
	uint8_t *r;

	r = request(6, 0, NULL, 0, -1, &n);	/* GET_REGION_IO_FDS: not served */
	CHECK(r && (ld32(r + 8) & VU_FLAG_ERROR) && ld32(r + 12) == ENOSYS);
	free(r);
	/* Read past the end of BAR0. */
	st64(a, V1_BAR0_SIZE - 2);
	st32(a + 8, NEMU_REGION_BAR0);
	st32(a + 12, 4);
	r = request(VU_CMD_REGION_READ, 0, a, sizeof(a), -1, &n);
	CHECK(r && (ld32(r + 8) & VU_FLAG_ERROR));
	free(r);
}

/* Every command with a truncated payload gets an answer, not a crash. */
static void truncated_payloads(void)
{
	/* (VERSION with just major/minor is valid: the JSON is optional.) */
	static const uint16_t cmds[] = {
		VU_CMD_DMA_MAP, VU_CMD_DMA_UNMAP, VU_CMD_DEVICE_GET_REGION_INFO,
		VU_CMD_DEVICE_GET_IRQ_INFO, VU_CMD_DEVICE_SET_IRQS, VU_CMD_REGION_READ,
		VU_CMD_REGION_WRITE, VU_CMD_REGION_WRITE_MULTI, VU_CMD_DMA_READ, VU_CMD_DMA_WRITE,
		99,
	};
	uint8_t junk[4] = { 1, 2, 3, 4 }, wm[8 + 24] = { 0 };
	size_t n;

	for (unsigned i = 0; i < ARRAY_SIZE(cmds); i++) {
		uint8_t *r = request(cmds[i], 0, junk, sizeof(junk), -1, &n);

		if (!r || !(ld32(r + 8) & VU_FLAG_ERROR))
			printf("# command %u accepted a 4-byte payload\n", cmds[i]);
		CHECK(r && (ld32(r + 8) & VU_FLAG_ERROR));
		free(r);
	}
	/* WRITE_MULTI claiming more entries than it carries. */
	st64(wm, 5);
	free(request(VU_CMD_REGION_WRITE_MULTI, 0, wm, sizeof(wm), -1, &n));
	/* Still serving. */
	CHECK_EQ(region_read32(NEMU_REGION_CONFIG, 0), 0x70641d0f);
}

static void device_reset(void)
{
	size_t n;
	uint8_t *r = request(VU_CMD_DEVICE_RESET, 0, NULL, 0, -1, &n);

	CHECK(ok_reply(r));
	free(r);
	CHECK_EQ(region_read32(NEMU_REGION_BAR0, MISC(MISC_DEVICE_ID)), 0);
	CHECK_EQ(region_read32(NEMU_REGION_CONFIG, 4) & 0xffff, 0);
	CHECK_EQ(region_read32(NEMU_REGION_BAR4, V1_DRAM_CHANNEL_SIZE + 0x80), 0);
	CHECK_EQ(dev->ctr.resets, 1);
	/* Maps survive a reset. */
	CHECK_EQ(conn.nmaps, 2);
}

/* --bar4-mmap: BAR4's region info carries the DRAM memfd, mapped at offset 0. */
static void bar4_mmap_region(void)
{
	uint8_t a[32] = { 0 }, r[VU_HDR_SIZE + 32];
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { r, sizeof(r) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	const uint32_t pattern = 0x5a17c0de;
	struct cmsghdr *cm;
	uint16_t id = next_id++;
	int fd = -1;

	dev->opt.bar4_mmap = true;
	st32(a, 32);
	st32(a + 8, NEMU_REGION_BAR4);
	CHECK(send_msg(id, VU_CMD_DEVICE_GET_REGION_INFO, 0, a, sizeof(a), -1) == 0);
	CHECK(recvmsg(cfd, &mh, MSG_WAITALL) == (ssize_t)sizeof(r));
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	CHECK(fd >= 0);
	CHECK_EQ(ld16(r), id);
	CHECK_EQ(ld32(r + VU_HDR_SIZE + 4),
		 VU_REGION_FLAG_READ | VU_REGION_FLAG_WRITE | VU_REGION_FLAG_MMAP);
	CHECK_EQ(ld64(r + VU_HDR_SIZE + 16), V1_BAR4_SIZE);
	CHECK_EQ(ld64(r + VU_HDR_SIZE + 24), 0);
	if (fd >= 0) {
		/* What the guest writes through BAR4 is what the model's DRAM holds. */
		uint32_t *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		uint32_t v = 0;

		CHECK(map != MAP_FAILED);
		if (map != MAP_FAILED) {
			map[1024] = pattern;
			CHECK(dev_region_read(dev, NEMU_REGION_BAR4, 4096, &v, 4) == 0);
			CHECK_EQ(v, pattern);
			munmap(map, 8192);
		}
		close(fd);
	}
	dev->opt.bar4_mmap = false;
}

static void dma_unmap(void)
{
	uint8_t a[24];
	size_t n;
	uint8_t *r;

	st32(a, 24);
	st32(a + 4, 0);
	st64(a + 8, 0);
	st64(a + 16, 1ULL << 40);	/* a large "everything in range" unmap */
	r = request(VU_CMD_DMA_UNMAP, 0, a, sizeof(a), -1, &n);
	CHECK(ok_reply(r));
	free(r);
	CHECK_EQ(conn.nmaps, 0);
	/* Without maps the firmware cannot answer. */
	region_write32(NEMU_REGION_CONFIG, 4, 0x6, true);
	fwio_rings(V1_HOST_PREFIX | 0x1000, V1_HOST_PREFIX | 0x2000);
	region_write32(NEMU_REGION_BAR0, MISC(MISC_DOORBELL), 1, true);
	CHECK_EQ(dev->ctr.fwio_errors, 1);
}

static void eof(void)
{
	struct timespec ts;
	int rc;

	close(cfd);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	rc = pthread_timedjoin_np(server, NULL, &ts);
	CHECK_EQ(rc, 0);
	CHECK(conn.broken);
	vu_conn_fini(&conn);
	CHECK(dev->bus.read == NULL);
	dev_destroy(dev);
	munmap(guest, MEMFD_SIZE);
}

int main(void)
{
	start();
	RUN(handshake);
	RUN(dma_map_memfd);
	RUN(config_space);
	RUN(fwio_through_memfd);
	RUN(fwio_through_messages);
	RUN(udma_copy_and_bar4);
	RUN(write_multi);
	RUN(errors);
	RUN(truncated_payloads);
	RUN(device_reset);
	RUN(bar4_mmap_region);
	RUN(dma_unmap);
	RUN(eof);
	return t_any_failed;
}
