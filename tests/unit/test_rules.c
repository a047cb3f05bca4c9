/* The foundation rules through dg_lint_sql, the new-table exemption, transaction tracking, suppressions. */
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "rules/engine.h"
#include "rules/rule.h"
#include "sql/sql.h"
#include "tap.h"

static struct dg_run run;
static struct dg_config cfg;

/* Lint sql with every rule at its default level (unless set in cfg). */
static int lint_opts(const char *sql, int pg, enum dg_tx_mode tx)
{
	struct dg_lint_opts o = { .cfg = &cfg, .pg_version = pg, .tx = tx };
	dg_run_release(&run);
	dg_run_init(&run);
	return dg_lint_sql(&run, "t.sql", sql, strlen(sql), &o);
}

static int lint(const char *sql)
{
	return lint_opts(sql, 15, DG_TX_AUTO);
}

/* How many findings of rule at line (0 = any line). */
static int count(const char *rule, int line)
{
	int n = 0;
	for (size_t i = 0; i < run.n_findings; i++)
		n += !strcmp(run.findings[i].rule, rule) && (!line || run.findings[i].line == line);
	return n;
}

static const struct dg_finding *first(const char *rule)
{
	for (size_t i = 0; i < run.n_findings; i++)
		if (!strcmp(run.findings[i].rule, rule))
			return &run.findings[i];
	return NULL;
}

/* The SQL on one line, for test names. */
static const char *oneline(const char *sql)
{
	static char buf[256];
	size_t i;
	for (i = 0; sql[i] && i + 1 < sizeof(buf); i++)
		buf[i] = sql[i] == '\n' ? '|' : sql[i];
	buf[i] = '\0';
	return buf;
}

#define FIRES(rule, line, sql) \
	do { lint(sql); ok(count(rule, line) >= 1, "%s fires at line %d: %s", rule, line, oneline(sql)); } while (0)
#define QUIET(rule, sql) \
	do { lint(sql); ok(count(rule, 0) == 0, "%s quiet: %s", rule, oneline(sql)); } while (0)

static void test_registry(void)
{
	const char *ids[] = {
		"sql-syntax-error", "invalid-suppression", "require-concurrent-index",
		"require-concurrent-index-drop", "concurrent-in-transaction",
		"add-foreign-key-not-valid", "add-column-rewrite", "prefer-bigint",
		"table-rewrite-maintenance", "lock-table",
	};
	for (size_t i = 0; i < DG_ARRAY_SIZE(ids); i++) {
		const struct dg_rule *r = dg_rule_find(ids[i]);
		ok(r && r->summary && r->description && r->severity != DG_OFF,
		   "%s registered with summary, description, severity", ids[i]);
	}
	ok(!dg_rule_known("no-such-rule"), "unknown ids are unknown");
	size_t n;
	const struct dg_rule *const *all = dg_rules_list(&n);
	int dup = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			dup |= !strcmp(all[i]->id, all[k]->id);
	ok(!dup, "no rule id registered twice");
}

static void test_require_concurrent_index(void)
{
	FIRES("require-concurrent-index", 1, "CREATE INDEX i ON t (a);");
	FIRES("require-concurrent-index", 2, "SELECT 1;\nCREATE UNIQUE INDEX i ON s.t (a);");
	QUIET("require-concurrent-index", "CREATE INDEX CONCURRENTLY i ON t (a);");
	QUIET("require-concurrent-index", "CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);");
	QUIET("require-concurrent-index", "CREATE TABLE s.t (a int);\nCREATE INDEX i ON s.t (a);");
	/* schema matters when both are qualified (unqualified matches any: the search path decides) */
	FIRES("require-concurrent-index", 2, "CREATE TABLE a.t (a int);\nCREATE INDEX i ON b.t (a);");
	QUIET("require-concurrent-index", "CREATE TABLE t (a int);\nCREATE INDEX i ON s.t (a);");
	/* dropped again: the table named now is an old one */
	FIRES("require-concurrent-index", 3, "CREATE TABLE t (a int);\nDROP TABLE t;\nCREATE INDEX i ON t (a);");
	/* created by CREATE TABLE AS, too */
	QUIET("require-concurrent-index", "CREATE TABLE t AS SELECT 1 AS a;\nCREATE INDEX i ON t (a);");
	lint("CREATE INDEX i ON t (a);");
	const struct dg_finding *f = first("require-concurrent-index");
	ok(f && f->help && strstr(f->help, "CREATE INDEX CONCURRENTLY i ON t (a);"),
	   "help gives the concurrent statement: %s", f && f->help ? f->help : "(none)");
	ok(f && f->severity == DG_ERROR, "default severity error");
	ok(f && f->end_column == 24 && f->end_line == 1, "end of the statement");
	ok(f && f->source_line && !strcmp(f->source_line, "CREATE INDEX i ON t (a);"), "source line");
}

static void test_require_concurrent_index_drop(void)
{
	FIRES("require-concurrent-index-drop", 1, "DROP INDEX i;");
	lint("DROP INDEX a, s.b;");
	is_int(count("require-concurrent-index-drop", 1), 2, "one finding per index");
	QUIET("require-concurrent-index-drop", "DROP INDEX CONCURRENTLY i;");
	QUIET("require-concurrent-index-drop", "CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX i;");
	QUIET("require-concurrent-index-drop", "DROP TABLE t;");
	lint("DROP INDEX i;");
	ok(first("require-concurrent-index-drop") &&
	   first("require-concurrent-index-drop")->severity == DG_WARNING, "default severity warning");
}

static void test_concurrent_in_transaction(void)
{
	FIRES("concurrent-in-transaction", 2, "BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;");
	FIRES("concurrent-in-transaction", 2, "START TRANSACTION;\nDROP INDEX CONCURRENTLY i;\nEND;");
	FIRES("concurrent-in-transaction", 2, "BEGIN;\nREINDEX TABLE CONCURRENTLY t;\nCOMMIT;");
	FIRES("concurrent-in-transaction", 2, "BEGIN;\nALTER TABLE p DETACH PARTITION c CONCURRENTLY;\nCOMMIT;");
	QUIET("concurrent-in-transaction", "BEGIN;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);");
	QUIET("concurrent-in-transaction", "BEGIN;\nROLLBACK;\nCREATE INDEX CONCURRENTLY i ON t (a);");
	QUIET("concurrent-in-transaction", "START TRANSACTION;\nEND;\nCREATE INDEX CONCURRENTLY i ON t (a);");
	QUIET("concurrent-in-transaction", "CREATE INDEX CONCURRENTLY i ON t (a);");
	QUIET("concurrent-in-transaction", "BEGIN;\nCREATE INDEX i ON t (a);\nCOMMIT;");
	/* a savepoint rollback does not end the block */
	FIRES("concurrent-in-transaction", 4,
	      "BEGIN;\nSAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;");

	const char *sql = "CREATE INDEX CONCURRENTLY i ON t (a);";
	lint_opts(sql, 15, DG_TX_YES);
	ok(count("concurrent-in-transaction", 1) == 1, "transaction: yes wraps the file");
	const struct dg_finding *f = first("concurrent-in-transaction");
	ok(f && f->help && strstr(f->help, "transaction: no"), "help names the set setting");
	lint_opts(sql, 15, DG_TX_NO);
	is_int(count("concurrent-in-transaction", 0), 0, "transaction: no");
	lint_opts(sql, 15, DG_TX_AUTO);
	is_int(count("concurrent-in-transaction", 0), 0, "transaction: auto, no BEGIN");
}

static void test_transaction_tracking(void)
{
	struct dg_arena a;
	struct dg_sql_file f;
	const char *sql =
		"SELECT 0;\n"                 /* 0: out */
		"BEGIN;\n"                    /* 1: in */
		"SELECT 1;\n"                 /* 2: in */
		"COMMIT;\n"                   /* 3: in (ends it) */
		"SELECT 2;\n"                 /* 4: out */
		"START TRANSACTION;\n"        /* 5 */
		"SELECT 3;\n"                 /* 6: in */
		"END;\n"                      /* 7 */
		"SELECT 4;\n"                 /* 8: out */
		"BEGIN;\n"                    /* 9 */
		"SELECT 5;\n"                 /* 10: in */
		"ROLLBACK;\n"                 /* 11 */
		"SELECT 6;\n";                /* 12: out */
	const int want[] = { 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0 };
	struct dg_sql_opts o = { 0 };
	o.pg_version = 15;
	o.tx = DG_TXD_AUTO;
	dg_arena_init(&a);
	dg_sql_parse(&a, &f, "t.sql", sql, strlen(sql));
	dg_sql_analyze(&a, &f, &o);
	is_int(f.n_stmts, DG_ARRAY_SIZE(want), "13 statements");
	for (size_t i = 0; i < f.n_stmts && i < DG_ARRAY_SIZE(want); i++)
		ok(f.stmts[i].in_transaction == want[i] && !f.stmts[i].implicit_transaction,
		   "statement %zu (%s) in_transaction=%d", i, dg_stmt_text(&a, &f.stmts[i]), want[i]);

	o.tx = DG_TXD_YES;
	dg_sql_parse(&a, &f, "t.sql", sql, strlen(sql));
	dg_sql_analyze(&a, &f, &o);
	ok(f.stmts[0].in_transaction && f.stmts[0].implicit_transaction, "tx yes: implicit before BEGIN");
	ok(f.stmts[2].in_transaction && !f.stmts[2].implicit_transaction, "tx yes: explicit inside BEGIN");
	/* BEGIN inside the runner's transaction opens nothing new: the COMMIT at line 4 ends the
	   runner's transaction, and what follows runs on its own until the next BEGIN */
	ok(!f.stmts[4].in_transaction, "tx yes: COMMIT ends the runner's transaction");
	ok(f.stmts[6].in_transaction && !f.stmts[6].implicit_transaction, "tx yes: a later BEGIN is explicit");
	ok(!f.stmts[12].in_transaction, "tx yes: nothing open after ROLLBACK");
	ok(f.stmts[2].tx == f.stmts[0].tx && f.stmts[6].tx != f.stmts[2].tx && !f.stmts[12].tx,
	   "tx yes: transaction ids");

	const char *nt = "CREATE TABLE a (id int);\nALTER TABLE a RENAME TO b;\nCREATE INDEX i ON b (id);\nCREATE INDEX j ON c (id);\n";
	o.tx = DG_TXD_AUTO;
	dg_sql_parse(&a, &f, "t.sql", nt, strlen(nt));
	dg_sql_analyze(&a, &f, &o);
	ok(f.n_stmts == 4 && f.stmts[2].table_is_new, "a new table renamed is still new");
	ok(f.n_stmts == 4 && !f.stmts[3].table_is_new, "another table is not new");
	dg_arena_release(&a);
}

static void test_add_foreign_key_not_valid(void)
{
	FIRES("add-foreign-key-not-valid", 1, "ALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id);");
	FIRES("add-foreign-key-not-valid", 2, "ALTER TABLE o\n ADD FOREIGN KEY (c) REFERENCES c;");
	FIRES("add-foreign-key-not-valid", 1, "ALTER TABLE o ADD COLUMN c bigint DEFAULT 1 REFERENCES c (id);");
	FIRES("add-foreign-key-not-valid", 3, "ALTER TABLE o\n ADD COLUMN c bigint DEFAULT 0\n REFERENCES c (id);");
	/* without a default every value is NULL: PostgreSQL marks the FK valid unread */
	QUIET("add-foreign-key-not-valid", "ALTER TABLE o ADD COLUMN c bigint REFERENCES c (id);");
	/* the VALIDATE in the transaction of the NOT VALID: under the ADD's lock */
	FIRES("add-foreign-key-not-valid", 3, "BEGIN;\nALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id) NOT VALID;\nALTER TABLE o VALIDATE CONSTRAINT fk;\nCOMMIT;");
	QUIET("add-foreign-key-not-valid", "BEGIN;\nALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id) NOT VALID;\nCOMMIT;\nALTER TABLE o VALIDATE CONSTRAINT fk;");
	QUIET("add-check-not-valid", "BEGIN;\nALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id) NOT VALID;\nALTER TABLE o VALIDATE CONSTRAINT fk;\nCOMMIT;");
	FIRES("add-check-not-valid", 3, "BEGIN;\nALTER TABLE o ADD CONSTRAINT ck CHECK (c > 0) NOT VALID;\nALTER TABLE o VALIDATE CONSTRAINT ck;\nCOMMIT;");
	QUIET("add-foreign-key-not-valid", "ALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id) NOT VALID;");
	QUIET("add-foreign-key-not-valid", "ALTER TABLE o VALIDATE CONSTRAINT fk;");
	QUIET("add-foreign-key-not-valid", "CREATE TABLE o (c bigint REFERENCES c (id));");
	QUIET("add-foreign-key-not-valid", "CREATE TABLE o (c bigint);\nALTER TABLE o ADD FOREIGN KEY (c) REFERENCES c;");
	QUIET("add-foreign-key-not-valid", "ALTER TABLE o ADD CONSTRAINT ck CHECK (c > 0);");
	lint("ALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES c (id);");
	const struct dg_finding *f = first("add-foreign-key-not-valid");
	ok(f && f->help && strstr(f->help, "NOT VALID") && strstr(f->help, "VALIDATE CONSTRAINT fk"),
	   "help: NOT VALID then VALIDATE: %s", f && f->help ? f->help : "(none)");
	lint("ALTER TABLE o ADD COLUMN c bigint DEFAULT 1 REFERENCES c (id);");
	f = first("add-foreign-key-not-valid");
	ok(f && f->help && strstr(f->help, "ADD COLUMN c bigint DEFAULT 1;") && strstr(f->help, "o_c_fkey"),
	   "help for ADD COLUMN: add the column, then the constraint: %s", f && f->help ? f->help : "(none)");
	ok(f && strstr(f->message, "AccessExclusiveLock on \"o\" and ShareRowExclusiveLock on \"c\""),
	   "the message names each table's lock: %s", f ? f->message : "(none)");
}

static void test_add_column_rewrite(void)
{
	FIRES("add-column-rewrite", 1, "ALTER TABLE a ADD COLUMN t timestamptz DEFAULT clock_timestamp();");
	FIRES("add-column-rewrite", 1, "ALTER TABLE a ADD COLUMN r float8 DEFAULT random();");
	FIRES("add-column-rewrite", 1, "ALTER TABLE a ADD COLUMN u uuid DEFAULT gen_random_uuid();");
	FIRES("add-column-rewrite", 1, "ALTER TABLE a ADD COLUMN u int DEFAULT my_func();");
	FIRES("add-column-rewrite", 1, "ALTER TABLE a ADD COLUMN s serial;");
	FIRES("add-column-rewrite", 1, "ALTER TABLE a ADD COLUMN g int GENERATED ALWAYS AS (b * 2) STORED;");
	FIRES("add-column-rewrite", 1, "ALTER TABLE a ADD COLUMN i bigint GENERATED ALWAYS AS IDENTITY;");
	FIRES("add-column-rewrite", 2, "ALTER TABLE a ADD COLUMN x int,\n ADD COLUMN t timestamptz DEFAULT clock_timestamp();");
	QUIET("add-column-rewrite", "ALTER TABLE a ADD COLUMN f boolean NOT NULL DEFAULT false;");
	QUIET("add-column-rewrite", "ALTER TABLE a ADD COLUMN t timestamptz DEFAULT now();");
	QUIET("add-column-rewrite", "ALTER TABLE a ADD COLUMN t timestamptz DEFAULT CURRENT_TIMESTAMP;");
	QUIET("add-column-rewrite", "ALTER TABLE a ADD COLUMN n text;");
	QUIET("add-column-rewrite", "ALTER TABLE a ALTER COLUMN t SET DEFAULT clock_timestamp();");
	QUIET("add-column-rewrite", "CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN u uuid DEFAULT gen_random_uuid();");

	const char *c = "ALTER TABLE a ADD COLUMN f boolean NOT NULL DEFAULT false;";
	lint_opts(c, 10, DG_TX_AUTO);
	is_int(count("add-column-rewrite", 1), 1, "pg 10: a constant default rewrites");
	ok(first("add-column-rewrite") && strstr(first("add-column-rewrite")->message, "before PostgreSQL 11"),
	   "pg 10: message says why");
	lint_opts(c, 11, DG_TX_AUTO);
	is_int(count("add-column-rewrite", 0), 0, "pg 11: a constant default does not");
	lint_opts("ALTER TABLE a ADD COLUMN n text DEFAULT NULL;", 10, DG_TX_AUTO);
	is_int(count("add-column-rewrite", 0), 0, "pg 10: DEFAULT NULL does not");
	lint_opts("ALTER TABLE a ADD COLUMN n text;", 10, DG_TX_AUTO);
	is_int(count("add-column-rewrite", 0), 0, "pg 10: no default does not");
	lint("ALTER TABLE a ADD COLUMN t timestamptz DEFAULT clock_timestamp();");
	const struct dg_finding *f = first("add-column-rewrite");
	ok(f && f->column == 26, "points at the added column (column 26), got %d", f ? f->column : 0);
	ok(f && f->help && strstr(f->help, "ALTER TABLE a ADD COLUMN t timestamptz;"), "help adds it bare");
}

static void test_prefer_bigint(void)
{
	FIRES("prefer-bigint", 1, "CREATE TABLE t (id serial PRIMARY KEY);");
	FIRES("prefer-bigint", 1, "CREATE TABLE t (id integer PRIMARY KEY);");
	FIRES("prefer-bigint", 1, "CREATE TABLE t (id int4 PRIMARY KEY);");
	FIRES("prefer-bigint", 1, "CREATE TABLE t (id smallint PRIMARY KEY);");
	FIRES("prefer-bigint", 1, "CREATE TABLE t (id smallserial PRIMARY KEY);");
	FIRES("prefer-bigint", 2, "CREATE TABLE t (\n id int GENERATED BY DEFAULT AS IDENTITY\n);");
	FIRES("prefer-bigint", 2, "CREATE TABLE t (\n id int,\n PRIMARY KEY (id)\n);");
	FIRES("prefer-bigint", 1, "ALTER TABLE t ADD COLUMN id serial PRIMARY KEY;");
	QUIET("prefer-bigint", "CREATE TABLE t (id bigint PRIMARY KEY);");
	QUIET("prefer-bigint", "CREATE TABLE t (id bigserial PRIMARY KEY);");
	QUIET("prefer-bigint", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, n int);");
	QUIET("prefer-bigint", "CREATE TABLE t (id uuid PRIMARY KEY, n integer, s serial);");
	QUIET("prefer-bigint", "CREATE TABLE t (ids int[] PRIMARY KEY);");
	lint("CREATE TABLE t (id smallint PRIMARY KEY);");
	const struct dg_finding *f = first("prefer-bigint");
	ok(f && strstr(f->message, "32,767"), "smallint limit in the message");
	ok(f && f->severity == DG_WARNING, "default severity warning");
}

static void test_table_rewrite_maintenance(void)
{
	FIRES("table-rewrite-maintenance", 1, "VACUUM FULL t;");
	FIRES("table-rewrite-maintenance", 1, "VACUUM (FULL) t;");
	FIRES("table-rewrite-maintenance", 1, "VACUUM FULL;");
	FIRES("table-rewrite-maintenance", 1, "CLUSTER t USING i;");
	FIRES("table-rewrite-maintenance", 1, "CLUSTER;");
	FIRES("table-rewrite-maintenance", 1, "ALTER TABLE t SET TABLESPACE x;");
	FIRES("table-rewrite-maintenance", 1, "ALTER TABLE t SET LOGGED;");
	FIRES("table-rewrite-maintenance", 1, "ALTER TABLE t SET UNLOGGED;");
	lint("VACUUM FULL a, b;");
	is_int(count("table-rewrite-maintenance", 1), 2, "one finding per table");
	QUIET("table-rewrite-maintenance", "VACUUM t;");
	QUIET("table-rewrite-maintenance", "VACUUM (ANALYZE, VERBOSE) t;");
	QUIET("table-rewrite-maintenance", "ANALYZE t;");
	QUIET("table-rewrite-maintenance", "CREATE TABLE t (a int);\nVACUUM FULL t;\nCLUSTER t USING i;");
}

static void test_lock_table(void)
{
	FIRES("lock-table", 1, "LOCK TABLE t;");
	FIRES("lock-table", 1, "LOCK t IN SHARE MODE;");
	FIRES("lock-table", 1, "LOCK t IN SHARE ROW EXCLUSIVE MODE;");
	FIRES("lock-table", 1, "LOCK t IN EXCLUSIVE MODE NOWAIT;");
	lint("LOCK a, b;");
	is_int(count("lock-table", 1), 2, "one finding per table");
	ok(first("lock-table") && strstr(first("lock-table")->message, "every read and write"),
	   "ACCESS EXCLUSIVE blocks reads");
	lint("LOCK t IN SHARE MODE;");
	ok(first("lock-table") && strstr(first("lock-table")->message, "every write") &&
	   !strstr(first("lock-table")->message, "read"), "SHARE blocks writes only");
	QUIET("lock-table", "LOCK t IN ACCESS SHARE MODE;");
	QUIET("lock-table", "LOCK t IN ROW SHARE MODE;");
	QUIET("lock-table", "LOCK t IN ROW EXCLUSIVE MODE;");
	QUIET("lock-table", "LOCK t IN SHARE UPDATE EXCLUSIVE MODE;");
	QUIET("lock-table", "CREATE TABLE t (a int);\nLOCK TABLE t;");
	lint("CREATE TABLE t (a int);\nLOCK TABLE t, u;");
	is_int(count("lock-table", 0), 1, "only the old table of two");
}

static void test_syntax_error(void)
{
	lint("SELECT 1;\nSELEC 2;\nCREATE INDEX i ON t (a);");
	is_int(count("sql-syntax-error", 2), 1, "a syntax error is a finding");
	is_int(count("require-concurrent-index", 3), 1, "the statement after it is still checked");
	const struct dg_finding *f = first("sql-syntax-error");
	ok(f && f->severity == DG_ERROR && strstr(f->message, "syntax error at or near \"SELEC\""),
	   "PostgreSQL's message, as an error: %s", f ? f->message : "(none)");
	lint_opts("ALTER TABLE t ADD CONSTRAINT c NOT NULL col;", 18, DG_TX_AUTO);
	f = first("sql-syntax-error");
	ok(f && f->severity == DG_WARNING, "target 18: a warning");
	ok(f && strstr(f->message, "may be newer"), "target 18: message says the syntax may be newer");
	lint_opts("ALTER TABLE t ADD CONSTRAINT c NOT NULL col;", 17, DG_TX_AUTO);
	ok(first("sql-syntax-error") && first("sql-syntax-error")->severity == DG_ERROR, "target 17 (the grammar's own): an error");
	/* the level set in the config is what is lowered, and off stays off */
	dg_config_set_level(&cfg, "sql-syntax-error", DG_OFF);
	lint_opts("SELEC 1;", 18, DG_TX_AUTO);
	is_int(count("sql-syntax-error", 0), 0, "off stays off");
	dg_config_set_level(&cfg, "sql-syntax-error", DG_ERROR);
	lint_opts("SELECT 1 FROM;\nSELECT 2 FROM;", 18, DG_TX_AUTO);
	ok(run.n_findings == 2 && run.findings[0].severity == DG_WARNING &&
	   run.findings[1].severity == DG_WARNING, "both findings lowered, not just the first");
	lint("CREATE INDEX i ON t (a);\nSELECT 'unterminated;\n");
	is_int(count("require-concurrent-index", 1), 1, "statement before an unterminated string still checked");
	is_int(count("sql-syntax-error", 2), 1, "the unterminated string is reported");
}

static void test_levels_and_suppression(void)
{
	dg_config_set_level(&cfg, "lock-table", DG_OFF);
	QUIET("lock-table", "LOCK TABLE t;");
	dg_config_set_level(&cfg, "lock-table", DG_WARNING);
	lint("LOCK TABLE t;");
	ok(first("lock-table") && first("lock-table")->severity == DG_WARNING, "level from the config");
	dg_config_set_level(&cfg, "lock-table", DG_ERROR);

	QUIET("lock-table", "-- ddlgate:ignore lock-table reason\nLOCK TABLE t;");
	QUIET("lock-table", "-- ddlgate:ignore prefer-bigint, lock-table\nLOCK TABLE t;");
	QUIET("lock-table", "-- ddlgate:ignore all\nLOCK TABLE t;");
	FIRES("lock-table", 3, "-- ddlgate:ignore lock-table\nLOCK TABLE t;\nLOCK TABLE u;");
	FIRES("lock-table", 2, "-- ddlgate:ignore prefer-bigint\nLOCK TABLE t;");
	QUIET("lock-table", "LOCK TABLE t;\n-- ddlgate:ignore-file lock-table\nLOCK TABLE u;");
	QUIET("lock-table", "-- ddlgate:ignore-file all\nLOCK TABLE t;");
	QUIET("invalid-suppression", "-- ddlgate:ignore lock-table, all\nLOCK TABLE t;");
	FIRES("invalid-suppression", 1, "-- ddlgate:ignore lock-tabel\nLOCK TABLE t;");
	FIRES("lock-table", 2, "-- ddlgate:ignore lock-tabel\nLOCK TABLE t;");
	FIRES("invalid-suppression", 2, "SELECT 1;\n-- ddlgate:ignore-file nope\n");
	lint("-- ddlgate:ignore lock-table,  nope reason\nLOCK TABLE t;");
	const struct dg_finding *f = first("invalid-suppression");
	ok(f && f->column == 32 && f->end_column == 35, "points at the unknown id (1:32-35), got %d-%d",
	   f ? f->column : 0, f ? f->end_column : 0);
	ok(f && f->severity == DG_WARNING && strstr(f->message, "\"nope\""), "warning naming it");
	is_int(count("lock-table", 0), 0, "the known id of the list still works");
	/* invalid-suppression can itself be silenced file-wide, and switched off */
	dg_config_set_level(&cfg, "invalid-suppression", DG_OFF);
	QUIET("invalid-suppression", "-- ddlgate:ignore nope\nSELECT 1;");
	dg_config_set_level(&cfg, "invalid-suppression", DG_WARNING);
}

/* Lint sql as ci reviews it: base is the file on the base branch (NULL: new). */
static void review(const char *sql, const char *base)
{
	struct dg_lint_opts o = { .cfg = &cfg, .pg_version = 15, .tx = DG_TX_AUTO, .review = 1,
				  .base_data = base, .base_len = base ? strlen(base) : 0 };
	dg_run_release(&run);
	dg_run_init(&run);
	dg_lint_sql(&run, "t.sql", sql, strlen(sql), &o);
}

/* suppressions: allow | require-reason | deny, migration-* ids, and what ci adds */
static void test_suppression_policy(void)
{
	dg_config_set_level(&cfg, "lock-table", DG_ERROR);
	cfg.suppressions = DG_SUPPRESS_REQUIRE_REASON;
	QUIET("lock-table", "-- ddlgate:ignore lock-table the table is tiny\nLOCK TABLE t;");
	FIRES("lock-table", 2, "-- ddlgate:ignore lock-table\nLOCK TABLE t;");
	FIRES("lock-table", 2, "-- ddlgate:ignore lock-table  -- \nLOCK TABLE t;");
	FIRES("lock-table", 2, "/* ddlgate:ignore lock-table */\nLOCK TABLE t;");
	QUIET("lock-table", "/* ddlgate:ignore lock-table tiny */\nLOCK TABLE t;");
	FIRES("lock-table", 2, "-- ddlgate:ignore-file all\nLOCK TABLE t;");
	QUIET("lock-table", "-- ddlgate:ignore-file all generated, reviewed by hand\nLOCK TABLE t;");
	QUIET("lock-table", "-- ddlgate:ignore prefer-bigint, lock-table a reason\nLOCK TABLE t;");
	lint("-- ddlgate:ignore lock-table, prefer-bigint\nLOCK TABLE t;");
	is_int(count("invalid-suppression", 1), 1, "require-reason: one finding per comment");
	ok(first("invalid-suppression") &&
	   strstr(first("invalid-suppression")->message, "lock-table, prefer-bigint gives no reason"),
	   "it names the comment's ids");
	cfg.suppressions = DG_SUPPRESS_DENY;
	FIRES("lock-table", 2, "-- ddlgate:ignore lock-table the table is tiny\nLOCK TABLE t;");
	FIRES("lock-table", 2, "-- ddlgate:ignore-file all with a reason\nLOCK TABLE t;");
	QUIET("invalid-suppression", "-- ddlgate:ignore lock-table the table is tiny\nLOCK TABLE t;");
	cfg.suppressions = DG_SUPPRESS_ALLOW;
	QUIET("lock-table", "-- ddlgate:ignore lock-table\nLOCK TABLE t;");
	/* a migration-* id is no statement's business */
	FIRES("invalid-suppression", 1, "-- ddlgate:ignore migration-modified oops\nSELECT 1;");
	QUIET("invalid-suppression", "-- ddlgate:ignore all\nSELECT 1;");

	/* ci: what the change adds is reported; on a file the base has it silences nothing */
	review("-- ddlgate:ignore lock-table tiny\nLOCK TABLE t;", NULL);
	is_int(count("lock-table", 0), 0, "review, new file: the suppression silences");
	is_int(count("suppression-added", 1), 1, "review, new file: reported at the comment");
	ok(first("suppression-added") && strstr(first("suppression-added")->message, "\"tiny\""),
	   "with its reason");
	review("-- ddlgate:ignore lock-table tiny\nLOCK TABLE t;", "LOCK TABLE t;\n");
	is_int(count("lock-table", 2), 1, "review, file on base: an added suppression silences nothing");
	ok(first("suppression-added") && strstr(first("suppression-added")->message, "silences nothing"),
	   "and says so");
	review("  -- ddlgate:ignore lock-table tiny\nLOCK TABLE t;\nSELECT 2;",
	       "-- ddlgate:ignore lock-table tiny  \nLOCK TABLE t;\n");
	is_int(count("suppression-added", 0), 0, "review: a comment the base has is not added");
	is_int(count("lock-table", 0), 0, "review: and it still silences");
	review("-- ddlgate:ignore lock-table tiny\nLOCK TABLE t;\n-- ddlgate:ignore lock-table tiny\nLOCK TABLE u;",
	       "-- ddlgate:ignore lock-table tiny\nLOCK TABLE t;\n");
	is_int(count("suppression-added", 3), 1, "review: a second copy of the same line is added");
	is_int(count("lock-table", 4), 1, "review: and the copy silences nothing");
	is_int(count("lock-table", 2), 0, "review: the original still silences");
	dg_config_set_level(&cfg, "lock-table", DG_WARNING);
}

static void test_input_errors(void)
{
	const char bin[] = "SELECT 1;\nSEL\0ECT";
	struct dg_lint_opts o = { .cfg = &cfg, .pg_version = 15, .tx = DG_TX_AUTO };
	dg_run_release(&run);
	dg_run_init(&run);
	dg_error_clear();
	ok(dg_lint_sql(&run, "b.sql", bin, sizeof(bin) - 1, &o) < 0, "binary file is an error");
	ok(strstr(dg_last_error(), "b.sql:2:4:") != NULL, "binary: file:line:col (%s)", dg_last_error());
	is_int(run.n_findings, 0, "binary: no findings");
	is_int(run.files, 0, "binary: not counted as linted");
	const char *utf = "SELECT 'é';\nSELECT '\xe9t\xe9';";
	dg_error_clear();
	ok(lint(utf) < 0, "invalid UTF-8 is an error");
	ok(strstr(dg_last_error(), "t.sql:2:9:") != NULL, "invalid UTF-8: file:line:col (%s)", dg_last_error());
	is_int(lint(""), 0, "empty file is fine");
	is_int(run.files, 1, "empty file counted");
	is_int(run.statements, 0, "empty file: no statements");
	lint("SELECT 1; SELECT 2;\nSELECT 3;");
	is_int(run.statements, 3, "statements counted");
}


/* Lint sql as the file `path` (a down migration, for instance). */
static void lint_as(const char *path, const char *sql)
{
	struct dg_lint_opts o = { .cfg = &cfg, .pg_version = 15, .tx = DG_TX_AUTO };
	dg_run_release(&run);
	dg_run_init(&run);
	dg_lint_sql(&run, path, sql, strlen(sql), &o);
}

/* The nine rules of issue 13, beyond the examples of their docs. */
static void test_catalogue_rules(void)
{
	FIRES("ban-drop-database", 2, "SELECT 1;\nDROP DATABASE IF EXISTS x WITH (FORCE);");
	QUIET("ban-drop-database", "DROP SCHEMA x CASCADE;");
	FIRES("ban-truncate-cascade", 1, "TRUNCATE a, b CASCADE;");
	/* CASCADE reaches the tables that reference a new one: not exempt */
	FIRES("ban-truncate-cascade", 2, "CREATE TABLE n (id int);\nTRUNCATE n CASCADE;");
	QUIET("ban-truncate-cascade", "TRUNCATE a, b;");

	FIRES("require-concurrent-reindex", 1, "REINDEX (VERBOSE) TABLE t;");
	QUIET("require-concurrent-reindex", "REINDEX SYSTEM app;");
	QUIET("require-concurrent-reindex", "CREATE INDEX CONCURRENTLY i ON t (a);\nREINDEX INDEX i;");
	lint_opts("REINDEX INDEX i;", 11, DG_TX_AUTO);
	is_int(count("require-concurrent-reindex", 0), 0, "require-concurrent-reindex: nothing to ask for before 12");
	lint("REINDEX INDEX s.i;");
	ok(first("require-concurrent-reindex") &&
	   !strcmp(first("require-concurrent-reindex")->help, "REINDEX INDEX CONCURRENTLY s.i; outside a transaction"),
	   "reindex help is the statement to run");

	FIRES("require-concurrent-detach-partition", 1, "ALTER TABLE p\n DETACH PARTITION c;");
	lint_opts("ALTER TABLE p DETACH PARTITION c;", 13, DG_TX_AUTO);
	is_int(count("require-concurrent-detach-partition", 0), 0, "detach: nothing to ask for before 14");

	/* transaction-nesting: explicit, the runner's, the end of the file */
	FIRES("transaction-nesting", 2, "BEGIN;\nSTART TRANSACTION;\nCOMMIT;");
	QUIET("transaction-nesting", "BEGIN;\nCOMMIT;\nBEGIN;\nROLLBACK;");
	lint_opts("BEGIN;\nSELECT 1;\nCOMMIT;", 15, DG_TX_YES);
	is_int(count("transaction-nesting", 1), 1, "BEGIN inside the runner's transaction");
	ok(first("transaction-nesting") && strstr(first("transaction-nesting")->message, "migration runner"),
	   "and it says whose transaction");
	lint_opts("SELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);\nBEGIN;", 15, DG_TX_YES);
	is_int(count("transaction-nesting", 0) + count("concurrent-in-transaction", 0), 0,
	       "COMMIT ... BEGIN in a wrapped file: neither nesting nor CONCURRENTLY in a transaction");
	FIRES("transaction-nesting", 3, "SELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;");
	QUIET("transaction-nesting", "DO $$ BEGIN PERFORM 1; END $$;");

	/* identifier-too-long: bytes, quoted identifiers, DO bodies, not strings */
	char sql[512];
	snprintf(sql, sizeof(sql), "CREATE TABLE t (%s int);", "a23456789_123456789_123456789_123456789_123456789_123456789_1234");
	FIRES("identifier-too-long", 1, sql);
	snprintf(sql, sizeof(sql), "CREATE TABLE t (%s int);", "a23456789_123456789_123456789_123456789_123456789_123456789_123");
	QUIET("identifier-too-long", sql);
	/* 62 ASCII bytes and one two-byte character: 64 bytes */
	snprintf(sql, sizeof(sql), "ALTER TABLE t ADD COLUMN \"%s\xc3\xa9\" int;", "a23456789_123456789_123456789_123456789_123456789_123456789_12");
	FIRES("identifier-too-long", 1, sql);
	ok(first("identifier-too-long") && first("identifier-too-long")->column == 26,
	   "at the quoted identifier");
	ok(first("identifier-too-long") && strstr(first("identifier-too-long")->help, "_12\")"),
	   "the kept name stops before the cut character: %s",
	   first("identifier-too-long") ? first("identifier-too-long")->help : "(none)");
	snprintf(sql, sizeof(sql), "DO $$ BEGIN\n  CREATE INDEX %s ON t (a);\nEND $$;", "i23456789_123456789_123456789_123456789_123456789_123456789_1234");
	FIRES("identifier-too-long", 2, sql);
	snprintf(sql, sizeof(sql), "COMMENT ON TABLE t IS '%s';", "a23456789_123456789_123456789_123456789_123456789_123456789_1234");
	QUIET("identifier-too-long", sql);

	/* prefer-timestamptz: new columns, not down migrations */
	FIRES("prefer-timestamptz", 1, "CREATE TABLE e (at timestamp[]);");
	QUIET("prefer-timestamptz", "CREATE TABLE e (at timestamptz, d date, t time);");
	lint_as("db/3_x.down.sql", "ALTER TABLE e ADD COLUMN at timestamp;");
	is_int(count("prefer-timestamptz", 0), 0, "prefer-timestamptz: not in a down migration");
	lint_as("db/3_x.down.sql", "CREATE TABLE e (id int PRIMARY KEY);\nALTER TABLE o DROP COLUMN x;");
	is_int(count("prefer-bigint", 0) + count("ban-drop-column", 0), 0,
	       "prefer-bigint and ban-drop-column: not in a down migration");
	lint_as("db/3_x.up.sql", "CREATE TABLE e (id int PRIMARY KEY);\nALTER TABLE o DROP COLUMN x;");
	is_int(count("prefer-bigint", 1) + count("ban-drop-column", 2), 2, "(both in its up migration)");

	/* alter-domain-add-constraint */
	FIRES("alter-domain-add-constraint", 1, "ALTER DOMAIN s.d ADD CHECK (VALUE <> '');");
	QUIET("alter-domain-add-constraint", "ALTER DOMAIN d DROP CONSTRAINT d_check;");
	QUIET("alter-domain-add-constraint", "CREATE DOMAIN d AS int;\nALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0);");
	lint("ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0);");
	ok(first("alter-domain-add-constraint") && strstr(first("alter-domain-add-constraint")->help, "NOT VALID") &&
	   strstr(first("alter-domain-add-constraint")->help, "VALIDATE CONSTRAINT c"),
	   "domain help: NOT VALID, then VALIDATE");

	/* require-statement-timeout (off by default) */
	QUIET("require-statement-timeout", "UPDATE t SET a = 1;");
	dg_config_set_level(&cfg, "require-statement-timeout", DG_WARNING);
	FIRES("require-statement-timeout", 1, "UPDATE t SET a = 1;");
	QUIET("require-statement-timeout", "SET statement_timeout = '5min';\nUPDATE t SET a = 1;");
	lint("BEGIN;\nSET LOCAL statement_timeout = '1s';\nCOMMIT;\nUPDATE t SET a = 1;");
	is_int(count("require-statement-timeout", 4), 1, "SET LOCAL ends with its transaction");
	QUIET("require-statement-timeout", "SET lock_timeout = '1s';\nALTER TABLE t ADD COLUMN x int;");
	dg_config_set_level(&cfg, "require-statement-timeout", DG_OFF);
}

/* "did you mean" for unknown rule ids */
static void test_did_you_mean(void)
{
	ok(dg_rule_suggest("lock-tabel") && !strcmp(dg_rule_suggest("lock-tabel"), "lock-table"), "a transposition");
	ok(dg_rule_suggest("prefer-bignit") && !strcmp(dg_rule_suggest("prefer-bignit"), "prefer-bigint"), "two letters swapped");
	ok(dg_rule_suggest("require-concurent-index") &&
	   !strcmp(dg_rule_suggest("require-concurent-index"), "require-concurrent-index"), "a letter missing");
	ok(dg_rule_suggest("concurrent-index") &&
	   !strcmp(dg_rule_suggest("concurrent-index"), "require-concurrent-index"), "the end of an id");
	ok(!dg_rule_suggest("no-such-rule"), "nothing close: no guess");
	ok(!dg_rule_suggest("x"), "a short word: no guess");
	is_str(dg_rule_did_you_mean("lock-table"), " (did you mean 'lock-table'?)", "the hint's text");
	lint("-- ddlgate:ignore lock-tabel tiny\nLOCK TABLE t;");
	ok(first("invalid-suppression") && strstr(first("invalid-suppression")->message, "did you mean 'lock-table'"),
	   "a suppression's unknown id gets the hint");
}

int main(void)
{
	dg_config_init(&cfg);
	dg_run_init(&run);
	test_registry();
	test_require_concurrent_index();
	test_require_concurrent_index_drop();
	test_concurrent_in_transaction();
	test_transaction_tracking();
	test_add_foreign_key_not_valid();
	test_add_column_rewrite();
	test_prefer_bigint();
	test_table_rewrite_maintenance();
	test_lock_table();
	test_syntax_error();
	test_levels_and_suppression();
	test_suppression_policy();
	test_input_errors();
	test_catalogue_rules();
	test_did_you_mean();
	dg_run_release(&run);
	dg_config_release(&cfg);
	return done();
}
