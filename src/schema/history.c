/*
 * Replay of a whole migration set, and the schema before each migration.
 * Python sets are read by the frameworks stage, in the order their
 * framework runs them (a Django app with the apps it depends on), each
 * migration turned into the SQL the framework emits and replayed as such.
 */
#include "schema/history.h"

#include "frameworks/frameworks.h"
#include "git/git.h"
#include "schema/facts.h"
#include "schema/prune.h"

#include <stdlib.h>
#include <string.h>

/* "app.name" keys of Django migrations, sorted, for the cross-app edges. */
struct key {
	const char *key;
	size_t node;
};

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct key *)a)->key, ((const struct key *)b)->key);
}

static int key_find(const struct key *keys, size_t n, const char *k, size_t *node)
{
	struct key want = {k, 0};
	const struct key *hit = bsearch(&want, keys, n, sizeof(*keys), key_cmp);
	if (hit)
		*node = hit->node;
	return hit != NULL;
}

/*
 * Every Django migration of sets in the order Django runs them: each app in
 * its own graph order, an app's migration after the other apps'
 * migrations it depends on (and before those it names in run_before).
 * Kahn's algorithm; among ready migrations the earliest set and position
 * goes first, so the order is stable. Cycles (a broken graph) end it in
 * set order.
 */
static int django_order(struct dg_arena *a, struct dg_set *const *sets, size_t n_sets,
			const struct dg_migration ***out, size_t *n_out)
{
	const struct dg_migration **nodes = NULL;
	size_t n = 0, cap = 0;
	size_t *first = dg_xcalloc(n_sets + 1, sizeof(*first));
	for (size_t s = 0; s < n_sets; s++) {
		first[s] = n;
		if (sets[s]->cfg.format != DG_FORMAT_DJANGO)
			continue;
		const struct dg_migration **ord;
		size_t k;
		if (dg_set_order(a, sets[s], &ord, &k) < 0) {
			free(first);
			free(nodes);
			return -1;
		}
		for (size_t i = 0; i < k; i++)
			DG_PUSH(nodes, n, cap, ord[i]);
	}
	first[n_sets] = n;
	struct key *keys = NULL;
	size_t nk = 0, kcap = 0;
	for (size_t i = 0; i < n; i++) {
		struct key k = {nodes[i]->id, i};
		DG_PUSH(keys, nk, kcap, k);
		/* a squash stands for the migrations it replaces */
		for (size_t r = 0; r < nodes[i]->n_replaces; r++) {
			struct key rk = {nodes[i]->replaces[r], i};
			DG_PUSH(keys, nk, kcap, rk);
		}
	}
	if (nk > 1)
		qsort(keys, nk, sizeof(*keys), key_cmp);
	size_t *indeg = dg_xcalloc(n + 1, sizeof(*indeg));
	size_t **succ = dg_xcalloc(n + 1, sizeof(*succ));
	size_t *n_succ = dg_xcalloc(n + 1, sizeof(*n_succ)), *c_succ = dg_xcalloc(n + 1, sizeof(*c_succ));
	for (size_t s = 0; s < n_sets; s++)
		for (size_t i = first[s]; i + 1 < first[s + 1]; i++) {
			DG_PUSH(succ[i], n_succ[i], c_succ[i], i + 1);
			indeg[i + 1]++;
		}
	for (size_t i = 0; i < n; i++) {
		const struct dg_migration *m = nodes[i];
		for (size_t p = 0; p < m->n_parents + m->n_run_before; p++) {
			int before = p >= m->n_parents;
			const char *ref = before ? m->run_before[p - m->n_parents] : m->parents[p];
			size_t j;
			if (!key_find(keys, nk, ref, &j) || j == i || (m->app && nodes[j]->app &&
								      !strcmp(m->app, nodes[j]->app)))
				continue; /* in-app edges are the app's own order already */
			size_t from = before ? i : j, to = before ? j : i;
			DG_PUSH(succ[from], n_succ[from], c_succ[from], to);
			indeg[to]++;
		}
	}
	const struct dg_migration **res = dg_alloc(a, (n + 1) * sizeof(*res));
	char *done = dg_xcalloc(n + 1, 1);
	size_t k = 0;
	/* n is small enough (thousands) for a scan per step over the ready front */
	size_t *ready = dg_xcalloc(n + 1, sizeof(*ready));
	size_t nr = 0;
	for (size_t i = 0; i < n; i++)
		if (!indeg[i])
			ready[nr++] = i;
	while (nr) {
		size_t best = 0;
		for (size_t r = 1; r < nr; r++)
			if (ready[r] < ready[best])
				best = r;
		size_t i = ready[best];
		ready[best] = ready[--nr];
		done[i] = 1;
		res[k++] = nodes[i];
		for (size_t c = 0; c < n_succ[i]; c++)
			if (--indeg[succ[i][c]] == 0)
				ready[nr++] = succ[i][c];
	}
	for (size_t i = 0; i < n; i++)
		if (!done[i])
			res[k++] = nodes[i];
	*out = res;
	*n_out = k;
	for (size_t i = 0; i < n; i++)
		free(succ[i]);
	free(succ);
	free(n_succ);
	free(c_succ);
	free(indeg);
	free(done);
	free(ready);
	free(keys);
	free(first);
	free(nodes);
	return 0;
}

static int ptr_cmp(const void *a, const void *b)
{
	const void *x = *(const void *const *)a, *y = *(const void *const *)b;
	return x < y ? -1 : x > y;
}

static const struct dg_set *set_of(struct dg_set *const *sets, size_t n, const struct dg_migration *m)
{
	for (size_t s = 0; s < n; s++)
		if (dg_set_holds(sets[s], m))
			return sets[s];
	return NULL;
}

/* Note a Python file the reader gave up on (rare: the arena copy grows one at a time). */
static void add_error(struct dg_schema_history *out, struct dg_arena *a, const struct dg_migration *m)
{
	struct dg_schema_history_error *v = dg_alloc(a, (out->n_errors + 1) * sizeof(*v));
	if (out->n_errors)
		memcpy(v, out->errors, out->n_errors * sizeof(*v));
	v[out->n_errors].m = m;
	v[out->n_errors].message = dg_strdup(a, dg_last_error());
	out->errors = v;
	out->n_errors++;
	dg_error_clear();
}

/* One Python migration as the SQL its framework runs (0), or an error noted (1), or -1. */
static int translate(struct dg_schema_history *out, struct dg_arena *a, struct dg_source *src,
		     struct dg_set *const *sets, size_t n_sets, const struct dg_set *set,
		     struct dg_fw_state *st, const struct dg_migration *m, struct dg_sql_file *f)
{
	const struct dg_set *ms = set_of(sets, n_sets, m);
	const char *data = m->data;
	size_t len = m->len;
	if (!data) {
		char *owned;
		if (!src || src->read(src, m->path, &owned, &len) < 0)
			return -1;
		data = dg_strndup(a, owned, len);
		free(owned);
	}
	struct dg_fw_opts fo = {ms ? ms->cfg.format : set->cfg.format,
				ms ? ms->cfg.transaction : set->cfg.transaction, m->app};
	if (dg_fw_migration_sql(a, st, m->path, data, len, &fo, f) < 0) {
		add_error(out, a, m);
		return 1;
	}
	return 0;
}

/*
 * The migrations of a Python history: read, translated by the frameworks
 * stage, replayed. Those the order leaves out (replaced by a squash that
 * runs instead) are translated after the others, with the state at the
 * end, and not replayed: they are still linted.
 */
static int python_history(struct dg_schema_history *out, struct dg_arena *a, struct dg_source *src,
			  struct dg_set *const *sets, size_t n_sets, const struct dg_set *set)
{
	const struct dg_migration **order;
	size_t n;
	if (set->cfg.format == DG_FORMAT_DJANGO) {
		if (django_order(a, sets, n_sets, &order, &n) < 0)
			return -1;
	} else if (dg_set_order(a, set, &order, &n) < 0) {
		return -1;
	}
	struct dg_fw_state *st = dg_fw_state_new(a);
	out->order = dg_alloc(a, (n + 1) * sizeof(*out->order));
	out->files = dg_alloc(a, (n + 1) * sizeof(*out->files));
	size_t total = 0;
	for (size_t s = 0; s < n_sets; s++)
		if (sets[s] == set || (set->cfg.format == DG_FORMAT_DJANGO &&
				       sets[s]->cfg.format == DG_FORMAT_DJANGO))
			total += sets[s]->n_migs;
	for (size_t i = 0; i < n; i++) {
		struct dg_sql_file *f = &out->files[out->n];
		int r = translate(out, a, src, sets, n_sets, set, st, order[i], f);
		if (r < 0)
			return -1;
		if (r)
			continue;
		out->order[out->n++] = order[i];
		dg_schema_replay_file(out->final, f, NULL);
	}
	if (total <= n)
		return 0;
	/* the left-out ones: in the sets, not in the order (n is small: a marker per order entry) */
	out->extra = dg_alloc(a, (total - n + 1) * sizeof(*out->extra));
	out->extra_files = dg_alloc(a, (total - n + 1) * sizeof(*out->extra_files));
	const struct dg_migration **sorted = dg_memdup(a, order, n ? n : 1, sizeof(*order));
	qsort(sorted, n, sizeof(*sorted), ptr_cmp);
	for (size_t s = 0; s < n_sets; s++) {
		if (sets[s] != set && !(set->cfg.format == DG_FORMAT_DJANGO &&
					sets[s]->cfg.format == DG_FORMAT_DJANGO))
			continue;
		for (size_t k = 0; k < sets[s]->n_migs; k++) {
			const struct dg_migration *m = &sets[s]->migs[k];
			if (bsearch(&m, sorted, n, sizeof(*sorted), ptr_cmp) || out->n_extra >= total - n)
				continue;
			struct dg_sql_file *f = &out->extra_files[out->n_extra];
			int r = translate(out, a, src, sets, n_sets, set, st, m, f);
			if (r < 0)
				return -1;
			if (!r)
				out->extra[out->n_extra++] = m;
		}
	}
	return 0;
}

/* The text of a SQL migration: m->data, else read from src (arena copy); NULL and 0: no file. */
static int sql_text(struct dg_arena *a, struct dg_source *src, const struct dg_migration *m,
		    const char **data, size_t *len)
{
	*data = m->data;
	*len = m->len;
	if (*data)
		return 0;
	char *owned;
	if (!src || (!m->blob_id && !dg_source_exists(src, m->path)))
		return 0; /* a sqitch change without a deploy script (with an id, the file is there) */
	if (src->read(src, m->path, &owned, len) < 0)
		return -1;
	*data = dg_strndup(a, owned, *len);
	free(owned);
	return 0;
}

/* The arrays of a history of at most n files of set (in the arena). */
static void alloc_history(struct dg_schema_history *out, struct dg_arena *a,
			  const struct dg_set *set, size_t n)
{
	out->order = dg_alloc(a, (n + 1) * sizeof(*out->order));
	out->files = dg_alloc(a, (n + 1) * sizeof(*out->files));
	out->parsed = dg_alloc(a, n + 1);
	out->migs = set->migs;
	out->n_migs = set->n_migs;
	out->order_of = dg_alloc(a, (set->n_migs + 1) * sizeof(*out->order_of));
}

/*
 * Add migration m, whose facts are out->files[out->n], to the history and
 * replay it into the final schema. last: it is the newest migration
 * replayed; hooks and ci mostly lint that one, so the state before it is
 * kept (a copy-on-write clone) and asking for it does not replay the
 * whole history a second time.
 */
static void history_append(struct dg_schema_history *out, struct dg_arena *a,
			   const struct dg_set *set, const struct dg_migration *m, int last)
{
	if (dg_set_holds(set, m))
		out->order_of[m - set->migs] = (long)out->n;
	if (last) {
		out->before_last = dg_schema_clone(a, out->final);
		out->before_last->final = out->final;
	}
	out->order[out->n] = m;
	dg_schema_replay_file(out->final, &out->files[out->n++], NULL);
}

/* with_text: every file keeps its text; else files whose facts are cached are not read */
static int build_in(struct dg_schema_history *out, struct dg_arena *a, struct dg_source *src,
		    struct dg_set *const *sets, size_t n_sets, const struct dg_set *set,
		    int with_text)
{
	memset(out, 0, sizeof(*out));
	out->arena = a;
	out->src = src;
	out->final = dg_schema_new(a);
	out->final->final = out->final;
	out->cur = dg_schema_new(a);
	if (set->cfg.format != DG_FORMAT_SQL)
		return python_history(out, a, src, sets, n_sets, set);
	const struct dg_migration **order;
	size_t n;
	if (dg_set_order(a, set, &order, &n) < 0)
		return -1;
	struct dg_facts_cache *cache = dg_facts_cache_open();
	alloc_history(out, a, set, n);
	for (size_t i = 0; i < set->n_migs; i++)
		out->order_of[i] = -1;
	size_t last = n; /* the last file the loop below may replay */
	for (size_t i = n; i-- > 0 && last == n;)
		if (order[i]->is_sql && !order[i]->undo && dg_schema_replays_path(order[i]->path))
			last = i;
	for (size_t i = 0; i < n; i++) {
		const struct dg_migration *m = order[i];
		if (!m->is_sql || m->undo || !dg_schema_replays_path(m->path))
			continue;
		struct dg_sql_file *f = &out->files[out->n];
		if (with_text || m->data || !dg_facts_cache_get(cache, a, f, m->blob_id, m->path)) {
			/* not in the cache (or its text is wanted): read, and parsed unless cached */
			const char *data;
			size_t len;
			if (sql_text(a, src, m, &data, &len) < 0) {
				dg_facts_cache_close(cache);
				return -1;
			}
			if (!data)
				continue;
			const char *id = m->blob_id;
			char fs_id[DG_OID_HEXSZ + 1];
			if (!id && cache && dg_git_blob_id(data, len, fs_id) == 0)
				id = fs_id; /* a file of the work tree: the cache knows it by content too */
			out->parsed[out->n] = !dg_facts_cache_parse(cache, a, f, id, m->path, data, len);
		}
		history_append(out, a, set, m, i == last);
	}
	dg_facts_cache_stats(cache, &out->cache_hits, &out->cache_misses);
	dg_facts_cache_close(cache);
	return 0;
}

/* ---- a history replayed only where the migrations linted need it (schema/prune.h) ---- */

/* A replayable SQL migration of the set, as the pruned build sees it. */
struct cand {
	const struct dg_migration *m;
	struct dg_sql_file f;
	struct dg_prune_words w;
	const char *data;          /* its text, when read (NULL: its facts came from the cache) */
	size_t len;
	int loaded;                /* f holds its facts */
	int parsed;                /* ... parsed in full (not read back from the cache) */
	int needed;                /* replayed */
};

struct pruned {
	struct dg_schema_history *out;
	struct dg_arena *a;
	struct dg_source *src;
	const struct dg_set *set;
	struct dg_facts_cache *cache;
	struct dg_facts_cache *words; /* the runs of blobs read before */
	struct cand *v;
	size_t n;
};

/*
 * Each file's facts from the cache, else its runs from the words cache (a
 * file not linted: its text is read if it turns out to be needed), else
 * its text; and the runs of either (0, or -1).
 */
static int cands_read(struct pruned *p, const struct dg_migration **order, size_t n,
		      const char *linted)
{
	const struct dg_set *set = p->set;
	p->v = dg_xcalloc(n + 1, sizeof(*p->v));
	for (size_t i = 0; i < n; i++) {
		const struct dg_migration *m = order[i];
		if (!m->is_sql || m->undo || !dg_schema_replays_path(m->path))
			continue;
		struct cand *c = &p->v[p->n];
		c->m = m;
		c->needed = dg_set_holds(set, m) && linted[m - set->migs];
		if (!m->data && dg_facts_cache_get(p->cache, p->a, &c->f, m->blob_id, m->path)) {
			c->loaded = 1;
			dg_prune_facts_words(p->a, &c->f, &c->w);
			p->n++;
			continue;
		}
		/* with a blob id the file is there (sql_text) */
		if (!m->data && m->blob_id && !c->needed &&
		    dg_words_cache_get(p->words, p->a, m->blob_id, &c->w)) {
			p->n++;
			continue;
		}
		if (sql_text(p->a, p->src, m, &c->data, &c->len) < 0)
			return -1;
		if (!c->data)
			continue; /* no file: not replayed */
		dg_prune_text_words(p->a, c->data, c->len, &c->w);
		if (!m->data)
			dg_words_cache_put(p->words, m->blob_id, &c->w);
		p->n++;
	}
	return 0;
}

/* Parse a needed file, reading it first when only its runs were known (0, or -1). */
static int cand_load(struct pruned *p, struct cand *c)
{
	if (c->loaded)
		return 0;
	if (!c->data) {
		if (sql_text(p->a, p->src, c->m, &c->data, &c->len) < 0)
			return -1;
		if (!c->data) /* its runs were cached, so it was there */
			return dg_error("%s: cannot read the migration", c->m->path);
	}
	const char *id = c->m->blob_id;
	char fs_id[DG_OID_HEXSZ + 1];
	if (!id && p->cache && dg_git_blob_id(c->data, c->len, fs_id) == 0)
		id = fs_id; /* a file of the work tree: the cache knows it by content too */
	c->parsed = !dg_facts_cache_parse(p->cache, p->a, &c->f, id, c->m->path, c->data, c->len);
	c->loaded = 1;
	return 0;
}

/* Load every needed file (0, or -1). */
static int cands_load(struct pruned *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].needed && cand_load(p, &p->v[i]) < 0)
			return -1;
	return 0;
}

/* Replay the needed files from an empty schema, into p->out; keys (or NULL) notes what they touch. */
static void cands_replay(struct pruned *p, struct dg_keyset *keys)
{
	struct dg_schema_history *out = p->out;
	const struct dg_set *set = p->set;
	out->final = dg_schema_new(p->a);
	out->final->final = out->final;
	out->cur = dg_schema_new(p->a);
	dg_schema_set_probe(out->final, keys);
	dg_schema_set_probe(out->cur, keys);
	out->pos = 0;
	out->n = 0;
	out->before_last = NULL;
	for (size_t i = 0; i < set->n_migs; i++)
		out->order_of[i] = -1;
	size_t last = p->n;
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].needed)
			last = i;
	for (size_t i = 0; i < p->n; i++) {
		struct cand *c = &p->v[i];
		if (!c->needed)
			continue;
		const struct dg_migration *m = c->m;
		out->files[out->n] = c->f;
		out->parsed[out->n] = (char)c->parsed;
		history_append(out, p->a, set, m, i == last);
	}
}

/* Mark the files whose runs meet a key as needed; how many were newly marked. */
static size_t cands_mark(struct pruned *p, const struct dg_keyset *keys)
{
	size_t marked = 0;
	for (size_t i = 0; i < p->n; i++)
		if (!p->v[i].needed && dg_prune_needed(&p->v[i].w, keys)) {
			p->v[i].needed = 1;
			marked++;
		}
	return marked;
}

/* Rounds of marking and replaying before the pruned build gives up (and replays everything). */
#define PRUNE_ROUNDS 16

/*
 * Replay only the files the linted ones need: mark the files whose runs
 * meet a key noted so far, replay them, and again while the replay notes
 * new keys. Every file when that cannot be trusted (keys->overflow) or
 * does not settle.
 */
static int replay_needed(struct pruned *p, struct dg_keyset *keys)
{
	for (int round = 0; round < PRUNE_ROUNDS && !keys->overflow; round++) {
		cands_mark(p, keys);
		if (cands_load(p) < 0)
			return -1;
		size_t before = keys->n;
		cands_replay(p, keys);
		if (keys->n == before && !keys->overflow) {
			p->out->pruned = p->out->n < p->n;
			return 0;
		}
	}
	for (size_t i = 0; i < p->n; i++)
		p->v[i].needed = 1;
	keys->overflow = 1; /* from now on: the whole history */
	if (cands_load(p) < 0)
		return -1;
	cands_replay(p, NULL);
	return 0;
}

int dg_schema_history_build_for(struct dg_schema_history *out, struct dg_arena *a,
				struct dg_source *src, const struct dg_set *set,
				int (*linted)(const struct dg_migration *m, void *payload),
				void *payload, struct dg_keyset *keys)
{
	if (set->cfg.format != DG_FORMAT_SQL || getenv("DDLGATE_NO_PRUNE")) {
		keys->overflow = 1;
		return dg_schema_history_build_lazy(out, a, src, set);
	}
	memset(out, 0, sizeof(*out));
	out->arena = a;
	out->src = src;
	const struct dg_migration **order;
	size_t n;
	if (dg_set_order(a, set, &order, &n) < 0)
		return -1;
	alloc_history(out, a, set, n);
	/* a linted migration that is not replayed (a down script) is judged on
	 * a state this does not follow: the whole history then */
	size_t n_linted = 0;
	char *is_linted = dg_xcalloc(set->n_migs + 1, 1);
	for (size_t i = 0; i < set->n_migs; i++) {
		is_linted[i] = linted(&set->migs[i], payload) != 0;
		n_linted += (size_t)is_linted[i];
	}
	struct pruned p = { out, a, src, set, dg_facts_cache_open(), dg_words_cache_open(), NULL, 0 };
	int r = cands_read(&p, order, n, is_linted);
	free(is_linted);
	if (!r) {
		size_t n_needed = 0;
		for (size_t i = 0; i < p.n; i++)
			n_needed += p.v[i].needed;
		if (n_needed != n_linted)
			keys->overflow = 1;
		r = replay_needed(&p, keys);
		out->probe = keys;
		out->probe_n = keys->n;
	}
	dg_facts_cache_stats(p.cache, &out->cache_hits, &out->cache_misses);
	dg_facts_cache_close(p.cache);
	dg_facts_cache_close(p.words);
	free(p.v);
	return r;
}

int dg_schema_history_pruned_exact(const struct dg_schema_history *h)
{
	return !h->pruned || (!h->probe->overflow && h->probe->n == h->probe_n);
}

int dg_schema_history_build_in(struct dg_schema_history *out, struct dg_arena *a,
			       struct dg_source *src, struct dg_set *const *sets, size_t n_sets,
			       const struct dg_set *set)
{
	return build_in(out, a, src, sets, n_sets, set, 1);
}

int dg_schema_history_build(struct dg_schema_history *out, struct dg_arena *a,
			    struct dg_source *src, const struct dg_set *set)
{
	struct dg_set *one = (struct dg_set *)set;
	return build_in(out, a, src, &one, 1, set, 1);
}

int dg_schema_history_build_lazy(struct dg_schema_history *out, struct dg_arena *a,
				 struct dg_source *src, const struct dg_set *set)
{
	struct dg_set *one = (struct dg_set *)set;
	return build_in(out, a, src, &one, 1, set, 0);
}

int dg_schema_history_text(struct dg_schema_history *h, struct dg_sql_file *f,
			   const struct dg_migration *m)
{
	if (f->data)
		return 0;
	const char *data;
	size_t len;
	if (sql_text(h->arena, h->src, m, &data, &len) < 0)
		return -1;
	if (!data || dg_facts_attach_text(h->arena, f, data, len) < 0)
		return dg_error("%s: not the file whose facts were cached", m->path);
	return 0;
}

const char *dg_schema_history_error(const struct dg_schema_history *h, const struct dg_migration *m)
{
	for (size_t i = 0; i < h->n_errors; i++)
		if (h->errors[i].m == m)
			return h->errors[i].message;
	return NULL;
}

/* Where m is in the replay order, or h->n when it is not replayed. */
static size_t order_of(const struct dg_schema_history *h, const struct dg_migration *m)
{
	if (!h->order_of) {
		/* a Python history (several Django apps): no index, search */
		for (size_t i = 0; i < h->n; i++)
			if (h->order[i] == m)
				return i;
		return h->n;
	}
	if (m < h->migs || m >= h->migs + h->n_migs)
		return h->n;
	long i = h->order_of[m - h->migs];
	return i < 0 ? h->n : (size_t)i;
}

struct dg_sql_file *dg_schema_history_file(const struct dg_schema_history *h,
					   const struct dg_migration *m, int *parsed)
{
	size_t i = order_of(h, m);
	if (i < h->n) {
		/* Python files are always translated in full; SQL ones may come from the cache */
		*parsed = !h->parsed || h->parsed[i];
		return &h->files[i];
	}
	*parsed = 1;
	for (size_t k = 0; k < h->n_extra; k++)
		if (h->extra[k] == m)
			return &h->extra_files[k];
	*parsed = 0;
	return NULL;
}

struct dg_history_up {
	const char *key;           /* dg_version_key of its version */
	size_t len;
	const struct dg_migration *m;
};

/* By version key, then the set's order (the first of equal versions wins). */
static int cmp_up(const void *a, const void *b)
{
	const struct dg_history_up *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	if (!c && x->len != y->len)
		c = x->len < y->len ? -1 : 1;
	return c ? c : (x->m > y->m) - (x->m < y->m);
}

/* Index the set's up migrations by version, once: every down script of a long set asks. */
static void index_ups(struct dg_schema_history *h)
{
	h->ups = dg_alloc(h->arena, (h->n_migs + 1) * sizeof(*h->ups));
	for (size_t i = 0; i < h->n_migs; i++) {
		const struct dg_migration *u = &h->migs[i];
		if (u->undo || u->repeatable || !u->version)
			continue;
		struct dg_history_up *e = &h->ups[h->n_ups++];
		e->key = dg_version_key(h->arena, u->version, &e->len);
		e->m = u;
	}
	if (h->n_ups > 1)
		qsort(h->ups, h->n_ups, sizeof(*h->ups), cmp_up);
}

/* The up migration a down / undo script undoes: the same version in the same set, not undo. */
static const struct dg_migration *up_of(struct dg_schema_history *h, const struct dg_migration *m)
{
	if (!m->version || m < h->migs || m >= h->migs + h->n_migs)
		return NULL;
	if (!h->ups)
		index_ups(h);
	/* the first entry not below (m's key, the lowest address): the first up of that version */
	struct dg_history_up want = { NULL, 0, NULL };
	want.key = dg_version_key(h->arena, m->version, &want.len);
	size_t lo = 0, hi = h->n_ups;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_up(&h->ups[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == h->n_ups || h->ups[lo].len != want.len || memcmp(h->ups[lo].key, want.key, want.len))
		return NULL;
	return h->ups[lo].m;
}

size_t dg_schema_history_place(struct dg_schema_history *h, const struct dg_migration *m)
{
	size_t i = order_of(h, m);
	if (i < h->n)
		return 2 * i;
	const struct dg_migration *u = m->undo || dg_migration_is_rollback_path(m->path) ?
		up_of(h, m) : NULL;
	size_t k = u ? order_of(h, u) : h->n;
	return k < h->n ? 2 * k + 1 : 2 * h->n;
}

const struct dg_schema *dg_schema_history_before(struct dg_schema_history *h,
						 const struct dg_migration *m)
{
	size_t i = order_of(h, m);
	if (i == h->n && (m->undo || dg_migration_is_rollback_path(m->path))) {
		/* a down script runs right after its up migration: judged on that state */
		const struct dg_migration *u = up_of(h, m);
		size_t k = u ? order_of(h, u) : h->n;
		if (k + 1 < h->n)
			return dg_schema_history_before(h, h->order[k + 1]);
		return h->final;
	}
	if (i == h->n)
		return h->final;
	if (i + 1 == h->n && h->before_last)
		return h->before_last;
	if (i < h->pos) {
		/* asked out of order: start again */
		h->cur = dg_schema_new(h->arena);
		dg_schema_set_probe(h->cur, h->probe);
		h->pos = 0;
	}
	struct dg_replay_opts ro = { NULL, 1 };
	for (; h->pos < i; h->pos++)
		dg_schema_replay_file(h->cur, &h->files[h->pos], &ro);
	h->cur->final = h->final;
	return h->cur;
}
