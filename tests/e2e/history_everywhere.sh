#!/bin/sh
# History everywhere (issue 13): `lint FILE` and `explain FILE` of a file
# of a migration set replay the set's earlier migrations first, as `lint
# DIR`, `check` and the hooks do; a file outside every set is its own
# history; down migrations (golang-migrate .down.sql, diesel down.sql,
# Flyway U undo files) are checked against the schema after their own up
# migration, without the "breaks running code" rules; CREATE TABLE IF NOT
# EXISTS of a table the history has does not make it new. Real
# repositories, the real binary, the facts cache cold and warm.
. "$DG_SRC/tests/e2e/hook_lib.inc"

# ---- a Flyway set: lint / explain of one file of it ---------------------
make_repo --pre-commit
cat >db/migrations/V1__init.sql <<'SQL'
CREATE TABLE t (id bigint PRIMARY KEY, code varchar(10), price numeric(10,2), note text);
SQL
printf 'ALTER TABLE t ALTER COLUMN code TYPE varchar(20);\nALTER TABLE t ALTER COLUMN price TYPE numeric(12,2);\n' \
	>db/migrations/V2__widen.sql
git add -A && git commit -q --no-verify -m "widen"

for pass_no in cold warm; do
	expect_status 0 "lint FILE of the set ($pass_no cache): V1 is replayed first" ddlgate lint db/migrations/V2__widen.sql
	out_lacks "change-column-type" "lint FILE ($pass_no): varchar(10) -> varchar(20) keeps the table"
done
expect_status 0 "lint DIR agrees" ddlgate lint db/migrations
out_lacks "change-column-type" "lint DIR: no finding"
expect_status 0 "explain FILE of the set" ddlgate explain --format json db/migrations/V2__widen.sql
if python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["statements"]
assert [x["rewrites"] for x in s] == [[], []], s
assert [x["scans"] for x in s] == [[], []], s
' "$T/out"; then pass "explain FILE: no rewrite claimed (the old types come from V1)"
else fail "explain FILE claims a rewrite"; sed 's/^/#   /' "$T/out"; fi
# the same file outside every set: nothing is known of the old type
mkdir -p scratch && cp db/migrations/V2__widen.sql scratch/widen.sql
expect_status 1 "lint FILE outside a set is its own history" ddlgate lint scratch/widen.sql
out_has "error[change-column-type]" "outside a set: the old type is unknown, the change is reported"
rm -rf scratch

# ---- CREATE TABLE IF NOT EXISTS of a table the history has --------------
printf 'CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);\nCREATE INDEX t_note_idx ON t (note);\n' \
	>db/migrations/V3__again.sql
expect_status 1 "lint FILE: IF NOT EXISTS of an existing table does not make it new" ddlgate lint db/migrations/V3__again.sql
out_has "V3__again.sql:2:1: error[require-concurrent-index]" "the CREATE INDEX on it is reported"
git add db/migrations/V3__again.sql
expect_status 1 "pre-commit: the same, from the staged index" git commit -q -m again
out_has "V3__again.sql:2:1: error[require-concurrent-index]" "pre-commit reports it"
printf 'CREATE TABLE IF NOT EXISTS fresh (id bigint PRIMARY KEY, note text);\nCREATE INDEX fresh_note_idx ON fresh (note);\n' \
	>db/migrations/V3__again.sql
git add db/migrations/V3__again.sql
expect_status 0 "pre-commit: IF NOT EXISTS of a table the history lacks is new" git commit -q -m fresh
printf 'CREATE TABLE t (id bigint PRIMARY KEY);\nCREATE INDEX t_code_idx ON t (code);\n' >db/migrations/V4__plain.sql
expect_status 1 "lint FILE: a plain CREATE TABLE of a table the history has does not make it new" ddlgate lint db/migrations/V4__plain.sql
out_has "V4__plain.sql:2:1: error[require-concurrent-index]" "the CREATE INDEX after it is reported"
printf 'DROP TABLE t;\nCREATE TABLE t (id bigint PRIMARY KEY, code text);\nCREATE INDEX t_code_idx ON t (code);\n' >db/migrations/V4__plain.sql
expect_status 0 "lint FILE: dropped, then created again in the file: new and empty" ddlgate lint --rule ban-drop-table=off db/migrations/V4__plain.sql
rm db/migrations/V4__plain.sql

# ci: the same judgement from the merge-base's history
git checkout -q -b topic
printf 'CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);\nCREATE INDEX t_price_idx ON t (price);\n' \
	>db/migrations/V4__again.sql
git add db/migrations/V4__again.sql && git commit -q --no-verify -m "again"
expect_status 1 "ci: IF NOT EXISTS of a table the base's history has" ddlgate ci --base master --head topic
out_has "V4__again.sql:2:1: error[require-concurrent-index]" "ci reports the CREATE INDEX on it"
git checkout -q master

# ---- golang-migrate: down scripts after their up ------------------------
rm -rf "$T/g" && mkdir -p "$T/g/db" && cd "$T/g" && git init -q
printf 'CREATE TABLE t (id bigint PRIMARY KEY, code varchar(100), legacy text);\n' >db/1_create.up.sql
printf 'DROP TABLE t;\n' >db/1_create.down.sql
printf 'ALTER TABLE t ALTER COLUMN code TYPE varchar(200);\nALTER TABLE t DROP COLUMN legacy;\n' >db/2_widen.up.sql
printf 'ALTER TABLE t ALTER COLUMN code TYPE varchar(100);\nALTER TABLE t ADD COLUMN legacy text;\nALTER TABLE t RENAME TO t_old;\nALTER TABLE t_old RENAME TO t;\n' >db/2_widen.down.sql
git add -A && git commit -q -m init
expect_status 1 "lint DIR: the down script is checked against the schema after its up" ddlgate lint db
out_has "db/2_widen.down.sql:1:28: error[change-column-type]: changing the type of \"t\".\"code\" to varchar(100) rewrites the table" \
	"narrowing varchar(200) -> varchar(100) in the down script is reported"
out_lacks "2_widen.up.sql:1:28: error[change-column-type]" "the up widening is not"
out_lacks "ban-drop-table" "DROP TABLE in a down script: not ban-drop-table"
out_lacks "ban-rename-table" "RENAME in a down script: not ban-rename-table"
out_has "2_widen.up.sql:2:" "the up script's DROP COLUMN is still reported"
expect_status 1 "lint FILE of a down script: the same" ddlgate lint db/2_widen.down.sql
out_has "db/2_widen.down.sql:1:28: error[change-column-type]" "after its up (varchar(200))"
expect_status 1 "check: the same at HEAD" ddlgate check
out_has "db/2_widen.down.sql:1:28: error[change-column-type]" "check reports the down script"
expect_status 0 "explain FILE of a down script" ddlgate explain --format json db/2_widen.down.sql
if python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["statements"]
assert s[0]["rewrites"] == ["t"], s[0]
' "$T/out"; then pass "explain: the down narrowing rewrites t"
else fail "explain of the down script"; sed 's/^/#   /' "$T/out"; fi

# ---- diesel: up.sql / down.sql directories ------------------------------
rm -rf "$T/d" && mkdir -p "$T/d/migrations/2024-01-01-000000_create" "$T/d/migrations/2024-01-02-000000_widen" && cd "$T/d" && git init -q
printf 'CREATE TABLE t (id bigint PRIMARY KEY, code varchar(100));\n' >migrations/2024-01-01-000000_create/up.sql
printf 'DROP TABLE t;\n' >migrations/2024-01-01-000000_create/down.sql
printf 'ALTER TABLE t ALTER COLUMN code TYPE varchar(200);\n' >migrations/2024-01-02-000000_widen/up.sql
printf 'ALTER TABLE t ALTER COLUMN code TYPE varchar(100);\n' >migrations/2024-01-02-000000_widen/down.sql
expect_status 1 "diesel: lint DIR" ddlgate lint migrations
out_has "2024-01-02-000000_widen/down.sql:1:28: error[change-column-type]" "the down narrowing is reported"
out_lacks "widen/up.sql:1:28" "the up widening is not"
out_lacks "ban-drop-table" "down.sql's DROP TABLE is not ban-drop-table"

# ---- Flyway undo files ---------------------------------------------------
rm -rf "$T/f" && mkdir -p "$T/f/db" && cd "$T/f" && git init -q
printf 'CREATE TABLE t (id int PRIMARY KEY, code varchar(100));\n' >db/V1__a.sql
printf 'ALTER TABLE t ALTER COLUMN code TYPE varchar(200);\n' >db/V2__b.sql
printf 'ALTER TABLE t ALTER COLUMN code TYPE varchar(100);\nALTER TABLE t ADD COLUMN seq int GENERATED ALWAYS AS IDENTITY;\n' >db/U2__b.sql
expect_status 1 "flyway: lint DIR" ddlgate lint db
out_has "db/U2__b.sql:1:28: error[change-column-type]" "the undo file is checked after V2"
out_lacks "U2__b.sql:2:26: warning[prefer-bigint]" "prefer-bigint is not reported in an undo file"
out_has "V1__a.sql:1:17: warning[prefer-bigint]" "(it is in the up migration)"
finish
