/*
 * transaction-nesting: BEGIN inside an open transaction (an explicit one,
 * or the one the migration runner wraps the file in), and a file that
 * ends with its own BEGIN still open.
 */
#include "rules/rule.h"

static void check_stmt(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_BEGIN || !st->begin_nested || st->body_of)
		return;
	if (st->begin_nested == 2)
		dg_report(ctx, st, -1,
			  "drop the BEGIN and COMMIT: the runner already runs the file in one transaction (or set `transaction: no` for this set and keep them)",
			  "BEGIN inside the transaction the migration runner opened: PostgreSQL only warns, and the COMMIT that follows commits the runner's transaction early, so the rest of the file is no longer atomic");
	else
		dg_report(ctx, st, -1,
			  "COMMIT; the open transaction first, or use SAVEPOINT name; ... RELEASE SAVEPOINT name; for a nested step",
			  "BEGIN inside an open transaction: PostgreSQL does not nest transactions, it only warns, and the first COMMIT ends both");
}

static void check_file(struct dg_rule_ctx *ctx, const struct dg_sql_file *f)
{
	if (!f->open_begin || f->open_begin > f->n_stmts)
		return;
	const struct dg_stmt *st = &f->stmts[f->open_begin - 1];
	dg_report(ctx, st, -1, "end the file with COMMIT;",
		  "the transaction this BEGIN opens is still open at the end of the file: psql and most runners roll it back (or leave it idle in transaction, holding its locks)");
}

const struct dg_rule dg_rule_transaction_nesting = {
	.id = "transaction-nesting",
	.severity = DG_ERROR,
	.summary = "BEGIN inside an open transaction, or a file that ends inside one",
	.description = "PostgreSQL has no nested transactions: a BEGIN inside a transaction block (the file's own, or the one a migration runner wraps each file in) is only a warning, and the next COMMIT commits everything so far, so what follows runs outside the transaction the author meant. A file whose BEGIN is never committed is rolled back when the session ends, or sits idle in transaction holding its locks.",
	.check_stmt = check_stmt,
	.check_file = check_file,
};
