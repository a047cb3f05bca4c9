#!/bin/sh
# sql-syntax-error beyond rules/sql-syntax-error.md's examples: with a target
# newer than the PostgreSQL 17 grammar a rejected statement is a warning
# (exit 0, so valid newer syntax does not block a push) that says why; with
# 17 or older it is an error (exit 1); the config's postgres_version counts
# like --pg-version; a ddlgate:ignore silences it; --rule can raise it back.
. "$DG_SRC/tests/e2e/lint_lib.inc"

# line 2: PostgreSQL 18 syntax; line 3: PostgreSQL 16 syntax the 17 grammar accepts
printf 'SELECT 1;\nALTER TABLE orders ADD CONSTRAINT orders_note_nn NOT NULL note;\nSELECT * FROM (SELECT 1);\nALTER TABLE orders ALTER COLUMN note SET EXPRESSION AS (1);\n' >newer.sql

for v in 10 15 17; do
	run "$DDLGATE" lint --format json --pg-version $v newer.sql
	expect_rc 1 "target $v: an error"
	got=$(json_get '[(f["rule"], f["severity"], f["line"]) for f in d["findings"]]')
	[ "$got" = "[('sql-syntax-error', 'error', 2)]" ] && pass "target $v: the PG 18 statement is an error, the 16/17 ones parse" || fail "target $v: $got"
done
for v in 18; do
	run "$DDLGATE" lint --format json --pg-version $v newer.sql
	expect_rc 0 "target $v: warnings only"
	got=$(json_get '[(f["rule"], f["severity"], f["line"]) for f in d["findings"]]')
	[ "$got" = "[('sql-syntax-error', 'warning', 2)]" ] && pass "target $v: a warning" || fail "target $v: $got"
	got=$(json_get 'd["findings"][0]["message"]')
	case "$got" in *"syntax error at or near"*"may be newer than the PostgreSQL 17 grammar"*) pass "target $v: message says the syntax may be newer" ;; *) fail "target $v message: $got" ;; esac
	got=$(json_get 'd["findings"][0]["help"]')
	case "$got" in *"ddlgate:ignore sql-syntax-error"*) pass "target $v: help says how to silence it" ;; *) fail "target $v help: $got" ;; esac
done

run "$DDLGATE" lint --pg-version 18 newer.sql
expect_rc 0 "text, target 18"
expect_in "$T/out" "newer.sql:2:" "text: location"
expect_in "$T/out" "warning[sql-syntax-error]" "text: a warning"
expect_in "$T/out" "0 errors, 1 warning" "text: summary"

printf 'postgres_version: 18\n' >.ddlgate.yml
run "$DDLGATE" lint newer.sql
expect_rc 0 "postgres_version: 18 in the config"
expect_in "$T/out" "warning[sql-syntax-error]" "config target: a warning"
run "$DDLGATE" lint --pg-version 17 newer.sql
expect_rc 1 "--pg-version 17 overrides the config: an error again"
printf 'postgres_version: 18\nrules:\n  sql-syntax-error: off\n' >.ddlgate.yml
run "$DDLGATE" lint newer.sql
expect_rc 0 "sql-syntax-error: off"
[ -s "$T/out" ] && fail "off: still reported: $(cat "$T/out")" || pass "off: nothing reported"
rm -f .ddlgate.yml

# the warning can be silenced on the statement
printf -- '-- ddlgate:ignore sql-syntax-error PostgreSQL 18 syntax\nALTER TABLE orders ADD CONSTRAINT orders_note_nn NOT NULL note;\n' >ign.sql
run "$DDLGATE" lint --pg-version 18 ign.sql
expect_rc 0 "ignored newer syntax"
[ -s "$T/out" ] && fail "ignored: still reported: $(cat "$T/out")" || pass "ignored: nothing reported"

# real typos stay errors at the default target, and the statements around are linted
printf 'CREATE INDEX i ON t (a);\nCREAT INDEX j ON t (b);\nLOCK TABLE t;\n' >typo.sql
run "$DDLGATE" lint --format json typo.sql
expect_rc 1 "typo at the default target"
got=$(json_get '[(f["rule"], f["severity"], f["line"], f["column"]) for f in d["findings"]]')
[ "$got" = "[('require-concurrent-index', 'error', 1, 1), ('sql-syntax-error', 'error', 2, 1), ('lock-table', 'error', 3, 1)]" ] && pass "typo: error at 2:1, neighbours linted" || fail "typo: $got"

finish
