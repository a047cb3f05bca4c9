/*
 * libpq, loaded when a live-database command first needs it. Linked at
 * start-up, libpq and what it brings (OpenSSL, Kerberos, LDAP, SASL,
 * GnuTLS: fourteen shared libraries) cost every run of ddlgate several
 * milliseconds of relocation, and a hook that touches no database runs
 * often. So only blockers, trace and audit load it, through this table.
 */
#include "db/db_int.h"

#include <dlfcn.h>
#include <string.h>

struct dg_pq_api dg_pq;

/* Each function the live commands call, by its libpq name. */
#define PQ_FUNCS(X)                                                                      \
	X(PQclear, clear) X(PQgetvalue, getvalue) X(PQntuples, ntuples)                    \
	X(PQerrorMessage, errorMessage) X(PQstatus, status) X(PQserverVersion, serverVersion) \
	X(PQexec, exec) X(PQresultStatus, resultStatus) X(PQresultErrorField, resultErrorField) \
	X(PQfreemem, freemem) X(PQfinish, finish) X(PQtransactionStatus, transactionStatus)   \
	X(PQsendQueryParams, sendQueryParams) X(PQresultErrorMessage, resultErrorMessage)     \
	X(PQputCopyEnd, putCopyEnd) X(PQgetisnull, getisnull) X(PQgetResult, getResult)       \
	X(PQgetCopyData, getCopyData) X(PQexecParams, execParams) X(PQdb, db)                 \
	X(PQconninfoParse, conninfoParse) X(PQconninfoFree, conninfoFree)                     \
	X(PQconnectdbParams, connectdbParams)

int dg_pq_load(void)
{
	static void *lib;
	if (lib)
		return 0;
	void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return dg_error("cannot load libpq (the PostgreSQL client library) for this command: "
				"%s; install it (apt-get install libpq5)",
				dlerror());
#define LOAD(name, field)                                                          \
	if (!(*(void **)&dg_pq.field = dlsym(h, #name))) {                          \
		dlclose(h);                                                           \
		memset(&dg_pq, 0, sizeof(dg_pq));                                     \
		return dg_error("libpq.so.5 has no %s: a libpq older than ddlgate needs", #name); \
	}
	PQ_FUNCS(LOAD)
#undef LOAD
	lib = h; /* kept for the life of the process */
	return 0;
}
