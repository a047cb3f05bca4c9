/*
 * Statement facts: ddlgate's own description of a SQL statement. Only
 * src/sql/ sees libpg_query's tree; every later stage (the lock model's
 * consumers, schema replay, rules) reads these facts instead.
 */
#ifndef DG_SQL_STMT_H
#define DG_SQL_STMT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"

/* Lock modes in PostgreSQL's order of strength; names as pg_locks.mode shows. */
enum dg_lockmode {
	DG_LOCK_NONE = 0,
	DG_LOCK_ACCESS_SHARE,
	DG_LOCK_ROW_SHARE,
	DG_LOCK_ROW_EXCLUSIVE,
	DG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	DG_LOCK_SHARE,
	DG_LOCK_SHARE_ROW_EXCLUSIVE,
	DG_LOCK_EXCLUSIVE,
	DG_LOCK_ACCESS_EXCLUSIVE,
};

const char *dg_lockmode_name(enum dg_lockmode m);      /* "AccessExclusiveLock" */
const char *dg_lockmode_sql(enum dg_lockmode m);       /* "ACCESS EXCLUSIVE" */
int dg_lockmode_blocks_reads(enum dg_lockmode m);      /* conflicts with SELECT */
int dg_lockmode_blocks_writes(enum dg_lockmode m);     /* conflicts with INSERT/UPDATE/DELETE */
int dg_lockmode_conflicts(enum dg_lockmode a, enum dg_lockmode b);

/* A relation as the SQL named it, folded as PostgreSQL folds identifiers. */
struct dg_rel {
	const char *schema;        /* NULL when unqualified */
	const char *name;
};
/* "schema.name" or "name", in the arena. */
const char *dg_rel_display(struct dg_arena *a, const struct dg_rel *r);
int dg_rel_equal(const struct dg_rel *a, const struct dg_rel *b);

enum dg_volatility {
	DG_VOL_NONE = 0,           /* no expression */
	DG_VOL_IMMUTABLE,
	DG_VOL_STABLE,
	DG_VOL_VOLATILE,
	DG_VOL_UNKNOWN,            /* calls a function ddlgate does not know: treated as volatile */
};

/* A type as written: name folded, schema-less for built-ins ("int4", "text"). */
struct dg_type {
	const char *name;          /* canonical: int2 int4 int8 serial bigserial smallserial text varchar numeric ... */
	const char *display;       /* as the user would write it: "integer", "varchar(20)" */
	int mods[2];               /* type modifiers (varchar length, numeric precision/scale); -1 = none */
	int n_mods;
	int array;                 /* int[] */
};

enum dg_con_kind {
	DG_CON_NONE = 0,
	DG_CON_CHECK,
	DG_CON_NOT_NULL,
	DG_CON_NULL,
	DG_CON_DEFAULT,
	DG_CON_UNIQUE,
	DG_CON_PRIMARY,
	DG_CON_FOREIGN,
	DG_CON_EXCLUSION,
	DG_CON_IDENTITY,
	DG_CON_GENERATED,
};
/* The last kind (the facts cache, schema/facts.c, takes no other): keep it the last. */
#define DG_CON_KIND_LAST DG_CON_GENERATED

/* A constraint, inline on a column or at table level (fields grouped by size: no padding). */
struct dg_constraint {
	const char *name;          /* NULL when unnamed */
	const char **columns;      /* UNIQUE/PK/FK local columns (table-level form) */
	size_t n_columns;
	struct dg_rel ref_table;   /* FK */
	const char **ref_columns;  /* FK: NULL/0 = the referenced primary key */
	size_t n_ref_columns;
	const char *using_index;   /* ADD CONSTRAINT ... USING INDEX name */
	const char *not_null_column; /* CHECK (col IS NOT NULL): which column */
	const char *expr;          /* CHECK / DEFAULT / GENERATED expression text */
	const char *volatile_func; /* the (first) volatile or unknown function called */
	enum dg_con_kind kind;
	enum dg_volatility volatility; /* DEFAULT / GENERATED expression */
	int location;              /* byte offset in the statement's file, -1 if none */
	bool not_valid;             /* NOT VALID (skip_validation) */
	bool generated_stored;
};

/* A column as declared (fields grouped by size: a big file has one per column it names). */
struct dg_column {
	const char *name;
	struct dg_type type;
	const char *default_expr;
	const char *volatile_func;
	struct dg_constraint *fk;  /* inline REFERENCES, NULL when none */
	const char *collation;
	struct dg_rel default_seq; /* DEFAULT nextval('seq'): the sequence; name NULL when none */
	enum dg_volatility default_volatility;
	int location;
	bool not_null;
	bool primary_key;
	bool unique;
	bool identity;              /* GENERATED ... AS IDENTITY */
	bool generated_stored;      /* GENERATED ALWAYS AS (...) STORED */
	bool has_default;
	bool has_check;             /* an inline CHECK constraint */
};

enum dg_cmd_kind {
	DG_CMD_OTHER = 0,
	DG_CMD_ADD_COLUMN,
	DG_CMD_DROP_COLUMN,
	DG_CMD_ALTER_TYPE,
	DG_CMD_SET_NOT_NULL,
	DG_CMD_DROP_NOT_NULL,
	DG_CMD_SET_DEFAULT,
	DG_CMD_DROP_DEFAULT,
	DG_CMD_ADD_CONSTRAINT,
	DG_CMD_VALIDATE_CONSTRAINT,
	DG_CMD_DROP_CONSTRAINT,
	DG_CMD_SET_LOGGED,
	DG_CMD_SET_UNLOGGED,
	DG_CMD_SET_TABLESPACE,
	DG_CMD_SET_OPTIONS,
	DG_CMD_RESET_OPTIONS,
	DG_CMD_SET_STATISTICS,
	DG_CMD_SET_STORAGE,
	DG_CMD_ENABLE_TRIGGER,
	DG_CMD_DISABLE_TRIGGER,
	DG_CMD_ATTACH_PARTITION,
	DG_CMD_DETACH_PARTITION,
	DG_CMD_ADD_IDENTITY,
	DG_CMD_DROP_IDENTITY,
	DG_CMD_OWNER,
	DG_CMD_CLUSTER_ON,
	DG_CMD_ENABLE_RLS,
	DG_CMD_DISABLE_RLS,
	DG_CMD_INHERIT,
	DG_CMD_REPLICA_IDENTITY,
	DG_CMD_SET_WITHOUT_CLUSTER, /* SET WITHOUT CLUSTER: only pg_index flags change */
};
#define DG_CMD_KIND_LAST DG_CMD_SET_WITHOUT_CLUSTER /* as DG_CON_KIND_LAST */

/* One ALTER TABLE sub-command (fields grouped by size: no padding). */
struct dg_cmd {
	const char *column;        /* column named by the command */
	const char *name;          /* constraint / trigger / tablespace / index name */
	struct dg_column *coldef;  /* ADD COLUMN: the column; ALTER TYPE: column with the new type */
	struct dg_constraint *con; /* ADD CONSTRAINT */
	struct dg_rel part;        /* ATTACH / DETACH PARTITION */
	enum dg_cmd_kind kind;
	int has_using;             /* ALTER TYPE ... USING */
	int location;
	/* filled by the lock model */
	int rewrites;              /* this sub-command rewrites the table */
	int tz_rewrite;            /* ... only when the session TimeZone is not UTC (PG 12+
				      timestamp <-> timestamptz; rewrites is set too) */
	int rebuilds_index;        /* ALTER TYPE keeps the table but rebuilds the column's indexes */
	int domain_rewrite;        /* ADD COLUMN: rewrites because its type is a domain with constraints */
	int scans;                 /* this sub-command scans the table under its lock */
	enum dg_lockmode lock;     /* the lock this sub-command needs on the table */
	bool concurrently;          /* DETACH PARTITION CONCURRENTLY */
	bool if_exists;
	bool cascade;
};

struct dg_index_elem {
	const char *column;        /* NULL for an expression */
	const char *expr;          /* expression text when column is NULL */
};

struct dg_index {
	const char *name;          /* NULL when the server will choose */
	struct dg_rel table;
	bool unique;
	bool concurrently;
	bool if_not_exists;
	const char *method;        /* "btree" unless USING says otherwise */
	struct dg_index_elem *elems;
	size_t n_elems;
	const char *where;         /* partial index predicate text, NULL when full */
};

enum dg_stmt_kind {
	DG_STMT_OTHER = 0,
	DG_STMT_ERROR,             /* the parser rejected it */
	DG_STMT_BEGIN,
	DG_STMT_COMMIT,
	DG_STMT_ROLLBACK,
	DG_STMT_SAVEPOINT,
	DG_STMT_SET,               /* SET / SET LOCAL / RESET */
	DG_STMT_CREATE_TABLE,
	DG_STMT_CREATE_TABLE_AS,
	DG_STMT_ALTER_TABLE,
	DG_STMT_CREATE_INDEX,
	DG_STMT_DROP,              /* DROP TABLE / INDEX / VIEW / ...: see drop_kind */
	DG_STMT_RENAME,            /* ALTER ... RENAME: see rename_kind */
	DG_STMT_REINDEX,
	DG_STMT_VACUUM,
	DG_STMT_ANALYZE,
	DG_STMT_CLUSTER,
	DG_STMT_LOCK,
	DG_STMT_TRUNCATE,
	DG_STMT_INSERT,
	DG_STMT_UPDATE,
	DG_STMT_DELETE,
	DG_STMT_SELECT,
	DG_STMT_CREATE_VIEW,
	DG_STMT_CREATE_MATVIEW,
	DG_STMT_REFRESH_MATVIEW,
	DG_STMT_CREATE_TRIGGER,
	DG_STMT_CREATE_FUNCTION,
	DG_STMT_DO,
	DG_STMT_CREATE_TYPE,
	DG_STMT_ALTER_TYPE,        /* ALTER TYPE ... ADD VALUE etc. */
	DG_STMT_CREATE_SCHEMA,
	DG_STMT_CREATE_SEQUENCE,
	DG_STMT_ALTER_SEQUENCE,
	DG_STMT_CREATE_EXTENSION,
	DG_STMT_COMMENT,
	DG_STMT_GRANT,
	DG_STMT_COPY,
	DG_STMT_DROP_DATABASE,
	DG_STMT_CREATE_DOMAIN,
	DG_STMT_ALTER_DOMAIN,
};
#define DG_STMT_KIND_LAST DG_STMT_ALTER_DOMAIN /* as DG_CON_KIND_LAST */

/* ALTER DOMAIN sub-forms ddlgate tells apart. */
enum dg_domain_cmd {
	DG_DOM_OTHER = 0,
	DG_DOM_ADD_CONSTRAINT,     /* ADD CONSTRAINT ... CHECK / NOT NULL */
	DG_DOM_VALIDATE,           /* VALIDATE CONSTRAINT */
	DG_DOM_SET_NOT_NULL,
	DG_DOM_DROP_NOT_NULL,
	DG_DOM_DROP_CONSTRAINT,
};
#define DG_DOM_CMD_LAST DG_DOM_DROP_CONSTRAINT /* as DG_CON_KIND_LAST */

enum dg_object_kind {
	DG_OBJ_OTHER = 0,
	DG_OBJ_TABLE,
	DG_OBJ_INDEX,
	DG_OBJ_VIEW,
	DG_OBJ_MATVIEW,
	DG_OBJ_SEQUENCE,
	DG_OBJ_COLUMN,
	DG_OBJ_CONSTRAINT,
	DG_OBJ_SCHEMA,
	DG_OBJ_TYPE,
	DG_OBJ_FUNCTION,
	DG_OBJ_TRIGGER,
	DG_OBJ_EXTENSION,
	DG_OBJ_DATABASE,           /* REINDEX DATABASE */
	DG_OBJ_SYSTEM,             /* REINDEX SYSTEM */
};
#define DG_OBJ_KIND_LAST DG_OBJ_SYSTEM /* as DG_CON_KIND_LAST */

/* CREATE TABLE (LIKE t INCLUDING ...): what the copy takes beyond columns. */
#define DG_LIKE_INDEXES 1u         /* indexes, PRIMARY KEY / UNIQUE / EXCLUDE constraints */
#define DG_LIKE_CONSTRAINTS 2u     /* CHECK constraints */

struct dg_lock {
	struct dg_rel rel;
	enum dg_lockmode mode;
};

/* An identifier of the statement longer than PostgreSQL keeps (63 bytes). */
struct dg_long_ident {
	size_t offset, len;        /* in the file: the word, or the quoted identifier with its quotes */
	size_t bytes;              /* its length as PostgreSQL sees it ("" unescaped) */
};

/*
 * Facts only some statements have (CREATE TABLE's PARTITION OF and LIKE,
 * domains, LOCK's mode, COPY's direction, data-modifying WITH targets,
 * identifiers too long, a DO block's body): apart from struct dg_stmt and
 * made on first write, so that the statements without them (nearly all of
 * a big file's) do not carry their room. Read with dg_stmt_rare.
 */
struct dg_stmt_rare {
	struct dg_rel partition_of;/* CREATE TABLE ... PARTITION OF parent */
	struct dg_rel domain;      /* CREATE / ALTER DOMAIN: the domain */
	struct dg_constraint *con; /* ALTER DOMAIN ADD CONSTRAINT: the constraint */
	const char *like_table;    /* CREATE TABLE (LIKE other) : first LIKE, display */
	struct dg_rel *likes;      /* n_likes */
	unsigned *like_options;    /* per LIKE: DG_LIKE_* flags (INCLUDING ...) */
	struct dg_rel *writes;     /* targets of data-modifying WITH queries (WITH d AS (DELETE ...)): n_writes */
	struct dg_long_ident *long_idents; /* identifiers PostgreSQL truncates: n_long_idents */
	size_t body_offset;        /* DO: file offset of its body's first byte */
	enum dg_domain_cmd domain_cmd; /* ALTER DOMAIN: what it does */
	enum dg_lockmode lock_mode;/* LOCK TABLE mode */
	unsigned n_likes, n_writes, n_long_idents;
	bool copy_from;             /* COPY ... FROM (else COPY ... TO) */
	bool domain_constrained;    /* CREATE DOMAIN with a CHECK or NOT NULL constraint */
	bool body_exact;            /* DO: the body is dollar-quoted (its bytes are the file's) */
};

/*
 * A statement and its facts. Byte offsets are into the file as stored.
 * A big file has one per statement, all kept until its findings are
 * made: fields are grouped by size (pointers, then 4-byte ints and
 * counts, then 1-byte flags) so that none pads, and counts are unsigned
 * (a statement never names 2^32 things).
 */
struct dg_stmt {
	size_t offset, len;        /* the statement's bytes, leading comments excluded */
	const char *text;          /* the statement's len bytes in the file's data: not
				      NUL-terminated (a copy per statement doubled a big
				      file's memory); dg_stmt_text for a C string */

	/* parse error (kind == DG_STMT_ERROR) */
	const char *error;         /* PostgreSQL's message */

	struct dg_rel *rel;        /* the main relation (ALTER/CREATE TABLE, index table, UPDATE target ...) */
	struct dg_rel *rels;       /* every relation named (DROP a, b; VACUUM a, b; LOCK a, b; TRUNCATE): n_rels */

	const char *name;          /* object name: dropped index, renamed column, SET variable ... */
	const char *new_name;      /* RENAME TO */
	const char *value;         /* SET value text */
	struct dg_stmt_rare *rare; /* facts few statements have; NULL: none (dg_stmt_rare) */

	struct dg_column *columns; /* CREATE TABLE columns: n_columns */
	struct dg_constraint *constraints; /* CREATE TABLE table-level constraints: n_constraints */
	struct dg_cmd *cmds;       /* ALTER TABLE sub-commands: n_cmds */
	struct dg_index *index;    /* CREATE INDEX */
	const char *body;          /* DO / CREATE FUNCTION body text */
	const char *language;
	struct dg_rel *reads;      /* relations a query part reads (SELECT, INSERT ... SELECT,
				      UPDATE ... FROM, views, CREATE TABLE AS): n_reads */

	/* ---- statements a DO block runs (sql/body.c) ---- */
	size_t body_of;            /* 1 + the index of the DO statement whose body holds it; 0: top level */

	/* ---- filled by the lock model (sql/locks.c) ---- */
	struct dg_lock *locks;     /* n_locks */
	/* every lock its transaction holds once it has run (earlier statements' too);
	   NULL when that is just `locks`: n_held */
	struct dg_lock *held;
	struct dg_rel *rewrites;   /* n_rewrites */
	struct dg_rel *tz_rewrites;  /* those of rewrites PostgreSQL 12+ skips when TimeZone is UTC */
	struct dg_rel *index_rebuilds; /* tables whose indexes it rebuilds without rewriting the table */
	struct dg_rel *scans;      /* n_scans */
	const char *note;          /* model remark ("unknown function f() treated as volatile") */

	/* ---- suppression ---- */
	const char **ignored;      /* rule ids from a ddlgate:ignore comment before it: n_ignored */

	/* ---- 4 bytes each ---- */
	enum dg_stmt_kind kind;
	int line, column;          /* 1-based start */
	int end_line, end_column;  /* 1-based, inclusive last character */
	int error_offset;          /* byte offset of the fault in the file, -1 if unknown */
	enum dg_object_kind object;  /* DROP / RENAME / COMMENT target kind */
	unsigned tx;               /* the transaction it runs in: 1, 2, ... (0: a statement of its own) */
	int ignore_line;           /* line of the ddlgate:ignore comment, 0 if none */
	unsigned n_rels, n_columns, n_constraints, n_cmds, n_reads;
	unsigned n_locks, n_held, n_rewrites, n_tz_rewrites, n_index_rebuilds;
	unsigned n_scans, n_ignored;

	/* ---- flags, one byte each; the last three of the first group are
	 * filled by the lock model ---- */
	bool is_local;              /* SET LOCAL */
	bool concurrently;
	bool if_exists;
	bool if_not_exists;
	bool cascade;
	bool full;                  /* VACUUM FULL */
	bool has_where;             /* UPDATE / DELETE with a WHERE clause */
	bool is_temp;               /* CREATE TEMP TABLE */
	bool is_unlogged;
	bool is_partitioned;        /* CREATE TABLE ... PARTITION BY */
	bool with_no_data;          /* CREATE MATERIALIZED VIEW ... WITH NO DATA */
	bool body_has_ddl;          /* the body contains DDL the model cannot follow */
	bool row_locking;           /* SELECT ... FOR UPDATE / SHARE */
	bool in_transaction;        /* runs inside a transaction block */
	bool implicit_transaction;  /* ... because the migration runner wraps the file */
	bool table_is_new;          /* main relation created earlier in this file */
	bool body_dynamic;          /* from EXECUTE of a constant string in that body */
	signed char begin_nested;   /* BEGIN: 1 inside an explicit block, 2 inside the runner's
				       transaction (lock model) */
	signed char tz_utc;         /* the session TimeZone when it runs: 1 UTC, -1 another,
				       0 unknown (lock model) */
};

/* All zero: the rare facts of a statement that has none. */
extern const struct dg_stmt_rare dg_stmt_no_rare;

/* The rare facts of st (all zero when it has none); never NULL. */
static inline const struct dg_stmt_rare *dg_stmt_rare(const struct dg_stmt *st)
{
	return st->rare ? st->rare : &dg_stmt_no_rare;
}

/* The same, to fill in: made in the arena on first use. */
struct dg_stmt_rare *dg_stmt_rare_mut(struct dg_arena *a, struct dg_stmt *st);

/* The statement's text as a C string, in the arena ("" when it has none). */
const char *dg_stmt_text(struct dg_arena *a, const struct dg_stmt *st);

#endif
