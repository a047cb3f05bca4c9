#!/bin/sh
# `lint` of a directory with nothing to lint says so on stderr and exits 0
# (an empty result is not a clean one); `check --list-sets` lists the sets
# and stops: no lint, no findings, exit 0.
. "$DG_SRC/tests/e2e/lint_lib.inc"

mkdir -p db/empty docs
echo "notes" >docs/README
run "$DDLGATE" lint db/
expect_rc 0 "lint of a directory without migrations"
expect_one_line_err "ddlgate: no migration files under db/" "says there was nothing"
[ -s "$T/out" ] && fail "stdout not empty: $(cat "$T/out")" || pass "nothing on stdout"
run "$DDLGATE" lint docs
expect_one_line_err "ddlgate: no migration files under docs/" "a slash is added to the name"
run "$DDLGATE" lint --format json db
expect_rc 0 "json: exit 0"
got=$(json_get 'd["findings"], d["summary"]["files"]')
[ "$got" = "([], 0)" ] && pass "json: valid, empty, 0 files" || fail "json: $got"
expect_one_line_err "no migration files under db/" "json: the note is on stderr"
# one empty and one full directory: the note names the empty one only
mkdir -p full && printf 'SELECT 1;\n' >full/V1__a.sql
run "$DDLGATE" lint full db/empty
expect_rc 0 "one directory with files, one without"
expect_one_line_err "no migration files under db/empty/" "names the empty one"
run "$DDLGATE" lint full
[ -s "$T/err" ] && fail "a directory with files: stderr $(cat "$T/err")" || pass "a directory with files: no note"
# an excluded directory has nothing left either
printf 'exclude: ["full/**"]\n' >.ddlgate.yml
run "$DDLGATE" lint full
expect_one_line_err "no migration files under full/" "everything excluded: says so"
rm .ddlgate.yml

# ---- check --list-sets stops after the listing
mkdir -p "$T/r" && cd "$T/r" && git init -q . || exit 1
mkdir -p db/migrations
printf 'CREATE TABLE t (id int PRIMARY KEY);\nCREATE INDEX i ON t (id);\n' >db/migrations/V1__t.sql
printf 'CREATE INDEX j ON t (id);\n' >db/migrations/V2__j.sql
git add . && git -c user.name=T -c user.email=t@example.com commit -q -m one
run "$DDLGATE" check
expect_rc 1 "check finds the unsafe index"
run "$DDLGATE" check --list-sets
expect_rc 0 "check --list-sets: exit 0 despite the finding"
expect_in "$T/out" "db/migrations  sql (flyway), 2 migrations" "lists the set"
expect_not_in "$T/out" "require-concurrent-index" "no lint after the listing"
expect_not_in "$T/out" "error" "no summary line"
run "$DDLGATE" check --list-sets --format json
expect_rc 2 "--list-sets with --format json"
expect_one_line_err "check: --list-sets prints text only" "says why"
finish
