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

struct dg_schema_history {
	struct dg_arena *arena;
	const struct dg_migration **order;  /* SQL migrations in replay order */
	struct dg_sql_file *files;          /* their parsed text (NULL data: unreadable) */
	size_t n;
	struct dg_schema *final;            /* after every migration; final->final == final */
	struct dg_schema *cur;              /* running state for dg_schema_history_before */
	size_t pos;                         /* cur = state before order[pos] */
	size_t cache_hits, cache_misses;    /* files whose facts came from / went to the cache */
	/* internal: where each of the set's migrations is in order (-1: not replayed),
	 * and whether its file was parsed in full (1) or read back from the cache (0) */
	const struct dg_migration *migs;
	size_t n_migs;
	long *order_of;
	char *parsed;
	struct dg_schema *before_last;      /* the state before order[n - 1] */
};

/*
 * Replay the SQL migrations of set in replay order (dg_set_order; undo and
 * down scripts are not replayed). Files are read from m->data or src.
 * Python sets replay nothing. -1 (message set) on read errors.
 */
int dg_schema_history_build(struct dg_schema_history *out, struct dg_arena *a,
			    struct dg_source *src, const struct dg_set *set);

/*
 * The schema just before migration m, with ->final set. Cheapest when
 * asked in replay order; a migration outside the replay order (an undo
 * script) gets the end state.
 */
const struct dg_schema *dg_schema_history_before(struct dg_schema_history *h,
						 const struct dg_migration *m);

/*
 * The replayed file of migration m, or NULL when m is not replayed; with
 * *parsed 1 when it was parsed in full (every fact, suppressions too) and
 * 0 when its replay facts came from the cache.
 */
struct dg_sql_file *dg_schema_history_file(const struct dg_schema_history *h,
					   const struct dg_migration *m, int *parsed);

#endif
