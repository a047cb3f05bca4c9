/*
 * Fuzz target: the whole SQL path on arbitrary bytes. dg_lint_sql (parse,
 * lock model, every statement and file rule, suppressions) and then every
 * report format; plus dg_sql_parse/dg_sql_analyze directly, for the bytes
 * the engine refuses as binary or non-UTF-8. The target version and the
 * transaction mode vary with the input's length. Invariants on positions
 * abort, so a wrong line or column is a crash, not a silent pass. The
 * file's history (what rules ask of earlier statements) is queried for
 * every statement. Seeds of 10 KB and more reach deep trees. The runs of
 * the text (dg_prune_text_words, what a pruned history knows of a file it
 * does not parse) must hold the key of every name the file's replay looks
 * at, unless the file is needed whatever its runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/finding.h"
#include "report/report.h"
#include "rules/engine.h"
#include "schema/prune.h"
#include "schema/schema.h"
#include "sql/sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_stmts(const struct dg_sql_file *f, size_t size)
{
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *s = &f->stmts[i];
		if (s->offset > size || s->len > size - s->offset)
			abort();
		if (s->line < 1 || (size_t)s->line > f->n_lines || s->column < 1)
			abort();
		if (s->end_line < s->line || (s->end_line == s->line && s->end_column < s->column && s->len))
			abort();
		if (i && s->offset < f->stmts[i - 1].offset)
			abort(); /* statements in file order */
		if (s->kind == DG_STMT_ERROR && !s->error)
			abort();
		if (s->error_offset > (int)size)
			abort();
		if (s->text != f->data + s->offset)
			abort(); /* the statement's bytes in the file, not a copy */
	}
	for (size_t i = 0; i < f->n_ignores; i++)
		if (!f->ignores[i].rule || !*f->ignores[i].rule || f->ignores[i].line < 1 ||
		    (size_t)f->ignores[i].line > f->n_lines)
			abort();
}

static void check_findings(const struct dg_run *run, size_t n_lines)
{
	for (size_t i = 0; i < run->n_findings; i++) {
		const struct dg_finding *f = &run->findings[i];
		if (!f->rule || !f->message || f->severity == DG_OFF)
			abort();
		if (f->line < 0 || (size_t)f->line > n_lines)
			abort();
		if (f->line && (f->column < 1 || f->end_line < f->line ||
				(f->end_line == f->line && f->end_column < f->column)))
			abort();
	}
}

static int has_word(const struct dg_prune_words *w, uint64_t h)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i] == h)
			return 1;
	return 0;
}

/* A byte of a run (schema/prune.h: letters, digits, '$', non-ASCII). */
static int run_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '$' || c >= 0x80;
}

/* The key of the run [s, e) of sql, as a name would have it, is among the runs w. */
static void check_run_key(struct dg_arena *a, const struct dg_prune_words *w, const char *sql,
			  size_t s, size_t e)
{
	if (e <= s)
		return;
	struct dg_keyset one = { 0 };
	dg_keyset_add_name(&one, dg_strndup(a, sql + s, e - s));
	if (!one.overflow && one.n == 1 && !dg_prune_needed(w, &one))
		abort(); /* the text scanner and the name's key disagree */
	dg_keyset_release(&one);
}

/* The runs of the text: none hashed to 0 (the empty slot), and the first and the last as keys. */
static void check_runs(struct dg_arena *a, const struct dg_prune_words *w, const char *sql,
		       size_t size)
{
	for (size_t i = 0; i < w->n; i++)
		if (!w->v[i] || (w->n > 32 && i && w->v[i] <= w->v[i - 1]))
			abort(); /* a long list is sorted, each run once */
	size_t s = 0, e;
	while (s < size && !run_char((unsigned char)sql[s]))
		s++;
	for (e = s; e < size && run_char((unsigned char)sql[e]);)
		e++;
	check_run_key(a, w, sql, s, e);
	for (e = size; e > 0 && !run_char((unsigned char)sql[e - 1]);)
		e--;
	for (s = e; s > 0 && run_char((unsigned char)sql[s - 1]);)
		s--;
	check_run_key(a, w, sql, s, e);
}

/* The key of a name (0: it has none). */
static uint64_t key_of(const char *name)
{
	struct dg_keyset k = { 0 };
	uint64_t h = 0;
	dg_keyset_add_name(&k, name);
	for (size_t i = 0; i < k.cap && !h; i++)
		h = k.v[i];
	dg_keyset_release(&k);
	return h;
}

/*
 * Every key the replay of f looks at is a run of its text, or the file is
 * always needed. But "public": the schema of unqualified names, there
 * before any file (a file that changes it names it).
 */
static void check_prune(struct dg_arena *a, const struct dg_sql_file *f,
			const struct dg_prune_words *w)
{
	static uint64_t public;
	struct dg_keyset keys = { 0 };
	struct dg_schema *s = dg_schema_new(a);
	if (!public)
		public = key_of("public");
	s->final = s;
	dg_schema_set_probe(s, &keys);
	dg_schema_replay_file(s, f, NULL);
	if (!w->always && !keys.overflow)
		for (size_t i = 0; i < keys.cap; i++)
			if (keys.v[i] && keys.v[i] != public && !has_word(w, keys.v[i]))
				abort(); /* a pruned history would leave this file out, wrongly */
	dg_keyset_release(&keys);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct dg_config cfg;
	struct dg_run run;
	struct dg_lint_opts o = { 0 };
	const char *sql = (const char *)data;

	if (!sink)
		sink = fopen("/dev/null", "w");
	dg_config_init(&cfg);
	o.cfg = &cfg;
	o.pg_version = DG_PG_VERSION_MIN + (int)(size % (DG_PG_VERSION_MAX - DG_PG_VERSION_MIN + 1));
	o.tx = (enum dg_tx_mode)(size % 3);

	dg_run_init(&run);
	dg_error_clear();
	if (dg_lint_sql(&run, "fuzz.sql", sql, size, &o) < 0) {
		/* binary or not UTF-8: refused with a message naming file:line:col */
		if (strncmp(dg_last_error(), "fuzz.sql:", 9) || run.n_findings)
			abort();
	} else {
		size_t n_lines = 1;
		for (size_t i = 0; i < size; i++)
			n_lines += data[i] == '\n';
		check_findings(&run, n_lines);
		dg_run_sort(&run);
		struct dg_report_opts ro = { 1, "footer", 40 }; /* wrapping too */
		dg_report_write(sink, &run, DG_OUT_TEXT, &ro);
		dg_report_write(sink, &run, DG_OUT_JSON, &ro);
		dg_report_write(sink, &run, DG_OUT_SARIF, &ro);
		dg_report_write(sink, &run, DG_OUT_GITHUB, &ro);
	}
	dg_run_release(&run);

	/* the parser and the lock model alone, on any bytes */
	struct dg_arena a;
	struct dg_sql_file f;
	struct dg_sql_opts so = { 0 };
	so.pg_version = o.pg_version;
	so.tx = (enum dg_tx_default)(size % 3);
	dg_arena_init(&a);
	dg_sql_parse(&a, &f, "fuzz.sql", sql, size);
	dg_sql_analyze(&a, &f, &so);
	check_stmts(&f, size);
	for (size_t i = 0; i < f.n_stmts; i++) {
		const struct dg_stmt *st = &f.stmts[i];
		if (!i || st->line != f.stmts[i - 1].line) /* once per line: a long one is copied */
			(void)dg_sql_line(&a, &f, st->line);
		if (!st->rel)
			continue;
		int created;
		const struct dg_stmt *by = dg_sql_table_created_by(&f, st, st->rel);
		if (by && (by > st || by->kind != DG_STMT_CREATE_TABLE))
			abort(); /* a CREATE TABLE of the file, at or before st */
		if (dg_sql_table_is_new(&f, st, st->rel) != st->table_is_new)
			abort(); /* the rules' answer is the lock model's */
		(void)dg_sql_column_type(&f, st, st->rel, st->name ? st->name : "id", &created);
		(void)dg_sql_marked_before(&f, st, DG_MARK_DROP_OR_RENAME, st->rel, NULL);
	}
	struct dg_prune_words w;
	dg_prune_text_words(&a, sql, size, &w);
	check_runs(&a, &w, sql, size);
	check_prune(&a, &f, &w);
	dg_arena_release(&a);
	dg_config_release(&cfg);
	return 0;
}
