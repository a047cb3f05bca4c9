/*
 * `ddlgate ci --base REF [--head REF] [--config-from base|head]`: the
 * pull-request check. Lints only the migrations added or changed between
 * merge-base(base, head) and head, runs the graph rules on the merge of
 * head into base (computed in memory, as the merge button would make it),
 * and compares with base's tree for migration-modified /
 * migration-out-of-order. Everything is read from git objects; the work
 * tree, the index and the refs are never touched.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "driver/hooks.h"
#include "core/core.h"
#include "git/git.h"
#include "rules/rule.h"

static const char fetch_hint[] =
    "fetch the full history (actions/checkout: `fetch-depth: 0`; elsewhere "
    "`git fetch --unshallow origin`)";

struct ci_opts {
	const char *base, *head;
	int config_from_base;
	int all;                    /* judge older migrations for missing-fk-index too */
};

static int parse_args(struct ci_opts *o, struct dg_cli *cli, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->head = "HEAD";
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r = dg_cli_option(cli, argc, argv, &i);
		if (r < 0)
			return -1;
		if (r)
			continue;
		if ((r = dg_cli_value("--base", argc, argv, &i, &v))) {
			o->base = v;
		} else if ((r = dg_cli_value("--head", argc, argv, &i, &v))) {
			o->head = v;
		} else if ((r = dg_cli_value("--config-from", argc, argv, &i, &v))) {
			if (r > 0 && !strcmp(v, "base"))
				o->config_from_base = 1;
			else if (r > 0 && !strcmp(v, "head"))
				o->config_from_base = 0;
			else if (r > 0)
				return dg_error("ci: --config-from must be base or head, not '%s'",
						v);
		} else if (!strcmp(argv[i], "--all")) {
			o->all = 1;
		} else if (argv[i][0] == '-') {
			return dg_error("ci: unknown option '%s' (see `ddlgate help ci`)", argv[i]);
		} else {
			return dg_error(
			    "ci: unexpected argument '%s' (the base goes in --base REF)", argv[i]);
		}
		if (r < 0)
			return dg_error("ci: %s", dg_last_error());
	}
	if (!o->base)
		return dg_error(
		    "ci: --base REF is required (the branch the pull request goes into, "
		    "e.g. --base origin/main)");
	if (o->config_from_base && cli->config_path)
		return dg_error("ci: --config and --config-from base exclude each other");
	return 0;
}

struct find_file {
	const char *path;
	int found;
};

/* Walks come in path order: stop at the file, or at the first path past it. */
static int find_file_cb(const struct dg_entry *e, void *payload)
{
	struct find_file *f = payload;
	int c = strcmp(e->path, f->path);
	if (!c)
		f->found = 1;
	return c >= 0;
}

/*
 * The config as committed in src (.ddlgate.yml at its root; defaults when
 * there is none; cfg is initialised already). `where` prefixes the file
 * name in messages.
 */
static int load_config_from(struct dg_config *cfg, struct dg_source *src, const char *where)
{
	char *data = NULL;
	size_t len = 0;
	if (src->read(src, DG_CONFIG_FILE, &data, &len) < 0) {
		struct find_file f = {DG_CONFIG_FILE, 0};
		char *msg = dg_xstrdup(dg_last_error());
		src->walk(src, "", find_file_cb, &f);
		if (f.found) {
			dg_error("%s", msg);
			free(msg);
			return -1;
		}
		free(msg);
		dg_error_clear();
		return 0; /* no config there: the defaults */
	}
	struct dg_buf name = DG_BUF_INIT;
	dg_buf_addf(&name, "%s:%s", where, DG_CONFIG_FILE);
	int r = dg_config_parse(cfg, name.ptr, data, len, dg_rule_known);
	dg_buf_release(&name);
	free(data);
	return r;
}

static int resolve(struct dg_repo *repo, const char *what, const char *rev, struct dg_oid *out)
{
	if (dg_repo_resolve(repo, rev, out) == 0)
		return 0;
	if (dg_repo_is_shallow(repo))
		return dg_error("ci: %s '%s' is not in this shallow clone; %s, base branch "
				"included",
				what, rev, fetch_hint);
	char *msg = dg_xstrdup(dg_last_error());
	dg_error("ci: %s: %s", what, msg);
	free(msg);
	return -1;
}

static int merge_base(struct dg_repo *repo, const struct ci_opts *o, const struct dg_oid *base,
		      const struct dg_oid *head, struct dg_oid *out)
{
	int r = dg_repo_merge_base(repo, base, head, out);
	if (r == 0)
		return 0;
	if (dg_repo_is_shallow(repo)) {
		/*
		 * The merge-base walk stops at the first missing parent. The
		 * common case of an up-to-date branch is still answered: the
		 * ancestry test knows where a shallow clone's history ends.
		 */
		dg_error_clear();
		if (dg_repo_descendant_of(repo, head, base) == 1) {
			*out = *base;
			return 0;
		}
		if (dg_repo_descendant_of(repo, base, head) == 1) {
			*out = *head;
			return 0;
		}
	}
	if (dg_repo_is_shallow(repo))
		return dg_error("ci: cannot find the merge-base of %s and %s: this is a shallow "
				"clone and the history that joins them is missing; %s",
				o->base, o->head, fetch_hint);
	if (r > 0)
		return dg_error("ci: %s and %s have no common history (no merge-base)", o->base,
				o->head);
	char *msg = dg_xstrdup(dg_last_error());
	dg_error("ci: merge-base of %s and %s: %s", o->base, o->head, msg);
	free(msg);
	return -1;
}

int cmd_ci(int argc, char **argv)
{
	struct dg_cli cli;
	struct ci_opts o;
	dg_cli_init(&cli);
	dg_error_clear();
	if (parse_args(&o, &cli, argc, argv) < 0) {
		int rc = dg_cli_fail("%s", dg_last_error());
		dg_cli_release(&cli);
		return rc;
	}

	struct dg_repo *repo = NULL;
	struct dg_source *head_src = NULL, *base_src = NULL, *merged = NULL;
	struct dg_changes ch = {0};
	struct dg_config cfg;
	struct dg_run run;
	struct dg_oid base, head, mb;
	int status = DG_EXIT_ERROR;
	dg_config_init(&cfg);
	dg_run_init(&run);

	if (dg_repo_open(&repo) < 0 || resolve(repo, "--base", o.base, &base) < 0 ||
	    resolve(repo, "--head", o.head, &head) < 0 ||
	    merge_base(repo, &o, &base, &head, &mb) < 0)
		goto fail;
	if (dg_source_git_commit(&head_src, repo, &head, o.head) < 0 ||
	    dg_source_git_commit(&base_src, repo, &base, o.base) < 0 ||
	    dg_source_git_merge(&merged, repo, dg_repo_is_shallow(repo) ? &mb : NULL, &base, &head,
				o.base,
				strcmp(o.head, "HEAD") ? o.head : "this branch") < 0)
		goto fail;

	/* the rules: from the base branch (a pull request cannot loosen its own), or head */
	if (o.config_from_base) {
		if (load_config_from(&cfg, base_src, o.base) < 0)
			goto fail;
	} else if (cli.config_path) {
		if (dg_config_load(&cfg, cli.config_path, dg_rule_known) < 0)
			goto fail;
	} else if (load_config_from(&cfg, head_src, o.head) < 0) {
		goto fail;
	}
	if (dg_cli_apply_overrides(&cli, &cfg) < 0)
		goto fail;

	if (dg_repo_diff_commits(repo, &mb, &head, &ch) < 0 ||
	    dg_hook_check_merge(&run, &cfg, head_src, merged, base_src, &ch, o.all) < 0)
		goto fail;
	status = dg_cli_finish(&cli, &run, NULL);
	goto out;
fail:
	dg_cli_fail("%s", dg_last_error());
out:
	dg_changes_release(&ch);
	dg_source_free(head_src);
	dg_source_free(base_src);
	dg_source_free(merged);
	dg_run_release(&run);
	dg_config_release(&cfg);
	dg_repo_free(repo);
	dg_cli_release(&cli);
	return status;
}
