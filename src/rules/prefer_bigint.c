/* prefer-bigint: integer / serial / smallint primary keys and identity columns. */
#include <string.h>

#include "rules/rule.h"
#include "schema/schema.h"

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

static void check_fk_types(struct dg_rule_ctx *ctx, const struct dg_stmt *st);

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (dg_ctx_in_down_migration(ctx))
		return; /* a down migration restores the old column types on purpose */
	check_fk_types(ctx, st);
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

/*
 * An integer FK column that references a bigint key. Column types come
 * from the file itself (earlier CREATE TABLE / ADD COLUMN / ALTER TYPE),
 * else from the schema replayed before the file (ctx->schema).
 */
static const char *col_type_name(struct dg_rule_ctx *ctx, const struct dg_stmt *upto,
				 const struct dg_rel *rel, const char *col, const char **display)
{
	int in_file = 0;
	const struct dg_type *ty = dg_sql_column_type(ctx->file, upto, rel, col, &in_file);
	if (!ty && !in_file) {
		const struct dg_schema_column *c =
			dg_schema_find_column(dg_schema_find_table(ctx->schema, rel), col);
		ty = c ? &c->type : NULL;
	}
	if (!ty || ty->array)
		return NULL;
	*display = ty->display ? ty->display : ty->name;
	return ty->name;
}

/* The referenced table's primary key column (single-column keys only). */
static const char *ref_pk_column(struct dg_rule_ctx *ctx, const struct dg_stmt *upto,
				 const struct dg_rel *rel)
{
	const struct dg_stmt *st = dg_sql_table_created_by(ctx->file, upto, rel);
	if (st) {
		for (size_t k = 0; k < st->n_columns; k++)
			if (st->columns[k].primary_key)
				return st->columns[k].name;
		for (size_t k = 0; k < st->n_constraints; k++)
			if (st->constraints[k].kind == DG_CON_PRIMARY && st->constraints[k].n_columns == 1)
				return st->constraints[k].columns[0];
		return NULL;
	}
	const struct dg_schema_constraint *pk =
		dg_schema_primary_key(dg_schema_find_table(ctx->schema, rel));
	return pk && pk->n_columns == 1 ? pk->columns[0] : NULL;
}

static int is_bigint(const char *t)
{
	return t && (!strcmp(t, "int8") || !strcmp(t, "bigserial") || !strcmp(t, "serial8"));
}

static void check_fk(struct dg_rule_ctx *ctx, const struct dg_stmt *st, const struct dg_rel *table,
		     const struct dg_constraint *fk, const char *const *cols, size_t n_cols)
{
	if (!ctx->file || !table)
		return;
	for (size_t i = 0; i < n_cols; i++) {
		const char *ref_col = fk->n_ref_columns ?
			(i < fk->n_ref_columns ? fk->ref_columns[i] : NULL) :
			(n_cols == 1 ? ref_pk_column(ctx, st, &fk->ref_table) : NULL);
		const char *ld = NULL, *rd = NULL;
		const char *lt = col_type_name(ctx, st, table, cols[i], &ld);
		const char *rt = ref_col ? col_type_name(ctx, st, &fk->ref_table, ref_col, &rd) : NULL;
		if (!lt || !is_bigint(rt) || !bigger(lt))
			continue;
		dg_report(ctx, st, fk->location, dg_sprintf(ctx->arena, "declare it as: %s bigint", cols[i]),
			  "foreign key column \"%s\" of \"%s\" is %s but references bigint \"%s\".\"%s\": inserts fail once the key passes 2,147,483,647",
			  cols[i], dg_ctx_rel(ctx, table), ld, dg_ctx_rel(ctx, &fk->ref_table), ref_col);
	}
}

static void check_fk_types(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind == DG_STMT_CREATE_TABLE) {
		for (size_t k = 0; k < st->n_columns; k++)
			if (st->columns[k].fk)
				check_fk(ctx, st, st->rel, st->columns[k].fk, &st->columns[k].name, 1);
		for (size_t k = 0; k < st->n_constraints; k++)
			if (st->constraints[k].kind == DG_CON_FOREIGN)
				check_fk(ctx, st, st->rel, &st->constraints[k],
					 st->constraints[k].columns, st->constraints[k].n_columns);
	} else if (st->kind == DG_STMT_ALTER_TABLE) {
		for (size_t k = 0; k < st->n_cmds; k++) {
			const struct dg_cmd *c = &st->cmds[k];
			if (c->con && c->con->kind == DG_CON_FOREIGN)
				check_fk(ctx, st, st->rel, c->con, c->con->columns, c->con->n_columns);
			else if (c->coldef && c->coldef->fk && c->kind == DG_CMD_ADD_COLUMN)
				check_fk(ctx, st, st->rel, c->coldef->fk, &c->coldef->name, 1);
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
