/* protected-branch-commit: committing on a protected branch (pre-commit; off by default). */
#include "git/push.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_commit_ctx *c)
{
	if (!c->branch || !c->is_protected)
		return;
	dg_report_at(ctx, NULL, 0, 0,
		     "commit on a topic branch instead: git switch -c <topic> "
		     "(the staged changes come along), then commit",
		     "committing directly on protected branch '%s'", c->branch);
}

const struct dg_rule dg_rule_protected_branch_commit = {
    .id = "protected-branch-commit",
    .severity = DG_OFF,
    .summary = "committing on a protected branch (pre-commit hook; off by default)",
    .description = "With this rule on (branch_rules: {protected-branch-commit: error}), the "
		   "pre-commit hook refuses commits while HEAD is a protected branch, so "
		   "work starts on a topic branch. A detached HEAD passes.",
    .check_commit = check,
};
