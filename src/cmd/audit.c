/*
 * ddlgate audit [--dsn DSN] [--rev REV] [--set DIR]: findings on a live
 * database, in the same shape as lint's: foreign keys without an index,
 * unused and invalid indexes, and (inside a repository with SQL migration
 * sets) drift between the live schema and the one the migrations replay
 * to. Read-only. Exit 0 / 1 / 2 as everywhere.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "db/db.h"
#include "discover/migrations.h"
#include "rules/live.h"
#include "rules/rule.h"
#include "schema/history.h"
#include "schema/schema.h"

/* The live catalog, read as DDL into the schema model. */
static struct dg_schema *live_schema(struct dg_run *run, const struct dg_live_db *db,
				     const char *where)
{
	struct dg_sql_file f;
	struct dg_schema *s = dg_schema_new(&run->arena);
	struct dg_replay_opts ro = { where, 1 };
	size_t unreadable = 0;
	dg_sql_parse(&run->arena, &f, where, db->ddl, db->ddl_len);
	for (size_t i = 0; i < f.n_stmts; i++) {
		if (f.stmts[i].kind != DG_STMT_ERROR)
			continue;
		if (!unreadable++)
			fprintf(stderr, "ddlgate: audit: cannot read the catalog's %s (%s); that object is left out\n",
				dg_stmt_text(&run->arena, &f.stmts[i]), f.stmts[i].error);
	}
	if (unreadable > 1)
		fprintf(stderr, "ddlgate: audit: %zu catalog statements could not be read in all\n",
			unreadable);
	dg_schema_replay_file(s, &f, &ro);
	return s;
}

/* Does the --set argument name this set (its directory or a path inside it)? */
static int set_named(const struct dg_set *s, const char *want)
{
	size_t l = strlen(s->cfg.path), wl = strlen(want);
	while (wl > 1 && want[wl - 1] == '/')
		wl--;
	if (wl == 1 && want[0] == '.')
		return !l;
	return l && !strncmp(s->cfg.path, want, l) && (wl == l || (wl > l && want[l] == '/'));
}

/*
 * The schema the migration sets (SQL, Django, Alembic) replay to: one set's end state, or
 * every set replayed in turn into one schema (sets that share a database).
 * NULL when there is none, said on stderr when sets exist but cannot be
 * replayed.
 */
static int expected_schema(struct dg_run *run, struct dg_source *src, const struct dg_config *cfg,
			   const char *want, const struct dg_schema **out)
{
	struct dg_set **sets;
	size_t n, used = 0, unread = 0;
	int django_done = 0;
	*out = NULL;
	if (dg_sets_discover(&run->arena, run, src, cfg, &sets, &n) < 0)
		return -1;
	/* discovery's warnings are the hooks' business, not the audit's */
	run->n_findings = 0;
	struct dg_schema_history *h = dg_alloc(&run->arena, (n ? n : 1) * sizeof(*h));
	for (size_t i = 0; i < n; i++) {
		if (want && !set_named(sets[i], want))
			continue;
		/* Django apps share one history (their models reference each other) */
		if (sets[i]->cfg.format == DG_FORMAT_DJANGO && django_done++)
			continue;
		if (dg_schema_history_build_in(&h[used], &run->arena, src, sets, n, sets[i]) < 0)
			return -1;
		run->files += (unsigned)h[used].n;
		for (size_t k = 0; k < h[used].n; k++)
			run->statements += (unsigned)h[used].files[k].n_stmts;
		unread += h[used].n_errors;
		used++;
	}
	if (want && !used)
		return dg_error("audit: no migration set at '%s' (see `ddlgate check --list-sets`)", want);
	if (unread)
		fprintf(stderr, "ddlgate: audit: %zu Python migration%s could not be read (`ddlgate check` says why); "
				"schema-drift compares without %s\n",
			unread, unread == 1 ? "" : "s", unread == 1 ? "it" : "them");
	if (used == 1) {
		*out = h[0].final;
	} else if (used > 1) {
		/* sets that share the database: replayed in turn into one schema */
		struct dg_schema *all = dg_schema_new(&run->arena);
		for (size_t i = 0; i < used; i++)
			for (size_t k = 0; k < h[i].n; k++)
				dg_schema_replay_file(all, &h[i].files[k], NULL);
		*out = all;
	}
	return 0;
}

static void run_live_rules(struct dg_run *run, const struct dg_config *cfg,
			   const struct dg_live *live)
{
	size_t n;
	const struct dg_rule *const *rules = dg_rules_list(&n);
	for (size_t i = 0; i < n; i++) {
		if (!rules[i]->check_live)
			continue;
		struct dg_rule_ctx ctx;
		dg_rule_ctx_init(&ctx, run, cfg, rules[i]);
		ctx.pg_version = live->db->server_version / 10000;
		rules[i]->check_live(&ctx, live);
	}
}

static int audit(struct dg_cli *cli, const char *dsn, const char *rev, const char *want)
{
	struct dg_config cfg;
	struct dg_run run;
	struct dg_cli_tree tree;
	struct dg_db *db = NULL;
	struct dg_live_db ldb;
	struct dg_live live = { 0 };
	int rc = DG_EXIT_ERROR;
	dg_config_init(&cfg);
	dg_run_init(&run);
	if (dg_cli_open_tree(&tree, "audit", rev, 0, 0) < 0 ||
	    dg_cli_load_config(cli, &cfg, tree.root) < 0 ||
	    expected_schema(&run, tree.src, &cfg, want, &live.expected) < 0) {
		dg_cli_fail("%s", dg_last_error());
		goto out;
	}
	if (dg_db_connect(&db, dsn, "ddlgate-audit", 0) < 0 ||
	    dg_db_read_live(&run.arena, db, &ldb) < 0) {
		dg_cli_fail("audit: %s", dg_last_error());
		goto out;
	}
	live.db = &ldb;
	live.where = dg_sprintf(&run.arena, "<database %s>", ldb.database);
	live.schema = live_schema(&run, &ldb, live.where);
	run_live_rules(&run, &cfg, &live);
	if (cli->format == DG_OUT_TEXT && !run.n_findings)
		printf("audit: database \"%s\" (PostgreSQL %s): %zu table%s, %zu index%s, no findings%s\n",
		       ldb.database, dg_db_server_version_text(&run.arena, db), live.schema->n_tables,
		       live.schema->n_tables == 1 ? "" : "s", ldb.n_indexes,
		       ldb.n_indexes == 1 ? "" : "es",
		       live.expected ? "; it matches the migrations" : "");
	rc = dg_cli_finish(cli, &run, NULL);
out:
	dg_db_close(db);
	dg_cli_tree_release(&tree);
	dg_run_release(&run);
	dg_config_release(&cfg);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	struct dg_cli cli;
	const char *dsn = NULL, *rev = NULL, *set = NULL;
	const struct dg_cli_valopt values[] = {
		{ "--dsn", &dsn, NULL }, { "--rev", &rev, NULL }, { "--set", &set, NULL },
		{ NULL, NULL, NULL } };
	struct dg_cli_own own = { NULL, values };
	int rc;
	dg_cli_init(&cli);
	rc = dg_cli_parse_paths(&cli, argc, argv, "audit", dg_cli_own_options, &own, NULL, NULL);
	if (!rc)
		rc = audit(&cli, dsn, rev, set);
	dg_cli_release(&cli);
	return rc;
}
