// SPDX-License-Identifier: GPL-2.0-only
/* drm_fdinfo_print_size() is exported (7.x). */
#include <drm/drm_file.h>
#include <drm/drm_print.h>

static void __maybe_unused probe(struct drm_printer *p)
{
	drm_fdinfo_print_size(p, "neuron", "total", "memory", 0);
}
