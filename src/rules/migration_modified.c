/*
 * migration-modified: a migration already on the target branch was edited
 * or deleted. Databases that ran it never see the change.
 */
#include "graph/graph.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_graph *g)
{
	for (size_t i = 0; i < g->n_changes; i++) {
		const struct dg_graph_change *c = &g->changes[i];
		if (!c->now) {
			dg_report_at(
			    ctx, c->old->path, 0, 0,
			    "restore the file; to undo its change, add a new migration",
			    "migration %s exists on %s but was deleted; databases that "
			    "applied it keep its changes and the history no longer matches",
			    c->old->path, g->target_name);
			continue;
		}
		dg_report_at(ctx, c->now->path, 1, 1,
			     "revert the edit and put the change in a new migration",
			     "migration %s is already on %s and was changed; databases that "
			     "applied it will never run the edit (and checksum-checking tools "
			     "refuse to migrate)",
			     c->now->path, g->target_name);
	}
}

const struct dg_rule dg_rule_migration_modified = {
    .id = "migration-modified",
    .severity = DG_ERROR,
    .summary = "a migration already on the target branch was edited or deleted",
    .description = "A migration that reached the target branch has run, or will run, on shared "
		   "databases. Editing it changes nothing there (Flyway even refuses to migrate "
		   "on a checksum mismatch) and deleting it breaks the history. Changes go into "
		   "a new migration. Flyway repeatable (R__) migrations are meant to change and "
		   "are exempt.",
    .check_graph = check,
};
