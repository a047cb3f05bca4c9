/*
 * A file's history of relations and column types (index.h): one entry per
 * relation name (and per column of it), each with its events in statement
 * order, in an open-addressing table hashed by name. Unqualified names
 * match a relation of any schema (dg_rel_equal), so a lookup looks at
 * every entry of the name, which all share one probe run.
 */
#include "sql/index.h"

#include <stdint.h>
#include <string.h>

enum ev_kind { EV_NEW, EV_CREATE_TABLE, EV_GONE, EV_TYPE };

/* 16 bytes: a file has one per column it declares */
struct event {
	const struct dg_type *type;
	uint32_t at;               /* the statement's position in the file */
	uint32_t kind;             /* enum ev_kind */
};

/* What an entry is the history of (marks: dg_sql_index_mark). */
enum entry_kind { E_RELATION = -1, E_COLUMN = -2 };

/* 64 bytes: a file has one per relation and column it names */
struct entry {
	struct dg_rel rel;
	const char *column;        /* NULL: the relation itself */
	struct event *ev;
	uint32_t *creates;         /* positions of its CREATE TABLEs */
	uint32_t hash;
	uint32_t n, cap;
	int32_t kind;              /* enum entry_kind, or an enum dg_sql_mark */
	uint32_t n_creates, cap_creates;
};

struct dg_sql_index {
	struct dg_arena *a;
	struct entry **slots;      /* a power of two; NULL = empty */
	size_t overflow;           /* statements past 2^32: not recorded */
	size_t cap, used;
};

size_t dg_sql_name_hash(const char *name, const char *column)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (const char *p = name; p && *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	h = (h ^ 0xff) * 1099511628211u;
	for (const char *p = column; p && *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return (size_t)h;
}

struct dg_sql_index *dg_sql_index_new(struct dg_arena *a)
{
	struct dg_sql_index *ix = dg_alloc(a, sizeof(*ix));
	ix->a = a;
	return ix;
}

static int same_key(const struct entry *e, int kind, const char *column)
{
	return e->kind == kind && (column ? e->column && !strcmp(e->column, column) : !e->column);
}

/* Loop over every entry of that kind that name (and column) r may mean. */
#define FOR_MATCHES(ix, kind, r, col, h, e)                                                  \
	for (size_t mask_ = (ix)->cap - 1, i_ = (ix)->cap ? (h) & mask_ : 0;                   \
	     (ix)->cap && (e = (ix)->slots[i_]) != NULL; i_ = (i_ + 1) & mask_)                  \
		if (e->hash == (uint32_t)(h) && same_key(e, kind, col) && dg_rel_equal(&e->rel, r))

static void grow(struct dg_sql_index *ix)
{
	size_t old_cap = ix->cap;
	struct entry **old = ix->slots;
	ix->cap = old_cap ? old_cap * 2 : 64;
	ix->slots = dg_alloc(ix->a, ix->cap * sizeof(*ix->slots));
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i])
			continue;
		size_t k = dg_sql_name_hash(old[i]->rel.name, old[i]->column) & (ix->cap - 1);
		while (ix->slots[k])
			k = (k + 1) & (ix->cap - 1);
		ix->slots[k] = old[i];
	}
	dg_arena_forget(ix->a, old, old_cap * sizeof(*old)); /* a big one had a block of its own */
}

/* The entry keyed exactly (kind, schema, name, column), made when missing. */
static struct entry *exact(struct dg_sql_index *ix, int kind, const struct dg_rel *r,
			   const char *column)
{
	size_t h = dg_sql_name_hash(r->name, column);
	if ((ix->used + 1) * 2 > ix->cap)
		grow(ix);
	size_t mask = ix->cap - 1, i = h & mask;
	for (; ix->slots[i]; i = (i + 1) & mask) {
		struct entry *e = ix->slots[i];
		if (e->hash == (uint32_t)h && same_key(e, kind, column) && !strcmp(e->rel.name, r->name) &&
		    (e->rel.schema ? r->schema && !strcmp(e->rel.schema, r->schema) : !r->schema))
			return e;
	}
	struct entry *e = dg_alloc(ix->a, sizeof(*e));
	e->rel = *r;
	e->column = column;
	e->kind = kind;
	e->hash = (uint32_t)h;
	ix->slots[i] = e;
	ix->used++;
	return e;
}

static void add_event(struct dg_sql_index *ix, struct entry *e, size_t at, enum ev_kind kind,
		      const struct dg_type *type)
{
	if (at > UINT32_MAX - 1) {
		ix->overflow++;
		return;
	}
	if (e->n == e->cap) {
		uint32_t nc = e->cap ? e->cap * 2 : 1;
		struct event *nv = dg_alloc(ix->a, nc * sizeof(*nv));
		if (e->n)
			memcpy(nv, e->ev, e->n * sizeof(*nv));
		e->ev = nv;
		e->cap = nc;
	}
	struct event ev = { type, (uint32_t)at, (uint32_t)kind };
	e->ev[e->n++] = ev;
}

/* The last event at or before `at` (events come in statement order), or NULL. */
static const struct event *last_until(const struct entry *e, size_t at)
{
	size_t lo = 0, hi = e->n; /* answer: the last index with ev.at <= at */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->ev[mid].at <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &e->ev[lo - 1] : NULL;
}

void dg_sql_index_created(struct dg_sql_index *ix, const struct dg_rel *r, size_t at,
			  int create_table)
{
	if (!r || !r->name || !*r->name)
		return;
	struct entry *e = exact(ix, E_RELATION, r, NULL);
	add_event(ix, e, at, create_table ? EV_CREATE_TABLE : EV_NEW, NULL);
	if (!create_table)
		return;
	if (at > UINT32_MAX - 1)
		return;
	if (e->n_creates == e->cap_creates) {
		uint32_t nc = e->cap_creates ? e->cap_creates * 2 : 1;
		uint32_t *nv = dg_alloc(ix->a, nc * sizeof(*nv));
		if (e->n_creates)
			memcpy(nv, e->creates, e->n_creates * sizeof(*nv));
		e->creates = nv;
		e->cap_creates = nc;
	}
	e->creates[e->n_creates++] = (uint32_t)at;
}

void dg_sql_index_dropped(struct dg_sql_index *ix, const struct dg_rel *r, size_t at)
{
	if (!r || !r->name)
		return;
	size_t h = dg_sql_name_hash(r->name, NULL);
	struct entry *e;
	int any = 0;
	FOR_MATCHES(ix, E_RELATION, r, NULL, h, e) {
		add_event(ix, e, at, EV_GONE, NULL);
		any = 1;
	}
	/* a table of the history dropped here: a CREATE TABLE after it is new */
	if (!any && *r->name)
		add_event(ix, exact(ix, E_RELATION, r, NULL), at, EV_GONE, NULL);
}

int dg_sql_index_is_new(const struct dg_sql_index *ix, const struct dg_rel *r, size_t at)
{
	if (!ix || !r || !r->name)
		return 0;
	size_t h = dg_sql_name_hash(r->name, NULL);
	struct entry *e;
	FOR_MATCHES(ix, E_RELATION, r, NULL, h, e) {
		const struct event *ev = at ? last_until(e, at - 1) : NULL; /* before `at` */
		if (ev && ev->kind != EV_GONE)
			return 1;
	}
	return 0;
}

int dg_sql_index_seen(const struct dg_sql_index *ix, const struct dg_rel *r, size_t at)
{
	if (!ix || !r || !r->name)
		return 0;
	size_t h = dg_sql_name_hash(r->name, NULL);
	struct entry *e;
	FOR_MATCHES(ix, E_RELATION, r, NULL, h, e)
		if (at && last_until(e, at - 1))
			return 1;
	return 0;
}

long dg_sql_index_last_create(const struct dg_sql_index *ix, const struct dg_rel *r, size_t at)
{
	long best = -1;
	if (!ix || !r || !r->name)
		return -1;
	size_t h = dg_sql_name_hash(r->name, NULL);
	struct entry *e;
	FOR_MATCHES(ix, E_RELATION, r, NULL, h, e) {
		size_t lo = 0, hi = e->n_creates; /* the last create at or before `at` */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (e->creates[mid] <= at)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo && (long)e->creates[lo - 1] > best)
			best = (long)e->creates[lo - 1];
	}
	return best;
}

void dg_sql_index_column(struct dg_sql_index *ix, const struct dg_rel *r, const char *col,
			 const struct dg_type *ty, size_t at)
{
	if (!r || !r->name || !*r->name || !col || !ty || !ty->name)
		return;
	add_event(ix, exact(ix, E_COLUMN, r, col), at, EV_TYPE, ty);
}

const struct dg_type *dg_sql_index_column_type(const struct dg_sql_index *ix,
					       const struct dg_rel *r, const char *col, size_t at,
					       int *created)
{
	long since = dg_sql_index_last_create(ix, r, at);
	const struct event *best = NULL;
	if (created)
		*created = since >= 0;
	if (!ix || !r || !r->name || !col)
		return NULL;
	size_t h = dg_sql_name_hash(r->name, col);
	struct entry *e;
	FOR_MATCHES(ix, E_COLUMN, r, col, h, e) {
		const struct event *ev = last_until(e, at);
		if (ev && (since < 0 || ev->at >= (size_t)since) && (!best || ev->at >= best->at))
			best = ev;
	}
	return best ? best->type : NULL;
}

void dg_sql_index_mark(struct dg_sql_index *ix, enum dg_sql_mark mark, const struct dg_rel *r,
		       const char *col, size_t at)
{
	if (!r || !r->name || !*r->name)
		return;
	struct entry *e = exact(ix, (int)mark, r, col);
	if (!e->n || e->ev[e->n - 1].at != at)
		add_event(ix, e, at, EV_NEW, NULL);
}

int dg_sql_index_marked(const struct dg_sql_index *ix, enum dg_sql_mark mark,
			const struct dg_rel *r, const char *col, size_t before)
{
	if (!ix || !r || !r->name)
		return 0;
	size_t h = dg_sql_name_hash(r->name, col);
	struct entry *e;
	FOR_MATCHES(ix, (int)mark, r, col, h, e)
		if (e->n && e->ev[0].at < before)
			return 1;
	return 0;
}

/* ---- the queries rules make (sql.h) ---- */

static size_t position(const struct dg_sql_file *f, const struct dg_stmt *st)
{
	return st && st >= f->stmts && st < f->stmts + f->n_stmts ? (size_t)(st - f->stmts) : SIZE_MAX;
}

int dg_sql_table_is_new(const struct dg_sql_file *f, const struct dg_stmt *st, const struct dg_rel *r)
{
	return f && dg_sql_index_is_new(f->index, r, position(f, st));
}

const struct dg_type *dg_sql_column_type(const struct dg_sql_file *f, const struct dg_stmt *st,
					 const struct dg_rel *r, const char *col, int *created)
{
	if (created)
		*created = 0;
	return f ? dg_sql_index_column_type(f->index, r, col, position(f, st), created) : NULL;
}

const struct dg_stmt *dg_sql_table_created_by(const struct dg_sql_file *f, const struct dg_stmt *st,
					      const struct dg_rel *r)
{
	long at = f ? dg_sql_index_last_create(f->index, r, position(f, st)) : -1;
	return at >= 0 ? &f->stmts[at] : NULL;
}

int dg_sql_marked_before(const struct dg_sql_file *f, const struct dg_stmt *st, enum dg_sql_mark mark,
			 const struct dg_rel *r, const char *col)
{
	return f && dg_sql_index_marked(f->index, mark, r, col, position(f, st));
}
