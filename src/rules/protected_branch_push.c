/* protected-branch-push: a branch (or HEAD, a tag, a sha) pushed onto a differently named protected
 * branch. */
#include <string.h>

#include "git/push.h"
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_push_ref *p)
{
	char hex[DG_OID_HEXSZ + 1];
	if (!p->is_protected || p->is_delete)
		return;
	if (p->local_branch && !strcmp(p->local_branch, p->remote_branch))
		return;
	dg_oid_fmt(hex, &p->local_oid);
	hex[12] = '\0';
	const char *what;
	if (p->local_branch)
		what = dg_sprintf(ctx->arena, "local branch '%s'", p->local_branch);
	else if (!strcmp(p->local_ref, "HEAD"))
		what = dg_sprintf(ctx->arena, "detached HEAD (%s)", hex);
	else if (dg_str_startswith(p->local_ref, "refs/tags/"))
		what = dg_sprintf(ctx->arena, "tag '%s'", p->local_ref + strlen("refs/tags/"));
	else
		what = dg_sprintf(ctx->arena, "'%s' (%s)", p->local_ref, hex);
	dg_report_at(
	    ctx, NULL, 0, 0,
	    dg_sprintf(ctx->arena,
		       "push to a branch of its own (git push %s HEAD:refs/heads/<new-branch>) "
		       "and open a pull request; protected branches are pushed only from "
		       "a local branch of the same name",
		       p->remote),
	    "%s pushed onto protected branch '%s'", what, p->remote_branch);
}

const struct dg_rule dg_rule_protected_branch_push = {
    .id = "protected-branch-push",
    .severity = DG_ERROR,
    .summary = "a local branch, HEAD, tag or sha pushed onto a differently named protected branch",
    .description = "A push whose remote ref is a protected branch (protected_branches in "
		   ".ddlgate.yml; default main and master) must come from the local branch "
		   "of the same name. `git push origin topic:master`, `git push origin "
		   "HEAD:master` from a topic branch, or a sha, tag or detached HEAD pushed "
		   "onto master are almost always a typo for a new remote branch.",
    .check_push = check,
};
