// SPDX-License-Identifier: MIT
/*
 * vfio-user protocol server for one device.
 *
 * One blocking AF_UNIX stream per device.  Messages are read whole with
 * recvmsg() (file descriptors come as SCM_RIGHTS on the first bytes; a plain
 * read() would drop them).  The device reaches guest memory through the
 * DMA_MAP table: mappings with an fd are mmap'ed and copied directly,
 * mappings without one go through DMA_READ/DMA_WRITE messages on the same
 * socket.  While we wait for such a reply QEMU may send requests of its own;
 * those are queued and served, in order, once the current one is done, so
 * every request sees the device state its predecessors left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "device.h"
#include "util.h"
#include "vfio_user.h"

/* No message we handle is anywhere near this; it only bounds a bad peer. */
#define VU_MAX_MSG	(64u << 20)

static const char version_json[] =
	"{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576,"
	"\"pgsizes\":4096,\"max_dma_maps\":65535,\"write_multiple\":true}}";

static int host_read(void *ctx, uint64_t addr, void *buf, size_t len);
static int host_write(void *ctx, uint64_t addr, const void *buf, size_t len);
static bool host_irq(void *ctx, unsigned vector);

void vu_conn_init(struct vu_conn *c, int fd, struct nemu_dev *d)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->dev = d;
	c->next_id = 1;
	c->err_fd = c->req_fd = -1;
	for (unsigned i = 0; i < NEURON_MSIX_VECTORS; i++)
		c->msix_fd[i] = -1;
	d->bus.read = host_read;
	d->bus.write = host_write;
	d->bus.irq = host_irq;
	d->bus.ctx = c;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void msg_free(struct vu_msg *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nfds; i++)
		close_fd(&m->fds[i]);
	free(m->buf);
	free(m);
}

static void unmap_at(struct vu_conn *c, size_t i)
{
	if (c->maps[i].ptr)
		munmap(c->maps[i].ptr, c->maps[i].size);
	c->maps[i] = c->maps[--c->nmaps];
}

void vu_conn_fini(struct vu_conn *c)
{
	while (c->nmaps)
		unmap_at(c, c->nmaps - 1);
	free(c->maps);
	c->maps = NULL;
	while (c->pending) {
		struct vu_msg *m = c->pending;

		c->pending = m->next;
		msg_free(m);
	}
	for (unsigned i = 0; i < NEURON_MSIX_VECTORS; i++)
		close_fd(&c->msix_fd[i]);
	close_fd(&c->err_fd);
	close_fd(&c->req_fd);
	close_fd(&c->fd);
	memset(&c->dev->bus, 0, sizeof(c->dev->bus));
}

/* ---- transport ------------------------------------------------------- */

static int recv_exact(struct vu_conn *c, uint8_t *p, size_t len, struct vu_msg *m)
{
	while (len) {
		char cbuf[CMSG_SPACE(sizeof(int) * VU_MAX_FDS)];
		struct iovec iov = { .iov_base = p, .iov_len = len };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		ssize_t n = recvmsg(c->fd, &mh, MSG_CMSG_CLOEXEC);

		if (n < 0 && errno == EINTR && !nemu_stop)
			continue;
		if (n <= 0)
			return -1;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			int nfd;

			if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
				continue;
			nfd = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			for (int i = 0; i < nfd; i++) {
				int fd;

				memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
				if (m->nfds < VU_MAX_FDS)
					m->fds[m->nfds++] = fd;
				else
					close(fd);
			}
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static struct vu_msg *recv_msg(struct vu_conn *c)
{
	struct vu_msg *m = calloc(1, sizeof(*m));
	uint8_t hdr[VU_HDR_SIZE];
	uint32_t size;

	if (!m)
		return NULL;
	if (recv_exact(c, hdr, sizeof(hdr), m) < 0)
		goto fail;
	size = ld32(hdr + 4);
	if (size < VU_HDR_SIZE || size > VU_MAX_MSG) {
		nemu_warn("dev%u: bad vfio-user message size %u", c->dev->index, size);
		goto fail;
	}
	m->buf = malloc(size);
	if (!m->buf)
		goto fail;
	memcpy(m->buf, hdr, sizeof(hdr));
	m->len = size;
	if (recv_exact(c, m->buf + VU_HDR_SIZE, size - VU_HDR_SIZE, m) < 0)
		goto fail;
	return m;
fail:
	msg_free(m);
	c->broken = true;
	return NULL;
}

static int send_iov(struct vu_conn *c, struct iovec *iov, int cnt)
{
	while (cnt) {
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)cnt };
		ssize_t n = sendmsg(c->fd, &mh, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			c->broken = true;
			return -1;
		}
		while (cnt && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt) {
			iov->iov_base = (uint8_t *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

static void make_hdr(uint8_t *h, uint16_t id, uint16_t cmd, size_t size, uint32_t flags,
		     uint32_t error)
{
	st16(h, id);
	st16(h + 2, cmd);
	st32(h + 4, (uint32_t)size);
	st32(h + 8, flags);
	st32(h + 12, error);
}

static int reply2(struct vu_conn *c, const struct vu_msg *req, const void *a, size_t alen,
		  const void *b, size_t blen)
{
	uint8_t h[VU_HDR_SIZE];
	struct iovec iov[3] = {
		{ h, sizeof(h) }, { (void *)(uintptr_t)a, alen }, { (void *)(uintptr_t)b, blen },
	};

	if (ld32(req->buf + 8) & VU_FLAG_NO_REPLY)
		return 0;
	make_hdr(h, ld16(req->buf), ld16(req->buf + 2), sizeof(h) + alen + blen,
		 VU_FLAG_REPLY, 0);
	return send_iov(c, iov, 3);
}

static int reply(struct vu_conn *c, const struct vu_msg *req, const void *p, size_t len)
{
	return reply2(c, req, p, len, NULL, 0);
}

static int reply_error(struct vu_conn *c, const struct vu_msg *req, int err)
{
	uint8_t h[VU_HDR_SIZE];
	struct iovec iov = { h, sizeof(h) };

	nemu_log("dev%u: command %u -> error %d", c->dev->index, ld16(req->buf + 2), err);
	if (ld32(req->buf + 8) & VU_FLAG_NO_REPLY)
		return 0;
	make_hdr(h, ld16(req->buf), ld16(req->buf + 2), sizeof(h),
		 VU_FLAG_REPLY | VU_FLAG_ERROR, (uint32_t)err);
	return send_iov(c, &iov, 1);
}

/* ---- server-to-client DMA ------------------------------------------- */

static void enqueue(struct vu_conn *c, struct vu_msg *m)
{
	m->next = NULL;
	if (c->pending_tail)
		c->pending_tail->next = m;
	else
		c->pending = m;
	c->pending_tail = m;
}

static struct vu_msg *wait_reply(struct vu_conn *c, uint16_t id)
{
	for (;;) {
		struct vu_msg *m = recv_msg(c);
		uint32_t flags;

		if (!m)
			return NULL;
		flags = ld32(m->buf + 8);
		if ((flags & VU_FLAG_TYPE_MASK) == VU_FLAG_REQUEST) {
			enqueue(c, m);
		} else if (ld16(m->buf) == id) {
			return m;
		} else {
			msg_free(m);	/* a reply to nothing we are waiting for */
		}
	}
}

static int dma_msg(struct vu_conn *c, bool write, uint64_t addr, uint8_t *p, size_t len)
{
	uint8_t h[VU_HDR_SIZE], args[16];
	struct iovec iov[3] = { { h, sizeof(h) }, { args, sizeof(args) }, { p, write ? len : 0 } };
	uint16_t id = c->next_id++;
	struct vu_msg *r;
	int ret = -1;

	if (c->broken)
		return -1;
	st64(args, addr);
	st64(args + 8, len);
	make_hdr(h, id, write ? VU_CMD_DMA_WRITE : VU_CMD_DMA_READ,
		 sizeof(h) + sizeof(args) + (write ? len : 0), VU_FLAG_REQUEST, 0);
	c->dma_msgs++;
	if (send_iov(c, iov, 3) < 0)
		return -1;
	r = wait_reply(c, id);
	if (!r)
		return -1;
	if (ld32(r->buf + 8) & VU_FLAG_ERROR) {
		nemu_log("dev%u: DMA %s 0x%llx+%zu refused: errno %u", c->dev->index,
			 write ? "write" : "read", (unsigned long long)addr, len, ld32(r->buf + 12));
	} else if (write) {
		ret = 0;
	} else if (r->len == VU_HDR_SIZE + 16 + len) {
		/* QEMU 11.1 follows the spec: u64 addr, u64 count, data at byte 32. */
		memcpy(p, r->buf + VU_HDR_SIZE + 16, len);
		ret = 0;
	}
	msg_free(r);
	return ret;
}

static struct vu_map *find_map(struct vu_conn *c, uint64_t addr)
{
	/* Newest first, so a re-map of the same range wins. */
	for (size_t i = c->nmaps; i-- > 0;) {
		struct vu_map *m = &c->maps[i];

		if (addr >= m->iova && addr - m->iova < m->size)
			return m;
	}
	return NULL;
}

static int host_rw(struct vu_conn *c, uint64_t addr, uint8_t *p, size_t len, bool write)
{
	while (len) {
		struct vu_map *m = find_map(c, addr);
		size_t n;

		if (!m || !(m->prot & (write ? VU_DMA_FLAG_WRITE : VU_DMA_FLAG_READ)))
			return -1;
		n = (size_t)MIN((uint64_t)len, m->size - (addr - m->iova));
		if (m->ptr) {
			if (write)
				memcpy(m->ptr + (addr - m->iova), p, n);
			else
				memcpy(p, m->ptr + (addr - m->iova), n);
		} else {
			n = MIN(n, (size_t)VU_MAX_XFER);
			if (dma_msg(c, write, addr, p, n) < 0)
				return -1;
		}
		addr += n;
		p += n;
		len -= n;
	}
	return 0;
}

static int host_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return host_rw(ctx, addr, buf, len, false);
}

static int host_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	return host_rw(ctx, addr, (uint8_t *)(uintptr_t)buf, len, true);
}

static bool signal_fd(int fd)
{
	uint64_t one = 1;

	return fd >= 0 && write(fd, &one, sizeof(one)) == sizeof(one);
}

static bool host_irq(void *ctx, unsigned vector)
{
	struct vu_conn *c = ctx;

	return vector < NEURON_MSIX_VECTORS && signal_fd(c->msix_fd[vector]);
}

/* ---- request handlers ----------------------------------------------- */

static int take_fd(struct vu_msg *m, int i)
{
	int fd = m->fds[i];

	m->fds[i] = -1;
	return fd;
}

static int do_version(struct vu_conn *c, struct vu_msg *m)
{
	uint8_t v[4];

	if (m->len < VU_HDR_SIZE + 4)
		return reply_error(c, m, EINVAL);
	/* QEMU proposes 0.0 and rejects any minor above its own. */
	st16(v, 0);
	st16(v + 2, 0);
	return reply2(c, m, v, sizeof(v), version_json, sizeof(version_json));
}

static int do_dma_map(struct vu_conn *c, struct vu_msg *m)
{
	const uint8_t *p = m->buf + VU_HDR_SIZE;
	struct vu_map map;
	uint64_t off;

	if (m->len < VU_HDR_SIZE + 32)
		return reply_error(c, m, EINVAL);
	map.prot = ld32(p + 4) & (VU_DMA_FLAG_READ | VU_DMA_FLAG_WRITE);
	off = ld64(p + 8);
	map.iova = ld64(p + 16);
	map.size = ld64(p + 24);
	map.ptr = NULL;
	if (!map.size || map.iova + map.size < map.iova)
		return reply_error(c, m, EINVAL);
	if (m->nfds > 0) {
		int fd = take_fd(m, 0);
		int prot = (map.prot & VU_DMA_FLAG_READ ? PROT_READ : 0) |
			   (map.prot & VU_DMA_FLAG_WRITE ? PROT_WRITE : 0);
		void *ptr = mmap(NULL, map.size, prot, MAP_SHARED, fd, (off_t)off);

		/* The mapping keeps the memory; QEMU sends a new fd every time. */
		close(fd);
		if (ptr == MAP_FAILED)
			nemu_warn("dev%u: cannot mmap DMA region 0x%llx+0x%llx: %s; using messages",
				  c->dev->index, (unsigned long long)map.iova,
				  (unsigned long long)map.size, strerror(errno));
		else
			map.ptr = ptr;
	}
	if (c->nmaps == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		struct vu_map *n = realloc(c->maps, cap * sizeof(*n));

		if (!n) {
			if (map.ptr)
				munmap(map.ptr, map.size);
			return reply_error(c, m, ENOMEM);
		}
		c->maps = n;
		c->cap = cap;
	}
	c->maps[c->nmaps++] = map;
	nemu_log("dev%u: DMA map 0x%llx+0x%llx %s", c->dev->index,
		 (unsigned long long)map.iova, (unsigned long long)map.size,
		 map.ptr ? "mmap" : "messages");
	return reply(c, m, NULL, 0);
}

static int do_dma_unmap(struct vu_conn *c, struct vu_msg *m)
{
	const uint8_t *p = m->buf + VU_HDR_SIZE;
	uint64_t iova, size;
	bool all;

	if (m->len < VU_HDR_SIZE + 24)
		return reply_error(c, m, EINVAL);
	all = ld32(p + 4) & VU_DMA_UNMAP_ALL;
	iova = ld64(p + 8);
	size = ld64(p + 16);
	/* Like the kernel's type1 IOMMU: drop everything inside the range. */
	for (size_t i = c->nmaps; i-- > 0;) {
		struct vu_map *e = &c->maps[i];

		if (all || (e->iova >= iova && e->iova - iova < size &&
			    e->size <= size - (e->iova - iova)))
			unmap_at(c, i);
	}
	return reply(c, m, p, 24);
}

static int do_get_info(struct vu_conn *c, struct vu_msg *m)
{
	uint8_t r[16];

	st32(r, sizeof(r));
	st32(r + 4, VU_DEV_FLAG_RESET | VU_DEV_FLAG_PCI);
	st32(r + 8, NEMU_NUM_REGIONS);
	st32(r + 12, VU_NUM_IRQS);
	return reply(c, m, r, sizeof(r));
}

/* A reply carrying one file descriptor (SCM_RIGHTS), e.g. a region to mmap. */
static int reply_fd(struct vu_conn *c, const struct vu_msg *req, const void *p, size_t len,
		    int fd)
{
	uint8_t h[VU_HDR_SIZE];
	struct iovec iov[2] = { { h, sizeof(h) }, { (void *)(uintptr_t)p, len } };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl = { 0 };
	struct msghdr mh = {
		.msg_iov = iov, .msg_iovlen = 2,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	ssize_t n;

	make_hdr(h, ld16(req->buf), ld16(req->buf + 2), sizeof(h) + len, VU_FLAG_REPLY, 0);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	do
		n = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		c->broken = true;
		return -1;
	}
	/* The descriptor went with the first byte; send whatever is left plainly. */
	if ((size_t)n < sizeof(h) + len) {
		struct iovec rest[2] = { { h, sizeof(h) }, { (void *)(uintptr_t)p, len } };
		size_t skip = (size_t)n;
		int i = 0;

		while (skip >= rest[i].iov_len)
			skip -= rest[i++].iov_len;
		rest[i].iov_base = (uint8_t *)rest[i].iov_base + skip;
		rest[i].iov_len -= skip;
		return send_iov(c, rest + i, 2 - i);
	}
	return 0;
}

static int do_region_info(struct vu_conn *c, struct vu_msg *m)
{
	uint8_t r[32] = { 0 };
	uint32_t index;
	uint64_t size;

	if (m->len < VU_HDR_SIZE + 12)
		return reply_error(c, m, EINVAL);
	index = ld32(m->buf + VU_HDR_SIZE + 8);
	if (index >= NEMU_NUM_REGIONS)
		return reply_error(c, m, EINVAL);
	size = dev_region_size(c->dev, index);
	st32(r, sizeof(r));
	st32(r + 8, index);
	st64(r + 16, size);
	/*
	 * Readable and writable, and by default never mmap-able: one mmap-able
	 * region turns off QEMU's posted writes for the whole device.
	 * --bar4-mmap exists to measure that trade (tools/neuron-bar4-bench):
	 * BAR4 is then the DRAM memfd itself (channel 1 follows channel 0 in
	 * both), mapped by QEMU straight into the guest.
	 */
	if (index == NEMU_REGION_BAR4 && size && c->dev->opt.bar4_mmap && c->dev->dram.fd >= 0) {
		st32(r + 4, VU_REGION_FLAG_READ | VU_REGION_FLAG_WRITE | VU_REGION_FLAG_MMAP);
		st64(r + 24, 0);	/* offset of the region in the fd */
		return reply_fd(c, m, r, sizeof(r), c->dev->dram.fd);
	}
	st32(r + 4, size ? VU_REGION_FLAG_READ | VU_REGION_FLAG_WRITE : 0);
	return reply(c, m, r, sizeof(r));
}

static int do_irq_info(struct vu_conn *c, struct vu_msg *m)
{
	uint8_t r[16];
	uint32_t index, flags = VU_IRQ_INFO_EVENTFD, count = 0;

	if (m->len < VU_HDR_SIZE + 16)
		return reply_error(c, m, EINVAL);
	index = ld32(m->buf + VU_HDR_SIZE + 8);
	switch (index) {
	case VU_IRQ_INTX:
		/* Interrupt pin 0: no INTx. */
		flags |= VU_IRQ_INFO_MASKABLE | VU_IRQ_INFO_AUTOMASKED;
		break;
	case VU_IRQ_MSI:
		break;
	case VU_IRQ_MSIX:
		/* No NORESIZE: QEMU then adds vectors one by one. */
		flags |= VU_IRQ_INFO_MASKABLE;
		count = c->dev->opt.msix ? NEURON_MSIX_VECTORS : 0;
		break;
	case VU_IRQ_ERR:
	case VU_IRQ_REQ:
		count = 1;
		break;
	default:
		return reply_error(c, m, EINVAL);
	}
	st32(r, sizeof(r));
	st32(r + 4, flags);
	st32(r + 8, index);
	st32(r + 12, count);
	return reply(c, m, r, sizeof(r));
}

static int do_set_irqs(struct vu_conn *c, struct vu_msg *m)
{
	const uint8_t *p = m->buf + VU_HDR_SIZE;
	uint32_t flags, index, start, count;
	int *slots, nslots;

	if (m->len < VU_HDR_SIZE + 20)
		return reply_error(c, m, EINVAL);
	flags = ld32(p + 4);
	index = ld32(p + 8);
	start = ld32(p + 12);
	count = ld32(p + 16);
	switch (index) {
	case VU_IRQ_MSIX:
		if (!c->dev->opt.msix)
			return reply_error(c, m, EINVAL);
		slots = c->msix_fd;
		nslots = NEURON_MSIX_VECTORS;
		break;
	case VU_IRQ_ERR:
		slots = &c->err_fd;
		nslots = 1;
		break;
	case VU_IRQ_REQ:
		slots = &c->req_fd;
		nslots = 1;
		break;
	case VU_IRQ_INTX:
	case VU_IRQ_MSI:
		/* Never raised; accept so QEMU's reset sequence stays quiet. */
		return reply(c, m, NULL, 0);
	default:
		return reply_error(c, m, EINVAL);
	}
	if (start > (uint32_t)nslots || count > (uint32_t)nslots - start)
		return reply_error(c, m, EINVAL);
	if (flags & (VU_IRQ_SET_ACTION_MASK | VU_IRQ_SET_ACTION_UNMASK))
		return reply(c, m, NULL, 0);	/* QEMU masks MSI-X itself */
	if (!(flags & VU_IRQ_SET_ACTION_TRIGGER))
		return reply_error(c, m, EINVAL);
	if (flags & VU_IRQ_SET_DATA_EVENTFD) {
		if (m->nfds == (int)count) {
			for (uint32_t i = 0; i < count; i++) {
				close_fd(&slots[start + i]);
				slots[start + i] = take_fd(m, (int)i);
			}
		} else if (m->nfds == 0) {
			/* "Enable with no vectors" / de-assign: fds omitted. */
			for (uint32_t i = 0; i < count; i++)
				close_fd(&slots[start + i]);
		} else {
			return reply_error(c, m, EINVAL);
		}
	} else if (flags & VU_IRQ_SET_DATA_BOOL) {
		if (m->len < VU_HDR_SIZE + 20 + count)
			return reply_error(c, m, EINVAL);
		for (uint32_t i = 0; i < count; i++)
			if (p[20 + i])
				signal_fd(slots[start + i]);
	} else if (count == 0) {
		/* DATA_NONE with count 0: disable the whole index. */
		for (int i = 0; i < nslots; i++)
			close_fd(&slots[i]);
	} else {
		for (uint32_t i = 0; i < count; i++)
			signal_fd(slots[start + i]);
	}
	return reply(c, m, NULL, 0);
}

static int do_region_read(struct vu_conn *c, struct vu_msg *m)
{
	const uint8_t *p = m->buf + VU_HDR_SIZE;
	uint32_t region, count;
	uint8_t *data;
	int ret;

	if (m->len < VU_HDR_SIZE + 16)
		return reply_error(c, m, EINVAL);
	region = ld32(p + 8);
	count = ld32(p + 12);
	if (count > VU_MAX_XFER)
		return reply_error(c, m, E2BIG);
	data = malloc(count ? count : 1);
	if (!data)
		return reply_error(c, m, ENOMEM);
	if (dev_region_read(c->dev, region, ld64(p), data, count) < 0)
		ret = reply_error(c, m, EINVAL);
	else
		ret = reply2(c, m, p, 16, data, count);
	free(data);
	return ret;
}

static int do_region_write(struct vu_conn *c, struct vu_msg *m)
{
	const uint8_t *p = m->buf + VU_HDR_SIZE;
	uint32_t count;

	if (m->len < VU_HDR_SIZE + 16)
		return reply_error(c, m, EINVAL);
	count = ld32(p + 12);
	if (m->len - VU_HDR_SIZE - 16 < count)
		return reply_error(c, m, EINVAL);
	if (dev_region_write(c->dev, ld32(p + 8), ld64(p), p + 16, count) < 0)
		return reply_error(c, m, EINVAL);
	return reply(c, m, p, 16);
}

static int do_write_multi(struct vu_conn *c, struct vu_msg *m)
{
	const uint8_t *p = m->buf + VU_HDR_SIZE;
	uint64_t n;
	int err = 0;

	if (m->len < VU_HDR_SIZE + 8)
		return reply_error(c, m, EINVAL);
	n = ld64(p);
	if (n > (m->len - VU_HDR_SIZE - 8) / 24)
		return reply_error(c, m, EINVAL);
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *w = p + 8 + 24 * i;
		uint32_t count = ld32(w + 12);

		if (count > 8 || dev_region_write(c->dev, ld32(w + 8), ld64(w), w + 16, count) < 0)
			err = EINVAL;
	}
	if (err)
		return reply_error(c, m, err);
	return reply(c, m, p, 8);
}

static int dispatch(struct vu_conn *c, struct vu_msg *m)
{
	uint16_t cmd = ld16(m->buf + 2);
	int ret;

	if ((ld32(m->buf + 8) & VU_FLAG_TYPE_MASK) != VU_FLAG_REQUEST) {
		msg_free(m);	/* stray reply */
		return 0;
	}
	switch (cmd) {
	case VU_CMD_VERSION:
		ret = do_version(c, m);
		break;
	case VU_CMD_DMA_MAP:
		ret = do_dma_map(c, m);
		break;
	case VU_CMD_DMA_UNMAP:
		ret = do_dma_unmap(c, m);
		break;
	case VU_CMD_DEVICE_GET_INFO:
		ret = do_get_info(c, m);
		break;
	case VU_CMD_DEVICE_GET_REGION_INFO:
		ret = do_region_info(c, m);
		break;
	case VU_CMD_DEVICE_GET_IRQ_INFO:
		ret = do_irq_info(c, m);
		break;
	case VU_CMD_DEVICE_SET_IRQS:
		ret = do_set_irqs(c, m);
		break;
	case VU_CMD_REGION_READ:
		ret = do_region_read(c, m);
		break;
	case VU_CMD_REGION_WRITE:
		ret = do_region_write(c, m);
		break;
	case VU_CMD_REGION_WRITE_MULTI:
		ret = do_write_multi(c, m);
		break;
	case VU_CMD_DEVICE_RESET:
		nemu_log("dev%u: DEVICE_RESET", c->dev->index);
		dev_reset(c->dev);
		ret = reply(c, m, NULL, 0);
		break;
	default:
		ret = reply_error(c, m, ENOSYS);
	}
	msg_free(m);
	return ret;
}

int vu_conn_drain(struct vu_conn *c)
{
	while (c->pending && !c->broken) {
		struct vu_msg *m = c->pending;

		c->pending = m->next;
		if (!c->pending)
			c->pending_tail = NULL;
		dispatch(c, m);
	}
	return c->broken ? -1 : 0;
}

int vu_conn_handle(struct vu_conn *c)
{
	struct vu_msg *m = recv_msg(c);

	if (!m)
		return -1;
	dispatch(c, m);
	return vu_conn_drain(c);
}
