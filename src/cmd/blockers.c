/*
 * ddlgate blockers [--dsn DSN] [--application-name NAME]: which sessions
 * hold the locks that waiting sessions (a migration) queue behind.
 * Exit 0: nobody waits; 1: someone waits; 2: cannot ask the server.
 */
#include <stdio.h>
#include <string.h>

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

/* The way out for one blocker: idle sessions ignore cancel, so terminate. */
static void print_help(FILE *out, const struct dg_blocker *b)
{
	if (!strncmp(b->state, "idle in transaction", 19))
		fprintf(out, "  help: SELECT pg_terminate_backend(%d);  -- idle in transaction: only ending the session releases its locks\n",
			b->pid);
	else if (!strcmp(b->wait_event_type, "Lock"))
		fprintf(out, "  help: pid %d waits itself; deal with the session at the head of the queue first\n",
			b->pid);
	else
		fprintf(out, "  help: SELECT pg_cancel_backend(%d);  -- or wait for it to finish\n", b->pid);
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
		fprintf(out, ":\n    %s\n", w[i].query);
		for (size_t k = 0; k < w[i].n_blockers; k++) {
			const struct dg_blocker *b = &w[i].blockers[k];
			fprintf(out, "  blocked by pid %d (%s for ", b->pid, b->state);
			print_duration(out, b->state_seconds);
			fputs(", transaction open ", out);
			print_duration(out, b->xact_seconds);
			fprintf(out, ", application \"%s\", user \"%s\"):\n    %s\n", b->application,
				b->user, b->query);
			print_help(out, b);
		}
	}
	fprintf(out, "tip: start migrations with SET lock_timeout = '2s'; so they fail fast instead of queueing every query behind them\n");
}

static void print_json(FILE *out, const struct dg_blocked *w, size_t n)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_adds(&b, "{\"blocked\": [");
	for (size_t i = 0; i < n; i++) {
		dg_buf_addf(&b, "%s\n  {\"pid\": %d, \"application_name\": ", i ? "," : "", w[i].pid);
		dg_buf_add_json_str(&b, w[i].application);
		dg_buf_adds(&b, ", \"user\": ");
		dg_buf_add_json_str(&b, w[i].user);
		dg_buf_adds(&b, ", \"query\": ");
		dg_buf_add_json_str(&b, w[i].query);
		dg_buf_addf(&b, ", \"waiting_seconds\": %.3f, \"lock\": {\"mode\": ", w[i].wait_seconds);
		dg_buf_add_json_str(&b, w[i].lock_mode);
		dg_buf_adds(&b, ", \"relation\": ");
		dg_buf_add_json_str(&b, w[i].relation);
		dg_buf_adds(&b, "}, \"blocked_by\": [");
		for (size_t k = 0; k < w[i].n_blockers; k++) {
			const struct dg_blocker *bl = &w[i].blockers[k];
			dg_buf_addf(&b, "%s{\"pid\": %d, \"state\": ", k ? ", " : "", bl->pid);
			dg_buf_add_json_str(&b, bl->state);
			dg_buf_adds(&b, ", \"application_name\": ");
			dg_buf_add_json_str(&b, bl->application);
			dg_buf_adds(&b, ", \"user\": ");
			dg_buf_add_json_str(&b, bl->user);
			dg_buf_addf(&b, ", \"transaction_seconds\": %.3f, \"state_seconds\": %.3f, \"waiting\": %s, \"query\": ",
				    bl->xact_seconds, bl->state_seconds,
				    !strcmp(bl->wait_event_type, "Lock") ? "true" : "false");
			dg_buf_add_json_str(&b, bl->query);
			dg_buf_addch(&b, '}');
		}
		dg_buf_adds(&b, "]}");
	}
	dg_buf_adds(&b, n ? "\n]}\n" : "]}\n");
	fwrite(b.ptr, 1, b.len, out);
	dg_buf_release(&b);
}

int cmd_blockers(int argc, char **argv)
{
	struct dg_cli cli;
	const char *dsn = NULL, *app = NULL;
	dg_cli_init(&cli);
	for (int i = 1; i < argc; i++) {
		int r = dg_cli_value("--dsn", argc, argv, &i, &dsn);
		if (!r)
			r = dg_cli_value("--application-name", argc, argv, &i, &app);
		if (!r)
			r = dg_cli_option(&cli, argc, argv, &i);
		if (r < 0) {
			dg_cli_release(&cli);
			return dg_cli_fail("blockers: %s", dg_last_error());
		}
		if (!r) {
			dg_cli_release(&cli);
			return dg_cli_fail("blockers: unexpected argument '%s' (see `ddlgate blockers --help`)", argv[i]);
		}
	}
	if (cli.format != DG_OUT_TEXT && cli.format != DG_OUT_JSON) {
		dg_cli_release(&cli);
		return dg_cli_fail("blockers: --format must be text or json");
	}

	struct dg_arena a;
	struct dg_blocked *w;
	size_t n;
	dg_arena_init(&a);
	if (dg_db_blockers(&a, dsn, app, &w, &n) < 0) {
		int rc = dg_cli_fail("blockers: %s", dg_last_error());
		dg_arena_release(&a);
		dg_cli_release(&cli);
		return rc;
	}
	if (cli.format == DG_OUT_JSON)
		print_json(stdout, w, n);
	else
		print_text(stdout, w, n);
	dg_arena_release(&a);
	dg_cli_release(&cli);
	return n ? DG_EXIT_FINDINGS : DG_EXIT_OK;
}
