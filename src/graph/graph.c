/*
 * Graph facts of a migration set: Alembic heads grouped by branch label,
 * Django leaf nodes per app (squashes replace their nodes, as Django does
 * when nothing is applied), SQL duplicate versions, dangling references,
 * and the comparison with the target branch's copy of the set.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"

/* ---- a string -> index map (open addressing) ---- */

struct smap {
	const char **keys;
	size_t *vals;
	size_t cap;
};

static size_t shash(const char *s)
{
	size_t h = 5381;
	while (*s)
		h = h * 33 ^ (unsigned char)*s++;
	return h;
}

static void smap_init(struct smap *m, size_t n)
{
	m->cap = 16;
	while (m->cap < n * 2 + 1)
		m->cap *= 2;
	m->keys = dg_xcalloc(m->cap, sizeof(*m->keys));
	m->vals = dg_xcalloc(m->cap, sizeof(*m->vals));
}

static void smap_release(struct smap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* Insert unless present; returns the stored value. */
static size_t smap_put(struct smap *m, const char *k, size_t v)
{
	size_t i = shash(k) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], k))
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = k;
	m->vals[i] = v;
	return v;
}

static int smap_get(const struct smap *m, const char *k, size_t *out)
{
	if (!m->cap)
		return 0;
	size_t i = shash(k) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], k)) {
			*out = m->vals[i];
			return 1;
		}
		i = (i + 1) & (m->cap - 1);
	}
	return 0;
}

/* ---- growable arrays of results ---- */

#define PUSH_ARENA(a, arr, n, item)                                                                \
	do {                                                                                       \
		/* results are few: grow by copying into the arena */                              \
		void *dg_np_ = dg_alloc((a), ((n) + 1) * sizeof(*(arr)));                          \
		if (n)                                                                             \
			memcpy(dg_np_, (arr), (n) * sizeof(*(arr)));                               \
		(arr) = dg_np_;                                                                    \
		(arr)[(n)++] = (item);                                                             \
	} while (0)

static int cmp_mig_id(const void *a, const void *b)
{
	const struct dg_migration *x = *(const struct dg_migration *const *)a;
	const struct dg_migration *y = *(const struct dg_migration *const *)b;
	return strcmp(x->id, y->id);
}

static int cmp_mig_path(const void *a, const void *b)
{
	const struct dg_migration *x = *(const struct dg_migration *const *)a;
	const struct dg_migration *y = *(const struct dg_migration *const *)b;
	return strcmp(x->path, y->path);
}

static void add_missing(struct dg_arena *a, struct dg_graph *g, const struct dg_migration *m,
			const char *ref, const char *what, int line)
{
	struct dg_graph_missing x = {m, ref, what, line ? line : m->line};
	PUSH_ARENA(a, g->missing, g->n_missing, x);
}

/* ---- Alembic ---- */

struct alembic {
	const struct dg_set *set;
	struct smap ids, labels;
	char *referenced;
	/* resolved depends_on: index of the revision, per migration */
	size_t **deps;
	size_t *n_deps;
};

static void alembic_init(struct alembic *al, const struct dg_set *set)
{
	memset(al, 0, sizeof(*al));
	al->set = set;
	smap_init(&al->ids, set->n_migs);
	smap_init(&al->labels, set->n_migs);
	al->referenced = dg_xcalloc(set->n_migs + 1, 1);
	al->deps = dg_xcalloc(set->n_migs + 1, sizeof(*al->deps));
	al->n_deps = dg_xcalloc(set->n_migs + 1, sizeof(*al->n_deps));
	for (size_t i = 0; i < set->n_migs; i++) {
		smap_put(&al->ids, set->migs[i].id, i);
		for (size_t k = 0; k < set->migs[i].n_branch_labels; k++)
			smap_put(&al->labels, set->migs[i].branch_labels[k], i);
	}
	for (size_t i = 0; i < set->n_migs; i++) {
		const struct dg_migration *m = &set->migs[i];
		size_t j;
		for (size_t k = 0; k < m->n_parents; k++)
			if (smap_get(&al->ids, m->parents[k], &j))
				al->referenced[j] = 1;
		if (m->n_depends_on)
			al->deps[i] = dg_xcalloc(m->n_depends_on, sizeof(**al->deps));
		for (size_t k = 0; k < m->n_depends_on; k++)
			if (smap_get(&al->ids, m->depends_on[k], &j) ||
			    smap_get(&al->labels, m->depends_on[k], &j)) {
				al->referenced[j] = 1;
				al->deps[i][al->n_deps[i]++] = j;
			}
	}
}

static void alembic_release(struct alembic *al)
{
	smap_release(&al->ids);
	smap_release(&al->labels);
	for (size_t i = 0; i < al->set->n_migs; i++)
		free(al->deps[i]);
	free(al->deps);
	free(al->n_deps);
	free(al->referenced);
}

static int is_dup_shadow(const struct alembic *al, size_t i)
{
	size_t j;
	return smap_get(&al->ids, al->set->migs[i].id, &j) && j != i;
}

int dg_graph_alembic_heads(struct dg_arena *a, const struct dg_set *set,
			   const struct dg_migration ***out, size_t *n)
{
	struct alembic al;
	alembic_init(&al, set);
	const struct dg_migration **h = set->n_migs ? dg_alloc(a, set->n_migs * sizeof(*h)) : NULL;
	size_t k = 0;
	for (size_t i = 0; i < set->n_migs; i++)
		if (!al.referenced[i] && !is_dup_shadow(&al, i))
			h[k++] = &set->migs[i];
	if (k > 1)
		qsort(h, k, sizeof(*h), cmp_mig_id);
	alembic_release(&al);
	*out = h;
	*n = k;
	return 0;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The branch labels a head carries: those declared on it and its down_revision ancestors. */
static const char *head_labels(struct dg_arena *a, struct alembic *al, size_t head)
{
	const struct dg_set *set = al->set;
	char *seen = dg_xcalloc(set->n_migs, 1);
	size_t *stack = dg_xmalloc((set->n_migs + 1) * sizeof(*stack));
	const char **labels = NULL;
	size_t nl = 0, cl = 0, sp = 0;
	stack[sp++] = head;
	seen[head] = 1;
	while (sp) {
		size_t i = stack[--sp];
		const struct dg_migration *m = &set->migs[i];
		for (size_t k = 0; k < m->n_branch_labels; k++)
			DG_PUSH(labels, nl, cl, m->branch_labels[k]);
		for (size_t k = 0; k < m->n_parents; k++) {
			size_t j;
			if (smap_get(&al->ids, m->parents[k], &j) && !seen[j]) {
				seen[j] = 1;
				stack[sp++] = j;
			}
		}
	}
	if (nl > 1)
		qsort(labels, nl, sizeof(*labels), cmp_cstr);
	struct dg_buf b = DG_BUF_INIT;
	for (size_t k = 0; k < nl; k++) {
		if (k && !strcmp(labels[k], labels[k - 1]))
			continue;
		if (b.len)
			dg_buf_adds(&b, ", ");
		dg_buf_adds(&b, labels[k]);
	}
	const char *r = dg_strndup(a, b.ptr ? b.ptr : "", b.len);
	dg_buf_release(&b);
	free(labels);
	free(stack);
	free(seen);
	return r;
}

static void build_alembic(struct dg_arena *a, struct dg_graph *g, const struct dg_set *set)
{
	struct alembic al;
	alembic_init(&al, set);
	/* duplicate ids */
	for (size_t i = 0; i < set->n_migs; i++) {
		size_t first;
		smap_get(&al.ids, set->migs[i].id, &first);
		if (first != i)
			continue;
		const struct dg_migration **v = NULL;
		size_t n = 0;
		for (size_t j = i; j < set->n_migs; j++)
			if (!strcmp(set->migs[j].id, set->migs[i].id))
				PUSH_ARENA(a, v, n, &set->migs[j]);
		if (n > 1) {
			if (n > 1)
				qsort(v, n, sizeof(*v), cmp_mig_path);
			struct dg_graph_dup d = {set->migs[i].id, v, n, NULL};
			PUSH_ARENA(a, g->dups, g->n_dups, d);
		}
	}
	/* dangling references */
	for (size_t i = 0; i < set->n_migs; i++) {
		const struct dg_migration *m = &set->migs[i];
		size_t j;
		for (size_t k = 0; k < m->n_parents; k++)
			if (!smap_get(&al.ids, m->parents[k], &j))
				add_missing(a, g, m, m->parents[k], "down_revision",
					    m->parents_line);
		for (size_t k = 0; k < m->n_depends_on; k++)
			if (!smap_get(&al.ids, m->depends_on[k], &j) &&
			    !smap_get(&al.labels, m->depends_on[k], &j))
				add_missing(a, g, m, m->depends_on[k], "depends_on",
					    m->depends_line);
	}
	/* heads, grouped by the branch labels they carry */
	size_t *heads = dg_xmalloc((set->n_migs + 1) * sizeof(*heads));
	const char **keys = dg_xmalloc((set->n_migs + 1) * sizeof(*keys));
	size_t nh = 0;
	for (size_t i = 0; i < set->n_migs; i++)
		if (!al.referenced[i] && !is_dup_shadow(&al, i)) {
			keys[nh] = head_labels(a, &al, i);
			heads[nh++] = i;
		}
	char *done = dg_xcalloc(nh + 1, 1);
	for (size_t x = 0; x < nh; x++) {
		if (done[x])
			continue;
		const struct dg_migration **v = NULL;
		size_t n = 0;
		for (size_t y = x; y < nh; y++)
			if (!done[y] && !strcmp(keys[x], keys[y])) {
				done[y] = 1;
				PUSH_ARENA(a, v, n, &set->migs[heads[y]]);
			}
		if (n > 1) {
			if (n > 1)
				qsort(v, n, sizeof(*v), cmp_mig_id);
			struct dg_graph_heads c = {keys[x], NULL, v, n};
			PUSH_ARENA(a, g->conflicts, g->n_conflicts, c);
		}
	}
	free(done);
	free(keys);
	free(heads);
	alembic_release(&al);
}

/* ---- Django ---- */

struct djnode {
	const struct dg_migration *m;
	const char *app;
	size_t rep; /* the node standing for it after squashes (itself if none) */
	int removed;
};

struct django {
	struct djnode *nodes;
	size_t n;
	struct smap keys;     /* "app.name" -> node */
	struct smap apps;     /* app -> 1 */
	struct smap replaced; /* replaced key -> squash node */
};

static void django_init(struct django *dj, struct dg_set *const *all, size_t n_all)
{
	memset(dj, 0, sizeof(*dj));
	size_t total = 0;
	for (size_t s = 0; s < n_all; s++)
		if (all[s]->cfg.format == DG_FORMAT_DJANGO)
			total += all[s]->n_migs;
	dj->nodes = dg_xcalloc(total + 1, sizeof(*dj->nodes));
	smap_init(&dj->keys, total);
	smap_init(&dj->apps, total);
	smap_init(&dj->replaced, total);
	for (size_t s = 0; s < n_all; s++) {
		if (all[s]->cfg.format != DG_FORMAT_DJANGO)
			continue;
		for (size_t i = 0; i < all[s]->n_migs; i++) {
			const struct dg_migration *m = &all[s]->migs[i];
			dj->nodes[dj->n].m = m;
			dj->nodes[dj->n].app = m->app;
			dj->nodes[dj->n].rep = dj->n;
			smap_put(&dj->keys, m->id, dj->n);
			smap_put(&dj->apps, m->app, 1);
			dj->n++;
		}
	}
	/* squashes: with nothing applied, Django uses them instead of what they replace */
	for (size_t i = 0; i < dj->n; i++) {
		const struct dg_migration *m = dj->nodes[i].m;
		for (size_t k = 0; k < m->n_replaces; k++) {
			smap_put(&dj->replaced, m->replaces[k], i);
			size_t j;
			if (smap_get(&dj->keys, m->replaces[k], &j) && j != i)
				dj->nodes[j].removed = 1;
		}
	}
	for (size_t i = 0; i < dj->n; i++) {
		size_t r = i, steps = 0;
		while (dj->nodes[r].removed && steps++ < dj->n) {
			size_t sq;
			if (!smap_get(&dj->replaced, dj->nodes[r].m->id, &sq) || sq == r)
				break;
			r = sq;
		}
		dj->nodes[i].rep = r;
	}
}

static void django_release(struct django *dj)
{
	free(dj->nodes);
	smap_release(&dj->keys);
	smap_release(&dj->apps);
	smap_release(&dj->replaced);
}

/* The node a key stands for after squashes; 0 when it names no migration. */
static int django_resolve(const struct django *dj, const char *key, size_t *out)
{
	size_t j;
	if (smap_get(&dj->keys, key, &j)) {
		*out = dj->nodes[j].rep;
		return 1;
	}
	if (smap_get(&dj->replaced, key, &j)) { /* its file is gone; the squash stands for it */
		*out = dj->nodes[j].rep;
		return 1;
	}
	return 0;
}

static int app_known(const struct django *dj, const char *key, size_t *app_len)
{
	const char *dot = strchr(key, '.');
	if (!dot)
		return 0;
	*app_len = (size_t)(dot - key);
	char *app = dg_xstrndup(key, *app_len);
	size_t v;
	int r = smap_get(&dj->apps, app, &v);
	free(app);
	return r;
}

static const char *key_name(const char *key)
{
	const char *dot = strchr(key, '.');
	return dot ? dot + 1 : key;
}

/* Same-app edges after squashes: child[i] set when some live node of i's app depends on i. */
static void django_edges(const struct django *dj, char *has_child)
{
	for (size_t i = 0; i < dj->n; i++) {
		const struct djnode *nd = &dj->nodes[i];
		const struct dg_migration *m = nd->m;
		size_t child = nd->rep;
		for (size_t k = 0; k < m->n_parents; k++) {
			const char *name = key_name(m->parents[k]);
			if (!strcmp(name, "__first__") || !strcmp(name, "__latest__"))
				continue; /* same app: ignored; other apps: no same-app edge */
			size_t p;
			if (!django_resolve(dj, m->parents[k], &p) || p == child)
				continue;
			if (strcmp(dj->nodes[p].app, dj->nodes[child].app))
				continue;
			has_child[p] = 1;
		}
		for (size_t k = 0; k < m->n_run_before; k++) {
			size_t c;
			if (!django_resolve(dj, m->run_before[k], &c) || c == child)
				continue;
			if (strcmp(dj->nodes[c].app, dj->nodes[child].app))
				continue;
			has_child[child] = 1;
		}
	}
}

static size_t common_prefix(const char *x, const char *y)
{
	size_t n = 0;
	while (x[n] && x[n] == y[n])
		n++;
	return n;
}

static const char *set_app(const struct dg_set *s)
{
	return s->n_migs ? s->migs[0].app : NULL;
}

/*
 * The Django project a set belongs to: for every app label, the set of that
 * label nearest to it in the tree (itself for its own label), so that two
 * projects in one repository with an app "blog" each do not mix.
 */
static size_t django_view(const struct dg_set *set, struct dg_set *const *all, size_t n_all,
			  struct dg_set **view)
{
	size_t n = 0;
	for (size_t i = 0; i < n_all; i++) {
		const struct dg_set *s = all[i];
		const char *app = set_app(s);
		if (s->cfg.format != DG_FORMAT_DJANGO || !app)
			continue;
		size_t k;
		for (k = 0; k < n; k++)
			if (!strcmp(set_app(view[k]), app))
				break;
		if (k == n) {
			view[n++] = (struct dg_set *)s;
			continue;
		}
		if (view[k] == set)
			continue;
		if (s == set || common_prefix(s->cfg.path, set->cfg.path) >
				    common_prefix(view[k]->cfg.path, set->cfg.path))
			view[k] = (struct dg_set *)s;
	}
	return n;
}

static void build_django(struct dg_arena *a, struct dg_graph *g, const struct dg_set *set,
			 struct dg_set *const *all, size_t n_all)
{
	struct django dj;
	struct dg_set **view = dg_xcalloc(n_all + 1, sizeof(*view));
	size_t n_view = django_view(set, all, n_all, view);
	django_init(&dj, view, n_view);
	free(view);
	char *has_child = dg_xcalloc(dj.n + 1, 1);
	django_edges(&dj, has_child);
	const char *app = set->n_migs ? set->migs[0].app : NULL;
	const struct dg_migration **leaves = NULL;
	size_t nl = 0;
	for (size_t i = 0; i < dj.n; i++) {
		const struct djnode *nd = &dj.nodes[i];
		if (nd->rep != i || nd->removed || strcmp(nd->app, app ? app : ""))
			continue;
		/* only this set's nodes: a second directory with the same label is its own set */
		if (!dg_set_holds(set, nd->m))
			continue;
		if (!has_child[i])
			PUSH_ARENA(a, leaves, nl, nd->m);
	}
	if (nl > 1) {
		if (nl > 1)
			qsort(leaves, nl, sizeof(*leaves), cmp_mig_id);
		struct dg_graph_heads c = {"", app, leaves, nl};
		PUSH_ARENA(a, g->conflicts, g->n_conflicts, c);
	}
	/* dangling references into apps of the repository (others are third-party) */
	for (size_t i = 0; i < set->n_migs; i++) {
		const struct dg_migration *m = &set->migs[i];
		size_t al, p;
		for (size_t k = 0; k < m->n_parents; k++) {
			const char *name = key_name(m->parents[k]);
			if (!strcmp(name, "__first__") || !strcmp(name, "__latest__"))
				continue;
			if (app_known(&dj, m->parents[k], &al) &&
			    !django_resolve(&dj, m->parents[k], &p))
				add_missing(a, g, m, m->parents[k], "dependencies",
					    m->parents_line);
		}
		for (size_t k = 0; k < m->n_replaces; k++)
			if (app_known(&dj, m->replaces[k], &al) &&
			    !smap_get(&dj.keys, m->replaces[k], &p))
				add_missing(a, g, m, m->replaces[k], "replaces", m->replaces_line);
		for (size_t k = 0; k < m->n_run_before; k++)
			if (app_known(&dj, m->run_before[k], &al) &&
			    !django_resolve(&dj, m->run_before[k], &p))
				add_missing(a, g, m, m->run_before[k], "run_before",
					    m->run_before_line);
	}
	free(has_child);
	django_release(&dj);
}

/* ---- SQL ---- */

static int versioned(const struct dg_migration *m)
{
	return !m->repeatable && !m->undo && !m->baseline && m->version && *m->version;
}

static int cmp_version(const void *a, const void *b)
{
	const struct dg_migration *x = *(const struct dg_migration *const *)a;
	const struct dg_migration *y = *(const struct dg_migration *const *)b;
	int c = dg_version_cmp(x->version, y->version);
	return c ? c : strcmp(x->path, y->path);
}

struct vkey {
	const char *key;
	size_t len;
	const struct dg_migration *m;
};

static int cmp_vkey(const void *a, const void *b)
{
	const struct vkey *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	if (!c && x->len != y->len)
		c = x->len < y->len ? -1 : 1;
	return c ? c : strcmp(x->m->path, y->m->path);
}

/* Sort v as cmp_version does, comparing precomputed keys (a long history has thousands). */
static void sort_by_version(const struct dg_migration **v, size_t n)
{
	if (n < 2)
		return;
	struct dg_arena tmp;
	dg_arena_init(&tmp);
	struct vkey *k = dg_alloc(&tmp, n * sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		k[i].key = dg_version_key(&tmp, v[i]->version, &k[i].len);
		k[i].m = v[i];
	}
	qsort(k, n, sizeof(*k), cmp_vkey);
	for (size_t i = 0; i < n; i++)
		v[i] = k[i].m;
	dg_arena_release(&tmp);
}

/* One more than v in its last digit group, keeping the width ("0012" -> "0013"). */
static const char *version_next(struct dg_arena *a, const char *v)
{
	char *r = dg_alloc(a, strlen(v) + 2);
	strcpy(r + 1, v);
	r[0] = '0';
	size_t l = strlen(r);
	size_t i = l;
	while (i > 1 && !(r[i - 1] >= '0' && r[i - 1] <= '9'))
		i--;
	for (;;) {
		if (i == 0)
			break;
		char *c = &r[i - 1];
		if (*c < '0' || *c > '9') {
			/* carry into a new digit */
			memmove(c + 2, c + 1, strlen(c + 1) + 1);
			c[1] = '1';
			break;
		}
		if (*c != '9') {
			(*c)++;
			break;
		}
		*c = '0';
		i--;
	}
	return r[0] == '0' ? r + 1 : r;
}

static void build_sql(struct dg_arena *a, struct dg_graph *g, const struct dg_set *set)
{
	const struct dg_migration **v = set->n_migs ? dg_alloc(a, set->n_migs * sizeof(*v)) : NULL;
	size_t n = 0;
	if (set->scheme == DG_SCHEME_SQITCH) {
		struct smap ids;
		smap_init(&ids, set->n_migs);
		for (size_t i = 0; i < set->n_migs; i++)
			smap_put(&ids, set->migs[i].id, i);
		for (size_t i = 0; i < set->n_migs; i++) {
			const struct dg_migration *m = &set->migs[i];
			for (size_t k = 0; k < m->n_parents; k++) {
				size_t j;
				const char *ref = m->parents[k];
				const char *at = strchr(ref, '@');
				char *bare =
				    at ? dg_strndup(a, ref, (size_t)(at - ref)) : (char *)ref;
				if (!smap_get(&ids, bare, &j))
					add_missing(a, g, m, ref, "requires", m->parents_line);
			}
		}
		smap_release(&ids);
		return;
	}
	if (set->scheme == DG_SCHEME_NONE)
		return;
	for (size_t i = 0; i < set->n_migs; i++)
		if (versioned(&set->migs[i]))
			v[n++] = &set->migs[i];
	sort_by_version(v, n);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && !dg_version_cmp(v[i]->version, v[j]->version))
			j++;
		if (j - i > 1) {
			struct dg_graph_dup d = {v[i]->version,
						 dg_memdup(a, v + i, j - i, sizeof(*v)), j - i, NULL};
			PUSH_ARENA(a, g->dups, g->n_dups, d);
		}
		i = j;
	}
}

/* ---- against the target ---- */

static const struct dg_migration *find_path(const struct dg_migration **sorted, size_t n,
					    const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(sorted[mid]->path, path);
		if (!c)
			return sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct dg_migration **by_path(struct dg_arena *a, const struct dg_set *s)
{
	const struct dg_migration **v = s->n_migs ? dg_alloc(a, s->n_migs * sizeof(*v)) : NULL;
	for (size_t i = 0; i < s->n_migs; i++)
		v[i] = &s->migs[i];
	if (s->n_migs > 1)
		qsort(v, s->n_migs, sizeof(*v), cmp_mig_path);
	return v;
}

static int same_content(const struct dg_migration *x, const struct dg_migration *y)
{
	if (x->blob_id && y->blob_id)
		return !strcmp(x->blob_id, y->blob_id);
	if (!x->data || !y->data)
		return 1; /* cannot tell: say nothing */
	return x->len == y->len && !memcmp(x->data, y->data, x->len); /* no hash first: it would read every byte too */
}

static void build_target(struct dg_arena *a, struct dg_graph *g, const struct dg_set *set,
			 const struct dg_set *target)
{
	const struct dg_migration **now = by_path(a, set);
	const struct dg_migration **old = by_path(a, target);
	for (size_t i = 0; i < target->n_migs; i++) {
		const struct dg_migration *o = old[i];
		if (o->repeatable)
			continue; /* Flyway R__ files are meant to change */
		const struct dg_migration *c = find_path(now, set->n_migs, o->path);
		if (!c || !same_content(o, c)) {
			struct dg_graph_change ch = {o, c};
			PUSH_ARENA(a, g->changes, g->n_changes, ch);
		}
	}
	if (set->cfg.format != DG_FORMAT_SQL || set->scheme == DG_SCHEME_SQITCH ||
	    set->scheme == DG_SCHEME_NONE)
		return;
	const struct dg_migration *newest = NULL;
	for (size_t i = 0; i < target->n_migs; i++)
		if (versioned(&target->migs[i]) &&
		    (!newest || dg_version_cmp(target->migs[i].version, newest->version) > 0))
			newest = &target->migs[i];
	if (!newest)
		return;
	for (size_t i = 0; i < set->n_migs; i++) {
		const struct dg_migration *m = now[i];
		if (!versioned(m) || find_path(old, target->n_migs, m->path))
			continue;
		if (dg_version_cmp(m->version, newest->version) < 0) {
			struct dg_graph_late l = {m, newest};
			PUSH_ARENA(a, g->late, g->n_late, l);
		}
	}
}

/* The duplicate to renumber: the last by path that the target does not have (it ran there). */
static void choose_renames(struct dg_graph *g)
{
	for (size_t i = 0; i < g->n_dups; i++) {
		struct dg_graph_dup *d = &g->dups[i];
		d->rename = d->migs[d->n_migs - 1];
		for (size_t k = d->n_migs; k-- > 0;)
			if (!dg_graph_on_target(g, d->migs[k])) {
				d->rename = d->migs[k];
				break;
			}
	}
}

static void plan_rename(struct dg_arena *a, struct dg_graph *g, const struct dg_migration *m,
			const char **next)
{
	for (size_t i = 0; i < g->n_renames; i++)
		if (g->renames[i].m == m)
			return;
	struct dg_graph_rename r = {m, *next};
	PUSH_ARENA(a, g->renames, g->n_renames, r);
	*next = version_next(a, *next);
}

/*
 * Versions for the SQL migrations to renumber: after the newest of the set
 * and of the target (in ci the set is the merge, so the version is free
 * on the base, the branch and the merge), a distinct one for each.
 */
static void plan_renames(struct dg_arena *a, struct dg_graph *g, const struct dg_set *set,
			 const struct dg_set *target)
{
	if (set->cfg.format != DG_FORMAT_SQL || set->scheme == DG_SCHEME_SQITCH ||
	    set->scheme == DG_SCHEME_NONE)
		return;
	const struct dg_migration *max = NULL;
	const struct dg_set *sides[2] = {set, target};
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; sides[s] && i < sides[s]->n_migs; i++) {
			const struct dg_migration *m = &sides[s]->migs[i];
			const struct dg_migration *const pair[2] = {m, max};
			/* the last in replay order (version, then path), as the runner sees it */
			if (versioned(m) && (!max || cmp_version(&pair[0], &pair[1]) > 0))
				max = m;
		}
	if (!max)
		return;
	const char *next = version_next(a, max->version);
	g->next_version = next;
	for (size_t i = 0; i < g->n_dups; i++)
		plan_rename(a, g, g->dups[i].rename, &next);
	for (size_t i = 0; i < g->n_late; i++)
		plan_rename(a, g, g->late[i].m, &next);
}

int dg_graph_on_target(const struct dg_graph *g, const struct dg_migration *m)
{
	if (!g->target)
		return 0;
	return find_path(g->target_by_path, g->target->n_migs, m->path) != NULL;
}

const char *dg_graph_rename_to(const struct dg_graph *g, const struct dg_migration *m)
{
	for (size_t i = 0; i < g->n_renames; i++)
		if (g->renames[i].m == m)
			return g->renames[i].version;
	return NULL;
}

void dg_graph_origins(struct dg_arena *a, const struct dg_graph *g,
		      const struct dg_migration *const *migs, size_t n, const char **out)
{
	struct dg_source *src = g->source;
	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	if (!src || !src->origin || !n)
		return;
	const char **paths = dg_xcalloc(n, sizeof(*paths));
	char **got = dg_xcalloc(n, sizeof(*got));
	for (size_t i = 0; i < n; i++)
		paths[i] = migs[i]->path;
	if (src->origin(src, paths, n, got) < 0)
		dg_error_clear(); /* the finding stands without the commit */
	for (size_t i = 0; i < n; i++) {
		if (got[i])
			out[i] = dg_strdup(a, got[i]);
		free(got[i]);
	}
	free(paths);
	free(got);
}

int dg_graph_build(struct dg_arena *a, struct dg_graph *out, const struct dg_set *set,
		   struct dg_set *const *all, size_t n_all, const struct dg_set *target)
{
	memset(out, 0, sizeof(*out));
	out->set = set;
	out->target = target;
	out->target_name = "the target branch";
	switch (set->cfg.format) {
	case DG_FORMAT_ALEMBIC:
		build_alembic(a, out, set);
		break;
	case DG_FORMAT_DJANGO: {
		struct dg_set *self[1];
		if (!all) {
			self[0] = (struct dg_set *)set;
			all = self;
			n_all = 1;
		}
		build_django(a, out, set, all, n_all);
		break;
	}
	case DG_FORMAT_SQL:
		build_sql(a, out, set);
		break;
	}
	/*
	 * With a parent missing or a file unreadable the graph is incomplete:
	 * heads computed from it would be guesses, and the missing-parent
	 * finding already says what to fix.
	 */
	int incomplete = 0;
	for (size_t i = 0; i < out->n_missing; i++)
		if (strcmp(out->missing[i].what, "replaces"))
			incomplete = 1;
	for (size_t i = 0; i < set->n_migs; i++)
		if (set->migs[i].unreadable)
			incomplete = 1;
	if (incomplete)
		out->n_conflicts = 0;
	if (target) {
		out->target_by_path = by_path(a, target);
		build_target(a, out, set, target);
	}
	choose_renames(out);
	plan_renames(a, out, set, target);
	return 0;
}

const char *dg_graph_where(const struct dg_set *set, const struct dg_migration *m)
{
	if (set->scheme == DG_SCHEME_SQITCH && set->plan)
		return set->plan;
	return m->path;
}

const char *dg_graph_renamed(struct dg_arena *a, const struct dg_set *set,
			     const struct dg_migration *m, const char *version)
{
	const char *base = strrchr(m->path, '/');
	base = base ? base + 1 : m->path;
	if (set->scheme == DG_SCHEME_DIESEL) {
		/* the directory carries the version: <version>_<name>/up.sql */
		return dg_sprintf(a, "%s_%s/", version, m->description ? m->description : "");
	}
	if (set->scheme == DG_SCHEME_FLYWAY) {
		const char *sep = strstr(base, "__");
		return dg_sprintf(a, "%c%s%s", base[0], version, sep ? sep : "__.sql");
	}
	size_t d = 0;
	while (base[d] >= '0' && base[d] <= '9')
		d++;
	return dg_sprintf(a, "%s%s", version, base + d);
}

/* ---- replay order ---- */

static int cmp_mig_name(const void *a, const void *b)
{
	const struct dg_migration *x = *(const struct dg_migration *const *)a;
	const struct dg_migration *y = *(const struct dg_migration *const *)b;
	int c = strcmp(x->name ? x->name : x->id, y->name ? y->name : y->id);
	return c ? c : strcmp(x->path, y->path);
}

/* A min-heap of ranks: the ready node that sorts first comes out first. */
static void heap_push(size_t *h, size_t *n, size_t v)
{
	size_t i = (*n)++;
	h[i] = v;
	while (i && h[(i - 1) / 2] > h[i]) {
		size_t p = (i - 1) / 2, t = h[p];
		h[p] = h[i];
		h[i] = t;
		i = p;
	}
}

static size_t heap_pop(size_t *h, size_t *n)
{
	size_t top = h[0];
	h[0] = h[--(*n)];
	for (size_t i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < *n && h[l] < h[m])
			m = l;
		if (r < *n && h[r] < h[m])
			m = r;
		if (m == i)
			break;
		size_t t = h[m];
		h[m] = h[i];
		h[i] = t;
		i = m;
	}
	return top;
}

/*
 * Kahn's algorithm over the set's own edges; among ready nodes the one
 * first in `rank_order` goes first, so the result is stable. Nodes in a
 * cycle come last, in rank order.
 */
static void topo(struct dg_arena *a, const struct dg_set *set, size_t n, size_t **parents,
		 size_t *n_parents, const struct dg_migration **rank_order,
		 const struct dg_migration ***out, size_t *n_out, const char *skip)
{
	size_t *indeg = dg_xcalloc(n + 1, sizeof(*indeg));
	size_t **children = dg_xcalloc(n + 1, sizeof(*children));
	size_t *n_children = dg_xcalloc(n + 1, sizeof(*n_children));
	size_t *c_children = dg_xcalloc(n + 1, sizeof(*c_children));
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < n_parents[i]; k++) {
			size_t p = parents[i][k];
			DG_PUSH(children[p], n_children[p], c_children[p], i);
			indeg[i]++;
		}
	size_t *rank = dg_xcalloc(n + 1, sizeof(*rank)); /* rank -> node */
	size_t *rank_of = dg_xcalloc(n + 1, sizeof(*rank_of));
	for (size_t r = 0; r < n; r++) {
		rank[r] = (size_t)(rank_order[r] - set->migs);
		rank_of[rank[r]] = r;
	}
	const struct dg_migration **res = n ? dg_alloc(a, n * sizeof(*res)) : NULL;
	char *done = dg_xcalloc(n + 1, 1);
	size_t *heap = dg_xcalloc(n + 1, sizeof(*heap));
	size_t nh = 0, k = 0;
	for (size_t r = 0; r < n; r++)
		if (!indeg[rank[r]])
			heap_push(heap, &nh, r);
	while (nh) {
		size_t i = rank[heap_pop(heap, &nh)];
		done[i] = 1;
		if (!(skip && skip[i]))
			res[k++] = &set->migs[i];
		for (size_t c = 0; c < n_children[i]; c++)
			if (--indeg[children[i][c]] == 0)
				heap_push(heap, &nh, rank_of[children[i][c]]);
	}
	for (size_t r = 0; r < n; r++) {
		size_t i = rank[r];
		if (!done[i] && !(skip && skip[i]))
			res[k++] = &set->migs[i];
	}
	*out = res;
	*n_out = k;
	for (size_t i = 0; i < n; i++)
		free(children[i]);
	free(children);
	free(n_children);
	free(c_children);
	free(indeg);
	free(rank);
	free(rank_of);
	free(heap);
	free(done);
}

int dg_set_order(struct dg_arena *a, const struct dg_set *set, const struct dg_migration ***out,
		 size_t *n)
{
	size_t nm = set->n_migs;
	const struct dg_migration **v = nm ? dg_alloc(a, nm * sizeof(*v)) : NULL;
	size_t k = 0;
	if (set->cfg.format == DG_FORMAT_SQL) {
		if (set->scheme == DG_SCHEME_SQITCH || set->scheme == DG_SCHEME_NONE) {
			for (size_t i = 0; i < nm; i++)
				v[k++] = &set->migs[i];
		} else {
			for (size_t i = 0; i < nm; i++)
				if (versioned(&set->migs[i]))
					v[k++] = &set->migs[i];
			sort_by_version(v, k);
			/* Flyway runs repeatables after every versioned migration */
			size_t r0 = k;
			for (size_t i = 0; i < nm; i++)
				if (set->migs[i].repeatable)
					v[k++] = &set->migs[i];
			if (k - r0 > 1)
				qsort(v + r0, k - r0, sizeof(*v), cmp_mig_path);
		}
		*out = v;
		*n = k;
		return 0;
	}
	struct smap idx;
	smap_init(&idx, nm);
	for (size_t i = 0; i < nm; i++)
		smap_put(&idx, set->migs[i].id, i);
	size_t **parents = dg_xcalloc(nm + 1, sizeof(*parents));
	size_t *n_parents = dg_xcalloc(nm + 1, sizeof(*n_parents));
	char *skip = dg_xcalloc(nm + 1, 1);
	struct smap labels;
	smap_init(&labels, nm);
	struct smap replaced;
	smap_init(&replaced, nm);
	for (size_t i = 0; i < nm; i++) {
		const struct dg_migration *m = &set->migs[i];
		for (size_t j = 0; j < m->n_branch_labels; j++)
			smap_put(&labels, m->branch_labels[j], i);
		for (size_t j = 0; j < m->n_replaces; j++) {
			size_t r;
			smap_put(&replaced, m->replaces[j], i);
			if (smap_get(&idx, m->replaces[j], &r) && r != i)
				skip[r] = 1; /* the squash runs instead */
		}
	}
	for (size_t i = 0; i < nm; i++) {
		const struct dg_migration *m = &set->migs[i];
		size_t total = m->n_parents + m->n_depends_on + 1;
		parents[i] = dg_xcalloc(total, sizeof(**parents));
		for (size_t j = 0; j < m->n_parents + m->n_depends_on; j++) {
			const char *ref =
			    j < m->n_parents ? m->parents[j] : m->depends_on[j - m->n_parents];
			size_t p;
			if (!smap_get(&idx, ref, &p) && !smap_get(&labels, ref, &p) &&
			    !smap_get(&replaced, ref, &p))
				continue;
			while (skip[p]) { /* a replaced node: the squash stands for it */
				size_t sq;
				if (!smap_get(&replaced, set->migs[p].id, &sq) || sq == p)
					break;
				p = sq;
			}
			if (p != i)
				parents[i][n_parents[i]++] = p;
		}
	}
	const struct dg_migration **rank = nm ? dg_alloc(a, nm * sizeof(*rank)) : NULL;
	for (size_t i = 0; i < nm; i++)
		rank[i] = &set->migs[i];
	if (nm > 1)
		qsort(rank, nm, sizeof(*rank),
		      set->cfg.format == DG_FORMAT_DJANGO ? cmp_mig_name : cmp_mig_path);
	topo(a, set, nm, parents, n_parents, rank, out, n, skip);
	for (size_t i = 0; i < nm; i++)
		free(parents[i]);
	free(parents);
	free(n_parents);
	free(skip);
	smap_release(&idx);
	smap_release(&labels);
	smap_release(&replaced);
	(void)v;
	return 0;
}
