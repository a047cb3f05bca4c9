/*
 * The Python-subset reader: a tokenizer that knows every string form and
 * the indentation rules (and where each decoded byte came from), and a
 * recursive-descent reader for the values migration files assign and the
 * statements of their functions. Nothing is evaluated beyond literals.
 */
#include "python/pyread.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Limits of the reader, past what Python itself accepts (200 nested
 * brackets, 100 indentation levels) and still finite. The reader recurses
 * once or twice per bracket level and per block: MAX_RECURSION bounds its
 * stack (a few hundred bytes per level).
 */
#define MAX_BRACKETS 500
#define MAX_INDENTS 100
#define MAX_RECURSION (2 * MAX_BRACKETS + 2 * MAX_INDENTS + 100)
#define MAX_ITEMS 4096     /* items kept per list / tuple */

enum tok_kind {
	T_END,
	T_NEWLINE,
	T_INDENT,
	T_DEDENT,
	T_NAME,
	T_NUMBER,
	T_STRING,
	T_OP,
};

/* A string literal's value, beside its token: most tokens are not strings. */
struct tok_str {
	char *val; /* decoded value */
	size_t vlen;
	struct dg_py_piece *pieces; /* where val's bytes came from */
	size_t n_pieces;
	unsigned is_bytes : 1, has_fields : 1;
};

/* One token; the array of a file holds one per token (DG_PY_MAX_TOKENS at most). */
struct tok {
	enum tok_kind kind;
	int line, col;
	size_t offset; /* of p in the file */
	const char *p; /* raw text */
	size_t n;
	struct tok_str *str; /* T_STRING */
};

/* The pieces of a string being decoded. */
struct pieces {
	struct dg_py_piece *v;
	size_t n, cap;
	const char *file; /* start of the file, for offsets */
};

static void add_piece(struct pieces *pc, size_t at, size_t len, const char *src, int exact)
{
	size_t off = (size_t)(src - pc->file);
	if (!len)
		return;
	if (exact && pc->n) {
		struct dg_py_piece *l = &pc->v[pc->n - 1];
		if (l->exact && l->at + l->len == at && l->src + l->len == off) {
			l->len += len;
			return;
		}
	}
	struct dg_py_piece pi = {at, len, off, exact};
	DG_PUSH(pc->v, pc->n, pc->cap, pi);
}

struct lexer {
	struct dg_arena *a;
	const char *path;
	const char *s, *end, *p;
	const char *line_start;
	int line;
	struct tok *toks;
	size_t n, cap;
	char brackets[MAX_BRACKETS];
	int bracket_line[MAX_BRACKETS], bracket_col[MAX_BRACKETS];
	int depth;
	int indents[MAX_INDENTS];
	int n_indents;
	int line_has_tokens;
	struct dg_py_comment *comments;
	size_t n_comments, cap_comments;
};

static int lex_col(const struct lexer *lx, const char *at)
{
	return (int)(at - lx->line_start) + 1;
}

static int lex_fail(const struct lexer *lx, int line, int col, const char *msg)
{
	return dg_error("%s:%d:%d: %s", lx->path, line, col, msg);
}

static struct tok *push_tok(struct lexer *lx, enum tok_kind k, const char *p, size_t n, int line,
			    int col)
{
	struct tok t;
	memset(&t, 0, sizeof(t));
	t.kind = k;
	t.p = p;
	t.offset = (size_t)(p - lx->s);
	t.n = n;
	t.line = line;
	t.col = col;
	DG_PUSH(lx->toks, lx->n, lx->cap, t);
	if (k != T_NEWLINE && k != T_INDENT && k != T_DEDENT)
		lx->line_has_tokens = 1;
	return &lx->toks[lx->n - 1];
}

static int is_ident_start(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int is_ident_char(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A newline at p ("\n", "\r\n" or "\r"): its length, 0 when none. */
static size_t newline_len(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	if (*p == '\n')
		return 1;
	if (*p == '\r')
		return (p + 1 < end && p[1] == '\n') ? 2 : 1;
	return 0;
}

static void new_line(struct lexer *lx, const char *after)
{
	lx->line++;
	lx->line_start = after;
}

static void add_utf8(struct dg_buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		dg_buf_addch(b, (char)cp);
	} else if (cp < 0x800) {
		dg_buf_addch(b, (char)(0xC0 | (cp >> 6)));
		dg_buf_addch(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		dg_buf_addch(b, (char)(0xE0 | (cp >> 12)));
		dg_buf_addch(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		dg_buf_addch(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		if (cp > 0x10FFFF)
			cp = 0xFFFD;
		dg_buf_addch(b, (char)(0xF0 | (cp >> 18)));
		dg_buf_addch(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		dg_buf_addch(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		dg_buf_addch(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/*
 * One source character of a literal body at p, copied as Python reads the
 * file: "\r\n" and a lone "\r" are a newline. Returns the bytes consumed.
 */
static size_t copy_char(struct dg_buf *b, struct pieces *pc, const char *p, const char *e)
{
	size_t nl = newline_len(p, e);
	if (nl) {
		add_piece(pc, b->len, 1, p + nl - 1, 1);
		dg_buf_addch(b, '\n');
		return nl;
	}
	add_piece(pc, b->len, 1, p, 1);
	dg_buf_addch(b, *p);
	return 1;
}

/* A raw literal body [p, e): only line ends change. */
static void decode_raw(struct dg_buf *b, struct pieces *pc, const char *p, const char *e)
{
	while (p < e)
		p += copy_char(b, pc, p, e);
}

/* Decode the escapes of a non-raw literal body [p, e). */
static void decode_escapes(struct dg_buf *b, struct pieces *pc, const char *p, const char *e,
			   int is_bytes, int unicode)
{
	while (p < e) {
		if (*p != '\\' || p + 1 >= e) {
			p += copy_char(b, pc, p, e);
			continue;
		}
		const char *q = p + 1;
		size_t nl = newline_len(q, e);
		if (nl) { /* backslash-newline continues the literal */
			p = q + nl;
			continue;
		}
		const char *esc = p;
		size_t before = b->len;
		char c = *q;
		p = q + 1;
		switch (c) {
		case '\\':
			dg_buf_addch(b, '\\');
			break;
		case '\'':
			dg_buf_addch(b, '\'');
			break;
		case '"':
			dg_buf_addch(b, '"');
			break;
		case 'a':
			dg_buf_addch(b, '\a');
			break;
		case 'b':
			dg_buf_addch(b, '\b');
			break;
		case 'f':
			dg_buf_addch(b, '\f');
			break;
		case 'n':
			dg_buf_addch(b, '\n');
			break;
		case 'r':
			dg_buf_addch(b, '\r');
			break;
		case 't':
			dg_buf_addch(b, '\t');
			break;
		case 'v':
			dg_buf_addch(b, '\v');
			break;
		case 'x': {
			int h1 = p < e ? dg_hexval((unsigned char)p[0]) : -1;
			int h2 = p + 1 < e ? dg_hexval((unsigned char)p[1]) : -1;
			if (h1 < 0 || h2 < 0) { /* kept as written: Python would reject it */
				dg_buf_add(b, "\\x", 2);
				break;
			}
			unsigned long v = (unsigned long)(h1 * 16 + h2);
			p += 2;
			if (is_bytes)
				dg_buf_addch(b, (char)v);
			else
				add_utf8(b, v);
			break;
		}
		case 'u':
		case 'U': {
			int want = c == 'u' ? 4 : 8;
			unsigned long v = 0;
			int i;
			if (is_bytes || !unicode) {
				dg_buf_addch(b, '\\');
				dg_buf_addch(b, c);
				break;
			}
			for (i = 0; i < want && p + i < e && dg_hexval((unsigned char)p[i]) >= 0; i++)
				v = v * 16 + (unsigned long)dg_hexval((unsigned char)p[i]);
			if (i < want) {
				dg_buf_addch(b, '\\');
				dg_buf_addch(b, c);
				break;
			}
			p += want;
			add_utf8(b, v);
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				unsigned long v = (unsigned long)(c - '0');
				for (int i = 0; i < 2 && p < e && *p >= '0' && *p <= '7'; i++)
					v = v * 8 + (unsigned long)(*p++ - '0');
				if (is_bytes)
					dg_buf_addch(b, (char)(v & 0xFF));
				else
					add_utf8(b, v);
			} else { /* unknown escapes (and \N{...}) stay as written */
				dg_buf_addch(b, '\\');
				dg_buf_addch(b, c);
			}
		}
		/* kept as written (2 bytes from 2 bytes) maps exactly; a decoded escape does not */
		size_t dl = b->len - before;
		int same = dl && dl == (size_t)(p - esc) && !memcmp(b->ptr + before, esc, dl);
		add_piece(pc, before, dl, esc, same);
	}
}

/*
 * A string literal at lx->p (the opening quote); prefix is the text before
 * it ("", "r", "b", "rb", "f", "u", "ur" ...).
 */
static int lex_string(struct lexer *lx, const char *start, const char *prefix, size_t plen)
{
	int raw = 0, is_bytes = 0, fstr = 0, unicode = 1;
	for (size_t i = 0; i < plen; i++) {
		char c = (char)(prefix[i] | 0x20);
		if (c == 'r')
			raw = 1;
		else if (c == 'b')
			is_bytes = 1;
		else if (c == 'f')
			fstr = 1;
	}
	int line = lx->line, col = lex_col(lx, start);
	char q = *lx->p;
	int triple = lx->end - lx->p >= 3 && lx->p[1] == q && lx->p[2] == q;
	const char *body = lx->p + (triple ? 3 : 1);
	const char *p = body;
	const char *body_end = NULL;
	while (p < lx->end) {
		if (*p == '\\') {
			if (p + 1 >= lx->end)
				break;
			size_t nl = newline_len(p + 1, lx->end);
			if (nl) {
				p += 1 + nl;
				new_line(lx, p);
			} else {
				p += 2;
			}
			continue;
		}
		size_t nl = newline_len(p, lx->end);
		if (nl) {
			if (!triple)
				return lex_fail(lx, line, col, "unterminated string literal");
			p += nl;
			new_line(lx, p);
			continue;
		}
		if (*p == q) {
			if (!triple) {
				body_end = p;
				p++;
				break;
			}
			if (lx->end - p >= 3 && p[1] == q && p[2] == q) {
				body_end = p;
				p += 3;
				break;
			}
		}
		p++;
	}
	if (!body_end)
		return lex_fail(lx, line, col,
				triple ? "unterminated triple-quoted string literal"
				       : "unterminated string literal");
	struct tok *t = push_tok(lx, T_STRING, start, (size_t)(p - start), line, col);
	struct tok_str *str = dg_alloc(lx->a, sizeof(*str));
	t->str = str;
	struct dg_buf b = DG_BUF_INIT;
	struct pieces pc = {NULL, 0, 0, lx->s};
	if (raw)
		decode_raw(&b, &pc, body, body_end);
	else
		decode_escapes(&b, &pc, body, body_end, is_bytes, unicode);
	if (fstr) {
		/* not read as SQL (its fields are code): positions are not kept */
		free(pc.v);
		memset(&pc, 0, sizeof(pc));
		/* "{{" is a literal brace; a single one opens a replacement field */
		struct dg_buf f = DG_BUF_INIT;
		for (size_t i = 0; i < b.len; i++) {
			char c = b.ptr[i];
			if ((c == '{' || c == '}') && i + 1 < b.len && b.ptr[i + 1] == c) {
				dg_buf_addch(&f, c);
				i++;
				continue;
			}
			if (c == '{')
				str->has_fields = 1;
			dg_buf_addch(&f, c);
		}
		dg_buf_release(&b);
		b = f;
	}
	str->vlen = b.len;
	str->val = dg_strndup(lx->a, b.ptr ? b.ptr : "", b.len);
	str->is_bytes = (unsigned)is_bytes;
	str->pieces = pc.n ? dg_memdup(lx->a, pc.v, pc.n, sizeof(*pc.v)) : NULL;
	str->n_pieces = pc.n;
	free(pc.v);
	dg_buf_release(&b);
	lx->p = p;
	return 0;
}

static int valid_prefix(const char *s, size_t n)
{
	static const char *const ok[] = {"r", "u", "b", "f", "br", "rb", "fr", "rf", "ur"};
	if (n == 0 || n > 2)
		return 0;
	for (size_t i = 0; i < DG_ARRAY_SIZE(ok); i++) {
		if (strlen(ok[i]) != n)
			continue;
		size_t j;
		for (j = 0; j < n && (char)(s[j] | 0x20) == ok[i][j]; j++)
			;
		if (j == n)
			return 1;
	}
	return 0;
}

static const char *const ops3[] = {"**=", "//=", ">>=", "<<=", "..."};
static const char *const ops2[] = {"**", "//", "<<", ">>", "<=", ">=", "==", "!=", "<>", "->",
				   ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="};

static int lex_op(struct lexer *lx)
{
	const char *p = lx->p;
	size_t avail = (size_t)(lx->end - p);
	int col = lex_col(lx, p);
	for (size_t i = 0; i < DG_ARRAY_SIZE(ops3); i++)
		if (avail >= 3 && !memcmp(p, ops3[i], 3)) {
			push_tok(lx, T_OP, p, 3, lx->line, col);
			lx->p += 3;
			return 0;
		}
	for (size_t i = 0; i < DG_ARRAY_SIZE(ops2); i++)
		if (avail >= 2 && !memcmp(p, ops2[i], 2)) {
			push_tok(lx, T_OP, p, 2, lx->line, col);
			lx->p += 2;
			return 0;
		}
	char c = *p;
	if (strchr("([{", c)) {
		if (lx->depth >= MAX_BRACKETS)
			return lex_fail(lx, lx->line, col, "brackets nested too deeply");
		lx->brackets[lx->depth] = c;
		lx->bracket_line[lx->depth] = lx->line;
		lx->bracket_col[lx->depth] = col;
		lx->depth++;
	} else if (strchr(")]}", c)) {
		char want = c == ')' ? '(' : c == ']' ? '[' : '{';
		if (!lx->depth)
			return dg_error("%s:%d:%d: unmatched '%c'", lx->path, lx->line, col, c);
		if (lx->brackets[lx->depth - 1] != want)
			return dg_error(
			    "%s:%d:%d: closing '%c' does not match '%c' opened at line %d",
			    lx->path, lx->line, col, c, lx->brackets[lx->depth - 1],
			    lx->bracket_line[lx->depth - 1]);
		lx->depth--;
	} else if (!strchr(",:.;@=+-*/%&|^~<>`", c)) {
		unsigned char uc = (unsigned char)c;
		if (uc < 0x20 || uc == 0x7f)
			return dg_error("%s:%d:%d: unexpected control character 0x%02x", lx->path,
					lx->line, col, uc);
		return dg_error("%s:%d:%d: unexpected character '%c'", lx->path, lx->line, col, c);
	}
	push_tok(lx, T_OP, p, 1, lx->line, col);
	lx->p++;
	return 0;
}

/* A comment at lx->p (its '#'): recorded, and skipped to the line end. */
static void lex_comment(struct lexer *lx)
{
	const char *h = lx->p;
	while (lx->p < lx->end && !newline_len(lx->p, lx->end))
		lx->p++;
	struct dg_py_comment c;
	const char *ls = lx->line_start;
	while (ls < h && (*ls == ' ' || *ls == '\t' || *ls == '\f'))
		ls++;
	c.line = lx->line;
	c.col = lex_col(lx, h);
	c.offset = (size_t)(h - lx->s);
	c.own_line = ls == h;
	c.text = dg_strndup(lx->a, h + 1, (size_t)(lx->p - h - 1));
	DG_PUSH(lx->comments, lx->n_comments, lx->cap_comments, c);
}

/* At the start of a logical line: emit INDENT / DEDENT as Python does. */
static int lex_indent(struct lexer *lx)
{
	for (;;) {
		int width = 0;
		const char *p = lx->p;
		while (p < lx->end && (*p == ' ' || *p == '\t' || *p == '\f')) {
			if (*p == ' ')
				width++;
			else if (*p == '\t')
				width = (width / 8 + 1) * 8;
			else
				width = 0;
			p++;
		}
		size_t nl = newline_len(p, lx->end);
		if (p >= lx->end)
			return 0; /* trailing blank text: EOF handles dedents */
		if (nl || *p == '#') {
			/* blank or comment-only line: no indentation meaning */
			if (*p == '#') {
				lx->p = p;
				lex_comment(lx);
				p = lx->p;
			}
			while (p < lx->end && !newline_len(p, lx->end))
				p++;
			nl = newline_len(p, lx->end);
			if (!nl) {
				lx->p = p;
				return 0;
			}
			p += nl;
			lx->p = p;
			new_line(lx, p);
			continue;
		}
		lx->p = p;
		int cur = lx->indents[lx->n_indents - 1];
		int col = lex_col(lx, p);
		if (width > cur) {
			if (lx->n_indents >= MAX_INDENTS)
				return lex_fail(lx, lx->line, col, "indentation nested too deeply");
			lx->indents[lx->n_indents++] = width;
			push_tok(lx, T_INDENT, p, 0, lx->line, col);
		} else {
			while (width < lx->indents[lx->n_indents - 1]) {
				lx->n_indents--;
				push_tok(lx, T_DEDENT, p, 0, lx->line, col);
			}
			if (width != lx->indents[lx->n_indents - 1])
				return lex_fail(
				    lx, lx->line, col,
				    "unindent does not match any outer indentation level");
		}
		return 0;
	}
}

static int lex_all(struct lexer *lx)
{
	int at_line_start = 1;
	lx->indents[0] = 0;
	lx->n_indents = 1;
	/* a UTF-8 byte order mark is allowed and ignored */
	if (lx->end - lx->p >= 3 && !memcmp(lx->p, "\xEF\xBB\xBF", 3)) {
		lx->p += 3;
		lx->line_start = lx->p;
	}
	for (;;) {
		if (at_line_start && lx->depth == 0) {
			if (lex_indent(lx) < 0)
				return -1;
			at_line_start = 0;
		}
		if (lx->p >= lx->end)
			break;
		if (lx->n + lx->n_comments > DG_PY_MAX_TOKENS)
			return lex_fail(lx, lx->line, lex_col(lx, lx->p),
					"too many tokens for ddlgate's reader (limit " DG_PY_MAX_TOKENS_TEXT ")");
		const char *p = lx->p;
		unsigned char c = (unsigned char)*p;
		size_t nl = newline_len(p, lx->end);
		if (nl) {
			lx->p += nl;
			if (lx->depth == 0) {
				if (lx->line_has_tokens)
					push_tok(lx, T_NEWLINE, p, 0, lx->line, lex_col(lx, p));
				lx->line_has_tokens = 0;
				at_line_start = 1;
			}
			new_line(lx, lx->p);
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\f') {
			lx->p++;
			continue;
		}
		if (c == '#') {
			lex_comment(lx);
			continue;
		}
		if (c == '\\') {
			size_t l = newline_len(p + 1, lx->end);
			if (!l)
				return lex_fail(
				    lx, lx->line, lex_col(lx, p),
				    "unexpected character after line continuation character");
			lx->p = p + 1 + l;
			new_line(lx, lx->p);
			continue;
		}
		if (c == '"' || c == '\'') {
			if (lex_string(lx, p, "", 0) < 0)
				return -1;
			continue;
		}
		if (is_ident_start(c)) {
			const char *q = p;
			while (q < lx->end && is_ident_char((unsigned char)*q))
				q++;
			if (q < lx->end && (*q == '"' || *q == '\'') &&
			    valid_prefix(p, (size_t)(q - p))) {
				lx->p = q;
				if (lex_string(lx, p, p, (size_t)(q - p)) < 0)
					return -1;
				continue;
			}
			push_tok(lx, T_NAME, p, (size_t)(q - p), lx->line, lex_col(lx, p));
			lx->p = q;
			continue;
		}
		if (is_digit(c) || (c == '.' && p + 1 < lx->end && is_digit((unsigned char)p[1]))) {
			const char *q = p;
			int hex = c == '0' && q + 1 < lx->end && (q[1] == 'x' || q[1] == 'X');
			while (q < lx->end) {
				unsigned char d = (unsigned char)*q;
				if (is_ident_char(d) || d == '.') {
					q++;
				} else if ((d == '+' || d == '-') && !hex && q > p &&
					   (q[-1] == 'e' || q[-1] == 'E')) {
					q++;
				} else {
					break;
				}
			}
			push_tok(lx, T_NUMBER, p, (size_t)(q - p), lx->line, lex_col(lx, p));
			lx->p = q;
			continue;
		}
		if (lex_op(lx) < 0)
			return -1;
	}
	if (lx->depth)
		return dg_error("%s:%d:%d: '%c' was never closed", lx->path,
				lx->bracket_line[lx->depth - 1], lx->bracket_col[lx->depth - 1],
				lx->brackets[lx->depth - 1]);
	if (lx->line_has_tokens)
		push_tok(lx, T_NEWLINE, lx->p, 0, lx->line, lex_col(lx, lx->p));
	while (lx->n_indents > 1) {
		lx->n_indents--;
		push_tok(lx, T_DEDENT, lx->p, 0, lx->line, lex_col(lx, lx->p));
	}
	push_tok(lx, T_END, lx->p, 0, lx->line, lex_col(lx, lx->p));
	return 0;
}

/* ---- the reader ---- */

struct parser {
	struct dg_arena *a;
	const char *path;
	struct tok *t;
	size_t n, i;
	int depth;
	struct dg_py_module *mod;
	struct dg_py_assign *assigns;
	size_t n_assigns, cap_assigns;
	struct dg_py_class *classes;
	size_t n_classes, cap_classes;
	const char **imported;
	size_t n_imported, cap_imported;
	struct dg_py_func *funcs;
	size_t n_funcs, cap_funcs;
};

static const struct tok *cur(const struct parser *ps)
{
	return &ps->t[ps->i];
}

static const struct tok *peek(const struct parser *ps, size_t k)
{
	size_t j = ps->i + k;
	return j < ps->n ? &ps->t[j] : &ps->t[ps->n - 1];
}

static void advance(struct parser *ps)
{
	if (ps->i + 1 < ps->n)
		ps->i++;
}

static int tok_is(const struct tok *t, enum tok_kind k, const char *text)
{
	if (t->kind != k)
		return 0;
	if (!text)
		return 1;
	size_t l = strlen(text);
	return t->n == l && !memcmp(t->p, text, l);
}

static int is_op(const struct tok *t, const char *text)
{
	return tok_is(t, T_OP, text);
}

static int is_kw(const struct tok *t, const char *text)
{
	return tok_is(t, T_NAME, text);
}

static const char *tok_text(struct parser *ps, const struct tok *t)
{
	return dg_strndup(ps->a, t->p, t->n);
}

static int parse_fail(struct parser *ps, const struct tok *t, const char *what)
{
	if (t->kind == T_END)
		return dg_error("%s:%d:%d: unexpected end of file %s", ps->path, t->line, t->col,
				what);
	if (t->kind == T_NEWLINE)
		return dg_error("%s:%d:%d: unexpected end of line %s", ps->path, t->line, t->col,
				what);
	if (t->kind == T_INDENT)
		return dg_error("%s:%d:%d: unexpected indent", ps->path, t->line, t->col);
	if (t->kind == T_DEDENT)
		return dg_error("%s:%d:%d: unexpected dedent %s", ps->path, t->line, t->col, what);
	return dg_error("%s:%d:%d: unexpected '%.*s' %s", ps->path, t->line, t->col,
			(int)(t->n > 40 ? 40 : t->n), t->p, what);
}

static struct dg_py_value *new_value(struct parser *ps, enum dg_py_kind k, const struct tok *at)
{
	struct dg_py_value *v = dg_alloc(ps->a, sizeof(*v));
	v->kind = k;
	v->line = at->line;
	v->col = at->col;
	v->offset = at->offset;
	return v;
}

/* Ends an expression at bracket depth zero. */
static int is_terminator(const struct tok *t)
{
	if (t->kind == T_END || t->kind == T_NEWLINE || t->kind == T_INDENT || t->kind == T_DEDENT)
		return 1;
	if (t->kind == T_NAME && t->n == 2 && !memcmp(t->p, "as", 2))
		return 1; /* with x as y, except E as e */
	if (t->kind != T_OP || t->n != 1)
		return 0;
	return strchr(",)]}:=;", t->p[0]) != NULL;
}

static int is_open(const struct tok *t)
{
	return t->kind == T_OP && t->n == 1 && strchr("([{", t->p[0]);
}

static int is_close(const struct tok *t)
{
	return t->kind == T_OP && t->n == 1 && strchr(")]}", t->p[0]);
}

/* A binary operator between two operands (kept, not evaluated). */
static int binary_op(const struct tok *t)
{
	static const char *const ops[] = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "//",
					  "**", "@", "<", ">", "<=", ">=", "==", "!=", "<>"};
	static const char *const words[] = {"and", "or", "in", "is", "not"};
	for (size_t i = 0; i < DG_ARRAY_SIZE(ops); i++)
		if (is_op(t, ops[i]))
			return 1;
	for (size_t i = 0; i < DG_ARRAY_SIZE(words); i++)
		if (is_kw(t, words[i]))
			return 1;
	return 0;
}

/* Skip the rest of an expression the reader does not evaluate. */
static void skip_expr(struct parser *ps)
{
	int depth = 0;
	for (;;) {
		const struct tok *t = cur(ps);
		if (t->kind == T_END)
			return;
		if (depth == 0 && is_terminator(t))
			return;
		if (is_open(t))
			depth++;
		else if (is_close(t))
			depth--;
		advance(ps);
	}
}

static struct dg_py_value *parse_expr(struct parser *ps);

typedef struct dg_py_value *value_ptr;

struct vec {
	value_ptr *v;
	size_t n, cap;
	int truncated; /* more than MAX_ITEMS: the rest was skipped */
};

static void vec_finish(struct parser *ps, struct vec *vec, struct dg_py_value *out)
{
	out->items = vec->n ? dg_memdup(ps->a, vec->v, vec->n, sizeof(*vec->v)) : NULL;
	out->n_items = vec->n;
	free(vec->v);
}

/* Items up to the closing bracket `close` (already past the opening one). */
static int parse_items(struct parser *ps, const char *close, struct vec *vec, int *saw_comma)
{
	*saw_comma = 0;
	for (;;) {
		if (is_op(cur(ps), close)) {
			advance(ps);
			return 0;
		}
		struct dg_py_value *v = parse_expr(ps);
		if (!v)
			return -1;
		DG_PUSH(vec->v, vec->n, vec->cap, v);
		if (vec->n >= MAX_ITEMS && is_op(cur(ps), ",")) {
			/* a data literal, not migration metadata: skip it, keep memory bounded */
			int depth = 0;
			while (cur(ps)->kind != T_END && (depth || !is_op(cur(ps), close))) {
				if (is_open(cur(ps)))
					depth++;
				else if (is_close(cur(ps)))
					depth--;
				advance(ps);
			}
			vec->truncated = 1;
			*saw_comma = 1;
		}
		if (is_op(cur(ps), ",")) {
			*saw_comma = 1;
			advance(ps);
			continue;
		}
		if (is_op(cur(ps), close)) {
			advance(ps);
			return 0;
		}
		return parse_fail(ps, cur(ps),
				  close[0] == ')'   ? "in parentheses"
				  : close[0] == ']' ? "in a list"
						    : "in braces");
	}
}

static struct dg_py_value *parse_number(struct parser *ps, const struct tok *t)
{
	char *txt = dg_strndup(ps->a, t->p, t->n);
	char *w = txt;
	for (char *r = txt; *r; r++)
		if (*r != '_')
			*w++ = *r;
	*w = '\0';
	size_t l = strlen(txt);
	int is_hex = l > 1 && txt[0] == '0' && (txt[1] == 'x' || txt[1] == 'X');
	if (!is_hex && (strchr(txt, '.') || strchr(txt, 'e') || strchr(txt, 'E') ||
			strchr(txt, 'j') || strchr(txt, 'J')))
		return new_value(ps, DG_PY_FLOAT, t);
	if (l && (txt[l - 1] == 'l' || txt[l - 1] == 'L')) /* Python 2 long */
		txt[--l] = '\0';
	int base = 10;
	const char *digits = txt;
	if (l > 1 && txt[0] == '0' && strchr("xXoObB", txt[1])) {
		base = (txt[1] | 0x20) == 'x' ? 16 : (txt[1] | 0x20) == 'o' ? 8 : 2;
		digits = txt + 2;
	} else if (l > 1 && txt[0] == '0') {
		base = 8; /* Python 2 octal */
	}
	char *end;
	errno = 0;
	long long v = strtoll(digits, &end, base);
	if (*end || !*digits) {
		dg_error("%s:%d:%d: invalid number '%.*s'", ps->path, t->line, t->col,
			 (int)(t->n > 40 ? 40 : t->n), t->p);
		return NULL;
	}
	struct dg_py_value *out = new_value(ps, DG_PY_INT, t);
	out->i = v;
	return out;
}

static struct dg_py_value *parse_strings(struct parser *ps)
{
	const struct tok *first = cur(ps);
	struct dg_py_value *v = new_value(ps, DG_PY_STR, first);
	struct dg_buf b = DG_BUF_INIT;
	int bytes = first->str->is_bytes, fields = 0;
	size_t n_pieces = 0;
	const struct tok *last = first;
	for (const struct tok *t = first; t < ps->t + ps->n && t->kind == T_STRING; t++) {
		n_pieces += t->str->n_pieces;
		last = t;
	}
	struct dg_py_piece *pieces = n_pieces ? dg_alloc(ps->a, n_pieces * sizeof(*pieces)) : NULL;
	size_t k = 0;
	while (cur(ps)->kind == T_STRING) {
		const struct tok_str *t = cur(ps)->str;
		/* implicit concatenation: each literal's pieces, shifted to where it lands */
		for (size_t i = 0; i < t->n_pieces; i++) {
			pieces[k] = t->pieces[i];
			pieces[k++].at += b.len;
		}
		dg_buf_add(&b, t->val, t->vlen);
		fields |= t->has_fields;
		bytes &= t->is_bytes;
		if (cur(ps) == last)
			break;
		advance(ps);
	}
	advance(ps);
	v->kind = bytes ? DG_PY_BYTES : DG_PY_STR;
	v->len = b.len;
	v->s = dg_strndup(ps->a, b.ptr ? b.ptr : "", b.len);
	v->fstring = fields;
	v->pieces = pieces;
	v->n_pieces = k;
	dg_buf_release(&b);
	return v;
}

static int parse_call_args(struct parser *ps, struct dg_py_value *call)
{
	struct vec pos = {0};
	const char **kn = NULL;
	value_ptr *kv = NULL;
	size_t nk = 0, ck = 0, ckv = 0, nkv = 0;
	for (;;) {
		const struct tok *t = cur(ps);
		if (is_op(t, ")")) {
			advance(ps);
			break;
		}
		struct dg_py_value *v;
		if (t->kind == T_NAME && is_op(peek(ps, 1), "=")) {
			const char *name = tok_text(ps, t);
			advance(ps);
			advance(ps);
			v = parse_expr(ps);
			if (!v)
				goto fail;
			DG_PUSH(kn, nk, ck, name);
			DG_PUSH(kv, nkv, ckv, v);
		} else {
			if (is_op(t, "*") || is_op(t, "**")) { /* unpacking: not evaluated */
				advance(ps);
				v = parse_expr(ps);
				if (!v)
					goto fail;
				v = new_value(ps, DG_PY_UNKNOWN, t);
			} else {
				v = parse_expr(ps);
				if (!v)
					goto fail;
			}
			DG_PUSH(pos.v, pos.n, pos.cap, v);
		}
		if (is_op(cur(ps), ",")) {
			advance(ps);
			continue;
		}
		if (is_op(cur(ps), ")")) {
			advance(ps);
			break;
		}
		parse_fail(ps, cur(ps), "in call arguments");
		goto fail;
	}
	vec_finish(ps, &pos, call);
	call->kw_names = nk ? dg_memdup(ps->a, kn, nk, sizeof(*kn)) : NULL;
	call->kw_values = nkv ? dg_memdup(ps->a, kv, nkv, sizeof(*kv)) : NULL;
	call->n_kw = nk;
	free(kn);
	free(kv);
	return 0;
fail:
	free(pos.v);
	free(kn);
	free(kv);
	return -1;
}

static struct dg_py_value *parse_atom(struct parser *ps)
{
	const struct tok *t = cur(ps);
	struct dg_py_value *v;
	int comma;
	struct vec items = {0};
	switch (t->kind) {
	case T_STRING:
		return parse_strings(ps);
	case T_NUMBER:
		advance(ps);
		return parse_number(ps, t);
	case T_NAME:
		if (is_kw(t, "None") || is_kw(t, "True") || is_kw(t, "False")) {
			v = new_value(ps, is_kw(t, "None") ? DG_PY_NONE : DG_PY_BOOL, t);
			v->i = is_kw(t, "True");
			advance(ps);
			return v;
		}
		{
			static const char *const reserved[] = {
			    "if",    "else",	 "elif",   "for",      "in",	  "is",	    "and",
			    "or",    "while",	 "def",	   "class",    "return",  "import", "from",
			    "as",    "with",	 "try",	   "except",   "finally", "raise",  "pass",
			    "break", "continue", "global", "nonlocal", "del",	  "assert",
			};
			for (size_t k = 0; k < DG_ARRAY_SIZE(reserved); k++)
				if (is_kw(t, reserved[k])) {
					parse_fail(ps, t, "where a value was expected");
					return NULL;
				}
		}
		v = new_value(ps, DG_PY_NAME, t);
		v->s = tok_text(ps, t);
		advance(ps);
		return v;
	case T_OP:
		if (is_op(t, "(")) {
			advance(ps);
			if (parse_items(ps, ")", &items, &comma) < 0) {
				free(items.v);
				return NULL;
			}
			if (items.n == 1 && !comma) { /* parenthesised value */
				v = items.v[0];
				free(items.v);
				return v;
			}
			v = new_value(ps, items.truncated ? DG_PY_UNKNOWN : DG_PY_TUPLE, t);
			vec_finish(ps, &items, v);
			return v;
		}
		if (is_op(t, "[")) {
			advance(ps);
			if (parse_items(ps, "]", &items, &comma) < 0) {
				free(items.v);
				return NULL;
			}
			v = new_value(ps, items.truncated ? DG_PY_UNKNOWN : DG_PY_LIST, t);
			vec_finish(ps, &items, v);
			return v;
		}
		if (is_op(t, "{")) {
			advance(ps);
			v = new_value(ps, DG_PY_SET, t);
			for (;;) {
				if (is_op(cur(ps), "}")) {
					advance(ps);
					break;
				}
				struct dg_py_value *k;
				if (is_op(cur(ps), "**")) {
					const struct tok *at = cur(ps);
					advance(ps);
					if (!parse_expr(ps))
						goto fail;
					k = new_value(ps, DG_PY_UNKNOWN, at);
					v->kind = DG_PY_DICT;
					DG_PUSH(items.v, items.n, items.cap, k);
					DG_PUSH(items.v, items.n, items.cap, k);
				} else {
					if (!(k = parse_expr(ps)))
						goto fail;
					DG_PUSH(items.v, items.n, items.cap, k);
					if (is_op(cur(ps), ":")) {
						advance(ps);
						v->kind = DG_PY_DICT;
						struct dg_py_value *val = parse_expr(ps);
						if (!val)
							goto fail;
						DG_PUSH(items.v, items.n, items.cap, val);
					}
				}
				if (is_op(cur(ps), ",")) {
					advance(ps);
					continue;
				}
				if (is_op(cur(ps), "}")) {
					advance(ps);
					break;
				}
				parse_fail(ps, cur(ps), "in braces");
				goto fail;
			}
			if (v->kind == DG_PY_DICT && items.n % 2) { /* {a: 1, b} is not Python */
				v->kind = DG_PY_UNKNOWN;
			}
			vec_finish(ps, &items, v);
			return v;
		}
		if (is_op(t, "...")) {
			advance(ps);
			return new_value(ps, DG_PY_UNKNOWN, t);
		}
		if (is_op(t, "`")) { /* Python 2 repr backticks */
			advance(ps);
			while (cur(ps)->kind != T_END && cur(ps)->kind != T_NEWLINE &&
			       !is_op(cur(ps), "`"))
				advance(ps);
			if (!is_op(cur(ps), "`")) {
				parse_fail(ps, cur(ps), "in backticks");
				return NULL;
			}
			advance(ps);
			return new_value(ps, DG_PY_UNKNOWN, t);
		}
		break;
	default:
		break;
	}
	parse_fail(ps, t, "where a value was expected");
	return NULL;
fail:
	free(items.v);
	return NULL;
}

static struct dg_py_value *parse_trailers(struct parser *ps, struct dg_py_value *v)
{
	for (;;) {
		const struct tok *t = cur(ps);
		if (is_op(t, ".")) {
			advance(ps);
			const struct tok *n = cur(ps);
			if (n->kind != T_NAME) {
				parse_fail(ps, n, "after '.'");
				return NULL;
			}
			advance(ps);
			if (v->kind == DG_PY_NAME) {
				v->s = dg_sprintf(ps->a, "%s.%.*s", v->s, (int)n->n, n->p);
			} else {
				/* an attribute of a call or a literal: op.get_bind().execute */
				struct dg_py_value *u = new_value(ps, DG_PY_ATTR, n);
				u->line = v->line;
				u->col = v->col;
				u->offset = v->offset;
				u->func = v;
				u->s = tok_text(ps, n);
				v = u;
			}
		} else if (is_op(t, "(")) {
			advance(ps);
			struct dg_py_value *call = new_value(ps, DG_PY_CALL, t);
			call->line = v->line;
			call->col = v->col;
			call->offset = v->offset;
			call->func = v;
			if (parse_call_args(ps, call) < 0)
				return NULL;
			v = call;
		} else if (is_op(t, "[")) {
			advance(ps);
			struct dg_py_value *sub = new_value(ps, DG_PY_SUBSCRIPT, t);
			struct vec items = {0};
			sub->line = v->line;
			sub->col = v->col;
			sub->offset = v->offset;
			sub->func = v;
			for (;;) {
				if (is_op(cur(ps), "]")) {
					advance(ps);
					break;
				}
				if (is_op(cur(ps), ":")) { /* a slice */
					sub->kind = DG_PY_UNKNOWN;
					advance(ps);
					continue;
				}
				struct dg_py_value *x = parse_expr(ps);
				if (!x) {
					free(items.v);
					return NULL;
				}
				DG_PUSH(items.v, items.n, items.cap, x);
				if (is_op(cur(ps), ",") || is_op(cur(ps), ":")) {
					if (is_op(cur(ps), ":"))
						sub->kind = DG_PY_UNKNOWN;
					advance(ps);
					continue;
				}
				if (is_op(cur(ps), "]")) {
					advance(ps);
					break;
				}
				free(items.v);
				parse_fail(ps, cur(ps), "in a subscript");
				return NULL;
			}
			vec_finish(ps, &items, sub);
			v = sub;
		} else {
			return v;
		}
	}
}

/*
 * An expression: literals and their containers are read; anything with an
 * operator becomes DG_PY_UNKNOWN after its tokens are skipped, so that a
 * later `x = y` still lines up.
 */
static struct dg_py_value *parse_expr(struct parser *ps)
{
	const struct tok *t = cur(ps);
	struct dg_py_value *v;
	if (++ps->depth > MAX_RECURSION) {
		dg_error("%s:%d:%d: expression nested too deeply", ps->path, t->line, t->col);
		ps->depth--;
		return NULL;
	}
	if (is_kw(t, "lambda")) {
		advance(ps);
		while (cur(ps)->kind != T_END && !is_op(cur(ps), ":")) {
			if (is_terminator(cur(ps)) && !is_op(cur(ps), "=") &&
			    !is_op(cur(ps), ",")) {
				parse_fail(ps, cur(ps), "in a lambda");
				ps->depth--;
				return NULL;
			}
			advance(ps);
		}
		if (!is_op(cur(ps), ":")) {
			parse_fail(ps, cur(ps), "in a lambda");
			ps->depth--;
			return NULL;
		}
		advance(ps);
		v = parse_expr(ps);
		ps->depth--;
		return v ? new_value(ps, DG_PY_UNKNOWN, t) : NULL;
	}
	if (is_op(t, "-") || is_op(t, "+") || is_op(t, "~") || is_kw(t, "not") ||
	    is_kw(t, "await") || is_kw(t, "yield") || is_op(t, "*")) {
		advance(ps);
		if (is_kw(t, "yield") && is_terminator(cur(ps))) {
			ps->depth--;
			return new_value(ps, DG_PY_UNKNOWN, t);
		}
		if (is_kw(t, "yield") && is_kw(cur(ps), "from"))
			advance(ps);
		v = parse_expr(ps);
		ps->depth--;
		if (!v)
			return NULL;
		if (is_op(t, "-") && (v->kind == DG_PY_INT || v->kind == DG_PY_FLOAT) &&
		    v->line == t->line && v->offset == t->offset + 1) {
			v->i = -v->i;
			v->col = t->col;
			v->offset = t->offset;
			return v;
		}
		if (is_op(t, "+") && (v->kind == DG_PY_INT || v->kind == DG_PY_FLOAT))
			return v;
		/* a unary operator: kept with its operand (~Q(...), not x) */
		struct dg_py_value *u = new_value(ps, DG_PY_UNKNOWN, t);
		u->op = tok_text(ps, t);
		u->rhs = v;
		return u;
	}
	v = parse_atom(ps);
	if (v)
		v = parse_trailers(ps, v);
	if (v && binary_op(cur(ps)) && ps->depth < MAX_RECURSION / 2) {
		/* kept with its operands, never evaluated: "... %s" % x, Q(a) | Q(b) */
		const struct tok *o = cur(ps);
		struct dg_py_value *u = new_value(ps, DG_PY_UNKNOWN, t);
		u->op = tok_text(ps, o);
		u->lhs = v;
		advance(ps);
		if ((is_kw(o, "not") && is_kw(cur(ps), "in")) || (is_kw(o, "is") && is_kw(cur(ps), "not"))) {
			u->op = dg_sprintf(ps->a, "%s %s", u->op, is_kw(o, "not") ? "in" : "not");
			advance(ps);
		}
		u->rhs = parse_expr(ps);
		ps->depth--;
		return u->rhs ? u : NULL;
	}
	if (v && !is_terminator(cur(ps))) {
		/* a conditional, a comprehension: not evaluated */
		struct dg_py_value *u = new_value(ps, DG_PY_UNKNOWN, t);
		skip_expr(ps);
		v = u;
	}
	ps->depth--;
	return v;
}

/* ---- statements ---- */

static int skip_to_newline(struct parser *ps)
{
	while (cur(ps)->kind != T_NEWLINE && cur(ps)->kind != T_END) {
		if (cur(ps)->kind == T_INDENT || cur(ps)->kind == T_DEDENT)
			return parse_fail(ps, cur(ps), "");
		advance(ps);
	}
	if (cur(ps)->kind == T_NEWLINE)
		advance(ps);
	return 0;
}

/* Skip an indented block (we are at its INDENT). */
static void skip_block(struct parser *ps)
{
	int depth = 0;
	do {
		if (cur(ps)->kind == T_INDENT)
			depth++;
		else if (cur(ps)->kind == T_DEDENT)
			depth--;
		else if (cur(ps)->kind == T_END)
			return;
		advance(ps);
	} while (depth > 0);
}

enum scope { SCOPE_MODULE, SCOPE_CLASS, SCOPE_FUNC, SCOPE_OTHER };

struct sink {
	enum scope scope;
	struct dg_py_assign *v; /* class body */
	size_t n, cap;
	struct dg_py_stmt *st; /* function body */
	size_t n_st, cap_st;
};

#define SINK(scope) {(scope), NULL, 0, 0, NULL, 0, 0}

static void add_import(struct parser *ps, const char *name)
{
	DG_PUSH(ps->imported, ps->n_imported, ps->cap_imported, name);
}

static int parse_import(struct parser *ps)
{
	int from = is_kw(cur(ps), "from");
	advance(ps);
	if (from) {
		while (cur(ps)->kind != T_END && !is_kw(cur(ps), "import")) {
			if (cur(ps)->kind == T_NEWLINE)
				return parse_fail(ps, cur(ps), "in 'from ... import'");
			advance(ps);
		}
		advance(ps);
	}
	int paren = 0;
	if (is_op(cur(ps), "(")) {
		paren = 1;
		advance(ps);
	}
	for (;;) {
		const struct tok *t = cur(ps);
		if (is_op(t, "*")) {
			add_import(ps, "*");
			advance(ps);
		} else if (t->kind == T_NAME) {
			const char *name = tok_text(ps, t);
			advance(ps);
			while (is_op(cur(ps), ".") && peek(ps, 1)->kind == T_NAME) {
				advance(ps);
				advance(ps);
			}
			if (is_kw(cur(ps), "as") && peek(ps, 1)->kind == T_NAME) {
				advance(ps);
				name = tok_text(ps, cur(ps));
				advance(ps);
			}
			add_import(ps, name);
		} else if (paren && is_op(t, ")")) {
			advance(ps);
			break;
		} else {
			break;
		}
		if (is_op(cur(ps), ",")) {
			advance(ps);
			continue;
		}
		if (paren && is_op(cur(ps), ")")) {
			advance(ps);
			break;
		}
		break;
	}
	return 0;
}

static void record_assign(struct parser *ps, struct sink *sink, const struct tok *name_tok,
			  struct dg_py_value *v)
{
	struct dg_py_assign as = {tok_text(ps, name_tok), name_tok->line, name_tok->col, v};
	if (sink->scope == SCOPE_MODULE)
		DG_PUSH(ps->assigns, ps->n_assigns, ps->cap_assigns, as);
	else if (sink->scope == SCOPE_CLASS)
		DG_PUSH(sink->v, sink->n, sink->cap, as);
}

static struct dg_py_stmt *add_stmt(struct sink *sink, enum dg_py_stmt_kind k, const struct tok *at)
{
	struct dg_py_stmt st;
	memset(&st, 0, sizeof(st));
	st.kind = k;
	st.line = at->line;
	st.col = at->col;
	st.offset = at->offset;
	DG_PUSH(sink->st, sink->n_st, sink->cap_st, st);
	return &sink->st[sink->n_st - 1];
}

/* Skip the rest of a simple statement, keeping brackets balanced. */
static int skip_simple(struct parser *ps)
{
	for (;;) {
		const struct tok *c = cur(ps);
		if (c->kind == T_END || c->kind == T_NEWLINE || is_op(c, ";"))
			return 0;
		if (c->kind == T_INDENT || c->kind == T_DEDENT)
			return parse_fail(ps, c, "");
		if (is_open(c)) {
			int depth = 0;
			do {
				if (is_open(cur(ps)))
					depth++;
				else if (is_close(cur(ps)))
					depth--;
				advance(ps);
			} while (depth > 0 && cur(ps)->kind != T_END);
			continue;
		}
		advance(ps);
	}
}

/*
 * A statement of a function body that could not be read: kept as OTHER
 * with the reader's message, and skipped, so one odd line (Python 2
 * `print x`, a construct the reader does not know) costs only itself.
 */
static int func_unreadable(struct parser *ps, struct sink *sink, size_t start)
{
	const struct tok *at = &ps->t[start];
	struct dg_py_stmt *st = add_stmt(sink, DG_PY_STMT_OTHER, at);
	st->error = dg_strdup(ps->a, dg_last_error());
	dg_error_clear();
	ps->i = start;
	return skip_simple(ps);
}

/* One simple statement of a function body: an expression, `name = value`, or another. */
static int parse_func_simple(struct parser *ps, struct sink *sink)
{
	static const char *const words[] = {"return", "pass",	  "del",   "raise",	"global",
					    "nonlocal", "assert", "break", "continue", "print",
					    "exec",	"yield"};
	const struct tok *t = cur(ps);
	size_t start = ps->i;
	if (is_kw(t, "import") || is_kw(t, "from")) {
		add_stmt(sink, DG_PY_STMT_OTHER, t)->keyword = "import";
		return parse_import(ps);
	}
	for (size_t k = 0; k < DG_ARRAY_SIZE(words); k++)
		if (is_kw(t, words[k]) && !is_op(peek(ps, 1), "(")) {
			add_stmt(sink, DG_PY_STMT_OTHER, t)->keyword = words[k];
			return skip_simple(ps);
		}
	int assign = t->kind == T_NAME && is_op(peek(ps, 1), "=");
	if (assign) {
		advance(ps);
		advance(ps);
	}
	struct dg_py_value *v = parse_expr(ps);
	if (!v)
		return func_unreadable(ps, sink, start);
	if (!is_op(cur(ps), ";") && cur(ps)->kind != T_NEWLINE && cur(ps)->kind != T_END) {
		/* x.y = 1, a, b = c, x += 1, a = b = c: not read */
		add_stmt(sink, DG_PY_STMT_OTHER, t)->keyword = "assignment";
		return skip_simple(ps);
	}
	struct dg_py_stmt *st = add_stmt(sink, assign ? DG_PY_STMT_ASSIGN : DG_PY_STMT_EXPR, t);
	st->name = assign ? tok_text(ps, t) : NULL;
	st->value = v;
	return 0;
}

/* One simple statement (up to ';' or the end of the line). */
static int parse_simple(struct parser *ps, struct sink *sink)
{
	const struct tok *t = cur(ps);
	if (sink->scope == SCOPE_FUNC)
		return parse_func_simple(ps, sink);
	if (is_kw(t, "import") || is_kw(t, "from"))
		return parse_import(ps);
	if (t->kind == T_NAME && (is_op(peek(ps, 1), "=") || is_op(peek(ps, 1), ":"))) {
		/* name = value, name = other = value, name: annotation [= value] */
		const struct tok *targets[16];
		size_t nt = 0;
		if (is_op(peek(ps, 1), ":")) {
			const struct tok *name_tok = t;
			advance(ps);
			advance(ps);
			if (!parse_expr(ps)) /* the annotation */
				return -1;
			struct dg_py_value *v = NULL;
			if (is_op(cur(ps), "=")) {
				advance(ps);
				if (!(v = parse_expr(ps)))
					return -1;
			}
			record_assign(ps, sink, name_tok, v);
			return 0;
		}
		while (cur(ps)->kind == T_NAME && is_op(peek(ps, 1), "=")) {
			if (nt < DG_ARRAY_SIZE(targets))
				targets[nt++] = cur(ps);
			advance(ps);
			advance(ps);
		}
		struct dg_py_value *v = parse_expr(ps);
		if (!v)
			return -1;
		if (is_op(cur(ps), "=")) { /* a = b.c = value: not a plain chain */
			v = new_value(ps, DG_PY_UNKNOWN, cur(ps));
			while (is_op(cur(ps), "=")) {
				advance(ps);
				if (!parse_expr(ps))
					return -1;
			}
		}
		for (size_t k = 0; k < nt; k++)
			record_assign(ps, sink, targets[k], v);
		return 0;
	}
	/* any other statement: skip it, keeping brackets balanced */
	return skip_simple(ps);
}

/* Simple statements separated by ';' up to the end of the line. */
static int parse_simple_line(struct parser *ps, struct sink *sink)
{
	for (;;) {
		if (parse_simple(ps, sink) < 0)
			return -1;
		if (is_op(cur(ps), ";")) {
			advance(ps);
			if (cur(ps)->kind == T_NEWLINE || cur(ps)->kind == T_END)
				break;
			continue;
		}
		break;
	}
	const struct tok *t = cur(ps);
	if (t->kind == T_NEWLINE) {
		advance(ps);
		return 0;
	}
	if (t->kind == T_END)
		return 0;
	return parse_fail(ps, t, "at the end of a statement");
}

static int parse_block(struct parser *ps, struct sink *sink);

/* After a compound statement's header: its suite, inline or indented. */
static int parse_suite(struct parser *ps, struct sink *inner)
{
	if (cur(ps)->kind == T_NEWLINE) {
		advance(ps);
		if (cur(ps)->kind != T_INDENT)
			return dg_error("%s:%d:%d: expected an indented block", ps->path,
					cur(ps)->line, cur(ps)->col);
		if (!inner) {
			skip_block(ps);
			return 0;
		}
		advance(ps);
		if (++ps->depth > MAX_RECURSION)
			return dg_error("%s:%d:%d: blocks nested too deeply", ps->path,
					cur(ps)->line, cur(ps)->col);
		int r = parse_block(ps, inner);
		ps->depth--;
		if (r < 0)
			return -1;
		if (cur(ps)->kind == T_DEDENT)
			advance(ps);
		return 0;
	}
	struct sink skip = SINK(SCOPE_OTHER);
	return parse_simple_line(ps, inner ? inner : &skip);
}

/* Skip a header up to its ':' at bracket depth zero; the ':' is consumed. */
static int skip_header(struct parser *ps)
{
	int depth = 0;
	for (;;) {
		const struct tok *t = cur(ps);
		if (t->kind == T_END || t->kind == T_NEWLINE || t->kind == T_INDENT ||
		    t->kind == T_DEDENT)
			return parse_fail(ps, t, "(a ':' was expected)");
		if (is_open(t))
			depth++;
		else if (is_close(t))
			depth--;
		else if (depth == 0 && is_op(t, ":")) {
			advance(ps);
			return 0;
		} else if (is_kw(t, "lambda")) {
			/* its ':' is not the header's */
			advance(ps);
			while (cur(ps)->kind != T_END && cur(ps)->kind != T_NEWLINE &&
			       !is_op(cur(ps), ":"))
				advance(ps);
		}
		advance(ps);
	}
}

static int parse_class(struct parser *ps, struct sink *outer)
{
	const struct tok *kw = cur(ps);
	advance(ps);
	const struct tok *name = cur(ps);
	if (name->kind != T_NAME)
		return parse_fail(ps, name, "after 'class'");
	advance(ps);
	struct dg_py_class c;
	memset(&c, 0, sizeof(c));
	c.name = tok_text(ps, name);
	c.line = kw->line;
	c.col = kw->col;
	if (is_op(cur(ps), "(")) {
		advance(ps);
		struct dg_py_value tmp;
		memset(&tmp, 0, sizeof(tmp));
		if (parse_call_args(ps, &tmp) < 0)
			return -1;
		c.bases = tmp.items;
		c.n_bases = tmp.n_items;
	}
	if (!is_op(cur(ps), ":"))
		return parse_fail(ps, cur(ps), "in a class statement (a ':' was expected)");
	advance(ps);
	if (outer->scope != SCOPE_MODULE)
		return parse_suite(ps, NULL);
	struct sink body = SINK(SCOPE_CLASS);
	if (parse_suite(ps, &body) < 0) {
		free(body.v);
		return -1;
	}
	c.body = body.n ? dg_memdup(ps->a, body.v, body.n, sizeof(*body.v)) : NULL;
	c.n_body = body.n;
	free(body.v);
	DG_PUSH(ps->classes, ps->n_classes, ps->cap_classes, c);
	return 0;
}

/* Read a suite into a function-body sink; the statements go to *body. */
static int parse_func_suite(struct parser *ps, struct dg_py_stmt **body, size_t *n_body)
{
	struct sink inner = SINK(SCOPE_FUNC);
	int r = parse_suite(ps, &inner);
	*body = inner.n_st ? dg_memdup(ps->a, inner.st, inner.n_st, sizeof(*inner.st)) : NULL;
	*n_body = inner.n_st;
	free(inner.st);
	return r;
}

/* A module-level `def NAME(...):` and its body. */
static int parse_def(struct parser *ps)
{
	const struct tok *kw = cur(ps);
	struct dg_py_func f;
	memset(&f, 0, sizeof(f));
	if (is_kw(kw, "async"))
		advance(ps);
	advance(ps);
	if (cur(ps)->kind == T_NAME)
		f.name = tok_text(ps, cur(ps));
	f.line = kw->line;
	f.col = kw->col;
	f.offset = kw->offset;
	if (skip_header(ps) < 0)
		return -1;
	if (!f.name)
		return parse_suite(ps, NULL);
	size_t body_start = ps->i;
	int saved_depth = ps->depth;
	if (parse_func_suite(ps, &f.body, &f.n_body) < 0) {
		/* a body the reader cannot follow costs the function, not the module */
		struct dg_py_stmt *st = dg_alloc(ps->a, sizeof(*st));
		st->kind = DG_PY_STMT_OTHER;
		st->line = ps->t[body_start].line;
		st->col = ps->t[body_start].col;
		st->offset = ps->t[body_start].offset;
		st->error = dg_strdup(ps->a, dg_last_error());
		dg_error_clear();
		ps->i = body_start;
		ps->depth = saved_depth;
		if (parse_suite(ps, NULL) < 0)
			return -1;
		f.body = st;
		f.n_body = 1;
	}
	DG_PUSH(ps->funcs, ps->n_funcs, ps->cap_funcs, f);
	return 0;
}

/*
 * `with a [as x], b [as y]: body` in a function: nested WITH statements.
 * A form the reader does not know (parenthesised items, a tuple target)
 * becomes a BLOCK whose body is still read.
 */
static int parse_with(struct parser *ps, struct sink *sink)
{
	const struct tok *kw = cur(ps);
	size_t start = ps->i;
	struct dg_py_stmt items[16];
	size_t n = 0;
	advance(ps);
	for (;;) {
		const struct tok *at = cur(ps);
		struct dg_py_value *v = parse_expr(ps);
		if (!v || n == DG_ARRAY_SIZE(items))
			goto as_block;
		memset(&items[n], 0, sizeof(items[n]));
		items[n].kind = DG_PY_STMT_WITH;
		items[n].line = n ? at->line : kw->line;
		items[n].col = n ? at->col : kw->col;
		items[n].offset = n ? at->offset : kw->offset;
		items[n].value = v;
		if (is_kw(cur(ps), "as")) {
			advance(ps);
			if (cur(ps)->kind != T_NAME || !(is_op(peek(ps, 1), ",") || is_op(peek(ps, 1), ":")))
				goto as_block;
			items[n].name = tok_text(ps, cur(ps));
			advance(ps);
		}
		n++;
		if (is_op(cur(ps), ",")) {
			advance(ps);
			continue;
		}
		if (!is_op(cur(ps), ":"))
			goto as_block;
		advance(ps);
		break;
	}
	struct dg_py_stmt *body;
	size_t n_body;
	if (parse_func_suite(ps, &body, &n_body) < 0)
		return -1;
	for (size_t k = n; k-- > 0;) {
		items[k].body = body;
		items[k].n_body = n_body;
		body = dg_memdup(ps->a, &items[k], 1, sizeof(items[k]));
		n_body = 1;
	}
	DG_PUSH(sink->st, sink->n_st, sink->cap_st, *body);
	return 0;
as_block:
	dg_error_clear();
	ps->i = start;
	struct dg_py_stmt *st = add_stmt(sink, DG_PY_STMT_BLOCK, kw);
	st->keyword = "with";
	size_t idx = sink->n_st - 1;
	if (skip_header(ps) < 0)
		return -1;
	struct dg_py_stmt *b;
	size_t nb;
	if (parse_func_suite(ps, &b, &nb) < 0)
		return -1;
	sink->st[idx].body = b; /* the sink may have moved: index it again */
	sink->st[idx].n_body = nb;
	(void)st;
	return 0;
}

/* A compound statement in a function body: its body is read as a block of its own. */
static int parse_func_compound(struct parser *ps, struct sink *sink, const char *keyword)
{
	const struct tok *kw = cur(ps);
	add_stmt(sink, DG_PY_STMT_BLOCK, kw)->keyword = keyword;
	size_t idx = sink->n_st - 1;
	if (!strcmp(keyword, "if") || !strcmp(keyword, "elif")) {
		/* the condition is kept when it reads (dialect.name == 'postgresql') */
		size_t start = ps->i;
		advance(ps);
		struct dg_py_value *c = parse_expr(ps);
		if (c && is_op(cur(ps), ":")) {
			sink->st[idx].value = c;
		} else {
			dg_error_clear();
			sink->st[idx].value = NULL;
		}
		ps->i = start;
	}
	if (skip_header(ps) < 0)
		return -1;
	if (!strcmp(keyword, "def") || !strcmp(keyword, "class"))
		return parse_suite(ps, NULL); /* a nested definition: not run here */
	struct dg_py_stmt *b;
	size_t nb;
	if (parse_func_suite(ps, &b, &nb) < 0)
		return -1;
	sink->st[idx].body = b;
	sink->st[idx].n_body = nb;
	return 0;
}

static int parse_statement(struct parser *ps, struct sink *sink)
{
	static const char *const compound[] = {"if",   "elif", "else",	 "for",	    "while",
					       "with", "try",  "except", "finally", "async",
					       "def",  "class"};
	const struct tok *t = cur(ps);
	if (t->kind == T_NEWLINE) {
		advance(ps);
		return 0;
	}
	if (t->kind == T_INDENT)
		return parse_fail(ps, t, "");
	if (is_op(t, "@")) { /* a decorator line */
		return skip_to_newline(ps);
	}
	if (sink->scope == SCOPE_FUNC) {
		if (is_kw(t, "with"))
			return parse_with(ps, sink);
		for (size_t k = 0; k < DG_ARRAY_SIZE(compound); k++)
			if (is_kw(t, compound[k])) {
				const char *kw = compound[k];
				if (!strcmp(kw, "async") && is_kw(peek(ps, 1), "def"))
					kw = "def";
				return parse_func_compound(ps, sink, kw);
			}
		return parse_simple_line(ps, sink);
	}
	if (is_kw(t, "class"))
		return parse_class(ps, sink);
	if (is_kw(t, "def") || (is_kw(t, "async") && is_kw(peek(ps, 1), "def"))) {
		if (sink->scope == SCOPE_MODULE)
			return parse_def(ps);
		if (skip_header(ps) < 0)
			return -1;
		return parse_suite(ps, NULL);
	}
	for (size_t k = 0; k < 10; k++) {
		if (!is_kw(t, compound[k]))
			continue;
		/* `else` / `try` / `finally` have no expression before the ':' */
		if (skip_header(ps) < 0)
			return -1;
		/* inside conditionals only imports count: an assignment there is not certain */
		struct sink cond = SINK(SCOPE_OTHER);
		return parse_suite(ps, &cond);
	}
	return parse_simple_line(ps, sink);
}

static int parse_block(struct parser *ps, struct sink *sink)
{
	for (;;) {
		const struct tok *t = cur(ps);
		if (t->kind == T_END || t->kind == T_DEDENT)
			return 0;
		if (parse_statement(ps, sink) < 0)
			return -1;
	}
}

int dg_py_read(struct dg_arena *a, const char *path, const char *data, size_t len,
	       struct dg_py_module *out)
{
	memset(out, 0, sizeof(*out));
	if (len > DG_PY_MAX_BYTES)
		return dg_error("%s: file too large for ddlgate's reader (%zu bytes, limit %u)", path,
				len, DG_PY_MAX_BYTES);
	const char *nul = memchr(data, '\0', len);
	if (nul) {
		int line = 1;
		const char *ls = data;
		for (const char *p = data; p < nul; p++)
			if (*p == '\n') {
				line++;
				ls = p + 1;
			}
		return dg_error("%s:%d:%d: binary data (NUL byte) in a Python file", path, line,
				(int)(nul - ls) + 1);
	}
	long bad = dg_utf8_invalid_at(data, len);
	if (bad >= 0) {
		int line = 1;
		const char *ls = data;
		for (const char *p = data; p < data + bad; p++)
			if (*p == '\n') {
				line++;
				ls = p + 1;
			}
		return dg_error("%s:%d:%d: invalid UTF-8 (only UTF-8 source files are read)", path,
				line, (int)(data + bad - ls) + 1);
	}
	struct lexer lx;
	memset(&lx, 0, sizeof(lx));
	lx.a = a;
	lx.path = path;
	lx.s = lx.p = lx.line_start = data;
	lx.end = data + len;
	lx.line = 1;
	if (lex_all(&lx) < 0) {
		free(lx.toks);
		free(lx.comments);
		return -1;
	}
	struct parser ps;
	memset(&ps, 0, sizeof(ps));
	ps.a = a;
	ps.path = path;
	ps.t = lx.toks;
	ps.n = lx.n;
	ps.mod = out;
	struct sink top = SINK(SCOPE_MODULE);
	int r = parse_block(&ps, &top);
	if (r == 0 && cur(&ps)->kind != T_END)
		r = parse_fail(&ps, cur(&ps), "");
	if (r == 0) {
		out->assigns = ps.n_assigns
				   ? dg_memdup(a, ps.assigns, ps.n_assigns, sizeof(*ps.assigns))
				   : NULL;
		out->n_assigns = ps.n_assigns;
		out->classes = ps.n_classes
				   ? dg_memdup(a, ps.classes, ps.n_classes, sizeof(*ps.classes))
				   : NULL;
		out->n_classes = ps.n_classes;
		out->imported = ps.n_imported
				    ? dg_memdup(a, ps.imported, ps.n_imported, sizeof(*ps.imported))
				    : NULL;
		out->n_imported = ps.n_imported;
		out->funcs = ps.n_funcs ? dg_memdup(a, ps.funcs, ps.n_funcs, sizeof(*ps.funcs)) : NULL;
		out->n_funcs = ps.n_funcs;
		out->comments = lx.n_comments
				    ? dg_memdup(a, lx.comments, lx.n_comments, sizeof(*lx.comments))
				    : NULL;
		out->n_comments = lx.n_comments;
	}
	free(ps.assigns);
	free(ps.classes);
	free(ps.imported);
	free(ps.funcs);
	free(lx.comments);
	free(lx.toks);
	return r;
}

const struct dg_py_assign *dg_py_module_get(const struct dg_py_module *m, const char *name)
{
	const struct dg_py_assign *found = NULL;
	for (size_t i = 0; i < m->n_assigns; i++)
		if (!strcmp(m->assigns[i].name, name) && m->assigns[i].value)
			found = &m->assigns[i];
	return found;
}

const struct dg_py_assign *dg_py_class_get(const struct dg_py_class *c, const char *name)
{
	const struct dg_py_assign *found = NULL;
	for (size_t i = 0; i < c->n_body; i++)
		if (!strcmp(c->body[i].name, name) && c->body[i].value)
			found = &c->body[i];
	return found;
}

int dg_py_is_imported(const struct dg_py_module *m, const char *name)
{
	size_t l = strcspn(name, ".");
	for (size_t i = 0; i < m->n_imported; i++)
		if (strlen(m->imported[i]) == l && !strncmp(m->imported[i], name, l))
			return 1;
	return 0;
}

const char *dg_py_describe(struct dg_arena *a, const struct dg_py_value *v)
{
	switch (v->kind) {
	case DG_PY_NAME:
		return dg_sprintf(a, "the name '%s'", v->s);
	case DG_PY_CALL:
		if (v->func && v->func->kind == DG_PY_NAME)
			return dg_sprintf(a, "a call to %s()", v->func->s);
		return "a call";
	case DG_PY_STR:
		return v->fstring ? "an f-string with replacement fields" : "a string";
	case DG_PY_BYTES:
		return "a bytes literal";
	case DG_PY_INT:
		return "a number";
	case DG_PY_FLOAT:
		return "a number";
	case DG_PY_BOOL:
		return "a boolean";
	case DG_PY_NONE:
		return "None";
	case DG_PY_LIST:
		return "a list";
	case DG_PY_TUPLE:
		return "a tuple";
	case DG_PY_SET:
		return "a set";
	case DG_PY_DICT:
		return "a dict";
	case DG_PY_SUBSCRIPT:
		return "a subscript";
	case DG_PY_ATTR:
		return dg_sprintf(a, "the attribute '%s' of %s", v->s, dg_py_describe(a, v->func));
	case DG_PY_UNKNOWN:
		if (v->op && !strcmp(v->op, "%") && v->lhs && v->lhs->kind == DG_PY_STR)
			return "a string formatted with '%'";
		if (v->op)
			return dg_sprintf(a, "an expression with '%s'", v->op);
		break;
	}
	return "an expression";
}

const struct dg_py_func *dg_py_module_func(const struct dg_py_module *m, const char *name)
{
	const struct dg_py_func *found = NULL;
	for (size_t i = 0; i < m->n_funcs; i++)
		if (!strcmp(m->funcs[i].name, name))
			found = &m->funcs[i];
	return found;
}

const struct dg_py_value *dg_py_kwarg(const struct dg_py_value *call, const char *name)
{
	if (!call || call->kind != DG_PY_CALL)
		return NULL;
	for (size_t i = 0; i < call->n_kw; i++)
		if (!strcmp(call->kw_names[i], name))
			return call->kw_values[i];
	return NULL;
}

const struct dg_py_value *dg_py_arg(const struct dg_py_value *call, size_t i, const char *name)
{
	if (!call || call->kind != DG_PY_CALL)
		return NULL;
	if (i < call->n_items)
		return call->items[i];
	return name ? dg_py_kwarg(call, name) : NULL;
}

const char *dg_py_call_name(const struct dg_py_value *call)
{
	if (!call || call->kind != DG_PY_CALL || !call->func)
		return NULL;
	const struct dg_py_value *f = call->func;
	if (f->kind != DG_PY_NAME && f->kind != DG_PY_ATTR)
		return NULL;
	const char *dot = strrchr(f->s, '.');
	return dot ? dot + 1 : f->s;
}
