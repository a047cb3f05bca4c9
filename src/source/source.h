/*
 * Source readers: where bytes come from (the file system, a git tree, the
 * git index). Discovery, the graph and the rules never care which.
 */
#ifndef DG_SOURCE_H
#define DG_SOURCE_H

#include <stddef.h>

/* One file under a source; paths are relative to the source root, '/'-separated. */
struct dg_entry {
	const char *path;
	const char *id;     /* content id (git blob oid hex) or NULL on the file system */
};

typedef int (*dg_entry_cb)(const struct dg_entry *entry, void *payload);

struct dg_source {
	const char *name;   /* "work tree", "HEAD", "index", a sha ... for messages */
	void *impl;
	/*
	 * Call cb for every regular file under dir ("" = root), recursively, in
	 * path order. A non-zero return from cb stops the walk and is returned.
	 * A missing dir is not an error (nothing is listed).
	 */
	int (*walk)(struct dg_source *src, const char *dir, dg_entry_cb cb, void *payload);
	/* Read one file: NUL-terminated, owned by the caller (free()). */
	int (*read)(struct dg_source *src, const char *path, char **out, size_t *out_len);
	/*
	 * Content id of a directory (git tree oid hex) into out[41]; returns 1
	 * when the source has no such ids (file system) or dir is missing.
	 */
	int (*dir_id)(struct dg_source *src, const char *dir, char out[41]);
	void (*free)(struct dg_source *src);
};

/* File system source rooted at root. */
int dg_source_fs_open(struct dg_source **out, const char *root);
void dg_source_free(struct dg_source *src);
/* Does path exist as a file in src? */
int dg_source_exists(struct dg_source *src, const char *path);

#endif
