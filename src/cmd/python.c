/*
 * Python migrations named on the command line (lint, explain): which set
 * each belongs to, and its SQL from that set's history, read once per set
 * (every Django app together) from the files on disk.
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
};

int dg_cli_python_open(struct dg_cli_python *p, struct dg_arena *a, const char *root,
		       const struct dg_config *cfg)
{
	memset(p, 0, sizeof(*p));
	p->a = a;
	p->root = root;
	if (dg_source_fs_open(&p->src, root) < 0)
		return -1;
	/* graph warnings are `check`'s business: lint reads the sets quietly */
	return dg_sets_discover(a, NULL, p->src, cfg, &p->sets, &p->n_sets);
}

void dg_cli_python_close(struct dg_cli_python *p)
{
	dg_source_free(p->src);
	free(p->hists);
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
	DG_PUSH(p->hists, p->n_hists, p->cap_hists, h);
	return &h->h;
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
	for (size_t i = 0; set && i < set->n_migs && !m; i++)
		if (!strcmp(set->migs[i].path, rel))
			m = &set->migs[i];
	if (set && set->cfg.format != DG_FORMAT_SQL && !m && dg_str_endswith(rel, ".py")) {
		/* left out by discovery: unreadable Python says where, as any reader error */
		char *data;
		size_t len;
		struct dg_py_module mod;
		if (p->src->read(p->src, rel, &data, &len) == 0) {
			int bad = dg_py_read(p->a, rel, data, len, &mod) < 0;
			free(data);
			if (bad) {
				free(rel);
				return -1;
			}
		}
		dg_error_clear();
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
	for (size_t i = 0; i < h->n; i++)
		if (h->order[i] == m) {
			out->hist = h;
			out->pos = i;
			out->m = m;
			out->file = &h->files[i];
			return 0;
		}
	return dg_error("%s: not in the replayed history of its set", m->path);
}
