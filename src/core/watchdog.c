/*
 * The watchdog: a command that reads git must end, even when a damaged
 * object sends a library into an endless loop (libgit2 1.5 spins forever
 * inflating a truncated loose object). An alarm fires after the configured
 * time and the process exits 2 with a one-line message naming what it was
 * reading. Everything the signal handler touches is static and
 * async-signal-safe.
 */
#include "core/watchdog.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char doing[160] = "the repository";
static char message[400];
static unsigned armed_seconds;

static void on_alarm(int sig)
{
	(void)sig;
	/* built here from static buffers only: snprintf is not signal-safe */
	size_t n = 0;
	const char *parts[] = { "ddlgate: gave up after ", NULL, " s (timeout_seconds) reading ",
				doing, "; the repository may be damaged: run `git fsck`\n" };
	char secs[16];
	int k = (int)sizeof(secs) - 1;
	unsigned v = armed_seconds;
	secs[k] = '\0';
	do {
		secs[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v && k > 0);
	parts[1] = secs + k;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t l = strlen(parts[i]);
		if (n + l >= sizeof(message))
			l = sizeof(message) - 1 - n;
		memcpy(message + n, parts[i], l);
		n += l;
	}
	if (write(STDERR_FILENO, message, n) < 0) {
		/* nothing left to do: exit with the status either way */
	}
	_exit(2);
}

void dg_watchdog_arm(unsigned seconds)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	armed_seconds = seconds;
	alarm(seconds);
}

void dg_watchdog_rearm(unsigned seconds)
{
	if (armed_seconds)
		dg_watchdog_arm(seconds);
}

void dg_watchdog_disarm(void)
{
	alarm(0);
	armed_seconds = 0;
}

void dg_watchdog_doing(const char *what)
{
	/* a torn string would still end in NUL: the last byte is never written */
	size_t l = strlen(what);
	if (l > sizeof(doing) - 1)
		l = sizeof(doing) - 1;
	memcpy(doing, what, l);
	doing[l] = '\0';
}
