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
	const struct dg_migration *rename; /* the one to renumber: the last not on the target */
};

/* A SQL migration to renumber (duplicate or out of order) and the version to give it. */
struct dg_graph_rename {
	const struct dg_migration *m;
	const char *version;
};

/* A file of the set that does not merge cleanly into the branch it is merged into. */
struct dg_graph_conflict {
	const char *path;
	const char *what; /* "both sides changed it since they split", ... */
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
	const char *next_version; /* SQL: the first version free on the set and the target */
	struct dg_graph_rename *renames; /* distinct free versions, one per migration to renumber */
	size_t n_renames;
	const struct dg_migration **target_by_path; /* the target's migrations, sorted by path */

	/* filled in by the driver */
	struct dg_source *source;	 /* where the set was read (names commits); NULL = none */
	const char *merge_into;		 /* the set is of a merge into this branch (ci), or NULL */
	struct dg_graph_conflict *merge_conflicts; /* its files that conflict in that merge */
	size_t n_merge_conflicts;
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

/* Is m (by path) a migration of the target too? 0 without a target. */
int dg_graph_on_target(const struct dg_graph *g, const struct dg_migration *m);

/* The version to renumber m to (a SQL duplicate or late migration), or NULL. */
const char *dg_graph_rename_to(const struct dg_graph *g, const struct dg_migration *m);

/*
 * Where each of migs[0..n) came from, as g->source tells it (`added in
 * commit abc1234 "add orders"`, `from this branch in commit ...`): arena
 * strings in out[], NULL where the source cannot tell. Walks history:
 * only for the migrations a finding names.
 */
void dg_graph_origins(struct dg_arena *a, const struct dg_graph *g,
		      const struct dg_migration *const *migs, size_t n, const char **out);

/* Where a graph finding about m points: its file, or the sqitch.plan line. */
const char *dg_graph_where(const struct dg_set *set, const struct dg_migration *m);

#endif
