#!/bin/sh
# ddlgate lint command line: exit statuses 0/1/2, stdin '-', a bad config
# (exit 2 with file:line:col), --config, --rule ID=LEVEL, --pg-version,
# ddlgate:ignore comments, --help, help lint, --version, unknown command/option.
. "$DG_SRC/tests/e2e/lint_lib.inc"

printf 'SELECT 1;\n' >clean.sql
printf 'DROP INDEX i;\n' >warn.sql
printf 'LOCK TABLE t;\n' >err.sql

# ---- exit statuses
run "$DDLGATE" lint clean.sql; expect_rc 0 "clean file"
run "$DDLGATE" lint warn.sql; expect_rc 0 "only a warning"
expect_in "$T/out" "warning[require-concurrent-index-drop]" "the warning is shown"
run "$DDLGATE" lint err.sql; expect_rc 1 "an error finding"
run "$DDLGATE" lint clean.sql warn.sql err.sql; expect_rc 1 "several files, one error"
expect_in "$T/out" "1 error, 1 warning in 3 files, 3 statements" "summary over several files"
run "$DDLGATE" lint missing.sql; expect_rc 2 "a missing file"
expect_one_line_err "missing.sql" "missing file: one line naming it"
run "$DDLGATE" lint err.sql missing.sql; expect_rc 2 "an I/O error wins over findings"
expect_in "$T/out" "error[lock-table]" "the other file is still reported"

# ---- stdin
printf 'CREATE INDEX i ON t (a);\n' >"$T/in"
run_in "$T/in" "$DDLGATE" lint -
expect_rc 1 "stdin: '-'"
expect_in "$T/out" "<stdin>:1:1: error[require-concurrent-index]" "stdin: findings name <stdin>"
printf 'SELECT 1;\n' >"$T/in"
run_in "$T/in" "$DDLGATE" lint --format json -
expect_rc 0 "stdin: clean"
[ "$(json_get 'd["summary"]["files"]')" = 1 ] && pass "stdin: counted as one file" || fail "stdin: file count"
: >"$T/in"
run_in "$T/in" "$DDLGATE" lint -
expect_rc 0 "stdin: empty input"

# ---- --rule
run "$DDLGATE" lint --rule lock-table=off err.sql; expect_rc 0 "--rule ID=off"
expect_not_in "$T/out" "lock-table" "--rule ID=off: not reported"
run "$DDLGATE" lint --rule lock-table=warning err.sql; expect_rc 0 "--rule ID=warning"
expect_in "$T/out" "warning[lock-table]" "--rule ID=warning: a warning"
run "$DDLGATE" lint --rule=require-concurrent-index-drop=error warn.sql; expect_rc 1 "--rule=ID=error raises a warning"
run "$DDLGATE" lint --rule lock-table=off --rule lock-table=error err.sql; expect_rc 1 "the last --rule wins"
run "$DDLGATE" lint --rule no-such-rule=off err.sql; expect_rc 2 "--rule with an unknown id"
expect_one_line_err "unknown rule id 'no-such-rule'" "--rule unknown id message"
run "$DDLGATE" lint --rule lock-table=fatal err.sql; expect_rc 2 "--rule with a bad level"
expect_one_line_err "level must be error, warning or off" "--rule bad level message"
run "$DDLGATE" lint --rule lock-table err.sql; expect_rc 2 "--rule without a level"
run "$DDLGATE" lint err.sql --rule; expect_rc 2 "--rule without a value"
expect_one_line_err "option --rule needs a value" "--rule without a value message"
run "$DDLGATE" lint err.sql --pg-version; expect_rc 2 "--pg-version without a value"
expect_one_line_err "option --pg-version needs a value" "--pg-version without a value message"
run "$DDLGATE" lint err.sql --format; expect_rc 2 "--format without a value"
expect_one_line_err "option --format needs a value" "--format without a value message"

# ---- --pg-version
printf 'ALTER TABLE a ADD COLUMN f boolean NOT NULL DEFAULT false;\n' >fast_default.sql
run "$DDLGATE" lint fast_default.sql; expect_rc 0 "constant default on the default target (15)"
run "$DDLGATE" lint --pg-version 10 fast_default.sql; expect_rc 1 "--pg-version 10: constant default rewrites"
expect_in "$T/out" "before PostgreSQL 11" "--pg-version 10: says why"
run "$DDLGATE" lint --pg-version=11 fast_default.sql; expect_rc 0 "--pg-version=11"
run "$DDLGATE" lint --pg-version 9 fast_default.sql; expect_rc 2 "--pg-version 9 rejected"
expect_one_line_err "--pg-version must be a major version from 10 to 18, not '9'" "--pg-version range message"
run "$DDLGATE" lint --pg-version 15.2 fast_default.sql; expect_rc 2 "--pg-version 15.2 rejected"

# ---- config file
printf 'postgres_version: 10\nrules:\n  lock-table: warning\n' >.ddlgate.yml
run "$DDLGATE" lint fast_default.sql err.sql; expect_rc 1 "config: postgres_version applies"
expect_in "$T/out" "warning[lock-table]" "config: rule level applies"
run "$DDLGATE" lint --pg-version 15 fast_default.sql; expect_rc 0 "--pg-version overrides the config"
run "$DDLGATE" lint --rule lock-table=error err.sql; expect_rc 1 "--rule overrides the config"
mkdir -p sub/deeper
cd sub/deeper
run "$DDLGATE" lint ../../err.sql
cd "$W"
expect_rc 0 "config found at the repository root from a subdirectory"
expect_in "$T/out" "warning[lock-table]" "from a subdirectory: the root's config applies"
printf 'rules:\n  lock-table: off\n' >other.yml
run "$DDLGATE" lint --config other.yml fast_default.sql err.sql; expect_rc 0 "--config FILE replaces .ddlgate.yml"
run "$DDLGATE" lint --config nope.yml err.sql; expect_rc 2 "--config with a missing file"
expect_one_line_err "nope.yml" "--config missing: names the file"

printf 'postgres_version: 15\nrules:\n  lock-table: warning\n  lock-tabel: off\n' >.ddlgate.yml
run "$DDLGATE" lint err.sql; expect_rc 2 "config: unknown rule id"
expect_one_line_err ".ddlgate.yml:4:3: unknown rule id 'lock-tabel'" "config: unknown rule id at file:line:col"
printf 'postgres_version: 15\ncolour: red\n' >.ddlgate.yml
run "$DDLGATE" lint err.sql; expect_rc 2 "config: unknown key"
expect_one_line_err ".ddlgate.yml:2:1: unknown key 'colour'" "config: unknown key at file:line:col"
printf 'postgres_version: "15"\n' >.ddlgate.yml
run "$DDLGATE" lint err.sql; expect_rc 2 "config: wrong type"
expect_one_line_err ".ddlgate.yml:1:19:" "config: wrong type at file:line:col"
printf 'rules:\n  lock-table: error\n bad: [\n' >.ddlgate.yml
run "$DDLGATE" lint err.sql; expect_rc 2 "config: bad YAML"
if grep -q '^ddlgate: \.ddlgate\.yml:[0-9][0-9]*:[0-9][0-9]*: invalid YAML' "$T/err" && [ "$(wc -l <"$T/err")" -eq 1 ]; then
	pass "config: bad YAML at file:line:col: $(cat "$T/err")"
else
	fail "config: bad YAML message: $(cat "$T/err")"
fi
[ -s "$T/out" ] && fail "config error: nothing is linted" || pass "config error: nothing on stdout"
rm -f .ddlgate.yml

# ---- suppression comments
printf -- '-- ddlgate:ignore lock-table the table is tiny\nLOCK TABLE t;\nLOCK TABLE u;\n' >ign.sql
run "$DDLGATE" lint --format json ign.sql; expect_rc 1 "ignore: only the next statement"
[ "$(json_get '[f["line"] for f in d["findings"]]')" = "[3]" ] && pass "ignore: line 2 silenced, line 3 reported" || fail "ignore: $(json_get '[f["line"] for f in d["findings"]]')"
printf -- '-- ddlgate:ignore-file lock-table\nLOCK TABLE t;\nLOCK TABLE u;\n' >ignf.sql
run "$DDLGATE" lint ignf.sql; expect_rc 0 "ignore-file: the whole file"
printf -- '-- ddlgate:ignore lock-tabel typo\nLOCK TABLE t;\n' >ignbad.sql
run "$DDLGATE" lint --format json ignbad.sql; expect_rc 1 "ignore with an unknown rule silences nothing"
[ "$(json_get 'sorted((f["rule"], f["line"], f["column"]) for f in d["findings"])')" = "[('invalid-suppression', 1, 19), ('lock-table', 2, 1)]" ] \
	&& pass "ignore with an unknown rule: invalid-suppression at the id" || fail "invalid-suppression: $(cat "$T/out")"

# ---- help, version, unknown command / option
run "$DDLGATE" --help; expect_rc 0 "--help"
expect_in "$T/out" "usage: ddlgate COMMAND" "--help: usage"
expect_in "$T/out" "lint" "--help: lists lint"
run "$DDLGATE" help lint; expect_rc 0 "help lint"
expect_in "$T/out" "usage: ddlgate lint" "help lint: lint usage"
expect_in "$T/out" "--pg-version" "help lint: common options"
run "$DDLGATE" lint --help; expect_rc 0 "lint --help"
expect_in "$T/out" "usage: ddlgate lint" "lint --help: lint usage"
run "$DDLGATE" --version; expect_rc 0 "--version"
if grep -qE '^ddlgate [0-9]+\.[0-9]+\.[0-9]+ \(PostgreSQL 1[7-9] grammar\)$' "$T/out"; then pass "--version: ddlgate X.Y.Z and the grammar (17+)"; else fail "--version: $(cat "$T/out")"; fi
run "$DDLGATE"; expect_rc 2 "no command"
expect_in "$T/err" "usage:" "no command: usage on stderr"
run "$DDLGATE" frobnicate; expect_rc 2 "unknown command"
expect_one_line_err "unknown command 'frobnicate'" "unknown command message"
run "$DDLGATE" help frobnicate; expect_rc 2 "help for an unknown command"
run "$DDLGATE" lint --frobnicate err.sql; expect_rc 2 "unknown option"
expect_one_line_err "unknown option '--frobnicate'" "unknown option message"
run "$DDLGATE" lint -x err.sql; expect_rc 2 "unknown short option"
run "$DDLGATE" lint -- --weird.sql; expect_rc 2 "after --, an argument is a path"
expect_one_line_err "--weird.sql" "after --: the missing file is named"
run "$DDLGATE" rules; expect_rc 0 "rules"
expect_in "$T/out" "require-concurrent-index" "rules: lists a rule"
run "$DDLGATE" rules --format json; expect_rc 0 "rules --format json"
[ "$(json_get 'all(set(r) >= {"id", "severity", "summary"} for r in d["rules"])')" = True ] && pass "rules json: id, severity, summary" || fail "rules json keys"
run "$DDLGATE" rules --format sarif; expect_rc 2 "rules --format sarif rejected"
run "$DDLGATE" rules --config nowhere.yml; expect_rc 2 "rules refuses --config instead of ignoring it"
expect_one_line_err "rules takes only --format" "rules: says which option it takes"

finish
