/*
 * `ddlgate check [--rev REV | --worktree] [--list-sets] [--all]`: the graph
 * rules of every migration set plus the lint of every migration, at a
 * commit (--rev REV, default HEAD), the staged index (--rev :index) or the
 * files on disk (--worktree; also what a directory outside git gets).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/core.h"
#include "git/git.h"
#include "driver/check.h"

int cmd_check(int argc, char **argv)
{
	struct dg_cli cli;
	const char *rev = NULL;
	int worktree = 0;
	struct dg_check_opts o;
	memset(&o, 0, sizeof(o));
	dg_cli_init(&cli);
	const struct dg_cli_flag flags[] = {
		{ "--worktree", &worktree }, { "--list-sets", &o.list_sets }, { "--all", &o.all },
		{ NULL, NULL },
	};
	const struct dg_cli_valopt values[] = { { "--rev", &rev, "a commit, or :index" },
						{ NULL, NULL, NULL } };
	struct dg_cli_own own = { flags, values };
	if (dg_cli_parse_paths(&cli, argc, argv, "check", dg_cli_own_options, &own, NULL, NULL)) {
		dg_cli_release(&cli);
		return DG_EXIT_ERROR;
	}

	if (o.list_sets && cli.format != DG_OUT_TEXT) {
		dg_cli_release(&cli);
		return dg_cli_fail("check: --list-sets prints text only (no --format)");
	}

	struct dg_config cfg;
	struct dg_run run;
	struct dg_cli_tree tree;
	int status = DG_EXIT_ERROR;
	dg_config_init(&cfg);
	dg_run_init(&run);
	if (dg_cli_open_tree(&tree, "check", rev, worktree, 1) < 0 ||
	    dg_cli_load_config(&cli, &cfg, tree.root) < 0)
		goto fail;
	if (dg_check_source(&run, &cfg, tree.src, &o) < 0)
		goto fail;
	/* --list-sets lists and stops: no lint, no findings, exit 0 */
	status = o.list_sets ? DG_EXIT_OK : dg_cli_finish(&cli, &run, NULL);
	goto out;
fail:
	dg_cli_fail("%s", dg_last_error());
out:
	dg_cli_tree_release(&tree);
	dg_run_release(&run);
	dg_config_release(&cfg);
	dg_cli_release(&cli);
	return status;
}
