/*
 * migration-merge-preview: what merging a pushed topic branch into a
 * protected branch would break, found by the pre-push hook before the pull
 * request exists. The hook driver runs the graph rules on the in-memory
 * merge with each protected branch's remote-tracking ref and reports what
 * they find under this id, so one level setting governs the preview.
 */
#include "rules/rule.h"

const struct dg_rule dg_rule_migration_merge_preview = {
    .id = "migration-merge-preview",
    .severity = DG_WARNING,
    .summary = "pre-push: what merging the pushed branch into a protected branch would break",
    .description = "When a branch that is not protected is pushed, the hook also merges it in "
		   "memory with the remote-tracking ref of each protected branch git already "
		   "has (refs/remotes/<remote>/<branch>; nothing is fetched) and runs the graph "
		   "rules on the result: two heads or a duplicate version that only the merge "
		   "creates, a migration the other side edited, a file that will conflict. A "
		   "warning by default: the push is not the merge, and the fix belongs on the "
		   "branch before the pull request is merged. Each finding names the rule "
		   "that found it; switching that rule off switches its preview off too.",
};
