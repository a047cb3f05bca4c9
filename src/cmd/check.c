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
	for (int i = 1; i < argc; i++) {
		int r = dg_cli_option(&cli, argc, argv, &i);
		if (r < 0) {
			dg_cli_release(&cli);
			return dg_cli_fail("%s", dg_last_error());
		}
		if (r)
			continue;
		const char *a = argv[i];
		int rv = dg_cli_value("--rev", argc, argv, &i, &rev);
		if (rv < 0) {
			dg_cli_release(&cli);
			return dg_cli_fail("%s (a commit, or :index)", dg_last_error());
		}
		if (rv) {
			continue;
		} else if (!strcmp(a, "--worktree")) {
			worktree = 1;
		} else if (!strcmp(a, "--list-sets")) {
			o.list_sets = 1;
		} else if (!strcmp(a, "--all")) {
			o.all = 1;
		} else {
			dg_cli_release(&cli);
			return dg_cli_fail(
			    "check: unexpected argument '%s' (see `ddlgate help check`)", a);
		}
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
