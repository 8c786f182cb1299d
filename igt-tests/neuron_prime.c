// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * dma-buf sharing: PRIME export of host BOs (CPU mmap of the dma-buf,
 * self-import, import on another client and another device), import of
 * dma-bufs from udmabuf (memfd), the system dma-heap and vgem as sources
 * and targets of the device's DMA with the data checked through the
 * exporter's CPU view, and implicit sync through the shared reservation
 * object in both directions (our jobs seen by poll()/sync_file export,
 * vgem's fences holding back our jobs).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/sync_file.h>
#include <linux/udmabuf.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"

IGT_TEST_DESCRIPTION("dma-buf: PRIME export/import, udmabuf, dma-heap and vgem imports, "
		     "implicit sync.");

#define HOST DRM_NEURON_BO_DOMAIN_HOST
#define DEV DRM_NEURON_BO_DOMAIN_DEVICE
#define ANY DRM_NEURON_ANY
#define CANARY 0xc3
#define STALL_US 300000
#define EXT_SIZE (256 * 1024)

/* vgem's uapi (include/uapi/drm/vgem_drm.h), not shipped by libdrm. */
struct local_vgem_fence_attach {
	uint32_t handle;
	uint32_t flags;
#define LOCAL_VGEM_FENCE_WRITE 0x1
	uint32_t out_fence;
	uint32_t pad;
};

struct local_vgem_fence_signal {
	uint32_t fence;
	uint32_t flags;
};

#define LOCAL_IOCTL_VGEM_FENCE_ATTACH \
	DRM_IOWR(DRM_COMMAND_BASE + 0x1, struct local_vgem_fence_attach)
#define LOCAL_IOCTL_VGEM_FENCE_SIGNAL \
	DRM_IOW(DRM_COMMAND_BASE + 0x2, struct local_vgem_fence_signal)

static struct igt_neuron_node node;
static int fd = -1;

static int prime_export(int f, uint32_t h, int *dmabuf)
{
	return drmPrimeHandleToFD(f, h, DRM_CLOEXEC | DRM_RDWR, dmabuf) ? -errno : 0;
}

static int prime_import(int f, int dmabuf, uint32_t *h)
{
	return drmPrimeFDToHandle(f, dmabuf, h) ? -errno : 0;
}

static void cpu_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	igt_assert_eq(drmIoctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s), 0);
}

static int sync_file_status(int sfd)
{
	struct sync_file_info info = {};

	igt_assert_eq(drmIoctl(sfd, SYNC_IOC_FILE_INFO, &info), 0);
	return info.status;
}

/* ---- foreign exporters ---- */

struct ext {
	int dmabuf;
	uint8_t *cpu;		/* the exporter's CPU view */
	uint64_t size;
	int aux;		/* memfd (udmabuf) or vgem fd */
	uint32_t vgem_handle;
};

static struct ext ext_udmabuf(uint64_t size)
{
	struct ext e = { .size = size, .aux = -1 };
	struct udmabuf_create c = {};
	int dev;

	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	igt_require_f(dev >= 0, "no /dev/udmabuf: %s\n", strerror(errno));
	e.aux = memfd_create("neuron-udmabuf", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	igt_assert_fd(e.aux);
	igt_assert_eq(ftruncate(e.aux, size), 0);
	igt_assert_eq(fcntl(e.aux, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	c.memfd = e.aux;
	c.flags = UDMABUF_FLAGS_CLOEXEC;
	c.size = size;
	e.dmabuf = drmIoctl(dev, UDMABUF_CREATE, &c);
	igt_assert_f(e.dmabuf >= 0, "UDMABUF_CREATE: %s\n", strerror(errno));
	close(dev);
	e.cpu = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, e.aux, 0);
	igt_assert(e.cpu != MAP_FAILED);
	return e;
}

static struct ext ext_heap(uint64_t size)
{
	struct ext e = { .size = size, .aux = -1 };
	struct dma_heap_allocation_data d = {
		.len = size, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);

	igt_require_f(heap >= 0, "no /dev/dma_heap/system: %s\n", strerror(errno));
	igt_assert_f(drmIoctl(heap, DMA_HEAP_IOCTL_ALLOC, &d) == 0, "DMA_HEAP_IOCTL_ALLOC: %s\n",
		     strerror(errno));
	close(heap);
	e.dmabuf = d.fd;
	e.cpu = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, e.dmabuf, 0);
	igt_assert(e.cpu != MAP_FAILED);
	return e;
}

static int vgem_open(void)
{
	static bool loaded;
	DIR *dir;
	struct dirent *de;
	int found = -1;

	if (!loaded) {
		igt_require_f(system("modprobe vgem >/dev/null 2>&1") == 0, "cannot load vgem\n");
		loaded = true;
		usleep(200000);	/* devtmpfs creates the node asynchronously */
	}
	dir = opendir("/dev/dri");
	igt_require_f(dir, "no /dev/dri\n");
	while (found < 0 && (de = readdir(dir))) {
		char path[300];
		drmVersionPtr v;
		int f;

		if (strncmp(de->d_name, "card", 4))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		f = open(path, O_RDWR | O_CLOEXEC);
		if (f < 0)
			continue;
		v = drmGetVersion(f);
		if (v && v->name && !strcmp(v->name, "vgem"))
			found = f;
		else
			close(f);
		if (v)
			drmFreeVersion(v);
	}
	closedir(dir);
	igt_require_f(found >= 0, "no vgem node under /dev/dri\n");
	return found;
}

static struct ext ext_vgem(uint64_t size)
{
	struct ext e = { .size = size };
	struct drm_mode_create_dumb c = { .width = 1024, .bpp = 32, .height = size / 4096 };
	struct drm_mode_map_dumb m = {};

	e.aux = vgem_open();
	igt_assert_eq(drmIoctl(e.aux, DRM_IOCTL_MODE_CREATE_DUMB, &c), 0);
	igt_assert_eq_u64(c.size, size);
	e.vgem_handle = c.handle;
	m.handle = c.handle;
	igt_assert_eq(drmIoctl(e.aux, DRM_IOCTL_MODE_MAP_DUMB, &m), 0);
	e.cpu = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, e.aux, m.offset);
	igt_assert(e.cpu != MAP_FAILED);
	igt_assert_eq(prime_export(e.aux, c.handle, &e.dmabuf), 0);
	return e;
}

static void ext_free(struct ext *e)
{
	munmap(e->cpu, e->size);
	close(e->dmabuf);
	if (e->aux >= 0)
		close(e->aux);
}

/*
 * Import e; CPU data -> our DMA reads it (imported -> device -> host BO);
 * our DMA writes (host -> device -> imported, and host -> imported) ->
 * the exporter's CPU view sees it, bytes around untouched.
 */
static void check_import(struct ext *e)
{
	const uint64_t n = e->size - 12;
	struct drm_neuron_bo_info info;
	struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, e->size);
	uint32_t imp, dev = igt_neuron_bo_create(fd, DEV, e->size);
	uint8_t *r1 = malloc(e->size), *r2 = malloc(e->size);

	igt_assert_eq(prime_import(fd, e->dmabuf, &imp), 0);
	igt_neuron_bo_info(fd, imp, &info);
	igt_assert_eq_u64(info.size, e->size);
	igt_assert_eq_u32(info.domain, HOST);
	igt_assert_f(info.flags & DRM_NEURON_BO_IMPORTED, "flags %#x\n", info.flags);
	igt_assert_eq_u64(info.dram_address, 0);
	/* Importing the same dma-buf again gives the same handle. */
	{
		uint32_t again;

		igt_assert_eq(prime_import(fd, e->dmabuf, &again), 0);
		igt_assert_eq_u32(again, imp);
	}

	/* Exporter's CPU writes, our DMA reads. */
	igt_neuron_random_fill(r1, e->size, e->size + 1);
	cpu_sync(e->dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	memcpy(e->cpu, r1, e->size);
	cpu_sync(e->dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	memset(h.p, CANARY, h.size);
	igt_neuron_copy(fd, dev, 1, imp, 3, n, 0);
	igt_neuron_copy(fd, h.h, 5, dev, 1, n, 0);
	igt_neuron_bo_wait(fd, h.h);
	igt_neuron_assert_same(h.p + 5, r1 + 3, n, "imported -> device -> host");
	/* And directly, imported -> host BO. */
	igt_neuron_copy(fd, h.h, 0, imp, 0, e->size, 0);
	igt_neuron_bo_wait(fd, h.h);
	igt_neuron_assert_same(h.p, r1, e->size, "imported -> host");

	/* Our DMA writes, the exporter's CPU reads. */
	igt_neuron_random_fill(r2, e->size, e->size + 2);
	memcpy(h.p, r2, e->size);
	igt_neuron_copy(fd, dev, 0, h.h, 0, e->size, 0);
	igt_neuron_copy(fd, imp, 7, dev, 9, n, 0);
	igt_neuron_bo_wait(fd, imp);
	cpu_sync(e->dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_neuron_assert_same(e->cpu + 7, r2 + 9, n, "host -> device -> imported");
	igt_neuron_assert_same(e->cpu, r1, 7, "before the range");
	igt_neuron_assert_same(e->cpu + 7 + n, r1 + 7 + n, e->size - 7 - n, "after the range");
	cpu_sync(e->dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	igt_neuron_copy(fd, imp, 0, h.h, 0, e->size, 0);
	igt_neuron_fill(fd, imp, 100, 3, 0x3c, 0);
	igt_neuron_bo_wait(fd, imp);
	memset(r2 + 100, 0x3c, 3);
	cpu_sync(e->dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	igt_neuron_assert_same(e->cpu, r2, e->size, "host -> imported, fill");
	cpu_sync(e->dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);

	/* Bounds are those of the dma-buf. */
	{
		struct drm_neuron_copy c = {
			.src_handle = h.h, .dst_handle = imp, .dst_offset = e->size - 1,
			.size = 2, .nc = ANY,
		};

		igt_assert_eq(__igt_neuron_copy(fd, &c), -EINVAL);
	}
	igt_neuron_bo_close(fd, imp);
	igt_neuron_bo_close(fd, dev);
	igt_neuron_hbo_free(fd, &h);
	free(r1);
	free(r2);
}

static void stall(uint32_t nc)
{
	igt_assert_eq(igt_neuron_emu_fault(igt_neuron_node_emu(&node), "queue_stall",
					   nc * 3 + 2), 0);
}

static void unstall(void)
{
	igt_neuron_node_clear_faults(&node);
}

static int poll_fd(int f, short events, int timeout_ms)
{
	struct pollfd p = { .fd = f, .events = events };

	return poll(&p, 1, timeout_ms) == 1 ? p.revents : 0;
}

static int export_sync_file(int dmabuf, uint32_t flags)
{
	struct dma_buf_export_sync_file s = { .flags = flags, .fd = -1 };

	igt_assert_f(drmIoctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &s) == 0,
		     "DMA_BUF_IOCTL_EXPORT_SYNC_FILE: %s\n", strerror(errno));
	return s.fd;
}

static uint32_t vgem_fence(struct ext *e, bool write)
{
	struct local_vgem_fence_attach a = {
		.handle = e->vgem_handle, .flags = write ? LOCAL_VGEM_FENCE_WRITE : 0,
	};

	igt_assert_f(drmIoctl(e->aux, LOCAL_IOCTL_VGEM_FENCE_ATTACH, &a) == 0,
		     "VGEM_FENCE_ATTACH: %s\n", strerror(errno));
	return a.out_fence;
}

static void vgem_signal(struct ext *e, uint32_t fence)
{
	struct local_vgem_fence_signal s = { .fence = fence };

	igt_assert_eq(drmIoctl(e->aux, LOCAL_IOCTL_VGEM_FENCE_SIGNAL, &s), 0);
}

/* ---- access modes ---- */

/* An export without DRM_RDWR: a dma-buf file open for reading only. */
static int prime_export_ro(int f, uint32_t h, int *dmabuf)
{
	return drmPrimeHandleToFD(f, h, DRM_CLOEXEC, dmabuf) ? -errno : 0;
}

/*
 * Every way to have DMA write @bo (in @f) fails with EACCES: COPY and FILL
 * destination, an RX descriptor in SUBMIT and in PROGRAM_CREATE; reading
 * it (COPY source, TX) still works, and a writable mmap() is refused.
 */
static void assert_read_only(int f, uint32_t bo, uint64_t size, bool host)
{
	struct igt_neuron_hbo own = igt_neuron_hbo_new(f, size);
	struct drm_neuron_copy c = { .src_handle = own.h, .dst_handle = bo, .size = size };
	struct drm_neuron_fill fl = { .handle = bo, .size = size, .value = 0x11 };
	uint32_t bos[2] = { own.h, bo };
	struct drm_neuron_desc tx = { .bo_index = 0, .length = 256,
				      .flags = DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST };
	struct drm_neuron_desc rx = { .bo_index = 1, .length = 256 };
	struct drm_neuron_queue_create qc = {};
	struct drm_neuron_queue_destroy qd = {};
	struct drm_neuron_submit sub = {
		.bo_handles = (uintptr_t)bos, .bo_count = 2, .tx = (uintptr_t)&tx,
		.tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1 };
	struct drm_neuron_program_create pc = {
		.bo_handles = (uintptr_t)bos, .bo_count = 2, .tx = (uintptr_t)&tx,
		.tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1 };
	struct drm_neuron_bo_info info;

	igt_neuron_bo_info(f, bo, &info);
	igt_assert(info.flags & DRM_NEURON_BO_READ_ONLY);
	igt_assert(info.flags & DRM_NEURON_BO_IMPORTED);
	igt_assert_eq(__igt_neuron_copy(f, &c), -EACCES);
	igt_assert_eq(__igt_neuron_fill(f, &fl), -EACCES);
	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_QUEUE_CREATE, &qc), 0);
	sub.queue = qc.handle;
	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_SUBMIT, &sub) ? -errno : 0, -EACCES);
	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_PROGRAM_CREATE, &pc) ? -errno : 0, -EACCES);
	/* The other direction is allowed: the BO is a TX source. */
	bos[0] = bo;
	bos[1] = own.h;
	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_SUBMIT, &sub), 0);
	qd.handle = qc.handle;
	igt_assert_eq(drmIoctl(f, DRM_IOCTL_NEURON_QUEUE_DESTROY, &qd), 0);
	if (host) {
		void *w;

		w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, f, info.mmap_offset);
		igt_assert(w == MAP_FAILED && errno == EACCES);
		w = mmap(NULL, size, PROT_READ, MAP_SHARED, f, info.mmap_offset);
		igt_assert(w != MAP_FAILED);
		igt_assert_eq(mprotect(w, size, PROT_READ | PROT_WRITE), -1);
		igt_assert_eq(errno, EACCES);
		munmap(w, size);
	}
	igt_neuron_bo_wait(f, own.h);
	igt_neuron_hbo_free(f, &own);
}

igt_main
{
	igt_fixture {
		fd = igt_neuron_open_first(&node);
	}

	igt_describe("A host BO exported as a dma-buf maps through the dma-buf fd with the "
		     "same contents as the GEM mapping, both ways; fdinfo counts it as shared.");
	igt_subtest("export-mmap") {
		struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, 3 * 4096);
		uint8_t *p, ref[3 * 4096];
		uint64_t shared = 0;
		int dmabuf;

		igt_neuron_random_fill(h.p, h.size, 1);
		igt_assert_eq(prime_export(fd, h.h, &dmabuf), 0);
		igt_assert_eq(lseek(dmabuf, 0, SEEK_END), (off_t)h.size);
		p = mmap(NULL, h.size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
		igt_assert(p != MAP_FAILED);
		cpu_sync(dmabuf, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
		igt_neuron_assert_same(p, h.p, h.size, "dma-buf view");
		igt_neuron_random_fill(ref, sizeof(ref), 2);
		memcpy(p, ref, sizeof(ref));
		cpu_sync(dmabuf, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
		igt_neuron_assert_same(h.p, ref, h.size, "GEM view of dma-buf writes");
		/* The device sees it too. */
		{
			struct igt_neuron_hbo d = igt_neuron_hbo_new(fd, h.size);

			igt_neuron_copy(fd, d.h, 0, h.h, 0, h.size, 0);
			igt_neuron_bo_wait(fd, d.h);
			igt_neuron_assert_same(d.p, ref, h.size, "DMA of an exported BO");
			igt_neuron_hbo_free(fd, &d);
		}
		igt_assert(igt_neuron_fdinfo_bytes(fd, "drm-shared-memory", &shared));
		igt_assert_eq_u64(shared, h.size);
		munmap(p, h.size);
		close(dmabuf);
		igt_neuron_hbo_free(fd, &h);
	}

	igt_describe("A device BO exports for Neuron Pipe peers only: its dma-buf cannot be "
		     "mmap'ed, importing it on its own device gives the same handle, and "
		     "another driver (vgem) cannot attach to it (EOPNOTSUPP).");
	igt_subtest("export-device-foreign") {
		uint32_t d = igt_neuron_bo_create(fd, DEV, 4096), h = 0, vh = 0;
		int dmabuf = -1, v, ret;

		igt_assert_eq(prime_export(fd, d, &dmabuf), 0);
		igt_assert(mmap(NULL, 4096, PROT_READ, MAP_SHARED, dmabuf, 0) == MAP_FAILED);
		igt_assert_eq(prime_import(fd, dmabuf, &h), 0);
		igt_assert_eq_u32(h, d);
		v = vgem_open();
		ret = prime_import(v, dmabuf, &vh);
		igt_assert_f(ret == -EOPNOTSUPP, "vgem import of a device BO: %d\n", ret);
		close(v);
		close(dmabuf);
		igt_neuron_bo_close(fd, d);
	}

	igt_describe("Export errors: unknown handle (ENOENT), unknown flags (EINVAL); import "
		     "errors: a closed fd (EBADF), a file that is not a dma-buf (EINVAL).");
	igt_subtest_with_dynamic("prime-invalid") {
		int dmabuf, mfd;
		uint32_t h;

		igt_dynamic("export-unknown-handle")
			igt_assert_eq(prime_export(fd, 0x7ffffff0, &dmabuf), -ENOENT);
		igt_dynamic("export-bad-flags") {
			h = igt_neuron_bo_create(fd, HOST, 4096);
			igt_assert(drmPrimeHandleToFD(fd, h, 0x1234, &dmabuf) != 0);
			igt_assert_eq(errno, EINVAL);
			igt_neuron_bo_close(fd, h);
		}
		igt_dynamic("import-bad-fd")
			igt_assert_eq(prime_import(fd, -1, &h), -EBADF);
		igt_dynamic("import-not-dmabuf") {
			mfd = memfd_create("not-a-dmabuf", MFD_CLOEXEC);
			igt_assert_fd(mfd);
			igt_assert_eq(ftruncate(mfd, 4096), 0);
			igt_assert_eq(prime_import(fd, mfd, &h), -EINVAL);
			close(mfd);
		}
	}

	igt_describe("Importing our own export on the same fd gives back the same handle "
		     "(same GEM object), not an imported BO.");
	igt_subtest("self-import") {
		struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, 8192);
		struct drm_neuron_bo_info info;
		uint32_t again;
		int dmabuf;

		igt_assert_eq(prime_export(fd, h.h, &dmabuf), 0);
		igt_assert_eq(prime_import(fd, dmabuf, &again), 0);
		igt_assert_eq_u32(again, h.h);
		igt_neuron_bo_info(fd, again, &info);
		igt_assert_eq_u32(info.flags & DRM_NEURON_BO_IMPORTED, 0);
		close(dmabuf);
		igt_neuron_hbo_free(fd, &h);
	}

	igt_describe("Another client of the same device imports the export: a handle of its "
		     "own to the same memory (not flagged imported), usable for DMA; the BO "
		     "outlives the exporter's handle and the dma-buf fd.");
	igt_subtest("import-other-client") {
		int g = igt_neuron_open(node.minor), dmabuf;
		struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, 65536), src = igt_neuron_hbo_new(g, 65536);
		struct drm_neuron_bo_info info;
		uint32_t imp;
		uint8_t *p;

		igt_assert_eq(prime_export(fd, h.h, &dmabuf), 0);
		igt_assert_eq(prime_import(g, dmabuf, &imp), 0);
		igt_neuron_bo_info(g, imp, &info);
		igt_assert_eq_u64(info.size, 65536);
		igt_assert_eq_u32(info.domain, HOST);
		igt_assert_eq_u32(info.flags & DRM_NEURON_BO_IMPORTED, 0);
		igt_neuron_random_fill(src.p, 65536, 3);
		igt_neuron_copy(g, imp, 0, src.h, 0, 65536, 0);
		igt_neuron_bo_wait(g, imp);
		igt_neuron_assert_same(h.p, src.p, 65536, "exporter's view of the importer's DMA");
		/* Exporter lets go of everything: the importer's BO stays. */
		close(dmabuf);
		igt_neuron_hbo_free(fd, &h);
		p = igt_neuron_bo_mmap(g, imp, 65536);
		igt_neuron_assert_same(p, src.p, 65536, "importer's view after the exporter closed");
		munmap(p, 65536);
		igt_neuron_bo_close(g, imp);
		igt_neuron_hbo_free(g, &src);
		close(g);
	}

	igt_describe("A host BO of one device imported on another device is flagged imported "
		     "and is a DMA source and target there; both CPU views agree.");
	igt_subtest("import-cross-device") {
		struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
		int n = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES), g, dmabuf;
		struct drm_neuron_bo_info info;
		struct igt_neuron_hbo h, src, back;
		uint32_t imp, dev;

		igt_require_f(n >= 2, "needs two devices\n");
		g = igt_neuron_open(nodes[1].minor);
		h = igt_neuron_hbo_new(fd, 65536 * 2);
		src = igt_neuron_hbo_new(g, 65536 * 2);
		back = igt_neuron_hbo_new(g, 65536 * 2);
		igt_assert_eq(prime_export(fd, h.h, &dmabuf), 0);
		igt_assert_eq(prime_import(g, dmabuf, &imp), 0);
		igt_neuron_bo_info(g, imp, &info);
		igt_assert_f(info.flags & DRM_NEURON_BO_IMPORTED, "flags %#x\n", info.flags);
		igt_assert_eq_u64(info.size, h.size);
		dev = igt_neuron_bo_create(g, DEV, h.size);
		igt_neuron_random_fill(src.p, src.size, 4);
		igt_neuron_copy(g, dev, 0, src.h, 0, src.size, 0);
		igt_neuron_copy(g, imp, 1, dev, 0, src.size - 1, 0);
		igt_neuron_bo_wait(g, imp);
		igt_neuron_assert_same(h.p + 1, src.p, src.size - 1, "device 0's view of device 1's DMA");
		igt_neuron_random_fill(h.p, h.size, 5);
		igt_neuron_copy(g, back.h, 0, imp, 0, h.size, 0);
		igt_neuron_bo_wait(g, back.h);
		igt_neuron_assert_same(back.p, h.p, h.size, "device 1's DMA of device 0's BO");
		igt_neuron_bo_close(g, dev);
		igt_neuron_bo_close(g, imp);
		close(dmabuf);
		igt_neuron_hbo_free(g, &src);
		igt_neuron_hbo_free(g, &back);
		igt_neuron_hbo_free(fd, &h);
		close(g);
	}

	igt_describe("Import a udmabuf (memfd): our DMA reads what the CPU wrote into the "
		     "memfd and writes what the memfd then shows.");
	igt_subtest("import-udmabuf") {
		struct ext e = ext_udmabuf(EXT_SIZE);

		check_import(&e);
		ext_free(&e);
	}

	igt_describe("Import a buffer of the system dma-heap: data checked through the "
		     "dma-buf's CPU mapping on both sides of our DMA.");
	igt_subtest("import-dma-heap") {
		struct ext e = ext_heap(EXT_SIZE);

		check_import(&e);
		ext_free(&e);
	}

	igt_describe("Import a vgem dumb buffer: data checked through vgem's own CPU mapping "
		     "on both sides of our DMA.");
	igt_subtest("import-vgem") {
		struct ext e = ext_vgem(EXT_SIZE);

		check_import(&e);
		ext_free(&e);
	}

	igt_describe("An imported BO keeps the memory alive after the dma-buf fd and the "
		     "exporter's handle are closed.");
	igt_subtest("import-lifetime") {
		struct ext e = ext_vgem(EXT_SIZE);
		struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, EXT_SIZE);
		uint8_t *ref = malloc(EXT_SIZE);
		uint32_t imp;

		igt_neuron_random_fill(ref, EXT_SIZE, 6);
		memcpy(e.cpu, ref, EXT_SIZE);
		igt_assert_eq(prime_import(fd, e.dmabuf, &imp), 0);
		munmap(e.cpu, EXT_SIZE);
		close(e.dmabuf);
		{
			struct drm_gem_close c = { .handle = e.vgem_handle };

			igt_assert_eq(drmIoctl(e.aux, DRM_IOCTL_GEM_CLOSE, &c), 0);
		}
		close(e.aux);
		igt_neuron_copy(fd, h.h, 0, imp, 0, EXT_SIZE, 0);
		igt_neuron_bo_wait(fd, h.h);
		igt_neuron_assert_same(h.p, ref, EXT_SIZE, "imported BO after the exporter closed");
		igt_neuron_bo_close(fd, imp);
		igt_neuron_hbo_free(fd, &h);
		free(ref);
	}

	igt_describe("Implicit sync out: a pending copy into (and out of) exported BOs is "
		     "visible to poll() on the dma-bufs and to an exported sync_file, which "
		     "signal only once the copy has completed.");
	igt_subtest("implicit-sync-export") {
		struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, 65536), dst = igt_neuron_hbo_new(fd, 65536);
		struct drm_neuron_copy c = {
			.src_handle = src.h, .dst_handle = dst.h, .size = 65536, .nc = 0,
		};
		int dsrc, ddst, sf_w, sf_r;

		igt_neuron_node_emu(&node);
		igt_neuron_random_fill(src.p, 65536, 7);
		memset(dst.p, CANARY, 65536);
		igt_assert_eq(prime_export(fd, src.h, &dsrc), 0);
		igt_assert_eq(prime_export(fd, dst.h, &ddst), 0);
		/* Idle buffers poll ready at once. */
		igt_assert(poll_fd(ddst, POLLIN | POLLOUT, 0) & POLLOUT);
		stall(0);
		igt_assert_eq(__igt_neuron_copy(fd, &c), 0);
		/* dst is being written: readers and writers must wait. */
		igt_assert_eq(poll_fd(ddst, POLLIN, 0), 0);
		igt_assert_eq(poll_fd(ddst, POLLOUT, 0), 0);
		/* src is being read: readers may go, writers must wait. */
		igt_assert(poll_fd(dsrc, POLLIN, 0) & POLLIN);
		igt_assert_eq(poll_fd(dsrc, POLLOUT, 0), 0);
		sf_w = export_sync_file(ddst, DMA_BUF_SYNC_READ);
		sf_r = export_sync_file(dsrc, DMA_BUF_SYNC_WRITE);
		igt_assert_eq(sync_file_status(sf_w), 0);
		igt_assert_eq(sync_file_status(sf_r), 0);
		usleep(STALL_US / 3);
		igt_assert_eq(poll_fd(ddst, POLLIN, 0), 0);
		unstall();
		igt_assert(poll_fd(ddst, POLLIN, 10000) & POLLIN);
		igt_assert(poll_fd(dsrc, POLLOUT, 10000) & POLLOUT);
		igt_assert(poll_fd(sf_w, POLLIN, 10000) & POLLIN);
		igt_assert_eq(sync_file_status(sf_w), 1);
		igt_assert_eq(sync_file_status(sf_r), 1);
		igt_neuron_assert_same(dst.p, src.p, 65536, "copied data");
		close(sf_w);
		close(sf_r);
		close(dsrc);
		close(ddst);
		igt_neuron_hbo_free(fd, &src);
		igt_neuron_hbo_free(fd, &dst);
	}

	igt_describe("Implicit sync in: a copy reading an imported vgem buffer waits for "
		     "vgem's pending write fence, and a copy writing it waits for a pending "
		     "read fence; neither touches the data before the fence is signalled.");
	igt_subtest_with_dynamic("implicit-sync-vgem") {
		for (int write = 0; write < 2; write++)
			igt_dynamic(write ? "write-waits-for-reader" : "read-waits-for-writer") {
				struct ext e = ext_vgem(EXT_SIZE);
				struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, EXT_SIZE);
				uint8_t *ref = malloc(EXT_SIZE);
				uint32_t imp, fence, s;

				igt_assert_eq(drmSyncobjCreate(fd, 0, &s), 0);
				igt_neuron_random_fill(ref, EXT_SIZE, 8 + write);
				memcpy(write ? h.p : e.cpu, ref, EXT_SIZE);
				memset(write ? e.cpu : h.p, CANARY, EXT_SIZE);
				igt_assert_eq(prime_import(fd, e.dmabuf, &imp), 0);
				fence = vgem_fence(&e, !write);
				if (write)
					igt_neuron_copy(fd, imp, 0, h.h, 0, EXT_SIZE, s);
				else
					igt_neuron_copy(fd, h.h, 0, imp, 0, EXT_SIZE, s);
				usleep(STALL_US);
				igt_assert(drmSyncobjWait(fd, &s, 1, 0, 0, NULL) != 0);
				for (uint64_t i = 0; i < EXT_SIZE; i++)
					igt_assert_f((write ? e.cpu : h.p)[i] == CANARY,
						     "byte %" PRIu64 " written before the fence\n", i);
				vgem_signal(&e, fence);
				igt_assert_eq(drmSyncobjWait(fd, &s, 1, INT64_MAX, 0, NULL), 0);
				igt_neuron_bo_wait(fd, imp);
				igt_neuron_assert_same(write ? e.cpu : h.p, ref, EXT_SIZE, "after the fence");
				drmSyncobjDestroy(fd, s);
				igt_neuron_bo_close(fd, imp);
				igt_neuron_hbo_free(fd, &h);
				ext_free(&e);
				free(ref);
			}
	}

	igt_describe("A host BO exported without DRM_RDWR and imported by another client of "
		     "the same device is a new, read-only BO: no COPY, FILL, SUBMIT or program "
		     "may write it (EACCES), mmap() is read-only, it is still a DMA source, and "
		     "the exporter's bytes never change.");
	igt_subtest("read-only-other-client") {
		int g = igt_neuron_open(node.minor), dmabuf;
		struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, 65536), dst = igt_neuron_hbo_new(g, 65536);
		uint8_t *ref = malloc(65536);
		uint32_t imp;

		igt_assert(ref);
		igt_neuron_random_fill(h.p, 65536, 41);
		memcpy(ref, h.p, 65536);
		igt_assert_eq(prime_export_ro(fd, h.h, &dmabuf), 0);
		igt_assert_eq(prime_import(g, dmabuf, &imp), 0);
		igt_assert_neq_u32(imp, 0);
		assert_read_only(g, imp, 65536, true);
		igt_neuron_copy(g, dst.h, 0, imp, 0, 65536, 0);
		igt_neuron_bo_wait(g, dst.h);
		igt_neuron_assert_same(dst.p, ref, 65536, "read through the read-only import");
		igt_neuron_assert_same(h.p, ref, 65536, "exporter's bytes");
		close(dmabuf);
		igt_neuron_bo_close(g, imp);
		igt_neuron_hbo_free(g, &dst);
		igt_neuron_hbo_free(fd, &h);
		free(ref);
		close(g);
	}

	igt_describe("Importing one's own read-only export on the same fd gives back one's own "
		     "(writable) handle: the importer already owns the BO.");
	igt_subtest("read-only-self-import") {
		struct igt_neuron_hbo h = igt_neuron_hbo_new(fd, 8192);
		struct drm_neuron_bo_info info;
		uint32_t again;
		int dmabuf;

		igt_assert_eq(prime_export_ro(fd, h.h, &dmabuf), 0);
		igt_assert_eq(prime_import(fd, dmabuf, &again), 0);
		igt_assert_eq_u32(again, h.h);
		igt_neuron_bo_info(fd, again, &info);
		igt_assert_eq_u32(info.flags & (DRM_NEURON_BO_READ_ONLY | DRM_NEURON_BO_IMPORTED), 0);
		igt_neuron_fill(fd, h.h, 0, 8192, 0x3c, 0);
		igt_neuron_bo_wait(fd, h.h);
		igt_neuron_assert_bytes(h.p, 0, 8192, 0x3c, "own BO after the self-import");
		close(dmabuf);
		igt_neuron_hbo_free(fd, &h);
	}

	igt_describe("A device BO exported without DRM_RDWR and imported by another client of "
		     "the same device is a read-only view: DMA may read it, never write it.");
	igt_subtest("read-only-device-bo") {
		int g = igt_neuron_open(node.minor), dmabuf;
		uint32_t dev = igt_neuron_bo_create(fd, DEV, 65536), imp;
		struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, 65536), out = igt_neuron_hbo_new(g, 65536);
		struct drm_neuron_bo_info info;

		igt_neuron_random_fill(src.p, 65536, 42);
		igt_neuron_copy(fd, dev, 0, src.h, 0, 65536, 0);
		igt_neuron_bo_wait(fd, dev);
		igt_assert_eq(prime_export_ro(fd, dev, &dmabuf), 0);
		igt_assert_eq(prime_import(g, dmabuf, &imp), 0);
		igt_neuron_bo_info(g, imp, &info);
		igt_assert_eq_u32(info.domain, DEV);
		igt_assert_eq_u32(info.flags & DRM_NEURON_BO_PEER, 0);
		assert_read_only(g, imp, 65536, false);
		igt_neuron_copy(g, out.h, 0, imp, 0, 65536, 0);
		igt_neuron_bo_wait(g, out.h);
		igt_neuron_assert_same(out.p, src.p, 65536, "read through the read-only view");
		/* The exporter's own handle is still writable. */
		igt_neuron_fill(fd, dev, 0, 65536, 0x77, 0);
		igt_neuron_copy(g, out.h, 0, imp, 0, 65536, 0);
		igt_neuron_bo_wait(g, out.h);
		igt_neuron_assert_bytes(out.p, 0, 65536, 0x77, "view after the exporter's fill");
		close(dmabuf);
		igt_neuron_bo_close(g, imp);
		igt_neuron_bo_close(fd, dev);
		igt_neuron_hbo_free(fd, &src);
		igt_neuron_hbo_free(g, &out);
		close(g);
	}

	igt_describe("One file holding two handles of one device BO's memory (a read-only "
		     "import and the BO itself, by flink name): COPY between them works (one "
		     "reservation, locked once; was EALREADY), SUBMIT naming both fails with "
		     "EINVAL like a BO named twice.");
	igt_subtest("shared-reservation") {
		int g = igt_neuron_open(node.minor), dmabuf;
		uint32_t dev = igt_neuron_bo_create(fd, DEV, 65536), view, same;
		struct igt_neuron_hbo src = igt_neuron_hbo_new(g, 65536), out = igt_neuron_hbo_new(g, 65536);
		struct drm_gem_flink fl = { .handle = dev };
		struct drm_gem_open op = {};
		struct drm_neuron_copy c = { .size = 4096, .src_offset = 0, .dst_offset = 8192 };
		uint32_t bos[2];
		struct drm_neuron_desc tx = { .bo_index = 0, .length = 256,
					      .flags = DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST };
		struct drm_neuron_desc rx = { .bo_index = 1, .offset = 4096, .length = 256 };
		struct drm_neuron_queue_create qc = {};
		struct drm_neuron_submit sub = {
			.bo_handles = (uintptr_t)bos, .bo_count = 2, .tx = (uintptr_t)&tx,
			.tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1 };

		igt_assert_eq(prime_export_ro(fd, dev, &dmabuf), 0);
		igt_assert_eq(prime_import(g, dmabuf, &view), 0);
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GEM_FLINK, &fl), 0);
		op.name = fl.name;
		igt_assert_eq(drmIoctl(g, DRM_IOCTL_GEM_OPEN, &op), 0);
		same = op.handle;
		igt_assert_neq_u32(same, view);
		igt_neuron_random_fill(src.p, 65536, 44);
		igt_neuron_copy(g, same, 0, src.h, 0, 65536, 0);
		c.src_handle = view;
		c.dst_handle = same;
		igt_assert_eq(__igt_neuron_copy(g, &c), 0);
		igt_neuron_copy(g, out.h, 0, same, 0, 65536, 0);
		igt_neuron_bo_wait(g, out.h);
		igt_neuron_assert_same(out.p + 8192, src.p, 4096, "copy view -> BO");
		igt_neuron_assert_same(out.p, src.p, 8192, "bytes before the copy's target");
		bos[0] = view;
		bos[1] = same;
		igt_assert_eq(drmIoctl(g, DRM_IOCTL_NEURON_QUEUE_CREATE, &qc), 0);
		sub.queue = qc.handle;
		igt_assert_eq(drmIoctl(g, DRM_IOCTL_NEURON_SUBMIT, &sub) ? -errno : 0, -EINVAL);
		close(dmabuf);
		igt_neuron_hbo_free(g, &src);
		igt_neuron_hbo_free(g, &out);
		close(g);
		igt_neuron_bo_close(fd, dev);
	}

	igt_describe("Foreign dma-bufs: a dma-heap buffer allocated O_RDONLY imports read-only "
		     "(EACCES for every DMA write, its bytes unchanged); a udmabuf, always "
		     "O_RDWR, imports writable and takes a COPY.");
	igt_subtest("read-only-foreign") {
		struct dma_heap_allocation_data d = { .len = 65536, .fd_flags = O_CLOEXEC };
		struct ext u = ext_udmabuf(65536);
		struct igt_neuron_hbo src = igt_neuron_hbo_new(fd, 65536);
		struct drm_neuron_bo_info info;
		uint32_t imp;
		int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
		uint8_t *view;

		igt_require_f(heap >= 0, "no /dev/dma_heap/system: %s\n", strerror(errno));
		igt_assert_eq(drmIoctl(heap, DMA_HEAP_IOCTL_ALLOC, &d), 0);
		close(heap);
		view = mmap(NULL, 65536, PROT_READ, MAP_SHARED, d.fd, 0);
		igt_assert(view != MAP_FAILED);
		igt_assert_eq(prime_import(fd, d.fd, &imp), 0);
		assert_read_only(fd, imp, 65536, true);
		igt_neuron_assert_bytes(view, 0, 65536, 0, "read-only heap buffer");
		munmap(view, 65536);
		igt_neuron_bo_close(fd, imp);
		close(d.fd);

		igt_assert_eq(prime_import(fd, u.dmabuf, &imp), 0);
		igt_neuron_bo_info(fd, imp, &info);
		igt_assert_eq_u32(info.flags & DRM_NEURON_BO_READ_ONLY, 0);
		igt_neuron_random_fill(src.p, 65536, 43);
		igt_neuron_copy(fd, imp, 0, src.h, 0, 65536, 0);
		igt_neuron_bo_wait(fd, imp);
		igt_neuron_assert_same(u.cpu, src.p, 65536, "udmabuf after COPY");
		igt_neuron_bo_close(fd, imp);
		igt_neuron_hbo_free(fd, &src);
		ext_free(&u);
	}

	igt_fixture {
		igt_neuron_node_clear_faults(&node);
		close(fd);
	}
}
