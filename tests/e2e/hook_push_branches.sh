#!/bin/sh
# pre-push, protected branches: real `git push` to a real bare remote with
# the hook installed by `ddlgate install`; each case checks the exit status
# and whether the remote ref moved.
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo
base=$(git rev-parse HEAD)

# a fast-forward push of master from master is fine
commit_file docs/a.txt one
expect_status 0 "fast-forward push of master" git push -q origin master
expect_remote refs/heads/master "$(git rev-parse HEAD)" "master moved"
base=$(git rev-parse HEAD)

# a topic branch pushed onto master
git checkout -q -b topic
commit_file docs/b.txt two
expect_status 1 "topic pushed onto master" git push origin topic:master
out_has "error[protected-branch-push]" "names the rule"
out_has "local branch 'topic' pushed onto protected branch 'master'" "names both branches"
out_has "refs/heads/master" "names the ref"
out_has "git push --no-verify" "says how to override"
expect_remote refs/heads/master "$base" "master did not move"

# `git push origin HEAD` from a topic branch makes a new remote branch: fine
expect_status 0 "push origin HEAD from topic" git push origin HEAD
expect_remote refs/heads/topic "$(git rev-parse HEAD)" "topic created on the remote"
expect_remote refs/heads/master "$base" "master untouched"

# HEAD:master from the topic branch
commit_file docs/c.txt three
expect_status 1 "HEAD:master from topic" git push origin HEAD:master
out_has "local branch 'topic' pushed onto protected branch 'master'" "HEAD resolves to topic"
expect_remote refs/heads/master "$base" "master did not move"

# a raw sha and HEAD~1 onto master
expect_status 1 "HEAD~1:master" git push origin HEAD~1:refs/heads/master
out_has "'HEAD~1'" "names HEAD~1"
expect_remote refs/heads/master "$base" "master did not move"
expect_status 1 "sha:master" git push origin "$(git rev-parse HEAD):refs/heads/master"
expect_remote refs/heads/master "$base" "master did not move"

# detached HEAD onto master
git checkout -q --detach topic
expect_status 1 "detached HEAD pushed onto master" git push origin HEAD:refs/heads/master
out_has "detached HEAD" "says detached HEAD"
expect_remote refs/heads/master "$base" "master did not move"

# detached HEAD at master's commit pushed as master: still not a branch
git checkout -q master

# deleting master
expect_status 1 "delete master" git push origin :master
out_has "error[protected-branch-delete]" "names protected-branch-delete"
expect_remote refs/heads/master "$base" "master still there"
expect_status 1 "push --delete master" git push origin --delete master
expect_remote refs/heads/master "$base" "master still there"
# deleting a topic branch is fine
expect_status 0 "delete topic" git push origin --delete topic
expect_remote refs/heads/topic "" "topic deleted"

# a forced, non-fast-forward push to master
git reset -q --hard HEAD~1
commit_file docs/rewrite.txt rewritten
expect_status 1 "force push to master" git push -f origin master
out_has "error[protected-branch-force-push]" "names protected-branch-force-push"
out_has "is not an ancestor" "explains the ancestry test"
out_lacks "protected-branch-push]" "master from master is not protected-branch-push"
expect_remote refs/heads/master "$base" "master did not move"
expect_status 1 "+master refspec" git push origin +master:master
expect_remote refs/heads/master "$base" "master did not move"
git reset -q --hard "$base"

# a forced push to a topic branch is allowed
git checkout -q -b feature
commit_file docs/f1.txt f1
git push -q origin feature 2>/dev/null
git commit -q --amend -m "f1 amended"
expect_status 0 "force push to a topic branch" git push -f origin feature
expect_remote refs/heads/feature "$(git rev-parse HEAD)" "feature was rewritten"

# tags: a lightweight and an annotated tag pushed as tags are fine
git tag v1
git tag -a -m "release 2" v2
expect_status 0 "lightweight tag push" git push origin v1
expect_remote refs/tags/v1 "$(git rev-parse v1)" "tag v1 on the remote"
expect_status 0 "annotated tag push" git push origin v2
expect_remote refs/tags/v2 "$(git rev-parse v2)" "tag v2 on the remote"
# an annotated tag pushed onto master (peeled to its commit)
expect_status 1 "annotated tag onto master" git push origin v2^{}:refs/heads/master
expect_remote refs/heads/master "$base" "master did not move"
expect_status 1 "tag ref onto master" git push origin refs/tags/v1:refs/heads/master
out_has "tag 'v1'" "names the tag"
expect_remote refs/heads/master "$base" "master did not move"

# two refs in one push, one bad: git refuses the whole push
git checkout -q -b good
commit_file docs/good.txt good
expect_status 1 "two refs, one onto master" git push origin good good:master
out_has "refs/heads/master" "the bad ref is named"
expect_remote refs/heads/good "" "the good ref did not move either"
expect_remote refs/heads/master "$base" "master did not move"
expect_status 0 "the good ref alone" git push origin good
expect_remote refs/heads/good "$(git rev-parse good)" "good pushed"

# nothing to push and --dry-run
expect_status 0 "nothing to push" git push origin good
expect_status 1 "dry run onto master" git push --dry-run origin good:master
expect_remote refs/heads/master "$base" "master did not move"

# release/* globs from .ddlgate.yml in the work tree
git checkout -q master
printf 'protected_branches: [master, "release/*"]\n' >.ddlgate.yml
git checkout -q good
expect_status 1 "topic onto release/1.0 (glob)" git push origin good:release/1.0
expect_remote refs/heads/release/1.0 "" "release/1.0 not created"
# a branch rule set to off
printf 'protected_branches: [master]\nbranch_rules:\n  protected-branch-push: off\n' >.ddlgate.yml
expect_status 0 "protected-branch-push: off" git push origin good:master
expect_remote refs/heads/master "$(git rev-parse good)" "master moved"
rm -f .ddlgate.yml

# --no-verify overrides
git checkout -q master
git reset -q --hard "$base"
expect_status 0 "--no-verify" git push -q --no-verify -f origin master
expect_remote refs/heads/master "$base" "forced back"

# JSON output from the hook names the ref
printf 'refs/heads/good %s refs/heads/master %s\n' "$(git rev-parse good)" "$base" >"$T/stdin"
expect_status 1 "json" sh -c '"$DDLGATE" pre-push --format json origin "$1" <"$2"' sh "$T/remote.git" "$T/stdin"
out_has '"ref": "refs/heads/master"' "json carries ref"
out_has '"rule": "protected-branch-push"' "json carries rule"

finish
