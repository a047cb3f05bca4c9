/* ban-rename-column: renaming a column breaks the code still running against the old name. */
#include <string.h>

#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (dg_ctx_in_down_migration(ctx))
		return;
	if (st->kind != DG_STMT_RENAME || st->object != DG_OBJ_COLUMN || !st->rel ||
	    st->table_is_new || !st->name || !st->new_name)
		return;
	const char *t = dg_ctx_rel(ctx, st->rel);
	dg_report(ctx, st, -1,
		  dg_sprintf(ctx->arena,
			     "expand and contract: ALTER TABLE %s ADD COLUMN %s <type>; write both columns (application or trigger), backfill in batches: UPDATE %s SET %s = %s WHERE %s IS NULL AND <key range>; switch the reads to %s, and drop %s in a later migration",
			     t, st->new_name, t, st->new_name, st->name, st->new_name, st->new_name,
			     st->name),
		  "renaming column \"%s\" of \"%s\" to \"%s\" breaks the code still running against the old name",
		  st->name, t, st->new_name);
}

const struct dg_rule dg_rule_ban_rename_column = {
	.id = "ban-rename-column",
	.severity = DG_ERROR,
	.summary = "renaming a column the running code uses",
	.description = "A rename is instant in the database and immediate for every client: the application servers still running the old code fail on the old name until they are replaced, and the new code fails until the migration has run. Add the new column, write both, backfill, switch, then drop the old one.",
	.check_stmt = check,
};
