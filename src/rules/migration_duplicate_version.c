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
		for (size_t k = 0; k < d->n_migs; k++)
			dg_buf_addf(&list, "%s%s", k ? ", " : "", d->migs[k]->path);
		const struct dg_migration *last = d->migs[d->n_migs - 1];
		if (set->cfg.format == DG_FORMAT_ALEMBIC) {
			dg_report_at(ctx, last->path, last->line, 1,
				     "give one of them a new revision id (`alembic revision` makes "
				     "one) and point its children's down_revision at it",
				     "alembic revision id %s is defined %zu times: %s", d->version,
				     d->n_migs, dg_buf_cstr(&list));
		} else {
			const char *help = NULL;
			if (g->next_version)
				help = dg_sprintf(
				    ctx->arena, "rename %s to %s (the next free version)%s",
				    last->path,
				    dg_graph_renamed(ctx->arena, set, last, g->next_version),
				    set->scheme == DG_SCHEME_GOLANG_MIGRATE
					? ", and its .down.sql to match"
					: "");
			dg_report_at(ctx, dg_graph_where(set, last), last->line, 1, help,
				     "%s version %s is used by %zu migrations: %s",
				     dg_scheme_name(set->scheme), d->version, d->n_migs,
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
