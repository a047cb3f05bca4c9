/* Inside the git layer only: the repository handle and libgit2 helpers. */
#ifndef DG_GIT_INT_H
#define DG_GIT_INT_H

#include <git2.h>

#include "core/core.h"
#include "git/git.h"
#include "source/source.h"

/* Blob bytes already read, by id: the same migration is in every tree a hook reads. */
struct dg_blob_cache {
	git_oid *ids;
	char **data;
	size_t *len;
	size_t cap, n, bytes;
};

struct dg_repo {
	git_repository *repo;
	git_index *index; /* GIT_INDEX_FILE or the repository's; loaded on use */
	char *workdir, *gitdir, *commondir;
	int shallow_loaded;
	git_oid *shallow; /* sorted: commits whose parents are cut off */
	size_t n_shallow;
	struct dg_blob_cache blobs;
};

/*
 * Put the header-checking guard in front of repo's object database
 * (guard.c): a damaged object is an error naming it, never a hang.
 */
int dg_git_guard_odb(git_repository *repo);

/* id in hex (git_oid_tostr formats a nibble at a time: a walk of 3,000 files felt it). */
void dg_git_oid_hex(char out[GIT_OID_HEXSZ + 1], const git_oid *id);

/* Copy a blob's bytes out, NUL-terminated (cached by id in repo). */
int dg_git_read_blob(struct dg_repo *repo, git_repository *objects, const git_oid *id,
		     const char *path, char **out, size_t *out_len);
void dg_git_blob_cache_release(struct dg_blob_cache *c);

/*
 * History of paths. For each of paths[0..n), the newest commit reachable
 * from `tip` that added it (DG_GIT_ADDED: the path is in the commit and in
 * none of its parents) or changed it (DG_GIT_CHANGED: its entry differs
 * from every parent's, deletion included). Only commits whose directory
 * of the path differs from every parent's are looked at closely (the
 * directory's id is read from the parent trees, so an unchanged
 * migrations directory costs no read of it). A shallow clone's graft
 * points count as roots. found[i] is 0 when the walk did not find it.
 */
enum dg_git_touch {
	DG_GIT_ADDED,
	DG_GIT_CHANGED,
};
int dg_git_find_touching(struct dg_repo *repo, const git_oid *tip, enum dg_git_touch mode,
			 const char *const *paths, size_t n, git_oid *out, int *found);
/*
 * out[i] = malloc'd "<prefix>commit abc1234 \"subject\"" naming the commit
 * dg_git_find_touching finds for paths[i]; left as it was where none is.
 */
void dg_git_touch_phrases(struct dg_repo *repo, const git_oid *tip, enum dg_git_touch mode,
			  const char *const *paths, size_t n, const char *prefix, char **out);
/* Append `commit abc1234 "subject"` (the subject cleaned and shortened) to b. */
void dg_git_describe_commit(struct dg_repo *repo, const git_oid *id, struct dg_buf *b);

/* git's tree order of two entries: a directory's name sorts as if it ended in '/'. */
int dg_git_tree_order(const git_tree_entry *a, const git_tree_entry *b);
/*
 * Symbolic links (links.c). A source over git entries (a tree, the index,
 * the in-memory merge) describes them by two functions; the walk and the
 * read on top follow links inside the repository.
 */
typedef int (*dg_git_raw_cb)(const char *path, unsigned int mode, const git_oid *id,
			     void *payload);
struct dg_git_entries {
	struct dg_repo *repo;
	git_repository *objects; /* where blobs (link targets too) are read */
	void *impl;
	/* mode and id of the entry at exactly path (GIT_FILEMODE_TREE for a directory), 0 = none */
	unsigned int (*lookup)(void *impl, const char *path, git_oid *id);
	/* every entry under dir ("" = root) that is not a directory, in path order;
	 * a non-zero return of cb stops the listing and is returned */
	int (*list)(void *impl, const char *dir, dg_git_raw_cb cb, void *payload);
	/* the bytes of the link blob id (malloc'd); NULL: read from objects */
	int (*read_link)(void *impl, const git_oid *id, char **out, size_t *len);
};
/* Where a path ends once every link on the way is followed. */
struct dg_git_resolved {
	unsigned int mode; /* a blob, tree or gitlink mode */
	git_oid id;
	char *path;        /* the real path ("" = the root) */
	char *problem;     /* -1: why it cannot be followed ("it points outside the repository") */
	int links;         /* symbolic links followed on the way */
};
int dg_git_link_resolve(const struct dg_git_entries *e, const char *path,
			struct dg_git_resolved *out);
void dg_git_resolved_release(struct dg_git_resolved *r);
/*
 * The source walk (see source.h) over e: regular files, links followed to
 * the file they name (listed under the link's name with .real set) or to a
 * directory (its files listed under the link's name, where git would sort
 * it), submodules and links that cannot be followed with their kind.
 */
int dg_git_walk_links(const struct dg_git_entries *e, const char *dir, dg_entry_cb cb,
		      void *payload);
/* Read path through the links on its way; `where` names the source in messages. */
int dg_git_link_read(const struct dg_git_entries *e, const char *path, const char *where,
		     char **out, size_t *out_len);

/* dg_error("<what>: <libgit2 message>"); returns -1. */
int dg_git_fail(const char *what);
void dg_git_oid_to(struct dg_oid *out, const git_oid *in);
void dg_git_oid_from(git_oid *out, const struct dg_oid *in);
/* The index the hooks read (borrowed; lives as long as repo). */
int dg_git_index(struct dg_repo *repo, git_index **out);

/*
 * Shallow clones: libgit2 1.5 does not honour $GIT_DIR/shallow, so the walks
 * below stop at its commits themselves. 1 when id is a graft point.
 */
int dg_git_is_shallow_commit(struct dg_repo *repo, const git_oid *id);
/*
 * Walk the parents of `from` (breadth first, shallow commits treated as
 * roots). cb returns non-zero to stop (that value is returned); *cut is set
 * when the walk met a graft point or a missing commit.
 */
typedef int (*dg_git_walk_cb)(const git_oid *id, git_commit *c, void *payload);
int dg_git_walk_parents(struct dg_repo *repo, const git_oid *const *from, size_t n_from,
			int (*skip)(const git_oid *id, void *payload), dg_git_walk_cb cb,
			void *payload, int *cut);
/*
 * Shallow-aware `git rev-list tip --not hide...`: *out (malloc'd) gets the
 * commits, newest first. -1 with a message when the walk from tip meets a
 * graft point or a missing commit before a hidden one.
 */
int dg_git_commits_between(struct dg_repo *repo, const git_oid *tip, const git_oid *hide,
			   size_t n_hide, git_oid **out, size_t *n_out);
/* Shallow-aware merge base: 0 found, 1 none, -1 history cut short (message set). */
int dg_git_merge_base_shallow(struct dg_repo *repo, const git_oid *a, const git_oid *b,
			      git_oid *out);
/* Is `want` reachable from `from` (or equal)? 1, 0, -1 when the history is cut short. */
int dg_git_reaches(struct dg_repo *repo, const git_oid *from, const git_oid *want);

#endif
