/*
 * Private to src/sql/: the one tree walker over libpg_query's protobuf
 * nodes, and expression deparsing.
 */
#ifndef DG_SQL_WALK_H
#define DG_SQL_WALK_H

#include <pg_query/pg_query.pb-c.h>

/* Call visit for n and every Node below it (pre-order). */
void dg_sql_walk(const PgQuery__Node *n, void (*visit)(const PgQuery__Node *, void *),
		 void *payload);
/* An expression as SQL text (malloc'd), or NULL when it cannot be deparsed. */
char *dg_sql_deparse_expr(PgQuery__Node *expr);

#endif
