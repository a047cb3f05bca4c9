#!/bin/sh
# The commit that added each head or duplicate is named in the messages of
# `check`, the pre-push hook and the pre-commit hook (a merge in progress
# included), found by walking the history of the migration directory.
. "$DG_SRC/tests/e2e/hook_lib.inc"

commit_of() { git log -1 --format='commit %h "%s"' "$@"; }

make_repo --pre-push --pre-commit
printf '[alembic]\nscript_location = alembic\n' >alembic.ini
mkdir -p alembic/versions
printf 'revision = "a1"\ndown_revision = None\n' >alembic/versions/a1_init.py
git add . && git commit -q -m "alembic: init" && git push -q origin master
base=$(git rev-parse HEAD)

git checkout -q -b topic
printf 'revision = "b2"\ndown_revision = "a1"\n' >alembic/versions/b2_topic.py
git add . && git commit -q -m "add b2 on the topic"
commit_file src/app.txt "more work on the topic"
b2=$(commit_of topic~1)
git checkout -q master
printf 'revision = "c3"\ndown_revision = "a1"\n' >alembic/versions/c3_other.py
git add . && git commit -q -m "add c3 on master"
c3=$(commit_of master)
git merge -q --no-edit topic
merged=$(git rev-parse HEAD)

# check at HEAD (the merge commit): the commit that added each head
expect_status 1 "check after the merge" ddlgate check
out_has "b2 (alembic/versions/b2_topic.py, added in $b2)" "names the commit that added b2 (not the merge)"
out_has "c3 (alembic/versions/c3_other.py, added in $c3)" "names the commit that added c3"
expect_status 1 "check --rev of the merge, json" ddlgate check --rev "$merged" --format json
out_has "added in $(printf '%s' "$b2" | sed 's/"/\\"/g')" "json carries the commit"

# the pre-push hook of the merged master names them too
expect_status 1 "pushing the merge" git push origin master
out_has "error[migration-multiple-heads]" "blocked by the heads"
out_has "b2 (alembic/versions/b2_topic.py, added in $b2)" "the push names b2's commit"
out_has "c3 (alembic/versions/c3_other.py, added in $c3)" "the push names c3's commit"

# files on disk have no commit
expect_status 1 "check --worktree" ddlgate check --worktree
out_has "b2 (alembic/versions/b2_topic.py), c3 (alembic/versions/c3_other.py)" "no commit for files on disk"

# pre-commit during the merge: one head is on HEAD, one comes with MERGE_HEAD
git reset -q --hard "$(git rev-parse "$merged"~1)"
git merge -q --no-commit --no-ff topic >/dev/null 2>&1
expect_status 1 "pre-commit of the merge" ddlgate pre-commit
out_has "b2 (alembic/versions/b2_topic.py, from the branch being merged, in $b2)" \
	"the merged branch's head"
out_has "c3 (alembic/versions/c3_other.py, added in $c3)" "HEAD's head"
printf 'revision = "d4"\ndown_revision = ("b2", "c3")\n' >alembic/versions/d4_merge.py
printf 'revision = "e5"\ndown_revision = "d4"\n' >alembic/versions/e5_new.py
printf 'revision = "f6"\ndown_revision = "d4"\n' >alembic/versions/f6_new.py
git add alembic
expect_status 1 "staged files no commit has yet" ddlgate check --rev :index
out_has "e5 (alembic/versions/e5_new.py, not committed yet), f6 (alembic/versions/f6_new.py, not committed yet)" \
	"says they are not committed"
git merge --abort
git clean -q -f alembic

# Flyway: both files of a duplicate version, each with its commit
git checkout -q -b left "$base"
commit_file db/migrations/V5__left.sql 'CREATE TABLE l (id bigint PRIMARY KEY);'
git checkout -q -b right "$base"
commit_file db/migrations/V5__right.sql 'CREATE TABLE r (id bigint PRIMARY KEY);'
git merge -q --no-edit left
expect_status 1 "duplicate version after a merge" ddlgate check
out_has "db/migrations/V5__left.sql (added in $(commit_of left)), db/migrations/V5__right.sql (added in $(commit_of right~1))" \
	"names both commits"

# a subject that is long, has control characters or is not UTF-8 is cleaned up
git checkout -q -b odd "$base"
mkdir -p db/migrations
printf 'CREATE TABLE o (id bigint PRIMARY KEY);\n' >db/migrations/V5__odd.sql
printf 'CREATE TABLE p (id bigint PRIMARY KEY);\n' >db/migrations/V5__odd2.sql
git add db
printf 'a subject\twith a tab and a very long tail that goes on and on past sixty bytes\n' >"$T/msg"
git commit -q --no-verify -F "$T/msg"
expect_status 1 "long subject" ddlgate check --format json
out_has 'a subject with a tab and a very long tail that goes on and o...' "cut with an ellipsis, tab made a space"
if jq -e . "$T/out" >/dev/null 2>&1; then pass "still valid JSON"; else fail "invalid JSON"; fi
printf 'CREATE TABLE p (id bigint PRIMARY KEY);\n' >db/migrations/V5__odd2.sql
printf 'CREATE TABLE q (id bigint PRIMARY KEY);\n' >db/migrations/V5__odd3.sql
git add db
printf 'caf\351 latin-1 subject\n' >"$T/msg"
git -c i18n.commitEncoding=ISO-8859-1 commit -q --no-verify -F "$T/msg"
expect_status 1 "a subject that is not UTF-8" ddlgate check --format json
if jq -e . "$T/out" >/dev/null 2>&1; then pass "valid JSON"; else fail "invalid JSON"; show "$T/out"; fi
out_has 'caf? latin-1 subject' "non-UTF-8 bytes shown as ?"

# a shallow clone: the history ends at the graft, which is named
git checkout -q master && git reset -q --hard "$merged"
git push -q --no-verify origin master 2>/dev/null
git clone -q --no-local --depth 1 "file://$T/remote.git" "$T/shallow"
cd "$T/shallow" || exit 1
expect_status 1 "check in a depth-1 clone" ddlgate check
out_has "b2 (alembic/versions/b2_topic.py, added in commit $(git log -1 --format=%h)" \
	"the graft point is named"

finish
