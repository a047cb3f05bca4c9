/*
 * The frameworks stage: a Django or Alembic migration, read with the
 * Python-subset reader (never imported or executed), turned into the SQL
 * its framework runs on PostgreSQL. The SQL comes out as a parsed SQL file
 * whose origin map points back into the .py file, so every later stage
 * (lock model, schema replay, rules) treats it as any SQL migration. What
 * is not modelled becomes a note; SQL that cannot be read (an f-string, a
 * variable) an opaque-sql item; findings get help in the framework's terms.
 */
#ifndef DG_FRAMEWORKS_H
#define DG_FRAMEWORKS_H

#include <stddef.h>

#include "config/config.h"
#include "core/core.h"
#include "sql/sql.h"

/*
 * What the framework knows when a migration runs: Django's project state
 * (every model of every app so far), Alembic's tables (for the columns an
 * operation does not restate). Carried from one migration to the next in
 * the order the framework runs them; memory lives in the arena.
 */
struct dg_fw_state;

struct dg_fw_state *dg_fw_state_new(struct dg_arena *a);

struct dg_fw_opts {
	enum dg_set_format format; /* DG_FORMAT_DJANGO or DG_FORMAT_ALEMBIC */
	enum dg_tx_mode tx;	   /* the set's transaction: setting (auto = the framework's) */
	const char *app_label;	   /* Django: the app of the migration */
};

/*
 * Read one migration file and make the SQL its framework runs (BEGIN /
 * COMMIT included where the framework opens a transaction), parsed into
 * out with its origin map applied; st moves past the migration. Returns
 * -1 with "path:line:col: message" set when the Python cannot be read (st
 * is unchanged then).
 */
int dg_fw_migration_sql(struct dg_arena *a, struct dg_fw_state *st, const char *path,
			const char *data, size_t len, const struct dg_fw_opts *o,
			struct dg_sql_file *out);

/* The SQL text of a file made by dg_fw_migration_sql (what `explain` shows). */
static inline const char *dg_fw_sql_text(const struct dg_sql_file *f)
{
	return f->data;
}

#endif
