/* SPDX-License-Identifier: MIT */
/* Fixture of uapi_errnos.py's self-test: each struct tests one rule. */

/**
 * struct drm_neuron_a - explicit errnos; a fence status is not one
 *
 * Errors: EINVAL for a bad @x; ENOENT for an unknown handle.  A job that
 * fails signals its fence with -EIO.
 *
 * A later paragraph mentioning EPERM is not part of the list.
 */
struct drm_neuron_a {
	int x;
};

/**
 * struct drm_neuron_b - inherits a's whole list, adds its own
 *
 * Errors: as for &struct drm_neuron_a; EBUSY also.
 */
struct drm_neuron_b {
	int x;
};

/**
 * struct drm_neuron_c - a clause naming errnos keeps only those
 *
 * Errors: ENOENT as for &struct drm_neuron_b; EFAULT for a bad pointer.
 */
struct drm_neuron_c {
	int x;
};

#define DRM_IOCTL_NEURON_A \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_A, struct drm_neuron_a)
#define DRM_IOCTL_NEURON_B \
	DRM_IOW(DRM_COMMAND_BASE + DRM_NEURON_B, struct drm_neuron_b)
#define DRM_IOCTL_NEURON_C \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_C, struct drm_neuron_c)
