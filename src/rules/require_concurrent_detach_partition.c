/* require-concurrent-detach-partition: DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+). */
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_TABLE || !st->rel || ctx->pg_version < 14)
		return;
	if (dg_ctx_table_is_new(ctx, st, st->rel))
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		if (c->kind != DG_CMD_DETACH_PARTITION || c->concurrently)
			continue;
		const char *t = dg_ctx_rel(ctx, st->rel), *p = dg_ctx_rel(ctx, &c->part);
		dg_report(ctx, st, c->location,
			  dg_sprintf(ctx->arena,
				     "ALTER TABLE %s DETACH PARTITION %s CONCURRENTLY; outside a transaction (if it is interrupted: ALTER TABLE %s DETACH PARTITION %s FINALIZE;)",
				     t, p, t, p),
			  "DETACH PARTITION takes an ACCESS EXCLUSIVE lock on \"%s\": every query on the partitioned table waits, and waits behind every query already running on it",
			  t);
	}
}

const struct dg_rule dg_rule_require_concurrent_detach_partition = {
	.id = "require-concurrent-detach-partition",
	.severity = DG_ERROR,
	.summary = "DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+)",
	.description = "ALTER TABLE ... DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the partitioned table itself, so every query on any partition waits for it. From PostgreSQL 14, DETACH PARTITION ... CONCURRENTLY takes only SHARE UPDATE EXCLUSIVE on the parent and waits for running queries instead of blocking new ones. It cannot run in a transaction block, nor when the table has a default partition.",
	.check_stmt = check,
};
