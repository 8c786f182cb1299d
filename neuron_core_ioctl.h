/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Core DRM ioctls on the accel node: what the driver lets through.
 */
#ifndef NEURON_CORE_IOCTL_H
#define NEURON_CORE_IOCTL_H

struct file;

long neuron_core_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);
#ifdef CONFIG_COMPAT
long neuron_core_compat_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);
#else
#define neuron_core_compat_ioctl NULL
#endif

#endif /* NEURON_CORE_IOCTL_H */
