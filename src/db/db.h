/*
 * Live-server commands: the only place that includes <libpq-fe.h>.
 * Read-only: ddlgate asks the server questions, it never changes anything.
 */
#ifndef DG_DB_H
#define DG_DB_H

#include <stddef.h>

#include "core/core.h"

/* A session holding (or queued ahead for) a lock another session waits for. */
struct dg_blocker {
	int pid;
	const char *state;          /* "idle in transaction", "active", ... */
	const char *application;
	const char *user;
	double xact_seconds;        /* age of its transaction, -1 when none */
	double state_seconds;       /* time in its current state */
	const char *query;          /* last statement it ran */
	const char *wait_event_type;/* "Lock" when it waits itself */
};

/* A session that waits for a lock, and who is in its way. */
struct dg_blocked {
	int pid;
	const char *application;
	const char *user;
	const char *query;
	double wait_seconds;
	const char *lock_mode;      /* mode it waits for, "" when not a relation lock */
	const char *relation;       /* as regclass prints it, "" when not a relation */
	struct dg_blocker *blockers;
	size_t n_blockers;
};

/*
 * Every waiting session (only those whose application_name is `app` when
 * app is non-empty) with its blockers, from pg_stat_activity, pg_locks and
 * pg_blocking_pids(). dsn may be NULL or "" (libpq's PG* environment).
 */
int dg_db_blockers(struct dg_arena *a, const char *dsn, const char *app,
		   struct dg_blocked **out, size_t *n_out);

#endif
