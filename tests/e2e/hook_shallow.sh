#!/bin/sh
# pre-push from a shallow clone: history behind the graft is missing.
# Whatever can be decided is; what cannot gets a clear message, no crash.
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo
for i in 2 3 4 5; do commit_file "docs/$i.txt" "$i"; done
git push -q origin master 2>/dev/null
git clone -q --depth 1 "file://$T/remote.git" "$T/shallow"
cd "$T/shallow" || exit 1
"$DDLGATE" install --pre-push >/dev/null
base=$(git rev-parse HEAD)

# a fast-forward of master on top of the shallow tip
commit_file docs/6.txt six
expect_status 0 "shallow: fast-forward push of master" git push origin master
expect_remote refs/heads/master "$(git rev-parse HEAD)" "master moved"
base=$(git rev-parse HEAD)

# a blocking migration is still found
commit_file db/migrations/V2__idx.sql 'CREATE INDEX orders_idx ON orders (created_at);'
expect_status 1 "shallow: blocking migration" git push origin master
out_has "require-concurrent-index" "names the rule"
expect_remote refs/heads/master "$base" "master did not move"
git reset -q --hard "$base"

# a new branch: its commits are found up to the remote-tracking refs
git checkout -q -b topic
commit_file db/migrations/V3__idx.sql 'CREATE INDEX orders_idx ON orders (created_at);'
expect_status 1 "shallow: new branch with a blocking migration" git push origin topic
out_has "require-concurrent-index" "names the rule"
out_lacks "Sanitizer" "no crash"
expect_remote refs/heads/topic "" "topic not created"

# a force push whose ancestry reaches past the graft
git checkout -q master
git reset -q --hard HEAD~1 2>/dev/null || git reset -q --hard "$base"
echo rewritten >docs/r.txt && git add docs/r.txt && git commit -q --amend -m rewritten
expect_status 1 "shallow: rewritten master" git push -f origin master
out_has "protected-branch-force-push" "names the rule"
expect_remote refs/heads/master "$base" "master did not move"

# a new branch whose history reaches past the graft with no remote-tracking
# ref to stop at: a clear message, exit 2
git checkout -q --orphan lonely 2>/dev/null
git update-ref -d refs/remotes/origin/master
git update-ref -d refs/remotes/origin/HEAD 2>/dev/null
git checkout -q -B lonely2 "$base"
commit_file db/migrations/V4__x.sql 'SELECT 1;'
printf 'refs/heads/lonely2 %s refs/heads/lonely2 %s\n' "$(git rev-parse HEAD)" \
	0000000000000000000000000000000000000000 >"$T/stdin"
expect_status 2 "shallow: history missing" sh -c '"$DDLGATE" pre-push origin url <"$1"' sh "$T/stdin"
out_has "shallow" "says shallow"
out_has "fetch" "says what to do"

finish
