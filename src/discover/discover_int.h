/*
 * Internal to src/discover: the loaders of each format and the warning
 * helper they share. Nothing outside this folder includes it.
 */
#ifndef DG_DISCOVER_INT_H
#define DG_DISCOVER_INT_H

#include "discover/migrations.h"
#include "python/pyread.h"

/* What a loader needs: where to allocate, where warnings go. */
struct dg_loader {
	struct dg_arena *a;
	struct dg_run *run;
	const struct dg_config *cfg;
	struct dg_source *src;
	const struct dg_discover_opts *opts; /* NULL: by hand */
};

/*
 * A migration the reader could not fully understand: a finding of
 * migration-unreadable, a warning by hand and the rule's guard level
 * (error unless configured) on the files a guard names (ld->opts).
 */
void dg_mig_warn(struct dg_loader *ld, const char *path, int line, int col, const char *fmt, ...)
    DG_PRINTF(5, 6);
/* The same with its own help line (for a file that is not Python). */
void dg_mig_warn_help(struct dg_loader *ld, const char *path, int line, int col, const char *help,
		      const char *fmt, ...) DG_PRINTF(6, 7);

/* Fill an Alembic migration from a read module; 0 ok, 1 not a revision file (skip). */
int dg_alembic_load(struct dg_loader *ld, const struct dg_py_module *m, struct dg_migration *mig);
/* Fill a Django migration; 0 ok, 1 no Migration class (skip). app/name already set. */
int dg_django_load(struct dg_loader *ld, const struct dg_py_module *m, struct dg_migration *mig);

/*
 * SQL naming: does `rel` (path relative to the set directory) name a
 * migration of scheme s? Fills version, description, repeatable, baseline,
 * undo, id; returns 1 on a match, 0 otherwise.
 */
int dg_sqlname_parse(struct dg_arena *a, enum dg_scheme s, const char *rel, struct dg_migration *m);
/* Guess a scheme from the relative file names of a directory; NONE if none fits. */
enum dg_scheme dg_sqlname_detect(const char *const *rel, size_t n, int *matches);
/* Does scheme s look into subdirectories? */
int dg_scheme_recursive(enum dg_scheme s);
/* Human description of the file names of a scheme ("V<version>__<desc>.sql"). */
const char *dg_scheme_pattern(enum dg_scheme s);

/* sqitch.plan: changes in plan order with their dependencies. */
int dg_sqitch_load(struct dg_loader *ld, struct dg_set *set, const char *plan_path,
		   const char *data, size_t len, struct dg_migration **out, size_t *n);


#endif
