/*
 * ddlgate trace --dsn DSN [--with-history] [--strict] FILE...: run
 * migrations on a real server inside one transaction that is always rolled
 * back, and report, beside explain's static claims, the locks PostgreSQL
 * really took, the tables it rewrote and scanned, and every place where
 * the two disagree. Exit 0 traced, 1 a disagreement under --strict,
 * 2 nothing or not everything could be traced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "db/db.h"
#include "discover/migrations.h"
#include "report/explain.h"
#include "rules/concurrent_in_transaction.h"
#include "rules/engine.h"
#include "schema/history.h"
#include "schema/schema.h"
#include "sql/sql.h"

enum outcome {
	OUT_TRACED,
	OUT_NOT_TRACED,            /* refuses a transaction block: the claim stands unverified */
	OUT_SKIPPED,               /* transaction control: the trace owns the transaction */
	OUT_FAILED,                /* the server rejected it: the trace stops */
	OUT_NOT_RUN,               /* after a failure */
};

static const char *const outcome_names[] = { "traced", "not-traced", "skipped", "failed",
					     "not-run" };

struct traced_stmt {
	const struct dg_sql_file *file;
	const struct dg_stmt *st;
	enum outcome outcome;
	const char *reason;
	struct dg_trace_step step;
	struct dg_trace_diff *diffs;
	size_t n_diffs;
	const char *note;          /* e.g. the trace's timeouts were set again */
};

struct history_skip {
	const char *path;
	int line, column;
	const char *reason;
};

struct trace_job {
	struct dg_arena arena;
	struct dg_config cfg;
	char *root;
	enum dg_out_format format;
	int strict, with_history;
	struct dg_trace_opts opts;
	int pg_version;            /* what the model is asked about: the server's major version */
	int pg_version_opt;        /* --pg-version, which overrides it */
	const char *server_version, *database;
	struct dg_sql_file *files;
	size_t n_files;
	struct traced_stmt *stmts;
	size_t n_stmts;
	/* --with-history */
	const char *set_path;
	const char **applied;
	size_t n_applied;
	struct history_skip *skips;
	size_t n_skips, cap_skips;
	const struct dg_schema *before; /* the schema the history leaves, for the model */
	const char *failure;       /* one line for stderr when the trace stopped */
};

/* "2s", "500ms", "1min" or a number of milliseconds. */
static int parse_timeout(const char *opt, const char *v, int *ms)
{
	char *end;
	double n = strtod(v, &end);
	double scale = 1;
	if (!strcmp(end, "s"))
		scale = 1000;
	else if (!strcmp(end, "min"))
		scale = 60000;
	else if (*end && strcmp(end, "ms"))
		end = NULL;
	if (end == v || !end || !(n > 0) || n * scale > 86400000.0 || n * scale < 1)
		return dg_error("%s must be a positive duration (2s, 500ms, 1min), not '%s'", opt, v);
	*ms = (int)(n * scale + 0.5);
	return 0;
}

static int is_python(const char *path)
{
	return dg_str_endswith(path, ".py");
}

/* Read and parse every input; syntax errors stop the trace before it connects. */
static int read_inputs(struct trace_job *j, const char *const *args, size_t n_args)
{
	char **paths = NULL;
	size_t n = 0, cap = 0;
	int errors = 0;
	for (size_t i = 0; i < n_args; i++) {
		if (!strcmp(args[i], "-"))
			DG_PUSH(paths, n, cap, dg_xstrdup("-"));
		else
			errors += dg_cli_sql_paths(j->root, &j->cfg, args[i], &paths, &n, &cap);
	}
	j->files = dg_alloc(&j->arena, (n ? n : 1) * sizeof(*j->files));
	for (size_t i = 0; i < n; i++) {
		char *shown, *data;
		size_t len;
		if (is_python(paths[i])) {
			fprintf(stderr, "ddlgate: trace: %s: a Python migration; trace runs SQL: trace what the framework emits (python manage.py sqlmigrate APP NAME > m.sql; alembic upgrade A:B --sql > m.sql)\n",
				paths[i]);
			errors++;
		} else if (dg_cli_read_input(j->root, paths[i], &shown, &data, &len) < 0) {
			errors++;
		} else if (dg_lint_check_text(shown, data, len) < 0) {
			fprintf(stderr, "ddlgate: %s\n", dg_last_error());
			free(shown);
			free(data);
			errors++;
		} else {
			struct dg_sql_file *f = &j->files[j->n_files++];
			const char *d = dg_strndup(&j->arena, data, len);
			dg_sql_parse(&j->arena, f, dg_strdup(&j->arena, shown), d, len);
			for (size_t k = 0; k < f->n_stmts; k++) {
				const struct dg_stmt *st = &f->stmts[k];
				if (st->kind != DG_STMT_ERROR)
					continue;
				int line, col;
				dg_sql_pos(f, st->error_offset >= 0 ? (size_t)st->error_offset : st->offset,
					   &line, &col);
				fprintf(stderr, "ddlgate: %s:%d:%d: %s\n", f->path, line, col, st->error);
				errors++;
			}
			free(shown);
			free(data);
		}
		free(paths[i]);
	}
	free(paths);
	return errors ? -1 : 0;
}

static void analyze_inputs(struct trace_job *j)
{
	struct dg_sql_schema_hooks hooks;
	struct dg_sql_opts so = { j->pg_version, DG_TXD_AUTO, NULL };
	if (j->before) {
		dg_schema_sql_hooks(&hooks, j->before);
		so.schema = &hooks;
	}
	for (size_t i = 0; i < j->n_files; i++) {
		enum dg_tx_mode tx = dg_cli_tx_for(&j->cfg, j->files[i].path);
		so.tx = tx == DG_TX_YES ? DG_TXD_YES : tx == DG_TX_NO ? DG_TXD_NO : DG_TXD_AUTO;
		dg_sql_analyze(&j->arena, &j->files[i], &so);
	}
}

static int is_tx_control(const struct dg_stmt *st)
{
	return st->kind == DG_STMT_BEGIN || st->kind == DG_STMT_COMMIT ||
	       st->kind == DG_STMT_ROLLBACK || st->kind == DG_STMT_SAVEPOINT;
}

/* ---- --with-history ---- */

static void add_skip(struct trace_job *j, const struct dg_sql_file *f, const struct dg_stmt *st,
		     const char *reason)
{
	struct history_skip s = { f->path, st->line, st->column, reason };
	DG_PUSH(j->skips, j->n_skips, j->cap_skips, s);
}

/* Run one earlier migration, unmeasured; statements the transaction cannot hold are skipped. */
static int apply_migration(struct trace_job *j, struct dg_trace *t, const struct dg_sql_file *f)
{
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *st = &f->stmts[i];
		const char *refuses = dg_stmt_refuses_tx_block(st, j->pg_version);
		if (st->kind == DG_STMT_ERROR)
			return dg_error("trace: --with-history: %s:%d:%d: %s", f->path, st->line,
					st->column, st->error);
		if (is_tx_control(st) || st->body_of) {
			continue; /* a DO block's statements run with it */
		} else if (refuses) {
			add_skip(j, f, st, dg_sprintf(&j->arena, "%s cannot run inside a transaction block", refuses));
			continue;
		}
		struct dg_trace_step step;
		if (dg_trace_run(t, &j->arena, dg_stmt_text(&j->arena, st), 0, &step) < 0)
			return -1;
		if (step.status == DG_TRACE_REFUSED) {
			add_skip(j, f, st, step.error);
		} else if (step.status == DG_TRACE_FAILED) {
			return dg_error("trace: --with-history: %s:%d:%d: %s (SQLSTATE %s); nothing was traced, everything rolled back",
					f->path, st->line, st->column, step.error, step.sqlstate);
		}
		if (st->kind == DG_STMT_SET && dg_trace_restore_timeouts(t) < 0)
			return -1;
	}
	return 0;
}

/* The migration a traced file is, in its set's replay order (SIZE_MAX when absent). */
static size_t position_in(const struct dg_migration *const *order, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(order[i]->path, path))
			return i;
	return (size_t)-1;
}

static int apply_history(struct trace_job *j, struct dg_trace *t)
{
	struct dg_cli_tree tree;
	struct dg_run run;
	int r = -1;
	dg_run_init(&run);
	if (dg_cli_open_tree(&tree, "trace", NULL, 1, 0) < 0)
		goto out;
	struct dg_set **sets;
	size_t n_sets;
	if (dg_sets_discover(&j->arena, &run, tree.src, &j->cfg, &sets, &n_sets) < 0)
		goto out;
	const char *first = j->files[0].path;
	const struct dg_set *set = dg_sets_match(sets, n_sets, first);
	if (!set) {
		dg_error("trace: --with-history: %s is in no migration set (see `ddlgate check --list-sets`)",
			 first);
		goto out;
	}
	if (set->cfg.format != DG_FORMAT_SQL) {
		dg_error("trace: --with-history: %s belongs to a %s set; only SQL sets can be applied",
			 first, dg_set_format_name(set->cfg.format));
		goto out;
	}
	const struct dg_migration **order;
	size_t n;
	if (dg_set_order(&j->arena, set, &order, &n) < 0)
		goto out;
	size_t upto = position_in(order, n, first);
	if (upto == (size_t)-1) {
		dg_error("trace: --with-history: %s is not in the replay order of %s", first,
			 *set->cfg.path ? set->cfg.path : ".");
		goto out;
	}
	j->set_path = dg_strdup(&j->arena, *set->cfg.path ? set->cfg.path : ".");
	j->applied = dg_alloc(&j->arena, (upto ? upto : 1) * sizeof(*j->applied));
	for (size_t i = 0; i < upto; i++) {
		const struct dg_migration *m = order[i];
		int traced_too = 0;
		for (size_t k = 0; k < j->n_files && !traced_too; k++)
			traced_too = !strcmp(j->files[k].path, m->path);
		if (traced_too || !m->is_sql || m->undo || !dg_schema_replays_path(m->path))
			continue;
		const char *data;
		size_t len;
		if (dg_migration_text(&j->arena, tree.src, m, &data, &len) < 0)
			goto out;
		if (!data)
			continue;
		struct dg_sql_file *f = dg_alloc(&j->arena, sizeof(*f));
		dg_sql_parse(&j->arena, f, dg_strdup(&j->arena, m->path),
			     dg_strndup(&j->arena, data, len), len);
		if (apply_migration(j, t, f) < 0)
			goto out;
		j->applied[j->n_applied++] = f->path;
	}
	/* the model asks what the history left: old column types, proven NOT NULLs */
	struct dg_schema_history h;
	if (dg_schema_history_build(&h, &j->arena, tree.src, set) == 0 && upto < n)
		j->before = dg_schema_history_before(&h, order[upto]);
	r = 0;
out:
	dg_cli_tree_release(&tree);
	dg_run_release(&run);
	return r;
}

/* ---- the trace ---- */

static int is_timeout_setting(const struct dg_stmt *st)
{
	return st->kind == DG_STMT_SET &&
	       (!st->name || !strcmp(st->name, "lock_timeout") ||
		!strcmp(st->name, "statement_timeout"));
}

/* Trace one statement; returns 1 when the trace must stop, -1 when the session broke. */
static int trace_stmt(struct trace_job *j, struct dg_trace *t, struct traced_stmt *x)
{
	const struct dg_stmt *st = x->st;
	const char *refuses = dg_stmt_refuses_tx_block(st, j->pg_version);
	if (is_tx_control(st)) {
		x->outcome = OUT_SKIPPED;
		x->reason = "transaction control: the trace runs every statement in one transaction and rolls it back";
		return 0;
	}
	if (st->body_of) {
		x->outcome = OUT_SKIPPED;
		x->reason = "a statement of the DO block before it: it ran when the DO block ran";
		return 0;
	}
	if (refuses) {
		x->outcome = OUT_NOT_TRACED;
		x->reason = dg_sprintf(&j->arena, "%s cannot run inside a transaction block: the static claim is not verified",
				       refuses);
		return 0;
	}
	if (dg_trace_run(t, &j->arena, dg_stmt_text(&j->arena, st), 1, &x->step) < 0)
		return -1;
	switch (x->step.status) {
	case DG_TRACE_REFUSED:
		x->outcome = OUT_NOT_TRACED;
		x->reason = dg_sprintf(&j->arena, "the server refused it in a transaction block (%s): the static claim is not verified",
				       x->step.error);
		return 0;
	case DG_TRACE_FAILED:
		x->outcome = OUT_FAILED;
		x->reason = dg_sprintf(&j->arena, "%s (SQLSTATE %s)", x->step.error, x->step.sqlstate);
		j->failure = dg_sprintf(&j->arena, "%s:%d:%d: %s; the trace stopped, everything was rolled back",
					x->file->path, st->line, st->column, x->reason);
		return 1;
	case DG_TRACE_TRACED:
		break;
	}
	x->outcome = OUT_TRACED;
	dg_trace_compare(&j->arena, st, &x->step, &x->diffs, &x->n_diffs);
	if (st->kind == DG_STMT_SET) {
		if (dg_trace_restore_timeouts(t) < 0)
			return -1;
		if (is_timeout_setting(st))
			x->note = dg_sprintf(&j->arena, "the trace set its own lock_timeout (%dms) and statement_timeout (%dms) again after this statement",
					     j->opts.lock_timeout_ms, j->opts.statement_timeout_ms);
	}
	return 0;
}

static int run_trace(struct trace_job *j)
{
	struct dg_trace *t;
	if (dg_trace_open(&t, &j->opts) < 0)
		return -1;
	struct dg_db *db = dg_trace_db(t);
	int v = dg_db_server_version(db) / 10000;
	j->pg_version = j->pg_version_opt ? j->pg_version_opt :
			v < DG_PG_VERSION_MIN ? DG_PG_VERSION_MIN :
			v > DG_PG_VERSION_MAX ? DG_PG_VERSION_MAX : v;
	j->server_version = dg_db_server_version_text(&j->arena, db);
	j->database = dg_strdup(&j->arena, dg_db_name(db));
	if (j->with_history && apply_history(j, t) < 0) {
		dg_trace_close(t);
		return -1;
	}
	analyze_inputs(j);
	size_t total = 0;
	for (size_t i = 0; i < j->n_files; i++)
		total += j->files[i].n_stmts;
	j->stmts = dg_alloc(&j->arena, (total ? total : 1) * sizeof(*j->stmts));
	int stop = 0;
	for (size_t i = 0; i < j->n_files; i++) {
		for (size_t k = 0; k < j->files[i].n_stmts; k++) {
			struct traced_stmt *x = &j->stmts[j->n_stmts++];
			x->file = &j->files[i];
			x->st = &j->files[i].stmts[k];
			if (stop) {
				x->outcome = OUT_NOT_RUN;
				x->reason = "an earlier statement failed";
				continue;
			}
			int r = trace_stmt(j, t, x);
			if (r < 0) {
				dg_trace_close(t);
				return -1;
			}
			stop = r;
		}
	}
	dg_trace_close(t); /* ROLLBACK */
	return 0;
}

/* ---- output ---- */

static const char *kind_name(char k)
{
	switch (k) {
	case 'r': return "table";
	case 'p': return "partitioned table";
	case 'i': return "index";
	case 'I': return "partitioned index";
	case 'm': return "materialized view";
	case 'S': return "sequence";
	case 'v': return "view";
	case 'f': return "foreign table";
	case 't': return "TOAST table";
	case 'c': return "composite type";
	default: return "relation";
	}
}

/* Measured locks worth showing: those the statement took, and held ones it names. */
static int lock_shown(const struct dg_trace_lock *l)
{
	return l->taken || (l->compared && l->held_before);
}

static int counts_as_rewrite(const struct dg_stmt *st, const struct dg_trace_rel *r, int emptied)
{
	return (r->kind == 'r' || r->kind == 'm' || r->kind == 'p') &&
	       (!emptied || st->kind != DG_STMT_TRUNCATE);
}

static void json_modes(struct dg_buf *b, unsigned bits)
{
	int first = 1;
	dg_buf_addch(b, '[');
	for (int m = DG_LOCK_ACCESS_SHARE; m <= DG_LOCK_ACCESS_EXCLUSIVE; m++) {
		if (!(bits & DG_LOCKBIT(m)))
			continue;
		dg_buf_addf(b, "%s\"%s\"", first ? "" : ", ", dg_lockmode_name((enum dg_lockmode)m));
		first = 0;
	}
	dg_buf_addch(b, ']');
}

static void json_rel_list(struct dg_buf *b, const char *key, const struct dg_stmt *st,
			  const struct dg_trace_step *m, int want)
{
	/* want: 0 rewrites of tables, 1 truncated, 2 rebuilt indexes */
	int first = 1;
	dg_buf_addf(b, ", \"%s\": [", key);
	for (size_t pass = 0; pass < 2; pass++) {
		const struct dg_trace_rel *v = pass ? m->emptied : m->rewrites;
		size_t n = pass ? m->n_emptied : m->n_rewrites;
		for (size_t i = 0; i < n; i++) {
			int table = counts_as_rewrite(st, &v[i], (int)pass);
			int trunc = pass && st->kind == DG_STMT_TRUNCATE &&
				    (v[i].kind == 'r' || v[i].kind == 'm' || v[i].kind == 'p');
			int index = v[i].kind == 'i' || v[i].kind == 'I';
			if ((want == 0 && !table) || (want == 1 && !trunc) || (want == 2 && !index))
				continue;
			if (!first)
				dg_buf_adds(b, ", ");
			dg_buf_add_json_str(b, v[i].display);
			first = 0;
		}
	}
	dg_buf_addch(b, ']');
}

static void json_measured(struct dg_buf *b, const struct traced_stmt *x)
{
	const struct dg_trace_step *m = &x->step;
	int first = 1;
	dg_buf_addf(b, ", \"duration_ms\": %.3f,\n   \"measured\": {\"locks\": [", m->ms);
	for (size_t i = 0; i < m->n_locks; i++) {
		const struct dg_trace_lock *l = &m->locks[i];
		if (!lock_shown(l))
			continue;
		enum dg_lockmode took = dg_lockbits_max(l->taken);
		dg_buf_addf(b, "%s{\"relation\": ", first ? "" : ", ");
		first = 0;
		dg_buf_add_json_str(b, l->rel.display);
		dg_buf_add_json_member(b, "kind", kind_name(l->rel.kind));
		dg_buf_add_json_member(b, "mode", took ? dg_lockmode_name(took) : NULL);
		dg_buf_adds(b, ", \"modes\": ");
		json_modes(b, l->taken);
		dg_buf_adds(b, ", \"held_before\": ");
		json_modes(b, l->held_before);
		dg_buf_addf(b, ", \"compared\": %s, \"created\": %s, \"dropped\": %s}",
			    l->compared ? "true" : "false", l->created ? "true" : "false",
			    l->dropped ? "true" : "false");
	}
	dg_buf_addch(b, ']');
	json_rel_list(b, "rewrites", x->st, m, 0);
	json_rel_list(b, "truncated", x->st, m, 1);
	json_rel_list(b, "rebuilt_indexes", x->st, m, 2);
	dg_buf_adds(b, ", \"scans\": [");
	for (size_t i = 0; i < m->n_scans; i++) {
		if (i)
			dg_buf_adds(b, ", ");
		dg_buf_add_json_str(b, m->scans[i].display);
	}
	dg_buf_adds(b, "]}");
}

static const char *const diff_kinds[] = { "lock", "rewrite", "scan" };

static void json_diffs(struct dg_buf *b, const struct traced_stmt *x, int notes)
{
	int first = 1;
	dg_buf_addf(b, ",\n   \"%s\": [", notes ? "notes" : "disagreements");
	for (size_t i = 0; i < x->n_diffs; i++) {
		const struct dg_trace_diff *d = &x->diffs[i];
		if (d->note != notes)
			continue;
		dg_buf_addf(b, "%s{\"kind\": \"%s\"", first ? "" : ", ", diff_kinds[d->kind]);
		first = 0;
		dg_buf_add_json_member(b, "relation", d->relation);
		dg_buf_add_json_member(b, "ddlgate", d->claimed);
		dg_buf_add_json_member(b, "postgresql", d->measured);
		dg_buf_add_json_member(b, "message", d->message);
		dg_buf_addch(b, '}');
	}
	if (notes && x->note) {
		dg_buf_addf(b, "%s{\"kind\": \"setting\", \"relation\": null, \"ddlgate\": null, \"postgresql\": null",
			    first ? "" : ", ");
		dg_buf_add_json_member(b, "message", x->note);
		dg_buf_addch(b, '}');
	}
	dg_buf_addch(b, ']');
}

struct tally {
	size_t by_outcome[5];
	size_t disagreements, notes;
};

static void count(const struct trace_job *j, struct tally *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < j->n_stmts; i++) {
		const struct traced_stmt *x = &j->stmts[i];
		c->by_outcome[x->outcome]++;
		for (size_t k = 0; k < x->n_diffs; k++) {
			if (x->diffs[k].note)
				c->notes++;
			else
				c->disagreements++;
		}
	}
}

static void json_history(struct dg_buf *b, const struct trace_job *j)
{
	if (!j->with_history) {
		dg_buf_adds(b, "null");
		return;
	}
	dg_buf_adds(b, "{\"set\": ");
	dg_buf_add_json_str(b, j->set_path);
	dg_buf_adds(b, ", \"applied\": [");
	for (size_t i = 0; i < j->n_applied; i++) {
		if (i)
			dg_buf_adds(b, ", ");
		dg_buf_add_json_str(b, j->applied[i]);
	}
	dg_buf_adds(b, "], \"skipped\": [");
	for (size_t i = 0; i < j->n_skips; i++) {
		dg_buf_adds(b, i ? ", {\"path\": " : "{\"path\": ");
		dg_buf_add_json_str(b, j->skips[i].path);
		dg_buf_addf(b, ", \"line\": %d, \"column\": %d", j->skips[i].line,
			    j->skips[i].column);
		dg_buf_add_json_member(b, "reason", j->skips[i].reason);
		dg_buf_addch(b, '}');
	}
	dg_buf_adds(b, "]}");
}

static void write_json(struct dg_buf *b, struct trace_job *j)
{
	struct tally c;
	count(j, &c);
	dg_buf_adds(b, "{\"tool\": \"ddlgate\", \"version\": \"" DG_VERSION "\"");
	dg_buf_add_json_member(b, "server_version", j->server_version);
	dg_buf_add_json_member(b, "database", j->database);
	dg_buf_addf(b, ", \"model_pg_version\": %d,\n \"lock_timeout_ms\": %d, \"statement_timeout_ms\": %d, \"rolled_back\": true,\n \"history\": ",
		    j->pg_version, j->opts.lock_timeout_ms, j->opts.statement_timeout_ms);
	json_history(b, j);
	dg_buf_adds(b, ",\n \"statements\": [");
	for (size_t i = 0; i < j->n_stmts; i++) {
		const struct traced_stmt *x = &j->stmts[i];
		dg_buf_adds(b, i ? ",\n  {" : "\n  {");
		dg_explain_json_fields(b, &j->arena, x->file->path, x->st);
		dg_buf_addf(b, ",\n   \"trace\": \"%s\"", outcome_names[x->outcome]);
		dg_buf_add_json_member(b, "reason", x->reason);
		if (x->outcome == OUT_FAILED || (x->outcome == OUT_NOT_TRACED && x->step.sqlstate)) {
			dg_buf_adds(b, ", \"error\": {\"sqlstate\": ");
			dg_buf_add_json_str(b, x->step.sqlstate);
			dg_buf_add_json_member(b, "message", x->step.error);
			dg_buf_addch(b, '}');
		} else {
			dg_buf_adds(b, ", \"error\": null");
		}
		if (x->outcome == OUT_TRACED)
			json_measured(b, x);
		else
			dg_buf_adds(b, ", \"duration_ms\": null, \"measured\": null");
		json_diffs(b, x, 0);
		json_diffs(b, x, 1);
		dg_buf_addch(b, '}');
	}
	dg_buf_addf(b, "%s],\n \"summary\": {\"statements\": %zu, \"traced\": %zu, \"not_traced\": %zu, \"skipped\": %zu, \"failed\": %zu, \"not_run\": %zu, \"disagreements\": %zu, \"notes\": %zu}}\n",
		    j->n_stmts ? "\n " : "", j->n_stmts, c.by_outcome[OUT_TRACED],
		    c.by_outcome[OUT_NOT_TRACED], c.by_outcome[OUT_SKIPPED], c.by_outcome[OUT_FAILED],
		    c.by_outcome[OUT_NOT_RUN], c.disagreements, c.notes);
}

/* One row of the text table: a relation with both sides. */
struct row {
	const char *name;
	enum dg_lockmode claim;
	const struct dg_trace_lock *lock;   /* measured, or NULL */
	int rw_claim, rw_seen, scan_claim, scan_seen;
};

static const struct dg_trace_lock *measured_lock(const struct dg_trace_step *m,
						 const struct dg_rel *r)
{
	for (size_t i = 0; i < m->n_locks; i++)
		if (dg_trace_rel_names(r, &m->locks[i].rel))
			return &m->locks[i];
	return NULL;
}

static int scanned(const struct dg_trace_step *m, const struct dg_trace_rel *r)
{
	for (size_t i = 0; i < m->n_scans; i++)
		if (!strcmp(m->scans[i].schema, r->schema) && !strcmp(m->scans[i].name, r->name))
			return 1;
	return 0;
}

static int rewritten_rel(const struct dg_stmt *st, const struct dg_trace_step *m,
			 const struct dg_trace_rel *r)
{
	struct dg_rel q = { r->schema, r->name };
	const struct dg_trace_rel *w = dg_trace_rewritten(st, m, &q);
	return w && counts_as_rewrite(st, w, 0);
}

static size_t build_rows(struct trace_job *j, const struct traced_stmt *x, struct row **out)
{
	const struct dg_stmt *st = x->st;
	const struct dg_trace_step *m = &x->step;
	size_t n_claimed;
	const struct dg_rel **claimed = dg_explain_relations(&j->arena, st, &n_claimed);
	struct row *rows = dg_alloc(&j->arena, (n_claimed + m->n_locks + 1) * sizeof(*rows));
	size_t n = 0;
	for (size_t i = 0; i < n_claimed; i++) {
		struct row *r = &rows[n++];
		r->name = dg_rel_display(&j->arena, claimed[i]);
		r->claim = dg_explain_lock_on(st, claimed[i]);
		r->lock = measured_lock(m, claimed[i]);
		r->rw_claim = dg_explain_rel_in(st->rewrites, st->n_rewrites, claimed[i]);
		const struct dg_trace_rel *w = dg_trace_rewritten(st, m, claimed[i]);
		r->rw_seen = w && counts_as_rewrite(st, w, 0);
		r->scan_claim = dg_explain_rel_in(st->scans, st->n_scans, claimed[i]);
		r->scan_seen = r->lock && scanned(m, &r->lock->rel);
	}
	/* compared relations the model says nothing about */
	for (size_t i = 0; i < m->n_locks; i++) {
		const struct dg_trace_lock *l = &m->locks[i];
		int has_row = 0;
		for (size_t k = 0; k < n && !has_row; k++)
			has_row = rows[k].lock == l;
		if (has_row || !l->compared || !l->taken)
			continue;
		struct row *r = &rows[n++];
		r->name = l->rel.display;
		r->lock = l;
		r->rw_seen = rewritten_rel(st, m, &l->rel);
		r->scan_seen = scanned(m, &l->rel);
	}
	*out = rows;
	return n;
}

static const char *measured_word(struct dg_arena *a, const struct dg_trace_lock *l,
				 enum dg_lockmode claim)
{
	if (!l)
		return "-";
	enum dg_lockmode took = dg_lockbits_max(l->taken);
	/* the claimed mode was held already: the statement could not take it again */
	if (claim && took < claim && (l->held_before & DG_LOCKBIT(claim)))
		return dg_sprintf(a, "%s (held before)", dg_lockmode_name(claim));
	return took ? dg_lockmode_name(took) : "-";
}

/* "new", "dropped" for relations the statement made or removed. */
static const char *life_word(const struct dg_trace_lock *l)
{
	return l->created && l->dropped ? ", made and dropped" : l->created ? ", new" :
	       l->dropped ? ", dropped" : "";
}

static void text_table(struct trace_job *j, struct dg_buf *b, const struct traced_stmt *x)
{
	struct row *rows;
	size_t n = build_rows(j, x, &rows);
	size_t width = strlen("relation");
	if (!n) {
		dg_buf_adds(b, "  no table locks, claimed or taken\n");
	} else {
		for (size_t i = 0; i < n; i++)
			if (strlen(rows[i].name) > width)
				width = strlen(rows[i].name);
		dg_buf_addf(b, "  %-*s  %-24s  %-36s  %-15s  %s\n", (int)width, "relation",
			    "ddlgate claims", "PostgreSQL took", "rewrite (d/pg)", "scan (d/pg)");
		for (size_t i = 0; i < n; i++) {
			const struct row *r = &rows[i];
			char rw[16], sc[16];
			snprintf(rw, sizeof(rw), "%s/%s", r->rw_claim ? "yes" : "no",
				 r->rw_seen ? "yes" : "no");
			snprintf(sc, sizeof(sc), "%s/%s", r->scan_claim ? "yes" : "no",
				 r->scan_seen ? "yes" : "no");
			dg_buf_addf(b, "  %-*s  %-24s  %-36s  %-15s  %s\n", (int)width, r->name,
				    r->claim ? dg_lockmode_name(r->claim) : "-",
				    measured_word(&j->arena, r->lock, r->claim), rw, sc);
		}
	}
	/* implicit locks: shown, not judged */
	const struct dg_trace_step *m = &x->step;
	int first = 1;
	for (size_t i = 0; i < m->n_locks; i++) {
		const struct dg_trace_lock *l = &m->locks[i];
		if (l->compared || !l->taken)
			continue;
		dg_buf_addf(b, "%s%s (%s%s) %s", first ? "  also locked (not compared): " : ", ",
			    l->rel.display, kind_name(l->rel.kind), life_word(l),
			    dg_lockmode_name(dg_lockbits_max(l->taken)));
		first = 0;
	}
	if (!first)
		dg_buf_addch(b, '\n');
}

static void write_text(struct dg_buf *b, struct trace_job *j)
{
	struct tally c;
	count(j, &c);
	dg_buf_addf(b, "trace: PostgreSQL %s, database \"%s\"; one transaction, rolled back at the end; lock_timeout %dms, statement_timeout %dms\n",
		    j->server_version, j->database, j->opts.lock_timeout_ms,
		    j->opts.statement_timeout_ms);
	if (j->with_history) {
		dg_buf_addf(b, "history: applied %zu earlier migration%s of %s first", j->n_applied,
			    j->n_applied == 1 ? "" : "s", j->set_path);
		if (j->n_applied)
			dg_buf_addf(b, " (%s%s%s)", j->applied[0], j->n_applied > 1 ? " ... " : "",
				    j->n_applied > 1 ? j->applied[j->n_applied - 1] : "");
		dg_buf_addch(b, '\n');
		for (size_t i = 0; i < j->n_skips; i++)
			dg_buf_addf(b, "history: skipped %s:%d:%d: %s\n", j->skips[i].path,
				    j->skips[i].line, j->skips[i].column, j->skips[i].reason);
	}
	for (size_t i = 0; i < j->n_stmts; i++) {
		const struct traced_stmt *x = &j->stmts[i];
		const char *remark = x->outcome == OUT_TRACED ?
			dg_sprintf(&j->arena, "traced (%.1f ms)", x->step.ms) :
			dg_sprintf(&j->arena, "%s: %s", outcome_names[x->outcome], x->reason);
		dg_buf_addch(b, '\n');
		dg_explain_text_head(b, x->file->path, x->st, remark);
		if (x->outcome == OUT_TRACED)
			text_table(j, b, x);
		else if (x->outcome != OUT_SKIPPED)
			dg_explain_text_claims(b, &j->arena, x->st);
		for (size_t k = 0; k < x->n_diffs; k++)
			dg_buf_addf(b, "  %s: %s\n", x->diffs[k].note ? "note" : "DISAGREES",
				    x->diffs[k].message);
		if (x->note)
			dg_buf_addf(b, "  note: %s\n", x->note);
	}
	dg_buf_addf(b, "\nsummary: %zu statement%s: %zu traced, %zu not traced, %zu skipped, %zu failed, %zu not run; %zu disagreement%s, %zu note%s; rolled back, nothing was committed\n",
		    j->n_stmts, j->n_stmts == 1 ? "" : "s", c.by_outcome[OUT_TRACED],
		    c.by_outcome[OUT_NOT_TRACED], c.by_outcome[OUT_SKIPPED], c.by_outcome[OUT_FAILED],
		    c.by_outcome[OUT_NOT_RUN], c.disagreements, c.disagreements == 1 ? "" : "s",
		    c.notes, c.notes == 1 ? "" : "s");
}

int cmd_trace(int argc, char **argv)
{
	struct dg_cli cli;
	struct trace_job j;
	const char **args = NULL;
	size_t n_args = 0;
	int rc = DG_EXIT_ERROR;

	memset(&j, 0, sizeof(j));
	j.opts.lock_timeout_ms = 2000;
	j.opts.statement_timeout_ms = 60000;
	const char *lt = NULL, *stt = NULL; /* checked once every option is read */
	const struct dg_cli_flag flags[] = {
		{ "--with-history", &j.with_history }, { "--strict", &j.strict }, { NULL, NULL } };
	const struct dg_cli_valopt values[] = {
		{ "--dsn", &j.opts.dsn, NULL }, { "--lock-timeout", &lt, NULL },
		{ "--statement-timeout", &stt, NULL }, { NULL, NULL, NULL } };
	struct dg_cli_own own = { flags, values };
	dg_cli_init(&cli);
	if (dg_cli_parse_paths(&cli, argc, argv, "trace", dg_cli_own_options, &own, &args, &n_args))
		goto out_args;
	if (!j.opts.dsn || !*j.opts.dsn) {
		dg_cli_fail("trace: --dsn DSN is required: trace runs the migration on a real server and never picks one from the PG* environment");
		goto out_args;
	}
	if ((lt && parse_timeout("--lock-timeout", lt, &j.opts.lock_timeout_ms) < 0) ||
	    (stt && parse_timeout("--statement-timeout", stt, &j.opts.statement_timeout_ms) < 0)) {
		dg_cli_fail("trace: %s", dg_last_error());
		goto out_args;
	}
	if (cli.format != DG_OUT_TEXT && cli.format != DG_OUT_JSON) {
		dg_cli_fail("trace: --format must be text or json");
		goto out_args;
	}
	if (!n_args) {
		dg_cli_fail("trace: name the migration files to trace (a file, a directory, or '-' for stdin)");
		goto out_args;
	}

	dg_arena_init(&j.arena);
	j.root = dg_cli_repo_root();
	j.format = cli.format;
	j.pg_version_opt = cli.pg_version;
	if (dg_cli_load_config(&cli, &j.cfg, j.root) < 0) {
		dg_cli_fail("%s", dg_last_error());
	} else if (read_inputs(&j, args, n_args) == 0) {
		if (!j.n_files) {
			dg_cli_fail("trace: no SQL file to trace");
		} else if (run_trace(&j) < 0) {
			dg_cli_fail("%s", dg_last_error());
		} else {
			struct dg_buf b = DG_BUF_INIT;
			struct tally c;
			if (j.format == DG_OUT_JSON)
				write_json(&b, &j);
			else
				write_text(&b, &j);
			fwrite(b.ptr, 1, b.len, stdout);
			fflush(stdout);
			dg_buf_release(&b);
			count(&j, &c);
			if (j.failure)
				rc = dg_cli_fail("trace: %s", j.failure);
			else
				rc = j.strict && c.disagreements ? DG_EXIT_FINDINGS : DG_EXIT_OK;
		}
	}
	dg_config_release(&j.cfg);
	free(j.skips);
	free(j.root);
	dg_arena_release(&j.arena);
out_args:
	free(args);
	dg_cli_release(&cli);
	return rc;
}
