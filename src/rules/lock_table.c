/* lock-table: explicit LOCK TABLE in a mode that blocks reads or writes. */
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_LOCK || !dg_lockmode_blocks_writes(dg_stmt_rare(st)->lock_mode))
		return;
	for (size_t i = 0; i < st->n_locks; i++) {
		const struct dg_lock *l = &st->locks[i];
		if (!dg_lockmode_blocks_writes(l->mode) || dg_ctx_table_is_new(ctx, st, &l->rel))
			continue;
		dg_report(ctx, st, -1,
			  dg_sprintf(ctx->arena, "drop the explicit lock and let each statement take the lock it needs; if you must lock, use the weakest mode that works and SET lock_timeout = '2s'; before it"),
			  "LOCK TABLE \"%s\" IN %s MODE blocks %s for the rest of the transaction",
			  dg_ctx_rel(ctx, &l->rel), dg_lockmode_sql(l->mode),
			  dg_lockmode_blocks_reads(l->mode) ? "every read and write" : "every write");
	}
}

const struct dg_rule dg_rule_lock_table = {
	.id = "lock-table",
	.severity = DG_ERROR,
	.summary = "explicit LOCK TABLE in a mode that blocks reads or writes",
	.description = "LOCK TABLE in SHARE mode or stronger blocks writes, and ACCESS EXCLUSIVE (the default mode) blocks reads too, until the transaction ends. While it waits for running queries, every new query on the table queues behind it.",
	.check_stmt = check,
};
