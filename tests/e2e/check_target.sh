#!/bin/sh
# Graph rules that compare with the target branch (migration-out-of-order,
# migration-modified) through the pre-push hook, and `ddlgate check --rev`
# on commits and the index, on real repositories.
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo
base=$(git rev-parse HEAD)

# V3 on the remote; a branch made before it adds V2: out of order (a warning)
commit_file db/migrations/V3__later.sql 'CREATE TABLE later (id bigint);'
git push -q origin master 2>/dev/null
git checkout -q -b old-topic "$base"
commit_file db/migrations/V2__older.sql 'CREATE TABLE older (id bigint);'
git merge -q --no-edit master
git checkout -q master && git merge -q --ff-only old-topic
expect_status 0 "out-of-order is a warning: the push goes through" git push origin master
out_has "db/migrations/V2__older.sql:1:1: warning[migration-out-of-order]" "names the late file"
out_has "sorts before 3 (db/migrations/V3__later.sql)" "names the newest on the target"
out_has "rename it to V4__older.sql" "suggests the next free version"
tip=$(git rev-parse HEAD)

# with the rule at error level the push is blocked
git checkout -q -b topic2 "$base"
commit_file db/migrations/V1_5__other.sql 'CREATE TABLE other (id bigint);'
git merge -q --no-edit master
expect_status 0 "the same push at the default level" \
	"$DDLGATE" pre-push origin "$T/remote.git" <<EOF2
refs/heads/topic2 $(git rev-parse HEAD) refs/heads/topic2 0000000000000000000000000000000000000000
EOF2
expect_status 1 "--rule migration-out-of-order=error blocks" \
	"$DDLGATE" pre-push --rule migration-out-of-order=error origin "$T/remote.git" <<EOF2
refs/heads/topic2 $(git rev-parse HEAD) refs/heads/master $tip
EOF2
out_has "V1_5__other.sql:1:1: error[migration-out-of-order]" "reported as error"
git checkout -q master

# deleting a migration that is on the target
git rm -q db/migrations/V3__later.sql && git commit -q -m "drop V3"
expect_status 1 "a deleted migration blocks" git push origin master
out_has "db/migrations/V3__later.sql: error[migration-modified]" "names the deleted file without a line"
out_has "was deleted" "says deleted"
expect_remote refs/heads/master "$tip" "master did not move"
git reset -q --hard "$tip"

# an Alembic revision edited after it reached the target
printf '[alembic]\nscript_location = alembic\n' >alembic.ini
mkdir -p alembic/versions
printf 'revision = "a1"\ndown_revision = None\n' >alembic/versions/a1_init.py
git add . && git commit -q -m alembic && git push -q origin master 2>/dev/null
tip=$(git rev-parse HEAD)
printf 'revision = "a1"\ndown_revision = None\n# edited\n' >alembic/versions/a1_init.py
git commit -q -a -m "edit a1"
expect_status 1 "an edited alembic revision blocks" git push origin master
out_has "alembic/versions/a1_init.py:1:1: error[migration-modified]" "names the revision file"
git reset -q --hard "$tip"

# two heads pushed: blocked, with the merge command
printf 'revision = "b2"\ndown_revision = "a1"\n' >alembic/versions/b2_x.py
printf 'revision = "c3"\ndown_revision = "a1"\n' >alembic/versions/c3_y.py
git add . && git commit -q -m "two heads"
expect_status 1 "two alembic heads block" git push origin master
out_has 'alembic merge -m "merge heads" b2 c3' "gives the merge command"
head2=$(git rev-parse HEAD)
git reset -q --hard "$tip"

# a new migration after the newest on the target: nothing to say
commit_file db/migrations/V9__next.sql 'CREATE TABLE next_one (id bigint);'
expect_status 0 "a migration numbered after the target's newest" git push origin master
out_lacks "migration-out-of-order" "not out of order"
out_lacks "migration-modified" "nothing modified"
tip=$(git rev-parse HEAD)

# check --rev: a commit, HEAD, and the index
expect_status 1 "check --rev SHA sees the two heads" "$DDLGATE" check --rev "$head2"
out_has "error[migration-multiple-heads]" "multiple heads at that commit"
expect_status 0 "check --rev HEAD is clean" "$DDLGATE" check --rev HEAD
printf 'revision = "d4"\ndown_revision = "a1"\n' >alembic/versions/d4_z.py
printf 'revision = "e5"\ndown_revision = "a1"\n' >alembic/versions/e5_w.py
expect_status 0 "untracked files are not in the index" "$DDLGATE" check --rev :index
git add alembic/versions/d4_z.py alembic/versions/e5_w.py
expect_status 1 "check --rev :index sees staged heads" "$DDLGATE" check --rev :index
out_has "d4 (alembic/versions/d4_z.py, not committed yet), e5 (alembic/versions/e5_w.py, not committed yet)" \
	"names the staged heads, not committed yet"
expect_status 0 "check defaults to HEAD, where the heads are not committed yet" "$DDLGATE" check
expect_status 1 "check --worktree sees them too" "$DDLGATE" check --worktree
expect_status 2 "an unknown revision is exit 2" "$DDLGATE" check --rev no-such-branch
out_has "no-such-branch" "names the revision"
(cd db && expect_status 1 "check from a subdirectory uses the repository root" "$DDLGATE" check --worktree)
out_has "alembic/versions/d4_z.py" "paths relative to the root"

finish
