/* add-unique-constraint: UNIQUE / PRIMARY KEY added without USING INDEX of a concurrently built index. */
#include <string.h>

#include "rules/rule.h"

/* The safe sequence: build the index concurrently, then attach it. */
static const char *help(struct dg_rule_ctx *ctx, const struct dg_stmt *st, int primary,
			const char *name, const char *cols)
{
	const char *t = dg_ctx_rel(ctx, st->rel);
	return dg_sprintf(ctx->arena,
		"CREATE UNIQUE INDEX CONCURRENTLY %s ON %s (%s); outside a transaction, then: ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s;%s",
		name, t, cols, t, name, primary ? "PRIMARY KEY" : "UNIQUE", name,
		primary ? " (the key's columns must already be NOT NULL, see set-not-null)" : "");
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_TABLE || st->table_is_new)
		return;
	const char *t = dg_ctx_rel(ctx, st->rel);
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		if (c->kind == DG_CMD_ADD_CONSTRAINT && c->con &&
		    (c->con->kind == DG_CON_UNIQUE || c->con->kind == DG_CON_PRIMARY) &&
		    !c->con->using_index) {
			int pk = c->con->kind == DG_CON_PRIMARY;
			const char *cols = dg_join(ctx->arena, c->con->columns, c->con->n_columns, ", ");
			const char *name = c->con->name ? c->con->name :
				pk ? dg_sprintf(ctx->arena, "%s_pkey", st->rel->name) :
				     dg_sprintf(ctx->arena, "%s_%s_key", st->rel->name,
						c->con->n_columns ? c->con->columns[0] : "col");
			dg_report(ctx, st, c->location, help(ctx, st, pk, name, cols),
				  "adding %s to existing table \"%s\" builds its index while holding %s: reads and writes wait for the whole build",
				  pk ? "PRIMARY KEY" : "UNIQUE constraint", t, dg_lockmode_name(c->lock));
		} else if (c->kind == DG_CMD_ADD_COLUMN && c->coldef &&
			   (c->coldef->unique || c->coldef->primary_key)) {
			int pk = c->coldef->primary_key;
			const char *name = pk ? dg_sprintf(ctx->arena, "%s_pkey", st->rel->name) :
				dg_sprintf(ctx->arena, "%s_%s_key", st->rel->name, c->coldef->name);
			const char *add = dg_sprintf(ctx->arena, "ALTER TABLE %s ADD COLUMN %s %s; ", t,
						     c->coldef->name, c->coldef->type.display);
			dg_report(ctx, st, c->location,
				  dg_sprintf(ctx->arena, "%s%s", add, help(ctx, st, pk, name, c->coldef->name)),
				  "ADD COLUMN \"%s\" ... %s on existing table \"%s\" builds an index over every row while holding %s",
				  c->coldef->name, pk ? "PRIMARY KEY" : "UNIQUE", t,
				  dg_lockmode_name(c->lock));
		}
	}
}

const struct dg_rule dg_rule_add_unique_constraint = {
	.id = "add-unique-constraint",
	.severity = DG_ERROR,
	.summary = "UNIQUE / PRIMARY KEY added without USING INDEX of a concurrently built index",
	.description = "ALTER TABLE ... ADD UNIQUE / PRIMARY KEY builds the index inside the ALTER, under ACCESS EXCLUSIVE: no reads and no writes until every row is indexed. Build the unique index with CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX, which is a catalog change.",
	.check_stmt = check,
};
