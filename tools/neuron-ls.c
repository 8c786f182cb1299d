// SPDX-License-Identifier: MIT
/*
 * neuron-ls: list the Inferentia devices that the neuron accel driver
 * exposes, with the properties the kernel reports for each.
 *
 * Discovery and queries are libneuron's (lib/): it walks /sys/class/accel
 * for the neuron driver's nodes and reads DRM_NEURON_QUERY_DEVICE_INFO of
 * each, and sysfs nc_owners for who owns each NeuronCore
 * (Documentation/neuron/contexts.rst).  --json prints the same as one JSON
 * array, for scripts.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <libneuron.h>

static const char *neighbour(unsigned int id, char *buf, size_t len)
{
	if (id == DRM_NEURON_NO_NEIGHBOUR)
		return "-";
	snprintf(buf, len, "%u", id);
	return buf;
}

/* DEVICE_INFO of a listed node; the message of a failure in err. */
static int node_info(const struct neuron_node_info *ni, struct drm_neuron_device_info *info,
		     char *err, size_t len)
{
	struct neuron_device *dev;
	int ret = neuron_open_path(ni->node, &dev);

	if (!ret) {
		ret = neuron_query_device_info(dev, info);
		neuron_close(dev);
	}
	if (ret)
		snprintf(err, len, "%s", neuron_last_error());
	return ret;
}

#define MAX_NCS 16

/* The owners of the node's NeuronCores: the count, or -1 (no nc_owners: an older kernel). */
static int node_owners(const struct neuron_node_info *ni, struct neuron_nc_owner *o)
{
	int n = neuron_read_nc_owners(ni->minor, o, MAX_NCS);

	return n < 0 ? -1 : n > MAX_NCS ? MAX_NCS : n;
}

/* "nc0 -  nc1 pid 1234 runtime (client 7)  ..." */
static void print_owners(const struct neuron_node_info *ni)
{
	struct neuron_nc_owner o[MAX_NCS];
	int n = node_owners(ni, o);

	if (n < 0)
		return;
	printf("         owners:");
	for (int i = 0; i < n; i++) {
		if (o[i].owned)
			printf("  nc%u pid %d %s (client %llu)", o[i].nc, o[i].pid, o[i].comm,
			       (unsigned long long)o[i].client_id);
		else
			printf("  nc%u -", o[i].nc);
	}
	printf("\n");
}

static void print_table(const struct neuron_node_info *list, int n, int verbose)
{
	printf("%-8s %-14s %-6s %-4s %-5s %-3s %-9s %-5s %-5s %-5s %s\n",
	       "NODE", "PCI", "ID", "REV", "INDEX", "NC", "DRAM", "READY",
	       "EAST", "WEST", "FW_STATUS");
	for (int i = 0; i < n; i++) {
		const struct neuron_node_info *ni = &list[i];
		struct drm_neuron_device_info info;
		char e[16], w[16], err[256];
		const char *name = strrchr(ni->node, '/') + 1;

		if (node_info(ni, &info, err, sizeof(err))) {
			printf("%-8s %-14s %s\n", name, ni->pci_addr, err);
			continue;
		}
		printf("%-8s %-14s 0x%04x 0x%02x %-5u %-3u %-4llu GiB %-5s %-5s %-5s 0x%08x\n",
		       name, ni->pci_addr, info.pci_device, info.pci_revision,
		       info.device_index, info.nc_count,
		       (unsigned long long)(info.dram_size >> 30),
		       info.state & DRM_NEURON_DEVICE_READY ? "yes" : "no",
		       neighbour(info.east_neighbour, e, sizeof(e)),
		       neighbour(info.west_neighbour, w, sizeof(w)), info.fw_status);
		print_owners(ni);
		if (verbose)
			printf("         arch %u, %u DMA engines/NC x %u queues, %u DRAM channels, "
			       "%u semaphores and %u events per NC, %u neighbour(s), NUMA node %d\n",
			       info.arch, info.dma_engines_per_nc, info.queues_per_engine,
			       info.dram_channels, info.semaphores_per_nc, info.events_per_nc,
			       info.neighbour_count, ni->numa_node);
	}
	if (!n)
		printf("(no neuron devices)\n");
}

/* A JSON string of the few characters our fields can hold. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

/* null for "no neighbour" */
static void json_neighbour(const char *key, uint32_t id)
{
	if (id == DRM_NEURON_NO_NEIGHBOUR)
		printf(", \"%s\": null", key);
	else
		printf(", \"%s\": %u", key, id);
}

/* "nc_owners": [null, {"client_id": 7, "pid": 1234, "comm": "x"}, ...], or null. */
static void json_owners(const struct neuron_node_info *ni)
{
	struct neuron_nc_owner o[MAX_NCS];
	int n = node_owners(ni, o);

	printf(", \"nc_owners\": ");
	if (n < 0) {
		printf("null");
		return;
	}
	printf("[");
	for (int i = 0; i < n; i++) {
		printf("%s", i ? ", " : "");
		if (!o[i].owned) {
			printf("null");
			continue;
		}
		printf("{\"client_id\": %llu, \"pid\": %d, \"comm\": ",
		       (unsigned long long)o[i].client_id, o[i].pid);
		json_str(o[i].comm);
		printf("}");
	}
	printf("]");
}

static void print_json(const struct neuron_node_info *list, int n)
{
	printf("[");
	for (int i = 0; i < n; i++) {
		const struct neuron_node_info *ni = &list[i];
		struct drm_neuron_device_info info;
		char err[256];

		printf("%s\n  {\"node\": ", i ? "," : "");
		json_str(ni->node);
		printf(", \"pci_addr\": ");
		json_str(ni->pci_addr);
		printf(", \"minor\": %u, \"pci_vendor\": %u, \"pci_device\": %u, "
		       "\"pci_revision\": %u, \"numa_node\": %d, \"core_count\": %u, "
		       "\"connected\": [", ni->minor, ni->pci_vendor, ni->pci_device,
		       ni->pci_revision, ni->numa_node, ni->core_count);
		for (uint32_t c = 0; c < ni->connected_count; c++)
			printf("%s%u", c ? ", " : "", ni->connected[c]);
		printf("]");
		if (node_info(ni, &info, err, sizeof(err))) {
			printf(", \"error\": ");
			json_str(err);
			printf("}");
			continue;
		}
		printf(", \"device_index\": %u, \"arch\": %u, \"nc_count\": %u, "
		       "\"dma_engines_per_nc\": %u, \"queues_per_engine\": %u, "
		       "\"dram_channels\": %u, \"dram_size\": %llu, \"semaphores_per_nc\": %u, "
		       "\"events_per_nc\": %u, \"fw_status\": %u, \"state\": %u, \"ready\": %s, "
		       "\"neighbour_count\": %u", info.device_index, info.arch, info.nc_count,
		       info.dma_engines_per_nc, info.queues_per_engine, info.dram_channels,
		       (unsigned long long)info.dram_size, info.semaphores_per_nc,
		       info.events_per_nc, info.fw_status, info.state,
		       info.state & DRM_NEURON_DEVICE_READY ? "true" : "false",
		       info.neighbour_count);
		json_neighbour("east", info.east_neighbour);
		json_neighbour("west", info.west_neighbour);
		json_owners(ni);
		printf("}");
	}
	printf("%s]\n", n ? "\n" : "");
}

static void usage(FILE *f, const char *argv0)
{
	fprintf(f, "usage: %s [-v] [--json]\n", argv0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct neuron_node_info *list;
	int verbose = 0, json = 0, c, n;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	n = neuron_list_devices(&list);
	if (n < 0) {
		fprintf(stderr, "neuron-ls: %s\n", neuron_last_error());
		return 1;
	}
	if (json)
		print_json(list, n);
	else
		print_table(list, n, verbose);
	neuron_free_devices(list);
	return 0;
}
