/*
 * Positions in a SQL file: the line index, byte offset to line:column
 * (columns count code points), and the text of one line for carets.
 * Every DG_SQL_COL_MARK bytes the line index also notes the column there,
 * so a position on a very long line (a minified dump) costs a bounded
 * count, not a walk from the line's start.
 */
#include "sql/pos.h"

#include <string.h>

#define DG_SQL_COL_MARK 4096

static int is_lead(unsigned char c)
{
	return (c & 0xc0) != 0x80; /* a code point starts here */
}

void dg_sql_index_lines(struct dg_arena *a, struct dg_sql_file *f)
{
	size_t n = 1;
	const char *p = f->data, *end = f->data + f->len;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
	}
	f->line_starts = dg_alloc(a, n * sizeof(*f->line_starts));
	f->n_lines = 0;
	f->line_starts[f->n_lines++] = 0;
	for (p = f->data; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		f->line_starts[f->n_lines++] = (size_t)(p - f->data) + 1;
	if (f->len <= DG_SQL_COL_MARK)
		return;
	/* the column at every mark, counted from the start of its line */
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

void dg_sql_pos(const struct dg_sql_file *f, size_t offset, int *line, int *column)
{
	size_t lo = 0, hi = f->n_lines;
	if (offset > f->len)
		offset = f->len;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (f->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	size_t from = f->line_starts[lo];
	int col = 1;
	size_t mark = offset / DG_SQL_COL_MARK * DG_SQL_COL_MARK;
	if (f->col_marks && mark > from) {
		from = mark;
		col = (int)f->col_marks[mark / DG_SQL_COL_MARK];
	}
	for (size_t i = from; i < offset; i++)
		col += is_lead((unsigned char)f->data[i]); /* count code points */
	*line = (int)lo + 1;
	*column = col;
}

const char *dg_sql_line(struct dg_arena *a, const struct dg_sql_file *f, int line)
{
	if (line < 1 || (size_t)line > f->n_lines)
		return "";
	size_t s = f->line_starts[line - 1];
	size_t e = (size_t)line < f->n_lines ? f->line_starts[line] - 1 : f->len;
	if (e > s && f->data[e - 1] == '\r')
		e--;
	return dg_strndup(a, f->data + s, e - s);
}
