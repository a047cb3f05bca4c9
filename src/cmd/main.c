/*
 * ddlgate: keeps PostgreSQL schema migrations and protected git branches
 * safe. This file is only the dispatcher: every subcommand is one cmd_*()
 * listed once in the table below.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/watchdog.h"
#include "rules/rule.h"
#include "sql/sql.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *synopsis;
	const char *summary;
	const char *help;          /* what it does, its own options; printed by `help NAME` */
	int common;                /* takes the common options (--config, --format, ...) */
	const char *formats;       /* the --format values it accepts, for its help (common only) */
};

#define ALL_FORMATS "text (default), json, sarif or github"
#define TEXT_JSON "text (default) or json"


static const struct command commands[] = {
	{ "lint", cmd_lint, "lint [OPTIONS] [PATH...]",
	  "lint SQL / migration files or directories ('-' = SQL on stdin)",
	  "Parses each file with PostgreSQL's own grammar and runs every statement rule.\n"
	  "Directories are walked for *.sql, and for *.py migrations of Django and\n"
	  "Alembic sets (read, never run: linted as the SQL their framework runs);\n"
	  "with no PATH, the current directory.\n"
	  "Files in a configured migration set get that set's transaction mode.\n"
	  "\n"
	  "arguments:\n"
	  "  PATH                    a file, a directory, or '-' for SQL on stdin\n"
	  "  --                      every later argument is a PATH\n",
	  1, ALL_FORMATS },
	{ "explain", cmd_explain, "explain [OPTIONS] PATH...|-",
	  "per-statement lock / rewrite / scan report",
	  "For every statement: the locks it takes (PostgreSQL's names, as pg_locks shows\n"
	  "them) and what they block, the tables it rewrites or scans, and whether it\n"
	  "runs inside a transaction block. --format text or json.\n"
	  "\n"
	  "arguments:\n"
	  "  PATH                    a file, a directory, or '-' for SQL on stdin\n"
	  "  --                      every later argument is a PATH\n",
	  1, TEXT_JSON },
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
	  "  --list-sets             print the migration sets found and why, then stop\n"
	  "                          (nothing is linted; exit 0)\n"
	  "  --all                   report old findings too\n",
	  1, ALL_FORMATS },
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
	  1, ALL_FORMATS },
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
	  1, ALL_FORMATS },
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
	  1, ALL_FORMATS },
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
	  0, NULL },
	{ "rules", cmd_rules, "rules [--format text|json]",
	  "list every rule: id, default severity, summary",
	  "options:\n"
	  "  --format text|json      a table (default) or JSON with the descriptions\n",
	  0, NULL },
	{ "schema", cmd_schema, "schema [OPTIONS] [--rev REV] [SET]",
	  "the schema replayed from a migration set's history",
	  "Replays a migration set's DDL in order and prints the tables, columns, indexes\n"
	  "and constraints it leaves behind (--format text or json).\n"
	  "\n"
	  "options:\n"
	  "  --rev REV               replay the set as committed at REV (':index' = the\n"
	  "                          staged index) instead of the work tree\n"
	  "  SET                     the set's directory, when there is more than one\n",
	  1, TEXT_JSON },
	{ "blockers", cmd_blockers,
	  "blockers [--dsn DSN] [--application-name NAME] [--watch SECONDS [--count N]] [--format text|json]",
	  "what is blocking my migration, from pg_locks on a live server",
	  "Connects to a live server (libpq: DSN, else the PG* variables) and shows, from\n"
	  "pg_locks and pg_stat_activity, every session waiting for a lock and the chain of\n"
	  "sessions in its way up to the head of the queue: their state (idle in\n"
	  "transaction, active), how long, their query, where they connect from\n"
	  "(address:port), how many sessions queue behind the waiter, and the way out\n"
	  "(pg_terminate_backend / pg_cancel_backend). Read-only.\n"
	  "\n"
	  "options:\n"
	  "  --dsn DSN               connection string (default: PG* environment)\n"
	  "  --application-name NAME only the waits of sessions with this application_name\n"
	  "  --watch SECONDS         refresh every SECONDS until Ctrl-C (which exits 0):\n"
	  "                          redrawn in place on a terminal, else one report (one\n"
	  "                          JSON document per line) per refresh\n"
	  "  --count N               with --watch: stop after N refreshes\n"
	  "  --format text|json      a report (default) or JSON\n"
	  "\n"
	  "exit status: 0 nobody waits, 1 a session waits for a lock, 2 cannot ask the server\n"
	  "(--watch: 0 on Ctrl-C; after --count N, the status of the last refresh)\n",
	  0, NULL },
	{ "trace", cmd_trace,
	  "trace --dsn DSN [--with-history] [--strict] [--lock-timeout T] [--statement-timeout T] [--format text|json] FILE...",
	  "run migrations in a transaction that is always rolled back; report the locks PostgreSQL took",
	  "Runs each statement of FILE (a file, a directory of *.sql, or '-') on a real\n"
	  "server inside one transaction that is rolled back at the end, never committed.\n"
	  "After each statement a second connection reads the locks the migration's\n"
	  "backend holds (pg_locks, named, not oids), and pg_class.relfilenode before and\n"
	  "after shows what was rewritten. The report is explain's, measured: every place\n"
	  "where the static model and the server disagree is flagged. Statements that\n"
	  "cannot run in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...) are\n"
	  "reported as not traced, with the static claim; BEGIN/COMMIT are skipped.\n"
	  "\n"
	  "options:\n"
	  "  --dsn DSN               the server (required: no PG* environment fallback, and\n"
	  "                          the PG* variables naming a server are ignored)\n"
	  "  --with-history          apply the set's earlier migrations first, in the same\n"
	  "                          rolled-back transaction\n"
	  "  --strict                exit 1 when the model and the server disagree\n"
	  "  --lock-timeout T        lock_timeout of the traced transaction (default 2s):\n"
	  "                          the trace never queues behind production traffic\n"
	  "  --statement-timeout T   statement_timeout (default 60s); T: 500ms, 2s, 1min\n"
	  "  --format text|json      a report (default) or JSON (explain's, plus measured fields)\n"
	  "\n"
	  "exit status: 0 traced, 1 a disagreement under --strict, 2 usage, connection,\n"
	  "syntax error, or a statement the server rejected (the trace stops there)\n",
	  1, TEXT_JSON },
	{ "audit", cmd_audit, "audit [OPTIONS] [--dsn DSN] [--rev REV] [--set DIR]",
	  "live schema: unindexed FKs, unused and invalid indexes, drift from the migrations",
	  "Reads a live database's catalog (read-only, no lock on any table) and reports,\n"
	  "with the same findings as lint: foreign keys without an index (missing-fk-index),\n"
	  "indexes no query used since the statistics were reset (unused-index), indexes a\n"
	  "failed CREATE INDEX CONCURRENTLY left invalid (invalid-index), and, inside a\n"
	  "repository with migration sets (SQL, Django, Alembic), every table, column,\n"
	  "index and constraint that differs between the database and the migrations\n"
	  "(schema-drift).\n"
	  "\n"
	  "options:\n"
	  "  --dsn DSN               connection string (default: PG* environment)\n"
	  "  --rev REV               compare with the migrations as committed at REV\n"
	  "                          (default: the files on disk)\n"
	  "  --set DIR               compare with this migration set only\n"
	  "\n"
	  "exit status: 0 nothing at error severity, 1 error findings, 2 usage, config,\n"
	  "connection or permission error (libpq's message, one line)\n",
	  1, ALL_FORMATS },
	{ "help", NULL, "help [COMMAND]",
	  "what one command does and its options",
	  "Without COMMAND: every command and the common options (as `ddlgate --help`).\n"
	  "With COMMAND: what it does, its arguments and options, the formats it writes\n"
	  "(as `ddlgate COMMAND --help`). `man ddlgate` has everything.\n",
	  0, NULL },
};

/* The common options; the --format line is the command's own list. */
static void print_common_options(FILE *out, const char *formats)
{
	fprintf(out, "common options:\n"
		     "  --config FILE           read FILE instead of the nearest .ddlgate.yml\n"
		     "  --format FORMAT         %s\n"
		     "  --pg-version N          target PostgreSQL major version, 10..18 (default: config, else 17)\n"
		     "  --rule ID=LEVEL         set a rule to error, warning or off (repeatable)\n",
		formats ? formats : ALL_FORMATS);
}

static const char exit_status[] =
	"exit status: 0 nothing at error severity, 1 error findings, 2 usage/config/I/O error\n";
static const char exit_status_plain[] =
	"exit status: 0 done, 2 usage, config or I/O error\n";

/* Commands that read git objects run under the watchdog (timeout_seconds). */
static int reads_git(const char *name)
{
	static const char *const readers[] = { "check", "pre-push", "pre-commit", "ci",
					       "schema", "install" };
	for (size_t i = 0; i < DG_ARRAY_SIZE(readers); i++)
		if (!strcmp(readers[i], name))
			return 1;
	return 0;
}

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
	if (c->common) {
		fputc('\n', out);
		print_common_options(out, c->formats);
	}
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
	fputc('\n', out);
	print_common_options(out, ALL_FORMATS " (explain, schema: text or json)");
	fprintf(out, "\n%s", exit_status);
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
	dg_config_set_rule_suggest(dg_rule_suggest);
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("ddlgate %s (PostgreSQL %d grammar)\n", DG_VERSION, dg_sql_grammar_version());
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
		if (dg_cli_is_help(argv[2]))
			argv[2] = "help";
		if (dg_cli_usage(argv[2], stdout) < 0)
			return dg_cli_fail("unknown command '%s' (see `ddlgate --help`)", argv[2]);
		return DG_EXIT_OK;
	}
	const struct command *c = find_command(name);
	if (!c || !c->fn)
		return dg_cli_fail("unknown command '%s' (see `ddlgate --help`)", name);
	if (reads_git(name))
		dg_watchdog_arm(DG_TIMEOUT_DEFAULT); /* the config's timeout_seconds replaces it */
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
