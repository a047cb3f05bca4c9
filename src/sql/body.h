/*
 * Private to src/sql/: the SQL a DO block runs. libpg_query's PL/pgSQL
 * parser (pg_query_parse_plpgsql, which compiles a DO block as PostgreSQL
 * does) prints the block's tree as JSON; json.c reads it, and here every
 * statement that runs SQL is found again in the body's text, so that its
 * facts and findings point into the file. EXECUTE of a constant string
 * is SQL too; EXECUTE of a string built at run time is opaque.
 */
#ifndef DG_SQL_BODY_H
#define DG_SQL_BODY_H

#include <stddef.h>

#include "core/core.h"

/*
 * Where the bytes of a text came from in an outer text: text offset off
 * is outer offset base + off, plus one for every doubled quote ('')
 * collapsed before it (dq: text offsets of the quotes kept, sorted).
 * approx: the text is not a copy (E'' escapes, a || of literals): every
 * offset is base.
 */
struct dg_text_map {
	size_t base;
	const size_t *dq;
	size_t n_dq;
	int approx;
};

size_t dg_text_map_at(const struct dg_text_map *m, size_t off);

/* The map of the contents of a string literal at lit (its opening quote or $tag$) of text. */
void dg_text_map_literal(struct dg_arena *a, const char *text, size_t len, size_t lit,
			 struct dg_text_map *out);

enum dg_body_kind {
	DG_BODY_SQL,               /* a statement PL/pgSQL runs as written */
	DG_BODY_DYNAMIC,           /* EXECUTE of a constant string: that SQL */
	DG_BODY_OPAQUE,            /* EXECUTE of a string built at run time */
};

struct dg_body_piece {
	enum dg_body_kind kind;
	const char *sql;           /* SQL, DYNAMIC: the SQL text, NUL-terminated */
	size_t len;
	struct dg_text_map map;    /* sql offsets -> body offsets */
	size_t start, end;         /* in the body: the statement (DYNAMIC: the literal; OPAQUE: the expression) */
	int line;                  /* 1-based line in the body */
	const char *what;          /* OPAQUE: what runs, for the finding */
};

/*
 * The statements a DO block runs, in the order they appear in its body:
 * do_text is the whole DO statement, body its code as the parser gave it.
 * -1 with *err (arena) when PL/pgSQL cannot compile the block. Must be
 * called inside libpg_query's memory context (it is restored).
 */
int dg_sql_body_pieces(struct dg_arena *a, const char *do_text, const char *body, size_t body_len,
		       struct dg_body_piece **out, size_t *n, const char **err);

/*
 * The JSON libpg_query prints for a PL/pgSQL block, read into pieces
 * (for the fuzz target): the same as above from the JSON text.
 */
int dg_sql_body_from_json(struct dg_arena *a, const char *json, size_t json_len, const char *body,
			  size_t body_len, struct dg_body_piece **out, size_t *n, const char **err);

#endif
