/*
 * NOT VALID followed by VALIDATE CONSTRAINT in the same transaction: the
 * validation scan runs under the lock the ADD took (ACCESS EXCLUSIVE for a
 * CHECK, SHARE ROW EXCLUSIVE on both tables for a foreign key), which is
 * held until COMMIT, so splitting the two saved nothing.
 */
#include "rules/not_valid.h"

int dg_not_valid_validate_held(struct dg_rule_ctx *ctx, const struct dg_stmt *st,
			       const struct dg_cmd *c, enum dg_con_kind kind)
{
	if (c->kind != DG_CMD_VALIDATE_CONSTRAINT || !st->n_held || !c->name || !st->rel)
		return 0;
	enum dg_lockmode held = dg_ctx_held_on(st, st->rel);
	if (!dg_lockmode_blocks_writes(held) ||
	    dg_ctx_constraint_kind(ctx, st, st->rel, c->name) != kind)
		return 0;
	const struct dg_stmt *taker = dg_ctx_lock_taker(ctx, st, st->rel, held);
	const char *t = dg_ctx_rel(ctx, st->rel);
	const char *where = taker ? dg_sprintf(ctx->arena, " (taken at line %d)", taker->line) : "";
	const char *help = st->implicit_transaction ?
		dg_sprintf(ctx->arena,
			   "move ALTER TABLE %s VALIDATE CONSTRAINT %s; to a migration of its own: this set runs each file in one transaction, so the lock of the ADD ... NOT VALID is held until the file ends",
			   t, c->name) :
		dg_sprintf(ctx->arena,
			   "COMMIT; right after the ADD ... NOT VALID, then ALTER TABLE %s VALIDATE CONSTRAINT %s; in a transaction of its own (it needs only SHARE UPDATE EXCLUSIVE there)",
			   t, c->name);
	dg_report(ctx, st, c->location, help,
		  "VALIDATE CONSTRAINT %s reads every row of \"%s\" while its transaction still holds %s on it%s: added NOT VALID in the same transaction, the constraint is validated under the strong lock after all",
		  c->name, t, dg_lockmode_name(held), where);
	return 1;
}
