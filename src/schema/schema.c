/*
 * Schema replay: statement facts in, tables / columns / indexes /
 * constraints out. Tables are shared between a schema and its clones until
 * one side changes them (copy on write at table granularity), so a
 * snapshot before every migration of a long history stays cheap.
 */
#include "schema/schema.h"
#include "discover/migrations.h"
#include "schema/prune.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DG_NAMEMAX 63 /* PostgreSQL's NAMEDATALEN - 1 */

static unsigned next_gen = 1;

/* ---- small helpers ---- */

static const char **dup_strs(struct dg_arena *a, const char *const *v, size_t n)
{
	if (!n)
		return NULL;
	const char **o = dg_alloc(a, n * sizeof(*o));
	for (size_t i = 0; i < n; i++)
		o[i] = v[i];
	return o;
}

static int str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static int in_strs(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(s, v[i]))
			return 1;
	return 0;
}

/* Same members, any order (lists are short and free of duplicates). */
static int same_set(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!a[i] || !in_strs(a[i], b, nb))
			return 0;
	return 1;
}

/* Append one element to an arena array (copying it: arrays may be shared). */
#define ARENA_PUSH(a, arr, n, item)                                             \
	do {                                                                    \
		void *np_ = dg_alloc((a), ((n) + 1) * sizeof(*(arr)));          \
		if (n)                                                          \
			memcpy(np_, (arr), (n) * sizeof(*(arr)));               \
		(arr) = np_;                                                    \
		(arr)[(n)++] = (item);                                          \
	} while (0)

/* Move an array a table owns to room for newcap items in the arena (the old copy stays dead). */
#define TABLE_GROW(a, arr, n, cap, newcap)                                      \
	do {                                                                    \
		size_t nc_ = (newcap);                                          \
		void *np_ = dg_alloc((a), nc_ * sizeof(*(arr)));                \
		if (n)                                                          \
			memcpy(np_, (arr), (n) * sizeof(*(arr)));               \
		(arr) = np_;                                                    \
		(cap) = nc_;                                                    \
	} while (0)

/* Append to an array a table owns (amortized: the room doubles). */
#define TABLE_PUSH(a, arr, n, cap, item)                                        \
	do {                                                                    \
		if ((n) + 1 > (cap))                                            \
			TABLE_GROW(a, arr, n, cap, (cap) ? (cap) * 2 : 2);      \
		(arr)[(n)++] = (item);                                          \
	} while (0)

/* Room for `more` items past n at once (TABLE_PUSH doubles, leaving the old copies dead). */
#define TABLE_RESERVE(a, arr, n, cap, more)                                     \
	do {                                                                    \
		if ((n) + (more) > (cap))                                       \
			TABLE_GROW(a, arr, n, cap, (n) + (more));               \
	} while (0)

/* Remove element i of an arena array in place (the array must be owned). */
#define ARENA_REMOVE(arr, n, i)                                                 \
	do {                                                                    \
		memmove(&(arr)[(i)], &(arr)[(i) + 1], ((n) - (i) - 1) * sizeof(*(arr))); \
		(n)--;                                                          \
	} while (0)

/* Note a name the model looks at, for a pruned history (schema/prune.h). */
static void probe(const struct dg_schema *s, const char *name)
{
	if (s->probe)
		dg_keyset_add_name(s->probe, name);
}

void dg_schema_set_probe(struct dg_schema *s, struct dg_keyset *k)
{
	s->probe = k;
}

/* ---- the schema object ---- */

struct dg_schema *dg_schema_new(struct dg_arena *a)
{
	struct dg_schema *s = dg_alloc(a, sizeof(*s));
	s->arena = a;
	s->gen = next_gen++;
	ARENA_PUSH(a, s->schemas, s->n_schemas, "public");
	s->hash_dirty = 1;
	s->names_dirty = 1;
	return s;
}

struct dg_schema *dg_schema_clone(struct dg_arena *a, struct dg_schema *s)
{
	struct dg_schema *c = dg_alloc(a, sizeof(*c));
	*c = *s;
	c->arena = a;
	c->gen = next_gen++;
	s->gen = next_gen++; /* the original no longer owns the shared tables either */
	c->schemas = dup_strs(a, s->schemas, s->n_schemas);
	c->cap_tables = s->n_tables;
	c->tables = s->n_tables ? dg_memdup(a, s->tables, s->n_tables, sizeof(*s->tables)) : NULL;
	c->notes = s->n_notes ? dg_memdup(a, s->notes, s->n_notes, sizeof(*s->notes)) : NULL;
	c->cap_notes = s->n_notes;
	c->domains = s->n_domains ? dg_memdup(a, s->domains, s->n_domains, sizeof(*s->domains)) : NULL;
	c->cap_domains = s->n_domains;
	c->hash = NULL;
	c->hash_cap = 0;
	c->hash_owned = 0;
	c->hash_dirty = 1;
	c->names = NULL;
	c->name_counts = NULL;
	c->names_cap = c->n_names = 0;
	c->names_dirty = 1;
	c->index_loc = c->fk_loc = NULL;
	c->index_loc_cap = c->index_loc_n = c->fk_loc_cap = c->fk_loc_n = 0;
	c->final = NULL;
	c->unindexed = NULL;
	c->n_unindexed = 0;
	c->unindexed_built = 0;
	c->by_path = NULL;
	c->notes_by_path = NULL;
	c->n_notes_by_path = 0;
	return c;
}

/* Make table i writable by s: copy it (and its arrays) if it is shared. */
static struct dg_schema_table *own(struct dg_schema *s, size_t i)
{
	struct dg_schema_table *t = s->tables[i];
	probe(s, t->name);
	if (t->gen == s->gen)
		return t;
	struct dg_schema_table *n = dg_alloc(s->arena, sizeof(*n));
	*n = *t;
	n->gen = s->gen;
	n->columns = t->n_columns ? dg_memdup(s->arena, t->columns, t->n_columns, sizeof(*t->columns)) : NULL;
	n->indexes = t->n_indexes ? dg_memdup(s->arena, t->indexes, t->n_indexes, sizeof(*t->indexes)) : NULL;
	n->constraints = t->n_constraints ?
		dg_memdup(s->arena, t->constraints, t->n_constraints, sizeof(*t->constraints)) : NULL;
	n->cap_columns = t->n_columns;
	n->cap_indexes = t->n_indexes;
	n->cap_constraints = t->n_constraints;
	n->arena = s->arena;
	n->col_slots = NULL; /* the copy builds its own */
	n->col_cap = n->col_hash_n = 0;
	s->tables[i] = n;
	return n;
}

static uint64_t name_hash(const char *schema, const char *name)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = schema; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ '.') * 1099511628211ull;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static void hash_rebuild(struct dg_schema *s)
{
	size_t cap = 64;
	while (cap < s->n_tables * 2 + 16)
		cap *= 2;
	if (s->hash && s->hash_owned && cap <= s->hash_cap) {
		cap = s->hash_cap; /* the same room again: no new memory */
		memset(s->hash, 0, cap * sizeof(*s->hash));
	} else {
		s->hash = dg_alloc(s->arena, cap * sizeof(*s->hash));
		s->hash_owned = 1;
	}
	s->hash_cap = cap;
	for (size_t i = 0; i < s->n_tables; i++) {
		size_t h = (size_t)name_hash(s->tables[i]->schema, s->tables[i]->name) & (cap - 1);
		while (s->hash[h])
			h = (h + 1) & (cap - 1);
		s->hash[h] = i + 1;
	}
	s->hash_dirty = 0;
}

static size_t hash_home(const struct dg_schema *s, size_t slot_value)
{
	const struct dg_schema_table *t = s->tables[slot_value - 1];
	return (size_t)name_hash(t->schema, t->name) & (s->hash_cap - 1);
}

/*
 * Table position tp is about to leave the array (the ones after it move
 * down by one): take it out of the lookup index in place (backward-shift
 * deletion), without a rebuild, so that dropping tables stays linear.
 */
static void hash_remove(struct dg_schema *s, size_t tp)
{
	if (s->hash_dirty || !s->hash_cap) {
		s->hash_dirty = 1;
		return;
	}
	size_t mask = s->hash_cap - 1;
	size_t i = hash_home(s, tp + 1);
	while (s->hash[i] && s->hash[i] != tp + 1)
		i = (i + 1) & mask;
	if (s->hash[i]) {
		for (size_t j = (i + 1) & mask; s->hash[j]; j = (j + 1) & mask) {
			size_t k = hash_home(s, s->hash[j]);
			/* move j back to the hole at i unless its home lies in (i, j] */
			int stays = i <= j ? (k > i && k <= j) : (k > i || k <= j);
			if (!stays) {
				s->hash[i] = s->hash[j];
				i = j;
			}
		}
		s->hash[i] = 0;
	}
	for (size_t k = 0; k < s->hash_cap; k++)
		if (s->hash[k] > tp + 1)
			s->hash[k]--;
}

/* Position of schema.name in s->tables, or -1. */
static long table_pos(const struct dg_schema *cs, const char *schema, const char *name)
{
	struct dg_schema *s = (struct dg_schema *)cs; /* the lookup index is a cache */
	probe(s, schema);
	probe(s, name);
	if (!schema || !name || !s->n_tables)
		return -1;
	if (s->hash_dirty || s->hash_cap < s->n_tables * 2)
		hash_rebuild(s);
	size_t h = (size_t)name_hash(schema, name) & (s->hash_cap - 1);
	while (s->hash[h]) {
		const struct dg_schema_table *t = s->tables[s->hash[h] - 1];
		if (!strcmp(t->name, name) && !strcmp(t->schema, schema))
			return (long)(s->hash[h] - 1);
		h = (h + 1) & (s->hash_cap - 1);
	}
	return -1;
}

static int has_schema(const struct dg_schema *s, const char *name)
{
	probe(s, name);
	return in_strs(name, s->schemas, s->n_schemas);
}

static void add_note(struct dg_schema *s, const char *path, int line, const char *msg)
{
	/* once per file and kind: a file's notes are the last ones while it replays */
	for (size_t i = s->n_notes; i-- > 0 && str_eq(s->notes[i].path, path);)
		if (!strcmp(s->notes[i].message, msg))
			return;
	struct dg_schema_note n = { dg_strdup(s->arena, path), line, dg_strdup(s->arena, msg) };
	TABLE_PUSH(s->arena, s->notes, s->n_notes, s->cap_notes, n);
}

static void names_add(struct dg_schema *s, char kind, const char *schema, const char *name);

/* ---- replay context ---- */

struct rp {
	struct dg_schema *s;
	struct dg_arena *a;
	const struct dg_sql_file *f;
	const char *path;
	const struct dg_stmt *st;
	const char **search;       /* search_path, first = where new tables go */
	size_t n_search;
	int notes;
};

static struct dg_schema_origin origin_at(struct rp *r, int location)
{
	struct dg_schema_origin o = { 0 };
	o.path = r->path;
	o.file = r->f;
	o.stmt = r->st;
	o.offset = r->st->offset;
	o.location = location;
	if (location >= 0)
		dg_sql_pos(r->f, (size_t)location, &o.line, &o.column);
	else {
		o.line = r->st->line;
		o.column = r->st->column;
	}
	return o;
}

/* Where an unqualified name resolves: first search_path schema holding it. */
static long find_rel(struct rp *r, const struct dg_rel *rel)
{
	if (!rel || !rel->name)
		return -1;
	if (rel->schema)
		return table_pos(r->s, rel->schema, rel->name);
	for (size_t i = 0; i < r->n_search; i++) {
		long p = table_pos(r->s, r->search[i], rel->name);
		if (p >= 0)
			return p;
	}
	return -1;
}

static const char *creation_schema(struct rp *r, const struct dg_rel *rel)
{
	if (rel->schema)
		return rel->schema;
	for (size_t i = 0; i < r->n_search; i++)
		if (has_schema(r->s, r->search[i]))
			return r->search[i];
	return "public";
}

static long add_table(struct rp *r, const char *schema, const char *name, int known)
{
	struct dg_schema *s = r->s;
	probe(s, schema);
	probe(s, name);
	struct dg_schema_table *t = dg_alloc(r->a, sizeof(*t));
	t->schema = dg_strdup(r->a, schema);
	t->name = dg_strdup(r->a, name);
	t->known = known;
	t->gen = s->gen;
	t->arena = r->a;
	t->origin = origin_at(r, -1);
	if (!has_schema(s, schema))
		ARENA_PUSH(r->a, s->schemas, s->n_schemas, t->schema);
	if (s->n_tables + 1 > s->cap_tables) {
		/* arena memory: grow by copying */
		size_t cap = s->cap_tables ? s->cap_tables * 2 : 16;
		struct dg_schema_table **nt = dg_alloc(r->a, cap * sizeof(*nt));
		if (s->n_tables)
			memcpy(nt, s->tables, s->n_tables * sizeof(*nt));
		s->tables = nt;
		s->cap_tables = cap;
	}
	s->tables[s->n_tables++] = t;
	if (!s->hash_dirty && s->hash_cap >= s->n_tables * 2) {
		size_t h = (size_t)name_hash(t->schema, t->name) & (s->hash_cap - 1);
		while (s->hash[h])
			h = (h + 1) & (s->hash_cap - 1);
		s->hash[h] = s->n_tables;
	} else {
		s->hash_dirty = 1;
	}
	names_add(s, 'r', t->schema, t->name);
	return (long)s->n_tables - 1;
}

/* The table rel names, created as a placeholder (known = 0) when unseen. */
static long need_table(struct rp *r, const struct dg_rel *rel)
{
	long p = find_rel(r, rel);
	if (p < 0 && rel && rel->name)
		p = add_table(r, creation_schema(r, rel), rel->name, 0);
	return p;
}

/* ---- PostgreSQL's choice of names for unnamed objects ---- */

/* name1[_name2]_label, the longer of name1/name2 shortened to fit 63 bytes. */
static char *object_name(struct dg_arena *a, const char *name1, const char *name2, const char *label)
{
	size_t l1 = strlen(name1), l2 = name2 ? strlen(name2) : 0;
	size_t over = (name2 ? 1 : 0) + (label ? strlen(label) + 1 : 0);
	while (l1 + l2 + over > DG_NAMEMAX) {
		if (l1 > l2)
			l1--;
		else
			l2--;
	}
	/* never cut a multi-byte character in half */
	while (l1 > 0 && ((unsigned char)name1[l1] & 0xc0) == 0x80)
		l1--;
	while (name2 && l2 > 0 && ((unsigned char)name2[l2] & 0xc0) == 0x80)
		l2--;
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_add(&b, name1, l1);
	if (name2) {
		dg_buf_addch(&b, '_');
		dg_buf_add(&b, name2, l2);
	}
	if (label) {
		dg_buf_addch(&b, '_');
		dg_buf_adds(&b, label);
	}
	char *o = dg_strdup(a, dg_buf_cstr(&b));
	dg_buf_release(&b);
	return o;
}

/* Column names joined with '_' as PostgreSQL does for generated names. */
static char *cols_part(struct dg_arena *a, const char *const *cols, size_t n)
{
	struct dg_buf b = DG_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			dg_buf_addch(&b, '_');
		dg_buf_adds(&b, cols[i] ? cols[i] : "expr");
		if (b.len >= DG_NAMEMAX)
			break;
	}
	char *o = dg_strndup(a, dg_buf_cstr(&b), b.len > DG_NAMEMAX ? DG_NAMEMAX : b.len);
	dg_buf_release(&b);
	return o;
}

/*
 * Names taken, as 64-bit hashes of "r|c schema name" (r: relations, c:
 * constraints), so choosing a name is not a walk over every table. Adds
 * are recorded as they happen; drops and renames only mark it stale.
 */
static unsigned long long name_key(char kind, const char *schema, const char *name)
{
	uint64_t h = name_hash(schema, name);
	h = (h ^ (unsigned char)kind) * 1099511628211ull;
	return h ? h : 1;
}

/* The slot of key k in the names table (its own, or the empty one where it would go). */
static size_t names_slot(const struct dg_schema *s, unsigned long long k)
{
	size_t h = (size_t)k & (s->names_cap - 1);
	while (s->names[h] && s->names[h] != k)
		h = (h + 1) & (s->names_cap - 1);
	return h;
}

/* count more objects hold name key k. */
static void names_put(struct dg_schema *s, unsigned long long k, unsigned count)
{
	if ((s->n_names + 1) * 2 > s->names_cap) {
		size_t cap = s->names_cap ? s->names_cap * 2 : 256;
		unsigned long long *old = s->names;
		unsigned *old_counts = s->name_counts;
		size_t oc = s->names_cap;
		s->names = dg_alloc(s->arena, cap * sizeof(*s->names));
		s->name_counts = dg_alloc(s->arena, cap * sizeof(*s->name_counts));
		s->names_cap = cap;
		s->n_names = 0;
		for (size_t i = 0; i < oc; i++)
			if (old[i] && old_counts[i])
				names_put(s, old[i], old_counts[i]);
		dg_arena_forget(s->arena, old, oc * sizeof(*old));
		dg_arena_forget(s->arena, old_counts, oc * sizeof(*old_counts));
	}
	size_t h = names_slot(s, k);
	if (!s->names[h]) {
		s->names[h] = k;
		s->n_names++;
	}
	s->name_counts[h] += count;
}

static void names_rebuild(struct dg_schema *s)
{
	s->names = NULL;
	s->name_counts = NULL;
	s->names_cap = s->n_names = 0;
	for (size_t i = 0; i < s->n_tables; i++) {
		const struct dg_schema_table *t = s->tables[i];
		names_put(s, name_key('r', t->schema, t->name), 1);
		for (size_t k = 0; k < t->n_indexes; k++)
			names_put(s, name_key('r', t->schema, t->indexes[k].name), 1);
		for (size_t k = 0; k < t->n_constraints; k++)
			if (t->constraints[k].name)
				names_put(s, name_key('c', t->schema, t->constraints[k].name), 1);
	}
	s->names_dirty = 0;
}

static int names_has(struct dg_schema *s, char kind, const char *schema, const char *name)
{
	probe(s, name);
	if (s->names_dirty)
		names_rebuild(s);
	if (!s->names_cap)
		return 0;
	size_t h = names_slot(s, name_key(kind, schema, name));
	return s->names[h] && s->name_counts[h] > 0;
}

static void names_add(struct dg_schema *s, char kind, const char *schema, const char *name)
{
	probe(s, name);
	if (!s->names_dirty && name)
		names_put(s, name_key(kind, schema, name), 1);
}

/* One object fewer holds that name (a drop, or the old name of a rename). */
static void names_remove(struct dg_schema *s, char kind, const char *schema, const char *name)
{
	probe(s, name);
	if (s->names_dirty || !name || !s->names_cap)
		return;
	size_t h = names_slot(s, name_key(kind, schema, name));
	if (s->names[h] && s->name_counts[h])
		s->name_counts[h]--;
}

static void names_rename(struct dg_schema *s, char kind, const char *schema, const char *from,
			 const char *to)
{
	names_remove(s, kind, schema, from);
	names_add(s, kind, schema, to);
}

/* ---- where things are: an index's table, the tables with FKs to a table ---- */

/*
 * A name (schema.name) and the tables (schema.name) an object of that name
 * was seen on: for an index, its table; for a referenced table, the tables
 * whose FKs point at it. Entries only grow and may go stale (the object
 * dropped or moved): every use checks them against the tables.
 */
struct dg_schema_locator {
	const char *schema, *name;
	uint64_t hash;
	const char **on_schema, **on_table;
	size_t n, cap;
};

static struct dg_schema_locator *loc_find(struct dg_schema_locator *v, size_t cap,
					  const char *schema, const char *name, int *fresh)
{
	uint64_t h = name_hash(schema, name);
	size_t i = (size_t)h & (cap - 1);
	while (v[i].name && !(v[i].hash == h && !strcmp(v[i].name, name) &&
			      !strcmp(v[i].schema, schema)))
		i = (i + 1) & (cap - 1);
	*fresh = !v[i].name;
	if (*fresh) {
		v[i].schema = schema;
		v[i].name = name;
		v[i].hash = h;
	}
	return &v[i];
}

/* Record that schema.name is on (or referenced by) table on_schema.on_table. */
static void loc_add(struct dg_arena *a, struct dg_schema_locator **v, size_t *cap, size_t *n,
		    const char *schema, const char *name, const char *on_schema, const char *on_table)
{
	int fresh;
	if ((*n + 1) * 2 > *cap) {
		struct dg_schema_locator *old = *v;
		size_t oc = *cap;
		*cap = oc ? oc * 2 : 64;
		*v = dg_alloc(a, *cap * sizeof(**v));
		for (size_t i = 0; i < oc; i++)
			if (old[i].name)
				*loc_find(*v, *cap, old[i].schema, old[i].name, &fresh) = old[i];
		dg_arena_forget(a, old, oc * sizeof(*old));
	}
	struct dg_schema_locator *e = loc_find(*v, *cap, schema, name, &fresh);
	*n += (size_t)fresh;
	if (e->n && !strcmp(e->on_table[e->n - 1], on_table) &&
	    !strcmp(e->on_schema[e->n - 1], on_schema))
		return; /* the same again */
	if (e->n == e->cap) {
		size_t nc = e->cap ? e->cap * 2 : 2;
		const char **ns = dg_alloc(a, nc * sizeof(*ns)), **nt = dg_alloc(a, nc * sizeof(*nt));
		if (e->n) {
			memcpy(ns, e->on_schema, e->n * sizeof(*ns));
			memcpy(nt, e->on_table, e->n * sizeof(*nt));
		}
		e->on_schema = ns;
		e->on_table = nt;
		e->cap = nc;
	}
	e->on_schema[e->n] = on_schema;
	e->on_table[e->n++] = on_table;
}

static const struct dg_schema_locator *loc_get(const struct dg_schema_locator *v, size_t cap,
					       const char *schema, const char *name)
{
	if (!cap || !schema || !name)
		return NULL;
	uint64_t h = name_hash(schema, name);
	for (size_t i = (size_t)h & (cap - 1); v[i].name; i = (i + 1) & (cap - 1))
		if (v[i].hash == h && !strcmp(v[i].name, name) && !strcmp(v[i].schema, schema))
			return &v[i];
	return NULL;
}

static void index_loc_add(struct dg_schema *s, const char *schema, const char *index, const char *table)
{
	probe(s, index);
	probe(s, table);
	if (s->index_loc_cap && index)
		loc_add(s->arena, &s->index_loc, &s->index_loc_cap, &s->index_loc_n, schema, index,
			schema, table);
}

static void fk_loc_add(struct dg_schema *s, const struct dg_schema_constraint *fk,
		       const char *schema, const char *table)
{
	probe(s, fk->ref_table);
	probe(s, table);
	if (s->fk_loc_cap && fk->kind == DG_SCON_FOREIGN && fk->ref_schema && fk->ref_table)
		loc_add(s->arena, &s->fk_loc, &s->fk_loc_cap, &s->fk_loc_n, fk->ref_schema,
			fk->ref_table, schema, table);
}

/* Both locators from the tables as they are (once; kept up to date after). */
static void locators_build(struct dg_schema *s)
{
	if (s->index_loc_cap)
		return;
	s->index_loc_cap = s->fk_loc_cap = 64;
	s->index_loc = dg_alloc(s->arena, s->index_loc_cap * sizeof(*s->index_loc));
	s->fk_loc = dg_alloc(s->arena, s->fk_loc_cap * sizeof(*s->fk_loc));
	for (size_t i = 0; i < s->n_tables; i++) {
		const struct dg_schema_table *t = s->tables[i];
		for (size_t k = 0; k < t->n_indexes; k++)
			index_loc_add(s, t->schema, t->indexes[k].name, t->name);
		for (size_t k = 0; k < t->n_constraints; k++)
			fk_loc_add(s, &t->constraints[k], t->schema, t->name);
	}
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* The positions of the tables a locator entry names, in table order, once each (malloc'd). */
static long *loc_tables(struct dg_schema *s, const struct dg_schema_locator *e, size_t *n)
{
	long *v = dg_xmalloc(((e ? e->n : 0) + 1) * sizeof(*v));
	*n = 0;
	for (size_t i = 0; e && i < e->n; i++) {
		long p = table_pos(s, e->on_schema[i], e->on_table[i]);
		if (p >= 0)
			v[(*n)++] = p;
	}
	qsort(v, *n, sizeof(*v), cmp_long);
	size_t w = 0;
	for (size_t i = 0; i < *n; i++)
		if (!w || v[w - 1] != v[i])
			v[w++] = v[i];
	*n = w;
	return v;
}

/* Tables that may hold an FK to schema.name (each must still be checked). */
static long *fk_holders(struct dg_schema *s, const char *schema, const char *name, size_t *n)
{
	probe(s, name);
	locators_build(s);
	return loc_tables(s, loc_get(s->fk_loc, s->fk_loc_cap, schema, name), n);
}

/* Tables that may hold an index schema.name (each must still be checked). */
static long *index_holders(struct dg_schema *s, const char *schema, const char *name, size_t *n)
{
	probe(s, name);
	locators_build(s);
	return loc_tables(s, loc_get(s->index_loc, s->index_loc_cap, schema, name), n);
}

static int relname_taken(struct dg_schema *s, const char *schema, const char *name)
{
	return names_has(s, 'r', schema, name);
}

static int conname_taken(struct dg_schema *s, const char *schema, const char *name)
{
	return names_has(s, 'c', schema, name);
}

/* A free name: name1_name2_label, then name1_name2_label1, label2 ... */
static const char *choose_name(struct rp *r, const char *schema, const char *name1,
			       const char *name2, const char *label, int relation)
{
	for (int n = 0; n < 1000; n++) {
		char lab[64];
		if (n)
			snprintf(lab, sizeof(lab), "%s%d", label, n);
		else
			snprintf(lab, sizeof(lab), "%s", label);
		char *cand = object_name(r->a, name1, name2, lab);
		if (relation ? !relname_taken(r->s, schema, cand) && !conname_taken(r->s, schema, cand) :
			       !conname_taken(r->s, schema, cand))
			return cand;
	}
	return object_name(r->a, name1, name2, label);
}

/* ---- indexes and coverage ---- */

static int index_covers(const struct dg_schema_index *ix, const struct dg_schema_constraint *fk)
{
	if (!fk->n_columns || ix->n_columns < fk->n_columns || ix->where ||
	    !str_eq(ix->method, "btree"))
		return 0;
	return same_set(ix->columns, fk->n_columns, fk->columns, fk->n_columns);
}

const struct dg_schema_index *dg_schema_fk_covering_index(const struct dg_schema_table *t,
							  const struct dg_schema_constraint *fk)
{
	for (size_t i = 0; t && i < t->n_indexes; i++)
		if (index_covers(&t->indexes[i], fk))
			return &t->indexes[i];
	return NULL;
}

static void drop_constraint_at(struct rp *r, long tp, size_t ci, int cascade);

/*
 * Remove index k of table tp. FKs of the table it was the last cover of
 * now blame the current statement. The constraint it backs goes with it.
 */
static void drop_index_at(struct rp *r, long tp, size_t k, int cascade)
{
	struct dg_schema_table *t = own(r->s, (size_t)tp);
	struct dg_schema_index ix = t->indexes[k];
	char *was = t->n_constraints ? dg_alloc(r->a, t->n_constraints) : NULL;
	for (size_t c = 0; c < t->n_constraints; c++)
		was[c] = t->constraints[c].kind == DG_SCON_FOREIGN &&
			 dg_schema_fk_covering_index(t, &t->constraints[c]) != NULL;
	ARENA_REMOVE(t->indexes, t->n_indexes, k);
	names_remove(r->s, 'r', t->schema, ix.name);
	for (size_t c = 0; c < t->n_constraints; c++) {
		struct dg_schema_constraint *fk = &t->constraints[c];
		if (was[c] && !dg_schema_fk_covering_index(t, fk)) {
			struct dg_schema_origin *b = dg_alloc(r->a, sizeof(*b));
			*b = origin_at(r, -1);
			fk->blame = b;
			fk->dropped_index = ix.name;
		}
	}
	if (ix.constraint) {
		for (size_t c = 0; c < t->n_constraints; c++) {
			if (str_eq(t->constraints[c].name, ix.constraint) &&
			    str_eq(t->constraints[c].index, ix.name)) {
				t->constraints[c].index = NULL;
				drop_constraint_at(r, tp, c, cascade);
				break;
			}
		}
	}
}

/* Does FK fk (of any table) reference table t's key `cols` (NULL = the PK)? */
static int fk_references(const struct dg_schema_constraint *fk, const struct dg_schema_table *t,
			 const struct dg_schema_constraint *key)
{
	if (fk->kind != DG_SCON_FOREIGN || !str_eq(fk->ref_table, t->name) ||
	    !str_eq(fk->ref_schema, t->schema))
		return 0;
	if (!key)
		return 1;
	if (!fk->n_ref_columns)
		return key->kind == DG_SCON_PRIMARY;
	return same_set(fk->ref_columns, fk->n_ref_columns, key->columns, key->n_columns);
}

/* Drop every FK (of every table) that references table position tp (key = any/that key). */
static void drop_referencing_fks(struct rp *r, long tp, const struct dg_schema_constraint *key)
{
	const struct dg_schema_table *target = r->s->tables[tp];
	size_t n;
	long *holders = fk_holders(r->s, target->schema, target->name, &n);
	for (size_t h = 0; h < n; h++) {
		size_t i = (size_t)holders[h];
		const struct dg_schema_table *t = r->s->tables[i];
		for (size_t c = 0; c < t->n_constraints; c++) {
			if (!fk_references(&t->constraints[c], target, key))
				continue;
			if ((long)i == tp && key && t->constraints[c].name == key->name)
				continue;
			struct dg_schema_table *w = own(r->s, i);
			names_remove(r->s, 'c', w->schema, w->constraints[c].name);
			ARENA_REMOVE(w->constraints, w->n_constraints, c);
			c--;
			t = w;
			target = r->s->tables[tp];
		}
	}
	free(holders);
}

static void drop_constraint_at(struct rp *r, long tp, size_t ci, int cascade)
{
	struct dg_schema_table *t = own(r->s, (size_t)tp);
	struct dg_schema_constraint k = t->constraints[ci];
	(void)cascade; /* without CASCADE PostgreSQL refuses when FKs depend on it */
	ARENA_REMOVE(t->constraints, t->n_constraints, ci);
	names_remove(r->s, 'c', t->schema, k.name);
	if (k.kind == DG_SCON_PRIMARY || k.kind == DG_SCON_UNIQUE) {
		drop_referencing_fks(r, tp, &k);
		t = r->s->tables[tp];
		if (k.index) {
			for (size_t i = 0; i < t->n_indexes; i++) {
				if (str_eq(t->indexes[i].name, k.index)) {
					own(r->s, (size_t)tp)->indexes[i].constraint = NULL;
					drop_index_at(r, tp, i, cascade);
					break;
				}
			}
		}
	}
}

static void add_index(struct rp *r, long tp, struct dg_schema_index ix)
{
	struct dg_schema_table *t = own(r->s, (size_t)tp);
	TABLE_PUSH(r->a, t->indexes, t->n_indexes, t->cap_indexes, ix);
	names_add(r->s, 'r', t->schema, ix.name);
	index_loc_add(r->s, t->schema, ix.name, t->name);
}

/* ---- columns ---- */

/*
 * Column lookup: a scan for narrow tables, a hash for wide ones (kept up
 * to date as columns are added, rebuilt after a drop or a rename), so that
 * adding thousands of columns to one table stays linear.
 */
#define COLUMN_HASH_FROM 16

static uint64_t column_hash(const char *name)
{
	return name_hash("", name);
}

static void column_slot_put(struct dg_schema_table *t, size_t pos)
{
	size_t i = (size_t)column_hash(t->columns[pos].name) & (t->col_cap - 1);
	while (t->col_slots[i])
		i = (i + 1) & (t->col_cap - 1);
	t->col_slots[i] = pos + 1;
}

static void column_hash_build(struct dg_schema_table *t)
{
	t->col_cap = 64;
	while (t->col_cap < t->n_columns * 2)
		t->col_cap *= 2;
	t->col_slots = dg_alloc(t->arena, t->col_cap * sizeof(*t->col_slots));
	for (size_t i = 0; i < t->n_columns; i++)
		column_slot_put(t, i);
	t->col_hash_n = t->n_columns;
}

/* After a TABLE_PUSH of a column: keep a valid hash valid. */
static void column_pushed(struct dg_schema_table *t)
{
	if (!t->col_cap || t->col_hash_n + 1 != t->n_columns)
		return;
	if (t->n_columns * 2 > t->col_cap) {
		column_hash_build(t);
		return;
	}
	column_slot_put(t, t->n_columns - 1);
	t->col_hash_n = t->n_columns;
}

static long column_pos(const struct dg_schema_table *ct, const char *name)
{
	struct dg_schema_table *t = (struct dg_schema_table *)ct; /* the hash is a cache */
	if (!name)
		return -1;
	if (t->n_columns < COLUMN_HASH_FROM || !t->arena) {
		for (size_t i = 0; i < t->n_columns; i++)
			if (!strcmp(t->columns[i].name, name))
				return (long)i;
		return -1;
	}
	if (!t->col_cap || t->col_hash_n != t->n_columns)
		column_hash_build(t);
	for (size_t i = (size_t)column_hash(name) & (t->col_cap - 1); t->col_slots[i];
	     i = (i + 1) & (t->col_cap - 1))
		if (!strcmp(t->columns[t->col_slots[i] - 1].name, name))
			return (long)(t->col_slots[i] - 1);
	return -1;
}

static void set_not_null(struct rp *r, long tp, const char *col, int on)
{
	long c = column_pos(r->s->tables[tp], col);
	if (c >= 0)
		own(r->s, (size_t)tp)->columns[c].not_null = on;
}

static struct dg_schema_column column_from(const struct dg_column *c)
{
	struct dg_schema_column o = { 0 };
	o.name = c->name;
	o.type = c->type;
	o.not_null = c->not_null;
	/* serial columns are integers with a sequence */
	static const struct {
		const char *serial, *type, *display;
	} ser[] = {
		{ "serial", "int4", "integer" }, { "serial4", "int4", "integer" },
		{ "bigserial", "int8", "bigint" }, { "serial8", "int8", "bigint" },
		{ "smallserial", "int2", "smallint" }, { "serial2", "int2", "smallint" },
	};
	for (size_t i = 0; o.type.name && i < DG_ARRAY_SIZE(ser); i++) {
		if (!strcmp(o.type.name, ser[i].serial)) {
			o.type.name = ser[i].type;
			o.type.display = ser[i].display;
		}
	}
	return o;
}

/* ---- constraints ---- */

static const char *resolve_ref_schema(struct rp *r, const struct dg_rel *ref)
{
	long p = find_rel(r, ref);
	if (p >= 0)
		return r->s->tables[p]->schema;
	return creation_schema(r, ref);
}

/*
 * Add a constraint from its facts. cols / n_cols override the fact's
 * columns (inline column constraints name their column implicitly).
 */
static void add_constraint(struct rp *r, long tp, const struct dg_constraint *k,
			   const char *const *cols, size_t n_cols)
{
	struct dg_schema_constraint c = { 0 };
	struct dg_schema_table *t = r->s->tables[tp];
	const char *tname = t->name;
	c.origin = origin_at(r, k->location);
	c.validated = !k->not_valid;
	if (!cols) {
		cols = k->columns;
		n_cols = k->n_columns;
	}
	switch (k->kind) {
	case DG_CON_PRIMARY:
	case DG_CON_UNIQUE: {
		struct dg_schema_index ix = { 0 };
		c.kind = k->kind == DG_CON_PRIMARY ? DG_SCON_PRIMARY : DG_SCON_UNIQUE;
		if (k->using_index) {
			/* ADD CONSTRAINT ... USING INDEX: the index is adopted and renamed */
			for (size_t i = 0; i < t->n_indexes; i++) {
				if (!str_eq(t->indexes[i].name, k->using_index))
					continue;
				struct dg_schema_table *w = own(r->s, (size_t)tp);
				c.name = k->name ? dg_strdup(r->a, k->name) : w->indexes[i].name;
				names_rename(r->s, 'r', w->schema, w->indexes[i].name, c.name);
				index_loc_add(r->s, w->schema, c.name, w->name);
				w->indexes[i].name = c.name;
				w->indexes[i].constraint = c.name;
				w->indexes[i].primary = c.kind == DG_SCON_PRIMARY;
				w->indexes[i].unique = 1;
				c.columns = w->indexes[i].columns;
				c.n_columns = w->indexes[i].n_columns;
				c.index = c.name;
				TABLE_PUSH(r->a, w->constraints, w->n_constraints, w->cap_constraints, c);
				names_add(r->s, 'c', w->schema, c.name);
				if (c.kind == DG_SCON_PRIMARY)
					for (size_t j = 0; j < c.n_columns; j++)
						set_not_null(r, tp, c.columns[j], 1);
				return;
			}
			return;
		}
		if (k->name)
			c.name = dg_strdup(r->a, k->name);
		else if (c.kind == DG_SCON_PRIMARY)
			c.name = choose_name(r, t->schema, tname, NULL, "pkey", 1);
		else
			c.name = choose_name(r, t->schema, tname, cols_part(r->a, cols, n_cols), "key", 1);
		c.columns = dup_strs(r->a, cols, n_cols);
		c.n_columns = n_cols;
		c.index = c.name;
		ix.name = c.name;
		ix.columns = c.columns;
		ix.n_columns = n_cols;
		ix.exprs = n_cols ? dg_alloc(r->a, n_cols * sizeof(*ix.exprs)) : NULL;
		ix.method = "btree";
		ix.unique = 1;
		ix.primary = c.kind == DG_SCON_PRIMARY;
		ix.constraint = c.name;
		ix.origin = c.origin;
		add_index(r, tp, ix);
		if (c.kind == DG_SCON_PRIMARY)
			for (size_t j = 0; j < n_cols; j++)
				set_not_null(r, tp, cols[j], 1);
		break;
	}
	case DG_CON_FOREIGN:
		c.kind = DG_SCON_FOREIGN;
		c.columns = dup_strs(r->a, cols, n_cols);
		c.n_columns = n_cols;
		c.ref_schema = resolve_ref_schema(r, &k->ref_table);
		c.ref_table = k->ref_table.name;
		c.ref_columns = dup_strs(r->a, k->ref_columns, k->n_ref_columns);
		c.n_ref_columns = k->n_ref_columns;
		c.name = k->name ? dg_strdup(r->a, k->name) :
			 choose_name(r, t->schema, tname, cols_part(r->a, cols, n_cols), "fkey", 0);
		break;
	case DG_CON_CHECK:
		c.kind = DG_SCON_CHECK;
		c.expr = k->expr;
		c.not_null_column = k->not_null_column;
		if (k->name)
			c.name = dg_strdup(r->a, k->name);
		else
			c.name = choose_name(r, t->schema, tname,
					     n_cols ? cols[0] : k->not_null_column, "check", 0);
		break;
	case DG_CON_EXCLUSION:
		c.kind = DG_SCON_EXCLUSION;
		c.name = k->name ? dg_strdup(r->a, k->name) :
			 choose_name(r, t->schema, tname, NULL, "excl", 1);
		break;
	default:
		return;
	}
	t = own(r->s, (size_t)tp);
	TABLE_PUSH(r->a, t->constraints, t->n_constraints, t->cap_constraints, c);
	names_add(r->s, 'c', t->schema, c.name);
	fk_loc_add(r->s, &c, t->schema, t->name);
}

/* Inline column constraints (PRIMARY KEY, UNIQUE, REFERENCES). */
static void add_column_constraints(struct rp *r, long tp, const struct dg_column *col)
{
	const char *one[1] = { col->name };
	if (col->primary_key) {
		struct dg_constraint k = { 0 };
		k.kind = DG_CON_PRIMARY;
		k.location = col->location;
		add_constraint(r, tp, &k, one, 1);
	}
	if (col->unique) {
		struct dg_constraint k = { 0 };
		k.kind = DG_CON_UNIQUE;
		k.location = col->location;
		add_constraint(r, tp, &k, one, 1);
	}
	if (col->fk)
		add_constraint(r, tp, col->fk, one, 1);
}

static long constraint_pos(const struct dg_schema_table *t, const char *name)
{
	for (size_t i = 0; name && i < t->n_constraints; i++)
		if (!strcmp(t->constraints[i].name, name))
			return (long)i;
	return -1;
}

/* ---- statements ---- */

static void drop_table_at(struct rp *r, long tp)
{
	drop_referencing_fks(r, tp, NULL);
	struct dg_schema *s = r->s;
	const struct dg_schema_table *t = s->tables[tp];
	names_remove(s, 'r', t->schema, t->name);
	for (size_t k = 0; k < t->n_indexes; k++)
		names_remove(s, 'r', t->schema, t->indexes[k].name);
	for (size_t k = 0; k < t->n_constraints; k++)
		names_remove(s, 'c', t->schema, t->constraints[k].name);
	hash_remove(s, (size_t)tp);
	/* in place: a clone has an array of its own (dg_schema_clone) */
	memmove(&s->tables[tp], &s->tables[tp + 1], (s->n_tables - (size_t)tp - 1) * sizeof(*s->tables));
	s->n_tables--;
}

static void copy_like(struct rp *r, long tp, const struct dg_rel *like, unsigned opts)
{
	long lp = find_rel(r, like);
	if (lp < 0)
		return;
	const struct dg_schema_table *src = r->s->tables[lp];
	struct dg_schema_table *t = own(r->s, (size_t)tp);
	for (size_t i = 0; i < src->n_columns; i++)
		if (column_pos(t, src->columns[i].name) < 0) {
			TABLE_PUSH(r->a, t->columns, t->n_columns, t->cap_columns, src->columns[i]);
			column_pushed(t);
		}
	if (opts & DG_LIKE_INDEXES) {
		for (size_t i = 0; i < src->n_indexes; i++) {
			const struct dg_schema_index *six = &src->indexes[i];
			struct dg_schema_index ix = *six;
			const char *cols = cols_part(r->a, six->columns, six->n_columns);
			if (six->primary) {
				ix.name = choose_name(r, t->schema, t->name, NULL, "pkey", 1);
			} else if (six->constraint) {
				ix.name = choose_name(r, t->schema, t->name, cols, "key", 1);
			} else {
				ix.name = choose_name(r, t->schema, t->name, cols, "idx", 1);
			}
			ix.origin = origin_at(r, -1);
			if (six->constraint) {
				long ci = constraint_pos(src, six->constraint);
				if (ci >= 0) {
					struct dg_schema_constraint c = src->constraints[ci];
					c.name = ix.name;
					c.index = ix.name;
					c.origin = ix.origin;
					t = own(r->s, (size_t)tp);
					TABLE_PUSH(r->a, t->constraints, t->n_constraints, t->cap_constraints, c);
	names_add(r->s, 'c', t->schema, c.name);
				}
				ix.constraint = ix.name;
			}
			add_index(r, tp, ix);
			src = r->s->tables[lp];
			t = r->s->tables[tp];
		}
	}
	if (opts & DG_LIKE_CONSTRAINTS) {
		for (size_t i = 0; i < src->n_constraints; i++) {
			if (src->constraints[i].kind != DG_SCON_CHECK)
				continue;
			struct dg_schema_constraint c = src->constraints[i];
			c.origin = origin_at(r, -1);
			t = own(r->s, (size_t)tp);
			TABLE_PUSH(r->a, t->constraints, t->n_constraints, t->cap_constraints, c);
	names_add(r->s, 'c', t->schema, c.name);
			src = r->s->tables[lp];
		}
	}
}

/*
 * Room for the constraints a CREATE TABLE adds (at most one per inline
 * PRIMARY KEY, UNIQUE and REFERENCES, and per table constraint) and for
 * the indexes of its keys, at once: most tables get no more.
 */
static void reserve_constraints(struct rp *r, long tp, const struct dg_stmt *st)
{
	size_t n_cons = st->n_constraints, n_keys = 0;
	for (size_t i = 0; i < st->n_columns; i++) {
		const struct dg_column *c = &st->columns[i];
		n_cons += (size_t)c->primary_key + (size_t)c->unique + (c->fk != NULL);
		n_keys += (size_t)c->primary_key + (size_t)c->unique;
	}
	for (size_t i = 0; i < st->n_constraints; i++)
		n_keys += st->constraints[i].kind == DG_CON_PRIMARY || st->constraints[i].kind == DG_CON_UNIQUE;
	struct dg_schema_table *t = own(r->s, (size_t)tp);
	TABLE_RESERVE(r->a, t->constraints, t->n_constraints, t->cap_constraints, n_cons);
	TABLE_RESERVE(r->a, t->indexes, t->n_indexes, t->cap_indexes, n_keys);
}

static void replay_create_table(struct rp *r, const struct dg_stmt *st)
{
	const struct dg_stmt_rare *rare = dg_stmt_rare(st);
	if (!st->rel || st->is_temp)
		return;
	long tp = find_rel(r, st->rel);
	if (tp >= 0 && st->if_not_exists && r->s->tables[tp]->known)
		return;
	if (tp >= 0)
		drop_table_at(r, tp); /* a placeholder, or a re-run: the new definition wins */
	tp = add_table(r, creation_schema(r, st->rel), st->rel->name, 1);
	struct dg_schema_table *t = own(r->s, (size_t)tp);
	t->partitioned = st->is_partitioned;
	if (rare->partition_of.name)
		t->partition_of = dg_rel_display(r->a, &rare->partition_of);
	if (st->kind != DG_STMT_CREATE_TABLE)
		return; /* CREATE TABLE AS / MATERIALIZED VIEW: columns from a query */
	for (size_t i = 0; i < rare->n_likes; i++)
		copy_like(r, tp, &rare->likes[i], rare->like_options ? rare->like_options[i] : 0);
	t = own(r->s, (size_t)tp);
	if (t->cap_columns < t->n_columns + st->n_columns) {
		/* room for every column at once: most tables never grow after */
		struct dg_schema_column *nc = dg_alloc(r->a, (t->n_columns + st->n_columns) * sizeof(*nc));
		if (t->n_columns)
			memcpy(nc, t->columns, t->n_columns * sizeof(*nc));
		t->columns = nc;
		t->cap_columns = t->n_columns + st->n_columns;
	}
	for (size_t i = 0; i < st->n_columns; i++) {
		t = own(r->s, (size_t)tp);
		TABLE_PUSH(r->a, t->columns, t->n_columns, t->cap_columns, column_from(&st->columns[i]));
		column_pushed(t);
	}
	reserve_constraints(r, tp, st);
	for (size_t i = 0; i < st->n_columns; i++)
		add_column_constraints(r, tp, &st->columns[i]);
	for (size_t i = 0; i < st->n_constraints; i++)
		add_constraint(r, tp, &st->constraints[i], NULL, 0);
}

static void replay_create_index(struct rp *r, const struct dg_stmt *st)
{
	const struct dg_index *x = st->index;
	if (!x || !st->rel)
		return;
	long tp = need_table(r, st->rel);
	if (tp < 0)
		return;
	const struct dg_schema_table *t = r->s->tables[tp];
	if (x->name && relname_taken(r->s, t->schema, x->name))
		return; /* IF NOT EXISTS, or a failing statement: nothing changes */
	struct dg_schema_index ix = { 0 };
	ix.n_columns = x->n_elems;
	ix.columns = x->n_elems ? dg_alloc(r->a, x->n_elems * sizeof(*ix.columns)) : NULL;
	ix.exprs = x->n_elems ? dg_alloc(r->a, x->n_elems * sizeof(*ix.exprs)) : NULL;
	for (size_t i = 0; i < x->n_elems; i++) {
		ix.columns[i] = x->elems[i].column;
		ix.exprs[i] = x->elems[i].column ? NULL : x->elems[i].expr;
	}
	ix.method = x->method ? x->method : "btree";
	ix.where = x->where;
	ix.unique = x->unique;
	ix.origin = origin_at(r, -1);
	ix.name = x->name ? x->name :
		  choose_name(r, t->schema, t->name, cols_part(r->a, ix.columns, ix.n_columns), "idx", 1);
	add_index(r, tp, ix);
}

/* Find index `rel` (schema.name or via search_path): table position and index slot. */
static int find_index(struct rp *r, const struct dg_rel *rel, long *tp, size_t *k)
{
	struct dg_schema *s = r->s;
	for (size_t pass = 0; pass < (rel->schema ? 1 : r->n_search); pass++) {
		const char *schema = rel->schema ? rel->schema : r->search[pass];
		size_t n;
		long *tables = index_holders(s, schema, rel->name, &n);
		for (size_t h = 0; h < n; h++) {
			const struct dg_schema_table *t = s->tables[tables[h]];
			for (size_t j = 0; j < t->n_indexes; j++) {
				if (!strcmp(t->indexes[j].name, rel->name)) {
					*tp = tables[h];
					*k = j;
					free(tables);
					return 1;
				}
			}
		}
		free(tables);
	}
	return 0;
}

static void drop_domain(struct rp *r, const struct dg_rel *rel);

static void replay_drop(struct rp *r, const struct dg_stmt *st)
{
	for (size_t i = 0; i < st->n_rels; i++) {
		const struct dg_rel *rel = &st->rels[i];
		switch (st->object) {
		case DG_OBJ_TABLE:
		case DG_OBJ_MATVIEW: {
			long tp = find_rel(r, rel);
			if (tp >= 0)
				drop_table_at(r, tp);
			break;
		}
		case DG_OBJ_INDEX: {
			long tp;
			size_t k;
			if (find_index(r, rel, &tp, &k))
				drop_index_at(r, tp, k, st->cascade);
			break;
		}
		case DG_OBJ_SCHEMA:
			probe(r->s, rel->name);
			for (size_t t = r->s->n_tables; t-- > 0;)
				if (!strcmp(r->s->tables[t]->schema, rel->name))
					drop_table_at(r, (long)t);
			break;
		case DG_OBJ_TYPE:
			drop_domain(r, rel);
			break;
		default:
			break;
		}
	}
}

/* Rename in a string array (copying it: arrays are shared). */
static const char **renamed(struct dg_arena *a, const char **v, size_t n, const char *from,
			    const char *to)
{
	if (!in_strs(from, v, n))
		return v;
	const char **o = dup_strs(a, v, n);
	for (size_t i = 0; i < n; i++)
		if (str_eq(o[i], from))
			o[i] = to;
	return o;
}

static void rename_column(struct rp *r, long tp, const char *from, const char *to)
{
	struct dg_schema_table *t = own(r->s, (size_t)tp);
	long c = column_pos(t, from);
	if (c < 0)
		return;
	to = dg_strdup(r->a, to);
	t->columns[c].name = to;
	t->col_cap = 0; /* rebuilt at the next lookup */
	for (size_t i = 0; i < t->n_indexes; i++)
		t->indexes[i].columns = renamed(r->a, t->indexes[i].columns, t->indexes[i].n_columns,
						from, to);
	for (size_t i = 0; i < t->n_constraints; i++) {
		struct dg_schema_constraint *k = &t->constraints[i];
		k->columns = renamed(r->a, k->columns, k->n_columns, from, to);
		if (str_eq(k->not_null_column, from))
			k->not_null_column = to;
	}
	/* FKs of every table that name the column as referenced */
	size_t n;
	long *holders = fk_holders(r->s, t->schema, t->name, &n);
	for (size_t h = 0; h < n; h++) {
		size_t i = (size_t)holders[h];
		const struct dg_schema_table *o = r->s->tables[i];
		for (size_t k = 0; k < o->n_constraints; k++) {
			const struct dg_schema_constraint *fk = &o->constraints[k];
			if (fk->kind != DG_SCON_FOREIGN || !str_eq(fk->ref_table, t->name) ||
			    !str_eq(fk->ref_schema, t->schema) ||
			    !in_strs(from, fk->ref_columns, fk->n_ref_columns))
				continue;
			struct dg_schema_table *w = own(r->s, i);
			w->constraints[k].ref_columns = renamed(r->a, fk->ref_columns,
								fk->n_ref_columns, from, to);
			o = w;
		}
	}
	free(holders);
}

static void rename_table(struct rp *r, long tp, const char *to)
{
	struct dg_schema_table *t = own(r->s, (size_t)tp);
	const char *from = t->name;
	to = dg_strdup(r->a, to);
	/* the FKs that point at it follow it */
	size_t n;
	long *holders = fk_holders(r->s, t->schema, from, &n);
	for (size_t h = 0; h < n; h++) {
		size_t i = (size_t)holders[h];
		const struct dg_schema_table *o = r->s->tables[i];
		for (size_t k = 0; k < o->n_constraints; k++) {
			const struct dg_schema_constraint *fk = &o->constraints[k];
			if (fk->kind == DG_SCON_FOREIGN && str_eq(fk->ref_table, from) &&
			    str_eq(fk->ref_schema, t->schema)) {
				struct dg_schema_table *w = own(r->s, i);
				w->constraints[k].ref_table = to;
				fk_loc_add(r->s, &w->constraints[k], w->schema, (long)i == tp ? to : w->name);
				o = w;
			}
		}
	}
	free(holders);
	t = own(r->s, (size_t)tp);
	t->name = to;
	names_rename(r->s, 'r', t->schema, from, to);
	for (size_t k = 0; k < t->n_indexes; k++)
		index_loc_add(r->s, t->schema, t->indexes[k].name, to);
	for (size_t k = 0; k < t->n_constraints; k++)
		fk_loc_add(r->s, &t->constraints[k], t->schema, to);
	r->s->hash_dirty = 1;
}

static void rename_index(struct rp *r, long tp, size_t k, const char *to)
{
	struct dg_schema_table *t = own(r->s, (size_t)tp);
	const char *from = t->indexes[k].name;
	to = dg_strdup(r->a, to);
	t->indexes[k].name = to;
	names_rename(r->s, 'r', t->schema, from, to);
	index_loc_add(r->s, t->schema, to, t->name);
	if (t->indexes[k].constraint) {
		/* an index that backs a constraint carries the constraint's name */
		long c = constraint_pos(t, t->indexes[k].constraint);
		if (c >= 0 && str_eq(t->constraints[c].index, from)) {
			names_rename(r->s, 'c', t->schema, t->constraints[c].name, to);
			t->constraints[c].name = to;
			t->constraints[c].index = to;
		}
		t->indexes[k].constraint = to;
	}
}

static void replay_rename(struct rp *r, const struct dg_stmt *st)
{
	if (!st->rel || !st->new_name)
		return;
	switch (st->object) {
	case DG_OBJ_TABLE:
	case DG_OBJ_MATVIEW:
	case DG_OBJ_INDEX: {
		long tp = st->object == DG_OBJ_INDEX ? -1 : find_rel(r, st->rel);
		if (tp >= 0) {
			rename_table(r, tp, st->new_name);
			break;
		}
		size_t k;
		if (find_index(r, st->rel, &tp, &k)) /* ALTER TABLE works on indexes too */
			rename_index(r, tp, k, st->new_name);
		break;
	}
	case DG_OBJ_COLUMN: {
		long tp = find_rel(r, st->rel);
		if (tp >= 0)
			rename_column(r, tp, st->name, st->new_name);
		break;
	}
	case DG_OBJ_CONSTRAINT: {
		long tp = find_rel(r, st->rel);
		if (tp < 0)
			break;
		struct dg_schema_table *t = own(r->s, (size_t)tp);
		long c = constraint_pos(t, st->name);
		if (c < 0)
			break;
		const char *to = dg_strdup(r->a, st->new_name);
		const char *ixname = t->constraints[c].index;
		names_rename(r->s, 'c', t->schema, t->constraints[c].name, to);
		t->constraints[c].name = to;
		if (ixname) {
			t->constraints[c].index = to;
			for (size_t i = 0; i < t->n_indexes; i++) {
				if (str_eq(t->indexes[i].name, ixname)) {
					names_rename(r->s, 'r', t->schema, ixname, to);
					index_loc_add(r->s, t->schema, to, t->name);
					t->indexes[i].name = to;
					t->indexes[i].constraint = to;
				}
			}
		}
		break;
	}
	default:
		break;
	}
}

static void replay_alter(struct rp *r, const struct dg_stmt *st)
{
	if (!st->rel || st->object == DG_OBJ_INDEX || st->object == DG_OBJ_VIEW ||
	    st->object == DG_OBJ_SEQUENCE)
		return;
	long tp = find_rel(r, st->rel);
	if (tp < 0 && st->if_exists)
		return;
	tp = need_table(r, st->rel);
	if (tp < 0)
		return;
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		struct dg_schema_table *t = (struct dg_schema_table *)r->s->tables[tp];
		switch (c->kind) {
		case DG_CMD_ADD_COLUMN:
			if (!c->coldef || column_pos(t, c->coldef->name) >= 0)
				break;
			t = own(r->s, (size_t)tp);
			TABLE_PUSH(r->a, t->columns, t->n_columns, t->cap_columns, column_from(c->coldef));
			column_pushed(t);
			add_column_constraints(r, tp, c->coldef);
			break;
		case DG_CMD_DROP_COLUMN: {
			const char *col = c->column;
			if (column_pos(t, col) < 0)
				break;
			/* indexes and constraints that use the column go with it */
			for (size_t k = t->n_constraints; k-- > 0;) {
				t = r->s->tables[tp];
				if (k >= t->n_constraints)
					continue;
				const struct dg_schema_constraint *kc = &t->constraints[k];
				if (in_strs(col, kc->columns, kc->n_columns) ||
				    str_eq(kc->not_null_column, col))
					drop_constraint_at(r, tp, k, 1);
			}
			for (size_t k = r->s->tables[tp]->n_indexes; k-- > 0;) {
				t = r->s->tables[tp];
				if (k < t->n_indexes &&
				    in_strs(col, t->indexes[k].columns, t->indexes[k].n_columns))
					drop_index_at(r, tp, k, 1);
			}
			/* FKs elsewhere that reference the column */
			size_t n_holders;
			t = r->s->tables[tp];
			long *holders = fk_holders(r->s, t->schema, t->name, &n_holders);
			for (size_t h = 0; h < n_holders; h++) {
				size_t o = (size_t)holders[h];
				const struct dg_schema_table *ot = r->s->tables[o];
				t = r->s->tables[tp];
				for (size_t k = 0; k < ot->n_constraints; k++) {
					const struct dg_schema_constraint *fk = &ot->constraints[k];
					if (fk->kind != DG_SCON_FOREIGN || !str_eq(fk->ref_table, t->name) ||
					    !str_eq(fk->ref_schema, t->schema) ||
					    !in_strs(col, fk->ref_columns, fk->n_ref_columns))
						continue;
					struct dg_schema_table *w = own(r->s, o);
					names_remove(r->s, 'c', w->schema, fk->name);
					ARENA_REMOVE(w->constraints, w->n_constraints, k);
					k--;
					ot = w;
				}
			}
			free(holders);
			t = own(r->s, (size_t)tp);
			long cp = column_pos(t, col);
			if (cp >= 0)
				ARENA_REMOVE(t->columns, t->n_columns, (size_t)cp);
			break;
		}
		case DG_CMD_ALTER_TYPE: {
			long cp = column_pos(t, c->column);
			if (cp < 0 || !c->coldef)
				break;
			t = own(r->s, (size_t)tp);
			t->columns[cp].type = column_from(c->coldef).type;
			break;
		}
		case DG_CMD_SET_NOT_NULL:
			set_not_null(r, tp, c->column, 1);
			break;
		case DG_CMD_DROP_NOT_NULL:
			set_not_null(r, tp, c->column, 0);
			break;
		case DG_CMD_ADD_CONSTRAINT:
			if (c->con)
				add_constraint(r, tp, c->con, NULL, 0);
			break;
		case DG_CMD_VALIDATE_CONSTRAINT: {
			long k = constraint_pos(t, c->name);
			if (k >= 0)
				own(r->s, (size_t)tp)->constraints[k].validated = 1;
			break;
		}
		case DG_CMD_DROP_CONSTRAINT: {
			long k = constraint_pos(t, c->name);
			if (k >= 0)
				drop_constraint_at(r, tp, (size_t)k, c->cascade);
			break;
		}
		default:
			break;
		}
	}
}

/* SET search_path = a, b: unqualified names resolve there for the rest of the file. */
static void replay_set(struct rp *r, const struct dg_stmt *st)
{
	if (!st->name || strcmp(st->name, "search_path") || !st->value)
		return;
	const char **v = NULL;
	size_t n = 0;
	const char *p = st->value;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '"')
			p++;
		const char *s = p;
		while (*p && *p != ',' && *p != '"')
			p++;
		size_t l = (size_t)(p - s);
		while (l && s[l - 1] == ' ')
			l--;
		if (l && strncmp(s, "$user", l) && strncmp(s, "pg_catalog", l))
			ARENA_PUSH(r->a, v, n, dg_strndup(r->a, s, l));
	}
	if (!n)
		ARENA_PUSH(r->a, v, n, "public");
	r->search = v;
	r->n_search = n;
}

/* ---- domains ---- */

static long domain_pos(const struct dg_schema *s, const char *schema, const char *name)
{
	for (size_t i = s->n_domains; i-- > 0;)
		if (!strcmp(s->domains[i].name, name) && (!schema || !strcmp(s->domains[i].schema, schema)))
			return (long)i;
	return -1;
}

const struct dg_schema_domain *dg_schema_find_domain(const struct dg_schema *s, const char *schema,
						     const char *name)
{
	long i = s && name ? domain_pos(s, schema, name) : -1;
	return i >= 0 ? &s->domains[i] : NULL;
}

static void replay_create_domain(struct rp *r, const struct dg_stmt *st)
{
	const struct dg_stmt_rare *rare = dg_stmt_rare(st);
	if (!rare->domain.name)
		return;
	struct dg_schema_domain d = { creation_schema(r, &rare->domain), rare->domain.name,
				      rare->domain_constrained, 0 };
	long i = domain_pos(r->s, d.schema, d.name);
	if (i >= 0)
		r->s->domains[i] = d;
	else
		ARENA_PUSH(r->a, r->s->domains, r->s->n_domains, d);
}

static void replay_alter_domain(struct rp *r, const struct dg_stmt *st)
{
	const struct dg_stmt_rare *rare = dg_stmt_rare(st);
	long i = rare->domain.name ? domain_pos(r->s, rare->domain.schema, rare->domain.name) : -1;
	if (i < 0)
		return;
	struct dg_schema_domain *d = &r->s->domains[i];
	switch (rare->domain_cmd) {
	case DG_DOM_ADD_CONSTRAINT:
		if (rare->con && rare->con->kind == DG_CON_NOT_NULL)
			d->not_null = 1;
		else
			d->checks++;
		break;
	case DG_DOM_SET_NOT_NULL:
		d->not_null = 1;
		break;
	case DG_DOM_DROP_NOT_NULL:
		d->not_null = 0;
		break;
	case DG_DOM_DROP_CONSTRAINT:
		if (d->checks > 0)
			d->checks--;
		break;
	default:
		break;
	}
}

static void drop_domain(struct rp *r, const struct dg_rel *rel)
{
	long i = domain_pos(r->s, rel->schema, rel->name);
	if (i < 0)
		return;
	r->s->domains[i] = r->s->domains[r->s->n_domains - 1];
	r->s->n_domains--;
}

static void replay_stmt(struct rp *r, const struct dg_stmt *st)
{
	r->st = st;
	switch (st->kind) {
	case DG_STMT_CREATE_TABLE:
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
		replay_create_table(r, st);
		break;
	case DG_STMT_ALTER_TABLE:
		replay_alter(r, st);
		break;
	case DG_STMT_CREATE_INDEX:
		replay_create_index(r, st);
		break;
	case DG_STMT_DROP:
		replay_drop(r, st);
		break;
	case DG_STMT_RENAME:
		replay_rename(r, st);
		break;
	case DG_STMT_CREATE_SCHEMA:
		if (st->name && !has_schema(r->s, st->name))
			ARENA_PUSH(r->a, r->s->schemas, r->s->n_schemas, dg_strdup(r->a, st->name));
		break;
	case DG_STMT_SET:
		replay_set(r, st);
		break;
	case DG_STMT_CREATE_DOMAIN:
		replay_create_domain(r, st);
		break;
	case DG_STMT_ALTER_DOMAIN:
		replay_alter_domain(r, st);
		break;
	default:
		break;
	}
}

void dg_schema_replay_file(struct dg_schema *s, const struct dg_sql_file *f,
			   const struct dg_replay_opts *o)
{
	static const char *const public_only[] = { "public" };
	struct rp r = { 0 };
	r.s = s;
	r.a = s->arena;
	r.f = f;
	r.path = o && o->path ? o->path : f->path;
	r.search = (const char **)public_only;
	r.n_search = 1;
	r.notes = !(o && o->skip_notes);
	s->unindexed_built = 0;
	s->by_path = NULL;
	for (size_t i = 0; i < f->n_stmts; i++)
		replay_stmt(&r, &f->stmts[i]);
	/* SQL the file runs that nobody can read: what it did is not in the model */
	for (size_t i = 0; r.notes && i < f->n_opaque; i++)
		add_note(s, r.path, f->opaque[i].stmt.line,
			 "runs SQL the schema model cannot read (see opaque-sql)");
	s->files++;
}

void dg_schema_replay_sql(struct dg_schema *s, const char *path, const char *data, size_t len)
{
	struct dg_sql_file *f = dg_alloc(s->arena, sizeof(*f));
	dg_sql_parse(s->arena, f, path, data, len);
	dg_schema_replay_file(s, f, NULL);
}

/* ---- names of files ---- */

int dg_schema_replays_path(const char *path)
{
	return !dg_migration_is_rollback_path(path);
}

int dg_schema_path_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			size_t la = 0, lb = 0;
			while (isdigit((unsigned char)a[la]))
				la++;
			while (isdigit((unsigned char)b[lb]))
				lb++;
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = strncmp(a, b, la);
			if (c)
				return c;
			a += la;
			b += lb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* ---- queries ---- */

const struct dg_schema_table *dg_schema_find_table(const struct dg_schema *s, const struct dg_rel *r)
{
	if (!s || !r || !r->name)
		return NULL;
	long p = table_pos(s, r->schema ? r->schema : "public", r->name);
	if (p < 0 && !r->schema) {
		for (size_t i = 0; i < s->n_schemas && p < 0; i++)
			p = table_pos(s, s->schemas[i], r->name);
	}
	return p >= 0 ? s->tables[p] : NULL;
}

const struct dg_schema_column *dg_schema_find_column(const struct dg_schema_table *t,
						     const char *name)
{
	long c = t ? column_pos(t, name) : -1;
	return c >= 0 ? &t->columns[c] : NULL;
}

const struct dg_schema_constraint *dg_schema_primary_key(const struct dg_schema_table *t)
{
	for (size_t i = 0; t && i < t->n_constraints; i++)
		if (t->constraints[i].kind == DG_SCON_PRIMARY)
			return &t->constraints[i];
	return NULL;
}

const struct dg_schema_table *dg_schema_fk_target(const struct dg_schema *s,
						  const struct dg_schema_constraint *fk)
{
	if (!s || !fk || fk->kind != DG_SCON_FOREIGN)
		return NULL;
	long p = table_pos(s, fk->ref_schema, fk->ref_table);
	return p >= 0 ? s->tables[p] : NULL;
}

const struct dg_schema_column *dg_schema_fk_ref_column(const struct dg_schema *s,
						       const struct dg_schema_constraint *fk,
						       size_t i)
{
	const struct dg_schema_table *t = dg_schema_fk_target(s, fk);
	if (!t || i >= fk->n_columns)
		return NULL;
	if (fk->n_ref_columns)
		return i < fk->n_ref_columns ? dg_schema_find_column(t, fk->ref_columns[i]) : NULL;
	const struct dg_schema_constraint *pk = dg_schema_primary_key(t);
	if (!pk || i >= pk->n_columns)
		return NULL;
	return dg_schema_find_column(t, pk->columns[i]);
}

int dg_schema_check_proves_not_null(const struct dg_schema *s, const struct dg_rel *r,
				    const char *col)
{
	const struct dg_schema_table *t = dg_schema_find_table(s, r);
	for (size_t i = 0; t && col && i < t->n_constraints; i++) {
		const struct dg_schema_constraint *k = &t->constraints[i];
		if (k->kind == DG_SCON_CHECK && k->validated && str_eq(k->not_null_column, col))
			return 1;
	}
	return 0;
}

static const struct dg_type *hook_column_type(void *cookie, const struct dg_rel *table,
					      const char *column)
{
	const struct dg_schema_column *c =
		dg_schema_find_column(dg_schema_find_table(cookie, table), column);
	return c ? &c->type : NULL;
}

static int hook_not_null_proven(void *cookie, const struct dg_rel *table, const char *column)
{
	return dg_schema_check_proves_not_null(cookie, table, column);
}

static int hook_table_exists(void *cookie, const struct dg_rel *table)
{
	return dg_schema_find_table(cookie, table) != NULL;
}

static int hook_column_indexed(void *cookie, const struct dg_rel *table, const char *column)
{
	const struct dg_schema_table *t = dg_schema_find_table(cookie, table);
	for (size_t i = 0; t && i < t->n_indexes; i++)
		for (size_t k = 0; k < t->indexes[i].n_columns; k++)
			if (str_eq(t->indexes[i].columns[k], column))
				return 1;
	return 0;
}

static int hook_domain_constrained(void *cookie, const char *schema, const char *name)
{
	const struct dg_schema_domain *d = dg_schema_find_domain(cookie, schema, name);
	return d && (d->checks > 0 || d->not_null);
}

static void hook_domain_users(void *cookie, const char *schema, const char *name,
			      void (*cb)(void *arg, const struct dg_rel *table), void *arg)
{
	const struct dg_schema *s = cookie;
	(void)schema; /* columns keep their type's name only */
	probe(s, name);
	for (size_t i = 0; i < s->n_tables; i++) {
		const struct dg_schema_table *t = s->tables[i];
		for (size_t k = 0; k < t->n_columns; k++) {
			if (strcmp(t->columns[k].type.name, name) || t->columns[k].type.array)
				continue;
			struct dg_rel *r = dg_alloc(s->arena, sizeof(*r));
			r->schema = strcmp(t->schema, "public") ? t->schema : NULL;
			r->name = t->name;
			cb(arg, r);
			break;
		}
	}
}

static enum dg_con_kind hook_constraint_kind(void *cookie, const struct dg_rel *table,
					     const char *name)
{
	const struct dg_schema_table *t = dg_schema_find_table(cookie, table);
	long i = t && name ? constraint_pos(t, name) : -1;
	if (i < 0)
		return DG_CON_NONE;
	switch (t->constraints[i].kind) {
	case DG_SCON_FOREIGN:
		return DG_CON_FOREIGN;
	case DG_SCON_CHECK:
		return DG_CON_CHECK;
	case DG_SCON_PRIMARY:
		return DG_CON_PRIMARY;
	case DG_SCON_UNIQUE:
		return DG_CON_UNIQUE;
	default:
		return DG_CON_EXCLUSION;
	}
}

void dg_schema_sql_hooks(struct dg_sql_schema_hooks *out, const struct dg_schema *s)
{
	memset(out, 0, sizeof(*out));
	out->cookie = (void *)s;
	out->column_type = hook_column_type;
	out->not_null_proven = hook_not_null_proven;
	out->table_exists = hook_table_exists;
	out->column_indexed = hook_column_indexed;
	out->domain_constrained = hook_domain_constrained;
	out->domain_users = hook_domain_users;
	out->constraint_kind = hook_constraint_kind;
}

const struct dg_schema_fk_ref *dg_schema_unindexed(const struct dg_schema *cs, size_t *n)
{
	struct dg_schema *s = (struct dg_schema *)cs; /* a cache of the current state */
	if (!s->unindexed_built) {
		size_t count = 0;
		for (int pass = 0; pass < 2; pass++) {
			for (size_t i = 0; i < s->n_tables; i++) {
				const struct dg_schema_table *t = s->tables[i];
				for (size_t k = 0; t->known && k < t->n_constraints; k++) {
					const struct dg_schema_constraint *c = &t->constraints[k];
					if (c->kind != DG_SCON_FOREIGN || dg_schema_fk_covering_index(t, c))
						continue;
					if (pass) {
						s->unindexed[s->n_unindexed].table = t;
						s->unindexed[s->n_unindexed++].fk = c;
					} else {
						count++;
					}
				}
			}
			if (!pass) {
				s->unindexed = dg_alloc(s->arena, (count + 1) * sizeof(*s->unindexed));
				s->n_unindexed = 0;
			}
		}
		s->unindexed_built = 1;
	}
	*n = s->n_unindexed;
	return s->unindexed;
}

/* The file an unindexed FK is reported in: where its last covering index was dropped, else where it was made. */
static const char *fk_path(const struct dg_schema_fk_ref *r)
{
	return r->fk->blame && r->fk->blame->path ? r->fk->blame->path : r->fk->origin.path;
}

static int cmp_paths(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* By path, then in table order (the sort is not stable by itself). */
static int cmp_fk_by_path(const void *pa, const void *pb)
{
	const struct dg_schema_fk_ref *a = pa, *b = pb;
	int c = cmp_paths(fk_path(a), fk_path(b));
	return c ? c : (a->order > b->order) - (a->order < b->order);
}

static int cmp_note_by_path(const void *pa, const void *pb)
{
	const struct dg_schema_note *a = *(const struct dg_schema_note *const *)pa;
	const struct dg_schema_note *b = *(const struct dg_schema_note *const *)pb;
	int c = cmp_paths(a->path, b->path);
	return c ? c : (a > b) - (a < b);
}

/* The first of sorted[0..n) whose key is >= path (lower bound). */
#define LOWER_BOUND(sorted, n, key_of, path, out)                                         	do {                                                                              		size_t lo_ = 0, hi_ = (n);                                               		while (lo_ < hi_) {                                                       			size_t mid_ = lo_ + (hi_ - lo_) / 2;                              			if (cmp_paths(key_of(&(sorted)[mid_]), (path)) < 0)               				lo_ = mid_ + 1;                                           			else                                                              				hi_ = mid_;                                               		}                                                                         		(out) = lo_;                                                              	} while (0)

#define NOTE_PATH(p) ((*(p))->path)

const struct dg_schema_fk_ref *dg_schema_unindexed_in(const struct dg_schema *cs, const char *path,
						      size_t *n)
{
	struct dg_schema *s = (struct dg_schema *)cs; /* a cache of the current state */
	size_t total;
	const struct dg_schema_fk_ref *all = dg_schema_unindexed(s, &total);
	if (!s->by_path) {
		s->by_path = dg_alloc(s->arena, (total + 1) * sizeof(*s->by_path));
		for (size_t i = 0; i < total; i++) {
			s->by_path[i] = all[i];
			s->by_path[i].order = i;
		}
		qsort(s->by_path, total, sizeof(*s->by_path), cmp_fk_by_path);
	}
	size_t first, end = total;
	LOWER_BOUND(s->by_path, total, fk_path, path, first);
	for (end = first; end < total && !cmp_paths(fk_path(&s->by_path[end]), path); end++)
		;
	*n = end - first;
	return s->by_path + first;
}

const struct dg_schema_note *const *dg_schema_notes_in(const struct dg_schema *cs, const char *path,
						       size_t *n)
{
	struct dg_schema *s = (struct dg_schema *)cs;
	if (!s->notes_by_path || s->n_notes_by_path != s->n_notes) {
		s->notes_by_path = dg_alloc(s->arena, (s->n_notes + 1) * sizeof(*s->notes_by_path));
		for (size_t i = 0; i < s->n_notes; i++)
			s->notes_by_path[i] = &s->notes[i];
		qsort(s->notes_by_path, s->n_notes, sizeof(*s->notes_by_path), cmp_note_by_path);
		s->n_notes_by_path = s->n_notes;
	}
	size_t first, end;
	LOWER_BOUND(s->notes_by_path, s->n_notes, NOTE_PATH, path, first);
	for (end = first; end < s->n_notes && !cmp_paths(s->notes_by_path[end]->path, path); end++)
		;
	*n = end - first;
	return (const struct dg_schema_note *const *)s->notes_by_path + first;
}

const char *dg_schema_table_display(struct dg_arena *a, const struct dg_schema_table *t)
{
	if (!strcmp(t->schema, "public"))
		return t->name;
	return dg_sprintf(a, "%s.%s", t->schema, t->name);
}

void dg_schema_add_ident(struct dg_buf *b, const char *id)
{
	int plain = id[0] && !isdigit((unsigned char)id[0]);
	for (const char *p = id; *p && plain; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
	if (plain) {
		dg_buf_adds(b, id);
		return;
	}
	dg_buf_addch(b, '"');
	for (const char *p = id; *p; p++) {
		if (*p == '"')
			dg_buf_addch(b, '"');
		dg_buf_addch(b, *p);
	}
	dg_buf_addch(b, '"');
}

const char *dg_schema_qualified(struct dg_arena *a, const char *schema, const char *name)
{
	struct dg_buf b = DG_BUF_INIT;
	if (schema && strcmp(schema, "public")) {
		dg_schema_add_ident(&b, schema);
		dg_buf_addch(&b, '.');
	}
	dg_schema_add_ident(&b, name);
	const char *o = dg_strdup(a, dg_buf_cstr(&b));
	dg_buf_release(&b);
	return o;
}

const char *dg_schema_fk_index_sql(struct dg_arena *a, const struct dg_schema *s,
				   const struct dg_schema_table *t,
				   const struct dg_schema_constraint *fk)
{
	(void)s;
	struct dg_buf b = DG_BUF_INIT;
	char *name = object_name(a, t->name, cols_part(a, fk->columns, fk->n_columns), "idx");
	dg_buf_adds(&b, "CREATE INDEX CONCURRENTLY ");
	dg_schema_add_ident(&b, name);
	dg_buf_adds(&b, " ON ");
	dg_buf_adds(&b, dg_schema_qualified(a, t->schema, t->name));
	dg_buf_adds(&b, " (");
	for (size_t i = 0; i < fk->n_columns; i++) {
		if (i)
			dg_buf_adds(&b, ", ");
		dg_schema_add_ident(&b, fk->columns[i]);
	}
	dg_buf_adds(&b, ");");
	const char *o = dg_strdup(a, dg_buf_cstr(&b));
	dg_buf_release(&b);
	return o;
}

/* ---- output ---- */

static int table_cmp(const void *x, const void *y)
{
	const struct dg_schema_table *a = *(const struct dg_schema_table *const *)x;
	const struct dg_schema_table *b = *(const struct dg_schema_table *const *)y;
	int c = strcmp(a->schema, b->schema);
	return c ? c : strcmp(a->name, b->name);
}

static const struct dg_schema_table **sorted_tables(const struct dg_schema *s)
{
	const struct dg_schema_table **v = dg_xmalloc((s->n_tables + 1) * sizeof(*v));
	for (size_t i = 0; i < s->n_tables; i++)
		v[i] = s->tables[i];
	qsort(v, s->n_tables, sizeof(*v), table_cmp);
	return v;
}

static void add_cols_text(struct dg_buf *b, const char *const *cols, const char *const *exprs,
			  size_t n)
{
	dg_buf_addch(b, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			dg_buf_adds(b, ", ");
		if (cols[i])
			dg_buf_adds(b, cols[i]);
		else
			dg_buf_addf(b, "(%s)", exprs && exprs[i] ? exprs[i] : "?");
	}
	dg_buf_addch(b, ')');
}

static void add_origin_text(struct dg_buf *b, const struct dg_schema_origin *o)
{
	if (o->path)
		dg_buf_addf(b, "  -- %s:%d", o->path, o->line);
}

static const char *con_kind_name(enum dg_schema_con_kind k)
{
	switch (k) {
	case DG_SCON_PRIMARY:
		return "primary key";
	case DG_SCON_UNIQUE:
		return "unique";
	case DG_SCON_FOREIGN:
		return "foreign key";
	case DG_SCON_CHECK:
		return "check";
	case DG_SCON_EXCLUSION:
		return "exclude";
	}
	return "?";
}

void dg_schema_write_text(struct dg_buf *out, const struct dg_schema *s)
{
	const struct dg_schema_table **v = sorted_tables(s);
	for (size_t i = 0; i < s->n_tables; i++) {
		const struct dg_schema_table *t = v[i];
		dg_buf_addf(out, "table %s.%s", t->schema, t->name);
		if (t->partitioned)
			dg_buf_adds(out, " (partitioned)");
		if (t->partition_of)
			dg_buf_addf(out, " (partition of %s)", t->partition_of);
		if (!t->known)
			dg_buf_adds(out, " (not created in this history: partly known)");
		add_origin_text(out, &t->origin);
		dg_buf_addch(out, '\n');
		for (size_t c = 0; c < t->n_columns; c++) {
			const struct dg_schema_column *col = &t->columns[c];
			dg_buf_addf(out, "  column %s %s%s\n", col->name,
				    col->type.display ? col->type.display : col->type.name,
				    col->not_null ? " not null" : "");
		}
		for (size_t k = 0; k < t->n_indexes; k++) {
			const struct dg_schema_index *ix = &t->indexes[k];
			dg_buf_addf(out, "  index %s%s using %s ", ix->name, ix->unique ? " unique" : "",
				    ix->method);
			add_cols_text(out, ix->columns, ix->exprs, ix->n_columns);
			if (ix->where)
				dg_buf_addf(out, " where %s", ix->where);
			add_origin_text(out, &ix->origin);
			dg_buf_addch(out, '\n');
		}
		for (size_t k = 0; k < t->n_constraints; k++) {
			const struct dg_schema_constraint *c = &t->constraints[k];
			dg_buf_addf(out, "  %s %s", con_kind_name(c->kind), c->name);
			if (c->kind == DG_SCON_CHECK) {
				dg_buf_addf(out, " (%s)", c->expr ? c->expr : "?");
			} else if (c->n_columns) {
				dg_buf_addch(out, ' ');
				add_cols_text(out, c->columns, NULL, c->n_columns);
			}
			if (c->kind == DG_SCON_FOREIGN) {
				dg_buf_addf(out, " references %s.%s", c->ref_schema, c->ref_table);
				if (c->n_ref_columns) {
					dg_buf_addch(out, ' ');
					add_cols_text(out, c->ref_columns, NULL, c->n_ref_columns);
				}
				const struct dg_schema_index *ix = dg_schema_fk_covering_index(t, c);
				if (ix)
					dg_buf_addf(out, " [index %s]", ix->name);
				else
					dg_buf_adds(out, " [no covering index]");
			}
			if (!c->validated)
				dg_buf_adds(out, " not valid");
			add_origin_text(out, &c->origin);
			dg_buf_addch(out, '\n');
		}
	}
	for (size_t i = 0; i < s->n_notes; i++)
		dg_buf_addf(out, "note: %s:%d: %s\n", s->notes[i].path, s->notes[i].line,
			    s->notes[i].message);
	free(v);
}

static void json_strs(struct dg_buf *b, const char *const *v, size_t n)
{
	dg_buf_addch(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			dg_buf_adds(b, ", ");
		if (v[i])
			dg_buf_add_json_str(b, v[i]);
		else
			dg_buf_adds(b, "null");
	}
	dg_buf_addch(b, ']');
}

static void json_origin(struct dg_buf *b, const char *key, const struct dg_schema_origin *o)
{
	dg_buf_addf(b, ", \"%s\": ", key);
	if (!o->path) {
		dg_buf_adds(b, "null");
		return;
	}
	dg_buf_adds(b, "{\"path\": ");
	dg_buf_add_json_str(b, o->path);
	dg_buf_addf(b, ", \"line\": %d, \"column\": %d}", o->line, o->column);
}

static void json_opt_str(struct dg_buf *b, const char *key, const char *v)
{
	dg_buf_addf(b, ", \"%s\": ", key);
	if (v)
		dg_buf_add_json_str(b, v);
	else
		dg_buf_adds(b, "null");
}

static void json_fk_ref(struct dg_buf *b, const struct dg_schema_constraint *c)
{
	dg_buf_adds(b, ", \"references\": {\"schema\": ");
	dg_buf_add_json_str(b, c->ref_schema);
	dg_buf_adds(b, ", \"table\": ");
	dg_buf_add_json_str(b, c->ref_table);
	dg_buf_adds(b, ", \"columns\": ");
	json_strs(b, c->ref_columns, c->n_ref_columns);
	dg_buf_addch(b, '}');
}

void dg_schema_write_json(struct dg_buf *out, const struct dg_schema *s)
{
	const struct dg_schema_table **v = sorted_tables(s);
	dg_buf_adds(out, "{\"schemas\": ");
	json_strs(out, s->schemas, s->n_schemas);
	dg_buf_adds(out, ",\n \"tables\": [");
	for (size_t i = 0; i < s->n_tables; i++) {
		const struct dg_schema_table *t = v[i];
		dg_buf_adds(out, i ? ",\n  {" : "\n  {");
		dg_buf_adds(out, "\"schema\": ");
		dg_buf_add_json_str(out, t->schema);
		dg_buf_adds(out, ", \"name\": ");
		dg_buf_add_json_str(out, t->name);
		dg_buf_addf(out, ", \"known\": %s, \"partitioned\": %s", t->known ? "true" : "false",
			    t->partitioned ? "true" : "false");
		json_origin(out, "origin", &t->origin);
		dg_buf_adds(out, ",\n   \"columns\": [");
		for (size_t c = 0; c < t->n_columns; c++) {
			const struct dg_schema_column *col = &t->columns[c];
			dg_buf_adds(out, c ? ", {\"name\": " : "{\"name\": ");
			dg_buf_add_json_str(out, col->name);
			dg_buf_adds(out, ", \"type\": ");
			dg_buf_add_json_str(out, col->type.display ? col->type.display : col->type.name);
			dg_buf_addf(out, ", \"not_null\": %s}", col->not_null ? "true" : "false");
		}
		dg_buf_adds(out, "],\n   \"indexes\": [");
		for (size_t k = 0; k < t->n_indexes; k++) {
			const struct dg_schema_index *ix = &t->indexes[k];
			int expr = 0;
			for (size_t c = 0; c < ix->n_columns; c++)
				expr |= ix->columns[c] == NULL;
			dg_buf_adds(out, k ? ", {\"name\": " : "{\"name\": ");
			dg_buf_add_json_str(out, ix->name);
			dg_buf_adds(out, ", \"columns\": ");
			json_strs(out, ix->columns, ix->n_columns);
			dg_buf_adds(out, ", \"method\": ");
			dg_buf_add_json_str(out, ix->method);
			dg_buf_addf(out, ", \"unique\": %s, \"primary\": %s, \"expression\": %s, \"partial\": %s",
				    ix->unique ? "true" : "false", ix->primary ? "true" : "false",
				    expr ? "true" : "false", ix->where ? "true" : "false");
			json_opt_str(out, "where", ix->where);
			json_opt_str(out, "constraint", ix->constraint);
			json_origin(out, "origin", &ix->origin);
			dg_buf_addch(out, '}');
		}
		dg_buf_adds(out, "],\n   \"constraints\": [");
		for (size_t k = 0; k < t->n_constraints; k++) {
			const struct dg_schema_constraint *c = &t->constraints[k];
			dg_buf_adds(out, k ? ", {\"name\": " : "{\"name\": ");
			dg_buf_add_json_str(out, c->name);
			dg_buf_adds(out, ", \"type\": ");
			dg_buf_add_json_str(out, con_kind_name(c->kind));
			dg_buf_adds(out, ", \"columns\": ");
			json_strs(out, c->columns, c->n_columns);
			dg_buf_addf(out, ", \"validated\": %s", c->validated ? "true" : "false");
			if (c->kind == DG_SCON_FOREIGN) {
				json_fk_ref(out, c);
				const struct dg_schema_index *ix = dg_schema_fk_covering_index(t, c);
				json_opt_str(out, "covered_by", ix ? ix->name : NULL);
			}
			if (c->kind == DG_SCON_CHECK)
				json_opt_str(out, "expr", c->expr);
			json_origin(out, "origin", &c->origin);
			dg_buf_addch(out, '}');
		}
		dg_buf_adds(out, "]}");
	}
	dg_buf_adds(out, "],\n \"unindexed_foreign_keys\": [");
	int first = 1;
	for (size_t i = 0; i < s->n_tables; i++) {
		const struct dg_schema_table *t = v[i];
		for (size_t k = 0; k < t->n_constraints; k++) {
			const struct dg_schema_constraint *c = &t->constraints[k];
			if (c->kind != DG_SCON_FOREIGN || dg_schema_fk_covering_index(t, c))
				continue;
			dg_buf_adds(out, first ? "\n  {\"schema\": " : ",\n  {\"schema\": ");
			first = 0;
			dg_buf_add_json_str(out, t->schema);
			dg_buf_adds(out, ", \"table\": ");
			dg_buf_add_json_str(out, t->name);
			dg_buf_adds(out, ", \"constraint\": ");
			dg_buf_add_json_str(out, c->name);
			dg_buf_adds(out, ", \"columns\": ");
			json_strs(out, c->columns, c->n_columns);
			json_fk_ref(out, c);
			dg_buf_addf(out, ", \"known\": %s", t->known ? "true" : "false");
			json_origin(out, "origin", c->blame && c->blame->path ? c->blame : &c->origin);
			dg_buf_addch(out, '}');
		}
	}
	dg_buf_adds(out, "],\n \"notes\": [");
	for (size_t i = 0; i < s->n_notes; i++) {
		dg_buf_adds(out, i ? ", {\"path\": " : "{\"path\": ");
		dg_buf_add_json_str(out, s->notes[i].path);
		dg_buf_addf(out, ", \"line\": %d, \"message\": ", s->notes[i].line);
		dg_buf_add_json_str(out, s->notes[i].message);
		dg_buf_addch(out, '}');
	}
	dg_buf_adds(out, "]}");
	free(v);
}
