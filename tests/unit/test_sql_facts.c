/*
 * sql/tree.c and sql/walk.c: the facts read from PostgreSQL's raw parse
 * tree, for every statement kind the lock model and the rules read; the
 * statement split (split.c) where ';' does not end a statement; deep
 * trees (walked without recursion); and the file's history (index.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/sql.h"
#include "tap.h"

static struct dg_arena arena;

/* DG_SQL_DEPARSE_DEPTH (sql/pgtree.h, private to src/sql/) */
#define DG_DEEPEST 500

static struct dg_sql_file parse(const char *sql)
{
	struct dg_sql_file f;
	struct dg_sql_opts o = { 17, DG_TXD_AUTO, NULL };
	dg_sql_parse(&arena, &f, "t.sql", sql, strlen(sql));
	dg_sql_analyze(&arena, &f, &o);
	return f;
}

/* The only statement of sql (a failed test when there is not exactly one). */
static const struct dg_stmt *one(const char *sql)
{
	static struct dg_sql_file f;
	f = parse(sql);
	if (f.n_stmts != 1) {
		ok(0, "one statement in: %s (got %zu)", sql, f.n_stmts);
		static struct dg_stmt none;
		return &none;
	}
	return &f.stmts[0];
}

static const char *rel(const struct dg_rel *r)
{
	return r && r->name ? dg_rel_display(&arena, r) : "(none)";
}

/* "a,b.c" of n relations. */
static const char *rels(const struct dg_rel *v, size_t n)
{
	const char **names = dg_alloc(&arena, (n + 1) * sizeof(*names));
	for (size_t i = 0; i < n; i++)
		names[i] = rel(&v[i]);
	return dg_join(&arena, names, n, ",");
}

static void test_create_table(void)
{
	const struct dg_stmt *st = one(
		"CREATE TABLE IF NOT EXISTS app.orders (\n"
		"  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
		"  code varchar(20) NOT NULL UNIQUE COLLATE \"C\",\n"
		"  amount numeric(10,2) DEFAULT 0 CHECK (amount >= 0),\n"
		"  made timestamptz DEFAULT now(),\n"
		"  token uuid DEFAULT gen_random_uuid(),\n"
		"  tags text[],\n"
		"  total int GENERATED ALWAYS AS (id * 2) STORED,\n"
		"  customer_id int REFERENCES customers (id),\n"
		"  n serial,\n"
		"  CONSTRAINT orders_code_check CHECK (code IS NOT NULL) NOT VALID,\n"
		"  FOREIGN KEY (customer_id, code) REFERENCES s.cust (a, b) NOT VALID,\n"
		"  UNIQUE (code, made)\n"
		") PARTITION BY RANGE (made);");
	is_int(st->kind, DG_STMT_CREATE_TABLE, "CREATE TABLE");
	is_str(rel(st->rel), "app.orders", "its table, schema-qualified as written");
	ok(st->if_not_exists && st->is_partitioned && !st->is_temp, "IF NOT EXISTS, PARTITION BY");
	is_int(st->n_columns, 9, "nine columns");
	is_int(st->n_constraints, 3, "three table constraints");
	if (st->n_columns != 9 || st->n_constraints != 3)
		return;
	const struct dg_column *c = st->columns;
	ok(c[0].identity && c[0].primary_key && c[0].not_null, "identity primary key");
	is_str(c[0].type.name, "int8", "bigint is int8");
	is_str(c[1].type.display, "varchar(20)", "varchar(20) as the user writes it");
	ok(c[1].not_null && c[1].unique, "NOT NULL UNIQUE");
	is_str(c[1].collation, "C", "collation");
	ok(c[2].has_default && c[2].has_check && c[2].default_volatility == DG_VOL_IMMUTABLE,
	   "constant default and an inline CHECK");
	is_str(c[2].type.display, "numeric(10,2)", "numeric(p,s)");
	is_int(c[3].default_volatility, DG_VOL_STABLE, "now() is stable");
	is_str(c[3].default_expr, "now()", "its text, deparsed");
	is_int(c[4].default_volatility, DG_VOL_VOLATILE, "gen_random_uuid() is volatile");
	is_str(c[4].volatile_func, "gen_random_uuid", "and named");
	ok(c[5].type.array && !strcmp(c[5].type.display, "text[]"), "text[]");
	ok(c[6].generated_stored && c[6].default_expr, "GENERATED ... STORED");
	ok(c[7].fk && !c[7].fk->not_valid && !strcmp(c[7].fk->ref_table.name, "customers") &&
	   c[7].fk->n_columns == 1 && !strcmp(c[7].fk->columns[0], "customer_id"),
	   "inline REFERENCES");
	ok(c[8].has_default && c[8].default_volatility == DG_VOL_VOLATILE &&
	   !strcmp(c[8].type.name, "serial"), "serial: a volatile default");
	const struct dg_constraint *k = st->constraints;
	ok(k[0].kind == DG_CON_CHECK && k[0].not_valid && !strcmp(k[0].name, "orders_code_check"),
	   "named CHECK NOT VALID");
	is_str(k[0].not_null_column, "code", "CHECK (code IS NOT NULL) proves code");
	is_str(k[0].expr, "code IS NOT NULL", "CHECK text");
	ok(k[1].kind == DG_CON_FOREIGN && k[1].n_columns == 2 && k[1].n_ref_columns == 2 &&
	   k[1].not_valid && !strcmp(rel(&k[1].ref_table), "s.cust"), "table-level FK, NOT VALID");
	ok(k[2].kind == DG_CON_UNIQUE && k[2].n_columns == 2 && !strcmp(k[2].columns[1], "made"),
	   "table-level UNIQUE");
	ok(k[2].location > 0 && st->text[k[2].location] == 'U', "constraint location into the file");

	st = one("CREATE TEMP TABLE t (a int);");
	ok(st->is_temp && !st->is_unlogged, "TEMP");
	st = one("CREATE UNLOGGED TABLE t (a int);");
	ok(st->is_unlogged, "UNLOGGED");
	st = one("CREATE TABLE p1 PARTITION OF app.p FOR VALUES FROM (1) TO (10);");
	is_str(rel(&dg_stmt_rare(st)->partition_of), "app.p", "PARTITION OF");
	st = one("CREATE TABLE c (LIKE a INCLUDING INDEXES, LIKE b INCLUDING ALL, LIKE d);");
	ok(dg_stmt_rare(st)->n_likes == 3 && dg_stmt_rare(st)->like_options[0] == DG_LIKE_INDEXES &&
	   dg_stmt_rare(st)->like_options[1] == (DG_LIKE_INDEXES | DG_LIKE_CONSTRAINTS) && dg_stmt_rare(st)->like_options[2] == 0,
	   "LIKE ... INCLUDING");
	is_str(dg_stmt_rare(st)->like_table, "a", "first LIKE");
}

static void test_alter_table(void)
{
	const struct dg_stmt *st = one(
		"ALTER TABLE IF EXISTS ONLY s.t ADD COLUMN IF NOT EXISTS x int DEFAULT random()::int,\n"
		"  DROP COLUMN IF EXISTS y CASCADE, ALTER COLUMN z TYPE bigint USING z::bigint,\n"
		"  ALTER COLUMN w SET NOT NULL, ALTER COLUMN w DROP NOT NULL,\n"
		"  ALTER COLUMN w SET DEFAULT 'a', ALTER COLUMN w DROP DEFAULT,\n"
		"  ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p NOT VALID, VALIDATE CONSTRAINT fk,\n"
		"  DROP CONSTRAINT c0, ADD CONSTRAINT u UNIQUE USING INDEX u_idx,\n"
		"  SET TABLESPACE fast, SET LOGGED, SET UNLOGGED, SET (fillfactor = 70),\n"
		"  RESET (fillfactor), ALTER COLUMN w SET STATISTICS 100, ALTER COLUMN w SET STORAGE PLAIN,\n"
		"  ENABLE TRIGGER ALL, DISABLE TRIGGER t1, CLUSTER ON i, SET WITHOUT CLUSTER, OWNER TO b,\n"
		"  ENABLE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY, INHERIT par, REPLICA IDENTITY FULL,\n"
		"  ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY, ALTER COLUMN id DROP IDENTITY;");
	static const enum dg_cmd_kind want[] = {
		DG_CMD_ADD_COLUMN, DG_CMD_DROP_COLUMN, DG_CMD_ALTER_TYPE, DG_CMD_SET_NOT_NULL,
		DG_CMD_DROP_NOT_NULL, DG_CMD_SET_DEFAULT, DG_CMD_DROP_DEFAULT, DG_CMD_ADD_CONSTRAINT,
		DG_CMD_VALIDATE_CONSTRAINT, DG_CMD_DROP_CONSTRAINT, DG_CMD_ADD_CONSTRAINT,
		DG_CMD_SET_TABLESPACE, DG_CMD_SET_LOGGED, DG_CMD_SET_UNLOGGED, DG_CMD_SET_OPTIONS,
		DG_CMD_RESET_OPTIONS, DG_CMD_SET_STATISTICS, DG_CMD_SET_STORAGE, DG_CMD_ENABLE_TRIGGER,
		DG_CMD_DISABLE_TRIGGER, DG_CMD_CLUSTER_ON, DG_CMD_SET_WITHOUT_CLUSTER, DG_CMD_OWNER,
		DG_CMD_ENABLE_RLS, DG_CMD_DISABLE_RLS, DG_CMD_INHERIT, DG_CMD_REPLICA_IDENTITY,
		DG_CMD_ADD_IDENTITY, DG_CMD_DROP_IDENTITY,
	};
	is_int(st->kind, DG_STMT_ALTER_TABLE, "ALTER TABLE");
	ok(st->if_exists && !strcmp(rel(st->rel), "s.t"), "IF EXISTS s.t");
	is_int(st->n_cmds, DG_ARRAY_SIZE(want), "every sub-command");
	for (size_t i = 0; i < st->n_cmds && i < DG_ARRAY_SIZE(want); i++)
		ok(st->cmds[i].kind == want[i], "sub-command %zu is %d (got %d)", i, want[i],
		   st->cmds[i].kind);
	if (st->n_cmds != DG_ARRAY_SIZE(want))
		return;
	const struct dg_cmd *c = st->cmds;
	ok(c[0].coldef && !strcmp(c[0].column, "x") && c[0].coldef->default_volatility == DG_VOL_VOLATILE,
	   "ADD COLUMN x with a volatile default");
	ok(c[0].location >= 0 && st->text[c[0].location] == 'x', "ADD COLUMN location at the column");
	ok(c[1].if_exists && c[1].cascade && !strcmp(c[1].column, "y"), "DROP COLUMN IF EXISTS ... CASCADE");
	ok(c[2].has_using && c[2].coldef && !strcmp(c[2].coldef->type.name, "int8") &&
	   !c[2].coldef->has_default, "ALTER TYPE bigint USING");
	ok(c[5].coldef && !strcmp(c[5].coldef->default_expr, "'a'"), "SET DEFAULT text");
	ok(c[7].con && c[7].con->kind == DG_CON_FOREIGN && c[7].con->not_valid &&
	   !strcmp(c[7].name, "fk"), "ADD CONSTRAINT fk ... NOT VALID");
	is_str(c[8].name, "fk", "VALIDATE CONSTRAINT names it");
	ok(c[10].con && !strcmp(c[10].con->using_index, "u_idx"), "USING INDEX");
	is_str(c[20].name, "i", "CLUSTER ON index");
	is_str(rel(&c[25].part), "par", "INHERIT parent");

	st = one("ALTER TABLE parent DETACH PARTITION ch CONCURRENTLY;");
	ok(st->n_cmds == 1 && st->cmds[0].kind == DG_CMD_DETACH_PARTITION && st->cmds[0].concurrently &&
	   !strcmp(rel(&st->cmds[0].part), "ch"), "DETACH PARTITION CONCURRENTLY");
	st = one("ALTER TABLE parent ATTACH PARTITION ch FOR VALUES IN (1);");
	ok(st->n_cmds == 1 && st->cmds[0].kind == DG_CMD_ATTACH_PARTITION, "ATTACH PARTITION");
	st = one("ALTER INDEX i SET (fillfactor = 50);");
	is_int(st->object, DG_OBJ_INDEX, "ALTER INDEX");
	st = one("ALTER MATERIALIZED VIEW mv SET TABLESPACE x;");
	is_int(st->object, DG_OBJ_MATVIEW, "ALTER MATERIALIZED VIEW");
}

static void test_index_drop_rename(void)
{
	const struct dg_stmt *st = one(
		"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ui ON s.t USING hash "
		"(lower(a), b DESC) INCLUDE (c) WHERE a > 0;");
	is_int(st->kind, DG_STMT_CREATE_INDEX, "CREATE INDEX");
	ok(st->index && st->index->unique && st->index->concurrently && st->index->if_not_exists &&
	   st->concurrently, "UNIQUE CONCURRENTLY IF NOT EXISTS");
	if (st->index && st->index->n_elems == 2) {
		is_str(st->index->method, "hash", "USING hash");
		is_str(st->index->elems[0].expr, "lower(a)", "expression element");
		is_str(st->index->elems[1].column, "b", "column element");
		is_str(st->index->where, "a > 0", "partial");
		is_str(rel(&st->index->table), "s.t", "its table");
	} else {
		ok(0, "two index elements");
	}
	st = one("CREATE INDEX ON t (a);");
	ok(st->index && !st->index->name && !strcmp(st->index->method, "btree"), "unnamed btree");

	st = one("DROP TABLE IF EXISTS a, s.b CASCADE;");
	ok(st->kind == DG_STMT_DROP && st->object == DG_OBJ_TABLE && st->if_exists && st->cascade,
	   "DROP TABLE IF EXISTS ... CASCADE");
	is_str(rels(st->rels, st->n_rels), "a,s.b", "both tables");
	st = one("DROP INDEX CONCURRENTLY s.i;");
	ok(st->object == DG_OBJ_INDEX && st->concurrently && !strcmp(rel(st->rel), "s.i"),
	   "DROP INDEX CONCURRENTLY");
	st = one("DROP TRIGGER tg ON s.tab;");
	ok(st->object == DG_OBJ_TRIGGER && !strcmp(st->name, "tg") && !strcmp(rel(st->rel), "s.tab"),
	   "DROP TRIGGER: name and table");
	st = one("DROP SCHEMA sch;");
	ok(st->object == DG_OBJ_SCHEMA && !strcmp(st->name, "sch"), "DROP SCHEMA");
	st = one("DROP TYPE ty;");
	is_int(st->object, DG_OBJ_TYPE, "DROP TYPE");

	st = one("ALTER TABLE t RENAME COLUMN a TO b;");
	ok(st->kind == DG_STMT_RENAME && st->object == DG_OBJ_COLUMN && !strcmp(st->name, "a") &&
	   !strcmp(st->new_name, "b") && !strcmp(rel(st->rel), "t"), "RENAME COLUMN");
	st = one("ALTER TABLE s.t RENAME TO u;");
	ok(st->object == DG_OBJ_TABLE && !strcmp(st->name, "t") && !strcmp(st->new_name, "u"),
	   "RENAME TABLE");
	st = one("ALTER INDEX i RENAME TO j;");
	is_int(st->object, DG_OBJ_INDEX, "RENAME INDEX");
	st = one("ALTER TABLE t RENAME CONSTRAINT c TO d;");
	ok(st->object == DG_OBJ_CONSTRAINT && !strcmp(st->name, "c"), "RENAME CONSTRAINT");
	st = one("ALTER TYPE ty RENAME TO ty2;");
	ok(st->object == DG_OBJ_TYPE && !strcmp(st->name, "ty"), "RENAME TYPE");
}

static void test_maintenance_and_locks(void)
{
	const struct dg_stmt *st = one("REINDEX INDEX CONCURRENTLY i;");
	ok(st->kind == DG_STMT_REINDEX && st->object == DG_OBJ_INDEX && st->concurrently,
	   "REINDEX INDEX CONCURRENTLY");
	st = one("REINDEX TABLE t;");
	ok(st->object == DG_OBJ_TABLE && !st->concurrently && !strcmp(rel(st->rel), "t"), "REINDEX TABLE");
	st = one("REINDEX SCHEMA s;");
	ok(st->object == DG_OBJ_SCHEMA && !strcmp(st->name, "s"), "REINDEX SCHEMA");
	st = one("VACUUM (FULL, ANALYZE) a, b (c);");
	ok(st->kind == DG_STMT_VACUUM && st->full && st->n_rels == 2, "VACUUM (FULL) a, b");
	st = one("ANALYZE a;");
	ok(st->kind == DG_STMT_ANALYZE && st->n_rels == 1, "ANALYZE");
	st = one("CLUSTER t USING i;");
	ok(st->kind == DG_STMT_CLUSTER && !strcmp(rel(st->rel), "t") && !strcmp(st->name, "i"), "CLUSTER");
	st = one("LOCK TABLE a, s.b IN ROW EXCLUSIVE MODE NOWAIT;");
	ok(st->kind == DG_STMT_LOCK && dg_stmt_rare(st)->lock_mode == DG_LOCK_ROW_EXCLUSIVE && st->n_rels == 2,
	   "LOCK ... IN ROW EXCLUSIVE MODE");
	st = one("LOCK t;");
	is_int(dg_stmt_rare(st)->lock_mode, DG_LOCK_ACCESS_EXCLUSIVE, "LOCK default: ACCESS EXCLUSIVE");
	st = one("TRUNCATE a, b RESTART IDENTITY CASCADE;");
	ok(st->kind == DG_STMT_TRUNCATE && st->cascade && st->n_rels == 2, "TRUNCATE ... CASCADE");
	st = one("REFRESH MATERIALIZED VIEW CONCURRENTLY s.mv;");
	ok(st->kind == DG_STMT_REFRESH_MATVIEW && st->concurrently && !strcmp(rel(st->rel), "s.mv"),
	   "REFRESH CONCURRENTLY");
}

static void test_queries(void)
{
	const struct dg_stmt *st = one("SELECT * FROM t1 UNION SELECT * FROM t2 ORDER BY 1;");
	is_int(st->kind, DG_STMT_SELECT, "SELECT");
	is_str(rels(st->reads, st->n_reads), "t1,t2", "both sides of a UNION are read");
	st = one("SELECT * FROM a JOIN s.b USING (id) WHERE EXISTS (SELECT 1 FROM c) FOR UPDATE;");
	is_str(rels(st->reads, st->n_reads), "a,s.b,c", "FROM, JOIN and the subquery's FROM");
	ok(st->row_locking, "FOR UPDATE");
	st = one("WITH d AS (DELETE FROM old RETURNING *), i AS (INSERT INTO arch SELECT * FROM d "
		 "RETURNING *) UPDATE counters SET n = n + 1 FROM i, other;");
	ok(st->kind == DG_STMT_UPDATE && !strcmp(rel(st->rel), "counters") && !st->has_where, "UPDATE");
	is_str(rels(dg_stmt_rare(st)->writes, dg_stmt_rare(st)->n_writes), "old,arch", "data-modifying WITH targets");
	is_str(rels(st->reads, st->n_reads), "other", "WITH names are not relations");
	st = one("INSERT INTO tgt SELECT * FROM src WHERE a IN (SELECT a FROM src3);");
	ok(st->kind == DG_STMT_INSERT && !strcmp(rel(st->rel), "tgt"), "INSERT");
	is_str(rels(st->reads, st->n_reads), "src,src3", "INSERT ... SELECT reads, subqueries too");
	st = one("DELETE FROM d USING u WHERE d.id = u.id;");
	ok(st->kind == DG_STMT_DELETE && st->has_where, "DELETE ... WHERE");
	is_str(rels(st->reads, st->n_reads), "u", "DELETE USING reads");
	st = one("CREATE MATERIALIZED VIEW mv AS SELECT * FROM x, (SELECT * FROM y) q WITH NO DATA;");
	ok(st->kind == DG_STMT_CREATE_MATVIEW && st->with_no_data && !strcmp(rel(st->rel), "mv"),
	   "CREATE MATERIALIZED VIEW ... WITH NO DATA");
	is_str(rels(st->reads, st->n_reads), "x,y", "its query's relations, subquery too");
	st = one("CREATE TABLE IF NOT EXISTS c2 AS SELECT * FROM z;");
	ok(st->kind == DG_STMT_CREATE_TABLE_AS && st->if_not_exists && st->n_reads == 1, "CREATE TABLE AS");
	st = one("CREATE OR REPLACE VIEW v AS SELECT a.* FROM a;");
	ok(st->kind == DG_STMT_CREATE_VIEW && st->n_reads == 1 && !strcmp(rel(st->rel), "v"), "CREATE VIEW");
}

static void test_other_kinds(void)
{
	struct {
		const char *sql;
		enum dg_stmt_kind kind;
	} cases[] = {
		{ "BEGIN;", DG_STMT_BEGIN }, { "START TRANSACTION;", DG_STMT_BEGIN },
		{ "COMMIT;", DG_STMT_COMMIT }, { "END;", DG_STMT_COMMIT },
		{ "PREPARE TRANSACTION 'x';", DG_STMT_COMMIT }, { "ROLLBACK;", DG_STMT_ROLLBACK },
		{ "SAVEPOINT s;", DG_STMT_SAVEPOINT }, { "RELEASE SAVEPOINT s;", DG_STMT_SAVEPOINT },
		{ "SET lock_timeout = '2s';", DG_STMT_SET }, { "RESET ALL;", DG_STMT_SET },
		{ "CREATE TRIGGER tr AFTER INSERT ON s.t FOR EACH ROW EXECUTE FUNCTION f();",
		  DG_STMT_CREATE_TRIGGER },
		{ "CREATE TYPE e AS ENUM ('a');", DG_STMT_CREATE_TYPE },
		{ "CREATE TYPE r AS RANGE (subtype = int);", DG_STMT_CREATE_TYPE },
		{ "ALTER TYPE e ADD VALUE IF NOT EXISTS 'b';", DG_STMT_ALTER_TYPE },
		{ "CREATE SCHEMA IF NOT EXISTS s;", DG_STMT_CREATE_SCHEMA },
		{ "CREATE SEQUENCE s.q;", DG_STMT_CREATE_SEQUENCE },
		{ "ALTER SEQUENCE s.q RESTART;", DG_STMT_ALTER_SEQUENCE },
		{ "CREATE EXTENSION IF NOT EXISTS pg_trgm;", DG_STMT_CREATE_EXTENSION },
		{ "COMMENT ON COLUMN s.t.c IS 'x';", DG_STMT_COMMENT },
		{ "GRANT SELECT ON a, s.b TO r;", DG_STMT_GRANT },
		{ "COPY t (a) FROM STDIN;", DG_STMT_COPY },
		{ "EXPLAIN SELECT 1;", DG_STMT_OTHER },
		{ "MERGE INTO m USING s ON m.id = s.id WHEN MATCHED THEN DELETE;", DG_STMT_OTHER },
	};
	for (size_t i = 0; i < DG_ARRAY_SIZE(cases); i++) {
		const struct dg_stmt *st = one(cases[i].sql);
		ok(st->kind == cases[i].kind, "%s is kind %d (got %d)", cases[i].sql, cases[i].kind,
		   st->kind);
	}
	const struct dg_stmt *st = one("SET LOCAL statement_timeout = 5000;");
	ok(st->is_local && !strcmp(st->name, "statement_timeout") && !strcmp(st->value, "5000"),
	   "SET LOCAL name and value");
	st = one("SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE;");
	ok(!strcmp(st->name, "timezone") && st->value && !strcmp(st->value, "+00:00"),
	   "SET TIME ZONE INTERVAL '...': the string under the cast");
	st = one("ALTER TYPE s.e ADD VALUE 'c';");
	ok(!strcmp(st->name, "e") && !strcmp(st->value, "c"), "ADD VALUE: type and value");
	st = one("COMMENT ON COLUMN s.t.c IS 'x';");
	ok(st->object == DG_OBJ_COLUMN && !strcmp(st->name, "c") && !strcmp(rel(st->rel), "s.t"),
	   "COMMENT ON COLUMN: table and column");
	st = one("GRANT SELECT ON a, s.b TO r;");
	is_str(rels(st->rels, st->n_rels), "a,s.b", "GRANT tables");
	st = one("CREATE OR REPLACE FUNCTION s.f() RETURNS int LANGUAGE plpgsql AS $b$ BEGIN "
		 "ALTER TABLE x ADD COLUMN y int; RETURN 1; END $b$;");
	ok(st->kind == DG_STMT_CREATE_FUNCTION && !strcmp(st->name, "f") &&
	   !strcmp(st->language, "plpgsql") && st->body && strstr(st->body, "ALTER TABLE x"),
	   "CREATE FUNCTION: name, language, body");
	struct dg_sql_file df = parse("DO $$ BEGIN CREATE INDEX i ON t (a); END $$;");
	ok(df.n_stmts == 2 && df.stmts[0].kind == DG_STMT_DO && df.stmts[0].body &&
	   strstr(df.stmts[0].body, "CREATE INDEX") && df.stmts[1].kind == DG_STMT_CREATE_INDEX &&
	   df.stmts[1].body_of == 1 && df.stmts[1].offset == 12 && df.stmts[1].in_transaction,
	   "DO body: the block, then its statement at its place");
	st = one("CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();");
	ok(!strcmp(st->name, "tr") && !strcmp(rel(st->rel), "t"), "CREATE TRIGGER name and table");
}

/*
 * Does a function body hold DDL? A body without any word a DDL statement
 * starts with (or EXECUTE, or an SQL body's INTO) is not parsed: these
 * cases pin the answer on both sides of that shortcut.
 */
static void test_function_body_ddl(void)
{
	struct {
		const char *sql;
		int ddl;
	} cases[] = {
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
		  "ALTER TABLE x ADD COLUMN y int; END $$;", 1 },
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
		  "EXECUTE 'alter table x add column y int'; END $$;", 1 },
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
		  "EXECUTE 'ALTER TABLE x ' || 'ADD COLUMN y int'; END $$;", 1 },
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
		  "TrUnCaTe x; END $$;", 1 },
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS 'BEGIN DROP TABLE x; END';", 1 },
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT * INTO t2 FROM t $$;", 1 },
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ CREATE INDEX i ON t (a) $$;", 1 },
		/* the words only in a string, a comment or a quoted name: no DDL */
		{ "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN "
		  "-- ALTER TABLE x\n RETURN 'DROP TABLE x'; END $$;", 0 },
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
		  "/* CREATE INDEX /* nested */ */ UPDATE \"alter\" SET a = 1; END $$;", 0 },
		{ "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE n int; BEGIN "
		  "SELECT count(*) INTO n FROM t; INSERT INTO t VALUES (n); RETURN n; END $$;", 0 },
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ INSERT INTO t VALUES (1) $$;", 0 },
		/* parsed (EXECUTE): PL/pgSQL's SELECT ... INTO a variable creates no table */
		{ "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE n int; BEGIN "
		  "SELECT count(*) INTO n FROM t; EXECUTE 'UPDATE t SET a = 1'; RETURN n; END $$;", 0 },
		{ "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
		  "EXECUTE 'UPDATE t SET a = 1'; END $$;", 0 },
		/* EXECUTE of a string built at run time is opaque, not DDL the model can name */
		{ "CREATE FUNCTION f(t text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
		  "EXECUTE format('DROP TABLE %I', t); END $$;", 0 },
	};
	for (size_t i = 0; i < DG_ARRAY_SIZE(cases); i++) {
		const struct dg_stmt *st = one(cases[i].sql);
		ok(st->kind == DG_STMT_CREATE_FUNCTION && st->body_has_ddl == cases[i].ddl,
		   "body holds DDL: %d (got %d) in: %s", cases[i].ddl, st->body_has_ddl, cases[i].sql);
	}
}

/* A ';' inside parentheses or a BEGIN ATOMIC body ends no statement; a stray one does. */
static void test_split(void)
{
	struct dg_sql_file f = parse(
		"CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;\n"
		"CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n"
		"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));\n"
		"SELECT 2;");
	is_int(f.n_stmts, 4, "BEGIN ATOMIC bodies and rule actions are one statement each");
	if (f.n_stmts == 4) {
		is_int(f.stmts[0].kind, DG_STMT_CREATE_FUNCTION, "the procedure");
		is_int(f.stmts[1].kind, DG_STMT_CREATE_FUNCTION, "the function");
		is_int(f.stmts[2].kind, DG_STMT_OTHER, "the rule");
		is_str(dg_stmt_text(&arena, &f.stmts[3]), "SELECT 2;", "and the statement after them");
	}
	/* a routine named "begin" makes the split hold ';'s: the parser still finds every statement */
	f = parse("CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'select 1';\nLOCK t;\nSELECT 3;");
	is_int(f.n_stmts, 3, "three statements after a function named begin");
	if (f.n_stmts == 3) {
		is_int(f.stmts[1].kind, DG_STMT_LOCK, "the LOCK is its own statement");
		is_str(dg_stmt_text(&arena, &f.stmts[1]), "LOCK t;", "with its own text");
		is_int(f.stmts[1].line, 2, "on its own line");
	}
	/* an unbalanced '(' hides no statement after it */
	f = parse("CREATE TABLE t (a int;\nCREATE INDEX i ON u (b);\nDROP INDEX j;");
	is_int(f.n_stmts, 3, "a stray '(' does not glue the rest of the file together");
	if (f.n_stmts == 3) {
		is_int(f.stmts[0].kind, DG_STMT_ERROR, "the broken statement is an error");
		is_int(f.stmts[1].kind, DG_STMT_CREATE_INDEX, "the next one is parsed");
		is_int(f.stmts[2].kind, DG_STMT_DROP, "and the one after");
	}
	f = parse("SELECT E'it''s \\' ; still', $tag$ ; $tag$, \"a;b\", U&'d\\0061;' FROM t; SELECT 4;");
	is_int(f.n_stmts, 2, "';' inside E'', $tag$, \"\" and U&'' quotes ends nothing");
	f = parse("SELECT 1 -- ; comment\n/* ; /* nested ; */ */ + 1; SELECT 5;");
	is_int(f.n_stmts, 2, "';' inside comments ends nothing");
}

/* Deep trees: walked with a heap stack, never the C stack; never a crash. */
static void test_deep(void)
{
	size_t n = 5000;
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_adds(&b, "SELECT 1");
	for (size_t i = 0; i < n; i++)
		dg_buf_adds(&b, "+1");
	dg_buf_adds(&b, ";");
	const struct dg_stmt *st = one(b.ptr);
	is_int(st->kind, DG_STMT_SELECT, "5,000-term expression: a SELECT");

	dg_buf_reset(&b);
	dg_buf_adds(&b, "ALTER TABLE t ADD COLUMN c int DEFAULT 1");
	for (size_t i = 0; i < n; i++)
		dg_buf_adds(&b, i == n / 2 ? "+random()::int" : "+1");
	dg_buf_adds(&b, ";");
	st = one(b.ptr);
	ok(st->n_cmds == 1 && st->cmds[0].coldef, "a 5,000-term default");
	if (st->n_cmds == 1 && st->cmds[0].coldef) {
		ok(!st->cmds[0].coldef->default_expr, "too deep to deparse: no text");
		is_int(st->cmds[0].coldef->default_volatility, DG_VOL_VOLATILE,
		       "its volatility is still found (random() deep inside)");
	}

	dg_buf_reset(&b);
	dg_buf_adds(&b, "ALTER TABLE t ADD COLUMN c int DEFAULT 1");
	for (size_t i = 0; i < 100; i++)
		dg_buf_adds(&b, "+1");
	st = one(b.ptr);
	ok(st->n_cmds == 1 && st->cmds[0].coldef && st->cmds[0].coldef->default_expr &&
	   strlen(st->cmds[0].coldef->default_expr) > 300, "a 100-term default is deparsed");

	dg_buf_reset(&b);
	dg_buf_adds(&b, "ALTER TABLE t ADD COLUMN c int DEFAULT 1");
	for (size_t i = 0; i < DG_DEEPEST - 10; i++)
		dg_buf_adds(&b, "+1");
	st = one(b.ptr);
	ok(st->n_cmds == 1 && st->cmds[0].coldef && st->cmds[0].coldef->default_expr,
	   "just under the deparse limit: deparsed (the deparser's recursion fits the stack)");

	dg_buf_reset(&b);
	dg_buf_adds(&b, "SELECT ");
	for (size_t i = 0; i < 100000; i++)
		dg_buf_addch(&b, '(');
	dg_buf_adds(&b, "1");
	for (size_t i = 0; i < 100000; i++)
		dg_buf_addch(&b, ')');
	st = one(b.ptr);
	ok(st->kind == DG_STMT_ERROR && st->error && strstr(st->error, "memory exhausted"),
	   "100,000 nested parentheses: PostgreSQL's parser says so (%s)", st->error ? st->error : "");
	ok(st->error_offset > 0 && (size_t)st->error_offset < b.len, "at a place in the statement");

	dg_buf_reset(&b);
	for (size_t i = 0; i < 3000; i++)
		dg_buf_adds(&b, i ? " UNION ALL SELECT * FROM t" : "CREATE VIEW v AS SELECT * FROM t");
	dg_buf_addf(&b, "%zu;", (size_t)0);
	st = one(b.ptr);
	ok(st->kind == DG_STMT_CREATE_VIEW && st->n_reads == 2, "a 3,000-deep UNION ALL view reads its tables");
	dg_buf_release(&b);
}

/* What the file says about itself as of a statement (index.c through sql.h). */
static void test_history(void)
{
	struct dg_sql_file f = parse(
		"CREATE TABLE a (id int PRIMARY KEY, v text);\n"   /* 0 */
		"ALTER TABLE a RENAME TO b;\n"                       /* 1 */
		"ALTER TABLE b ALTER COLUMN v TYPE varchar(10);\n"   /* 2 */
		"ALTER TABLE b RENAME COLUMN v TO w;\n"              /* 3 */
		"DROP TABLE b;\n"                                    /* 4 */
		"CREATE TABLE b (x bigint);\n"                       /* 5 */
		"CREATE INDEX bi ON b (x);\n"                        /* 6 */
		"ALTER TABLE c DROP NOT NULL x;\n"                   /* 7: not valid SQL: an error */
		"ALTER TABLE c ALTER COLUMN x DROP NOT NULL;\n"      /* 8 */
		"SELECT 1;\n");                                      /* 9 */
	struct dg_rel a = { NULL, "a" }, b = { NULL, "b" }, bs = { "public", "b" }, c = { NULL, "c" };
	struct dg_rel bi = { NULL, "bi" };
	if (f.n_stmts != 10) {
		ok(0, "ten statements (got %zu)", f.n_stmts);
		return;
	}
	const struct dg_stmt *s = f.stmts;
	ok(!dg_sql_table_is_new(&f, &s[0], &a), "not new before its CREATE");
	ok(dg_sql_table_is_new(&f, &s[1], &a), "new after it");
	ok(dg_sql_table_is_new(&f, &s[2], &b), "renamed from a new table: new");
	ok(dg_sql_table_is_new(&f, &s[2], &bs), "also under its schema-qualified name");
	ok(s[2].table_is_new, "the lock model agrees");
	ok(!dg_sql_table_is_new(&f, &s[5], &b), "dropped: not new");
	ok(dg_sql_table_is_new(&f, &s[6], &b), "created again: new again");
	ok(dg_sql_table_is_new(&f, NULL, &b), "at the end of the file");
	int created = 0;
	const struct dg_type *t = dg_sql_column_type(&f, &s[2], &b, "v", &created);
	ok(t && !strcmp(t->display, "varchar(10)"), "ALTER TYPE is seen up to and with its statement");
	t = dg_sql_column_type(&f, &s[1], &a, "v", &created);
	ok(t && !strcmp(t->name, "text") && created, "the CREATE TABLE's type before it");
	t = dg_sql_column_type(&f, &s[3], &b, "w", NULL);
	ok(t && !strcmp(t->display, "varchar(10)"), "the type follows a renamed column");
	t = dg_sql_column_type(&f, &s[5], &b, "w", &created);
	ok(!t && created, "a new CREATE TABLE b forgets the old b's columns");
	t = dg_sql_column_type(&f, &s[5], &b, "x", NULL);
	ok(t && !strcmp(t->name, "int8"), "and knows its own");
	ok(dg_sql_table_created_by(&f, &s[9], &b) == &s[5], "b's last CREATE TABLE");
	ok(dg_sql_table_created_by(&f, &s[3], &b) == NULL, "a renamed table has no CREATE TABLE b");
	ok(dg_sql_table_created_by(&f, &s[3], &a) == &s[0], "a's CREATE TABLE");
	ok(!dg_sql_marked_before(&f, &s[6], DG_MARK_INDEX_CREATED, &bi, NULL), "index not yet made");
	ok(dg_sql_marked_before(&f, &s[7], DG_MARK_INDEX_CREATED, &bi, NULL), "index made before");
	ok(dg_sql_marked_before(&f, &s[9], DG_MARK_NULLABILITY, &c, "x"), "DROP NOT NULL on c.x seen");
	ok(!dg_sql_marked_before(&f, &s[8], DG_MARK_NULLABILITY, &c, "x"), "not before it");
	ok(dg_sql_marked_before(&f, &s[5], DG_MARK_DROP_OR_RENAME, &b, NULL), "b dropped or renamed before");
}

/* Positions far into a long line come from the column marks, exactly. */
static void test_long_lines(void)
{
	struct dg_buf b = DG_BUF_INIT;
	for (int i = 0; i < 3000; i++)
		dg_buf_adds(&b, "SELECT 'é'; "); /* 13 bytes, 12 code points */
	dg_buf_adds(&b, "\nSELECT 2;");
	struct dg_sql_file f = parse(b.ptr);
	is_int(f.n_stmts, 3001, "3,001 statements");
	if (f.n_stmts == 3001) {
		is_int(f.stmts[2999].line, 1, "the last one of the long line");
		is_int(f.stmts[2999].column, 2999 * 12 + 1, "its column in code points");
		is_int(f.stmts[2999].end_column, 2999 * 12 + 11, "its end column");
		is_int(f.stmts[3000].line, 2, "the next line");
		is_int(f.stmts[3000].column, 1, "starts at column 1");
	}
	int line, col;
	dg_sql_pos(&f, 4096 * 5 + 3, &line, &col);
	size_t cps = 0;
	for (size_t i = 0; i < 4096 * 5 + 3; i++)
		cps += ((unsigned char)b.ptr[i] & 0xc0) != 0x80;
	ok(line == 1 && (size_t)col == cps + 1, "dg_sql_pos near a mark: column %d, counted %zu", col, cps + 1);
	dg_buf_release(&b);
}

int main(void)
{
	dg_arena_init(&arena);
	test_create_table();
	test_alter_table();
	test_index_drop_rename();
	test_maintenance_and_locks();
	test_queries();
	test_other_kinds();
	test_function_body_ddl();
	test_split();
	test_deep();
	test_history();
	test_long_lines();
	dg_arena_release(&arena);
	return done();
}
