#!/bin/sh
# `ddlgate install`: where the shims go (hooks dir, core.hooksPath, linked
# worktrees, from a subdirectory), never overwriting a foreign hook unless
# told (--chain keeps it and runs it first, --force replaces), idempotent.
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo --pre-push
H=.git/hooks

# the installed shim is hooks/<name> from the source tree plus the recorded path
"$DDLGATE" install >/dev/null
for h in pre-push pre-commit; do
	sed "s|^ddlgate_installed=.*|ddlgate_installed=''|" $H/$h >"$T/shim"
	expect_status 0 "$h shim matches hooks/$h" cmp "$T/shim" "$DG_SRC/hooks/$h"
	expect_status 0 "$h shim is executable" test -x $H/$h
	expect_status 0 "$h shim is valid sh" sh -n $H/$h
done

# re-running is a no-op
cp $H/pre-push "$T/before"
expect_status 0 "re-install" "$DDLGATE" install
out_has "already installed" "says already installed"
expect_status 0 "unchanged" cmp "$T/before" $H/pre-push

# a foreign hook is refused, untouched
rm -f $H/pre-push $H/pre-commit
printf '#!/bin/sh\necho foreign-ran >&2\nexit 0\n' >$H/pre-push
chmod +x $H/pre-push
cp $H/pre-push "$T/foreign"
expect_status 2 "foreign hook refused" "$DDLGATE" install --pre-push
out_has "not a ddlgate hook" "says why"
out_has "--chain" "offers --chain"
expect_status 0 "foreign hook untouched" cmp "$T/foreign" $H/pre-push
# refused before writing anything: the pre-commit shim is not half-installed
expect_status 2 "both, one foreign" "$DDLGATE" install
expect_status 1 "pre-commit not written" test -e $H/pre-commit

# --chain keeps it and runs it first
expect_status 0 "--chain" "$DDLGATE" install --pre-push --chain
expect_status 0 "foreign hook kept" cmp "$T/foreign" $H/pre-push.pre-ddlgate
git checkout -q -b topic
commit_file docs/x.txt x
expect_status 1 "chained: ddlgate still blocks" git push origin topic:master
out_has "foreign-ran" "the kept hook ran"
out_has "protected-branch-push" "then ddlgate ran"
expect_status 0 "chained: good push passes" git push origin topic
out_has "foreign-ran" "the kept hook ran again"
expect_remote refs/heads/topic "$(git rev-parse HEAD)" "topic pushed"
# the kept hook can veto
printf '#!/bin/sh\ncat >"$0.stdin"\necho vetoed >&2\nexit 3\n' >$H/pre-push.pre-ddlgate
commit_file docs/y.txt y
expect_status 1 "chained hook vetoes" git push origin topic
out_has "vetoed" "veto message"
expect_status 0 "the kept hook got git's ref lines" grep -q "refs/heads/topic" $H/pre-push.pre-ddlgate.stdin
rm -f $H/pre-push.pre-ddlgate $H/pre-push.pre-ddlgate.stdin
expect_status 0 "--chain again is a no-op" "$DDLGATE" install --pre-push --chain
out_has "already installed" "already installed"

# --force replaces
printf '#!/bin/sh\nexit 0\n' >$H/pre-commit
expect_status 0 "--force" "$DDLGATE" install --pre-commit --force
out_has "replaced" "says replaced"
expect_status 0 "now ours" grep -q "^# ddlgate hook: pre-commit" $H/pre-commit
expect_status 2 "--force with --chain" "$DDLGATE" install --force --chain
expect_status 2 "unknown option" "$DDLGATE" install --bogus

# an older shim of ours (different recorded path) is updated, not refused
sed -i "s|^ddlgate_installed=.*|ddlgate_installed='/old/ddlgate'|" $H/pre-push
expect_status 0 "update our own older shim" "$DDLGATE" install --pre-push
out_has "updated" "says updated"

# from a subdirectory
rm -f $H/pre-push
mkdir -p deep/er
(cd deep/er && "$DDLGATE" install --pre-push) >"$T/out" 2>&1
expect_status 0 "installed from a subdirectory" test -x $H/pre-push
expect_status 1 "nothing written in the subdirectory" test -e deep/er/.git

# core.hooksPath, relative to the work tree
git config core.hooksPath githooks
(cd deep && "$DDLGATE" install --pre-push) >"$T/out" 2>&1
expect_status 0 "installed into core.hooksPath" test -x githooks/pre-push
expect_status 1 "blocked through core.hooksPath" git push origin topic:master
out_has "protected-branch-push" "the core.hooksPath hook ran"
expect_remote refs/heads/master "$(git rev-parse origin/master)" "master did not move"
git config --unset core.hooksPath

# a linked worktree: hooks go to the common dir, and pushes from it are checked
rm -f $H/pre-push
git worktree add -q "$T/wt" -b wt-branch 2>/dev/null
(cd "$T/wt" && "$DDLGATE" install --pre-push) >"$T/out" 2>&1
expect_status 0 "worktree install writes the common hooks dir" test -x $H/pre-push
cd "$T/wt" || exit 1
commit_file docs/wt.txt wt
expect_status 1 "push from a linked worktree onto master" git push origin wt-branch:master
out_has "local branch 'wt-branch'" "resolves the worktree's branch"
expect_status 1 "push origin HEAD:master from the worktree" git push origin HEAD:master
out_has "local branch 'wt-branch'" "HEAD is the worktree's HEAD"
expect_status 0 "push the worktree branch" git push origin HEAD
expect_remote refs/heads/wt-branch "$(git rev-parse HEAD)" "wt-branch pushed"

# outside any repository
cd "$T" || exit 1
mkdir norepo && cd norepo || exit 1
expect_status 2 "install outside a repository" env GIT_CEILING_DIRECTORIES="$T" "$DDLGATE" install
out_has "not in a git repository" "says so"

finish
