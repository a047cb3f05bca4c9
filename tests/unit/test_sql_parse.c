/* sql/parse.c: splitting, positions (lines, columns, ends), errors and suppression comments. */
#include <stdio.h>
#include <string.h>

#include "sql/sql.h"
#include "tap.h"

static struct dg_arena arena;

static struct dg_sql_file parse(const char *sql)
{
	struct dg_sql_file f;
	dg_sql_parse(&arena, &f, "t.sql", sql, strlen(sql));
	return f;
}

/* line:col-end_line:end_col of statement i, for compact comparisons */
static const char *span(const struct dg_sql_file *f, size_t i)
{
	if (i >= f->n_stmts)
		return "(none)";
	const struct dg_stmt *s = &f->stmts[i];
	return dg_sprintf(&arena, "%d:%d-%d:%d", s->line, s->column, s->end_line, s->end_column);
}

static void test_simple(void)
{
	struct dg_sql_file f = parse("SELECT 1;");
	is_int(f.n_stmts, 1, "one statement");
	is_str(span(&f, 0), "1:1-1:9", "end_column includes the ';'");
	is_str(dg_stmt_text(&arena, &f.stmts[0]), "SELECT 1;", "statement text includes the ';'");
	is_int(f.stmts[0].kind, DG_STMT_SELECT, "kind SELECT");

	f = parse("SELECT 1 ;");
	is_str(span(&f, 0), "1:1-1:10", "a ';' after a space is still included");

	f = parse("SELECT 1");
	is_int(f.n_stmts, 1, "no final ';'");
	is_str(span(&f, 0), "1:1-1:8", "end without ';' is the last character");

	f = parse("LOCK TABLE t -- tail\n/* more */\n-- ddlgate:ignore-file lock-table\n");
	is_str(span(&f, 0), "1:1-1:12", "last statement without ';' ends before the comments after it");
	is_str(dg_stmt_text(&arena, &f.stmts[0]), "LOCK TABLE t", "... and its text too");
	ok(f.n_ignores == 1 && f.ignores[0].file_wide, "an ignore-file after it is found");
	f = parse("SELEC 1;\nLOCK TABLE t /* c */ -- tail\n");
	is_str(span(&f, 1), "2:1-2:12", "the same through the per-statement path");
	f = parse("SELECT '--not a comment' -- real one\n");
	is_str(span(&f, 0), "1:1-1:24", "a '--' inside a string is no comment");
	f = parse("SELECT 1 /* inner */ + 2;");
	is_str(span(&f, 0), "1:1-1:25", "a comment inside a statement stays inside");

	f = parse("SELECT 1;\n\n\n");
	is_str(span(&f, 0), "1:1-1:9", "trailing blank lines are not part of the statement");
}

static void test_empty(void)
{
	struct dg_sql_file f = parse("");
	is_int(f.n_stmts, 0, "empty file: no statements");
	f = parse("-- only a comment\n/* and a block */\n\n");
	is_int(f.n_stmts, 0, "only comments: no statements");
	f = parse(";;\n;");
	is_int(f.n_stmts, 0, "only semicolons: no statements");
	f = parse("   \n\t\n");
	is_int(f.n_stmts, 0, "only whitespace: no statements");
}

static void test_comments_before(void)
{
	struct dg_sql_file f = parse("-- header\n\n/* block\n   comment */\n  CREATE TABLE t (id int);\n");
	is_int(f.n_stmts, 1, "one statement after comments");
	is_str(span(&f, 0), "5:3-5:26", "position skips comments and blank lines");
	is_str(dg_stmt_text(&arena, &f.stmts[0]), "CREATE TABLE t (id int);", "text excludes the leading comments");

	f = parse("SELECT 1; -- trailing\n-- next\nSELECT 2;\n");
	is_int(f.n_stmts, 2, "two statements");
	is_str(span(&f, 1), "3:1-3:9", "second statement after a trailing comment");

	f = parse("/* outer /* nested */ still comment */ SELECT 1;");
	is_str(span(&f, 0), "1:40-1:48", "nested block comments are skipped");
}

static void test_multiline(void)
{
	struct dg_sql_file f = parse("CREATE TABLE t (\n  id int\n);\nSELECT 1;\n");
	is_int(f.n_stmts, 2, "two statements");
	is_str(span(&f, 0), "1:1-3:2", "multi-line statement ends at its ';'");
	is_str(span(&f, 1), "4:1-4:9", "next statement");

	f = parse("SELECT 1; SELECT 2;SELECT 3;");
	is_int(f.n_stmts, 3, "three statements on one line");
	is_str(span(&f, 1), "1:11-1:19", "second on the same line");
	is_str(span(&f, 2), "1:20-1:28", "third without a space");
}

static void test_crlf(void)
{
	const char *sql = "-- c\r\n\r\nSELECT 1;\r\nCREATE TABLE t (\r\n  id int\r\n);\r\n";
	struct dg_sql_file f = parse(sql);
	is_int(f.n_stmts, 2, "CRLF: two statements");
	is_str(span(&f, 0), "3:1-3:9", "CRLF: right line, ';' included");
	is_str(span(&f, 1), "4:1-6:2", "CRLF: multi-line statement");
	is_str(dg_sql_line(&arena, &f, 3), "SELECT 1;", "CRLF: source line without '\\r'");
	is_str(dg_stmt_text(&arena, &f.stmts[1]), "CREATE TABLE t (\r\n  id int\r\n);", "CRLF: text as stored");
	/* the same through the per-statement path */
	f = parse("SELECT 1;\r\nSELEC 2;\r\n\r\nSELECT 3;\r\n");
	is_int(f.n_stmts, 3, "CRLF with an error: three statements");
	is_str(span(&f, 2), "4:1-4:9", "CRLF with an error: right line after it");
}

static void test_utf8_columns(void)
{
	/* 'é' is 2 bytes, '€' 3 bytes, '😀' 4 bytes: columns count code points */
	struct dg_sql_file f = parse("SELECT 'é€😀'; SELECT 2;");
	is_int(f.n_stmts, 2, "UTF-8: two statements");
	is_str(span(&f, 0), "1:1-1:13", "UTF-8: end column in code points");
	is_str(span(&f, 1), "1:15-1:23", "UTF-8: next column in code points");
	int line, col;
	dg_sql_pos(&f, strlen("SELECT 'é"), &line, &col);
	is_int(col, 10, "dg_sql_pos counts code points");
	/* an error after multi-byte text points at the right column */
	f = parse("SELECT 'ü' FRM t;");
	ok(f.n_stmts == 1 && f.stmts[0].kind == DG_STMT_ERROR, "UTF-8: syntax error found");
	if (f.n_stmts == 1) {
		dg_sql_pos(&f, (size_t)f.stmts[0].error_offset, &line, &col);
		is_int(col, 16, "UTF-8: error column (at 't') in code points");
	}
}

static void test_errors(void)
{
	struct dg_sql_file f = parse("SELECT 1;\nSELEC 2;\nCREATE INDEX i ON t (a);\n");
	is_int(f.n_stmts, 3, "error in the middle: three statements");
	if (f.n_stmts == 3) {
		is_int(f.stmts[0].kind, DG_STMT_SELECT, "before the error: parsed");
		is_int(f.stmts[1].kind, DG_STMT_ERROR, "the bad one is an error");
		ok(f.stmts[1].error && strstr(f.stmts[1].error, "syntax error"),
		   "PostgreSQL's message: %s", f.stmts[1].error ? f.stmts[1].error : "(null)");
		int line, col;
		dg_sql_pos(&f, (size_t)f.stmts[1].error_offset, &line, &col);
		is_int(line, 2, "error line");
		is_int(col, 1, "error column at 'SELEC'");
		is_int(f.stmts[2].kind, DG_STMT_CREATE_INDEX, "after the error: still parsed");
		is_str(span(&f, 2), "3:1-3:24", "after the error: position");
	}

	f = parse("CREATE TABLE t (id int,\n  x int,\n);\nDROP INDEX i;");
	ok(f.n_stmts == 2 && f.stmts[0].kind == DG_STMT_ERROR, "trailing comma: error");
	if (f.n_stmts == 2) {
		int line, col;
		dg_sql_pos(&f, (size_t)f.stmts[0].error_offset, &line, &col);
		ok(line == 3 && col == 1, "error at the ')' (3:1), got %d:%d", line, col);
		is_int(f.stmts[1].kind, DG_STMT_DROP, "statement after it parsed");
	}

	f = parse("CREATE INDEX i ON t (a);\nSELECT 'abc;\nCREATE INDEX j ON t (b);\n");
	ok(f.n_stmts >= 2, "unterminated string: statements found (%zu)", f.n_stmts);
	if (f.n_stmts >= 2) {
		is_int(f.stmts[0].kind, DG_STMT_CREATE_INDEX, "unterminated string: statement before it still parsed");
		const struct dg_stmt *e = &f.stmts[f.n_stmts - 1];
		is_int(e->kind, DG_STMT_ERROR, "unterminated string: an error");
		ok(e->error && strstr(e->error, "unterminated"), "message says unterminated: %s",
		   e->error ? e->error : "(null)");
		int line, col;
		dg_sql_pos(&f, (size_t)e->error_offset, &line, &col);
		ok(line == 2 && col == 8, "unterminated string at 2:8, got %d:%d", line, col);
	}

	f = parse("SELECT 1;\n/* never closed\nSELECT 2;");
	ok(f.n_stmts >= 1 && f.stmts[f.n_stmts - 1].kind == DG_STMT_ERROR,
	   "unterminated comment: an error");
	ok(f.n_stmts >= 2 && f.stmts[0].kind == DG_STMT_SELECT,
	   "unterminated comment: statement before it parsed");

	f = parse("SELECT $$ never closed");
	ok(f.n_stmts == 1 && f.stmts[0].kind == DG_STMT_ERROR, "unterminated dollar quote: error");

	const char nul[] = "SELECT 1;\nSELECT\0 2;";
	dg_sql_parse(&arena, &f, "t.sql", nul, sizeof(nul) - 1);
	ok(f.n_stmts >= 1 && f.stmts[f.n_stmts - 1].kind == DG_STMT_ERROR, "NUL byte: an error");
	if (f.n_stmts >= 1)
		is_int(f.stmts[f.n_stmts - 1].error_offset, 16, "NUL byte: offset of the NUL");
}

/* The whole-file fast path and the per-statement path give the same facts. */
static void test_fast_and_fallback_agree(void)
{
	const char *good =
		"-- ddlgate:ignore lock-table reason\n"
		"LOCK TABLE t;\r\n"
		"/* c */ CREATE TABLE \"Ünï\" (\n  id bigint PRIMARY KEY\n) ;\n"
		"\n"
		"ALTER TABLE a ADD COLUMN b int DEFAULT random();  -- tail\n"
		"CREATE INDEX CONCURRENTLY i ON t (a) WHERE a > 0;\n";
	char bad[1024];
	snprintf(bad, sizeof(bad), "%sSELEC oops;\n", good);
	struct dg_sql_file f1 = parse(good), f2 = parse(bad);
	is_int(f1.n_stmts, 4, "fast path: four statements");
	is_int(f2.n_stmts, 5, "fallback: four statements and the error");
	for (size_t i = 0; i < f1.n_stmts && i < f2.n_stmts; i++) {
		const struct dg_stmt *a = &f1.stmts[i], *b = &f2.stmts[i];
		ok(a->kind == b->kind && a->offset == b->offset && a->len == b->len,
		   "statement %zu: same kind and extent (%d/%d, %zu+%zu / %zu+%zu)", i, a->kind,
		   b->kind, a->offset, a->len, b->offset, b->len);
		is_str(span(&f2, i), span(&f1, i), "same span in both paths");
		ok(a->n_ignored == b->n_ignored, "statement %zu: same suppressions", i);
		ok((a->rel == NULL) == (b->rel == NULL) &&
		   (!a->rel || !strcmp(a->rel->name, b->rel->name)), "statement %zu: same relation", i);
	}
	if (f1.n_stmts == 4) {
		is_str(f1.stmts[1].rel->name, "Ünï", "quoted identifier kept as written");
		is_str(span(&f1, 1), "3:9-5:3", "statement after a block comment, ' ;' end");
		const struct dg_cmd *c = f1.stmts[2].n_cmds ? &f1.stmts[2].cmds[0] : NULL;
		ok(c && c->coldef && c->coldef->default_volatility == DG_VOL_VOLATILE,
		   "random() default is volatile");
		int line = 0, col = 0;
		if (c)
			dg_sql_pos(&f1, (size_t)c->location, &line, &col);
		ok(line == 7 && col == 26, "ADD COLUMN location 7:26, got %d:%d", line, col);
		ok(f1.stmts[3].concurrently && f1.stmts[3].index && f1.stmts[3].index->where,
		   "CREATE INDEX CONCURRENTLY ... WHERE facts");
	}
	if (f2.n_stmts == 5) {
		ok(f2.stmts[2].n_cmds && f2.stmts[2].cmds[0].location == f1.stmts[2].cmds[0].location,
		   "fallback: clause locations are file offsets too");
	}
}

static void test_suppressions(void)
{
	struct dg_sql_file f = parse("-- ddlgate:ignore lock-table reason here\nLOCK TABLE t;\nLOCK TABLE u;\n");
	is_int(f.n_stmts, 2, "two statements");
	is_int(f.n_ignores, 1, "one suppression recorded");
	if (f.n_ignores == 1) {
		is_str(f.ignores[0].rule, "lock-table", "its rule");
		is_int(f.ignores[0].line, 1, "its line");
		is_int(f.ignores[0].column, 19, "its column (of the rule id)");
		is_int(f.ignores[0].file_wide, 0, "not file-wide");
	}
	ok(f.stmts[0].n_ignored == 1 && !strcmp(f.stmts[0].ignored[0], "lock-table"),
	   "the next statement carries it");
	is_int(f.stmts[0].ignore_line, 1, "ignore_line");
	is_int(f.stmts[1].n_ignored, 0, "the statement after does not");

	f = parse("SELECT 1;\n-- ddlgate:ignore a-rule,b_rule , c reason, not-a-rule\n\nSELECT 2;");
	is_int(f.n_ignores, 3, "a list of three");
	ok(f.n_stmts == 2 && f.stmts[1].n_ignored == 3, "all three on the statement");
	if (f.n_ignores == 3) {
		is_str(f.ignores[1].rule, "b_rule", "second of the list");
		is_str(f.ignores[2].rule, "c", "third of the list (spaces around ',')");
		is_int(f.ignores[2].column, 35, "third's column");
	}
	is_int(f.stmts[0].n_ignored, 0, "a comment after a statement belongs to the next one");

	f = parse("-- ddlgate:ignore-file lock-table, prefer-bigint\nLOCK TABLE t;\n");
	is_int(f.n_ignores, 2, "ignore-file list");
	ok(f.n_ignores == 2 && f.ignores[0].file_wide && f.ignores[1].file_wide, "file-wide");
	is_int(f.stmts[0].n_ignored, 0, "file-wide ones are not statement suppressions");

	f = parse("SELECT 1;\n-- ddlgate:ignore-file lock-table\n");
	ok(f.n_ignores == 1 && f.ignores[0].file_wide && f.ignores[0].line == 2,
	   "ignore-file after the last statement is still found");

	f = parse("/* ddlgate:ignore lock-table */ LOCK TABLE t;");
	ok(f.n_stmts == 1 && f.stmts[0].n_ignored == 1, "suppression in a block comment");

	f = parse("-- ddlgate:ignored lock-table\n-- ddlgate:ignore\nLOCK TABLE t;");
	is_int(f.n_ignores, 0, "'ddlgate:ignored' and a bare marker name nothing");

	f = parse("SELECT 'ddlgate:ignore lock-table';\nLOCK TABLE t;");
	is_int(f.stmts[1].n_ignored, 0, "a marker inside a string literal is no suppression");

	/* through the per-statement path */
	f = parse("SELEC 1;\n-- ddlgate:ignore lock-table\nLOCK TABLE t;\n-- ddlgate:ignore-file all\n");
	ok(f.n_stmts == 2 && f.stmts[1].n_ignored == 1, "fallback: suppression before a statement");
	ok(f.n_ignores == 2 && f.ignores[1].file_wide, "fallback: trailing ignore-file found");
}

static void test_facts(void)
{
	struct dg_sql_file f = parse(
		"BEGIN; START TRANSACTION; COMMIT; END; ROLLBACK; SAVEPOINT s; "
		"ROLLBACK TO SAVEPOINT s; SET lock_timeout = '2s'; VACUUM FULL a, b; "
		"CLUSTER t USING i; LOCK a, b IN SHARE MODE; DROP INDEX CONCURRENTLY x;");
	const enum dg_stmt_kind want[] = {
		DG_STMT_BEGIN, DG_STMT_BEGIN, DG_STMT_COMMIT, DG_STMT_COMMIT, DG_STMT_ROLLBACK,
		DG_STMT_SAVEPOINT, DG_STMT_SAVEPOINT, DG_STMT_SET, DG_STMT_VACUUM, DG_STMT_CLUSTER,
		DG_STMT_LOCK, DG_STMT_DROP,
	};
	is_int(f.n_stmts, DG_ARRAY_SIZE(want), "statement count");
	for (size_t i = 0; i < f.n_stmts && i < DG_ARRAY_SIZE(want); i++)
		ok(f.stmts[i].kind == want[i], "kind of statement %zu (%s): %d", i, dg_stmt_text(&arena, &f.stmts[i]),
		   f.stmts[i].kind);
	if (f.n_stmts == DG_ARRAY_SIZE(want)) {
		is_str(f.stmts[7].value, "2s", "SET value");
		ok(f.stmts[8].full && f.stmts[8].n_rels == 2, "VACUUM FULL a, b");
		ok(dg_stmt_rare(&f.stmts[10])->lock_mode == DG_LOCK_SHARE && f.stmts[10].n_rels == 2, "LOCK mode and tables");
		ok(f.stmts[11].concurrently && f.stmts[11].object == DG_OBJ_INDEX, "DROP INDEX CONCURRENTLY");
	}
	f = parse("LOCK TABLE t;");
	is_int(dg_stmt_rare(&f.stmts[0])->lock_mode, DG_LOCK_ACCESS_EXCLUSIVE, "LOCK default mode");
}

int main(void)
{
	dg_arena_init(&arena);
	test_simple();
	test_empty();
	test_comments_before();
	test_multiline();
	test_crlf();
	test_utf8_columns();
	test_errors();
	test_fast_and_fallback_agree();
	test_suppressions();
	test_facts();
	dg_arena_release(&arena);
	return done();
}
