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

#include "sql/body.h"
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
	if (region_start > start)
		region_start = start;
	if (l->n + 1 > l->cap) {
		/* a DO block's body adds statements the split did not count */
		size_t nc = l->cap ? l->cap * 2 : 16;
		l->v = dg_arena_resize(a, l->v, nc * sizeof(*l->v));
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
	size_t next_long;          /* the first of sp->long_words not given to a statement yet */
	struct dg_sql_opaque *opaque; /* heap, moved into the file at the end */
	size_t n_opaque, cap_opaque;
	struct dg_sql_note *notes;
	size_t n_notes, cap_notes;
};

static void expand_body(struct parse_job *j, size_t at, int depth);

/* The long identifiers of the split that fall in st's text. */
static void attach_long_words(struct parse_job *j, struct dg_stmt *st)
{
	const struct dg_sql_split *sp = j->sp;
	size_t end = st->offset + st->len, k = j->next_long, first;
	while (k < sp->n_long && sp->long_words[k].start < st->offset)
		k++;
	first = k;
	while (k < sp->n_long && sp->long_words[k].start < end)
		k++;
	j->next_long = k;
	if (k == first)
		return;
	struct dg_stmt_rare *rare = dg_stmt_rare_mut(j->a, st);
	rare->long_idents = dg_alloc(j->a, (k - first) * sizeof(*rare->long_idents));
	for (size_t i = first; i < k; i++) {
		struct dg_long_ident *li = &rare->long_idents[rare->n_long_idents++];
		li->offset = sp->long_words[i].start;
		li->len = sp->long_words[i].end - sp->long_words[i].start;
		li->bytes = sp->long_words[i].bytes;
	}
}

/* The end of the last top-level statement (not one of a DO block's body), or `dflt`. */
static size_t top_end(const struct parse_job *j, size_t dflt)
{
	for (size_t i = j->l.n; i-- > 0;)
		if (!j->l.v[i].body_of)
			return j->l.v[i].offset + j->l.v[i].len;
	return dflt;
}

static List *raw_parse(const char *text, size_t len, PgQueryError **err);

/* A statement that changes tables, indexes or schemas (what a function body should not hide). */
static int is_ddl(const Node *n)
{
	switch (nodeTag(n)) {
	case T_CreateStmt:
	case T_CreateTableAsStmt:
	case T_AlterTableStmt:
	case T_IndexStmt:
	case T_DropStmt:
	case T_RenameStmt:
	case T_CreateSchemaStmt:
	case T_ReindexStmt:
	case T_ClusterStmt:
	case T_TruncateStmt:
		return 1;
	case T_SelectStmt: /* SELECT ... INTO t creates t (parse analysis makes it CREATE TABLE AS) */
		return ((const SelectStmt *)n)->intoClause != NULL;
	default:
		return 0;
	}
}

/* Does the SQL text hold DDL? (Unparsable text does not count: the function is not run here.) */
static int sql_has_ddl(const char *sql)
{
	PgQueryError *err;
	List *tree = raw_parse(sql, strlen(sql), &err);
	if (err) {
		pg_query_free_error(err);
		return 0;
	}
	ListCell *lc;
	foreach(lc, tree)
		if (is_ddl(lfirst_node(RawStmt, lc)->stmt))
			return 1;
	return 0;
}

/*
 * The pieces of st's PL/pgSQL body (statements, constant EXECUTEs, opaque
 * dynamic SQL). The PL/pgSQL parser wants the whole statement as a C string
 * and the top memory context current, as libpg_query's own entry points do.
 */
static int body_pieces(struct dg_arena *scratch, const struct dg_stmt *st,
		       struct dg_body_piece **pieces, size_t *n, const char **err)
{
	MemoryContext mcx = CurrentMemoryContext;
	MemoryContextSwitchTo(TopMemoryContext);
	int rc = dg_sql_body_pieces(scratch, dg_strndup(scratch, st->text, st->len), st->body,
				    strlen(st->body), pieces, n, err);
	MemoryContextSwitchTo(mcx);
	return rc;
}

/*
 * Could a function body run DDL (is_ddl)? Every such statement begins
 * with one of these words, and SQL run by EXECUTE is found only after the
 * word EXECUTE; an SQL body's SELECT ... INTO creates a table too. A body
 * without any of them as a bare word is DDL-free for certain, and is not
 * parsed: the PL/pgSQL parser costs more than the rest of the statement.
 */
static int body_may_have_ddl(const char *body, int sql_body)
{
	static const char *const words[] = { "create", "alter", "drop", "reindex", "cluster",
					     "truncate", "execute", "into" /* last: SQL bodies only */ };
	return dg_sql_may_have_word(body, strlen(body), words,
				    DG_ARRAY_SIZE(words) - (sql_body ? 0 : 1));
}

/*
 * CREATE FUNCTION / PROCEDURE: does its body run DDL? PL/pgSQL bodies are
 * read by the PL/pgSQL parser (their statements and constant EXECUTEs),
 * SQL bodies by the SQL parser. The body is never linted: the migration
 * does not run it.
 */
static void function_body_ddl(struct dg_stmt *st)
{
	if (st->kind != DG_STMT_CREATE_FUNCTION || !st->body || !st->language)
		return;
	if (!strcasecmp(st->language, "sql")) {
		if (body_may_have_ddl(st->body, 1))
			st->body_has_ddl = sql_has_ddl(st->body);
		return;
	}
	if (strcasecmp(st->language, "plpgsql") || !body_may_have_ddl(st->body, 0))
		return;
	struct dg_body_piece *pieces;
	size_t n;
	const char *err;
	struct dg_arena scratch; /* the PL/pgSQL tree and its pieces: only the answer is kept */
	dg_arena_init(&scratch);
	int rc = body_pieces(&scratch, st, &pieces, &n, &err);
	for (size_t i = 0; rc == 0 && i < n && !st->body_has_ddl; i++)
		if (pieces[i].kind != DG_BODY_OPAQUE)
			st->body_has_ddl = sql_has_ddl(pieces[i].sql);
	dg_arena_release(&scratch);
}

/* The facts of a statement just added (and the statements of a DO block's body). */
static void stmt_done(struct parse_job *j, size_t at, Node *tree, int base)
{
	dg_pg_stmt_facts(j->a, tree, base, &j->l.v[at]);
	attach_long_words(j, &j->l.v[at]);
	function_body_ddl(&j->l.v[at]);
	expand_body(j, at, 0);
}

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

/* ---- what psql reads itself, and what cannot be read ---- */

static void add_note(struct parse_job *j, size_t offset, const char *msg)
{
	struct dg_sql_note n;
	int col;
	dg_sql_pos(j->f, offset, &n.line, &col);
	n.message = msg;
	DG_PUSH(j->notes, j->n_notes, j->cap_notes, n);
}

/*
 * SQL that runs but cannot be read: an opaque-sql finding at offset [at,
 * end), silenced by the comments in [region, at) (region == at: none) and
 * by those of `like` (the DO block it is in).
 */
static void add_opaque(struct parse_job *j, size_t region, size_t at, size_t end,
		       const struct dg_stmt *like, const char *what)
{
	struct dg_sql_opaque o;
	memset(&o, 0, sizeof(o));
	size_t before = j->f->n_ignores;
	size_t added = region < at ? scan_ignores(j->a, j->f, region, at, &j->l.ignore_cap) : 0;
	size_t n_like = like ? like->n_ignored : 0;
	if (added + n_like) {
		o.stmt.ignored = dg_alloc(j->a, (added + n_like) * sizeof(*o.stmt.ignored));
		for (size_t i = before; i < before + added; i++)
			if (!j->f->ignores[i].file_wide) {
				o.stmt.ignored[o.stmt.n_ignored++] = j->f->ignores[i].rule;
				o.stmt.ignore_line = j->f->ignores[i].line;
			}
		for (size_t i = 0; i < n_like; i++)
			o.stmt.ignored[o.stmt.n_ignored++] = like->ignored[i];
		if (!o.stmt.ignore_line && like)
			o.stmt.ignore_line = like->ignore_line;
	}
	o.stmt.kind = DG_STMT_OTHER;
	o.stmt.offset = at;
	o.stmt.len = end > at ? end - at : 0;
	o.stmt.text = "";
	o.stmt.error_offset = -1;
	dg_sql_pos(j->f, at, &o.stmt.line, &o.stmt.column);
	dg_sql_pos(j->f, end > at ? end - 1 : at, &o.stmt.end_line, &o.stmt.end_column);
	o.what = what;
	DG_PUSH(j->opaque, j->n_opaque, j->cap_opaque, o);
}

/* A psql meta-command: skipped with a note; \gexec runs SQL nobody wrote down. */
static void meta_command(struct parse_job *j, const struct dg_sql_meta *m)
{
	const char *d = j->f->data;
	size_t e = m->start + 1;
	while (e < m->end && d[e] != ' ' && d[e] != '\t')
		e++;
	const char *cmd = dg_strndup(j->a, d + m->start, e - m->start);
	if (!strcmp(cmd, "\\gexec")) {
		add_opaque(j, m->start, m->start, m->end, NULL,
			   "psql \\gexec runs every value the query before it returns as SQL: ddlgate cannot read it");
		j->opaque[j->n_opaque - 1].help =
			"write the statements the query generates into the migration, or silence this one with -- ddlgate:ignore-file opaque-sql <why it is safe>";
		return;
	}
	const char *why = "psql runs it, not the server";
	if (!strcmp(cmd, "\\i") || !strcmp(cmd, "\\ir") || !strcmp(cmd, "\\include") ||
	    !strcmp(cmd, "\\include_relative"))
		why = "the file it includes is not linted from here: lint that file too";
	else if (!strcmp(cmd, "\\c") || !strcmp(cmd, "\\connect"))
		why = "the statements after it run in another session, maybe another database";
	else if (!strcmp(cmd, "\\copy"))
		why = "a client-side COPY: it reads or writes a file, not SQL";
	else if (!strcmp(cmd, "\\if") || !strcmp(cmd, "\\elif") || !strcmp(cmd, "\\else") ||
		 !strcmp(cmd, "\\endif"))
		why = "every branch of it is linted as if it ran";
	add_note(j, m->start,
		 dg_sprintf(j->a, "psql meta-command %s skipped (%s); the SQL around it is linted", cmd, why));
}

/* ---- DO blocks: the SQL their body runs ---- */

#define BODY_MAX_DEPTH 3           /* DO inside DO (or EXECUTE inside EXECUTE) */

/* The file offset of byte `off` of a piece's SQL: through the piece's map, then the body's. */
static size_t piece_offset(const struct dg_text_map *body, const struct dg_body_piece *p, size_t off)
{
	return dg_text_map_at(body, dg_text_map_at(&p->map, off));
}

struct long_job {
	struct parse_job *j;
	struct dg_stmt *st;
	const struct dg_text_map *body;
	const struct dg_body_piece *p;
	size_t sql_base;           /* offset of the statement's text in p->sql */
};

static void body_long_word(void *arg, const struct dg_sql_long_word *w)
{
	struct long_job *lj = arg;
	struct dg_stmt_rare *rare = dg_stmt_rare_mut(lj->j->a, lj->st);
	struct dg_long_ident *v = dg_alloc(lj->j->a, (rare->n_long_idents + 1) * sizeof(*v));
	if (rare->n_long_idents)
		memcpy(v, rare->long_idents, rare->n_long_idents * sizeof(*v));
	size_t from = piece_offset(lj->body, lj->p, lj->sql_base + w->start);
	size_t to = piece_offset(lj->body, lj->p, lj->sql_base + w->end - 1) + 1;
	v[rare->n_long_idents].offset = from;
	v[rare->n_long_idents].len = to > from ? to - from : 1;
	v[rare->n_long_idents].bytes = w->bytes;
	rare->long_idents = v;
	rare->n_long_idents++;
}

/* One statement of a body piece: its text is sql[from, to), its tree n. Returns where it ends. */
static size_t body_stmt(struct parse_job *j, size_t do_at, const struct dg_text_map *body,
		      const struct dg_body_piece *p, size_t region, size_t from, size_t to, Node *n,
		      const char *error, int error_pos, int depth)
{
	size_t start = piece_offset(body, p, from);
	size_t end = to > from ? piece_offset(body, p, to - 1) + 1 : start;
	if (p->map.approx || body->approx) {
		/* the SQL is not a copy of the file's bytes (E'' escapes, || of literals, a
		   statement not found again): it spans the expression it came from, else the DO */
		const struct dg_stmt *o = &j->l.v[do_at];
		if (!body->approx && p->end > p->start) {
			start = dg_text_map_at(body, p->start);
			end = dg_text_map_at(body, p->end - 1) + 1;
		} else {
			start = o->offset;
			end = o->offset + o->len;
		}
	}
	if (end < start)
		end = start;
	struct dg_stmt *st = add_stmt(j->a, j->f, &j->l, region, start, end);
	size_t at = j->l.n - 1;
	const struct dg_stmt *owner = &j->l.v[do_at];
	/* st->text is the statement's bytes in the file, as for every statement (for an
	   EXECUTE of a literal with '' quotes, or a || of literals, that is its expression) */
	st->body_of = do_at + 1;
	st->body_dynamic = p->kind == DG_BODY_DYNAMIC;
	if (owner->n_ignored) {
		/* the DO block's suppressions cover its body too */
		const char **v = dg_alloc(j->a, (st->n_ignored + owner->n_ignored) * sizeof(*v));
		if (st->n_ignored)
			memcpy(v, st->ignored, st->n_ignored * sizeof(*v));
		memcpy(v + st->n_ignored, owner->ignored, owner->n_ignored * sizeof(*v));
		st->ignored = v;
		st->n_ignored += owner->n_ignored;
		if (!st->ignore_line)
			st->ignore_line = owner->ignore_line;
	}
	size_t st_end = st->offset + st->len;
	if (error) {
		st->kind = DG_STMT_ERROR;
		st->error = error;
		st->error_offset = (int)piece_offset(body, p, from + (size_t)(error_pos > 0 ? error_pos : 0));
		return st_end;
	}
	dg_pg_stmt_facts(j->a, n, (int)start - (int)from, st);
	struct long_job lj = { j, st, body, p, from };
	dg_sql_long_words(p->sql, from, to, body_long_word, &lj);
	if (depth < BODY_MAX_DEPTH)
		expand_body(j, at, depth + 1);
	return st_end;
}

/* The statements of one piece of a DO block's body, parsed; returns where the last one ends. */
static size_t body_piece(struct parse_job *j, size_t do_at, const struct dg_text_map *body,
			 const struct dg_body_piece *p, size_t region, int depth)
{
	PgQueryError *err;
	List *tree = raw_parse(p->sql, strlen(p->sql), &err);
	if (err) {
		size_t pos = err->cursorpos > 0 ? char_to_byte(p->sql, p->len, err->cursorpos) : 0;
		const char *msg = dg_strdup(j->a, err->message ? err->message : "syntax error");
		pg_query_free_error(err);
		return body_stmt(j, do_at, body, p, region, 0, p->len, NULL, msg, (int)pos, depth);
	}
	ListCell *lc;
	foreach(lc, tree) {
		RawStmt *rs = lfirst_node(RawStmt, lc);
		size_t from = (size_t)(rs->stmt_location > 0 ? rs->stmt_location : 0);
		size_t to = rs->stmt_len ? from + (size_t)rs->stmt_len : p->len;
		if (to > p->len)
			to = p->len;
		size_t s = dg_sql_code_start(p->sql, from, to);
		if (s >= to)
			continue;
		region = body_stmt(j, do_at, body, p, region, s, dg_sql_code_end(p->sql, s, to), rs->stmt,
				   NULL, 0, depth);
	}
	return region;
}

/*
 * Where the word before offset `at` (past blanks) starts, not before
 * `floor`: the EXECUTE of an EXECUTE's expression. `at` when there is none.
 */
static size_t keyword_before(const char *d, size_t floor, size_t at)
{
	size_t e = at;
	while (e > floor && (d[e - 1] == ' ' || d[e - 1] == '\t' || d[e - 1] == '\n' || d[e - 1] == '\r'))
		e--;
	size_t b = e;
	while (b > floor && ((d[b - 1] | 0x20) >= 'a' && (d[b - 1] | 0x20) <= 'z'))
		b--;
	return b < e ? b : at;
}

/*
 * A DO block just added at index `at`: the statements its PL/pgSQL body
 * runs, after it, each pointing into the file; what cannot be read is
 * opaque-sql. Other languages are opaque as a whole.
 */
static void expand_body(struct parse_job *j, size_t at, int depth)
{
	const struct dg_stmt *st = &j->l.v[at];
	if (st->kind != DG_STMT_DO)
		return;
	size_t do_start = st->offset, do_end = st->offset + st->len;
	if (st->language && strcasecmp(st->language, "plpgsql")) {
		add_opaque(j, do_start, do_start, do_end, st,
			   dg_sprintf(j->a, "a DO block in LANGUAGE %s: ddlgate reads only PL/pgSQL bodies",
				      st->language));
		j->opaque[j->n_opaque - 1].help =
			"write the migration's SQL as plain statements (or a PL/pgSQL DO block), or silence this one with -- ddlgate:ignore opaque-sql <why it is safe> before it";
		return;
	}
	if (!st->body)
		return;
	/* the body's map, the PL/pgSQL tree and its pieces: gone once their statements are
	   made (what a statement or finding keeps is copied into the file's arena) */
	struct dg_arena scratch;
	dg_arena_init(&scratch);
	struct dg_text_map body;
	size_t lit = dg_stmt_rare(st)->body_offset;
	if (lit >= do_start && lit < do_end && (j->f->data[lit] == '$' || j->f->data[lit] == '\''))
		dg_text_map_literal(&scratch, j->f->data, do_end, lit, &body);
	else {
		memset(&body, 0, sizeof(body));
		body.base = do_start;
		body.approx = 1;
	}
	struct dg_body_piece *pieces;
	size_t n;
	const char *err;
	int rc = body_pieces(&scratch, st, &pieces, &n, &err);
	if (rc < 0) {
		add_opaque(j, do_start, do_start, do_end, st,
			   dg_sprintf(j->a, "the DO block's body could not be read as PL/pgSQL (%s): its statements are not checked",
				      err));
		dg_arena_release(&scratch);
		return;
	}
	size_t region = dg_text_map_at(&body, 0); /* comments in the body carry suppressions too */
	for (size_t i = 0; i < n; i++) {
		const struct dg_body_piece *p = &pieces[i];
		if (p->kind == DG_BODY_OPAQUE) {
			/* at the keyword before the expression (EXECUTE, FOR ... IN EXECUTE) */
			size_t from = dg_text_map_at(&body, p->start);
			add_opaque(j, region, keyword_before(j->f->data, region, from),
				   dg_text_map_at(&body, p->end > p->start ? p->end - 1 : p->start) + 1,
				   &j->l.v[at], dg_strdup(j->a, p->what));
			region = from;
			continue;
		}
		region = body_piece(j, at, &body, p, region, depth);
	}
	dg_arena_release(&scratch);
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
		add_stmt(j->a, j->f, &j->l, region, s, dg_sql_code_end(j->f->data, s, to));
		stmt_done(j, j->l.n - 1, rs->stmt, (int)base);
		region = top_end(j, region);
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
		stmt_done(j, n_before, linitial_node(RawStmt, tree)->stmt, (int)st->offset);
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
				region = top_end(j, region);
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
	j.l.v = dg_arena_resize(a, NULL, j.l.cap * sizeof(*j.l.v));

	MemoryContext file_ctx = pg_query_enter_memory_context();
	j.stmt_ctx = AllocSetContextCreate(file_ctx, "statement", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(j.stmt_ctx);
	size_t region = sp.bom;
	for (size_t i = 0; i < sp.n; i++) {
		const struct dg_sql_piece *p = &sp.pieces[i];
		parse_region(&j, region, p->start, p->end, p);
		region = top_end(&j, region);
		if (p->data_end > region)
			region = p->data_end; /* COPY data: rows, not SQL or comments */
	}
	scan_ignores(a, out, region, len, &j.l.ignore_cap);
	MemoryContextSwitchTo(file_ctx);
	pg_query_exit_memory_context(file_ctx);

	for (size_t i = 0; i < sp.n_metas; i++)
		meta_command(&j, &sp.metas[i]);
	dg_sql_split_release(&sp);
	/* no room kept past the last statement (the estimate counts every held ';') */
	out->stmts = dg_arena_resize(a, j.l.v, j.l.n * sizeof(*j.l.v));
	out->n_stmts = j.l.n;
	out->notes = j.n_notes ? dg_memdup(a, j.notes, j.n_notes, sizeof(*j.notes)) : NULL;
	out->n_notes = j.n_notes;
	out->opaque = j.n_opaque ? dg_memdup(a, j.opaque, j.n_opaque, sizeof(*j.opaque)) : NULL;
	out->n_opaque = j.n_opaque;
	free(j.notes);
	free(j.opaque);
}
