/*
 * opaque-sql: SQL a migration runs that ddlgate cannot read: an f-string,
 * %-formatting or a variable handed to RunSQL / op.execute(); EXECUTE of a
 * string built at run time in a DO block, a DO block in another language,
 * psql's \gexec; a function body holding DDL (a call runs it unchecked).
 * A warning at the place, never a guess and never silence.
 */
#include "rules/rule.h"

/* A function created with DDL in its body: no rule sees what a call runs. */
static void check_stmt(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_CREATE_FUNCTION || !st->body_has_ddl)
		return;
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
	for (size_t i = 0; i < f->n_opaque; i++)
		dg_report(ctx, &f->opaque[i].stmt, -1,
			  f->opaque[i].help ? f->opaque[i].help :
			  "write the statement itself (EXECUTE 'ALTER TABLE ...' with a constant, or plain "
			  "SQL outside the DO block) so that it can be checked, or silence this one with "
			  "-- ddlgate:ignore opaque-sql <why it is safe> before it",
			  "%s", f->opaque[i].what);
}

const struct dg_rule dg_rule_opaque_sql = {
	.id = "opaque-sql",
	.severity = DG_WARNING,
	.summary = "SQL ddlgate cannot read: dynamic EXECUTE, f-strings, variables",
	.description = "ddlgate reads migrations without running them, so SQL built at run time (EXECUTE format(...) in a DO block, an f-string, %-formatting, .format(), a variable or a call handed to RunSQL or op.execute(), psql's \\gexec) is SQL it cannot check: every other rule is blind to it. It says so instead of passing it silently. A DO block's statements and EXECUTE of a constant string are read through PostgreSQL's PL/pgSQL parser and linted like any other statement; a function body that holds DDL is a warning at the CREATE FUNCTION (a call runs it unchecked).",
	.check_stmt = check_stmt,
	.check_file = check_file,
};
