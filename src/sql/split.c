/*
 * Statement boundaries, by PostgreSQL's lexical rules (scan.l), as psql
 * finds them before it sends a statement: a ';' ends a statement unless
 * it is inside quotes, a dollar quote, a comment, parentheses, or the
 * BEGIN ATOMIC ... END body of CREATE FUNCTION / PROCEDURE. What psql
 * itself reads is set aside: a byte order mark, meta-commands (a
 * backslash to the end of its line) and the data lines of COPY ... FROM
 * STDIN. Only token boundaries are found here; every statement is then
 * parsed by PostgreSQL's own parser, which has the last word (parse.c).
 */
#include "sql/split.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define OPEN_QUOTE SIZE_MAX /* a token that runs past the end of the text */

enum tok_kind { TK_WORD, TK_SEMI, TK_OPEN, TK_CLOSE, TK_OTHER };

struct tok {
	enum tok_kind kind;
	size_t start, end;         /* end == OPEN_QUOTE: left open */
};

/*
 * Character classes of PostgreSQL's scanner, one table lookup each (the
 * splitter looks at every byte of every file): filled by the first split.
 */
enum { C_IDENT = 1, C_DIGIT = 2, C_DOLLAR = 4, C_SPACE = 8 };

static unsigned char cls[256];

static void classes_init(void)
{
	if (cls['a'])
		return;
	for (int c = 0; c < 256; c++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80)
			cls[c] |= C_IDENT;
		if (c >= '0' && c <= '9')
			cls[c] |= C_DIGIT;
	}
	cls['$'] |= C_DOLLAR;
	for (const char *sp = " \t\n\r\f\v"; *sp; sp++)
		cls[(unsigned char)*sp] |= C_SPACE;
}

static int is_space(unsigned char c)
{
	return cls[c] & C_SPACE;
}

static int ident_start(unsigned char c)
{
	return cls[c] & C_IDENT;
}

static int is_digit(unsigned char c)
{
	return cls[c] & C_DIGIT;
}

/* Past the identifier characters (letters, digits, '_', '$', non-ASCII) from p. */
static size_t ident_end(const char *d, size_t p, size_t len)
{
	while (p < len && (cls[(unsigned char)d[p]] & (C_IDENT | C_DIGIT | C_DOLLAR)))
		p++;
	return p;
}

/* Skip whitespace and comments from p; *open is set when a comment runs to the end. */
static size_t skip_blank(const char *d, size_t p, size_t len, int *open)
{
	while (p < len) {
		unsigned char c = (unsigned char)d[p];
		if (is_space(c)) {
			p++;
		} else if (c == '-' && p + 1 < len && d[p + 1] == '-') {
			while (p < len && d[p] != '\n' && d[p] != '\r')
				p++;
		} else if (c == '/' && p + 1 < len && d[p + 1] == '*') {
			size_t start = p;
			int depth = 1; /* PostgreSQL's block comments nest */
			p += 2;
			while (p < len && depth) {
				if (d[p] == '/' && p + 1 < len && d[p + 1] == '*') {
					depth++;
					p += 2;
				} else if (d[p] == '*' && p + 1 < len && d[p + 1] == '/') {
					depth--;
					p += 2;
				} else {
					p++;
				}
			}
			if (depth) {
				*open = 1;
				return start;
			}
		} else {
			break;
		}
	}
	return p;
}

/* After the closing quote q of a literal opened at p ('' or "" doubles it). */
static size_t quoted_end(const char *d, size_t p, size_t len, char q, int backslash)
{
	for (size_t i = p + 1; i < len; i++) {
		if (backslash && d[i] == '\\') {
			i++;
			continue;
		}
		if (d[i] != q)
			continue;
		if (i + 1 < len && d[i + 1] == q) {
			i++;
			continue;
		}
		return i + 1;
	}
	return OPEN_QUOTE;
}

/* A dollar quote's delimiter at p ($$ or $tag$): its length, or 0 when there is none. */
static size_t dollar_tag(const char *d, size_t p, size_t len)
{
	size_t q = p + 1;
	if (q < len && ident_start((unsigned char)d[q])) {
		q++;
		while (q < len && (ident_start((unsigned char)d[q]) || is_digit((unsigned char)d[q])))
			q++;
	}
	return q < len && d[q] == '$' ? q + 1 - p : 0;
}

static size_t dollar_end(const char *d, size_t p, size_t len, size_t tag)
{
	for (size_t i = p + tag; i + tag <= len; i++) {
		const char *hit = memchr(d + i, '$', len - i);
		if (!hit)
			break;
		i = (size_t)(hit - d);
		if (i + tag <= len && !memcmp(d + i, d + p, tag))
			return i + tag;
	}
	return OPEN_QUOTE;
}

/* The token at p (not blank). */
static struct tok lex(const char *d, size_t p, size_t len)
{
	struct tok t = { TK_OTHER, p, p + 1 };
	unsigned char c = (unsigned char)d[p];
	if (ident_start(c)) {
		size_t e = ident_end(d, p + 1, len);
		/* E'...' takes backslash escapes; U&'...' and U&"..." are quoted as usual */
		if (e == p + 1 && (c == 'e' || c == 'E') && e < len && d[e] == '\'') {
			t.end = quoted_end(d, e, len, '\'', 1);
			return t;
		}
		if (e == p + 1 && (c == 'u' || c == 'U') && e + 1 < len && d[e] == '&' &&
		    (d[e + 1] == '\'' || d[e + 1] == '"')) {
			t.end = quoted_end(d, e + 1, len, d[e + 1], 0);
			return t;
		}
		t.kind = TK_WORD;
		t.end = e;
		return t;
	}
	if (c == '\'' || c == '"') {
		t.end = quoted_end(d, p, len, (char)c, 0);
		return t;
	}
	if (c == '$') {
		if (p + 1 < len && is_digit((unsigned char)d[p + 1])) { /* $1 */
			size_t e = p + 1;
			while (e < len && is_digit((unsigned char)d[e]))
				e++;
			t.end = e;
			return t;
		}
		size_t tag = dollar_tag(d, p, len);
		if (tag)
			t.end = dollar_end(d, p, len, tag);
		return t;
	}
	if (is_digit(c)) {
		size_t e = p + 1;
		while (e < len && (ident_start((unsigned char)d[e]) || is_digit((unsigned char)d[e]) ||
				   d[e] == '.'))
			e++;
		t.end = e;
		return t;
	}
	if (c == ';')
		t.kind = TK_SEMI;
	else if (c == '(')
		t.kind = TK_OPEN;
	else if (c == ')')
		t.kind = TK_CLOSE;
	return t;
}

size_t dg_sql_code_start(const char *data, size_t from, size_t to)
{
	classes_init();
	int open = 0;
	size_t p = skip_blank(data, from, to, &open);
	return open ? to : p;
}

size_t dg_sql_code_end(const char *data, size_t from, size_t to)
{
	classes_init();
	size_t p = from, end = from;
	for (;;) {
		int open = 0;
		p = skip_blank(data, p, to, &open);
		if (open || p >= to)
			return end;
		struct tok t = lex(data, p, to);
		if (t.end == OPEN_QUOTE)
			return to;
		end = p = t.end;
	}
}

/* ---- the split ---- */

/* The words that decide whether ';'s belong to a routine body, or data follows a COPY. */
enum word {
	W_OTHER, W_CREATE, W_OR, W_REPLACE, W_FUNCTION, W_PROCEDURE, W_BEGIN, W_CASE, W_END,
	W_COPY, W_FROM, W_STDIN,
};

/* Is token t the word w (lower-case letters), in any case? */
static int token_is(const char *d, const struct tok *t, const char *w)
{
	size_t n = t->end - t->start, k = 0;
	while (k < n && w[k] && (d[t->start + k] | 0x20) == w[k])
		k++;
	return k == n && !w[k];
}

static enum word word_of(const char *d, const struct tok *t)
{
	static const struct {
		const char *s;
		enum word w;
	} words[] = {
		{ "create", W_CREATE }, { "or", W_OR }, { "replace", W_REPLACE },
		{ "function", W_FUNCTION }, { "procedure", W_PROCEDURE }, { "begin", W_BEGIN },
		{ "case", W_CASE }, { "end", W_END }, { "copy", W_COPY }, { "from", W_FROM },
		{ "stdin", W_STDIN },
	};
	size_t n = t->end - t->start;
	if (t->kind != TK_WORD || n < 2 || n > 9 || !strchr("corfpbes", d[t->start] | 0x20))
		return W_OTHER;
	for (size_t i = 0; i < DG_ARRAY_SIZE(words); i++)
		if (token_is(d, t, words[i].s))
			return words[i].w;
	return W_OTHER;
}

/* The statement being split off. */
struct cur {
	long start;                /* first token, -1 before it */
	size_t end;                /* end of its last token */
	int paren;                 /* ( ) depth */
	int tokens;
	enum word first[4];        /* for CREATE [OR REPLACE] FUNCTION|PROCEDURE */
	int routine;
	int begin_depth;           /* inside BEGIN ATOMIC ... END */
	size_t first_held;
	int want_next;             /* the last held ';' waits for the token after it */
	int copy;                  /* COPY ...: 1; FROM seen at depth 0: 2; FROM STDIN: 3 */
};

static void cur_reset(struct cur *c, const struct dg_sql_split *s)
{
	memset(c, 0, sizeof(*c));
	c->start = -1;
	c->first_held = s->n_held;
}

/*
 * CREATE [OR REPLACE] FUNCTION|PROCEDURE: its SQL-standard body (BEGIN
 * ATOMIC ... END) holds ';'s of its own. The test psql makes.
 */
static int is_routine(const struct cur *c)
{
	if (c->first[0] != W_CREATE)
		return 0;
	if (c->tokens == 2)
		return c->first[1] == W_FUNCTION || c->first[1] == W_PROCEDURE;
	return c->tokens == 4 && c->first[1] == W_OR && c->first[2] == W_REPLACE &&
	       (c->first[3] == W_FUNCTION || c->first[3] == W_PROCEDURE);
}

static void end_piece(struct dg_sql_split *s, struct cur *c)
{
	if (c->start < 0)
		return;
	if (c->want_next)
		s->n_held--; /* a ';' at the very end splits nothing */
	struct dg_sql_piece p = { (size_t)c->start, c->end, c->first_held, s->n_held - c->first_held, 0 };
	DG_PUSH(s->pieces, s->n, s->cap, p);
}

/* COPY ... FROM STDIN [...]: the words that say data lines follow the statement. */
static void track_copy(struct cur *c, enum word w)
{
	if (c->tokens == 0) {
		c->copy = w == W_COPY;
		return;
	}
	if (!c->copy || c->paren)
		return;
	if (c->copy == 1 && w == W_FROM)
		c->copy = 2;
	else if (c->copy == 2)
		c->copy = w == W_STDIN ? 3 : 1;
}

static void track(struct cur *c, const char *d, const struct tok *t)
{
	if (t->kind == TK_OPEN) {
		c->paren++;
	} else if (t->kind == TK_CLOSE) {
		if (c->paren > 0)
			c->paren--;
	} else if (t->kind == TK_WORD &&
		   (c->tokens < 4 || (c->routine && c->paren == 0) || (c->copy && c->paren == 0))) {
		enum word w = word_of(d, t);
		track_copy(c, w);
		if (c->tokens < 4)
			c->first[c->tokens] = w;
		if (c->routine && c->paren == 0) {
			if (w == W_BEGIN || (w == W_CASE && c->begin_depth > 0))
				c->begin_depth++;
			else if (w == W_END && c->begin_depth > 0)
				c->begin_depth--;
		}
	}
	c->tokens++;
	if (c->tokens == 2 || c->tokens == 4)
		c->routine = c->routine || is_routine(c);
}

/* Past the end of the line p is on (its '\n' included). */
static size_t line_end(const char *d, size_t p, size_t len)
{
	const char *nl = memchr(d + p, '\n', len - p);
	return nl ? (size_t)(nl - d) + 1 : len;
}

/* COPY ... FROM STDIN data: the lines after the statement's, up to one that is "\." (or the end). */
static size_t copy_data_end(const char *d, size_t p, size_t len)
{
	p = line_end(d, p, len);
	while (p < len) {
		size_t e = line_end(d, p, len), l = e - p;
		while (l && (d[p + l - 1] == '\n' || d[p + l - 1] == '\r'))
			l--;
		if (l == 2 && d[p] == '\\' && d[p + 1] == '.')
			return e;
		p = e;
	}
	return len;
}

/* A word or a quoted identifier over 63 bytes (PostgreSQL truncates it), or 0. */
static size_t long_word_bytes(const char *d, const struct tok *t)
{
	if (t->end == OPEN_QUOTE || t->end - t->start <= DG_SQL_MAX_IDENT)
		return 0;
	size_t n = t->end - t->start;
	if (t->kind == TK_WORD)
		return n > DG_SQL_MAX_IDENT ? n : 0;
	if (d[t->start] != '"' || n < 2 + DG_SQL_MAX_IDENT)
		return 0;
	size_t bytes = 0;
	for (size_t i = t->start + 1; i + 1 < t->end; i++, bytes++)
		if (d[i] == '"')
			i++; /* "" is one quote */
	return bytes > DG_SQL_MAX_IDENT ? bytes : 0;
}

void dg_sql_long_words(const char *d, size_t from, size_t to,
		       void (*cb)(void *arg, const struct dg_sql_long_word *w), void *arg)
{
	classes_init();
	size_t p = from;
	for (;;) {
		int open = 0;
		p = skip_blank(d, p, to, &open);
		if (open || p >= to)
			return;
		struct tok t = lex(d, p, to);
		if (t.end == OPEN_QUOTE)
			return;
		size_t bytes = long_word_bytes(d, &t);
		if (bytes) {
			struct dg_sql_long_word w = { t.start, t.end, bytes };
			cb(arg, &w);
		}
		p = t.end;
	}
}

/* Is token t one of words (lower case), ignoring case? */
static int word_in(const char *d, const struct tok *t, const char *const *words, size_t n_words)
{
	for (size_t i = 0; i < n_words; i++)
		if (token_is(d, t, words[i]))
			return 1;
	return 0;
}

int dg_sql_may_have_word(const char *d, size_t len, const char *const *words, size_t n_words)
{
	classes_init();
	size_t p = 0;
	for (;;) {
		int open = 0;
		p = skip_blank(d, p, len, &open);
		if (open)
			return 1;
		if (p >= len)
			return 0;
		struct tok t = lex(d, p, len);
		if (t.end == OPEN_QUOTE)
			return 1;
		if (t.kind == TK_WORD && word_in(d, &t, words, n_words))
			return 1;
		p = t.end;
	}
}

void dg_sql_split(struct dg_sql_split *out, const char *d, size_t len)
{
	classes_init();
	struct cur c;
	size_t p = 0;
	memset(out, 0, sizeof(*out));
	cur_reset(&c, out);
	if (len >= 3 && !memcmp(d, "\xef\xbb\xbf", 3))
		p = out->bom = 3; /* psql and PostgreSQL's own files may start with one */
	for (;;) {
		int open = 0;
		p = skip_blank(d, p, len, &open);
		struct tok t = { TK_OTHER, p, OPEN_QUOTE };
		if (!open && p < len && d[p] == '\\') {
			/* a psql meta-command: the rest of the line; it sends what came before */
			struct dg_sql_meta m = { p, line_end(d, p, len) };
			while (m.end > m.start && (d[m.end - 1] == '\n' || d[m.end - 1] == '\r'))
				m.end--;
			DG_PUSH(out->metas, out->n_metas, out->cap_metas, m);
			end_piece(out, &c);
			cur_reset(&c, out);
			p = line_end(d, p, len);
			continue;
		}
		if (!open && p < len)
			t = lex(d, p, len);
		else if (p >= len)
			break;
		if (t.end == OPEN_QUOTE) {
			/* the rest, from the statement it is in, is one broken piece */
			if (c.start < 0)
				c.start = (long)p;
			c.want_next = 0;
			c.end = len;
			end_piece(out, &c);
			return;
		}
		if (c.want_next) {
			out->held[out->n_held - 1].next = t.start;
			c.want_next = 0;
		}
		if (t.kind == TK_SEMI && c.paren == 0 && c.begin_depth == 0) {
			int data = c.copy == 3 && c.start >= 0;
			end_piece(out, &c);
			cur_reset(&c, out);
			p = t.end;
			if (data) /* psql sends the lines after it as the table's rows */
				p = out->pieces[out->n - 1].data_end = copy_data_end(d, p, len);
			continue;
		}
		size_t bytes = long_word_bytes(d, &t);
		if (bytes) {
			struct dg_sql_long_word w = { t.start, t.end, bytes };
			DG_PUSH(out->long_words, out->n_long, out->cap_long, w);
		}
		if (t.kind == TK_SEMI && c.start >= 0) {
			struct dg_sql_held h = { c.end, t.start, 0 };
			DG_PUSH(out->held, out->n_held, out->cap_held, h);
			c.want_next = 1;
		}
		if (c.start < 0)
			c.start = (long)t.start;
		track(&c, d, &t);
		c.end = p = t.end;
	}
	end_piece(out, &c);
}

void dg_sql_split_release(struct dg_sql_split *s)
{
	free(s->pieces);
	free(s->held);
	free(s->metas);
	free(s->long_words);
	memset(s, 0, sizeof(*s));
}
