// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs files in /sys/kernel/debug/accel/<PCI address>/.
 *
 * The DRM core does not call drm_driver.debugfs_init for accel minors, so
 * the files go straight into the device's debugfs directory, which exists
 * from allocation on and is removed when the DRM device is released.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>

#include <drm/drm_device.h>

#include "neuron_hwq.h"
#include "neuron_debugfs.h"
#include "neuron_dram.h"
#include "neuron_cores.h"
#include "neuron_drv.h"
#include "neuron_fwio.h"
#include "neuron_gem.h"
#include "neuron_nq.h"
#include "neuron_topology.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/address_map.h"

/* Static properties and the cached firmware view; no device access. */
static int info_show(struct seq_file *m, void *unused)
{
	struct neuron_device *ndev = m->private;
	struct neuron_topology_info topo;

	neuron_topology_get(ndev, &topo);
	seq_printf(m, "pci_device:\t%#06x\n", ndev->pdev->device);
	seq_printf(m, "pci_revision:\t%#04x\n", ndev->revision);
	seq_printf(m, "device_index:\t%d\n", ndev->index);
	seq_printf(m, "nc_count:\t%d\n", V1_NC_PER_DEVICE);
	seq_printf(m, "msix_vectors:\t%d\n", ndev->msix_vectors);
	seq_printf(m, "bar0_size:\t%pa\n", &ndev->bar0_len);
	seq_printf(m, "bar2_size:\t%pa\n", &ndev->bar2_len);
	seq_printf(m, "bar4_start:\t%pa\n", &ndev->bar4_start);
	seq_printf(m, "bar4_size:\t%pa\n", &ndev->bar4_len);
	seq_printf(m, "topology_valid:\t%d\n", topo.valid);
	seq_printf(m, "fw_status:\t%#010x\n", topo.fw_status);
	seq_printf(m, "neighbours:\t%u\n", neuron_topology_neighbours(&topo));
	if (topo.east != DRM_NEURON_NO_NEIGHBOUR)
		seq_printf(m, "east:\t\t%u\n", topo.east);
	else
		seq_puts(m, "east:\t\tnone\n");
	if (topo.west != DRM_NEURON_NO_NEIGHBOUR)
		seq_printf(m, "west:\t\t%u\n", topo.west);
	else
		seq_puts(m, "west:\t\tnone\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

static int fwio_stats_show(struct seq_file *m, void *unused)
{
	struct neuron_device *ndev = m->private;
	struct neuron_fwio_stats st;

	neuron_fwio_stats_get(ndev, &st);
	seq_printf(m, "requests:\t%llu\n", st.requests);
	seq_printf(m, "retries:\t%llu\n", st.retries);
	seq_printf(m, "timeouts:\t%llu\n", st.timeouts);
	seq_printf(m, "bad_status:\t%llu\n", st.bad_status);
	seq_printf(m, "bad_seq:\t%llu\n", st.bad_seq);
	seq_printf(m, "bad_size:\t%llu\n", st.bad_size);
	seq_printf(m, "failures:\t%llu\n", st.failures);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fwio_stats);

static int bos_show(struct seq_file *m, void *unused)
{
	neuron_gem_show_clients(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bos);

static int dram_show(struct seq_file *m, void *unused)
{
	neuron_dram_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dram);

/* Software view only: no register is read. */
static int copy_queues_show(struct seq_file *m, void *unused)
{
	neuron_engines_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(copy_queues);

static int nc_owners_show(struct seq_file *m, void *unused)
{
	neuron_cores_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nc_owners);

static int notification_queues_show(struct seq_file *m, void *unused)
{
	neuron_nq_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(notification_queues);

/*
 * fwio_read: write a device address (hex), read back "<addr>: <value>".
 * A developer's window onto registers that only FWIO can read; root only.
 */
static ssize_t fwio_read_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct neuron_device *ndev = file->private_data;
	u64 addr;
	int ret;

	ret = kstrtou64_from_user(buf, count, 16, &addr);
	if (ret)
		return ret;
	WRITE_ONCE(ndev->debugfs_fwio_addr, addr);
	return count;
}

static ssize_t fwio_read_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct neuron_device *ndev = file->private_data;
	u64 addr = READ_ONCE(ndev->debugfs_fwio_addr);
	char line[48];
	int len, ret;
	u32 val;

	if (*ppos)
		return 0;
	ret = neuron_fwio_read32(ndev, addr, &val);
	if (ret)
		return ret;
	len = scnprintf(line, sizeof(line), "%#llx: %#010x\n", addr, val);
	return simple_read_from_buffer(buf, count, ppos, line, len);
}

static const struct file_operations fwio_read_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = fwio_read_read,
	.write = fwio_read_write,
	.llseek = default_llseek,
};

/**
 * neuron_debugfs_init() - create the device's debugfs files
 * @ndev: the device
 *
 * debugfs is best effort: failures are ignored, as debugfs wants.
 */
void neuron_debugfs_init(struct neuron_device *ndev)
{
	struct dentry *root = ndev->drm.debugfs_root;

	if (IS_ERR_OR_NULL(root))
		return;
	debugfs_create_file("info", 0444, root, ndev, &info_fops);
	debugfs_create_file("fwio_stats", 0444, root, ndev, &fwio_stats_fops);
	debugfs_create_file("fwio_read", 0600, root, ndev, &fwio_read_fops);
	neuron_reset_debugfs_init(ndev, root);
	neuron_stats_debugfs_init(ndev, root);
	debugfs_create_file("bos", 0444, root, ndev, &bos_fops);
	debugfs_create_file("dram", 0444, root, ndev, &dram_fops);
	debugfs_create_file("copy_queues", 0444, root, ndev, &copy_queues_fops);
	debugfs_create_file("nc_owners", 0444, root, ndev, &nc_owners_fops);
	debugfs_create_file("notification_queues", 0444, root, ndev,
			    &notification_queues_fops);
}
