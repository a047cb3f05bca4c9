/* concurrent-in-transaction: CONCURRENTLY inside a transaction block fails at run time. */
#include "rules/concurrent_in_transaction.h"
#include "rules/rule.h"

static const char *what(const struct dg_stmt *st)
{
	switch (st->kind) {
	case DG_STMT_CREATE_INDEX:
		return "CREATE INDEX CONCURRENTLY";
	case DG_STMT_DROP:
		return "DROP INDEX CONCURRENTLY";
	case DG_STMT_REINDEX:
		return "REINDEX CONCURRENTLY";
	case DG_STMT_ALTER_TABLE:
		return "DETACH PARTITION CONCURRENTLY";
	case DG_STMT_VACUUM:
		return "VACUUM";
	case DG_STMT_ALTER_TYPE:
		return "ALTER TYPE ... ADD VALUE";
	default:
		return NULL;
	}
}

/* Does st refuse to run inside a transaction block on the target version? */
static int needs_no_block(const struct dg_stmt *st, int pg_version)
{
	switch (st->kind) {
	case DG_STMT_ALTER_TABLE:
		for (size_t i = 0; i < st->n_cmds; i++)
			if (st->cmds[i].kind == DG_CMD_DETACH_PARTITION && st->cmds[i].concurrently)
				return 1;
		return 0;
	case DG_STMT_VACUUM:
		return 1;
	case DG_STMT_ALTER_TYPE:
		/* an enum could not grow inside a transaction block before 12 */
		return st->value && pg_version < 12;
	default:
		return st->concurrently && what(st);
	}
}

const char *dg_stmt_refuses_tx_block(const struct dg_stmt *st, int pg_version)
{
	return needs_no_block(st, pg_version) ? what(st) : NULL;
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (!st->in_transaction || !needs_no_block(st, ctx->pg_version))
		return;
	const char *help = st->implicit_transaction ?
		"run this file outside a transaction: set `transaction: no` for its migration set (Django: atomic = False; Alembic: op.get_context().autocommit_block()), and keep the concurrent statement alone in its migration" :
		"move the statement out of the BEGIN ... COMMIT block; run it on its own";
	dg_report(ctx, st, -1, help,
		  "%s cannot run inside a transaction block%s: the migration fails with \"cannot run inside a transaction block\"%s",
		  what(st), st->kind == DG_STMT_ALTER_TYPE ? dg_sprintf(ctx->arena, " before PostgreSQL 12 (target: %d)", ctx->pg_version) : "",
		  st->implicit_transaction ? " (this migration set runs each file in a transaction)" : "");
}

const struct dg_rule dg_rule_concurrent_in_transaction = {
	.id = "concurrent-in-transaction",
	.severity = DG_ERROR,
	.summary = "CONCURRENTLY inside a transaction block (fails at run time)",
	.description = "CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY and VACUUM refuse to run inside a transaction block, and so does ALTER TYPE ... ADD VALUE before PostgreSQL 12. A migration that wraps them in BEGIN/COMMIT, or a runner that wraps every file in a transaction, fails at deploy time.",
	.check_stmt = check,
};
