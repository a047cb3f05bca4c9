/*
 * Fuzz target: symbolic links in git sources (src/git/links.c), over a
 * made-up tree. Each input line is an entry: "path" a file, "path -> target"
 * a symbolic link, "path @" a submodule. Every entry is resolved and the
 * whole tree walked (and each link walked as a directory). Invariants: a
 * resolved path is normalised, inside the tree, and names what the lookup
 * says; a walk ends, lists paths in strictly increasing order, each
 * normalised, a followed file's real path a file of the tree, and no more
 * entries than the tree and the directory-link budget allow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "git/git_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ENTRIES 512

struct fake {
	char *path;
	unsigned int mode;
	char *target;
};

struct tree {
	struct fake *v;
	size_t n;
};

static int cmp_fake(const void *a, const void *b)
{
	return strcmp(((const struct fake *)a)->path, ((const struct fake *)b)->path);
}

/* A path as a git tree holds it: no empty, "." or ".." part, nothing absolute. */
static int normalised(const char *p)
{
	if (!*p || *p == '/')
		return 0;
	for (const char *s = p;;) {
		const char *e = strchr(s, '/');
		size_t l = e ? (size_t)(e - s) : strlen(s);
		if (!l || (l == 1 && s[0] == '.') || (l == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		if (!e)
			return 1;
		s = e + 1;
	}
}

static void oid_of(git_oid *id, size_t i)
{
	memset(id, 0, sizeof(*id));
	memcpy(id->id, &i, sizeof(i));
	id->id[GIT_OID_RAWSZ - 1] = 1; /* never the zero id */
}

static size_t index_of(const git_oid *id)
{
	size_t i;
	memcpy(&i, id->id, sizeof(i));
	return i;
}

static size_t lower(const struct tree *t, const char *key)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(t->v[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static unsigned int lookup(void *impl, const char *path, git_oid *id)
{
	struct tree *t = impl;
	size_t i = lower(t, path);
	if (i < t->n && !strcmp(t->v[i].path, path)) {
		oid_of(id, i);
		return t->v[i].mode;
	}
	size_t l = strlen(path);
	char *prefix = dg_xmalloc(l + 2);
	memcpy(prefix, path, l);
	prefix[l] = '/';
	prefix[l + 1] = '\0';
	i = lower(t, prefix);
	unsigned int mode = !l || (i < t->n && !strncmp(t->v[i].path, prefix, l + 1))
				? GIT_FILEMODE_TREE : 0;
	free(prefix);
	memset(id, 0, sizeof(*id));
	return mode;
}

static int list(void *impl, const char *dir, dg_git_raw_cb cb, void *payload)
{
	struct tree *t = impl;
	size_t l = strlen(dir);
	char *prefix = dg_xmalloc(l + 2);
	memcpy(prefix, dir, l);
	prefix[l] = l ? '/' : '\0';
	prefix[l + 1] = '\0';
	int r = 0;
	for (size_t i = lower(t, prefix); i < t->n && !r; i++) {
		if (strncmp(t->v[i].path, prefix, strlen(prefix)))
			break;
		git_oid id;
		oid_of(&id, i);
		r = cb(t->v[i].path, t->v[i].mode, &id, payload);
	}
	free(prefix);
	return r;
}

static int read_link(void *impl, const git_oid *id, char **out, size_t *len)
{
	struct tree *t = impl;
	size_t i = index_of(id);
	if (i >= t->n || !t->v[i].target)
		abort(); /* only links are read as links */
	*out = dg_xstrdup(t->v[i].target);
	*len = strlen(*out);
	return 0;
}

struct seen {
	struct dg_git_entries *e;
	char *last;
	size_t n;
};

static int seen_cb(const struct dg_entry *de, void *payload)
{
	struct seen *s = payload;
	if (!normalised(de->path) || (s->last && strcmp(s->last, de->path) >= 0))
		abort(); /* normalised, strictly in path order */
	free(s->last);
	s->last = dg_xstrdup(de->path);
	s->n++;
	if (de->kind == DG_ENTRY_BROKEN && (!de->problem || !*de->problem))
		abort(); /* a link not followed says why */
	if (de->kind == DG_ENTRY_FILE && de->real) {
		git_oid id;
		unsigned int m = lookup(s->e->impl, de->real, &id);
		if (!normalised(de->real) ||
		    (m != GIT_FILEMODE_BLOB && m != GIT_FILEMODE_BLOB_EXECUTABLE))
			abort(); /* a followed file is a file of the tree */
	}
	return 0;
}

static void walk(struct dg_git_entries *e, const char *dir, size_t bound)
{
	struct seen s = {e, NULL, 0};
	if (dg_git_walk_links(e, dir, seen_cb, &s) != 0)
		abort();
	if (s.n > bound)
		abort();
	free(s.last);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tree t = {dg_xcalloc(MAX_ENTRIES, sizeof(struct fake)), 0};
	char *text = dg_xstrndup((const char *)data, size);
	for (char *p = text; *p && t.n < MAX_ENTRIES;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		struct fake f = {p, GIT_FILEMODE_BLOB, NULL};
		char *arrow = strstr(p, " -> ");
		size_t l = strlen(p);
		if (arrow) {
			*arrow = '\0';
			f.mode = GIT_FILEMODE_LINK;
			f.target = arrow + 4;
		} else if (l >= 2 && !strcmp(p + l - 2, " @")) {
			p[l - 2] = '\0';
			f.mode = GIT_FILEMODE_COMMIT;
		}
		if (normalised(f.path))
			t.v[t.n++] = f;
		if (!nl)
			break;
		p = nl + 1;
	}
	if (t.n > 1)
		qsort(t.v, t.n, sizeof(*t.v), cmp_fake);
	/* a tree cannot hold "a" and "a/b", nor one path twice: keep the first */
	size_t w = 0;
	for (size_t i = 0; i < t.n; i++) {
		int clash = 0;
		for (size_t k = 0; k < w && !clash; k++) {
			size_t lk = strlen(t.v[k].path), li = strlen(t.v[i].path);
			clash = !strcmp(t.v[k].path, t.v[i].path) ||
				(lk < li && !strncmp(t.v[k].path, t.v[i].path, lk) && t.v[i].path[lk] == '/') ||
				(li < lk && !strncmp(t.v[k].path, t.v[i].path, li) && t.v[k].path[li] == '/');
		}
		if (!clash)
			t.v[w++] = t.v[i];
	}
	t.n = w;

	struct dg_git_entries e;
	memset(&e, 0, sizeof(e));
	e.impl = &t;
	e.lookup = lookup;
	e.list = list;
	e.read_link = read_link;

	for (size_t i = 0; i < t.n; i++) {
		struct dg_git_resolved res;
		if (dg_git_link_resolve(&e, t.v[i].path, &res) == 0) {
			git_oid id;
			if (*res.path && !normalised(res.path))
				abort();
			unsigned int m = *res.path ? lookup(&t, res.path, &id) : GIT_FILEMODE_TREE;
			if (m != res.mode || m == GIT_FILEMODE_LINK || res.links > 40)
				abort();
		} else if (!res.problem || !*res.problem) {
			abort();
		}
		dg_git_resolved_release(&res);
	}
	/* every entry once, or through a directory link: 16 levels of them, a budget */
	size_t bound = 100000 + 17 * (t.n + 1) * 17;
	walk(&e, "", bound);
	for (size_t i = 0, k = 0; i < t.n && k < 8; i++)
		if (t.v[i].mode == GIT_FILEMODE_LINK) {
			walk(&e, t.v[i].path, bound); /* a directory named through a link */
			k++;
		}
	free(t.v);
	free(text);
	return 0;
}
