/*
 * migration-merge-conflict: a migration file that does not merge cleanly
 * into the branch a pull request goes into. Both sides changed what a
 * database may already have run, and someone will resolve it by hand.
 */
#include <string.h>

#include "graph/graph.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_graph *g)
{
	for (size_t i = 0; i < g->n_merge_conflicts; i++) {
		const struct dg_graph_conflict *c = &g->merge_conflicts[i];
		struct dg_migration file;
		memset(&file, 0, sizeof(file));
		file.path = c->path;
		const struct dg_migration *one[1] = {&file};
		const char *origin[1];
		dg_graph_origins(ctx->arena, g, one, 1, origin);
		const char *into = g->merge_into ? g->merge_into : g->target_name;
		dg_report_at(ctx, c->path, 1, 1,
			     dg_sprintf(ctx->arena,
					"bring %s into this branch (`git merge %s`), resolve the "
					"conflict in this file and commit; a migration %s already "
					"has may have run: keep its text and put this branch's "
					"change in a new migration",
					into, into, into),
			     "this migration conflicts with %s: %s%s%s%s; resolve it before "
			     "merging",
			     into, c->what, origin[0] ? " (" : "", origin[0] ? origin[0] : "",
			     origin[0] ? ")" : "");
	}
}

const struct dg_rule dg_rule_migration_merge_conflict = {
    .id = "migration-merge-conflict",
    .severity = DG_ERROR,
    .summary = "a migration file that conflicts with the base in the merge a pull request "
	       "would make",
    .description = "`ci` merges the pull request into its base in memory, as the merge button "
		   "would. A migration file that both sides changed (or one changed and the "
		   "other deleted or renamed) does not merge cleanly: whoever resolves the "
		   "conflict decides by hand which SQL runs, and databases that already ran "
		   "the base's version never see the result. Conflicts outside the migration "
		   "directories are not this rule's business.",
    .check_graph = check,
};
