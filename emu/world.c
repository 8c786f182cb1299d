// SPDX-License-Identifier: MIT
/*
 * Topologies.  Real inf1 instances wire their devices east/west into a ring
 * over the PCIe x4 "Neuron Pipe" links; the others exist so tests can see
 * a device with one, two or no neighbours.
 */
#include <string.h>

#include "device.h"
#include "world.h"

static const char *const names[] = {
	[TOPO_NONE] = "none",
	[TOPO_RING] = "ring",
	[TOPO_CHAIN] = "chain",
	[TOPO_PAIRS] = "pairs",
};

int topology_parse(const char *s, enum topology *t)
{
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*t = (enum topology)i;
			return 0;
		}
	}
	return -1;
}

const char *topology_name(enum topology t)
{
	return names[t];
}

void world_wire(struct world *w)
{
	int n = (int)w->ndev;

	for (int i = 0; i < n; i++) {
		struct nemu_dev *d = w->dev[i];

		d->east = d->west = -1;
		switch (w->topo) {
		case TOPO_NONE:
			break;
		case TOPO_RING:
			/* A lone device has no links, even in a "ring". */
			if (n > 1) {
				d->east = (i + 1) % n;
				d->west = (i + n - 1) % n;
			}
			break;
		case TOPO_CHAIN:
			if (i + 1 < n)
				d->east = i + 1;
			if (i > 0)
				d->west = i - 1;
			break;
		case TOPO_PAIRS:
			/* 0-1, 2-3, ...: both links of a pair go to the partner. */
			if ((i ^ 1) < n)
				d->east = d->west = i ^ 1;
			break;
		}
	}
}

struct nemu_dev *world_neighbour(struct nemu_dev *d, bool east)
{
	int i = east ? d->east : d->west;

	if (i < 0 || !d->world || (unsigned)i >= d->world->ndev)
		return NULL;
	return d->world->dev[i];
}
