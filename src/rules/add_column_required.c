/* add-column-required: ADD COLUMN NOT NULL without a default on an existing table. */
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_TABLE || st->table_is_new)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		const struct dg_column *col = c->coldef;
		/* identity, serial and generated columns fill themselves */
		if (c->kind != DG_CMD_ADD_COLUMN || !col || !col->not_null || col->has_default ||
		    col->identity || col->generated_stored)
			continue;
		const char *t = dg_ctx_rel(ctx, st->rel);
		const char *help = dg_sprintf(ctx->arena,
			"give it a constant default (instant from PostgreSQL 11): ALTER TABLE %s ADD COLUMN %s %s NOT NULL DEFAULT <value>; or add it nullable, backfill in batches, then add a NOT VALID CHECK (%s IS NOT NULL), VALIDATE it and SET NOT NULL",
			t, col->name, col->type.display, col->name);
		dg_report(ctx, st, c->location, help,
			  "ADD COLUMN \"%s\" NOT NULL without a default fails on existing table \"%s\" as soon as it has a row",
			  col->name, t);
	}
}

const struct dg_rule dg_rule_add_column_required = {
	.id = "add-column-required",
	.severity = DG_ERROR,
	.summary = "ADD COLUMN NOT NULL without a default on an existing table",
	.description = "Existing rows would get NULL in a NOT NULL column, so PostgreSQL rejects the statement on any table that has rows: the migration passes on an empty development database and fails in production. Give the column a constant default (no rewrite from PostgreSQL 11), or add it nullable and tighten it later.",
	.check_stmt = check,
};
