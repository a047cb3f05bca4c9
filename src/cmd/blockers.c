/*
 * ddlgate blockers [--dsn DSN] [--application-name NAME] [--watch SECONDS
 * [--count N]]: which sessions hold the locks that waiting sessions (a
 * migration) queue behind, where they connect from, and how many queries
 * stall behind each waiter.
 * Exit 0: nobody waits; 1: someone waits; 2: cannot ask the server.
 * Under --watch, Ctrl-C ends with 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "db/db.h"

static void print_duration(FILE *out, double s)
{
	if (s < 0)
		fputs("-", out);
	else if (s < 60)
		fprintf(out, "%.1fs", s);
	else if (s < 3600)
		fprintf(out, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		fprintf(out, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
}

/* Where a session connects from: what `lsof -i` / `ss -tp` on that host finds. */
static void print_client(FILE *out, const struct dg_blocker *b)
{
	if (*b->client_addr) {
		const char *host = *b->client_hostname ? b->client_hostname : NULL;
		int v6 = strchr(b->client_addr, ':') != NULL;
		fputs(", from ", out);
		if (host)
			fprintf(out, "%s (", host);
		fprintf(out, v6 ? "[%s]:%d" : "%s:%d", b->client_addr, b->client_port);
		if (host)
			fputc(')', out);
	} else if (b->client_port == -1) {
		fputs(", from a local Unix socket (no address: look for its pid on the database host)", out);
	}
	if (b->backend_seconds >= 0) {
		fputs(", connected ", out);
		print_duration(out, b->backend_seconds);
		fputs(" ago", out);
	}
}

/* The heads of a waiter's queue, for the help of a blocker that waits itself. */
static void print_heads(FILE *out, const struct dg_blocked *w)
{
	int first = 1;
	for (size_t k = 0; k < w->n_blockers; k++) {
		if (!w->blockers[k].head)
			continue;
		fprintf(out, "%s%d", first ? " (pid " : ", ", w->blockers[k].pid);
		first = 0;
	}
	if (!first)
		fputc(')', out);
}

/* The way out for one blocker: idle sessions ignore cancel, so terminate. */
static void print_help(FILE *out, const struct dg_blocked *w, const struct dg_blocker *b)
{
	if (!b->pid) {
		fputs("  help: SELECT gid, prepared, owner FROM pg_prepared_xacts;  -- then COMMIT PREPARED or ROLLBACK PREPARED 'gid'\n",
		      out);
	} else if (!strncmp(b->state, "idle in transaction", 19)) {
		fprintf(out, "  help: SELECT pg_terminate_backend(%d);  -- idle in transaction: only ending the session releases its locks\n",
			b->pid);
	} else if (b->waiting) {
		fprintf(out, "  help: pid %d waits itself; deal with the session at the head of the queue first",
			b->pid);
		print_heads(out, w);
		fputc('\n', out);
	} else {
		fprintf(out, "  help: SELECT pg_cancel_backend(%d);  -- or wait for it to finish\n", b->pid);
	}
}

static void print_blocker(FILE *out, const struct dg_blocked *w, const struct dg_blocker *b)
{
	int indent = 2 * b->depth;
	fprintf(out, "%*sblocked by pid %d", indent, "", b->pid);
	if (b->head && b->depth > 1)
		fprintf(out, " [head of the queue, holds up pid %d]", b->blocks);
	else if (b->head)
		fputs(" [head of the queue]", out);
	else if (b->depth > 1)
		fprintf(out, " [holds up pid %d]", b->blocks);
	fprintf(out, " (%s for ", b->state);
	print_duration(out, b->state_seconds);
	fputs(", transaction open ", out);
	print_duration(out, b->xact_seconds);
	fprintf(out, ", application \"%s\", user \"%s\"", b->application, b->user);
	print_client(out, b);
	fprintf(out, "):\n%*s  %s\n", indent, "", b->query);
	print_help(out, w, b);
}

static void print_text(FILE *out, const struct dg_blocked *w, size_t n)
{
	if (!n) {
		fprintf(out, "no session is waiting for a lock\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "pid %d (application \"%s\", user \"%s\") waits ", w[i].pid,
			w[i].application, w[i].user);
		print_duration(out, w[i].wait_seconds);
		if (*w[i].lock_mode && *w[i].relation)
			fprintf(out, " for %s on \"%s\"", w[i].lock_mode, w[i].relation);
		else if (*w[i].lock_mode)
			fprintf(out, " for %s", w[i].lock_mode);
		if (w[i].n_queued)
			fprintf(out, "; %zu session%s queued behind it", w[i].n_queued,
				w[i].n_queued == 1 ? "" : "s");
		fprintf(out, ":\n    %s\n", w[i].query);
		for (size_t k = 0; k < w[i].n_blockers; k++)
			print_blocker(out, &w[i], &w[i].blockers[k]);
	}
	fprintf(out, "tip: start migrations with SET lock_timeout = '2s'; so they fail fast instead of queueing every query behind them\n");
}

/* "" (not there) is null in JSON. */
static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static void json_blocker(struct dg_buf *b, const struct dg_blocker *bl)
{
	dg_buf_addf(b, "{\"pid\": %d", bl->pid);
	dg_buf_add_json_member(b, "state", bl->state);
	dg_buf_add_json_member(b, "application_name", bl->application);
	dg_buf_add_json_member(b, "user", bl->user);
	dg_buf_add_json_member(b, "client_addr", or_null(bl->client_addr));
	dg_buf_add_json_member(b, "client_hostname", or_null(bl->client_hostname));
	if (bl->client_port)
		dg_buf_addf(b, ", \"client_port\": %d", bl->client_port);
	else
		dg_buf_adds(b, ", \"client_port\": null");
	dg_buf_add_json_member(b, "backend_start", or_null(bl->backend_start));
	dg_buf_add_json_member(b, "xact_start", or_null(bl->xact_start));
	dg_buf_addf(b, ", \"transaction_seconds\": %.3f, \"state_seconds\": %.3f, \"waiting\": %s, \"head\": %s, \"depth\": %d, \"blocks\": %d",
		    bl->xact_seconds, bl->state_seconds, bl->waiting ? "true" : "false",
		    bl->head ? "true" : "false", bl->depth, bl->blocks);
	dg_buf_add_json_member(b, "query", bl->query);
	dg_buf_addch(b, '}');
}

static void json_blocked(struct dg_buf *b, const struct dg_blocked *w)
{
	dg_buf_addf(b, "{\"pid\": %d", w->pid);
	dg_buf_add_json_member(b, "application_name", w->application);
	dg_buf_add_json_member(b, "user", w->user);
	dg_buf_add_json_member(b, "query", w->query);
	dg_buf_addf(b, ", \"waiting_seconds\": %.3f, \"lock\": {\"mode\": ", w->wait_seconds);
	dg_buf_add_json_str(b, w->lock_mode);
	dg_buf_add_json_member(b, "relation", w->relation);
	dg_buf_addf(b, "}, \"queued_behind\": %zu, \"queued_behind_pids\": [", w->n_queued);
	for (size_t k = 0; k < w->n_queued; k++)
		dg_buf_addf(b, "%s%d", k ? ", " : "", w->queued[k]);
	dg_buf_adds(b, "],\n   \"blocked_by\": [");
	for (size_t k = 0; k < w->n_blockers; k++) {
		if (k)
			dg_buf_adds(b, ",\n     ");
		json_blocker(b, &w->blockers[k]);
	}
	dg_buf_adds(b, "]}");
}

/* One document; on one line (JSON Lines) when watching into a pipe or file. */
static void print_json(FILE *out, const struct dg_blocked *w, size_t n, const char *time,
		       int one_line)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_adds(&b, "{");
	if (time) {
		dg_buf_adds(&b, "\"time\": ");
		dg_buf_add_json_str(&b, time);
		dg_buf_adds(&b, ", ");
	}
	dg_buf_adds(&b, "\"blocked\": [");
	for (size_t i = 0; i < n; i++) {
		dg_buf_adds(&b, i ? ",\n  " : "\n  ");
		json_blocked(&b, &w[i]);
	}
	dg_buf_adds(&b, n ? "\n]}\n" : "]}\n");
	if (one_line) {
		/* every newline but the last is layout: strings escape theirs */
		size_t k = 0;
		for (size_t i = 0; i < b.len; i++)
			if (b.ptr[i] != '\n' || i + 1 == b.len)
				b.ptr[k++] = b.ptr[i];
		b.len = k;
	}
	fwrite(b.ptr, 1, b.len, out);
	fflush(out);
	dg_buf_release(&b);
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Sleep up to `seconds`, waking early when interrupted. */
static void nap(double seconds)
{
	while (seconds > 0 && !interrupted) {
		double step = seconds < 0.1 ? seconds : 0.1;
		struct timespec ts = { 0, (long)(step * 1e9) };
		nanosleep(&ts, NULL);
		seconds -= step;
	}
}

struct blockers_opts {
	const char *dsn, *app;
	enum dg_out_format format;
	double watch;              /* seconds between refreshes; 0: once */
	long count;                /* refreshes before stopping; 0: until interrupted */
};

/* One refresh: ask, print. 0/1 as the exit status, 2 on a server error. */
static int refresh(struct dg_db *db, const struct blockers_opts *o, int tty, long round)
{
	struct dg_arena a;
	struct dg_blocked *w;
	size_t n;
	int rc;
	dg_arena_init(&a);
	const char *now = o->watch ? dg_db_now(&a, db) : NULL;
	if ((o->watch && !now) || dg_db_blockers(&a, db, o->app, &w, &n) < 0) {
		rc = dg_cli_fail("blockers: %s", dg_last_error());
		dg_arena_release(&a);
		return rc;
	}
	if (o->watch && tty)
		fputs("\033[H\033[2J", stdout); /* redraw in place */
	if (o->watch && o->format == DG_OUT_TEXT)
		printf("%sddlgate blockers, every %gs, %s%s\n\n", !tty && round ? "\n" : "", o->watch,
		       now, tty ? " (Ctrl-C to stop)" : "");
	if (o->format == DG_OUT_JSON)
		print_json(stdout, w, n, now, o->watch && !tty);
	else
		print_text(stdout, w, n);
	fflush(stdout);
	dg_arena_release(&a);
	return n ? DG_EXIT_FINDINGS : DG_EXIT_OK;
}

static int run_blockers(const struct blockers_opts *o)
{
	struct dg_db *db;
	if (dg_db_connect(&db, o->dsn, "ddlgate-blockers", 0) < 0)
		return dg_cli_fail("blockers: %s", dg_last_error());
	if (!o->watch) {
		int rc = refresh(db, o, 0, 0);
		dg_db_close(db);
		return rc;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	int tty = isatty(STDOUT_FILENO);
	int rc = DG_EXIT_OK;
	for (long round = 0; !interrupted && (!o->count || round < o->count); round++) {
		if (round)
			nap(o->watch);
		if (interrupted)
			break;
		rc = refresh(db, o, tty, round);
		if (rc == DG_EXIT_ERROR)
			break;
	}
	dg_db_close(db);
	if (interrupted && rc != DG_EXIT_ERROR)
		return DG_EXIT_OK;
	return rc;
}

static int parse_positive(const char *opt, const char *v, double min, double *out)
{
	char *end;
	double d = strtod(v, &end);
	if (!*v || *end || !(d >= min) || d > 86400 * 365.0)
		return dg_error("%s must be a number of at least %g, not '%s'", opt, min, v);
	*out = d;
	return 0;
}

int cmd_blockers(int argc, char **argv)
{
	struct dg_cli cli;
	struct blockers_opts o = { 0 };
	const char *watch = NULL, *count = NULL;
	const struct dg_cli_valopt values[] = {
		{ "--dsn", &o.dsn, NULL }, { "--application-name", &o.app, NULL },
		{ "--watch", &watch, NULL }, { "--count", &count, NULL }, { NULL, NULL, NULL } };
	struct dg_cli_own own = { NULL, values };
	dg_cli_init(&cli);
	if (dg_cli_parse_paths(&cli, argc, argv, "blockers", dg_cli_own_options, &own, NULL, NULL)) {
		dg_cli_release(&cli);
		return DG_EXIT_ERROR;
	}
	o.format = cli.format;
	dg_cli_release(&cli);
	if (o.format != DG_OUT_TEXT && o.format != DG_OUT_JSON)
		return dg_cli_fail("blockers: --format must be text or json");
	if (watch && parse_positive("--watch", watch, 0.1, &o.watch) < 0)
		return dg_cli_fail("blockers: %s", dg_last_error());
	if (count) {
		double c;
		if (!watch)
			return dg_cli_fail("blockers: --count goes with --watch");
		if (parse_positive("--count", count, 1, &c) < 0 || c != (double)(long)c)
			return dg_cli_fail("blockers: --count must be a whole number of at least 1, not '%s'",
					   count);
		o.count = (long)c;
	}
	return run_blockers(&o);
}
