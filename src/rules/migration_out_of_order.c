/*
 * migration-out-of-order: a new SQL migration whose version sorts before the
 * newest one already on the target branch; databases that applied the
 * newer one skip it (or the tool refuses to run).
 */
#include "graph/graph.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_graph *g)
{
	const struct dg_set *set = g->set;
	for (size_t i = 0; i < g->n_late; i++) {
		const struct dg_migration *m = g->late[i].m, *newest = g->late[i].newest;
		const char *to = dg_graph_rename_to(g, m);
		const char *help =
		    to
			? dg_sprintf(ctx->arena, "rename it to %s (the next free version)%s",
				     dg_graph_renamed(ctx->arena, set, m, to),
				     set->scheme == DG_SCHEME_GOLANG_MIGRATE
					 ? ", and its .down.sql to match"
					 : "")
			: NULL;
		dg_report_at(ctx, m->path, m->line, 1, help,
			     "new migration version %s sorts before %s (%s), the newest already on "
			     "%s; databases that applied %s will skip it or refuse to migrate",
			     m->version, newest->version, newest->path, g->target_name,
			     newest->version);
	}
}

const struct dg_rule dg_rule_migration_out_of_order = {
    .id = "migration-out-of-order",
    .severity = DG_WARNING,
    .summary = "a new migration that sorts before one already on the target branch",
    .description = "A branch created migration 7 while the target branch moved on to 9. "
		   "Flyway refuses it unless outOfOrder is set, golang-migrate and dbmate skip "
		   "or apply it in a different order on different databases. Renumber it after "
		   "the newest version of the target branch.",
    .check_graph = check,
};
