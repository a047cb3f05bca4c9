#!/bin/sh
# pre-commit: what is staged (the index git commits, including the
# temporary index of `commit -a` / `commit <paths>`) is checked, never the
# work tree; protected-branch-commit is off unless configured.
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo --pre-commit
head0=$(git rev-parse HEAD)
bad='CREATE INDEX orders_created_idx ON orders (created_at);'
good='CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at);'
M=db/migrations/V2__idx.sql

# bad SQL staged, work tree already fixed: must still block
printf '%s\n' "$bad" >$M
git add $M
printf '%s\n' "$good" >$M
expect_status 1 "bad staged, work tree fixed" git commit -m idx
out_has "error[require-concurrent-index]" "names the rule"
out_has "$M:1:1" "names the staged file"
out_has "git commit --no-verify" "says how to override"
expect_status 0 "no commit was made" test "$(git rev-parse HEAD)" = "$head0"

# good staged, work tree bad: passes (the staged blob is what is committed)
git add $M
printf '%s\n' "$bad" >$M
expect_status 0 "good staged, work tree bad" git commit -q -m idx
head1=$(git rev-parse HEAD)

# commit -a stages the bad work tree: blocked (temporary index)
expect_status 1 "commit -a with a bad work tree" git commit -a -m bad
expect_status 0 "no commit was made" test "$(git rev-parse HEAD)" = "$head1"

# commit -a when the index is bad but the work tree good: passes
git add $M
printf '%s\n' "$good" >$M
printf 'x\n' >>README
expect_status 0 "commit -a, bad index, good work tree" git commit -q -a -m fix
expect_status 0 "the committed blob is the good one" \
	sh -c 'git show HEAD:db/migrations/V2__idx.sql | grep -q CONCURRENTLY'
head2=$(git rev-parse HEAD)

# commit <paths>: only those paths, from the work tree
printf '%s\n' "$bad" >db/migrations/V3__a.sql
printf 'CREATE TABLE t3 (id bigint);\n' >db/migrations/V4__b.sql
git add db/migrations/V3__a.sql db/migrations/V4__b.sql
expect_status 0 "commit <good path> while a bad file is staged" \
	git commit -q -m b db/migrations/V4__b.sql
expect_status 1 "commit <bad path>" git commit -m a db/migrations/V3__a.sql
git reset -q db/migrations/V3__a.sql
rm -f db/migrations/V3__a.sql

# from a subdirectory, and from a linked worktree (its own index)
printf '%s\n' "$bad" >db/migrations/V5__sub.sql
git add db/migrations/V5__sub.sql
expect_status 1 "commit from a subdirectory" sh -c 'cd db/migrations && git commit -m sub'
git reset -q db/migrations/V5__sub.sql
rm -f db/migrations/V5__sub.sql
git worktree add -q "$T/wt" -b wt 2>/dev/null
printf '%s\n' "$bad" >"$T/wt/db/migrations/V6__wt.sql"
expect_status 1 "commit -a in a linked worktree" \
	sh -c 'cd "$1" && git add db && git commit -a -m wt' sh "$T/wt"
printf '%s\n' "$good" >"$T/wt/db/migrations/V6__wt.sql"
expect_status 0 "fixed, in a linked worktree" sh -c 'cd "$1" && git add db && git commit -q -m wt' sh "$T/wt"

# a non-migration change passes
printf 'y\n' >>README
expect_status 0 "no migration staged" git commit -q -a -m readme

# protected-branch-commit: off by default, on from the config
expect_status 0 "commit on master, rule off" git commit -q --allow-empty -m empty
printf 'branch_rules:\n  protected-branch-commit: error\n' >.ddlgate.yml
printf 'z\n' >>README
expect_status 1 "commit on master, rule on" git commit -a -m readme2
out_has "error[protected-branch-commit]" "names protected-branch-commit"
out_has "protected branch 'master'" "names the branch"
git checkout -q -b topic
expect_status 0 "commit on a topic branch" git commit -q -a -m readme3
git checkout -q --detach
printf 'w\n' >>README
expect_status 0 "detached HEAD passes" git commit -q -a -m detached

# a bad config is exit 2 naming the file
printf 'no_such_key: 1\n' >.ddlgate.yml
printf 'v\n' >>README
expect_status 1 "bad config blocks the commit" git commit -a -m cfg
out_has ".ddlgate.yml:1:1" "names the config file"
expect_status 2 "bad config is exit 2" "$DDLGATE" pre-commit
rm -f .ddlgate.yml

# the first commit of a repository (no HEAD yet)
mkdir "$T/fresh" && cd "$T/fresh" && git init -q
"$DDLGATE" install --pre-commit >/dev/null
mkdir -p db/migrations
printf 'CREATE TABLE a (id bigint);\n%s\n' "$bad" | sed 's/orders/a/g' >db/migrations/V1__a.sql
git add .
expect_status 0 "first commit: index on a new table is fine" git commit -q -m init

finish
