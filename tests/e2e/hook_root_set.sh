#!/bin/sh
# A migration set at the root of the repository (`path: ./` or `path: .`)
# is checked by the hooks like any other: through real `git commit` and
# `git push`, a bad migration at the top level is refused. Found from
# fuzz_config (issue 14's campaigns): "./" became an empty set path, and the
# hooks' test of "is this change under a set" matched no file for it, so
# both hooks let the change through without a look.
. "$DG_SRC/tests/e2e/hook_lib.inc"

for spelling in ./ .; do
	make_repo --pre-push --pre-commit
	printf 'migrations:\n  - path: %s\n    format: sql\n    naming: flyway\n' "$spelling" >.ddlgate.yml
	printf 'CREATE TABLE t (a int);\n' >V5__t.sql
	git add -A && git commit -q -m "root set" && git push -q origin master 2>/dev/null
	base=$(git rev-parse HEAD)

	printf 'CREATE INDEX i ON t (a);\n' >V6__i.sql
	git add V6__i.sql
	expect_status 1 "path: $spelling: pre-commit refuses a bad migration at the root" \
		git commit -q -m "index"
	out_has 'V6__i.sql:1:1: error[require-concurrent-index]' "path: $spelling: pre-commit names it"
	[ "$(git rev-parse HEAD)" = "$base" ] && pass "path: $spelling: nothing committed" ||
		fail "path: $spelling: the commit went through"

	git commit -q --no-verify -m "index"
	expect_status 1 "path: $spelling: pre-push refuses it" git push origin master
	out_has 'V6__i.sql:1:1: error[require-concurrent-index]' "path: $spelling: pre-push names it"
	expect_remote refs/heads/master "$base" "path: $spelling: the remote did not move"
done
finish
