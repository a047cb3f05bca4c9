#!/bin/sh
# pre-push, migrations: the files added or changed by the pushed commits
# are linted from the object database (not the work tree), on every ref.
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo
base=$(git rev-parse HEAD)

# a new topic branch whose new commit adds a blocking migration
git checkout -q -b add-index
commit_file db/migrations/V2__orders_idx.sql 'CREATE INDEX orders_created_idx ON orders (created_at);'
expect_status 1 "new branch adding CREATE INDEX on an existing table" git push origin add-index
out_has "db/migrations/V2__orders_idx.sql:1:1" "names file:line:col"
out_has "error[require-concurrent-index]" "names the rule"
out_has "refs/heads/add-index" "names the ref"
out_has "git push --no-verify" "says how to override"
expect_remote refs/heads/add-index "" "the branch was not created"

# the work tree is irrelevant: fixing it without committing still blocks
printf 'CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at);\n' \
	>db/migrations/V2__orders_idx.sql
expect_status 1 "work tree fixed, commit not" git push origin add-index
expect_remote refs/heads/add-index "" "still not created"

# committing the fix lets it through (the bad blob is in history, not in the tip)
git commit -q -a -m "concurrently"
expect_status 0 "fixed in a later commit" git push origin add-index
expect_remote refs/heads/add-index "$(git rev-parse HEAD)" "branch created"

# a fast-forward push of master with a new blocking migration
git checkout -q master
commit_file db/migrations/V3__idx.sql 'CREATE UNIQUE INDEX orders_u ON orders (created_at);'
expect_status 1 "master fast-forward adding CREATE UNIQUE INDEX" git push origin master
out_has "error[require-concurrent-index]" "names require-concurrent-index"
expect_remote refs/heads/master "$base" "master did not move"
git reset -q --hard "$base"

# a push touching no migration passes, even with an old bad migration on the remote
commit_file db/migrations/V2__bad.sql 'CREATE INDEX orders_idx2 ON orders (id);'
git push -q --no-verify origin master 2>/dev/null
commit_file src/app.txt 'no migration here'
expect_status 0 "push touching no migration" git push origin master
expect_remote refs/heads/master "$(git rev-parse HEAD)" "master moved"
base=$(git rev-parse HEAD)

# a migration edited in place is linted again
printf 'CREATE INDEX orders_idx2 ON orders (id, created_at);\n' >db/migrations/V2__bad.sql
git commit -q -a -m "edit"
expect_status 1 "edited migration" git push origin master
out_has "V2__bad.sql" "the edited file"
expect_remote refs/heads/master "$base" "master did not move"
git reset -q --hard "$base"

# ddlgate:ignore in the file is honoured
commit_file db/migrations/V4__idx.sql '-- ddlgate:ignore require-concurrent-index small lookup table
CREATE INDEX orders_id_idx ON orders (id);'
expect_status 0 "suppressed finding" git push origin master
base=$(git rev-parse HEAD)

# graph rules run on the pushed tree: two V5 migrations after a merge
git checkout -q -b left
commit_file db/migrations/V5__left.sql 'CREATE TABLE l (id bigint);'
git checkout -q master
commit_file db/migrations/V5__right.sql 'CREATE TABLE r (id bigint);'
git merge -q --no-edit left
expect_status 1 "duplicate version after a merge" git push origin master
out_has "migration-duplicate-version" "names migration-duplicate-version"
expect_remote refs/heads/master "$base" "master did not move"
git reset -q --hard "$base"

# a migration already on the target branch edited in place
printf 'CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz, x int);\n' \
	>db/migrations/V1__init.sql
git commit -q -a -m "edit V1"
expect_status 1 "migration already on the remote edited" git push origin master
out_has "migration-modified" "names migration-modified"
expect_remote refs/heads/master "$base" "master did not move"
git reset -q --hard "$base"

# the remote moved since our last fetch: its sha is not here
git clone -q "$T/remote.git" "$T/other"
(cd "$T/other" && echo x >other.txt && git add other.txt && git commit -q -m other &&
	git push -q origin master)
moved=$(remote_at refs/heads/master)
commit_file docs/mine.txt mine
expect_status 1 "remote sha unknown locally" git push origin master
out_has "fetch first, or this is a force push" "says fetch first"
expect_remote refs/heads/master "$moved" "master did not move"

finish
