/*
 * `ddlgate pre-push REMOTE URL`: the git pre-push hook. Reads git's ref
 * lines on stdin, runs the protected-branch rules on every pushed ref and
 * the migration checks on what each ref's new commits changed. Reads the
 * object database only; the repository is never modified.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "driver/hooks.h"
#include "core/core.h"
#include "git/git.h"
#include "git/push.h"
#include "rules/rule.h"

static const char push_footer[] =
    "push blocked by ddlgate: fix the findings above, or skip every hook once with "
    "`git push --no-verify`";

/*
 * Under the pre-commit framework the hook gets no stdin and no arguments,
 * only PRE_COMMIT_* variables for one ref: rebuild git's line from them.
 */
static int stdin_from_pre_commit_env(char **out, size_t *len)
{
	const char *from = getenv("PRE_COMMIT_FROM_REF");
	const char *to = getenv("PRE_COMMIT_TO_REF");
	const char *local = getenv("PRE_COMMIT_LOCAL_BRANCH");
	const char *remote = getenv("PRE_COMMIT_REMOTE_BRANCH");
	struct dg_buf b = DG_BUF_INIT;
	if (!to || !*to)
		return dg_error("pre-push: PRE_COMMIT_TO_REF is not set");
	dg_buf_addf(&b, "%s %s %s %s\n", local && *local ? local : to, to,
		    remote && *remote ? remote : "HEAD",
		    from && *from ? from : "0000000000000000000000000000000000000000");
	*len = b.len;
	*out = dg_buf_detach(&b);
	return 0;
}

/* Was the hook given a URL or path (`git push URL`) rather than a remote's name? */
static int looks_like_url(const char *remote)
{
	return strchr(remote, ':') || remote[0] == '/' || remote[0] == '.' || remote[0] == '~';
}

/* Fill in what the rules need to know about one ref. */
static int resolve_ref(struct dg_repo *repo, const struct dg_config *cfg, struct dg_push_ref *p,
		       const char *current_branch)
{
	char hex[DG_OID_HEXSZ + 1];
	if (dg_str_startswith(p->remote_ref, "refs/heads/") && p->remote_ref[11])
		p->remote_branch = p->remote_ref + 11;
	p->is_protected = p->remote_branch && dg_config_is_protected(cfg, p->remote_branch);
	if (!p->is_delete) {
		if (dg_str_startswith(p->local_ref, "refs/heads/"))
			p->local_branch = p->local_ref + 11;
		else if (!strcmp(p->local_ref, "HEAD"))
			p->local_branch = current_branch; /* NULL when detached */
		dg_oid_fmt(hex, &p->local_oid);
		if (!dg_repo_has_object(repo, &p->local_oid))
			return dg_error("%s: pushed object %s is not in this repository",
					p->local_ref, hex);
		int pr = dg_repo_peel_commit(repo, &p->local_oid, &p->local_commit);
		if (pr == DG_GIT_DAMAGED)
			return dg_error("%s: %s", p->local_ref, dg_last_error());
		if (pr == 0)
			p->local_is_commit = 1;
		dg_error_clear();
	}
	p->remote_known = !p->is_new && dg_repo_has_object(repo, &p->remote_oid);
	p->fast_forward = p->is_new ? 1 : -1;
	if (p->is_protected && !p->is_delete && p->remote_known && p->local_is_commit) {
		struct dg_oid rc;
		int pr = dg_repo_peel_commit(repo, &p->remote_oid, &rc);
		if (pr == DG_GIT_DAMAGED)
			return dg_error("%s: %s", p->remote_ref, dg_last_error());
		if (pr == 0) {
			int r = dg_repo_descendant_of(repo, &p->local_commit, &rc);
			p->fast_forward = r < 0 ? -1 : r;
		}
		dg_error_clear();
	}
	return 0;
}

/*
 * What merging the pushed commit into the protected branch `t` would break
 * (migration-merge-preview): the in-memory merge, when the branch changed
 * a migration since the two split.
 */
static int preview_one(struct dg_run *run, const struct dg_config *cfg, struct dg_repo *repo,
		       const struct dg_push_ref *p, struct dg_source *local,
		       const struct dg_tracking_ref *t)
{
	struct dg_oid mb;
	struct dg_changes ch;
	if (dg_repo_merge_base(repo, &p->local_commit, &t->commit, &mb) != 0) {
		dg_error_clear(); /* unrelated, or the history is cut short: no merge to preview */
		return 0;
	}
	if (dg_oid_equal(&mb, &p->local_commit))
		return 0; /* the branch brings nothing the protected branch lacks */
	if (dg_repo_diff_commits(repo, &mb, &p->local_commit, &ch) < 0)
		return -1;
	struct dg_source *merged = NULL, *target = NULL;
	int r = 0;
	if (dg_hook_changes_relevant(cfg, &ch, local)) {
		r = dg_source_git_merge(&merged, repo, &mb, &t->commit, &p->local_commit, t->name,
					"this branch");
		if (!r)
			r = dg_source_git_commit(&target, repo, &t->commit, t->name);
		if (!r)
			r = dg_hook_merge_preview(run, cfg, merged, target, &ch);
	}
	dg_source_free(merged);
	dg_source_free(target);
	dg_changes_release(&ch);
	return r;
}

/*
 * A branch that is not protected is on its way to one: preview the merge
 * with each protected branch this clone tracks for the remote (what git
 * fetched last; nothing is fetched now). Off for a push to a URL, which
 * has no remote-tracking refs.
 */
static int preview_merges(struct dg_run *run, const struct dg_config *cfg, struct dg_repo *repo,
			  const struct dg_push_ref *p, struct dg_source *local)
{
	struct dg_tracking_ref *t;
	size_t n;
	if (p->is_protected || !p->remote_branch || looks_like_url(p->remote) ||
	    dg_rule_level(dg_rule_find("migration-merge-preview"), cfg) == DG_OFF)
		return 0;
	if (dg_repo_tracking_refs(repo, p->remote, &t, &n) < 0)
		return -1;
	int r = 0;
	for (size_t i = 0; i < n && !r; i++)
		if (dg_config_is_protected(cfg, t[i].branch) &&
		    strcmp(t[i].branch, p->remote_branch))
			r = preview_one(run, cfg, repo, p, local, &t[i]);
	dg_tracking_refs_free(t, n);
	return r;
}

/* Migration checks for one pushed ref; findings carry run->ref. */
static int check_ref(struct dg_run *run, const struct dg_config *cfg, struct dg_repo *repo,
		     const struct dg_push_list *list, const struct dg_push_ref *p, int all)
{
	struct dg_changes ch;
	struct dg_oid remote_commit;
	int have_remote = 0;
	if (p->is_delete || !p->local_is_commit)
		return 0;
	if (p->remote_known) {
		int pr = dg_repo_peel_commit(repo, &p->remote_oid, &remote_commit);
		if (pr == DG_GIT_DAMAGED)
			return -1;
		have_remote = pr == 0;
	}
	dg_error_clear();
	if (have_remote) {
		/* what the remote would gain: unchanged directories are skipped by tree id */
		if (dg_repo_diff_commits(repo, &remote_commit, &p->local_commit, &ch) < 0)
			return -1;
	} else {
		/*
		 * a new remote branch (or a remote sha we do not have): the
		 * commits no remote-tracking ref of this remote has yet
		 */
		struct dg_oid *hide = dg_xcalloc(list->n + 1, sizeof(*hide));
		size_t n_hide = 0;
		for (size_t i = 0; i < list->n; i++)
			if (!list->v[i].is_new)
				hide[n_hide++] = list->v[i].remote_oid;
		struct dg_buf glob = DG_BUF_INIT;
		if (looks_like_url(p->remote))
			dg_buf_adds(&glob, "refs/remotes/*");
		else
			dg_buf_addf(&glob, "refs/remotes/%s/*", p->remote);
		int r = dg_repo_changed_since(repo, &p->local_commit, hide, n_hide,
					      dg_buf_cstr(&glob), &ch);
		dg_buf_release(&glob);
		free(hide);
		if (r < 0) {
			char *msg = dg_xstrdup(dg_last_error());
			dg_error("%s: %s", p->remote_ref, msg);
			free(msg);
			return -1;
		}
	}
	struct dg_source *src = NULL, *target = NULL;
	int r = dg_source_git_commit(&src, repo, &p->local_commit, p->local_ref);
	if (!r && dg_hook_changes_relevant(cfg, &ch, src)) {
		if (have_remote)
			r = dg_source_git_commit(&target, repo, &remote_commit, p->remote_ref);
		if (!r)
			r = dg_hook_check(run, cfg, src, target, &ch, all);
	}
	if (!r)
		r = preview_merges(run, cfg, repo, p, src);
	dg_source_free(src);
	dg_source_free(target);
	dg_changes_release(&ch);
	return r;
}

/* .ddlgate.yml at the work tree root (cfg already holds defaults). */

int cmd_pre_push(int argc, char **argv)
{
	struct dg_cli cli;
	const char *pos[2] = {NULL, NULL};
	int n_pos = 0, all = 0;
	dg_cli_init(&cli);
	const struct dg_cli_flag flags[] = { { "--all", &all }, { NULL, NULL } };
	struct dg_cli_own own = { flags, NULL };
	const char **args = NULL;
	size_t n_args = 0;
	int bad = dg_cli_parse_paths(&cli, argc, argv, "pre-push", dg_cli_own_options, &own, &args,
				     &n_args);
	if (!bad && n_args > 2)
		bad = dg_cli_fail("pre-push: too many arguments: expected REMOTE URL (git passes them)");
	for (size_t k = 0; !bad && k < n_args; k++)
		pos[n_pos++] = args[k];
	free(args);
	if (bad) {
		dg_cli_release(&cli);
		return DG_EXIT_ERROR;
	}

	char *input = NULL;
	size_t len = 0;
	int rc;
	if (n_pos == 0 && getenv("PRE_COMMIT_REMOTE_NAME")) {
		pos[0] = getenv("PRE_COMMIT_REMOTE_NAME");
		pos[1] = getenv("PRE_COMMIT_REMOTE_URL");
		n_pos = 2;
		rc = stdin_from_pre_commit_env(&input, &len);
	} else if (n_pos != 2) {
		dg_cli_release(&cli);
		return dg_cli_fail("pre-push: expected REMOTE URL (git passes them to the hook; "
				   "install it with `ddlgate install`)");
	} else {
		rc = dg_read_stream(STDIN_FILENO, "stdin", &input, &len);
	}
	if (rc < 0) {
		dg_cli_release(&cli);
		return dg_cli_fail("%s", dg_last_error());
	}

	struct dg_push_list list;
	if (dg_push_parse(&list, input, len) < 0) {
		free(input);
		dg_cli_release(&cli);
		return dg_cli_fail("%s", dg_last_error());
	}
	free(input);

	struct dg_repo *repo = NULL;
	struct dg_config cfg;
	struct dg_run run;
	char *branch = NULL;
	dg_config_init(&cfg);
	dg_run_init(&run);
	int status = DG_EXIT_ERROR;
	if (dg_repo_open(&repo) < 0 || dg_cli_load_config(&cli, &cfg, dg_repo_workdir(repo)) < 0 ||
	    dg_repo_current_branch(repo, &branch) < 0) {
		dg_cli_fail("%s", dg_last_error());
		goto out;
	}
	static const char *const push_rules[] = { "protected-branch-push", "protected-branch-delete",
						  "protected-branch-force-push" };
	dg_cli_warn_unprotected(repo, &cfg, push_rules, DG_ARRAY_SIZE(push_rules));
	for (size_t i = 0; i < list.n; i++) {
		list.v[i].remote = pos[0];
		if (resolve_ref(repo, &cfg, &list.v[i], branch) < 0) {
			dg_cli_fail("%s", dg_last_error());
			goto out;
		}
	}
	for (size_t i = 0; i < list.n; i++) {
		struct dg_push_ref *p = &list.v[i];
		run.ref = dg_strdup(&run.arena, p->remote_ref);
		dg_hook_push_rules(&run, &cfg, p);
		if (check_ref(&run, &cfg, repo, &list, p, all) < 0) {
			dg_cli_fail("%s", dg_last_error());
			goto out;
		}
	}
	run.ref = NULL;
	run.refs = (unsigned)list.n;
	status = dg_cli_finish(&cli, &run, dg_run_count(&run, DG_ERROR) ? push_footer : NULL);
out:
	free(branch);
	dg_run_release(&run);
	dg_config_release(&cfg);
	dg_repo_free(repo);
	dg_push_list_release(&list);
	dg_cli_release(&cli);
	return status;
}
