/* add-check-not-valid: a CHECK constraint added to an existing table without NOT VALID. */
#include "rules/not_valid.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_TABLE || st->table_is_new)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		if (dg_not_valid_validate_held(ctx, st, c, DG_CON_CHECK))
			continue;
		if (c->kind != DG_CMD_ADD_CONSTRAINT || !c->con || c->con->kind != DG_CON_CHECK ||
		    !c->scans)
			continue;
		const char *t = dg_ctx_rel(ctx, st->rel);
		/* name it: VALIDATE needs the name, and the server's default is hard to guess */
		const char *name = c->con->name ? c->con->name :
			dg_sprintf(ctx->arena, "%s_check", st->rel->name);
		const char *help = dg_sprintf(ctx->arena,
			"ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s) NOT VALID; then, in a separate transaction: ALTER TABLE %s VALIDATE CONSTRAINT %s;",
			t, name, c->con->expr ? c->con->expr : "...", t, name);
		dg_report(ctx, st, c->location, help,
			  "adding CHECK constraint to existing table \"%s\" scans every row while holding %s: reads and writes wait",
			  t, dg_lockmode_name(c->lock));
	}
}

const struct dg_rule dg_rule_add_check_not_valid = {
	.id = "add-check-not-valid",
	.severity = DG_ERROR,
	.summary = "a CHECK constraint added to an existing table without NOT VALID",
	.description = "ADD CONSTRAINT ... CHECK takes an ACCESS EXCLUSIVE lock and checks every existing row before it lets go: no reads, no writes for the whole scan. Added NOT VALID it is a catalog change only; VALIDATE CONSTRAINT then scans under SHARE UPDATE EXCLUSIVE, which lets reads and writes continue, but only in a transaction of its own: in the one that added the constraint the ACCESS EXCLUSIVE lock is still held (reported too).",
	.check_stmt = check,
};
