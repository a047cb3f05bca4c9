/* ban-drop-database: DROP DATABASE has no place in a migration. */
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_DROP_DATABASE)
		return;
	const char *db = st->name ? st->name : "the database";
	dg_report(ctx, st, -1,
		  dg_sprintf(ctx->arena,
			     "take it out of the migration; drop a database by hand after a backup, once SELECT pid FROM pg_stat_activity WHERE datname = '%s'; shows nobody uses it",
			     db),
		  "DROP DATABASE \"%s\" in a migration: every table and row in it is gone for good, on every server the migration reaches",
		  db);
}

const struct dg_rule dg_rule_ban_drop_database = {
	.id = "ban-drop-database",
	.severity = DG_ERROR,
	.summary = "DROP DATABASE in a migration",
	.description = "A migration runs on every environment it is deployed to, production included. DROP DATABASE there deletes every table and row of that database at once and cannot be undone or rolled back (it refuses to run in a transaction). Dropping a database is an operator's decision, made by hand after a backup.",
	.check_stmt = check,
};
