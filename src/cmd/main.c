/*
 * ddlgate: keeps PostgreSQL schema migrations and protected git branches
 * safe. This file is only the dispatcher: every subcommand is one cmd_*()
 * listed once in the table below.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *synopsis;
	const char *summary;
	const char *help;          /* what it does, its own options; printed by `help NAME` */
	int common;                /* takes the common options (--config, --format, ...) */
};

static const struct command commands[] = {
	{ "lint", cmd_lint, "lint [OPTIONS] [PATH...]",
	  "lint SQL / migration files or directories ('-' = SQL on stdin)",
	  "Parses each file with PostgreSQL's own grammar and runs every statement rule.\n"
	  "Directories are walked for *.sql; with no PATH, the current directory.\n"
	  "Files in a configured migration set get that set's transaction mode.\n"
	  "\n"
	  "arguments:\n"
	  "  PATH                    a file, a directory, or '-' for SQL on stdin\n"
	  "  --                      every later argument is a PATH\n",
	  1 },
	{ "explain", cmd_explain, "explain [OPTIONS] PATH...|-",
	  "per-statement lock / rewrite / scan report",
	  "For every statement: the locks it takes (PostgreSQL's names, as pg_locks shows\n"
	  "them) and what they block, the tables it rewrites or scans, and whether it\n"
	  "runs inside a transaction block. --format text or json.\n"
	  "\n"
	  "arguments:\n"
	  "  PATH                    a file, a directory, or '-' for SQL on stdin\n"
	  "  --                      every later argument is a PATH\n",
	  1 },
	{ "check", cmd_check, "check [OPTIONS] [--rev REV | --worktree] [--list-sets] [--all]",
	  "whole-repository check at a commit (default HEAD): migration graphs + lint of every migration",
	  "Discovers every migration set (from .ddlgate.yml, else auto-detected), runs the\n"
	  "graph rules (multiple heads, duplicate versions, missing parents) on each and\n"
	  "lints every migration, as committed at HEAD unless told otherwise.\n"
	  "\n"
	  "options:\n"
	  "  --rev REV               check the commit REV (any revision git takes, default\n"
	  "                          HEAD), or ':index' for the staged index\n"
	  "  --worktree              check the files on disk, uncommitted changes included\n"
	  "                          (what a directory outside any git repository gets)\n"
	  "  --list-sets             print the migration sets found and why\n"
	  "  --all                   report old findings too\n",
	  1 },
	{ "pre-push", cmd_pre_push, "pre-push [OPTIONS] [--all] REMOTE URL",
	  "git pre-push hook (reads git's ref lines on stdin)",
	  "Run by git before a push (install it with `ddlgate install`). For every pushed\n"
	  "ref: the protected-branch rules (push onto, delete, force-push a protected\n"
	  "branch) and the migration checks on what the pushed commits change, compared\n"
	  "with the remote branch. A branch that is not protected is also merged, in\n"
	  "memory, with each protected branch's remote-tracking ref (no fetch): what the\n"
	  "merge would break is a migration-merge-preview warning. Exit 1 blocks the\n"
	  "push; `git push --no-verify` skips it.\n"
	  "Under the pre-commit framework it reads the PRE_COMMIT_* variables instead.\n"
	  "\n"
	  "arguments:\n"
	  "  REMOTE URL              the remote's name and URL, as git passes them\n"
	  "\n"
	  "options:\n"
	  "  --all                   judge the older migrations too for missing-fk-index\n"
	  "                          (by default only foreign keys the new ones touch)\n",
	  1 },
	{ "pre-commit", cmd_pre_commit, "pre-commit [OPTIONS] [--all]",
	  "git pre-commit hook (checks the staged index)",
	  "Run by git before a commit (install it with `ddlgate install`). Lints the staged\n"
	  "migrations (the index git is about to commit, never the work tree), runs the\n"
	  "graph rules, and protected-branch-commit (off by default). Exit 1 blocks the\n"
	  "commit; `git commit --no-verify` skips it.\n"
	  "\n"
	  "options:\n"
	  "  --all                   judge the older migrations too for missing-fk-index\n"
	  "                          (by default only foreign keys the new ones touch)\n",
	  1 },
	{ "ci", cmd_ci, "ci [OPTIONS] --base REF [--head REF] [--config-from base|head] [--all]",
	  "pull-request check: the merge of HEAD into REF, computed in memory",
	  "Lints only the migrations added or changed between merge-base(REF, head) and\n"
	  "head, runs the graph rules on the merge of head into REF (computed in memory,\n"
	  "nothing written; a migration that does not merge cleanly is\n"
	  "migration-merge-conflict), and migration-modified / migration-out-of-order\n"
	  "against REF's tree. Reads git objects only: the work tree does not matter. In\n"
	  "a shallow clone without the merge-base it stops with exit 2: fetch the full\n"
	  "history (actions/checkout `fetch-depth: 0`).\n"
	  "\n"
	  "options:\n"
	  "  --base REF              the branch the pull request goes into (origin/main)\n"
	  "  --head REF              the pull request's commit (default HEAD)\n"
	  "  --config-from base|head read .ddlgate.yml from the base commit or from head\n"
	  "                          (default head); with base a pull request cannot\n"
	  "                          loosen its own rules\n"
	  "  --all                   judge the older migrations too for missing-fk-index\n"
	  "\n"
	  "On GitHub: --format github annotates the diff, --format sarif feeds code scanning.\n",
	  1 },
	{ "install", cmd_install, "install [--pre-push] [--pre-commit] [--force] [--chain]",
	  "write hook shims into the repository's hooks directory",
	  "Writes small shell hooks that run `ddlgate pre-push` / `ddlgate pre-commit` into\n"
	  "the hooks directory git uses (core.hooksPath is honoured). Installing twice is\n"
	  "a no-op; a hook that is not ddlgate's is never silently overwritten.\n"
	  "\n"
	  "options:\n"
	  "  --pre-push              install the pre-push hook\n"
	  "  --pre-commit            install the pre-commit hook (neither flag: both)\n"
	  "  --force                 replace a hook that is not ddlgate's\n"
	  "  --chain                 keep such a hook as <hook>.pre-ddlgate and run it first\n",
	  0 },
	{ "rules", cmd_rules, "rules [--format text|json]",
	  "list every rule: id, default severity, summary",
	  "options:\n"
	  "  --format text|json      a table (default) or JSON with the descriptions\n",
	  0 },
	{ "schema", cmd_schema, "schema [OPTIONS] [--rev REV] [SET]",
	  "the schema replayed from a migration set's history",
	  "Replays a migration set's DDL in order and prints the tables, columns, indexes\n"
	  "and constraints it leaves behind (--format text or json).\n"
	  "\n"
	  "options:\n"
	  "  --rev REV               replay the set as committed at REV (':index' = the\n"
	  "                          staged index) instead of the work tree\n"
	  "  SET                     the set's directory, when there is more than one\n",
	  1 },
	{ "blockers", cmd_blockers, "blockers [--dsn DSN] [--application-name NAME] [--format text|json]",
	  "what is blocking my migration, from pg_locks on a live server",
	  "Connects to a live server (libpq: DSN, else the PG* variables) and shows, from\n"
	  "pg_locks and pg_stat_activity, every session waiting for a lock and the\n"
	  "sessions blocking it: their state (idle in transaction, active), how long,\n"
	  "their query, and the way out (pg_terminate_backend / pg_cancel_backend).\n"
	  "\n"
	  "options:\n"
	  "  --dsn DSN               connection string (default: PG* environment)\n"
	  "  --application-name NAME only the waits of sessions with this application_name\n"
	  "  --format text|json      a report (default) or JSON\n"
	  "\n"
	  "exit status: 0 nobody waits, 1 a session waits for a lock, 2 cannot ask the server\n",
	  0 },
};

static const char common_options[] =
	"common options:\n"
	"  --config FILE           read FILE instead of .ddlgate.yml at the repository root\n"
	"  --format FORMAT         text (default), json, sarif or github\n"
	"  --pg-version N          target PostgreSQL major version, 10..17 (default: config, else 15)\n"
	"  --rule ID=LEVEL         set a rule to error, warning or off (repeatable)\n";

static const char exit_status[] =
	"exit status: 0 nothing at error severity, 1 error findings, 2 usage/config/I/O error\n";
static const char exit_status_plain[] =
	"exit status: 0 done, 2 usage, config or I/O error\n";

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < DG_ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int dg_cli_usage(const char *name, FILE *out)
{
	const struct command *c = find_command(name);
	if (!c)
		return -1;
	fprintf(out, "usage: ddlgate %s\n\n%s\n\n%s", c->synopsis, c->summary, c->help);
	if (c->common)
		fprintf(out, "\n%s", common_options);
	/* a command with an exit status of its own says so in its help */
	if (!strstr(c->help, "exit status:"))
		fprintf(out, "\n%s", c->common ? exit_status : exit_status_plain);
	fprintf(out, "\nSee `man ddlgate` for details.\n");
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: ddlgate COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < DG_ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "  %-11s %s\n", "help", "help COMMAND: what one command does and its options");
	fprintf(out, "\n%s\n%s", common_options, exit_status);
	fprintf(out, "\n`ddlgate help COMMAND` or `ddlgate COMMAND --help` for one command;\n"
		     "`man ddlgate` for everything.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return DG_EXIT_ERROR;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("ddlgate %s\n", DG_VERSION);
		return DG_EXIT_OK;
	}
	if (dg_cli_is_help(name)) {
		usage(stdout);
		return DG_EXIT_OK;
	}
	if (!strcmp(name, "help")) {
		if (argc < 3) {
			usage(stdout);
			return DG_EXIT_OK;
		}
		if (dg_cli_usage(argv[2], stdout) < 0)
			return dg_cli_fail("unknown command '%s' (see `ddlgate --help`)", argv[2]);
		return DG_EXIT_OK;
	}
	const struct command *c = find_command(name);
	if (!c)
		return dg_cli_fail("unknown command '%s' (see `ddlgate --help`)", name);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (dg_cli_is_help(argv[i])) {
			dg_cli_usage(name, stdout);
			return DG_EXIT_OK;
		}
	}
	return c->fn(argc - 1, argv + 1);
}
