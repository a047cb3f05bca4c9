/* protected-branch-delete: deleting a protected branch on the remote. */
#include "git/push.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_push_ref *p)
{
	if (!p->is_protected || !p->is_delete)
		return;
	dg_report_at(ctx, NULL, 0, 0,
		     "protected branches are not deleted from a workstation; if this is "
		     "really meant, remove it from protected_branches in .ddlgate.yml first",
		     "deleting protected branch '%s' on %s", p->remote_branch, p->remote);
}

const struct dg_rule dg_rule_protected_branch_delete = {
    .id = "protected-branch-delete",
    .severity = DG_ERROR,
    .summary = "deleting a protected branch on the remote",
    .description = "`git push origin :master` or `git push --delete origin master` removes "
		   "the branch everybody builds on. The hook refuses a deletion of any "
		   "branch matching protected_branches.",
    .check_push = check,
};
