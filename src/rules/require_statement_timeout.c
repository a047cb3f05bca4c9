/*
 * require-statement-timeout: a long statement (one that scans, rewrites or
 * rebuilds the indexes of an existing table) with no statement_timeout set
 * before it. Off by default: a timeout on a long migration step is a
 * choice, but where it is made, a runaway step cannot hold its locks for hours.
 */
#include "rules/rule.h"
#include "rules/timeout.h"

/* The first existing relation st scans, rewrites or reindexes, or NULL. */
static const struct dg_rel *long_work(const struct dg_rule_ctx *ctx, const struct dg_stmt *st,
				      const char **what)
{
	const struct {
		const struct dg_rel *v;
		size_t n;
		const char *what;
	} sets[] = {
		{ st->rewrites, st->n_rewrites, "rewrites" },
		{ st->index_rebuilds, st->n_index_rebuilds, "rebuilds the indexes of" },
		{ st->scans, st->n_scans, "reads all of" },
	};
	for (size_t s = 0; s < DG_ARRAY_SIZE(sets); s++)
		for (size_t i = 0; i < sets[s].n; i++)
			if (!dg_ctx_table_is_new(ctx, st, &sets[s].v[i])) {
				*what = sets[s].what;
				return &sets[s].v[i];
			}
	return NULL;
}

static void check_file(struct dg_rule_ctx *ctx, const struct dg_sql_file *f)
{
	struct dg_timeout t = { .setting = "statement_timeout" };
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *st = &f->stmts[i];
		if (dg_timeout_step(&t, st) || dg_timeout_covered(&t))
			continue;
		const char *what = NULL;
		const struct dg_rel *r = long_work(ctx, st, &what);
		if (!r)
			continue;
		t.reported = 1;
		dg_report(ctx, st, -1,
			  st->in_transaction ?
				  "SET LOCAL statement_timeout = '15min'; as the first statement of the transaction (or SET statement_timeout = '15min'; at the top of the file), sized to what the step may take" :
				  "SET statement_timeout = '15min'; at the top of the file, sized to what the step may take",
			  "this statement %s existing table \"%s\" with no statement_timeout: if it runs far longer than planned, nothing stops it and its locks are held to the end",
			  what, dg_ctx_rel(ctx, r));
	}
}

const struct dg_rule dg_rule_require_statement_timeout = {
	.id = "require-statement-timeout",
	.severity = DG_OFF,
	.summary = "a long statement with no statement_timeout set before it (off by default)",
	.description = "A statement that reads a whole existing table, rewrites it or rebuilds its indexes takes time in proportion to the table, and holds its locks all along. Without statement_timeout nothing bounds it: on a table far bigger than in testing, the deploy hangs and every query queued behind its lock waits too. SET statement_timeout (or SET LOCAL in the transaction) earlier in the file makes it fail instead. Off by default: turn it on with `rules: {require-statement-timeout: warning}`.",
	.check_file = check_file,
};
