/*
 * The whole-tree check: every migration set's graph rules plus the lint of
 * every migration file. Used by `check`, the pre-push / pre-commit hooks
 * and `ci`.
 */
#ifndef DG_MIGRATIONS_CHECK_H
#define DG_MIGRATIONS_CHECK_H

#include "config/config.h"
#include "core/finding.h"
#include "source/source.h"

struct dg_set;

struct dg_check_opts {
	/* tree of the target branch (pushed-to remote ref / CI base) for
	 * migration-out-of-order and migration-modified; NULL = none */
	struct dg_source *target;
	/* which migration files to lint; NULL = all */
	int (*want_file)(const char *path, void *payload);
	void *payload;
	int list_sets; /* print the sets found and why (stdout), and nothing else */
	int all;       /* report old findings too (for later schema rules) */
	int no_lint;   /* graph rules only */
	/*
	 * ci and the pre-push merge preview: the graph rules run on this
	 * source (the in-memory merge into the target) instead of src, whose
	 * files are still the ones linted. Its sets are read quietly (their
	 * warnings are src's or the target's), the graphs name that merge in
	 * their messages, and its conflicts in migration files become
	 * migration-merge-conflict. With no_lint, src is not read at all.
	 */
	struct dg_source *graph;
	/* graph rules only on the sets this accepts (NULL = every set) */
	int (*want_set)(const struct dg_set *set, void *payload);
	void *set_payload;
	/* a guard (the hooks, ci): a file want_file accepts that cannot be read
	 * is migration-unreadable at its guard level (error unless configured) */
	int fail_closed;
	/*
	 * ci: the change is reviewed against target. Every suppression comment
	 * it adds is reported (suppression-added), one added to a migration
	 * target has silences nothing, and a new file of a set that `exclude`
	 * hides is reported (migration-excluded).
	 */
	int review;
	/*
	 * ci: findings that compare with target (migration-modified,
	 * migration-out-of-order) are kept only on files this accepts (added,
	 * changed or deleted by the change; for a link, the file it names):
	 * what differs because the base moved on is not this change's. NULL:
	 * all kept.
	 */
	int (*touched)(const char *path, void *payload);
};

/*
 * Discover sets in src, run every graph rule on each set, and lint every
 * SQL migration file that want_file accepts with the set's transaction mode
 * and cfg->pg_version. Files excluded by cfg->exclude are skipped. Returns
 * -1 (message set) on I/O errors; findings are not errors.
 */
int dg_check_source(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
		    const struct dg_check_opts *o);

#endif
