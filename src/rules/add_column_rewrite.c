/* add-column-rewrite: ADD COLUMN whose default forces a table rewrite. */
#include "rules/rule.h"

static const char *why(struct dg_rule_ctx *ctx, const struct dg_cmd *cmd, const struct dg_column *c)
{
	if (cmd->domain_rewrite)
		return dg_sprintf(ctx->arena, "its type %s is a domain with constraints, so PostgreSQL checks the new value of every existing row (even NULL) and writes each row again",
				  c->type.display);
	if (c->generated_stored)
		return "a stored generated column is computed for every existing row";
	if (c->identity)
		return "an identity column is filled for every existing row";
	if (ctx->pg_version < 11)
		return dg_sprintf(ctx->arena, "before PostgreSQL 11 any non-null default is written into every row (target: %d)",
				  ctx->pg_version);
	if (c->default_volatility == DG_VOL_UNKNOWN)
		return dg_sprintf(ctx->arena, "the default calls %s(), which ddlgate does not know: treated as volatile, computed for every row",
				  c->volatile_func ? c->volatile_func : "a function");
	return dg_sprintf(ctx->arena, "the default %s is volatile and is computed for every existing row",
			  c->volatile_func ? dg_sprintf(ctx->arena, "%s()", c->volatile_func) : "expression");
}

static const char *help(struct dg_rule_ctx *ctx, const struct dg_stmt *st, const struct dg_cmd *cmd,
			const struct dg_column *c)
{
	const char *t = dg_ctx_rel(ctx, st->rel);
	const char *type = c->type.display;
	if (cmd->domain_rewrite)
		return dg_sprintf(ctx->arena,
				  "on a big table use the domain's base type and a table constraint instead: ALTER TABLE %s ADD COLUMN %s <base type of %s>; ALTER TABLE %s ADD CONSTRAINT %s_%s_check CHECK (<the domain's condition on %s>) NOT VALID; then ALTER TABLE %s VALIDATE CONSTRAINT %s_%s_check; in a later transaction (changing the column to the domain later rewrites too)",
				  t, c->name, type, t, st->rel->name, c->name, c->name, t, st->rel->name, c->name);
	if (c->generated_stored || c->identity)
		return dg_sprintf(ctx->arena,
				  "ALTER TABLE %s ADD COLUMN %s %s; fill it for new rows with a trigger (or set it in the application), backfill old rows in batches, then add the constraint you need",
				  t, c->name, type);
	const char *expr = c->default_expr ? c->default_expr : "...";
	return dg_sprintf(ctx->arena,
			  "ALTER TABLE %s ADD COLUMN %s %s; ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s; then backfill existing rows in batches: UPDATE %s SET %s = %s WHERE %s IS NULL AND <key range>;",
			  t, c->name, type, t, c->name, expr, t, c->name, expr, c->name);
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_TABLE || st->table_is_new)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		if (c->kind != DG_CMD_ADD_COLUMN || !c->rewrites || !c->coldef)
			continue;
		dg_report(ctx, st, c->location, help(ctx, st, c, c->coldef),
			  "ADD COLUMN \"%s\" rewrites table \"%s\" under an ACCESS EXCLUSIVE lock: %s",
			  c->coldef->name, dg_ctx_rel(ctx, st->rel), why(ctx, c, c->coldef));
	}
}

const struct dg_rule dg_rule_add_column_rewrite = {
	.id = "add-column-rewrite",
	.severity = DG_ERROR,
	.summary = "ADD COLUMN whose default forces a table rewrite",
	.description = "Since PostgreSQL 11 a constant default is stored once in the catalog, but a volatile default (clock_timestamp(), random(), gen_random_uuid(), nextval() of a serial), a stored generated column or an identity column still rewrites the whole table under ACCESS EXCLUSIVE: no reads, no writes until it is done. Before PostgreSQL 11 any non-null default rewrites.",
	.check_stmt = check,
};
