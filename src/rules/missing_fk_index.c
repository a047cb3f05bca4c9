/*
 * missing-fk-index: a foreign key whose columns are not the leading
 * columns of any full btree index of its table, judged on the schema at
 * the end of the replayed history and reported at the statement that added
 * the FK (or that dropped its last covering index).
 */
#include <string.h>

#include "rules/live.h"
#include "rules/missing_fk_index.h"
#include "rules/rule.h"
#include "schema/schema.h"

/*
 * The statement at byte offset v, by binary search: statements are in
 * file order. NULL when none starts there.
 */
static const struct dg_stmt *stmt_at(const struct dg_sql_file *f, size_t v)
{
	size_t lo = 0, hi = f->n_stmts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dg_stmt *s = &f->stmts[mid];
		if (s->offset < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == f->n_stmts)
		return NULL;
	const struct dg_stmt *s = &f->stmts[lo];
	return s->offset == v ? s : NULL;
}

/* The referenced table as the message names it. */
static const char *parent_name(struct dg_arena *a, const struct dg_schema_constraint *fk)
{
	return strcmp(fk->ref_schema, "public") ?
		dg_sprintf(a, "%s.%s", fk->ref_schema, fk->ref_table) : fk->ref_table;
}

static const char *fk_help(struct dg_arena *a, const struct dg_schema *s,
			   const struct dg_schema_table *t, const struct dg_schema_constraint *fk)
{
	return dg_sprintf(a, "%s in a migration of its own (outside a transaction)",
			  dg_schema_fk_index_sql(a, s, t, fk));
}

#define UNINDEXED_FMT "foreign key \"%s\" on \"%s\" (%s) has no index on its columns: every delete or key update on \"%s\" scans \"%s\""

/* a: scratch for the message's parts (dg_report keeps its own copies) */
static void report_fk(struct dg_rule_ctx *ctx, struct dg_arena *a, const struct dg_sql_file *f,
		      const struct dg_schema *fin, const struct dg_schema_table *t,
		      const struct dg_schema_constraint *fk)
{
	int blamed = fk->blame && fk->blame->path;
	const struct dg_schema_origin *o = blamed ? fk->blame : &fk->origin;
	const struct dg_stmt *st = stmt_at(f, o->offset);
	if (!st)
		return;
	const char *tname = dg_schema_table_display(a, t);
	const char *parent = parent_name(a, fk);
	const char *cols = dg_join(a, fk->columns, fk->n_columns, ", ");
	const char *help = fk_help(a, fin, t, fk);
	if (blamed)
		dg_report(ctx, st, -1, help,
			  "dropping index \"%s\" leaves foreign key \"%s\" on \"%s\" (%s) without an index: every delete or key update on \"%s\" scans \"%s\"",
			  fk->dropped_index, fk->name, tname, cols, parent, tname);
	else
		dg_report(ctx, st, o->location, help, UNINDEXED_FMT, fk->name, tname, cols, parent,
			  tname);
}

/*
 * The replay of a file that is its own history, and the messages' parts,
 * live in an arena of their own, released once the findings are made: in
 * a schema-only file that replay is as big as the statements' facts.
 */
static void check_file(struct dg_rule_ctx *ctx, const struct dg_sql_file *f)
{
	struct dg_arena scratch;
	dg_arena_init(&scratch);
	const struct dg_schema *fin = ctx->schema ? ctx->schema->final : NULL;
	if (!fin) {
		/* no history around this file: the file itself is the history */
		struct dg_schema *s = ctx->schema ?
			dg_schema_clone(&scratch, (struct dg_schema *)ctx->schema) :
			dg_schema_new(&scratch);
		struct dg_replay_opts ro = { ctx->display_path, 0 };
		dg_schema_replay_file(s, f, &ro);
		fin = s;
	}
	/* tables created outside the replayed history are left out: their indexes are unknown */
	size_t n_fk;
	const struct dg_schema_fk_ref *u = dg_schema_unindexed_in(fin, ctx->display_path, &n_fk);
	for (size_t i = 0; ctx->display_path && i < n_fk; i++)
		report_fk(ctx, &scratch, f, fin, u[i].table, u[i].fk);
	dg_arena_release(&scratch);
}

/* The same FK in the migrations' schema: where the finding points. */
static const struct dg_schema_origin *fk_origin(const struct dg_live *live,
						const struct dg_schema_table *t,
						const struct dg_schema_constraint *fk)
{
	const struct dg_schema_table *e = dg_live_expected_table(live, t->schema, t->name);
	for (size_t i = 0; e && i < e->n_constraints; i++)
		if (e->constraints[i].kind == DG_SCON_FOREIGN && !strcmp(e->constraints[i].name, fk->name))
			return &e->constraints[i].origin;
	return NULL;
}

/* audit: the live catalog's foreign keys, judged exactly as the migrations' are. */
static void check_live(struct dg_rule_ctx *ctx, const struct dg_live *live)
{
	size_t n_fk;
	const struct dg_schema_fk_ref *u = dg_schema_unindexed(live->schema, &n_fk);
	for (size_t i = 0; i < n_fk; i++) {
		const struct dg_schema_table *t = u[i].table;
		const struct dg_schema_constraint *fk = u[i].fk;
		struct dg_arena *a = ctx->arena;
		const char *tname = dg_schema_table_display(a, t);
		dg_live_report(ctx, live, fk_origin(live, t, fk), fk_help(a, live->schema, t, fk),
			       UNINDEXED_FMT " (in the database)", fk->name, tname,
			       dg_join(a, fk->columns, fk->n_columns, ", "), parent_name(a, fk), tname);
	}
}

const struct dg_rule dg_rule_missing_fk_index = {
	.id = "missing-fk-index",
	.severity = DG_ERROR,
	.summary = "a foreign key whose columns are not the leading columns of any index",
	.description = "PostgreSQL indexes the referenced key of a foreign key, never the referencing columns. Without an index on them, every DELETE or key UPDATE on the parent table scans the child table (holding its row locks while it does), and joins on the key are slow. An index covers the foreign key when its leading key columns are exactly the foreign key's columns; a partial or expression index, or one of another access method, does not.",
	.check_file = check_file,
	.check_live = check_live,
	.before_lock_model = 1,
};

void dg_missing_fk_index_run(struct dg_run *run, const struct dg_config *cfg,
			     const struct dg_sql_file *f, int parsed, const struct dg_schema *before)
{
	struct dg_rule_ctx ctx;
	struct dg_sql_file pf;
	struct dg_arena fa;
	dg_rule_ctx_init(&ctx, run, cfg, &dg_rule_missing_fk_index);
	if (ctx.severity == DG_OFF)
		return;
	dg_arena_init(&fa);
	if (!parsed) {
		/* facts from the cache carry no suppression comments: parsed here, for this check alone */
		dg_sql_parse(&fa, &pf, f->path, f->data, f->len);
		if (f->origin) /* SQL a Python migration runs: positions in the .py file */
			dg_sql_apply_origin(&run->arena, &pf, (struct dg_sql_origin *)f->origin);
		f = &pf;
		ctx.file_arena = &fa;
	}
	ctx.file = f;
	ctx.schema = before;
	ctx.display_path = parsed ? f->path : dg_strdup(&run->arena, f->path);
	check_file(&ctx, f);
	dg_arena_release(&fa);
}
