/* config/config.c: every key, wrong types, unknown keys and rule ids, bad YAML, globs. */
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "tap.h"

static int known(const char *id)
{
	return !strcmp(id, "lock-table") || !strcmp(id, "prefer-bigint") ||
	       !strcmp(id, "protected-branch-push") || !strcmp(id, "ban-drop-column");
}

static struct dg_config cfg;

static int parse(const char *yaml)
{
	dg_error_clear();
	return dg_config_parse(&cfg, ".ddlgate.yml", yaml, strlen(yaml), known);
}

/* The YAML must be rejected with exactly this "file:line:col: ..." prefix. */
static void rejects(const char *yaml, const char *where, const char *what, const char *desc)
{
	int r = parse(yaml);
	const char *msg = dg_last_error();
	ok(r < 0, "rejected: %s", desc);
	ok(!strncmp(msg, where, strlen(where)), "  at %s (got: %s)", where, msg);
	if (what)
		ok(strstr(msg, what) != NULL, "  says '%s' (got: %s)", what, msg);
	is_int(cfg.pg_version, DG_PG_VERSION_DEFAULT, "  config left at the defaults");
}

static void test_defaults(void)
{
	dg_config_init(&cfg);
	is_int(cfg.pg_version, 17, "default target version");
	is_int(cfg.n_protected, 2, "default protected branches");
	ok(dg_config_is_protected(&cfg, "main") && dg_config_is_protected(&cfg, "master"),
	   "main and master protected by default");
	ok(!dg_config_is_protected(&cfg, "mainline"), "a prefix is not a match");
	is_int(parse(""), 0, "empty file is fine");
	is_int(cfg.pg_version, 17, "empty file: defaults");
	is_int(parse("# only a comment\n"), 0, "comment-only file is fine");
	is_int(parse("~\n"), 0, "a null document is fine");
	is_int(parse("---\n{}\n"), 0, "an empty mapping is fine");
	ok(cfg.file && !strcmp(cfg.file, ".ddlgate.yml"), "file name kept");
}

static void test_every_key(void)
{
	const char *yaml =
		"postgres_version: 12\n"
		"protected_branches: [main, \"release/*\"]\n"
		"branch_rules:\n"
		"  protected-branch-push: warning\n"
		"migrations:\n"
		"  - path: ./db/migrations/\n"
		"    format: sql\n"
		"    naming: flyway\n"
		"    transaction: no\n"
		"  - path: \"*/migrations\"\n"
		"    format: django\n"
		"    app_label: shop\n"
		"  - {path: alembic/versions, format: alembic, transaction: yes}\n"
		"  - {path: x, format: sql, transaction: auto}\n"
		"rules:\n"
		"  prefer-bigint: error\n"
		"  lock-table: off\n"
		"  ban-drop-column: warning\n"
		"exclude: [\"db/legacy/**\", vendor]\n";
	if (!is_int(parse(yaml), 0, "a config with every key parses"))
		printf("# %s\n", dg_last_error());
	is_int(cfg.pg_version, 12, "postgres_version");
	is_int(cfg.n_protected, 2, "protected_branches replaces the default");
	ok(dg_config_is_protected(&cfg, "release/1.2"), "release/* matches release/1.2");
	ok(!dg_config_is_protected(&cfg, "release/1/hotfix"), "release/* stops at '/'");
	ok(!dg_config_is_protected(&cfg, "master"), "master no longer protected");
	is_int(dg_config_level(&cfg, "protected-branch-push", DG_ERROR), DG_WARNING, "branch_rules level");
	is_int(dg_config_level(&cfg, "prefer-bigint", DG_WARNING), DG_ERROR, "rules: error");
	is_int(dg_config_level(&cfg, "lock-table", DG_ERROR), DG_OFF, "rules: off (YAML 1.1 boolean spelling is a string here)");
	is_int(dg_config_level(&cfg, "ban-drop-column", DG_ERROR), DG_WARNING, "rules: warning");
	is_int(dg_config_level(&cfg, "no-such", DG_ERROR), DG_ERROR, "unconfigured: the default");
	is_int(cfg.n_sets, 4, "four migration sets");
	if (cfg.n_sets == 4) {
		is_str(cfg.sets[0].path, "db/migrations", "set path normalised (./ and trailing /)");
		is_int(cfg.sets[0].format, DG_FORMAT_SQL, "format sql");
		is_str(cfg.sets[0].naming, "flyway", "naming");
		is_int(cfg.sets[0].transaction, DG_TX_NO, "transaction: no");
		is_int(cfg.sets[0].line, 6, "set line");
		is_str(cfg.sets[1].path, "*/migrations", "glob set path");
		is_int(cfg.sets[1].format, DG_FORMAT_DJANGO, "format django");
		is_str(cfg.sets[1].app_label, "shop", "app_label");
		is_int(cfg.sets[1].transaction, DG_TX_AUTO, "transaction defaults to auto");
		is_int(cfg.sets[2].format, DG_FORMAT_ALEMBIC, "format alembic (flow mapping)");
		is_int(cfg.sets[2].transaction, DG_TX_YES, "transaction: yes");
		is_str(cfg.sets[3].naming, "auto", "naming defaults to auto");
	}
	is_int(cfg.n_exclude, 2, "exclude");
	ok(dg_config_is_excluded(&cfg, "db/legacy/a/b/V1__x.sql"), "db/legacy/** excludes nested files");
	ok(dg_config_is_excluded(&cfg, "vendor/x.sql"), "a directory name excludes what is under it");
	ok(!dg_config_is_excluded(&cfg, "vendored/x.sql"), "... but not a longer name");
	ok(!dg_config_is_excluded(&cfg, "db/migrations/V1__x.sql"), "others are not excluded");

	is_int(parse("protected_branches: trunk\nexclude: \"**/*.gen.sql\"\n"), 0,
	       "a single string is a list of one");
	ok(cfg.n_protected == 1 && dg_config_is_protected(&cfg, "trunk"), "protected: trunk");
	ok(dg_config_is_excluded(&cfg, "a/b/c.gen.sql") && dg_config_is_excluded(&cfg, "c.gen.sql"),
	   "**/*.gen.sql matches at any depth");
	ok(!dg_config_is_excluded(&cfg, "a/b/c.sql"), "**/*.gen.sql does not match c.sql");
	is_int(parse("rules:\nbranch_rules: ~\nmigrations:\n"), 0, "null sections are fine");

	for (int v = DG_PG_VERSION_MIN; v <= DG_PG_VERSION_MAX; v++) {
		char y[64];
		snprintf(y, sizeof(y), "postgres_version: %d\n", v);
		if (parse(y) != 0 || cfg.pg_version != v)
			ok(0, "postgres_version %d accepted", v);
	}
	ok(1, "postgres_version %d..%d accepted", DG_PG_VERSION_MIN, DG_PG_VERSION_MAX);
}

static void test_errors(void)
{
	rejects("postgres_version: 15\nfoo: 1\n", ".ddlgate.yml:2:1:", "unknown key 'foo'", "unknown top-level key");
	rejects("postgres_version: \"15\"\n", ".ddlgate.yml:1:19:", "integer", "quoted version");
	rejects("postgres_version: fifteen\n", ".ddlgate.yml:1:19:", "integer", "word version");
	rejects("postgres_version: 9\n", ".ddlgate.yml:1:19:", "between 10 and 18", "version too old");
	rejects("postgres_version: 19\n", ".ddlgate.yml:1:19:", "between 10 and 18", "version too new");
	rejects("postgres_version: [15]\n", ".ddlgate.yml:1:19:", "integer", "version as a list");
	rejects("protected_branches: {a: b}\n", ".ddlgate.yml:1:21:", "list of strings", "branches as a mapping");
	rejects("protected_branches: [main, [x]]\n", ".ddlgate.yml:1:28:", "string", "a list inside the branches");
	rejects("protected_branches: [main, \"\"]\n", ".ddlgate.yml:1:28:", "non-empty", "an empty branch name");
	rejects("rules: [lock-table]\n", ".ddlgate.yml:1:8:", "mapping", "rules as a list");
	rejects("rules:\n  lock-table: error\n  no-such-rule: off\n", ".ddlgate.yml:3:3:",
		"unknown rule id 'no-such-rule'", "unknown rule id");
	rejects("branch_rules:\n  protected-branch-pushh: off\n", ".ddlgate.yml:2:3:",
		"unknown rule id", "unknown rule id under branch_rules");
	rejects("rules:\n  lock-table: fatal\n", ".ddlgate.yml:2:15:", "error, warning or off", "bad level");
	rejects("rules:\n  lock-table: [error]\n", ".ddlgate.yml:2:15:", "error, warning or off", "level as a list");
	rejects("migrations: db/migrations\n", ".ddlgate.yml:1:13:", "list", "migrations as a string");
	rejects("migrations:\n  - db/migrations\n", ".ddlgate.yml:2:5:", "mapping", "a set as a string");
	rejects("migrations:\n  - format: sql\n", ".ddlgate.yml:2:5:", "path", "a set without path");
	rejects("migrations:\n  - path: db\n", ".ddlgate.yml:2:5:", "format", "a set without format");
	rejects("migrations:\n  - path: db\n    format: xml\n", ".ddlgate.yml:3:13:", "xml", "unknown format");
	rejects("migrations:\n  - path: db\n    format: sql\n    naming: rails\n", ".ddlgate.yml:4:13:",
		"rails", "unknown naming");
	rejects("migrations:\n  - path: db\n    format: alembic\n    naming: flyway\n", ".ddlgate.yml:2:5:",
		"only to format: sql", "naming on an alembic set");
	rejects("migrations:\n  - path: db\n    format: sql\n    transaction: maybe\n", ".ddlgate.yml:4:18:",
		"auto, yes or no", "bad transaction");
	rejects("migrations:\n  - path: db\n    format: sql\n    colour: red\n", ".ddlgate.yml:4:5:",
		"unknown key 'colour'", "unknown key in a set");
	rejects("migrations:\n  - path: \"\"\n    format: sql\n", ".ddlgate.yml:2:11:", "non-empty", "empty path");
	rejects("exclude: {a: 1}\n", ".ddlgate.yml:1:10:", "list of strings", "exclude as a mapping");
	rejects("- a\n- b\n", ".ddlgate.yml:1:1:", "mapping", "top level is a list");
	rejects("just text\n", ".ddlgate.yml:1:1:", "mapping", "top level is a string");
	rejects("[a]: 1\n", ".ddlgate.yml:1:1:", "strings", "a key that is not a string");
	rejects("postgres_version: 12\nrules: {}\npostgres_version: 13\n", ".ddlgate.yml:3:1:",
		"duplicate key 'postgres_version' (first at line 1)", "a top-level key twice");
	rejects("rules:\n  lock-table: off\n  lock-table: error\n", ".ddlgate.yml:3:3:",
		"duplicate key 'lock-table'", "a rule id twice");
	rejects("migrations:\n  - {path: a, format: sql, path: b}\n", ".ddlgate.yml:2:28:",
		"duplicate key 'path'", "a set key twice");
	/* bad YAML: libyaml's message, at its line and column */
	rejects("rules:\n  lock-table: error\n bad indent: x\n", ".ddlgate.yml:3:", "invalid YAML", "bad indentation");
	rejects("protected_branches: [main, master\n", ".ddlgate.yml:2:", "invalid YAML", "unclosed flow sequence");
	rejects("a: 'unterminated\n", ".ddlgate.yml:", "invalid YAML", "unterminated quote");
	rejects("a: *nosuchanchor\n", ".ddlgate.yml:1:", "invalid YAML", "undefined alias");
	rejects("postgres_version: 15\n\tfoo: 1\n", ".ddlgate.yml:2:", "invalid YAML", "a tab indent");
	rejects("postgres_version: 15\nrules:\n  lock-table: \xff\n", ".ddlgate.yml:3:15:", "UTF-8", "invalid UTF-8");

	/* one document, no tags: what a second document or a tag would mean is not read */
	rejects("postgres_version: 15\n---\nrules:\n  lock-table: off\n", ".ddlgate.yml:2:1:",
		"a second YAML document", "a second document");
	rejects("rules: {lock-table: off}\n--- !!map\n", ".ddlgate.yml:2:1:", "second YAML document",
		"an empty second document");
	rejects("protected_branches: !!python/object:os.system [x]\n", ".ddlgate.yml:1:21:",
		"YAML tag '!!python/object:os.system' is not allowed", "a python tag");
	rejects("exclude: [!custom x]\n", ".ddlgate.yml:1:11:", "YAML tag '!custom' is not allowed",
		"a local tag");
	is_int(parse("--- \npostgres_version: 16\n...\n"), 0, "one document with markers is fine");
	is_int(cfg.pg_version, 16, "  and read");
	is_int(parse("rules: !!map {lock-table: off}\nexclude: !!seq [a]\n"), 0,
	       "the core !!map and !!seq tags are what the nodes are anyway");

	/* suppressions and timeout_seconds */
	is_int(cfg.suppressions, DG_SUPPRESS_ALLOW, "suppressions default: allow");
	is_int(cfg.timeout_seconds, DG_TIMEOUT_DEFAULT, "timeout_seconds default");
	is_int(parse("suppressions: require-reason\ntimeout_seconds: 5\n"), 0, "suppressions + timeout");
	is_int(cfg.suppressions, DG_SUPPRESS_REQUIRE_REASON, "  require-reason");
	is_int(cfg.timeout_seconds, 5, "  5 seconds");
	is_int(parse("suppressions: deny\n"), 0, "suppressions: deny");
	is_int(cfg.suppressions, DG_SUPPRESS_DENY, "  deny");
	rejects("suppressions: sometimes\n", ".ddlgate.yml:1:15:", "allow, require-reason or deny",
		"unknown suppressions policy");
	rejects("timeout_seconds: 0\n", ".ddlgate.yml:1:18:", "between 1 and 86400", "timeout 0");
	rejects("timeout_seconds: soon\n", ".ddlgate.yml:1:18:", "integer", "timeout not a number");

	const char bin[] = "postgres_version: 15\n\0\1\2";
	dg_error_clear();
	ok(dg_config_parse(&cfg, "x.yml", bin, sizeof(bin) - 1, known) < 0, "binary data rejected");
	ok(strstr(dg_last_error(), "x.yml") != NULL, "  names the file: %s", dg_last_error());

	/* with no rule registry every id is accepted */
	dg_error_clear();
	const char *y = "rules:\n  anything-goes: off\n";
	is_int(dg_config_parse(&cfg, "x.yml", y, strlen(y), NULL), 0, "no registry: ids not checked");

	/* after a failure the config is usable and holds the defaults */
	parse("postgres_version: 12\nrules: {lock-table: nope}\n");
	is_int(cfg.pg_version, 17, "failed parse leaves the default version");
	is_int(cfg.n_levels, 0, "failed parse leaves no levels");
}

static void test_levels_and_load(void)
{
	dg_config_release(&cfg);
	dg_config_init(&cfg);
	dg_config_set_level(&cfg, "lock-table", DG_WARNING);
	dg_config_set_level(&cfg, "lock-table", DG_OFF);
	is_int(cfg.n_levels, 1, "set_level replaces");
	is_int(dg_config_level(&cfg, "lock-table", DG_ERROR), DG_OFF, "the last level wins");
	is_int(dg_config_level(NULL, "lock-table", DG_ERROR), DG_ERROR, "no config: the default");

	dg_error_clear();
	ok(dg_config_load(&cfg, "/nonexistent/dir/.ddlgate.yml", known) < 0, "a missing file is an error");
	ok(strstr(dg_last_error(), "/nonexistent/dir/.ddlgate.yml") != NULL, "  names it: %s", dg_last_error());
}

static void test_glob(void)
{
	ok(dg_glob_match("*", "main"), "* matches a name");
	ok(!dg_glob_match("*", "a/b"), "* does not cross '/'");
	ok(dg_glob_match("**", "a/b/c"), "** crosses '/'");
	ok(dg_glob_match("release/*", "release/x"), "release/*");
	ok(dg_glob_match("v?.?", "v1.2"), "? matches one character");
	ok(!dg_glob_match("v?", "v/"), "? does not match '/'");
	ok(dg_glob_match("a/**/b.sql", "a/b.sql"), "a/**/b.sql matches a/b.sql");
	ok(dg_glob_match("a/**/b.sql", "a/x/y/b.sql"), "a/**/b.sql matches deeper");
	ok(!dg_glob_match("a/**/b.sql", "c/a/b.sql"), "a/**/b.sql is anchored");
	ok(dg_glob_match("*/migrations", "shop/migrations"), "*/migrations");
	ok(!dg_glob_match("*/migrations", "a/shop/migrations"), "*/migrations is one level");
	ok(dg_glob_match("**/migrations", "migrations"), "**/x matches x at the top");
	ok(dg_glob_match("**/migrations", "a/b/migrations"), "**/x matches x deeper");
	ok(!dg_glob_match("**/migrations", "shop_migrations"), "**/x does not match a name ending in x");
	ok(!dg_glob_match("a/**/b.sql", "a/xb.sql"), "a/**/b.sql does not match a/xb.sql");
	ok(dg_glob_match("db/**", "db/a/b"), "db/** matches below db");
	ok(!dg_glob_match("db/**", "db"), "db/** does not match db itself");
	ok(dg_glob_match("", ""), "empty pattern matches the empty string");
	ok(!dg_glob_match("", "a"), "empty pattern matches nothing else");
	ok(dg_glob_match("*.sql", ".sql"), "* matches nothing");
	ok(dg_glob_match("a*b*c", "aXbYc") && !dg_glob_match("a*b*c", "aXbY/c"), "several stars");
	ok(dg_glob_match("***", "a/b"), "*** behaves as **");
	/* runs of stars are one pass: the skipped ones must not change the answer */
	ok(dg_glob_match("a**/*", "ab") && dg_glob_match("a**/*", "a/b/c"), "a**/*: zero or more directories");
	ok(dg_glob_match("**/**/x", "x") && dg_glob_match("**/**/x", "a/b/x"), "**/**/x");
	ok(!dg_glob_match("a***/b", "a/x/yb"), "a***/b: *** then /b");
	ok(dg_glob_match("?*?*?", "abc") && !dg_glob_match("?*?*?", "ab"), "?*?*? counts characters");
	ok(dg_glob_match("release", "release") && !dg_glob_match("release", "releases"),
	   "a pattern without wildcards is the name itself");
	{
		/* many stars against a long name: must be quick, not exponential */
		char pat[64], name[4096];
		memset(pat, '*', 40);
		strcpy(pat + 40, "b");
		memset(name, 'a', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		ok(!dg_glob_match(pat, name), "40 stars against 4095 a's: no match, quickly");
		strcpy(pat + 40, "**b");
		ok(!dg_glob_match(pat, name), "42 stars with ** against 4095 a's: no match, quickly");
		name[sizeof(name) - 2] = 'b';
		ok(dg_glob_match(pat, name), "... and a match when it ends in b");
	}
}

/* fuzz_config: "path: ./" became an empty path, a set named '' in messages */
static void test_root_path(void)
{
	is_int(parse("migrations:\n  - path: ./\n    format: sql\n"), 0, "path ./ accepted");
	is_str(cfg.n_sets ? cfg.sets[0].path : NULL, ".", "path ./ is the root, spelt .");
	is_int(parse("migrations:\n  - path: ././\n    format: sql\n"), 0, "path ././ accepted");
	is_str(cfg.n_sets ? cfg.sets[0].path : NULL, ".", "path ././ is the root too");
	rejects("migrations:\n  - path: ./\n", ".ddlgate.yml:2:5:", "migration set '.' needs 'format'",
		"a root set without format names it '.'");
}

int main(void)
{
	test_defaults();
	test_every_key();
	test_errors();
	test_levels_and_load();
	test_glob();
	test_root_path();
	dg_config_release(&cfg);
	return done();
}
