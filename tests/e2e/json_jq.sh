#!/bin/sh
# Every command that writes JSON writes what jq (a second, independent JSON
# reader besides Python's) accepts, with the documented top-level keys.
. "$DG_SRC/tests/e2e/ci_lib.inc"
needs jq jq

git init -q "$T/r" && cd "$T/r" || exit 1
mkdir -p db
printf 'CREATE TABLE t (id bigint PRIMARY KEY, "we""ird\\\\" text);\n' >db/V1__t.sql
git add . && git commit -q -m one && git branch -q base
printf 'CREATE INDEX i ON t (id);\n' >db/V2__i.sql
git add . && git commit -q -m two

# jq_keys DESCRIPTION KEYS CMD...: CMD's stdout parses with jq and has exactly these keys
jq_keys() {
	desc=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	if got=$(jq -c -e 'keys' "$T/out" 2>"$T/jqerr"); then
		if [ "$got" = "$want" ]; then pass "$desc: jq reads it, keys $got"; else
			fail "$desc: keys $got, want $want"
		fi
	else
		fail "$desc: jq rejects it"
		show "$T/jqerr"
		show "$T/out"
	fi
}
F='["findings","summary","tool","version"]'
jq_keys "lint" "$F" "$DG" lint --format json db
jq_keys "lint of stdin" "$F" sh -c "printf 'LOCK TABLE t;\n' | \"$DG\" lint --format json -"
jq_keys "explain" '["statements"]' "$DG" explain --format json db
jq_keys "check" "$F" "$DG" check --format json
jq_keys "ci" "$F" "$DG" ci --base base --format json
jq_keys "pre-commit" "$F" "$DG" pre-commit --format json
jq_keys "pre-push" "$F" sh -c "echo 'refs/heads/main $(git rev-parse HEAD) refs/heads/main 0000000000000000000000000000000000000000' | \"$DG\" pre-push --format json origin /nowhere"
jq_keys "rules" '["rules"]' "$DG" rules --format json
"$DG" schema --format json >"$T/out" 2>&1
jq -e . "$T/out" >/dev/null 2>&1 && pass "schema: jq reads it" || { fail "schema: jq rejects it"; show "$T/out"; }
got=$("$DG" lint --format json db | jq -r '.findings[] | select(.rule == "require-concurrent-index") | .path')
[ "$got" = "db/V2__i.sql" ] && pass "jq finds the finding's path" || fail "jq: path '$got'"
finish
