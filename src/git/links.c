/*
 * Symbolic links and submodules in git trees, the index and the in-memory
 * merge. A link is followed component by component, as the kernel follows
 * it on a checkout, to what it names inside the repository; a link that
 * leaves the repository, names nothing or loops is listed with the reason
 * and never read. A submodule (gitlink) is listed as such, never entered.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "git/git_int.h"

#define LINK_HOPS_MAX 40             /* links followed for one path (Linux: MAXSYMLINKS) */
#define LINK_TARGET_MAX 4096         /* bytes of a link's target (PATH_MAX) */
#define LINKED_DIRS_MAX 16           /* directory links inside directory links */
#define LINKED_ENTRIES_MAX 100000    /* entries one walk reaches through directory links */

static int is_blob_mode(unsigned int mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* Components still to resolve, the next one on top. */
struct comps {
	char **v;
	size_t n, cap;
};

/* Push the components of path so that its first one comes off next. */
static void comps_push_path(struct comps *c, const char *path)
{
	size_t start = c->n;
	const char *p = path;
	for (;;) {
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		DG_PUSH(c->v, c->n, c->cap, dg_xstrndup(p, l));
		if (!e)
			break;
		p = e + 1;
	}
	for (size_t i = start, j = c->n - 1; i < j; i++, j--) {
		char *t = c->v[i];
		c->v[i] = c->v[j];
		c->v[j] = t;
	}
}

static void comps_release(struct comps *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* The target of the link blob id (malloc'd), or NULL with *problem set. */
static char *link_target(const struct dg_git_entries *e, const git_oid *id, char **problem)
{
	char *raw = NULL;
	size_t len = 0;
	int r;
	if (e->read_link) {
		r = e->read_link(e->impl, id, &raw, &len);
	} else {
		git_blob *blob = NULL;
		r = git_blob_lookup(&blob, e->objects, id);
		if (r == 0) {
			len = (size_t)git_blob_rawsize(blob);
			raw = dg_xstrndup(git_blob_rawcontent(blob), len);
			git_blob_free(blob);
		}
		git_error_clear();
	}
	if (r < 0) {
		*problem = dg_xstrdup("its target cannot be read from the object database");
		return NULL;
	}
	if (len == 0 || len > LINK_TARGET_MAX || memchr(raw, '\0', len)) {
		*problem = dg_xstrdup(len ? "its target is not a path" : "its target is empty");
		free(raw);
		return NULL;
	}
	return raw;
}

int dg_git_link_resolve(const struct dg_git_entries *e, const char *path,
			struct dg_git_resolved *out)
{
	struct comps rem = {0};
	struct dg_buf cur = DG_BUF_INIT; /* the real path resolved so far ("" = root) */
	unsigned int mode = GIT_FILEMODE_TREE;
	int hops = 0;
	memset(out, 0, sizeof(*out));
	comps_push_path(&rem, path);
	while (rem.n && !out->problem) {
		char *c = rem.v[--rem.n];
		if (!*c || !strcmp(c, ".")) {
			free(c);
			continue;
		}
		if (mode == GIT_FILEMODE_COMMIT)
			out->problem = dg_xstrdup("it leads into a submodule, which is not in this repository");
		else if (mode != GIT_FILEMODE_TREE)
			out->problem = dg_xstrdup("it goes through a file as if it were a directory");
		else if (!strcmp(c, "..")) {
			if (!cur.len) {
				out->problem = dg_xstrdup("it points outside the repository");
			} else {
				char *slash = strrchr(cur.ptr, '/');
				cur.len = slash ? (size_t)(slash - cur.ptr) : 0;
				cur.ptr[cur.len] = '\0';
			}
		} else {
			size_t keep = cur.len;
			if (cur.len)
				dg_buf_addch(&cur, '/');
			dg_buf_adds(&cur, c);
			git_oid id;
			unsigned int m = e->lookup(e->impl, cur.ptr, &id);
			if (!m) {
				out->problem = dg_xstrdup("what it names is not in the repository");
			} else if (m == GIT_FILEMODE_LINK) {
				cur.len = keep; /* a link is resolved from its own directory */
				cur.ptr[keep] = '\0';
				char *t = ++hops > LINK_HOPS_MAX ? NULL : link_target(e, &id, &out->problem);
				if (hops > LINK_HOPS_MAX)
					out->problem = dg_xstrdup("too many levels of symbolic links (a loop)");
				else if (t && t[0] == '/')
					out->problem = dg_xstrdup("it points outside the repository (an absolute path)");
				else if (t)
					comps_push_path(&rem, t);
				free(t);
			} else {
				mode = m;
				git_oid_cpy(&out->id, &id);
			}
		}
		free(c);
	}
	comps_release(&rem);
	out->links = hops;
	if (out->problem) {
		dg_buf_release(&cur);
		return -1;
	}
	out->mode = mode;
	out->path = dg_buf_detach(&cur);
	return 0;
}

void dg_git_resolved_release(struct dg_git_resolved *r)
{
	free(r->path);
	free(r->problem);
	memset(r, 0, sizeof(*r));
}

/* ---- walks that follow links ---- */

/* A directory link waiting to be listed where its name sorts as a directory. */
struct pending {
	char *shown;  /* the link's path as listed */
	char *target; /* the real directory it names */
};

struct walk {
	const struct dg_git_entries *e;
	dg_entry_cb cb;
	void *payload;
	size_t reached;                          /* entries listed through directory links */
	const char *expanding[LINKED_DIRS_MAX];  /* directories being listed through links */
	size_t depth;
};

/* One listing: the raw entries under `real`, listed under the name `shown`. */
struct level {
	struct walk *w;
	const char *real, *shown; /* "dir/" prefixes ("" for the root) */
	size_t real_len;
	int via;                  /* listed through a directory link: shown replaces real */
	struct pending *p;
	size_t n_p, cap_p;
	int r;
};

static int emit(struct level *lv, const char *shown, const git_oid *id, enum dg_entry_kind kind,
		const char *real, const char *problem)
{
	char hex[GIT_OID_HEXSZ + 1] = "";
	if (id)
		dg_git_oid_hex(hex, id);
	struct dg_entry de = {shown, id ? hex : NULL, kind, real, problem};
	if (lv->via)
		lv->w->reached++;
	return lv->w->cb(&de, lv->w->payload);
}

static int list_level(struct walk *w, const char *real, const char *shown, int via);

/* Git sorts a directory as "name/": list a pending link's files there (all with before NULL). */
static int flush_pending(struct level *lv, const char *before)
{
	int r = 0;
	while (lv->n_p && !r) {
		size_t best = 0;
		for (size_t i = 1; i < lv->n_p; i++)
			if (strcmp(lv->p[i].shown, lv->p[best].shown) < 0)
				best = i;
		struct pending pd = lv->p[best];
		struct dg_buf sp = DG_BUF_INIT;
		dg_buf_addf(&sp, "%s/", pd.shown);
		if (before && strcmp(sp.ptr, before) > 0) {
			dg_buf_release(&sp);
			break;
		}
		lv->p[best] = lv->p[--lv->n_p];
		struct walk *w = lv->w;
		struct dg_buf rp = DG_BUF_INIT;
		if (*pd.target)
			dg_buf_addf(&rp, "%s/", pd.target);
		w->expanding[w->depth++] = pd.target;
		r = list_level(w, dg_buf_cstr(&rp), sp.ptr, 1);
		w->depth--;
		dg_buf_release(&rp);
		dg_buf_release(&sp);
		free(pd.shown);
		free(pd.target);
	}
	return r;
}

/* Is dir the directory path, or one of its parents ("" is everyone's)? */
static int is_ancestor(const char *dir, const char *path)
{
	size_t l = strlen(dir);
	return !l || (!strncmp(dir, path, l) && (path[l] == '/' || path[l] == '\0'));
}

/* A link at real path `rp`, listed as `shown`. */
static int link_entry(struct level *lv, const char *shown, const char *rp)
{
	struct walk *w = lv->w;
	struct dg_git_resolved res;
	if (dg_git_link_resolve(w->e, rp, &res) < 0) {
		char *why = dg_xstrdup(res.problem);
		dg_git_resolved_release(&res);
		int r = emit(lv, shown, NULL, DG_ENTRY_BROKEN, NULL, why);
		free(why);
		return r;
	}
	int r = 0;
	if (is_blob_mode(res.mode)) {
		r = emit(lv, shown, &res.id, DG_ENTRY_FILE, res.path, NULL);
	} else if (res.mode == GIT_FILEMODE_COMMIT) {
		r = emit(lv, shown, &res.id, DG_ENTRY_SUBMODULE, res.path, NULL);
	} else if (res.mode == GIT_FILEMODE_TREE) {
		int loop = is_ancestor(res.path, rp);
		for (size_t i = 0; i < w->depth && !loop; i++)
			loop = !strcmp(w->expanding[i], res.path);
		if (loop)
			r = emit(lv, shown, NULL, DG_ENTRY_BROKEN, NULL,
				 "it names a directory that holds the link itself (a loop)");
		else if (w->depth >= LINKED_DIRS_MAX || w->reached >= LINKED_ENTRIES_MAX)
			r = emit(lv, shown, NULL, DG_ENTRY_BROKEN, NULL,
				 "too many files reached through directory links");
		else {
			struct pending pd = {dg_xstrdup(shown), dg_xstrdup(res.path)};
			DG_PUSH(lv->p, lv->n_p, lv->cap_p, pd);
		}
	} else {
		r = emit(lv, shown, NULL, DG_ENTRY_BROKEN, NULL, "it names something that is not a file");
	}
	dg_git_resolved_release(&res);
	return r;
}

static int raw_entry(const char *rp, unsigned int mode, const git_oid *id, void *payload)
{
	struct level *lv = payload;
	if (lv->r)
		return lv->r;
	/* the name shown: rp itself unless a link leads here (no copy per entry) */
	struct dg_buf via = DG_BUF_INIT;
	const char *shown = rp;
	if (lv->via) {
		dg_buf_adds(&via, lv->shown);
		dg_buf_adds(&via, rp + lv->real_len);
		shown = via.ptr;
	}
	int r = flush_pending(lv, shown);
	if (!r) {
		if (is_blob_mode(mode))
			r = emit(lv, shown, id, DG_ENTRY_FILE, lv->via ? rp : NULL, NULL);
		else if (mode == GIT_FILEMODE_COMMIT)
			r = emit(lv, shown, id, DG_ENTRY_SUBMODULE, NULL, NULL);
		else if (mode == GIT_FILEMODE_LINK)
			r = link_entry(lv, shown, rp);
	}
	dg_buf_release(&via);
	lv->r = r;
	return r;
}

static int list_level(struct walk *w, const char *real, const char *shown, int via)
{
	struct level lv = {w, real, shown, strlen(real), via, NULL, 0, 0, 0};
	/* the directory is `real` without its trailing '/' */
	char *dir = dg_xstrndup(real, lv.real_len ? lv.real_len - 1 : 0);
	int r = w->e->list(w->e->impl, dir, raw_entry, &lv);
	free(dir);
	if (!r)
		r = flush_pending(&lv, NULL);
	for (size_t i = 0; i < lv.n_p; i++) {
		free(lv.p[i].shown);
		free(lv.p[i].target);
	}
	free(lv.p);
	return r;
}

int dg_git_walk_links(const struct dg_git_entries *e, const char *dir, dg_entry_cb cb,
		      void *payload)
{
	struct walk w;
	memset(&w, 0, sizeof(w));
	w.e = e;
	w.cb = cb;
	w.payload = payload;
	char *clean = dg_xstrdup(dir ? dir : "");
	size_t l = strlen(clean);
	while (l && clean[l - 1] == '/')
		clean[--l] = '\0';
	struct dg_buf rp = DG_BUF_INIT, sp = DG_BUF_INIT;
	int r = 0;
	if (!*clean) {
		r = list_level(&w, "", "", 0);
	} else {
		/* a directory named through a link is listed under the name it was asked by */
		struct dg_git_resolved res;
		if (dg_git_link_resolve(e, clean, &res) == 0 && res.mode == GIT_FILEMODE_TREE) {
			int via = strcmp(res.path, clean) != 0;
			if (*res.path)
				dg_buf_addf(&rp, "%s/", res.path);
			dg_buf_addf(&sp, "%s/", clean);
			if (via)
				w.expanding[w.depth++] = res.path;
			r = list_level(&w, dg_buf_cstr(&rp), sp.ptr, via);
		}
		dg_git_resolved_release(&res);
	}
	dg_buf_release(&rp);
	dg_buf_release(&sp);
	free(clean);
	return r;
}

int dg_git_link_read(const struct dg_git_entries *e, const char *path, const char *where,
		     char **out, size_t *out_len)
{
	struct dg_git_resolved res;
	if (dg_git_link_resolve(e, path, &res) < 0) {
		int r = res.links ? dg_error("%s: a symbolic link in %s that cannot be followed: %s",
					     path, where, res.problem)
				  : dg_error("%s: not found in %s", path, where);
		dg_git_resolved_release(&res);
		return r;
	}
	int r;
	if (!is_blob_mode(res.mode))
		r = dg_error("%s: not a regular file in %s", path, where);
	else
		r = dg_git_read_blob(e->repo, e->objects, &res.id, path, out, out_len);
	dg_git_resolved_release(&res);
	return r;
}
