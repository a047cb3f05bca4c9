/*
 * The SQL a DO block runs (body.h). libpg_query compiles the block with
 * PostgreSQL's own PL/pgSQL grammar and prints its tree as JSON; the
 * statements that run SQL are picked out of that tree, found again in
 * the body's text by their line and their text (PL/pgSQL keeps the text
 * as written, with INTO blanked and PERFORM turned into SELECT), and an
 * EXECUTE's argument is read as a constant string when it is one.
 */
#include "sql/pgtree.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utils/memutils.h"

#include "sql/body.h"
#include "sql/json.h"

/* ---- text maps ---- */

size_t dg_text_map_at(const struct dg_text_map *m, size_t off)
{
	if (m->approx)
		return m->base;
	size_t lo = 0, hi = m->n_dq; /* doubled quotes before off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->dq[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return m->base + off + lo;
}

void dg_text_map_literal(struct dg_arena *a, const char *text, size_t len, size_t lit,
			 struct dg_text_map *out)
{
	memset(out, 0, sizeof(*out));
	out->base = lit;
	if (lit >= len)
		return;
	if (text[lit] == '$') {
		size_t q = lit + 1;
		while (q < len && text[q] != '$')
			q++;
		out->base = q < len ? q + 1 : lit;
		return;
	}
	if (text[lit] != '\'') {
		out->approx = 1; /* E'...', U&'...': escapes change the length */
		return;
	}
	out->base = lit + 1;
	size_t *dq = NULL, n = 0, cap = 0, at = 0;
	for (size_t p = lit + 1; p < len; p++, at++) {
		if (text[p] != '\'')
			continue;
		if (p + 1 < len && text[p + 1] == '\'') {
			DG_PUSH(dq, n, cap, at);
			p++;
			continue;
		}
		break;
	}
	if (n) {
		out->dq = dg_memdup(a, dq, n, sizeof(*dq));
		out->n_dq = n;
	}
	free(dq);
}

/* ---- finding a statement in the body ---- */

struct finder {
	struct dg_arena *a;
	const char *body;
	size_t len;
	size_t *lines;             /* start of every line */
	size_t n_lines;
	struct dg_body_piece *v;   /* heap */
	size_t n, cap;
	int depth;
};

static size_t line_start(const struct finder *f, int line)
{
	if (line < 1)
		return 0;
	if ((size_t)line > f->n_lines)
		return f->len;
	return f->lines[line - 1];
}

/*
 * Is the statement q at body offset p? PL/pgSQL copies a statement's
 * text, but blanks INTO targets (a blank of q matches anything) and
 * writes PERFORM as SELECT (perform: q starts with SELECT where the body
 * has PERFORM, one byte longer).
 */
static int text_at(const struct finder *f, size_t p, const char *q, size_t ql, int perform)
{
	size_t i = 0, shift = 0;
	if (perform) {
		if (ql < 6 || f->len - p < 7 || strncasecmp(f->body + p, "perform", 7) ||
		    strncmp(q, "SELECT", 6))
			return 0;
		i = 6;
		shift = 1;
	}
	if (p + ql + shift > f->len)
		return 0;
	for (; i < ql; i++)
		if (q[i] != f->body[p + shift + i] && q[i] != ' ')
			return 0;
	return ql > 0;
}

/* Already taken by an earlier piece (the same statement twice on a line)? */
static int taken(const struct finder *f, size_t p)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].start == p && f->v[i].kind != DG_BODY_OPAQUE)
			return 1;
	return 0;
}

/* Where q is, from its line on; -1 when it is not found. */
static long locate(const struct finder *f, int line, const char *q, int perform)
{
	size_t ql = strlen(q);
	for (size_t p = line_start(f, line); p < f->len; p++) {
		if ((perform ? (f->body[p] | 0x20) == 'p' : q[0] == f->body[p]) &&
		    text_at(f, p, q, ql, perform) && !taken(f, p))
			return (long)p;
	}
	return -1;
}

static void add(struct finder *f, struct dg_body_piece *p)
{
	DG_PUSH(f->v, f->n, f->cap, *p);
}

/* A statement PL/pgSQL runs as written. */
static void add_sql(struct finder *f, const char *q, int line, int perform)
{
	struct dg_body_piece p;
	memset(&p, 0, sizeof(p));
	if (!q || !*q)
		return;
	p.kind = DG_BODY_SQL;
	p.line = line;
	p.sql = dg_strdup(f->a, q);
	p.len = strlen(q);
	long at = locate(f, line, q, perform);
	if (at < 0) {
		p.start = p.end = line_start(f, line);
		p.map.base = p.start;
		p.map.approx = 1;
	} else {
		p.start = (size_t)at;
		p.end = (size_t)at + p.len + (perform ? 1 : 0);
		p.map.base = p.start;
		if (perform) {
			/* PERFORM is a byte longer than SELECT: what follows is one byte further */
			static const size_t after_select[] = { 5 };
			p.map.dq = after_select;
			p.map.n_dq = 1;
		}
	}
	add(f, &p);
}

/* ---- EXECUTE ---- */

/* The value of a constant string expression ('a', $$a$$, 'a' || 'b', 'a'::text), or NULL. */
static const char *const_string(struct dg_arena *a, const Node *n, int *simple)
{
	if (!n)
		return NULL;
	if (IsA(n, TypeCast))
		return const_string(a, ((const TypeCast *)n)->arg, simple);
	if (IsA(n, A_Const)) {
		const A_Const *c = (const A_Const *)n;
		if (c->isnull || !IsA(&c->val, String))
			return NULL;
		return dg_strdup(a, strVal(&c->val));
	}
	if (IsA(n, A_Expr)) {
		const A_Expr *e = (const A_Expr *)n;
		const Node *op = e->name ? llast(e->name) : NULL;
		if (e->kind != AEXPR_OP || !op || !IsA(op, String) || strcmp(strVal(op), "||"))
			return NULL;
		const char *l = const_string(a, e->lexpr, simple);
		const char *r = l ? const_string(a, e->rexpr, simple) : NULL;
		*simple = 0;
		return r ? dg_sprintf(a, "%s%s", l, r) : NULL;
	}
	return NULL;
}

/* expr as SQL: `SELECT <expr>` parsed, its one target a constant string? */
static const char *execute_constant(struct dg_arena *a, const char *expr, int *simple)
{
	const char *sql = dg_sprintf(a, "SELECT %s", expr);
	PgQueryInternalParsetreeAndError r = pg_query_raw_parse(sql, 0);
	const char *out = NULL;
	free(r.stderr_buffer);
	if (r.error) {
		pg_query_free_error(r.error);
		return NULL;
	}
	*simple = 1;
	if (list_length(r.tree) == 1) {
		const Node *s = linitial_node(RawStmt, r.tree)->stmt;
		if (IsA(s, SelectStmt) && list_length(((const SelectStmt *)s)->targetList) == 1 &&
		    !((const SelectStmt *)s)->fromClause) {
			const ResTarget *rt = linitial(((const SelectStmt *)s)->targetList);
			out = const_string(a, rt->val, simple);
		}
	}
	return out;
}

/* The first line of expr, shortened, for a message. */
static const char *excerpt(struct dg_arena *a, const char *expr)
{
	size_t l = strcspn(expr, "\r\n");
	if (l > 60)
		return dg_sprintf(a, "%.57s...", expr);
	return l < strlen(expr) ? dg_sprintf(a, "%.*s ...", (int)l, expr) : expr;
}

/* EXECUTE expr (and its FOR / OPEN / RETURN QUERY forms). */
static void add_dynamic(struct finder *f, const char *expr, int line, const char *verb)
{
	struct dg_body_piece p;
	int simple = 0;
	memset(&p, 0, sizeof(p));
	if (!expr)
		return;
	p.line = line;
	long at = locate(f, line, expr, 0);
	p.start = at >= 0 ? (size_t)at : line_start(f, line);
	p.end = at >= 0 ? p.start + strlen(expr) : p.start;
	const char *sql = execute_constant(f->a, expr, &simple);
	if (!sql) {
		p.kind = DG_BODY_OPAQUE;
		p.what = dg_sprintf(f->a,
				    "%s runs SQL built when the DO block runs (%s): ddlgate cannot read it",
				    verb, excerpt(f->a, expr));
		add(f, &p);
		return;
	}
	p.kind = DG_BODY_DYNAMIC;
	p.sql = sql;
	p.len = strlen(sql);
	if (at >= 0 && simple)
		dg_text_map_literal(f->a, f->body, f->len, p.start, &p.map);
	else {
		p.map.base = p.start;
		p.map.approx = 1;
	}
	add(f, &p);
}

/* ---- the tree ---- */

static const char *expr_query(const struct dg_json *expr)
{
	return dg_json_str(dg_json_get(expr, "PLpgSQL_expr"), "query");
}

/* One PL/pgSQL statement node (`kind` without the PLpgSQL_stmt_ prefix). */
static void stmt(struct finder *f, const char *kind, const struct dg_json *s)
{
	int line = (int)dg_json_int(s, "lineno", 0);
	if (!strcmp(kind, "execsql"))
		add_sql(f, expr_query(dg_json_get(s, "sqlstmt")), line, 0);
	else if (!strcmp(kind, "perform"))
		add_sql(f, expr_query(dg_json_get(s, "expr")), line, 1);
	else if (!strcmp(kind, "call"))
		add_sql(f, expr_query(dg_json_get(s, "expr")), line, 0);
	else if (!strcmp(kind, "fors"))
		add_sql(f, expr_query(dg_json_get(s, "query")), line, 0);
	else if (!strcmp(kind, "dynexecute"))
		add_dynamic(f, expr_query(dg_json_get(s, "query")), line, "EXECUTE");
	else if (!strcmp(kind, "dynfors"))
		add_dynamic(f, expr_query(dg_json_get(s, "query")), line, "FOR ... IN EXECUTE");
	else if (!strcmp(kind, "open") || !strcmp(kind, "return_query")) {
		add_sql(f, expr_query(dg_json_get(s, "query")), line, 0);
		add_dynamic(f, expr_query(dg_json_get(s, "dynquery")), line,
			    !strcmp(kind, "open") ? "OPEN ... FOR EXECUTE" : "RETURN QUERY EXECUTE");
	}
}

/* Every statement node in the tree, depth first (the order is fixed later). */
static int walk(struct finder *f, const struct dg_json *j, int depth)
{
	if (depth > DG_JSON_MAX_DEPTH)
		return -1;
	if (j->type == DG_JSON_OBJECT) {
		for (size_t i = 0; i < j->n; i++) {
			const struct dg_json *m = &j->kids[i];
			if (!strncmp(m->key, "PLpgSQL_stmt_", 13) && m->type == DG_JSON_OBJECT)
				stmt(f, m->key + 13, m);
			if (walk(f, m, depth + 1) < 0)
				return -1;
		}
	} else if (j->type == DG_JSON_ARRAY) {
		for (size_t i = 0; i < j->n; i++)
			if (walk(f, &j->kids[i], depth + 1) < 0)
				return -1;
	}
	return 0;
}

static int piece_cmp(const void *x, const void *y)
{
	const struct dg_body_piece *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

int dg_sql_body_from_json(struct dg_arena *a, const char *json, size_t json_len, const char *body,
			  size_t body_len, struct dg_body_piece **out, size_t *n, const char **err)
{
	struct finder f;
	struct dg_json *tree;
	const char *jerr;
	size_t jat;
	memset(&f, 0, sizeof(f));
	*out = NULL;
	*n = 0;
	if (dg_json_parse(a, json, json_len, &tree, &jerr, &jat) < 0) {
		*err = dg_sprintf(a, "the PL/pgSQL tree is not JSON (%s at byte %zu)", jerr, jat);
		return -1;
	}
	f.a = a;
	f.body = body;
	f.len = body_len;
	size_t cap = 0;
	DG_PUSH(f.lines, f.n_lines, cap, (size_t)0);
	for (size_t p = 0; p < body_len; p++)
		if (body[p] == '\n')
			DG_PUSH(f.lines, f.n_lines, cap, p + 1);
	int rc = walk(&f, tree, 0);
	free(f.lines);
	if (rc < 0) {
		free(f.v);
		*err = "the PL/pgSQL tree is nested too deeply";
		return -1;
	}
	if (f.n > 1)
		qsort(f.v, f.n, sizeof(*f.v), piece_cmp);
	*out = f.n ? dg_memdup(a, f.v, f.n, sizeof(*f.v)) : NULL;
	*n = f.n;
	free(f.v);
	return 0;
}

int dg_sql_body_pieces(struct dg_arena *a, const char *do_text, const char *body, size_t body_len,
		       struct dg_body_piece **out, size_t *n, const char **err)
{
	MemoryContext mcx = CurrentMemoryContext;
	/* it enters and leaves a memory context of its own, and leaves the top one current */
	PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(do_text);
	MemoryContextSwitchTo(mcx);
	*out = NULL;
	*n = 0;
	if (r.error) {
		*err = dg_strdup(a, r.error->message ? r.error->message : "syntax error");
		pg_query_free_plpgsql_parse_result(r);
		return -1;
	}
	int rc = dg_sql_body_from_json(a, r.plpgsql_funcs ? r.plpgsql_funcs : "",
				       r.plpgsql_funcs ? strlen(r.plpgsql_funcs) : 0, body, body_len,
				       out, n, err);
	pg_query_free_plpgsql_parse_result(r);
	return rc;
}
