/* require-concurrent-index-drop: DROP INDEX without CONCURRENTLY. */
#include <string.h>

#include "rules/rule.h"

/* Was the index created earlier in this file (so nobody uses it yet)? */
static int index_is_new(const struct dg_rule_ctx *ctx, const struct dg_stmt *st, const char *name)
{
	const struct dg_sql_file *f = ctx->file;
	for (size_t i = 0; f && i < f->n_stmts && &f->stmts[i] != st; i++) {
		const struct dg_stmt *p = &f->stmts[i];
		if (p->kind == DG_STMT_CREATE_INDEX && p->index && p->index->name &&
		    !strcmp(p->index->name, name))
			return 1;
	}
	return 0;
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_DROP || st->object != DG_OBJ_INDEX || st->concurrently)
		return;
	for (size_t i = 0; i < st->n_rels; i++) {
		const struct dg_rel *r = &st->rels[i];
		if (index_is_new(ctx, st, r->name))
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
