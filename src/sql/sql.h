/*
 * The SQL stage: split a file into statements with libpg_query, turn each
 * parse tree into ddlgate's statement facts (stmt.h), and run the lock
 * model over the file (which locks, rewrites, scans; transaction state).
 */
#ifndef DG_SQL_H
#define DG_SQL_H

#include <stddef.h>

#include "core/core.h"
#include "sql/stmt.h"

struct dg_sql_index;

/* A suppression comment naming a rule; checked by the engine. */
struct dg_ignore {
	const char *rule;
	int line, column;
	int file_wide;             /* ddlgate:ignore-file */
	size_t offset;             /* byte offset of the rule id */
};

struct dg_sql_file {
	const char *path;
	const char *data;          /* the file as stored (not owned) */
	size_t len;
	struct dg_stmt *stmts;
	size_t n_stmts;
	size_t *line_starts;       /* byte offset of every line start */
	size_t n_lines;
	unsigned *col_marks;       /* internal (pos.c): columns at fixed byte steps, for long lines */
	struct dg_ignore *ignores; /* every ddlgate:ignore / ignore-file comment */
	size_t n_ignores;
	int has_ddl_in_bodies;     /* DO blocks / functions with DDL the model cannot follow */
	struct dg_sql_index *index; /* the file's own history, made by dg_sql_analyze (below) */
};

enum dg_tx_default {
	DG_TXD_AUTO = 0,           /* as written: only explicit BEGIN opens a block */
	DG_TXD_YES,                /* the runner wraps the whole file in a transaction */
	DG_TXD_NO,
};

/*
 * What the lock model may ask about the schema as it stood before this
 * file (the schema stage replays the migration history and answers).
 * Within one file the model follows CREATE/ALTER TABLE itself; these
 * hooks only fill in what earlier files did. Any of them may be NULL.
 */
struct dg_sql_schema_hooks {
	void *cookie;
	/* the column's type before this file, or NULL when unknown */
	const struct dg_type *(*column_type)(void *cookie, const struct dg_rel *table,
					     const char *column);
	/* 1 when a validated CHECK (column IS NOT NULL) exists on the table */
	int (*not_null_proven)(void *cookie, const struct dg_rel *table, const char *column);
};

struct dg_sql_opts {
	int pg_version;            /* target server major version (10..18) */
	enum dg_tx_default tx;
	const struct dg_sql_schema_hooks *schema; /* NULL: nothing known before the file */
};

/*
 * Split and parse data. Never fails on bad SQL: a rejected statement
 * becomes a DG_STMT_ERROR fact. All memory lives in the arena; data must
 * outlive the file. A NUL byte in data is a parse error at its position.
 */
void dg_sql_parse(struct dg_arena *a, struct dg_sql_file *out, const char *path,
		  const char *data, size_t len);

/* The lock model: fills in_transaction, table_is_new, locks, rewrites, scans. */
void dg_sql_analyze(struct dg_arena *a, struct dg_sql_file *f, const struct dg_sql_opts *o);

/*
 * What the file itself says, as of one of its statements (st; NULL: its
 * end). Answered from the history dg_sql_analyze records, so each is a
 * hash lookup, never a rescan of the file.
 */
/* Was r created earlier in the file than st (and not dropped since)? */
int dg_sql_table_is_new(const struct dg_sql_file *f, const struct dg_stmt *st, const struct dg_rel *r);
/*
 * The type the file gives column col of r up to st included (CREATE
 * TABLE, ADD COLUMN, ALTER TYPE, RENAME COLUMN; since r's last CREATE
 * TABLE), or NULL; *created (may be NULL): the file creates r up to st.
 */
const struct dg_type *dg_sql_column_type(const struct dg_sql_file *f, const struct dg_stmt *st,
					 const struct dg_rel *r, const char *col, int *created);
/* Other things rules ask of a file's earlier statements. */
enum dg_sql_mark {
	DG_MARK_INDEX_CREATED,     /* CREATE INDEX named r->name (schema ignored) */
	DG_MARK_NULLABILITY,       /* ALTER TABLE r: DROP NOT NULL / DROP COLUMN / ADD COLUMN col */
	DG_MARK_DROP_OR_RENAME,    /* DROP or RENAME of anything whose main relation is r */
};
/* Did a statement of f before st (NULL: any) leave that mark on r (and column col)? */
int dg_sql_marked_before(const struct dg_sql_file *f, const struct dg_stmt *st, enum dg_sql_mark mark,
			 const struct dg_rel *r, const char *col);
/* The file's last CREATE TABLE of r up to st included, or NULL. */
const struct dg_stmt *dg_sql_table_created_by(const struct dg_sql_file *f, const struct dg_stmt *st,
					      const struct dg_rel *r);

/* 1-based line and column (in bytes) of a byte offset. */
void dg_sql_pos(const struct dg_sql_file *f, size_t offset, int *line, int *column);
/* The text of a 1-based line without its newline (arena copy). */
const char *dg_sql_line(struct dg_arena *a, const struct dg_sql_file *f, int line);

/* The PostgreSQL major version whose grammar ddlgate parses (libpg_query's). */
int dg_sql_grammar_version(void);

/* Is this built-in function volatile / stable / immutable? UNKNOWN if not built in. */
enum dg_volatility dg_sql_function_volatility(const char *name);

#endif
