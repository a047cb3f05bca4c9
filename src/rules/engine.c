/*
 * The lint engine: SQL text -> statement facts -> lock model -> every
 * statement and file rule at its effective level -> findings. Also the
 * reporting side of rule.h that every rule uses.
 */
#include "rules/engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "discover/migrations.h"
#include "rules/rule.h"
#include "rules/suppress.h"
#include "schema/schema.h"
#include "sql/sql.h"

/* Is rule `id` silenced for st (statement comment) or the whole file, under the policy? */
static int suppressed(const struct dg_rule_ctx *ctx, const struct dg_stmt *st, const char *id)
{
	return dg_suppress_silences(ctx->suppress, ctx, st, id);
}

/* Lines longer than this are shown as an excerpt around the finding's column. */
#define SOURCE_MAX 240

static int lead_byte(char c)
{
	return ((unsigned char)c & 0xc0) != 0x80;
}

/*
 * The text of `line` to show under a finding at byte offset `off`: the
 * line itself, or for a long one (a minified dump) about SOURCE_MAX bytes
 * around the offset between "..."; *caret is then the caret's column in
 * it (0: the finding's own column).
 */
const char *dg_engine_source_line(struct dg_arena *a, const struct dg_sql_file *f, int line,
				  size_t off, int *caret)
{
	*caret = 0;
	if (f->origin)
		return dg_sql_line(a, f, line); /* a line of the Python file (off is the SQL's) */
	if (line < 1 || (size_t)line > f->n_lines)
		return "";
	size_t s = f->line_starts[line - 1];
	size_t e = (size_t)line < f->n_lines ? f->line_starts[line] - 1 : f->len;
	if (e - s <= SOURCE_MAX)
		return dg_sql_line(a, f, line);
	off = off < s ? s : off > e ? e : off;
	size_t from = off - s > SOURCE_MAX / 2 ? off - SOURCE_MAX / 2 : s;
	size_t to = e - from > SOURCE_MAX ? from + SOURCE_MAX : e;
	while (from < off && !lead_byte(f->data[from]))
		from++;
	while (to > off && to < e && !lead_byte(f->data[to]))
		to--;
	int col = from > s ? 4 : 1;
	for (size_t i = from; i < off; i++)
		col += lead_byte(f->data[i]);
	*caret = col;
	return dg_sprintf(a, "%s%.*s%s", from > s ? "..." : "", (int)(to - from), f->data + from,
			  to < e ? "..." : "");
}

static void report_v(struct dg_rule_ctx *ctx, const struct dg_stmt *st, int location,
		     const char *help, const char *fmt, va_list ap)
{
	struct dg_finding f = { 0 };
	const struct dg_sql_file *file = ctx->file;

	if (ctx->severity == DG_OFF || suppressed(ctx, st, ctx->rule->id))
		return;
	f.rule = ctx->rule->id;
	f.severity = ctx->severity;
	f.path = ctx->display_path ? ctx->display_path : (file ? file->path : NULL);
	/* made where the finding keeps them (dg_run_add_formatted): no second copy */
	struct dg_arena *keep = &ctx->run->arena;
	f.message = dg_vsprintf(keep, fmt, ap);
	f.help = help;
	if (file && st && file->origin && file->origin->help) {
		/* SQL a framework runs: the safe way in the framework's terms */
		const char *h = file->origin->help(file, st, ctx->rule->id, help);
		if (h)
			f.help = h;
	}
	if (file && st) {
		size_t off = location >= 0 ? (size_t)location : st->offset;
		dg_sql_pos(file, off, &f.line, &f.column);
		f.end_line = st->end_line;
		f.end_column = st->end_column;
		if (f.end_line < f.line || (f.end_line == f.line && f.end_column < f.column)) {
			f.end_line = f.line;
			f.end_column = f.column;
		}
		f.source_line = dg_engine_source_line(keep, file, f.line, off, &f.source_column);
	}
	dg_run_add_formatted(ctx->run, &f);
}

void dg_report(struct dg_rule_ctx *ctx, const struct dg_stmt *st, int location,
	       const char *help, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_v(ctx, st, location, help, fmt, ap);
	va_end(ap);
}

void dg_report_at(struct dg_rule_ctx *ctx, const char *path, int line, int column,
		  const char *help, const char *fmt, ...)
{
	struct dg_finding f = { 0 };
	va_list ap;
	if (ctx->severity == DG_OFF)
		return;
	va_start(ap, fmt);
	f.message = dg_vsprintf(&ctx->run->arena, fmt, ap);
	va_end(ap);
	f.rule = ctx->rule->id;
	f.severity = ctx->severity;
	f.path = path;
	f.line = line;
	f.column = line ? (column ? column : 1) : 0;
	f.end_line = f.line;
	f.end_column = f.column;
	f.help = help;
	dg_run_add_formatted(ctx->run, &f);
}

void dg_rule_ctx_init(struct dg_rule_ctx *ctx, struct dg_run *run, const struct dg_config *cfg,
		      const struct dg_rule *rule)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->run = run;
	ctx->arena = &run->arena;
	ctx->file_arena = &run->arena;
	ctx->cfg = cfg;
	ctx->pg_version = cfg->pg_version;
	ctx->rule = rule;
	ctx->severity = rule ? dg_rule_level(rule, cfg) : DG_OFF;
}

const char *dg_ctx_rel(struct dg_rule_ctx *ctx, const struct dg_rel *r)
{
	return dg_rel_display(ctx->arena, r);
}

/* Is the relation created by this very statement? */
static int created_here(const struct dg_stmt *st, const struct dg_rel *r)
{
	switch (st->kind) {
	case DG_STMT_CREATE_TABLE:
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
	case DG_STMT_CREATE_VIEW:
	case DG_STMT_CREATE_SEQUENCE:
		return st->rel && dg_rel_equal(st->rel, r);
	case DG_STMT_CREATE_INDEX:
		return st->index && st->index->name && !strcmp(st->index->name, r->name);
	default:
		return 0;
	}
}

int dg_ctx_lock_on_existing(const struct dg_rule_ctx *ctx, const struct dg_stmt *st,
			    const struct dg_lock *l)
{
	if (created_here(st, &l->rel))
		return 0;
	if (st->rel && dg_rel_equal(st->rel, &l->rel))
		return !st->table_is_new;
	return !dg_ctx_table_is_new(ctx, st, &l->rel);
}

int dg_ctx_table_is_new(const struct dg_rule_ctx *ctx, const struct dg_stmt *st,
			const struct dg_rel *r)
{
	return r && dg_sql_table_is_new(ctx->file, st, r);
}

int dg_ctx_in_down_migration(const struct dg_rule_ctx *ctx)
{
	if (ctx->down_migration)
		return ctx->down_migration == 2;
	return dg_migration_is_rollback_path(ctx->display_path ? ctx->display_path :
					     ctx->file ? ctx->file->path : NULL);
}

enum dg_con_kind dg_ctx_constraint_kind(const struct dg_rule_ctx *ctx, const struct dg_stmt *st,
					const struct dg_rel *r, const char *name)
{
	if (!r || !name)
		return DG_CON_NONE;
	if (dg_sql_marked_before(ctx->file, st, DG_MARK_CONSTRAINT_FK, r, name))
		return DG_CON_FOREIGN;
	if (dg_sql_marked_before(ctx->file, st, DG_MARK_CONSTRAINT_CHECK, r, name))
		return DG_CON_CHECK;
	const struct dg_schema_table *t = dg_schema_find_table(ctx->schema, r);
	for (size_t i = 0; t && i < t->n_constraints; i++)
		if (t->constraints[i].name && !strcmp(t->constraints[i].name, name))
			return t->constraints[i].kind == DG_SCON_FOREIGN ? DG_CON_FOREIGN :
			       t->constraints[i].kind == DG_SCON_CHECK ? DG_CON_CHECK : DG_CON_UNIQUE;
	return DG_CON_NONE;
}

static enum dg_lockmode mode_in(const struct dg_lock *v, size_t n, const struct dg_rel *r)
{
	enum dg_lockmode m = DG_LOCK_NONE;
	for (size_t i = 0; r && i < n; i++)
		if (dg_rel_equal(&v[i].rel, r) && v[i].mode > m)
			m = v[i].mode;
	return m;
}

enum dg_lockmode dg_ctx_lock_of(const struct dg_stmt *st, const struct dg_rel *r)
{
	return mode_in(st->locks, st->n_locks, r);
}

enum dg_lockmode dg_ctx_held_on(const struct dg_stmt *st, const struct dg_rel *r)
{
	return st->n_held ? mode_in(st->held, st->n_held, r) : dg_ctx_lock_of(st, r);
}

const struct dg_stmt *dg_ctx_lock_taker(const struct dg_rule_ctx *ctx, const struct dg_stmt *st,
					const struct dg_rel *r, enum dg_lockmode mode)
{
	const struct dg_sql_file *f = ctx->file;
	const struct dg_stmt *taker = NULL;
	if (!f || !st->tx || st < f->stmts || st >= f->stmts + f->n_stmts)
		return NULL;
	for (const struct dg_stmt *p = st; p-- > f->stmts && p->tx == st->tx;)
		for (size_t i = 0; i < p->n_locks; i++)
			if (p->locks[i].mode == mode && dg_rel_equal(&p->locks[i].rel, r))
				taker = p;
	return taker;
}

/* A binary or non-UTF-8 file is an input error, named with its place. */
static int check_text(const char *path, const char *data, size_t len)
{
	const char *nul = memchr(data, '\0', len);
	long bad = nul ? (long)(nul - data) : dg_utf8_invalid_at(data, len);
	if (bad < 0)
		return 0;
	int line = 1, col = 1;
	for (long i = 0; i < bad; i++) {
		if (data[i] == '\n') {
			line = line + 1;
			col = 1;
		} else if (((unsigned char)data[i] & 0xc0) != 0x80) {
			col++;
		}
	}
	if (nul)
		return dg_error("%s:%d:%d: binary file (NUL byte), not SQL text", path, line, col);
	return dg_error("%s:%d:%d: invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
			path, line, col, (unsigned char)data[bad]);
}

int dg_lint_check_text(const char *path, const char *data, size_t len)
{
	return check_text(path, data, len);
}

/* The statement and file rules of one pass: those that run before the lock model, or the rest. */
static void run_rules(struct dg_rule_ctx *ctx, const struct dg_sql_file *f,
		      const struct dg_config *cfg, int before_lock_model)
{
	size_t n_rules;
	const struct dg_rule *const *rules = dg_rules_list(&n_rules);
	for (size_t r = 0; r < n_rules; r++) {
		const struct dg_rule *rule = rules[r];
		if (!rule->before_lock_model != !before_lock_model ||
		    (!rule->check_stmt && !rule->check_file))
			continue;
		enum dg_severity level = dg_rule_level(rule, cfg);
		if (level == DG_OFF)
			continue;
		ctx->rule = rule;
		for (size_t i = 0; rule->check_stmt && i < f->n_stmts; i++) {
			ctx->severity = level;
			rule->check_stmt(ctx, &f->stmts[i]);
		}
		if (rule->check_file) {
			ctx->severity = level;
			rule->check_file(ctx, f);
		}
	}
}

/*
 * The lock model and every rule on a parsed file whose facts live in
 * file_arena (the run's own, or one released right after). Findings are
 * sorted before they are shown, so the order rules run in is not seen.
 */
static void lint_file(struct dg_run *run, struct dg_sql_file *f, const struct dg_lint_opts *o,
		      struct dg_arena *file_arena)
{
	struct dg_sql_opts so = { o->pg_version, DG_TXD_AUTO, NULL };
	struct dg_sql_schema_hooks hooks;
	struct dg_rule_ctx ctx;

	if (o->tx == DG_TX_YES)
		so.tx = DG_TXD_YES;
	else if (o->tx == DG_TX_NO)
		so.tx = DG_TXD_NO;
	if (o->schema) {
		/* old column types and NOT NULL proofs from the earlier migrations */
		dg_schema_sql_hooks(&hooks, o->schema);
		so.schema = &hooks;
	}
	struct dg_suppress sup;
	dg_suppress_init(&sup, file_arena, f, o);
	dg_rule_ctx_init(&ctx, run, o->cfg, NULL);
	ctx.suppress = &sup;
	ctx.pg_version = o->pg_version; /* --pg-version may differ from the config */
	ctx.file = f;
	ctx.file_arena = file_arena;
	ctx.schema = o->schema;
	ctx.display_path = file_arena == &run->arena ? f->path : dg_strdup(&run->arena, f->path);
	/* asked by several rules for every statement: the path is read once */
	ctx.down_migration = 1 + dg_ctx_in_down_migration(&ctx);

	run_rules(&ctx, f, o->cfg, 1);
	dg_sql_analyze(file_arena, f, &so);
	run->files++;
	run->statements += (unsigned)f->n_stmts;
	for (size_t i = 0; f->origin && i < f->origin->n_notes; i++)
		dg_run_note(run, "%s:%d: %s", f->origin->path, f->origin->notes[i].line,
			    f->origin->notes[i].message);
	for (size_t i = 0; i < f->n_notes; i++)
		dg_run_note(run, "%s:%d: %s", f->origin ? f->origin->path : f->path, f->notes[i].line,
			    f->notes[i].message);
	run_rules(&ctx, f, o->cfg, 0);
	dg_suppress_report(&ctx, &sup);
}

void dg_lint_parsed(struct dg_run *run, struct dg_sql_file *f, const struct dg_lint_opts *o)
{
	lint_file(run, f, o, &run->arena);
}

int dg_lint_sql(struct dg_run *run, const char *path, const char *data, size_t len,
		const struct dg_lint_opts *o)
{
	struct dg_sql_file f;
	struct dg_arena fa; /* the file's facts: gone once its findings are made */
	if (check_text(path, data, len) < 0)
		return -1;
	dg_arena_init(&fa);
	dg_sql_parse(&fa, &f, path, data, len);
	lint_file(run, &f, o, &fa);
	dg_arena_release(&fa);
	return 0;
}
