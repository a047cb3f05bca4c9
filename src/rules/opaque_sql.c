/*
 * opaque-sql: SQL a migration runs that ddlgate cannot read: an f-string,
 * %-formatting or a variable handed to RunSQL / op.execute(). A warning
 * at the value, never a guess and never silence.
 */
#include "rules/rule.h"

static void check_file(struct dg_rule_ctx *ctx, const struct dg_sql_file *f)
{
	for (size_t i = 0; f->origin && i < f->origin->n_opaque; i++)
		dg_report(ctx, &f->origin->opaque[i].stmt, -1,
			  "pass the SQL as a string literal so that it can be checked, or silence this "
			  "one with a ddlgate:ignore opaque-sql comment that says why it is safe",
			  "%s", f->origin->opaque[i].what);
}

const struct dg_rule dg_rule_opaque_sql = {
	.id = "opaque-sql",
	.severity = DG_WARNING,
	.summary = "SQL ddlgate cannot read: f-strings, %-formatting, variables",
	.description = "ddlgate reads migrations without running them, so SQL built at run time (an f-string, %-formatting, .format(), a variable or a call) is SQL it cannot check: every other rule is blind to it. It says so instead of passing it silently.",
	.check_file = check_file,
};
