/*
 * The git layer: the only place that knows libgit2. Opens the repository
 * git would use (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, linked worktrees),
 * resolves revisions, hands out source readers over commits and the index,
 * and answers the history questions the hooks and `ci` ask.
 */
#ifndef DG_GIT_H
#define DG_GIT_H

#include <stddef.h>

#include "source/source.h"

/* An object id (SHA-1). All-zero means "none" (a new ref, a deletion). */
struct dg_oid {
	unsigned char id[20];
};

#define DG_OID_HEXSZ 40

void dg_oid_fmt(char out[DG_OID_HEXSZ + 1], const struct dg_oid *oid);
/* Exactly 40 hex digits; -1 (message set) otherwise. */
int dg_oid_parse(struct dg_oid *out, const char *hex);
int dg_oid_is_zero(const struct dg_oid *oid);
int dg_oid_equal(const struct dg_oid *a, const struct dg_oid *b);

/* The blob id git would give data (no repository needed); -1 on failure. */
int dg_git_blob_id(const char *data, size_t len, char out[DG_OID_HEXSZ + 1]);

struct dg_repo;

/*
 * Open the repository git would use from the current directory: GIT_DIR /
 * GIT_WORK_TREE / GIT_COMMON_DIR / GIT_INDEX_FILE when set, else discovery
 * upward from cwd. Linked worktrees and bare repositories work.
 */
int dg_repo_open(struct dg_repo **out);
/* Open the repository containing `path` (discover upward), ignoring the environment. */
int dg_repo_open_at(struct dg_repo **out, const char *path);
void dg_repo_free(struct dg_repo *repo);

/* Work tree root, no trailing slash; NULL for a bare repository. Borrowed. */
const char *dg_repo_workdir(struct dg_repo *repo);
/* The git dir ($GIT_DIR; the worktree's own dir for a linked worktree). Borrowed. */
const char *dg_repo_gitdir(struct dg_repo *repo);
/* The common dir (main repository's git dir for linked worktrees). Borrowed. */
const char *dg_repo_commondir(struct dg_repo *repo);
int dg_repo_is_shallow(struct dg_repo *repo);

/*
 * The hooks directory git runs hooks from: core.hooksPath (a relative value
 * is taken relative to the work tree root, `~` expanded), else
 * <common dir>/hooks. *out is malloc'd, no trailing slash.
 */
int dg_repo_hooks_dir(struct dg_repo *repo, char **out);

/*
 * The current branch: *out = short name ("master") malloc'd, or NULL when
 * HEAD is detached. An unborn branch (no commit yet) still has its name.
 */
int dg_repo_current_branch(struct dg_repo *repo, char **out);

/*
 * Every branch name the repository knows: local branches (refs/heads/X),
 * remote-tracking branches (refs/remotes/R/X, as X) and the current branch
 * even when it has no commit yet; each once. *out and its strings are
 * malloc'd, the caller frees them.
 */
int dg_repo_branch_names(struct dg_repo *repo, char ***out, size_t *n);

/*
 * Resolve a revision (HEAD, HEAD~1, a branch, a tag, a full or short sha,
 * anything git_revparse_single takes) and peel it to a commit.
 * -1 (message names rev) when unknown or not a commit.
 */
int dg_repo_resolve(struct dg_repo *repo, const char *rev, struct dg_oid *out);
/*
 * Peel the object `oid` (tag or commit) to a commit: 0; -1 (message set)
 * when it is missing or not a commit; DG_GIT_DAMAGED (message names the
 * object and says to run git fsck) when it is there but cannot be read.
 */
#define DG_GIT_DAMAGED (-3)
int dg_repo_peel_commit(struct dg_repo *repo, const struct dg_oid *oid, struct dg_oid *out);
/* Does HEAD name a branch with no commit yet? */
int dg_repo_head_unborn(struct dg_repo *repo);
/* Is the object in the object database? 1 / 0 (a shallow clone lacks history). */
int dg_repo_has_object(struct dg_repo *repo, const struct dg_oid *oid);

/*
 * Merge base of two commits: 0 found, 1 none (unrelated histories), -1 error.
 * In a shallow clone the walk stops at the graft points; -1 (message says
 * shallow) when the history joining them is not there.
 */
int dg_repo_merge_base(struct dg_repo *repo, const struct dg_oid *a, const struct dg_oid *b,
		       struct dg_oid *out);
/*
 * Is `commit` equal to or a descendant of `ancestor` (would moving a ref
 * from ancestor to commit be a fast-forward)? 1 yes, 0 no, -1 error (e.g.
 * history missing in a shallow clone; message set).
 */
int dg_repo_descendant_of(struct dg_repo *repo, const struct dg_oid *commit,
			  const struct dg_oid *ancestor);

/* Source over a commit's tree (peels tags). name is used in messages; copied. */
int dg_source_git_commit(struct dg_source **out, struct dg_repo *repo, const struct dg_oid *commit,
			 const char *name);
/*
 * Source over the index: GIT_INDEX_FILE when set (the temporary index of
 * `commit -a` / `commit <paths>`), else the repository's index. Reads the
 * staged blobs, never the work tree. dir_id computes the tree id the
 * directory would have if the index were written, so it compares equal to
 * a commit source's dir_id when the staged directory is unchanged.
 */
int dg_source_git_index(struct dg_source **out, struct dg_repo *repo);

/*
 * Source over the merge of `theirs` into `ours` (ours: the branch merged
 * into, e.g. origin/main; theirs: the change), as `git merge` would make
 * it, computed in memory: nothing is written to the repository, not even
 * the blobs of files merged line by line. `base` is the merge base to
 * use, or NULL to let libgit2 find every merge base as `git merge` does
 * (a criss-cross history gets a virtual one; not in a shallow clone,
 * whose history libgit2 cannot walk: pass dg_repo_merge_base's). A path that
 * conflicts reads as theirs' version (ours' when theirs deleted it) and
 * is listed by src->conflicts; src->origin says which side brought a file
 * and the commit that added it there. The names are for messages
 * ("origin/main", "this branch"); copied.
 */
int dg_source_git_merge(struct dg_source **out, struct dg_repo *repo, const struct dg_oid *base,
			const struct dg_oid *ours, const struct dg_oid *theirs,
			const char *ours_name, const char *theirs_name);

/* A remote-tracking branch git already has (refs/remotes/<remote>/<branch>). */
struct dg_tracking_ref {
	char *name;	     /* "origin/main" */
	const char *branch;  /* "main" (inside name) */
	struct dg_oid commit;
};

/*
 * The remote-tracking branches of `remote` that point at a commit, sorted
 * by name (refs/remotes/<remote>/HEAD and other symbolic refs left out).
 * Nothing is fetched. *out is malloc'd; free with dg_tracking_refs_free.
 */
int dg_repo_tracking_refs(struct dg_repo *repo, const char *remote, struct dg_tracking_ref **out,
			  size_t *n);
void dg_tracking_refs_free(struct dg_tracking_ref *v, size_t n);

/* One changed path. Renames are not detected: a rename is D + A. */
enum dg_change_kind {
	DG_CHANGE_ADDED = 'A',
	DG_CHANGE_MODIFIED = 'M',
	DG_CHANGE_DELETED = 'D',
};

struct dg_change {
	char *path; /* repo-relative, '/'-separated */
	enum dg_change_kind kind;
};

/* Sorted by path, unique. */
struct dg_changes {
	struct dg_change *v;
	size_t n, cap;
};

void dg_changes_release(struct dg_changes *c);
/* The change of path, or NULL (binary search). */
const struct dg_change *dg_changes_find(const struct dg_changes *c, const char *path);

/*
 * Paths that differ between two commits' trees (tree-to-tree diff; a NULL
 * `from` is the empty tree). Unchanged subtrees are skipped by id.
 */
int dg_repo_diff_commits(struct dg_repo *repo, const struct dg_oid *from, const struct dg_oid *to,
			 struct dg_changes *out);
/* Paths that differ between a commit's tree (NULL = empty) and the index of dg_source_git_index. */
int dg_repo_diff_index(struct dg_repo *repo, const struct dg_oid *from, struct dg_changes *out);
/*
 * Paths changed by the commits reachable from `tip` but from none of
 * `hide[0..n_hide)` and none of the refs matching `hide_glob` (e.g.
 * "refs/remotes/origin/" followed by "*"; NULL = none). A commit's change is its diff to
 * its parent; for a merge, the paths that differ from every parent. The
 * kind is that of the newest commit touching the path. Missing history
 * (shallow clone) is an error with a message saying so.
 */
int dg_repo_changed_since(struct dg_repo *repo, const struct dg_oid *tip, const struct dg_oid *hide,
			  size_t n_hide, const char *hide_glob, struct dg_changes *out);

#endif
