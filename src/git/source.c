/*
 * Source readers over git objects: a commit's tree and the index. Blobs
 * are read from the object database and copied out; nothing touches the
 * work tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "git/git.h"
#include "git/git_int.h"

static int is_regular(unsigned int mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* ---- blob bytes, cached by id ---- */

/*
 * A hook reads the same migrations from two or three trees (the pushed
 * commit, the remote's, the merge with a protected branch): inflating each
 * blob once is most of what the second and third reads cost. Bounded so a
 * repository of huge files does not grow the process without end.
 */
#define BLOB_CACHE_MAX_BYTES ((size_t)64 << 20)
#define BLOB_CACHE_MAX_ONE ((size_t)1 << 20)

static size_t blob_slot(const struct dg_blob_cache *c, const git_oid *id)
{
	size_t h;
	memcpy(&h, id->id, sizeof(h));
	size_t i = h & (c->cap - 1);
	while (c->data[i] && git_oid_cmp(&c->ids[i], id))
		i = (i + 1) & (c->cap - 1);
	return i;
}

static void blob_cache_grow(struct dg_blob_cache *c)
{
	struct dg_blob_cache bigger = {0};
	bigger.cap = c->cap ? c->cap * 2 : 1024;
	bigger.ids = dg_xcalloc(bigger.cap, sizeof(*bigger.ids));
	bigger.data = dg_xcalloc(bigger.cap, sizeof(*bigger.data));
	bigger.len = dg_xcalloc(bigger.cap, sizeof(*bigger.len));
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->data[i])
			continue;
		size_t j = blob_slot(&bigger, &c->ids[i]);
		git_oid_cpy(&bigger.ids[j], &c->ids[i]);
		bigger.data[j] = c->data[i];
		bigger.len[j] = c->len[i];
	}
	bigger.n = c->n;
	bigger.bytes = c->bytes;
	free(c->ids);
	free(c->data);
	free(c->len);
	*c = bigger;
}

static void blob_cache_put(struct dg_blob_cache *c, const git_oid *id, const char *data,
			   size_t len)
{
	if (len > BLOB_CACHE_MAX_ONE || c->bytes + len > BLOB_CACHE_MAX_BYTES)
		return;
	if ((c->n + 1) * 2 > c->cap)
		blob_cache_grow(c);
	size_t i = blob_slot(c, id);
	if (c->data[i])
		return;
	git_oid_cpy(&c->ids[i], id);
	c->data[i] = dg_xmalloc(len + 1);
	memcpy(c->data[i], data, len + 1);
	c->len[i] = len;
	c->n++;
	c->bytes += len;
}

void dg_git_blob_cache_release(struct dg_blob_cache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->data[i]);
	free(c->ids);
	free(c->data);
	free(c->len);
	memset(c, 0, sizeof(*c));
}

int dg_git_read_blob(struct dg_repo *repo, git_repository *objects, const git_oid *id,
		     const char *path, char **out, size_t *out_len)
{
	struct dg_blob_cache *c = &repo->blobs;
	if (c->cap) {
		size_t i = blob_slot(c, id);
		if (c->data[i]) {
			*out = dg_xmalloc(c->len[i] + 1);
			memcpy(*out, c->data[i], c->len[i] + 1);
			*out_len = c->len[i];
			return 0;
		}
	}
	/* straight from the object database: a blob is read once (cached
	 * above), so libgit2's object cache and blob object only cost */
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	if (git_repository_odb(&odb, objects) < 0 || git_odb_read(&obj, odb, id) < 0) {
		git_odb_free(odb);
		return dg_error("%s: cannot read blob: %s", path,
				git_error_last() ? git_error_last()->message : "not found");
	}
	git_odb_free(odb);
	git_object_t type = git_odb_object_type(obj);
	if (type != GIT_OBJECT_BLOB) {
		git_odb_object_free(obj);
		return dg_error("%s: cannot read blob: the object is a %s", path,
				git_object_type2string(type));
	}
	size_t len = git_odb_object_size(obj);
	char *data = dg_xmalloc(len + 1);
	memcpy(data, git_odb_object_data(obj), len);
	data[len] = '\0';
	git_odb_object_free(obj);
	blob_cache_put(c, id, data, len);
	*out = data;
	*out_len = len;
	return 0;
}

/* ---- a commit's tree ---- */

struct tree_impl {
	struct dg_repo *repo;
	git_tree *root;
	git_oid commit; /* the commit the tree is from (zero: a bare tree) */
	char *name;
	/* the directory read last: a set's files are read one after another */
	char *dir;
	git_tree *dir_tree;
};

static int tree_origin(struct dg_source *src, const char *const *paths, size_t n, char **out);

/* The tree at dir ("" = root); NULL when missing or not a tree. Caller frees. */
static git_tree *subtree(struct tree_impl *t, const char *dir)
{
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	if (!dir || !*dir) {
		git_tree_dup(&sub, t->root);
		return sub;
	}
	if (git_tree_entry_bypath(&e, t->root, dir) < 0)
		return NULL;
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		git_tree_lookup(&sub, t->repo->repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return sub;
}

/* Every entry below tree that is not a tree, in git's order: the raw listing. */
static int walk_tree(struct tree_impl *t, git_tree *tree, struct dg_buf *path, dg_git_raw_cb cb,
		     void *payload)
{
	size_t n = git_tree_entrycount(tree);
	size_t base = path->len;
	int r = 0;
	for (size_t i = 0; i < n && !r; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		unsigned int mode = (unsigned int)git_tree_entry_filemode(e);
		path->len = base;
		if (base)
			dg_buf_addch(path, '/');
		dg_buf_adds(path, git_tree_entry_name(e));
		if (mode == GIT_FILEMODE_TREE) {
			git_tree *sub = NULL;
			if (git_tree_lookup(&sub, t->repo->repo, git_tree_entry_id(e)) < 0) {
				r = dg_error("%s: cannot read tree: %s", dg_buf_cstr(path),
					     git_error_last() ? git_error_last()->message : "");
				break;
			}
			r = walk_tree(t, sub, path, cb, payload);
			git_tree_free(sub);
		} else {
			r = cb(dg_buf_cstr(path), mode, git_tree_entry_id(e), payload);
		}
	}
	path->len = base;
	if (path->ptr)
		path->ptr[base] = '\0';
	return r;
}

static int tree_list(void *impl, const char *dir, dg_git_raw_cb cb, void *payload)
{
	struct tree_impl *t = impl;
	git_tree *tree = subtree(t, dir);
	if (!tree)
		return 0;
	struct dg_buf path = DG_BUF_INIT;
	dg_buf_adds(&path, dir ? dir : "");
	int r = walk_tree(t, tree, &path, cb, payload);
	git_tree_free(tree);
	dg_buf_release(&path);
	return r;
}

static unsigned int tree_lookup(void *impl, const char *path, git_oid *id)
{
	struct tree_impl *t = impl;
	git_tree_entry *e = NULL;
	if (git_tree_entry_bypath(&e, t->root, path) < 0) {
		git_error_clear();
		return 0;
	}
	unsigned int mode = (unsigned int)git_tree_entry_filemode(e);
	git_oid_cpy(id, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return mode;
}

static void tree_entries(struct tree_impl *t, struct dg_git_entries *out)
{
	*out = (struct dg_git_entries){ .repo = t->repo, .objects = t->repo->repo, .impl = t,
					 .lookup = tree_lookup, .list = tree_list };
}

static int tree_walk(struct dg_source *src, const char *dir, dg_entry_cb cb, void *payload)
{
	struct dg_git_entries e;
	tree_entries(src->impl, &e);
	return dg_git_walk_links(&e, dir, cb, payload);
}

/* The tree of path's directory, kept for the next read in it (NULL: no such directory). */
static git_tree *dir_of_path(struct tree_impl *t, const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0;
	*base = slash ? slash + 1 : path;
	if (!t->dir || strlen(t->dir) != dl || strncmp(t->dir, path, dl)) {
		free(t->dir);
		git_tree_free(t->dir_tree);
		t->dir = dg_xstrndup(path, dl);
		t->dir_tree = subtree(t, t->dir);
	}
	return t->dir_tree;
}

static int tree_read(struct dg_source *src, const char *path, char **out, size_t *out_len)
{
	struct tree_impl *t = src->impl;
	const char *base;
	git_tree *dir = dir_of_path(t, path, &base);
	const git_tree_entry *e = dir ? git_tree_entry_byname(dir, base) : NULL;
	if (!e || !is_regular((unsigned int)git_tree_entry_filemode(e))) {
		/* through a symbolic link, or not there at all */
		struct dg_git_entries le;
		tree_entries(t, &le);
		return dg_git_link_read(&le, path, t->name, out, out_len);
	}
	git_oid id;
	git_oid_cpy(&id, git_tree_entry_id(e));
	return dg_git_read_blob(t->repo, t->repo->repo, &id, path, out, out_len);
}

static int tree_dir_id(struct dg_source *src, const char *dir, char out[41])
{
	struct tree_impl *t = src->impl;
	out[0] = '\0';
	git_tree *tree = subtree(t, dir);
	if (!tree)
		return 1;
	git_oid_tostr(out, 41, git_tree_id(tree));
	git_tree_free(tree);
	return 0;
}

static void tree_free(struct dg_source *src)
{
	struct tree_impl *t = src->impl;
	git_tree_free(t->dir_tree);
	free(t->dir);
	git_tree_free(t->root);
	free(t->name);
	free(t);
}

int dg_source_git_commit(struct dg_source **out, struct dg_repo *repo, const struct dg_oid *commit,
			 const char *name)
{
	git_oid id;
	git_object *obj = NULL;
	git_tree *root = NULL;
	char hex[DG_OID_HEXSZ + 1];
	*out = NULL;
	dg_oid_fmt(hex, commit);
	dg_git_oid_from(&id, commit);
	if (git_object_lookup(&obj, repo->repo, &id, GIT_OBJECT_ANY) < 0)
		return dg_error("commit %s is not in this repository", hex);
	git_object *peeled = NULL;
	git_oid cid;
	memset(&cid, 0, sizeof(cid));
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0)
		git_oid_cpy(&cid, git_object_id(peeled));
	git_object_free(peeled);
	git_error_clear();
	int r = git_object_peel((git_object **)&root, obj, GIT_OBJECT_TREE);
	git_object_free(obj);
	if (r < 0)
		return dg_error("%s: cannot read its tree: %s", hex,
				git_error_last() ? git_error_last()->message : "not a commit");
	struct dg_source *src = dg_xcalloc(1, sizeof(*src));
	struct tree_impl *t = dg_xcalloc(1, sizeof(*t));
	t->repo = repo;
	t->root = root;
	t->commit = cid;
	t->name = dg_xstrdup(name ? name : hex);
	src->name = t->name;
	src->impl = t;
	src->walk = tree_walk;
	src->read = tree_read;
	src->dir_id = tree_dir_id;
	src->origin = tree_origin;
	src->free = tree_free;
	*out = src;
	return 0;
}

/* ---- the index ---- */

struct index_impl {
	struct dg_repo *repo;
	git_index *index; /* borrowed from repo */
};

/* Staged entries count: stage 0, not intent-to-add. */
static int index_entry_counts(const git_index_entry *e)
{
	if (git_index_entry_stage(e) != 0)
		return 0;
	if (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD)
		return 0;
	return 1;
}

/* "dir/" for a non-empty dir, "" for the root; caller frees. */
static char *dir_prefix(const char *dir)
{
	struct dg_buf b = DG_BUF_INIT;
	if (dir && *dir) {
		dg_buf_adds(&b, dir);
		while (b.len && b.ptr[b.len - 1] == '/')
			b.ptr[--b.len] = '\0';
		dg_buf_addch(&b, '/');
	} else {
		dg_buf_grow(&b, 1);
	}
	return dg_buf_detach(&b);
}

/* Position of the first entry under prefix ("" = 0). */
static size_t index_start(git_index *index, const char *prefix)
{
	size_t pos = 0;
	if (*prefix && git_index_find_prefix(&pos, index, prefix) < 0)
		return git_index_entrycount(index);
	return pos;
}

static int index_list(void *impl, const char *dir, dg_git_raw_cb cb, void *payload)
{
	struct index_impl *x = impl;
	char *prefix = dir_prefix(dir);
	size_t plen = strlen(prefix);
	size_t n = git_index_entrycount(x->index);
	int r = 0;
	for (size_t i = index_start(x->index, prefix); i < n && !r; i++) {
		const git_index_entry *e = git_index_get_byindex(x->index, i);
		if (strncmp(e->path, prefix, plen))
			break;
		if (index_entry_counts(e))
			r = cb(e->path, e->mode, &e->id, payload);
	}
	free(prefix);
	return r;
}

static unsigned int index_lookup(void *impl, const char *path, git_oid *id)
{
	struct index_impl *x = impl;
	const git_index_entry *e = git_index_get_bypath(x->index, path, 0);
	if (e && index_entry_counts(e)) {
		git_oid_cpy(id, &e->id);
		return e->mode;
	}
	/* a directory: some staged entry lies below it */
	char *prefix = dir_prefix(path);
	size_t plen = strlen(prefix), n = git_index_entrycount(x->index);
	unsigned int mode = 0;
	for (size_t i = index_start(x->index, prefix); i < n && !mode; i++) {
		const git_index_entry *d = git_index_get_byindex(x->index, i);
		if (strncmp(d->path, prefix, plen))
			break;
		if (index_entry_counts(d))
			mode = GIT_FILEMODE_TREE;
	}
	free(prefix);
	git_error_clear();
	memset(id, 0, sizeof(*id));
	return mode;
}

static void index_entries(struct index_impl *x, struct dg_git_entries *out)
{
	*out = (struct dg_git_entries){ .repo = x->repo, .objects = x->repo->repo, .impl = x,
					 .lookup = index_lookup, .list = index_list };
}

static int index_walk(struct dg_source *src, const char *dir, dg_entry_cb cb, void *payload)
{
	struct dg_git_entries e;
	index_entries(src->impl, &e);
	return dg_git_walk_links(&e, dir, cb, payload);
}

static int index_read(struct dg_source *src, const char *path, char **out, size_t *out_len)
{
	struct index_impl *x = src->impl;
	const git_index_entry *e = git_index_get_bypath(x->index, path, 0);
	if (!e || !index_entry_counts(e) || !is_regular(e->mode)) {
		struct dg_git_entries le;
		index_entries(x, &le);
		return dg_git_link_read(&le, path, "the index", out, out_len);
	}
	git_oid id;
	git_oid_cpy(&id, &e->id);
	return dg_git_read_blob(x->repo, x->repo->repo, &id, path, out, out_len);
}

/*
 * The id the tree of entries [*i, n) under `prefix` (all sharing it) would
 * get if written, computed in memory: git's tree object format hashed
 * with git_odb_hash. Nothing is written to the repository.
 */
static int hash_tree(git_index *index, size_t *i, size_t n, const char *prefix, size_t plen,
		     git_oid *out)
{
	struct dg_buf obj = DG_BUF_INIT;
	while (*i < n) {
		const git_index_entry *e = git_index_get_byindex(index, *i);
		if (strncmp(e->path, prefix, plen))
			break;
		if (!index_entry_counts(e)) {
			(*i)++;
			continue;
		}
		const char *rest = e->path + plen;
		const char *slash = strchr(rest, '/');
		if (slash) {
			size_t nlen = (size_t)(slash - rest);
			char *sub = dg_xstrndup(e->path, plen + nlen + 1);
			git_oid sid;
			int r = hash_tree(index, i, n, sub, plen + nlen + 1, &sid);
			free(sub);
			if (r < 0) {
				dg_buf_release(&obj);
				return r;
			}
			if (r == 1) /* nothing staged below: git writes no tree */
				continue;
			dg_buf_addf(&obj, "40000 %.*s", (int)nlen, rest);
			dg_buf_addch(&obj, '\0');
			dg_buf_add(&obj, sid.id, GIT_OID_RAWSZ);
		} else {
			dg_buf_addf(&obj, "%o %s", (unsigned int)e->mode, rest);
			dg_buf_addch(&obj, '\0');
			dg_buf_add(&obj, e->id.id, GIT_OID_RAWSZ);
			(*i)++;
		}
	}
	if (!obj.len) {
		dg_buf_release(&obj);
		return 1;
	}
	int r = git_odb_hash(out, obj.ptr, obj.len, GIT_OBJECT_TREE);
	dg_buf_release(&obj);
	return r < 0 ? dg_git_fail("hash tree") : 0;
}

static int index_dir_id(struct dg_source *src, const char *dir, char out[41])
{
	struct index_impl *x = src->impl;
	char *prefix = dir_prefix(dir);
	size_t n = git_index_entrycount(x->index);
	size_t i = index_start(x->index, prefix);
	git_oid id;
	int r = hash_tree(x->index, &i, n, prefix, strlen(prefix), &id);
	free(prefix);
	out[0] = '\0';
	if (r)
		return r;
	git_oid_tostr(out, 41, &id);
	return 0;
}

/* ---- where a file came from ---- */

/* The tree of a commit (borrowed from libgit2's cache by the caller: free it). */
static int commit_tree_of(struct dg_repo *repo, const git_oid *id, git_tree **out)
{
	git_commit *c = NULL;
	*out = NULL;
	if (git_commit_lookup(&c, repo->repo, id) < 0)
		return -1;
	int r = git_commit_tree(out, c);
	git_commit_free(c);
	return r;
}

static int tree_has(git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0) {
		git_error_clear();
		return 0;
	}
	git_tree_entry_free(e);
	return 1;
}

static int tree_origin(struct dg_source *src, const char *const *paths, size_t n, char **out)
{
	struct tree_impl *t = src->impl;
	memset(out, 0, n * sizeof(*out));
	if (!git_oid_is_zero(&t->commit))
		dg_git_touch_phrases(t->repo, &t->commit, DG_GIT_ADDED, paths, n, "added in ", out);
	return 0;
}

/*
 * A staged file: committed on HEAD (added in that commit), brought by the
 * merge in progress (MERGE_HEAD), or not committed anywhere yet.
 */
struct merge_heads {
	git_oid v[16];
	size_t n;
};

static int add_merge_head(const git_oid *id, void *payload)
{
	struct merge_heads *m = payload;
	if (m->n < sizeof(m->v) / sizeof(m->v[0]))
		git_oid_cpy(&m->v[m->n++], id);
	return 0;
}

static int index_origin(struct dg_source *src, const char *const *paths, size_t n, char **out)
{
	struct index_impl *x = src->impl;
	git_oid head;
	git_tree *head_tree = NULL;
	struct merge_heads mh = {.n = 0};
	memset(out, 0, n * sizeof(*out));
	if (git_reference_name_to_id(&head, x->repo->repo, "HEAD") == 0)
		commit_tree_of(x->repo, &head, &head_tree);
	git_repository_mergehead_foreach(x->repo->repo, add_merge_head, &mh);
	git_error_clear();
	for (size_t i = 0; i < n; i++) {
		const char *one[1] = {paths[i]};
		if (head_tree && tree_has(head_tree, paths[i])) {
			dg_git_touch_phrases(x->repo, &head, DG_GIT_ADDED, one, 1, "added in ", &out[i]);
			continue;
		}
		for (size_t k = 0; k < mh.n && !out[i]; k++) {
			git_tree *mt = NULL;
			if (commit_tree_of(x->repo, &mh.v[k], &mt) == 0 && tree_has(mt, paths[i]))
				dg_git_touch_phrases(x->repo, &mh.v[k], DG_GIT_ADDED, one, 1,
						     "from the branch being merged, in ", &out[i]);
			git_tree_free(mt);
		}
		if (!out[i])
			out[i] = dg_xstrdup("not committed yet");
	}
	git_tree_free(head_tree);
	git_error_clear();
	return 0;
}

static void index_free(struct dg_source *src)
{
	free(src->impl);
}

int dg_source_git_index(struct dg_source **out, struct dg_repo *repo)
{
	git_index *index;
	*out = NULL;
	if (dg_git_index(repo, &index) < 0)
		return -1;
	struct dg_source *src = dg_xcalloc(1, sizeof(*src));
	struct index_impl *x = dg_xcalloc(1, sizeof(*x));
	x->repo = repo;
	x->index = index;
	src->name = "index";
	src->impl = x;
	src->walk = index_walk;
	src->read = index_read;
	src->dir_id = index_dir_id;
	src->origin = index_origin;
	src->free = index_free;
	*out = src;
	return 0;
}
