/*
 * Positions in a SQL file: the line index, byte offset to line:column
 * (columns count code points), and the text of one line for carets.
 */
#include "sql/pos.h"

#include <string.h>

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
	int col = 1;
	for (size_t i = f->line_starts[lo]; i < offset; i++)
		col += ((unsigned char)f->data[i] & 0xc0) != 0x80; /* count code points */
	*line = (int)lo + 1;
	*column = col;
}

const char *dg_sql_line(struct dg_arena *a, const struct dg_sql_file *f, int line)
{
	if (line < 1 || (size_t)line > f->n_lines)
		return "";
	size_t s = f->line_starts[line - 1];
	size_t e = s;
	while (e < f->len && f->data[e] != '\n')
		e++;
	if (e > s && f->data[e - 1] == '\r')
		e--;
	return dg_strndup(a, f->data + s, e - s);
}
