/*
 * Repository access on libgit2: opening the repository git would use,
 * revisions, ancestry, hooks directory, current branch. Every libgit2
 * object is freed before the function that made it returns.
 */
#include "git/git.h"
#include "git/git_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"

int dg_git_fail(const char *what)
{
	const git_error *e = git_error_last();
	return dg_error("%s: %s", what, e && e->message ? e->message : "libgit2 error");
}

/* ---- object ids ---- */

/* n bytes in lower-case hex, NUL-terminated (2n + 1 bytes of out). */
static void hex_of(char *out, const unsigned char *bytes, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

void dg_oid_fmt(char out[DG_OID_HEXSZ + 1], const struct dg_oid *oid)
{
	hex_of(out, oid->id, sizeof(oid->id));
}

void dg_git_oid_hex(char out[GIT_OID_HEXSZ + 1], const git_oid *id)
{
	hex_of(out, id->id, GIT_OID_RAWSZ);
}

int dg_oid_parse(struct dg_oid *out, const char *s)
{
	if (strlen(s) != DG_OID_HEXSZ)
		return dg_error("'%s' is not a 40-digit sha", s);
	for (size_t i = 0; i < sizeof(out->id); i++) {
		int hi = dg_hexval(s[2 * i]), lo = dg_hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return dg_error("'%s' is not a 40-digit sha", s);
		out->id[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int dg_oid_is_zero(const struct dg_oid *oid)
{
	for (size_t i = 0; i < sizeof(oid->id); i++)
		if (oid->id[i])
			return 0;
	return 1;
}

int dg_oid_equal(const struct dg_oid *a, const struct dg_oid *b)
{
	return !memcmp(a->id, b->id, sizeof(a->id));
}

void dg_git_oid_to(struct dg_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, sizeof(out->id));
}

void dg_git_oid_from(git_oid *out, const struct dg_oid *in)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->id, in->id, sizeof(in->id));
}

/* ---- opening ---- */

/*
 * Library settings for a short-lived reader: keep big trees (a migrations
 * directory of thousands of files) in the object cache, and do not re-hash
 * every object read (git itself does not either).
 */
static void init_library(void)
{
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)4 << 20);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, (size_t)64 << 10);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

static char *strip_slash(const char *p)
{
	size_t l = strlen(p);
	while (l > 1 && p[l - 1] == '/')
		l--;
	return dg_xstrndup(p, l);
}

static int finish_open(struct dg_repo **out, git_repository *r)
{
	if (dg_git_guard_odb(r) < 0) {
		git_repository_free(r);
		git_libgit2_shutdown();
		return -1;
	}
	struct dg_repo *repo = dg_xcalloc(1, sizeof(*repo));
	repo->repo = r;
	if (git_repository_workdir(r))
		repo->workdir = strip_slash(git_repository_workdir(r));
	repo->gitdir = strip_slash(git_repository_path(r));
	repo->commondir = strip_slash(git_repository_commondir(r));
	*out = repo;
	return 0;
}

/*
 * libgit2 1.5 refuses GIT_WORK_TREE under GIT_REPOSITORY_OPEN_FROM_ENV (and
 * git_repository_set_workdir leaks): open $GIT_DIR, or discover from cwd,
 * and keep the work tree root ourselves; nothing we read depends on it
 * but the config file and core.hooksPath.
 */
static int open_with_work_tree(git_repository **r)
{
	const char *dir = getenv("GIT_DIR");
	if (dir && *dir)
		return git_repository_open_ext(r, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	return git_repository_open_ext(r, ".", 0, getenv("GIT_CEILING_DIRECTORIES"));
}

int dg_repo_open(struct dg_repo **out)
{
	git_repository *r = NULL;
	const char *work_tree = getenv("GIT_WORK_TREE");
	int rc;
	*out = NULL;
	init_library();
	if (work_tree && *work_tree)
		rc = open_with_work_tree(&r);
	else
		rc = git_repository_open_ext(&r, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (rc < 0) {
		const git_error *e = git_error_last();
		dg_error("not in a git repository (%s)",
			 e && e->message ? e->message : "none found from the current directory");
		git_repository_free(r);
		git_libgit2_shutdown();
		return -1;
	}
	if (finish_open(out, r) < 0)
		return -1;
	if (work_tree && *work_tree) {
		char *abs = realpath(work_tree, NULL);
		free((*out)->workdir);
		(*out)->workdir = strip_slash(abs ? abs : work_tree);
		free(abs);
	}
	return 0;
}

int dg_repo_open_at(struct dg_repo **out, const char *path)
{
	git_repository *r = NULL;
	*out = NULL;
	init_library();
	if (git_repository_open_ext(&r, path, 0, NULL) < 0) {
		dg_error("%s: not in a git repository", path);
		git_libgit2_shutdown();
		return -1;
	}
	return finish_open(out, r);
}

void dg_repo_free(struct dg_repo *repo)
{
	if (!repo)
		return;
	git_index_free(repo->index);
	dg_git_blob_cache_release(&repo->blobs);
	free(repo->shallow);
	git_repository_free(repo->repo);
	free(repo->workdir);
	free(repo->gitdir);
	free(repo->commondir);
	free(repo);
	git_libgit2_shutdown();
}

const char *dg_repo_workdir(struct dg_repo *repo)
{
	return repo->workdir;
}

const char *dg_repo_gitdir(struct dg_repo *repo)
{
	return repo->gitdir;
}

const char *dg_repo_commondir(struct dg_repo *repo)
{
	return repo->commondir;
}

int dg_repo_is_shallow(struct dg_repo *repo)
{
	return git_repository_is_shallow(repo->repo) == 1;
}

int dg_git_index(struct dg_repo *repo, git_index **out)
{
	if (!repo->index) {
		const char *f = getenv("GIT_INDEX_FILE");
		if (f && *f) {
			struct stat st;
			if (stat(f, &st) < 0)
				return dg_error("GIT_INDEX_FILE '%s' does not exist", f);
			if (git_index_open(&repo->index, f) < 0)
				return dg_git_fail(f);
		} else if (git_repository_index(&repo->index, repo->repo) < 0) {
			return dg_git_fail("cannot read the index");
		}
	}
	*out = repo->index;
	return 0;
}

/* ---- hooks dir, branch ---- */

int dg_repo_hooks_dir(struct dg_repo *repo, char **out)
{
	git_config *cfg = NULL;
	git_buf val = {0};
	*out = NULL;
	if (git_repository_config_snapshot(&cfg, repo->repo) < 0)
		return dg_git_fail("cannot read the git config");
	int r = git_config_get_path(&val, cfg, "core.hooksPath");
	git_config_free(cfg);
	if (r == 0 && val.ptr && *val.ptr) {
		struct dg_buf b = DG_BUF_INIT;
		if (val.ptr[0] != '/')
			dg_buf_addf(&b, "%s/", repo->workdir ? repo->workdir : repo->gitdir);
		dg_buf_adds(&b, val.ptr);
		git_buf_dispose(&val);
		char *s = dg_buf_detach(&b);
		*out = strip_slash(s);
		free(s);
		return 0;
	}
	git_buf_dispose(&val);
	if (r < 0 && r != GIT_ENOTFOUND)
		return dg_git_fail("core.hooksPath");
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addf(&b, "%s/hooks", repo->commondir);
	*out = dg_buf_detach(&b);
	return 0;
}

int dg_repo_current_branch(struct dg_repo *repo, char **out)
{
	git_reference *head = NULL;
	*out = NULL;
	if (git_reference_lookup(&head, repo->repo, "HEAD") < 0)
		return dg_git_fail("cannot read HEAD");
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *t = git_reference_symbolic_target(head);
		if (t && dg_str_startswith(t, "refs/heads/"))
			*out = dg_xstrdup(t + strlen("refs/heads/"));
	}
	git_reference_free(head);
	return 0;
}

/* ---- revisions and history ---- */

int dg_repo_head_unborn(struct dg_repo *repo)
{
	return git_repository_head_unborn(repo->repo) == 1;
}

/*
 * A lookup failure that is not "no such object" means the object is there
 * but cannot be read: name it as damaged (with libgit2's reason), so a
 * broken repository is never taken for a missing or non-commit object.
 */
static int lookup_fail(int code, const char *kind, const char *name)
{
	const git_error *e = git_error_last();
	const char *why = e && e->message ? e->message : "unreadable";
	if (code == GIT_ENOTFOUND || code == GIT_EINVALIDSPEC || code == GIT_EAMBIGUOUS)
		return 0;
	if (strstr(why, "damaged"))
		return dg_error("%s %s: %s", kind, name, why);
	return dg_error("%s %s: cannot read it (%s); the repository may be damaged: run `git fsck`",
			kind, name, why);
}

/*
 * A plain ref name ("HEAD", "origin/main", a tag) resolved to its object
 * without reading it: libgit2 1.5's revparse leaks the reference when the
 * object it names cannot be read, so a damaged commit is looked up by us.
 * 1 when rev is not a ref name (the caller falls back to revparse).
 */
static int resolve_ref_name(struct dg_repo *repo, const char *rev, git_object **out)
{
	git_reference *ref = NULL, *direct = NULL;
	if (git_reference_dwim(&ref, repo->repo, rev) < 0) {
		git_error_clear();
		return 1;
	}
	int e = git_reference_resolve(&direct, ref);
	git_reference_free(ref);
	if (e < 0)
		return e; /* a symbolic ref to nothing (an unborn branch) */
	git_oid id = *git_reference_target(direct);
	git_reference_free(direct);
	return git_object_lookup(out, repo->repo, &id, GIT_OBJECT_ANY);
}

int dg_repo_resolve(struct dg_repo *repo, const char *rev, struct dg_oid *out)
{
	git_object *obj = NULL, *peeled = NULL;
	int e = resolve_ref_name(repo, rev, &obj);
	if (e == 1)
		e = git_revparse_single(&obj, repo->repo, rev);
	if (e < 0) {
		if (lookup_fail(e, "revision", rev) < 0)
			return -1;
		return dg_error("unknown revision '%s'", rev);
	}
	int r = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (r < 0) {
		if (lookup_fail(r, "revision", rev) < 0)
			return -1;
		return dg_error("revision '%s' does not name a commit", rev);
	}
	dg_git_oid_to(out, git_object_id(peeled));
	git_object_free(peeled);
	return 0;
}

int dg_repo_peel_commit(struct dg_repo *repo, const struct dg_oid *oid, struct dg_oid *out)
{
	git_oid id;
	git_object *obj = NULL, *peeled = NULL;
	char hex[DG_OID_HEXSZ + 1];
	dg_git_oid_from(&id, oid);
	dg_oid_fmt(hex, oid);
	int e = git_object_lookup(&obj, repo->repo, &id, GIT_OBJECT_ANY);
	if (e < 0) {
		if (lookup_fail(e, "object", hex) < 0)
			return DG_GIT_DAMAGED;
		return dg_error("object %s is not in this repository", hex);
	}
	int r = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (r < 0) {
		if (lookup_fail(r, "object", hex) < 0)
			return DG_GIT_DAMAGED;
		return dg_error("object %s is not a commit", hex);
	}
	dg_git_oid_to(out, git_object_id(peeled));
	git_object_free(peeled);
	return 0;
}

int dg_repo_has_object(struct dg_repo *repo, const struct dg_oid *oid)
{
	git_odb *odb = NULL;
	git_oid id;
	if (git_repository_odb(&odb, repo->repo) < 0)
		return 0;
	dg_git_oid_from(&id, oid);
	int r = git_odb_exists(odb, &id);
	git_odb_free(odb);
	return r == 1;
}

int dg_repo_merge_base(struct dg_repo *repo, const struct dg_oid *a, const struct dg_oid *b,
		       struct dg_oid *out)
{
	git_oid ga, gb, base;
	dg_git_oid_from(&ga, a);
	dg_git_oid_from(&gb, b);
	if (dg_repo_is_shallow(repo)) {
		int s = dg_git_merge_base_shallow(repo, &ga, &gb, &base);
		if (s == 0)
			dg_git_oid_to(out, &base);
		return s;
	}
	int r = git_merge_base(&base, repo->repo, &ga, &gb);
	if (r == GIT_ENOTFOUND)
		return 1;
	if (r < 0)
		return dg_git_fail("merge base");
	dg_git_oid_to(out, &base);
	return 0;
}

/* A walk from a commit that stops at `want` or after `left` commits. */
struct near_walk {
	const git_oid *want;
	size_t left;
	int found;
};

static int near_visit(const git_oid *id, git_commit *c, void *payload)
{
	struct near_walk *w = payload;
	(void)c;
	if (!git_oid_cmp(id, w->want)) {
		w->found = 1;
		return 1;
	}
	return --w->left == 0 ? 2 : 0;
}

int dg_repo_descendant_of(struct dg_repo *repo, const struct dg_oid *commit,
			  const struct dg_oid *ancestor)
{
	git_oid c, a;
	if (dg_oid_equal(commit, ancestor))
		return 1;
	dg_git_oid_from(&c, commit);
	dg_git_oid_from(&a, ancestor);
	if (dg_repo_is_shallow(repo))
		return dg_git_reaches(repo, &c, &a);
	/*
	 * A push usually adds a few commits on top of the remote's: look for
	 * the ancestor among the nearest 256 first. libgit2's merge-base walk,
	 * which answers every other case, reads far more of a long history.
	 */
	const git_oid *from = &c;
	struct near_walk w = { &a, 256, 0 };
	int cut;
	int stop = dg_git_walk_parents(repo, &from, 1, NULL, near_visit, &w, &cut);
	if (w.found)
		return 1;
	if (!stop && !cut)
		return 0; /* the whole history walked: it is not there */
	int r = git_graph_descendant_of(repo->repo, &c, &a);
	if (r < 0)
		return dg_git_fail("cannot follow the history");
	return r ? 1 : 0;
}

/* ---- remote-tracking branches ---- */

static int cmp_tracking(const void *a, const void *b)
{
	return strcmp(((const struct dg_tracking_ref *)a)->name,
		      ((const struct dg_tracking_ref *)b)->name);
}

int dg_repo_tracking_refs(struct dg_repo *repo, const char *remote, struct dg_tracking_ref **out,
			  size_t *n)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	struct dg_buf glob = DG_BUF_INIT;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	dg_buf_addf(&glob, "refs/remotes/%s/*", remote);
	int r = git_reference_iterator_glob_new(&it, repo->repo, dg_buf_cstr(&glob));
	size_t skip = strlen("refs/remotes/");
	size_t branch_at = strlen(remote) + 1;
	dg_buf_release(&glob);
	if (r < 0)
		return dg_git_fail("cannot list the remote-tracking branches");
	while (git_reference_next(&ref, it) == 0) {
		git_object *obj = NULL;
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT &&
		    git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			struct dg_tracking_ref t;
			t.name = dg_xstrdup(git_reference_name(ref) + skip);
			t.branch = t.name + branch_at;
			dg_git_oid_to(&t.commit, git_object_id(obj));
			DG_PUSH(*out, *n, cap, t);
		}
		git_object_free(obj);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	git_error_clear();
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_tracking);
	return 0;
}

void dg_tracking_refs_free(struct dg_tracking_ref *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}
