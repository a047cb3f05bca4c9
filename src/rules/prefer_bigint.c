/* prefer-bigint: integer / serial / smallint primary keys and identity columns. */
#include <string.h>

#include "rules/rule.h"

/* The bigint spelling of a too-small integer type, or NULL if not one. */
static const char *bigger(const char *type)
{
	static const struct {
		const char *small, *big;
	} map[] = {
		{ "int4", "bigint" }, { "int2", "bigint" }, { "int", "bigint" },
		{ "integer", "bigint" }, { "smallint", "bigint" },
		{ "serial", "bigserial" }, { "serial4", "bigserial" },
		{ "smallserial", "bigserial" }, { "serial2", "bigserial" },
	};
	for (size_t i = 0; i < DG_ARRAY_SIZE(map); i++)
		if (!strcmp(type, map[i].small))
			return map[i].big;
	return NULL;
}

static int in_list(const char *name, const char *const *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cols[i], name))
			return 1;
	return 0;
}

/* Is the column part of a table-level PRIMARY KEY of st? */
static int in_table_pk(const struct dg_stmt *st, const char *name)
{
	for (size_t i = 0; i < st->n_constraints; i++)
		if (st->constraints[i].kind == DG_CON_PRIMARY &&
		    in_list(name, st->constraints[i].columns, st->constraints[i].n_columns))
			return 1;
	return 0;
}

static void check_column(struct dg_rule_ctx *ctx, const struct dg_stmt *st,
			 const struct dg_column *c, int pk)
{
	const char *big = bigger(c->type.name);
	if (!big || c->type.array || (!pk && !c->identity))
		return;
	const char *role = c->identity ? "identity column" : "primary key";
	const char *fix = c->identity ?
		dg_sprintf(ctx->arena, "%s bigint GENERATED %s AS IDENTITY", c->name, "ALWAYS") :
		dg_sprintf(ctx->arena, "%s %s PRIMARY KEY", c->name, big);
	dg_report(ctx, st, c->location, dg_sprintf(ctx->arena, "declare it as: %s", fix),
		  "%s \"%s\" of \"%s\" is %s: it overflows at %s rows, and changing it to bigint later rewrites the table",
		  role, c->name, dg_ctx_rel(ctx, st->rel), c->type.display,
		  !strcmp(c->type.name, "int2") || !strcmp(c->type.name, "smallserial") ||
		  !strcmp(c->type.name, "serial2") ? "32,767" : "2,147,483,647");
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind == DG_STMT_CREATE_TABLE) {
		for (size_t i = 0; i < st->n_columns; i++) {
			const struct dg_column *c = &st->columns[i];
			check_column(ctx, st, c, c->primary_key || in_table_pk(st, c->name));
		}
	} else if (st->kind == DG_STMT_ALTER_TABLE) {
		for (size_t i = 0; i < st->n_cmds; i++) {
			const struct dg_cmd *c = &st->cmds[i];
			if (c->kind == DG_CMD_ADD_COLUMN && c->coldef)
				check_column(ctx, st, c->coldef, c->coldef->primary_key);
		}
	}
}

const struct dg_rule dg_rule_prefer_bigint = {
	.id = "prefer-bigint",
	.severity = DG_WARNING,
	.summary = "integer / serial / smallint primary keys and identity columns",
	.description = "A 32-bit key runs out at 2,147,483,647 values; sequences skip values on rollbacks, so busy tables get there sooner than their row count says. The fix then, ALTER COLUMN ... TYPE bigint, rewrites the table and every index on it under ACCESS EXCLUSIVE. bigint costs 4 bytes more per row.",
	.check_stmt = check,
};
