/* change-column-type: ALTER COLUMN TYPE that rewrites the table or rebuilds its indexes. */
#include "rules/rule.h"

static const char *copy_help(struct dg_rule_ctx *ctx, const char *t, const struct dg_cmd *c,
			     const char *type)
{
	return dg_sprintf(ctx->arena,
		"ALTER TABLE %s ADD COLUMN %s_new %s; keep it in sync with a trigger, backfill in batches (UPDATE %s SET %s_new = %s WHERE <key range>;), then in one short transaction: ALTER TABLE %s RENAME COLUMN %s TO %s_old; ALTER TABLE %s RENAME COLUMN %s_new TO %s;",
		t, c->column, type, t, c->column, c->column, t, c->column, c->column, t, c->column,
		c->column);
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_TABLE || st->table_is_new)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		if (c->kind != DG_CMD_ALTER_TYPE || !c->column || !(c->rewrites || c->rebuilds_index))
			continue;
		const char *t = dg_ctx_rel(ctx, st->rel);
		const char *type = c->coldef ? c->coldef->type.display : "<new type>";
		if (c->tz_rewrite) {
			/* PostgreSQL 12+: kept when the session's TimeZone is UTC */
			dg_report(ctx, st, c->location,
				  dg_sprintf(ctx->arena,
					     "SET TimeZone = 'UTC'; before the statement (SET LOCAL inside the transaction): then PostgreSQL only changes the catalog, and rebuilds the column's indexes; or, when the values are not in UTC, %s",
					     copy_help(ctx, t, c, type)),
				  "changing the type of \"%s\".\"%s\" to %s rewrites the table under %s unless the session TimeZone is UTC, and nothing in the migration sets it",
				  t, c->column, type, dg_lockmode_name(c->lock));
		} else if (c->rewrites) {
			dg_report(ctx, st, c->location, copy_help(ctx, t, c, type),
				  "changing the type of \"%s\".\"%s\" to %s rewrites the table and rebuilds its indexes under %s%s",
				  t, c->column, type, dg_lockmode_name(c->lock),
				  c->has_using ? " (USING converts every row)" : "");
		} else {
			dg_report(ctx, st, c->location,
				  dg_sprintf(ctx->arena,
					     "build the new index first with CREATE INDEX CONCURRENTLY ... (%s%s%s%s) outside a transaction and drop the old one with DROP INDEX CONCURRENTLY, or make the change when the table is quiet: the table is not rewritten, only its indexes on \"%s\"",
					     c->column, c->coldef && c->coldef->collation ? " COLLATE \"" : "",
					     c->coldef && c->coldef->collation ? c->coldef->collation : "",
					     c->coldef && c->coldef->collation ? "\"" : "", c->column),
				  "changing the type of \"%s\".\"%s\" to %s%s%s%s keeps the table but rebuilds its indexes on the column under %s: reads and writes wait for every index build",
				  t, c->column, type,
				  c->coldef && c->coldef->collation ? " COLLATE \"" : "",
				  c->coldef && c->coldef->collation ? c->coldef->collation : "",
				  c->coldef && c->coldef->collation ? "\"" : "",
				  dg_lockmode_name(c->lock));
		}
	}
}

const struct dg_rule dg_rule_change_column_type = {
	.id = "change-column-type",
	.severity = DG_ERROR,
	.summary = "ALTER COLUMN TYPE that rewrites the table or rebuilds its indexes",
	.description = "Most type changes copy the whole table and rebuild every index on it under ACCESS EXCLUSIVE: reads and writes wait for the whole run. A few keep the stored bytes and are catalog changes: the same type, varchar(n) to a longer varchar or text, numeric(p,s) to a larger precision with the same scale or to plain numeric, a new collation on a column no index uses. timestamp <-> timestamptz keeps the bytes from PostgreSQL 12 only when the session TimeZone is UTC. A new collation (or that UTC change) on an indexed column rebuilds those indexes. ddlgate knows the old type from the same file (or from the replayed schema) and only flags the changes that rewrite or rebuild.",
	.check_stmt = check,
};
