/* ban-drop-column: dropping a column the running code may still use. */
#include <string.h>

#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (dg_ctx_in_down_migration(ctx))
		return;
	if (st->kind != DG_STMT_ALTER_TABLE || st->table_is_new)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		if (c->kind != DG_CMD_DROP_COLUMN || !c->column)
			continue;
		const char *t = dg_ctx_rel(ctx, st->rel);
		dg_report(ctx, st, c->location,
			  dg_sprintf(ctx->arena,
				     "first deploy code that no longer reads or writes \"%s\" (ORMs: remove the field from the model), then drop it in a later migration with the line -- ddlgate:ignore ban-drop-column <why it is unused now> before ALTER TABLE %s DROP COLUMN %s;",
				     c->column, t, c->column),
			  "dropping column \"%s\" of \"%s\" breaks the code still running against the old schema (queries naming it fail; ORMs that select every column fail)",
			  c->column, t);
	}
}

const struct dg_rule dg_rule_ban_drop_column = {
	.id = "ban-drop-column",
	.severity = DG_WARNING,
	.summary = "dropping a column the running code may still use",
	.description = "During a deploy, old application servers keep running against the new schema. A dropped column makes their queries fail at once. Stop using the column in a deploy first, then drop it in a later migration and say so with a ddlgate:ignore comment.",
	.check_stmt = check,
};
