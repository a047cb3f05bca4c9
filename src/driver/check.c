/*
 * The driver: discover the sets, run every graph rule on each,
 * then lint the migrations (Python ones as the SQL their framework runs).
 * The hooks and `ci` call it with a target tree and a file filter.
 */
#include "driver/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"
#include "discover/migrations.h"
#include "rules/engine.h"
#include "rules/missing_fk_index.h"
#include "rules/rule.h"
#include "schema/history.h"
#include "schema/prune.h"

static void list_sets(const struct dg_config *cfg, struct dg_source *src,
		      struct dg_set *const *sets, size_t n)
{
	printf("%zu migration set%s in %s\n", n, n == 1 ? "" : "s", src->name);
	for (size_t i = 0; i < n; i++) {
		const struct dg_set *s = sets[i];
		printf("%s  %s", *s->cfg.path ? s->cfg.path : ".", dg_set_format_name(s->cfg.format));
		if (s->cfg.format == DG_FORMAT_SQL)
			printf(" (%s)", s->scheme == DG_SCHEME_NONE ? "no naming scheme" : dg_scheme_name(s->scheme));
		if (s->cfg.format == DG_FORMAT_DJANGO && s->n_migs)
			printf(" (app %s)", s->migs[0].app);
		printf(", %zu migration%s\n", s->n_migs, s->n_migs == 1 ? "" : "s");
		for (size_t d = 1; d < s->n_dirs; d++)
			printf("    also %s\n", s->dirs[d]);
		printf("    why: %s\n", s->why ? s->why : "configured");
	}
	/* configured paths that matched nothing are worth a line: a typo hides a set */
	for (size_t k = 0; cfg && k < cfg->n_sets; k++) {
		int found = 0;
		for (size_t i = 0; i < n; i++)
			if (sets[i]->cfg.line == cfg->sets[k].line)
				found = 1;
		if (!found)
			printf("%s:%d: path %s matches no directory in %s\n",
			       cfg->file ? cfg->file : DG_CONFIG_FILE, cfg->sets[k].line,
			       cfg->sets[k].path, src->name);
	}
	fflush(stdout);
}

/* Is a finding that compares with the target about a file the change touched? */
static int touched(const struct dg_set *set, const struct dg_finding *f,
		   const struct dg_check_opts *o)
{
	if (!f->path || (strcmp(f->rule, "migration-modified") &&
			 strcmp(f->rule, "migration-out-of-order")))
		return 1;
	if (o->touched(f->path, o->payload))
		return 1;
	for (size_t i = 0; set && i < set->n_migs; i++)
		if (set->migs[i].real_path && !strcmp(set->migs[i].path, f->path) &&
		    o->touched(set->migs[i].real_path, o->payload))
			return 1;
	return 0;
}

/* Run every graph rule on one set. */
static void run_graph_rules(struct dg_run *run, const struct dg_config *cfg,
			    const struct dg_graph *g, const struct dg_check_opts *o)
{
	size_t first = run->n_findings;
	size_t n_rules;
	const struct dg_rule *const *rules = dg_rules_list(&n_rules);
	struct dg_rule_ctx ctx;
	dg_rule_ctx_init(&ctx, run, cfg, NULL);
	/* no suppression comment silences these: they judge the set, not a statement */
	for (size_t r = 0; r < n_rules; r++) {
		const struct dg_rule *rule = rules[r];
		if (!rule->check_graph)
			continue;
		enum dg_severity level = dg_rule_level(rule, cfg);
		if (level == DG_OFF)
			continue;
		ctx.rule = rule;
		ctx.severity = level;
		rule->check_graph(&ctx, g);
	}
	if (!(o && o->touched))
		return;
	size_t w = first;
	for (size_t i = first; i < run->n_findings; i++)
		if (touched(g->set, &run->findings[i], o))
			run->findings[w++] = run->findings[i];
	run->n_findings = w;
}

/* Did the change touch m (its own path, or the file a link of it names)? */
static int changed(const struct dg_migration *m, const struct dg_check_opts *o)
{
	if (!(o && o->want_file))
		return 1;
	return o->want_file(m->path, o->payload) ||
	       (m->real_path && o->want_file(m->real_path, o->payload));
}

enum want {
	WANT_NONE = 0,
	WANT_LINT,      /* lint it */
	WANT_FK,        /* older: judged for unindexed FKs only (--all) */
	WANT_EXCLUDED,  /* changed, but `exclude` hides it */
};

static enum want lint_wanted(const struct dg_config *cfg, const struct dg_migration *m,
			     const struct dg_check_opts *o)
{
	int ch = changed(m, o);
	if (dg_config_is_excluded(cfg, m->path))
		return ch && o && o->want_file ? WANT_EXCLUDED : WANT_NONE;
	if (ch)
		return WANT_LINT;
	return o && o->all ? WANT_FK : WANT_NONE;
}

/* The first exclude glob that hides path. */
static const char *exclude_glob(const struct dg_config *cfg, const char *path)
{
	for (size_t i = 0; i < cfg->n_exclude; i++) {
		struct dg_config one = *cfg;
		one.exclude = &cfg->exclude[i];
		one.n_exclude = 1;
		if (dg_config_is_excluded(&one, path))
			return cfg->exclude[i];
	}
	return "";
}

/*
 * ci: a file the change adds to a set, named so that the set's runner
 * executes it, that `exclude` keeps from the lint (migration-excluded).
 */
static void report_excluded(struct dg_run *run, const struct dg_config *cfg,
			    const struct dg_set *set, const struct dg_migration *m,
			    const struct dg_check_opts *o)
{
	if (!o->review || (o->target && dg_source_exists(o->target, m->path)))
		return;
	const struct dg_rule *r = dg_rule_find("migration-excluded");
	struct dg_rule_ctx ctx;
	dg_rule_ctx_init(&ctx, run, cfg, r);
	const char *runner = set->cfg.format == DG_FORMAT_SQL
				 ? (set->scheme == DG_SCHEME_NONE ? "sql" : dg_scheme_name(set->scheme))
				 : dg_set_format_name(set->cfg.format);
	dg_report_at(&ctx, m->path, 1, 1,
		     "if it is a migration, take it out of `exclude:` so that it is checked; if "
		     "it is not, name or place it so that the runner does not pick it up",
		     "new migration of %s (%s) is hidden from the lint by exclude: \"%s\", but "
		     "the runner executes it",
		     *set->cfg.path ? set->cfg.path : ".", runner, exclude_glob(cfg, m->path));
}

/*
 * ci: the file as the target branch has it, for the suppression check
 * (lo->base_data NULL: the change adds it). -1 on read errors.
 */
static int review_base(struct dg_lint_opts *lo, const struct dg_migration *m,
		       const struct dg_check_opts *o, char **owned)
{
	*owned = NULL;
	lo->review = o && o->review;
	lo->base_data = NULL;
	lo->base_len = 0;
	if (!lo->review || !o->target || !dg_source_exists(o->target, m->path))
		return 0;
	if (o->target->read(o->target, m->path, owned, &lo->base_len) < 0)
		return -1;
	lo->base_data = *owned;
	return 0;
}

/*
 * A Django or Alembic set: every migration as the SQL its framework runs,
 * from the history (which read them all, in the framework's order), each
 * linted with the schema before it.
 */
static int lint_python_set(struct dg_run *run, const struct dg_config *cfg,
			   const struct dg_set *set, const struct dg_check_opts *o,
			   struct dg_schema_history *hist)
{
	struct dg_lint_opts lo;
	memset(&lo, 0, sizeof(lo));
	lo.cfg = cfg;
	lo.pg_version = cfg->pg_version;
	lo.tx = DG_TX_AUTO; /* the framework's BEGIN / COMMIT are in the SQL */
	for (size_t i = 0; i < hist->n + hist->n_extra; i++) {
		int extra = i >= hist->n;
		const struct dg_migration *m = extra ? hist->extra[i - hist->n] : hist->order[i];
		struct dg_sql_file *f = extra ? &hist->extra_files[i - hist->n] : &hist->files[i];
		if (!dg_set_holds(set, m))
			continue; /* another Django app */
		enum want want = lint_wanted(cfg, m, o);
		if (want == WANT_EXCLUDED)
			report_excluded(run, cfg, set, m, o);
		if (want != WANT_LINT && want != WANT_FK)
			continue;
		lo.schema = dg_schema_history_before(hist, m); /* a left-out one: the end state */
		if (want == WANT_FK) {
			dg_missing_fk_index_run(run, cfg, f, 1, lo.schema); /* translated in full */
			continue;
		}
		char *base;
		if (review_base(&lo, m, o, &base) < 0)
			return -1;
		dg_lint_parsed(run, f, &lo);
		free(base);
	}
	return 0;
}

/* Lint one SQL migration: as the history parsed it in full (hf, parsed), or read now. */
static int lint_sql_migration(struct dg_run *run, struct dg_source *src,
			      const struct dg_migration *m, struct dg_sql_file *hf, int parsed,
			      const struct dg_lint_opts *lo)
{
	if (hf && parsed) {
		/* parsed in full for the replay already: linted as it is */
		if (dg_lint_check_text(hf->path, hf->data, hf->len) < 0)
			return -1;
		dg_lint_parsed(run, hf, lo);
		return 0;
	}
	const char *data = m->data;
	size_t len = m->len;
	char *owned = NULL;
	if (!data) {
		if (!dg_source_exists(src, m->path))
			return 0; /* a sqitch change without a deploy script */
		if (src->read(src, m->path, &owned, &len) < 0)
			return -1;
		data = owned;
	}
	int r = dg_lint_sql(run, m->path, data, len, lo);
	free(owned);
	return r;
}

/* What the change wants of each SQL migration of a set (by its place in set->migs). */
struct wants {
	const struct dg_config *cfg;
	const struct dg_check_opts *o;
	const struct dg_set *set;
	enum want *v;
};

static enum want want_of(const struct wants *w, const struct dg_migration *m)
{
	if (dg_set_holds(w->set, m))
		return w->v[m - w->set->migs];
	return m->is_sql ? lint_wanted(w->cfg, m, w->o) : WANT_NONE;
}

/* For a pruned history: the migrations lint_sql_files lints. */
static int linted_now(const struct dg_migration *m, void *payload)
{
	return want_of(payload, m) == WANT_LINT;
}

/*
 * Lint the SQL migrations of a set the change wants, in lint order, each
 * with the schema before it. keys: the history is pruned to what they
 * need (dg_schema_history_build_for), and *exact says whether the lint
 * kept to it; NULL: the whole history.
 */
static int lint_sql_files(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
			  const struct dg_set *set, const struct dg_check_opts *o,
			  const struct dg_migration **all, size_t k, struct dg_keyset *keys,
			  int *exact)
{
	struct dg_lint_opts lo;
	memset(&lo, 0, sizeof(lo));
	lo.cfg = cfg;
	lo.pg_version = cfg->pg_version;
	lo.tx = set->cfg.transaction;
	/* the schema replayed from the whole set (built when a file needs it):
	 * each file is linted with the schema before it */
	struct dg_schema_history hist;
	/* asked once per migration: the pruned history asks too */
	struct wants wants = { cfg, o, set, dg_xcalloc(set->n_migs + 1, sizeof(*wants.v)) };
	for (size_t i = 0; i < set->n_migs; i++)
		wants.v[i] = set->migs[i].is_sql ? lint_wanted(cfg, &set->migs[i], o) : WANT_NONE;
	int have_hist = 0, r = 0;
	for (size_t i = 0; i < k && !r; i++) {
		const struct dg_migration *m = all[i];
		enum want want = want_of(&wants, m);
		if (want == WANT_EXCLUDED)
			report_excluded(run, cfg, set, m, o);
		if (want != WANT_LINT && want != WANT_FK)
			continue;
		int wanted = want == WANT_LINT;
		if (!have_hist &&
		    (keys ? dg_schema_history_build_for(&hist, &run->arena, src, set, linted_now,
							&wants, keys)
			  : dg_schema_history_build_lazy(&hist, &run->arena, src, set)) < 0) {
			r = -1;
			break;
		}
		have_hist = 1;
		lo.schema = dg_schema_history_before(&hist, m);
		int parsed;
		struct dg_sql_file *hf = dg_schema_history_file(&hist, m, &parsed);
		if (!wanted) {
			/* older migrations: only their unindexed FKs, and only with --all */
			if (hf && dg_schema_history_text(&hist, hf, m) < 0)
				r = -1;
			else if (hf)
				dg_missing_fk_index_run(run, cfg, hf, parsed, lo.schema);
			continue;
		}
		char *base;
		if (review_base(&lo, m, o, &base) < 0) {
			r = -1;
			break;
		}
		r = lint_sql_migration(run, src, m, hf, parsed, &lo) < 0 ? -1 : 0;
		free(base);
	}
	free(wants.v);
	if (exact)
		*exact = !have_hist || dg_schema_history_pruned_exact(&hist);
	return r;
}

static int lint_set(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
		    struct dg_set *const *sets, size_t n_sets, const struct dg_set *set,
		    const struct dg_check_opts *o, struct dg_schema_history *django)
{
	if (set->cfg.format != DG_FORMAT_SQL) {
		int any = 0;
		for (size_t i = 0; i < set->n_migs && !any; i++)
			any = lint_wanted(cfg, &set->migs[i], o) != WANT_NONE;
		if (!any)
			return 0;
		struct dg_schema_history own, *hist = &own;
		if (set->cfg.format == DG_FORMAT_DJANGO) {
			/* one history for every app: built once, for the first app that needs it */
			if (!django->arena && dg_schema_history_build_in(django, &run->arena, src, sets,
									 n_sets, set) < 0)
				return -1;
			hist = django;
		} else if (dg_schema_history_build(&own, &run->arena, src, set) < 0) {
			return -1;
		}
		return lint_python_set(run, cfg, set, o, hist);
	}
	const struct dg_migration **all;
	size_t k;
	/* in replay order, so a later schema stage sees the history as it ran;
	 * a down script right after its up migration, whose state it undoes */
	if (dg_set_lint_order(&run->arena, set, &all, &k) < 0)
		return -1;
	if (!(o && o->want_file) || o->all) /* every file linted: every file needed */
		return lint_sql_files(run, cfg, src, set, o, all, k, NULL, NULL);
	/*
	 * Only the changed files are linted: the history is replayed only in
	 * the files they need (schema/prune.h). Should their lint look at a
	 * name the history was not built on, it is built again with that name
	 * and the files linted again: the findings of the first try go.
	 */
	struct dg_keyset keys;
	memset(&keys, 0, sizeof(keys));
	int r, exact = 0, tries = 0;
	do {
		if (++tries > 4)
			keys.overflow = 1; /* does not settle: the whole history */
		size_t n_findings = run->n_findings, n_notes = run->n_notes;
		unsigned files = run->files, statements = run->statements;
		r = lint_sql_files(run, cfg, src, set, o, all, k, &keys, &exact);
		if (r < 0 || exact)
			break;
		run->n_findings = n_findings;
		run->n_notes = n_notes;
		run->files = files;
		run->statements = statements;
	} while (1);
	dg_keyset_release(&keys);
	return r;
}

static int fail_closed_file(const char *path, void *payload)
{
	const struct dg_check_opts *o = payload;
	return o->want_file(path, o->payload);
}

struct conflicts {
	struct dg_arena *arena;
	struct dg_graph_conflict *v;
	size_t n, cap;
};

static int collect_conflict(const char *path, const char *what, void *payload)
{
	struct conflicts *c = payload;
	struct dg_graph_conflict x = {dg_strdup(c->arena, path), dg_strdup(c->arena, what)};
	DG_PUSH(c->v, c->n, c->cap, x);
	return 0;
}

/* The conflicts that are files of set: its migrations, or its sqitch plan. */
static void set_conflicts(struct dg_arena *a, struct dg_graph *g, const struct conflicts *all)
{
	const struct dg_set *set = g->set;
	for (size_t i = 0; i < all->n; i++) {
		int mine = set->plan && !strcmp(set->plan, all->v[i].path);
		for (size_t k = 0; k < set->n_migs && !mine; k++)
			mine = !strcmp(set->migs[k].path, all->v[i].path);
		if (!mine)
			continue;
		struct dg_graph_conflict *v = dg_alloc(a, (g->n_merge_conflicts + 1) * sizeof(*v));
		if (g->n_merge_conflicts)
			memcpy(v, g->merge_conflicts, g->n_merge_conflicts * sizeof(*v));
		v[g->n_merge_conflicts++] = all->v[i];
		g->merge_conflicts = v;
	}
}

int dg_check_source(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
		    const struct dg_check_opts *o)
{
	struct dg_set **sets = NULL;
	size_t n = 0;
	int graph_only = o && o->graph && o->no_lint;
	/* a guard: what cannot be read in the change's own files is an error */
	struct dg_discover_opts dopts = {fail_closed_file, (void *)o};
	if (!graph_only && dg_sets_discover_opts(&run->arena, run, src, cfg,
						 o && o->fail_closed && o->want_file ? &dopts : NULL,
						 &sets, &n) < 0)
		return -1;
	if (o && o->list_sets) {
		list_sets(cfg, src, sets, n);
		return 0; /* the listing is all that was asked for */
	}

	/* the target's sets, and the merge's: read quietly (their own warnings are not this change's) */
	struct dg_run scratch;
	struct dg_set **tsets = NULL, **gsets = sets;
	size_t tn = 0, gn = n;
	struct dg_source *gsrc = src;
	struct conflicts conflicts = {&run->arena, NULL, 0, 0};
	dg_run_init(&scratch);
	if (o && o->target && dg_sets_discover(&scratch.arena, NULL, o->target, cfg, &tsets, &tn) < 0) {
		dg_run_release(&scratch);
		return -1;
	}
	if (o && o->graph) {
		gsrc = o->graph;
		if (dg_sets_discover(&scratch.arena, NULL, gsrc, cfg, &gsets, &gn) < 0 ||
		    (gsrc->conflicts && gsrc->conflicts(gsrc, collect_conflict, &conflicts) < 0)) {
			free(conflicts.v);
			dg_run_release(&scratch);
			return -1;
		}
	}
	const char *target_name = o && o->target && o->target->name
				      ? dg_strdup(&run->arena, o->target->name)
				      : "the target branch";
	for (size_t i = 0; i < gn; i++) {
		struct dg_graph g;
		if (o && o->want_set && !o->want_set(gsets[i], o->set_payload))
			continue;
		const struct dg_set *t = o && o->target ? dg_sets_find(tsets, tn, gsets[i]) : NULL;
		dg_graph_build(&run->arena, &g, gsets[i], gsets, gn, t);
		g.target_name = target_name;
		g.source = gsrc;
		if (o && o->graph) {
			g.merge_into = target_name;
			set_conflicts(&run->arena, &g, &conflicts);
		}
		run_graph_rules(run, cfg, &g, o);
	}
	free(conflicts.v);
	/* a whole set deleted on this side still deletes migrations of the target */
	for (size_t i = 0; i < tn; i++) {
		if (dg_sets_find(gsets, gn, tsets[i]))
			continue;
		if (o->want_set && !o->want_set(tsets[i], o->set_payload))
			continue;
		struct dg_set empty;
		memset(&empty, 0, sizeof(empty));
		empty.cfg = tsets[i]->cfg;
		empty.scheme = tsets[i]->scheme;
		struct dg_graph g;
		dg_graph_build(&run->arena, &g, &empty, NULL, 0, tsets[i]);
		g.target_name = target_name;
		g.n_conflicts = g.n_dups = g.n_missing = g.n_late = 0;
		run_graph_rules(run, cfg, &g, o);
	}
	dg_run_release(&scratch);

	struct dg_schema_history django;
	memset(&django, 0, sizeof(django));
	for (size_t i = 0; i < n; i++)
		if (!(o && o->no_lint) && lint_set(run, cfg, src, sets, n, sets[i], o, &django) < 0)
			return -1;
	return 0;
}
