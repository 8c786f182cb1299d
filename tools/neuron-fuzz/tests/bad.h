/* SPDX-License-Identifier: MIT */
/* Fixture of uapi_errnos.py's self-test: a name that is no errno must fail. */

/**
 * struct drm_neuron_a - a typo in the list
 *
 * Errors: EINVLA for a bad @x.
 */
struct drm_neuron_a {
	int x;
};

#define DRM_IOCTL_NEURON_A \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NEURON_A, struct drm_neuron_a)
