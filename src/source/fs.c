/* File system source: walks and reads plain files under a root directory. */
#include "source/source.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"

struct fs_impl {
	char *root;
	char *real_root; /* realpath of root: where a followed link must stay */
};

#define FS_DEPTH_MAX 64
#define FS_LINKED_MAX 100000 /* entries one walk reaches through directory links */

struct fs_walk {
	struct fs_impl *fs;
	dg_entry_cb cb;
	void *payload;
	size_t linked;			/* entries listed through directory links */
	dev_t dev[FS_DEPTH_MAX + 1];	/* the directories being listed: a link back is a loop */
	ino_t ino[FS_DEPTH_MAX + 1];
	int depth;
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

/* A directory that is a git work tree of its own (a submodule, a nested clone). */
static int has_git(const char *abs)
{
	char *g = join(abs, ".git");
	struct stat st;
	int r = lstat(g, &st) == 0;
	free(g);
	return r;
}

/* The path of real (absolute) relative to the repository, or NULL when outside it. */
static const char *inside(const struct fs_impl *fs, const char *real)
{
	size_t l = strlen(fs->real_root);
	if (!strcmp(fs->real_root, "/"))
		return real + 1;
	if (strncmp(real, fs->real_root, l) || (real[l] != '/' && real[l] != '\0'))
		return NULL;
	return real[l] ? real + l + 1 : real + l;
}

static int walk_dir(struct fs_walk *w, const char *shown, const char *abs, int via,
		    const struct stat *known);

static int emit(struct fs_walk *w, const char *path, enum dg_entry_kind kind, const char *real,
		const char *problem, int via)
{
	struct dg_entry e = {path, NULL, kind, real, problem};
	if (via)
		w->linked++;
	return w->cb(&e, w->payload);
}

/* A symbolic link at abs, listed as path: followed when it stays inside the repository. */
static int walk_link(struct fs_walk *w, const char *path, const char *abs, int via)
{
	char *real = realpath(abs, NULL);
	if (!real)
		return emit(w, path, DG_ENTRY_BROKEN, NULL,
			    errno == ELOOP ? "too many levels of symbolic links (a loop)"
			    : errno == ENOENT ? "what it names does not exist"
					      : strerror(errno), via);
	const char *rel = inside(w->fs, real);
	struct stat st;
	int r = 0;
	if (!rel)
		r = emit(w, path, DG_ENTRY_BROKEN, NULL, "it points outside the repository", via);
	else if (stat(real, &st) < 0)
		r = emit(w, path, DG_ENTRY_BROKEN, NULL, strerror(errno), via);
	else if (S_ISREG(st.st_mode))
		r = emit(w, path, DG_ENTRY_FILE, rel, NULL, via);
	else if (S_ISDIR(st.st_mode)) {
		int loop = 0;
		for (int i = 0; i <= w->depth && !loop; i++)
			loop = w->dev[i] == st.st_dev && w->ino[i] == st.st_ino;
		if (loop)
			r = emit(w, path, DG_ENTRY_BROKEN, NULL,
				 "it names a directory that holds the link itself (a loop)", via);
		else if (has_git(real))
			r = emit(w, path, DG_ENTRY_SUBMODULE, rel, NULL, via);
		else if (w->linked >= FS_LINKED_MAX || w->depth >= FS_DEPTH_MAX)
			r = emit(w, path, DG_ENTRY_BROKEN, NULL,
				 "too many files reached through directory links", via);
		else
			r = walk_dir(w, path, real, 1, &st);
	}
	free(real);
	return r;
}

/* A directory entry's name, and its type as readdir gave it (DT_UNKNOWN: ask lstat). */
struct dir_entry {
	char *name;
	unsigned char type;
};

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const struct dir_entry *)a)->name, ((const struct dir_entry *)b)->name);
}

/* The mode of an entry: from readdir's type when it gives one (no system call), else lstat. */
static int entry_mode(const struct dir_entry *e, const char *abs, struct stat *st)
{
	switch (e->type) {
	case DT_REG:
		st->st_mode = S_IFREG;
		return 0;
	case DT_LNK:
		st->st_mode = S_IFLNK;
		return 0;
	case DT_DIR: /* its device and inode are asked by walk_dir, for loops */
	default:
		return lstat(abs, st);
	}
}

/* known: the directory's stat when the caller has it (its device and inode tell a loop). */
static int walk_dir(struct fs_walk *w, const char *shown, const char *abs, int via,
		    const struct stat *known)
{
	struct stat dst;
	if (w->depth >= FS_DEPTH_MAX)
		return 0;
	if (known)
		dst = *known;
	else if (stat(abs, &dst) < 0)
		return 0;
	DIR *d = opendir(abs);
	if (!d)
		return 0;
	struct dir_entry *names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		struct dir_entry e = { dg_xstrdup(de->d_name), de->d_type };
		DG_PUSH(names, n, cap, e);
	}
	closedir(d);
	if (n > 1) /* qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof(*names), cmp_entries);
	w->depth++;
	w->dev[w->depth] = dst.st_dev;
	w->ino[w->depth] = dst.st_ino;
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		if (r) {
			free(names[i].name);
			continue;
		}
		char *child = join(shown, names[i].name);
		char *cabs = join(abs, names[i].name);
		struct stat st;
		if (entry_mode(&names[i], cabs, &st) == 0) {
			if (S_ISLNK(st.st_mode)) {
				r = walk_link(w, child, cabs, via);
			} else if (S_ISDIR(st.st_mode)) {
				/* a submodule or a nested clone is another repository: not entered */
				if (has_git(cabs))
					r = emit(w, child, DG_ENTRY_SUBMODULE, NULL, NULL, via);
				else
					r = walk_dir(w, child, cabs, via, &st);
			} else if (S_ISREG(st.st_mode)) {
				r = emit(w, child, DG_ENTRY_FILE, via ? inside(w->fs, cabs) : NULL, NULL,
					 via);
			}
		}
		free(cabs);
		free(child);
		free(names[i].name);
	}
	w->depth--;
	free(names);
	return r;
}

static int fs_walk(struct dg_source *src, const char *dir, dg_entry_cb cb, void *payload)
{
	struct fs_walk w;
	memset(&w, 0, sizeof(w));
	w.fs = src->impl;
	w.cb = cb;
	w.payload = payload;
	w.depth = 0;
	char *abs = join(w.fs->real_root, dir ? dir : "");
	struct stat st;
	if (stat(w.fs->real_root, &st) == 0) {
		w.dev[0] = st.st_dev;
		w.ino[0] = st.st_ino;
	}
	int r = walk_dir(&w, dir ? dir : "", abs, 0, NULL);
	free(abs);
	return r;
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
	free(fs->real_root);
	free(fs);
}

int dg_source_fs_open(struct dg_source **out, const char *root)
{
	struct dg_source *src = dg_xcalloc(1, sizeof(*src));
	struct fs_impl *fs = dg_xcalloc(1, sizeof(*fs));
	fs->root = dg_xstrdup(root && *root ? root : ".");
	fs->real_root = realpath(fs->root, NULL);
	if (!fs->real_root)
		fs->real_root = dg_xstrdup(fs->root);
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
	if (e->kind == DG_ENTRY_FILE && !strcmp(e->path, c->path)) {
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
