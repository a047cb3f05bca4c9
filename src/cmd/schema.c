/*
 * `ddlgate schema [--rev REV] [SET]`: the schema replayed from a migration
 * set's history, as text or JSON, so users and tests see what the model
 * believes. Reads the work tree, or a commit with --rev (":index" = the
 * staged index).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "git/git.h"
#include "discover/migrations.h"
#include "schema/history.h"
#include "schema/schema.h"

/* Does the SET argument name this set (its directory, or a path inside it)? */
static int set_matches(const struct dg_set *s, const char *want)
{
	size_t wl = strlen(want);
	while (wl > 1 && want[wl - 1] == '/')
		wl--;
	if (wl == 1 && want[0] == '.')
		return !*s->cfg.path;
	for (size_t d = 0; d < (s->n_dirs ? s->n_dirs : 1); d++) {
		const char *dir = s->n_dirs ? s->dirs[d] : s->cfg.path;
		size_t l = strlen(dir);
		if (l == wl && !strncmp(dir, want, wl))
			return 1;
		if (wl > l && !strncmp(dir, want, l) && want[l] == '/')
			return 1;
	}
	return 0;
}

static void write_set(struct dg_buf *out, int json, const struct dg_set *set,
		      const struct dg_schema_history *h, int first)
{
	const char *path = *set->cfg.path ? set->cfg.path : ".";
	const char *fmt = dg_set_format_name(set->cfg.format);
	if (json) {
		dg_buf_adds(out, first ? "\n  {\"path\": " : ",\n  {\"path\": ");
		dg_buf_add_json_str(out, path);
		dg_buf_adds(out, ", \"format\": ");
		dg_buf_add_json_str(out, fmt);
		dg_buf_addf(out, ", \"migrations\": %zu, \"replayed\": %zu,\n   \"schema\": ",
			    set->n_migs, h->n);
		dg_schema_write_json(out, h->final);
		dg_buf_addch(out, '}');
		return;
	}
	if (!first)
		dg_buf_addch(out, '\n');
	dg_buf_addf(out, "-- set %s (%s), %zu migration%s, %zu replayed\n", path, fmt, set->n_migs,
		    set->n_migs == 1 ? "" : "s", h->n);
	if (set->cfg.format == DG_FORMAT_DJANGO)
		dg_buf_adds(out, "-- the Django project's schema: every app's migrations, in the order Django runs them\n");
	for (size_t i = 0; i < h->n_errors; i++)
		dg_buf_addf(out, "-- not replayed: %s\n", h->errors[i].message);
	dg_schema_write_text(out, h->final);
}

int cmd_schema(int argc, char **argv)
{
	struct dg_cli cli;
	const char *rev = NULL, *want = NULL;
	dg_cli_init(&cli);
	const struct dg_cli_valopt values[] = { { "--rev", &rev, "a commit, or :index" },
						{ NULL, NULL, NULL } };
	struct dg_cli_own opts = { NULL, values };
	const char **args = NULL;
	size_t n_args = 0;
	int bad = dg_cli_parse_paths(&cli, argc, argv, "schema", dg_cli_own_options, &opts, &args,
				     &n_args);
	if (!bad && n_args > 1)
		bad = dg_cli_fail("schema: one SET at most, not '%s' too", args[1]);
	want = n_args ? args[0] : NULL;
	free(args);
	if (bad) {
		dg_cli_release(&cli);
		return DG_EXIT_ERROR;
	}
	if (cli.format != DG_OUT_TEXT && cli.format != DG_OUT_JSON) {
		dg_cli_release(&cli);
		return dg_cli_fail("schema: --format must be text or json");
	}

	struct dg_config cfg;
	struct dg_run run;
	struct dg_cli_tree tree;
	struct dg_buf out = DG_BUF_INIT;
	int status = DG_EXIT_ERROR;
	dg_config_init(&cfg);
	dg_run_init(&run);
	if (dg_cli_open_tree(&tree, "schema", rev, 0, 0) < 0 ||
	    dg_cli_load_config(&cli, &cfg, tree.root) < 0)
		goto fail;
	struct dg_source *src = tree.src;

	struct dg_set **sets;
	size_t n;
	if (dg_sets_discover(&run.arena, &run, src, &cfg, &sets, &n) < 0)
		goto fail;
	size_t shown = 0;
	int json = cli.format == DG_OUT_JSON;
	if (json)
		dg_buf_adds(&out, "{\"tool\": \"ddlgate\", \"version\": \"" DG_VERSION "\", \"sets\": [");
	/* the Django apps share one history (one database): read once */
	struct dg_schema_history django;
	int have_django = 0;
	for (size_t i = 0; i < n; i++) {
		if (want && !set_matches(sets[i], want))
			continue;
		struct dg_schema_history own, *h = &own;
		if (sets[i]->cfg.format == DG_FORMAT_DJANGO) {
			if (!have_django && dg_schema_history_build_in(&django, &run.arena, src, sets, n, sets[i]) < 0)
				goto fail;
			have_django = 1;
			h = &django;
		} else if (dg_schema_history_build(&own, &run.arena, src, sets[i]) < 0) {
			goto fail;
		}
		write_set(&out, json, sets[i], h, shown == 0);
		shown++;
	}
	if (json)
		dg_buf_adds(&out, "]}\n");
	if (want && !shown) {
		dg_error("schema: no migration set at '%s' in %s (see `ddlgate check --list-sets`)",
			 want, src->name ? src->name : "the work tree");
		goto fail;
	}
	if (!json && !shown)
		dg_buf_adds(&out, "no migration set found (see `ddlgate check --list-sets`)\n");
	fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout);
	fflush(stdout);
	status = DG_EXIT_OK;
	goto done;
fail:
	dg_cli_fail("%s", dg_last_error());
done:
	dg_buf_release(&out);
	dg_cli_tree_release(&tree);
	dg_run_release(&run);
	dg_config_release(&cfg);
	dg_cli_release(&cli);
	return status;
}
