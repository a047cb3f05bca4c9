/*
 * Which statements refuse to run inside a transaction block: shared by
 * concurrent-in-transaction and `ddlgate trace` (which runs a migration in
 * one transaction and reports such statements as not traced).
 */
#ifndef DG_CONCURRENT_IN_TRANSACTION_H
#define DG_CONCURRENT_IN_TRANSACTION_H

#include "sql/stmt.h"

/*
 * The statement as the error names it ("CREATE INDEX CONCURRENTLY") when it
 * refuses a transaction block on a server of major version pg_version,
 * else NULL.
 */
const char *dg_stmt_refuses_tx_block(const struct dg_stmt *st, int pg_version);

#endif
