/* ban-rename-table: renaming a table breaks the code still running against the old name. */
#include <string.h>

#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (dg_ctx_in_down_migration(ctx))
		return;
	if (st->kind != DG_STMT_RENAME || st->object != DG_OBJ_TABLE || !st->rel ||
	    st->table_is_new || !st->new_name)
		return;
	const char *t = dg_ctx_rel(ctx, st->rel);
	const char *nt = st->rel->schema ? dg_sprintf(ctx->arena, "%s.%s", st->rel->schema, st->new_name) :
					   st->new_name;
	dg_report(ctx, st, -1,
		  dg_sprintf(ctx->arena,
			     "in one transaction: ALTER TABLE %s RENAME TO %s; CREATE VIEW %s AS SELECT * FROM %s; (a simple view is updatable, so the old code keeps working), then DROP VIEW %s; in a later migration",
			     t, st->new_name, t, nt, t),
		  "renaming table \"%s\" to \"%s\" breaks the code still running against the old name",
		  t, st->new_name);
}

const struct dg_rule dg_rule_ban_rename_table = {
	.id = "ban-rename-table",
	.severity = DG_ERROR,
	.summary = "renaming a table the running code uses",
	.description = "Old application servers keep running during a deploy, and they query the old name. Rename the table and leave a view with the old name in the same transaction (simple views accept INSERT, UPDATE and DELETE), then drop the view once no code uses the old name.",
	.check_stmt = check,
};
