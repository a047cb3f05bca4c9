/* require-concurrent-index-drop: DROP INDEX without CONCURRENTLY. */
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_DROP || st->object != DG_OBJ_INDEX || st->concurrently)
		return;
	for (size_t i = 0; i < st->n_rels; i++) {
		const struct dg_rel *r = &st->rels[i];
		struct dg_rel name = { NULL, r->name };
		/* created earlier in this file: nobody uses it yet */
		if (dg_sql_marked_before(ctx->file, st, DG_MARK_INDEX_CREATED, &name, NULL))
			continue;
		dg_report(ctx, st, -1,
			  dg_sprintf(ctx->arena, "DROP INDEX CONCURRENTLY %s%s; outside a transaction (one index per statement)",
				     st->if_exists ? "IF EXISTS " : "", dg_ctx_rel(ctx, r)),
			  "DROP INDEX \"%s\" takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait",
			  dg_ctx_rel(ctx, r));
	}
}

const struct dg_rule dg_rule_require_concurrent_index_drop = {
	.id = "require-concurrent-index-drop",
	.severity = DG_WARNING,
	.summary = "DROP INDEX without CONCURRENTLY",
	.description = "DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table. It is quick once granted, but while it waits for running queries every new query on the table queues behind it. DROP INDEX CONCURRENTLY waits without blocking others.",
	.check_stmt = check,
};
