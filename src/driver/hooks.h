/*
 * The hook driver, shared by pre-push, pre-commit and ci:
 * running the push / commit rules, and the migration check of a source
 * restricted to the changed files.
 */
#ifndef DG_DRIVER_HOOKS_H
#define DG_DRIVER_HOOKS_H

#include "config/config.h"
#include "core/finding.h"
#include "git/git.h"
#include "git/push.h"
#include "source/source.h"

/* Run every check_push rule on p (findings carry run->ref). */
void dg_hook_push_rules(struct dg_run *run, const struct dg_config *cfg,
			const struct dg_push_ref *p);
/* Run every check_commit rule on c. */
void dg_hook_commit_rules(struct dg_run *run, const struct dg_config *cfg,
			  const struct dg_commit_ctx *c);
/*
 * Could any of these changes matter to a migration check? (a configured
 * set's directory, the config file, or, with auto-detection, a file that
 * may belong to a set: SQL, alembic.ini, sqitch.plan, Python under a
 * migrations/ or versions/ directory or naming a down_revision, read from
 * src). False means the check can be skipped. The tree diff that produced
 * ch already skipped every directory whose tree id did not change.
 */
int dg_hook_changes_relevant(const struct dg_config *cfg, const struct dg_changes *ch,
			     struct dg_source *src);
/*
 * Graph rules on src and lint of the migration files added or modified in
 * ch (target: the tree pushed to, or NULL). With all, older migrations are
 * also judged for missing-fk-index. -1 (message set) on I/O errors.
 */
int dg_hook_check(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
		  struct dg_source *target, const struct dg_changes *ch, int all);

/*
 * ci: the graph rules on `merged` (the in-memory merge of the change into
 * target, see dg_source_git_merge) and the lint of the files added or
 * modified in ch, read from src (the change's own tree).
 */
int dg_hook_check_merge(struct dg_run *run, const struct dg_config *cfg, struct dg_source *src,
			struct dg_source *merged, struct dg_source *target,
			const struct dg_changes *ch, int all);

/*
 * pre-push, for a branch that is not protected: what merging it into a
 * protected branch would break. The graph rules run on `merged` (the
 * in-memory merge into `target`, the protected branch's remote-tracking
 * ref), on the sets the branch changed (`branch`: the changes from the
 * merge base to the pushed commit); what they find is reported as
 * migration-merge-preview at that rule's level, naming the rule that
 * found it, unless run already has the same finding for this ref. Nothing
 * when migration-merge-preview is off. -1 (message set) on I/O errors.
 */
int dg_hook_merge_preview(struct dg_run *run, const struct dg_config *cfg,
			  struct dg_source *merged, struct dg_source *target,
			  const struct dg_changes *branch);

#endif
