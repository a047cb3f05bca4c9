/* Helpers of the live-database rules: where a finding goes, lookups by name. */
#include "rules/live.h"

#include <stdarg.h>
#include <string.h>

void dg_live_report(struct dg_rule_ctx *ctx, const struct dg_live *live,
		    const struct dg_schema_origin *origin, const char *help, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *msg = dg_vsprintf(ctx->arena, fmt, ap);
	va_end(ap);
	if (origin && origin->path && origin->stmt && origin->file) {
		const struct dg_sql_file *file = ctx->file;
		const char *shown = ctx->display_path;
		ctx->file = origin->file;
		ctx->display_path = origin->path;
		dg_report(ctx, origin->stmt, origin->location, help, "%s", msg);
		ctx->file = file;
		ctx->display_path = shown;
		return;
	}
	dg_report_at(ctx, live->where, 0, 0, help, "%s", msg);
}

static const struct dg_schema_table *lookup(const struct dg_schema *s, const char *schema,
					    const char *name)
{
	struct dg_rel r = { schema, name };
	return s ? dg_schema_find_table(s, &r) : NULL;
}

const struct dg_schema_table *dg_live_expected_table(const struct dg_live *live,
						     const char *schema, const char *name)
{
	return lookup(live->expected, schema, name);
}

const struct dg_schema_table *dg_live_table(const struct dg_live *live, const char *schema,
					    const char *name)
{
	return lookup(live->schema, schema, name);
}

int dg_live_index_covers_fk(const struct dg_schema_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n_constraints; i++) {
		const struct dg_schema_constraint *c = &t->constraints[i];
		if (c->kind != DG_SCON_FOREIGN)
			continue;
		const struct dg_schema_index *ix = dg_schema_fk_covering_index(t, c);
		if (ix && !strcmp(ix->name, name))
			return 1;
	}
	return 0;
}

const struct dg_schema_origin *dg_live_index_origin(const struct dg_live *live,
						    const struct dg_live_index *ix)
{
	const struct dg_schema_table *t = dg_live_expected_table(live, ix->schema, ix->table);
	for (size_t i = 0; t && i < t->n_indexes; i++)
		if (!strcmp(t->indexes[i].name, ix->name))
			return &t->indexes[i].origin;
	return NULL;
}
