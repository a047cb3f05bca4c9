/*
 * Migration graphs: heads, duplicates, missing parents, and the comparison
 * with the target branch, computed from a loaded set. The graph rules only
 * word the findings.
 */
#ifndef DG_GRAPH_H
#define DG_GRAPH_H

#include "discover/migrations.h"

/* A dangling reference: migration m names `ref`, which no migration is. */
struct dg_graph_missing {
	const struct dg_migration *m;
	const char *ref;
	const char
	    *what; /* "down_revision", "depends_on", "dependency", "replaces", "run_before" */
	int line;
};

/* One conflict group: the heads that must be merged. */
struct dg_graph_heads {
	const char *label; /* alembic: the branch labels the heads share ("" = none) */
	const char *app;   /* django: the app */
	const struct dg_migration **heads; /* sorted by id */
	size_t n_heads;
};

/* Migrations sharing one version (SQL) or revision id (Alembic). */
struct dg_graph_dup {
	const char *version;
	const struct dg_migration **migs; /* sorted by path */
	size_t n_migs;
};

/* A migration new on this side that sorts before the newest on the target. */
struct dg_graph_late {
	const struct dg_migration *m;
	const struct dg_migration *newest; /* on the target */
};

/* A migration of the target that changed here (now == NULL: deleted). */
struct dg_graph_change {
	const struct dg_migration *old;
	const struct dg_migration *now;
};

struct dg_graph {
	const struct dg_set *set;
	const struct dg_set *target;	  /* the same set on the target tree, or NULL */
	const char *target_name;	  /* for messages: "origin/main", "the target branch" */
	struct dg_graph_heads *conflicts; /* groups with more than one head */
	size_t n_conflicts;
	struct dg_graph_dup *dups;
	size_t n_dups;
	struct dg_graph_missing *missing;
	size_t n_missing;
	struct dg_graph_late *late;
	size_t n_late;
	struct dg_graph_change *changes;
	size_t n_changes;
	const char *next_version; /* SQL: the next free version, for help text */
};

/*
 * Build the facts of one set. `all` are every set of the same source (Django
 * dependencies cross apps); target is the same set on the target tree (may
 * be NULL).
 */
int dg_graph_build(struct dg_arena *a, struct dg_graph *out, const struct dg_set *set,
		   struct dg_set *const *all, size_t n_all, const struct dg_set *target);

/* Heads of an Alembic set: revisions no other names in down_revision or depends_on (sorted by id).
 */
int dg_graph_alembic_heads(struct dg_arena *a, const struct dg_set *set,
			   const struct dg_migration ***out, size_t *n);

/* The file name `m` would have with version `version` (for "rename to" help). */
const char *dg_graph_renamed(struct dg_arena *a, const struct dg_set *set,
			     const struct dg_migration *m, const char *version);

/* Where a graph finding about m points: its file, or the sqitch.plan line. */
const char *dg_graph_where(const struct dg_set *set, const struct dg_migration *m);

#endif
