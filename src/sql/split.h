/*
 * Private to src/sql/: where the statements of a SQL text begin and end,
 * found with PostgreSQL's lexical rules (quotes, dollar quotes, nested
 * comments, parentheses, BEGIN ATOMIC bodies) before each statement is
 * parsed alone.
 */
#ifndef DG_SQL_SPLIT_H
#define DG_SQL_SPLIT_H

#include <stddef.h>

/* A ';' that did not end its statement (inside parentheses or BEGIN ATOMIC ... END). */
struct dg_sql_held {
	size_t before;             /* end of the last token before it */
	size_t at;                 /* where it is */
	size_t next;               /* start of the first token after it; 0 when none */
};

/* One statement: from its first token to the end of its last one. */
struct dg_sql_piece {
	size_t start, end;
	size_t first_held, n_held; /* its held ';'s in dg_sql_split.held */
};

struct dg_sql_split {
	struct dg_sql_piece *pieces;
	size_t n, cap;
	struct dg_sql_held *held;
	size_t n_held, cap_held;
};

/*
 * Split data into statements. A quote or comment left open makes the
 * rest of the text, from the statement it is in, the last piece (the
 * parser then says what is wrong with it). Never fails.
 */
void dg_sql_split(struct dg_sql_split *out, const char *data, size_t len);
void dg_sql_split_release(struct dg_sql_split *s);

/* Start of the first token in [from, to) (whitespace and comments skipped), or to. */
size_t dg_sql_code_start(const char *data, size_t from, size_t to);
/* End of the last token in [from, to), or from when there is none. */
size_t dg_sql_code_end(const char *data, size_t from, size_t to);

#endif
