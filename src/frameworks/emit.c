/*
 * The SQL emitter of the frameworks stage: statements appended with the
 * place in the .py file they came from (byte for byte for SQL written in a
 * string literal, the operation's call for SQL a framework generates),
 * suppression comments claimed by the operation below them, notes and
 * opaque items; at the end, a parsed SQL file with its origin map.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "frameworks/fw_int.h"

/* The decoded comments that carry ddlgate:ignore markers, parsed once. */
static void add_origin_ignore(struct fw_emit *e, const struct dg_ignore *ig, int group)
{
	struct dg_sql_origin_ignore oi = {*ig, group};
	DG_PUSH(e->ignores, e->n_ignores, e->cap_ignores, oi);
}

/*
 * The suppressions in one comment, read by the SQL stage's own reader
 * (the comment becomes a SQL comment), placed in the .py file; file_wide
 * selects which kind is wanted.
 */
static void comment_ignores(struct fw_emit *e, const struct dg_py_comment *c, int file_wide,
			    int group)
{
	if (!strstr(c->text, "ddlgate:ignore"))
		return;
	const char *sql = dg_sprintf(e->a, "--%s", c->text);
	struct dg_sql_file tmp;
	dg_sql_parse(e->a, &tmp, e->path, sql, strlen(sql));
	for (size_t i = 0; i < tmp.n_ignores; i++) {
		struct dg_ignore ig = tmp.ignores[i];
		if (ig.file_wide != file_wide)
			continue;
		/* column (code points) of the rule id in "--text" -> byte offset in the .py file */
		size_t b = 0;
		for (int col = 1; col < ig.column && sql[b]; col++) {
			b++;
			while (((unsigned char)sql[b] & 0xc0) == 0x80)
				b++;
		}
		dg_sql_origin_pos(e->a, e->origin, c->offset + 1 + (b >= 2 ? b - 2 : 0), &ig.line,
				  &ig.column);
		add_origin_ignore(e, &ig, group);
	}
}

void fw_emit_init(struct fw_emit *e, struct dg_arena *a, const char *path, const char *data,
		  size_t len, const struct dg_py_module *mod, enum fw_kind kind)
{
	memset(e, 0, sizeof(*e));
	e->a = a;
	e->path = dg_strdup(a, path);
	e->data = data;
	e->len = len;
	e->mod = mod;
	e->kind = kind;
	e->group = -1;
	e->atomic = 1;
	e->origin = dg_alloc(a, sizeof(*e->origin));
	e->origin->path = e->path;
	e->origin->data = data;
	e->origin->len = len;
	for (size_t i = 0; i < mod->n_comments; i++)
		comment_ignores(e, &mod->comments[i], 1, -1);
}

void fw_emit_release(struct fw_emit *e)
{
	dg_buf_release(&e->sql);
	free(e->spans);
	free(e->ignores);
	free(e->opaque);
	free(e->notes);
	free(e->groups);
	free(e->locals);
	memset(e, 0, sizeof(*e));
}

/* The comment on `line`, or NULL (comments are in line order). */
static const struct dg_py_comment *comment_on(const struct dg_py_module *m, int line)
{
	size_t lo = 0, hi = m->n_comments;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->comments[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n_comments && m->comments[lo].line == line ? &m->comments[lo] : NULL;
}

int fw_group_begin(struct fw_emit *e, const char *op, const struct dg_py_value *call)
{
	struct fw_group g;
	memset(&g, 0, sizeof(g));
	g.op = op;
	g.call = call;
	if (e->group >= 0) {
		g.autocommit = e->groups[e->group].autocommit;
		g.separate = e->groups[e->group].separate;
	}
	DG_PUSH(e->groups, e->n_groups, e->cap_groups, g);
	e->group = (int)e->n_groups - 1;
	if (!call)
		return e->group;
	/* `# ddlgate:ignore ...` at the end of its first line, or in the comment lines right above */
	const struct dg_py_comment *c = comment_on(e->mod, call->line);
	if (c && !c->own_line)
		comment_ignores(e, c, 0, e->group);
	for (int l = call->line - 1; l > 0; l--) {
		c = comment_on(e->mod, l);
		if (!c || !c->own_line)
			break;
		comment_ignores(e, c, 0, e->group);
	}
	return e->group;
}

struct fw_group *fw_group_cur(struct fw_emit *e)
{
	return e->group >= 0 ? &e->groups[e->group] : NULL;
}

static void add_span(struct fw_emit *e, size_t sql, size_t len, size_t at, int exact)
{
	if (!len)
		return;
	if (e->n_spans) {
		struct dg_sql_span *l = &e->spans[e->n_spans - 1];
		if (l->group == e->group && l->sql + l->len == sql &&
		    ((!exact && !l->exact && l->at == at) ||
		     (exact && l->exact && l->at + l->len == at))) {
			l->len += len;
			return;
		}
	}
	struct dg_sql_span s = {sql, len, at, exact, e->group};
	DG_PUSH(e->spans, e->n_spans, e->cap_spans, s);
}

static size_t group_at(struct fw_emit *e)
{
	const struct fw_group *g = fw_group_cur(e);
	return g && g->call ? g->call->offset : 0;
}

static void sql_v(struct fw_emit *e, size_t at, const char *fmt, va_list ap)
{
	size_t start = e->sql.len;
	dg_buf_vaddf(&e->sql, fmt, ap);
	dg_buf_adds(&e->sql, ";\n");
	add_span(e, start, e->sql.len - start, at, 0);
}

void fw_sql(struct fw_emit *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sql_v(e, group_at(e), fmt, ap);
	va_end(ap);
}

void fw_vsql(struct fw_emit *e, const char *fmt, va_list ap)
{
	sql_v(e, group_at(e), fmt, ap);
}

void fw_sql_at(struct fw_emit *e, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sql_v(e, at, fmt, ap);
	va_end(ap);
}

/* Where decoded byte i of str came from in the file; *exact says whether byte for byte. */
static size_t src_of(const struct dg_py_value *str, size_t i, size_t *piece, int *exact)
{
	while (*piece + 1 < str->n_pieces && str->pieces[*piece].at + str->pieces[*piece].len <= i)
		(*piece)++;
	const struct dg_py_piece *p = &str->pieces[*piece];
	*exact = p->exact;
	if (i < p->at)
		return p->src;
	return p->exact ? p->src + (i - p->at) : p->src;
}

/* Copy decoded bytes [from, to) of str with their places. */
static void copy_mapped(struct fw_emit *e, const struct dg_py_value *str, size_t from, size_t to,
			size_t *piece)
{
	for (size_t i = from; i < to; i++) {
		int exact;
		size_t at = src_of(str, i, piece, &exact);
		add_span(e, e->sql.len, 1, at, exact);
		dg_buf_addch(&e->sql, str->s[i]);
	}
}

/* Does the SQL end with ';' (blanks after it aside)? */
static int ends_with_semicolon(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n && s[n - 1] == ';';
}

void fw_sql_literal(struct fw_emit *e, const struct dg_py_value *str, int params)
{
	if (!str || !str->len)
		return;
	size_t piece = 0;
	if (!str->n_pieces) { /* no positions (cannot happen for literals): the value's start */
		size_t start = e->sql.len;
		dg_buf_add(&e->sql, str->s, str->len);
		add_span(e, start, str->len, str->offset, 0);
	} else if (!params) {
		copy_mapped(e, str, 0, str->len, &piece);
	} else {
		/* the driver's paramstyle: %s is a parameter, %% a percent sign */
		size_t run = 0;
		int n = 0;
		for (size_t i = 0; i + 1 < str->len; i++) {
			if (str->s[i] != '%' || (str->s[i + 1] != 's' && str->s[i + 1] != '%'))
				continue;
			copy_mapped(e, str, run, i, &piece);
			int exact;
			size_t at = src_of(str, i, &piece, &exact);
			size_t start = e->sql.len;
			if (str->s[i + 1] == 's')
				dg_buf_addf(&e->sql, "$%d", ++n);
			else
				dg_buf_addch(&e->sql, '%');
			add_span(e, start, e->sql.len - start, at, 0);
			i++;
			run = i + 1;
		}
		copy_mapped(e, str, run, str->len, &piece);
	}
	if (!ends_with_semicolon(str->s, str->len)) {
		/* the statement ends here; after a newline when the last line may be a comment */
		size_t start = e->sql.len;
		int exact;
		size_t at = str->n_pieces ? src_of(str, str->len - 1, &piece, &exact) : str->offset;
		size_t last = str->len;
		while (last && str->s[last - 1] != '\n')
			last--;
		int comment = 0;
		for (size_t i = last; i + 1 < str->len && !comment; i++)
			comment = str->s[i] == '-' && str->s[i + 1] == '-';
		dg_buf_adds(&e->sql, comment ? "\n;\n" : ";\n");
		add_span(e, start, e->sql.len - start, at, 0);
	} else {
		dg_buf_addch(&e->sql, '\n');
	}
}

static int line_of(struct fw_emit *e, size_t offset)
{
	int line, col;
	dg_sql_origin_pos(e->a, e->origin, offset, &line, &col);
	return line;
}

static void note_v(struct fw_emit *e, int line, const char *fmt, va_list ap)
{
	struct dg_sql_note n = {line, dg_vsprintf(e->a, fmt, ap)};
	for (size_t i = 0; i < e->n_notes; i++)
		if (e->notes[i].line == n.line && !strcmp(e->notes[i].message, n.message))
			return;
	DG_PUSH(e->notes, e->n_notes, e->cap_notes, n);
}

void fw_note(struct fw_emit *e, const struct dg_py_value *at, const char *fmt, ...)
{
	const struct fw_group *g = fw_group_cur(e);
	int line = at ? at->line : g && g->call ? g->call->line : 1;
	va_list ap;
	va_start(ap, fmt);
	note_v(e, line, fmt, ap);
	va_end(ap);
}

void fw_note_line(struct fw_emit *e, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	note_v(e, line, fmt, ap);
	va_end(ap);
}

void fw_opaque(struct fw_emit *e, const struct dg_py_value *at, const char *fmt, ...)
{
	struct dg_sql_opaque o;
	va_list ap;
	memset(&o, 0, sizeof(o));
	/* a comment stands in the SQL where the unread SQL runs, mapped to the value */
	size_t start = e->sql.len;
	dg_buf_adds(&e->sql, "-- (SQL not read)\n");
	add_span(e, start, e->sql.len - start, at ? at->offset : group_at(e), 0);
	o.stmt.kind = DG_STMT_OTHER;
	o.stmt.offset = start;
	o.stmt.text = "";
	o.stmt.error_offset = -1;
	va_start(ap, fmt);
	o.what = dg_vsprintf(e->a, fmt, ap);
	va_end(ap);
	DG_PUSH(e->opaque, e->n_opaque, e->cap_opaque, o);
	(void)line_of;
}

void fw_emit_finish(struct fw_emit *e, struct dg_sql_file *out)
{
	struct dg_arena *a = e->a;
	struct dg_sql_origin *o = e->origin;
	o->spans = e->n_spans ? dg_memdup(a, e->spans, e->n_spans, sizeof(*e->spans)) : NULL;
	o->n_spans = e->n_spans;
	o->ignores = e->n_ignores ? dg_memdup(a, e->ignores, e->n_ignores, sizeof(*e->ignores)) : NULL;
	o->n_ignores = e->n_ignores;
	o->opaque = e->n_opaque ? dg_memdup(a, e->opaque, e->n_opaque, sizeof(*e->opaque)) : NULL;
	o->n_opaque = e->n_opaque;
	o->notes = e->n_notes ? dg_memdup(a, e->notes, e->n_notes, sizeof(*e->notes)) : NULL;
	o->n_notes = e->n_notes;
	struct fw_result *r = dg_alloc(a, sizeof(*r));
	r->arena = a;
	r->kind = e->kind;
	r->atomic = e->atomic;
	r->groups = e->n_groups ? dg_memdup(a, e->groups, e->n_groups, sizeof(*e->groups)) : NULL;
	r->n_groups = e->n_groups;
	o->help = fw_help;
	o->cookie = r;
	size_t len = e->sql.len;
	const char *sql = dg_strndup(a, e->sql.ptr ? e->sql.ptr : "", len);
	dg_sql_parse(a, out, e->path, sql, len);
	dg_sql_apply_origin(a, out, o);
	fw_emit_release(e);
}

/* ---- values ---- */

const struct dg_py_value *fw_resolve(struct fw_emit *e, const struct dg_py_value *v)
{
	for (int hop = 0; v && v->kind == DG_PY_NAME && hop < 8; hop++) {
		if (strchr(v->s, '.'))
			return v;
		const struct dg_py_value *to = NULL;
		int found = 0;
		for (size_t i = e->n_locals; i-- > 0;)
			if (!strcmp(e->locals[i].name, v->s)) {
				to = e->locals[i].value;
				found = 1;
				break;
			}
		if (!found) {
			const struct dg_py_assign *as = dg_py_module_get(e->mod, v->s);
			to = as ? as->value : NULL;
		}
		if (!to)
			return v;
		v = to;
	}
	return v;
}

const char *fw_str(struct fw_emit *e, const struct dg_py_value *v)
{
	v = fw_resolve(e, v);
	return v && v->kind == DG_PY_STR && !v->fstring ? v->s : NULL;
}

int fw_bool(struct fw_emit *e, const struct dg_py_value *v, int dflt)
{
	v = fw_resolve(e, v);
	if (!v)
		return dflt;
	if (v->kind == DG_PY_BOOL || v->kind == DG_PY_INT)
		return v->i != 0;
	if (v->kind == DG_PY_NONE)
		return 0;
	return dflt;
}

long long fw_int(struct fw_emit *e, const struct dg_py_value *v, long long dflt)
{
	v = fw_resolve(e, v);
	return v && v->kind == DG_PY_INT ? v->i : dflt;
}

const char *fw_callee(const struct dg_py_value *call)
{
	if (!call || call->kind != DG_PY_CALL || !call->func)
		return NULL;
	if (call->func->kind == DG_PY_NAME || call->func->kind == DG_PY_ATTR)
		return call->func->s;
	return NULL;
}

const char *fw_why_not_literal(struct fw_emit *e, const struct dg_py_value *v)
{
	const struct dg_py_value *r = fw_resolve(e, v);
	if (!r)
		return "nothing";
	if (r->kind == DG_PY_STR && r->fstring)
		return "an f-string";
	if (r->kind == DG_PY_UNKNOWN && r->op && !strcmp(r->op, "%"))
		return "a string built with %-formatting";
	if (r->kind == DG_PY_UNKNOWN && r->op && !strcmp(r->op, "+"))
		return "a string built with +";
	if (r->kind == DG_PY_CALL && r->func && r->func->kind == DG_PY_ATTR &&
	    !strcmp(r->func->s, "format"))
		return "a string built with .format()";
	if (r->kind == DG_PY_NAME)
		return dg_sprintf(e->a, "the variable '%s'%s", r->s,
				  dg_py_is_imported(e->mod, r->s) ? " (imported from another module)"
								  : "");
	return dg_py_describe(e->a, r);
}

struct dg_py_value *const *fw_items(struct fw_emit *e, const struct dg_py_value *v, size_t *n)
{
	v = fw_resolve(e, v);
	if (v && (v->kind == DG_PY_LIST || v->kind == DG_PY_TUPLE || v->kind == DG_PY_SET)) {
		*n = v->n_items;
		return v->items;
	}
	*n = 0;
	return NULL;
}

/* ---- SQL text ---- */

const char *fw_qi(struct fw_emit *e, const char *name)
{
	if (!name)
		return "\"?\"";
	if (name[0] == '"')
		return name;
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addch(&b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			dg_buf_addch(&b, '"');
		dg_buf_addch(&b, *p);
	}
	dg_buf_addch(&b, '"');
	const char *r = dg_strndup(e->a, b.ptr, b.len);
	dg_buf_release(&b);
	return r;
}

const char *fw_qs(struct fw_emit *e, const char *text)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addch(&b, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'')
			dg_buf_addch(&b, '\'');
		dg_buf_addch(&b, *p);
	}
	dg_buf_addch(&b, '\'');
	const char *r = dg_strndup(e->a, b.ptr, b.len);
	dg_buf_release(&b);
	return r;
}

const char *fw_sql_call(struct fw_emit *e, const char *fname, const struct dg_py_value *call,
			const char *(*write_arg)(void *cookie, const struct dg_py_value *v),
			void *cookie)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addf(&b, "%s(", fname);
	for (size_t i = 0; i < call->n_items; i++) {
		const char *x = write_arg(cookie, call->items[i]);
		if (!x) {
			dg_buf_release(&b);
			return NULL;
		}
		dg_buf_addf(&b, "%s%s", i ? ", " : "", x);
	}
	dg_buf_addch(&b, ')');
	const char *r = dg_strndup(e->a, b.ptr, b.len);
	dg_buf_release(&b);
	return r;
}

/* The source text of a number literal (the reader keeps only integers' values). */
static const char *number_text(struct fw_emit *e, const struct dg_py_value *v)
{
	size_t s = v->offset, p = s;
	while (p < e->len && strchr("0123456789.eE+-_xXoObBjJ", e->data[p]) && e->data[p])
		p++;
	return dg_strndup(e->a, e->data + s, p - s);
}

const char *fw_sql_const(struct fw_emit *e, const struct dg_py_value *v)
{
	v = fw_resolve(e, v);
	if (!v)
		return NULL;
	switch (v->kind) {
	case DG_PY_INT:
		return dg_sprintf(e->a, "%lld", v->i);
	case DG_PY_FLOAT:
		return number_text(e, v);
	case DG_PY_STR:
		return v->fstring ? NULL : fw_qs(e, v->s);
	case DG_PY_BOOL:
		return v->i ? "true" : "false";
	case DG_PY_NONE:
		return "NULL";
	default:
		return NULL;
	}
}
