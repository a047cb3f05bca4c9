/*
 * Source readers: where bytes come from (the file system, a git tree, the
 * git index). Discovery, the graph and the rules never care which.
 */
#ifndef DG_SOURCE_H
#define DG_SOURCE_H

#include <stddef.h>

/* What a walk lists. */
enum dg_entry_kind {
	DG_ENTRY_FILE = 0,  /* a regular file, or a symbolic link followed to one */
	DG_ENTRY_SUBMODULE, /* a git submodule (gitlink; on disk a directory with a .git): not read */
	DG_ENTRY_BROKEN,    /* a symbolic link that cannot be followed (problem says why): not read */
};

/* One file under a source; paths are relative to the source root, '/'-separated. */
struct dg_entry {
	const char *path;
	const char *id;     /* content id (git blob oid hex) or NULL on the file system */
	enum dg_entry_kind kind;
	const char *real;   /* reached through a symbolic link: the real path of the file; else NULL */
	const char *problem; /* DG_ENTRY_BROKEN: why the link cannot be followed */
};

typedef int (*dg_entry_cb)(const struct dg_entry *entry, void *payload);

/* One file a merge could not settle: path as walk lists it, what conflicts, in words. */
typedef int (*dg_conflict_cb)(const char *path, const char *what, void *payload);

struct dg_source {
	const char *name;   /* "work tree", "HEAD", "index", a sha ... for messages */
	void *impl;
	/*
	 * Call cb for every regular file under dir ("" = root), recursively, in
	 * path order. A symbolic link that stays inside the source is followed:
	 * to a file, listed under the link's name (read gives the file's bytes);
	 * to a directory, its files listed under the link's name. Submodules
	 * and links that cannot be followed (outside the source, dangling, a
	 * loop) are listed with their kind and are not readable. A non-zero
	 * return from cb stops the walk and is returned. A missing dir is not
	 * an error (nothing is listed).
	 */
	int (*walk)(struct dg_source *src, const char *dir, dg_entry_cb cb, void *payload);
	/* Read one file: NUL-terminated, owned by the caller (free()). */
	int (*read)(struct dg_source *src, const char *path, char **out, size_t *out_len);
	/*
	 * Content id of a directory (git tree oid hex) into out[41]; returns 1
	 * when the source has no such ids (file system) or dir is missing.
	 */
	int (*dir_id)(struct dg_source *src, const char *dir, char out[41]);
	/*
	 * Optional (NULL: the source cannot tell, e.g. the file system). Where
	 * each of paths[0..n) came from, for messages: out[i] = a malloc'd
	 * phrase such as `added in commit abc1234 "add orders"` or `from this
	 * branch (commit abc1234 "add orders")`, or NULL when unknown.
	 * Walks history: call it for the few files a finding names.
	 */
	int (*origin)(struct dg_source *src, const char *const *paths, size_t n, char **out);
	/*
	 * Optional (NULL: nothing to report). Files that did not merge
	 * cleanly (the in-memory merge of a pull request), in path order;
	 * walk and read give one side's version of each. A non-zero return
	 * from cb stops the listing and is returned.
	 */
	int (*conflicts)(struct dg_source *src, dg_conflict_cb cb, void *payload);
	void (*free)(struct dg_source *src);
};

/* File system source rooted at root. */
int dg_source_fs_open(struct dg_source **out, const char *root);
void dg_source_free(struct dg_source *src);
/* Does path exist as a file in src? */
int dg_source_exists(struct dg_source *src, const char *path);

#endif
