/*
 * alter-domain-add-constraint: ALTER DOMAIN ... ADD CONSTRAINT without
 * NOT VALID checks every column of every table that uses the domain.
 */
#include <string.h>

#include "rules/rule.h"

/* Was the domain created earlier in this file? Then no column uses it yet but its own file's. */
static int domain_is_new(const struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	for (const struct dg_stmt *p = ctx->file ? ctx->file->stmts : NULL; p && p < st; p++)
		if (p->kind == DG_STMT_CREATE_DOMAIN && dg_rel_equal(&dg_stmt_rare(p)->domain, &dg_stmt_rare(st)->domain))
			return 1;
	return 0;
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_ALTER_DOMAIN)
		return;
	const struct dg_stmt_rare *rare = dg_stmt_rare(st);
	if (rare->domain_cmd != DG_DOM_ADD_CONSTRAINT || !rare->con)
		return;
	if (rare->con->not_valid || domain_is_new(ctx, st))
		return;
	const char *d = dg_ctx_rel(ctx, &rare->domain);
	if (rare->con->kind != DG_CON_CHECK) {
		/* NOT NULL cannot be NOT VALID on a domain: a CHECK can */
		const char *nn = rare->con->name ? rare->con->name :
			dg_sprintf(ctx->arena, "%s_not_null", rare->domain.name);
		dg_report(ctx, st, rare->con->location,
			  dg_sprintf(ctx->arena, "ALTER DOMAIN %s ADD CONSTRAINT %s CHECK (VALUE IS NOT NULL) NOT VALID; (new values are checked at once), then ALTER DOMAIN %s VALIDATE CONSTRAINT %s; on its own at a quiet time (it holds SHARE on each table while it scans)",
				     d, nn, d, nn),
			  "ALTER DOMAIN \"%s\" ADD NOT NULL checks every row of every table with a column of the domain, under a SHARE lock on each table (writes wait)",
			  d);
		return;
	}
	const char *name = rare->con->name ? rare->con->name : dg_sprintf(ctx->arena, "%s_check", rare->domain.name);
	dg_report(ctx, st, rare->con->location,
		  dg_sprintf(ctx->arena, "ALTER DOMAIN %s ADD CONSTRAINT %s CHECK (%s) NOT VALID; (new values are checked at once), then ALTER DOMAIN %s VALIDATE CONSTRAINT %s; on its own at a quiet time (it holds SHARE on each table while it scans)",
			     d, name, rare->con->expr ? rare->con->expr : "...", d, name),
		  "ALTER DOMAIN \"%s\" ADD CONSTRAINT without NOT VALID checks every row of every table with a column of the domain, under a SHARE lock on each table (writes wait)",
		  d);
}

const struct dg_rule dg_rule_alter_domain_add_constraint = {
	.id = "alter-domain-add-constraint",
	.severity = DG_ERROR,
	.summary = "ALTER DOMAIN ... ADD CONSTRAINT without NOT VALID",
	.description = "Adding a constraint to a domain checks the stored value of every column of that domain in every table, holding a SHARE lock on each table for the whole scan: inserts and updates wait. ADD CONSTRAINT ... NOT VALID is a catalog change that checks new values at once; ALTER DOMAIN ... VALIDATE CONSTRAINT checks the old rows later, on its own (PostgreSQL 10 to 18 still hold SHARE on each table while it scans, so run it at a quiet time).",
	.check_stmt = check,
};
