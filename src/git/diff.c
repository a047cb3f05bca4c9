/*
 * Which paths changed: tree to tree, tree to index, and over the commits
 * of a push (revwalk with the already-known tips hidden).
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "git/git.h"
#include "git/git_int.h"

void dg_changes_release(struct dg_changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct dg_change *)a)->path, ((const struct dg_change *)b)->path);
}

const struct dg_change *dg_changes_find(const struct dg_changes *c, const char *path)
{
	struct dg_change key = {(char *)path, DG_CHANGE_MODIFIED};
	if (!c->n)
		return NULL;
	return bsearch(&key, c->v, c->n, sizeof(*c->v), cmp_change);
}

/* Sort, and keep the first of equal paths (stable: earlier additions win). */
static void changes_normalize(struct dg_changes *c)
{
	if (c->n < 2)
		return;
	/* stability: qsort is not stable, so break ties on the original position */
	struct ent {
		struct dg_change ch;
		size_t pos;
	} *tmp = dg_xmalloc(c->n * sizeof(*tmp));
	for (size_t i = 0; i < c->n; i++) {
		tmp[i].ch = c->v[i];
		tmp[i].pos = i;
	}
	qsort(tmp, c->n, sizeof(*tmp), cmp_change); /* path first; ties fixed below */
	size_t o = 0;
	for (size_t i = 0; i < c->n;) {
		size_t j = i, best = i;
		while (j < c->n && !strcmp(tmp[j].ch.path, tmp[i].ch.path)) {
			if (tmp[j].pos < tmp[best].pos)
				best = j;
			j++;
		}
		for (size_t k = i; k < j; k++)
			if (k != best)
				free(tmp[k].ch.path);
		c->v[o++] = tmp[best].ch;
		i = j;
	}
	c->n = o;
	free(tmp);
}

static void changes_add(struct dg_changes *c, const char *path, enum dg_change_kind kind)
{
	struct dg_change ch = {dg_xstrdup(path), kind};
	DG_PUSH(c->v, c->n, c->cap, ch);
}

/* The tree of a commit, or NULL (and 0) for a NULL / zero oid. */
static int commit_tree(struct dg_repo *repo, const struct dg_oid *oid, git_tree **out)
{
	git_oid id;
	git_object *obj = NULL;
	char hex[DG_OID_HEXSZ + 1];
	*out = NULL;
	if (!oid || dg_oid_is_zero(oid))
		return 0;
	dg_git_oid_from(&id, oid);
	dg_oid_fmt(hex, oid);
	if (git_object_lookup(&obj, repo->repo, &id, GIT_OBJECT_ANY) < 0)
		return dg_error("commit %s is not in this repository", hex);
	int r = git_object_peel((git_object **)out, obj, GIT_OBJECT_TREE);
	git_object_free(obj);
	if (r < 0)
		return dg_error("%s: cannot read its tree", hex);
	return 0;
}

/* git's tree order: a directory's name sorts as if it ended in '/'. */
int dg_git_tree_order(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), l = la < lb ? la : lb;
	int c = memcmp(na, nb, l);
	if (c)
		return c;
	int ca = la > l ? (unsigned char)na[l]
			: git_tree_entry_type(a) == GIT_OBJECT_TREE ? '/' : 0;
	int cb = lb > l ? (unsigned char)nb[l]
			: git_tree_entry_type(b) == GIT_OBJECT_TREE ? '/' : 0;
	return ca - cb;
}

/* prefix + "/" + name (or name at the root) into b, from length base on. */
static void entry_path(struct dg_buf *b, size_t base, const git_tree_entry *e)
{
	b->len = base;
	if (base)
		dg_buf_addch(b, '/');
	dg_buf_adds(b, git_tree_entry_name(e));
}

static int diff_dirs(struct dg_repo *repo, git_tree *a, git_tree *b, struct dg_buf *path,
		     struct dg_changes *out);

/* A tree entry on one side only: the file, or every file under the directory. */
static int diff_one_side(struct dg_repo *repo, const git_tree_entry *e, int added,
			 struct dg_buf *path, struct dg_changes *out)
{
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		changes_add(out, dg_buf_cstr(path), added ? DG_CHANGE_ADDED : DG_CHANGE_DELETED);
		return 0;
	}
	git_tree *sub = NULL;
	if (git_tree_lookup(&sub, repo->repo, git_tree_entry_id(e)) < 0)
		return dg_git_fail(dg_buf_cstr(path));
	int r = diff_dirs(repo, added ? NULL : sub, added ? sub : NULL, path, out);
	git_tree_free(sub);
	return r;
}

/* One name on both sides (same kind: both directories or both not). */
static int diff_both(struct dg_repo *repo, const git_tree_entry *x, const git_tree_entry *y,
		     struct dg_buf *path, struct dg_changes *out)
{
	if (git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)) &&
	    git_tree_entry_filemode(x) == git_tree_entry_filemode(y))
		return 0; /* the same file, or a directory nothing under changed */
	if (git_tree_entry_type(x) != GIT_OBJECT_TREE) {
		changes_add(out, dg_buf_cstr(path), DG_CHANGE_MODIFIED);
		return 0;
	}
	git_tree *tx = NULL, *ty = NULL;
	int r = 0;
	if (git_tree_lookup(&tx, repo->repo, git_tree_entry_id(x)) < 0 ||
	    git_tree_lookup(&ty, repo->repo, git_tree_entry_id(y)) < 0)
		r = dg_git_fail(dg_buf_cstr(path));
	else
		r = diff_dirs(repo, tx, ty, path, out);
	git_tree_free(tx);
	git_tree_free(ty);
	return r;
}

/*
 * The files that differ between directories a and b (either may be NULL:
 * empty), walking both listings together in git's tree order. A
 * subdirectory with the same id on both sides is skipped unread, so an
 * untouched migrations directory costs nothing (libgit2's tree-to-tree
 * diff iterates every file of both trees). A name that is a file on one
 * side and a directory on the other sorts apart ("x" before "x/"): the
 * file is deleted or added, the directory's files added or deleted.
 */
static int diff_dirs(struct dg_repo *repo, git_tree *a, git_tree *b, struct dg_buf *path,
		     struct dg_changes *out)
{
	size_t base = path->len, i = 0, j = 0;
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	int r = 0;
	while (!r && (i < na || j < nb)) {
		const git_tree_entry *x = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *y = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !x ? 1 : !y ? -1 : dg_git_tree_order(x, y);
		entry_path(path, base, c <= 0 ? x : y);
		if (c < 0) {
			r = diff_one_side(repo, x, 0, path, out);
			i++;
		} else if (c > 0) {
			r = diff_one_side(repo, y, 1, path, out);
			j++;
		} else {
			r = diff_both(repo, x, y, path, out);
			i++;
			j++;
		}
	}
	path->len = base;
	return r;
}

/* The files that differ between trees a and b (either may be NULL: empty). */
static int diff_trees(struct dg_repo *repo, git_tree *a, git_tree *b, struct dg_changes *out)
{
	struct dg_buf path = DG_BUF_INIT;
	if (a && b && git_oid_equal(git_tree_id(a), git_tree_id(b)))
		return 0;
	int r = diff_dirs(repo, a, b, &path, out);
	dg_buf_release(&path);
	return r;
}

int dg_repo_diff_commits(struct dg_repo *repo, const struct dg_oid *from, const struct dg_oid *to,
			 struct dg_changes *out)
{
	git_tree *a = NULL, *b = NULL;
	memset(out, 0, sizeof(*out));
	if (commit_tree(repo, from, &a) < 0)
		return -1;
	if (commit_tree(repo, to, &b) < 0) {
		git_tree_free(a);
		return -1;
	}
	int r = diff_trees(repo, a, b, out);
	git_tree_free(a);
	git_tree_free(b);
	if (r < 0)
		dg_changes_release(out);
	else
		changes_normalize(out);
	return r;
}

/* The index against a tree: libgit2's diff (the index lists every file anyway). */
static int collect(struct dg_changes *out, git_diff *diff)
{
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		switch (d->status) {
		case GIT_DELTA_ADDED:
			changes_add(out, d->new_file.path, DG_CHANGE_ADDED);
			break;
		case GIT_DELTA_DELETED:
			changes_add(out, d->old_file.path, DG_CHANGE_DELETED);
			break;
		case GIT_DELTA_UNMODIFIED:
		case GIT_DELTA_IGNORED:
		case GIT_DELTA_UNTRACKED:
			break;
		default:
			changes_add(out, d->new_file.path, DG_CHANGE_MODIFIED);
			break;
		}
	}
	return 0;
}

static void diff_opts(git_diff_options *o)
{
	git_diff_options_init(o, GIT_DIFF_OPTIONS_VERSION);
	o->flags |= GIT_DIFF_SKIP_BINARY_CHECK;
}

int dg_repo_diff_index(struct dg_repo *repo, const struct dg_oid *from, struct dg_changes *out)
{
	git_tree *a = NULL;
	git_index *index;
	git_diff *diff = NULL;
	git_diff_options o;
	memset(out, 0, sizeof(*out));
	if (dg_git_index(repo, &index) < 0)
		return -1;
	if (commit_tree(repo, from, &a) < 0)
		return -1;
	diff_opts(&o);
	int r = git_diff_tree_to_index(&diff, repo->repo, a, index, &o);
	git_tree_free(a);
	if (r < 0)
		return dg_git_fail("diff against the index");
	collect(out, diff);
	git_diff_free(diff);
	changes_normalize(out);
	return 0;
}

/* Keep in `acc` only the paths also in `other` (both normalized). */
static void changes_intersect(struct dg_changes *acc, const struct dg_changes *other)
{
	size_t o = 0;
	for (size_t i = 0; i < acc->n; i++) {
		if (dg_changes_find(other, acc->v[i].path))
			acc->v[o++] = acc->v[i];
		else
			free(acc->v[i].path);
	}
	acc->n = o;
}

static int shallow_fail(struct dg_repo *repo, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	if (dg_repo_is_shallow(repo))
		return dg_error("history behind commit %.12s is missing (shallow clone); "
				"run `git fetch --unshallow` or fetch the target branch",
				hex);
	return dg_error("commit %.12s: cannot read its parents: %s", hex,
			git_error_last() ? git_error_last()->message : "missing objects");
}

/* The paths one commit changes (see dg_repo_changed_since). */
static int commit_changes(struct dg_repo *repo, const git_oid *id, struct dg_changes *out)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	memset(out, 0, sizeof(*out));
	if (git_commit_lookup(&c, repo->repo, id) < 0)
		return shallow_fail(repo, id);
	if (git_commit_tree(&tree, c) < 0) {
		git_commit_free(c);
		return shallow_fail(repo, id);
	}
	unsigned int np = git_commit_parentcount(c);
	int r = 0;
	if (np == 0) {
		r = diff_trees(repo, NULL, tree, out);
		changes_normalize(out);
	}
	for (unsigned int p = 0; p < np && !r; p++) {
		git_commit *parent = NULL;
		git_tree *ptree = NULL;
		if (git_commit_parent(&parent, c, p) < 0 || git_commit_tree(&ptree, parent) < 0) {
			git_commit_free(parent);
			r = shallow_fail(repo, id);
			break;
		}
		struct dg_changes one = {0};
		r = diff_trees(repo, ptree, tree, &one);
		git_tree_free(ptree);
		git_commit_free(parent);
		changes_normalize(&one);
		if (p == 0) {
			*out = one;
		} else {
			changes_intersect(out, &one);
			dg_changes_release(&one);
		}
	}
	git_tree_free(tree);
	git_commit_free(c);
	if (r < 0)
		dg_changes_release(out);
	return r;
}

/* The commits the refs matching glob point at (broken or non-commit refs skipped). */
static void glob_tips(struct dg_repo *repo, const char *glob, git_oid **v, size_t *n, size_t *cap)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	if (!glob || git_reference_iterator_glob_new(&it, repo->repo, glob) < 0)
		return;
	while (git_reference_next(&ref, it) == 0) {
		git_object *obj = NULL;
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			git_oid id;
			git_oid_cpy(&id, git_object_id(obj));
			DG_PUSH(*v, *n, *cap, id);
		}
		git_object_free(obj);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	git_error_clear();
}

/* `git rev-list tip --not hide...`, newest first, into *out. */
static int list_commits(struct dg_repo *repo, const git_oid *tip, const git_oid *hide,
			size_t n_hide, git_oid **out, size_t *n_out)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t n = 0, cap = 0;
	*out = NULL;
	*n_out = 0;
	if (dg_repo_is_shallow(repo))
		return dg_git_commits_between(repo, tip, hide, n_hide, out, n_out);
	if (git_revwalk_new(&walk, repo->repo) < 0)
		return dg_git_fail("revwalk");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL);
	if (git_revwalk_push(walk, tip) < 0) {
		git_revwalk_free(walk);
		return shallow_fail(repo, tip);
	}
	for (size_t i = 0; i < n_hide; i++) {
		if (git_revwalk_hide(walk, &hide[i]) < 0) {
			git_revwalk_free(walk);
			return shallow_fail(repo, &hide[i]);
		}
	}
	int w;
	while ((w = git_revwalk_next(&id, walk)) == 0)
		DG_PUSH(*out, n, cap, id);
	git_revwalk_free(walk);
	*n_out = n;
	if (w != GIT_ITEROVER) {
		free(*out);
		*out = NULL;
		return shallow_fail(repo, tip);
	}
	return 0;
}

int dg_repo_changed_since(struct dg_repo *repo, const struct dg_oid *tip, const struct dg_oid *hide,
			  size_t n_hide, const char *hide_glob, struct dg_changes *out)
{
	git_oid t, *hv = NULL, *commits = NULL;
	size_t hn = 0, hcap = 0, nc = 0;
	memset(out, 0, sizeof(*out));
	dg_git_oid_from(&t, tip);
	for (size_t i = 0; i < n_hide; i++) {
		git_oid id;
		if (dg_oid_is_zero(&hide[i]) || !dg_repo_has_object(repo, &hide[i]))
			continue;
		dg_git_oid_from(&id, &hide[i]);
		DG_PUSH(hv, hn, hcap, id);
	}
	glob_tips(repo, hide_glob, &hv, &hn, &hcap);
	int r = list_commits(repo, &t, hv, hn, &commits, &nc);
	free(hv);
	for (size_t i = 0; i < nc && !r; i++) {
		struct dg_changes one;
		if ((r = commit_changes(repo, &commits[i], &one)) < 0)
			break;
		for (size_t k = 0; k < one.n; k++)
			DG_PUSH(out->v, out->n, out->cap, one.v[k]);
		free(one.v);
	}
	free(commits);
	if (r < 0)
		dg_changes_release(out);
	else
		changes_normalize(out);
	return r;
}
