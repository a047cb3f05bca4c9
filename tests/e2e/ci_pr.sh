#!/bin/sh
# `ddlgate ci --base main` on a feature branch: only the migrations the
# branch added or changed are linted; an edit of a migration already on
# main is migration-modified; old bad migrations stay quiet.
. "$DG_SRC/tests/e2e/ci_lib.inc"
needs jq jq

make_pr_repo

expect_status 1 "feature branch with a new and an edited bad migration" "$DG" ci --base main
out_has "db/migrations/V4__orders_total_idx.sql:1:1: error[require-concurrent-index]" "new migration linted"
out_has "db/migrations/V3__users.sql:2:1: error[require-concurrent-index]" "edited migration linted"
out_has "db/migrations/V3__users.sql:1:1: error[migration-modified]" "edited migration is migration-modified"
out_lacks "V2__orders_created_idx" "old bad migration not reported"
out_lacks "V1__init" "untouched migration not reported"
err_lines 0 "nothing on stderr"

expect_status 1 "json" "$DG" ci --base main --format json
expect_findings "exactly the new and the edited migrations" \
	"migration-modified db/migrations/V3__users.sql" \
	"require-concurrent-index db/migrations/V3__users.sql" \
	"migration-out-of-order db/migrations/V4__orders_total_idx.sql" \
	"require-concurrent-index db/migrations/V4__orders_total_idx.sql"
# V5 came to main after the branch point: not a deletion by this branch
expect_paths "findings on the new and the edited file only" \
	db/migrations/V3__users.sql db/migrations/V4__orders_total_idx.sql
out_has "\"files\": 2," "two files linted"

# --head names the branch; HEAD may be anywhere (here: main itself)
git checkout -q main
expect_status 1 "--head feature from main" "$DG" ci --base main --head feature --format json
expect_findings "same findings with --head" \
	"migration-modified db/migrations/V3__users.sql" \
	"require-concurrent-index db/migrations/V3__users.sql" \
	"migration-out-of-order db/migrations/V4__orders_total_idx.sql" \
	"require-concurrent-index db/migrations/V4__orders_total_idx.sql"
expect_status 0 "main against itself: nothing changed" "$DG" ci --base main
git checkout -q feature

# what actions/checkout gives a pull_request job: HEAD is the merge of the
# branch into the base's tip, detached
git checkout -q --detach main
git merge -q --no-ff --no-edit feature >/dev/null 2>&1 || { echo "merge failed"; exit 1; }
expect_status 1 "detached merge commit, as on GitHub" "$DG" ci --base main --format json
expect_findings "same findings on the merge commit" \
	"migration-modified db/migrations/V3__users.sql" \
	"require-concurrent-index db/migrations/V3__users.sql" \
	"migration-out-of-order db/migrations/V4__orders_total_idx.sql" \
	"require-concurrent-index db/migrations/V4__orders_total_idx.sql"
expect_paths "only the branch's files" \
	db/migrations/V3__users.sql db/migrations/V4__orders_total_idx.sql
git checkout -q feature

# a bare repository: there is no work tree to read, and none is needed
git clone -q --bare "$T/w" "$T/bare.git"
cd "$T/bare.git" || exit 1
expect_status 1 "bare repository, --head feature" "$DG" ci --base main --head feature --format json
expect_findings "same findings in a bare repository" \
	"migration-modified db/migrations/V3__users.sql" \
	"require-concurrent-index db/migrations/V3__users.sql" \
	"migration-out-of-order db/migrations/V4__orders_total_idx.sql" \
	"require-concurrent-index db/migrations/V4__orders_total_idx.sql"
cd "$T/w" || exit 1

# from a subdirectory, paths stay relative to the repository root
mkdir -p "$T/w/db/sub" && cd "$T/w/db/sub" || exit 1
expect_status 1 "from a subdirectory" "$DG" ci --base main
out_has "db/migrations/V4__orders_total_idx.sql:1:1:" "paths relative to the root"
cd "$T/w" || exit 1

# the work tree is not read: an uncommitted fix changes nothing, and ci
# leaves the work tree and index as they were
printf 'CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);\n' \
	>db/migrations/V4__orders_total_idx.sql
expect_status 1 "uncommitted edits are not the pull request" "$DG" ci --base main
out_has "V4__orders_total_idx.sql:1:1: error[require-concurrent-index]" "committed content checked"
if [ -n "$(git status --porcelain -- db/migrations/V3__users.sql)" ]; then
	fail "work tree touched"
else
	pass "work tree untouched"
fi
git checkout -q -- db/migrations/V4__orders_total_idx.sql

# a branch deleting a migration main has
git checkout -q -b drop main
git rm -q db/migrations/V2__orders_created_idx.sql && git commit -q -m "drop V2"
expect_status 1 "deleting a migration of main" "$DG" ci --base main --format json
expect_findings "deletion is migration-modified, nothing else" \
	"migration-modified db/migrations/V2__orders_created_idx.sql"
expect_paths "only the deleted file" db/migrations/V2__orders_created_idx.sql

# a clean branch: a good new migration after main's newest
git checkout -q -b clean main
commit_file db/migrations/V6__notes.sql 'CREATE TABLE notes (id bigint PRIMARY KEY, body text);'
expect_status 0 "clean pull request" "$DG" ci --base main
err_lines 0 "nothing on stderr"
expect_status 0 "clean pull request, json" "$DG" ci --base main --format json
expect_paths "no findings"

# base moves on after the branch point: a migration main renamed, edited or
# deleted since is main's doing, not the branch's
git checkout -q -b later-base main
git mv db/migrations/V3__users.sql db/migrations/V3__app_users.sql
printf 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, created_at timestamptz, x int);\n' \
	>db/migrations/V1__init.sql
git rm -q db/migrations/V2__orders_created_idx.sql
git commit -q -a -m "main reshuffles" && git add -A && git commit -q -m "add renamed" >/dev/null 2>&1
git checkout -q clean
expect_status 0 "base changed old migrations after the branch point" "$DG" ci --base later-base --format json
expect_paths "nothing reported for base's own changes"

# a branch touching no migration at all
git checkout -q -b docs main
commit_file docs/readme.md 'words'
expect_status 0 "docs-only pull request" "$DG" ci --base main --format json
expect_paths "no findings"

# --rule overrides apply
git checkout -q feature
expect_status 0 "--rule turns the rules off" "$DG" ci --base main \
	--rule require-concurrent-index=off --rule migration-modified=warning

# usage errors: exit 2 with one line naming the problem
expect_status 2 "no --base" "$DG" ci
out_has "--base REF is required" "says --base is required"
err_lines 1 "one line"
expect_status 2 "unknown base" "$DG" ci --base nosuch
out_has "unknown revision 'nosuch'" "names the revision"
err_lines 1 "one line"
expect_status 2 "unknown head" "$DG" ci --base main --head nosuch
out_has "--head" "names --head"
expect_status 2 "bad --config-from" "$DG" ci --base main --config-from both
out_has "--config-from must be base or head" "names the option"
expect_status 2 "stray argument" "$DG" ci main
out_has "unexpected argument 'main'" "names the argument"
expect_status 2 "unknown option" "$DG" ci --base main --bogus
out_has "unknown option '--bogus'" "names the option"
expect_status 2 "bad --format" "$DG" ci --base main --format xml
out_has "xml" "names the format"
expect_status 2 "--base without a value" "$DG" ci --base
out_has "--base needs a value" "says so"

# unrelated histories have no merge-base
git checkout -q --orphan lonely
git rm -q -r --cached . >/dev/null
commit_file other.txt 'x'
expect_status 2 "unrelated histories" "$DG" ci --base main
out_has "no common history" "says so"
err_lines 1 "one line"

# outside any repository
mkdir -p "$T/nogit" && cd "$T/nogit" || exit 1
expect_status 2 "not a repository" "$DG" ci --base main
err_lines 1 "one line"

finish
