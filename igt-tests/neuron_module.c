// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The neuron driver authors
 *
 * Module and device lifetime: unload while a client holds a node, unbind
 * and rebind through sysfs with a node open, reload.  These disturb every
 * other test, so they live in their own binary, run last.  Each subtest
 * leaves the module loaded and every device bound.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_neuron.h"
#include "igt_neuron_v1.h"

IGT_TEST_DESCRIPTION("neuron.ko unload/reload and PCI unbind/rebind with clients.");

#define DRIVER_DIR "/sys/bus/pci/drivers/" NEURON_DRIVER_NAME
#define NODE_TIMEOUT_MS 60000

static struct igt_neuron_node nodes[IGT_NEURON_MAX_NODES];
static int num_nodes;		/* as found at start; must always come back */

static void write_sysfs(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));
	n = write(fd, val, strlen(val));
	igt_assert_f(n == (ssize_t)strlen(val), "write '%s' to %s: %s\n", val, path,
		     strerror(errno));
	close(fd);
}

static bool is_bound(const char *pci_addr)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), DRIVER_DIR "/%s", pci_addr);
	return lstat(path, &st) == 0;
}

/* Run rmmod(8) if the system has it: its exit status, or -1 without it. */
static int run_rmmod(void)
{
	const char *tool = access("/usr/sbin/rmmod", X_OK) == 0 ? "/usr/sbin/rmmod" :
			   access("/sbin/rmmod", X_OK) == 0 ? "/sbin/rmmod" : NULL;
	int status;
	pid_t pid;

	if (!tool)
		return -1;
	pid = fork();
	igt_assert_lte(0, pid);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDERR_FILENO);
		execl(tool, "rmmod", NEURON_DRIVER_NAME, (char *)NULL);
		_exit(127);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Two devices linked by a Neuron Pipe: the owner and its importer. */
static bool linked_pair(struct igt_neuron_node **own, struct igt_neuron_node **imp)
{
	struct drm_neuron_device_info own_info, info;
	int fd;

	for (int i = 0; i < num_nodes; i++) {
		fd = igt_neuron_open(nodes[i].minor);
		igt_neuron_device_info(fd, &own_info);
		close(fd);
		for (int j = 0; j < num_nodes; j++) {
			if (j == i)
				continue;
			fd = igt_neuron_open(nodes[j].minor);
			igt_neuron_device_info(fd, &info);
			close(fd);
			if (info.east_neighbour == own_info.device_index ||
			    info.west_neighbour == own_info.device_index) {
				*own = &nodes[i];
				*imp = &nodes[j];
				return true;
			}
		}
	}
	return false;
}

/*
 * A child that, after @delay_us, un-stalls every engine of emulated device
 * @dev and exits 0.  The control port admits a single opener: the child
 * talks on the parent's connection, which the parent leaves alone until it
 * has reaped the child.
 */
static pid_t unstall_later(unsigned int dev, useconds_t delay_us)
{
	struct neuron_emu_ctl *ctl = igt_neuron_emu();
	pid_t pid = fork();

	igt_assert_lte(0, pid);
	if (pid == 0) {
		struct neuron_emu_reply r;

		usleep(delay_us);
		_exit(neuron_emu_ctl_cmd(ctl, &r, "fault %u queue_stall -1", dev) ? 1 : 0);
	}
	return pid;
}

static void query_ready(int fd)
{
	struct drm_neuron_device_info info;

	igt_neuron_device_info(fd, &info);
	igt_assert(info.state & DRM_NEURON_DEVICE_READY);
}

/* Whatever a subtest did, put the module and every device back. */
static void restore(void)
{
	if (!igt_neuron_module_loaded())
		igt_neuron_module_load();
	for (int i = 0; i < num_nodes; i++)
		if (!is_bound(nodes[i].pci_addr)) {
			int fd = open(DRIVER_DIR "/bind", O_WRONLY | O_CLOEXEC);

			if (fd >= 0) {
				if (write(fd, nodes[i].pci_addr, strlen(nodes[i].pci_addr)) < 0)
					igt_warn("rebind %s: %s\n", nodes[i].pci_addr, strerror(errno));
				close(fd);
			}
		}
	igt_neuron_wait_nodes(num_nodes, NODE_TIMEOUT_MS);
}

/*
 * Start of every subtest: undo what an earlier failed subtest may have left
 * (module unloaded, device unbound) and refresh the node list, since minors
 * can change across a reload.
 */
static void begin(void)
{
	restore();
	igt_assert_eq(igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES), num_nodes);
}

static bool have_emu(void)
{
	const char *p = getenv(NEURON_EMU_CTL_ENV);

	return p && access(p, R_OK | W_OK) == 0;
}

/*
 * After a reload or rebind: the same PCI functions, each with a node that
 * works and the same device index as before (the one its neighbours read).
 */
static void check_all_back(void)
{
	struct igt_neuron_node now[IGT_NEURON_MAX_NODES];
	int n;

	igt_assert_f(igt_neuron_wait_nodes(num_nodes, NODE_TIMEOUT_MS),
		     "%d neuron nodes did not come back\n", num_nodes);
	n = igt_neuron_nodes(now, IGT_NEURON_MAX_NODES);
	igt_assert_eq(n, num_nodes);
	for (int i = 0; i < n; i++) {
		int fd, j;

		for (j = 0; j < num_nodes; j++)
			if (!strcmp(now[i].pci_addr, nodes[j].pci_addr))
				break;
		igt_assert_f(j < num_nodes, "new node on unknown function %s\n", now[i].pci_addr);
		fd = igt_neuron_open(now[i].minor);
		query_ready(fd);
		if (have_emu()) {
			struct drm_neuron_device_info info;
			struct neuron_emu_config cfg;

			igt_neuron_emu_config(now[i].emu_dev, &cfg);
			igt_neuron_device_info(fd, &info);
			igt_assert_eq_u32(info.device_index, cfg.index);
		}
		close(fd);
	}
}

/* PCI addresses in bus order: binding in this order keeps probe order. */
static int cmp_node_addr(const void *a, const void *b)
{
	return strcmp(((const struct igt_neuron_node *)a)->pci_addr,
		      ((const struct igt_neuron_node *)b)->pci_addr);
}

/* rmmod: the module, its PCI driver and every node are gone. */
static void unload(void)
{
	struct igt_neuron_node none[IGT_NEURON_MAX_NODES];
	int ret = igt_neuron_module_unload();

	igt_assert_f(ret == 0, "unloading neuron: %s\n", strerror(-ret));
	igt_assert(!igt_neuron_module_loaded());
	igt_assert_eq(igt_neuron_nodes(none, IGT_NEURON_MAX_NODES), 0);
	igt_assert(access(DRIVER_DIR, F_OK) != 0);
}

static void load(void)
{
	int ret = igt_neuron_module_load();

	igt_assert_f(ret == 0, "loading neuron.ko: %s\n", strerror(-ret));
	check_all_back();
}

/*
 * SUBMIT one copy of len bytes a -> b on queue q, after the fence of
 * syncobj in (0: none), signalling syncobj out (0: none).  Returns the
 * job's sync_file.
 */
static int submit_copy(int fd, uint32_t q, uint32_t a, uint32_t b, uint32_t len,
		       uint32_t in, uint32_t out)
{
	uint32_t bos[2] = { a, b };
	struct drm_neuron_desc tx = { .bo_index = 0, .length = len,
				      .flags = DRM_NEURON_DESC_FIRST | DRM_NEURON_DESC_LAST };
	struct drm_neuron_desc rx = { .bo_index = 1, .length = len };
	struct drm_neuron_sync dep = { .handle = in };
	struct drm_neuron_submit s = {
		.queue = q, .bo_handles = (uintptr_t)bos, .bo_count = 2,
		.tx = (uintptr_t)&tx, .tx_count = 1, .rx = (uintptr_t)&rx, .rx_count = 1,
		.flags = DRM_NEURON_SUBMIT_OUT_FENCE_FD, .in_syncs = (uintptr_t)&dep,
		.in_sync_count = in ? 1 : 0, .out_sync.handle = out,
	};

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_SUBMIT, &s), 0);
	igt_assert_lte(0, s.out_fence_fd);
	return s.out_fence_fd;
}

static uint32_t queue_create(int fd, uint32_t nc, uint32_t engine, uint32_t queue)
{
	struct drm_neuron_queue_create c = { .nc = nc, .engine = engine, .queue = queue };

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_QUEUE_CREATE, &c), 0);
	return c.handle;
}

/* Wait up to 10 s for a sync_file to signal; its status. */
static int sync_file_wait(int sfd)
{
	struct pollfd p = { .fd = sfd, .events = POLLIN };

	igt_assert_eq(poll(&p, 1, 10000), 1);
	return igt_neuron_sync_file_status(sfd);
}

/*
 * A device BO of one device imported by a Neuron Pipe neighbour, with a
 * host BO and a syncobj on the importer's side.
 */
struct shared_bo {
	struct igt_neuron_node *own, *imp;
	int fo, fi;		/* owner's and importer's fds */
	uint32_t d, peer;	/* the BO on each side */
	struct igt_neuron_hbo h;
	uint32_t s;
};

static void shared_bo_begin(struct shared_bo *c)
{
	int dmabuf;

	begin();
	igt_require_f(linked_pair(&c->own, &c->imp), "no two linked devices\n");
	c->fo = igt_neuron_open(c->own->minor);
	c->fi = igt_neuron_open(c->imp->minor);
	c->d = igt_neuron_bo_create(c->fo, DRM_NEURON_BO_DOMAIN_DEVICE, 65536);
	igt_assert_eq(drmPrimeHandleToFD(c->fo, c->d, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert_eq(drmPrimeFDToHandle(c->fi, dmabuf, &c->peer), 0);
	close(dmabuf);
	c->h = igt_neuron_hbo_new(c->fi, 65536);
	c->s = igt_neuron_syncobj(c->fi);
}

/* Close everything; the owner, unbound by the test, is bound again. */
static void shared_bo_end(struct shared_bo *c)
{
	igt_neuron_bo_close(c->fi, c->peer);
	igt_neuron_hbo_free(c->fi, &c->h);
	close(c->fi);
	close(c->fo);
	write_sysfs(DRIVER_DIR "/bind", c->own->pci_addr);
	check_all_back();
}

igt_main
{
	char ko[PATH_MAX];

	igt_fixture {
		igt_require_f(getuid() == 0, "needs root\n");
		igt_require_f(igt_neuron_module_loaded(), "neuron module not loaded\n");
		num_nodes = igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES);
		igt_require_f(num_nodes > 0, "no neuron device\n");
	}

	igt_describe("Unloading the module while a client holds a node fails as 'in use' "
		     "(delete_module: EWOULDBLOCK); the client keeps working.");
	igt_subtest("unload-busy") {
		char path[PATH_MAX];
		uint64_t refcnt;
		int fd;

		begin();
		fd = igt_neuron_open(nodes[0].minor);
		snprintf(path, sizeof(path), "/sys/module/%s/refcnt", NEURON_DRIVER_NAME);
		igt_assert(igt_neuron_read_u64(path, &refcnt));
		igt_assert_lte_u64(1, refcnt);
		igt_assert_eq(igt_neuron_module_unload(), -EWOULDBLOCK);
		igt_assert(igt_neuron_module_loaded());
		/* rmmod(8) says "in use" and fails the same way. */
		igt_assert_neq(run_rmmod(), 0);
		igt_assert(igt_neuron_module_loaded());
		query_ready(fd);
		igt_assert_eq(close(fd), 0);
	}

	igt_describe("Closing the last client drops the module reference the open took.");
	igt_subtest("open-holds-module") {
		char path[PATH_MAX];
		uint64_t before, during, after;
		int fd;

		begin();
		snprintf(path, sizeof(path), "/sys/module/%s/refcnt", NEURON_DRIVER_NAME);
		igt_assert(igt_neuron_read_u64(path, &before));
		fd = igt_neuron_open(nodes[0].minor);
		igt_assert(igt_neuron_read_u64(path, &during));
		igt_assert_lt_u64(before, during);
		close(fd);
		igt_assert(igt_neuron_read_u64(path, &after));
		igt_assert_eq_u64(after, before);
	}

	igt_describe("rmmod then insmod of build/$(uname -r)/neuron.ko gives back every node.");
	igt_subtest("reload") {
		begin();
		igt_require_f(igt_neuron_module_path(ko, sizeof(ko)), "no neuron.ko for this kernel\n");
		unload();
		load();
	}

	igt_describe("Five unload/load cycles in a row leave every device working.");
	igt_subtest("reload-repeated") {
		begin();
		igt_require_f(igt_neuron_module_path(ko, sizeof(ko)), "no neuron.ko for this kernel\n");
		for (int i = 0; i < 5; i++) {
			unload();
			load();
		}
	}

	igt_describe("Unbinding a device with its node open: ioctls on the fd fail with ENODEV, "
		     "close works, the node goes away; rebinding brings it back.");
	igt_subtest("unbind-with-open-fd") {
		struct igt_neuron_node *n = &nodes[num_nodes - 1];
		struct drm_neuron_device_info info;
		uint32_t size = sizeof(info);
		char path[64];
		int fd;

		begin();
		fd = igt_neuron_open(n->minor);
		query_ready(fd);
		write_sysfs(DRIVER_DIR "/unbind", n->pci_addr);
		igt_assert(!is_bound(n->pci_addr));

		igt_assert_eq(__igt_neuron_query(fd, DRM_NEURON_QUERY_DEVICE_INFO, &info, &size, 0, 0),
			      -ENODEV);
		snprintf(path, sizeof(path), "/sys/class/accel/accel%d", n->minor);
		igt_assert(access(path, F_OK) != 0);
		igt_assert_eq(close(fd), 0);

		write_sysfs(DRIVER_DIR "/bind", n->pci_addr);
		igt_assert(is_bound(n->pci_addr));
		check_all_back();
	}

	igt_describe("Unbinding a device with its node open does not stop the module from "
		     "being busy until the fd is closed.");
	igt_subtest("unbind-fd-keeps-module") {
		struct igt_neuron_node *n = &nodes[0];
		int fd;

		begin();
		fd = igt_neuron_open(n->minor);
		write_sysfs(DRIVER_DIR "/unbind", n->pci_addr);
		igt_assert_eq(igt_neuron_module_unload(), -EWOULDBLOCK);
		igt_assert_eq(close(fd), 0);
		write_sysfs(DRIVER_DIR "/bind", n->pci_addr);
		check_all_back();
	}

	igt_describe("All devices unbound and rebound: every node comes back and works.");
	igt_subtest("unbind-rebind-all") {
		struct igt_neuron_node none[IGT_NEURON_MAX_NODES];

		begin();
		qsort(nodes, num_nodes, sizeof(nodes[0]), cmp_node_addr);
		for (int i = 0; i < num_nodes; i++)
			write_sysfs(DRIVER_DIR "/unbind", nodes[i].pci_addr);
		igt_assert_eq(igt_neuron_nodes(none, IGT_NEURON_MAX_NODES), 0);
		for (int i = 0; i < num_nodes; i++)
			write_sysfs(DRIVER_DIR "/bind", nodes[i].pci_addr);
		check_all_back();
	}

	igt_describe("Probe and remove read no register through BAR0/BAR2 (v1 reads via FWIO).");
	igt_subtest("rebind-no-mmio-reads") {
		struct igt_neuron_node *n = &nodes[0];

		begin();
		igt_neuron_emu();
		igt_assert_lte(0, n->emu_dev);
		igt_neuron_emu_reset_counters(n->emu_dev);
		write_sysfs(DRIVER_DIR "/unbind", n->pci_addr);
		write_sysfs(DRIVER_DIR "/bind", n->pci_addr);
		check_all_back();
		igt_assert_lte_u64(1, igt_neuron_emu_counter(n->emu_dev, "fwio_requests"));
		igt_assert_eq_u64(igt_neuron_emu_counter(n->emu_dev, "mmio_reads_bar0"), 0);
		igt_assert_eq_u64(igt_neuron_emu_counter(n->emu_dev, "mmio_reads_bar2"), 0);
	}

	igt_describe("Unbinding while a query waits for the firmware: the query ends with EIO "
		     "or ENODEV, later ioctls with ENODEV, and the device comes back.");
	igt_subtest("unbind-during-query") {
		struct igt_neuron_node *n;
		struct drm_neuron_device_info info;
		uint32_t size = sizeof(info);
		uint64_t tries;
		int fd, status;
		pid_t pid;

		begin();
		n = &nodes[0];
		igt_neuron_emu();
		igt_neuron_require_quiet_fwio();
		igt_assert(igt_neuron_read_u64("/sys/module/" NEURON_DRIVER_NAME
					       "/parameters/fwio_tries", &tries));
		fd = igt_neuron_open(n->minor);
		/* Every try of the next query is dropped: it waits tries x 1 s. */
		igt_assert_eq(igt_neuron_emu_fault(n->emu_dev, "fwio_drop", tries), 0);
		pid = fork();
		igt_assert_lte(0, pid);
		if (pid == 0) {
			int ret = __igt_neuron_query(fd, DRM_NEURON_QUERY_DEVICE_INFO,
						     &info, &size, 0, 0);
			_exit(ret == -EIO ? 1 : ret == -ENODEV ? 2 : 3);
		}
		usleep(300 * 1000);
		write_sysfs(DRIVER_DIR "/unbind", n->pci_addr);
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert_f(WIFEXITED(status) && (WEXITSTATUS(status) == 1 || WEXITSTATUS(status) == 2),
			     "query during unbind: status %#x\n", status);
		size = sizeof(info);
		igt_assert_eq(__igt_neuron_query(fd, DRM_NEURON_QUERY_DEVICE_INFO, &info, &size, 0, 0),
			      -ENODEV);
		igt_assert_eq(igt_neuron_emu_fault(n->emu_dev, "fwio_drop", 0), 0);
		igt_assert_eq(close(fd), 0);
		write_sysfs(DRIVER_DIR "/bind", n->pci_addr);
		check_all_back();
	}

	igt_describe("Unbinding with jobs in flight: a job on a stalled ring and a job "
		     "waiting for it on another engine both signal -ENODEV (the stalled "
		     "queue reset in hardware first, nothing left on it), an open "
		     "notification queue reports POLLHUP, a mapped ERROR view keeps its "
		     "contents, every fd closes, and the device comes back and runs jobs.");
	igt_subtest("unbind-with-jobs") {
		struct drm_neuron_nq_create nc = { .nc = 1, .type = DRM_NEURON_NQ_NOTIFY,
						   .size = 4096 };
		struct drm_neuron_nq_create ev = { .nc = 2, .type = DRM_NEURON_NQ_ERROR,
						   .size = 4096 };
		static uint8_t before[4096];
		void *view;
		struct igt_neuron_hbo a, b;
		struct igt_neuron_node *n;
		int fd, fa, fb, status;
		uint32_t qa, qb, sa;
		struct pollfd p;

		begin();
		n = &nodes[0];
		igt_neuron_emu();
		igt_assert_lte(0, n->emu_dev);
		fd = igt_neuron_open(n->minor);
		a = igt_neuron_hbo_new(fd, 4096);
		b = igt_neuron_hbo_new(fd, 4096);
		qa = queue_create(fd, 0, 1, 2);
		qb = queue_create(fd, 1, 0, 2);
		sa = igt_neuron_syncobj(fd);
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_NQ_CREATE, &nc), 0);
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_NQ_CREATE, &ev), 0);
		view = mmap(NULL, ev.size, PROT_READ, MAP_SHARED, ev.fd, 0);
		igt_assert(view != MAP_FAILED);
		igt_assert(ev.size <= sizeof(before));
		memcpy(before, view, ev.size);
		igt_neuron_emu_reset_counters(n->emu_dev);
		igt_assert_eq(igt_neuron_emu_fault(n->emu_dev, "queue_stall", V1_ENG_ID(0, 1)), 0);
		fa = submit_copy(fd, qa, a.h, b.h, 4096, 0, sa);
		fb = submit_copy(fd, qb, b.h, a.h, 4096, sa, 0);
		/* Job A is on the ring (one doorbell per direction); B waits for it. */
		for (int i = 0; i < 1000 && igt_neuron_emu_counter(n->emu_dev, "doorbells") < 2; i++)
			usleep(10000);
		igt_assert_eq_u64(igt_neuron_emu_counter(n->emu_dev, "doorbells"), 2);
		igt_assert_eq(igt_neuron_sync_file_status(fa), 0);
		igt_assert_eq(igt_neuron_sync_file_status(fb), 0);

		igt_assert_eq_u64(igt_neuron_emu_pending(n->emu_dev, V1_ENG_ID(0, 1)), 2);
		write_sysfs(DRIVER_DIR "/unbind", n->pci_addr);
		status = sync_file_wait(fa);
		igt_assert_f(status == -ENODEV, "stalled job: %d\n", status);
		/* The queue was stopped in hardware, or the job could still run. */
		igt_assert_eq_u64(igt_neuron_emu_pending(n->emu_dev, V1_ENG_ID(0, 1)), 0);
		status = sync_file_wait(fb);
		igt_assert_f(status == -ENODEV, "waiting job: %d\n", status);
		p = (struct pollfd){ .fd = nc.fd, .events = POLLIN };
		igt_assert_eq(poll(&p, 1, 0), 1);
		igt_assert(p.revents & POLLHUP);
		/* The driver's ERROR ring a view maps outlives the device. */
		igt_assert_eq(memcmp(view, before, ev.size), 0);
		munmap(view, ev.size);
		igt_assert_eq(close(ev.fd), 0);
		igt_assert_eq(drmIoctl(fd, DRM_IOCTL_NEURON_SUBMIT,
				       &(struct drm_neuron_submit){ .queue = qa }), -1);
		igt_assert_eq(errno, ENODEV);
		igt_neuron_node_clear_faults(n);
		igt_assert_eq(close(fa), 0);
		igt_assert_eq(close(fb), 0);
		igt_assert_eq(close(nc.fd), 0);
		munmap(a.p, a.size);
		munmap(b.p, b.size);
		igt_assert_eq(close(fd), 0);

		write_sysfs(DRIVER_DIR "/bind", n->pci_addr);
		check_all_back();
		igt_assert_eq(igt_neuron_nodes(nodes, IGT_NEURON_MAX_NODES), num_nodes);
		for (int i = 0; i < num_nodes; i++)
			if (!strcmp(nodes[i].pci_addr, n->pci_addr))
				n = &nodes[i];
		fd = igt_neuron_open(n->minor);
		a = igt_neuron_hbo_new(fd, 4096);
		b = igt_neuron_hbo_new(fd, 4096);
		igt_neuron_random_fill(a.p, a.size, 5);
		qa = queue_create(fd, 0, 1, 2);
		fa = submit_copy(fd, qa, a.h, b.h, 4096, 0, 0);
		igt_assert_eq(sync_file_wait(fa), 1);
		igt_neuron_assert_same(b.p, a.p, 4096, "after rebind");
		close(fa);
		igt_neuron_hbo_free(fd, &a);
		igt_neuron_hbo_free(fd, &b);
		close(fd);
	}

	igt_describe("Unbinding the owner of a device BO a neighbour imported: the "
		     "neighbour's copies into the peer BO then fail with -ENODEV, the "
		     "neighbour's own work goes on, and the owner comes back.");
	igt_subtest("unbind-peer-owner") {
		struct shared_bo c;

		shared_bo_begin(&c);
		igt_neuron_copy(c.fi, c.peer, 0, c.h.h, 0, 65536, c.s);
		igt_neuron_syncobj_wait(c.fi, c.s);
		igt_assert_eq(igt_neuron_syncobj_status(c.fi, c.s), 1);

		write_sysfs(DRIVER_DIR "/unbind", c.own->pci_addr);
		igt_neuron_copy(c.fi, c.peer, 0, c.h.h, 0, 65536, c.s);
		igt_neuron_syncobj_wait(c.fi, c.s);
		igt_assert_eq(igt_neuron_syncobj_status(c.fi, c.s), -ENODEV);
		/* The importer itself is fine. */
		igt_neuron_copy(c.fi, c.h.h, 0, c.h.h, 32768, 32768, c.s);
		igt_neuron_syncobj_wait(c.fi, c.s);
		igt_assert_eq(igt_neuron_syncobj_status(c.fi, c.s), 1);
		shared_bo_end(&c);
	}

	igt_describe("Unbinding the owner while the neighbour's copy into the peer BO is on "
		     "the neighbour's (stalled) ring: the unbind waits for that copy to end, "
		     "so the DRAM it writes is not handed out again under it.");
	igt_subtest("unbind-peer-owner-busy") {
		struct shared_bo c;
		int status, ret;
		unsigned int e;
		pid_t child;

		shared_bo_begin(&c);
		igt_assert_lte(0, c.imp->emu_dev);
		/*
		 * The BO's clearing must be done before the importer's engines
		 * stop.  Then the owner lets go of its handle: the importer's
		 * reference alone keeps the BO (and its DRAM) alive.
		 */
		igt_neuron_bo_wait(c.fo, c.d);
		igt_neuron_bo_close(c.fo, c.d);

		igt_neuron_emu_reset_counters(c.imp->emu_dev);
		for (e = 0; e < V1_NC_PER_DEVICE; e++)
			igt_assert_eq(igt_neuron_emu_fault(c.imp->emu_dev, "queue_stall",
							   V1_ENG_ID(e, 2)), 0);
		igt_neuron_copy(c.fi, c.peer, 0, c.h.h, 0, 65536, c.s);
		/* On the ring: one doorbell per direction. */
		for (int i = 0; i < 1000 && igt_neuron_emu_counter(c.imp->emu_dev, "doorbells") < 2;
		     i++)
			usleep(10000);
		igt_assert_eq_u64(igt_neuron_emu_counter(c.imp->emu_dev, "doorbells"), 2);

		child = unstall_later(c.imp->emu_dev, 1000000);
		write_sysfs(DRIVER_DIR "/unbind", c.own->pci_addr);
		/*
		 * The unbind returned only after the copy, held until the
		 * un-stall, had completed.  (Not the child's byte: it may come
		 * after the unbind returns, the un-stall being what ends it.)
		 */
		ret = drmSyncobjWait(c.fi, &c.s, 1, 0, 0, NULL);
		igt_assert_eq(waitpid(child, &status, 0), child);
		igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		igt_assert_eq(ret, 0);
		igt_assert_eq(igt_neuron_syncobj_status(c.fi, c.s), 1);
		shared_bo_end(&c);
	}

	igt_describe("A client killed while its copy waits for another device's fence: the "
		     "scheduler frees that job only once the fence signals, so unbinding "
		     "the client's device (its last user gone) waits for it instead of "
		     "freeing the schedulers under it; the device then comes back.");
	igt_subtest("unbind-killed-waiter") {
		struct igt_neuron_node *n0, *n1;
		int status, ret, f1, sfd;
		struct igt_neuron_hbo x, y;
		struct timespec t0, t1;
		uint32_t s1;
		pid_t pid, child;

		begin();
		igt_require(num_nodes >= 2);
		n0 = &nodes[0];
		n1 = &nodes[1];
		igt_assert_lte(0, n1->emu_dev);
		/* A copy on device 1, held on its stalled ring: the foreign fence. */
		f1 = igt_neuron_open(n1->minor);
		x = igt_neuron_hbo_new(f1, 4096);
		y = igt_neuron_hbo_new(f1, 4096);
		s1 = igt_neuron_syncobj(f1);
		igt_assert_eq(igt_neuron_emu_fault(n1->emu_dev, "queue_stall", V1_ENG_ID(0, 2)), 0);
		igt_neuron_copy(f1, y.h, 0, x.h, 0, 4096, s1);
		igt_assert_eq(drmSyncobjExportSyncFile(f1, s1, &sfd), 0);

		pid = fork();
		igt_assert_lte(0, pid);
		if (pid == 0) {
			int f0 = igt_neuron_open(n0->minor);
			struct igt_neuron_hbo a = igt_neuron_hbo_new(f0, 4096);
			struct igt_neuron_hbo b = igt_neuron_hbo_new(f0, 4096);
			struct drm_neuron_sync dep = { .handle = igt_neuron_syncobj(f0) };
			struct drm_neuron_copy c = {
				.dst_handle = b.h, .src_handle = a.h, .size = 4096,
				.nc = DRM_NEURON_ANY, .in_syncs = (uintptr_t)&dep,
				.in_sync_count = 1,
			};

			if (drmSyncobjImportSyncFile(f0, dep.handle, sfd) ||
			    __igt_neuron_copy(f0, &c))
				_exit(1);
			/* Exit by SIGKILL: closing the file kills the entity. */
			raise(SIGKILL);
			_exit(2);
		}
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert_f(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
			     "child status 0x%x\n", status);
		close(sfd);

		child = unstall_later(n1->emu_dev, 1000000);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		write_sysfs(DRIVER_DIR "/unbind", n0->pci_addr);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/*
		 * The release waited for the killed job, which the scheduler
		 * frees only after device 1's copy (held until the un-stall)
		 * signalled: that copy is done by now.
		 */
		ret = drmSyncobjWait(f1, &s1, 1, 0, 0, NULL);
		igt_assert_eq(waitpid(child, &status, 0), child);
		igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		igt_info("unbind took %.3f s\n", (t1.tv_sec - t0.tv_sec) +
			 (t1.tv_nsec - t0.tv_nsec) / 1e9);
		igt_assert_eq(ret, 0);
		igt_assert_eq(igt_neuron_syncobj_status(f1, s1), 1);
		igt_neuron_hbo_free(f1, &x);
		igt_neuron_hbo_free(f1, &y);
		close(f1);
		write_sysfs(DRIVER_DIR "/bind", n0->pci_addr);
		check_all_back();
	}

	igt_describe("debugfs files of an unbound device still held open: reads do not touch "
		     "the hardware (fwio_read: ENODEV), nothing crashes.");
	igt_subtest("debugfs-after-unbind") {
		char dir[PATH_MAX], path[PATH_MAX + 16], buf[4096];
		struct igt_neuron_node *n;
		int fd, dfd, ret;

		begin();
		n = &nodes[0];
		igt_require_f(igt_neuron_debugfs_dir(n->pci_addr, dir, sizeof(dir)), "no debugfs\n");
		fd = igt_neuron_open(n->minor);
		snprintf(path, sizeof(path), "%s/fwio_read", dir);
		dfd = open(path, O_RDWR | O_CLOEXEC);
		igt_assert_lte(0, dfd);
		snprintf(buf, sizeof(buf), "%llx", (unsigned long long)V1_MISC_DEV_ADDR(MISC_FW_STATUS));
		igt_assert_eq(write(dfd, buf, strlen(buf)), (int)strlen(buf));

		write_sysfs(DRIVER_DIR "/unbind", n->pci_addr);
		ret = read(dfd, buf, sizeof(buf));
		igt_assert_f(ret < 0 && (errno == ENODEV || errno == EIO),
			     "fwio_read after unbind: %d (%s)\n", ret, strerror(errno));
		close(dfd);
		/* info and fwio_stats read no hardware: fine, or already gone. */
		snprintf(path, sizeof(path), "%s/info", dir);
		ret = igt_neuron_read_file(path, buf, sizeof(buf));
		igt_assert_f(ret > 0 || ret == -ENOENT || ret == -EIO, "info: %d\n", ret);
		snprintf(path, sizeof(path), "%s/fwio_stats", dir);
		ret = igt_neuron_read_file(path, buf, sizeof(buf));
		igt_assert_f(ret > 0 || ret == -ENOENT || ret == -EIO, "fwio_stats: %d\n", ret);
		igt_assert_eq(close(fd), 0);
		write_sysfs(DRIVER_DIR "/bind", n->pci_addr);
		check_all_back();
	}

	igt_fixture
		restore();
}
