/*
 * migration-unreadable: a file of a migration set that ddlgate cannot read
 * (a Python migration its reader gives up on, a value it cannot evaluate,
 * a symbolic link that leaves the repository, a submodule). Discovery and
 * the git sources find these; this entry gives them an id and the levels.
 */
#include "rules/rule.h"

const struct dg_rule dg_rule_migration_unreadable = {
    .id = "migration-unreadable",
    .severity = DG_ERROR,
    .summary = "a migration ddlgate cannot read (an error in hooks and ci: a guard fails closed)",
    .description = "A migration that ddlgate cannot read is a hole in the check: a Python "
		   "migration Python accepts but the reader cannot follow (a value it cannot "
		   "evaluate such as revision = str(\"c1\"), a file past its size or nesting "
		   "limit) drops out of the graph and may hide a second head; a symbolic link "
		   "that points outside the repository runs whatever is there on the machine "
		   "that applies migrations. In the hooks and ci it is an error on the files the "
		   "change adds or edits (a warning on files already on the target branch); "
		   "`lint` and `check` by hand report it as a warning unless rules: sets its "
		   "level. A submodule inside a migration directory is always a warning: its "
		   "files are not read.",
};
