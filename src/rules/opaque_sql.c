/*
 * opaque-sql: SQL a migration runs that ddlgate cannot read: an f-string,
 * %-formatting or a variable handed to RunSQL / op.execute(); a DO block
 * whose body runs DDL or dynamic SQL (EXECUTE); a function body holding
 * DDL. A warning at the value or statement, never a guess, never silence.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rules/rule.h"
#include "schema/schema.h"

/* Does the body text use EXECUTE (dynamic SQL), as a word? */
static int body_executes(const char *b)
{
	for (const char *p = b; p && *p; p++) {
		if (strncasecmp(p, "execute", 7))
			continue;
		if (p > b && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		if (isalnum((unsigned char)p[7]) || p[7] == '_')
			continue;
		return 1;
	}
	return 0;
}

/* A body the lint does not follow: DDL in a DO block or function, or a DO block's EXECUTE. */
static void check_stmt(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_DO && st->kind != DG_STMT_CREATE_FUNCTION)
		return;
	int ddl = dg_schema_body_has_ddl(st);
	if (st->kind == DG_STMT_DO && (ddl || body_executes(st->body)))
		dg_report(ctx, st, -1,
			  "write the DDL as plain statements of the migration so that every rule "
			  "checks it; or say why it is safe with a ddlgate:ignore opaque-sql comment",
			  "DO block runs %s that ddlgate cannot follow: the lock rules and "
			  "missing-fk-index do not see it",
			  ddl ? "DDL" : "dynamic SQL (EXECUTE)");
	else if (st->kind == DG_STMT_CREATE_FUNCTION && ddl)
		dg_report(ctx, st, -1,
			  "run the DDL as plain statements of a migration; a function that runs it "
			  "is checked by no rule when it is called",
			  "function body holds DDL that ddlgate cannot follow: the lock rules and "
			  "missing-fk-index do not see what a call runs");
}

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
	.summary = "SQL ddlgate cannot read: f-strings, %-formatting, variables, DDL in DO blocks",
	.description = "ddlgate reads migrations without running them, so SQL built at run time (an f-string, %-formatting, .format(), a variable or a call; EXECUTE in a DO block) is SQL it cannot check, and DDL inside a DO block or a function body is not followed: every other rule is blind to it. It says so instead of passing it silently.",
	.check_stmt = check_stmt,
	.check_file = check_file,
};
