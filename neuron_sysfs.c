// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs attributes of the PCI device, created and removed by the driver
 * core around probe and remove (pci_driver.dev_groups):
 *
 *   core_count         NeuronCores of the device
 *   connected_devices  device indices of the Neuron Pipe neighbours, east
 *                      first, comma separated; empty if none
 *   neuron_reset       write 1 to reset the device through the firmware
 *                      (root only: mode 0200); the write returns when the
 *                      device is back, or fails with the reset's error.
 *                      Not "reset": the PCI core has that file already,
 *                      for a function-level reset that bypasses the driver
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include "neuron_cores.h"
#include "neuron_drv.h"
#include "neuron_reset.h"
#include "neuron_sysfs.h"
#include "neuron_topology.h"
#include "uapi/drm/neuron_accel.h"
#include "v1/address_map.h"

static ssize_t core_count_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%d\n", V1_NC_PER_DEVICE);
}
static DEVICE_ATTR_RO(core_count);

/*
 * Read from the firmware, as a neighbour may have probed after this device;
 * a firmware that does not answer gives EIO, as DEVICE_INFO does.
 */
static ssize_t connected_devices_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct neuron_device *ndev = dev_get_drvdata(dev);
	struct neuron_topology_info topo;
	const char *sep = "";
	int len = 0, ret;

	ret = neuron_topology_read(ndev, &topo);
	if (ret)
		return ret;
	if (topo.east != DRM_NEURON_NO_NEIGHBOUR) {
		len += sysfs_emit_at(buf, len, "%u", topo.east);
		sep = ", ";
	}
	if (topo.west != DRM_NEURON_NO_NEIGHBOUR)
		len += sysfs_emit_at(buf, len, "%s%u", sep, topo.west);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
static DEVICE_ATTR_RO(connected_devices);

/* Who owns each NeuronCore: "<nc> <client id> <pid> <comm>" or "<nc> -". */
static ssize_t nc_owners_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return neuron_cores_sysfs_show(dev_get_drvdata(dev), buf);
}
static DEVICE_ATTR_RO(nc_owners);

/* Same effect as DRM_IOCTL_NEURON_RESET; the file's mode keeps it root's. */
static ssize_t neuron_reset_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct neuron_device *ndev = dev_get_drvdata(dev);
	unsigned int val;
	int ret;

	ret = kstrtouint(buf, 0, &val);
	if (ret)
		return ret;
	if (val != 1)
		return -EINVAL;
	ret = neuron_reset_device(ndev);
	return ret ?: count;
}
static DEVICE_ATTR_WO(neuron_reset);

/*
 * A NeuronCore-only reset of the cores in the written mask (bit n = NeuronCore
 * n), as DRM_IOCTL_NEURON_NC_RESET; the file's mode keeps it root's.
 */
static ssize_t nc_reset_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct neuron_device *ndev = dev_get_drvdata(dev);
	unsigned int mask;
	int ret;

	ret = kstrtouint(buf, 0, &mask);
	if (ret)
		return ret;
	if (!mask || mask >= BIT(V1_NC_PER_DEVICE))
		return -EINVAL;
	ret = neuron_reset_cores(ndev, mask, -EIO);
	return ret ?: count;
}
static DEVICE_ATTR_WO(nc_reset);

static struct attribute *neuron_attrs[] = {
	&dev_attr_core_count.attr,
	&dev_attr_connected_devices.attr,
	&dev_attr_nc_owners.attr,
	&dev_attr_neuron_reset.attr,
	&dev_attr_nc_reset.attr,
	NULL
};

static const struct attribute_group neuron_attr_group = {
	.attrs = neuron_attrs,
};

const struct attribute_group *neuron_sysfs_groups[] = {
	&neuron_attr_group,
	NULL
};
