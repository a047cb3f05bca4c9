#!/bin/sh
# `ddlgate pre-push` run by hand: every form of git's ref lines, and bad
# input (exit 2 with a one-line message, never a crash or a silent pass).
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo
Z=0000000000000000000000000000000000000000
base=$(git rev-parse HEAD)
git checkout -q -b topic
commit_file docs/t.txt t
tip=$(git rev-parse HEAD)

pp() { printf "$1" >"$T/stdin"; shift; expect_status "$@"; }
run() { sh -c '"$DDLGATE" pre-push origin "$1" <"$2"' sh "$T/remote.git" "$T/stdin"; }

pp '' 0 "empty stdin: nothing to push" run
pp "refs/heads/topic $tip refs/heads/topic $Z\n" 0 "new topic branch" run
pp "refs/heads/topic $tip refs/heads/master $base\n" 1 "topic onto master" run
pp "(delete) $Z refs/heads/master $base\n" 1 "delete master" run
pp "(delete) $Z refs/heads/topic $base\n" 0 "delete topic" run
pp "HEAD $tip refs/heads/topic $Z\n" 0 "HEAD onto its own name" run
pp "HEAD $tip refs/heads/master $base\n" 1 "HEAD (topic) onto master" run
pp "$tip $tip refs/heads/master $base\n" 1 "raw sha onto master" run
pp "refs/heads/master $base refs/heads/master $base\n" 0 "master up to date" run
# a remote that is a URL, not a name
expect_status 0 "remote given as a URL" \
	sh -c 'printf "refs/heads/topic %s refs/heads/t2 %s\n" "$1" "$2" |
		"$DDLGATE" pre-push "$3" "$3"' sh "$tip" "$Z" "$T/remote.git"

# bad input: exit 2, one line naming the fault
pp "garbage\n" 2 "one field" run
out_has "pre-push input line 1" "names the line"
pp "refs/heads/topic $tip refs/heads/master\n" 2 "three fields" run
pp "refs/heads/topic $tip refs/heads/master $base extra\n" 2 "five fields" run
pp "refs/heads/topic abc refs/heads/master $base\n" 2 "short sha" run
pp "refs/heads/topic $Z refs/heads/master $base\n" 2 "zero sha without (delete)" run
pp "refs/heads/topic $tip refs/heads/topic $Z\n\n" 2 "trailing blank line" run
out_has "line 2" "names line 2"
pp "refs/heads/topic 1234567890123456789012345678901234567890 refs/heads/topic $Z\n" 2 \
	"a sha this repository does not have" run
out_has "not in this repository" "says so"
expect_status 2 "no arguments" sh -c '"$DDLGATE" pre-push </dev/null'
out_has "expected REMOTE URL" "says what is expected"
expect_status 2 "three arguments" sh -c '"$DDLGATE" pre-push a b c </dev/null'
expect_status 2 "unknown option" sh -c '"$DDLGATE" pre-push --bogus a b </dev/null'
expect_status 2 "bad --format" sh -c '"$DDLGATE" pre-push --format xml a b </dev/null'
cd "$T" || exit 1
expect_status 2 "outside a repository" \
	sh -c 'printf "" | GIT_CEILING_DIRECTORIES="$1" "$DDLGATE" pre-push a b' sh "$T"
out_has "not in a git repository" "says so"
cd "$T/w" || exit 1

# GIT_DIR and GIT_WORK_TREE are honoured (run from elsewhere)
printf "refs/heads/topic $tip refs/heads/master $base\n" >"$T/stdin"
expect_status 1 "GIT_DIR from another directory" \
	sh -c 'cd / && GIT_DIR="$1/.git" GIT_WORK_TREE="$1" "$DDLGATE" pre-push origin x <"$2"' \
	sh "$T/w" "$T/stdin"

# the pre-commit framework passes PRE_COMMIT_* variables and no stdin
expect_status 1 "pre-commit framework variables: topic onto master" \
	env PRE_COMMIT_REMOTE_NAME=origin PRE_COMMIT_REMOTE_URL="$T/remote.git" \
	PRE_COMMIT_FROM_REF="$base" PRE_COMMIT_TO_REF="$tip" \
	PRE_COMMIT_LOCAL_BRANCH=refs/heads/topic PRE_COMMIT_REMOTE_BRANCH=refs/heads/master \
	"$DDLGATE" pre-push
expect_status 0 "pre-commit framework variables: topic onto topic" \
	env PRE_COMMIT_REMOTE_NAME=origin PRE_COMMIT_REMOTE_URL="$T/remote.git" \
	PRE_COMMIT_FROM_REF="$base" PRE_COMMIT_TO_REF="$tip" \
	PRE_COMMIT_LOCAL_BRANCH=refs/heads/topic PRE_COMMIT_REMOTE_BRANCH=refs/heads/topic \
	"$DDLGATE" pre-push

# the hook never writes to the repository
find .git -newer "$T/stdin" -type f | grep -v -e '/logs/' -e 'FETCH_HEAD' >"$T/written" || true
printf "refs/heads/topic $tip refs/heads/master $base\n" >"$T/stdin"
sleep 1
touch "$T/stamp"
run >/dev/null 2>&1
"$DDLGATE" pre-commit >/dev/null 2>&1
expect_status 1 "nothing under .git changed" sh -c 'find .git -newer "$1" | grep .' sh "$T/stamp"

finish
