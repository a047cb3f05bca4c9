/*
 * migration-duplicate-version: two SQL migrations with one version (or two
 * Alembic revisions with one id). The tools refuse to run or run only one.
 */
#include "graph/graph.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_graph *g)
{
	const struct dg_set *set = g->set;
	for (size_t i = 0; i < g->n_dups; i++) {
		const struct dg_graph_dup *d = &g->dups[i];
		struct dg_buf list = DG_BUF_INIT;
		const char **origin = dg_alloc(ctx->arena, d->n_migs * sizeof(*origin));
		dg_graph_origins(ctx->arena, g, d->migs, d->n_migs, origin);
		for (size_t k = 0; k < d->n_migs; k++)
			dg_buf_addf(&list, "%s%s%s%s%s", k ? ", " : "", d->migs[k]->path,
				    origin[k] ? " (" : "", origin[k] ? origin[k] : "",
				    origin[k] ? ")" : "");
		const char *after = g->merge_into
					? dg_sprintf(ctx->arena, " after the merge into %s",
						     g->merge_into)
					: "";
		const struct dg_migration *m = d->rename;
		if (set->cfg.format == DG_FORMAT_ALEMBIC) {
			dg_report_at(ctx, m->path, m->line, 1,
				     dg_sprintf(ctx->arena,
						"give %s a new revision id (`alembic revision` makes "
						"one) and point its children's down_revision at it",
						m->path),
				     "alembic revision id %s is defined %zu times%s: %s", d->version,
				     d->n_migs, after, dg_buf_cstr(&list));
		} else {
			const char *to = dg_graph_rename_to(g, m);
			const char *help = NULL;
			if (to)
				help = dg_sprintf(
				    ctx->arena, "rename %s to %s (%s)%s", m->path,
				    dg_graph_renamed(ctx->arena, set, m, to),
				    g->merge_into ? dg_sprintf(ctx->arena,
							       "the next version free on %s, this "
							       "branch and the merge",
							       g->merge_into)
						  : "the next free version",
				    set->scheme == DG_SCHEME_GOLANG_MIGRATE
					? ", and its .down.sql to match"
					: "");
			dg_report_at(ctx, dg_graph_where(set, m), m->line, 1, help,
				     "%s version %s is used by %zu migrations%s: %s",
				     dg_scheme_name(set->scheme), d->version, d->n_migs, after,
				     dg_buf_cstr(&list));
		}
		dg_buf_release(&list);
	}
}

const struct dg_rule dg_rule_migration_duplicate_version = {
    .id = "migration-duplicate-version",
    .severity = DG_ERROR,
    .summary = "two SQL migrations with the same version",
    .description = "Two branches each added migration number 12. Flyway refuses to migrate "
		   "(\"Found more than one migration with version 12\"), golang-migrate and "
		   "dbmate run only one of them, and which one depends on the file system. "
		   "Versions compare numerically by parts, so V1.10 and V1.010 collide.",
    .check_graph = check,
};
