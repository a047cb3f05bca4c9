/*
 * From SQL text to statement facts, one statement at a time. PostgreSQL's
 * own scanner finds where statements end (a ';' outside parentheses and
 * outside a BEGIN ATOMIC body); then each statement is parsed alone with
 * pg_query_raw_parse() and its tree turned into facts (tree.c) and freed
 * before the next one is parsed. So a bad statement hides no other, every
 * byte is parsed once, and memory stays that of one statement's tree.
 * This file and its siblings are the only users of libpg_query's tree.
 */
#include "sql/pgtree.h"

#include <stdlib.h>
#include <string.h>

#include "common/keywords.h"
#include "parser/scanner.h"
#include "utils/elog.h"
#include "utils/memutils.h"

#include "sql/pos.h"

/* ---- the statement list and its comments ---- */

/* Skip whitespace and comments from p; returns the first token's offset. */
static size_t skip_space_comments(const char *d, size_t p, size_t end)
{
	while (p < end) {
		unsigned char ch = (unsigned char)d[p];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
			p++;
		} else if (ch == '-' && p + 1 < end && d[p + 1] == '-') {
			while (p < end && d[p] != '\n')
				p++;
		} else if (ch == '/' && p + 1 < end && d[p + 1] == '*') {
			int depth = 1; /* PostgreSQL block comments nest */
			p += 2;
			while (p < end && depth) {
				if (d[p] == '/' && p + 1 < end && d[p + 1] == '*') {
					depth++;
					p += 2;
				} else if (d[p] == '*' && p + 1 < end && d[p + 1] == '/') {
					depth--;
					p += 2;
				} else {
					p++;
				}
			}
		} else {
			break;
		}
	}
	return p;
}

static int is_rule_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

struct stmt_list {
	struct dg_stmt *v;
	size_t n, cap;
	size_t ignore_cap;
};

/*
 * Find `ddlgate:ignore[-file] RULE[,RULE]` markers in [from, to) (text
 * between statements: only comments) and record them; returns how many
 * were added (they are the last ones in f->ignores).
 */
static size_t scan_ignores(struct dg_arena *a, struct dg_sql_file *f, size_t from, size_t to,
			   size_t *cap)
{
	static const char marker[] = "ddlgate:ignore";
	const size_t ml = sizeof(marker) - 1;
	size_t added = 0;
	for (size_t p = from; p + ml <= to; p++) {
		if (f->data[p] != 'd' || memcmp(f->data + p, marker, ml))
			continue;
		size_t q = p + ml;
		int file_wide = 0;
		if (q + 5 <= to && !memcmp(f->data + q, "-file", 5)) {
			file_wide = 1;
			q += 5;
		}
		if (q < to && is_rule_char(f->data[q]))
			continue; /* some other word */
		for (;;) {
			while (q < to && (f->data[q] == ' ' || f->data[q] == '\t'))
				q++;
			size_t s = q;
			while (q < to && is_rule_char(f->data[q]))
				q++;
			if (q == s)
				break;
			if (f->n_ignores + 1 > *cap) {
				size_t nc = *cap ? *cap * 2 : 8;
				struct dg_ignore *ni = dg_alloc(a, nc * sizeof(*ni));
				if (f->n_ignores)
					memcpy(ni, f->ignores, f->n_ignores * sizeof(*ni));
				f->ignores = ni;
				*cap = nc;
			}
			struct dg_ignore *ig = &f->ignores[f->n_ignores++];
			ig->rule = dg_strndup(a, f->data + s, q - s);
			ig->file_wide = file_wide;
			dg_sql_pos(f, s, &ig->line, &ig->column);
			added++;
			while (q < to && (f->data[q] == ' ' || f->data[q] == '\t'))
				q++;
			if (q < to && f->data[q] == ',') {
				q++;
				continue;
			}
			break;
		}
		p = q > p ? q - 1 : p;
	}
	return added;
}

/*
 * Append the statement whose code runs from `start` to `end` (the end of
 * its last token); the comments between region_start and start carry its
 * suppressions.
 */
static struct dg_stmt *add_stmt(struct dg_arena *a, struct dg_sql_file *f, struct stmt_list *l,
				size_t region_start, size_t start, size_t end)
{
	if (l->n + 1 > l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		struct dg_stmt *nv = dg_alloc(a, nc * sizeof(*nv));
		if (l->n)
			memcpy(nv, l->v, l->n * sizeof(*nv));
		l->v = nv;
		l->cap = nc;
	}
	struct dg_stmt *st = &l->v[l->n++];
	memset(st, 0, sizeof(*st));
	/* include a directly following ';' in the statement's extent */
	size_t e = end;
	while (e < f->len && (f->data[e] == ' ' || f->data[e] == '\t'))
		e++;
	if (e < f->len && f->data[e] == ';')
		end = e + 1;
	while (end > start && (f->data[end - 1] == ' ' || f->data[end - 1] == '\t' ||
			       f->data[end - 1] == '\n' || f->data[end - 1] == '\r'))
		end--;
	st->offset = start;
	st->len = end > start ? end - start : 0;
	st->text = dg_strndup(a, f->data + start, st->len);
	st->error_offset = -1;
	dg_sql_pos(f, start, &st->line, &st->column);
	dg_sql_pos(f, end > start ? end - 1 : start, &st->end_line, &st->end_column);

	/* suppressions in the comments before the statement */
	size_t before = f->n_ignores;
	size_t added = scan_ignores(a, f, region_start, start, &l->ignore_cap);
	size_t own = 0;
	for (size_t i = before; i < before + added; i++)
		own += !f->ignores[i].file_wide;
	if (own) {
		st->ignored = dg_alloc(a, own * sizeof(*st->ignored));
		for (size_t i = before; i < before + added; i++) {
			if (f->ignores[i].file_wide)
				continue;
			st->ignored[st->n_ignored++] = f->ignores[i].rule;
			st->ignore_line = f->ignores[i].line;
		}
	}
	return st;
}

/* Byte offset of the 1-based character position `chars` in s. */
static size_t char_to_byte(const char *s, size_t len, int chars)
{
	size_t i = 0;
	int seen = 0;
	while (i < len && seen < chars - 1) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		seen++;
	}
	return i;
}

/* Mark st as rejected with PostgreSQL's message; cursorpos counts characters of `text`. */
static void set_error(struct dg_arena *a, struct dg_stmt *st, const char *message, int cursorpos,
		      const char *text, size_t text_len, size_t text_base)
{
	st->kind = DG_STMT_ERROR;
	const char *msg = message ? message : "syntax error";
	const char *nl = strpbrk(msg, "\r\n");
	/* "at or near" may quote a token spanning lines: keep one line */
	st->error = nl ? dg_sprintf(a, "%.*s...\"", (int)(nl - msg), msg) : dg_strdup(a, msg);
	if (cursorpos > 0)
		st->error_offset = (int)(text_base + char_to_byte(text, text_len, cursorpos));
	else
		st->error_offset = (int)st->offset;
}

/* ---- finding the statements: PostgreSQL's scanner ---- */

/* A ';' that did not end its statement (inside parentheses or BEGIN ATOMIC ... END). */
struct held_semi {
	size_t before;             /* end of the last token before it */
	size_t at;                 /* where it is */
	size_t next;               /* start of the first token after it (0: none) */
};

/* One statement as the scanner saw it. */
struct piece {
	size_t start, end;         /* first token, end of the last token */
	size_t first_held, n_held; /* its held semicolons */
};

struct split {
	struct piece *v;
	size_t n, cap;
	struct held_semi *held;
	size_t n_held, cap_held;
	/* the scanner gave up (an unterminated quote or comment) */
	int failed;
	size_t failed_from;        /* after the last ';' before the fault */
	long failed_start;         /* first token of the broken statement, -1 if none */
	char *failed_message;      /* malloc'd */
	int failed_cursor;         /* 1-based character position in the file */
};

/*
 * Grammar token codes the statement split looks at: a few keywords, and
 * the comments libpg_query's scanner reports as tokens of their own.
 */
struct token_codes {
	int create, or, replace, function, procedure, begin, kw_case, end;
	int c_comment, sql_comment;
};

static int keyword_code(const char *word)
{
	int k = ScanKeywordLookup(word, &ScanKeywords);
	return k < 0 ? -1 : ScanKeywordTokens[k];
}

/* Which codes the scanner gives the two comment forms: asked of the scanner itself. */
static void comment_codes(struct token_codes *k)
{
	core_yy_extra_type extra;
	core_YYSTYPE yylval;
	YYLTYPE yylloc;
	MemoryContext ctx = pg_query_enter_memory_context();
	core_yyscan_t scanner = scanner_init("/**/ --\n", &extra, &ScanKeywords, ScanKeywordTokens);
	int first = core_yylex(&yylval, &yylloc, scanner);
	int second = first ? core_yylex(&yylval, &yylloc, scanner) : 0;
	k->c_comment = first > 0 ? first : -1;
	k->sql_comment = second > 0 ? second : -1;
	scanner_finish(scanner);
	pg_query_exit_memory_context(ctx);
}

static const struct token_codes *token_codes(void)
{
	static struct token_codes k;
	static int done;
	if (!done) {
		k.create = keyword_code("create");
		k.or = keyword_code("or");
		k.replace = keyword_code("replace");
		k.function = keyword_code("function");
		k.procedure = keyword_code("procedure");
		k.begin = keyword_code("begin");
		k.kw_case = keyword_code("case");
		k.end = keyword_code("end");
		comment_codes(&k);
		done = 1;
	}
	return &k;
}

/* The statement being scanned. */
struct cur_stmt {
	const char *text;          /* what is scanned (the whole file) */
	long start;                /* first token, -1 before it */
	size_t last;               /* start of the last token (comments aside) */
	size_t comment;            /* start of the first comment after it, 0 if none */
	int paren;                 /* ( ) depth */
	int tokens;                /* tokens so far */
	int first[4];              /* their codes, for CREATE [OR REPLACE] FUNCTION */
	int routine;               /* CREATE [OR REPLACE] FUNCTION / PROCEDURE */
	int begin_depth;           /* inside BEGIN ATOMIC ... END */
	size_t first_held;
	int want_next;             /* the last held ';' waits for the next token */
	size_t cut;                /* just after the last ';' that ended a statement */
};

static void cur_reset(struct cur_stmt *c, const struct split *sp)
{
	const char *text = c->text;
	size_t cut = c->cut;
	memset(c, 0, sizeof(*c));
	c->text = text;
	c->cut = cut;
	c->start = -1;
	c->first_held = sp->n_held;
}

/*
 * End of the last token, given where the next thing (a ';', the end of
 * the text) starts: only whitespace and comments lie between, and the
 * scanner told us where the first comment starts.
 */
static size_t last_token_end(const struct cur_stmt *c, size_t limit)
{
	size_t e = c->comment ? c->comment : limit;
	while (e > c->last + 1 && (c->text[e - 1] == ' ' || c->text[e - 1] == '\t' ||
				   c->text[e - 1] == '\n' || c->text[e - 1] == '\r' ||
				   c->text[e - 1] == '\f' || c->text[e - 1] == '\v'))
		e--;
	return e;
}

/*
 * CREATE [OR REPLACE] FUNCTION|PROCEDURE: its SQL-standard body (BEGIN
 * ATOMIC ... END) holds ';'s of its own. The same test psql makes.
 */
static int is_routine(const struct cur_stmt *c, const struct token_codes *k)
{
	if (c->tokens < 2 || c->first[0] != k->create)
		return 0;
	if (c->first[1] == k->function || c->first[1] == k->procedure)
		return 1;
	return c->tokens >= 4 && c->first[1] == k->or && c->first[2] == k->replace &&
	       (c->first[3] == k->function || c->first[3] == k->procedure);
}

/* The statement ends where `limit` (its ';', or the end of the text) is. */
static void end_piece(struct split *sp, struct cur_stmt *c, size_t limit)
{
	if (c->start < 0)
		return;
	struct piece p = { (size_t)c->start, last_token_end(c, limit), c->first_held,
			   sp->n_held - c->first_held };
	if (c->want_next && p.n_held)
		sp->n_held--, p.n_held--; /* a trailing held ';' splits nothing */
	DG_PUSH(sp->v, sp->n, sp->cap, p);
}

/* One token of the scan, at byte offset `at`. */
static void split_token(struct split *sp, struct cur_stmt *c, int tok, size_t at)
{
	const struct token_codes *k = token_codes();
	if (tok == k->c_comment || tok == k->sql_comment) {
		if (c->start >= 0 && !c->comment)
			c->comment = at;
		return;
	}
	if (c->want_next) {
		sp->held[sp->n_held - 1].next = at;
		c->want_next = 0;
	}
	if (tok == ';' && c->paren == 0 && c->begin_depth == 0) {
		end_piece(sp, c, at);
		c->cut = at + 1;
		cur_reset(c, sp);
		return;
	}
	if (tok == ';' && c->start >= 0) {
		struct held_semi h = { last_token_end(c, at), at, 0 };
		DG_PUSH(sp->held, sp->n_held, sp->cap_held, h);
		c->want_next = 1;
	}
	if (c->start < 0)
		c->start = (long)at;
	c->last = at;
	c->comment = 0;
	if (c->tokens < 4)
		c->first[c->tokens] = tok;
	c->tokens++;
	if (c->tokens == 2 || c->tokens == 4)
		c->routine = c->routine || is_routine(c, k);
	if (tok == '(')
		c->paren++;
	else if (tok == ')' && c->paren > 0)
		c->paren--;
	else if (c->routine && c->paren == 0) {
		if (tok == k->begin)
			c->begin_depth++;
		else if (tok == k->kw_case && c->begin_depth > 0)
			c->begin_depth++;
		else if (tok == k->end && c->begin_depth > 0)
			c->begin_depth--;
	}
}

/* The scan itself; PostgreSQL's scanner raises an error on a broken token. */
static void split_scan(struct split *sp, core_yyscan_t scanner, MemoryContext tokens,
		       struct cur_stmt *c, size_t len)
{
	core_YYSTYPE yylval;
	YYLTYPE yylloc;
	unsigned n = 0;
	for (;;) {
		int tok = core_yylex(&yylval, &yylloc, scanner);
		if (tok == 0)
			break;
		split_token(sp, c, tok, (size_t)yylloc);
		if (++n % 4096 == 0)
			MemoryContextReset(tokens); /* identifiers the scanner copied out */
	}
	end_piece(sp, c, len);
}

/* Split z (NUL-terminated, len bytes) into statements. */
static void split_statements(struct split *sp, const char *z, size_t len)
{
	(void)token_codes(); /* asks the scanner, before the one below exists */
	MemoryContext scan_ctx = pg_query_enter_memory_context();
	/* on the heap, like the scan's own state: they outlive a longjmp */
	core_yy_extra_type *extra = dg_xcalloc(1, sizeof(*extra));
	core_yyscan_t scanner = scanner_init(z, extra, &ScanKeywords, ScanKeywordTokens);
	MemoryContext tokens = AllocSetContextCreate(scan_ctx, "tokens", ALLOCSET_DEFAULT_SIZES);
	struct cur_stmt *c = dg_xcalloc(1, sizeof(*c));
	c->text = z;
	cur_reset(c, sp);
	MemoryContextSwitchTo(tokens);
	PG_TRY();
	{
		split_scan(sp, scanner, tokens, c, len);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(scan_ctx);
		ErrorData *ed = CopyErrorData();
		FlushErrorState();
		sp->failed = 1;
		sp->failed_from = c->cut;
		sp->failed_start = c->start;
		sp->failed_message = dg_xstrdup(ed->message ? ed->message : "syntax error");
		sp->failed_cursor = ed->cursorpos;
		sp->n_held = c->first_held; /* the broken statement's are of no use */
	}
	PG_END_TRY();
	MemoryContextSwitchTo(scan_ctx);
	scanner_finish(scanner);
	free(extra);
	free(c);
	pg_query_exit_memory_context(scan_ctx);
}

/* ---- parsing them one by one ---- */

struct parse_job {
	struct dg_arena *a;
	struct dg_sql_file *f;
	struct stmt_list l;
	const struct split *sp;
	MemoryContext stmt_ctx;    /* one statement's tree; reset after each */
};

/* The raw parse of one NUL-terminated statement text (in the current context). */
static List *raw_parse(const char *text, PgQueryError **err)
{
	PgQueryInternalParsetreeAndError r = pg_query_raw_parse(text, 0);
	free(r.stderr_buffer);
	*err = r.error;
	return r.error ? NIL : r.tree;
}

static size_t stmt_end(const struct dg_stmt *st)
{
	return st->offset + st->len;
}

/* Parse [start, end) alone: one statement, or its error. */
static void parse_alone(struct parse_job *j, size_t region, size_t start, size_t end)
{
	struct dg_stmt *st = add_stmt(j->a, j->f, &j->l, region, start, end);
	PgQueryError *err;
	List *tree = raw_parse(st->text, &err);
	if (err) {
		set_error(j->a, st, err->message, err->cursorpos, st->text, st->len, st->offset);
		pg_query_free_error(err);
	} else if (tree) {
		dg_pg_stmt_facts(j->a, linitial_node(RawStmt, tree)->stmt, (int)st->offset, st);
	}
	MemoryContextReset(j->stmt_ctx);
}

/*
 * A statement that held ';'s and did not parse as one (a stray '(' or
 * BEGIN hid a statement end, or the text was several statements after
 * all): parse the pieces between its held ';'s alone instead.
 */
static void parse_held_apart(struct parse_job *j, size_t region, const struct piece *p)
{
	size_t from = p->start;
	for (size_t i = 0; i < p->n_held; i++) {
		const struct held_semi *h = &j->sp->held[p->first_held + i];
		if (h->before > from) {
			parse_alone(j, region, from, h->before);
			region = stmt_end(&j->l.v[j->l.n - 1]);
		}
		if (!h->next)
			return;
		from = h->next;
	}
	if (p->end > from)
		parse_alone(j, region, from, p->end);
}

static void parse_piece(struct parse_job *j, size_t region, const struct piece *p)
{
	if (!p->n_held) {
		parse_alone(j, region, p->start, p->end);
		return;
	}
	size_t n_before = j->l.n, ignores_before = j->f->n_ignores;
	struct dg_stmt *st = add_stmt(j->a, j->f, &j->l, region, p->start, p->end);
	PgQueryError *err;
	List *tree = raw_parse(st->text, &err);
	if (!err && list_length(tree) == 1) {
		dg_pg_stmt_facts(j->a, linitial_node(RawStmt, tree)->stmt, (int)st->offset, st);
		MemoryContextReset(j->stmt_ctx);
		return;
	}
	if (err)
		pg_query_free_error(err);
	MemoryContextReset(j->stmt_ctx);
	j->l.n = n_before; /* taken back, suppressions too */
	j->f->n_ignores = ignores_before;
	parse_held_apart(j, region, p);
}

/* The scanner gave up: the rest of the file from the broken statement is one error. */
static void add_broken_rest(struct parse_job *j, size_t region)
{
	const struct split *sp = j->sp;
	const struct dg_sql_file *f = j->f;
	size_t s = sp->failed_start >= 0 ? (size_t)sp->failed_start :
		skip_space_comments(f->data, sp->failed_from, f->len);
	if (s >= f->len)
		s = sp->failed_from;
	if (region > s)
		region = s;
	struct dg_stmt *st = add_stmt(j->a, j->f, &j->l, region, s, f->len);
	set_error(j->a, st, sp->failed_message, sp->failed_cursor, f->data, f->len, 0);
}

static void parse_pieces(struct parse_job *j)
{
	size_t region = 0;
	for (size_t i = 0; i < j->sp->n; i++) {
		parse_piece(j, region, &j->sp->v[i]);
		if (j->l.n)
			region = stmt_end(&j->l.v[j->l.n - 1]);
	}
	if (j->sp->failed)
		add_broken_rest(j, region);
	else
		scan_ignores(j->a, j->f, region, j->f->len, &j->l.ignore_cap);
}

void dg_sql_parse(struct dg_arena *a, struct dg_sql_file *out, const char *path,
		  const char *data, size_t len)
{
	struct parse_job j;
	memset(out, 0, sizeof(*out));
	memset(&j, 0, sizeof(j));
	j.a = a;
	j.f = out;
	out->path = dg_strdup(a, path);
	out->data = data;
	out->len = len;
	dg_sql_index_lines(a, out);

	const char *nul = memchr(data, '\0', len);
	if (nul) {
		/* the parser reads C strings: a NUL would silently end the file */
		struct dg_stmt *st = add_stmt(a, out, &j.l, 0, 0, len);
		st->kind = DG_STMT_ERROR;
		st->error = "NUL byte in SQL text";
		st->error_offset = (int)(nul - data);
		out->stmts = j.l.v;
		out->n_stmts = j.l.n;
		return;
	}

	/* the scanner reads a C string; data need not be NUL-terminated (blobs, fuzzers) */
	struct split sp;
	memset(&sp, 0, sizeof(sp));
	char *z = dg_xstrndup(data, len);
	split_statements(&sp, z, len);
	free(z);

	/* room for every statement at once: each held ';' may end one more */
	j.sp = &sp;
	j.l.cap = sp.n + sp.n_held + 1;
	j.l.v = dg_alloc(a, j.l.cap * sizeof(*j.l.v));
	MemoryContext file_ctx = pg_query_enter_memory_context();
	j.stmt_ctx = AllocSetContextCreate(file_ctx, "statement", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(j.stmt_ctx);
	parse_pieces(&j);
	MemoryContextSwitchTo(file_ctx);
	pg_query_exit_memory_context(file_ctx);

	free(sp.v);
	free(sp.held);
	free(sp.failed_message);
	out->stmts = j.l.v;
	out->n_stmts = j.l.n;
}
