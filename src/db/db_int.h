/* Inside src/db/: the connection and small libpq helpers every command uses. */
#ifndef DG_DB_INT_H
#define DG_DB_INT_H

#include <libpq-fe.h>

#include "db/db.h"

/*
 * libpq's functions, loaded on first use (libpq.c): the live commands call
 * them by their usual names, which the macros below turn into the table.
 */
struct dg_pq_api {
	void (*clear)(PGresult *);
	char *(*getvalue)(const PGresult *, int, int);
	int (*ntuples)(const PGresult *);
	char *(*errorMessage)(const PGconn *);
	ConnStatusType (*status)(const PGconn *);
	int (*serverVersion)(const PGconn *);
	PGresult *(*exec)(PGconn *, const char *);
	ExecStatusType (*resultStatus)(const PGresult *);
	char *(*resultErrorField)(const PGresult *, int);
	void (*freemem)(void *);
	void (*finish)(PGconn *);
	PGTransactionStatusType (*transactionStatus)(const PGconn *);
	int (*sendQueryParams)(PGconn *, const char *, int, const Oid *, const char *const *,
			       const int *, const int *, int);
	char *(*resultErrorMessage)(const PGresult *);
	int (*putCopyEnd)(PGconn *, const char *);
	int (*getisnull)(const PGresult *, int, int);
	PGresult *(*getResult)(PGconn *);
	int (*getCopyData)(PGconn *, char **, int);
	PGresult *(*execParams)(PGconn *, const char *, int, const Oid *, const char *const *,
				const int *, const int *, int);
	char *(*db)(const PGconn *);
	PQconninfoOption *(*conninfoParse)(const char *, char **);
	void (*conninfoFree)(PQconninfoOption *);
	PGconn *(*connectdbParams)(const char *const *, const char *const *, int);
};
extern struct dg_pq_api dg_pq;
/* Load libpq (once); -1 with a message saying how to install it. */
int dg_pq_load(void);

#define PQclear dg_pq.clear
#define PQgetvalue dg_pq.getvalue
#define PQntuples dg_pq.ntuples
#define PQerrorMessage dg_pq.errorMessage
#define PQstatus dg_pq.status
#define PQserverVersion dg_pq.serverVersion
#define PQexec dg_pq.exec
#define PQresultStatus dg_pq.resultStatus
#define PQresultErrorField dg_pq.resultErrorField
#define PQfreemem dg_pq.freemem
#define PQfinish dg_pq.finish
#define PQtransactionStatus dg_pq.transactionStatus
#define PQsendQueryParams dg_pq.sendQueryParams
#define PQresultErrorMessage dg_pq.resultErrorMessage
#define PQputCopyEnd dg_pq.putCopyEnd
#define PQgetisnull dg_pq.getisnull
#define PQgetResult dg_pq.getResult
#define PQgetCopyData dg_pq.getCopyData
#define PQexecParams dg_pq.execParams
#define PQdb dg_pq.db
#define PQconninfoParse dg_pq.conninfoParse
#define PQconninfoFree dg_pq.conninfoFree
#define PQconnectdbParams dg_pq.connectdbParams

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
