/* Inside src/db/: the connection and small libpq helpers every command uses. */
#ifndef DG_DB_INT_H
#define DG_DB_INT_H

#include <libpq-fe.h>

#include "db/db.h"

struct dg_db {
	PGconn *conn;
};

/* "what: <first line of msg>" as the error; returns -1. */
int dg_db_error(const char *what, const char *msg);
/* Run sql (no result rows expected); -1 with the server's message. */
int dg_db_exec(struct dg_db *db, const char *what, const char *sql);
/*
 * Run sql with text parameters; the result when it has status `want`,
 * else NULL with the message set (the result is cleared).
 */
PGresult *dg_db_query(struct dg_db *db, const char *what, const char *sql, int n_params,
		      const char *const *params, ExecStatusType want);

const char *dg_db_cell(struct dg_arena *a, const PGresult *r, int row, int col);
double dg_db_cell_f(const PGresult *r, int row, int col);
long long dg_db_cell_ll(const PGresult *r, int row, int col);
int dg_db_cell_bool(const PGresult *r, int row, int col);
/* The first line of a libpq message (arena copy). */
const char *dg_db_first_line(struct dg_arena *a, const char *msg);

#endif
