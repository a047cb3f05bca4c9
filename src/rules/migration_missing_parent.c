/*
 * migration-missing-parent: a parent, dependency or replaced name that no
 * migration of the set defines. Alembic and Django refuse to build the graph.
 */
#include <string.h>

#include "graph/graph.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_graph *g)
{
	const struct dg_set *set = g->set;
	for (size_t i = 0; i < g->n_missing; i++) {
		const struct dg_graph_missing *x = &g->missing[i];
		const char *path = dg_graph_where(set, x->m);
		switch (set->cfg.format) {
		case DG_FORMAT_ALEMBIC:
			dg_report_at(ctx, path, x->line, 1,
				     "fix the id (a typo or a revision not committed?) or add the "
				     "missing revision file; `alembic history` lists the ids",
				     "%s '%s' of revision %s names no revision in %s", x->what,
				     x->ref, x->m->id, set->cfg.path);
			break;
		case DG_FORMAT_DJANGO:
			if (!strcmp(x->what, "replaces")) {
				/* deleting the replaced files after a squash is Django's own advice
				 */
				enum dg_severity keep = ctx->severity;
				if (ctx->severity > DG_WARNING)
					ctx->severity = DG_WARNING;
				dg_report_at(
				    ctx, path, x->line, 1,
				    "if the squash is applied everywhere, finish the transition by "
				    "removing `replaces`; otherwise fix the name",
				    "replaces entry '%s' of squashed migration %s names no "
				    "migration "
				    "file (deleted after squashing, or a typo?)",
				    x->ref, x->m->id);
				ctx->severity = keep;
				break;
			}
			dg_report_at(
			    ctx, path, x->line, 1,
			    "fix the name or add the missing migration; "
			    "`python manage.py showmigrations` lists them",
			    "%s entry '%s' of migration %s names no migration in the repository",
			    x->what, x->ref, x->m->id);
			break;
		case DG_FORMAT_SQL:
			dg_report_at(ctx, path, x->line, 1,
				     "add the change to the plan or fix the name",
				     "change %s requires '%s', which the plan does not define",
				     x->m->id, x->ref);
			break;
		}
	}
}

const struct dg_rule dg_rule_migration_missing_parent = {
    .id = "migration-missing-parent",
    .severity = DG_ERROR,
    .summary = "a parent / dependency that names no migration",
    .description = "A down_revision, depends_on, Django dependency, replaces or run_before entry "
		   "names a migration that does not exist: often a revision that was never "
		   "committed, or a typo. Alembic stops with \"Revision ... is not present\" and "
		   "Django with NodeNotFoundError. Django dependencies on apps outside the "
		   "repository are not checked. Values the reader cannot evaluate without "
		   "running the file are reported under this id at warning level.",
    .check_graph = check,
};
