#!/bin/sh
# Deep and big inputs never crash lint or explain: the 10 KB `SELECT 1+1+...`
# of 5,000 terms (a protobuf unpack once overflowed the stack on it), 100,000
# nested parentheses (PostgreSQL's parser refuses them: a finding at their
# place), a default too deep to print, a UNION ALL of 3,000 branches, a
# 1 MB file on one line, and a statement between BEGIN ATOMIC ... END.
. "$DG_SRC/tests/e2e/lint_lib.inc"

python3 - <<'PY'
def w(name, text):
    open(name, "w").write(text)
w("plus.sql", "SELECT 1" + "+1" * 5000 + ";\n")
w("parens.sql", "SELECT 1;\nSELECT " + "(" * 100000 + "1" + ")" * 100000 + ";\nLOCK TABLE t;\n")
w("default.sql", "ALTER TABLE t ADD COLUMN c int DEFAULT 1" + "+1" * 5000 + "+random()::int;\n")
w("union.sql", "CREATE VIEW v AS " + " UNION ALL ".join("SELECT * FROM t%d" % (i % 7) for i in range(3000)) + ";\n")
w("oneline.sql", "CREATE INDEX i ON t (a); " * 40000)
w("atomic.sql", "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO a VALUES (1); SELECT 2; END;\nLOCK TABLE t;\n")
PY
[ "$(wc -c <plus.sql)" -gt 10000 ] && pass "the 5,000-term expression is over 10 KB" || fail "plus.sql size"

for cmd in lint explain; do
	run "$DDLGATE" $cmd --format json plus.sql
	expect_rc 0 "$cmd: a 5,000-term SELECT"
done
run "$DDLGATE" lint plus.sql
expect_rc 0 "lint, text output: nothing to say about it"

run "$DDLGATE" lint --format json parens.sql
expect_rc 1 "lint: 100,000 nested parentheses are an error finding"
got=$(json_get '[(f["rule"], f["line"]) for f in d["findings"]]')
[ "$got" = "[('sql-syntax-error', 2), ('lock-table', 3)]" ] && pass "at their line, and the statement after them is still linted" || fail "findings: $got"
got=$(json_get 'd["findings"][0]["message"]')
case "$got" in *"memory exhausted"*) pass "PostgreSQL's own message: $got" ;; *) fail "message: $got" ;; esac
run "$DDLGATE" explain parens.sql
expect_rc 1 "explain: the same file is an error (exit 1)"
expect_in "$T/err" "parens.sql:2:" "explain: names file:line"

run "$DDLGATE" lint --format json default.sql
expect_rc 1 "lint: a default 5,000 operators deep"
got=$(json_get '[f["rule"] for f in d["findings"]]')
case "$got" in *"add-column-rewrite"*) pass "its volatile default still found: $got" ;; *) fail "findings: $got" ;; esac
run "$DDLGATE" explain --format json default.sql
expect_rc 0 "explain: a default 5,000 operators deep"
got=$(json_get 'd["statements"][0]["rewrites"]')
[ "$got" = "['t']" ] && pass "explain: the rewrite" || fail "rewrites: $got"

run "$DDLGATE" explain --format json union.sql
expect_rc 0 "explain: a view over a 3,000-branch UNION ALL"
got=$(json_get 'len(d["statements"][0]["locks"])')
[ "$got" = "8" ] && pass "its seven tables and the view are locked" || fail "locks: $got"

run "$DDLGATE" lint oneline.sql
expect_rc 1 "lint: 40,000 statements on one 1 MB line"
expect_in "$T/out" "oneline.sql:1:999976: error[require-concurrent-index]" "the last one at its column"
expect_in "$T/out" "  1 | ...E INDEX i ON t (a);" "shown as an excerpt around it"
expect_in "$T/out" "40000 errors" "every statement"

run "$DDLGATE" lint --format json atomic.sql
expect_rc 1 "lint: BEGIN ATOMIC body"
got=$(json_get '[(f["rule"], f["line"]) for f in d["findings"]] + [d["summary"]["statements"]]')
[ "$got" = "[('lock-table', 2), 2]" ] && pass "the routine is one statement, the LOCK after it the other" || fail "findings: $got"

finish
