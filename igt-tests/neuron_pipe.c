// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Neuron Pipe transfers: a device BO exported by one device and imported
 * by a neighbour becomes a peer BO there (BO_INFO flags, the owner's DRAM
 * address), and the neighbour's COPY, FILL and SUBMIT move data to and
 * from it over the link, both ways, with the data checked on the owner
 * and the emulator's counters showing the bytes crossed the link and not
 * host memory.  Jobs on the two devices order through the shared
 * reservation.  A device that is not a neighbour cannot import (EXDEV).
 * Works with any topology: link subtests run once per link (dynamic
 * subtests "accelA-from-accelB"), and skip when there is none.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"

IGT_TEST_DESCRIPTION("Neuron Pipe: device BOs shared with neighbours, transfers over the links.");

#define DEV DRM_NEURON_BO_DOMAIN_DEVICE
#define SIZE (1u << 20)

static struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
static struct drm_neuron_device_info info[IGT_NEURON_MAX_NODES];
static int fds[IGT_NEURON_MAX_NODES];
static int num_nodes;

/* A link as the importer sees it: owner's BOs reach importer over it. */
struct link {
	int imp, own;
	bool west;
};

static struct link links[2 * IGT_NEURON_MAX_NODES];
static int num_links;

static int node_of_index(uint32_t index)
{
	for (int i = 0; i < num_nodes; i++)
		if (info[i].device_index == index)
			return i;
	return -1;
}

/*
 * Every (importer, owner) pair of neighbours, once: where both links lead
 * to the same device (two devices in pairs), the import takes east.
 */
static void find_links(void)
{
	num_links = 0;
	for (int i = 0; i < num_nodes; i++) {
		int e = info[i].east_neighbour == DRM_NEURON_NO_NEIGHBOUR ? -1 :
			node_of_index(info[i].east_neighbour);
		int w = info[i].west_neighbour == DRM_NEURON_NO_NEIGHBOUR ? -1 :
			node_of_index(info[i].west_neighbour);

		if (e >= 0)
			links[num_links++] = (struct link){ .imp = i, .own = e, .west = false };
		if (w >= 0 && w != e)
			links[num_links++] = (struct link){ .imp = i, .own = w, .west = true };
	}
}

static bool neighbours(int a, int b)
{
	for (int i = 0; i < num_links; i++)
		if (links[i].imp == a && links[i].own == b)
			return true;
	return false;
}

static int __import(int to, int dmabuf, uint32_t *h)
{
	return drmPrimeFDToHandle(fds[to], dmabuf, h) ? -errno : 0;
}

/* A device BO of the owner and its peer on the importer. */
struct shared {
	uint32_t own_h, peer_h;
	uint64_t size;
};

static struct shared share(const struct link *l, uint64_t size)
{
	struct shared s = { .size = size };
	int dmabuf;

	s.own_h = igt_neuron_bo_create(fds[l->own], DEV, size);
	igt_assert_eq(drmPrimeHandleToFD(fds[l->own], s.own_h, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf), 0);
	igt_assert_eq(__import(l->imp, dmabuf, &s.peer_h), 0);
	close(dmabuf);
	return s;
}

static void unshare_bo(const struct link *l, struct shared *s)
{
	igt_neuron_bo_close(fds[l->imp], s->peer_h);
	igt_neuron_bo_close(fds[l->own], s->own_h);
}

/* What the owner's device BO holds, copied out through the owner's own DMA. */
static void read_on_owner(const struct link *l, struct shared *s, struct igt_neuron_hbo *out)
{
	igt_neuron_copy(fds[l->own], out->h, 0, s->own_h, 0, s->size, 0);
	igt_neuron_bo_wait(fds[l->own], out->h);
}

static uint64_t counter(int n, const char *name)
{
	return igt_neuron_emu_counter(nodes[n].emu_dev, name);
}

static void reset_counters(const struct link *l)
{
	igt_neuron_emu_reset_counters(nodes[l->imp].emu_dev);
	igt_neuron_emu_reset_counters(nodes[l->own].emu_dev);
}

/*
 * The importer moved exactly `bytes` over the link, the owner saw them
 * arrive, and host memory carried only descriptors and completion records.
 */
static void check_link_traffic(const struct link *l, uint64_t bytes)
{
	uint64_t host = counter(l->imp, "host_bytes");

	igt_assert_eq_u64(counter(l->imp, "pipe_out_bytes"), bytes);
	igt_assert_eq_u64(counter(l->own, "pipe_in_bytes"), bytes);
	igt_assert_f(host < bytes / 64, "%" PRIu64 " host bytes for %" PRIu64 " link bytes\n",
		     host, bytes);
	igt_assert_eq_u64(counter(l->own, "dma_bytes"), 0);
}

#define for_each_link(l) \
	for (const struct link *l = links; l < links + num_links; l++) \
		igt_dynamic_f("accel%d-from-accel%d", nodes[l->imp].minor, nodes[l->own].minor)

static void require_links(void)
{
	igt_require_f(num_links > 0, "no two devices are neighbours\n");
}

/* Data the importer's own device BO gets, from a host BO of its own. */
static uint32_t local_device_bo(int n, const struct igt_neuron_hbo *src)
{
	uint32_t d = igt_neuron_bo_create(fds[n], DEV, src->size);

	igt_neuron_copy(fds[n], d, 0, src->h, 0, src->size, 0);
	igt_neuron_bo_wait(fds[n], d);
	return d;
}

static void copy_to_owner(const struct link *l)
{
	struct shared s = share(l, SIZE);
	struct igt_neuron_hbo src = igt_neuron_hbo_new(fds[l->imp], SIZE);
	struct igt_neuron_hbo out = igt_neuron_hbo_new(fds[l->own], SIZE);
	uint32_t local;

	igt_neuron_random_fill(src.p, SIZE, l->imp * 16 + l->own);
	local = local_device_bo(l->imp, &src);
	reset_counters(l);
	/* Importer's DRAM -> owner's DRAM, on the importer's engines. */
	igt_neuron_copy(fds[l->imp], s.peer_h, 0, local, 0, SIZE, 0);
	igt_neuron_bo_wait(fds[l->imp], s.peer_h);
	check_link_traffic(l, SIZE);
	read_on_owner(l, &s, &out);
	igt_neuron_assert_same(out.p, src.p, SIZE, "owner's BO");
	igt_neuron_bo_close(fds[l->imp], local);
	igt_neuron_hbo_free(fds[l->imp], &src);
	igt_neuron_hbo_free(fds[l->own], &out);
	unshare_bo(l, &s);
}

static void copy_from_owner(const struct link *l)
{
	struct shared s = share(l, SIZE);
	struct igt_neuron_hbo src = igt_neuron_hbo_new(fds[l->own], SIZE);
	struct igt_neuron_hbo out = igt_neuron_hbo_new(fds[l->imp], SIZE);
	uint32_t local = igt_neuron_bo_create(fds[l->imp], DEV, SIZE);

	igt_neuron_random_fill(src.p, SIZE, l->own * 16 + l->imp + 7);
	igt_neuron_copy(fds[l->own], s.own_h, 0, src.h, 0, SIZE, 0);
	igt_neuron_bo_wait(fds[l->own], s.own_h);
	igt_neuron_bo_wait(fds[l->imp], local);
	reset_counters(l);
	/* Owner's DRAM -> importer's DRAM, read over the link. */
	igt_neuron_copy(fds[l->imp], local, 0, s.peer_h, 0, SIZE, 0);
	igt_neuron_bo_wait(fds[l->imp], local);
	check_link_traffic(l, SIZE);
	igt_neuron_copy(fds[l->imp], out.h, 0, local, 0, SIZE, 0);
	igt_neuron_bo_wait(fds[l->imp], out.h);
	igt_neuron_assert_same(out.p, src.p, SIZE, "importer's copy");
	igt_neuron_bo_close(fds[l->imp], local);
	igt_neuron_hbo_free(fds[l->own], &src);
	igt_neuron_hbo_free(fds[l->imp], &out);
	unshare_bo(l, &s);
}

static void peer_info(const struct link *l)
{
	struct drm_neuron_bo_info own, peer;
	struct shared s = share(l, 3 * 4096 + 256);
	uint32_t again;
	int dmabuf;

	igt_neuron_bo_info(fds[l->own], s.own_h, &own);
	igt_neuron_bo_info(fds[l->imp], s.peer_h, &peer);
	igt_assert_eq_u32(peer.domain, DEV);
	igt_assert_eq_u32(peer.flags, DRM_NEURON_BO_IMPORTED | DRM_NEURON_BO_PEER |
			  (l->west ? DRM_NEURON_BO_PEER_WEST : 0));
	igt_assert_eq_u64(peer.size, own.size);
	igt_assert_eq_u64(peer.dram_address, own.dram_address);
	igt_assert_eq_u64(peer.mmap_offset, 0);
	igt_assert_eq_u32(own.flags, 0);
	/* The same dma-buf imported again: the same handle. */
	igt_assert_eq(drmPrimeHandleToFD(fds[l->own], s.own_h, DRM_CLOEXEC, &dmabuf), 0);
	igt_assert_eq(__import(l->imp, dmabuf, &again), 0);
	igt_assert_eq_u32(again, s.peer_h);
	close(dmabuf);
	unshare_bo(l, &s);
}

/* FILL of a peer range: the owner sees the value there and nothing else. */
static void fill_peer(const struct link *l)
{
	struct shared s = share(l, 64 * 1024);
	struct igt_neuron_hbo out = igt_neuron_hbo_new(fds[l->own], 64 * 1024);

	/* The owner's clear of the BO orders first (implicit sync). */
	reset_counters(l);
	igt_neuron_fill(fds[l->imp], s.peer_h, 4096, 8192, 0xa5, 0);
	igt_neuron_bo_wait(fds[l->imp], s.peer_h);
	igt_assert_eq_u64(counter(l->imp, "pipe_out_bytes"), 8192);
	read_on_owner(l, &s, &out);
	igt_neuron_assert_bytes(out.p, 0, 4096, 0, "before the fill");
	igt_neuron_assert_bytes(out.p, 4096, 4096 + 8192, 0xa5, "the fill");
	igt_neuron_assert_bytes(out.p, 4096 + 8192, out.size, 0, "after the fill");
	igt_neuron_hbo_free(fds[l->own], &out);
	unshare_bo(l, &s);
}

/* SUBMIT on the importer: a host BO gathered into the peer, one packet. */
static void submit_peer(const struct link *l)
{
	struct shared s = share(l, 8192);
	struct igt_neuron_hbo src = igt_neuron_hbo_new(fds[l->imp], 8192);
	struct igt_neuron_hbo out = igt_neuron_hbo_new(fds[l->own], 8192);
	struct drm_neuron_queue_create qc = { .nc = 1, .engine = 2, .queue = 1 };
	uint32_t bos[2] = { src.h, s.peer_h };
	struct drm_neuron_desc tx[2] = {
		{ .bo_index = 0, .offset = 4096, .length = 4096, .flags = DRM_NEURON_DESC_FIRST },
		{ .bo_index = 0, .offset = 0, .length = 4096, .flags = DRM_NEURON_DESC_LAST },
	};
	struct drm_neuron_desc rx = { .bo_index = 1, .offset = 0, .length = 8192 };
	struct drm_neuron_submit sub = {
		.bo_handles = (uintptr_t)bos, .bo_count = 2, .tx = (uintptr_t)tx,
		.tx_count = 2, .rx = (uintptr_t)&rx, .rx_count = 1,
	};

	igt_neuron_random_fill(src.p, src.size, 99);
	igt_assert_eq(drmIoctl(fds[l->imp], DRM_IOCTL_NEURON_QUEUE_CREATE, &qc), 0);
	sub.queue = qc.handle;
	reset_counters(l);
	igt_assert_eq(drmIoctl(fds[l->imp], DRM_IOCTL_NEURON_SUBMIT, &sub), 0);
	igt_neuron_bo_wait(fds[l->imp], s.peer_h);
	igt_assert_eq_u64(counter(l->imp, "pipe_out_bytes"), 8192);
	read_on_owner(l, &s, &out);
	igt_neuron_assert_same(out.p, src.p + 4096, 4096, "first half");
	igt_neuron_assert_same(out.p + 4096, src.p, 4096, "second half");
	igt_assert_eq(drmIoctl(fds[l->imp], DRM_IOCTL_NEURON_QUEUE_DESTROY,
			       &(struct drm_neuron_queue_destroy){ .handle = qc.handle }), 0);
	igt_neuron_hbo_free(fds[l->imp], &src);
	igt_neuron_hbo_free(fds[l->own], &out);
	unshare_bo(l, &s);
}

/*
 * The importer's write into the peer and the owner's read of its BO,
 * queued back to back with no wait between: the owner's job waits for the
 * importer's through the shared reservation.
 */
static void implicit_sync(const struct link *l)
{
	const uint64_t size = 8 * SIZE;
	struct shared s = share(l, size);
	struct igt_neuron_hbo src = igt_neuron_hbo_new(fds[l->imp], size);
	struct igt_neuron_hbo out = igt_neuron_hbo_new(fds[l->own], size);

	igt_neuron_random_fill(src.p, size, 4242);
	igt_neuron_copy(fds[l->imp], s.peer_h, 0, src.h, 0, size, 0);
	igt_neuron_copy(fds[l->own], out.h, 0, s.own_h, 0, size, 0);
	igt_neuron_bo_wait(fds[l->own], out.h);
	igt_neuron_assert_same(out.p, src.p, size, "owner's read after the importer's write");
	igt_neuron_hbo_free(fds[l->imp], &src);
	igt_neuron_hbo_free(fds[l->own], &out);
	unshare_bo(l, &s);
}

/*
 * The owner resets while the importer works on its own memory: the
 * importer's jobs are not disturbed; afterwards the owner is still the
 * importer's neighbour, its DRAM was cleared (facts: a reset clears DRAM),
 * and transfers over the link work again in both directions.
 */
static void owner_reset(const struct link *l)
{
	struct shared s = share(l, SIZE);
	struct igt_neuron_hbo src = igt_neuron_hbo_new(fds[l->imp], SIZE);
	struct igt_neuron_hbo back = igt_neuron_hbo_new(fds[l->imp], SIZE);
	struct igt_neuron_hbo out = igt_neuron_hbo_new(fds[l->own], SIZE);
	uint32_t local = igt_neuron_bo_create(fds[l->imp], DEV, SIZE);
	struct drm_neuron_device_info inf;
	int status;
	pid_t pid;

	igt_neuron_random_fill(src.p, SIZE, 31337);
	igt_neuron_copy(fds[l->imp], s.peer_h, 0, src.h, 0, SIZE, 0);
	igt_neuron_bo_wait(fds[l->imp], s.peer_h);

	pid = fork();
	igt_assert_lte(0, pid);
	if (pid == 0) {
		struct drm_neuron_reset r = {};

		_exit(drmIoctl(fds[l->own], DRM_IOCTL_NEURON_RESET, &r) ? 1 : 0);
	}
	/* Meanwhile the importer's own round trips go on and stay right. */
	for (int i = 0; i < 8; i++) {
		memset(back.p, 0, SIZE);
		igt_neuron_copy(fds[l->imp], local, 0, src.h, 0, SIZE, 0);
		igt_neuron_copy(fds[l->imp], back.h, 0, local, 0, SIZE, 0);
		igt_neuron_bo_wait(fds[l->imp], back.h);
		igt_neuron_assert_same(back.p, src.p, SIZE, "importer's round trip");
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0, "owner reset failed\n");

	igt_neuron_device_info(fds[l->imp], &inf);
	igt_assert_eq_u32(l->west ? inf.west_neighbour : inf.east_neighbour,
			  info[l->own].device_index);
	read_on_owner(l, &s, &out);
	igt_neuron_assert_bytes(out.p, 0, SIZE, 0, "owner's BO after its reset");

	igt_neuron_copy(fds[l->imp], s.peer_h, 0, src.h, 0, SIZE, 0);
	igt_neuron_bo_wait(fds[l->imp], s.peer_h);
	read_on_owner(l, &s, &out);
	igt_neuron_assert_same(out.p, src.p, SIZE, "owner's BO written again over the link");
	memset(back.p, 0, SIZE);
	igt_neuron_copy(fds[l->imp], back.h, 0, s.peer_h, 0, SIZE, 0);
	igt_neuron_bo_wait(fds[l->imp], back.h);
	igt_neuron_assert_same(back.p, src.p, SIZE, "read back over the link");

	igt_neuron_bo_close(fds[l->imp], local);
	igt_neuron_hbo_free(fds[l->imp], &src);
	igt_neuron_hbo_free(fds[l->imp], &back);
	igt_neuron_hbo_free(fds[l->own], &out);
	unshare_bo(l, &s);
}

igt_main
{
	igt_fixture {
		num_nodes = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);
		igt_require(num_nodes > 0);
		for (int i = 0; i < num_nodes; i++) {
			fds[i] = igt_neuron_open(nodes[i].minor);
			igt_neuron_device_info(fds[i], &info[i]);
		}
		find_links();
		igt_info("%d devices, %d links\n", num_nodes, num_links);
	}

	igt_describe("A neighbour's device BO imports as a peer BO: IMPORTED | PEER (and "
		     "PEER_WEST over the west link), the owner's size and DRAM address, no "
		     "mmap offset; importing again gives the same handle.");
	igt_subtest_with_dynamic("peer-info") {
		require_links();
		for_each_link(l)
			peer_info(l);
	}

	igt_describe("COPY on the importer from its own DRAM into the peer: the bytes cross "
		     "the link (pipe counters), not host memory, and land in the owner's BO.");
	igt_subtest_with_dynamic("copy-to-neighbour") {
		require_links();
		for_each_link(l)
			copy_to_owner(l);
	}

	igt_describe("COPY on the importer from the peer into its own DRAM: the owner's data "
		     "read over the link.");
	igt_subtest_with_dynamic("copy-from-neighbour") {
		require_links();
		for_each_link(l)
			copy_from_owner(l);
	}

	igt_describe("FILL of a range of the peer: the owner's BO has the value there and "
		     "its cleared zeros elsewhere.");
	igt_subtest_with_dynamic("fill-neighbour") {
		require_links();
		for_each_link(l)
			fill_peer(l);
	}

	igt_describe("SUBMIT descriptors naming the peer BO: a gathered packet lands in the "
		     "owner's DRAM over the link.");
	igt_subtest_with_dynamic("submit-neighbour") {
		require_links();
		for_each_link(l)
			submit_peer(l);
	}

	igt_describe("A write through the peer and the owner's read of the BO, queued with "
		     "no wait between: the read waits for the write (shared reservation).");
	igt_subtest_with_dynamic("implicit-sync") {
		require_links();
		for_each_link(l)
			implicit_sync(l);
	}

	igt_describe("The owner of a shared BO resets while its neighbour keeps working: "
		     "the neighbour's jobs stay right, the link and the peer BO work again "
		     "afterwards (the reset cleared the owner's DRAM).");
	igt_subtest_with_dynamic("owner-reset") {
		igt_require(getuid() == 0);
		require_links();
		for_each_link(l)
			owner_reset(l);
	}

	igt_describe("A device that is not a neighbour of the owner cannot import its device "
		     "BO (EXDEV) and gets no handle.");
	igt_subtest_with_dynamic("not-neighbour") {
		bool any = false;

		for (int own = 0; own < num_nodes; own++)
			for (int imp = 0; imp < num_nodes; imp++) {
				uint32_t d, h = 0;
				int dmabuf;

				if (own == imp || neighbours(imp, own))
					continue;
				any = true;
				igt_dynamic_f("accel%d-from-accel%d", nodes[imp].minor,
					      nodes[own].minor) {
					d = igt_neuron_bo_create(fds[own], DEV, 4096);
					igt_assert_eq(drmPrimeHandleToFD(fds[own], d, DRM_CLOEXEC,
									 &dmabuf), 0);
					igt_assert_eq(__import(imp, dmabuf, &h), -EXDEV);
					igt_assert_eq_u32(h, 0);
					close(dmabuf);
					igt_neuron_bo_close(fds[own], d);
				}
			}
		igt_require_f(any, "every pair of devices is linked\n");
	}

	igt_fixture {
		for (int i = 0; i < num_nodes; i++)
			close(fds[i]);
	}
}
