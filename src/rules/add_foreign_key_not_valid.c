/* add-foreign-key-not-valid: a foreign key added to an existing table without NOT VALID. */
#include <string.h>

#include "rules/not_valid.h"
#include "rules/rule.h"

/* PostgreSQL's default name: <table>_<first column>_fkey. */
static const char *fk_name(struct dg_rule_ctx *ctx, const struct dg_stmt *st,
			   const struct dg_constraint *k)
{
	if (k->name)
		return k->name;
	return dg_sprintf(ctx->arena, "%s_%s_fkey", st->rel->name,
			  k->n_columns ? k->columns[0] : "col");
}

static const char *fk_sql(struct dg_rule_ctx *ctx, const struct dg_stmt *st,
			  const struct dg_constraint *k)
{
	const char *t = dg_ctx_rel(ctx, st->rel);
	const char *name = fk_name(ctx, st, k);
	const char *refcols = k->n_ref_columns ?
		dg_sprintf(ctx->arena, " (%s)", dg_join(ctx->arena, k->ref_columns, k->n_ref_columns, ", ")) : "";
	return dg_sprintf(ctx->arena,
			  "ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s%s NOT VALID; then, in a separate transaction: ALTER TABLE %s VALIDATE CONSTRAINT %s;",
			  t, name, dg_join(ctx->arena, k->columns, k->n_columns, ", "),
			  dg_ctx_rel(ctx, &k->ref_table), refcols, t, name);
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_TABLE || st->table_is_new)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		if (dg_not_valid_validate_held(ctx, st, c, DG_CON_FOREIGN)) {
			continue;
		} else if (c->kind == DG_CMD_ADD_CONSTRAINT && c->con && c->con->kind == DG_CON_FOREIGN &&
		    c->scans) {
			dg_report(ctx, st, c->location, fk_sql(ctx, st, c->con),
				  "adding foreign key to existing table \"%s\" scans it to validate every row while holding %s on \"%s\" and \"%s\"",
				  dg_ctx_rel(ctx, st->rel), dg_lockmode_name(c->lock),
				  dg_ctx_rel(ctx, st->rel), dg_ctx_rel(ctx, &c->con->ref_table));
		} else if (c->kind == DG_CMD_ADD_COLUMN && c->coldef && c->coldef->fk && c->scans &&
			   !c->coldef->fk->not_valid) {
			/*
			 * An inline REFERENCES cannot be NOT VALID. Without a default every
			 * value is NULL and PostgreSQL marks it valid unread; with one, it
			 * checks every row.
			 */
			const struct dg_column *col = c->coldef;
			const char *add = dg_sprintf(ctx->arena, "ALTER TABLE %s ADD COLUMN %s %s%s%s; ",
						     dg_ctx_rel(ctx, st->rel), col->name, col->type.display,
						     col->default_expr ? " DEFAULT " : "",
						     col->default_expr ? col->default_expr : "");
			dg_report(ctx, st, col->fk->location >= 0 ? col->fk->location : c->location,
				  dg_sprintf(ctx->arena, "%s%s", add, fk_sql(ctx, st, col->fk)),
				  "ADD COLUMN ... REFERENCES with a default on existing table \"%s\" checks every row against \"%s\" while holding %s on \"%s\" and %s on \"%s\"",
				  dg_ctx_rel(ctx, st->rel), dg_ctx_rel(ctx, &col->fk->ref_table),
				  dg_lockmode_name(c->lock), dg_ctx_rel(ctx, st->rel),
				  dg_lockmode_name(dg_ctx_lock_of(st, &col->fk->ref_table)),
				  dg_ctx_rel(ctx, &col->fk->ref_table));
		}
	}
}

const struct dg_rule dg_rule_add_foreign_key_not_valid = {
	.id = "add-foreign-key-not-valid",
	.severity = DG_ERROR,
	.summary = "a foreign key added to an existing table without NOT VALID",
	.description = "Adding a foreign key checks every existing row while holding SHARE ROW EXCLUSIVE locks on both the table and the referenced table, blocking their writes for the whole scan. Add it NOT VALID (instant), then VALIDATE CONSTRAINT in a separate transaction: validation takes only SHARE UPDATE EXCLUSIVE, which lets reads and writes continue. A VALIDATE in the same transaction as the ADD ... NOT VALID runs under the ADD's lock and saves nothing: reported too.",
	.check_stmt = check,
};
