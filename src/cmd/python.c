/*
 * Migrations named on the command line (lint, explain): which set each
 * belongs to, and its history (the set's earlier migrations replayed),
 * read once per set (every Django app together) from the files on disk.
 * A Python migration is the SQL its framework runs; a SQL one is linted
 * with the schema before it, as `lint DIR` and the hooks do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "discover/migrations.h"
#include "python/pyread.h"
#include "schema/history.h"
#include "source/source.h"

struct dg_cli_python_hist {
	const struct dg_set *set; /* NULL: the Django one */
	struct dg_schema_history h;
	struct pos_of *pos;	  /* (migration, place in h) sorted by migration */
};

/* Where a migration is in a history, found by bisection. */
struct pos_of {
	const struct dg_migration *m;
	size_t pos;
};

static int pos_cmp(const void *a, const void *b)
{
	const struct pos_of *x = a, *y = b;
	return x->m < y->m ? -1 : x->m > y->m;
}

/* A migration of the sets by its path, found by bisection. */
struct by_path {
	const char *path;
	const struct dg_migration *m;
};

static int path_cmp(const void *a, const void *b)
{
	return strcmp(((const struct by_path *)a)->path, ((const struct by_path *)b)->path);
}

int dg_cli_python_open(struct dg_cli_python *p, struct dg_arena *a, const char *root,
		       const struct dg_config *cfg)
{
	memset(p, 0, sizeof(*p));
	p->a = a;
	p->root = root;
	if (dg_source_fs_open(&p->src, root) < 0)
		return -1;
	/* graph warnings are `check`'s business: lint keeps only what could not be read */
	dg_run_init(&p->found);
	if (dg_sets_discover(a, &p->found, p->src, cfg, &p->sets, &p->n_sets) < 0)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < p->n_sets; i++)
		n += p->sets[i]->n_migs;
	struct by_path *v = dg_alloc(a, (n + 1) * sizeof(*v));
	for (size_t i = 0, k = 0; i < p->n_sets; i++)
		for (size_t j = 0; j < p->sets[i]->n_migs; j++, k++) {
			v[k].path = p->sets[i]->migs[j].path;
			v[k].m = &p->sets[i]->migs[j];
		}
	if (n > 1)
		qsort(v, n, sizeof(*v), path_cmp);
	p->by_path = v;
	p->n_by_path = n;
	return 0;
}

void dg_cli_python_close(struct dg_cli_python *p)
{
	dg_source_free(p->src);
	free(p->hists);
	dg_run_release(&p->found);
	memset(p, 0, sizeof(*p));
}

static struct dg_schema_history *history_of(struct dg_cli_python *p, const struct dg_set *set)
{
	const struct dg_set *key = set->cfg.format == DG_FORMAT_DJANGO ? NULL : set;
	for (size_t i = 0; i < p->n_hists; i++)
		if (p->hists[i]->set == key)
			return &p->hists[i]->h;
	struct dg_cli_python_hist *h = dg_alloc(p->a, sizeof(*h));
	h->set = key;
	if (dg_schema_history_build_in(&h->h, p->a, p->src, p->sets, p->n_sets, set) < 0)
		return NULL;
	h->pos = dg_alloc(p->a, (h->h.n + 1) * sizeof(*h->pos));
	for (size_t i = 0; i < h->h.n; i++) {
		h->pos[i].m = h->h.order[i];
		h->pos[i].pos = i;
	}
	if (h->h.n > 1)
		qsort(h->pos, h->h.n, sizeof(*h->pos), pos_cmp);
	DG_PUSH(p->hists, p->n_hists, p->cap_hists, h);
	return &h->h;
}

/* The place of m in the history h (of p), or -1. */
static long place_in(struct dg_cli_python *p, const struct dg_schema_history *h,
		     const struct dg_migration *m)
{
	for (size_t i = 0; i < p->n_hists; i++) {
		if (&p->hists[i]->h != h)
			continue;
		struct pos_of want = {m, 0};
		const struct pos_of *hit = bsearch(&want, p->hists[i]->pos, h->n, sizeof(want), pos_cmp);
		return hit ? (long)hit->pos : -1;
	}
	return -1;
}

static const char *not_a_migration =
    "not a migration of an Alembic or Django set: ddlgate lints a .py file as a migration "
    "of the set it belongs to (an Alembic versions/ directory named by alembic.ini, or a "
    "Django app's migrations/ directory of modules with a Migration class); name the set "
    "under `migrations:` in .ddlgate.yml if it is not found";

int dg_cli_python_find(struct dg_cli_python *p, const char *path, int explicit,
		       struct dg_cli_python_file *out)
{
	memset(out, 0, sizeof(*out));
	char *rel = dg_cli_relative(p->root, path);
	const struct dg_set *set = dg_sets_match(p->sets, p->n_sets, rel);
	const struct dg_migration *m = NULL;
	struct by_path want = {rel, NULL};
	const struct by_path *hit =
	    p->n_by_path ? bsearch(&want, p->by_path, p->n_by_path, sizeof(want), path_cmp) : NULL;
	if (hit && set && dg_set_holds(set, hit->m))
		m = hit->m;
	if (set && set->cfg.format != DG_FORMAT_SQL && !m && dg_str_endswith(rel, ".py")) {
		/* left out by discovery: the finding that says why, as check reports it */
		for (size_t i = 0; i < p->found.n_findings; i++) {
			const struct dg_finding *f = &p->found.findings[i];
			if (!strcmp(f->rule, "migration-unreadable") && f->path && !strcmp(f->path, rel)) {
				out->unreadable = f;
				free(rel);
				return 0;
			}
		}
	}
	if (!set || set->cfg.format == DG_FORMAT_SQL || !m) {
		int r = 1;
		if (explicit) {
			if (set && set->cfg.format != DG_FORMAT_SQL)
				dg_error("%s: in the %s set %s but %s", rel,
					 dg_set_format_name(set->cfg.format), set->cfg.path,
					 set->cfg.format == DG_FORMAT_DJANGO
					     ? "not a migration (no Migration class)"
					     : "not a revision (no `revision = ...`)");
			else
				dg_error("%s: %s", rel, not_a_migration);
			r = -1;
		}
		free(rel);
		return r;
	}
	free(rel);
	struct dg_schema_history *h = history_of(p, set);
	if (!h)
		return -1;
	const char *err = dg_schema_history_error(h, m);
	if (err)
		return dg_error("%s", err);
	long i = place_in(p, h, m);
	out->hist = h;
	out->m = m;
	if (i >= 0) {
		out->pos = 2 * (size_t)i;
		out->file = &h->files[i];
		out->parsed = 1;
		return 0;
	}
	/* replaced by a squash: linted after the rest, with the end state */
	out->file = dg_schema_history_file(h, m, &out->parsed);
	out->pos = 2 * h->n;
	if (!out->file)
		return dg_error("%s: not in the replayed history of its set", m->path);
	return 0;
}

int dg_cli_sql_find(struct dg_cli_python *p, const char *path, struct dg_cli_python_file *out)
{
	memset(out, 0, sizeof(*out));
	char *rel = dg_cli_relative(p->root, path);
	const struct dg_set *set = dg_sets_match(p->sets, p->n_sets, rel);
	struct by_path want = {rel, NULL};
	const struct by_path *hit =
	    p->n_by_path ? bsearch(&want, p->by_path, p->n_by_path, sizeof(want), path_cmp) : NULL;
	free(rel);
	if (!set || set->cfg.format != DG_FORMAT_SQL || !hit || !dg_set_holds(set, hit->m) ||
	    !hit->m->is_sql)
		return 1;
	struct dg_schema_history *h = history_of(p, set);
	if (!h)
		return -1;
	out->hist = h;
	out->m = hit->m;
	out->pos = dg_schema_history_place(h, hit->m);
	out->file = dg_schema_history_file(h, hit->m, &out->parsed); /* NULL: a down script */
	return 0;
}
