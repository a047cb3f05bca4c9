/*
 * Migration sets: which directories of a source hold migrations, in which
 * format, and what each migration says about its place in the history
 * (its id and its parents). Python files are read, never executed.
 */
#ifndef DG_MIGRATIONS_H
#define DG_MIGRATIONS_H

#include <stddef.h>

#include "config/config.h"
#include "core/core.h"
#include "core/finding.h"
#include "source/source.h"

/* SQL naming schemes (dg_set.scheme); NONE for Alembic and Django sets. */
enum dg_scheme {
	DG_SCHEME_NONE = 0,
	DG_SCHEME_FLYWAY,	  /* V<ver>__<desc>.sql, U..., R__ repeatable, B baseline */
	DG_SCHEME_GOLANG_MIGRATE, /* <ver>_<name>.up.sql / .down.sql */
	DG_SCHEME_DBMATE,	  /* <timestamp>_<name>.sql */
	DG_SCHEME_DIESEL,	  /* <timestamp>_<name>/up.sql (+ down.sql) */
	DG_SCHEME_SEQUENTIAL,	  /* <number>[_-.]<name>.sql */
	DG_SCHEME_SQITCH,	  /* sqitch.plan names the changes and their parents */
};

const char *dg_scheme_name(enum dg_scheme s);
/* "flyway" ... -> scheme; DG_SCHEME_NONE for "auto"; -1 when unknown. */
int dg_scheme_parse(const char *name);

struct dg_migration {
	const char *path;     /* repo-relative */
	const char *blob_id;  /* git blob oid hex; NULL on the file system */
	const char *id;	      /* alembic revision / "app.0001_x" / sql version string */
	const char *app;      /* django app label; NULL otherwise */
	const char **parents; /* alembic down_revision, django dependencies ("app.name"),
				 sqitch plan parents; SQL schemes: none */
	size_t n_parents;
	int line;   /* of the id (1 for file-name ids), for messages */
	int is_sql; /* file content is SQL to lint */

	/* Alembic */
	const char **depends_on; /* revisions or branch labels */
	size_t n_depends_on;
	const char **branch_labels;
	size_t n_branch_labels;
	int parents_line, depends_line; /* where down_revision / depends_on were written */

	/* Django */
	const char *name;      /* "0001_initial" (the module name) */
	const char **replaces; /* squash: "app.name" of every replaced migration */
	size_t n_replaces;
	const char **run_before; /* "app.name": those depend on this one */
	size_t n_run_before;
	int initial; /* initial = True */
	int replaces_line, run_before_line;

	/* SQL schemes */
	const char *version; /* version as written ("1.2", "20240101120000") */
	const char *description;
	int repeatable; /* Flyway R__ */
	int baseline;	/* Flyway B<ver>__ */
	int undo;	/* Flyway U<ver>__ / golang-migrate .down.sql / diesel down.sql */

	/* The file as read (arena copy, NUL-terminated), for the lint and the comparison
	 * with the target branch; NULL when it could not be read. A SQL migration of a
	 * source with content ids (blob_id set: git trees, the index, a merge) is not
	 * read by discovery: data is NULL and dg_migration_text reads it when needed
	 * (the graph rules compare blob ids; the replay takes cached facts by id). */
	const char *data;
	size_t len;
	int unreadable;		 /* the reader gave up on the file (a warning says why) */
	const char *real_path;	 /* reached through a symbolic link: the file it names; else NULL */
};

struct dg_set {
	/* effective: path (one dir), format, naming resolved, transaction */
	struct dg_set_config cfg;
	const char *why; /* why it was detected or configured, for --list-sets */
	struct dg_migration *migs;
	size_t n_migs;
	enum dg_scheme scheme; /* resolved SQL naming scheme */
	const char **dirs;     /* every directory of the set (Alembic version_locations) */
	size_t n_dirs;
	const char *alembic_ini; /* the alembic.ini that named it, if any */
	const char *plan;	 /* sqitch-like: the sqitch.plan (where graph messages point) */
};

/* Is m one of set's own migrations (an element of set->migs, so m - set->migs is its index)? */
static inline int dg_set_holds(const struct dg_set *set, const struct dg_migration *m)
{
	return m >= set->migs && m < set->migs + set->n_migs;
}

/*
 * Discover the sets of src: from cfg->sets (globs expanded against the
 * source's directories) or, with none configured, auto-detected (alembic.ini
 * script_location / version_locations, `migrations` directories holding
 * Django modules, SQL directories following a naming scheme). Loads each
 * set's migrations through src->read; Python is parsed, never executed.
 *
 * A value the reader cannot evaluate (a name imported from elsewhere), a
 * Python file it cannot read, a symbolic link that cannot be followed or a
 * submodule in a set's directory becomes a finding of migration-unreadable
 * in run (a warning), naming file:line:col; the migration is kept with what
 * could be read. Returns -1 (message set) only for I/O errors of the source.
 */
int dg_sets_discover(struct dg_arena *a, struct dg_run *run, struct dg_source *src,
		     const struct dg_config *cfg, struct dg_set ***out, size_t *n_out);

/*
 * The bytes of m: m->data, else (a SQL migration discovery did not read)
 * read from src, the source m was discovered in, into the arena. *data is
 * NULL when there is no file to read (a sqitch change without a script).
 * -1 (message set) when the source cannot read it.
 */
int dg_migration_text(struct dg_arena *a, struct dg_source *src, const struct dg_migration *m,
		      const char **data, size_t *len);
/* How a guard (the hooks, ci) wants discovery to report what it cannot read. */
struct dg_discover_opts {
	/* files this accepts (the change's own) are reported at migration-unreadable's
	 * guard level: an error unless the config sets it */
	int (*fail_closed)(const char *path, void *payload);
	void *payload;
};
int dg_sets_discover_opts(struct dg_arena *a, struct dg_run *run, struct dg_source *src,
			  const struct dg_config *cfg, const struct dg_discover_opts *o,
			  struct dg_set ***out, size_t *n_out);

/* Which set does a repo-relative path belong to (NULL = none)? */
const struct dg_set *dg_sets_match(struct dg_set *const *sets, size_t n, const char *path);

/* The set of `sets` with the same directory and format as `like` (NULL = none). */
const struct dg_set *dg_sets_find(struct dg_set *const *sets, size_t n, const struct dg_set *like);

/* Migrations of a set in replay order (graph order for alembic/django, version order for SQL). */
int dg_set_order(struct dg_arena *a, const struct dg_set *set, const struct dg_migration ***out,
		 size_t *n);

/*
 * Every migration of a set in the order to lint them: replay order, each
 * down / undo script right after the up migration of its version (the
 * state it undoes), then the rest (not replayed, e.g. a down script with
 * no up one).
 */
int dg_set_lint_order(struct dg_arena *a, const struct dg_set *set,
		      const struct dg_migration ***out, size_t *n);

/* Compare two SQL versions numerically by parts ("1.10" > "1.9"); <0, 0, >0. */
int dg_version_cmp(const char *a, const char *b);
/*
 * A sort key of version v (in the arena; *len bytes): memcmp of two keys,
 * then the shorter first, orders as dg_version_cmp does, and equal
 * versions have equal keys. For sorting thousands of versions.
 */
char *dg_version_key(struct dg_arena *a, const char *v, size_t *len);

/*
 * Is this file a rollback script (golang-migrate *.down.sql, diesel
 * down.sql, Flyway undo U<version>__*.sql)? Such a file undoes its up
 * migration: it is not replayed, and dropping what the up one added is its job.
 */
int dg_migration_is_rollback_path(const char *path);

#endif
