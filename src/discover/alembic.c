/*
 * Alembic revision files: revision, down_revision, branch_labels and
 * depends_on read from the module's top level, plain or annotated. A file
 * with no `revision` takes its id from a hex file name, as Alembic does.
 */
#include <stdlib.h>
#include <string.h>

#include "discover/discover_int.h"

struct strs {
	const char **v;
	size_t n, cap;
};

/*
 * A string, None, or a list / tuple of strings. Returns 0 on success, -1
 * (after a warning naming what could not be read) otherwise.
 */
static int read_revs(struct dg_loader *ld, struct dg_migration *mig, const struct dg_py_module *mod,
		     const char *var, const struct dg_py_value *v, struct strs *out)
{
	switch (v->kind) {
	case DG_PY_NONE:
		return 0;
	case DG_PY_STR:
		if (v->fstring)
			break;
		if (v->len) /* "" is no revision, as Alembic reads it */
			DG_PUSH(out->v, out->n, out->cap, v->s);
		return 0;
	case DG_PY_LIST:
	case DG_PY_TUPLE:
		for (size_t i = 0; i < v->n_items; i++) {
			const struct dg_py_value *it = v->items[i];
			if (it->kind == DG_PY_STR && !it->fstring) {
				if (it->len)
					DG_PUSH(out->v, out->n, out->cap, it->s);
				continue;
			}
			if (it->kind == DG_PY_NONE)
				continue;
			dg_mig_warn(ld, mig->path, it->line, it->col,
				    "cannot evaluate %s in %s (%s); ddlgate reads migrations "
				    "without running them",
				    dg_py_describe(ld->a, it), var,
				    it->kind == DG_PY_NAME && dg_py_is_imported(mod, it->s)
					? "it is imported from another module"
					: "only string literals are read");
			return -1;
		}
		return 0;
	default:
		break;
	}
	dg_mig_warn(ld, mig->path, v->line, v->col,
		    "cannot evaluate %s for %s (%s); ddlgate reads migrations without running them",
		    dg_py_describe(ld->a, v), var,
		    v->kind == DG_PY_NAME && dg_py_is_imported(mod, v->s)
			? "it is imported from another module"
			: "only string literals, None and tuples of strings are read");
	return -1;
}

static const char **finish(struct dg_arena *a, struct strs *s, size_t *n)
{
	const char **r = s->n ? dg_memdup(a, s->v, s->n, sizeof(*s->v)) : NULL;
	*n = s->n;
	free(s->v);
	memset(s, 0, sizeof(*s));
	return r;
}

static int all_hex(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int dg_alembic_load(struct dg_loader *ld, const struct dg_py_module *m, struct dg_migration *mig)
{
	const struct dg_py_assign *rev = dg_py_module_get(m, "revision");
	const char *base = strrchr(mig->path, '/');
	base = base ? base + 1 : mig->path;
	if (!rev) {
		size_t l = strlen(base);
		if (l > 3 && !strcmp(base + l - 3, ".py") && all_hex(base, l - 3)) {
			mig->id = dg_strndup(ld->a, base, l - 3);
			mig->line = 1;
		} else {
			/* helper modules next to the revisions: Alembic refuses them, we warn */
			dg_mig_warn(ld, mig->path, 1, 1,
				    "no module-level `revision = \"...\"` and the file name is not "
				    "a hex revision id: Alembic refuses to load it, and it is left out of the graph");
			return 1;
		}
	} else if (rev->value->kind == DG_PY_STR && !rev->value->fstring && rev->value->len) {
		mig->id = rev->value->s;
		mig->line = rev->line;
	} else {
		const struct dg_py_value *v = rev->value;
		dg_mig_warn(ld, mig->path, v->line, v->col,
			    "cannot evaluate %s for revision (%s); it is left out of the graph",
			    dg_py_describe(ld->a, v),
			    v->kind == DG_PY_NAME && dg_py_is_imported(m, v->s)
				? "it is imported from another module"
				: "only a non-empty string literal is read");
		return 1;
	}

	struct strs s = {0};
	const struct dg_py_assign *down = dg_py_module_get(m, "down_revision");
	if (!down) {
		dg_mig_warn(ld, mig->path, mig->line, 1,
			    "no module-level down_revision: Alembic cannot load this revision (use "
			    "`down_revision = None` for a base)");
	} else {
		mig->parents_line = down->line;
		if (read_revs(ld, mig, m, "down_revision", down->value, &s) < 0)
			mig->unreadable = 1;
	}
	mig->parents = finish(ld->a, &s, &mig->n_parents);

	const struct dg_py_assign *dep = dg_py_module_get(m, "depends_on");
	if (dep) {
		mig->depends_line = dep->line;
		if (read_revs(ld, mig, m, "depends_on", dep->value, &s) < 0)
			mig->unreadable = 1;
	}
	mig->depends_on = finish(ld->a, &s, &mig->n_depends_on);

	const struct dg_py_assign *lab = dg_py_module_get(m, "branch_labels");
	if (lab && read_revs(ld, mig, m, "branch_labels", lab->value, &s) < 0)
		mig->unreadable = 1;
	mig->branch_labels = finish(ld->a, &s, &mig->n_branch_labels);
	return 0;
}
