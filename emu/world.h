/* SPDX-License-Identifier: MIT */
/* All devices served by one process, and how they are wired to each other. */
#ifndef NEMU_WORLD_H
#define NEMU_WORLD_H

#include <stdbool.h>

#include "../hw/v1/address_map.h"

struct nemu_dev;

enum topology { TOPO_NONE, TOPO_RING, TOPO_CHAIN, TOPO_PAIRS };

struct world {
	unsigned ndev;
	enum topology topo;
	struct nemu_dev *dev[V1_MAX_DEVICES];
};

int topology_parse(const char *s, enum topology *t);
const char *topology_name(enum topology t);
/* Set every device's east/west index from w->topo. */
void world_wire(struct world *w);
struct nemu_dev *world_neighbour(struct nemu_dev *d, bool east);

#endif /* NEMU_WORLD_H */
