/* What the pre-push and pre-commit hooks share: rule runs and the changed-files check. */
#include <stdlib.h>
#include <string.h>

#include "driver/hooks.h"
#include "core/core.h"
#include "discover/migrations.h"
#include "driver/check.h"
#include "rules/rule.h"

void dg_hook_push_rules(struct dg_run *run, const struct dg_config *cfg,
			const struct dg_push_ref *p)
{
	size_t n;
	const struct dg_rule *const *rules = dg_rules_list(&n);
	for (size_t i = 0; i < n; i++) {
		struct dg_rule_ctx ctx;
		if (!rules[i]->check_push)
			continue;
		dg_rule_ctx_init(&ctx, run, cfg, rules[i]);
		if (ctx.severity == DG_OFF)
			continue;
		rules[i]->check_push(&ctx, p);
	}
}

void dg_hook_commit_rules(struct dg_run *run, const struct dg_config *cfg,
			  const struct dg_commit_ctx *c)
{
	size_t n;
	const struct dg_rule *const *rules = dg_rules_list(&n);
	for (size_t i = 0; i < n; i++) {
		struct dg_rule_ctx ctx;
		if (!rules[i]->check_commit)
			continue;
		dg_rule_ctx_init(&ctx, run, cfg, rules[i]);
		if (ctx.severity == DG_OFF)
			continue;
		rules[i]->check_commit(&ctx, c);
	}
}

/* Does a configured set directory pattern cover path (the dir or anything below)? */
static int under_pattern(const char *pattern, const char *path)
{
	if (!*pattern || !strcmp(pattern, "."))
		return 1; /* a set at the root: every file is under it */
	char *p = dg_xstrdup(path);
	int hit = 0;
	for (char *s = strchr(p, '/'); s && !hit; s = strchr(s + 1, '/')) {
		*s = '\0';
		hit = dg_glob_match(pattern, p);
		*s = '/';
	}
	free(p);
	return hit;
}

/* Is some directory of path named `name`? */
static int has_dir_named(const char *path, const char *name)
{
	size_t l = strlen(name);
	for (const char *p = path; (p = strstr(p, name)); p += l)
		if ((p == path || p[-1] == '/') && p[l] == '/')
			return 1;
	return 0;
}

/*
 * With auto-detected sets: could this changed file belong to one? SQL, the
 * files that name sets (alembic.ini, sqitch.plan), Python in a `migrations`
 * or `versions` directory, and any other Python file that reads like an
 * Alembic revision (read from src; only changed files are read).
 */
static int maybe_migration_file(struct dg_source *src, const struct dg_change *c)
{
	const char *path = c->path;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (dg_str_endswith(path, ".sql") || !strcmp(base, "alembic.ini") ||
	    !strcmp(base, "sqitch.plan"))
		return 1;
	if (!dg_str_endswith(path, ".py"))
		return 0;
	if (has_dir_named(path, "migrations") || has_dir_named(path, "versions"))
		return 1;
	if (c->kind == DG_CHANGE_DELETED || !src)
		return 0;
	char *data;
	size_t len;
	if (src->read(src, path, &data, &len) < 0) {
		dg_error_clear();
		return 1; /* cannot tell: check */
	}
	int hit = strstr(data, "down_revision") != NULL;
	free(data);
	return hit;
}

int dg_hook_changes_relevant(const struct dg_config *cfg, const struct dg_changes *ch,
			     struct dg_source *src)
{
	for (size_t i = 0; i < ch->n; i++) {
		const char *path = ch->v[i].path;
		if (!strcmp(path, DG_CONFIG_FILE))
			return 1;
		if (cfg->n_sets) {
			for (size_t s = 0; s < cfg->n_sets; s++)
				if (under_pattern(cfg->sets[s].path, path))
					return 1;
		} else if (maybe_migration_file(src, &ch->v[i])) {
			return 1;
		}
	}
	return 0;
}

/*
 * The change of path, or of a symbolic link on its way (a directory link
 * lists its files under the link's name), or NULL.
 */
static const struct dg_change *change_of(const struct dg_changes *ch, const char *path)
{
	const struct dg_change *c = dg_changes_find(ch, path);
	if (c || !strchr(path, '/'))
		return c;
	char *dir = dg_xstrdup(path);
	for (char *s = strrchr(dir, '/'); s && !c; s = strrchr(dir, '/')) {
		*s = '\0';
		c = dg_changes_find(ch, dir);
	}
	free(dir);
	return c;
}

/* Did the change add or modify path? */
static int want_changed(const char *path, void *payload)
{
	const struct dg_change *c = change_of(payload, path);
	return c && c->kind != DG_CHANGE_DELETED;
}

/* Did the change add, modify or delete path? */
static int touched_changed(const char *path, void *payload)
{
	return change_of(payload, path) != NULL;
}

int dg_hook_check(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
		  struct dg_source *target, const struct dg_changes *ch, int all)
{
	struct dg_check_opts o;
	memset(&o, 0, sizeof(o));
	o.target = target;
	o.want_file = want_changed;
	o.payload = (void *)ch;
	o.all = all;
	o.fail_closed = 1;
	return dg_check_source(run, cfg, src, &o);
}

int dg_hook_check_merge(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
			struct dg_source *merged, struct dg_source *target,
			const struct dg_changes *ch, int all)
{
	struct dg_check_opts o;
	memset(&o, 0, sizeof(o));
	o.target = target;
	o.graph = merged;
	o.want_file = want_changed;
	o.payload = (void *)ch;
	o.all = all;
	o.fail_closed = 1;
	o.review = 1;
	o.touched = touched_changed;
	return dg_check_source(run, cfg, src, &o);
}

/* Does the branch change a file of this set (deletions included)? */
static int set_changed(const struct dg_set *set, void *payload)
{
	const struct dg_changes *ch = payload;
	for (size_t i = 0; i < ch->n; i++) {
		const char *path = ch->v[i].path;
		if (set->plan && !strcmp(path, set->plan))
			return 1;
		for (size_t d = 0; d < set->n_dirs; d++) {
			size_t l = strlen(set->dirs[d]);
			if (!l || (!strncmp(path, set->dirs[d], l) && path[l] == '/'))
				return 1;
		}
	}
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Has run a finding of this rule on this file for its current ref already? */
static int already_reported(const struct dg_run *run, const struct dg_finding *f)
{
	for (size_t i = 0; i < run->n_findings; i++) {
		const struct dg_finding *x = &run->findings[i];
		if (!strcmp(x->rule, f->rule) && same_str(x->path, f->path) &&
		    same_str(x->ref, run->ref))
			return 1;
	}
	return 0;
}

int dg_hook_merge_preview(struct dg_run *run, const struct dg_config *cfg,
			  struct dg_source *merged, struct dg_source *target,
			  const struct dg_changes *branch)
{
	const struct dg_rule *preview = dg_rule_find("migration-merge-preview");
	enum dg_severity level = dg_rule_level(preview, cfg);
	if (level == DG_OFF)
		return 0;
	struct dg_run found;
	struct dg_check_opts o;
	dg_run_init(&found);
	memset(&o, 0, sizeof(o));
	o.target = target;
	o.graph = merged;
	o.no_lint = 1;
	o.want_set = set_changed;
	o.set_payload = (void *)branch;
	if (dg_check_source(&found, cfg, merged, &o) < 0) {
		dg_run_release(&found);
		return -1;
	}
	for (size_t i = 0; i < found.n_findings; i++) {
		struct dg_finding f = found.findings[i];
		if (already_reported(run, &f))
			continue;
		/* the graph rules' messages already say "after the merge into <branch>" */
		f.message = dg_sprintf(&found.arena, "%s: %s", f.rule, f.message);
		f.rule = preview->id;
		f.severity = level;
		f.ref = run->ref;
		dg_run_add(run, &f);
	}
	dg_run_release(&found);
	return 0;
}
