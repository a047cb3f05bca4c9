/*
 * The command line: one cmd_<name>() per subcommand, listed once in
 * main.c's table. Shared option handling lives in cmd_common.c.
 */
#ifndef DG_CMD_H
#define DG_CMD_H

#include "config/config.h"
#include "core/finding.h"
#include "report/report.h"

/* Exit status: part of the interface. */
#define DG_EXIT_OK 0
#define DG_EXIT_FINDINGS 1
#define DG_EXIT_ERROR 2

/* Options every command that reports findings accepts. */
struct dg_cli {
	const char *config_path;   /* --config FILE */
	enum dg_out_format format; /* --format */
	int pg_version;            /* --pg-version N; 0 = from config */
	char **rules;              /* --rule ID=LEVEL, in order */
	size_t n_rules;
	int color;                 /* decided from the output stream */
};

void dg_cli_init(struct dg_cli *cli);
void dg_cli_release(struct dg_cli *cli);
/*
 * If argv[*i] is a common option, consume it (and its value) and return 1;
 * return 0 when it is not one; -1 (message set) when it is malformed.
 */
int dg_cli_option(struct dg_cli *cli, int argc, char **argv, int *i);
/*
 * "--opt VALUE" or "--opt=VALUE" at argv[*i]: 1 with *out set (and *i
 * advanced past a separate value), 0 when argv[*i] is another option,
 * -1 with the message set when the value is missing or empty.
 */
int dg_cli_value(const char *opt, int argc, char **argv, int *i, const char **out);
/*
 * A command line of options and PATH arguments: "--" ends the options, the
 * common options go to cli, `own` (NULL: none) reads the command's own
 * (1 consumed, 0 not one of them, -1 with the message set), any other
 * "-x" is an unknown option of command `what`. The rest are appended to
 * *paths (a malloc'd array of argv's strings; free it), or are an error
 * when paths is NULL (a command without arguments). Returns 0, or
 * DG_EXIT_ERROR with the message printed.
 */
int dg_cli_parse_paths(struct dg_cli *cli, int argc, char **argv, const char *what,
		       int (*own)(void *cookie, int argc, char **argv, int *i), void *cookie,
		       const char ***paths, size_t *n_paths);

/* A command's own options for dg_cli_parse_paths: flags and options with a value. */
struct dg_cli_flag {
	const char *name;          /* "--all" */
	int *out;                  /* set to 1 when given */
};
struct dg_cli_valopt {
	const char *name;          /* "--rev" */
	const char **out;
	const char *hint;          /* said when the value is missing: "a commit, or :index" */
};
struct dg_cli_own {
	const struct dg_cli_flag *flags;     /* ended by a NULL name; may be NULL */
	const struct dg_cli_valopt *values;  /* likewise */
};
/* The `own` callback of dg_cli_parse_paths for a struct dg_cli_own cookie. */
int dg_cli_own_options(void *cookie, int argc, char **argv, int *i);
/*
 * Read the config: --config FILE when given, else the nearest .ddlgate.yml
 * from cwd up to root (a file below root has its paths taken relative to
 * its own directory), else defaults; then apply --rule and --pg-version.
 * cfg must be initialised or zeroed; its old contents are released.
 */
int dg_cli_load_config(struct dg_cli *cli, struct dg_config *cfg, const char *root);
/* Apply --rule / --pg-version on top of an already loaded config. */
int dg_cli_apply_overrides(struct dg_cli *cli, struct dg_config *cfg);
/* Print the run in the chosen format; returns the exit status for it. */
int dg_cli_finish(struct dg_cli *cli, struct dg_run *run, const char *footer);
/* "ddlgate: <message>" on stderr; returns DG_EXIT_ERROR. */
int dg_cli_fail(const char *fmt, ...) DG_PRINTF(1, 2);
/* Does argv[i] ask for help (-h, --help)? */
int dg_cli_is_help(const char *arg);
/* Print the usage of one command (from the help table in main.c). */
int dg_cli_usage(const char *command, FILE *out);

/*
 * Is path inside root (after resolving it)? Also 1 when that cannot be
 * told (a path that does not resolve): the caller then does the full work.
 */
int dg_cli_under_root(const char *root, const char *path);

/*
 * The work-tree root: the nearest directory upward from cwd holding .git;
 * outside a repository the nearest one holding .ddlgate.yml (up to /);
 * else cwd. Malloc'd, absolute.
 */
char *dg_cli_repo_root(void);
/* path as seen from root when it lies under it, else path itself (malloc'd). */
char *dg_cli_relative(const char *root, const char *path);
/* The transaction mode of the configured set a path falls in (DG_TX_AUTO if none). */
enum dg_tx_mode dg_cli_tx_for(const struct dg_config *cfg, const char *relpath);

/*
 * The migration files one command-line argument names: the file itself,
 * or every *.sql and *.py below a directory in migration order (V2 before
 * V10), skipping paths the config excludes. Appends malloc'd paths to
 * (*paths, *n, *cap); returns how many I/O errors it printed. "-" (stdin)
 * is the caller's. A .py found below a directory is the caller's to keep
 * only when it is a migration (dg_cli_python_*).
 */
int dg_cli_sql_paths(const char *root, const struct dg_config *cfg, const char *arg,
		     char ***paths, size_t *n, size_t *cap);

/*
 * Read one input named on the command line: "-" is stdin (shown as
 * "<stdin>"), anything else a file shown relative to root. On failure the
 * message is printed ("ddlgate: ...") and -1 returned. *shown and *data
 * are malloc'd.
 */
int dg_cli_read_input(const char *root, const char *path, char **shown, char **data,
		      size_t *len);

struct dg_repo;
struct dg_source;
struct dg_set;
struct dg_migration;
struct dg_schema_history;
struct dg_sql_file;
struct dg_cli_python_hist;
struct by_path;

/* The Python migration sets of the work tree, for lint / explain of .py files. */
struct dg_cli_python {
	struct dg_arena *a;
	const char *root;
	struct dg_source *src;
	struct dg_set **sets;
	size_t n_sets;
	struct dg_cli_python_hist **hists; /* one history per set read so far (one for Django) */
	size_t n_hists, cap_hists;
	struct by_path *by_path;   /* every migration of the sets, by path */
	size_t n_by_path;
	struct dg_run found;       /* what discovery could not read (migration-unreadable) */
};

/* One migration found: its set's history, its place there (for sorting), its SQL. */
struct dg_cli_python_file {
	struct dg_schema_history *hist;
	size_t pos;                /* dg_schema_history_place() */
	const struct dg_migration *m;
	struct dg_sql_file *file;  /* as the history read it; NULL: not replayed (a down script) */
	int parsed;                /* file was parsed in full (else its facts came from the cache) */
	/* a migration of a set that ddlgate cannot read (file NULL): the finding that says why */
	const struct dg_finding *unreadable;
};

/* Discover the sets under root (quietly). -1 with the message set. */
int dg_cli_python_open(struct dg_cli_python *p, struct dg_arena *a, const char *root,
		       const struct dg_config *cfg);
void dg_cli_python_close(struct dg_cli_python *p);
/*
 * The migration at path (as named on the command line): 0 and *out set
 * (out->unreadable instead of out->file for a file of a set that cannot
 * be read); 1 when it is not one and not explicit (a .py found in a directory walk:
 * skip it); -1 with the message set when it is not one and was named
 * explicitly ("says what it expected"), or cannot be read.
 */
int dg_cli_python_find(struct dg_cli_python *p, const char *path, int explicit,
		       struct dg_cli_python_file *out);

/*
 * The SQL migration at path when it is one of an SQL set of p: 0 and *out
 * set (with the set's history built); 1 when it is not (a file outside any
 * set); -1 with the message set when the history cannot be read.
 */
int dg_cli_sql_find(struct dg_cli_python *p, const char *path, struct dg_cli_python_file *out);

/*
 * One line on stderr when protected_branches matches no branch the
 * repository knows (locally or remote-tracking): then nothing is protected,
 * usually a typo or a default (main, master) that does not fit. Only when
 * one of `rules` (the branch rules this hook runs) is on.
 */
void dg_cli_warn_unprotected(struct dg_repo *repo, const struct dg_config *cfg,
			     const char *const *rules, size_t n_rules);

/* The tree a command reads: a commit, the index or the files on disk. */
struct dg_cli_tree {
	struct dg_repo *repo;      /* NULL on the work tree outside git */
	struct dg_source *src;
	char *root;                /* work-tree root, for the config file */
};

/*
 * Open the tree named by rev (a commit, or ":index"), or the files on disk
 * with worktree. With neither, read HEAD when head_by_default and cwd is in
 * a git repository, else the files on disk. `what` names the command in
 * messages. -1 with the message set; release the tree either way.
 */
int dg_cli_open_tree(struct dg_cli_tree *t, const char *what, const char *rev, int worktree,
		     int head_by_default);
void dg_cli_tree_release(struct dg_cli_tree *t);

int cmd_lint(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_pre_push(int argc, char **argv);
int cmd_pre_commit(int argc, char **argv);
int cmd_ci(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_blockers(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
