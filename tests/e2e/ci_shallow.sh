#!/bin/sh
# `ddlgate ci` in a shallow clone (the CI default): where the merge-base
# cannot be found, a one-line message saying to fetch the full history
# (fetch-depth: 0), exit 2; deep enough, the normal answer.
. "$DG_SRC/tests/e2e/ci_lib.inc"
needs jq jq

make_pr_repo

# what actions/checkout does by default: one commit of one branch
git clone -q --depth 1 --branch feature "file://$T/w" "$T/s1"
cd "$T/s1" || exit 1
expect_status 2 "depth 1, base branch not fetched" "$DG" ci --base main
out_has "shallow" "says shallow"
out_has "fetch-depth: 0" "says how deep to fetch"
err_lines 1 "one line"
expect_status 2 "depth 1, origin/main" "$DG" ci --base origin/main --format github
out_has "fetch-depth: 0" "says how deep to fetch"
err_lines 1 "one line"
if [ -s "$T/out" ]; then fail "nothing on stdout"; show "$T/out"; else pass "nothing on stdout"; fi

# both branches fetched, one commit each: the merge-base is cut off
git clone -q --depth 1 --no-single-branch --branch feature "file://$T/w" "$T/s2"
cd "$T/s2" || exit 1
expect_status 2 "depth 1, both branches" "$DG" ci --base origin/main
out_has "merge-base" "names the merge-base"
out_has "shallow" "says shallow"
out_has "fetch-depth: 0" "says how deep to fetch"
err_lines 1 "one line"
expect_status 2 "depth 1, both branches, sarif" "$DG" ci --base origin/main --format sarif
if [ -s "$T/out" ]; then fail "no half report on stdout"; show "$T/out"; else pass "no half report on stdout"; fi

# deep enough, on a branch that has merged main (base is an ancestor of head)
cd "$T/w" || exit 1
git checkout -q -b uptodate feature
git merge -q --no-edit main >/dev/null 2>&1 || { echo "merge failed"; exit 1; }
git clone -q --depth 3 --no-single-branch --branch uptodate "file://$T/w" "$T/s3"
cd "$T/s3" || exit 1
if [ -f .git/shallow ]; then pass "clone is shallow"; else fail "clone is not shallow"; fi
expect_status 1 "depth 3, up-to-date branch" "$DG" ci --base origin/main --format json
expect_findings "same findings as the full clone" \
	"migration-modified db/migrations/V3__users.sql" \
	"require-concurrent-index db/migrations/V3__users.sql" \
	"migration-out-of-order db/migrations/V4__orders_total_idx.sql" \
	"require-concurrent-index db/migrations/V4__orders_total_idx.sql"

# deep enough for both tips to reach the fork point, which main's side of
# a shallow clone may still cut off: the findings, or the clear message
git clone -q --depth 3 --no-single-branch --branch feature "file://$T/w" "$T/s4"
cd "$T/s4" || exit 1
"$DG" ci --base origin/main --format json >"$T/out" 2>"$T/err"
rc=$?
cat "$T/out" "$T/err" >"$T/all"
if [ "$rc" -eq 1 ]; then
	expect_findings "depth 3, diverged: the findings" \
		"migration-modified db/migrations/V3__users.sql" \
		"require-concurrent-index db/migrations/V3__users.sql" \
		"migration-out-of-order db/migrations/V4__orders_total_idx.sql" \
		"require-concurrent-index db/migrations/V4__orders_total_idx.sql"
elif [ "$rc" -eq 2 ] && grep -q "fetch-depth: 0" "$T/err"; then
	pass "depth 3, diverged: the clear message"
else
	fail "depth 3, diverged: exit $rc"
	show "$T/all"
fi

# after `git fetch --unshallow` the depth-1 clone works
cd "$T/s2" || exit 1
git fetch -q --unshallow origin 2>/dev/null
expect_status 1 "after fetch --unshallow" "$DG" ci --base origin/main --format json
expect_findings "same findings after unshallow" \
	"migration-modified db/migrations/V3__users.sql" \
	"require-concurrent-index db/migrations/V3__users.sql" \
	"migration-out-of-order db/migrations/V4__orders_total_idx.sql" \
	"require-concurrent-index db/migrations/V4__orders_total_idx.sql"

finish
