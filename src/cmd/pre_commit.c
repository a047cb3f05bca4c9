/*
 * `ddlgate pre-commit`: the git pre-commit hook. Checks what is staged —
 * the index git is about to commit (GIT_INDEX_FILE for `commit -a` and
 * `commit <paths>`), never the work tree — and protected-branch-commit.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "driver/hooks.h"
#include "core/core.h"
#include "git/git.h"
#include "git/push.h"

static const char commit_footer[] =
    "commit blocked by ddlgate: fix the staged files above, or skip every hook once with "
    "`git commit --no-verify`";

/* .ddlgate.yml at the work tree root (cfg already holds defaults). */

int cmd_pre_commit(int argc, char **argv)
{
	struct dg_cli cli;
	int all = 0;
	dg_cli_init(&cli);
	const struct dg_cli_flag flags[] = { { "--all", &all }, { NULL, NULL } };
	struct dg_cli_own own = { flags, NULL };
	if (dg_cli_parse_paths(&cli, argc, argv, "pre-commit", dg_cli_own_options, &own, NULL,
			       NULL)) {
		dg_cli_release(&cli);
		return DG_EXIT_ERROR;
	}

	struct dg_repo *repo = NULL;
	struct dg_config cfg;
	struct dg_run run;
	struct dg_changes ch = {0};
	struct dg_source *src = NULL;
	char *branch = NULL;
	int status = DG_EXIT_ERROR;
	dg_config_init(&cfg);
	dg_run_init(&run);
	if (dg_repo_open(&repo) < 0 || dg_cli_load_config(&cli, &cfg, dg_repo_workdir(repo)) < 0 ||
	    dg_repo_current_branch(repo, &branch) < 0)
		goto fail;
	static const char *const commit_rules[] = { "protected-branch-commit" };
	dg_cli_warn_unprotected(repo, &cfg, commit_rules, 1);

	struct dg_oid head;
	int have_head = dg_repo_resolve(repo, "HEAD", &head) == 0;
	dg_error_clear();

	struct dg_commit_ctx c = {0};
	c.branch = branch;
	c.is_protected = branch && dg_config_is_protected(&cfg, branch);
	c.unborn = !have_head;
	dg_hook_commit_rules(&run, &cfg, &c);

	if (dg_repo_diff_index(repo, have_head ? &head : NULL, &ch) < 0)
		goto fail;
	if (dg_source_git_index(&src, repo) < 0)
		goto fail;
	if (dg_hook_changes_relevant(&cfg, &ch, src) &&
	    dg_hook_check(&run, &cfg, src, NULL, &ch, all) < 0)
		goto fail;
	status = dg_cli_finish(&cli, &run, dg_run_count(&run, DG_ERROR) ? commit_footer : NULL);
	goto out;
fail:
	dg_cli_fail("%s", dg_last_error());
out:
	dg_source_free(src);
	dg_changes_release(&ch);
	free(branch);
	dg_run_release(&run);
	dg_config_release(&cfg);
	dg_repo_free(repo);
	dg_cli_release(&cli);
	return status;
}
