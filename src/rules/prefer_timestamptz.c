/*
 * prefer-timestamptz: a new column of type timestamp (without time zone).
 * Its values mean nothing without the zone they were written in; changing
 * it to timestamptz later rewrites the table unless the session is UTC.
 */
#include <string.h>

#include "rules/rule.h"

static int is_timestamp(const struct dg_type *t)
{
	return t->name && !strcmp(t->name, "timestamp");
}

/* The column's type with timestamptz for timestamp: "timestamptz(3)[]". */
static const char *tz_type(struct dg_rule_ctx *ctx, const struct dg_type *t)
{
	return dg_sprintf(ctx->arena, "timestamptz%s%s",
			  t->n_mods == 1 ? dg_sprintf(ctx->arena, "(%d)", t->mods[0]) : "",
			  t->array ? "[]" : "");
}

static void report(struct dg_rule_ctx *ctx, const struct dg_stmt *st, const struct dg_column *c,
		   int location, const char *help)
{
	dg_report(ctx, st, location, help,
		  "column \"%s\" is %s (without time zone): its values do not say which zone they are in, and changing it to timestamptz later rewrites the table",
		  c->name, c->type.display);
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (dg_ctx_in_down_migration(ctx))
		return; /* a down migration restores the old column on purpose */
	if (st->kind == DG_STMT_CREATE_TABLE) {
		for (size_t i = 0; i < st->n_columns; i++) {
			const struct dg_column *c = &st->columns[i];
			if (is_timestamp(&c->type))
				report(ctx, st, c, c->location,
				       dg_sprintf(ctx->arena, "%s %s (timestamp with time zone: stored as UTC, shown in the session's zone)",
						  c->name, tz_type(ctx, &c->type)));
		}
		return;
	}
	if (st->kind != DG_STMT_ALTER_TABLE || !st->rel)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		if (c->kind != DG_CMD_ADD_COLUMN || !c->coldef || !is_timestamp(&c->coldef->type))
			continue;
		report(ctx, st, c->coldef, c->location,
		       dg_sprintf(ctx->arena, "ALTER TABLE %s ADD COLUMN %s %s;", dg_ctx_rel(ctx, st->rel),
				  c->coldef->name, tz_type(ctx, &c->coldef->type)));
	}
}

const struct dg_rule dg_rule_prefer_timestamptz = {
	.id = "prefer-timestamptz",
	.severity = DG_WARNING,
	.summary = "a new timestamp-without-time-zone column",
	.description = "timestamp without time zone stores a wall-clock reading with no zone: the same value means different instants to servers and clients in different zones, and daylight-saving changes make some values ambiguous. timestamptz stores an instant (as UTC) and costs the same 8 bytes. Converting later with ALTER COLUMN ... TYPE timestamptz rewrites the table unless the session TimeZone is UTC (PostgreSQL 12+).",
	.check_stmt = check,
};
