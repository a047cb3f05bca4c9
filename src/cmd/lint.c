/*
 * ddlgate lint [PATH...]: lint SQL files, directories (every *.sql, and
 * every *.py migration of an Alembic or Django set) and stdin. A file of
 * a migration set (configured or detected) is linted with the schema its
 * set's earlier migrations leave (a down script: the schema after its up
 * migration), read from the work tree; other files are their own history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "discover/migrations.h"
#include "rules/engine.h"
#include "schema/history.h"
#include "schema/schema.h"

/* A file to lint; the files of one command-line argument form one history. */
struct lint_item {
	char *path;
	int group;
	const char *arg; /* .py files: the directory argument they were found under (NULL: named) */
};

struct lint_job {
	struct dg_run run;
	struct dg_config cfg;
	const char *root;
	int io_errors;
	struct lint_item *items;
	size_t n_items, cap_items;
	int group;
	char **items_paths;         /* scratch: the paths of one argument */
	size_t n_paths, cap_paths;
	struct lint_item *py;       /* .py files: group 1 = named on the command line */
	size_t n_py, cap_py;
	const char **py_only;       /* directory arguments with only .py files: empty unless one
				       of them is a migration */
	size_t n_py_only, cap_py_only;
	struct dg_cli_python sets;  /* the work tree's migration sets, read once when needed */
	int sets_state;             /* 0: not read yet, 1: read, -1: could not be read */
	struct dg_cli_python_file *in_set; /* SQL files of a set, linted with its history */
	size_t n_in_set, cap_in_set;
};

/* The work tree's sets, read on first use; NULL when they cannot be read (said once). */
static struct dg_cli_python *sets_of(struct lint_job *j)
{
	if (!j->sets_state) {
		j->sets_state = dg_cli_python_open(&j->sets, &j->run.arena, j->root, &j->cfg) < 0 ? -1 : 1;
		if (j->sets_state < 0) {
			fprintf(stderr, "ddlgate: %s\n", dg_last_error());
			dg_error_clear();
			j->io_errors++;
		}
	}
	return j->sets_state > 0 ? &j->sets : NULL;
}

/* Is the .sql file at path a migration of a set? Then it is queued with its history. */
static int queue_in_set(struct lint_job *j, const char *path)
{
	/* a file outside the repository is in none of its sets: they are not looked for */
	if (!dg_cli_under_root(j->root, path))
		return 0;
	struct dg_cli_python *p = sets_of(j);
	struct dg_cli_python_file f;
	if (!p)
		return 0;
	int r = dg_cli_sql_find(p, path, &f);
	if (r < 0) {
		fprintf(stderr, "ddlgate: %s\n", dg_last_error());
		dg_error_clear();
		j->io_errors++;
		return 1;
	}
	if (r > 0)
		return 0;
	DG_PUSH(j->in_set, j->n_in_set, j->cap_in_set, f);
	return 1;
}

static void lint_text(struct lint_job *j, const char *shown, const char *data, size_t len,
		      const struct dg_schema *schema)
{
	struct dg_lint_opts o = { &j->cfg, j->cfg.pg_version, dg_cli_tx_for(&j->cfg, shown), schema,
				  0, NULL, 0 };
	if (dg_lint_sql(&j->run, shown, data, len, &o) < 0) {
		fprintf(stderr, "ddlgate: %s\n", dg_last_error());
		j->io_errors++;
	}
}

/* One file (or stdin for "-") linted on its own: the rules replay it themselves. */
static void lint_input(struct lint_job *j, const char *path)
{
	char *shown, *data;
	size_t len;
	if (dg_cli_read_input(j->root, path, &shown, &data, &len) < 0) {
		j->io_errors++;
		return;
	}
	lint_text(j, shown, data, len, NULL);
	free(data);
	free(shown);
}

/*
 * Lint the files of one history (from..to) in order. The schema replayed
 * from every file (down / undo scripts excepted) is the end state that
 * missing-fk-index judges; each file is linted with the schema before it.
 */
static void lint_history(struct lint_job *j, size_t from, size_t to)
{
	struct dg_arena *a = &j->run.arena;
	size_t n = to - from;
	char **data = dg_xcalloc(n ? n : 1, sizeof(*data));
	size_t *len = dg_xcalloc(n ? n : 1, sizeof(*len));
	char **shown = dg_xcalloc(n ? n : 1, sizeof(*shown));
	struct dg_sql_file *files = dg_xcalloc(n ? n : 1, sizeof(*files));
	char *replayed = dg_xcalloc(n ? n : 1, 1);
	struct dg_schema *fin = dg_schema_new(a), *cur = dg_schema_new(a);

	if (n == 1) {
		/* one file is its own history: the rules replay it themselves */
		lint_input(j, j->items[from].path);
		free(data);
		free(len);
		free(shown);
		free(files);
		free(replayed);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		const char *path = j->items[from + k].path;
		shown[k] = dg_cli_relative(j->root, path);
		if (dg_read_file(path, &data[k], &len[k]) < 0 ||
		    dg_lint_check_text(shown[k], data[k], len[k]) < 0) {
			fprintf(stderr, "ddlgate: %s\n", dg_last_error());
			j->io_errors++;
			free(data[k]);
			data[k] = NULL;
			continue;
		}
		/* parsed once: for the replay of the whole history and for the lint */
		dg_sql_parse(a, &files[k], dg_strdup(a, shown[k]), data[k], len[k]);
		if (dg_schema_replays_path(shown[k])) {
			dg_schema_replay_file(fin, &files[k], NULL);
			replayed[k] = 1;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (data[k]) {
			struct dg_replay_opts ro = { NULL, 1 };
			struct dg_lint_opts o = { &j->cfg, j->cfg.pg_version,
						  dg_cli_tx_for(&j->cfg, shown[k]), cur, 0, NULL, 0 };
			cur->final = fin;
			dg_lint_parsed(&j->run, &files[k], &o);
			if (replayed[k])
				dg_schema_replay_file(cur, &files[k], &ro);
		}
		free(data[k]);
		free(shown[k]);
	}
	free(data);
	free(len);
	free(shown);
	free(files);
	free(replayed);
}

static void lint_queued(struct lint_job *j)
{
	size_t i = 0, w = 0;
	/* files of a migration set take their set's history; the rest stay in their group */
	for (size_t k = 0; k < j->n_items; k++) {
		if (queue_in_set(j, j->items[k].path))
			free(j->items[k].path);
		else
			j->items[w++] = j->items[k];
	}
	j->n_items = w;
	while (i < j->n_items) {
		size_t e = i;
		while (e < j->n_items && j->items[e].group == j->items[i].group)
			e++;
		lint_history(j, i, e);
		i = e;
	}
	for (size_t k = 0; k < j->n_items; k++)
		free(j->items[k].path);
	free(j->items);
	j->items = NULL;
	j->n_items = j->cap_items = 0;
}

static void lint_path(struct lint_job *j, const char *path)
{
	if (!strcmp(path, "-")) {
		lint_input(j, path);
		return;
	}
	struct stat st;
	int named = stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
	int errors = 0;
	if (named) /* a file is linted as named: dg_cli_sql_paths would stat it again */
		DG_PUSH(j->items_paths, j->n_paths, j->cap_paths, dg_xstrdup(path));
	else
		errors = dg_cli_sql_paths(j->root, &j->cfg, path, &j->items_paths, &j->n_paths,
					  &j->cap_paths);
	j->io_errors += errors;
	/* a directory with nothing to lint: say so, it is not a clean result */
	if (!errors && !j->n_paths)
		fprintf(stderr, "ddlgate: no migration files under %s%s\n", path,
			dg_str_endswith(path, "/") ? "" : "/");
	int sql = 0;
	for (size_t i = 0; i < j->n_paths; i++) {
		struct lint_item it = { j->items_paths[i], j->group, named ? NULL : path };
		if (dg_str_endswith(it.path, ".py")) {
			it.group = named;
			DG_PUSH(j->py, j->n_py, j->cap_py, it);
		} else {
			DG_PUSH(j->items, j->n_items, j->cap_items, it);
			sql = 1;
		}
	}
	if (!named && !sql && j->n_paths)
		DG_PUSH(j->py_only, j->n_py_only, j->cap_py_only, path);
	j->n_paths = 0;
}

/* History order, so each file's schema-before is one replay step further. */
static int cmp_py(const void *a, const void *b)
{
	const struct dg_cli_python_file *x = a, *y = b;
	if (x->hist != y->hist)
		return x->hist < y->hist ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * The SQL files of sets, in history order: each with the schema its set's
 * earlier migrations leave, parsed once for the history and the lint.
 */
static void lint_in_sets(struct lint_job *j)
{
	if (j->n_in_set > 1)
		qsort(j->in_set, j->n_in_set, sizeof(*j->in_set), cmp_py);
	for (size_t i = 0; i < j->n_in_set; i++) {
		const struct dg_cli_python_file *f = &j->in_set[i];
		if (i && f->m == j->in_set[i - 1].m)
			continue; /* named twice */
		struct dg_lint_opts o = { .cfg = &j->cfg, .pg_version = j->cfg.pg_version,
					  .tx = dg_cli_tx_for(&j->cfg, f->m->path),
					  .schema = dg_schema_history_before(f->hist, f->m) };
		if (f->file && f->parsed) {
			if (dg_lint_check_text(f->m->path, f->file->data, f->file->len) < 0) {
				fprintf(stderr, "ddlgate: %s\n", dg_last_error());
				j->io_errors++;
				continue;
			}
			dg_lint_parsed(&j->run, f->file, &o);
			continue;
		}
		/* facts from the cache, or a down script: the text discovery read, else read again */
		if (f->m->data) {
			lint_text(j, f->m->path, f->m->data, f->m->len, o.schema);
			continue;
		}
		char *data;
		size_t len;
		char *path = dg_sprintf(&j->run.arena, "%s/%s", j->root, f->m->path);
		if (dg_read_file(path, &data, &len) < 0) {
			fprintf(stderr, "ddlgate: %s\n", dg_last_error());
			dg_error_clear();
			j->io_errors++;
			continue;
		}
		lint_text(j, f->m->path, data, len, o.schema);
		free(data);
	}
	free(j->in_set);
	j->in_set = NULL;
	j->n_in_set = j->cap_in_set = 0;
}

/*
 * The .py files: each linted as the SQL its framework runs, with the
 * schema its set's history had before it. A named .py that is not a
 * migration is an error that says what was expected; one found in a
 * directory walk is skipped.
 */
static void lint_python(struct lint_job *j)
{
	struct dg_cli_python *p;
	struct dg_cli_python_file *found = NULL;
	size_t n = 0;
	if (!j->n_py)
		return;
	if (!(p = sets_of(j)))
		goto out;
	found = dg_xcalloc(j->n_py, sizeof(*found));
	for (size_t i = 0; i < j->n_py; i++) {
		int r = dg_cli_python_find(p, j->py[i].path, j->py[i].group, &found[n]);
		if (r < 0) {
			fprintf(stderr, "ddlgate: %s\n", dg_last_error());
			dg_error_clear();
			j->io_errors++;
		} else if (r == 0 && found[n].unreadable) {
			/* a migration ddlgate cannot read: said, never skipped */
			dg_run_add(&j->run, found[n].unreadable);
			for (size_t k = 0; k < j->n_py_only; k++)
				if (j->py[i].arg == j->py_only[k])
					j->py_only[k] = NULL;
		} else if (r == 0) {
			n++;
			/* a migration under this directory: it was not empty */
			for (size_t k = 0; k < j->n_py_only; k++)
				if (j->py[i].arg == j->py_only[k])
					j->py_only[k] = NULL;
		}
	}
	if (n > 1)
		qsort(found, n, sizeof(*found), cmp_py);
	for (size_t i = 0; i < n; i++) {
		if (i && found[i].m == found[i - 1].m)
			continue; /* named twice */
		/* the framework's BEGIN / COMMIT are in the SQL: no implicit transaction */
		struct dg_lint_opts o = { &j->cfg, j->cfg.pg_version, DG_TX_AUTO,
					  dg_schema_history_before(found[i].hist, found[i].m),
					  0, NULL, 0 };
		dg_lint_parsed(&j->run, found[i].file, &o);
	}
out:
	for (size_t k = 0; k < j->n_py_only; k++)
		if (j->py_only[k])
			fprintf(stderr, "ddlgate: no migration files under %s%s\n", j->py_only[k],
				dg_str_endswith(j->py_only[k], "/") ? "" : "/");
	free(j->py_only);
	free(found);
	for (size_t i = 0; i < j->n_py; i++)
		free(j->py[i].path);
	free(j->py);
	j->py = NULL;
	j->n_py = j->cap_py = 0;
}

int cmd_lint(int argc, char **argv)
{
	struct dg_cli cli;
	struct lint_job j;
	const char **paths = NULL;
	size_t n_paths = 0;

	dg_cli_init(&cli);
	if (dg_cli_parse_paths(&cli, argc, argv, "lint", NULL, NULL, &paths, &n_paths)) {
		free(paths);
		dg_cli_release(&cli);
		return DG_EXIT_ERROR;
	}

	char *root = dg_cli_repo_root();
	memset(&j, 0, sizeof(j));
	j.root = root;
	dg_run_init(&j.run);
	if (dg_cli_load_config(&cli, &j.cfg, root) < 0) {
		int rc = dg_cli_fail("%s", dg_last_error());
		dg_config_release(&j.cfg);
		dg_run_release(&j.run);
		free(root);
		free(paths);
		dg_cli_release(&cli);
		return rc;
	}
	if (n_paths == 0)
		lint_path(&j, ".");
	for (size_t i = 0; i < n_paths; i++) {
		j.group = (int)i;
		lint_path(&j, paths[i]);
	}
	lint_queued(&j);
	lint_in_sets(&j);
	lint_python(&j);
	if (j.sets_state > 0)
		dg_cli_python_close(&j.sets);

	int rc = dg_cli_finish(&cli, &j.run, NULL);
	if (j.io_errors)
		rc = DG_EXIT_ERROR;
	dg_config_release(&j.cfg);
	free(j.items_paths);
	dg_run_release(&j.run);
	free(root);
	free(paths);
	dg_cli_release(&cli);
	return rc;
}
