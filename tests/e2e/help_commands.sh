#!/bin/sh
# `ddlgate help COMMAND`, `ddlgate COMMAND --help` / `-h`: every command of
# `ddlgate --help` has its own usage, with its own options, on stdout, exit 0.
. "$DG_SRC/tests/e2e/ci_lib.inc"

cd "$T" || exit 1
expect_status 0 "--help" "$DG" --help
cp "$T/out" "$T/top"
out_has "usage: ddlgate COMMAND" "top-level usage"
expect_status 0 "help without a command" "$DG" help
same_text "$T/out" "$T/top" "help = --help"
expect_status 2 "no arguments" "$DG"
out_has "usage: ddlgate COMMAND" "usage on stderr"
expect_status 0 "--version" "$DG" --version
out_has "ddlgate 0." "prints the version"

cmds=$(sed -n '/^commands:/,/^$/p' "$T/top" | awk 'NF > 1 { print $1 }' | grep -v '^help$' | grep -v '^commands:$')
[ -n "$cmds" ] || { fail "no commands listed"; finish; }
for c in $cmds; do
	expect_status 0 "help $c" "$DG" help "$c"
	cp "$T/out" "$T/help-$c"
	if head -n 1 "$T/out" | grep -q "^usage: ddlgate $c "; then
		pass "help $c: usage line names the command"
	elif head -n 1 "$T/out" | grep -q "^usage: ddlgate $c\$"; then
		pass "help $c: usage line names the command"
	else
		fail "help $c: first line is '$(head -n 1 "$T/out")'"
	fi
	if [ "$(wc -l <"$T/out")" -ge 5 ]; then pass "help $c: more than a line"; else
		fail "help $c: too short"; show "$T/out"
	fi
	out_has "exit status:" "help $c: exit status"
	expect_status 0 "$c --help" "$DG" "$c" --help
	same_text "$T/out" "$T/help-$c" "$c --help = help $c"
	expect_status 0 "$c -h" "$DG" "$c" -h
	same_text "$T/out" "$T/help-$c" "$c -h = help $c"
done

# each command's own options are in its help
check_opts() {
	c=$1
	shift
	for o in "$@"; do
		if grep -q -F -e "$o" "$T/help-$c"; then pass "help $c mentions $o"; else
			fail "help $c lacks $o"
		fi
	done
}
check_opts ci --base --head --config-from --format --config --rule --pg-version fetch-depth
check_opts check --rev --list-sets --all --format
check_opts install --pre-push --pre-commit --force --chain
check_opts rules --format
check_opts lint --format --config --rule --pg-version
check_opts pre-push REMOTE URL --no-verify
check_opts pre-commit --no-verify
check_opts blockers --dsn --application-name
check_opts schema --rev SET

# --help wins over a bad option, and needs no repository
expect_status 0 "ci --bogus --help" "$DG" ci --bogus --help
out_has "usage: ddlgate ci" "usage of ci"
expect_status 2 "help of an unknown command" "$DG" help nosuch
out_has "unknown command 'nosuch'" "names it"
err_lines 1 "one line"
expect_status 2 "unknown command" "$DG" nosuch
err_lines 1 "one line"

finish
