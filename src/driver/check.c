/*
 * The driver: discover the sets, run every graph rule on each,
 * then lint the SQL migrations. The hooks and `ci` call it with a target
 * tree and a file filter.
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

/* Does line `line` (1-based; 0 = anywhere) of text hold needle followed by rule? */
static int line_has(const char *text, size_t len, int line, const char *needle, const char *rule)
{
	const char *p = text, *end = text + len;
	for (int l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return 0;
		p = nl + 1;
	}
	const char *e = line ? memchr(p, '\n', (size_t)(end - p)) : end;
	if (!e)
		e = end;
	size_t nn = strlen(needle), rl = strlen(rule);
	for (const char *q = p; q + nn <= e; q++)
		if (!memcmp(q, needle, nn)) {
			const char *r = q + nn;
			while (r < e && (*r == ' ' || *r == '\t'))
				r++;
			/* a comma-separated list of rule ids follows */
			while (r < e) {
				const char *w = r;
				while (w < e && *w != ',' && *w != ' ' && *w != '\t' && *w != '\r' &&
				       *w != '\n')
					w++;
				if ((size_t)(w - r) == rl && !memcmp(r, rule, rl))
					return 1;
				if ((size_t)(w - r) == 3 && !memcmp(r, "all", 3))
					return 1;
				if (w >= e || *w != ',')
					break;
				r = w + 1;
			}
		}
	return 0;
}

/*
 * `# ddlgate:ignore RULE` on the line before (or at) the line a graph
 * finding points to, or `ddlgate:ignore-file RULE` anywhere in that file,
 * silences it; same comments as in SQL, written in the migration itself.
 */
static int graph_suppressed(const struct dg_set *set, const struct dg_finding *f)
{
	if (!f->path)
		return 0;
	for (size_t i = 0; i < set->n_migs; i++) {
		const struct dg_migration *m = &set->migs[i];
		if (!m->data || strcmp(m->path, f->path))
			continue;
		if (line_has(m->data, m->len, 0, "ddlgate:ignore-file", f->rule))
			return 1;
		if (f->line && (line_has(m->data, m->len, f->line, "ddlgate:ignore", f->rule) ||
				(f->line > 1 &&
				 line_has(m->data, m->len, f->line - 1, "ddlgate:ignore", f->rule))))
			return 1;
	}
	return 0;
}

/* Run every graph rule on one set. */
static void run_graph_rules(struct dg_run *run, const struct dg_config *cfg,
			    const struct dg_graph *g)
{
	size_t first = run->n_findings;
	size_t n_rules;
	const struct dg_rule *const *rules = dg_rules_list(&n_rules);
	struct dg_rule_ctx ctx;
	dg_rule_ctx_init(&ctx, run, cfg, NULL);
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
	size_t w = first;
	for (size_t i = first; i < run->n_findings; i++)
		if (!graph_suppressed(g->set, &run->findings[i]))
			run->findings[w++] = run->findings[i];
	run->n_findings = w;
}

static int lint_set(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
		    const struct dg_set *set, const struct dg_check_opts *o)
{
	if (set->cfg.format != DG_FORMAT_SQL)
		return 0; /* Python migrations: SQL inside op.execute() is not linted yet */
	const struct dg_migration **order;
	size_t n;
	/* in replay order, so a later schema stage sees the history as it ran */
	if (dg_set_order(&run->arena, set, &order, &n) < 0)
		return -1;
	/* undo / down files are not in the replay order but are SQL that runs too */
	const struct dg_migration **all = dg_alloc(&run->arena, (set->n_migs + 1) * sizeof(*all));
	char *seen = dg_alloc(&run->arena, set->n_migs + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		all[k++] = order[i];
		if (order[i] >= set->migs && order[i] < set->migs + set->n_migs)
			seen[order[i] - set->migs] = 1;
	}
	for (size_t i = 0; i < set->n_migs; i++)
		if (!seen[i])
			all[k++] = &set->migs[i];
	struct dg_lint_opts lo;
	memset(&lo, 0, sizeof(lo));
	lo.cfg = cfg;
	lo.pg_version = cfg->pg_version;
	lo.tx = set->cfg.transaction;
	/* the schema replayed from the whole set (built when a file needs it):
	 * each file is linted with the schema before it */
	struct dg_schema_history hist;
	int have_hist = 0;
	for (size_t i = 0; i < k; i++) {
		const struct dg_migration *m = all[i];
		if (!m->is_sql || dg_config_is_excluded(cfg, m->path))
			continue;
		int wanted = !(o && o->want_file) || o->want_file(m->path, o->payload);
		if (!wanted && !(o && o->all))
			continue;
		if (!have_hist && dg_schema_history_build(&hist, &run->arena, src, set) < 0)
			return -1;
		have_hist = 1;
		lo.schema = dg_schema_history_before(&hist, m);
		int parsed;
		struct dg_sql_file *hf = dg_schema_history_file(&hist, m, &parsed);
		if (!wanted) {
			/* older migrations: only their unindexed FKs, and only with --all */
			if (hf)
				dg_missing_fk_index_run(run, cfg, hf, parsed, lo.schema);
			continue;
		}
		if (hf && parsed) {
			/* parsed in full for the replay already: linted as it is */
			if (dg_lint_check_text(hf->path, hf->data, hf->len) < 0)
				return -1;
			dg_lint_parsed(run, hf, &lo);
			continue;
		}
		const char *data = m->data;
		size_t len = m->len;
		char *owned = NULL;
		if (!data) {
			if (!dg_source_exists(src, m->path))
				continue; /* a sqitch change without a deploy script */
			if (src->read(src, m->path, &owned, &len) < 0)
				return -1;
			data = owned;
		}
		int r = dg_lint_sql(run, m->path, data, len, &lo);
		free(owned);
		if (r < 0)
			return -1;
	}
	return 0;
}

int dg_check_source(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
		    const struct dg_check_opts *o)
{
	struct dg_set **sets;
	size_t n;
	if (dg_sets_discover(&run->arena, run, src, cfg, &sets, &n) < 0)
		return -1;
	if (o && o->list_sets)
		list_sets(cfg, src, sets, n);

	/* the target's sets: read quietly (its own warnings are not this change's) */
	struct dg_run scratch;
	struct dg_set **tsets = NULL;
	size_t tn = 0;
	dg_run_init(&scratch);
	if (o && o->target && dg_sets_discover(&scratch.arena, NULL, o->target, cfg, &tsets, &tn) < 0) {
		dg_run_release(&scratch);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct dg_graph g;
		const struct dg_set *t = o && o->target ? dg_sets_find(tsets, tn, sets[i]) : NULL;
		dg_graph_build(&run->arena, &g, sets[i], sets, n, t);
		if (o && o->target && o->target->name)
			g.target_name = dg_strdup(&run->arena, o->target->name);
		run_graph_rules(run, cfg, &g);
	}
	/* a whole set deleted on this side still deletes migrations of the target */
	for (size_t i = 0; i < tn; i++) {
		if (dg_sets_find(sets, n, tsets[i]))
			continue;
		struct dg_set empty;
		memset(&empty, 0, sizeof(empty));
		empty.cfg = tsets[i]->cfg;
		empty.scheme = tsets[i]->scheme;
		struct dg_graph g;
		dg_graph_build(&run->arena, &g, &empty, NULL, 0, tsets[i]);
		g.target_name = dg_strdup(&run->arena, o->target->name ? o->target->name : "the target branch");
		g.n_conflicts = g.n_dups = g.n_missing = g.n_late = 0;
		run_graph_rules(run, cfg, &g);
	}
	dg_run_release(&scratch);

	for (size_t i = 0; i < n; i++)
		if (!(o && o->no_lint) && lint_set(run, cfg, src, sets[i], o) < 0)
			return -1;
	return 0;
}
