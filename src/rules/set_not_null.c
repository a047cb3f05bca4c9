/* set-not-null: SET NOT NULL that scans the table under ACCESS EXCLUSIVE. */
#include "rules/rule.h"
#include "schema/schema.h"

/* Did an earlier statement of the file DROP NOT NULL on the column (or re-create it)? */
static int dropped_earlier(const struct dg_rule_ctx *ctx, const struct dg_stmt *st, const char *col)
{
	return dg_sql_marked_before(ctx->file, st, DG_MARK_NULLABILITY, st->rel, col) ||
	       dg_sql_marked_before(ctx->file, st, DG_MARK_DROP_OR_RENAME, st->rel, NULL);
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_TABLE || st->table_is_new)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		/* the model clears the scan when a validated CHECK proves the column (12+) */
		if (c->kind != DG_CMD_SET_NOT_NULL || !c->scans || !c->column)
			continue;
		/* a validated CHECK (col IS NOT NULL) from an earlier migration proves it (12+) */
		if (ctx->pg_version >= 12 &&
		    dg_schema_check_proves_not_null(ctx->schema, st->rel, c->column))
			continue;
		/* already NOT NULL before this file: PostgreSQL does nothing */
		const struct dg_schema_column *sc =
			dg_schema_find_column(dg_schema_find_table(ctx->schema, st->rel), c->column);
		if (sc && sc->not_null && !dropped_earlier(ctx, st, c->column))
			continue;
		const char *t = dg_ctx_rel(ctx, st->rel);
		const char *k = dg_sprintf(ctx->arena, "%s_%s_not_null", st->rel->name, c->column);
		const char *help = ctx->pg_version >= 12 ?
			dg_sprintf(ctx->arena,
				   "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID; ALTER TABLE %s VALIDATE CONSTRAINT %s; (separate transaction) then ALTER TABLE %s ALTER COLUMN %s SET NOT NULL; (no scan: the CHECK proves it) and ALTER TABLE %s DROP CONSTRAINT %s;",
				   t, k, c->column, t, k, t, c->column, t, k) :
			dg_sprintf(ctx->arena,
				   "before PostgreSQL 12 SET NOT NULL always scans (target: %d): enforce it with ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID; ALTER TABLE %s VALIDATE CONSTRAINT %s; instead",
				   ctx->pg_version, t, k, c->column, t, k);
		dg_report(ctx, st, c->location >= 0 ? c->location : -1, help,
			  "SET NOT NULL on \"%s\".\"%s\" scans the whole table under %s: reads and writes wait",
			  t, c->column, dg_lockmode_name(c->lock));
	}
}

const struct dg_rule dg_rule_set_not_null = {
	.id = "set-not-null",
	.severity = DG_ERROR,
	.summary = "SET NOT NULL that scans the table under ACCESS EXCLUSIVE",
	.description = "ALTER COLUMN ... SET NOT NULL checks every row while holding ACCESS EXCLUSIVE: nothing can read or write the table until the scan is done. From PostgreSQL 12 a validated CHECK (col IS NOT NULL) constraint lets it skip the scan, and that CHECK can be added NOT VALID and validated under a weak lock.",
	.check_stmt = check,
};
