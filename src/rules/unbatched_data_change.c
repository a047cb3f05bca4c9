/* unbatched-data-change: UPDATE / DELETE of a whole existing table in a migration. */
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if ((st->kind != DG_STMT_UPDATE && st->kind != DG_STMT_DELETE) || st->has_where ||
	    st->table_is_new || !st->rel)
		return;
	const char *t = dg_ctx_rel(ctx, st->rel);
	const char *verb = st->kind == DG_STMT_UPDATE ? "UPDATE" : "DELETE";
	const char *help = st->kind == DG_STMT_UPDATE ?
		dg_sprintf(ctx->arena,
			   "update in batches outside the migration's transaction, each one committed: UPDATE %s SET ... WHERE id IN (SELECT id FROM %s WHERE <not yet updated> ORDER BY id LIMIT 10000); until it updates no rows",
			   t, t) :
		dg_sprintf(ctx->arena,
			   "delete in batches, each one committed: DELETE FROM %s WHERE id IN (SELECT id FROM %s ORDER BY id LIMIT 10000); until it deletes no rows (or TRUNCATE %s; if the table may be emptied at once)",
			   t, t, t);
	dg_report(ctx, st, -1, help,
		  "%s of every row of existing table \"%s\" in one statement: it locks every row it touches until COMMIT, bloats the table and can run for a long time",
		  verb, t);
}

const struct dg_rule dg_rule_unbatched_data_change = {
	.id = "unbatched-data-change",
	.severity = DG_WARNING,
	.summary = "UPDATE / DELETE of a whole existing table in a migration",
	.description = "An UPDATE or DELETE without WHERE touches every row in one transaction: each changed row stays locked until COMMIT (concurrent writers to those rows wait), the table doubles in size until vacuum catches up, and replicas lag. Backfills belong in small committed batches, outside the schema migration.",
	.check_stmt = check,
};
