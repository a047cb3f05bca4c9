/*
 * A migration set's history replayed: the schema at the end (which
 * missing-fk-index judges) and the schema before each migration (which
 * the lint of that migration sees as ctx->schema).
 */
#ifndef DG_SCHEMA_HISTORY_H
#define DG_SCHEMA_HISTORY_H

#include "discover/migrations.h"
#include "schema/schema.h"
#include "source/source.h"

/* A Python migration the reader could not read ("path:line:col: message"). */
struct dg_schema_history_error {
	const struct dg_migration *m;
	const char *message;
};

struct dg_schema_history {
	struct dg_arena *arena;
	struct dg_source *src;              /* where the files were read (borrowed) */
	const struct dg_migration **order;  /* migrations in replay order */
	struct dg_sql_file *files;          /* their parsed SQL (Python: the SQL the framework runs) */
	size_t n;
	struct dg_schema *final;            /* after every migration; final->final == final */
	struct dg_schema *cur;              /* running state for dg_schema_history_before */
	size_t pos;                         /* cur = state before order[pos] */
	size_t cache_hits, cache_misses;    /* files whose facts came from / went to the cache */
	struct dg_schema_history_error *errors; /* Python files left out: unreadable */
	size_t n_errors;
	/* Python migrations the order leaves out (replaced by a squash that runs
	 * instead): their SQL, translated at the end, not replayed; still linted */
	const struct dg_migration **extra;
	struct dg_sql_file *extra_files;
	size_t n_extra;
	/* internal: where each of the set's migrations is in order (-1: not replayed),
	 * and whether its file was parsed in full (1) or read back from the cache (0) */
	const struct dg_migration *migs;
	size_t n_migs;
	long *order_of;
	char *parsed;
	struct dg_schema *before_last;      /* the state before order[n - 1] */
	/* internal: the up migrations by version key, built when a down script
	 * first asks for its up one (up_of); NULL until then */
	struct dg_history_up *ups;
	size_t n_ups;
	/* internal: a pruned build (dg_schema_history_build_for): where its
	 * schemas note the keys they look at, and how many it was built on */
	struct dg_keyset *probe;
	size_t probe_n;
	int pruned;                         /* some file was left out */
};

/*
 * Replay the migrations of set in replay order (dg_set_order; undo and
 * down scripts are not replayed). Files are read from m->data or src.
 * Alembic and Django migrations are turned into the SQL their framework
 * runs (src/frameworks) and replayed as such. -1 (message set) on read
 * errors; a Python file the reader cannot read is left out (errors).
 */
int dg_schema_history_build(struct dg_schema_history *out, struct dg_arena *a,
			    struct dg_source *src, const struct dg_set *set);
/*
 * The same with the other sets of the source: a Django set's history is
 * every Django app's migrations in the order Django runs them (an app's
 * models are the targets of another's foreign keys).
 */
int dg_schema_history_build_in(struct dg_schema_history *out, struct dg_arena *a,
			       struct dg_source *src, struct dg_set *const *sets, size_t n_sets,
			       const struct dg_set *set);
/*
 * dg_schema_history_build for a caller that shows the text of none of the
 * history's files but those it lints (the check driver and the hooks): a
 * SQL file whose facts are cached is not read at all, so a push that adds
 * one migration to a long history reads one blob. Such a file has no text
 * (f->data NULL, parsed 0) until dg_schema_history_text gives it its own.
 */
int dg_schema_history_build_lazy(struct dg_schema_history *out, struct dg_arena *a,
				 struct dg_source *src, const struct dg_set *set);
/*
 * dg_schema_history_build_lazy for a caller that lints only the migrations
 * linted() accepts and asks the history nothing else: only the files they
 * need are parsed and replayed (schema/prune.h), on the keys noted in keys
 * (empty at first; the caller keeps it). Its schemas go on noting the keys
 * they look at: after the lint, dg_schema_history_pruned_exact says
 * whether it only looked at what the history was built on; if not, build
 * again with the same keys and lint again. A set that cannot be pruned
 * (not SQL, a linted down script, DDLGATE_NO_PRUNE in the environment) is
 * replayed whole, and keys->overflow is then set.
 */
struct dg_keyset;
int dg_schema_history_build_for(struct dg_schema_history *out, struct dg_arena *a,
				struct dg_source *src, const struct dg_set *set,
				int (*linted)(const struct dg_migration *m, void *payload),
				void *payload, struct dg_keyset *keys);
/* After a lint on a pruned history: did it look only at what the history was built on? */
int dg_schema_history_pruned_exact(const struct dg_schema_history *h);
/* Read the text of m's replayed file f when it has none (0, or -1: message set). */
int dg_schema_history_text(struct dg_schema_history *h, struct dg_sql_file *f,
			   const struct dg_migration *m);
/* Why a Python migration was left out ("path:line:col: ..."), or NULL. */
const char *dg_schema_history_error(const struct dg_schema_history *h, const struct dg_migration *m);

/*
 * The schema just before migration m, with ->final set. Cheapest when
 * asked in replay order. A down / undo script gets the schema just after
 * its own up migration (the state it undoes); another migration outside
 * the replay order gets the end state.
 */
const struct dg_schema *dg_schema_history_before(struct dg_schema_history *h,
						 const struct dg_migration *m);

/*
 * Where m is linted in h: 2 * its place in the replay order; a down
 * script 2 * its up migration's place + 1 (right after it); 2 * n for
 * anything else. Linting in this order replays the history forward once.
 */
size_t dg_schema_history_place(struct dg_schema_history *h, const struct dg_migration *m);

/*
 * The replayed file of migration m (a Python migration: its translated
 * SQL, also for one a squash replaces), or NULL when m is not in the
 * history (not replayed, or unreadable); with *parsed 1 when it was parsed
 * in full (every fact, suppressions too) and 0 when its replay facts came
 * from the cache.
 */
struct dg_sql_file *dg_schema_history_file(const struct dg_schema_history *h,
					   const struct dg_migration *m, int *parsed);

#endif
