/*
 * Positions in a SQL file: the line index, byte offset to line:column
 * (columns count code points), and the text of one line for carets. When
 * the SQL was made from another file (a Python migration), positions and
 * lines are that file's, through the span map of its origin.
 * Every DG_SQL_COL_MARK bytes the line index of a SQL file also notes the
 * column there, so a position on a very long line (a minified dump) costs a
 * bounded count, not a walk from the line's start. Every 256 bytes: a
 * statement asks for a few positions, and a one-line file of short
 * statements spent two fifths of its parse counting columns with marks
 * every 4 KB; the marks cost 1/64 of the file's size.
 */
#include "sql/pos.h"

#include <string.h>

#define DG_SQL_COL_MARK 256

static int is_lead(unsigned char c)
{
	return (c & 0xc0) != 0x80; /* a code point starts here */
}

static void index_lines(struct dg_arena *a, const char *data, size_t len, size_t **out,
			size_t *n_out)
{
	size_t n = 1;
	const char *p = data, *end = data + len;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
	}
	size_t *ls = dg_alloc(a, n * sizeof(*ls));
	size_t k = 0;
	ls[k++] = 0;
	for (p = data; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		ls[k++] = (size_t)(p - data) + 1;
	*out = ls;
	*n_out = k;
}

/* The column at every mark, counted from the start of its line. */
static void mark_columns(struct dg_arena *a, struct dg_sql_file *f)
{
	size_t marks = f->len / DG_SQL_COL_MARK + 1, line = 0;
	f->col_marks = dg_alloc(a, marks * sizeof(*f->col_marks));
	f->col_marks[0] = 1;
	for (size_t k = 1; k < marks; k++) {
		size_t at = k * DG_SQL_COL_MARK, from = (k - 1) * DG_SQL_COL_MARK;
		unsigned col = f->col_marks[k - 1];
		while (line + 1 < f->n_lines && f->line_starts[line + 1] <= at)
			line++;
		if (f->line_starts[line] > from) {
			from = f->line_starts[line];
			col = 1;
		}
		for (size_t i = from; i < at; i++)
			col += is_lead((unsigned char)f->data[i]);
		f->col_marks[k] = col;
	}
}

void dg_sql_index_lines(struct dg_arena *a, struct dg_sql_file *f)
{
	index_lines(a, f->data, f->len, &f->line_starts, &f->n_lines);
	f->col_marks = NULL;
	if (f->len > DG_SQL_COL_MARK)
		mark_columns(a, f);
}

static void pos_in(const char *data, size_t len, const size_t *line_starts, size_t n_lines,
		   const unsigned *col_marks, size_t offset, int *line, int *column)
{
	size_t lo = 0, hi = n_lines;
	if (offset > len)
		offset = len;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	size_t from = line_starts[lo];
	int col = 1;
	size_t mark = offset / DG_SQL_COL_MARK * DG_SQL_COL_MARK;
	if (col_marks && mark > from) {
		from = mark;
		col = (int)col_marks[mark / DG_SQL_COL_MARK];
	}
	for (size_t i = from; i < offset; i++)
		col += is_lead((unsigned char)data[i]); /* count code points */
	*line = (int)lo + 1;
	*column = col;
}

void dg_sql_origin_pos(struct dg_arena *a, struct dg_sql_origin *o, size_t offset, int *line,
		       int *column)
{
	if (!o->line_starts)
		index_lines(a, o->data, o->len, &o->line_starts, &o->n_lines);
	pos_in(o->data, o->len, o->line_starts, o->n_lines, NULL, offset, line, column);
}

const struct dg_sql_span *dg_sql_span_at(const struct dg_sql_file *f, size_t offset)
{
	const struct dg_sql_origin *o = f->origin;
	if (!o || !o->n_spans)
		return NULL;
	size_t lo = 0, hi = o->n_spans;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (o->spans[mid].sql <= offset)
			lo = mid;
		else
			hi = mid;
	}
	const struct dg_sql_span *s = &o->spans[lo];
	return offset >= s->sql && offset < s->sql + s->len ? s : NULL;
}

/* The origin offset of SQL offset off: through its span, else the nearest span before it. */
static size_t origin_offset(const struct dg_sql_file *f, size_t off)
{
	const struct dg_sql_origin *o = f->origin;
	const struct dg_sql_span *s = dg_sql_span_at(f, off);
	if (!s) {
		s = &o->spans[0];
		for (size_t i = 0; i < o->n_spans && o->spans[i].sql <= off; i++)
			s = &o->spans[i];
		return s->exact && s->len ? s->at + s->len - 1 : s->at;
	}
	return s->exact ? s->at + (off - s->sql) : s->at;
}

/* A UTF-8 byte order mark opens data: it is not a column anyone sees. */
static int has_bom(const char *data, size_t len)
{
	return len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3);
}

/*
 * A file without its text (facts from the cache): the position the facts
 * kept for this offset, else the start of the statement holding it.
 */
static void known_pos(const struct dg_sql_file *f, size_t offset, int *line, int *column)
{
	size_t lo = 0, hi = f->n_known_pos;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->known_pos[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < f->n_known_pos && f->known_pos[lo].offset == offset) {
		*line = f->known_pos[lo].line;
		*column = f->known_pos[lo].column;
		return;
	}
	*line = *column = 1;
	for (size_t i = 0; i < f->n_stmts && f->stmts[i].offset <= offset; i++) {
		*line = f->stmts[i].line;
		*column = f->stmts[i].column;
	}
}

void dg_sql_pos(const struct dg_sql_file *f, size_t offset, int *line, int *column)
{
	const struct dg_sql_origin *o = f->origin;
	if (!f->data && !o) {
		known_pos(f, offset, line, column);
		return;
	}
	if (o && o->n_spans) {
		pos_in(o->data, o->len, o->line_starts, o->n_lines, NULL, origin_offset(f, offset),
		       line, column);
		return;
	}
	pos_in(f->data, f->len, f->line_starts, f->n_lines, f->col_marks, offset, line, column);
	if (*line == 1 && offset >= 3 && *column > 1 && has_bom(f->data, f->len))
		(*column)--;
}

const char *dg_sql_line(struct dg_arena *a, const struct dg_sql_file *f, int line)
{
	const char *data = f->origin ? f->origin->data : f->data;
	size_t len = f->origin ? f->origin->len : f->len;
	const size_t *ls = f->origin ? f->origin->line_starts : f->line_starts;
	size_t n = f->origin ? f->origin->n_lines : f->n_lines;
	if (line < 1 || (size_t)line > n)
		return "";
	size_t s = ls[line - 1];
	size_t e = (size_t)line < n ? ls[line] - 1 : len;
	if (e > s && data[e - 1] == '\r')
		e--;
	if (line == 1 && !f->origin && e >= 3 && has_bom(data, len))
		s = 3; /* the caret's columns do not count it either */
	return dg_strndup(a, data + s, e - s);
}

/* The SQL offset of a 1-based line and code-point column of f's own text. */
static size_t sql_offset(const struct dg_sql_file *f, int line, int column)
{
	if (line < 1 || (size_t)line > f->n_lines)
		return 0;
	size_t p = f->line_starts[line - 1];
	for (int c = 1; c < column && p < f->len; c++) {
		p++;
		while (p < f->len && ((unsigned char)f->data[p] & 0xc0) == 0x80)
			p++;
	}
	return p;
}

/* Add the origin's suppressions of st's group to the rule ids st ignores. */
static void join_group_ignores(struct dg_arena *a, const struct dg_sql_file *f, struct dg_stmt *st)
{
	const struct dg_sql_origin *o = f->origin;
	const struct dg_sql_span *s = dg_sql_span_at(f, st->offset);
	if (!s || s->group < 0)
		return;
	size_t add = 0;
	for (size_t i = 0; i < o->n_ignores; i++)
		add += o->ignores[i].group == s->group && !o->ignores[i].ig.file_wide;
	if (!add)
		return;
	const char **v = dg_alloc(a, (st->n_ignored + add) * sizeof(*v));
	if (st->n_ignored)
		memcpy(v, st->ignored, st->n_ignored * sizeof(*v));
	for (size_t i = 0; i < o->n_ignores; i++)
		if (o->ignores[i].group == s->group && !o->ignores[i].ig.file_wide) {
			v[st->n_ignored++] = o->ignores[i].ig.rule;
			if (!st->ignore_line)
				st->ignore_line = o->ignores[i].ig.line;
		}
	st->ignored = v;
}

static void move_stmt(struct dg_arena *a, struct dg_sql_file *f, struct dg_stmt *st)
{
	dg_sql_pos(f, st->offset, &st->line, &st->column);
	dg_sql_pos(f, st->len ? st->offset + st->len - 1 : st->offset, &st->end_line,
		   &st->end_column);
	join_group_ignores(a, f, st);
}

void dg_sql_apply_origin(struct dg_arena *a, struct dg_sql_file *f, struct dg_sql_origin *o)
{
	if (!o->line_starts)
		index_lines(a, o->data, o->len, &o->line_starts, &o->n_lines);
	/* suppressions written in the SQL itself: their SQL offsets, before the map applies */
	size_t *ig_off = f->n_ignores ? dg_alloc(a, f->n_ignores * sizeof(*ig_off)) : NULL;
	for (size_t i = 0; i < f->n_ignores; i++)
		ig_off[i] = sql_offset(f, f->ignores[i].line, f->ignores[i].column);
	f->origin = o;
	if (!o->n_spans)
		return;
	for (size_t i = 0; i < f->n_ignores; i++)
		dg_sql_pos(f, ig_off[i], &f->ignores[i].line, &f->ignores[i].column);
	for (size_t i = 0; i < f->n_stmts; i++)
		move_stmt(a, f, &f->stmts[i]);
	for (size_t i = 0; i < o->n_opaque; i++)
		if (!o->opaque[i].stmt.line) /* placed once, however often the SQL is parsed */
			move_stmt(a, f, &o->opaque[i].stmt);
	for (size_t i = 0; i < f->n_opaque; i++)
		move_stmt(a, f, &f->opaque[i].stmt); /* dynamic SQL in a DO block of a RunSQL */
	for (size_t i = 0; i < f->n_notes; i++) {
		int col;
		dg_sql_pos(f, sql_offset(f, f->notes[i].line, 1), &f->notes[i].line, &col);
	}
	if (o->n_ignores) {
		struct dg_ignore *v = dg_alloc(a, (f->n_ignores + o->n_ignores) * sizeof(*v));
		if (f->n_ignores)
			memcpy(v, f->ignores, f->n_ignores * sizeof(*v));
		for (size_t i = 0; i < o->n_ignores; i++)
			v[f->n_ignores + i] = o->ignores[i].ig;
		f->ignores = v;
		f->n_ignores += o->n_ignores;
	}
}
