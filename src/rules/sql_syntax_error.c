/* sql-syntax-error: SQL that PostgreSQL's parser rejects. */
#include "rules/rule.h"

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ERROR)
		return;
	int grammar = dg_sql_grammar_version();
	if (ctx->pg_version > grammar) {
		/* valid newer syntax must not block a push: say what we know */
		if (ctx->severity == DG_ERROR)
			ctx->severity = DG_WARNING;
		dg_report(ctx, st, st->error_offset,
			  dg_sprintf(ctx->arena, "check the statement on PostgreSQL %d; if it is valid there, silence this with -- ddlgate:ignore sql-syntax-error",
				     ctx->pg_version),
			  "%s (the target is PostgreSQL %d: this syntax may be newer than the PostgreSQL %d grammar ddlgate parses; the statement was not checked)",
			  st->error, ctx->pg_version, grammar);
		return;
	}
	dg_report(ctx, st, st->error_offset,
		  "fix the statement: PostgreSQL would reject it and the migration would fail",
		  "%s", st->error);
}

const struct dg_rule dg_rule_sql_syntax_error = {
	.id = "sql-syntax-error",
	.severity = DG_ERROR,
	.summary = "SQL that PostgreSQL's parser rejects",
	.description = "The statement does not parse with PostgreSQL's own grammar, so the migration would fail when it runs. With a target version newer than the grammar ddlgate parses (17), the finding is a warning: the syntax may be valid there.",
	.check_stmt = check,
};
