/*
 * The lint engine: SQL text -> statement facts -> lock model -> every
 * statement and file rule at its effective level -> findings. Also the
 * reporting side of rule.h that every rule uses.
 */
#include "rules/engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules/rule.h"
#include "rules/suppress.h"
#include "schema/schema.h"
#include "sql/sql.h"

/* Is rule `id` silenced for st (statement comment) or the whole file, under the policy? */
static int suppressed(const struct dg_rule_ctx *ctx, const struct dg_stmt *st, const char *id)
{
	return dg_suppress_silences(ctx->suppress, ctx, st, id);
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
	f.message = dg_vsprintf(ctx->arena, fmt, ap);
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
		f.source_line = dg_sql_line(ctx->arena, file, f.line);
	}
	dg_run_add(ctx->run, &f);
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
	f.message = dg_vsprintf(ctx->arena, fmt, ap);
	va_end(ap);
	f.rule = ctx->rule->id;
	f.severity = ctx->severity;
	f.path = path;
	f.line = line;
	f.column = line ? (column ? column : 1) : 0;
	f.end_line = f.line;
	f.end_column = f.column;
	f.help = help;
	dg_run_add(ctx->run, &f);
}

void dg_rule_ctx_init(struct dg_rule_ctx *ctx, struct dg_run *run, const struct dg_config *cfg,
		      const struct dg_rule *rule)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->run = run;
	ctx->arena = &run->arena;
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
	const struct dg_sql_file *f = ctx->file;
	if (!f || !r)
		return 0;
	int created = 0;
	for (size_t i = 0; i < f->n_stmts && &f->stmts[i] != st; i++) {
		const struct dg_stmt *p = &f->stmts[i];
		if ((p->kind == DG_STMT_CREATE_TABLE || p->kind == DG_STMT_CREATE_TABLE_AS ||
		     p->kind == DG_STMT_CREATE_MATVIEW) && p->rel && dg_rel_equal(p->rel, r))
			created = 1;
		else if (p->kind == DG_STMT_DROP && p->object == DG_OBJ_TABLE)
			for (size_t k = 0; k < p->n_rels; k++)
				if (dg_rel_equal(&p->rels[k], r))
					created = 0;
	}
	return created;
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

void dg_lint_parsed(struct dg_run *run, struct dg_sql_file *f, const struct dg_lint_opts *o)
{
	struct dg_sql_opts so = { o->pg_version, DG_TXD_AUTO, NULL };
	struct dg_sql_schema_hooks hooks;
	struct dg_rule_ctx ctx;
	size_t n_rules;
	const struct dg_rule *const *rules = dg_rules_list(&n_rules);

	if (o->tx == DG_TX_YES)
		so.tx = DG_TXD_YES;
	else if (o->tx == DG_TX_NO)
		so.tx = DG_TXD_NO;
	if (o->schema) {
		/* old column types and NOT NULL proofs from the earlier migrations */
		dg_schema_sql_hooks(&hooks, o->schema);
		so.schema = &hooks;
	}
	dg_sql_analyze(&run->arena, f, &so);
	run->files++;
	run->statements += (unsigned)f->n_stmts;
	for (size_t i = 0; f->origin && i < f->origin->n_notes; i++)
		dg_run_note(run, "%s:%d: %s", f->origin->path, f->origin->notes[i].line,
			    f->origin->notes[i].message);

	struct dg_suppress sup;
	dg_suppress_init(&sup, &run->arena, f, o);
	dg_rule_ctx_init(&ctx, run, o->cfg, NULL);
	ctx.suppress = &sup;
	ctx.pg_version = o->pg_version; /* --pg-version may differ from the config */
	ctx.file = f;
	ctx.schema = o->schema;
	ctx.display_path = f->path;

	for (size_t r = 0; r < n_rules; r++) {
		const struct dg_rule *rule = rules[r];
		enum dg_severity level = dg_rule_level(rule, o->cfg);
		if (level == DG_OFF || (!rule->check_stmt && !rule->check_file))
			continue;
		ctx.rule = rule;
		for (size_t i = 0; rule->check_stmt && i < f->n_stmts; i++) {
			ctx.severity = level;
			rule->check_stmt(&ctx, &f->stmts[i]);
		}
		if (rule->check_file) {
			ctx.severity = level;
			rule->check_file(&ctx, f);
		}
	}
	dg_suppress_report(&ctx, &sup);
}

int dg_lint_sql(struct dg_run *run, const char *path, const char *data, size_t len,
		const struct dg_lint_opts *o)
{
	struct dg_sql_file f;
	if (check_text(path, data, len) < 0)
		return -1;
	dg_sql_parse(&run->arena, &f, path, data, len);
	dg_lint_parsed(run, &f, o);
	return 0;
}
