/*
 * The lock model's version-aware facts and its file-level state
 * (transactions, new tables, column types, NOT NULL proofs). What
 * PostgreSQL 15 does is proven by tests/pg/lock_oracle.sh; this covers
 * the other versions and what one server run cannot show.
 */
#include <stdio.h>
#include <string.h>

#include "sql/sql.h"
#include "tap.h"

static struct dg_arena arena;

/* Analyze sql and describe its last statement. */
struct facts {
	char locks[256];
	char rewrites[128];
	char scans[128];
	const char *note;
	int in_tx, implicit, is_new;
	const struct dg_stmt *st;
};

static struct facts analyze_with(const char *sql, int pg, enum dg_tx_default tx,
				 const struct dg_sql_schema_hooks *hooks)
{
	struct dg_sql_file f;
	struct dg_sql_opts o = { pg, tx, hooks };
	struct facts out;
	memset(&out, 0, sizeof(out));
	dg_sql_parse(&arena, &f, "t.sql", sql, strlen(sql));
	dg_sql_analyze(&arena, &f, &o);
	if (!f.n_stmts)
		return out;
	const struct dg_stmt *st = &f.stmts[f.n_stmts - 1];
	for (size_t i = 0; i < st->n_locks; i++) {
		size_t l = strlen(out.locks);
		snprintf(out.locks + l, sizeof(out.locks) - l, "%s%s:%s", i ? " " : "",
			 dg_rel_display(&arena, &st->locks[i].rel), dg_lockmode_name(st->locks[i].mode));
	}
	for (size_t i = 0; i < st->n_rewrites; i++) {
		size_t l = strlen(out.rewrites);
		snprintf(out.rewrites + l, sizeof(out.rewrites) - l, "%s%s", i ? " " : "",
			 dg_rel_display(&arena, &st->rewrites[i]));
	}
	for (size_t i = 0; i < st->n_scans; i++) {
		size_t l = strlen(out.scans);
		snprintf(out.scans + l, sizeof(out.scans) - l, "%s%s", i ? " " : "",
			 dg_rel_display(&arena, &st->scans[i]));
	}
	out.note = st->note;
	out.in_tx = st->in_transaction;
	out.implicit = st->implicit_transaction;
	out.is_new = st->table_is_new;
	out.st = st;
	return out;
}

static struct facts analyze(const char *sql, int pg)
{
	return analyze_with(sql, pg, DG_TXD_AUTO, NULL);
}

static void test_defaults_by_version(void)
{
	struct facts f = analyze("ALTER TABLE t ADD COLUMN c boolean NOT NULL DEFAULT false;", 10);
	is_str(f.rewrites, "t", "pg10: a constant default rewrites");
	f = analyze("ALTER TABLE t ADD COLUMN c boolean NOT NULL DEFAULT false;", 11);
	is_str(f.rewrites, "", "pg11: a constant default is stored in the catalog");
	is_str(f.locks, "t:AccessExclusiveLock", "ADD COLUMN takes ACCESS EXCLUSIVE");
	f = analyze("ALTER TABLE t ADD COLUMN c int DEFAULT NULL;", 10);
	is_str(f.rewrites, "", "pg10: DEFAULT NULL does not rewrite");
	f = analyze("ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();", 17);
	is_str(f.rewrites, "", "now() is stable: no rewrite");
	f = analyze("ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp();", 17);
	is_str(f.rewrites, "t", "clock_timestamp() is volatile: rewrite");
	f = analyze("ALTER TABLE t ADD COLUMN c int DEFAULT my_func();", 15);
	is_str(f.rewrites, "t", "an unknown function is treated as volatile");
	ok(f.note && strstr(f.note, "my_func") && strstr(f.note, "volatile"),
	   "... and the note says so: %s", f.note ? f.note : "(none)");
	f = analyze("ALTER TABLE t ADD COLUMN c bigserial;", 15);
	is_str(f.rewrites, "t", "a serial column's nextval() default rewrites");
	f = analyze("ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a + 1) STORED;", 15);
	is_str(f.rewrites, "t", "a stored generated column rewrites");
}

static void test_set_not_null(void)
{
	const char *proof =
		"ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL);\n"
		"ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n";
	struct facts f = analyze(proof, 12);
	is_str(f.scans, "", "pg12: a validated CHECK (a IS NOT NULL) saves the scan");
	ok(!f.st->cmds[0].scans, "... on the sub-command too");
	f = analyze(proof, 11);
	is_str(f.scans, "t", "pg11: SET NOT NULL always scans");
	f = analyze("ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;\n"
		    "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n", 15);
	is_str(f.scans, "t", "a NOT VALID CHECK proves nothing");
	f = analyze("ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;\n"
		    "ALTER TABLE t VALIDATE CONSTRAINT t_a_nn;\n"
		    "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n", 15);
	is_str(f.scans, "", "... until it is validated");
	f = analyze("ALTER TABLE t ADD CONSTRAINT t_b_nn CHECK (b IS NOT NULL);\n"
		    "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n", 15);
	is_str(f.scans, "t", "a CHECK on another column does not help");
	f = analyze("ALTER TABLE other ADD CONSTRAINT o_a_nn CHECK (a IS NOT NULL);\n"
		    "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n", 15);
	is_str(f.scans, "t", "a CHECK on another table does not help");
	f = analyze("ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL);\n"
		    "ALTER TABLE t DROP CONSTRAINT t_a_nn;\n"
		    "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n", 15);
	is_str(f.scans, "t", "a dropped CHECK proves nothing");
}

static void test_partitions_and_indexes(void)
{
	const char *attach = "ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1);";
	is_str(analyze(attach, 11).locks, "p:AccessExclusiveLock p1:AccessExclusiveLock",
	       "pg11: ATTACH PARTITION locks the parent ACCESS EXCLUSIVE");
	is_str(analyze(attach, 12).locks, "p:ShareUpdateExclusiveLock p1:AccessExclusiveLock",
	       "pg12: ... SHARE UPDATE EXCLUSIVE");
	is_str(analyze(attach, 12).scans, "p1", "ATTACH scans the new partition");

	const char *detach = "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;";
	struct facts f = analyze(detach, 13);
	is_str(f.locks, "p:AccessExclusiveLock p1:AccessExclusiveLock",
	       "pg13: no DETACH CONCURRENTLY, the plain locks");
	ok(f.note && strstr(f.note, "14"), "... and a note says it needs 14");
	is_str(analyze(detach, 14).locks, "p:ShareUpdateExclusiveLock p1:AccessExclusiveLock",
	       "pg14: DETACH CONCURRENTLY");

	f = analyze("REINDEX INDEX CONCURRENTLY i;", 11);
	is_str(f.locks, "i:AccessExclusiveLock", "pg11: REINDEX CONCURRENTLY does not exist");
	ok(f.note && strstr(f.note, "12"), "... and a note says it needs 12");
	is_str(analyze("REINDEX INDEX CONCURRENTLY i;", 12).locks, "i:ShareUpdateExclusiveLock",
	       "pg12: REINDEX CONCURRENTLY");
	is_str(analyze("ALTER INDEX i RENAME TO j;", 11).locks, "i:AccessExclusiveLock",
	       "pg11: RENAME INDEX under ACCESS EXCLUSIVE");
	is_str(analyze("ALTER INDEX i RENAME TO j;", 12).locks, "i:ShareUpdateExclusiveLock",
	       "pg12: RENAME INDEX under SHARE UPDATE EXCLUSIVE");
	is_str(analyze("CREATE INDEX i ON t (a);", 15).locks, "t:ShareLock i:AccessExclusiveLock",
	       "CREATE INDEX: SHARE on the table, the new index itself");
	is_str(analyze("CREATE INDEX CONCURRENTLY ON t (a);", 15).locks, "t:ShareUpdateExclusiveLock",
	       "CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE");

	f = analyze("BEGIN;\nALTER TYPE mood ADD VALUE 'x';\nCOMMIT;\n", 11);
	ok(!f.note, "COMMIT carries no note");
	f = analyze("BEGIN;\nALTER TYPE mood ADD VALUE 'x';\n", 11);
	ok(f.note && strstr(f.note, "transaction block"), "pg11: ADD VALUE in a block fails");
	f = analyze("BEGIN;\nALTER TYPE mood ADD VALUE 'x';\n", 12);
	ok(!f.note, "pg12: ADD VALUE in a block is fine");
}

static void test_foreign_keys(void)
{
	struct facts f = analyze("ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES s.par (id);", 15);
	is_str(f.locks, "c:ShareRowExclusiveLock s.par:ShareRowExclusiveLock",
	       "a foreign key locks both tables, qualified as written");
	is_str(f.scans, "c", "... and scans the referencing table");
	f = analyze("ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES par (id) NOT VALID;", 15);
	is_str(f.scans, "", "NOT VALID: no scan");
	f = analyze("ALTER TABLE c VALIDATE CONSTRAINT fk;", 15);
	is_str(f.locks, "c:ShareUpdateExclusiveLock", "VALIDATE under SHARE UPDATE EXCLUSIVE");
	f = analyze("CREATE TABLE c (id int, p int REFERENCES par);", 15);
	is_str(f.locks, "par:ShareRowExclusiveLock c:AccessExclusiveLock",
	       "CREATE TABLE with a foreign key locks the referenced table");
}

static const struct dg_type varchar10 = { "varchar", "varchar(10)", { 10, -1 }, 1, 0 };

static const struct dg_type *hook_type(void *cookie, const struct dg_rel *t, const char *col)
{
	(void)cookie;
	return !strcmp(t->name, "t") && !strcmp(col, "b") ? &varchar10 : NULL;
}

static int hook_nn(void *cookie, const struct dg_rel *t, const char *col)
{
	(void)cookie;
	return !strcmp(t->name, "t") && !strcmp(col, "a");
}

static void test_types(void)
{
	static const struct {
		const char *sql;
		const char *rewrites;
		const char *what;
	} cases[] = {
		{ "ALTER TABLE t ADD COLUMN b varchar(10);\nALTER TABLE t ALTER COLUMN b TYPE varchar(20);", "", "varchar widened" },
		{ "ALTER TABLE t ADD COLUMN b varchar(10);\nALTER TABLE t ALTER COLUMN b TYPE varchar(5);", "t", "varchar shortened" },
		{ "ALTER TABLE t ADD COLUMN b varchar(10);\nALTER TABLE t ALTER COLUMN b TYPE text;", "", "varchar to text" },
		{ "ALTER TABLE t ADD COLUMN b text;\nALTER TABLE t ALTER COLUMN b TYPE varchar(9);", "t", "text to varchar(n)" },
		{ "ALTER TABLE t ADD COLUMN b char(5);\nALTER TABLE t ALTER COLUMN b TYPE text;", "t", "char to text" },
		{ "ALTER TABLE t ADD COLUMN b numeric(10,2);\nALTER TABLE t ALTER COLUMN b TYPE numeric(12,2);", "", "numeric precision up" },
		{ "ALTER TABLE t ADD COLUMN b numeric(10,2);\nALTER TABLE t ALTER COLUMN b TYPE numeric(12,4);", "t", "numeric scale change" },
		{ "ALTER TABLE t ADD COLUMN b numeric(10,2);\nALTER TABLE t ALTER COLUMN b TYPE numeric;", "", "numeric unconstrained" },
		{ "ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ALTER COLUMN b TYPE bigint;", "t", "int to bigint" },
		{ "ALTER TABLE t ADD COLUMN b timestamp;\nALTER TABLE t ALTER COLUMN b TYPE timestamptz;", "t", "timestamp to timestamptz" },
		{ "ALTER TABLE t ADD COLUMN b cidr;\nALTER TABLE t ALTER COLUMN b TYPE inet;", "", "cidr to inet" },
		{ "ALTER TABLE t ADD COLUMN b text;\nALTER TABLE t ALTER COLUMN b TYPE text USING lower(b);", "t", "USING" },
		{ "ALTER TABLE t ALTER COLUMN b TYPE varchar(20);", "t", "unknown old type, varchar(n)" },
		{ "ALTER TABLE t ALTER COLUMN b TYPE text;", "", "unknown old type, text" },
		{ "ALTER TABLE t ALTER COLUMN b TYPE bigint;", "t", "unknown old type, bigint" },
		{ "ALTER TABLE t ALTER COLUMN b TYPE varchar(10);\nALTER TABLE t ALTER COLUMN b TYPE varchar(30);", "", "learned from an earlier TYPE" },
		{ "ALTER TABLE t ADD COLUMN a varchar(10);\nALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE t ALTER COLUMN b TYPE varchar(30);", "", "followed through RENAME COLUMN" },
	};
	for (size_t i = 0; i < DG_ARRAY_SIZE(cases); i++)
		is_str(analyze(cases[i].sql, 15).rewrites, cases[i].rewrites, cases[i].what);
	struct facts f = analyze("ALTER TABLE t ALTER COLUMN b TYPE text;", 15);
	ok(f.note && strstr(f.note, "unknown"), "an assumption about the old type is noted");

	/* the schema stage's hooks */
	struct dg_sql_schema_hooks h = { .cookie = NULL, .column_type = hook_type, .not_null_proven = hook_nn };
	f = analyze_with("ALTER TABLE t ALTER COLUMN b TYPE varchar(20);", 15, DG_TXD_AUTO, &h);
	is_str(f.rewrites, "", "the schema hook supplies the old type");
	f = analyze_with("ALTER TABLE t ALTER COLUMN b TYPE varchar(9);", 15, DG_TXD_AUTO, &h);
	is_str(f.rewrites, "t", "... both ways");
	f = analyze_with("ALTER TABLE t ALTER COLUMN a SET NOT NULL;", 15, DG_TXD_AUTO, &h);
	is_str(f.scans, "", "the schema hook supplies a NOT NULL proof");
	f = analyze_with("ALTER TABLE t ALTER COLUMN a SET NOT NULL;", 11, DG_TXD_AUTO, &h);
	is_str(f.scans, "t", "... which does not help before 12");
}

static void test_transactions(void)
{
	struct facts f = analyze("BEGIN;\nALTER TABLE t ADD COLUMN c int;\n", 15);
	ok(f.in_tx && !f.implicit, "explicit BEGIN: in a transaction block");
	f = analyze("BEGIN;\nCOMMIT;\nALTER TABLE t ADD COLUMN c int;\n", 15);
	ok(!f.in_tx, "after COMMIT: not in a block");
	f = analyze_with("ALTER TABLE t ADD COLUMN c int;\n", 15, DG_TXD_YES, NULL);
	ok(f.in_tx && f.implicit, "transaction: yes wraps the file");
	f = analyze_with("ALTER TABLE t ADD COLUMN c int;\n", 15, DG_TXD_NO, NULL);
	ok(!f.in_tx, "transaction: no");
	f = analyze("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c int;\n", 15);
	ok(f.is_new, "a table created earlier in the file is new");
	f = analyze("CREATE TABLE t (id int);\nDROP TABLE t;\nALTER TABLE t ADD COLUMN c int;\n", 15);
	ok(!f.is_new, "... until it is dropped");
	f = analyze("CREATE TABLE t (id int);\nALTER TABLE t RENAME TO u;\nALTER TABLE u ADD COLUMN c int;\n", 15);
	ok(f.is_new, "... and follows a rename");
}

static void test_misc(void)
{
	is_str(analyze("UPDATE t SET a = 1 FROM u WHERE u.id = t.id;", 15).locks,
	       "u:AccessShareLock t:RowExclusiveLock", "UPDATE ... FROM reads the other table");
	is_str(analyze("SELECT * FROM t FOR UPDATE;", 15).locks, "t:RowShareLock",
	       "SELECT FOR UPDATE: ROW SHARE");
	is_str(analyze("CREATE VIEW v AS SELECT * FROM t JOIN u USING (id);", 15).locks,
	       "t:AccessShareLock u:AccessShareLock v:AccessExclusiveLock", "CREATE VIEW");
	is_str(analyze("TRUNCATE t;", 15).rewrites, "", "TRUNCATE is not a rewrite");
	is_str(analyze("VACUUM FULL t;", 15).rewrites, "t", "VACUUM FULL rewrites");
	is_str(analyze("REFRESH MATERIALIZED VIEW mv;", 15).rewrites, "mv", "REFRESH rewrites");
	is_str(analyze("REFRESH MATERIALIZED VIEW CONCURRENTLY mv;", 15).locks, "mv:ExclusiveLock",
	       "REFRESH CONCURRENTLY: EXCLUSIVE, in place");
	is_str(analyze("DROP TRIGGER tr ON t;", 15).locks, "t:AccessExclusiveLock",
	       "DROP TRIGGER takes ACCESS EXCLUSIVE");
	is_str(analyze("LOCK TABLE a, b IN SHARE MODE;", 15).locks, "a:ShareLock b:ShareLock",
	       "LOCK TABLE in a mode");
	is_str(analyze("GRANT SELECT ON t TO PUBLIC;", 15).locks, "", "GRANT takes no table lock");
	struct facts f = analyze("ALTER TABLE t ADD COLUMN c int DEFAULT random(), ALTER COLUMN d SET NOT NULL;", 15);
	ok(f.st->n_cmds == 2 && f.st->cmds[0].rewrites && f.st->cmds[1].scans &&
	   f.st->cmds[0].lock == DG_LOCK_ACCESS_EXCLUSIVE, "per sub-command facts");
}

int main(void)
{
	dg_arena_init(&arena);
	test_defaults_by_version();
	test_set_not_null();
	test_partitions_and_indexes();
	test_foreign_keys();
	test_types();
	test_transactions();
	test_misc();
	dg_arena_release(&arena);
	return done();
}
