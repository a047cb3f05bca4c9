/*
 * unused-index (audit): an index no query has scanned since the statistics
 * were reset. It costs disk, cache and time on every write. Unique and
 * primary-key indexes (and any backing a constraint) enforce something and
 * are never "unused"; neither is an index that covers a foreign key (every
 * delete of a parent row needs it, however rare).
 */
#include <string.h>

#include "rules/live.h"
#include "rules/rule.h"

static void check_live(struct dg_rule_ctx *ctx, const struct dg_live *live)
{
	struct dg_arena *a = ctx->arena;
	const char *since = live->db->stats_reset ?
		dg_sprintf(a, "since the statistics were reset (%s)", live->db->stats_reset) :
		"since statistics collection began (they were never reset)";
	for (size_t i = 0; i < live->db->n_indexes; i++) {
		const struct dg_live_index *ix = &live->db->indexes[i];
		if (ix->scans != 0 || !ix->valid || ix->building || ix->unique || ix->primary ||
		    ix->backs_constraint)
			continue;
		if (dg_live_index_covers_fk(dg_live_table(live, ix->schema, ix->table), ix->name))
			continue;
		const char *name = dg_schema_qualified(a, ix->schema, ix->name);
		dg_live_report(ctx, live, dg_live_index_origin(live, ix),
			       dg_sprintf(a, "DROP INDEX CONCURRENTLY %s;  -- in a migration of its own, once no replica's queries use it either (pg_stat_user_indexes there); to recreate it: %s;",
					  name, ix->definition),
			       "index \"%s\" on \"%s\" (%s) has not been scanned %s: it costs disk and slows every write to the table",
			       name, dg_schema_qualified(a, ix->schema, ix->table), ix->size, since);
	}
}

const struct dg_rule dg_rule_unused_index = {
	.id = "unused-index",
	.severity = DG_WARNING,
	.summary = "an index no query has used since the statistics were reset (audit, live database)",
	.description = "ddlgate audit reads pg_stat_user_indexes on a live database: an index whose idx_scan is 0 has not served a single query since the statistics were reset (pg_stat_database.stats_reset), yet every INSERT, every UPDATE that is not HOT and every VACUUM pays for it, and it takes disk and cache. Unique and primary-key indexes, indexes backing a constraint, and indexes covering a foreign key are never reported: they enforce or serve something without being scanned by queries.",
	.check_live = check_live,
};
