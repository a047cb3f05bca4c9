/*
 * require-lock-timeout: a statement that takes a lock blocking writes on an
 * existing table with no lock_timeout set before it. While such a lock
 * waits (behind a long query or an idle transaction) every later query on
 * the table queues behind it; lock_timeout turns the outage into a retry.
 */
#include "rules/rule.h"
#include "rules/timeout.h"

/* The first existing relation st locks in a mode that blocks writes, or NULL. */
static const struct dg_lock *blocking_lock(const struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	for (size_t i = 0; i < st->n_locks; i++) {
		const struct dg_lock *l = &st->locks[i];
		if (!dg_lockmode_blocks_writes(l->mode) || !dg_ctx_lock_on_existing(ctx, st, l))
			continue;
		return l;
	}
	return NULL;
}

static void check_file(struct dg_rule_ctx *ctx, const struct dg_sql_file *f)
{
	struct dg_timeout t = { .setting = "lock_timeout" };
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *st = &f->stmts[i];
		if (dg_timeout_step(&t, st) || dg_timeout_covered(&t))
			continue;
		const struct dg_lock *l = blocking_lock(ctx, st);
		if (!l)
			continue;
		t.reported = 1;
		dg_report(ctx, st, -1,
			  st->in_transaction ?
				  "SET LOCAL lock_timeout = '2s'; as the first statement of the transaction (or SET lock_timeout = '2s'; at the top of the file), and retry the migration when it times out" :
				  "SET lock_timeout = '2s'; at the top of the file, and retry the migration when it times out",
			  "%s on existing table \"%s\" without a lock_timeout: while it waits for the lock, every query on the table queues behind it",
			  dg_lockmode_name(l->mode), dg_ctx_rel(ctx, &l->rel));
	}
}

const struct dg_rule dg_rule_require_lock_timeout = {
	.id = "require-lock-timeout",
	.severity = DG_OFF,
	.summary = "a lock-taking statement on an existing table with no lock_timeout set before it",
	.description = "A statement that needs a lock blocking writes (SHARE or stronger) waits behind every running query and idle transaction on the table, and while it waits, every new query on the table waits behind it: a one-second ALTER becomes a site outage. SET lock_timeout (or SET LOCAL inside the transaction) earlier in the file makes it give up and fail instead, so it can be retried.",
	.check_file = check_file,
};
