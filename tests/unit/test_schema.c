/* schema/: replay of statement facts, generated names, coverage, copy on write, queries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"
#include "rules/engine.h"
#include "rules/missing_fk_index.h"
#include "schema/facts.h"
#include "schema/facts_int.h"
#include "schema/prune.h"
#include "schema/schema.h"
#include "tap.h"

static struct dg_arena arena;

static struct dg_schema *replay(struct dg_schema *s, const char *path, const char *sql)
{
	if (!s)
		s = dg_schema_new(&arena);
	dg_schema_replay_sql(s, path, sql, strlen(sql));
	return s;
}

static const struct dg_schema_table *table(const struct dg_schema *s, const char *schema,
					   const char *name)
{
	struct dg_rel r = { schema, name };
	return dg_schema_find_table(s, &r);
}

static const struct dg_schema_constraint *con(const struct dg_schema_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n_constraints; i++)
		if (!strcmp(t->constraints[i].name, name))
			return &t->constraints[i];
	return NULL;
}

static const struct dg_schema_index *idx(const struct dg_schema_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n_indexes; i++)
		if (!strcmp(t->indexes[i].name, name))
			return &t->indexes[i];
	return NULL;
}

/* Names of the unindexed FKs of the known tables, sorted, comma-joined. */
static const char *unindexed(const struct dg_schema *s)
{
	struct dg_buf b = DG_BUF_INIT;
	for (size_t i = 0; i < s->n_tables; i++) {
		const struct dg_schema_table *t = s->tables[i];
		for (size_t k = 0; t->known && k < t->n_constraints; k++) {
			const struct dg_schema_constraint *c = &t->constraints[k];
			if (c->kind == DG_SCON_FOREIGN && !dg_schema_fk_covering_index(t, c))
				dg_buf_addf(&b, "%s%s", b.len ? "," : "", c->name);
		}
	}
	const char *o = dg_strdup(&arena, dg_buf_cstr(&b));
	dg_buf_release(&b);
	return o;
}

static void test_names(void)
{
	struct dg_schema *s = replay(NULL, "a.sql",
		"CREATE TABLE p (id bigint PRIMARY KEY, code text UNIQUE);\n"
		"CREATE TABLE c (id bigint PRIMARY KEY, p_id bigint REFERENCES p, a int, b int,\n"
		"  UNIQUE (a, b), CHECK (a > 0));\n"
		"CREATE INDEX ON c (p_id);\n"
		"CREATE INDEX ON c (p_id);\n"
		"CREATE INDEX ON c (lower(a::text));\n");
	const struct dg_schema_table *c = table(s, NULL, "c");
	ok(c && c->known, "table c known");
	ok(con(table(s, NULL, "p"), "p_pkey") != NULL, "primary key named <table>_pkey");
	ok(con(table(s, NULL, "p"), "p_code_key") != NULL, "unique named <table>_<col>_key");
	ok(con(c, "c_p_id_fkey") != NULL, "FK named <table>_<col>_fkey");
	ok(con(c, "c_a_b_key") != NULL, "composite unique named with both columns");
	ok(idx(c, "c_p_id_idx") != NULL, "index named <table>_<col>_idx");
	ok(idx(c, "c_p_id_idx1") != NULL, "a second one gets a number");
	ok(idx(c, "c_expr_idx") != NULL, "expression index named _expr_idx");
	is_str(unindexed(s), "", "FK covered by the unnamed index");

	/* 63-byte limit: the longer part is shortened */
	s = replay(NULL, "b.sql",
		   "CREATE TABLE a_very_long_table_name_that_goes_on_and_on_and_on_for_ever (\n"
		   "  a_rather_long_column_name_as_well_yes_indeed bigint UNIQUE);\n");
	const struct dg_schema_table *t = s->n_tables ? s->tables[0] : NULL;
	ok(t && t->n_indexes == 1 && strlen(t->indexes[0].name) == 63, "generated names fit 63 bytes");
	if (t && t->n_indexes)
		is_str(t->indexes[0].name,
		       "a_very_long_table_name_that_g_a_rather_long_column_name_as__key",
		       "both parts shortened as PostgreSQL does");
}

static void test_coverage(void)
{
	struct dg_schema *s = replay(NULL, "a.sql",
		"CREATE TABLE p (a int, b int, PRIMARY KEY (a, b));\n"
		"CREATE TABLE c1 (x int, y int, FOREIGN KEY (x, y) REFERENCES p);\n"
		"CREATE INDEX c1_i ON c1 (y, x);\n"
		"CREATE TABLE c2 (x int, y int, z int, CONSTRAINT c2_fk FOREIGN KEY (x, y) REFERENCES p);\n"
		"CREATE INDEX c2_i ON c2 (x, z, y);\n"
		"CREATE TABLE c3 (x int, y int, CONSTRAINT c3_fk FOREIGN KEY (x, y) REFERENCES p);\n"
		"CREATE INDEX c3_i ON c3 (x, y) WHERE x > 0;\n"
		"CREATE TABLE c4 (x int REFERENCES p (a));\n"
		"CREATE INDEX c4_i ON c4 USING hash (x);\n"
		"CREATE TABLE c5 (x int CONSTRAINT c5_fk REFERENCES p (a));\n"
		"CREATE INDEX c5_i ON c5 ((x + 1));\n"
		"CREATE TABLE c6 (x int CONSTRAINT c6_fk REFERENCES p (a), y int);\n"
		"CREATE INDEX c6_i ON c6 (x, y);\n");
	is_str(unindexed(s), "c2_fk,c3_fk,c4_x_fkey,c5_fk",
	       "other order covers; non-leading, partial, hash and expression do not");
}

static void test_drops_and_blame(void)
{
	struct dg_schema *s = replay(NULL, "1.sql",
		"CREATE TABLE p (id bigint PRIMARY KEY);\n"
		"CREATE TABLE c (id bigint, p_id bigint CONSTRAINT c_fk REFERENCES p, d date);\n"
		"CREATE INDEX c_i ON c (p_id, d);\n");
	is_str(unindexed(s), "", "covered");
	replay(s, "2.sql", "SELECT 1;\nALTER TABLE c DROP COLUMN d;\n");
	const struct dg_schema_constraint *fk = con(table(s, NULL, "c"), "c_fk");
	ok(fk && fk->blame && fk->blame->path && !strcmp(fk->blame->path, "2.sql") && fk->blame->line == 2,
	   "DROP COLUMN took the index: the FK blames it");
	ok(fk && fk->dropped_index && !strcmp(fk->dropped_index, "c_i"), "and names the index");
	ok(fk && !strcmp(fk->origin.path, "1.sql") && fk->origin.line == 2, "origin stays");

	replay(s, "3.sql", "DROP TABLE p CASCADE;\n");
	is_str(unindexed(s), "", "CASCADE dropped the FK");
	ok(!table(s, NULL, "p"), "p is gone");

	s = replay(NULL, "1.sql",
		   "CREATE TABLE p (id bigint PRIMARY KEY, k text, CONSTRAINT p_k UNIQUE (k));\n"
		   "CREATE TABLE c (pk text CONSTRAINT c_fk REFERENCES p (k), q bigint CONSTRAINT q_fk REFERENCES p);\n"
		   "ALTER TABLE p DROP CONSTRAINT p_k CASCADE;\n"
		   "ALTER TABLE p DROP COLUMN id CASCADE;\n");
	const struct dg_schema_table *c = table(s, NULL, "c");
	ok(c && c->n_constraints == 0, "FKs on a dropped key go with it");
	ok(!idx(table(s, NULL, "p"), "p_k"), "the constraint's index went too");
}

static void test_renames(void)
{
	struct dg_schema *s = replay(NULL, "1.sql",
		"CREATE TABLE p (id bigint PRIMARY KEY);\n"
		"CREATE TABLE c (p_id bigint CONSTRAINT c_fk REFERENCES p (id));\n"
		"CREATE INDEX c_i ON c (p_id);\n"
		"ALTER TABLE p RENAME TO parent;\n"
		"ALTER TABLE parent RENAME COLUMN id TO pid;\n"
		"ALTER TABLE c RENAME COLUMN p_id TO parent_id;\n"
		"ALTER INDEX c_i RENAME TO c_parent_idx;\n"
		"ALTER TABLE parent RENAME CONSTRAINT p_pkey TO parent_pkey;\n");
	const struct dg_schema_table *c = table(s, NULL, "c");
	const struct dg_schema_constraint *fk = con(c, "c_fk");
	ok(fk && !strcmp(fk->ref_table, "parent"), "FK follows the table rename");
	ok(fk && fk->n_ref_columns == 1 && !strcmp(fk->ref_columns[0], "pid"), "and the column rename");
	ok(fk && !strcmp(fk->columns[0], "parent_id"), "local column renamed");
	const struct dg_schema_index *ix = idx(c, "c_parent_idx");
	ok(ix && !strcmp(ix->columns[0], "parent_id"), "index renamed, its column too");
	const struct dg_schema_table *p = table(s, NULL, "parent");
	ok(idx(p, "parent_pkey") && con(p, "parent_pkey"), "constraint rename renames its index");
	const struct dg_schema_column *col = dg_schema_fk_ref_column(s, fk, 0);
	ok(col && !strcmp(col->name, "pid") && !strcmp(col->type.name, "int8"), "FK referenced column");
}

static void test_like_schemas_types(void)
{
	struct dg_schema *s = replay(NULL, "1.sql",
		"CREATE SCHEMA app;\n"
		"SET search_path = app, public;\n"
		"CREATE TABLE t (id serial PRIMARY KEY, v varchar(20) NOT NULL, CHECK (v IS NOT NULL) NOT VALID);\n"
		"CREATE INDEX t_v ON t (v) WHERE v <> '';\n"
		"CREATE TABLE copy1 (LIKE t INCLUDING ALL);\n"
		"CREATE TABLE copy2 (LIKE t);\n"
		"ALTER TABLE t ALTER COLUMN id TYPE bigint;\n"
		"ALTER TABLE t VALIDATE CONSTRAINT t_v_check;\n");
	const struct dg_schema_table *t = table(s, "app", "t");
	ok(t != NULL, "search_path: created in app");
	ok(!table(s, "public", "t"), "not in public");
	const struct dg_schema_column *id = dg_schema_find_column(t, "id");
	ok(id && !strcmp(id->type.name, "int8"), "ALTER TYPE changes the column type");
	const struct dg_schema_table *c1 = table(s, "app", "copy1");
	ok(c1 && c1->n_columns == 2 && c1->n_indexes == 2, "LIKE INCLUDING ALL copies columns and indexes");
	ok(idx(c1, "copy1_pkey") && idx(c1, "copy1_v_idx"), "copied indexes get the new table's names");
	ok(idx(c1, "copy1_v_idx") && idx(c1, "copy1_v_idx")->where, "partial stays partial");
	const struct dg_schema_table *c2 = table(s, "app", "copy2");
	ok(c2 && c2->n_columns == 2 && c2->n_indexes == 0 && c2->n_constraints == 0,
	   "plain LIKE copies columns only");
	ok(dg_schema_find_column(c2, "v") && dg_schema_find_column(c2, "v")->not_null, "with NOT NULL");
	struct dg_rel r = { "app", "t" };
	ok(dg_schema_check_proves_not_null(s, &r, "v"), "validated CHECK proves NOT NULL");
	ok(!dg_schema_check_proves_not_null(s, &r, "id"), "not for another column");
}

static void test_clone(void)
{
	struct dg_schema *s = replay(NULL, "1.sql",
		"CREATE TABLE p (id bigint PRIMARY KEY);\n"
		"CREATE TABLE c (p_id bigint REFERENCES p);\n"
		"CREATE INDEX c_i ON c (p_id);\n");
	struct dg_schema *k = dg_schema_clone(&arena, s);
	replay(k, "2.sql", "DROP INDEX c_i;\nALTER TABLE p RENAME TO q;\nCREATE TABLE z (a int);\n");
	is_str(unindexed(k), "c_p_id_fkey", "clone lost the index");
	is_str(unindexed(s), "", "original still has it");
	ok(table(s, NULL, "p") && !table(s, NULL, "q") && !table(s, NULL, "z"), "original unchanged");
	ok(table(k, NULL, "q") && table(k, NULL, "z"), "clone changed");
	replay(s, "3.sql", "CREATE TABLE w (a int);\n");
	ok(!table(k, NULL, "w"), "later changes to the original do not leak into the clone");
}

static void test_opaque_and_unknown(void)
{
	struct dg_schema *s = replay(NULL, "1.sql",
		"CREATE TABLE y (z int);\n"
		"DO $$ BEGIN EXECUTE 'CREATE INDEX x ON y (z)'; END $$;\n"
		"DO $$ BEGIN EXECUTE 'ALTER TABLE y ADD COLUMN q int'; END $$;\n"
		"DO $$ BEGIN RAISE NOTICE 'hello'; END $$;\n"
		"DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'y'); END $$;\n"
		"DO $$ BEGIN EXECUTE 'x' || v; END $$;\n"
		"ALTER TABLE legacy ADD CONSTRAINT l_fk FOREIGN KEY (a) REFERENCES p (id);\n");
	const struct dg_schema_table *y = table(s, NULL, "y");
	ok(y && y->n_indexes == 1 && dg_schema_find_column(y, "q"),
	   "the constant SQL of DO blocks is replayed");
	is_int(s->n_notes, 1, "one note per file for what cannot be read");
	ok(s->n_notes && s->notes[0].line == 5, "at the first dynamic EXECUTE");
	const struct dg_schema_table *l = table(s, NULL, "legacy");
	ok(l && !l->known, "a table only altered is a placeholder");
	is_str(unindexed(s), "", "and its FKs are not judged");
}

static void test_paths(void)
{
	ok(dg_schema_path_cmp("V2__a.sql", "V10__a.sql") < 0, "numbers by value");
	ok(dg_schema_path_cmp("V1_1__a.sql", "V1_2__a.sql") < 0, "dotted parts");
	ok(dg_schema_path_cmp("a", "a") == 0, "equal");
	ok(!dg_schema_replays_path("db/1_x.down.sql"), "golang-migrate down not replayed");
	ok(!dg_schema_replays_path("db/2024_x/down.sql"), "diesel down not replayed");
	ok(!dg_schema_replays_path("db/U3__undo.sql"), "flyway undo not replayed");
	ok(dg_schema_replays_path("db/V3__x.sql"), "V3 replayed");
}

static void test_lint_history(void)
{
	/* lint one file with the schema before it and the end state as final */
	struct dg_run run;
	struct dg_config cfg;
	dg_run_init(&run);
	dg_config_init(&cfg);
	struct dg_schema *fin = replay(NULL, "V1.sql",
		"CREATE TABLE p (id bigint PRIMARY KEY);\n"
		"CREATE TABLE c (p_id bigint REFERENCES p);\n");
	replay(fin, "V2.sql", "CREATE INDEX CONCURRENTLY c_i ON c (p_id);\n");
	struct dg_schema *before = dg_schema_new(&arena);
	before->final = fin;
	const char *v1 = "CREATE TABLE p (id bigint PRIMARY KEY);\nCREATE TABLE c (p_id bigint REFERENCES p);\n";
	struct dg_lint_opts o = { .cfg = &cfg, .pg_version = 15, .tx = DG_TX_AUTO, .schema = before };
	dg_lint_sql(&run, "V1.sql", v1, strlen(v1), &o);
	size_t n = 0;
	for (size_t i = 0; i < run.n_findings; i++)
		n += !strcmp(run.findings[i].rule, "missing-fk-index");
	is_int(n, 0, "indexed by a later migration: nothing to report");

	o.schema = NULL;
	dg_lint_sql(&run, "V1.sql", v1, strlen(v1), &o);
	n = 0;
	for (size_t i = 0; i < run.n_findings; i++)
		if (!strcmp(run.findings[i].rule, "missing-fk-index")) {
			n++;
			is_int(run.findings[i].line, 2, "reported at the FK's line");
			ok(strstr(run.findings[i].help, "CREATE INDEX CONCURRENTLY c_p_id_idx ON c (p_id);") != NULL,
			   "help carries the CREATE INDEX CONCURRENTLY");
		}
	is_int(n, 1, "the file alone: reported");
	dg_config_release(&cfg);
	dg_run_release(&run);
}

/* Facts written and read back replay to the same schema as the parse (oracle fixture). */
static void test_facts_roundtrip(void)
{
	static const char *const files[] = { "V1__base.sql", "V2__indexes.sql", "V3__drops.sql",
					     "V4__renames.sql", "V5__concurrently.sql",
					     "V6__schemas.sql" };
	const char *src = getenv("DG_SRC");
	struct dg_schema *a = dg_schema_new(&arena), *b = dg_schema_new(&arena);
	int read_all = 1;
	for (size_t i = 0; i < DG_ARRAY_SIZE(files); i++) {
		char *data;
		size_t len;
		const char *path = dg_sprintf(&arena, "%s/fixtures/schema/oracle/%s", src ? src : ".", files[i]);
		if (dg_read_file(path, &data, &len) < 0) {
			read_all = 0;
			break;
		}
		const char *kept = dg_strndup(&arena, data, len);
		free(data);
		struct dg_sql_file f, g;
		dg_sql_parse(&arena, &f, files[i], kept, len);
		dg_schema_replay_file(a, &f, NULL);
		struct dg_buf facts = DG_BUF_INIT;
		dg_facts_write(&facts, &f);
		const char *copy = dg_strndup(&arena, dg_buf_cstr(&facts), facts.len);
		ok(dg_facts_read(&arena, &g, files[i], kept, len, copy, facts.len) == 0,
		   "facts of %s read back", files[i]);
		ok(facts.len < 2 || dg_facts_read(&arena, &g, files[i], kept, len, copy, facts.len - 2) < 0,
		   "truncated facts are refused");
		dg_facts_read(&arena, &g, files[i], kept, len, copy, facts.len);
		dg_schema_replay_file(b, &g, NULL);
		dg_buf_release(&facts);
	}
	ok(read_all, "fixture files read (DG_SRC)");
	struct dg_buf ja = DG_BUF_INIT, jb = DG_BUF_INIT;
	dg_schema_write_json(&ja, a);
	dg_schema_write_json(&jb, b);
	ok(ja.len > 1000 && !strcmp(dg_buf_cstr(&ja), dg_buf_cstr(&jb)),
	   "replay from cached facts equals replay from the parse");
	dg_buf_release(&ja);
	dg_buf_release(&jb);
}

/* facts with their k-th space-separated token (of the leading plain ones) replaced by tok */
static const char *with_token(const char *facts, int k, const char *tok)
{
	const char *p = facts;
	for (int i = 0; i < k; i++)
		p = strchr(p, ' ') + 1;
	const char *e = strchr(p, ' ');
	return dg_sprintf(&arena, "%.*s%s%s", (int)(p - facts), facts, tok, e);
}

/* Facts that decode but are not what the parser could have written are refused (a miss). */
static void test_facts_damaged(void)
{
	const char *sql = "CREATE TABLE t (a varchar(3) REFERENCES p);\n";
	struct dg_sql_file f, g;
	dg_sql_parse(&arena, &f, "V1.sql", sql, strlen(sql));
	struct dg_buf b = DG_BUF_INIT;
	dg_facts_write(&b, &f);
	const char *facts = dg_strndup(&arena, b.ptr, b.len);
	dg_buf_release(&b);
	ok(dg_facts_read(&arena, &g, "V1.sql", NULL, 0, facts, strlen(facts)) == 0, "the facts read");
	/* tokens: size, count, kind, offset, length, line, column, end line, end column */
	static const struct { int k; const char *tok, *what; } bad[] = {
		{ 2, "99", "a statement kind past the last" },
		{ 2, "-1", "a negative statement kind" },
		{ 5, "0", "line 0" },
		{ 6, "-3", "a negative column" },
		{ 5, "5", "an end line before the start" },
		{ 3, "4000", "a statement past the file" },
		{ 5, "99999999999", "a line past int" },
	};
	for (size_t i = 0; i < DG_ARRAY_SIZE(bad); i++) {
		const char *d = with_token(facts, bad[i].k, bad[i].tok);
		ok(dg_facts_read(&arena, &g, "V1.sql", NULL, 0, d, strlen(d)) < 0, "refused: %s",
		   bad[i].what);
	}
	struct dg_prune_words w;
	ok(dg_words_read(&arena, "0\1\0\0\0\0\0\0\0", 9, &w) == 0 && w.n == 1 && w.v[0] == 1 &&
	   !w.always, "a words entry reads");
	ok(dg_words_read(&arena, "1\0\0\0\0\0\0\0\0", 9, &w) < 0, "a run hashed to 0 is refused");
	ok(dg_words_read(&arena, "2\1\0\0\0\0\0\0\0", 9, &w) < 0, "a flag but 0 or 1 is refused");
	ok(dg_words_read(&arena, "0\1\0\0", 4, &w) < 0, "a cut hash is refused");
}

/* The --all path: the rule alone on an older file, suppressions honoured. */
static void test_rule_alone(void)
{
	struct dg_run run;
	struct dg_config cfg;
	dg_run_init(&run);
	dg_config_init(&cfg);
	const char *v1 = "CREATE TABLE p (id bigint PRIMARY KEY);\n"
			 "CREATE TABLE c (p_id bigint REFERENCES p);\n"
			 "-- ddlgate:ignore missing-fk-index reviewed: c stays tiny\n"
			 "CREATE TABLE d (p_id bigint REFERENCES p);\n";
	struct dg_sql_file f;
	dg_sql_parse(&arena, &f, "V1.sql", v1, strlen(v1));
	struct dg_schema *fin = dg_schema_new(&arena);
	dg_schema_replay_file(fin, &f, NULL);
	struct dg_schema *before = dg_schema_new(&arena);
	before->final = fin;
	for (int parsed = 1; parsed >= 0; parsed--) {
		/* in full, or only the replay facts (from the cache): parsed again then */
		size_t before_n = run.n_findings;
		dg_missing_fk_index_run(&run, &cfg, &f, parsed, before);
		is_int(run.n_findings - before_n, 1, "one finding: the other is suppressed");
		if (run.n_findings > before_n) {
			is_int(run.findings[before_n].line, 2, "at c's FK");
			is_str(run.findings[before_n].path, "V1.sql", "in the file");
		}
	}
	dg_config_release(&cfg);
	dg_run_release(&run);
}

int main(void)
{
	dg_arena_init(&arena);
	test_names();
	test_coverage();
	test_drops_and_blame();
	test_renames();
	test_like_schemas_types();
	test_clone();
	test_opaque_and_unknown();
	test_paths();
	test_lint_history();
	test_facts_roundtrip();
	test_facts_damaged();
	test_rule_alone();
	dg_arena_release(&arena);
	return done();
}
