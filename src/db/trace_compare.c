/*
 * What the static model claims for a statement against what the server
 * did (dg_trace_run): the disagreements `ddlgate trace` flags. Compared
 * are the relations the statement names (its facts); locks PostgreSQL
 * takes on other relations (a table's indexes, TOAST, sequences, the table
 * behind DROP INDEX) are shown but not judged, as in the lock oracle.
 */
#include "db/db.h"

#include <stdlib.h>
#include <string.h>

/* The relations a statement names, from its facts (a heap array). */
struct named {
	const struct dg_rel **v;
	size_t n, cap;
};

static void add_rel(struct named *s, const struct dg_rel *r)
{
	if (r && r->name)
		DG_PUSH(s->v, s->n, s->cap, r);
}

static void add_constraint_refs(struct named *s, const struct dg_constraint *c)
{
	if (c && c->kind == DG_CON_FOREIGN)
		add_rel(s, &c->ref_table);
}

static void named_rels(const struct dg_stmt *st, struct named *s)
{
	const struct dg_stmt_rare *rare = dg_stmt_rare(st);
	for (size_t i = 0; i < st->n_locks; i++)
		add_rel(s, &st->locks[i].rel);
	for (size_t i = 0; i < st->n_rewrites; i++)
		add_rel(s, &st->rewrites[i]);
	for (size_t i = 0; i < st->n_scans; i++)
		add_rel(s, &st->scans[i]);
	add_rel(s, st->rel);
	for (size_t i = 0; i < st->n_rels; i++)
		add_rel(s, &st->rels[i]);
	for (size_t i = 0; i < st->n_reads; i++)
		add_rel(s, &st->reads[i]);
	for (size_t i = 0; i < rare->n_writes; i++)
		add_rel(s, &rare->writes[i]);
	for (size_t i = 0; i < rare->n_likes; i++)
		add_rel(s, &rare->likes[i]);
	add_rel(s, &rare->partition_of);
	if (st->index)
		add_rel(s, &st->index->table);
	for (size_t i = 0; i < st->n_cmds; i++) {
		add_constraint_refs(s, st->cmds[i].con);
		add_rel(s, &st->cmds[i].part);
		if (st->cmds[i].coldef)
			add_constraint_refs(s, st->cmds[i].coldef->fk);
	}
	for (size_t i = 0; i < st->n_columns; i++)
		add_constraint_refs(s, st->columns[i].fk);
	for (size_t i = 0; i < st->n_constraints; i++)
		add_constraint_refs(s, &st->constraints[i]);
}

/* Does the relation as the SQL named it (unqualified: found on the search path) mean r? */
int dg_trace_rel_names(const struct dg_rel *sql, const struct dg_trace_rel *r)
{
	if (strcmp(sql->name, r->name))
		return 0;
	return sql->schema ? !strcmp(sql->schema, r->schema) : r->visible;
}

static int named_by(const struct named *s, const struct dg_trace_rel *r)
{
	for (size_t i = 0; i < s->n; i++)
		if (dg_trace_rel_names(s->v[i], r))
			return 1;
	return 0;
}

struct diffs {
	struct dg_trace_diff *v;   /* heap; copied into the arena at the end */
	size_t n, cap;
};

static void add_diff(struct diffs *d, enum dg_trace_diff_kind kind, const char *rel,
		     const char *claimed, const char *measured, const char *msg)
{
	struct dg_trace_diff x = { kind, rel, claimed, measured, msg, kind == DG_DIFF_SCAN };
	DG_PUSH(d->v, d->n, d->cap, x);
}

/* The strongest lock st claims on what r is. */
static enum dg_lockmode claimed_on(const struct dg_stmt *st, const struct dg_trace_rel *r)
{
	enum dg_lockmode m = DG_LOCK_NONE;
	for (size_t i = 0; i < st->n_locks; i++)
		if (dg_trace_rel_names(&st->locks[i].rel, r) && st->locks[i].mode > m)
			m = st->locks[i].mode;
	return m;
}

static const char *mode_or_none(enum dg_lockmode m)
{
	return m ? dg_lockmode_name(m) : "none";
}

static void compare_lock(struct dg_arena *a, const struct dg_stmt *st, const struct dg_trace_lock *l,
			 struct diffs *d)
{
	enum dg_lockmode claim = claimed_on(st, &l->rel);
	enum dg_lockmode took = dg_lockbits_max(l->taken);
	const char *rel = l->rel.display;
	if (took == claim)
		return;
	/* a mode the transaction held already is not taken again: no pg_locks row to see */
	if (claim && took < claim && (l->held_before & DG_LOCKBIT(claim)))
		return;
	const char *msg;
	if (!claim)
		msg = dg_sprintf(a, "PostgreSQL took %s on \"%s\"; ddlgate claims no lock on it",
				 dg_lockmode_name(took), rel);
	else if (!took)
		msg = dg_sprintf(a, "ddlgate claims %s on \"%s\"; PostgreSQL took no new lock on it",
				 dg_lockmode_name(claim), rel);
	else
		msg = dg_sprintf(a, "PostgreSQL took %s on \"%s\"; ddlgate claims %s",
				 dg_lockmode_name(took), rel, dg_lockmode_name(claim));
	add_diff(d, DG_DIFF_LOCK, rel, mode_or_none(claim), mode_or_none(took), msg);
}

/* Claims on relations PostgreSQL took no lock on at all (nor held before). */
static void compare_unlocked_claims(struct dg_arena *a, const struct dg_stmt *st,
				    const struct dg_trace_step *m, struct diffs *d)
{
	for (size_t i = 0; i < st->n_locks; i++) {
		int seen = 0;
		for (size_t k = 0; k < m->n_locks && !seen; k++)
			seen = dg_trace_rel_names(&st->locks[i].rel, &m->locks[k].rel);
		for (size_t k = 0; k < i && !seen; k++)
			seen = dg_rel_equal(&st->locks[k].rel, &st->locks[i].rel);
		if (seen)
			continue;
		const char *rel = dg_rel_display(a, &st->locks[i].rel);
		add_diff(d, DG_DIFF_LOCK, rel, dg_lockmode_name(st->locks[i].mode), "none",
			 dg_sprintf(a, "ddlgate claims %s on \"%s\"; PostgreSQL took no lock on it",
				    dg_lockmode_name(st->locks[i].mode), rel));
	}
}

static int is_table_like(char kind)
{
	return kind == 'r' || kind == 'm' || kind == 'p';
}

/*
 * Did the server replace the storage of what the SQL names? New empty
 * storage counts, except for TRUNCATE, whose whole point it is.
 */
const struct dg_trace_rel *dg_trace_rewritten(const struct dg_stmt *st,
					      const struct dg_trace_step *m,
					      const struct dg_rel *r)
{
	for (size_t i = 0; i < m->n_rewrites; i++)
		if (dg_trace_rel_names(r, &m->rewrites[i]))
			return &m->rewrites[i];
	for (size_t i = 0; st->kind != DG_STMT_TRUNCATE && i < m->n_emptied; i++)
		if (dg_trace_rel_names(r, &m->emptied[i]))
			return &m->emptied[i];
	return NULL;
}

static void compare_rewrite_of(struct dg_arena *a, const struct dg_stmt *st,
			       const struct named *s, const struct dg_trace_rel *x, struct diffs *d)
{
	if (!is_table_like(x->kind) || !named_by(s, x))
		return;
	for (size_t i = 0; i < st->n_rewrites; i++)
		if (dg_trace_rel_names(&st->rewrites[i], x))
			return;
	add_diff(d, DG_DIFF_REWRITE, x->display, "no rewrite", "rewrite",
		 dg_sprintf(a, "PostgreSQL rewrote \"%s\" (new relfilenode); ddlgate does not say so",
			    x->display));
}

static void compare_rewrites(struct dg_arena *a, const struct dg_stmt *st,
			     const struct dg_trace_step *m, const struct named *s, struct diffs *d)
{
	for (size_t i = 0; i < st->n_rewrites; i++) {
		if (dg_trace_rewritten(st, m, &st->rewrites[i]))
			continue;
		const char *rel = dg_rel_display(a, &st->rewrites[i]);
		add_diff(d, DG_DIFF_REWRITE, rel, "rewrite", "no rewrite",
			 dg_sprintf(a, "ddlgate says \"%s\" is rewritten; PostgreSQL kept its storage (same relfilenode)",
				    rel));
	}
	for (size_t i = 0; i < m->n_rewrites; i++)
		compare_rewrite_of(a, st, s, &m->rewrites[i], d);
	for (size_t i = 0; st->kind != DG_STMT_TRUNCATE && i < m->n_emptied; i++)
		compare_rewrite_of(a, st, s, &m->emptied[i], d);
}

/* Scans: notes only, the planner chooses how a query reads a table. */
static void compare_scans(struct dg_arena *a, const struct dg_stmt *st,
			  const struct dg_trace_step *m, const struct named *s, struct diffs *d)
{
	for (size_t i = 0; i < st->n_scans; i++) {
		int seen = 0;
		/* a table made earlier in this file is empty: nothing to read */
		if (st->table_is_new && st->rel && dg_rel_equal(st->rel, &st->scans[i]))
			continue;
		for (size_t k = 0; k < m->n_scans && !seen; k++)
			seen = dg_trace_rel_names(&st->scans[i], &m->scans[k]);
		if (seen)
			continue;
		const char *rel = dg_rel_display(a, &st->scans[i]);
		add_diff(d, DG_DIFF_SCAN, rel, "scan", "no scan",
			 dg_sprintf(a, "ddlgate says \"%s\" is read in full; PostgreSQL did not scan it sequentially here (the data or the plan decides)",
				    rel));
	}
	for (size_t k = 0; k < m->n_scans; k++) {
		const struct dg_trace_rel *x = &m->scans[k];
		int claimed = 0;
		for (size_t i = 0; i < st->n_scans && !claimed; i++)
			claimed = dg_trace_rel_names(&st->scans[i], x);
		if (claimed || !named_by(s, x))
			continue;
		add_diff(d, DG_DIFF_SCAN, x->display, "no scan", "scan",
			 dg_sprintf(a, "PostgreSQL read \"%s\" sequentially; ddlgate does not count it as a full scan (the plan may differ on a bigger table)",
				    x->display));
	}
}

void dg_trace_compare(struct dg_arena *a, const struct dg_stmt *st, struct dg_trace_step *step,
		      struct dg_trace_diff **out, size_t *n_out)
{
	struct named s = { 0 };
	struct diffs d = { 0 };
	named_rels(st, &s);
	for (size_t i = 0; i < step->n_locks; i++) {
		struct dg_trace_lock *l = &step->locks[i];
		l->compared = named_by(&s, &l->rel);
		if (l->compared)
			compare_lock(a, st, l, &d);
	}
	compare_unlocked_claims(a, st, step, &d);
	compare_rewrites(a, st, step, &s, &d);
	compare_scans(a, st, step, &s, &d);
	*out = d.n ? dg_memdup(a, d.v, d.n, sizeof(*d.v)) : NULL;
	*n_out = d.n;
	free(d.v);
	free(s.v);
}
