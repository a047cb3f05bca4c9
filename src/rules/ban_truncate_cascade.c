/*
 * ban-truncate-cascade: TRUNCATE ... CASCADE empties every table that
 * references the truncated one too, under ACCESS EXCLUSIVE locks.
 */
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_TRUNCATE || !st->cascade || !st->n_rels)
		return;
	struct dg_buf b = DG_BUF_INIT;
	for (size_t i = 0; i < st->n_rels; i++)
		dg_buf_addf(&b, "%s%s", i ? ", " : "", dg_ctx_rel(ctx, &st->rels[i]));
	const char *names = dg_strdup(ctx->arena, dg_buf_cstr(&b));
	dg_buf_release(&b);
	dg_report(ctx, st, -1,
		  dg_sprintf(ctx->arena,
			     "TRUNCATE %s; without CASCADE (it refuses when another table references it, so nothing is emptied by surprise), or DELETE FROM the referencing tables in batches first",
			     names),
		  "TRUNCATE ... CASCADE takes an ACCESS EXCLUSIVE lock on %s and on every table that references %s, and silently empties those too",
		  names, st->n_rels > 1 ? "them" : "it");
}

const struct dg_rule dg_rule_ban_truncate_cascade = {
	.id = "ban-truncate-cascade",
	.severity = DG_ERROR,
	.summary = "TRUNCATE ... CASCADE",
	.description = "TRUNCATE ... CASCADE also truncates every table with a foreign key to the named tables, and the tables referencing those, recursively: rows of tables the migration never names are deleted, each under an ACCESS EXCLUSIVE lock. Plain TRUNCATE refuses in that case, which is the safe default.",
	.check_stmt = check,
};
