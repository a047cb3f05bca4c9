/* table-rewrite-maintenance: VACUUM FULL, CLUSTER and other whole-table rewrites. */
#include "rules/rule.h"

static void report_rewrite(struct dg_rule_ctx *ctx, const struct dg_stmt *st, int location,
			   const struct dg_rel *r, const char *what, const char *help)
{
	dg_report(ctx, st, location, help,
		  "%s rewrites \"%s\" under an ACCESS EXCLUSIVE lock: every read and write waits for the whole run",
		  what, dg_ctx_rel(ctx, r));
}

static int rewrites(const struct dg_stmt *st, const struct dg_rel *r)
{
	for (size_t i = 0; i < st->n_rewrites; i++)
		if (dg_rel_equal(&st->rewrites[i], r))
			return 1;
	return 0;
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->table_is_new)
		return;
	if (st->kind == DG_STMT_VACUUM && st->full) {
		if (!st->n_rels)
			dg_report(ctx, st, -1,
				  "use plain VACUUM, or rebuild online with pg_repack / pg_squeeze",
				  "VACUUM FULL without a table rewrites every table of the database under ACCESS EXCLUSIVE locks");
		for (size_t i = 0; i < st->n_rels; i++)
			if (rewrites(st, &st->rels[i]) && !dg_ctx_table_is_new(ctx, st, &st->rels[i]))
				report_rewrite(ctx, st, -1, &st->rels[i], "VACUUM FULL",
					       dg_sprintf(ctx->arena, "VACUUM %s; (no FULL: does not block), or rebuild online with pg_repack --table=%s",
							  dg_ctx_rel(ctx, &st->rels[i]), dg_ctx_rel(ctx, &st->rels[i])));
	} else if (st->kind == DG_STMT_CLUSTER) {
		if (!st->rel) {
			dg_report(ctx, st, -1, "rebuild tables online with pg_repack --order-by",
				  "CLUSTER without a table re-clusters every clustered table under ACCESS EXCLUSIVE locks");
			return;
		}
		if (!rewrites(st, st->rel))
			return;
		report_rewrite(ctx, st, -1, st->rel, "CLUSTER",
			       dg_sprintf(ctx->arena, "reorder online with pg_repack --table=%s --order-by=<columns>",
					  dg_ctx_rel(ctx, st->rel)));
	} else if (st->kind == DG_STMT_REFRESH_MATVIEW && st->rel && rewrites(st, st->rel)) {
		report_rewrite(ctx, st, -1, st->rel, "REFRESH MATERIALIZED VIEW",
			       dg_sprintf(ctx->arena, "give the view a unique index, then REFRESH MATERIALIZED VIEW CONCURRENTLY %s; (EXCLUSIVE lock: reads continue)",
					  dg_ctx_rel(ctx, st->rel)));
	} else if (st->kind == DG_STMT_ALTER_TABLE) {
		for (size_t i = 0; i < st->n_cmds; i++) {
			const struct dg_cmd *c = &st->cmds[i];
			const char *what = c->kind == DG_CMD_SET_TABLESPACE ? "SET TABLESPACE" :
					   c->kind == DG_CMD_SET_LOGGED ? "SET LOGGED" :
					   c->kind == DG_CMD_SET_UNLOGGED ? "SET UNLOGGED" : NULL;
			if (!what || !c->rewrites)
				continue;
			report_rewrite(ctx, st, c->location, st->rel, what,
				       "schedule it in a maintenance window, or move the data online with pg_repack (--tablespace) or logical replication");
		}
	}
}

const struct dg_rule dg_rule_table_rewrite_maintenance = {
	.id = "table-rewrite-maintenance",
	.severity = DG_ERROR,
	.summary = "VACUUM FULL, CLUSTER and other whole-table rewrites",
	.description = "VACUUM FULL, CLUSTER, ALTER TABLE SET TABLESPACE and SET LOGGED/UNLOGGED copy the whole table while holding ACCESS EXCLUSIVE: no query can read or write it until the copy is done. Tools such as pg_repack rebuild online with only brief locks.",
	.check_stmt = check,
};
