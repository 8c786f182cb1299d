// SPDX-License-Identifier: MIT
/*
 * neuron-top: a live view of the neuron devices and their clients: engine
 * busy % per NeuronCore, host and DRAM memory, queues and jobs, resets.
 *
 * Every refresh takes a sample (neuron-top-sample.c) and shows its
 * difference from the previous one (neuron-top-view.c, neuron-top-show.c).
 * The screen is plain ANSI (home, clear), so that the tool needs no
 * library beyond libc.  Usage and output: Documentation/neuron/tools.rst.
 *
 * Copyright (c) 2026 The neuron driver authors
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "neuron-top.h"

static volatile sig_atomic_t stop;
static struct termios saved_tty;
static int tty_raw;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
		"usage: %s [-d SECONDS] [-n COUNT] [--once] [--json] [-h]\n"
		"Live view of the neuron accel devices and their clients.\n"
		"  -d, --delay SECONDS  interval between samples (default 2; fractions allowed)\n"
		"  -n, --iterations N   stop after N refreshes\n"
		"  -1, --once           sample over one interval, print it, exit (-n 1)\n"
		"  -j, --json           print JSON, one object per line per refresh\n"
		"  -h, --help           this text\n"
		"Interactive: q quits.  Reads /proc/<pid>/fdinfo (other users' processes need\n"
		"root) and /sys/kernel/debug/accel (queues and resets: root, debugfs mounted).\n",
		argv0);
}

static void tty_restore(void)
{
	if (!tty_raw)
		return;
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	/* Cursor back on, leave the alternate screen. */
	fputs("\033[?25h\033[?1049l", stdout);
	fflush(stdout);
	tty_raw = 0;
}

/* Keys without Enter and no echo, in an alternate screen, like top(1). */
static void tty_setup(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty))
		return;
	t = saved_tty;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t))
		return;
	tty_raw = 1;
	atexit(tty_restore);
	fputs("\033[?1049h\033[?25l", stdout);
}

/* Sleeps until @deadline; returns 1 if the user asked to quit. */
static int wait_until(const struct timespec *deadline)
{
	for (;;) {
		struct timespec now;
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		double left;
		char c;

		if (stop)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = nt_seconds(&now, deadline);
		if (left <= 0)
			return 0;
		if (!tty_raw) {
			struct timespec ts = { (time_t)left,
					       (long)((left - (time_t)left) * 1e9) };

			nanosleep(&ts, NULL);
			continue;
		}
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		/* Readable with nothing to read: the terminal hung up. */
		if (read(STDIN_FILENO, &c, 1) != 1 || c == 'q' || c == 'Q')
			return 1;
	}
}

static void add_seconds(struct timespec *t, double secs)
{
	long long ns = t->tv_nsec + (long long)(secs * 1e9);

	t->tv_sec += ns / 1000000000;
	t->tv_nsec = ns % 1000000000;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "once", no_argument, NULL, '1' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct nt_sample *prev, *cur, *tmp;
	struct timespec next;
	double delay = 2;
	long count = 0, shown;
	int json = 0, ansi, c;
	char *end;

	while ((c = getopt_long(argc, argv, "d:n:1jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			delay = strtod(optarg, &end);
			if (end == optarg || *end || !(delay > 0) || delay > 86400) {
				fprintf(stderr, "neuron-top: bad interval '%s'\n", optarg);
				return 2;
			}
			break;
		case 'n':
			count = strtol(optarg, &end, 10);
			if (end == optarg || *end || count < 1) {
				fprintf(stderr, "neuron-top: bad count '%s'\n", optarg);
				return 2;
			}
			break;
		case '1':
			count = 1;
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
	if (optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}

	prev = calloc(1, sizeof(*prev));
	cur = calloc(1, sizeof(*cur));
	if (!prev || !cur) {
		fprintf(stderr, "neuron-top: %s\n", strerror(ENOMEM));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* A screen that redraws only makes sense for a person at a terminal. */
	ansi = !json && count != 1 && isatty(STDOUT_FILENO);
	if (ansi)
		tty_setup();

	nt_sample_take(prev);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (shown = 0; !count || shown < count; shown++) {
		add_seconds(&next, delay);
		if (wait_until(&next))
			break;
		nt_sample_take(cur);
		if (json)
			nt_show_json(stdout, prev, cur);
		else
			nt_show_text(stdout, prev, cur, ansi);
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	tty_restore();
	nt_sample_free(prev);
	nt_sample_free(cur);
	free(prev);
	free(cur);
	return 0;
}
