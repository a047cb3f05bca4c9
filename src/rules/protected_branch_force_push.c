/* protected-branch-force-push: a non-fast-forward update of a protected branch. */
#include "git/push.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_push_ref *p)
{
	char rhex[DG_OID_HEXSZ + 1], lhex[DG_OID_HEXSZ + 1];
	if (!p->is_protected || p->is_delete || p->is_new || p->fast_forward == 1)
		return;
	dg_oid_fmt(rhex, &p->remote_oid);
	dg_oid_fmt(lhex, &p->local_oid);
	rhex[12] = lhex[12] = '\0';
	if (!p->remote_known) {
		dg_report_at(ctx, NULL, 0, 0,
			     dg_sprintf(ctx->arena,
					"git fetch %s, integrate its '%s' (git pull --rebase), "
					"then push again",
					p->remote, p->remote_branch),
			     "protected branch '%s' is at %s on the remote, which is not in "
			     "this repository: fetch first, or this is a force push",
			     p->remote_branch, rhex);
	} else if (p->fast_forward < 0) {
		dg_report_at(ctx, NULL, 0, 0,
			     "the history is incomplete (shallow clone?): git fetch --unshallow, "
			     "then push again",
			     "cannot tell whether updating protected branch '%s' from %s to "
			     "%s is a fast-forward",
			     p->remote_branch, rhex, lhex);
	} else {
		dg_report_at(
		    ctx, NULL, 0, 0,
		    dg_sprintf(ctx->arena,
			       "integrate the remote branch first (git pull --rebase %s %s), "
			       "then push without --force",
			       p->remote, p->remote_branch),
		    "non-fast-forward update of protected branch '%s': %s is not "
		    "an ancestor of %s, so commits on the remote would be lost",
		    p->remote_branch, rhex, lhex);
	}
}

const struct dg_rule dg_rule_protected_branch_force_push = {
    .id = "protected-branch-force-push",
    .severity = DG_ERROR,
    .summary = "a non-fast-forward (force) update of a protected branch",
    .description = "The update of a protected branch must be a fast-forward: the commit the "
		   "remote has must be an ancestor of the commit pushed. This is decided "
		   "from the history (not from --force on the command line), so `push -f`, "
		   "`push +master` and a forced mirror push are all caught. When the remote "
		   "commit is not in the local repository the update cannot be proven to "
		   "be a fast-forward: fetch first.",
    .check_push = check,
};
