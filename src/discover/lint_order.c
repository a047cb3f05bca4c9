/*
 * The order in which a set's migrations are linted (migrations.h): the
 * replay order, with every down / undo script placed right after the up
 * migration it undoes, so that each file is judged on the schema it runs
 * against and the history is replayed once, forward.
 */
#include <stdlib.h>

#include "discover/migrations.h"

static int version_order(const void *a, const void *b)
{
	return dg_version_cmp((*(const struct dg_migration *const *)a)->version,
			      (*(const struct dg_migration *const *)b)->version);
}

/* The set's down / undo scripts with a version, sorted by it. */
static const struct dg_migration **sorted_downs(struct dg_arena *a, const struct dg_set *set,
						size_t *n)
{
	const struct dg_migration **v = dg_alloc(a, (set->n_migs + 1) * sizeof(*v));
	*n = 0;
	for (size_t i = 0; i < set->n_migs; i++)
		if (set->migs[i].undo && set->migs[i].version)
			v[(*n)++] = &set->migs[i];
	if (*n > 1)
		qsort(v, *n, sizeof(*v), version_order);
	return v;
}

int dg_set_lint_order(struct dg_arena *a, const struct dg_set *set,
		      const struct dg_migration ***out, size_t *n_out)
{
	const struct dg_migration **order;
	size_t n, n_downs, k = 0;
	if (dg_set_order(a, set, &order, &n) < 0)
		return -1;
	const struct dg_migration **downs = sorted_downs(a, set, &n_downs);
	const struct dg_migration **all = dg_alloc(a, (set->n_migs + n + 1) * sizeof(*all));
	char *seen = dg_alloc(a, set->n_migs + 1);
	for (size_t i = 0; i < n; i++) {
		const struct dg_migration *m = order[i];
		all[k++] = m;
		if (dg_set_holds(set, m))
			seen[m - set->migs] = 1;
		if (!n_downs || m->undo || !m->version)
			continue;
		size_t lo = 0, hi = n_downs; /* the first down script of m's version */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (dg_version_cmp(downs[mid]->version, m->version) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < n_downs && !dg_version_cmp(downs[lo]->version, m->version); lo++) {
			size_t d = (size_t)(downs[lo] - set->migs);
			if (!seen[d]) {
				all[k++] = downs[lo];
				seen[d] = 1;
			}
		}
	}
	for (size_t i = 0; i < set->n_migs; i++)
		if (!seen[i])
			all[k++] = &set->migs[i];
	*out = all;
	*n_out = k;
	return 0;
}
