/* change-column-type: ALTER COLUMN TYPE that rewrites the table or rebuilds its indexes. */
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_TABLE || st->table_is_new)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		if (c->kind != DG_CMD_ALTER_TYPE || !c->rewrites || !c->column)
			continue;
		const char *t = dg_ctx_rel(ctx, st->rel);
		const char *type = c->coldef ? c->coldef->type.display : "<new type>";
		const char *help = dg_sprintf(ctx->arena,
			"ALTER TABLE %s ADD COLUMN %s_new %s; keep it in sync with a trigger, backfill in batches (UPDATE %s SET %s_new = %s WHERE <key range>;), then in one short transaction: ALTER TABLE %s RENAME COLUMN %s TO %s_old; ALTER TABLE %s RENAME COLUMN %s_new TO %s;",
			t, c->column, type, t, c->column, c->column, t, c->column, c->column, t,
			c->column, c->column);
		dg_report(ctx, st, c->location, help,
			  "changing the type of \"%s\".\"%s\" to %s rewrites the table and rebuilds its indexes under %s%s",
			  t, c->column, type, dg_lockmode_name(c->lock),
			  c->has_using ? " (USING converts every row)" : "");
	}
}

const struct dg_rule dg_rule_change_column_type = {
	.id = "change-column-type",
	.severity = DG_ERROR,
	.summary = "ALTER COLUMN TYPE that rewrites the table or rebuilds its indexes",
	.description = "Most type changes copy the whole table and rebuild every index on it under ACCESS EXCLUSIVE: reads and writes wait for the whole run. A few keep the stored bytes and are catalog changes: varchar(n) to a longer varchar or text, numeric(p,s) to a larger precision with the same scale or to plain numeric. ddlgate knows the old type from the same file (or from the replayed schema) and only flags the changes that rewrite.",
	.check_stmt = check,
};
