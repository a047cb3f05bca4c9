/*
 * migration-multiple-heads: a set whose history forked and was never
 * merged. Alembic refuses `upgrade head`, Django refuses `migrate`.
 */
#include <string.h>

#include "graph/graph.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_graph *g)
{
	const struct dg_set *set = g->set;
	for (size_t i = 0; i < g->n_conflicts; i++) {
		const struct dg_graph_heads *c = &g->conflicts[i];
		struct dg_buf list = DG_BUF_INIT, ids = DG_BUF_INIT;
		for (size_t k = 0; k < c->n_heads; k++) {
			const struct dg_migration *m = c->heads[k];
			dg_buf_addf(&list, "%s%s (%s)", k ? ", " : "",
				    set->cfg.format == DG_FORMAT_DJANGO ? m->name : m->id, m->path);
			dg_buf_addf(&ids, " %s", m->id);
		}
		/* point at the head whose file sorts last: usually the newest */
		const struct dg_migration *at = c->heads[0];
		for (size_t k = 1; k < c->n_heads; k++)
			if (strcmp(c->heads[k]->path, at->path) > 0)
				at = c->heads[k];
		if (set->cfg.format == DG_FORMAT_DJANGO) {
			dg_report_at(
			    ctx, at->path, at->line, 1,
			    dg_sprintf(ctx->arena, "python manage.py makemigrations --merge %s",
				       c->app),
			    "Django app '%s' has %zu leaf migrations: %s; `manage.py migrate` "
			    "will stop with \"Conflicting migrations detected\"",
			    c->app, c->n_heads, dg_buf_cstr(&list));
		} else {
			const char *branch = c->label && *c->label
						 ? dg_sprintf(ctx->arena, " on branch %s", c->label)
						 : "";
			dg_report_at(
			    ctx, at->path, at->line, 1,
			    dg_sprintf(ctx->arena, "alembic merge -m \"merge heads\"%s",
				       dg_buf_cstr(&ids)),
			    "alembic migrations in %s have %zu heads%s: %s; `alembic upgrade "
			    "head` will stop with \"Multiple head revisions are present\"",
			    set->cfg.path, c->n_heads, branch, dg_buf_cstr(&list));
		}
		dg_buf_release(&list);
		dg_buf_release(&ids);
	}
}

const struct dg_rule dg_rule_migration_multiple_heads = {
    .id = "migration-multiple-heads",
    .severity = DG_ERROR,
    .summary = "a migration set whose graph has more than one head",
    .description = "Two branches each added a migration on the same parent; after the merge the "
		   "history has two heads. Alembic refuses `upgrade head` and Django refuses "
		   "`migrate` until a merge migration joins them, so the deploy breaks. Alembic "
		   "heads that carry different branch labels are separate branches on purpose "
		   "and are not reported.",
    .check_graph = check,
};
