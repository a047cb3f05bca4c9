#!/bin/sh
# The last line of a blocked push counts what was checked (a push blocked
# by a branch rule alone names the ref, not "0 files, 0 statements"), and a
# protected_branches list that matches no branch of the repository is
# warned about, once, on stderr.
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo --pre-push --pre-commit
git checkout -q -b topic
commit_file docs/b.txt two
expect_status 1 "topic pushed onto master" git push origin topic:master
out_has "1 error, 0 warnings in 1 pushed ref" "summary names the pushed ref"
out_lacks "0 files" "no claim of 0 files"
out_lacks "0 statements" "no claim of 0 statements"

# a push that also carries a migration counts both
printf 'CREATE INDEX orders_idx ON orders (created_at);\n' >db/migrations/V2__idx.sql
git add db && git commit -q --no-verify -m idx
expect_status 1 "topic with a migration onto master" git push origin topic:master
out_has "2 errors, 0 warnings in 1 pushed ref, 1 file, 1 statement" "summary: ref, file, statement"
git reset -q --hard HEAD~1

# JSON keeps its fixed summary keys
printf '%s %s %s %s\n' refs/heads/topic "$(git rev-parse HEAD)" refs/heads/master \
	"$(git rev-parse origin/master)" >"$T/stdin"
"$DDLGATE" pre-push --format json origin "$T/remote.git" <"$T/stdin" >"$T/json" 2>"$T/err"
got=$(python3 -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))["summary"]))' "$T/json")
[ "$got" = "['errors', 'files', 'statements', 'warnings']" ] && pass "json summary keys unchanged" ||
	fail "json summary keys: $got"

# ---- protected_branches that names no branch here
expect_status 0 "defaults match master: a clean push" git push -q origin topic
out_lacks "names no branch" "no warning when master exists"
printf 'protected_branches: [trunk]\n' >.ddlgate.yml
expect_status 0 "push with protected_branches [trunk]" git push -q origin topic
out_has "ddlgate: warning: .ddlgate.yml: protected_branches [trunk] names no branch of this repository" \
	"warns that trunk names no branch"
got=$(grep -c "names no branch" "$T/out")
[ "$got" -eq 1 ] && pass "warned once" || fail "warned $got times"
# two refs in one push: still one warning
git branch -q other
expect_status 0 "two refs, one push" git push -q origin topic other
got=$(grep -c "names no branch" "$T/out")
[ "$got" -eq 1 ] && pass "two refs: warned once" || fail "two refs: warned $got times"
# a remote-tracking branch counts
git --git-dir="$T/remote.git" branch trunk master
git fetch -q origin
git branch -q -D other
expect_status 0 "trunk exists on the remote" git push -q origin topic
out_lacks "names no branch" "no warning once origin/trunk exists"
# branch rules off: nothing to warn about
printf 'protected_branches: [nosuch]\nbranch_rules:\n  protected-branch-push: off\n  protected-branch-delete: off\n  protected-branch-force-push: off\n' >.ddlgate.yml
expect_status 0 "push rules off" git push -q origin topic
out_lacks "names no branch" "no warning when the push rules are off"
# the default list, in a repository whose branch is called trunk
rm .ddlgate.yml
git init -q "$T/t2" && cd "$T/t2" && git checkout -q -b trunk && commit_file a.txt a
printf 'refs/heads/trunk %s refs/heads/trunk 0000000000000000000000000000000000000000\n' \
	"$(git rev-parse HEAD)" >"$T/stdin2"
"$DDLGATE" pre-push origin /nowhere <"$T/stdin2" >"$T/out" 2>&1
out_has "the default protected_branches [main, master] names no branch" "default list: says so"
out_has "set protected_branches in .ddlgate.yml" "default list: says where to fix it"
# pre-commit warns only when protected-branch-commit is on
git checkout -q -b trunk2
printf 'x\n' >b.txt && git add b.txt
"$DDLGATE" pre-commit >"$T/out" 2>&1
out_lacks "names no branch" "pre-commit with protected-branch-commit off: no warning"
printf 'protected_branches: [main]\nbranch_rules:\n  protected-branch-commit: error\n' >.ddlgate.yml
"$DDLGATE" pre-commit >"$T/out" 2>&1
out_has "protected_branches [main] names no branch" "pre-commit with protected-branch-commit on: warns"

finish
