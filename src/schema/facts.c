/*
 * The statement facts schema replay needs, written to and read from a
 * compact text form, and a cache of them keyed by git blob id under the
 * repository's git dir: a blob's content never changes, so its facts are
 * always valid, and hooks replaying a long history parse only new files.
 */
#include "schema/facts.h"
#include "schema/facts_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pg_query.h>

#include "schema/prune.h"

/*
 * Bump when the encoding or the facts change. 2: facts from PostgreSQL's
 * raw parse tree (statements split by split.c, DG_CMD_SET_WITHOUT_CLUSTER).
 * 3: the file's size first, and the line and column of every location, so
 * that a file whose facts are cached need not be read at all.
 * 4: the statements of DO blocks, domains, what cannot be read (opaque),
 * psql meta-commands and COPY data left out.
 * 5: a checksum of every entry (entry_sum), and kinds and positions checked.
 */
#define FACTS_MAGIC "ddlgate-schema-facts 5 pg_query " PG_VERSION " raw\n"
/* The runs of a file (schema/prune.h), in a cache of their own. 1: a flag, then
 * 8-byte hashes. 2: a checksum of every entry. */
#define WORDS_MAGIC "ddlgate-schema-words 2\n"

/* ---- writing ---- */

/* Decimal digits of v (v >= 0) ending at end; returns where they start. */
static char *digits_before(char *end, unsigned long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* Room for n more bytes at the end of b (and its NUL). */
static char *w_room(struct dg_buf *b, size_t n)
{
	if (b->cap - b->len <= n)
		dg_buf_grow(b, n);
	return b->ptr + b->len;
}

/* "<v> " (by hand, straight into the buffer: printf, then a call per piece,
 * was most of writing the cache of a long history) */
static void w_int(struct dg_buf *b, long v)
{
	char tmp[24], *end = tmp + sizeof(tmp);
	*--end = ' ';
	char *p = digits_before(end, v < 0 ? 0UL - (unsigned long)v : (unsigned long)v);
	if (v < 0)
		*--p = '-';
	size_t n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(w_room(b, n), p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

static void w_str(struct dg_buf *b, const char *s)
{
	if (!s) {
		memcpy(w_room(b, 2), "- ", 2);
		b->len += 2;
		b->ptr[b->len] = '\0';
		return;
	}
	size_t l = strlen(s);
	char tmp[24], *end = tmp + sizeof(tmp);
	*--end = ':';
	char *p = digits_before(end, l);
	size_t n = (size_t)(tmp + sizeof(tmp) - p);
	char *w = w_room(b, n + l + 1);
	memcpy(w, p, n);
	memcpy(w + n, s, l);
	w[n + l] = ' ';
	b->len += n + l + 1;
	b->ptr[b->len] = '\0';
}

/* A byte offset of f, and (when there is one) its line and column. */
static void w_loc(struct dg_buf *b, const struct dg_sql_file *f, int location)
{
	w_int(b, location);
	if (location < 0)
		return;
	int line, column;
	dg_sql_pos(f, (size_t)location, &line, &column);
	w_int(b, line);
	w_int(b, column);
}

static void w_rel(struct dg_buf *b, const struct dg_rel *r)
{
	w_str(b, r ? r->schema : NULL);
	w_str(b, r ? r->name : NULL);
}

static void w_strs(struct dg_buf *b, const char *const *v, size_t n)
{
	w_int(b, (long)n);
	for (size_t i = 0; i < n; i++)
		w_str(b, v[i]);
}

static void w_con(struct dg_buf *b, const struct dg_sql_file *f, const struct dg_constraint *k)
{
	w_int(b, k->kind);
	w_str(b, k->name);
	w_strs(b, k->columns, k->n_columns);
	w_rel(b, &k->ref_table);
	w_strs(b, k->ref_columns, k->n_ref_columns);
	w_int(b, k->not_valid);
	w_str(b, k->using_index);
	w_str(b, k->not_null_column);
	w_str(b, k->expr);
	w_loc(b, f, k->location);
}

static void w_col(struct dg_buf *b, const struct dg_sql_file *f, const struct dg_column *c)
{
	w_str(b, c->name);
	w_str(b, c->type.name);
	w_str(b, c->type.display);
	w_int(b, c->type.mods[0]);
	w_int(b, c->type.mods[1]);
	w_int(b, c->type.n_mods);
	w_int(b, c->type.array);
	w_int(b, c->not_null);
	w_int(b, c->primary_key);
	w_int(b, c->unique);
	w_loc(b, f, c->location);
	w_int(b, c->fk != NULL);
	if (c->fk)
		w_con(b, f, c->fk);
}

/* Does replay look at statements of this kind? */
static int replayed_kind(enum dg_stmt_kind k)
{
	switch (k) {
	case DG_STMT_CREATE_TABLE:
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
	case DG_STMT_ALTER_TABLE:
	case DG_STMT_CREATE_INDEX:
	case DG_STMT_DROP:
	case DG_STMT_RENAME:
	case DG_STMT_CREATE_SCHEMA:
	case DG_STMT_SET:
	case DG_STMT_CREATE_DOMAIN:
	case DG_STMT_ALTER_DOMAIN:
		return 1;
	default:
		return 0;
	}
}

void dg_facts_write(struct dg_buf *b, const struct dg_sql_file *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n_stmts; i++)
		n += replayed_kind(f->stmts[i].kind);
	w_int(b, (long)f->len);
	w_int(b, (long)n);
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *st = &f->stmts[i];
		if (!replayed_kind(st->kind))
			continue;
		w_int(b, st->kind);
		w_int(b, (long)st->offset);
		w_int(b, (long)st->len);
		w_int(b, st->line);
		w_int(b, st->column);
		w_int(b, st->end_line);
		w_int(b, st->end_column);
		w_int(b, st->n_rels);
		for (size_t k = 0; k < st->n_rels; k++)
			w_rel(b, &st->rels[k]);
		w_int(b, st->rel != NULL);
		if (st->rel)
			w_rel(b, st->rel);
		w_int(b, st->object);
		w_str(b, st->name);
		w_str(b, st->new_name);
		w_str(b, st->value);
		w_int(b, st->if_exists);
		w_int(b, st->if_not_exists);
		w_int(b, st->cascade);
		w_int(b, st->is_temp);
		w_int(b, st->is_partitioned);
		w_rel(b, &dg_stmt_rare(st)->partition_of);
		w_rel(b, &dg_stmt_rare(st)->domain);
		w_int(b, dg_stmt_rare(st)->domain_constrained);
		w_int(b, dg_stmt_rare(st)->domain_cmd);
		w_int(b, dg_stmt_rare(st)->con != NULL);
		if (dg_stmt_rare(st)->con)
			w_con(b, f, dg_stmt_rare(st)->con);
		w_int(b, dg_stmt_rare(st)->n_likes);
		for (size_t k = 0; k < dg_stmt_rare(st)->n_likes; k++) {
			w_rel(b, &dg_stmt_rare(st)->likes[k]);
			w_int(b, dg_stmt_rare(st)->like_options ? dg_stmt_rare(st)->like_options[k] : 0);
		}
		w_int(b, st->n_columns);
		for (size_t k = 0; k < st->n_columns; k++)
			w_col(b, f, &st->columns[k]);
		w_int(b, st->n_constraints);
		for (size_t k = 0; k < st->n_constraints; k++)
			w_con(b, f, &st->constraints[k]);
		w_int(b, st->n_cmds);
		for (size_t k = 0; k < st->n_cmds; k++) {
			const struct dg_cmd *c = &st->cmds[k];
			w_int(b, c->kind);
			w_str(b, c->column);
			w_str(b, c->name);
			w_int(b, c->if_exists);
			w_int(b, c->cascade);
			w_loc(b, f, c->location);
			w_int(b, c->coldef != NULL);
			if (c->coldef)
				w_col(b, f, c->coldef);
			w_int(b, c->con != NULL);
			if (c->con)
				w_con(b, f, c->con);
		}
		w_int(b, st->index != NULL);
		if (st->index) {
			const struct dg_index *x = st->index;
			w_str(b, x->name);
			w_rel(b, &x->table);
			w_int(b, x->unique);
			w_int(b, x->concurrently);
			w_str(b, x->method);
			w_str(b, x->where);
			w_int(b, (long)x->n_elems);
			for (size_t k = 0; k < x->n_elems; k++) {
				w_str(b, x->elems[k].column);
				w_str(b, x->elems[k].expr);
			}
		}
	}
	/* where the file runs SQL nobody can read: the replay notes it */
	w_int(b, (long)f->n_opaque);
	for (size_t i = 0; i < f->n_opaque; i++) {
		w_int(b, (long)f->opaque[i].stmt.offset);
		w_int(b, f->opaque[i].stmt.line);
	}
}

/* ---- reading ---- */

struct rd {
	struct dg_arena *a;
	const char *p, *end;
	int bad;
	size_t len;                   /* the size of the file: no location past it */
	struct dg_sql_known_pos *pos; /* the locations read (malloc'd), for a file without text */
	size_t n_pos, cap_pos;
};

/* A decimal integer and its space (hand-rolled: strtol is most of a warm replay). */
static long r_int(struct rd *r)
{
	if (r->bad)
		return 0;
	const char *p = r->p;
	int neg = p < r->end && *p == '-';
	p += neg;
	const char *digits = p;
	long v = 0;
	while (p < r->end && *p >= '0' && *p <= '9' && p - digits < 18)
		v = v * 10 + (*p++ - '0');
	if (p == digits || p >= r->end || *p != ' ') {
		r->bad = 1;
		return 0;
	}
	r->p = p + 1;
	return neg ? -v : v;
}

/* An int (a type modifier): outside int's range is damage, not a value to cut. */
static int r_i(struct rd *r)
{
	long v = r_int(r);
	if (v < INT_MIN || v > INT_MAX)
		r->bad = 1;
	return r->bad ? 0 : (int)v;
}

/* A value within [lo, hi]: a kind (switches and tables take it as one of
 * its enum's values), a flag (0 or 1), a line or a column (from 1). */
static int r_in(struct rd *r, long lo, long hi)
{
	long v = r_int(r);
	if (v < lo || v > hi)
		r->bad = 1;
	return r->bad ? (int)lo : (int)v;
}

static bool r_flag(struct rd *r)
{
	return r_in(r, 0, 1) != 0;
}

/* A line or a column: 1-based. */
static int r_pos(struct rd *r)
{
	return r_in(r, 1, INT_MAX);
}

/*
 * The fewest bytes each element of a count takes when written ("0 " per
 * number, "- " per string): a count past what the rest can hold is damage,
 * refused before its array is allocated (a 1 KB entry could otherwise ask
 * for hundreds of KB of statements).
 */
#define MIN_STMT 60
#define MIN_COLUMN 24
#define MIN_CON 22
#define MIN_CMD 16
#define MIN_REL 4
#define MIN_LIKE 6
#define MIN_STR 2
#define MIN_ELEM 4
#define MIN_OPAQUE 4

static size_t r_count(struct rd *r, size_t min)
{
	long v = r_int(r);
	if (v < 0 || (size_t)v > (size_t)(r->end - r->p) / min) {
		r->bad = 1;
		return 0;
	}
	return (size_t)v;
}

static const char *r_str(struct rd *r)
{
	if (r->bad || r->p >= r->end)
		return r->bad = 1, NULL;
	if (*r->p == '-') {
		if (r->p + 1 >= r->end || r->p[1] != ' ')
			return r->bad = 1, NULL;
		r->p += 2;
		return NULL;
	}
	const char *e = r->p;
	size_t l = 0;
	while (e < r->end && *e >= '0' && *e <= '9' && e - r->p < 18)
		l = l * 10 + (size_t)(*e++ - '0');
	if (e == r->p || e >= r->end || *e != ':' || l >= (size_t)(r->end - e - 1) ||
	    e[1 + l] != ' ')
		return r->bad = 1, NULL;
	const char *s = dg_strndup(r->a, e + 1, l);
	r->p = e + 2 + l;
	return s;
}

/* A location (w_loc): the offset, noted with its line and column. */
static int r_loc(struct rd *r)
{
	long loc = r_int(r);
	if (loc < 0 || r->bad)
		return loc < -1 ? (r->bad = 1, -1) : (int)loc;
	if (loc > INT_MAX || (size_t)loc > r->len) {
		r->bad = 1;
		return -1;
	}
	struct dg_sql_known_pos k;
	k.offset = (size_t)loc;
	k.line = r_pos(r); /* in this order: the initialiser's order is not the calls' */
	k.column = r_pos(r);
	if (!r->bad)
		DG_PUSH(r->pos, r->n_pos, r->cap_pos, k);
	return (int)loc;
}

static struct dg_rel r_rel(struct rd *r)
{
	struct dg_rel x;
	x.schema = r_str(r);
	x.name = r_str(r);
	return x;
}

static const char **r_strs(struct rd *r, size_t *n)
{
	*n = r_count(r, MIN_STR);
	if (!*n || r->bad)
		return NULL;
	const char **v = dg_alloc(r->a, *n * sizeof(*v));
	for (size_t i = 0; i < *n; i++)
		v[i] = r_str(r);
	return v;
}

static void r_con(struct rd *r, struct dg_constraint *k)
{
	memset(k, 0, sizeof(*k));
	k->kind = (enum dg_con_kind)r_in(r, 0, DG_CON_KIND_LAST);
	k->name = r_str(r);
	k->columns = r_strs(r, &k->n_columns);
	k->ref_table = r_rel(r);
	k->ref_columns = r_strs(r, &k->n_ref_columns);
	k->not_valid = r_flag(r);
	k->using_index = r_str(r);
	k->not_null_column = r_str(r);
	k->expr = r_str(r);
	k->location = r_loc(r);
}

static void r_col(struct rd *r, struct dg_column *c)
{
	memset(c, 0, sizeof(*c));
	c->name = r_str(r);
	c->type.name = r_str(r);
	c->type.display = r_str(r);
	c->type.mods[0] = r_i(r);
	c->type.mods[1] = r_i(r);
	c->type.n_mods = r_in(r, 0, 2); /* mods[] has two */
	c->type.array = r_i(r);
	c->not_null = r_flag(r);
	c->primary_key = r_flag(r);
	c->unique = r_flag(r);
	c->location = r_loc(r);
	if (r_flag(r)) {
		c->fk = dg_alloc(r->a, sizeof(*c->fk));
		r_con(r, c->fk);
	}
}

static void line_index(struct dg_arena *a, struct dg_sql_file *f)
{
	size_t n = 1;
	const char *p = f->data, *end = f->data + f->len;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
	}
	f->line_starts = dg_alloc(a, n * sizeof(*f->line_starts));
	f->line_starts[f->n_lines++] = 0;
	for (p = f->data; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		f->line_starts[f->n_lines++] = (size_t)(p - f->data) + 1;
}

static int cmp_known_pos(const void *x, const void *y)
{
	const struct dg_sql_known_pos *a = x, *b = y;
	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/* The locations the facts named, sorted, for dg_sql_pos on a file without its text. */
static void keep_positions(struct rd *r, struct dg_sql_file *f)
{
	if (!r->n_pos)
		return;
	size_t sorted = 1;
	while (sorted < r->n_pos && r->pos[sorted - 1].offset <= r->pos[sorted].offset)
		sorted++;
	if (sorted < r->n_pos)
		qsort(r->pos, r->n_pos, sizeof(*r->pos), cmp_known_pos);
	f->known_pos = dg_memdup(r->a, r->pos, r->n_pos, sizeof(*r->pos));
	f->n_known_pos = r->n_pos;
}

int dg_facts_attach_text(struct dg_arena *a, struct dg_sql_file *f, const char *data, size_t len)
{
	if (f->data || len != f->len)
		return -1;
	f->data = data;
	line_index(a, f);
	f->known_pos = NULL;
	f->n_known_pos = 0;
	return 0;
}
/* The rare facts the cache keeps (partition, domain, LIKE); st gets them only when it has any. */
static void r_rare(struct rd *r, struct dg_arena *a, struct dg_stmt *st)
{
	struct dg_stmt_rare x;
	memset(&x, 0, sizeof(x));
	x.partition_of = r_rel(r);
	x.domain = r_rel(r);
	x.domain_constrained = r_flag(r);
	x.domain_cmd = (enum dg_domain_cmd)r_in(r, 0, DG_DOM_CMD_LAST);
	if (r_flag(r)) {
		x.con = dg_alloc(a, sizeof(*x.con));
		r_con(r, x.con);
	}
	x.n_likes = r_count(r, MIN_LIKE);
	if (x.n_likes) {
		x.likes = dg_alloc(a, x.n_likes * sizeof(*x.likes));
		x.like_options = dg_alloc(a, x.n_likes * sizeof(*x.like_options));
	}
	for (size_t k = 0; k < x.n_likes; k++) {
		x.likes[k] = r_rel(r);
		x.like_options[k] = (unsigned)r_in(r, 0, DG_LIKE_INDEXES | DG_LIKE_CONSTRAINTS);
	}
	if (x.partition_of.name || x.partition_of.schema || x.domain.name || x.domain.schema ||
	    x.domain_constrained || x.domain_cmd || x.con || x.n_likes)
		*dg_stmt_rare_mut(a, st) = x;
}


int dg_facts_read(struct dg_arena *a, struct dg_sql_file *f, const char *path, const char *data,
		  size_t len, const char *facts, size_t flen)
{
	struct rd r = { a, facts, facts + flen, 0, 0, NULL, 0, 0 };
	memset(f, 0, sizeof(*f));
	f->path = dg_strdup(a, path);
	/* the size of the file the facts are of: the text given must be it */
	long stored = r_int(&r);
	if (stored < 0 || (data && (size_t)stored != len))
		return -1;
	len = (size_t)stored;
	r.len = len;
	f->data = data;
	f->len = len;
	if (data)
		line_index(a, f);
	size_t n = r_count(&r, MIN_STMT);
	f->stmts = n ? dg_alloc(a, n * sizeof(*f->stmts)) : NULL;
	for (size_t i = 0; i < n && !r.bad; i++) {
		struct dg_stmt *st = &f->stmts[f->n_stmts++];
		st->kind = (enum dg_stmt_kind)r_in(&r, 0, DG_STMT_KIND_LAST);
		st->offset = (size_t)r_int(&r);
		st->len = (size_t)r_int(&r);
		st->line = r_pos(&r);
		st->column = r_pos(&r);
		st->end_line = r_pos(&r);
		st->end_column = r_pos(&r);
		if (st->end_line < st->line)
			r.bad = 1;
		st->error_offset = -1;
		st->n_rels = r_count(&r, MIN_REL);
		st->rels = st->n_rels ? dg_alloc(a, st->n_rels * sizeof(*st->rels)) : NULL;
		for (size_t k = 0; k < st->n_rels; k++)
			st->rels[k] = r_rel(&r);
		if (r_flag(&r)) {
			st->rel = dg_alloc(a, sizeof(*st->rel));
			*st->rel = r_rel(&r);
		}
		st->object = (enum dg_object_kind)r_in(&r, 0, DG_OBJ_KIND_LAST);
		st->name = r_str(&r);
		st->new_name = r_str(&r);
		st->value = r_str(&r);
		st->if_exists = r_flag(&r);
		st->if_not_exists = r_flag(&r);
		st->cascade = r_flag(&r);
		st->is_temp = r_flag(&r);
		st->is_partitioned = r_flag(&r);
		r_rare(&r, a, st);
		st->n_columns = r_count(&r, MIN_COLUMN);
		st->columns = st->n_columns ? dg_alloc(a, st->n_columns * sizeof(*st->columns)) : NULL;
		for (size_t k = 0; k < st->n_columns; k++)
			r_col(&r, &st->columns[k]);
		st->n_constraints = r_count(&r, MIN_CON);
		st->constraints = st->n_constraints ?
			dg_alloc(a, st->n_constraints * sizeof(*st->constraints)) : NULL;
		for (size_t k = 0; k < st->n_constraints; k++)
			r_con(&r, &st->constraints[k]);
		st->n_cmds = r_count(&r, MIN_CMD);
		st->cmds = st->n_cmds ? dg_alloc(a, st->n_cmds * sizeof(*st->cmds)) : NULL;
		for (size_t k = 0; k < st->n_cmds; k++) {
			struct dg_cmd *c = &st->cmds[k];
			c->kind = (enum dg_cmd_kind)r_in(&r, 0, DG_CMD_KIND_LAST);
			c->column = r_str(&r);
			c->name = r_str(&r);
			c->if_exists = r_flag(&r);
			c->cascade = r_flag(&r);
			c->location = r_loc(&r);
			if (r_flag(&r)) {
				c->coldef = dg_alloc(a, sizeof(*c->coldef));
				r_col(&r, c->coldef);
			}
			if (r_flag(&r)) {
				c->con = dg_alloc(a, sizeof(*c->con));
				r_con(&r, c->con);
			}
		}
		if (r_flag(&r)) {
			struct dg_index *x = dg_alloc(a, sizeof(*x));
			st->index = x;
			x->name = r_str(&r);
			x->table = r_rel(&r);
			x->unique = r_flag(&r);
			x->concurrently = r_flag(&r);
			x->method = r_str(&r);
			x->where = r_str(&r);
			x->n_elems = r_count(&r, MIN_ELEM);
			x->elems = x->n_elems ? dg_alloc(a, x->n_elems * sizeof(*x->elems)) : NULL;
			for (size_t k = 0; k < x->n_elems; k++) {
				x->elems[k].column = r_str(&r);
				x->elems[k].expr = r_str(&r);
			}
		}
		if (st->offset > len || st->len > len - st->offset)
			r.bad = 1;
	}
	size_t n_opaque = r_count(&r, MIN_OPAQUE);
	f->opaque = n_opaque && !r.bad ? dg_alloc(a, n_opaque * sizeof(*f->opaque)) : NULL;
	for (size_t i = 0; i < n_opaque && !r.bad; i++) {
		struct dg_sql_opaque *o = &f->opaque[f->n_opaque++];
		o->stmt.offset = (size_t)r_int(&r);
		o->stmt.line = r_pos(&r);
		o->stmt.error_offset = -1;
		o->what = "SQL ddlgate cannot read";
		if (o->stmt.offset > len)
			r.bad = 1;
	}
	if (!r.bad && !data)
		keep_positions(&r, f);
	free(r.pos);
	if (r.bad || r.p != r.end)
		return -1;
	return 0;
}

/* ---- the cache file ---- */

struct entry {
	char id[41];
	const char *facts;
	size_t len;
	uint64_t sum;             /* entry_sum of its bytes, as written */
};

struct dg_facts_cache {
	char *path;               /* <cache dir>/schema-facts-<repository key> (or -words-);
				     NULL: an image in memory, never written */
	const char *magic;        /* the file's first line */
	char *data;               /* the file as loaded */
	size_t data_len;
	size_t good_len;          /* its bytes up to the last whole entry (a torn tail after) */
	struct entry *v;          /* open addressing on the blob id */
	size_t cap, n;
	struct dg_buf pending;    /* new entries, appended on close */
	size_t hits, misses;
};

/*
 * A checksum of an entry's bytes, eight at a time: a cache file damaged
 * inside an entry (a bad disk, a stray write) would otherwise still decode,
 * into facts of another file, and a verdict would rest on them. Each step
 * is a bijection of the state, so a change within eight bytes always shows.
 */
static uint64_t entry_sum(const char *p, size_t n)
{
	const unsigned char *b = (const unsigned char *)p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	for (; n >= 8; b += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		w = __builtin_bswap64(w); /* bytes in order: the same sum on any machine */
#endif
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)b[i] << (8 * i);
	h = (h ^ w) * 0xff51afd7ed558ccdull;
	return h ^ h >> 32;
}

static size_t id_slot(const struct dg_facts_cache *c, const char *id)
{
	size_t h = 0;
	for (int i = 0; i < 16 && id[i]; i++)
		h = h * 16 + (size_t)(id[i] <= '9' ? id[i] - '0' : (id[i] | 32) - 'a' + 10);
	return h & (c->cap - 1);
}

static void cache_put(struct dg_facts_cache *c, const char *id, const char *facts, size_t len,
		      uint64_t sum)
{
	if ((c->n + 1) * 2 > c->cap) {
		struct entry *old = c->v;
		size_t oc = c->cap;
		c->cap = oc ? oc * 2 : 1024;
		c->v = dg_xcalloc(c->cap, sizeof(*c->v));
		c->n = 0;
		for (size_t i = 0; i < oc; i++)
			if (old[i].id[0])
				cache_put(c, old[i].id, old[i].facts, old[i].len, old[i].sum);
		free(old);
	}
	size_t h = id_slot(c, id);
	while (c->v[h].id[0] && strcmp(c->v[h].id, id))
		h = (h + 1) & (c->cap - 1);
	if (!c->v[h].id[0])
		c->n++;
	memcpy(c->v[h].id, id, 40);
	c->v[h].id[40] = '\0';
	c->v[h].facts = facts;
	c->v[h].len = len;
	c->v[h].sum = sum;
}

/* The git dir: $GIT_DIR, else .git upward from cwd (a `gitdir:` file followed). */
static char *find_git_dir(void)
{
	const char *env = getenv("GIT_DIR");
	if (env && *env)
		return dg_xstrdup(env);
	char *cwd = getcwd(NULL, 0);
	if (!cwd)
		return NULL;
	size_t len = strlen(cwd);
	char *found = NULL;
	for (;;) {
		struct dg_buf p = DG_BUF_INIT;
		struct stat st;
		dg_buf_add(&p, cwd, len);
		dg_buf_adds(&p, "/.git");
		if (stat(p.ptr, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				found = dg_buf_detach(&p);
			} else {
				char *d;
				size_t dl;
				if (dg_read_file(p.ptr, &d, &dl) == 0) {
					if (!strncmp(d, "gitdir: ", 8)) {
						char *e = d + 8;
						e[strcspn(e, "\r\n")] = '\0';
						if (e[0] == '/') {
							found = dg_xstrdup(e);
						} else {
							struct dg_buf q = DG_BUF_INIT;
							dg_buf_add(&q, cwd, len);
							dg_buf_addf(&q, "/%s", e);
							found = dg_buf_detach(&q);
						}
					}
					free(d);
				}
			}
			dg_buf_release(&p);
			break;
		}
		dg_buf_release(&p);
		while (len > 0 && cwd[len - 1] != '/')
			len--;
		if (len <= 1)
			break;
		len--;
	}
	free(cwd);
	return found;
}

/* mkdir -p, for the cache directory (0700: the user's own); 0 or -1. */
static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(path, 0700);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/*
 * Where the cache lives: $DDLGATE_CACHE_DIR, else $XDG_CACHE_HOME/ddlgate,
 * else ~/.cache/ddlgate. Never inside the repository: the hooks do not
 * write to it. NULL when there is no such place.
 */
static char *cache_dir(void)
{
	const char *d = getenv("DDLGATE_CACHE_DIR");
	struct dg_buf b = DG_BUF_INIT;
	if (d && *d) {
		dg_buf_adds(&b, d);
	} else if ((d = getenv("XDG_CACHE_HOME")) && d[0] == '/') {
		dg_buf_addf(&b, "%s/ddlgate", d);
	} else if ((d = getenv("HOME")) && d[0] == '/') {
		dg_buf_addf(&b, "%s/.cache/ddlgate", d);
	} else {
		return NULL;
	}
	char *dir = dg_buf_detach(&b);
	if (make_dirs(dir) < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* A lower-case hex digit's value (the cache writes ids and sums in lower case), else -1. */
static int hex_digit(char ch)
{
	return ch >= 'A' && ch <= 'F' ? -1 : dg_hexval(ch);
}

/*
 * One entry's header at q: "<40 hex id> <len> <16 hex sum>\n"; where its
 * bytes start (after the header), or NULL when it is not one.
 */
static const char *entry_header(const char *q, const char *end, char id[41], size_t *len,
				uint64_t *sum)
{
	if (end - q < 40 + 1 + 1 + 1 + 16 + 1)
		return NULL;
	for (int i = 0; i < 40; i++)
		if (hex_digit(q[i]) < 0)
			return NULL; /* an id cache_find could never ask for */
	memcpy(id, q, 40);
	id[40] = '\0';
	const char *e = q + 41, *digits = e;
	size_t l = 0;
	while (e < end && *e >= '0' && *e <= '9' && e - digits < 18)
		l = l * 10 + (size_t)(*e++ - '0');
	if (q[40] != ' ' || e == digits || end - e < 1 + 16 + 1 || *e != ' ')
		return NULL;
	uint64_t h = 0;
	for (int i = 1; i <= 16; i++) {
		int d = hex_digit(e[i]);
		if (d < 0)
			return NULL;
		h = h << 4 | (uint64_t)d;
	}
	if (e[17] != '\n')
		return NULL;
	*len = l;
	*sum = h;
	return e + 18;
}

/*
 * Index the entries of c->data: the magic line, then entries, each its
 * header and its bytes and a newline. Another version's file is started
 * over; at a torn or damaged header the rest is ignored (an entry whose
 * bytes do not match its sum is found, and treated as absent, by cache_find).
 */
static void cache_index(struct dg_facts_cache *c)
{
	size_t ml = strlen(c->magic);
	if (c->data_len < ml || memcmp(c->data, c->magic, ml)) {
		c->data_len = 0; /* another version: start over */
		return;
	}
	const char *q = c->data + ml, *end = c->data + c->data_len;
	for (;;) {
		char id[41];
		size_t l;
		uint64_t sum;
		const char *body = entry_header(q, end, id, &l, &sum);
		if (!body || l >= (size_t)(end - body) || body[l] != '\n')
			break;
		cache_put(c, id, body, l, sum);
		q = body + l + 1;
	}
	c->good_len = (size_t)(q - c->data);
}

/* The cache file of this repository named prefix-<key>, whose first line is magic. */
static struct dg_facts_cache *cache_open(const char *prefix, const char *magic)
{
	if (getenv("DDLGATE_NO_CACHE"))
		return NULL;
	char *gd = find_git_dir();
	if (!gd)
		return NULL;
	/* one file per repository (entries are content-addressed, but a file per
	 * repository keeps each one as small as its own history) */
	char *real = realpath(gd, NULL);
	unsigned long long key = dg_fnv1a(real ? real : gd, strlen(real ? real : gd));
	free(real);
	free(gd);
	char *dir = cache_dir();
	if (!dir)
		return NULL;
	struct dg_facts_cache *c = dg_xcalloc(1, sizeof(*c));
	struct dg_buf p = DG_BUF_INIT;
	dg_buf_addf(&p, "%s/%s-%016llx", dir, prefix, key);
	free(dir);
	c->path = dg_buf_detach(&p);
	c->magic = magic;
	if (dg_read_file(c->path, &c->data, &c->data_len) < 0) {
		dg_error_clear();
		c->data = NULL;
		c->data_len = 0;
		return c;
	}
	cache_index(c);
	return c;
}

struct dg_facts_cache *dg_facts_cache_open(void)
{
	return cache_open("schema-facts", FACTS_MAGIC);
}

struct dg_facts_cache *dg_words_cache_open(void)
{
	return cache_open("schema-words", WORDS_MAGIC);
}

/* The cached facts of blob_id, or NULL (none, or bytes that are not what was written). */
static const struct entry *cache_find(const struct dg_facts_cache *c, const char *blob_id)
{
	if (!c || !blob_id || strlen(blob_id) != 40 || !c->cap)
		return NULL;
	for (size_t h = id_slot(c, blob_id); c->v[h].id[0]; h = (h + 1) & (c->cap - 1))
		if (!strcmp(c->v[h].id, blob_id))
			return entry_sum(c->v[h].facts, c->v[h].len) == c->v[h].sum ? &c->v[h] : NULL;
	return NULL;
}

struct dg_facts_cache *dg_facts_cache_from_image(int words, const char *data, size_t len)
{
	struct dg_facts_cache *c = dg_xcalloc(1, sizeof(*c));
	c->magic = words ? WORDS_MAGIC : FACTS_MAGIC;
	c->data = dg_xmalloc(len + 1);
	if (len)
		memcpy(c->data, data, len);
	c->data[len] = '\0';
	c->data_len = len;
	cache_index(c);
	return c;
}

void dg_facts_cache_each(const struct dg_facts_cache *c,
			 void (*fn)(void *payload, const char *id, const char *body, size_t len),
			 void *payload)
{
	for (size_t i = 0; c && i < c->cap; i++)
		if (c->v[i].id[0])
			fn(payload, c->v[i].id, c->v[i].facts, c->v[i].len);
}

int dg_facts_cache_get(struct dg_facts_cache *c, struct dg_arena *a, struct dg_sql_file *f,
		       const char *blob_id, const char *path)
{
	const struct entry *e = cache_find(c, blob_id);
	if (!e || dg_facts_read(a, f, path, NULL, 0, e->facts, e->len) < 0)
		return 0;
	c->hits++;
	return 1;
}

/* Queue an entry for the cache file: its header (entry_header), its bytes, a newline. */
static void pending_add(struct dg_facts_cache *c, const char *blob_id, const char *body,
			size_t len)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t sum = entry_sum(body, len);
	dg_buf_add(&c->pending, blob_id, 40);
	dg_buf_add(&c->pending, " ", 1);
	w_int(&c->pending, (long)len);
	char *p = w_room(&c->pending, 17);
	for (int i = 0; i < 16; i++)
		p[i] = hex[(sum >> (60 - 4 * i)) & 15];
	p[16] = '\n';
	c->pending.len += 17;
	dg_buf_add(&c->pending, body, len);
	dg_buf_addch(&c->pending, '\n');
}

int dg_facts_cache_parse(struct dg_facts_cache *c, struct dg_arena *a, struct dg_sql_file *f,
			 const char *blob_id, const char *path, const char *data, size_t len)
{
	const struct entry *e = cache_find(c, blob_id);
	if (e && dg_facts_read(a, f, path, data, len, e->facts, e->len) == 0) {
		c->hits++;
		return 1;
	}
	dg_sql_parse(a, f, path, data, len);
	if (c && blob_id && strlen(blob_id) == 40) {
		struct dg_buf b = DG_BUF_INIT;
		dg_facts_write(&b, f);
		pending_add(c, blob_id, b.ptr ? b.ptr : "", b.len);
		dg_buf_release(&b);
		c->misses++;
	}
	return 0;
}

void dg_facts_cache_close(struct dg_facts_cache *c)
{
	if (!c)
		return;
	if (c->pending.len && c->path) {
		/* append in one write; a fresh or foreign-version file is replaced,
		 * a torn tail cut first (else what follows it is never read again,
		 * and each run would parse and append the same files anew) */
		int fresh = c->data_len == 0;
		int fd = open(c->path, O_WRONLY | O_CREAT | (fresh ? O_TRUNC : O_APPEND), 0666);
		if (fd >= 0 && !fresh && c->good_len < c->data_len &&
		    ftruncate(fd, (off_t)c->good_len) < 0) {
			close(fd);
			fd = -1;
		}
		if (fd >= 0) {
			struct dg_buf out = DG_BUF_INIT;
			if (fresh)
				dg_buf_adds(&out, c->magic);
			dg_buf_add(&out, c->pending.ptr, c->pending.len);
			ssize_t w = write(fd, out.ptr, out.len);
			(void)w; /* a cache: a failed write only costs a parse next time */
			close(fd);
			dg_buf_release(&out);
		}
	}
	dg_buf_release(&c->pending);
	free(c->v);
	free(c->data);
	free(c->path);
	free(c);
}

void dg_facts_cache_stats(const struct dg_facts_cache *c, size_t *hits, size_t *misses)
{
	*hits = c ? c->hits : 0;
	*misses = c ? c->misses : 0;
}

/* ---- the runs of files (schema/prune.h) ---- */

/* An entry: '0' or '1' (always needed), then each hash in 8 bytes, least significant first. */
int dg_words_read(struct dg_arena *a, const char *body, size_t len, struct dg_prune_words *w)
{
	if (len < 1 || (body[0] != '0' && body[0] != '1') || (len - 1) % 8)
		return -1;
	size_t n = (len - 1) / 8;
	uint64_t *v = n ? dg_alloc(a, n * sizeof(*v)) : NULL;
	const unsigned char *p = (const unsigned char *)body + 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n)
		memcpy(v, p, n * 8); /* the bytes are the hashes as this machine keeps them */
#else
	for (size_t i = 0; i < n; i++, p += 8) {
		uint64_t h = 0;
		for (int k = 7; k >= 0; k--)
			h = h << 8 | p[k];
		v[i] = h;
	}
#endif
	for (size_t i = 0; i < n; i++)
		if (!v[i])
			return -1; /* no run hashes to 0 (prune.c): not what was written */
	w->v = v;
	w->n = n;
	w->always = body[0] == '1';
	return 0;
}

int dg_words_cache_get(struct dg_facts_cache *c, struct dg_arena *a, const char *blob_id,
		       struct dg_prune_words *w)
{
	const struct entry *e = cache_find(c, blob_id);
	if (!e || dg_words_read(a, e->facts, e->len, w) < 0)
		return 0;
	c->hits++;
	return 1;
}

void dg_words_cache_put(struct dg_facts_cache *c, const char *blob_id,
			const struct dg_prune_words *w)
{
	if (!c || !blob_id || strlen(blob_id) != 40)
		return;
	struct dg_buf b = DG_BUF_INIT;
	unsigned char *p = (unsigned char *)w_room(&b, 1 + 8 * w->n);
	*p++ = w->always ? '1' : '0';
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (w->n)
		memcpy(p, w->v, w->n * 8);
#else
	for (size_t i = 0; i < w->n; i++)
		for (int k = 0; k < 8; k++)
			p[8 * i + k] = (unsigned char)(w->v[i] >> (8 * k));
#endif
	b.len = 1 + 8 * w->n;
	pending_add(c, blob_id, b.ptr, b.len);
	dg_buf_release(&b);
	c->misses++;
}
