/*
 * The merge a pull request would make, as a source: libgit2's merge run
 * over a private object database. Its writes (the blob of a file merged
 * line by line, the virtual base of a criss-cross history) go to memory;
 * its reads come from the repository's object database through a backend
 * that can neither write nor "freshen" (libgit2 touches an object's file
 * when it is asked to write an object that exists). Nothing on disk
 * changes: no ref, no index, no work tree, no object.
 */
#include <stdlib.h>
#include <string.h>

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "core/core.h"
#include "git/git.h"
#include "git/git_int.h"

/* ---- the repository's objects, read only ---- */

struct readonly_odb {
	git_odb_backend parent;
	git_odb *real;
};

static int ro_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b,
		   const git_oid *id)
{
	struct readonly_odb *ro = (struct readonly_odb *)b;
	git_odb_object *obj = NULL;
	int r = git_odb_read(&obj, ro->real, id);
	if (r < 0)
		return r;
	*len = git_odb_object_size(obj);
	*type = git_odb_object_type(obj);
	*data = git_odb_backend_data_alloc(b, *len + 1);
	if (!*data) {
		git_odb_object_free(obj);
		return -1;
	}
	memcpy(*data, git_odb_object_data(obj), *len);
	git_odb_object_free(obj);
	return 0;
}

static int ro_read_header(size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	return git_odb_read_header(len, type, ((struct readonly_odb *)b)->real, id);
}

static int ro_exists(git_odb_backend *b, const git_oid *id)
{
	return git_odb_exists(((struct readonly_odb *)b)->real, id);
}

static void ro_free(git_odb_backend *b)
{
	git_odb_free(((struct readonly_odb *)b)->real);
	free(b);
}

/* A repository handle on the objects of repo whose writes stay in memory. */
static int open_scratch_repo(struct dg_repo *repo, git_repository **out)
{
	git_odb *odb = NULL, *real = NULL;
	git_odb_backend *mem = NULL;
	*out = NULL;
	if (git_repository_odb(&real, repo->repo) < 0)
		return dg_git_fail("cannot open the object database");
	struct readonly_odb *ro = dg_xcalloc(1, sizeof(*ro));
	git_odb_init_backend(&ro->parent, GIT_ODB_BACKEND_VERSION);
	ro->parent.read = ro_read;
	ro->parent.read_header = ro_read_header;
	ro->parent.exists = ro_exists;
	ro->parent.free = ro_free;
	ro->real = real;
	/* higher priority first: what the merge wrote, then the repository */
	if (git_odb_new(&odb) < 0 || git_mempack_new(&mem) < 0 ||
	    git_odb_add_backend(odb, mem, 2) < 0) {
		ro_free(&ro->parent);
		if (mem && !mem->odb)
			mem->free(mem);
		git_odb_free(odb);
		return dg_git_fail("cannot set up an in-memory object database");
	}
	if (git_odb_add_backend(odb, &ro->parent, 1) < 0) {
		ro_free(&ro->parent);
		git_odb_free(odb);
		return dg_git_fail("cannot set up an in-memory object database");
	}
	int r = git_repository_wrap_odb(out, odb);
	git_odb_free(odb);
	return r < 0 ? dg_git_fail("cannot set up an in-memory object database") : 0;
}

/* ---- the merged tree: every file, sorted by path ---- */

struct mfile {
	char *path;
	git_oid id;
	unsigned int mode;
};

struct mconflict {
	char *path; /* as the file list has it */
	char *what;
};

struct merge_impl {
	struct dg_repo *repo;
	git_repository *scratch; /* reads the merge's own blobs, then the repository's */
	struct mfile *files;
	size_t n_files, cap_files;
	struct mconflict *conflicts; /* sorted by path */
	size_t n_conflicts, cap_conflicts;
	git_oid ours, theirs;
	git_tree *ours_tree; /* which side a file came from */
	char *name, *ours_name, *theirs_name;
};

static int is_file_mode(unsigned int mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static void add_file(struct merge_impl *m, const char *path, const git_oid *id, unsigned int mode)
{
	struct mfile f;
	f.path = dg_xstrdup(path);
	git_oid_cpy(&f.id, id);
	f.mode = mode;
	DG_PUSH(m->files, m->n_files, m->cap_files, f);
}

static int cmp_mfile(const void *a, const void *b)
{
	return strcmp(((const struct mfile *)a)->path, ((const struct mfile *)b)->path);
}

static int cmp_mconflict(const void *a, const void *b)
{
	return strcmp(((const struct mconflict *)a)->path, ((const struct mconflict *)b)->path);
}

/* prefix + "/" + name, or name at the root. */
static void child_path(struct dg_buf *b, const char *prefix, const char *name)
{
	size_t pl = strlen(prefix);
	b->len = 0;
	if (pl) {
		dg_buf_add(b, prefix, pl);
		dg_buf_addch(b, '/');
	}
	dg_buf_adds(b, name);
}

/* Every file of tree (under prefix) into the list, as it is. */
static int take_tree(struct merge_impl *m, const char *prefix, git_tree *tree)
{
	struct dg_buf path = DG_BUF_INIT;
	int r = 0;
	for (size_t i = 0; i < git_tree_entrycount(tree) && !r; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		child_path(&path, prefix, git_tree_entry_name(e));
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			git_tree *sub = NULL;
			if (git_tree_lookup(&sub, m->repo->repo, git_tree_entry_id(e)) < 0) {
				r = dg_git_fail(dg_buf_cstr(&path));
				break;
			}
			char *p = dg_buf_detach(&path);
			r = take_tree(m, p, sub);
			free(p);
			git_tree_free(sub);
		} else {
			add_file(m, dg_buf_cstr(&path), git_tree_entry_id(e),
				 (unsigned int)git_tree_entry_filemode(e));
		}
	}
	dg_buf_release(&path);
	return r;
}

static int same_entry(const git_tree_entry *a, const git_tree_entry *b)
{
	if (!a || !b)
		return a == b;
	return git_tree_entry_filemode(a) == git_tree_entry_filemode(b) &&
	       git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b));
}

static int same_tree(git_tree *a, git_tree *b)
{
	if (!a || !b)
		return a == b;
	return git_oid_equal(git_tree_id(a), git_tree_id(b));
}

/* The entry named like e in tree, whatever its type (NULL when none). */
static const git_tree_entry *named(git_tree *tree, const git_tree_entry *e)
{
	return tree ? git_tree_entry_byname(tree, git_tree_entry_name(e)) : NULL;
}

static git_tree *sub_tree(struct merge_impl *m, const git_tree_entry *e)
{
	git_tree *t = NULL;
	if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE)
		git_tree_lookup(&t, m->repo->repo, git_tree_entry_id(e));
	return t;
}

static int merge_dir(struct merge_impl *m, const char *prefix, git_tree *base, git_tree *ours,
		     git_tree *theirs);

/*
 * One name of a directory, with its entry on each side (any may be NULL).
 * 1 when both sides changed it: the caller falls back to libgit2's merge.
 */
static int merge_entry(struct merge_impl *m, const char *prefix, const git_tree_entry *b,
		       const git_tree_entry *o, const git_tree_entry *t)
{
	const git_tree_entry *any = o ? o : t ? t : b;
	int dirs = 0, files = 0;
	const git_tree_entry *all[3] = {b, o, t};
	for (int k = 0; k < 3; k++)
		if (all[k])
			git_tree_entry_type(all[k]) == GIT_OBJECT_TREE ? dirs++ : files++;
	int r = 0;
	if (dirs && files) {
		r = 1; /* a file on one side, a directory on the other */
	} else if (dirs) {
		struct dg_buf path = DG_BUF_INIT;
		child_path(&path, prefix, git_tree_entry_name(any));
		git_tree *tb = sub_tree(m, b), *to = sub_tree(m, o), *tt = sub_tree(m, t);
		r = merge_dir(m, dg_buf_cstr(&path), tb, to, tt);
		git_tree_free(tb);
		git_tree_free(to);
		git_tree_free(tt);
		dg_buf_release(&path);
	} else if (b && !o && !t) {
		r = 1; /* deleted on both sides: maybe renamed on both, which git reports */
	} else {
		const git_tree_entry *keep = NULL;
		if (same_entry(o, t) || same_entry(t, b))
			keep = o;
		else if (same_entry(o, b))
			keep = t;
		else
			r = 1;
		if (!r && keep) {
			struct dg_buf path = DG_BUF_INIT;
			child_path(&path, prefix, git_tree_entry_name(keep));
			add_file(m, dg_buf_cstr(&path), git_tree_entry_id(keep),
				 (unsigned int)git_tree_entry_filemode(keep));
			dg_buf_release(&path);
		}
	}
	return r;
}

/*
 * The merge of one directory where no file changed on both sides: a side
 * unchanged since the base (same tree id) takes the other whole, so an
 * untouched migrations directory costs nothing; else the three listings
 * are walked together in git's tree order. 1 = both sides changed a path.
 */
static int merge_dir(struct merge_impl *m, const char *prefix, git_tree *base, git_tree *ours,
		     git_tree *theirs)
{
	if (same_tree(ours, theirs) || same_tree(theirs, base))
		return ours ? take_tree(m, prefix, ours) : 0;
	if (same_tree(ours, base))
		return theirs ? take_tree(m, prefix, theirs) : 0;
	git_tree *side[3] = {base, ours, theirs};
	size_t at[3] = {0, 0, 0};
	for (;;) {
		const git_tree_entry *cur[3] = {NULL, NULL, NULL}, *low = NULL;
		for (int k = 0; k < 3; k++) {
			if (side[k] && at[k] < git_tree_entrycount(side[k]))
				cur[k] = git_tree_entry_byindex(side[k], at[k]);
			if (cur[k] && (!low || dg_git_tree_order(cur[k], low) < 0))
				low = cur[k];
		}
		if (!low)
			return 0;
		const git_tree_entry *e[3] = {NULL, NULL, NULL};
		for (int k = 0; k < 3; k++)
			if (cur[k] && !dg_git_tree_order(cur[k], low)) {
				e[k] = cur[k];
				at[k]++;
			}
		/* a name that is a file here and a directory there does not line up */
		for (int k = 0; k < 3; k++)
			if (!e[k] && named(side[k], low))
				return 1;
		int r = merge_entry(m, prefix, e[0], e[1], e[2]);
		if (r)
			return r;
	}
}

static void files_release(struct merge_impl *m)
{
	for (size_t i = 0; i < m->n_files; i++)
		free(m->files[i].path);
	free(m->files);
	m->files = NULL;
	m->n_files = m->cap_files = 0;
}

static void add_conflict(struct merge_impl *m, const git_index_entry *anc,
			 const git_index_entry *ours, const git_index_entry *theirs)
{
	struct dg_buf what = DG_BUF_INIT;
	if (anc && ours && theirs)
		dg_buf_adds(&what, "both sides changed it since they split");
	else if (!anc && ours && theirs)
		dg_buf_adds(&what, "both sides added it, with different content");
	else if (anc && !ours && theirs)
		dg_buf_addf(&what, "%s deleted or renamed it and %s changed it", m->ours_name,
			    m->theirs_name);
	else if (anc && ours && !theirs)
		dg_buf_addf(&what, "%s changed it and %s deleted or renamed it", m->ours_name,
			    m->theirs_name);
	else
		dg_buf_adds(&what, "the two sides renamed it differently");
	struct mconflict c;
	c.path = dg_xstrdup(theirs ? theirs->path : ours ? ours->path : anc->path);
	c.what = dg_buf_detach(&what);
	DG_PUSH(m->conflicts, m->n_conflicts, m->cap_conflicts, c);
}

/*
 * libgit2's merge, as an index: stage-0 entries are the merged files; a
 * conflicted path keeps theirs' version (ours' when theirs deleted it) and
 * is listed as a conflict.
 */
static int take_index(struct merge_impl *m, git_index *index)
{
	size_t n = git_index_entrycount(index);
	for (size_t i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		int stage = git_index_entry_stage(e);
		if (stage == 1)
			continue;
		if (stage == 2 && i + 1 < n) {
			const git_index_entry *next = git_index_get_byindex(index, i + 1);
			if (git_index_entry_stage(next) == 3 && !strcmp(next->path, e->path))
				continue;
		}
		add_file(m, e->path, &e->id, e->mode);
	}
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *anc, *ours, *theirs;
	if (git_index_conflict_iterator_new(&it, index) < 0)
		return dg_git_fail("cannot list the merge's conflicts");
	while (git_index_conflict_next(&anc, &ours, &theirs, it) == 0)
		add_conflict(m, anc, ours, theirs);
	git_index_conflict_iterator_free(it);
	git_error_clear();
	return 0;
}

static int lookup_commit(git_repository *r, const struct dg_oid *oid, git_commit **out)
{
	git_oid id;
	dg_git_oid_from(&id, oid);
	if (git_commit_lookup(out, r, &id) < 0) {
		char hex[DG_OID_HEXSZ + 1];
		dg_oid_fmt(hex, oid);
		return dg_error("commit %.12s is not in this repository", hex);
	}
	return 0;
}

static int run_merge(struct merge_impl *m, const struct dg_oid *base, const struct dg_oid *ours,
		     const struct dg_oid *theirs)
{
	git_commit *oc = NULL, *tc = NULL, *bc = NULL;
	git_tree *ot = NULL, *tt = NULL, *bt = NULL;
	git_index *index = NULL;
	git_merge_options mo;
	int r = -1;
	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	mo.flags |= GIT_MERGE_SKIP_REUC;
	mo.target_limit = 1000; /* rename detection: git's merge.renameLimit */
	if (!base) {
		if (lookup_commit(m->scratch, ours, &oc) < 0 ||
		    lookup_commit(m->scratch, theirs, &tc) < 0)
			goto out;
		/* every merge base, as `git merge` finds them (criss-cross: a virtual one) */
		r = git_merge_commits(&index, m->scratch, oc, tc, &mo) < 0
			? dg_git_fail("cannot compute the merge")
			: take_index(m, index);
		goto out;
	}
	/* the quick way reads (cached) trees of the repository; nothing is written */
	git_repository *repo = m->repo->repo;
	if (lookup_commit(repo, base, &bc) < 0 || lookup_commit(repo, ours, &oc) < 0 ||
	    lookup_commit(repo, theirs, &tc) < 0)
		goto out;
	if (git_commit_tree(&bt, bc) < 0 || git_commit_tree(&ot, oc) < 0 ||
	    git_commit_tree(&tt, tc) < 0) {
		r = dg_git_fail("cannot read the trees to merge");
		goto out;
	}
	/*
	 * Where no path changed on both sides, the merge is the union of the
	 * two sides' changes, whatever rename detection would say: found by
	 * comparing tree ids, without listing unchanged directories. Else
	 * libgit2's three-way merge decides, renames and conflicts included.
	 */
	r = merge_dir(m, "", bt, ot, tt);
	if (r > 0) {
		files_release(m);
		git_tree *sb = NULL, *so = NULL, *st = NULL;
		if (git_tree_lookup(&sb, m->scratch, git_tree_id(bt)) < 0 ||
		    git_tree_lookup(&so, m->scratch, git_tree_id(ot)) < 0 ||
		    git_tree_lookup(&st, m->scratch, git_tree_id(tt)) < 0 ||
		    git_merge_trees(&index, m->scratch, sb, so, st, &mo) < 0)
			r = dg_git_fail("cannot compute the merge");
		else
			r = take_index(m, index);
		git_tree_free(sb);
		git_tree_free(so);
		git_tree_free(st);
	}
out:
	git_index_free(index);
	git_tree_free(bt);
	git_tree_free(ot);
	git_tree_free(tt);
	git_commit_free(bc);
	git_commit_free(oc);
	git_commit_free(tc);
	if (r == 0) {
		if (m->n_files > 1)
			qsort(m->files, m->n_files, sizeof(*m->files), cmp_mfile);
		if (m->n_conflicts > 1)
			qsort(m->conflicts, m->n_conflicts, sizeof(*m->conflicts), cmp_mconflict);
	}
	return r;
}

/* ---- the source ---- */

/* The first file at or after path. */
static size_t file_at(const struct merge_impl *m, const char *path)
{
	return dg_lower_bound_path(m->files, m->n_files, sizeof(*m->files), path);
}

static int merge_list(void *impl, const char *dir, dg_git_raw_cb cb, void *payload)
{
	struct merge_impl *m = impl;
	struct dg_buf prefix = DG_BUF_INIT;
	if (dir && *dir) {
		dg_buf_adds(&prefix, dir);
		dg_buf_addch(&prefix, '/');
	}
	const char *p = dg_buf_cstr(&prefix);
	int r = 0;
	for (size_t i = file_at(m, p); i < m->n_files && !r; i++) {
		const struct mfile *f = &m->files[i];
		if (strncmp(f->path, p, prefix.len))
			break;
		r = cb(f->path, f->mode, &f->id, payload);
	}
	dg_buf_release(&prefix);
	return r;
}

static unsigned int merge_lookup(void *impl, const char *path, git_oid *id)
{
	struct merge_impl *m = impl;
	size_t i = file_at(m, path);
	if (i < m->n_files && !strcmp(m->files[i].path, path)) {
		git_oid_cpy(id, &m->files[i].id);
		return m->files[i].mode;
	}
	/* a directory: a file lies below it (the files are sorted by path) */
	size_t l = strlen(path);
	char *prefix = dg_xmalloc(l + 2);
	memcpy(prefix, path, l);
	prefix[l] = '/';
	prefix[l + 1] = '\0';
	i = file_at(m, prefix);
	unsigned int mode = i < m->n_files && !strncmp(m->files[i].path, prefix, l + 1)
				? GIT_FILEMODE_TREE : 0;
	free(prefix);
	memset(id, 0, sizeof(*id));
	return mode;
}

static void merge_entries(struct merge_impl *m, struct dg_git_entries *out)
{
	*out = (struct dg_git_entries){ .repo = m->repo, .objects = m->scratch, .impl = m,
					 .lookup = merge_lookup, .list = merge_list };
}

static int merge_walk(struct dg_source *src, const char *dir, dg_entry_cb cb, void *payload)
{
	struct dg_git_entries e;
	merge_entries(src->impl, &e);
	return dg_git_walk_links(&e, dir, cb, payload);
}

static int merge_read(struct dg_source *src, const char *path, char **out, size_t *out_len)
{
	struct merge_impl *m = src->impl;
	size_t i = file_at(m, path);
	if (i == m->n_files || strcmp(m->files[i].path, path) || !is_file_mode(m->files[i].mode)) {
		struct dg_git_entries le;
		merge_entries(m, &le);
		return dg_git_link_read(&le, path, m->name, out, out_len);
	}
	return dg_git_read_blob(m->repo, m->scratch, &m->files[i].id, path, out, out_len);
}

/* The merge writes no trees: it has no directory ids. */
static int merge_dir_id(struct dg_source *src, const char *dir, char out[41])
{
	(void)src;
	(void)dir;
	out[0] = '\0';
	return 1;
}

static int is_conflicted(const struct merge_impl *m, const char *path)
{
	struct mconflict key = {(char *)path, NULL};
	return m->n_conflicts &&
	       bsearch(&key, m->conflicts, m->n_conflicts, sizeof(key), cmp_mconflict);
}

static void add_paths(const char ***v, size_t *n, size_t *cap, size_t **at, size_t *nat,
		      size_t *cat, const char *path, size_t i)
{
	DG_PUSH(*v, *n, *cap, path);
	DG_PUSH(*at, *nat, *cat, i);
}

/*
 * Which side brought each file, named with the commit: ours' files (on
 * the branch merged into) by the commit that added them there, the others
 * by the commit of theirs that added them, a conflicted file by the last
 * commit of each side that changed it.
 */
static int merge_origin(struct dg_source *src, const char *const *paths, size_t n, char **out)
{
	struct merge_impl *m = src->impl;
	const char **side[2] = {NULL, NULL};
	size_t ns[2] = {0, 0}, cs[2] = {0, 0}, *at[2] = {NULL, NULL}, nat[2] = {0, 0},
	       cat[2] = {0, 0};
	const char **both = NULL;
	size_t nb = 0, cb = 0, *bat = NULL, nbat = 0, cbat = 0;
	memset(out, 0, n * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		git_tree_entry *e = NULL;
		if (is_conflicted(m, paths[i])) {
			add_paths(&both, &nb, &cb, &bat, &nbat, &cbat, paths[i], i);
			continue;
		}
		int k = git_tree_entry_bypath(&e, m->ours_tree, paths[i]) == 0 ? 0 : 1;
		git_tree_entry_free(e);
		add_paths(&side[k], &ns[k], &cs[k], &at[k], &nat[k], &cat[k], paths[i], i);
	}
	git_error_clear();
	const git_oid *tip[2] = {&m->ours, &m->theirs};
	const char *name[2] = {m->ours_name, m->theirs_name};
	for (int k = 0; k < 2; k++) {
		char **got = dg_xcalloc(ns[k] + 1, sizeof(*got));
		struct dg_buf prefix = DG_BUF_INIT;
		dg_buf_addf(&prefix, "from %s in ", name[k]);
		dg_git_touch_phrases(m->repo, tip[k], DG_GIT_ADDED, side[k], ns[k],
				     dg_buf_cstr(&prefix), got);
		for (size_t j = 0; j < ns[k]; j++) {
			if (!got[j]) {
				struct dg_buf b = DG_BUF_INIT;
				dg_buf_addf(&b, "from %s", name[k]);
				got[j] = dg_buf_detach(&b);
			}
			out[at[k][j]] = got[j];
		}
		dg_buf_release(&prefix);
		free(got);
		free(side[k]);
		free(at[k]);
	}
	if (nb) {
		char **on[2];
		for (int k = 0; k < 2; k++) {
			on[k] = dg_xcalloc(nb + 1, sizeof(*on[k]));
			dg_git_touch_phrases(m->repo, tip[k], DG_GIT_CHANGED, both, nb, "", on[k]);
		}
		for (size_t j = 0; j < nb; j++) {
			struct dg_buf b = DG_BUF_INIT;
			dg_buf_adds(&b, "changed");
			for (int k = 0; k < 2; k++)
				dg_buf_addf(&b, "%s on %s%s%s", k ? " and" : "", name[k],
					    on[k][j] ? " in " : "", on[k][j] ? on[k][j] : "");
			out[bat[j]] = dg_buf_detach(&b);
		}
		for (int k = 0; k < 2; k++) {
			for (size_t j = 0; j < nb; j++)
				free(on[k][j]);
			free(on[k]);
		}
	}
	free(both);
	free(bat);
	return 0;
}

static int merge_conflicts(struct dg_source *src, dg_conflict_cb cb, void *payload)
{
	struct merge_impl *m = src->impl;
	int r = 0;
	for (size_t i = 0; i < m->n_conflicts && !r; i++)
		r = cb(m->conflicts[i].path, m->conflicts[i].what, payload);
	return r;
}

static void merge_free(struct dg_source *src)
{
	struct merge_impl *m = src->impl;
	files_release(m);
	for (size_t i = 0; i < m->n_conflicts; i++) {
		free(m->conflicts[i].path);
		free(m->conflicts[i].what);
	}
	free(m->conflicts);
	git_tree_free(m->ours_tree);
	git_repository_free(m->scratch);
	free(m->name);
	free(m->ours_name);
	free(m->theirs_name);
	free(m);
}

int dg_source_git_merge(struct dg_source **out, struct dg_repo *repo, const struct dg_oid *base,
			const struct dg_oid *ours, const struct dg_oid *theirs,
			const char *ours_name, const char *theirs_name)
{
	*out = NULL;
	struct merge_impl *m = dg_xcalloc(1, sizeof(*m));
	struct dg_source *src = dg_xcalloc(1, sizeof(*src));
	m->repo = repo;
	m->ours_name = dg_xstrdup(ours_name);
	m->theirs_name = dg_xstrdup(theirs_name);
	struct dg_buf name = DG_BUF_INIT;
	dg_buf_addf(&name, "the merge of %s into %s", theirs_name, ours_name);
	m->name = dg_buf_detach(&name);
	dg_git_oid_from(&m->ours, ours);
	dg_git_oid_from(&m->theirs, theirs);
	src->impl = m;
	src->free = merge_free;
	git_commit *oc = NULL;
	int r = open_scratch_repo(repo, &m->scratch);
	if (!r)
		r = run_merge(m, base, ours, theirs);
	if (!r)
		r = lookup_commit(repo->repo, ours, &oc);
	if (!r && git_commit_tree(&m->ours_tree, oc) < 0)
		r = dg_git_fail("cannot read its tree");
	git_commit_free(oc);
	if (r < 0) {
		char *msg = dg_xstrdup(dg_last_error());
		dg_source_free(src);
		dg_error("merge of %s into %s: %s", theirs_name, ours_name, msg);
		free(msg);
		return -1;
	}
	src->name = m->name;
	src->walk = merge_walk;
	src->read = merge_read;
	src->dir_id = merge_dir_id;
	src->origin = merge_origin;
	src->conflicts = merge_conflicts;
	*out = src;
	return 0;
}
