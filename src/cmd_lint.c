/* ddlgate lint [PATH...]: lint SQL files, directories (every *.sql) and stdin. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "rules/engine.h"
#include "schema/schema.h"

/* A file to lint; the files of one command-line argument form one history. */
struct lint_item {
	char *path;
	int group;
};

struct lint_job {
	struct dg_run run;
	struct dg_config cfg;
	const char *root;
	int io_errors;
	struct lint_item *items;
	size_t n_items, cap_items;
	int group;
};

static void lint_text(struct lint_job *j, const char *shown, const char *data, size_t len,
		      const struct dg_schema *schema)
{
	struct dg_lint_opts o = { &j->cfg, j->cfg.pg_version, dg_cli_tx_for(&j->cfg, shown), schema };
	if (dg_lint_sql(&j->run, shown, data, len, &o) < 0) {
		fprintf(stderr, "ddlgate: %s\n", dg_last_error());
		j->io_errors++;
	}
}

static void lint_file(struct lint_job *j, const char *path)
{
	struct lint_item it = { dg_xstrdup(path), j->group };
	DG_PUSH(j->items, j->n_items, j->cap_items, it);
}

static void lint_file_alone(struct lint_job *j, const char *path)
{
	char *data;
	size_t len;
	char *shown = dg_cli_relative(j->root, path);
	if (dg_read_file(path, &data, &len) < 0) {
		fprintf(stderr, "ddlgate: %s\n", dg_last_error());
		j->io_errors++;
	} else {
		lint_text(j, shown, data, len, NULL);
		free(data);
	}
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
		lint_file_alone(j, j->items[from].path);
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
		if (dg_read_file(path, &data[k], &len[k]) < 0) {
			fprintf(stderr, "ddlgate: %s\n", dg_last_error());
			j->io_errors++;
			continue;
		}
		if (dg_schema_replays_path(shown[k])) {
			dg_sql_parse(a, &files[k], shown[k], data[k], len[k]);
			dg_schema_replay_file(fin, &files[k], NULL);
			replayed[k] = 1;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (data[k]) {
			struct dg_replay_opts ro = { NULL, 1 };
			cur->final = fin;
			lint_text(j, shown[k], data[k], len[k], cur);
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
	size_t i = 0;
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

/* Name order, numbers by value (V2 before V10): the order migrations replay in. */
static int cmp_str(const void *a, const void *b)
{
	return dg_schema_path_cmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.sql below dir, in name order, skipping excluded paths. */
static void lint_dir(struct lint_job *j, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "ddlgate: %s: cannot open directory: %s\n", dir, strerror(errno));
		j->io_errors++;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			DG_PUSH(names, n, cap, dg_xstrdup(de->d_name));
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct dg_buf p = DG_BUF_INIT;
		struct stat st;
		dg_buf_addf(&p, "%s/%s", dir, names[i]);
		char *rel = dg_cli_relative(j->root, p.ptr);
		if (!dg_config_is_excluded(&j->cfg, rel) && stat(p.ptr, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth < 64)
				lint_dir(j, p.ptr, depth + 1);
			else if (S_ISREG(st.st_mode) && dg_str_endswith(names[i], ".sql"))
				lint_file(j, p.ptr);
		}
		free(rel);
		dg_buf_release(&p);
		free(names[i]);
	}
	free(names);
}

static void lint_path(struct lint_job *j, const char *path)
{
	struct stat st;
	if (!strcmp(path, "-")) {
		char *data;
		size_t len;
		if (dg_read_stream(STDIN_FILENO, "<stdin>", &data, &len) < 0) {
			fprintf(stderr, "ddlgate: %s\n", dg_last_error());
			j->io_errors++;
			return;
		}
		lint_text(j, "<stdin>", data, len, NULL);
		free(data);
		return;
	}
	if (stat(path, &st) < 0) {
		fprintf(stderr, "ddlgate: %s: %s\n", path, strerror(errno));
		j->io_errors++;
		return;
	}
	if (S_ISDIR(st.st_mode))
		lint_dir(j, path, 0);
	else
		lint_file(j, path);
}

int cmd_lint(int argc, char **argv)
{
	struct dg_cli cli;
	struct lint_job j;
	const char **paths = NULL;
	size_t n_paths = 0, cap = 0;
	int only_paths = 0;

	dg_cli_init(&cli);
	for (int i = 1; i < argc; i++) {
		if (!only_paths && !strcmp(argv[i], "--")) {
			only_paths = 1;
			continue;
		}
		if (!only_paths) {
			int r = dg_cli_option(&cli, argc, argv, &i);
			if (r < 0) {
				free(paths);
				dg_cli_release(&cli);
				return dg_cli_fail("%s", dg_last_error());
			}
			if (r)
				continue;
			if (argv[i][0] == '-' && argv[i][1]) {
				free(paths);
				dg_cli_release(&cli);
				return dg_cli_fail("lint: unknown option '%s' (see `ddlgate lint --help`)", argv[i]);
			}
		}
		DG_PUSH(paths, n_paths, cap, argv[i]);
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

	int rc = dg_cli_finish(&cli, &j.run, NULL);
	if (j.io_errors)
		rc = DG_EXIT_ERROR;
	dg_config_release(&j.cfg);
	dg_run_release(&j.run);
	free(root);
	free(paths);
	dg_cli_release(&cli);
	return rc;
}
