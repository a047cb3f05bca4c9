/*
 * Migration graphs on small trees written to a scratch directory: version
 * order, replay order, set matching, and the rules that need a target tree
 * (migration-out-of-order, migration-modified).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/check.h"
#include "graph/graph.h"
#include "discover/migrations.h"
#include "rules/rule.h"
#include "tap.h"

static char root[256];

static void put(const char *tree, const char *path, const char *text)
{
	char full[1024];
	snprintf(full, sizeof(full), "%s/%s/%s", root, tree, path);
	for (char *p = full + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(full, 0755);
			*p = '/';
		}
	FILE *f = fopen(full, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static struct dg_source *open_tree(const char *tree)
{
	char dir[512];
	struct dg_source *s;
	snprintf(dir, sizeof(dir), "%s/%s", root, tree);
	dg_source_fs_open(&s, dir);
	s->name = "origin/main";
	return s;
}

static size_t count(const struct dg_run *run, const char *rule, const char *path)
{
	size_t n = 0;
	for (size_t i = 0; i < run->n_findings; i++)
		if (!strcmp(run->findings[i].rule, rule) &&
		    (!path || (run->findings[i].path && !strcmp(run->findings[i].path, path))))
			n++;
	return n;
}

static void versions(void)
{
	ok(dg_version_cmp("1.10", "1.9") > 0, "1.10 > 1.9");
	ok(dg_version_cmp("001", "1") == 0, "001 == 1");
	ok(dg_version_cmp("1", "1.0") == 0, "1 == 1.0 (Flyway)");
	ok(dg_version_cmp("2", "10") < 0, "2 < 10");
	ok(dg_version_cmp("20240101000000", "20231231235959") > 0, "timestamps");
	ok(dg_version_cmp("99999999999999999999999", "100000000000000000000000") < 0,
	   "numbers longer than 64 bits");
	/* the sort keys order every pair exactly as dg_version_cmp does */
	static const char *const v[] = {"1", "1.0", "1.0.0", "01", "1.9", "1.10", "1.10.0.1", "2",
					"10", "0", "", "0.0", "0.1", "1_2", "1__2", "20240101000000",
					"20231231235959", "007.3", "7.03", "1.0.2", "1.00.2", "a1b2",
					"99999999999999999999999", "100000000000000000000000"};
	struct dg_arena a;
	dg_arena_init(&a);
	size_t n = sizeof(v) / sizeof(*v), bad = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			size_t li, lj;
			const char *ki = dg_version_key(&a, v[i], &li), *kj = dg_version_key(&a, v[j], &lj);
			int c = memcmp(ki, kj, li < lj ? li : lj);
			if (!c)
				c = li < lj ? -1 : li > lj;
			int want = dg_version_cmp(v[i], v[j]);
			if ((c > 0) - (c < 0) != want) {
				bad++;
				printf("# key order of %s and %s: %d, want %d\n", v[i], v[j], c, want);
			}
		}
	dg_arena_release(&a);
	ok(bad == 0, "version keys order as dg_version_cmp (%zu pairs)", n * n);
}

static void target_rules(void)
{
	const char *ini = "[alembic]\nscript_location = migrations\n";
	/* the target branch */
	put("base", "db/V1__users.sql", "CREATE TABLE users (id bigint);\n");
	put("base", "db/V2__email.sql", "ALTER TABLE users ADD COLUMN email text;\n");
	put("base", "db/V5__name.sql", "ALTER TABLE users ADD COLUMN name text;\n");
	put("base", "db/R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
	put("base", "alembic.ini", ini);
	put("base", "migrations/versions/a1_x.py", "revision = 'a1'\ndown_revision = None\n");
	/* the pushed branch: V1 deleted, V2 edited, V3 new but older than V5, R__ edited */
	put("head", "db/V2__email.sql", "ALTER TABLE users ADD COLUMN email varchar;\n");
	put("head", "db/V5__name.sql", "ALTER TABLE users ADD COLUMN name text;\n");
	put("head", "db/V3__phone.sql", "ALTER TABLE users ADD COLUMN phone text;\n");
	put("head", "db/V6__fax.sql", "ALTER TABLE users ADD COLUMN fax text;\n");
	put("head", "db/R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT 2;\n");
	put("head", "alembic.ini", ini);
	put("head", "migrations/versions/a1_x.py",
	    "revision = 'a1'\ndown_revision = None  # edited\n");
	put("head", "migrations/versions/b2_y.py", "revision = 'b2'\ndown_revision = 'a1'\n");

	struct dg_source *base = open_tree("base"), *head = open_tree("head");
	struct dg_config cfg;
	struct dg_run run;
	dg_config_init(&cfg);
	dg_run_init(&run);
	struct dg_check_opts o;
	memset(&o, 0, sizeof(o));
	o.target = base;
	o.no_lint = 1;
	int r = dg_check_source(&run, &cfg, head, &o);
	ok(r == 0, "check with a target (%s)", r ? dg_last_error() : "ok");
	is_int(count(&run, "migration-out-of-order", "db/V3__phone.sql"), 1, "V3 is out of order");
	is_int(count(&run, "migration-out-of-order", NULL), 1, "V6 is not");
	is_int(count(&run, "migration-modified", "db/V2__email.sql"), 1, "V2 was modified");
	is_int(count(&run, "migration-modified", "db/V1__users.sql"), 1, "V1 was deleted");
	is_int(count(&run, "migration-modified", "db/R__view.sql"), 0, "repeatables may change");
	is_int(count(&run, "migration-modified", "migrations/versions/a1_x.py"), 1,
	       "an edited alembic revision");
	is_int(count(&run, "migration-modified", NULL), 3, "nothing else modified");
	for (size_t i = 0; i < run.n_findings; i++)
		if (!strcmp(run.findings[i].rule, "migration-out-of-order")) {
			ok(strstr(run.findings[i].message, "sorts before 5 (db/V5__name.sql)") &&
			       strstr(run.findings[i].message, "origin/main"),
			   "message names the newest on the target: %s", run.findings[i].message);
			is_str(run.findings[i].help,
			       "rename it to V7__phone.sql (the next free version)", "help");
			is_int(run.findings[i].severity, DG_WARNING, "out-of-order is a warning");
		}

	/* the same tree against itself: nothing */
	dg_run_release(&run);
	dg_run_init(&run);
	o.target = head;
	dg_check_source(&run, &cfg, head, &o);
	is_int(run.n_findings, 0, "a tree against itself has no findings");

	/* the rule levels of the config are honoured */
	dg_run_release(&run);
	dg_run_init(&run);
	o.target = base;
	dg_config_set_level(&cfg, "migration-modified", DG_OFF);
	dg_check_source(&run, &cfg, head, &o);
	is_int(count(&run, "migration-modified", NULL), 0, "migration-modified=off");

	dg_run_release(&run);
	dg_config_release(&cfg);
	dg_source_free(base);
	dg_source_free(head);
}

static void order_and_match(void)
{
	put("ord", "alembic.ini", "[alembic]\nscript_location = m\n");
	put("ord", "m/versions/c.py", "revision = 'c'\ndown_revision = ('a', 'b')\n");
	put("ord", "m/versions/b.py", "revision = 'b'\ndown_revision = 'a'\n");
	put("ord", "m/versions/a.py", "revision = 'a'\ndown_revision = None\n");
	put("ord", "m/versions/d.py", "revision = 'd'\ndown_revision = 'c'\ndepends_on = 'lab'\n");
	put("ord", "m/versions/e.py",
	    "revision = 'e'\ndown_revision = None\nbranch_labels = ['lab']\n");
	put("ord", "shop/migrations/__init__.py", "");
	put("ord", "shop/migrations/0001_initial.py",
	    "class Migration(M):\n    dependencies = []\n");
	put("ord", "shop/migrations/0002_b.py",
	    "class Migration(M):\n    dependencies = [('shop', '0001_initial')]\n");
	put("ord", "shop/migrations/0001_squashed_0002_b.py",
	    "class Migration(M):\n    replaces = [('shop', '0001_initial'), ('shop', '0002_b')]\n");
	put("ord", "shop/migrations/0003_c.py",
	    "class Migration(M):\n    dependencies = [('shop', '0002_b')]\n");
	put("ord", "sql/10_c.sql", "SELECT 1;\n");
	put("ord", "sql/2_b.sql", "SELECT 1;\n");
	put("ord", "sql/1_a.sql", "SELECT 1;\n");

	struct dg_source *src = open_tree("ord");
	struct dg_config cfg;
	struct dg_run run;
	dg_config_init(&cfg);
	dg_run_init(&run);
	struct dg_set **sets;
	size_t n;
	int r = dg_sets_discover(&run.arena, &run, src, &cfg, &sets, &n);
	ok(r == 0 && n == 3, "three sets (%zu)", n);
	is_int(run.n_findings, 0, "no reader warnings");
	for (size_t i = 0; r == 0 && i < n; i++) {
		const struct dg_migration **v;
		size_t k;
		dg_set_order(&run.arena, sets[i], &v, &k);
		struct dg_buf b = DG_BUF_INIT;
		for (size_t j = 0; j < k; j++)
			dg_buf_addf(&b, "%s%s", j ? " " : "",
				    sets[i]->cfg.format == DG_FORMAT_DJANGO ? v[j]->name
									    : v[j]->id);
		const char *want = sets[i]->cfg.format == DG_FORMAT_ALEMBIC ? "a b c e d"
				   : sets[i]->cfg.format == DG_FORMAT_DJANGO
				       ? "0001_squashed_0002_b 0003_c"
				       : "1 2 10";
		is_str(dg_buf_cstr(&b), want, dg_set_format_name(sets[i]->cfg.format));
		dg_buf_release(&b);
	}
	const struct dg_set *m = dg_sets_match(sets, n, "m/versions/a.py");
	ok(m && m->cfg.format == DG_FORMAT_ALEMBIC, "match: alembic file");
	m = dg_sets_match(sets, n, "shop/migrations/0003_c.py");
	ok(m && m->cfg.format == DG_FORMAT_DJANGO, "match: django file");
	ok(!dg_sets_match(sets, n, "shop/models.py"), "match: not a migration");
	ok(!dg_sets_match(sets, n, "sqlx/1_a.sql"), "match: a sibling with a common prefix");

	const struct dg_migration **heads;
	size_t nh;
	for (size_t i = 0; i < n; i++)
		if (sets[i]->cfg.format == DG_FORMAT_ALEMBIC) {
			dg_graph_alembic_heads(&run.arena, sets[i], &heads, &nh);
			/* e is named by d's depends_on (through its label): not a head */
			ok(nh == 1 && !strcmp(heads[0]->id, "d"), "alembic heads: d only (%zu)",
			   nh);
		}
	dg_run_release(&run);
	dg_config_release(&cfg);
	dg_source_free(src);
}

int main(void)
{
	snprintf(root, sizeof(root), "%s/dg-graph-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		return 2;
	versions();
	target_rules();
	order_and_match();
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	int rc = system(cmd);
	(void)rc;
	return done();
}
