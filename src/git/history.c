/*
 * Which commit brought a file: a walk of the history that looks closely
 * only at the commits where the file's directory changed, for messages
 * that name the commit that added a migration head or last changed a
 * conflicted file. Reads objects only.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "git/git_int.h"

/* Longest commit subject quoted in a message, in bytes. */
#define SUBJECT_MAX 60
/*
 * Commits the walk looks at closely (the directory changed) before it
 * switches to bisecting the first-parent history: a file added long ago
 * behind thousands of changes to its directory costs a few dozen tree
 * reads, not thousands.
 */
#define CLOSE_LOOKS 64
#define MAX_SIDE_BRANCHES 32

struct touch_walk {
	struct dg_repo *repo;
	enum dg_git_touch mode;
	const char *const *paths;
	char **dirs; /* directory of each path ("" = the root) */
	size_t n, left;
	git_oid *out;
	int *found;
	size_t looks; /* commits looked at closely so far */
};

/* The id of dir in tree (the tree's own for ""): 0, or 1 when there is no such directory. */
static int dir_id_in(git_tree *tree, const char *dir, git_oid *out)
{
	if (!*dir) {
		git_oid_cpy(out, git_tree_id(tree));
		return 0;
	}
	git_tree_entry *e = NULL;
	if (git_tree_entry_bypath(&e, tree, dir) < 0) {
		git_error_clear();
		return 1;
	}
	int r = git_tree_entry_type(e) == GIT_OBJECT_TREE ? 0 : 1;
	if (!r)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return r;
}

/* The blob id of path in tree: 0, or 1 when the path is not there. */
static int entry_in(git_tree *tree, const char *path, git_oid *out)
{
	git_tree_entry *e = NULL;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0) {
		git_error_clear();
		return 1;
	}
	git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return 0;
}

/* Is the directory of path the same in tree and other (both missing counts as the same)? */
static int same_dir(git_tree *tree, git_tree *other, const char *dir)
{
	git_oid a, b;
	int ha = !dir_id_in(tree, dir, &a);
	int hb = other && !dir_id_in(other, dir, &b);
	if (!ha || !hb)
		return ha == hb;
	return git_oid_equal(&a, &b);
}

/* Did this commit (tree, with its parents' trees) add / change path? */
static int touches(enum dg_git_touch mode, git_tree *tree, git_tree **parents, size_t np,
		   const char *path)
{
	git_oid here, there;
	int present = !entry_in(tree, path, &here);
	if (mode == DG_GIT_ADDED && !present)
		return 0;
	for (size_t k = 0; k < np; k++) {
		int in_parent = !entry_in(parents[k], path, &there);
		if (mode == DG_GIT_ADDED && in_parent)
			return 0;
		if (mode == DG_GIT_CHANGED && in_parent == present &&
		    (!present || git_oid_equal(&here, &there)))
			return 0;
	}
	return 1;
}

static int visit(const git_oid *id, git_commit *c, void *payload)
{
	struct touch_walk *w = payload;
	git_tree *tree = NULL;
	if (git_commit_tree(&tree, c) < 0) {
		git_error_clear();
		return 0;
	}
	/* a shallow clone's graft point is a root: its parents are not here */
	size_t np = dg_git_is_shallow_commit(w->repo, id) ? 0 : git_commit_parentcount(c);
	git_tree **parents = dg_xcalloc(np + 1, sizeof(*parents));
	for (size_t k = 0; k < np; k++) {
		git_commit *p = NULL;
		if (git_commit_parent(&p, c, (unsigned int)k) == 0)
			git_commit_tree(&parents[k], p);
		git_commit_free(p);
		git_error_clear();
	}
	for (size_t i = 0; i < w->n; i++) {
		if (w->found[i])
			continue;
		int unchanged = 0;
		for (size_t k = 0; k < np && !unchanged; k++)
			unchanged = same_dir(tree, parents[k], w->dirs[i]);
		if (unchanged)
			continue;
		w->looks++;
		if (!touches(w->mode, tree, parents, np, w->paths[i]))
			continue;
		git_oid_cpy(&w->out[i], id);
		w->found[i] = 1;
		w->left--;
	}
	for (size_t k = 0; k < np; k++)
		git_tree_free(parents[k]);
	free(parents);
	git_tree_free(tree);
	return w->left == 0 || (w->mode == DG_GIT_ADDED && w->looks > CLOSE_LOOKS);
}

/* Is path in the tree of commit id? -1 when the commit cannot be read. */
static int commit_has(struct dg_repo *repo, const git_oid *id, const char *path)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid blob;
	int r = -1;
	if (git_commit_lookup(&c, repo->repo, id) == 0 && git_commit_tree(&tree, c) == 0)
		r = !entry_in(tree, path, &blob);
	git_tree_free(tree);
	git_commit_free(c);
	git_error_clear();
	return r;
}

/*
 * tip and its first parents back to the root (or a shallow clone's graft
 * point). libgit2's revwalk parses commits far faster than looking each
 * up; it cannot walk a shallow clone, which gets the lookups.
 */
static void first_parents(struct dg_repo *repo, const git_oid *tip, git_oid **out, size_t *n)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!dg_repo_is_shallow(repo) && git_revwalk_new(&walk, repo->repo) == 0 &&
	    git_revwalk_simplify_first_parent(walk) == 0 && git_revwalk_push(walk, tip) == 0) {
		while (git_revwalk_next(&id, walk) == 0)
			DG_PUSH(*out, *n, cap, id);
		git_revwalk_free(walk);
		git_error_clear();
		return;
	}
	git_revwalk_free(walk);
	git_oid_cpy(&id, tip);
	for (;;) {
		git_commit *c = NULL;
		DG_PUSH(*out, *n, cap, id);
		if (dg_git_is_shallow_commit(repo, &id) || git_commit_lookup(&c, repo->repo, &id) < 0)
			break;
		const git_oid *first = git_commit_parentcount(c) ? git_commit_parent_id(c, 0) : NULL;
		if (first)
			git_oid_cpy(&id, first);
		git_commit_free(c);
		if (!first)
			break;
	}
	git_error_clear();
}

/*
 * The commit that added path, by bisecting the first-parent history of
 * tip (a file is there from the commit that added it on): the oldest
 * commit of the chain that has it. When that commit is a merge that took
 * the file from another parent, the search goes on along that parent.
 * 1 found, 0 not (tip lacks the file, or the history cannot be read).
 */
static int bisect_added(struct dg_repo *repo, const git_oid *tip, const char *path,
			git_oid *out, int depth)
{
	git_oid *chain = NULL;
	size_t n = 0;
	int r = 0;
	if (depth > MAX_SIDE_BRANCHES || commit_has(repo, tip, path) != 1)
		return 0;
	first_parents(repo, tip, &chain, &n);
	/* chain[lo] has the file; chain[hi] does not (hi == n: past the root) */
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (commit_has(repo, &chain[mid], path) == 1)
			lo = mid;
		else
			hi = mid;
	}
	git_commit *b = NULL;
	git_oid_cpy(out, &chain[lo]);
	r = 1;
	if (!dg_git_is_shallow_commit(repo, &chain[lo]) &&
	    git_commit_lookup(&b, repo->repo, &chain[lo]) == 0) {
		for (unsigned int k = 1; k < git_commit_parentcount(b); k++) {
			const git_oid *p = git_commit_parent_id(b, k);
			if (p && commit_has(repo, p, path) == 1) {
				r = bisect_added(repo, p, path, out, depth + 1);
				break;
			}
		}
	}
	git_commit_free(b);
	git_error_clear();
	free(chain);
	return r;
}

int dg_git_find_touching(struct dg_repo *repo, const git_oid *tip, enum dg_git_touch mode,
			 const char *const *paths, size_t n, git_oid *out, int *found)
{
	struct touch_walk w;
	int cut;
	memset(&w, 0, sizeof(w));
	memset(found, 0, n * sizeof(*found));
	if (!n)
		return 0;
	w.repo = repo;
	w.mode = mode;
	w.paths = paths;
	w.n = w.left = n;
	w.out = out;
	w.found = found;
	w.dirs = dg_xcalloc(n, sizeof(*w.dirs));
	for (size_t i = 0; i < n; i++) {
		const char *slash = strrchr(paths[i], '/');
		w.dirs[i] = dg_xstrndup(paths[i], slash ? (size_t)(slash - paths[i]) : 0);
	}
	const git_oid *from[1] = {tip};
	dg_git_walk_parents(repo, from, 1, NULL, visit, &w, &cut);
	for (size_t i = 0; i < n && mode == DG_GIT_ADDED; i++)
		if (!found[i])
			found[i] = bisect_added(repo, tip, paths[i], &out[i], 0);
	for (size_t i = 0; i < n; i++)
		free(w.dirs[i]);
	free(w.dirs);
	git_error_clear();
	return 0;
}

/* Length of the UTF-8 sequence starting with byte c (1 for anything else). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/*
 * A commit subject fit for a one-line message: control characters become
 * spaces, text that is not UTF-8 keeps only its ASCII, and a long subject
 * is cut on a character boundary.
 */
static void add_subject(struct dg_buf *b, const char *s)
{
	size_t len = strlen(s);
	int utf8 = dg_utf8_invalid_at(s, len) < 0;
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t l = utf8 ? utf8_len(c) : 1;
		if (i + l > SUBJECT_MAX) {
			dg_buf_adds(b, "...");
			return;
		}
		if (c < 0x20 || c == 0x7f)
			dg_buf_addch(b, ' ');
		else if (c >= 0x80 && !utf8)
			dg_buf_addch(b, '?');
		else
			dg_buf_add(b, s + i, l);
		i += l;
	}
}

void dg_git_describe_commit(struct dg_repo *repo, const git_oid *id, struct dg_buf *b)
{
	git_commit *c = NULL;
	git_buf sid = {0};
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	if (git_commit_lookup(&c, repo->repo, id) < 0) {
		git_error_clear();
		dg_buf_addf(b, "commit %.7s", hex);
		return;
	}
	if (git_object_short_id(&sid, (git_object *)c) == 0 && sid.ptr)
		dg_buf_addf(b, "commit %s", sid.ptr);
	else
		dg_buf_addf(b, "commit %.7s", hex);
	git_buf_dispose(&sid);
	const char *subject = git_commit_summary(c);
	if (subject && *subject) {
		dg_buf_adds(b, " \"");
		add_subject(b, subject);
		dg_buf_addch(b, '"');
	}
	git_commit_free(c);
	git_error_clear();
}

void dg_git_touch_phrases(struct dg_repo *repo, const git_oid *tip, enum dg_git_touch mode,
			  const char *const *paths, size_t n, const char *prefix, char **out)
{
	git_oid *ids = dg_xcalloc(n + 1, sizeof(*ids));
	int *found = dg_xcalloc(n + 1, sizeof(*found));
	dg_git_find_touching(repo, tip, mode, paths, n, ids, found);
	for (size_t i = 0; i < n; i++) {
		if (!found[i])
			continue;
		struct dg_buf b = DG_BUF_INIT;
		dg_buf_adds(&b, prefix);
		dg_git_describe_commit(repo, &ids[i], &b);
		free(out[i]);
		out[i] = dg_buf_detach(&b);
	}
	free(ids);
	free(found);
}
