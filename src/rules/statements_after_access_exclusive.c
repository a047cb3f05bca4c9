/*
 * statements-after-access-exclusive: more work in the same transaction
 * after an ACCESS EXCLUSIVE lock is taken on an existing table. Locks are
 * held until COMMIT, so everything after the lock-taking statement runs
 * with every reader and writer of that table waiting.
 */
#include <string.h>

#include "rules/rule.h"

/* The existing relation st takes ACCESS EXCLUSIVE on, or NULL. */
static const struct dg_rel *ae_rel(const struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	for (size_t i = 0; i < st->n_locks; i++) {
		const struct dg_lock *l = &st->locks[i];
		if (l->mode != DG_LOCK_ACCESS_EXCLUSIVE || !dg_ctx_lock_on_existing(ctx, st, l))
			continue;
		return &l->rel;
	}
	return NULL;
}

/* Statements that end the transaction or do no work of their own. */
static int is_bookkeeping(const struct dg_stmt *st)
{
	return st->kind == DG_STMT_BEGIN || st->kind == DG_STMT_COMMIT ||
	       st->kind == DG_STMT_ROLLBACK || st->kind == DG_STMT_SAVEPOINT ||
	       st->kind == DG_STMT_SET;
}

static void check_file(struct dg_rule_ctx *ctx, const struct dg_sql_file *f)
{
	const struct dg_stmt *holder = NULL;
	const struct dg_rel *held = NULL;
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *st = &f->stmts[i];
		if (!st->in_transaction || st->kind == DG_STMT_COMMIT || st->kind == DG_STMT_ROLLBACK ||
		    st->kind == DG_STMT_BEGIN) {
			holder = NULL; /* a new transaction: its locks start from nothing */
			continue;
		}
		if (holder && !is_bookkeeping(st)) {
			dg_report(ctx, st, -1,
				  dg_sprintf(ctx->arena,
					     "COMMIT right after the statement at line %d, and run this one in its own transaction (or split the migration)",
					     holder->line),
				  "this statement runs while the transaction still holds ACCESS EXCLUSIVE on \"%s\" (taken at line %d): every read and write of \"%s\" waits until COMMIT",
				  dg_ctx_rel(ctx, held), holder->line, dg_ctx_rel(ctx, held));
			holder = NULL; /* once per transaction is enough */
			held = NULL;
			/* ...unless this statement takes one again: then it is the new holder */
		}
		const struct dg_rel *r = ae_rel(ctx, st);
		if (r && !holder) {
			holder = st;
			held = r;
		}
	}
}

const struct dg_rule dg_rule_statements_after_access_exclusive = {
	.id = "statements-after-access-exclusive",
	.severity = DG_WARNING,
	.summary = "more work in the same transaction after an ACCESS EXCLUSIVE lock is taken",
	.description = "A lock is held until the transaction ends. After a statement takes ACCESS EXCLUSIVE on a table, everything that follows in the same transaction (a backfill, an index build, another table's ALTER) runs while nobody can read or write that table. Commit right after the statement that needs the strong lock.",
	.check_file = check_file,
};
