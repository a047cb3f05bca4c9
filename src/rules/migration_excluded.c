/*
 * migration-excluded: in ci, a file the pull request adds that its set's
 * runner would execute (it is one of the set's migrations) but that an
 * `exclude` glob hides from the lint. The driver reports it (it knows the
 * changes and the target's sets); this entry gives it an id.
 */
#include "rules/rule.h"

const struct dg_rule dg_rule_migration_excluded = {
    .id = "migration-excluded",
    .severity = DG_WARNING,
    .summary = "ci: a new migration the runner will execute but `exclude` hides from the lint",
    .description = "exclude: globs are meant for generated or legacy files that never run "
		   "as migrations. A new file that matches one of them but is named like a "
		   "migration of its set still runs (Flyway runs V3__x.gen.sql whatever "
		   "**/*.gen.sql means to ddlgate), so a pull request could hide a dangerous "
		   "migration behind the base branch's own exclusions. ci reports each such "
		   "file, naming the glob, so the exclusion is at least seen.",
};
