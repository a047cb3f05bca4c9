/*
 * ddlgate: keeps PostgreSQL schema migrations and protected git branches
 * safe. This file is only the dispatcher: every subcommand is one cmd_*()
 * listed once in the table below.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

/* Commands still being built link as NULL and say so instead of crashing. */
#pragma weak cmd_explain
#pragma weak cmd_check
#pragma weak cmd_pre_push
#pragma weak cmd_pre_commit
#pragma weak cmd_ci
#pragma weak cmd_install
#pragma weak cmd_schema
#pragma weak cmd_blockers

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *synopsis;
	const char *summary;
};

static const struct command commands[] = {
	{ "lint", cmd_lint, "lint [OPTIONS] [PATH...]",
	  "lint SQL / migration files or directories ('-' = SQL on stdin)" },
	{ "explain", cmd_explain, "explain [OPTIONS] [PATH...|-]",
	  "per-statement lock / rewrite / scan report" },
	{ "check", cmd_check, "check [OPTIONS] [--rev REV] [--list-sets] [--all]",
	  "whole-repository check at a commit: migration graphs + lint of every migration" },
	{ "pre-push", cmd_pre_push, "pre-push [OPTIONS] REMOTE URL",
	  "git pre-push hook (reads git's ref lines on stdin)" },
	{ "pre-commit", cmd_pre_commit, "pre-commit [OPTIONS]",
	  "git pre-commit hook (checks the staged index)" },
	{ "ci", cmd_ci, "ci [OPTIONS] --base REF [--head REF] [--config-from base|head]",
	  "pull-request check against the merge-base of REF and HEAD" },
	{ "install", cmd_install, "install [--pre-push] [--pre-commit] [--force] [--chain]",
	  "write hook shims into the repository's hooks directory" },
	{ "rules", cmd_rules, "rules [--format text|json]",
	  "list every rule: id, default severity, summary" },
	{ "schema", cmd_schema, "schema [OPTIONS] [--rev REV] [SET]",
	  "the schema replayed from a migration set's history" },
	{ "blockers", cmd_blockers, "blockers [--dsn DSN] [--application-name NAME]",
	  "what is blocking my migration, from pg_locks on a live server" },
};

static const char common_options[] =
	"common options:\n"
	"  --config FILE           read FILE instead of .ddlgate.yml at the repository root\n"
	"  --format FORMAT         text (default), json, sarif or github\n"
	"  --pg-version N          target PostgreSQL major version, 10..17 (default: config, else 15)\n"
	"  --rule ID=LEVEL         set a rule to error, warning or off (repeatable)\n"
	"\n"
	"exit status: 0 nothing at error severity, 1 error findings, 2 usage/config/I/O error\n";

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
	fprintf(out, "usage: ddlgate %s\n\n%s\n\n%s", c->synopsis, c->summary, common_options);
	fprintf(out, "\nSee `man ddlgate` for details.\n");
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: ddlgate COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < DG_ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "  %-11s %s\n", "help", "help COMMAND: the options of one command");
	fprintf(out, "\n%s", common_options);
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
	if (!c->fn)
		return dg_cli_fail("'%s' is not available in this build", name);
	return c->fn(argc - 1, argv + 1);
}
