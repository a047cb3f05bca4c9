/*
 * Shallow clones. libgit2 1.5 walks parents that a shallow clone does not
 * have and fails; ddlgate reads $GIT_COMMON_DIR/shallow itself and walks
 * history with the graft points treated as roots, so a shallow clone gets
 * an answer where one exists and a clear message where none does.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "git/git.h"
#include "git/git_int.h"

static int cmp_oid(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

static void load_shallow(struct dg_repo *repo)
{
	struct dg_buf path = DG_BUF_INIT;
	char *data;
	size_t len, cap = 0;
	repo->shallow_loaded = 1;
	dg_buf_addf(&path, "%s/shallow", repo->commondir);
	int r = dg_read_file(path.ptr, &data, &len);
	dg_buf_release(&path);
	dg_error_clear();
	if (r < 0)
		return;
	for (char *p = data; *p;) {
		char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		git_oid id;
		if (l >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, p, GIT_OID_HEXSZ) == 0)
			DG_PUSH(repo->shallow, repo->n_shallow, cap, id);
		if (!nl)
			break;
		p = nl + 1;
	}
	free(data);
	if (repo->n_shallow)
		qsort(repo->shallow, repo->n_shallow, sizeof(*repo->shallow), cmp_oid);
}

int dg_git_is_shallow_commit(struct dg_repo *repo, const git_oid *id)
{
	if (!repo->shallow_loaded)
		load_shallow(repo);
	if (!repo->n_shallow)
		return 0;
	return bsearch(id, repo->shallow, repo->n_shallow, sizeof(*repo->shallow), cmp_oid) != NULL;
}

/* A small open-addressing set of oids. */
struct oidset {
	git_oid *v;
	unsigned char *used;
	size_t cap, n;
};

static size_t oid_hash(const git_oid *id)
{
	size_t h;
	memcpy(&h, id->id, sizeof(h));
	return h;
}

static int oidset_add(struct oidset *s, const git_oid *id)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct oidset bigger = {0};
		bigger.cap = s->cap ? s->cap * 2 : 256;
		bigger.v = dg_xcalloc(bigger.cap, sizeof(*bigger.v));
		bigger.used = dg_xcalloc(bigger.cap, 1);
		for (size_t i = 0; i < s->cap; i++)
			if (s->used[i])
				oidset_add(&bigger, &s->v[i]);
		free(s->v);
		free(s->used);
		*s = bigger;
	}
	size_t i = oid_hash(id) & (s->cap - 1);
	while (s->used[i]) {
		if (!git_oid_cmp(&s->v[i], id))
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->used[i] = 1;
	git_oid_cpy(&s->v[i], id);
	s->n++;
	return 1;
}

static void oidset_release(struct oidset *s)
{
	free(s->v);
	free(s->used);
	memset(s, 0, sizeof(*s));
}

int dg_git_walk_parents(struct dg_repo *repo, const git_oid *const *from, size_t n_from,
			int (*skip)(const git_oid *id, void *payload), dg_git_walk_cb cb,
			void *payload, int *cut)
{
	struct oidset seen = {0};
	git_oid *queue = NULL;
	size_t head = 0, n = 0, cap = 0;
	int r = 0;
	*cut = 0;
	for (size_t i = 0; i < n_from; i++)
		if (oidset_add(&seen, from[i]))
			DG_PUSH(queue, n, cap, *from[i]);
	while (head < n && !r) {
		git_oid id = queue[head++];
		git_commit *c = NULL;
		if (skip && skip(&id, payload))
			continue;
		if (git_commit_lookup(&c, repo->repo, &id) < 0) {
			*cut = 1;
			continue;
		}
		r = cb(&id, c, payload);
		if (!r && !dg_git_is_shallow_commit(repo, &id)) {
			unsigned int np = git_commit_parentcount(c);
			for (unsigned int p = 0; p < np; p++) {
				const git_oid *pid = git_commit_parent_id(c, p);
				if (pid && oidset_add(&seen, pid))
					DG_PUSH(queue, n, cap, *pid);
			}
		} else if (!r) {
			*cut = 1;
		}
		git_commit_free(c);
	}
	free(queue);
	oidset_release(&seen);
	return r;
}

struct hidden_walk {
	struct oidset hidden;
	git_oid *found;
	size_t n, cap;
};

static int add_hidden(const git_oid *id, git_commit *c, void *payload)
{
	(void)c;
	oidset_add(&((struct hidden_walk *)payload)->hidden, id);
	return 0;
}

static int oidset_has(const struct oidset *s, const git_oid *id)
{
	if (!s->cap)
		return 0;
	size_t i = oid_hash(id) & (s->cap - 1);
	while (s->used[i]) {
		if (!git_oid_cmp(&s->v[i], id))
			return 1;
		i = (i + 1) & (s->cap - 1);
	}
	return 0;
}

static int is_hidden(const git_oid *id, void *payload)
{
	return oidset_has(&((struct hidden_walk *)payload)->hidden, id);
}

static int add_found(const git_oid *id, git_commit *c, void *payload)
{
	struct hidden_walk *w = payload;
	(void)c;
	DG_PUSH(w->found, w->n, w->cap, *id);
	return 0;
}

int dg_git_commits_between(struct dg_repo *repo, const git_oid *tip, const git_oid *hide,
			   size_t n_hide, git_oid **out, size_t *n_out)
{
	struct hidden_walk w;
	int cut;
	memset(&w, 0, sizeof(w));
	const git_oid **from = dg_xcalloc(n_hide + 1, sizeof(*from));
	for (size_t i = 0; i < n_hide; i++)
		from[i] = &hide[i];
	dg_git_walk_parents(repo, from, n_hide, NULL, add_hidden, &w, &cut);
	from[0] = tip;
	dg_git_walk_parents(repo, from, 1, is_hidden, add_found, &w, &cut);
	free(from);
	oidset_release(&w.hidden);
	if (cut) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), tip);
		free(w.found);
		return dg_error("the history of %.12s reaches past what this shallow clone has; "
				"run `git fetch --unshallow` (or fetch the branch it is based on) "
				"and push again",
				hex);
	}
	*out = w.found;
	*n_out = w.n;
	return 0;
}

struct find_one {
	const git_oid *want;
};

static int is_wanted(const git_oid *id, git_commit *c, void *payload)
{
	(void)c;
	return !git_oid_cmp(id, ((struct find_one *)payload)->want);
}

int dg_git_reaches(struct dg_repo *repo, const git_oid *from, const git_oid *want)
{
	struct find_one f = {want};
	int cut;
	if (dg_git_walk_parents(repo, &from, 1, NULL, is_wanted, &f, &cut))
		return 1;
	if (cut)
		return dg_error("the history between these commits is not in this shallow clone; "
				"run `git fetch --unshallow`");
	return 0;
}

struct mb_walk {
	struct oidset in_a; /* ancestors of a (with a) */
	git_oid *cand;	    /* common ancestors where the walk from b stopped */
	size_t n, cap;
};

static int add_a(const git_oid *id, git_commit *c, void *payload)
{
	(void)c;
	oidset_add(&((struct mb_walk *)payload)->in_a, id);
	return 0;
}

/* Stop at (and remember) the commits a also reaches. */
static int stop_at_common(const git_oid *id, void *payload)
{
	struct mb_walk *w = payload;
	if (!oidset_has(&w->in_a, id))
		return 0;
	DG_PUSH(w->cand, w->n, w->cap, *id);
	return 1;
}

static int nothing(const git_oid *id, git_commit *c, void *payload)
{
	(void)id;
	(void)c;
	(void)payload;
	return 0;
}

int dg_git_merge_base_shallow(struct dg_repo *repo, const git_oid *a, const git_oid *b,
			      git_oid *out)
{
	struct mb_walk w;
	int cut_a, cut_b;
	memset(&w, 0, sizeof(w));
	dg_git_walk_parents(repo, &a, 1, NULL, add_a, &w, &cut_a);
	dg_git_walk_parents(repo, &b, 1, stop_at_common, nothing, &w, &cut_b);
	oidset_release(&w.in_a);
	/* the best candidate is the one no other candidate descends from */
	size_t best = w.n;
	for (size_t i = 0; i < w.n && best == w.n; i++) {
		int dominated = 0;
		for (size_t j = 0; j < w.n && !dominated; j++)
			if (j != i && dg_git_reaches(repo, &w.cand[j], &w.cand[i]) == 1)
				dominated = 1;
		if (!dominated)
			best = i;
	}
	dg_error_clear();
	int r;
	if (best < w.n) {
		git_oid_cpy(out, &w.cand[best]);
		r = 0;
	} else if (cut_a || cut_b) {
		r = dg_error("the history that joins these commits is not in this shallow clone; "
			     "run `git fetch --unshallow`");
	} else {
		r = 1;
	}
	free(w.cand);
	return r;
}
