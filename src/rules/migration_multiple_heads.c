/*
 * migration-multiple-heads: a set whose history forked and was never
 * merged. Alembic refuses `upgrade head`, Django refuses `migrate`.
 */
#include <string.h>

#include "graph/graph.h"
#include "rules/rule.h"

/* "first bring <base> into this branch, then: " when the heads meet only in a merge. */
static const char *merge_first(struct dg_rule_ctx *ctx, const struct dg_graph *g)
{
	if (!g->merge_into)
		return "";
	return dg_sprintf(ctx->arena, "bring %s into this branch (`git merge %s`), then: ",
			  g->merge_into, g->merge_into);
}

static void check(struct dg_rule_ctx *ctx, const struct dg_graph *g)
{
	const struct dg_set *set = g->set;
	for (size_t i = 0; i < g->n_conflicts; i++) {
		const struct dg_graph_heads *c = &g->conflicts[i];
		struct dg_buf list = DG_BUF_INIT, ids = DG_BUF_INIT;
		const char **origin = dg_alloc(ctx->arena, c->n_heads * sizeof(*origin));
		dg_graph_origins(ctx->arena, g, c->heads, c->n_heads, origin);
		for (size_t k = 0; k < c->n_heads; k++) {
			const struct dg_migration *m = c->heads[k];
			dg_buf_addf(&list, "%s%s (%s%s%s)", k ? ", " : "",
				    set->cfg.format == DG_FORMAT_DJANGO ? m->name : m->id, m->path,
				    origin[k] ? ", " : "", origin[k] ? origin[k] : "");
			dg_buf_addf(&ids, " %s", m->id);
		}
		const char *after = g->merge_into
					? dg_sprintf(ctx->arena, " after the merge into %s",
						     g->merge_into)
					: "";
		/*
		 * point at the head whose file sorts last (usually the newest),
		 * preferring those the target does not have: this change's
		 */
		const struct dg_migration *at = NULL;
		for (size_t k = 0; k < c->n_heads; k++) {
			const struct dg_migration *h = c->heads[k];
			int mine = !dg_graph_on_target(g, h);
			if (!at || mine > !dg_graph_on_target(g, at) ||
			    (mine == !dg_graph_on_target(g, at) && strcmp(h->path, at->path) > 0))
				at = h;
		}
		if (set->cfg.format == DG_FORMAT_DJANGO) {
			dg_report_at(
			    ctx, at->path, at->line, 1,
			    dg_sprintf(ctx->arena, "%spython manage.py makemigrations --merge %s",
				       merge_first(ctx, g), c->app),
			    "Django app '%s' has %zu leaf migrations%s: %s; `manage.py migrate` "
			    "will stop with \"Conflicting migrations detected\"",
			    c->app, c->n_heads, after, dg_buf_cstr(&list));
		} else {
			const char *branch = c->label && *c->label
						 ? dg_sprintf(ctx->arena, " on branch %s", c->label)
						 : "";
			dg_report_at(
			    ctx, at->path, at->line, 1,
			    dg_sprintf(ctx->arena, "%salembic merge -m \"merge heads\"%s",
				       merge_first(ctx, g), dg_buf_cstr(&ids)),
			    "alembic migrations in %s have %zu heads%s%s: %s; `alembic upgrade "
			    "head` will stop with \"Multiple head revisions are present\"",
			    set->cfg.path, c->n_heads, branch, after, dg_buf_cstr(&list));
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
