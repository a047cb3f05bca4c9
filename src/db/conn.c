/*
 * Connections to a live server and the small libpq helpers the live
 * commands share: connect (optionally without the PG* environment),
 * run, read cells, report libpq's message on one line.
 */
#include "db/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dg_db_error(const char *what, const char *msg)
{
	size_t l = strcspn(msg ? msg : "", "\r\n");
	return dg_error("%s: %.*s", what, (int)l, msg ? msg : "");
}

const char *dg_db_first_line(struct dg_arena *a, const char *msg)
{
	return dg_strndup(a, msg ? msg : "", strcspn(msg ? msg : "", "\r\n"));
}

/*
 * The libpq variables that choose which server, database and user: a
 * command that must only ever reach the server it was told (trace) does
 * not read them. Passwords (PGPASSWORD, ~/.pgpass) and TLS settings still
 * apply: they do not change the target.
 */
static const char *const target_env[] = {
	"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE",
	"PGSERVICEFILE", "PGOPTIONS", "PGTARGETSESSIONATTRS",
};

int dg_db_connect(struct dg_db **out, const char *dsn, const char *application_name,
		  int ignore_env)
{
	*out = NULL;
	if (dg_pq_load() < 0)
		return -1;
	if (ignore_env)
		for (size_t i = 0; i < DG_ARRAY_SIZE(target_env); i++)
			unsetenv(target_env[i]);
	if (dsn && *dsn) {
		char *err = NULL;
		PQconninfoOption *opts = PQconninfoParse(dsn, &err);
		if (!opts) {
			int r = dg_db_error("bad connection string", err ? err : "out of memory");
			PQfreemem(err);
			return r;
		}
		PQconninfoFree(opts);
	}
	/* an unreachable host is an error within seconds, never a hang; the
	 * connection string's own connect_timeout, given later, wins */
	const char *keys[] = { "connect_timeout", "dbname", "fallback_application_name", NULL };
	const char *vals[] = { "10", dsn ? dsn : "", application_name, NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (!c)
		return dg_error("cannot connect: out of memory");
	if (PQstatus(c) != CONNECTION_OK) {
		int r = dg_db_error("cannot connect", PQerrorMessage(c));
		PQfinish(c);
		return r;
	}
	struct dg_db *db = dg_xcalloc(1, sizeof(*db));
	db->conn = c;
	*out = db;
	return 0;
}

void dg_db_close(struct dg_db *db)
{
	if (!db)
		return;
	PQfinish(db->conn);
	free(db);
}

const char *dg_db_name(const struct dg_db *db)
{
	return PQdb(db->conn);
}

int dg_db_server_version(const struct dg_db *db)
{
	return PQserverVersion(db->conn);
}

const char *dg_db_server_version_text(struct dg_arena *a, const struct dg_db *db)
{
	int v = PQserverVersion(db->conn);
	if (v >= 100000)
		return dg_sprintf(a, "%d.%d", v / 10000, v % 10000);
	return dg_sprintf(a, "%d.%d.%d", v / 10000, v / 100 % 100, v % 100);
}

PGresult *dg_db_query(struct dg_db *db, const char *what, const char *sql, int n_params,
		      const char *const *params, ExecStatusType want)
{
	PGresult *r = PQexecParams(db->conn, sql, n_params, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != want) {
		const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn);
		if (!msg || !*msg)
			msg = PQerrorMessage(db->conn);
		dg_db_error(what, msg);
		PQclear(r);
		return NULL;
	}
	return r;
}

int dg_db_exec(struct dg_db *db, const char *what, const char *sql)
{
	PGresult *r = dg_db_query(db, what, sql, 0, NULL, PGRES_COMMAND_OK);
	if (!r)
		return -1;
	PQclear(r);
	return 0;
}

const char *dg_db_cell(struct dg_arena *a, const PGresult *r, int row, int col)
{
	return dg_strdup(a, PQgetvalue(r, row, col));
}

double dg_db_cell_f(const PGresult *r, int row, int col)
{
	return strtod(PQgetvalue(r, row, col), NULL);
}

long long dg_db_cell_ll(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

int dg_db_cell_bool(const PGresult *r, int row, int col)
{
	return !strcmp(PQgetvalue(r, row, col), "t");
}

const char *dg_db_now(struct dg_arena *a, struct dg_db *db)
{
	PGresult *r = dg_db_query(db, "query failed", "SELECT to_json(now())#>>'{}'", 0, NULL,
				  PGRES_TUPLES_OK);
	if (!r)
		return NULL;
	const char *s = dg_db_cell(a, r, 0, 0);
	PQclear(r);
	return s;
}
