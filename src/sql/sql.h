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

struct dg_sql_origin;
struct dg_sql_note;
struct dg_sql_opaque;

/* Where a location of a file is, kept with its cached facts (see known_pos). */
struct dg_sql_known_pos {
	size_t offset;
	int line, column;
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
	/* Remarks on what was read but not linted (a psql meta-command, COPY data). */
	struct dg_sql_note *notes;
	size_t n_notes;
	/* SQL the file runs that ddlgate cannot read (dynamic EXECUTE in a DO block,
	   psql \gexec, a DO block in another language): opaque-sql findings */
	struct dg_sql_opaque *opaque;
	size_t n_opaque;
	/* Set when the SQL text is not the file itself but was made from another
	 * file (the SQL a Python migration runs): positions, lines and
	 * suppressions are the origin's. NULL for plain SQL. */
	const struct dg_sql_origin *origin;
	struct dg_sql_index *index; /* the file's own history, made by dg_sql_analyze (below) */
	size_t open_begin;         /* 1 + index of a BEGIN whose block the file leaves open (no runner), else 0 */
	/*
	 * A file rebuilt from cached facts without reading it (schema/facts.h):
	 * data is NULL, len its size, there is no line index, and dg_sql_pos
	 * answers from these positions of the locations the facts name (sorted
	 * by offset). NULL for a file whose text is here.
	 */
	const struct dg_sql_known_pos *known_pos;
	size_t n_known_pos;
};

/*
 * Bytes [sql, sql + len) of the SQL text came from the origin file at byte
 * offset `at`: byte for byte when exact (SQL written in a string literal),
 * else all of them from there (SQL a framework operation generates).
 */
struct dg_sql_span {
	size_t sql, len;
	size_t at;
	int exact;
	int group;                 /* the construct that made them (an operation); -1 none */
};

/* A suppression comment of the origin file: for one group, or file-wide. */
struct dg_sql_origin_ignore {
	struct dg_ignore ig;       /* line and column in the origin file */
	int group;                 /* statements of this group; -1 with ig.file_wide */
};

/* Something the origin runs whose SQL could not be read (opaque-sql). */
struct dg_sql_opaque {
	struct dg_stmt stmt;       /* where (offset into the SQL, positions), suppressions */
	const char *what;          /* "the SQL of op.execute() is an f-string" */
	const char *help;          /* the safe way for this one; NULL: the rule's own */
};

/* A remark about what was not modelled ("migrations.AlterModelTable not modelled"). */
struct dg_sql_note {
	int line;
	const char *message;
};

struct dg_sql_origin {
	const char *path;          /* the file findings name */
	const char *data;          /* its bytes (not owned) */
	size_t len;
	size_t *line_starts;       /* its line index */
	size_t n_lines;
	const struct dg_sql_span *spans; /* sorted by sql, not overlapping */
	size_t n_spans;
	const struct dg_sql_origin_ignore *ignores;
	size_t n_ignores;
	struct dg_sql_opaque *opaque;
	size_t n_opaque;
	const struct dg_sql_note *notes;
	size_t n_notes;
	/* help for a finding of `rule` on st in this origin's terms (NULL = the rule's own) */
	const char *(*help)(const struct dg_sql_file *f, const struct dg_stmt *st, const char *rule,
			    const char *dflt);
	void *cookie;              /* for help */
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
	/* 1 when the history before the file has this table (or view, matview) */
	int (*table_exists)(void *cookie, const struct dg_rel *table);
	/* 1 when an index of the table has this column among its keys */
	int (*column_indexed)(void *cookie, const struct dg_rel *table, const char *column);
	/* 1 when type name (schema may be NULL) is a domain with CHECK or NOT NULL constraints */
	int (*domain_constrained)(void *cookie, const char *schema, const char *name);
	/*
	 * The tables with a column of domain type (schema, name): cb is called
	 * once for each; the relation it gets lives as long as the schema.
	 */
	void (*domain_users)(void *cookie, const char *schema, const char *name,
			     void (*cb)(void *arg, const struct dg_rel *table), void *arg);
	/* The kind of constraint `name` of the table, DG_CON_NONE when unknown */
	enum dg_con_kind (*constraint_kind)(void *cookie, const struct dg_rel *table,
					    const char *name);
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
	DG_MARK_COLUMN_INDEXED,    /* an index (or PRIMARY KEY / UNIQUE) of r has key column col */
	DG_MARK_CONSTRAINT_FK,     /* ADD / CREATE ... constraint named col on r is a FOREIGN KEY */
	DG_MARK_CONSTRAINT_CHECK,  /* ... is a CHECK */
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
/*
 * Make f (just parsed from SQL that o maps) report in o's terms: statement
 * and suppression positions move to the origin file, the origin's
 * suppressions join the statements of their group, and dg_sql_pos /
 * dg_sql_line answer from it. Also fills o's line index when empty.
 */
void dg_sql_apply_origin(struct dg_arena *a, struct dg_sql_file *f, struct dg_sql_origin *o);
/* 1-based line and column (code points) of byte offset `offset` of the origin file. */
void dg_sql_origin_pos(struct dg_arena *a, struct dg_sql_origin *o, size_t offset, int *line,
		       int *column);
/* The span of f's origin that holds SQL offset off, or NULL (no origin, or a gap). */
const struct dg_sql_span *dg_sql_span_at(const struct dg_sql_file *f, size_t offset);

/*
 * Does a TimeZone value (SET TimeZone / SET TIME ZONE, as the facts keep
 * it) have a fixed offset of zero, so that PostgreSQL 12+ keeps the storage
 * of a timestamp <-> timestamptz change? 1 yes, 0 no (another zone), -1
 * when it cannot tell (NULL: DEFAULT, LOCAL, RESET).
 */
int dg_sql_timezone_is_utc(const char *value);

/* The PostgreSQL major version whose grammar ddlgate parses (libpg_query's). */
int dg_sql_grammar_version(void);

/* Is this type name (as dg_type.name holds it) one of PostgreSQL's own? */
int dg_sql_type_is_builtin(const char *name);

/* Is this built-in function volatile / stable / immutable? UNKNOWN if not built in. */
enum dg_volatility dg_sql_function_volatility(const char *name);

#endif
