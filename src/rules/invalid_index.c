/*
 * invalid-index (audit): an index PostgreSQL marked invalid, left behind by
 * a CREATE INDEX CONCURRENTLY (or REINDEX CONCURRENTLY) that failed: no
 * query can use it, yet writes may keep maintaining it. One that a
 * concurrent build is still making is not reported.
 */
#include <string.h>

#include "rules/live.h"
#include "rules/rule.h"

/* pg_get_indexdef() with CONCURRENTLY: its text always starts "CREATE [UNIQUE ]INDEX ". */
static const char *concurrent_def(struct dg_arena *a, const char *def)
{
	static const char *const heads[] = { "CREATE UNIQUE INDEX ", "CREATE INDEX " };
	for (size_t i = 0; i < DG_ARRAY_SIZE(heads); i++) {
		size_t l = strlen(heads[i]);
		if (!strncmp(def, heads[i], l))
			return dg_sprintf(a, "%sCONCURRENTLY %s", heads[i], def + l);
	}
	return def;
}

static void check_live(struct dg_rule_ctx *ctx, const struct dg_live *live)
{
	struct dg_arena *a = ctx->arena;
	for (size_t i = 0; i < live->db->n_indexes; i++) {
		const struct dg_live_index *ix = &live->db->indexes[i];
		if (ix->valid || ix->building)
			continue;
		const char *name = dg_schema_qualified(a, ix->schema, ix->name);
		const char *reindex = live->db->server_version >= 120000 ?
			dg_sprintf(a, " (or, in one step: REINDEX INDEX CONCURRENTLY %s;)", name) : "";
		dg_live_report(ctx, live, dg_live_index_origin(live, ix),
			       dg_sprintf(a, "DROP INDEX CONCURRENTLY %s; then, once what made the build fail is fixed%s, build it again: %s;%s  -- each outside a transaction",
					  name, ix->unique ? " (duplicate values, for a unique index)" : "",
					  concurrent_def(a, ix->definition), reindex),
			       "index \"%s\" on \"%s\" is invalid (a CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY failed): no query can use it, yet writes to the table may still maintain it",
			       name, dg_schema_qualified(a, ix->schema, ix->table));
	}
}

const struct dg_rule dg_rule_invalid_index = {
	.id = "invalid-index",
	.severity = DG_ERROR,
	.summary = "an index left invalid by a failed CREATE INDEX CONCURRENTLY (audit, live database)",
	.description = "CREATE INDEX CONCURRENTLY that fails (a deadlock, a unique violation, a cancel, a lock_timeout) does not roll back: it leaves the index behind with pg_index.indisvalid = false. The planner never uses it, writes may still maintain it, and the migration that built it looks done. ddlgate audit reports every such index on a live database (not one a concurrent build is still making); the fix is DROP INDEX CONCURRENTLY and a new build, or REINDEX INDEX CONCURRENTLY on PostgreSQL 12+.",
	.check_live = check_live,
};
