/* require-concurrent-reindex: REINDEX without CONCURRENTLY (PostgreSQL 12+). */
#include "rules/rule.h"

static const char *object_word(enum dg_object_kind k)
{
	switch (k) {
	case DG_OBJ_INDEX:
		return "INDEX";
	case DG_OBJ_TABLE:
		return "TABLE";
	case DG_OBJ_DATABASE:
		return "DATABASE";
	case DG_OBJ_SYSTEM:
		return "SYSTEM";
	default:
		return "SCHEMA";
	}
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_REINDEX || st->concurrently || ctx->pg_version < 12)
		return;
	if (st->object == DG_OBJ_SYSTEM)
		return; /* system catalogs cannot be reindexed concurrently */
	const char *what = object_word(st->object);
	const char *name = st->n_rels ? dg_ctx_rel(ctx, &st->rels[0]) : st->name ? st->name : "";
	if (st->object == DG_OBJ_TABLE && st->n_rels && dg_ctx_table_is_new(ctx, st, &st->rels[0]))
		return; /* created earlier in this file: empty, nobody waits */
	if (st->object == DG_OBJ_INDEX && st->n_rels) {
		struct dg_rel ix = { NULL, st->rels[0].name };
		if (dg_sql_marked_before(ctx->file, st, DG_MARK_INDEX_CREATED, &ix, NULL))
			return;
	}
	const char *effect = st->object == DG_OBJ_INDEX ?
		"locks its table against writes (SHARE) and the index against every query that would use it (ACCESS EXCLUSIVE)" :
		st->object == DG_OBJ_TABLE ?
		"locks the table against writes (SHARE) and each of its indexes against the queries that would use it (ACCESS EXCLUSIVE)" :
		"locks each table against writes (SHARE) and each of its indexes against the queries that would use it (ACCESS EXCLUSIVE)";
	dg_report(ctx, st, -1,
		  dg_sprintf(ctx->arena, "REINDEX %s CONCURRENTLY %s; outside a transaction", what, name),
		  "REINDEX %s \"%s\" %s until every index is rebuilt", what, name, effect);
}

const struct dg_rule dg_rule_require_concurrent_reindex = {
	.id = "require-concurrent-reindex",
	.severity = DG_ERROR,
	.summary = "REINDEX without CONCURRENTLY (PostgreSQL 12+)",
	.description = "Plain REINDEX holds a SHARE lock on the table (writes wait) and an ACCESS EXCLUSIVE lock on each index it rebuilds (queries that would use it wait) for the whole rebuild. From PostgreSQL 12, REINDEX ... CONCURRENTLY builds the new index beside the old one under SHARE UPDATE EXCLUSIVE and swaps them: reads and writes go on. It cannot run inside a transaction block.",
	.check_stmt = check,
};
