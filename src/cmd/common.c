/* Options shared by every command, config loading, and the final report. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/watchdog.h"
#include "git/git.h"
#include "rules/rule.h"
#include "schema/schema.h"

void dg_cli_init(struct dg_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->format = DG_OUT_TEXT;
}

void dg_cli_release(struct dg_cli *cli)
{
	free(cli->rules);
	memset(cli, 0, sizeof(*cli));
}

int dg_cli_is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int dg_cli_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("ddlgate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return DG_EXIT_ERROR;
}

int dg_cli_value(const char *opt, int argc, char **argv, int *i, const char **out)
{
	const char *a = argv[*i];
	size_t l = strlen(opt);
	if (strncmp(a, opt, l) || (a[l] != '=' && a[l] != '\0'))
		return 0;
	if (a[l] == '=')
		*out = a + l + 1;
	else if (*i + 1 < argc)
		*out = argv[++*i];
	else
		*out = "";
	if (!**out)
		return dg_error("option %s needs a value", opt);
	return 1;
}

static int parse_pg_version(const char *v, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < DG_PG_VERSION_MIN || n > DG_PG_VERSION_MAX)
		return dg_error("--pg-version must be a major version from %d to %d, not '%s'",
				DG_PG_VERSION_MIN, DG_PG_VERSION_MAX, v);
	*out = (int)n;
	return 0;
}

int dg_cli_option(struct dg_cli *cli, int argc, char **argv, int *i)
{
	const char *v = NULL;
	const char *a = argv[*i];
	int r;
	if (strncmp(a, "--", 2))
		return 0;
	dg_error_clear();
	if ((r = dg_cli_value("--config", argc, argv, i, &v))) {
		if (r > 0)
			cli->config_path = v;
		return r;
	}
	if ((r = dg_cli_value("--format", argc, argv, i, &v))) {
		if (r < 0)
			return r;
		int f = dg_out_format_parse(v);
		if (f < 0)
			return dg_error("--format must be text, json, sarif or github, not '%s'", v);
		cli->format = (enum dg_out_format)f;
		return 1;
	}
	if ((r = dg_cli_value("--pg-version", argc, argv, i, &v)))
		return r < 0 || parse_pg_version(v, &cli->pg_version) < 0 ? -1 : 1;
	if ((r = dg_cli_value("--rule", argc, argv, i, &v))) {
		if (r < 0)
			return r;
		const char *eq = strchr(v, '=');
		if (!eq || eq == v)
			return dg_error("--rule needs ID=LEVEL, not '%s'", v);
		char id[128];
		size_t l = (size_t)(eq - v);
		if (l >= sizeof(id))
			return dg_error("--rule: rule id too long");
		memcpy(id, v, l);
		id[l] = '\0';
		if (!dg_rule_known(id))
			return dg_error("--rule: unknown rule id '%s'%s (see `ddlgate rules`)", id,
					dg_rule_did_you_mean(id));
		if (dg_severity_parse(eq + 1) < 0)
			return dg_error("--rule %s: level must be error, warning or off, not '%s'",
					id, eq + 1);
		cli->rules = dg_xrealloc(cli->rules, (cli->n_rules + 1) * sizeof(*cli->rules));
		cli->rules[cli->n_rules++] = (char *)v;
		return 1;
	}
	return 0;
}

int dg_cli_parse_paths(struct dg_cli *cli, int argc, char **argv, const char *what,
		       int (*own)(void *cookie, int argc, char **argv, int *i), void *cookie,
		       const char ***paths, size_t *n_paths)
{
	size_t cap = n_paths ? *n_paths : 0;
	int only_paths = 0;
	for (int i = 1; i < argc; i++) {
		if (!only_paths && !strcmp(argv[i], "--")) {
			only_paths = 1;
			continue;
		}
		if (!only_paths) {
			int r = own ? own(cookie, argc, argv, &i) : 0;
			if (!r)
				r = dg_cli_option(cli, argc, argv, &i);
			if (r < 0)
				return dg_cli_fail("%s", dg_last_error());
			if (r)
				continue;
			if (argv[i][0] == '-' && argv[i][1])
				return dg_cli_fail("%s: unknown option '%s' (see `ddlgate %s --help`)", what,
						   argv[i], what);
		}
		if (!paths)
			return dg_cli_fail("%s: unexpected argument '%s' (see `ddlgate %s --help`)", what,
					   argv[i], what);
		DG_PUSH(*paths, *n_paths, cap, (const char *)argv[i]);
	}
	return 0;
}

int dg_cli_own_options(void *cookie, int argc, char **argv, int *i)
{
	const struct dg_cli_own *own = cookie;
	for (const struct dg_cli_flag *f = own->flags; f && f->name; f++)
		if (!strcmp(argv[*i], f->name)) {
			*f->out = 1;
			return 1;
		}
	for (const struct dg_cli_valopt *v = own->values; v && v->name; v++) {
		int r = dg_cli_value(v->name, argc, argv, i, v->out);
		if (r < 0)
			return v->hint ? dg_error("%s (%s)", dg_last_error(), v->hint) : -1;
		if (r)
			return 1;
	}
	return 0;
}

int dg_cli_apply_overrides(struct dg_cli *cli, struct dg_config *cfg)
{
	dg_watchdog_rearm((unsigned)cfg->timeout_seconds);
	for (size_t i = 0; i < cli->n_rules; i++) {
		const char *eq = strchr(cli->rules[i], '=');
		char *id = dg_xstrndup(cli->rules[i], (size_t)(eq - cli->rules[i]));
		dg_config_set_level(cfg, id, (enum dg_severity)dg_severity_parse(eq + 1));
		free(id);
	}
	if (cli->pg_version)
		cfg->pg_version = cli->pg_version;
	return 0;
}

/*
 * The nearest directory from cwd up to root (both included) that holds a
 * .ddlgate.yml, relative to root ("" for root itself, "services/api");
 * malloc'd, NULL when there is none. Outside root: root's own file or none.
 */
static char *find_config_dir(const char *root)
{
	char *top = realpath(root && *root ? root : ".", NULL);
	char *cwd = getcwd(NULL, 0);
	char *found = NULL;
	if (!top || !cwd)
		goto out;
	size_t tl = strlen(top);
	int below = !strcmp(top, "/") ||
		    (!strncmp(cwd, top, tl) && (cwd[tl] == '/' || cwd[tl] == '\0'));
	struct dg_buf dir = DG_BUF_INIT, p = DG_BUF_INIT;
	dg_buf_adds(&dir, below ? cwd : top);
	for (;;) {
		dg_buf_reset(&p);
		dg_buf_addf(&p, "%s/%s", dir.ptr, DG_CONFIG_FILE);
		if (access(p.ptr, F_OK) == 0) {
			const char *rel = dir.ptr + (dir.len > tl ? tl : dir.len);
			found = dg_xstrdup(*rel == '/' ? rel + 1 : rel);
			break;
		}
		if (dir.len <= tl)
			break;
		char *slash = strrchr(dir.ptr, '/');
		dir.len = slash && slash > dir.ptr ? (size_t)(slash - dir.ptr) : 1;
		dir.ptr[dir.len] = '\0';
	}
	dg_buf_release(&dir);
	dg_buf_release(&p);
out:
	free(top);
	free(cwd);
	return found;
}

int dg_cli_load_config(struct dg_cli *cli, struct dg_config *cfg, const char *root)
{
	dg_config_release(cfg);
	dg_config_init(cfg);
	if (cli->config_path) {
		if (dg_config_load(cfg, cli->config_path, dg_rule_known) < 0)
			return -1;
		return dg_cli_apply_overrides(cli, cfg);
	}
	char *dir = find_config_dir(root);
	if (dir) {
		/* named as the user sees it: relative to the repository root */
		struct dg_buf shown = DG_BUF_INIT, p = DG_BUF_INIT;
		if (*dir)
			dg_buf_addf(&shown, "%s/", dir);
		dg_buf_adds(&shown, DG_CONFIG_FILE);
		if (root && *root && strcmp(root, "."))
			dg_buf_addf(&p, "%s/", root);
		dg_buf_adds(&p, shown.ptr);
		char *data;
		size_t len;
		int r = dg_read_file(p.ptr, &data, &len);
		if (!r) {
			r = dg_config_parse(cfg, shown.ptr, data, len, dg_rule_known);
			free(data);
		}
		if (!r)
			dg_config_rebase(cfg, dir);
		dg_buf_release(&shown);
		dg_buf_release(&p);
		free(dir);
		if (r < 0)
			return -1;
	}
	return dg_cli_apply_overrides(cli, cfg);
}

/* Notes are not findings: they go to stderr, the first few in full. */
static void print_notes(const struct dg_run *run)
{
	const size_t shown = 20;
	for (size_t i = 0; i < run->n_notes && i < shown; i++)
		fprintf(stderr, "ddlgate: %s\n", run->notes[i]);
	if (run->n_notes > shown)
		fprintf(stderr, "ddlgate: ... and %zu more notes like these\n", run->n_notes - shown);
}

void dg_cli_warn_unprotected(struct dg_repo *repo, const struct dg_config *cfg,
			     const char *const *rules, size_t n_rules)
{
	int on = 0;
	for (size_t i = 0; i < n_rules; i++) {
		const struct dg_rule *r = dg_rule_find(rules[i]);
		on |= r && dg_rule_level(r, cfg) != DG_OFF;
	}
	char **names;
	size_t n;
	if (!on || !cfg->n_protected || dg_repo_branch_names(repo, &names, &n) < 0) {
		dg_error_clear();
		return;
	}
	int matched = 0;
	for (size_t i = 0; i < n; i++) {
		matched |= dg_config_is_protected(cfg, names[i]);
		free(names[i]);
	}
	free(names);
	if (matched || !n)
		return;
	struct dg_buf list = DG_BUF_INIT;
	for (size_t i = 0; i < cfg->n_protected; i++)
		dg_buf_addf(&list, "%s%s", i ? ", " : "", cfg->protected_branches[i]);
	if (cfg->file)
		fprintf(stderr, "ddlgate: warning: %s: protected_branches [%s] names no branch of "
				"this repository, local or remote-tracking: nothing is protected\n",
			cfg->file, list.ptr);
	else
		fprintf(stderr, "ddlgate: warning: the default protected_branches [%s] names no "
				"branch of this repository, local or remote-tracking: nothing is "
				"protected (set protected_branches in %s)\n",
			list.ptr, DG_CONFIG_FILE);
	dg_buf_release(&list);
}

int dg_cli_finish(struct dg_cli *cli, struct dg_run *run, const char *footer)
{
	struct dg_report_opts o = { 0 };
	print_notes(run);
	dg_run_sort(run);
	o.color = cli->format == DG_OUT_TEXT && dg_report_want_color(stdout);
	o.footer = footer;
	o.width = cli->format == DG_OUT_TEXT ? dg_report_tty_width(stdout) : 0;
	dg_report_write(stdout, run, cli->format, &o);
	fflush(stdout);
	return dg_run_count(run, DG_ERROR) ? DG_EXIT_FINDINGS : DG_EXIT_OK;
}

/* The nearest directory upward from cwd holding `name`, malloc'd; NULL when none. */
static char *nearest_holding(const char *cwd, const char *name)
{
	struct dg_buf p = DG_BUF_INIT;
	size_t len = strlen(cwd);
	char *found = NULL;
	for (;;) {
		dg_buf_reset(&p);
		dg_buf_add(&p, cwd, len);
		dg_buf_addf(&p, "/%s", name);
		if (access(p.ptr, F_OK) == 0) {
			found = len ? dg_xstrndup(cwd, len) : dg_xstrdup("/");
			break;
		}
		if (len == 0)
			break; /* "/" itself was the last */
		while (len > 0 && cwd[len - 1] != '/')
			len--;
		if (len > 0)
			len--; /* drop the slash; 0 is "/" */
	}
	dg_buf_release(&p);
	return found;
}

char *dg_cli_repo_root(void)
{
	char *cwd = getcwd(NULL, 0);
	if (!cwd)
		return dg_xstrdup(".");
	/* outside a repository, the directory of the nearest config is the root */
	char *root = nearest_holding(cwd, ".git");
	if (!root)
		root = nearest_holding(cwd, DG_CONFIG_FILE);
	if (!root)
		return cwd;
	free(cwd);
	return root;
}

/* A directory's realpath, kept for the next path in it. */
struct kept_dir {
	char *dir, *abs;
};

/* The realpath of path's first len bytes ("/" when len is 0), by resolve, kept in k. */
static const char *kept_realpath(struct kept_dir *k, const char *path, size_t len,
				 char *(*resolve)(const char *))
{
	if (!k->dir || strlen(k->dir) != len || strncmp(k->dir, path, len)) {
		free(k->dir);
		free(k->abs);
		k->dir = dg_xstrndup(path, len);
		k->abs = resolve(len ? k->dir : "/");
	}
	return k->abs;
}

/* dir_abs (resolved) joined with slash, a "/name" (the root "/" is not doubled). */
static char *join_resolved(const char *dir_abs, const char *slash)
{
	size_t al = strlen(dir_abs);
	char *abs = dg_xmalloc(al + strlen(slash) + 1);
	memcpy(abs, dir_abs, al);
	strcpy(abs + (al > 1 ? al : 0), slash);
	return abs;
}

static char *plain_realpath(const char *path)
{
	return realpath(path, NULL);
}

/*
 * realpath() of a directory. The directories of a migration set's files
 * are mostly siblings (diesel: migrations/<version>/up.sql): the parent's
 * resolution is kept, and a child that is a plain directory (not a link,
 * not . or ..) is that plus its name, one lstat instead of a readlink of
 * every component.
 */
static char *dir_realpath(const char *dir)
{
	static struct kept_dir parent;
	const char *slash = strrchr(dir, '/');
	struct stat st;
	if (!slash || slash == dir || !slash[1] || !strcmp(slash + 1, ".") ||
	    !strcmp(slash + 1, "..") || lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return realpath(dir, NULL); /* the general case, and every error as realpath says */
	const char *parent_abs = kept_realpath(&parent, dir, (size_t)(slash - dir), plain_realpath);
	return parent_abs ? join_resolved(parent_abs, slash) : realpath(dir, NULL);
}

/*
 * realpath() of path: its directory's resolution (kept for the
 * directory's next file) joined with its file name (realpath walks every
 * component with a system call).
 */
static char *resolved_path(const char *path)
{
	static struct kept_dir dir;
	const char *slash = strrchr(path, '/');
	if (!slash || !slash[1] || !strcmp(slash + 1, ".") || !strcmp(slash + 1, ".."))
		return realpath(path, NULL);
	const char *dir_abs = kept_realpath(&dir, path, (size_t)(slash - path), dir_realpath);
	if (!dir_abs || access(path, F_OK) < 0)
		return NULL;
	return join_resolved(dir_abs, slash);
}

/*
 * The same, remembering the last file found: a linted file is resolved
 * several times in a row (is it under the root? its name to show). A file
 * not found is looked for again.
 */
static char *resolved(const char *path)
{
	static char *last, *last_abs;
	if (last && !strcmp(last, path))
		return dg_xstrdup(last_abs);
	char *abs = resolved_path(path);
	if (abs) {
		free(last);
		free(last_abs);
		last = dg_xstrdup(path);
		last_abs = dg_xstrdup(abs);
	}
	return abs;
}

/* abs's path below root (both resolved), or NULL when it is not inside root. */
static const char *below_root(const char *abs, const char *root)
{
	size_t l = strlen(root);
	return !strncmp(abs, root, l) && abs[l] == '/' ? abs + l + 1 : NULL;
}

int dg_cli_under_root(const char *root, const char *path)
{
	char *abs = resolved(path);
	int under = !abs || !root || root[0] != '/' || below_root(abs, root);
	free(abs);
	return under;
}

char *dg_cli_relative(const char *root, const char *path)
{
	char *abs = resolved(path);
	const char *rel = abs && root ? below_root(abs, root) : NULL;
	if (rel) {
		char *own = dg_xstrdup(rel);
		free(abs);
		return own;
	}
	free(abs);
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return dg_xstrdup(path);
}

enum dg_tx_mode dg_cli_tx_for(const struct dg_config *cfg, const char *relpath)
{
	for (size_t i = 0; i < cfg->n_sets; i++) {
		const struct dg_set_config *s = &cfg->sets[i];
		size_t l = strlen(s->path);
		int under = !strncmp(relpath, s->path, l) && relpath[l] == '/';
		if (!under) {
			/* a glob set path: match the file's directory part by part */
			const char *slash = strrchr(relpath, '/');
			if (slash) {
				char *dir = dg_xstrndup(relpath, (size_t)(slash - relpath));
				under = dg_glob_match(s->path, dir);
				free(dir);
			}
		}
		if (under)
			return s->transaction;
	}
	return DG_TX_AUTO;
}

int dg_cli_read_input(const char *root, const char *path, char **shown, char **data,
		      size_t *len)
{
	int stdin_input = !strcmp(path, "-");
	int r = stdin_input ? dg_read_stream(STDIN_FILENO, "<stdin>", data, len) :
			      dg_read_file(path, data, len);
	if (r < 0) {
		fprintf(stderr, "ddlgate: %s\n", dg_last_error());
		*shown = NULL;
		*data = NULL;
		return -1;
	}
	*shown = stdin_input ? dg_xstrdup("<stdin>") : dg_cli_relative(root, path);
	return 0;
}

/* Name order, numbers by value (V2 before V10): the order migrations replay in. */
static int cmp_migration_names(const void *a, const void *b)
{
	return dg_schema_path_cmp(*(char *const *)a, *(char *const *)b);
}

/* The directories being listed, for a symbolic link back into one of them (a loop). */
struct dir_stack {
	dev_t dev[65];
	ino_t ino[65];
	int n;
};

/* A directory that is a git work tree of its own: a submodule or a nested clone. */
static int is_nested_repo(const char *dir)
{
	struct dg_buf g = DG_BUF_INIT;
	struct stat st;
	dg_buf_addf(&g, "%s/.git", dir);
	int r = lstat(g.ptr, &st) == 0;
	dg_buf_release(&g);
	return r;
}

static int collect_dir(const char *root, const struct dg_config *cfg, const char *dir,
		       struct dir_stack *stack, char ***paths, size_t *n_paths, size_t *cap)
{
	DIR *d = opendir(dir);
	int errors = 0;
	struct stat dst;
	if (!d) {
		fprintf(stderr, "ddlgate: %s: cannot open directory: %s\n", dir, strerror(errno));
		return 1;
	}
	if (fstat(dirfd(d), &dst) == 0 && stack->n < 65) {
		stack->dev[stack->n] = dst.st_dev;
		stack->ino[stack->n] = dst.st_ino;
	}
	stack->n++;
	char **names = NULL;
	size_t n = 0, ncap = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			DG_PUSH(names, n, ncap, dg_xstrdup(de->d_name));
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_migration_names);
	for (size_t i = 0; i < n; i++) {
		struct dg_buf p = DG_BUF_INIT;
		struct stat st;
		dg_buf_addf(&p, "%s/%s", dir, names[i]);
		char *rel = dg_cli_relative(root, p.ptr);
		if (!dg_config_is_excluded(cfg, rel) && stat(p.ptr, &st) == 0) {
			int loop = 0;
			for (int k = 0; k < stack->n && k < 65 && S_ISDIR(st.st_mode); k++)
				loop |= stack->dev[k] == st.st_dev && stack->ino[k] == st.st_ino;
			if (S_ISDIR(st.st_mode) && (loop || is_nested_repo(p.ptr)))
				fprintf(stderr, "ddlgate: note: %s/ %s: not descended into\n", rel,
					loop ? "leads back into a directory being listed (a symbolic link loop)"
					     : "is another git repository (a submodule or a nested clone)");
			else if (S_ISDIR(st.st_mode) && stack->n < 64)
				errors += collect_dir(root, cfg, p.ptr, stack, paths, n_paths, cap);
			else if (S_ISREG(st.st_mode) && (dg_str_endswith(names[i], ".sql") ||
							   dg_str_endswith(names[i], ".py")))
				DG_PUSH(*paths, *n_paths, *cap, dg_buf_detach(&p));
		}
		free(rel);
		dg_buf_release(&p);
		free(names[i]);
	}
	free(names);
	stack->n--;
	return errors;
}

int dg_cli_sql_paths(const char *root, const struct dg_config *cfg, const char *arg,
		     char ***paths, size_t *n, size_t *cap)
{
	struct stat st;
	if (stat(arg, &st) < 0) {
		fprintf(stderr, "ddlgate: %s: %s\n", arg, strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dir_stack stack;
		memset(&stack, 0, sizeof(stack));
		return collect_dir(root, cfg, arg, &stack, paths, n, cap);
	}
	DG_PUSH(*paths, *n, *cap, dg_xstrdup(arg));
	return 0;
}

int dg_cli_open_tree(struct dg_cli_tree *t, const char *what, const char *rev, int worktree,
		     int head_by_default)
{
	int rev_defaulted = 0;
	memset(t, 0, sizeof(*t));
	if (rev && worktree)
		return dg_error("%s: --rev and --worktree exclude each other", what);
	if (!worktree && (rev || head_by_default)) {
		if (dg_repo_open(&t->repo) < 0) {
			if (rev)
				return -1;
			worktree = 1; /* not a git repository: the files are all there is */
		} else {
			const char *wd = dg_repo_workdir(t->repo);
			t->root = dg_xstrdup(wd ? wd : ".");
			if (!rev) {
				rev = "HEAD";
				rev_defaulted = 1;
			}
		}
	}
	if (!rev) {
		t->root = dg_cli_repo_root();
		return dg_source_fs_open(&t->src, t->root);
	}
	if (!strcmp(rev, ":index") || !strcmp(rev, ":0"))
		return dg_source_git_index(&t->src, t->repo);
	struct dg_oid oid;
	if (dg_repo_resolve(t->repo, rev, &oid) < 0) {
		if (rev_defaulted && dg_repo_head_unborn(t->repo))
			return dg_error("%s: HEAD has no commit yet; commit first, or read the files on disk with --worktree",
					what);
		return -1;
	}
	return dg_source_git_commit(&t->src, t->repo, &oid, rev);
}

void dg_cli_tree_release(struct dg_cli_tree *t)
{
	dg_source_free(t->src);
	dg_repo_free(t->repo);
	free(t->root);
	memset(t, 0, sizeof(*t));
}
