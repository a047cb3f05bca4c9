#!/bin/sh
# `make demo` shows ddlgate's output, not the build's: scripts/quietly
# prints one line for a build that works and the whole log for one that
# fails; scripts/demo (run here on the built binary) shows the lint report
# and the two blocked pushes, and master does not move; a Django app linted
# without running Python; ci finding the two Alembic heads only the merge makes.
. "$DG_SRC/tests/e2e/ci_lib.inc"

Q="$DG_SRC/scripts/quietly"
expect_status 0 "quietly: a command that works" sh "$Q" "building ddlgate" sh -c 'echo "[ 10%] Building C object x.o"; echo noise >&2'
printf 'building ddlgate ...\n' >"$T/want"
same_text "$T/out" "$T/want" "quietly: one line, none of the command's output"
err_lines 0 "quietly: nothing on stderr"
expect_status 3 "quietly: a command that fails keeps its exit status" sh "$Q" "building ddlgate" sh -c 'echo "x.c:1: error: boom" >&2; exit 3'
out_has "x.c:1: error: boom" "quietly: the failing build's output is shown"
out_has "building ddlgate: failed (exit 3)" "quietly: says it failed"
grep -q 'scripts/quietly "building ddlgate"' "$DG_SRC/Makefile" && pass "make demo builds through scripts/quietly" ||
	fail "the Makefile's demo target does not use scripts/quietly"

DDLGATE="$DDLGATE" sh "$DG_SRC/scripts/demo" >"$T/demo" 2>&1
rc=$?
cp "$T/demo" "$T/all"
[ "$rc" -eq 0 ] && pass "scripts/demo runs through (exit 0)" || { fail "scripts/demo: exit $rc"; show "$T/demo"; }
out_has "== ddlgate lint db/migrations ==" "demo: the lint section"
out_has "error[require-concurrent-index]" "demo: the lint report"
out_has "help: CREATE INDEX CONCURRENTLY" "demo: the safe way"
out_has "error[protected-branch-push]" "demo: topic onto master blocked"
out_has "remote branches now: master" "demo: master is the only remote branch"
out_has "shop/migrations/0002_order_paid.py:17:9: error[require-concurrent-index]" "demo: the Django migration, at the operation"
out_has "use AddIndexConcurrently" "demo: Django's safe way"
out_has "error[migration-multiple-heads]: alembic migrations in alembic/versions have 2 heads after the merge into origin/master" "demo: ci finds the heads only the merge makes"
out_has 'alembic merge -m "merge heads" b2000002 c3000003' "demo: the exact fix"
out_lacks "Building C object" "demo: no build output"
out_lacks "AddressSanitizer" "demo: no crash"
finish
