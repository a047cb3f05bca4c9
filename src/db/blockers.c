/*
 * What is blocking my migration: every session waiting for a lock, the
 * sessions in its way, and how long each has been there. One read-only
 * query over pg_stat_activity, pg_locks and pg_blocking_pids() (9.6+).
 */
#include "db/db.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

static const char blockers_sql[] =
	"SELECT w.pid, coalesce(w.application_name, ''), coalesce(w.usename::text, ''),\n"
	"       coalesce(w.query, ''),\n"
	"       extract(epoch FROM now() - coalesce(w.state_change, now()))::float8,\n"
	"       coalesce(l.mode, ''), coalesce(l.relation::regclass::text, ''),\n"
	"       b.pid, coalesce(b.state, ''), coalesce(b.application_name, ''),\n"
	"       coalesce(b.usename::text, ''),\n"
	"       coalesce(extract(epoch FROM now() - b.xact_start)::float8, -1),\n"
	"       extract(epoch FROM now() - coalesce(b.state_change, now()))::float8,\n"
	"       coalesce(b.query, ''), coalesce(b.wait_event_type, '')\n"
	"FROM pg_stat_activity w\n"
	"CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)\n"
	"JOIN pg_stat_activity b ON b.pid = bp.pid\n"
	"LEFT JOIN LATERAL (SELECT mode, relation FROM pg_locks\n"
	"                   WHERE pid = w.pid AND NOT granted\n"
	"                   ORDER BY relation IS NULL LIMIT 1) l ON true\n"
	"WHERE w.pid <> pg_backend_pid() AND ($1 = '' OR w.application_name = $1)\n"
	"ORDER BY w.pid, b.pid";

/* libpq messages end in a newline and may run over lines: keep the first. */
static int db_error(const char *what, const char *msg)
{
	size_t l = strcspn(msg ? msg : "", "\r\n");
	return dg_error("%s: %.*s", what, (int)l, msg ? msg : "");
}

static const char *cell(struct dg_arena *a, const PGresult *r, int row, int col)
{
	return dg_strdup(a, PQgetvalue(r, row, col));
}

static double cell_f(const PGresult *r, int row, int col)
{
	return strtod(PQgetvalue(r, row, col), NULL);
}

static void fill_blocked(struct dg_arena *a, const PGresult *r, int row, struct dg_blocked *w)
{
	w->pid = atoi(PQgetvalue(r, row, 0));
	w->application = cell(a, r, row, 1);
	w->user = cell(a, r, row, 2);
	w->query = cell(a, r, row, 3);
	w->wait_seconds = cell_f(r, row, 4);
	w->lock_mode = cell(a, r, row, 5);
	w->relation = cell(a, r, row, 6);
}

static void fill_blocker(struct dg_arena *a, const PGresult *r, int row, struct dg_blocker *b)
{
	b->pid = atoi(PQgetvalue(r, row, 7));
	b->state = cell(a, r, row, 8);
	b->application = cell(a, r, row, 9);
	b->user = cell(a, r, row, 10);
	b->xact_seconds = cell_f(r, row, 11);
	b->state_seconds = cell_f(r, row, 12);
	b->query = cell(a, r, row, 13);
	b->wait_event_type = cell(a, r, row, 14);
}

/* Rows come ordered by waiting pid: group them into one entry per waiter. */
static void group_rows(struct dg_arena *a, const PGresult *r, struct dg_blocked **out, size_t *n_out)
{
	int rows = PQntuples(r);
	struct dg_blocked *list = rows ? dg_alloc(a, (size_t)rows * sizeof(*list)) : NULL;
	size_t n = 0;
	for (int i = 0; i < rows;) {
		struct dg_blocked *w = &list[n++];
		int first = i;
		fill_blocked(a, r, i, w);
		while (i < rows && atoi(PQgetvalue(r, i, 0)) == w->pid)
			i++;
		w->n_blockers = (size_t)(i - first);
		w->blockers = dg_alloc(a, w->n_blockers * sizeof(*w->blockers));
		for (int k = first; k < i; k++)
			fill_blocker(a, r, k, &w->blockers[k - first]);
	}
	*out = list;
	*n_out = n;
}

int dg_db_blockers(struct dg_arena *a, const char *dsn, const char *app,
		   struct dg_blocked **out, size_t *n_out)
{
	const char *params[1] = { app ? app : "" };
	*out = NULL;
	*n_out = 0;
	PGconn *conn = PQconnectdb(dsn ? dsn : "");
	if (!conn)
		return dg_error("cannot connect: out of memory");
	if (PQstatus(conn) != CONNECTION_OK) {
		int r = db_error("cannot connect", PQerrorMessage(conn));
		PQfinish(conn);
		return r;
	}
	if (PQserverVersion(conn) < 90600) {
		PQfinish(conn);
		return dg_error("the server is older than PostgreSQL 9.6 (no pg_blocking_pids())");
	}
	PGresult *res = PQexecParams(conn, blockers_sql, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		int r = db_error("query failed", PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(conn);
		return r;
	}
	group_rows(a, res, out, n_out);
	PQclear(res);
	PQfinish(conn);
	return 0;
}
