/*
 * Private to src/sql/: the history of one file that the lock model writes
 * as it walks the statements in order, and that rules read back through
 * sql.h (dg_sql_table_is_new, dg_sql_column_type, dg_sql_table_created_by):
 * which relations the file creates, renames and drops, and which column
 * types it declares, each event with its statement's position. Hashed by
 * name, so that a file of a million statements stays linear.
 */
#ifndef DG_SQL_INDEX_H
#define DG_SQL_INDEX_H

#include <stddef.h>

#include "sql/sql.h"

struct dg_sql_index;

/* The hash of a name and an optional second part (a column), for the indexes of src/sql/. */
size_t dg_sql_name_hash(const char *name, const char *second);

/* An empty history whose memory lives in a (it lasts as long as the file's facts). */
struct dg_sql_index *dg_sql_index_new(struct dg_arena *a);

/*
 * Statement `at` creates r (create_table: by CREATE TABLE, whose columns
 * are then the table's; 0: CREATE TABLE AS, a materialized view, or a new
 * table renamed to r).
 */
void dg_sql_index_created(struct dg_sql_index *ix, const struct dg_rel *r, size_t at,
			  int create_table);
/* Statement `at` drops r (and every relation the name may mean). */
void dg_sql_index_dropped(struct dg_sql_index *ix, const struct dg_rel *r, size_t at);
/* Is r created by a statement before `at` and not dropped since? SIZE_MAX: after all so far. */
int dg_sql_index_is_new(const struct dg_sql_index *ix, const struct dg_rel *r, size_t at);
/* Did the file create, rename to or drop r before statement `at`? */
int dg_sql_index_seen(const struct dg_sql_index *ix, const struct dg_rel *r, size_t at);
/* The last CREATE TABLE of r at or before `at`, or -1. */
long dg_sql_index_last_create(const struct dg_sql_index *ix, const struct dg_rel *r, size_t at);

/* Statement `at` gives column col of r the type ty (ty must outlive the index). */
void dg_sql_index_column(struct dg_sql_index *ix, const struct dg_rel *r, const char *col,
			 const struct dg_type *ty, size_t at);
/*
 * The type of column col of r as of statement `at` (included): since r's
 * last CREATE TABLE when the file has one. NULL when the file does not
 * say; *created (may be NULL) tells whether the file creates r up to `at`.
 */
const struct dg_type *dg_sql_index_column_type(const struct dg_sql_index *ix,
					       const struct dg_rel *r, const char *col, size_t at,
					       int *created);

/* Statement `at` leaves a mark of that kind on r (and column col, may be NULL). */
void dg_sql_index_mark(struct dg_sql_index *ix, enum dg_sql_mark mark, const struct dg_rel *r,
		       const char *col, size_t at);
/* Did a statement before `before` leave that mark on r (col)? */
int dg_sql_index_marked(const struct dg_sql_index *ix, enum dg_sql_mark mark,
			const struct dg_rel *r, const char *col, size_t before);

#endif
