/*
 * require-lock-timeout: a statement that takes a lock blocking writes on an
 * existing table with no lock_timeout set before it. While such a lock
 * waits (behind a long query or an idle transaction) every later query on
 * the table queues behind it; lock_timeout turns the outage into a retry.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/rule.h"

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

static int is_lock_timeout(const struct dg_stmt *st)
{
	return st->kind == DG_STMT_SET && st->name && !strcasecmp(st->name, "lock_timeout");
}

/* SET lock_timeout = 0 (or DEFAULT, RESET) switches it off. */
static int timeout_on(const struct dg_stmt *st)
{
	if (!st->value)
		return 0;
	char *end;
	double v = strtod(st->value, &end);
	return end != st->value && v > 0;
}

static void check_file(struct dg_rule_ctx *ctx, const struct dg_sql_file *f)
{
	int session = 0, local = 0, reported = 0;
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *st = &f->stmts[i];
		if (is_lock_timeout(st)) {
			/* SET LOCAL outside a transaction block does nothing */
			if (st->is_local) {
				if (st->in_transaction)
					local = timeout_on(st);
			} else {
				session = timeout_on(st);
				local = 0;
			}
			reported = 0;
			continue;
		}
		if (st->kind == DG_STMT_COMMIT || st->kind == DG_STMT_ROLLBACK) {
			local = 0;
			reported = 0;
			continue;
		}
		if (session || local || reported)
			continue;
		const struct dg_lock *l = blocking_lock(ctx, st);
		if (!l)
			continue;
		reported = 1;
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
