/*
 * The statement facts schema replay needs, written to and read from a
 * compact text form, and a cache of them keyed by git blob id under the
 * repository's git dir: a blob's content never changes, so its facts are
 * always valid, and hooks replaying a long history parse only new files.
 */
#include "schema/facts.h"

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
 */
#define FACTS_MAGIC "ddlgate-schema-facts 4 pg_query " PG_VERSION " raw\n"
/* The runs of a file (schema/prune.h), in a cache of their own. 1: a flag, then 8-byte hashes. */
#define WORDS_MAGIC "ddlgate-schema-words 1\n"

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

static size_t r_count(struct rd *r)
{
	long v = r_int(r);
	if (v < 0 || v > (long)(r->end - r->p)) {
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
	struct dg_sql_known_pos k = {(size_t)loc, (int)r_int(r), (int)r_int(r)};
	if (loc > INT_MAX || k.line < 1 || k.column < 1)
		r->bad = 1;
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
	*n = r_count(r);
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
	k->kind = (enum dg_con_kind)r_int(r);
	k->name = r_str(r);
	k->columns = r_strs(r, &k->n_columns);
	k->ref_table = r_rel(r);
	k->ref_columns = r_strs(r, &k->n_ref_columns);
	k->not_valid = (int)r_int(r);
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
	c->type.mods[0] = (int)r_int(r);
	c->type.mods[1] = (int)r_int(r);
	c->type.n_mods = (int)r_int(r);
	c->type.array = (int)r_int(r);
	c->not_null = (int)r_int(r);
	c->primary_key = (int)r_int(r);
	c->unique = (int)r_int(r);
	c->location = r_loc(r);
	if (r_int(r)) {
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
	x.domain_constrained = (int)r_int(r);
	x.domain_cmd = (enum dg_domain_cmd)r_int(r);
	if (r_int(r)) {
		x.con = dg_alloc(a, sizeof(*x.con));
		r_con(r, x.con);
	}
	x.n_likes = r_count(r);
	if (x.n_likes) {
		x.likes = dg_alloc(a, x.n_likes * sizeof(*x.likes));
		x.like_options = dg_alloc(a, x.n_likes * sizeof(*x.like_options));
	}
	for (size_t k = 0; k < x.n_likes; k++) {
		x.likes[k] = r_rel(r);
		x.like_options[k] = (unsigned)r_int(r);
	}
	if (x.partition_of.name || x.partition_of.schema || x.domain.name || x.domain.schema ||
	    x.domain_constrained || x.domain_cmd || x.con || x.n_likes)
		*dg_stmt_rare_mut(a, st) = x;
}


int dg_facts_read(struct dg_arena *a, struct dg_sql_file *f, const char *path, const char *data,
		  size_t len, const char *facts, size_t flen)
{
	struct rd r = { a, facts, facts + flen, 0, NULL, 0, 0 };
	memset(f, 0, sizeof(*f));
	f->path = dg_strdup(a, path);
	/* the size of the file the facts are of: the text given must be it */
	long stored = r_int(&r);
	if (stored < 0 || (data && (size_t)stored != len))
		return -1;
	len = (size_t)stored;
	f->data = data;
	f->len = len;
	if (data)
		line_index(a, f);
	size_t n = r_count(&r);
	f->stmts = n ? dg_alloc(a, n * sizeof(*f->stmts)) : NULL;
	for (size_t i = 0; i < n && !r.bad; i++) {
		struct dg_stmt *st = &f->stmts[f->n_stmts++];
		st->kind = (enum dg_stmt_kind)r_int(&r);
		st->offset = (size_t)r_int(&r);
		st->len = (size_t)r_int(&r);
		st->line = (int)r_int(&r);
		st->column = (int)r_int(&r);
		st->end_line = (int)r_int(&r);
		st->end_column = (int)r_int(&r);
		st->error_offset = -1;
		st->n_rels = r_count(&r);
		st->rels = st->n_rels ? dg_alloc(a, st->n_rels * sizeof(*st->rels)) : NULL;
		for (size_t k = 0; k < st->n_rels; k++)
			st->rels[k] = r_rel(&r);
		if (r_int(&r)) {
			st->rel = dg_alloc(a, sizeof(*st->rel));
			*st->rel = r_rel(&r);
		}
		st->object = (enum dg_object_kind)r_int(&r);
		st->name = r_str(&r);
		st->new_name = r_str(&r);
		st->value = r_str(&r);
		st->if_exists = (int)r_int(&r);
		st->if_not_exists = (int)r_int(&r);
		st->cascade = (int)r_int(&r);
		st->is_temp = (int)r_int(&r);
		st->is_partitioned = (int)r_int(&r);
		r_rare(&r, a, st);
		st->n_columns = r_count(&r);
		st->columns = st->n_columns ? dg_alloc(a, st->n_columns * sizeof(*st->columns)) : NULL;
		for (size_t k = 0; k < st->n_columns; k++)
			r_col(&r, &st->columns[k]);
		st->n_constraints = r_count(&r);
		st->constraints = st->n_constraints ?
			dg_alloc(a, st->n_constraints * sizeof(*st->constraints)) : NULL;
		for (size_t k = 0; k < st->n_constraints; k++)
			r_con(&r, &st->constraints[k]);
		st->n_cmds = r_count(&r);
		st->cmds = st->n_cmds ? dg_alloc(a, st->n_cmds * sizeof(*st->cmds)) : NULL;
		for (size_t k = 0; k < st->n_cmds; k++) {
			struct dg_cmd *c = &st->cmds[k];
			c->kind = (enum dg_cmd_kind)r_int(&r);
			c->column = r_str(&r);
			c->name = r_str(&r);
			c->if_exists = (int)r_int(&r);
			c->cascade = (int)r_int(&r);
			c->location = r_loc(&r);
			if (r_int(&r)) {
				c->coldef = dg_alloc(a, sizeof(*c->coldef));
				r_col(&r, c->coldef);
			}
			if (r_int(&r)) {
				c->con = dg_alloc(a, sizeof(*c->con));
				r_con(&r, c->con);
			}
		}
		if (r_int(&r)) {
			struct dg_index *x = dg_alloc(a, sizeof(*x));
			st->index = x;
			x->name = r_str(&r);
			x->table = r_rel(&r);
			x->unique = (int)r_int(&r);
			x->concurrently = (int)r_int(&r);
			x->method = r_str(&r);
			x->where = r_str(&r);
			x->n_elems = r_count(&r);
			x->elems = x->n_elems ? dg_alloc(a, x->n_elems * sizeof(*x->elems)) : NULL;
			for (size_t k = 0; k < x->n_elems; k++) {
				x->elems[k].column = r_str(&r);
				x->elems[k].expr = r_str(&r);
			}
		}
		if (st->offset > len || st->len > len - st->offset)
			r.bad = 1;
	}
	size_t n_opaque = r_count(&r);
	f->opaque = n_opaque && !r.bad ? dg_alloc(a, n_opaque * sizeof(*f->opaque)) : NULL;
	for (size_t i = 0; i < n_opaque && !r.bad; i++) {
		struct dg_sql_opaque *o = &f->opaque[f->n_opaque++];
		o->stmt.offset = (size_t)r_int(&r);
		o->stmt.line = (int)r_int(&r);
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
};

struct dg_facts_cache {
	char *path;               /* <cache dir>/schema-facts-<repository key> (or -words-) */
	const char *magic;        /* the file's first line */
	char *data;               /* the file as loaded */
	size_t data_len;
	struct entry *v;          /* open addressing on the blob id */
	size_t cap, n;
	struct dg_buf pending;    /* new entries, appended on close */
	size_t hits, misses;
};

static size_t id_slot(const struct dg_facts_cache *c, const char *id)
{
	size_t h = 0;
	for (int i = 0; i < 16 && id[i]; i++)
		h = h * 16 + (size_t)(id[i] <= '9' ? id[i] - '0' : (id[i] | 32) - 'a' + 10);
	return h & (c->cap - 1);
}

static void cache_put(struct dg_facts_cache *c, const char *id, const char *facts, size_t len)
{
	if ((c->n + 1) * 2 > c->cap) {
		struct entry *old = c->v;
		size_t oc = c->cap;
		c->cap = oc ? oc * 2 : 1024;
		c->v = dg_xcalloc(c->cap, sizeof(*c->v));
		c->n = 0;
		for (size_t i = 0; i < oc; i++)
			if (old[i].id[0])
				cache_put(c, old[i].id, old[i].facts, old[i].len);
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
	size_t ml = strlen(magic);
	if (c->data_len < ml || memcmp(c->data, magic, ml)) {
		c->data_len = 0; /* another version: start over */
		return c;
	}
	/* entries: "<40 hex id> <len>\n<facts>\n"; a torn last entry is ignored */
	const char *q = c->data + ml, *end = c->data + c->data_len;
	while (q + 42 < end) {
		char id[41];
		memcpy(id, q, 40);
		id[40] = '\0';
		const char *e = q + 41;
		size_t l = 0;
		while (e < end && *e >= '0' && *e <= '9' && e - q < 41 + 18)
			l = l * 10 + (size_t)(*e++ - '0');
		if (q[40] != ' ' || e == q + 41 || e >= end || *e != '\n' ||
		    l + 2 > (size_t)(end - e) || e[1 + l] != '\n')
			break;
		cache_put(c, id, e + 1, l);
		q = e + 2 + l;
	}
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

/* The cached facts of blob_id, or NULL. */
static const struct entry *cache_find(const struct dg_facts_cache *c, const char *blob_id)
{
	if (!c || !blob_id || strlen(blob_id) != 40 || !c->cap)
		return NULL;
	for (size_t h = id_slot(c, blob_id); c->v[h].id[0]; h = (h + 1) & (c->cap - 1))
		if (!strcmp(c->v[h].id, blob_id))
			return &c->v[h];
	return NULL;
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
		dg_buf_add(&c->pending, blob_id, 40);
		dg_buf_add(&c->pending, " ", 1);
		w_int(&c->pending, (long)b.len);
		c->pending.ptr[c->pending.len - 1] = '\n';
		dg_buf_add(&c->pending, b.ptr ? b.ptr : "", b.len);
		dg_buf_addch(&c->pending, '\n');
		dg_buf_release(&b);
		c->misses++;
	}
	return 0;
}

void dg_facts_cache_close(struct dg_facts_cache *c)
{
	if (!c)
		return;
	if (c->pending.len) {
		/* append in one write; a fresh or foreign-version file is replaced */
		int fresh = c->data_len == 0;
		int fd = open(c->path, O_WRONLY | O_CREAT | (fresh ? O_TRUNC : O_APPEND), 0666);
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
int dg_words_cache_get(struct dg_facts_cache *c, struct dg_arena *a, const char *blob_id,
		       struct dg_prune_words *w)
{
	const struct entry *e = cache_find(c, blob_id);
	if (!e || e->len < 1 || (e->facts[0] != '0' && e->facts[0] != '1') || (e->len - 1) % 8)
		return 0;
	size_t n = (e->len - 1) / 8;
	uint64_t *v = n ? dg_alloc(a, n * sizeof(*v)) : NULL;
	const unsigned char *p = (const unsigned char *)e->facts + 1;
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
	w->v = v;
	w->n = n;
	w->always = e->facts[0] == '1';
	c->hits++;
	return 1;
}

void dg_words_cache_put(struct dg_facts_cache *c, const char *blob_id,
			const struct dg_prune_words *w)
{
	if (!c || !blob_id || strlen(blob_id) != 40)
		return;
	dg_buf_add(&c->pending, blob_id, 40);
	dg_buf_add(&c->pending, " ", 1);
	w_int(&c->pending, (long)(1 + 8 * w->n));
	c->pending.ptr[c->pending.len - 1] = '\n';
	unsigned char *p = (unsigned char *)w_room(&c->pending, 2 + 8 * w->n);
	*p++ = w->always ? '1' : '0';
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (w->n)
		memcpy(p, w->v, w->n * 8);
	p += w->n * 8;
#else
	for (size_t i = 0; i < w->n; i++)
		for (int k = 0; k < 8; k++)
			*p++ = (unsigned char)(w->v[i] >> (8 * k));
#endif
	*p++ = '\n';
	c->pending.len = (size_t)((char *)p - c->pending.ptr);
	c->pending.ptr[c->pending.len] = '\0';
	c->misses++;
}
