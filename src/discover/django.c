/*
 * Django migration modules: the body of the `Migration` class (whatever
 * its base) gives dependencies, replaces, run_before and initial. Keys are
 * kept as "app.name" strings.
 */
#include <stdlib.h>
#include <string.h>

#include "discover/discover_int.h"

struct strs {
	const char **v;
	size_t n, cap;
};

static int is_swappable(const struct dg_py_value *v)
{
	if (v->kind != DG_PY_CALL || !v->func || v->func->kind != DG_PY_NAME)
		return 0;
	const char *f = v->func->s;
	const char *dot = strrchr(f, '.');
	return !strcmp(dot ? dot + 1 : f, "swappable_dependency");
}

/* A list / tuple of (app, name) pairs into "app.name" keys. */
static int read_keys(struct dg_loader *ld, struct dg_migration *mig, const struct dg_py_module *mod,
		     const char *var, const struct dg_py_value *v, struct strs *out)
{
	if (v->kind != DG_PY_LIST && v->kind != DG_PY_TUPLE) {
		dg_mig_warn(
		    ld, mig->path, v->line, v->col,
		    "cannot evaluate %s for %s (%s); ddlgate reads migrations without running them",
		    dg_py_describe(ld->a, v), var,
		    v->kind == DG_PY_NAME && dg_py_is_imported(mod, v->s)
			? "it is imported from another module"
			: "only a list of (app_label, migration_name) tuples is read");
		return -1;
	}
	int bad = 0;
	for (size_t i = 0; i < v->n_items; i++) {
		const struct dg_py_value *it = v->items[i];
		if (is_swappable(it))
			continue; /* settings.AUTH_USER_MODEL: a setting, outside the repository's
				     graph */
		if ((it->kind == DG_PY_TUPLE || it->kind == DG_PY_LIST) && it->n_items == 2 &&
		    it->items[0]->kind == DG_PY_STR && it->items[1]->kind == DG_PY_STR &&
		    !it->items[0]->fstring && !it->items[1]->fstring) {
			const char *key =
			    dg_sprintf(ld->a, "%s.%s", it->items[0]->s, it->items[1]->s);
			DG_PUSH(out->v, out->n, out->cap, key);
			continue;
		}
		const struct dg_py_value *at = it;
		if ((it->kind == DG_PY_TUPLE || it->kind == DG_PY_LIST) && it->n_items == 2)
			at = it->items[0]->kind != DG_PY_STR ? it->items[0] : it->items[1];
		dg_mig_warn(ld, mig->path, at->line, at->col,
			    "cannot evaluate %s in %s (%s); this entry is left out of the graph",
			    dg_py_describe(ld->a, at), var,
			    at->kind == DG_PY_NAME && dg_py_is_imported(mod, at->s)
				? "it is imported from another module"
				: "only (\"app_label\", \"migration_name\") string pairs are read");
		bad = 1;
	}
	return bad ? -1 : 0;
}

static const char **finish(struct dg_arena *a, struct strs *s, size_t *n)
{
	const char **r = s->n ? dg_memdup(a, s->v, s->n, sizeof(*s->v)) : NULL;
	*n = s->n;
	free(s->v);
	memset(s, 0, sizeof(*s));
	return r;
}

int dg_django_load(struct dg_loader *ld, const struct dg_py_module *m, struct dg_migration *mig)
{
	const struct dg_py_class *cls = NULL;
	for (size_t i = 0; i < m->n_classes; i++)
		if (!strcmp(m->classes[i].name, "Migration"))
			cls = &m->classes[i];
	if (!cls)
		return 1;
	mig->line = cls->line;
	struct strs s = {0};
	const struct dg_py_assign *as;
	if ((as = dg_py_class_get(cls, "dependencies"))) {
		mig->parents_line = as->line;
		if (read_keys(ld, mig, m, "dependencies", as->value, &s) < 0)
			mig->unreadable = 1;
	}
	mig->parents = finish(ld->a, &s, &mig->n_parents);
	if ((as = dg_py_class_get(cls, "replaces"))) {
		mig->replaces_line = as->line;
		if (read_keys(ld, mig, m, "replaces", as->value, &s) < 0)
			mig->unreadable = 1;
	}
	mig->replaces = finish(ld->a, &s, &mig->n_replaces);
	if ((as = dg_py_class_get(cls, "run_before"))) {
		mig->run_before_line = as->line;
		if (read_keys(ld, mig, m, "run_before", as->value, &s) < 0)
			mig->unreadable = 1;
	}
	mig->run_before = finish(ld->a, &s, &mig->n_run_before);
	if ((as = dg_py_class_get(cls, "initial")))
		mig->initial = as->value->kind == DG_PY_BOOL && as->value->i;
	return 0;
}
