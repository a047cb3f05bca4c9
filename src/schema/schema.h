/*
 * The schema stage: ddlgate's belief about the database after a migration
 * history, replayed from statement facts (never from parse trees): schemas,
 * tables, columns, indexes, constraints and domains, with where each came
 * from. The statements of a DO block's body are facts like any other (the
 * SQL stage reads them); function bodies do not run when they are created.
 */
#ifndef DG_SCHEMA_H
#define DG_SCHEMA_H

#include <stddef.h>

#include "core/core.h"
#include "sql/sql.h"
#include "sql/stmt.h"

/* Where a fact was made: a statement of a replayed file. */
struct dg_schema_origin {
	const char *path;            /* file as shown; NULL when unknown */
	int line, column;            /* 1-based; 0 when unknown */
	size_t offset;               /* byte offset of the statement in its file */
	int location;                /* byte offset of the clause (-1 = statement start) */
	const void *file;            /* the dg_sql_file replayed (identity only) */
	const struct dg_stmt *stmt;  /* the statement in that file */
};

struct dg_schema_column {
	const char *name;
	struct dg_type type;         /* serial types become their integer: int4, int8, int2 */
	int not_null;
};

struct dg_schema_index {
	const char *name;
	const char **columns;        /* key columns in order; NULL where an expression stands */
	const char **exprs;          /* expression text where columns[i] is NULL */
	size_t n_columns;
	const char *method;          /* "btree", "gin", ... */
	const char *where;           /* partial index predicate; NULL when full */
	int unique;
	int primary;
	const char *constraint;      /* the PRIMARY KEY / UNIQUE constraint it backs, or NULL */
	struct dg_schema_origin origin;
};

enum dg_schema_con_kind {
	DG_SCON_PRIMARY = 1,
	DG_SCON_UNIQUE,
	DG_SCON_FOREIGN,
	DG_SCON_CHECK,
	DG_SCON_EXCLUSION,
};

struct dg_schema_constraint {
	enum dg_schema_con_kind kind;
	const char *name;
	const char **columns;        /* PK / UNIQUE / FK local columns */
	size_t n_columns;
	const char *ref_schema;      /* FK: referenced table (schema resolved) */
	const char *ref_table;
	const char **ref_columns;    /* FK: referenced columns; NULL/0 = its primary key */
	size_t n_ref_columns;
	const char *expr;            /* CHECK expression */
	const char *not_null_column; /* CHECK (col IS NOT NULL) */
	int validated;               /* 0 after NOT VALID until VALIDATE CONSTRAINT */
	const char *index;           /* PK / UNIQUE: the index that backs it */
	struct dg_schema_origin origin;   /* the statement that added it */
	/* FK: the statement that dropped its last covering index, when one did
	 * (NULL otherwise: few do, and an origin is 48 bytes) and the name of
	 * that index. */
	const struct dg_schema_origin *blame;
	const char *dropped_index;
};

struct dg_schema_table {
	const char *schema;          /* resolved: "public" for unqualified names */
	const char *name;
	struct dg_schema_column *columns;
	size_t n_columns;
	struct dg_schema_index *indexes;
	size_t n_indexes;
	struct dg_schema_constraint *constraints;
	size_t n_constraints;
	int known;                   /* created in the replayed history (0: only altered) */
	int partitioned;             /* PARTITION BY */
	const char *partition_of;    /* PARTITION OF parent (display) */
	struct dg_schema_origin origin;
	unsigned gen;                /* copy-on-write generation (internal) */
	size_t cap_columns, cap_indexes, cap_constraints; /* internal: room in the arrays */
	/* internal: column name -> position, for wide tables (built on demand) */
	struct dg_arena *arena;
	size_t *col_slots;
	size_t col_cap, col_hash_n;
};

/* A remark about what the model could not follow, once per file and kind. */
struct dg_schema_note {
	const char *path;
	int line;
	const char *message;
};

/* A domain (CREATE DOMAIN): adding a column of it checks every row when it has constraints. */
struct dg_schema_domain {
	const char *schema;          /* resolved */
	const char *name;
	int checks;                  /* CHECK constraints */
	int not_null;
};

/* A foreign key and its table. */
struct dg_schema_fk_ref {
	const struct dg_schema_table *table;
	const struct dg_schema_constraint *fk;
	size_t order;                /* internal: its place in dg_schema_unindexed() */
};

struct dg_schema {
	struct dg_arena *arena;
	const char **schemas;        /* CREATE SCHEMA, plus "public" */
	size_t n_schemas;
	struct dg_schema_table **tables;
	size_t n_tables, cap_tables;
	struct dg_schema_note *notes;
	size_t n_notes, cap_notes;
	struct dg_schema_domain *domains;
	size_t n_domains, cap_domains;
	unsigned gen;
	size_t files;                /* files replayed */
	/* The schema at the end of the whole history when this one is a
	 * snapshot before a file (missing-fk-index judges the end state). */
	const struct dg_schema *final;
	/* internal: table lookup index (rebuilt on demand) */
	size_t *hash;
	size_t hash_cap;
	int hash_dirty;
	int hash_owned;              /* hash is this schema's own (a clone's starts shared) */
	/* internal: the unindexed FKs, computed once per state (dg_schema_unindexed) */
	struct dg_schema_fk_ref *unindexed;
	size_t n_unindexed;
	int unindexed_built;
	struct dg_schema_fk_ref *by_path;  /* the same, by file (dg_schema_unindexed_in) */
	struct dg_schema_note **notes_by_path;
	size_t n_notes_by_path;
	/* internal: hashes of relation and constraint names taken (for generated
	 * names), with how many objects hold each */
	unsigned long long *names;
	unsigned *name_counts;
	size_t names_cap, n_names;
	int names_dirty;
	/* internal: which table an index name is on, and which tables hold FKs
	 * to a table (entries may be stale: checked on use); built on demand */
	struct dg_schema_locator *index_loc, *fk_loc;
	size_t index_loc_cap, index_loc_n, fk_loc_cap, fk_loc_n;
	/* internal: where the keys of the names looked at go (a pruned
	 * history, schema/prune.h); NULL when nobody asks; clones share it */
	struct dg_keyset *probe;
};

/* An empty schema (only "public") whose memory lives in a. */
struct dg_schema *dg_schema_new(struct dg_arena *a);
/*
 * A copy that can be replayed into without changing s: tables are shared
 * until either side changes them (copy on write). Both stay valid.
 */
struct dg_schema *dg_schema_clone(struct dg_arena *a, struct dg_schema *s);

struct dg_replay_opts {
	const char *path;            /* shown in origins and notes; default f->path */
	int skip_notes;              /* do not record notes (re-replays) */
};

/*
 * From now on note in k the key of every name s (and a clone made from it
 * after) looks up, creates or changes (NULL: stop). See schema/prune.h.
 */
struct dg_keyset;
void dg_schema_set_probe(struct dg_schema *s, struct dg_keyset *k);

/* Apply every statement of a parsed file, in order. Never fails. */
void dg_schema_replay_file(struct dg_schema *s, const struct dg_sql_file *f,
			   const struct dg_replay_opts *o);
/* Parse SQL text and replay it (path is kept in the arena). */
void dg_schema_replay_sql(struct dg_schema *s, const char *path, const char *data, size_t len);

/* Should a migration file of this name be replayed (not a down / undo script)? */
int dg_schema_replays_path(const char *path);
/* Order for replaying files named by a directory listing: digit runs compare as numbers. */
int dg_schema_path_cmp(const char *a, const char *b);

/* ---- queries (for rules) ---- */

/* The table r names (unqualified = search path), or NULL. */
const struct dg_schema_table *dg_schema_find_table(const struct dg_schema *s, const struct dg_rel *r);
const struct dg_schema_column *dg_schema_find_column(const struct dg_schema_table *t,
						     const char *name);
/* The primary key constraint of t, or NULL. */
const struct dg_schema_constraint *dg_schema_primary_key(const struct dg_schema_table *t);
/* The table an FK references, or NULL when the model does not know it. */
const struct dg_schema_table *dg_schema_fk_target(const struct dg_schema *s,
						  const struct dg_schema_constraint *fk);
/*
 * The column the i-th column of an FK references (its primary key's when
 * the FK names none), or NULL when unknown.
 */
const struct dg_schema_column *dg_schema_fk_ref_column(const struct dg_schema *s,
						       const struct dg_schema_constraint *fk,
						       size_t i);
/* Does a validated CHECK (col IS NOT NULL) on table r prove column col NOT NULL? */
int dg_schema_check_proves_not_null(const struct dg_schema *s, const struct dg_rel *r,
				    const char *col);
/*
 * The index of t that covers an FK's columns: a valid, full (not partial)
 * btree index whose leading key columns are exactly those columns, in any
 * order. NULL when none does.
 */
const struct dg_schema_index *dg_schema_fk_covering_index(const struct dg_schema_table *t,
							  const struct dg_schema_constraint *fk);
/* The domain of that name (schema NULL: any), or NULL. */
const struct dg_schema_domain *dg_schema_find_domain(const struct dg_schema *s, const char *schema,
						     const char *name);
/*
 * Hooks for the lock model (dg_sql_opts.schema) answering from s: column
 * types, validated NOT NULL checks, which tables exist, indexed columns,
 * domains and constraint kinds before the file. s must outlive them.
 */
void dg_schema_sql_hooks(struct dg_sql_schema_hooks *out, const struct dg_schema *s);
/*
 * Every FK of a table created in the history (known) that no index
 * covers, in table order. Computed once and kept until the next replay.
 */
const struct dg_schema_fk_ref *dg_schema_unindexed(const struct dg_schema *s, size_t *n);
/*
 * The unindexed FKs a file is to blame for (where the last covering index
 * was dropped, else where the FK was made), in table order; and the notes
 * of a file. Grouped once per state, so asking for every file is linear.
 */
const struct dg_schema_fk_ref *dg_schema_unindexed_in(const struct dg_schema *s, const char *path,
						      size_t *n);
const struct dg_schema_note *const *dg_schema_notes_in(const struct dg_schema *s, const char *path,
						       size_t *n);
/* "orders" for public tables, "app.orders" otherwise (arena). */
const char *dg_schema_table_display(struct dg_arena *a, const struct dg_schema_table *t);
/* An identifier as SQL must write it: quoted unless plain lower-case. */
void dg_schema_add_ident(struct dg_buf *b, const char *id);
/* "name" for the public schema, else "schema.name", quoted where needed (arena). */
const char *dg_schema_qualified(struct dg_arena *a, const char *schema, const char *name);
/* The CREATE INDEX CONCURRENTLY statement that covers fk (arena). */
const char *dg_schema_fk_index_sql(struct dg_arena *a, const struct dg_schema *s,
				   const struct dg_schema_table *t,
				   const struct dg_schema_constraint *fk);

/* ---- output (ddlgate schema) ---- */

void dg_schema_write_text(struct dg_buf *out, const struct dg_schema *s);
/* One JSON object: {"tables": [...], "unindexed_foreign_keys": [...], "notes": [...]} */
void dg_schema_write_json(struct dg_buf *out, const struct dg_schema *s);

#endif
