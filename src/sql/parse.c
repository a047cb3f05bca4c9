/*
 * From SQL text to statement facts, one statement at a time: split.c
 * finds where statements end (a ';' outside quotes, parentheses and
 * BEGIN ATOMIC bodies), then each statement is parsed alone with
 * pg_query_raw_parse(), its tree turned into facts (tree.c) and freed
 * before the next one is parsed. So a bad statement hides no other, each
 * byte is parsed once, and memory stays that of one statement's tree.
 * This file and its siblings are the only users of libpg_query's tree.
 */
#include "sql/pgtree.h"

#include <stdlib.h>
#include <string.h>

#include "utils/memutils.h"

#include "sql/pos.h"
#include "sql/split.h"

/* ---- the statement list and its comments ---- */

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
			ig->offset = s;
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
	st->text = f->data + start;
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

/* ---- parsing them one by one ---- */

struct parse_job {
	struct dg_arena *a;
	struct dg_sql_file *f;
	struct stmt_list l;
	const struct dg_sql_split *sp;
	MemoryContext stmt_ctx;    /* one statement's tree; reset after each */
};

/*
 * The raw parse of len bytes of text, in the current context (the
 * statement's: its NUL-terminated copy goes with the tree).
 */
static List *raw_parse(const char *text, size_t len, PgQueryError **err)
{
	char *own = palloc(len + 1);
	memcpy(own, text, len);
	own[len] = '\0';
	PgQueryInternalParsetreeAndError r = pg_query_raw_parse(own, 0);
	free(r.stderr_buffer);
	*err = r.error;
	return r.error ? NIL : r.tree;
}

static size_t stmt_end(const struct dg_stmt *st)
{
	return st->offset + st->len;
}

/*
 * The text parsed as several statements after all (a routine named
 * "begin", say, kept ';'s together): one fact per statement, from the
 * one tree. Locations in it are offsets into the text at `base`.
 */
static void facts_of_each(struct parse_job *j, size_t region, List *tree, size_t base, size_t text_len)
{
	ListCell *lc;
	foreach(lc, tree) {
		RawStmt *rs = lfirst_node(RawStmt, lc);
		size_t from = base + (size_t)(rs->stmt_location > 0 ? rs->stmt_location : 0);
		size_t to = rs->stmt_len ? from + (size_t)rs->stmt_len : base + text_len;
		if (to > base + text_len)
			to = base + text_len;
		size_t s = dg_sql_code_start(j->f->data, from, to);
		if (s >= to)
			continue;
		struct dg_stmt *st = add_stmt(j->a, j->f, &j->l, region, s,
					      dg_sql_code_end(j->f->data, s, to));
		dg_pg_stmt_facts(j->a, rs->stmt, (int)base, st);
		region = stmt_end(st);
	}
}

/*
 * Parse [start, end) as one statement. A text that held ';'s and does not
 * parse as one statement (a stray '(' or BEGIN hid where statements end)
 * is parsed again in the pieces between its held ';'s, when `held` allows.
 */
static void parse_region(struct parse_job *j, size_t region, size_t start, size_t end,
			 const struct dg_sql_piece *held)
{
	size_t n_before = j->l.n, ignores_before = j->f->n_ignores;
	struct dg_stmt *st = add_stmt(j->a, j->f, &j->l, region, start, end);
	PgQueryError *err;
	List *tree = raw_parse(st->text, st->len, &err);
	if (!err && list_length(tree) == 1) {
		dg_pg_stmt_facts(j->a, linitial_node(RawStmt, tree)->stmt, (int)st->offset, st);
	} else if (!err && tree) {
		size_t base = st->offset, len = st->len;
		j->l.n = n_before; /* taken back, suppressions too */
		j->f->n_ignores = ignores_before;
		facts_of_each(j, region, tree, base, len);
	} else if (err && held && held->n_held) {
		pg_query_free_error(err);
		MemoryContextReset(j->stmt_ctx);
		j->l.n = n_before;
		j->f->n_ignores = ignores_before;
		size_t from = start;
		for (size_t i = 0; i < held->n_held; i++) {
			const struct dg_sql_held *h = &j->sp->held[held->first_held + i];
			if (h->before > from) {
				parse_region(j, region, from, h->before, NULL);
				region = stmt_end(&j->l.v[j->l.n - 1]);
			}
			from = h->next;
			if (!from)
				return;
		}
		if (end > from)
			parse_region(j, region, from, end, NULL);
		return;
	} else if (err) {
		set_error(j->a, st, err->message, err->cursorpos, st->text, st->len, st->offset);
		pg_query_free_error(err);
	}
	MemoryContextReset(j->stmt_ctx);
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

	struct dg_sql_split sp;
	dg_sql_split(&sp, data, len);
	/* room for every statement at once: each held ';' may end one more */
	j.sp = &sp;
	j.l.cap = sp.n + sp.n_held + 1;
	j.l.v = dg_alloc(a, j.l.cap * sizeof(*j.l.v));

	MemoryContext file_ctx = pg_query_enter_memory_context();
	j.stmt_ctx = AllocSetContextCreate(file_ctx, "statement", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(j.stmt_ctx);
	size_t region = 0;
	for (size_t i = 0; i < sp.n; i++) {
		const struct dg_sql_piece *p = &sp.pieces[i];
		parse_region(&j, region, p->start, p->end, p);
		if (j.l.n)
			region = stmt_end(&j.l.v[j.l.n - 1]);
	}
	scan_ignores(a, out, region, len, &j.l.ignore_cap);
	MemoryContextSwitchTo(file_ctx);
	pg_query_exit_memory_context(file_ctx);

	dg_sql_split_release(&sp);
	out->stmts = j.l.v;
	out->n_stmts = j.l.n;
}
