/*
 * What the live-database rules (audit) look at: the live database's
 * catalog, read into the schema model exactly as migrations are, and the
 * schema the repository's migrations replay to.
 */
#ifndef DG_RULES_LIVE_H
#define DG_RULES_LIVE_H

#include "db/db.h"
#include "rules/rule.h"
#include "schema/schema.h"

struct dg_live {
	const struct dg_live_db *db;        /* catalog facts and index statistics */
	const struct dg_schema *schema;     /* the live schema, replayed from db->ddl */
	const struct dg_schema *expected;   /* what the migrations replay to; NULL: none found */
	const char *where;                  /* "<database NAME>": the place of live-only findings */
};

/*
 * Report a live finding at the migration statement that made the object
 * (origin from the expected schema; suppression comments there apply), or,
 * with no origin, at live->where.
 */
void dg_live_report(struct dg_rule_ctx *ctx, const struct dg_live *live,
		    const struct dg_schema_origin *origin, const char *help, const char *fmt, ...)
	DG_PRINTF(5, 6);

/* The expected schema's table of the same name, or NULL. */
const struct dg_schema_table *dg_live_expected_table(const struct dg_live *live,
						     const char *schema, const char *name);
/* The live table (schema-qualified lookup), or NULL. */
const struct dg_schema_table *dg_live_table(const struct dg_live *live, const char *schema,
					    const char *name);
/* Where the migrations created a live index, or NULL when they do not know it. */
const struct dg_schema_origin *dg_live_index_origin(const struct dg_live *live,
						    const struct dg_live_index *ix);
/* Does index `name` of t cover one of t's foreign keys (so it is used by every parent delete)? */
int dg_live_index_covers_fk(const struct dg_schema_table *t, const char *name);

#endif
