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
	size_t data_end;           /* COPY ... FROM STDIN: end of the data after it (its "\." line); 0 */
};

/* A psql meta-command (\set, \i, \gexec ...): from the backslash to the end of its line. */
struct dg_sql_meta {
	size_t start, end;
};

/* A word or quoted identifier longer than PostgreSQL's 63 bytes. */
struct dg_sql_long_word {
	size_t start, end;         /* the token (quotes included) */
	size_t bytes;              /* the identifier's length ("" counts once) */
};

struct dg_sql_split {
	struct dg_sql_piece *pieces;
	size_t n, cap;
	struct dg_sql_held *held;
	size_t n_held, cap_held;
	struct dg_sql_meta *metas;
	size_t n_metas, cap_metas;
	struct dg_sql_long_word *long_words;
	size_t n_long, cap_long;
	size_t bom;                /* 3 when the text starts with a UTF-8 byte order mark, else 0 */
};

/* PostgreSQL keeps the first NAMEDATALEN - 1 bytes of an identifier. */
#define DG_SQL_MAX_IDENT 63

/*
 * Split data into statements. A quote or comment left open makes the
 * rest of the text, from the statement it is in, the last piece (the
 * parser then says what is wrong with it). As psql reads a script: a
 * leading byte order mark is skipped, a backslash outside quotes starts a
 * meta-command that runs to the end of its line (and ends the statement
 * before it), and the lines after COPY ... FROM STDIN; up to "\." are
 * data. Never fails.
 */
void dg_sql_split(struct dg_sql_split *out, const char *data, size_t len);
void dg_sql_split_release(struct dg_sql_split *s);

/*
 * The words and quoted identifiers of data[from, to) over 63 bytes, for
 * text split.c did not see (a DO block's body): cb once for each.
 */
void dg_sql_long_words(const char *data, size_t from, size_t to,
		       void (*cb)(void *arg, const struct dg_sql_long_word *w), void *arg);

/* Start of the first token in [from, to) (whitespace and comments skipped), or to. */
size_t dg_sql_code_start(const char *data, size_t from, size_t to);
/* End of the last token in [from, to), or from when there is none. */
size_t dg_sql_code_end(const char *data, size_t from, size_t to);

/*
 * Might data hold one of words (lower case) as a bare word, outside
 * quotes and comments? 1 also when a quote or comment is left open: the
 * answer is only ever "no" when the text surely does not.
 */
int dg_sql_may_have_word(const char *data, size_t len, const char *const *words, size_t n_words);

#endif
