#!/bin/sh
# SARIF logs of ci, lint and pre-push pass the jsonschema module's Draft 4
# validator on the official SARIF 2.1.0 schema (a second validator besides
# tests/sarif/validate.py's own). Skipped, not passed, without the module
# (Debian: python3-jsonschema).
. "$DG_SRC/tests/e2e/ci_lib.inc"
needs jq jq
[ "$PY" != python3 ] || "$PY" -c 'import jsonschema' 2>/dev/null || {
	. "$DG_SRC/tests/skip.inc"
	dg_skip "no python3 with the jsonschema module (apt-get install python3-jsonschema)"
}

make_pr_repo
expect_status 1 "ci --format sarif" "$DG" ci --base main --format sarif
cp "$T/out" "$T/ci.sarif"
validate_sarif "ci sarif through jsonschema" "$T/ci.sarif" --root "$T/w" --require-jsonschema
grep -q "schema + jsonschema" "$T/val" && pass "the jsonschema layer ran" || fail "the jsonschema layer did not run"
expect_status 1 "lint --format sarif" "$DG" lint --format sarif db/migrations
cp "$T/out" "$T/lint.sarif"
validate_sarif "lint sarif through jsonschema" "$T/lint.sarif" --root "$T/w" --require-jsonschema
expect_status 0 "a clean lint" "$DG" lint --format sarif db/migrations/V1__init.sql
cp "$T/out" "$T/clean.sarif"
validate_sarif "clean sarif through jsonschema" "$T/clean.sarif" --require-jsonschema
# the layer can fail: a log the schema rejects
jq '.runs[0].results[0].level = "fatal"' "$T/ci.sarif" >"$T/bad.sarif"
if "$PY" "$VALIDATE" "$SCHEMA" "$T/bad.sarif" --require-jsonschema >"$T/val" 2>&1; then
	fail "a level outside the enum passed"
else
	grep -q "jsonschema: " "$T/val" && pass "jsonschema rejects a bad level" || { fail "no jsonschema message"; show "$T/val"; }
fi
finish
