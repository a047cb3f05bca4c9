/*
 * Private to src/sql/: building the line index that dg_sql_pos() and
 * dg_sql_line() (sql.h) read.
 */
#ifndef DG_SQL_POS_H
#define DG_SQL_POS_H

#include "sql/sql.h"

/* Fill f->line_starts / f->n_lines from f->data. */
void dg_sql_index_lines(struct dg_arena *a, struct dg_sql_file *f);

#endif
