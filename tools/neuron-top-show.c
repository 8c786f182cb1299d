// SPDX-License-Identifier: MIT
/*
 * neuron-top: showing the difference of two samples, as a screen of text
 * or as one JSON object (Documentation/neuron/tools.rst describes both).
 *
 * Only what the kernel printed is shown: a memory statistic the fdinfo of
 * this kernel lacks (drm-active-* say) is left out of the JSON and shown
 * as "-" on screen, never as 0, so that scripts can tell "none" from
 * "not known".
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "neuron-top.h"

/* The host region is the one drm_print_memory_stats() calls "memory". */
#define REGION_HOST	"memory"
#define REGION_DRAM	"dram"

static const struct nt_region *region(const struct nt_region *r, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(r[i].name, name))
			return &r[i];
	return NULL;
}

static const char *size_str(char *buf, size_t len, const struct nt_region *r,
			    enum nt_mem_stat s)
{
	static const char units[] = "KMGT";
	double v;
	int u = -1;

	if (!r || !(r->have & (1u << s)))
		return "-";
	v = (double)r->bytes[s];
	if (v < 1024) {
		snprintf(buf, len, "%llu", (unsigned long long)r->bytes[s]);
		return buf;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%c", v, units[u]);
	return buf;
}

static double percent_of(const struct nt_engine_view *v, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return v[i].percent;
	return 0;
}

static int any_active(const struct nt_sample *s, int d)
{
	int i, j;

	for (i = 0; i < s->nclients; i++)
		for (j = 0; s->clients[i].dev == d && j < s->clients[i].nregions; j++)
			if (s->clients[i].regions[j].have & (1u << NT_MEM_ACTIVE))
				return 1;
	return 0;
}

static void text_device(FILE *f, const struct nt_sample *prev, const struct nt_sample *cur,
			int d)
{
	const struct nt_device *dev = &cur->devices[d];
	const struct nt_devstate *st = &cur->state[d];
	struct nt_engine_view ev[NT_MAX_ENGINES];
	struct nt_region mem[NT_MAX_REGIONS];
	const struct nt_region *host, *dram;
	struct nt_queue_view qv;
	int ne, nr, i, j, active = any_active(cur, d);
	char b1[16], b2[16], b3[16], b4[16];

	ne = nt_device_engines(prev, cur, d, ev);
	nt_device_memory(cur, d, mem, &nr);
	host = region(mem, nr, REGION_HOST);
	dram = region(mem, nr, REGION_DRAM);

	fprintf(f, "%-8s %s  busy", dev->node, dev->pci);
	for (i = 0; i < ne; i++)
		fprintf(f, "  %s %.1f%%", ev[i].name, ev[i].percent);
	fprintf(f, "\n         host %s (resident %s", size_str(b1, sizeof(b1), host, NT_MEM_TOTAL),
		size_str(b2, sizeof(b2), host, NT_MEM_RESIDENT));
	if (active)
		fprintf(f, ", active %s", size_str(b3, sizeof(b3), host, NT_MEM_ACTIVE));
	fprintf(f, ")  dram %s", size_str(b4, sizeof(b4), dram, NT_MEM_TOTAL));
	if (active)
		fprintf(f, " (active %s)", size_str(b3, sizeof(b3), dram, NT_MEM_ACTIVE));
	for (i = 0; i < nr; i++)
		if (&mem[i] != host && &mem[i] != dram)
			fprintf(f, "  %s %s", mem[i].name,
				size_str(b1, sizeof(b1), &mem[i], NT_MEM_TOTAL));
	fputc('\n', f);
	if (st->have_queues) {
		nt_device_queues(prev, cur, d, &qv);
		fprintf(f, "         queues %d (%d active)  jobs %.0f/s  in flight %llu"
			"  timeouts %llu  aborts %llu", qv.queues, qv.active, qv.jobs_per_s,
			(unsigned long long)qv.in_flight,
			(unsigned long long)qv.timeouts, (unsigned long long)qv.aborts);
	} else {
		fprintf(f, "         queues -  (debugfs not readable)");
	}
	if (st->have_resets)
		fprintf(f, "  resets %llu (%llu failed)%s", (unsigned long long)st->reset_count,
			(unsigned long long)st->reset_failures,
			st->reset_failed ? "  LAST RESET FAILED" : "");
	fputc('\n', f);
	if (st->have_owners) {
		fprintf(f, "         owners");
		for (i = 0; i < st->nowners; i++) {
			const struct nt_owner *o = &st->owners[i];

			if (o->owned)
				fprintf(f, "  nc%d %d %.16s", i, (int)o->pid, o->comm);
			else
				fprintf(f, "  nc%d -", i);
		}
		fputc('\n', f);
	}

	fprintf(f, "  %7s %-16s", "PID", "COMMAND");
	for (i = 0; i < ne; i++) {
		char up[24];

		for (j = 0; ev[i].name[j] && j < (int)sizeof(up) - 1; j++)
			up[j] = (char)(ev[i].name[j] >= 'a' && ev[i].name[j] <= 'z' ?
				       ev[i].name[j] - 32 : ev[i].name[j]);
		up[j] = '\0';
		fprintf(f, " %6s", up);
	}
	fprintf(f, " %8s %8s", "HOST", "HOST-RES");
	if (active)
		fprintf(f, " %8s", "HOST-ACT");
	fprintf(f, " %8s", "DRAM");
	if (active)
		fprintf(f, " %8s", "DRAM-ACT");
	fputc('\n', f);
	for (i = 0; i < cur->nclients; i++) {
		const struct nt_client *c = &cur->clients[i];
		struct nt_engine_view cv[NT_MAX_ENGINES];
		int nc;

		if (c->dev != d)
			continue;
		nc = nt_client_engines(prev, cur, c, cv);
		fprintf(f, "  %7d %-16.16s", (int)c->pid, c->comm);
		for (j = 0; j < ne; j++)
			fprintf(f, " %6.1f", percent_of(cv, nc, ev[j].name));
		host = region(c->regions, c->nregions, REGION_HOST);
		dram = region(c->regions, c->nregions, REGION_DRAM);
		fprintf(f, " %8s %8s", size_str(b1, sizeof(b1), host, NT_MEM_TOTAL),
			size_str(b2, sizeof(b2), host, NT_MEM_RESIDENT));
		if (active)
			fprintf(f, " %8s", size_str(b3, sizeof(b3), host, NT_MEM_ACTIVE));
		fprintf(f, " %8s", size_str(b4, sizeof(b4), dram, NT_MEM_TOTAL));
		if (active)
			fprintf(f, " %8s", size_str(b3, sizeof(b3), dram, NT_MEM_ACTIVE));
		fputc('\n', f);
	}
}

/*
 * One screen.  With @ansi the cursor goes home and the screen is cleared
 * first, so that a terminal shows one frame at a time.
 */
void nt_show_text(FILE *f, const struct nt_sample *prev, const struct nt_sample *cur,
		  int ansi)
{
	double secs = prev ? nt_seconds(&prev->when, &cur->when) : 0;
	char stamp[32];
	time_t now = time(NULL);
	int d;

	strftime(stamp, sizeof(stamp), "%H:%M:%S", localtime(&now));
	if (ansi)
		fputs("\033[H\033[2J", f);
	fprintf(f, "neuron-top  %s  interval %.2f s  %d device%s  %d client%s", stamp, secs,
		cur->ndevices, cur->ndevices == 1 ? "" : "s",
		cur->nclients, cur->nclients == 1 ? "" : "s");
	if (cur->fdinfo_denied)
		fprintf(f, "  (%d processes not readable: run as root to see all)",
			cur->fdinfo_denied);
	fputc('\n', f);
	if (!cur->ndevices)
		fprintf(f, "(no neuron devices)\n");
	for (d = 0; d < cur->ndevices; d++) {
		fputc('\n', f);
		text_device(f, prev, cur, d);
	}
	fflush(f);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_engines(FILE *f, const struct nt_engine_view *v, int n)
{
	int i;

	fputc('{', f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s", i ? ", " : "");
		json_string(f, v[i].name);
		fprintf(f, ": {\"busy_percent\": %.2f, \"busy_ns\": %llu}", v[i].percent,
			(unsigned long long)v[i].ns);
	}
	fputc('}', f);
}

static void json_memory(FILE *f, const struct nt_region *r, int n)
{
	int i;
	unsigned int s;

	fputc('{', f);
	for (i = 0; i < n; i++) {
		const char *sep = "";

		fprintf(f, "%s", i ? ", " : "");
		json_string(f, r[i].name);
		fputs(": {", f);
		for (s = 0; s < NT_MEM_STATS; s++) {
			if (!(r[i].have & (1u << s)))
				continue;
			fprintf(f, "%s\"%s\": %llu", sep, nt_mem_stat_names[s],
				(unsigned long long)r[i].bytes[s]);
			sep = ", ";
		}
		fputc('}', f);
	}
	fputc('}', f);
}

static void json_queues(FILE *f, const struct nt_sample *prev, const struct nt_sample *cur,
			int d)
{
	const struct nt_devstate *st = &cur->state[d];
	int pd = prev ? nt_device_find(prev, &cur->devices[d]) : -1, i;
	const struct nt_devstate *pst = pd >= 0 && prev->state[pd].have_queues ?
		&prev->state[pd] : NULL;
	struct nt_queue_view v;

	if (!st->have_queues) {
		fputs("null", f);
		return;
	}
	nt_device_queues(prev, cur, d, &v);
	fprintf(f, "{\"client_queues\": %d, \"active\": %d, \"jobs\": %llu, "
		"\"jobs_per_s\": %.1f, \"in_flight\": %llu, \"timeouts\": %llu, "
		"\"aborts\": %llu, \"list\": [",
		v.queues, v.active, (unsigned long long)v.jobs, v.jobs_per_s,
		(unsigned long long)v.in_flight, (unsigned long long)v.timeouts,
		(unsigned long long)v.aborts);
	for (i = 0; i < st->nqueues; i++) {
		const struct nt_queue *q = &st->queues[i];
		const struct nt_queue *pq = pst ? nt_queue_find(pst, q) : NULL;
		uint64_t jobs = !pst ? 0 : pq && q->jobs >= pq->jobs ? q->jobs - pq->jobs : q->jobs;

		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		json_string(f, q->name);
		fprintf(f, ", \"nc\": %d, \"engine\": %d, \"queue\": %d, \"kind\": \"%s\", "
			"\"jobs\": %llu, \"jobs_total\": %llu, \"in_flight\": %llu, "
			"\"timeouts\": %llu, \"slow\": %llu, \"aborts\": %llu, \"replays\": %llu}",
			q->nc, q->engine, q->qid, q->client ? "client" : "copy",
			(unsigned long long)jobs, (unsigned long long)q->jobs,
			(unsigned long long)q->in_flight, (unsigned long long)q->timeouts,
			(unsigned long long)q->slow, (unsigned long long)q->aborts,
			(unsigned long long)q->replays);
	}
	fputs("]}", f);
}

static void json_client(FILE *f, const struct nt_sample *prev, const struct nt_sample *cur,
			const struct nt_client *c)
{
	struct nt_engine_view cv[NT_MAX_ENGINES];
	int n = nt_client_engines(prev, cur, c, cv);

	fprintf(f, "{\"pid\": %d, \"command\": ", (int)c->pid);
	json_string(f, c->comm);
	fprintf(f, ", \"client_id\": %llu, \"processes\": %d",
		(unsigned long long)c->client_id, c->nprocs);
	if (c->have_nc_owned)
		fprintf(f, ", \"nc_owned\": %u", c->nc_owned);
	if (c->name[0]) {
		fputs(", \"client_name\": ", f);
		json_string(f, c->name);
	}
	fputs(", \"engines\": ", f);
	json_engines(f, cv, n);
	fputs(", \"memory\": ", f);
	json_memory(f, c->regions, c->nregions);
	fputc('}', f);
}

/* [null, {"client_id": 7, "pid": 1234, "command": "x"}, ...], or null without sysfs. */
static void json_owners(FILE *f, const struct nt_devstate *st)
{
	if (!st->have_owners) {
		fputs("null", f);
		return;
	}
	fputc('[', f);
	for (int i = 0; i < st->nowners; i++) {
		const struct nt_owner *o = &st->owners[i];

		fputs(i ? ", " : "", f);
		if (!o->owned) {
			fputs("null", f);
			continue;
		}
		fprintf(f, "{\"client_id\": %llu, \"pid\": %d, \"command\": ",
			(unsigned long long)o->client_id, (int)o->pid);
		json_string(f, o->comm);
		fputc('}', f);
	}
	fputc(']', f);
}

/* One JSON object on one line (so that a live --json run is JSON Lines). */
void nt_show_json(FILE *f, const struct nt_sample *prev, const struct nt_sample *cur)
{
	double secs = prev ? nt_seconds(&prev->when, &cur->when) : 0;
	char stamp[32];
	time_t now = time(NULL);
	int d, i, first;

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(f, "{\"time\": \"%s\", \"interval_s\": %.3f, \"fdinfo_denied\": %d, \"devices\": [",
		stamp, secs, cur->fdinfo_denied);
	for (d = 0; d < cur->ndevices; d++) {
		const struct nt_device *dev = &cur->devices[d];
		const struct nt_devstate *st = &cur->state[d];
		struct nt_engine_view ev[NT_MAX_ENGINES];
		struct nt_region mem[NT_MAX_REGIONS];
		int ne = nt_device_engines(prev, cur, d, ev), nr;

		nt_device_memory(cur, d, mem, &nr);
		fprintf(f, "%s{\"node\": ", d ? ", " : "");
		json_string(f, dev->node);
		fputs(", \"path\": ", f);
		json_string(f, dev->path);
		fputs(", \"pci\": ", f);
		json_string(f, dev->pci);
		fprintf(f, ", \"nc_count\": %d, \"engines\": ", dev->nc_count);
		json_engines(f, ev, ne);
		fputs(", \"memory\": ", f);
		json_memory(f, mem, nr);
		fputs(", \"queues\": ", f);
		json_queues(f, prev, cur, d);
		fputs(", \"resets\": ", f);
		if (st->have_resets)
			fprintf(f, "{\"count\": %llu, \"failures\": %llu, \"failed\": %s}",
				(unsigned long long)st->reset_count,
				(unsigned long long)st->reset_failures,
				st->reset_failed ? "true" : "false");
		else
			fputs("null", f);
		fputs(", \"nc_owners\": ", f);
		json_owners(f, st);
		fputs(", \"clients\": [", f);
		for (i = 0, first = 1; i < cur->nclients; i++) {
			if (cur->clients[i].dev != d)
				continue;
			fputs(first ? "" : ", ", f);
			first = 0;
			json_client(f, prev, cur, &cur->clients[i]);
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
	fflush(f);
}
