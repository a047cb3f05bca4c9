/* File system source: walks and reads plain files under a root directory. */
#include "source/source.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"

struct fs_impl {
	char *root;
};

static char *join(const char *a, const char *b)
{
	struct dg_buf buf = DG_BUF_INIT;
	dg_buf_adds(&buf, a);
	if (*b) {
		if (buf.len && buf.ptr[buf.len - 1] != '/')
			dg_buf_addch(&buf, '/');
		dg_buf_adds(&buf, b);
	}
	return dg_buf_detach(&buf);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(struct fs_impl *fs, const char *rel, dg_entry_cb cb, void *payload, int depth)
{
	char *abs = join(fs->root, rel);
	DIR *d = opendir(abs);
	free(abs);
	if (!d)
		return 0;
	if (depth > 64) {
		closedir(d);
		return 0;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		DG_PUSH(names, n, cap, dg_xstrdup(de->d_name));
	}
	closedir(d);
	if (n > 1) /* qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof(*names), cmp_names);
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		if (r) {
			free(names[i]);
			continue;
		}
		char *child = join(rel, names[i]);
		char *cabs = join(fs->root, child);
		struct stat st;
		if (stat(cabs, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				r = walk_dir(fs, child, cb, payload, depth + 1);
			} else if (S_ISREG(st.st_mode)) {
				struct dg_entry e = { child, NULL };
				r = cb(&e, payload);
			}
		}
		free(cabs);
		free(child);
		free(names[i]);
	}
	free(names);
	return r;
}

static int fs_walk(struct dg_source *src, const char *dir, dg_entry_cb cb, void *payload)
{
	return walk_dir(src->impl, dir ? dir : "", cb, payload, 0);
}

static int fs_read(struct dg_source *src, const char *path, char **out, size_t *out_len)
{
	struct fs_impl *fs = src->impl;
	char *abs = join(fs->root, path);
	int r = dg_read_file(abs, out, out_len);
	free(abs);
	if (r < 0) /* name the file as the user knows it */
		return dg_error("%s: cannot read: %s", path, strerror(errno));
	return 0;
}

static int fs_dir_id(struct dg_source *src, const char *dir, char out[41])
{
	(void)src;
	(void)dir;
	out[0] = '\0';
	return 1;
}

static void fs_free(struct dg_source *src)
{
	struct fs_impl *fs = src->impl;
	free(fs->root);
	free(fs);
}

int dg_source_fs_open(struct dg_source **out, const char *root)
{
	struct dg_source *src = dg_xcalloc(1, sizeof(*src));
	struct fs_impl *fs = dg_xcalloc(1, sizeof(*fs));
	fs->root = dg_xstrdup(root && *root ? root : ".");
	src->name = "work tree";
	src->impl = fs;
	src->walk = fs_walk;
	src->read = fs_read;
	src->dir_id = fs_dir_id;
	src->free = fs_free;
	*out = src;
	return 0;
}

void dg_source_free(struct dg_source *src)
{
	if (!src)
		return;
	if (src->free)
		src->free(src);
	free(src);
}

struct exists_ctx {
	const char *path;
	int found;
};

static int exists_cb(const struct dg_entry *e, void *payload)
{
	struct exists_ctx *c = payload;
	if (!strcmp(e->path, c->path)) {
		c->found = 1;
		return 1;
	}
	return 0;
}

int dg_source_exists(struct dg_source *src, const char *path)
{
	struct exists_ctx c = { path, 0 };
	const char *slash = strrchr(path, '/');
	char *dir = slash ? dg_xstrndup(path, (size_t)(slash - path)) : dg_xstrdup("");
	src->walk(src, dir, exists_cb, &c);
	free(dir);
	return c.found;
}
