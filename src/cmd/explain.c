/*
 * ddlgate explain [PATH...|-]: what each statement does to the database,
 * from the lock model: the locks it takes (and what they block), the
 * tables it rewrites or scans, and whether it runs in a transaction block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "cmd/cmd.h"
#include "report/explain.h"
#include "sql/sql.h"

struct explain_job {
	struct dg_arena arena;
	struct dg_config cfg;
	const char *root;
	enum dg_out_format format;
	struct dg_buf out;
	size_t n_out;              /* statements printed so far */
	int io_errors;
	int syntax_errors;
	struct dg_cli_python py;    /* the sets, once a .py file is named */
	int py_open;
};

static void emit_json(struct explain_job *j, const struct dg_sql_file *f, const struct dg_stmt *st)
{
	dg_buf_adds(&j->out, j->n_out ? ",\n  {" : "\n  {");
	dg_explain_json_fields(&j->out, &j->arena, f->path, st);
	dg_buf_addch(&j->out, '}');
}

static void emit_text(struct explain_job *j, const struct dg_sql_file *f, const struct dg_stmt *st)
{
	struct dg_buf *b = &j->out;
	if (j->n_out)
		dg_buf_addch(b, '\n');
	dg_explain_text_head(b, f->path, st, st->in_transaction ? "(in a transaction block)" : NULL);
	if (st->kind == DG_STMT_ERROR) {
		dg_buf_addf(b, "  syntax error: %s\n", st->error);
		return;
	}
	dg_explain_text_claims(b, &j->arena, st);
}

/* Run the lock model over a parsed file and describe each statement. */
static void explain_file(struct explain_job *j, struct dg_sql_file *f, const struct dg_sql_opts *so)
{
	dg_sql_analyze(&j->arena, f, so);
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *st = &f->stmts[i];
		if (st->kind == DG_STMT_ERROR) {
			int line, col;
			dg_sql_pos(f, st->error_offset >= 0 ? (size_t)st->error_offset : st->offset,
				   &line, &col);
			fprintf(stderr, "ddlgate: %s:%d:%d: %s\n", f->path, line, col, st->error);
			j->syntax_errors++;
		}
		if (j->format == DG_OUT_JSON)
			emit_json(j, f, st);
		else
			emit_text(j, f, st);
		j->n_out++;
	}
	for (size_t i = 0; f->origin && i < f->origin->n_notes; i++)
		fprintf(stderr, "ddlgate: %s:%d: %s\n", f->origin->path, f->origin->notes[i].line,
			f->origin->notes[i].message);
}

static void explain_text(struct explain_job *j, const char *shown, const char *data, size_t len)
{
	struct dg_sql_file f;
	struct dg_sql_opts so = { j->cfg.pg_version, DG_TXD_AUTO, NULL };
	enum dg_tx_mode tx = dg_cli_tx_for(&j->cfg, shown);
	if (tx == DG_TX_YES)
		so.tx = DG_TXD_YES;
	else if (tx == DG_TX_NO)
		so.tx = DG_TXD_NO;
	if (memchr(data, '\0', len)) {
		fprintf(stderr, "ddlgate: %s: binary file (NUL byte), not SQL text\n", shown);
		j->io_errors++;
		return;
	}
	dg_sql_parse(&j->arena, &f, shown, data, len);
	explain_file(j, &f, &so);
}

/* One file, or stdin for "-". */
static void explain_input(struct explain_job *j, const char *path)
{
	char *shown, *data;
	size_t len;
	if (dg_cli_read_input(j->root, path, &shown, &data, &len) < 0) {
		j->io_errors++;
		return;
	}
	explain_text(j, dg_strdup(&j->arena, shown), data, len);
	free(data);
	free(shown);
}

/* A Python migration: the SQL its framework runs, with positions in the .py file. */
static void explain_python(struct explain_job *j, const char *path, int named)
{
	struct dg_cli_python_file pf;
	if (!j->py_open) {
		if (dg_cli_python_open(&j->py, &j->arena, j->root, &j->cfg) < 0) {
			fprintf(stderr, "ddlgate: %s\n", dg_last_error());
			j->io_errors++;
			return;
		}
		j->py_open = 1;
	}
	int r = dg_cli_python_find(&j->py, path, named, &pf);
	if (r == 0 && pf.unreadable) {
		const struct dg_finding *f = pf.unreadable;
		r = f->line ? dg_error("%s:%d:%d: %s", f->path, f->line, f->column, f->message)
			    : dg_error("%s: %s", f->path, f->message);
	}
	if (r < 0) {
		fprintf(stderr, "ddlgate: %s\n", dg_last_error());
		dg_error_clear();
		j->io_errors++;
	}
	if (r)
		return;
	/* a copy: the history's file stays as parsed for the replay of later ones */
	struct dg_sql_file f = *pf.file;
	struct dg_sql_file *copy = dg_alloc(&j->arena, sizeof(*copy));
	dg_sql_parse(&j->arena, copy, f.path, f.data, f.len);
	dg_sql_apply_origin(&j->arena, copy, (struct dg_sql_origin *)f.origin);
	struct dg_sql_opts so = { j->cfg.pg_version, DG_TXD_AUTO, NULL };
	explain_file(j, copy, &so);
}

static void explain_path(struct explain_job *j, const char *path)
{
	if (!strcmp(path, "-")) {
		explain_input(j, path);
		return;
	}
	char **files = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	int named = stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
	j->io_errors += dg_cli_sql_paths(j->root, &j->cfg, path, &files, &n, &cap);
	for (size_t i = 0; i < n; i++) {
		if (dg_str_endswith(files[i], ".py"))
			explain_python(j, files[i], named);
		else
			explain_input(j, files[i]);
		free(files[i]);
	}
	free(files);
}

int cmd_explain(int argc, char **argv)
{
	struct dg_cli cli;
	struct explain_job j;
	const char **paths = NULL;
	size_t n_paths = 0;
	int rc = DG_EXIT_OK;

	dg_cli_init(&cli);
	if ((rc = dg_cli_parse_paths(&cli, argc, argv, "explain", NULL, NULL, &paths, &n_paths)))
		goto out_args;
	if (cli.format != DG_OUT_TEXT && cli.format != DG_OUT_JSON) {
		rc = dg_cli_fail("explain: --format must be text or json");
		goto out_args;
	}
	if (n_paths == 0) {
		rc = dg_cli_fail("explain: name a file, a directory or '-' for stdin");
		goto out_args;
	}

	char *root = dg_cli_repo_root();
	memset(&j, 0, sizeof(j));
	dg_arena_init(&j.arena);
	j.root = root;
	j.format = cli.format;
	if (dg_cli_load_config(&cli, &j.cfg, root) < 0) {
		rc = dg_cli_fail("%s", dg_last_error());
	} else {
		if (j.format == DG_OUT_JSON)
			dg_buf_adds(&j.out, "{\"statements\": [");
		for (size_t i = 0; i < n_paths; i++)
			explain_path(&j, paths[i]);
		if (j.format == DG_OUT_JSON)
			dg_buf_adds(&j.out, j.n_out ? "\n]}\n" : "]}\n");
		if (j.out.len)
			fwrite(j.out.ptr, 1, j.out.len, stdout);
		fflush(stdout);
		rc = j.io_errors ? DG_EXIT_ERROR : j.syntax_errors ? DG_EXIT_FINDINGS : DG_EXIT_OK;
	}
	if (j.py_open)
		dg_cli_python_close(&j.py);
	dg_buf_release(&j.out);
	dg_config_release(&j.cfg);
	dg_arena_release(&j.arena);
	free(root);
out_args:
	free(paths);
	dg_cli_release(&cli);
	return rc;
}
