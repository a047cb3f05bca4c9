/*
 * Keys of names and runs of files, for a history replayed only where the
 * migrations being checked need it (see prune.h for why that is exact).
 */
#include "schema/prune.h"

#include <stdlib.h>
#include <string.h>

#include "sql/stmt.h"

/*
 * A key must end this early in its name: a generated name (table_col_fkey)
 * cuts its table's name to fit 63 bytes, but never below about 23 bytes.
 */
#define KEY_END_MAX 20

static int run_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '$' || c >= 0x80;
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* FNV-1a of the run, lower-cased; never 0 (the empty slot). */
static uint64_t run_hash(const char *p, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ lower((unsigned char)p[i])) * 1099511628211ull;
	return h ? h : 1;
}

static int run_is(const char *p, size_t len, const char *word)
{
	size_t l = strlen(word);
	if (len != l)
		return 0;
	for (size_t i = 0; i < l; i++)
		if (lower((unsigned char)p[i]) != (unsigned char)word[i])
			return 0;
	return 1;
}

static void keyset_put(struct dg_keyset *k, uint64_t h)
{
	if ((k->n + 1) * 2 > k->cap) {
		uint64_t *old = k->v;
		size_t oc = k->cap;
		k->cap = oc ? oc * 2 : 64;
		k->v = dg_xcalloc(k->cap, sizeof(*k->v));
		k->n = 0;
		for (size_t i = 0; i < oc; i++)
			if (old[i])
				keyset_put(k, old[i]);
		free(old);
	}
	size_t i = (size_t)h & (k->cap - 1);
	while (k->v[i] && k->v[i] != h)
		i = (i + 1) & (k->cap - 1);
	if (!k->v[i]) {
		k->v[i] = h;
		k->n++;
	}
}

static int keyset_has(const struct dg_keyset *k, uint64_t h)
{
	if (!k->cap)
		return 0;
	for (size_t i = (size_t)h & (k->cap - 1); k->v[i]; i = (i + 1) & (k->cap - 1))
		if (k->v[i] == h)
			return 1;
	return 0;
}

void dg_keyset_add_name(struct dg_keyset *k, const char *name)
{
	if (!name)
		return;
	const char *p = name;
	while (*p && !run_byte((unsigned char)*p))
		p++;
	const char *e = p;
	while (*e && run_byte((unsigned char)*e))
		e++;
	if (e == p || e - name > KEY_END_MAX) {
		k->overflow = 1;
		return;
	}
	keyset_put(k, run_hash(p, (size_t)(e - p)));
}

void dg_keyset_release(struct dg_keyset *k)
{
	free(k->v);
	memset(k, 0, sizeof(*k));
}

/* ---- runs of a file ---- */

struct words {
	uint64_t *v;
	size_t n, cap;
	int always;
};

static void words_add(struct words *w, uint64_t h)
{
	DG_PUSH(w->v, w->n, w->cap, h);
}

/* Every run of s (NULL: none). */
static void words_of(struct words *w, const char *s)
{
	if (!s)
		return;
	for (const char *p = s; *p;) {
		if (!run_byte((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *e = p;
		while (*e && run_byte((unsigned char)*e))
			e++;
		words_add(w, run_hash(p, (size_t)(e - p)));
		p = e;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/*
 * Drop repeats (a big file names its tables again and again): sorted, the
 * new count. A small file keeps its few runs as they are.
 */
static size_t unique(uint64_t *v, size_t n)
{
	if (n <= 32)
		return n;
	qsort(v, n, sizeof(*v), cmp_u64);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[k - 1])
			v[k++] = v[i];
	return k;
}

/* The runs of w into out (the arena), w's own array freed unless it is local (on the stack). */
static void words_done(struct dg_arena *a, struct words *w, struct dg_prune_words *out,
		       const uint64_t *local)
{
	w->n = unique(w->v, w->n);
	out->v = w->n ? dg_memdup(a, w->v, w->n, sizeof(*w->v)) : NULL;
	out->n = w->n;
	out->always = w->always;
	if (w->v != local)
		free(w->v);
}

/* Can this run start a spelling of a name that is not its runs (U&"...", E'...', EXECUTE)? */
static int run_hides_names(const char *p, size_t len, const char *end)
{
	if (len == 1)
		return p + 1 < end && ((lower((unsigned char)*p) == 'u' && p[1] == '&') ||
				       (lower((unsigned char)*p) == 'e' && p[1] == '\''));
	return len == 7 && run_is(p, len, "execute");
}

/* A run that makes the file needed whatever its names: see prune.h. */
static int run_forces(const char *p, size_t len, const char *end)
{
	if (len == 4 && run_is(p, len, "type"))
		return 1;
	if (len == 6 && run_is(p, len, "domain"))
		return 1;
	return run_hides_names(p, len, end);
}

/* Each byte lower-cased when it is part of a run, else 0 (a table: every byte of a history is read). */
static unsigned char run_class[256];

static void run_class_init(void)
{
	if (run_class['a'])
		return;
	for (int c = 1; c < 256; c++)
		run_class[c] = run_byte((unsigned char)c) ? lower((unsigned char)c) : 0;
}

void dg_prune_text_words(struct dg_arena *a, const char *data, size_t len,
			 struct dg_prune_words *out)
{
	/* a small file's runs fit on the stack: most migrations are small */
	uint64_t local[256];
	struct words w = { local, 0, 256, 0 };
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	run_class_init();
	while (p < end) {
		if (!run_class[*p]) {
			p++;
			continue;
		}
		const unsigned char *s = p;
		uint64_t h = 1469598103934665603ull;
		for (unsigned char c; p < end && (c = run_class[*p]); p++)
			h = (h ^ c) * 1099511628211ull;
		size_t l = (size_t)(p - s);
		if (!w.always && l <= 7 && run_forces((const char *)s, l, (const char *)end))
			w.always = 1;
		if (w.n == w.cap) {
			uint64_t *v = dg_xmalloc(w.cap * 2 * sizeof(*v));
			memcpy(v, w.v, w.n * sizeof(*v));
			if (w.v != local)
				free(w.v);
			w.v = v;
			w.cap *= 2;
		}
		w.v[w.n++] = h ? h : 1;
	}
	words_done(a, &w, out, local);
}

static void words_of_rel(struct words *w, const struct dg_rel *r)
{
	if (r) {
		words_of(w, r->schema);
		words_of(w, r->name);
	}
}

static void words_of_con(struct words *w, const struct dg_constraint *c)
{
	if (!c)
		return;
	words_of(w, c->name);
	words_of_rel(w, &c->ref_table);
	words_of(w, c->using_index);
}

static void words_of_col(struct words *w, const struct dg_column *c)
{
	if (!c)
		return;
	words_of(w, c->name);
	words_of(w, c->type.name);
	words_of_con(w, c->fk);
}

static void words_of_stmt(struct words *w, const struct dg_stmt *st)
{
	if (st->kind == DG_STMT_CREATE_DOMAIN || st->kind == DG_STMT_ALTER_DOMAIN ||
	    st->object == DG_OBJ_TYPE)
		w->always = 1; /* domains are replayed whole */
	words_of_rel(w, st->rel);
	for (size_t i = 0; i < st->n_rels; i++)
		words_of_rel(w, &st->rels[i]);
	words_of(w, st->name);
	words_of(w, st->new_name);
	words_of(w, st->value);
	const struct dg_stmt_rare *rare = dg_stmt_rare(st);
	words_of_rel(w, &rare->partition_of);
	words_of_rel(w, &rare->domain);
	words_of_con(w, rare->con);
	for (size_t i = 0; i < rare->n_likes; i++)
		words_of_rel(w, &rare->likes[i]);
	for (size_t i = 0; i < st->n_columns; i++)
		words_of_col(w, &st->columns[i]);
	for (size_t i = 0; i < st->n_constraints; i++)
		words_of_con(w, &st->constraints[i]);
	for (size_t i = 0; i < st->n_cmds; i++) {
		const struct dg_cmd *c = &st->cmds[i];
		words_of(w, c->column);
		words_of(w, c->name);
		words_of_col(w, c->coldef);
		words_of_con(w, c->con);
		words_of_rel(w, &c->part);
	}
	if (st->index) {
		words_of(w, st->index->name);
		words_of_rel(w, &st->index->table);
	}
}

void dg_prune_facts_words(struct dg_arena *a, const struct dg_sql_file *f,
			  struct dg_prune_words *out)
{
	struct words w = { NULL, 0, 0, 0 };
	for (size_t i = 0; i < f->n_stmts; i++)
		words_of_stmt(&w, &f->stmts[i]);
	words_done(a, &w, out, NULL);
}

int dg_prune_needed(const struct dg_prune_words *w, const struct dg_keyset *k)
{
	if (w->always)
		return 1;
	for (size_t i = 0; i < w->n; i++)
		if (keyset_has(k, w->v[i]))
			return 1;
	return 0;
}
