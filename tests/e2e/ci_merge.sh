#!/bin/sh
# `ddlgate ci` checks the merge a pull request would make: two branches that
# are each fine but conflict once merged (Alembic heads, Django leaves,
# Flyway and golang-migrate versions, a migration edited on both sides),
# on the branch and on GitHub's merge ref, a branch rebased correctly, and
# the repository left exactly as it was (refs, index, work tree, objects).
. "$DG_SRC/tests/e2e/ci_lib.inc"

# snapshot DIR: every file of the work tree with its hash, every file under
# .git with its size and modification time (a new object, a rewritten index
# or ref, even a touched pack shows); ddlgate's cache is outside the repository
snapshot() {
	(cd "$1" && find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum
	 find .git -type f -printf '%p %s %T@\n' | sort)
}
expect_unchanged() {
	snapshot "$1" >"$T/snap.after"
	same_text "$T/snap.after" "$T/snap.before" "$2"
}

# short id and subject as the messages quote them
commit_of() { git log -1 --format='commit %h "%s"' "$@"; }

# ---- Alembic: two revisions on the same parent, one per branch ----
git init -q "$T/alembic" && cd "$T/alembic" || exit 1
printf '[alembic]\nscript_location = alembic\n' >alembic.ini
mkdir -p alembic/versions
printf 'revision = "aaaa00000001"\ndown_revision = None\n' >alembic/versions/aaaa_init.py
git add . && git commit -q -m init
git checkout -q -b topic
commit_file alembic/versions/bbbb_topic.py \
	"$(printf 'revision = "bbbb00000002"\ndown_revision = "aaaa00000001"')" "add topic"
git checkout -q main
commit_file alembic/versions/cccc_other.py \
	"$(printf 'revision = "cccc00000003"\ndown_revision = "aaaa00000001"')" "add other"
git checkout -q topic
topic_commit=$(commit_of topic)
other_commit=$(commit_of main)

expect_status 0 "each branch alone has one head: check on topic" "$DG" check
snapshot . >"$T/snap.before"
expect_status 1 "two heads after the merge into main" "$DG" ci --base main
out_has "alembic/versions/bbbb_topic.py:1:1: error[migration-multiple-heads]" \
	"points at the branch's revision"
out_has "have 2 heads after the merge into main" "says the merge makes them"
out_has "bbbb00000002 (alembic/versions/bbbb_topic.py, from this branch in $topic_commit)" \
	"names this branch's head and its commit"
out_has "cccc00000003 (alembic/versions/cccc_other.py, from main in $other_commit)" \
	"names the base's head and its commit"
out_has 'help: bring main into this branch (`git merge main`), then: alembic merge -m "merge heads" bbbb00000002 cccc00000003' \
	"gives the exact fix"
expect_unchanged . "ci leaves the repository as it was"
expect_status 1 "json" "$DG" ci --base main --format json
expect_findings "exactly the heads" "migration-multiple-heads alembic/versions/bbbb_topic.py"
cp "$T/out" "$T/branch.json"

# GitHub checks out refs/pull/N/merge: HEAD is already the merge, detached
git checkout -q --detach main
git merge -q --no-ff --no-edit topic >/dev/null 2>&1 || { echo "merge failed"; exit 1; }
git update-ref refs/pull/1/merge HEAD
snapshot . >"$T/snap.before"
expect_status 1 "GitHub merge ref" "$DG" ci --base main --format json
same_text "$T/out" "$T/branch.json" "the merge ref gives the same result as the branch"
expect_status 1 "--head refs/pull/1/merge" "$DG" ci --base main --head refs/pull/1/merge
out_has "from refs/pull/1/merge in $topic_commit" "names the branch's commit through the merge"
expect_unchanged . "the merge ref run leaves the repository as it was"
git checkout -q topic

# a branch rebased correctly: its revision now follows the base's head
git checkout -q -b rebased main
commit_file alembic/versions/bbbb_topic.py \
	"$(printf 'revision = "bbbb00000002"\ndown_revision = "cccc00000003"')" "add topic on other"
expect_status 0 "rebased branch" "$DG" ci --base main --format json
expect_paths "no findings"
# and one that merged the base and joined the heads with a merge revision
git checkout -q -b joined topic
git merge -q --no-edit main >/dev/null 2>&1
commit_file alembic/versions/dddd_merge.py \
	"$(printf 'revision = "dddd00000004"\ndown_revision = ("bbbb00000002", "cccc00000003")')" \
	"merge heads"
expect_status 0 "branch with a merge revision" "$DG" ci --base main --format json
expect_paths "no findings"

# ---- Django: two leaf migrations of one app ----
git init -q "$T/django" && cd "$T/django" || exit 1
mkdir -p shop/migrations
: >shop/migrations/__init__.py
printf 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = []\n' \
	>shop/migrations/0001_initial.py
git add . && git commit -q -m init
django_mig() {
	printf 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = []\n'
}
git checkout -q -b topic
commit_file shop/migrations/0002_topic.py "$(django_mig)" "shop: topic"
git checkout -q main
commit_file shop/migrations/0002_other.py "$(django_mig)" "shop: other"
git checkout -q topic
expect_status 1 "two Django leaves after the merge" "$DG" ci --base main
out_has "shop/migrations/0002_topic.py:4:1: error[migration-multiple-heads]" "points at the branch's migration"
out_has "Django app 'shop' has 2 leaf migrations after the merge into main" "says so"
out_has "0002_topic (shop/migrations/0002_topic.py, from this branch in $(commit_of topic))" \
	"names this branch's leaf and its commit"
out_has "0002_other (shop/migrations/0002_other.py, from main in $(commit_of main))" \
	"names the base's leaf and its commit"
out_has 'python manage.py makemigrations --merge shop' "gives the Django fix"

# ---- Flyway: the base gained V3 and V4 after the branch point, the branch adds V3 ----
git init -q "$T/flyway" && cd "$T/flyway" || exit 1
echo "the app" >README
commit_file db/migrations/V1__init.sql 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);'
commit_file db/migrations/V2__users.sql 'CREATE TABLE users (id bigint PRIMARY KEY);'
git checkout -q -b topic
commit_file db/migrations/V3__other.sql 'CREATE TABLE other (id bigint PRIMARY KEY);' "add other"
git checkout -q main
commit_file db/migrations/V3__fine.sql 'CREATE TABLE fine (id bigint PRIMARY KEY);' "add fine"
commit_file db/migrations/V4__more.sql 'CREATE TABLE more (id bigint PRIMARY KEY);' "add more"
git checkout -q topic
expect_status 0 "the branch alone is fine" "$DG" check
snapshot . >"$T/snap.before"
expect_status 1 "duplicate version after the merge" "$DG" ci --base main
out_has "db/migrations/V3__other.sql:1:1: error[migration-duplicate-version]: flyway version 3 is used by 2 migrations after the merge into main" \
	"points at the branch's file"
out_has "db/migrations/V3__fine.sql (from main in $(commit_of main~1))" "names the base's file and commit"
out_has "db/migrations/V3__other.sql (from this branch in $(commit_of topic))" \
	"names the branch's file and commit"
out_has "help: rename db/migrations/V3__other.sql to V5__other.sql (the next version free on main, this branch and the merge)" \
	"suggests a version free on both sides (not V4, which main has)"
out_has "warning[migration-out-of-order]" "out of order too"
out_has "rename it to V5__other.sql" "the same free version for the same file"
expect_unchanged . "ci leaves the repository as it was"

# ---- golang-migrate ----
git init -q "$T/golang" && cd "$T/golang" || exit 1
commit_file migrations/000001_init.up.sql 'CREATE TABLE a (id bigint PRIMARY KEY);'
commit_file migrations/000001_init.down.sql 'DROP TABLE a;'
git checkout -q -b topic
commit_file migrations/000002_other.up.sql 'CREATE TABLE other (id bigint PRIMARY KEY);'
commit_file migrations/000002_other.down.sql 'DROP TABLE other;'
git checkout -q main
commit_file migrations/000002_fine.up.sql 'CREATE TABLE fine (id bigint PRIMARY KEY);'
commit_file migrations/000002_fine.down.sql 'DROP TABLE fine;'
git checkout -q topic
expect_status 1 "golang-migrate duplicate after the merge" "$DG" ci --base main --format json
expect_findings "the duplicate, on the branch's file" \
	"migration-duplicate-version migrations/000002_other.up.sql"
out_has "rename migrations/000002_other.up.sql to 000003_other.up.sql" "keeps the width"
out_has "and its .down.sql to match" "and the down file"

# ---- a migration edited on both sides ----
cd "$T/flyway" || exit 1
git checkout -q -b edit-both main~2
printf 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' >db/migrations/V2__users.sql
echo "branch readme" >README
git commit -q -a -m "users: email"
git checkout -q -b base-edit main
printf 'CREATE TABLE users (id bigint PRIMARY KEY, name text);\n' >db/migrations/V2__users.sql
echo "base readme" >README
git commit -q -a -m "users: name"
# one migration changed on both sides where git merges it on its own
printf 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n\n\n\nCREATE INDEX CONCURRENTLY orders_total ON orders (total);\n' \
	>db/migrations/V1__init.sql
git commit -q -a -m "orders: index"
git checkout -q edit-both
printf -- '-- the orders\nCREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n' \
	>db/migrations/V1__init.sql
git commit -q -a -m "orders: comment"
snapshot . >"$T/snap.before"
objects_before=$(git count-objects -v | sed -n 's/^count: //p;s/^in-pack: //p' | tr '\n' ' ')
expect_status 1 "a migration edited on both sides" "$DG" ci --base base-edit --format json
expect_findings "a conflict on V2, modified V1 and V2, nothing about README" \
	"migration-merge-conflict db/migrations/V2__users.sql" \
	"migration-modified db/migrations/V1__init.sql" \
	"migration-modified db/migrations/V2__users.sql"
expect_status 1 "text" "$DG" ci --base base-edit
out_has "db/migrations/V2__users.sql:1:1: error[migration-merge-conflict]: this migration conflicts with base-edit: both sides changed it since they split" \
	"says what conflicts"
out_has "changed on base-edit in $(commit_of base-edit~1) and on this branch in $(commit_of edit-both~1)" \
	"names the commit of each side"
out_lacks "README" "a conflict outside the migrations does not count"
out_lacks "V1__init.sql:1:1: error[migration-merge-conflict]" "a clean content merge is no conflict"
expect_unchanged . "the repository is as it was"
objects_after=$(git count-objects -v | sed -n 's/^count: //p;s/^in-pack: //p' | tr '\n' ' ')
if [ "$objects_before" = "$objects_after" ]; then
	pass "no object written (the merged V1 stayed in memory): $objects_after"
else
	fail "objects before: $objects_before, after: $objects_after"
fi
if git fsck --no-dangling >"$T/fsck" 2>&1; then pass "fsck is clean"; else
	fail "fsck complains"
	show "$T/fsck"
fi

# the same from a shallow clone deep enough for the merge base
git clone -q --no-local --depth 4 --no-single-branch "file://$T/flyway" "$T/shallow"
cd "$T/shallow" || exit 1
expect_status 1 "shallow clone: conflict found" "$DG" ci --base origin/base-edit \
	--head origin/edit-both --format json
expect_findings "the same findings in a shallow clone" \
	"migration-merge-conflict db/migrations/V2__users.sql" \
	"migration-modified db/migrations/V1__init.sql" \
	"migration-modified db/migrations/V2__users.sql"
expect_status 1 "shallow clone: duplicate found" "$DG" ci --base origin/main --head origin/topic \
	--format json
expect_findings "the duplicate and the late file" \
	"migration-duplicate-version db/migrations/V3__other.sql" \
	"migration-out-of-order db/migrations/V3__other.sql"

finish
