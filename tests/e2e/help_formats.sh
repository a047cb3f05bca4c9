#!/bin/sh
# `ddlgate help help` works, and every command's help lists exactly the
# --format values the command accepts: each of text, json, sarif, github is
# tried on every command and must be accepted when the help offers it and
# refused (exit 2, one line naming --format) when it does not.
. "$DG_SRC/tests/e2e/ci_lib.inc"

cd "$T" || exit 1
expect_status 0 "help help" "$DG" help help
out_has "usage: ddlgate help [COMMAND]" "help help: its own usage"
expect_status 0 "help --help" "$DG" help --help
out_has "usage: ddlgate help [COMMAND]" "help --help: the usage of help"
"$DG" --help >"$T/top"
grep -q "^  help  " "$T/top" && pass "--help lists help" || fail "--help does not list help"

# a repository where every command has something to read
git init -q "$T/r" && cd "$T/r" || exit 1
mkdir -p db && printf 'CREATE TABLE t (id bigint PRIMARY KEY);\n' >db/V1__t.sql
git add . && git commit -q -m one
git branch -q base

# run_with COMMAND FORMAT: the command with --format FORMAT and the arguments it needs
run_with() {
	c=$1 f=$2
	case $c in
	lint | explain) "$DG" "$c" --format "$f" db ;;
	check | pre-commit) "$DG" "$c" --format "$f" ;;
	pre-push) "$DG" pre-push --format "$f" origin /nowhere </dev/null ;;
	ci) "$DG" ci --base base --format "$f" ;;
	schema) "$DG" schema --format "$f" ;;
	rules) "$DG" rules --format "$f" ;;
	blockers) PGCONNECT_TIMEOUT=1 "$DG" blockers --dsn 'host=/nonexistent port=1' --format "$f" ;;
	install) "$DG" install --format "$f" ;;
	trace) PGCONNECT_TIMEOUT=1 "$DG" trace --dsn 'host=/nonexistent port=1' --format "$f" db/V1__t.sql ;;
	audit) PGCONNECT_TIMEOUT=1 "$DG" audit --dsn 'host=/nonexistent port=1' --format "$f" ;;
	*) return 99 ;;
	esac
}

cmds=$(sed -n '/^commands:/,/^$/p' "$T/top" | awk 'NF > 1 { print $1 }' | grep -v -e '^commands:$' -e '^help$')
for c in $cmds; do
	"$DG" help "$c" >"$T/help"
	# the values on the --format line of this command's help
	offered=$(grep -e '^  --format' "$T/help" | head -n 1 | tr ',|()' '    ' |
		tr ' ' '\n' | grep -x -e text -e json -e sarif -e github | sort -u | tr '\n' ' ')
	for f in text json sarif github; do
		run_with "$c" "$f" >"$T/out" 2>"$T/err"
		rc=$?
		[ "$rc" -eq 99 ] && { fail "$c: the test does not know how to run it"; continue; }
		if grep -q -e '--format' -e "unknown option '--format'" "$T/err"; then refused=1; else refused=0; fi
		case " $offered " in
		*" $f "*)
			if [ "$refused" -eq 0 ]; then pass "$c --format $f: offered and accepted (exit $rc)"; else
				fail "$c --format $f: offered by its help but refused"
				show "$T/err"
			fi ;;
		*)
			if [ "$refused" -eq 1 ] && [ "$rc" -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ]; then
				pass "$c --format $f: not offered, refused: $(cat "$T/err")"
			else
				fail "$c --format $f: not offered by its help (offers: $offered) but accepted (exit $rc)"
				show "$T/err"
			fi ;;
		esac
	done
done
# explain in particular: its help says text or json and nothing else
"$DG" help explain >"$T/help"
if grep -e '^  --format' "$T/help" | grep -q -e sarif -e github; then fail "help explain offers sarif/github"; else
	pass "help explain offers only text and json"
fi
finish
