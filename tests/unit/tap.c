/* TAP output for the unit tests; any failure makes the program exit 1. */
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int n_run, n_failed;

int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	n_run++;
	printf("%s %d - ", cond ? "ok" : "not ok", n_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		n_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

int tap_is_int(long got, long want, const char *file, int line, const char *what)
{
	int c = tap_ok(got == want, file, line, "%s", what);
	if (!c)
		printf("#   got %ld, want %ld\n", got, want);
	return c;
}

int tap_is_str(const char *got, const char *want, const char *file, int line, const char *what)
{
	int c = tap_ok(got && want && !strcmp(got, want), file, line, "%s", what);
	if (!c)
		printf("#   got '%s', want '%s'\n", got ? got : "(null)", want ? want : "(null)");
	return c;
}

int tap_done(void)
{
	printf("1..%d\n", n_run);
	if (n_run == 0) {
		printf("# no test ran\n");
		return 1;
	}
	if (n_failed)
		printf("# %d of %d failed\n", n_failed, n_run);
	return n_failed ? 1 : 0;
}
