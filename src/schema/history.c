/* Replay of a whole migration set, and the schema before each migration. */
#include "schema/history.h"

#include "schema/facts.h"

#include <stdlib.h>
#include <string.h>

int dg_schema_history_build(struct dg_schema_history *out, struct dg_arena *a,
			    struct dg_source *src, const struct dg_set *set)
{
	memset(out, 0, sizeof(*out));
	out->arena = a;
	out->final = dg_schema_new(a);
	out->final->final = out->final;
	out->cur = dg_schema_new(a);
	if (set->cfg.format != DG_FORMAT_SQL)
		return 0; /* Python migrations: their operations are not followed */
	const struct dg_migration **order;
	size_t n;
	if (dg_set_order(a, set, &order, &n) < 0)
		return -1;
	struct dg_facts_cache *cache = dg_facts_cache_open();
	out->order = dg_alloc(a, (n + 1) * sizeof(*out->order));
	out->files = dg_alloc(a, (n + 1) * sizeof(*out->files));
	out->parsed = dg_alloc(a, n + 1);
	out->migs = set->migs;
	out->n_migs = set->n_migs;
	out->order_of = dg_alloc(a, (set->n_migs + 1) * sizeof(*out->order_of));
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
		const char *data = m->data;
		size_t len = m->len;
		if (!data) {
			char *owned;
			if (!src || !dg_source_exists(src, m->path))
				continue; /* a sqitch change without a deploy script */
			if (src->read(src, m->path, &owned, &len) < 0) {
				dg_facts_cache_close(cache);
				return -1;
			}
			data = dg_strndup(a, owned, len);
			free(owned);
		}
		struct dg_sql_file *f = &out->files[out->n];
		if (m >= set->migs && m < set->migs + set->n_migs)
			out->order_of[m - set->migs] = (long)out->n;
		out->parsed[out->n] = !dg_facts_cache_parse(cache, a, f, m->blob_id, m->path, data, len);
		out->order[out->n++] = m;
		if (i == last) {
			/*
			 * Hooks and ci mostly lint the newest migration: keep the
			 * state before it (a copy-on-write clone) so that asking
			 * for it does not replay the whole history a second time.
			 */
			out->before_last = dg_schema_clone(a, out->final);
			out->before_last->final = out->final;
		}
		dg_schema_replay_file(out->final, f, NULL);
	}
	dg_facts_cache_stats(cache, &out->cache_hits, &out->cache_misses);
	dg_facts_cache_close(cache);
	return 0;
}

/* Where m is in the replay order, or h->n when it is not replayed. */
static size_t order_of(const struct dg_schema_history *h, const struct dg_migration *m)
{
	if (!h->order_of || m < h->migs || m >= h->migs + h->n_migs)
		return h->n;
	long i = h->order_of[m - h->migs];
	return i < 0 ? h->n : (size_t)i;
}

struct dg_sql_file *dg_schema_history_file(const struct dg_schema_history *h,
					   const struct dg_migration *m, int *parsed)
{
	size_t i = order_of(h, m);
	*parsed = i < h->n && h->parsed[i];
	return i < h->n ? &h->files[i] : NULL;
}

const struct dg_schema *dg_schema_history_before(struct dg_schema_history *h,
						 const struct dg_migration *m)
{
	size_t i = order_of(h, m);
	if (i == h->n)
		return h->final;
	if (i + 1 == h->n && h->before_last)
		return h->before_last;
	if (i < h->pos) {
		/* asked out of order: start again */
		h->cur = dg_schema_new(h->arena);
		h->pos = 0;
	}
	struct dg_replay_opts ro = { NULL, 1 };
	for (; h->pos < i; h->pos++)
		dg_schema_replay_file(h->cur, &h->files[h->pos], &ro);
	h->cur->final = h->final;
	return h->cur;
}
