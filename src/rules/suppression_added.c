/*
 * suppression-added: in ci, every ddlgate:ignore comment the change adds,
 * with its rule ids and reason, shown to reviewers (annotations, SARIF).
 * The lint engine reports it (it reads the comments); this entry gives it
 * an id.
 */
#include "rules/rule.h"

const struct dg_rule dg_rule_suppression_added = {
    .id = "suppression-added",
    .severity = DG_WARNING,
    .summary = "ci: a ddlgate:ignore comment the change adds, shown to reviewers",
    .description = "A suppression comment is written by the same hand as the migration it "
		   "silences. ci reports every one that a pull request adds, with its rule ids "
		   "and its reason, so that a reviewer sees what was silenced and why in the "
		   "annotations and the SARIF report. A comment added to a migration the base "
		   "branch already has silences nothing (that migration may have run already), "
		   "and the base branch's `suppressions:` setting (allow, require-reason, deny) "
		   "decides what any comment may silence.",
};
