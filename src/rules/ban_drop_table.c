/* ban-drop-table: dropping a table the running code may still use. */
#include <string.h>

#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (dg_ctx_in_down_migration(ctx))
		return;
	if (st->kind != DG_STMT_DROP || st->object != DG_OBJ_TABLE)
		return;
	for (size_t i = 0; i < st->n_rels; i++) {
		const struct dg_rel *r = &st->rels[i];
		if (dg_ctx_table_is_new(ctx, st, r))
			continue;
		const char *t = dg_ctx_rel(ctx, r);
		dg_report(ctx, st, -1,
			  dg_sprintf(ctx->arena,
				     "first deploy code that no longer uses \"%s\", then drop it in a later migration with the line -- ddlgate:ignore ban-drop-table <why it is unused now> before DROP TABLE %s; (or rename it away first: ALTER TABLE %s RENAME TO %s_deprecated; and drop that later)",
				     t, t, t, r->name),
			  "dropping table \"%s\" breaks the code still running against the old schema, and its data is gone",
			  t);
	}
}

const struct dg_rule dg_rule_ban_drop_table = {
	.id = "ban-drop-table",
	.severity = DG_WARNING,
	.summary = "dropping a table the running code may still use",
	.description = "Old application servers keep running during a deploy; a dropped table makes their queries fail, and the data cannot be brought back without a restore. Stop using the table first, drop it in a later migration, and say so with a ddlgate:ignore comment.",
	.check_stmt = check,
};
