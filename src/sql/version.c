/*
 * Which PostgreSQL grammar ddlgate parses with: the major version of the
 * linked libpg_query, so messages never claim a grammar we do not have.
 */
#include <pg_query.h>
#include <stdlib.h>

#include "sql/sql.h"

int dg_sql_grammar_version(void)
{
	return atoi(PG_MAJORVERSION);
}
